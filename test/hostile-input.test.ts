import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import t from 'tap';
import { parse } from 'yaml';
import { safeFileName } from '../src/modules/inspections/evidence-content.ts';
import { build } from './helpers/app.ts';
import { multipart } from './helpers/multipart.ts';

// A second reader's attacks on the hostile-input work (issue 15): each failed before its fix.

const h = await build(t);
const JFIF = Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex');
const jpeg = () => Buffer.concat([JFIF, randomBytes(500), Buffer.from([0xff, 0xd9])]);

async function draft() {
  const token = await h.login('staff.banjarnegara');
  const opened = await h.call('POST', `/v1/facilities/${h.world.facilities.banjarnegara}/inspections`, {
    token,
    body: {
      kind: 'surprise',
      team: [{ name: 'Karutan Banjarnegara', agency: 'facility' }],
      started_at: '2026-03-02T09:00:00',
      ended_at: '2026-03-02T11:30:00',
      areas: [{ kind: 'block' }],
      inmates_searched: 1,
      officers_searched: 1,
      summary: 'Penggeledahan blok hunian.',
    },
  });
  const id = opened.json().id as string;
  const finding = await h.call('POST', `/v1/inspections/${id}/findings`, {
    token,
    body: { category: 'mobile_phone', description: 'Telepon genggam', quantity: 1, unit: 'pieces', location: 'Blok A' },
  });
  return { token, id, upload: `/v1/inspections/${id}/findings/${finding.json().id}/evidence` };
}

const PHOTO = { kind: 'photo', description: 'Foto temuan' };

t.test('markup a browser runs, behind a JPEG header, is refused whatever the tag or encoding', async (t) => {
  const { token, upload } = await draft();
  for (const [what, tail] of [
    ['an img tag with onerror', Buffer.from('<img src=x onerror=alert(document.domain)>')],
    ['a page in UTF-16', Buffer.from('<html><script>alert(1)</script>', 'utf16le')],
  ] as const) {
    const res = await h.call('POST', upload, {
      token,
      ...multipart(PHOTO, { name: 'x.jpg', type: 'image/jpeg', data: Buffer.concat([jpeg(), tail]) }),
    });
    t.equal(res.statusCode, 415, what);
  }
});

t.test('file names lose every bidi control and invisible character, as text fields refuse them', async (t) => {
  // U+061C ARABIC LETTER MARK is a Bidi_Control; the others are what text() calls invisible or line breaks.
  t.equal(safeFileName('a\u061cb\u200bc\ufeffd\u2028e.jpg'), 'abcde.jpg');
});

t.test('refused uploads say what went wrong in words that read, in both languages', async (t) => {
  const { token, upload } = await draft();
  const two = await h.call('POST', upload, {
    token,
    ...multipart(
      PHOTO,
      { name: 'a.jpg', type: 'image/jpeg', data: jpeg() },
      { name: 'b.jpg', type: 'image/jpeg', data: jpeg() },
    ),
  });
  t.equal(two.statusCode, 413);
  t.equal(two.json().code, 'too_many_parts');
  t.equal(two.json().detail, 'An upload carries one file and a few fields; this one has more.');

  const gif = Buffer.concat([Buffer.from('GIF89a'), randomBytes(200)]);
  for (const [language, detail] of [
    [
      'en',
      'Content type image/gif is not accepted here; send a photo as image/jpeg, image/png, image/webp, image/heic, image/heif.',
    ],
    [
      'id',
      'Tipe konten image/gif tidak diterima di sini; kirim photo sebagai image/jpeg, image/png, image/webp, image/heic, image/heif.',
    ],
  ] as const) {
    const body = multipart(PHOTO, { name: 'x.gif', type: 'image/gif', data: gif });
    const res = await h.call('POST', upload, {
      token,
      payload: body.payload,
      headers: { ...body.headers, 'accept-language': language },
    });
    t.equal(res.statusCode, 415);
    t.equal(res.json().detail, detail, language);
  }
  const markup = await h.call('POST', upload, {
    token,
    ...multipart(PHOTO, {
      name: 'x.jpg',
      type: 'image/jpeg',
      data: Buffer.concat([jpeg(), Buffer.from('<script>alert(1)</script>')]),
    }),
  });
  t.equal(
    markup.json().detail,
    'Content type image/jpeg carrying HTML or script is not accepted here; send an image without markup.',
  );
});

t.test('a multipart body without a boundary on a JSON route writes nothing', async (t) => {
  const { token, id } = await draft();
  const res = await h.call('POST', `/v1/inspections/${id}/submit`, {
    token,
    payload: 'not multipart at all',
    headers: { 'content-type': 'multipart/form-data' },
  });
  t.ok([400, 415].includes(res.statusCode), `refused (was ${res.statusCode})`);
  const [row] = await h.rows<{ status: string }>('SELECT status FROM inspections WHERE id = $1', [id]);
  t.equal(row?.status, 'draft', 'still a draft');
});

t.test('the contract declares what the upload accepts and the headers every answer carries', async (t) => {
  const spec = parse(readFileSync('openapi.yaml', 'utf8'));
  const upload = spec.paths['/v1/inspections/{inspectionId}/findings/{findingId}/evidence'].post;
  const accepted = upload.requestBody.content['multipart/form-data'].encoding.file.contentType as string;
  t.match(accepted, /image\/heic/, 'HEIC photos are accepted (201), so the encoding must list them');
  const file = spec.paths['/v1/evidence/{evidenceId}/file'].get.responses['200'];
  t.ok(
    Object.keys(file.headers ?? {}).some((n) => n.toLowerCase() === 'content-disposition'),
    'Content-Disposition of the download',
  );
  const unauth = spec.components.responses.Unauthenticated ?? spec.paths['/v1/facilities'].get.responses['401'];
  t.ok(
    Object.keys(unauth.headers ?? {}).some((n) => n.toLowerCase() === 'www-authenticate'),
    'WWW-Authenticate of a 401',
  );
  const ok = spec.paths['/v1/facilities'].get.responses['200'];
  t.ok(
    Object.keys(ok.headers ?? {}).some((n) => n.toLowerCase() === 'x-request-id'),
    'X-Request-Id (CORS exposes it)',
  );
});
