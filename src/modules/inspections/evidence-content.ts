import { Transform, type TransformCallback } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import { Problem } from '../../http/problem.ts';
import { HIDDEN } from '../../http/schemas.ts';

/** How much of a file is read to tell its type (file-type's own sample size). */
export const SNIFF_BYTES = 4100;

/** The longest file name kept, in characters; a longer one is cut, keeping its extension. */
export const FILE_NAME_MAX = 255;

const MEDIA_TYPES: Record<string, string[]> = {
  photo: ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif'],
  video: ['video/mp4', 'video/quicktime'],
  document: ['application/pdf', 'image/jpeg', 'image/png'],
  seized_item: ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif'],
};

/** Labels a client may give the same content: phones and browsers name HEIF photos either way. */
const SAME_CONTENT: Record<string, string[]> = {
  'image/heic': ['image/heic', 'image/heif'],
  'image/heif': ['image/heif', 'image/heic'],
};

// Markup a browser would run if it ever took the file for a page: the page's own tags, or any tag
// with an event handler (<img src=x onerror=...>). Photo metadata (EXIF, XMP's <x:xmpmeta>, ICC
// profiles) carries none of these. The text is read once as bytes and once without NULs, so a page
// in UTF-16 is found too.
const MARKUP =
  /<(?:!doctype\s+html|html|head|body|script|iframe|frame|svg|math|object|embed|meta|link|base|form|style|template)[\s>/]|<[a-z][a-z0-9]*[\s/][^<>]{0,200}?\bon[a-z]{3,}\s*=/i;
const MARKUP_CARRY = 256;

/**
 * Watches a file as it streams past: keeps its first bytes to tell its type, and notes markup
 * anywhere in it (a JPEG header followed by a page is still a page to a browser that sniffs).
 */
export class ContentSniffer extends Transform {
  private head: Buffer[] = [];
  private headLength = 0;
  private carry = '';
  private markup = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
    if (this.headLength < SNIFF_BYTES) {
      const part = chunk.subarray(0, SNIFF_BYTES - this.headLength);
      this.head.push(Buffer.from(part));
      this.headLength += part.length;
    }
    if (!this.markup) {
      // A tag split across two chunks is found by carrying the end of the last one over.
      const text = this.carry + chunk.toString('latin1');
      this.markup = MARKUP.test(text) || MARKUP.test(text.replaceAll('\0', ''));
      this.carry = text.slice(-MARKUP_CARRY);
    }
    done(null, chunk);
  }

  /** What the content is by its first bytes, and whether it carries markup. */
  async verdict(): Promise<{ type: string | undefined; markup: boolean }> {
    const found = await fileTypeFromBuffer(Buffer.concat(this.head)).catch(() => undefined);
    return { type: found?.mime, markup: this.markup };
  }
}

/**
 * The media type to store for a file of this kind, or a 415. The declared type must be what the
 * content is; images must carry no markup. A JPEG need not end with its end-of-image marker:
 * phones append data after it (motion photos), so that is no test of a page in disguise.
 */
export function checkEvidenceFile(
  kind: string,
  declared: string,
  content: { type: string | undefined; markup: boolean },
): string {
  const allowed = MEDIA_TYPES[kind] ?? [];
  const sniffed = content.type;
  const named = sniffed !== undefined && (SAME_CONTENT[sniffed] ?? [sniffed]).includes(declared);
  if (!sniffed || !named || !allowed.includes(sniffed)) {
    const actual = sniffed && sniffed !== declared;
    throw new Problem(415, 'unsupported_media_type', {
      type: {
        en: `${declared}${actual ? ` (the content is ${sniffed})` : ''}`,
        id: `${declared}${actual ? ` (isinya ${sniffed})` : ''}`,
      },
      accepts: { en: `a ${kind} as ${allowed.join(', ')}`, id: `${kind} sebagai ${allowed.join(', ')}` },
    });
  }
  if (content.markup && sniffed.startsWith('image/')) {
    throw new Problem(415, 'unsupported_media_type', {
      type: { en: `${declared} carrying HTML or script`, id: `${declared} yang memuat HTML atau skrip` },
      accepts: { en: 'an image without markup', id: 'gambar tanpa markup' },
    });
  }
  return sniffed;
}

// Controls, invisible characters and the marks that reorder text (a name that reads "photo.jpg" but
// is "gpj.exe"): the very characters the text fields refuse.
const CONTROLS = HIDDEN;

/**
 * A file name as it may be kept and shown: its last path part (either slash), without controls,
 * in NFC, at most FILE_NAME_MAX characters with its extension kept; null when nothing is left.
 */
export function safeFileName(given: string | null | undefined): string | null {
  if (!given) return null;
  const base = given.replace(CONTROLS, '').split(/[/\\]/).pop() ?? '';
  const name = base.normalize('NFC').trim();
  if (!name || name === '.' || name === '..') return null;
  const chars = Array.from(name);
  if (chars.length <= FILE_NAME_MAX) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? Array.from(name.slice(dot)) : [];
  const kept = extension.length > 1 && extension.length <= 16 ? extension : [];
  return [...chars.slice(0, FILE_NAME_MAX - kept.length), ...kept].join('');
}

/** The plain-ASCII stand-in for a file name, for clients that cannot read filename* (RFC 6266). */
export function asciiFallback(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_');
}
