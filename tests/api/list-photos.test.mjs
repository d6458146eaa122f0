// list-photos.test.mjs: photos of needs and micro-wishes (issue #12): what is asked for (stage ask: a need 3, a wish 1)
// and what was done (stage done: 3), each stage only in its states and by its people; refused bodies; EXIF gone;
// who sees them (404 out of scope); the public wall shows a wish's ask thumbnail, never a photo of the fulfilment
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, dbQuery } from '../lib/server.mjs';
import { assertProblem, assertCleanLog, rawExchange, SHILIUQIAO } from './helpers.mjs';
import { everyone, matrix } from './serving-people.mjs';
import { png, jpegSegments, withGps, assertNoMetadata } from './images.mjs';

const T0 = Date.UTC(2026, 2, 2, 2, 0, 0) / 1000;
let srv, as, residentId, plain;

const upload = (who, path, stage, bytes, type = 'image/jpeg') =>
  who.req('POST', `${path}/photos${stage === undefined ? '' : `?stage=${stage}`}`, bytes, { 'Content-Type': type });
const raw = async (who, path) => {
  const r = await fetch(srv.url + path, { headers: who?.cookie ? { Cookie: who.cookie } : {} });
  return { status: r.status, headers: r.headers, bytes: Buffer.from(await r.arrayBuffer()) };
};
const rows = () => Number(dbQuery(srv.db, 'SELECT COUNT(*) FROM list_photos'));
const files = () => {
  const dir = join(srv.dir, 'photos');
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.jpg')).length : 0;
};
const audit = async (type, id) => (await as.admin.get(`/api/v1/audit?target_type=${type}&target_id=${id}&per_page=100`))
  .json.items.filter((e) => e.outcome === 'ok').map((e) => e.action).reverse();

const needBody = { description: '老人想请人帮忙修一下漏水的水龙头', place: '3栋201', contact_name: '张阿姨',
  contact_phone: '13800000006' };
async function postedNeed() {
  const item = (await as.staff.get(`/api/v1/catalog?region=${SHILIUQIAO}`)).json.items.find((i) => i.code === 'G02');
  const r = await as.resident.post('/api/v1/needs', { ...needBody, item_id: item.id });
  assert.equal(r.status, 201, r.text);
  return `/api/v1/needs/${r.json.id}`;
}
async function step(who, path, what, body = {}) {
  const r = await who.post(`${path}/${what}`, body);
  assert.equal(r.status, 200, `${what}: ${r.text}`);
  return r.json;
}
async function newWish(publish = false) {
  const r = await as.staff.post('/api/v1/wishes', { community_code: SHILIUQIAO, beneficiary_name: '王小明',
    title: '一副老花镜', description: '看报纸用', value_cap: 300, consent: true, publish, beneficiary_account_id: residentId });
  assert.equal(r.status, 201, r.text);
  return { id: r.json.id, path: `/api/v1/wishes/${r.json.id}` };
}

before(async () => {
  srv = await startServer({ clock: T0 });
  ({ as } = await everyone(srv));
  residentId = (await as.resident.get('/api/v1/me')).json.id;
  // A plain JPEG to start from: what the server makes of a PNG drawn here.
  const need = await postedNeed();
  const p = await upload(as.resident, need, 'ask', png(64, 32), 'image/png');
  assert.equal(p.status, 201, p.text);
  plain = (await raw(as.resident, p.json.url)).bytes;
});
after(async () => {
  await srv?.stop();
  assertCleanLog(srv.log());
});

describe('a need: up to 3 photos when posted, up to 3 with the done note', () => {
  test('the resident adds 3 ask photos (JPEG and PNG); the 4th is refused; the need shows them; audited', async () => {
    const need = await postedNeed();
    const a = await upload(as.resident, need, 'ask', png(640, 480), 'application/octet-stream');
    assert.equal(a.status, 201, a.text);
    assert.deepEqual([a.json.stage, a.json.width, a.json.height, a.json.url, a.json.thumb_url],
      ['ask', 640, 480, `${need}/photos/${a.json.id}`, `${need}/photos/${a.json.id}/thumb`]);
    const stored = await raw(as.resident, a.json.url);
    assert.equal(stored.status, 200);
    assert.equal(stored.headers.get('content-type'), 'image/jpeg');
    assert.equal(stored.headers.get('cache-control'), 'private, max-age=86400');
    assert.deepEqual([jpegSegments(stored.bytes).width, jpegSegments(stored.bytes).height], [640, 480]);
    const thumb = jpegSegments((await raw(as.staff, a.json.thumb_url)).bytes);
    assert.deepEqual([thumb.width, thumb.height], [320, 240]);
    assert.equal((await upload(as.resident, need, 'ask', plain)).status, 201);
    assert.equal((await upload(as.staff, need, 'ask', plain)).status, 201, 'staff in scope add them too');
    const was = [rows(), files()];
    const full = assertProblem(await upload(as.resident, need, 'ask', plain), 409, 'conflict');
    assert.deepEqual([full.errors[0].field, full.errors[0].code], ['file', 'too_many']);
    assert.deepEqual([rows(), files()], was, 'the 4th left no row and no file');
    const d = (await as.staff.get(need)).json;
    assert.deepEqual(d.photos.map((p) => [p.stage, p.width, p.height]), [['ask', 640, 480], ['ask', 64, 32], ['ask', 64, 32]]);
    assert.deepEqual((await audit('need', d.id)).filter((x) => x.startsWith('need.photo')),
      ['need.photo', 'need.photo', 'need.photo']);
    // Removed by the resident: the row, its files, an audit entry; room for another.
    const gone = await as.resident.req('DELETE', a.json.url);
    assert.equal(gone.status, 204, gone.text);
    assert.deepEqual([rows(), files()], [was[0] - 1, was[1] - 2]);
    assert.equal((await raw(as.resident, a.json.url)).status, 404);
    assert.equal((await audit('need', d.id)).at(-1), 'need.photo_remove');
    assert.equal((await upload(as.resident, need, 'ask', plain)).status, 201);
  });

  test('done photos: only its holder, only while taken or in progress; ask photos close once it is taken', async () => {
    const need = await postedNeed();
    assert.equal((await upload(as.resident, need, 'ask', plain)).status, 201);
    assertProblem(await upload(as.resident, need, 'done', plain), 403, 'forbidden', 'the resident holds nothing');
    await step(as.staff, need, 'accept');
    assertProblem(await upload(as.staff, need, 'done', plain), 403, 'forbidden', 'staff do not hold it');
    await step(as.member, need, 'take');
    assertProblem(await upload(as.member, need, 'ask', plain), 403, 'forbidden', 'the holder does not edit what was asked');
    const late = assertProblem(await upload(as.resident, need, 'ask', plain), 409, 'conflict', 'taken: ask photos are closed');
    assert.equal(late.errors[0].field, 'stage');
    const ask = (await as.resident.get(need)).json.photos[0];
    assertProblem(await as.resident.req('DELETE', ask.url), 409, 'conflict', 'nor removed');
    for (let i = 0; i < 2; i++) assert.equal((await upload(as.member, need, 'done', plain)).status, 201);
    await step(as.member, need, 'start');
    const third = await upload(as.member, need, 'done', png(100, 50), 'image/png');
    assert.equal(third.status, 201, third.text);
    assert.equal(third.json.stage, 'done');
    const full = assertProblem(await upload(as.member, need, 'done', plain), 409, 'conflict');
    assert.equal(full.errors[0].code, 'too_many');
    // Everyone inside sees both stages, ask first.
    for (const who of [as.resident, as.staff, as.member]) {
      const d = (await who.get(need)).json;
      assert.deepEqual(d.photos.map((p) => p.stage), ['ask', 'done', 'done', 'done']);
      assert.equal((await raw(who, third.json.thumb_url)).status, 200);
    }
  });

  test('who gives a need back no longer adds its done photos', async () => {
    const need = await postedNeed();
    await step(as.staff, need, 'accept');
    await step(as.member, need, 'take');
    assert.equal((await upload(as.member, need, 'done', plain)).status, 201);
    await step(as.member, need, 'decline', { reason: '临时有事' });
    assertProblem(await upload(as.member, need, 'done', plain), 404, 'not_found', 'no longer holding it: its photos unseen');
    assert.deepEqual((await as.staff.get(need)).json.photos.map((p) => p.stage), ['done'], 'what was done so far stays');
  });

  test('a withdrawn need takes no photos; a wrong or missing stage names the query argument', async () => {
    const need = await postedNeed();
    await step(as.resident, need, 'withdraw', { reason: '不需要了' });
    assert.equal(assertProblem(await upload(as.resident, need, 'ask', plain), 409, 'conflict').errors[0].field, 'stage');
    const other = await postedNeed();
    for (const stage of [undefined, 'later', '']) {
      const r = await upload(as.resident, other, stage, plain);
      assert.equal(r.status, 400, `stage ${stage}: ${r.text}`);
      assert.equal(r.json.errors?.[0]?.field ?? r.json.errors?.[0]?.name, 'stage', r.text);
    }
  });
});

describe('hostile bodies are refused before anything is stored, naming the problem', () => {
  let need;
  before(async () => { need = await postedNeed(); });
  const cases = [
    ['an HTML page', Buffer.from('<!DOCTYPE html><script>alert(1)</script>'), 415, 'unsupported_media_type', 'type'],
    ['a PDF sent as image/jpeg', Buffer.from('%PDF-1.4\n%%EOF\n'), 415, 'unsupported_media_type', 'type'],
    ['an empty body', Buffer.alloc(0), 422, 'validation', 'required'],
    ['a truncated JPEG', null, 422, 'validation', 'format'],
    ['a 20,000 × 20,000 PNG', png(20000, 20000, Buffer.alloc(16)), 422, 'validation', 'too_large'],
  ];
  for (const [name, body, status, code, fieldCode] of cases) {
    test(name, async () => {
      const bytes = body ?? plain.subarray(0, plain.length >> 1);
      const was = [rows(), files()];
      const p = assertProblem(await upload(as.resident, need, 'ask', bytes), status, code, name);
      assert.deepEqual([p.errors?.[0]?.field, p.errors?.[0]?.code], ['file', fieldCode], JSON.stringify(p));
      assert.deepEqual([rows(), files()], was, 'nothing stored');
    });
  }
  test('more than 5 MB is refused as soon as it is announced', async () => {
    const was = rows();
    const host = new URL(srv.url).host;
    const res = await rawExchange(srv.url, `POST ${need}/photos?stage=ask HTTP/1.1\r\nHost: ${host}\r\nCookie: ${as.resident.cookie}\r\n` +
      `X-Requested-With: baodao\r\nContent-Type: image/jpeg\r\nContent-Length: ${(5 << 20) + 1}\r\n\r\n\xff\xd8\xff`, { probe: false });
    assert.equal(res.statuses[0], 413, res.text.slice(0, 300));
    assert.equal(rows(), was);
  });
  test('a phone photo with EXIF and GPS: stored and thumbnail without any metadata, turned upright', async () => {
    const w = await newWish();
    const r = await upload(as.staff, w.path, 'ask', withGps(plain));
    assert.equal(r.status, 201, r.text);
    assert.deepEqual([r.json.width, r.json.height], [32, 64]);
    assertNoMetadata((await raw(as.staff, r.json.url)).bytes, 'the photo');
    assertNoMetadata((await raw(as.staff, r.json.thumb_url)).bytes, 'the thumbnail');
  });
});

describe('a micro-wish: 1 photo of what is wanted, up to 3 of it come true (圆梦)', () => {
  test('staff add the one ask photo; the wall shows its thumbnail to all; the claimer adds done photos, seen inside only', async () => {
    const w = await newWish();
    assertProblem(await upload(as.member, w.path, 'ask', plain), 404, 'not_found', 'a member does not see a submitted wish');
    const ask = await upload(as.staff, w.path, 'ask', png(200, 100), 'image/png');
    assert.equal(ask.status, 201, ask.text);
    assert.equal(assertProblem(await upload(as.staff, w.path, 'ask', plain), 409, 'conflict').errors[0].code, 'too_many');
    await step(as.staff, w.path, 'approve');
    await step(as.staff, w.path, 'publish');
    // The public wall: the ask photo's id; its thumbnail served with no login; the full photo not.
    const wall = (await as.anon.get(`/api/v1/public/communities/${SHILIUQIAO}/wishes`)).json.items.find((x) => x.id === w.id);
    assert.equal(wall.photo_id, ask.json.id);
    const pub = await raw(null, `/api/v1/public/wishes/${w.id}/photos/${ask.json.id}/thumb`);
    assert.equal(pub.status, 200);
    assert.deepEqual([jpegSegments(pub.bytes).width, pub.headers.get('content-type')], [200, 'image/jpeg']);
    assert.equal((await raw(null, ask.json.url)).status, 401);
    // A member of the city sees what is wanted (the wall), and claims it.
    assert.equal((await raw(as.member, ask.json.thumb_url)).status, 200);
    assertProblem(await upload(as.member, w.path, 'done', plain), 404, 'not_found', 'not claimed: not theirs to see in full');
    await step(as.member, w.path, 'claim', { as: 'member' });
    assert.equal(assertProblem(await upload(as.staff, w.path, 'ask', plain), 409, 'conflict').errors[0].field, 'stage');
    assertProblem(await upload(as.staff, w.path, 'done', plain), 403, 'forbidden', 'only the claimer');
    const done = [];
    for (let i = 0; i < 3; i++) {
      const r = await upload(as.member, w.path, 'done', plain);
      assert.equal(r.status, 201, r.text);
      done.push(r.json);
    }
    assert.equal(assertProblem(await upload(as.member, w.path, 'done', plain), 409, 'conflict').errors[0].code, 'too_many');
    // The fulfilment's photos: the claimer, staff and the beneficiary; never the wall.
    for (const who of [as.member, as.staff, as.resident]) {
      assert.deepEqual((await who.get(w.path)).json.photos.map((p) => p.stage), ['ask', 'done', 'done', 'done']);
      assert.equal((await raw(who, done[0].thumb_url)).status, 200);
    }
    assert.equal((await raw(null, `/api/v1/public/wishes/${w.id}/photos/${done[0].id}/thumb`)).status, 404);
    assert.equal((await raw(as.memberElsewhere, done[0].url)).status, 404);
    await step(as.member, w.path, 'fulfil', { note: '送到了', value_spent: 200, minutes: 60 });
    assert.equal((await as.member.req('DELETE', done[2].url)).status, 204, 'fulfilled, not yet confirmed: still changeable');
    await step(as.resident, w.path, 'confirm');
    assert.equal(assertProblem(await upload(as.member, w.path, 'done', plain), 409, 'conflict').errors[0].field, 'stage');
    assertProblem(await as.member.req('DELETE', done[0].url), 409, 'conflict');
    assert.equal((await raw(null, `/api/v1/public/wishes/${w.id}/photos/${ask.json.id}/thumb`)).status, 404,
      'off the wall once closed');
    assert.deepEqual((await audit('wish', w.id)).filter((x) => x.startsWith('wish.photo')),
      ['wish.photo', 'wish.photo', 'wish.photo', 'wish.photo', 'wish.photo_remove']);
  });
});

describe('who sees and changes them: each role in and out of scope', () => {
  let need, photo, wish, wishPhoto;
  before(async () => {
    need = await postedNeed();
    photo = (await upload(as.resident, need, 'ask', plain)).json;
    wish = await newWish();
    wishPhoto = (await upload(as.staff, wish.path, 'ask', plain)).json;
  });
  const roles = (over) => ({ admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, unit: 404, member: 404,
    memberElsewhere: 404, memberWaiting: 404, resident: 200, anon: 401, ...over });

  test('a need\'s photo and thumbnail: staff in scope and the resident who posted it', async () => {
    await matrix(as, roles(), (who) => who.get(photo.url), 'GET need photo');
    await matrix(as, roles(), (who) => who.get(photo.thumb_url), 'GET need thumb');
  });
  test('adding an ask photo to a need: staff who run it and the resident; others 404 out of sight', async () => {
    const was = rows();
    await matrix(as, roles({ admin: 201, org: 201, staff: 201, resident: 201 }),
      async (who) => {
        const r = await upload(who, need, 'ask', plain);
        if (r.status === 201) await as.staff.req('DELETE', r.json.url);
        return r;
      }, 'POST need photo');
    assert.equal(rows(), was);
  });
  test('removing a need\'s ask photo: the same people', async () => {
    await matrix(as, roles({ admin: 204, org: 204, staff: 204, resident: 204 }), async (who) => {
      const r = await who.req('DELETE', photo.url);
      if (r.status === 204) photo = (await upload(as.resident, need, 'ask', plain)).json;
      return r;
    }, 'DELETE need photo');
  });
  test('a wish\'s ask photo: staff in scope and the beneficiary (and, once published, members of the city)', async () => {
    await matrix(as, roles(), (who) => who.get(wishPhoto.url), 'GET wish photo, submitted');
    await matrix(as, roles({ admin: 409, org: 409, staff: 409, resident: 403 }), (who) => upload(who, wish.path, 'ask', plain),
      'POST wish photo (it has its one: 409 for who may add, 403 for the beneficiary)');
    await step(as.staff, wish.path, 'approve');
    await step(as.staff, wish.path, 'publish');
    await matrix(as, roles({ member: 200, memberElsewhere: 200 }), (who) => who.get(wishPhoto.thumb_url),
      'GET wish thumb, published: members of the city (they may claim it); not a unit with no agreement with the community');
    await matrix(as, roles({ admin: 403, org: 403, staff: 403, resident: 403 }),
      (who) => upload(who, wish.path, 'done', plain), 'POST a done photo to an unclaimed wish: nobody claimed it (members: not theirs to read in full)');
  });
});

test('each route, spelled out: add, read, thumbnail, remove; for needs and for wishes', async () => {
  const n = (await as.staff.get((await postedNeed()))).json.id;
  const add = await as.resident.req('POST', `/api/v1/needs/${n}/photos?stage=ask`, plain, { 'Content-Type': 'image/jpeg' });
  assert.equal(add.status, 201, add.text);
  const p = add.json.id;
  assert.equal((await as.staff.get(`/api/v1/needs/${n}/photos/${p}`)).status, 200);
  assert.equal((await as.staff.get(`/api/v1/needs/${n}/photos/${p}/thumb`)).status, 200);
  assert.equal((await as.resident.req('DELETE', `/api/v1/needs/${n}/photos/${p}`)).status, 204);
  assertProblem(await as.staff.get(`/api/v1/needs/${n}/photos/${p}`), 404, 'not_found', 'removed');
  const w = (await newWish()).id;
  const wadd = await as.staff.req('POST', `/api/v1/wishes/${w}/photos?stage=ask`, plain, { 'Content-Type': 'image/jpeg' });
  assert.equal(wadd.status, 201, wadd.text);
  const q = wadd.json.id;
  assert.equal((await as.resident.get(`/api/v1/wishes/${w}/photos/${q}`)).status, 200, 'the beneficiary');
  assert.equal((await as.resident.get(`/api/v1/wishes/${w}/photos/${q}/thumb`)).status, 200);
  assertProblem(await as.anon.get(`/api/v1/public/wishes/${w}/photos/${q}/thumb`), 404, 'not_found', 'not on the wall yet');
  assert.equal((await as.staff.req('DELETE', `/api/v1/wishes/${w}/photos/${q}`)).status, 204);
  assertProblem(await as.staff.get(`/api/v1/wishes/${w}/photos/${q}/thumb`), 404, 'not_found', 'removed');
});
