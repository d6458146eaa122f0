// photos.test.mjs: a record's photos: JPEG or PNG by their bytes, bombs refused from the header, re-encoded without EXIF/GPS, served privately to who may see the record
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, Client } from '../lib/server.mjs';
import { loginAs, addUser, assertProblem, assertCleanLog, rawExchange, SANYANJING, HONGQIAO } from './helpers.mjs';
import { NOW, items, newFile, memberClient, report, made, written } from './records-helpers.mjs';
import { png, jpegSegments, withGps, LATITUDE, assertNoMetadata } from './images.mjs';

// --- The server, its people, its records ---

let srv, item, plain;
const as = {};
let owner, other;

const upload = (who, id, bytes, type = 'image/jpeg') => who.req('POST', `/api/v1/records/${id}/photos`, bytes, { 'Content-Type': type });
const raw = async (who, path) => {
  const r = await fetch(srv.url + path, { headers: who.cookie ? { Cookie: who.cookie } : {} });
  return { status: r.status, headers: r.headers, bytes: Buffer.from(await r.arrayBuffer()) };
};
const pending = async () => (await made(as.owner, '/api/v1/me/records', report(item.A01))).id;
const photoFiles = () => {
  const dir = join(srv.dir, 'photos');
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.jpg')).map((f) => join(dir, f)) : [];
};

before(async () => {
  srv = await startServer({ clock: NOW });
  as.admin = await loginAs(srv, 'admin');
  addUser(srv, 'staff2', 'staff', { region: SANYANJING });
  addUser(srv, 'org2', 'org', { region: HONGQIAO });
  for (const l of ['org', 'org2', 'staff', 'staff2', 'unit', 'resident']) as[l] = await loginAs(srv, l);
  as.anon = new Client(srv.url);
  item = items(srv);
  const unit = (await as.unit.get('/api/v1/me')).json.roles[0].unit.id;
  owner = await newFile(as.staff, { unit_id: unit });
  other = await newFile(as.staff);
  as.owner = await memberClient(srv, as.staff, owner);
  as.other = await memberClient(srv, as.staff, other);
  // A plain JPEG to start from: what the server makes of a PNG drawn here.
  const id = await pending();
  const p = await upload(as.owner, id, png(64, 32), 'image/png');
  assert.equal(p.status, 201, p.text);
  plain = (await raw(as.owner, p.json.url)).bytes;
});
after(async () => {
  await srv?.stop();
  assertCleanLog(srv.log());
});

describe('what is taken: JPEG and PNG, recognised by their bytes', () => {
  test('a PNG becomes a JPEG of the same size, with a thumbnail; the record shows it', async () => {
    const id = await pending();
    const r = await upload(as.owner, id, png(640, 480), 'application/octet-stream');
    assert.equal(r.status, 201, r.text);
    assert.deepEqual([r.json.width, r.json.height], [640, 480]);
    assert.equal(r.json.url, `/api/v1/records/${id}/photos/${r.json.id}`);
    assert.equal(r.json.thumb_url, `${r.json.url}/thumb`);
    const stored = await raw(as.owner, r.json.url);
    assert.equal(stored.headers.get('content-type'), 'image/jpeg');
    assert.equal(stored.bytes.length, r.json.bytes);
    const { width, height } = jpegSegments(stored.bytes);
    assert.deepEqual([width, height], [640, 480]);
    const thumb = jpegSegments((await raw(as.owner, r.json.thumb_url)).bytes);
    assert.deepEqual([thumb.width, thumb.height], [320, 240]);
    const d = (await as.staff.get(`/api/v1/records/${id}`)).json;
    assert.equal(d.photos, 1);
    assert.deepEqual(d.photo_list.map((x) => [x.id, x.width, x.height, x.url]), [[r.json.id, 640, 480, r.json.url]]);
    assert.deepEqual(d.timeline.map((e) => [e.event, e.note]), [['create', 'self'], ['photo', '640×480']]);
  });

  test('a large photo is kept at 2048 pixels on its longer side, its thumbnail at 320', async () => {
    const id = await pending();
    const r = await upload(as.owner, id, png(3000, 1000), 'image/png');
    assert.equal(r.status, 201, r.text);
    assert.deepEqual([r.json.width, r.json.height], [2048, 683]);
    const thumb = jpegSegments((await raw(as.owner, r.json.thumb_url)).bytes);
    assert.deepEqual([thumb.width, thumb.height], [320, 107]);
  });

  test('a JPEG with GPS: the stored copy and the thumbnail have no metadata left, and it is turned upright', async () => {
    const phone = withGps(plain);
    const seen = jpegSegments(phone).segs.map((s) => s.marker);
    assert.ok(seen.includes(0xe1) && seen.includes(0xfe) && phone.includes(LATITUDE), 'the upload carries EXIF with GPS, and a comment');
    const id = await pending();
    const r = await upload(as.owner, id, phone);
    assert.equal(r.status, 201, r.text);
    // Orientation 6 was read (so was the EXIF that holds the GPS): 64 × 32 comes back as 32 × 64.
    assert.deepEqual([r.json.width, r.json.height], [32, 64]);
    const stored = await raw(as.owner, r.json.url);
    const thumb = await raw(as.owner, r.json.thumb_url);
    assertNoMetadata(stored.bytes, 'the photo');
    assertNoMetadata(thumb.bytes, 'the thumbnail');
    assert.deepEqual([jpegSegments(stored.bytes).width, jpegSegments(stored.bytes).height], [32, 64]);
    // And what is on disk is what is served, never the upload.
    const files = photoFiles().map((f) => readFileSync(f));
    assert.ok(files.some((f) => f.equals(stored.bytes)));
    assert.ok(!files.some((f) => f.includes(Buffer.from('Exif'))), 'no stored file holds EXIF');
  });

  test('files live beside the database, outside the web folder, readable by the server alone', async () => {
    const files = photoFiles();
    assert.ok(files.length >= 4);
    for (const f of files) {
      assert.equal(statSync(f).mode & 0o777, 0o600, f);
      assert.match(f.slice(srv.dir.length), /^\/photos\/[0-9a-f]{2}\/[0-9a-f]{32}(-t)?\.jpg$/);
    }
  });
});

describe('what is refused, before anything is stored', () => {
  let id;
  before(async () => { id = await pending(); });

  // Refused with status and code (naming the field "file" when a 422), nothing written, no file left, the server alive.
  function refused(name, bytes, status, code, type) {
    test(name, async () => {
      const was = written(srv);
      const files = photoFiles().length;
      const r = await upload(as.owner, id, bytes, type);
      const p = assertProblem(r, status, code, name);
      if (status === 422 || status === 415) assert.equal(p.errors?.[0]?.field, 'file');
      assert.equal(written(srv), was, 'nothing was written');
      assert.equal(photoFiles().length, files, 'no file was left');
      assert.equal((await new Client(srv.url).get('/healthz')).status, 200);
    });
  }
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  refused('a PDF renamed to .jpg, sent as image/jpeg', pdf, 415, 'unsupported_media_type');
  refused('an HTML file', Buffer.from('<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>'),
    415, 'unsupported_media_type', 'image/png');
  refused('an SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 415,
    'unsupported_media_type', 'image/svg+xml');
  refused('a GIF', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), 415, 'unsupported_media_type', 'image/gif');
  test('a truncated JPEG', async () => {
    const big = (await raw(as.staff, (await upload(as.staff, await pending(), png(640, 480), 'image/png')).json.url)).bytes;
    const was = written(srv);
    const r = await upload(as.owner, id, big.subarray(0, big.length >> 1));
    assert.equal(assertProblem(r, 422, 'validation').errors[0].field, 'file');
    assert.equal(r.json.errors[0].code, 'format');
    assert.equal(written(srv), was);
  });
  refused('the JPEG signature before an HTML page', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('<html>')]),
    422, 'validation');
  // The header says 20,000 × 20,000 (400 megapixels, 1.2 GB decoded); what follows is no such image. Refused as
  // too large, not as broken: the dimensions decided before any pixel was decoded.
  refused('a 20,000 × 20,000 PNG', png(20000, 20000, zlib.deflateSync(Buffer.alloc(1024))), 422, 'validation');
  test('the bomb is refused for its size', async () => {
    const r = await upload(as.owner, id, png(20000, 20000, zlib.deflateSync(Buffer.alloc(1024))), 'image/png');
    assert.equal(r.json.errors[0].code, 'too_large');
    const tall = await upload(as.owner, id, png(20000, 10, zlib.deflateSync(Buffer.alloc(64))), 'image/png');
    assert.equal(tall.json.errors[0].code, 'too_large', 'a side beyond 16,384 pixels');
    const many = await upload(as.owner, id, png(8000, 6000, zlib.deflateSync(Buffer.alloc(64))), 'image/png');
    assert.equal(many.json.errors[0].code, 'too_large', '48 megapixels');
  });
  refused('an empty body', Buffer.alloc(0), 422, 'validation');
  test('more than 5 MB is refused as soon as it is announced', async () => {
    const was = written(srv);
    const host = new URL(srv.url).host;
    const res = await rawExchange(srv.url, `POST /api/v1/records/${id}/photos HTTP/1.1\r\nHost: ${host}\r\nCookie: ${as.owner.cookie}\r\n` +
      `X-Requested-With: baodao\r\nContent-Type: image/jpeg\r\nContent-Length: ${(5 << 20) + 1}\r\n\r\n\xff\xd8\xff`, { probe: false });
    assert.equal(res.statuses[0], 413, res.text.slice(0, 300));
    assert.equal(written(srv), was);
    assert.equal((await new Client(srv.url).get('/healthz')).status, 200);
  });
  test('5 MB exactly is read, and judged by what it holds', async () => {
    const r = await upload(as.owner, id, Buffer.concat([plain, Buffer.alloc((5 << 20) - plain.length)]));
    assert.equal(r.status, 201, r.text);
    assert.equal((await as.owner.req('DELETE', `/api/v1/records/${id}/photos/${r.json.id}`)).status, 204);
  });
});

describe('at most 3 photos, and only while the record waits', () => {
  test('a fourth is refused; one removed makes room; a confirmed record keeps what it has', async () => {
    const id = await pending();
    const added = [];
    for (let i = 0; i < 3; i++) added.push((await made(as.owner, `/api/v1/records/${id}/photos`, plain)).id);
    const fourth = await upload(as.owner, id, plain);
    assert.equal(assertProblem(fourth, 409).errors[0].code, 'too_many');
    assert.equal((await as.owner.get(`/api/v1/records/${id}`)).json.can.photo, false);
    const files = photoFiles().length;
    assert.equal((await as.owner.del(`/api/v1/records/${id}/photos/${added[0]}`)).status, 204);
    assert.equal(photoFiles().length, files - 2, 'the photo and its thumbnail are gone');
    assert.equal((await raw(as.owner, `/api/v1/records/${id}/photos/${added[0]}`)).status, 404);
    await made(as.owner, `/api/v1/records/${id}/photos`, plain);
    await made(as.staff, `/api/v1/records/${id}/confirm`, undefined, 200);
    assertProblem(await upload(as.owner, id, plain), 409, 'conflict');
    assertProblem(await as.owner.del(`/api/v1/records/${id}/photos/${added[1]}`), 409, 'conflict');
    assert.equal((await raw(as.owner, `/api/v1/records/${id}/photos/${added[1]}`)).status, 200);
    const events = (await as.owner.get(`/api/v1/records/${id}`)).json.timeline.map((e) => e.event);
    assert.deepEqual(events, ['create', 'photo', 'photo', 'photo', 'photo_remove', 'photo', 'confirm']);
  });

  test('a report withdrawn takes its photos with it', async () => {
    const id = await pending();
    const p = await made(as.owner, `/api/v1/records/${id}/photos`, plain);
    const files = photoFiles().length;
    await made(as.owner, `/api/v1/records/${id}/withdraw`, undefined, 200);
    assert.equal(photoFiles().length, files - 2);
    assert.equal((await raw(as.owner, p.url)).status, 404);
  });

  test('a photo of one record is not found under another', async () => {
    const a = await pending();
    const b = await pending();
    const p = await made(as.owner, `/api/v1/records/${a}/photos`, plain);
    assert.equal((await raw(as.owner, `/api/v1/records/${b}/photos/${p.id}`)).status, 404);
    assertProblem(await as.owner.del(`/api/v1/records/${b}/photos/${p.id}`), 404, 'not_found');
    assert.equal((await raw(as.owner, `/api/v1/records/${a}/photos/${p.id}`)).status, 200);
  });
});

describe('who sees a photo, and who adds or removes one', () => {
  let id, photo;
  before(async () => {
    id = await pending();
    photo = await made(as.owner, `/api/v1/records/${id}/photos`, plain);
  });
  const SEES = { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, unit: 200, owner: 200, other: 404, resident: 403, anon: 401 };
  for (const [who, status] of Object.entries(SEES)) {
    test(`GET the photo and its thumbnail as ${who} → ${status}`, async () => {
      for (const path of [`/api/v1/records/${id}/photos/${photo.id}`, `/api/v1/records/${id}/photos/${photo.id}/thumb`]) {
        const r = await raw(as[who], path);
        assert.equal(r.status, status, `${who} ${path}`);
        if (status === 200) {
          assert.equal(r.headers.get('content-type'), 'image/jpeg');
          assert.equal(r.headers.get('cache-control'), 'private, max-age=86400');
          assert.deepEqual([...r.bytes.subarray(0, 2)], [0xff, 0xd8]);
        } else {
          assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
          assert.equal(r.headers.get('cache-control'), 'no-store');
        }
      }
    });
  }
  const ADDS = { admin: 201, staff: 201, owner: 201, staff2: 404, other: 404, org: 403, org2: 403, unit: 403, resident: 403, anon: 401 };
  for (const [who, status] of Object.entries(ADDS)) {
    test(`POST a photo as ${who} → ${status}`, async () => {
      const rid = await pending();
      const r = await upload(as[who], rid, plain);
      assert.equal(r.status, status, r.text);
      assert.equal((await as.owner.get(`/api/v1/records/${rid}`)).json.photos, status === 201 ? 1 : 0);
    });
    test(`DELETE a photo as ${who} → ${status === 201 ? 204 : status}`, async () => {
      const rid = await pending();
      const p = await made(as.owner, `/api/v1/records/${rid}/photos`, plain);
      const r = await as[who].req('DELETE', `/api/v1/records/${rid}/photos/${p.id}`);
      assert.equal(r.status, status === 201 ? 204 : status, r.text);
      assert.equal((await as.owner.get(`/api/v1/records/${rid}`)).json.photos, status === 201 ? 0 : 1);
    });
  }
});
