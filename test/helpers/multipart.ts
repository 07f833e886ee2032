import { randomBytes, randomUUID } from 'node:crypto';

export interface FilePart {
  name: string;
  type: string;
  data: Buffer;
}

/**
 * A multipart/form-data body written by hand: the fields, then the files (one, or several to be
 * refused). `payload` and `headers` spread into a harness call; `body` and `contentType` go on a socket.
 */
export function multipart(fields: Record<string, string>, ...files: FilePart[]) {
  const boundary = `bersinar-${randomUUID()}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const file of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const body = Buffer.concat(parts);
  const contentType = `multipart/form-data; boundary=${boundary}`;
  return { body, contentType, payload: body, headers: { 'content-type': contentType } };
}

/** A PNG signature and its header chunk: the upload checks what the content is, not only its first bytes. */
export const PNG_HEAD = Buffer.from(
  '89504e470d0a1a0a0000000d494844520000000100000001080600000000000000000049444154',
  'hex',
);
/** A PNG-looking file of `size` bytes, different each time. */
export const png = (size = 256) => Buffer.concat([PNG_HEAD, randomBytes(size - PNG_HEAD.length)]);
