// care-visits.test.mjs: what a visit (走访) carries beyond its log (issue #13): photos only with the person's consent,
// seen by the community's staff, the visit's author and the paired members only (404 for everyone else); a need or
// a micro-wish made of what was found, in one tap, linked both ways; the register's .xlsx export without sensitive
// columns unless asked for with a reason, and audited as care.export
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, dbQuery } from '../lib/server.mjs';
import { unzip } from '../lib/zip.mjs';
import { assertProblem, assertFieldError, assertCleanLog, rawExchange, SHILIUQIAO, FEIE } from './helpers.mjs';
import { everyone, matrix, reportedMember, wide } from './serving-people.mjs';
import { png, jpegSegments, withGps, assertNoMetadata } from './images.mjs';

const T0 = Date.UTC(2026, 2, 2, 2, 0, 0) / 1000; // 2026-03-02 10:00 in China
let srv, as, memberId, mate, neighbour, e, other, g02;

const entry = (over = {}) => ({
  community_code: SHILIUQIAO, name: '张三丰', phone: '13800138000', address: '石榴桥路 8 号 301',
  categories: ['empty_nest', 'serious_illness'], basis: 'consent', consented_on: '2026-03-01',
  help_what: '每周买菜、陪同就医', health_note: '冠心病，每日服药', ...over,
});
const add = async (over = {}, by = as.staff) => {
  const r = await by.post('/api/v1/care', entry(over));
  assert.equal(r.status, 201, r.text);
  return r.json;
};
const pair = async (careId, mId) => {
  const r = await as.staff.post(`/api/v1/care/${careId}/pairings`, { member_id: mId });
  assert.equal(r.status, 201, r.text);
};
// A visit to entry careId by who, made a minute later than the last so that no two records overlap.
let minutes = 0;
const visit = async (who, careId, over = {}) => {
  minutes += 40;
  const r = await who.post(`/api/v1/care/${careId}/visits`, { how: 'home', minutes: 30, visited_at: T0 - 80 * 86400 + minutes * 60,
    ...over });
  assert.equal(r.status, 201, r.text);
  return r.json;
};
const upload = (who, visitId, bytes, type = 'image/jpeg') =>
  who.req('POST', `/api/v1/visits/${visitId}/photos`, bytes, { 'Content-Type': type });
const raw = async (who, path, body, method = 'POST') => {
  const headers = who?.cookie ? { Cookie: who.cookie } : {};
  const init = body === undefined ? { headers }
    : { method, headers: { ...headers, 'X-Requested-With': 'baodao', 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
  const r = await fetch(srv.url + path, init);
  const bytes = Buffer.from(await r.arrayBuffer());
  let json = null;
  try { json = JSON.parse(bytes.toString()); } catch { /* an image, a workbook */ }
  return { status: r.status, headers: r.headers, bytes, text: bytes.toString(), json };
};
const photoRows = () => Number(dbQuery(srv.db, 'SELECT COUNT(*) FROM visit_photos'));
const madeRows = () => Number(dbQuery(srv.db, 'SELECT COUNT(*) FROM visit_lists'));
const files = () => {
  const dir = join(srv.dir, 'photos');
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.jpg')).length : 0;
};
const auditOf = async (action) => (await as.admin.get(`/api/v1/audit?action=${action}&per_page=100`)).json.items
  .filter((a) => a.outcome === 'ok');
// The text of every part of a workbook (its cells may be inline or shared strings).
const sheetText = (body) => Object.values(unzip(body)).map((b) => b.toString()).join('\n');

before(async () => {
  srv = await startServer({ clock: T0 });
  ({ as, memberId } = await everyone(srv));
  mate = await reportedMember(srv, 'v_mate', SHILIUQIAO, as.staff);
  neighbour = await reportedMember(srv, 'v_neighbour', SHILIUQIAO, as.staff);
  e = await add({ name: '赵六' });
  other = await add({ name: '钱七', address: '石榴桥路 2 号 101' });
  await pair(e.id, memberId);
  await pair(e.id, mate.id);
  await pair(other.id, neighbour.id);
  g02 = (await as.staff.get(`/api/v1/catalog?region=${SHILIUQIAO}`)).json.items.find((i) => i.code === 'G02').id;
});
after(async () => {
  await srv?.stop();
  assertCleanLog(srv.log());
});

describe('photos of a visit, only with consent', () => {
  test('the author adds photos to a visit with consent: stored without metadata, shown on the visit, audited', async () => {
    const v = await visit(as.member, e.id, { photo_consent: true });
    assert.equal(v.photo_consent, true);
    const p = await upload(as.member, v.id, png(64, 32), 'image/png');
    assert.equal(p.status, 201, p.text);
    assert.deepEqual([p.json.width, p.json.height, p.json.url, p.json.thumb_url],
      [64, 32, `/api/v1/visits/${v.id}/photos/${p.json.id}`, `/api/v1/visits/${v.id}/photos/${p.json.id}/thumb`]);
    const stored = await raw(as.staff, p.json.url);
    assert.equal(stored.status, 200);
    assert.equal(stored.headers.get('content-type'), 'image/jpeg');
    assert.equal(stored.headers.get('cache-control'), 'private, max-age=3600');
    assertNoMetadata(stored.bytes, 'the photo');
    const gps = await upload(as.staff, v.id, withGps(stored.bytes));
    assert.equal(gps.status, 201, gps.text);
    assertNoMetadata((await raw(as.staff, gps.json.url)).bytes, 'a phone photo with GPS, stored');
    assertNoMetadata((await raw(as.staff, gps.json.thumb_url)).bytes, 'its thumbnail');
    const big = await upload(as.member, v.id, png(1000, 500), 'image/png');
    assert.equal(big.status, 201, big.text);
    const thumb = jpegSegments((await raw(as.member, big.json.thumb_url)).bytes);
    assert.deepEqual([thumb.width, thumb.height], [320, 160]);
    const full = assertProblem(await upload(as.member, v.id, stored.bytes), 409, 'conflict', 'the 4th photo');
    assert.equal(full.errors[0].field, 'file');
    const seen = await as.member.get(`/api/v1/visits/${v.id}`);
    assert.equal(seen.status, 200, seen.text);
    assert.deepEqual(seen.json.photos.map((x) => x.id), [p.json.id, gps.json.id, big.json.id]);
    assert.deepEqual([seen.json.care_name_masked, seen.json.may_change, seen.json.photo_consent], ['赵*', true, true]);
    const audit = (await auditOf('visit.photo')).filter((a) => a.target_id === String(v.id));
    assert.deepEqual([audit.length, audit[0].target_type], [3, 'visit']);
  });

  test('without consent no photo is taken: 422 naming photo_consent, nothing stored', async () => {
    const v = await visit(as.member, e.id);
    assert.equal(v.photo_consent, false, 'consent is never assumed');
    const s = await visit(as.staff, other.id, { photo_consent: false });
    const was = [photoRows(), files()];
    for (const [who, id] of [[as.member, v.id], [as.staff, s.id]])
      assertFieldError(await upload(who, id, png(64, 32), 'image/png'), 'photo_consent', 'required');
    assert.deepEqual([photoRows(), files()], was);
    assertFieldError(await as.member.post(`/api/v1/care/${e.id}/visits`, { how: 'home', photo_consent: 'yes' }), 'photo_consent');
  });

  test('who sees them: staff of the community, the author and the paired members; everyone else 404', async () => {
    const v = await visit(as.member, e.id, { photo_consent: true });
    const p = (await upload(as.member, v.id, png(64, 32), 'image/png')).json;
    const look = { ...Object.fromEntries(['org', 'org2', 'staff2', 'unit', 'memberElsewhere', 'memberWaiting', 'resident'].map((r) => [r, 404])),
      admin: 200, staff: 200, member: 200, anon: 401 };
    await matrix(as, look, (c) => c.get(`/api/v1/visits/${v.id}`), 'read the visit');
    await matrix(as, look, (c) => raw(c, p.url), 'the photo');
    await matrix(as, look, (c) => raw(c, p.thumb_url), 'the thumbnail');
    const m = await mate.client.get(`/api/v1/visits/${v.id}`);
    assert.deepEqual([m.status, m.json?.may_change], [200, false], 'a member paired with the same person reads it');
    assert.equal((await raw(mate.client, p.url)).status, 200);
    for (const path of [`/api/v1/visits/${v.id}`, p.url, p.thumb_url])
      assertProblem(await neighbour.client.get(path), 404, 'not_found', `paired with another household: ${path}`);
    // The unit learns only that its member visited (the record), never whom nor any photo.
    assertProblem(await as.unit.get(`/api/v1/visits/${v.id}`), 404, 'not_found');
  });

  test('removing: the author or staff; a paired member who did not take it may not; audited', async () => {
    const v = await visit(as.member, e.id, { photo_consent: true });
    const a = (await upload(as.member, v.id, png(64, 32), 'image/png')).json;
    const b = (await upload(as.member, v.id, png(64, 32), 'image/png')).json;
    assertProblem(await upload(mate.client, v.id, png(64, 32), 'image/png'), 403, 'forbidden', 'a paired member only reads');
    assertProblem(await mate.client.del(a.url), 403, 'forbidden');
    for (const c of [as.staff2, as.unit, as.memberElsewhere, neighbour.client, as.resident])
      assertProblem(await c.del(a.url), 404, 'not_found');
    const was = files();
    assert.equal((await as.member.req('DELETE', `/api/v1/visits/${v.id}/photos/${a.id}`)).status, 204);
    assert.equal((await as.staff.del(b.url)).status, 204);
    assert.equal(files(), was - 4, 'each photo and its thumbnail gone');
    assertProblem(await as.member.del(a.url), 404, 'not_found', 'gone already');
    assert.equal((await raw(as.staff, a.url)).status, 404);
    const audit = (await auditOf('visit.photo_remove')).filter((x) => x.target_id === String(v.id));
    assert.deepEqual(audit.map((x) => x.detail).sort(), [String(a.id), String(b.id)].sort());
  });

  test('hostile: bad ids, non-images, broken and huge images; nothing stored', async () => {
    const v = await visit(as.member, e.id, { photo_consent: true });
    const ok = (await upload(as.member, v.id, png(64, 32), 'image/png')).json;
    const jpeg = (await raw(as.member, ok.url)).bytes;
    const was = [photoRows(), files()];
    for (const [name, body, status, code, field] of [
      ['an HTML page', Buffer.from('<!DOCTYPE html><script>alert(1)</script>'), 415, 'unsupported_media_type', 'type'],
      ['an empty body', Buffer.alloc(0), 422, 'validation', 'required'],
      ['a truncated JPEG', jpeg.subarray(0, jpeg.length >> 1), 422, 'validation', 'format'],
      ['a 20,000 × 20,000 PNG', png(20000, 20000, Buffer.alloc(16)), 422, 'validation', 'too_large'],
    ]) {
      const p = assertProblem(await upload(as.member, v.id, body), status, code, name);
      assert.deepEqual([p.errors?.[0]?.field, p.errors?.[0]?.code], ['file', field], name);
    }
    assert.deepEqual([photoRows(), files()], was, 'nothing stored');
    for (const id of ['0', 'abc', '99999999', '-1', '1e3']) {
      assertProblem(await as.staff.get(`/api/v1/visits/${id}`), 404, 'not_found', id);
      assertProblem(await as.staff.post(`/api/v1/visits/${id}/need`, { item_id: g02, description: '修门' }), 404, 'not_found', id);
      assertProblem(await as.staff.post(`/api/v1/visits/${id}/wish`, { title: '棉被', consent: true }), 404, 'not_found', id);
      assertProblem(await upload(as.staff, id, png(8, 8), 'image/png'), 404, 'not_found', id);
    }
    const host = new URL(srv.url).host;
    const res = await rawExchange(srv.url, `POST /api/v1/visits/${v.id}/photos HTTP/1.1\r\nHost: ${host}\r\nCookie: ${as.member.cookie}\r\n` +
      `X-Requested-With: baodao\r\nContent-Type: image/jpeg\r\nContent-Length: ${(5 << 20) + 1}\r\n\r\n\xff\xd8\xff`, { probe: false });
    assert.equal(res.statuses[0], 413, 'more than 5 MB is refused as soon as it is announced');
    for (const pid of ['0', 'abc', '99999999'])
      assertProblem(await as.staff.get(`/api/v1/visits/${v.id}/photos/${pid}`), 404, 'not_found', pid);
    const elsewhere = await visit(as.member, e.id, { photo_consent: true });
    assertProblem(await as.staff.get(`/api/v1/visits/${elsewhere.id}/photos/${ok.id}`), 404, 'not_found', 'a photo of another visit');
    assertProblem(await as.staff.del(`/api/v1/visits/${elsewhere.id}/photos/${ok.id}`), 404, 'not_found');
  });
});

describe('a need or a micro-wish made of what a visit found', () => {
  test('the author makes a need: in the visit\'s community, contact from the entry, linked both ways, audited', async () => {
    const v = await visit(as.member, e.id, { needs: '水龙头漏水' });
    const r = await as.member.post(`/api/v1/visits/${v.id}/need`, { item_id: g02, description: wide(300), urgency: 'urgent' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.made.length, 1);
    const made = r.json.made[0];
    assert.deepEqual([made.kind, made.state, made.title], ['need', 'submitted', wide(300)]);
    const n = await as.staff.get(`/api/v1/needs/${made.id}`);
    assert.equal(n.status, 200, n.text);
    assert.deepEqual([n.json.community_code, n.json.channel, n.json.urgency, n.json.contact_name, n.json.contact_phone, n.json.visit_id],
      [SHILIUQIAO, 'visit', 'urgent', '赵六', '13800138000', v.id]);
    const audit = (await auditOf('visit.need')).filter((a) => a.target_id === String(v.id));
    assert.deepEqual([audit.length, audit[0].target_type, audit[0].detail], [1, 'visit', `need ${made.id}`]);
    assert.ok((await auditOf('need.submit')).some((a) => a.target_id === String(made.id)), 'the need\'s own history too');
    assert.deepEqual((await as.member.get(`/api/v1/visits/${v.id}`)).json.made.map((x) => x.id), [made.id], 'the visit shows it');
  });

  test('staff make a micro-wish: submitted for approval, with the person\'s consent; the wish shows its visit', async () => {
    const v = await visit(as.member, e.id, { needs: '想要一副老花镜' });
    assertFieldError(await as.staff.post(`/api/v1/visits/${v.id}/wish`, { title: '老花镜', consent: false }), 'consent', 'required');
    const r = await as.staff.post(`/api/v1/visits/${v.id}/wish`, { title: wide(50), description: wide(300), value_cap: 200, consent: true });
    assert.equal(r.status, 201, r.text);
    const made = r.json.made[0];
    assert.deepEqual([made.kind, made.state, made.title], ['wish', 'submitted', wide(50)]);
    const w = await as.staff.get(`/api/v1/wishes/${made.id}`);
    assert.equal(w.status, 200, w.text);
    assert.deepEqual([w.json.community_code, w.json.beneficiary_name, w.json.state, w.json.visit_id, w.json.value_cap],
      [SHILIUQIAO, '赵六', 'submitted', v.id, 200]);
    assert.equal((await auditOf('visit.wish')).filter((a) => a.target_id === String(v.id)).length, 1);
    assert.ok((await auditOf('wish.create')).some((a) => a.target_id === String(made.id)));
  });

  test('a name over the need\'s or wish\'s limit must be given, at most 20 characters (4-byte ones too)', async () => {
    const long = await add({ name: wide(50) });
    const v = await visit(as.staff, long.id);
    assertFieldError(await as.staff.post(`/api/v1/visits/${v.id}/need`, { item_id: g02, description: '修门' }), 'contact_name', 'required');
    assertFieldError(await as.staff.post(`/api/v1/visits/${v.id}/wish`, { title: '棉被', consent: true }), 'beneficiary_name', 'required');
    const n = await as.staff.post(`/api/v1/visits/${v.id}/need`, { item_id: g02, description: '修门', contact_name: wide(20) });
    assert.equal(n.status, 201, n.text);
    assert.equal((await as.staff.get(`/api/v1/needs/${n.json.made[0].id}`)).json.contact_name, wide(20));
    const w = await as.staff.post(`/api/v1/visits/${v.id}/wish`, { title: '棉被', consent: true, beneficiary_name: wide(20) });
    assert.equal(w.status, 201, w.text);
    assert.equal((await as.staff.get(`/api/v1/wishes/${w.json.made[0].id}`)).json.beneficiary_name, wide(20));
    const nophone = await add({ name: '孙八', phone: '' });
    const v2 = await visit(as.staff, nophone.id);
    assertFieldError(await as.staff.post(`/api/v1/visits/${v2.id}/need`, { item_id: g02, description: '修门' }), 'contact_phone', 'required');
  });

  test('bad input names the field and writes nothing', async () => {
    const v = await visit(as.member, e.id);
    const was = [madeRows(), (await auditOf('visit.need')).length];
    for (const [body, field] of [[{ description: '修' }, 'item_id'], [{ item_id: g02 }, 'description'],
      [{ item_id: 99999999, description: '修' }, 'item_id'], [{ item_id: 'x', description: '修' }, 'item_id'],
      [{ item_id: g02, description: wide(301) }, 'description'], [{ item_id: g02, description: '修', urgency: 'now' }, 'urgency'],
      [{ item_id: g02, description: '修', contact_name: wide(21) }, 'contact_name'],
      [{ item_id: g02, description: '修', contact_phone: '123' }, 'contact_phone'], [{ item_id: g02, description: '修', extra: 1 }, 'extra']])
      assertFieldError(await as.member.post(`/api/v1/visits/${v.id}/need`, body), field, undefined, JSON.stringify(body));
    for (const [body, field] of [[{ consent: true }, 'title'], [{ title: wide(51), consent: true }, 'title'], [{ title: '棉被' }, 'consent'],
      [{ title: '棉被', consent: true, value_cap: 10001 }, 'value_cap'], [{ title: '棉被', consent: true, description: wide(301) }, 'description'],
      [{ title: '棉被', consent: true, beneficiary_name: wide(21) }, 'beneficiary_name']])
      assertFieldError(await as.member.post(`/api/v1/visits/${v.id}/wish`, body), field, undefined, JSON.stringify(body));
    assertProblem(await as.member.post(`/api/v1/visits/${v.id}/need`, 'not json'), 400);
    assert.deepEqual([madeRows(), (await auditOf('visit.need')).length], was, 'nothing written, nothing audited');
  });

  test('only staff of the community or the visit\'s author; elsewhere it does not exist', async () => {
    const v = await visit(as.member, e.id);
    const deny = { org: 404, org2: 404, staff2: 404, unit: 404, memberElsewhere: 404, memberWaiting: 404, resident: 404, anon: 401 };
    await matrix(as, { ...deny, admin: 201, staff: 201, member: 201 },
      (c) => c.post(`/api/v1/visits/${v.id}/need`, { item_id: g02, description: '帮忙修门' }), 'a need');
    await matrix(as, { ...deny, admin: 201, staff: 201, member: 201 },
      (c) => c.post(`/api/v1/visits/${v.id}/wish`, { title: '一袋米', consent: true }), 'a wish');
    assertProblem(await mate.client.post(`/api/v1/visits/${v.id}/need`, { item_id: g02, description: '帮忙修门' }), 403, 'forbidden',
      'a paired member who did not log it');
    assertProblem(await neighbour.client.post(`/api/v1/visits/${v.id}/wish`, { title: '一袋米', consent: true }), 404, 'not_found');
    assert.equal((await as.staff.get(`/api/v1/visits/${v.id}`)).json.made.length, 6);
    // A visit of another community is nobody's here.
    const f = await add({ community_code: FEIE, name: '飞鹅某' }, as.staff2);
    const fv = await visit(as.staff2, f.id);
    assertProblem(await as.staff.post(`/api/v1/visits/${fv.id}/need`, { item_id: g02, description: '修门' }), 404, 'not_found');
    assertProblem(await as.staff.post(`/api/v1/visits/${fv.id}/wish`, { title: '一袋米', consent: true }), 404, 'not_found');
    assertProblem(await as.staff.get(`/api/v1/visits/${fv.id}`), 404, 'not_found');
    assertProblem(await as.staff.post(`/api/v1/visits/${fv.id}/photos`, png(8, 8), { 'Content-Type': 'image/png' }), 404, 'not_found');
  });
});

describe('the register as .xlsx', () => {
  const book = (who, body = {}, code = SHILIUQIAO) => raw(who, `/api/v1/communities/${code}/care/export`, body, 'POST');

  test('by default: names and addresses for staff; no category, health or disability, the phone masked; audited', async () => {
    const before = (await auditOf('care.export')).length;
    const r = await book(as.staff);
    assert.equal(r.status, 200, r.text.slice(0, 300));
    assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.match(r.headers.get('content-disposition'), new RegExp(`care-${SHILIUQIAO}.xlsx`));
    const text = sheetText(r.bytes);
    for (const s of ['赵六', '钱七', '石榴桥路 2 号 101', '138****8000', '每周买菜', '姓名', '下次应访']) assert.ok(text.includes(s), s);
    for (const s of ['帮扶类别', '重病', '独居', '冠心病', '健康', '13800138000', 'serious_illness'])
      assert.ok(!text.includes(s), `never without asking: ${s}`);
    const audit = await auditOf('care.export');
    assert.equal(audit.length, before + 1);
    assert.deepEqual([audit[0].target_type, audit[0].target_id, audit[0].detail], ['region', SHILIUQIAO, '']);
  });

  test('sensitive columns with a reason, audited with it; without one refused naming reason', async () => {
    const before = (await auditOf('care.export')).length;
    for (const [body, code] of [[{ sensitive: true }, 'required'], [{ sensitive: true, reason: '' }, 'too_short'],
      [{ sensitive: true, reason: '看' }, 'too_short'], [{ sensitive: true, reason: wide(101) }, 'too_long'],
      [{ reason: '检查计划' }, 'unexpected'], [{ sensitive: false, reason: '检查计划' }, 'unexpected'], [{ sensitive: true, reason: 5 }, 'type']])
      assertFieldError(await book(as.staff, body), 'reason', code, JSON.stringify(body));
    for (const body of [{ sensitive: 'yes', reason: '核对' }, { sensitive: 1, reason: '核对' }])
      assertFieldError(await book(as.staff, body), 'sensitive', undefined, JSON.stringify(body));
    assertFieldError(await book(as.staff, { extra: 1 }), 'extra');
    assert.equal((await auditOf('care.export')).length, before, 'a refused export leaves nothing and shows nothing');
    const r = await book(as.staff, { sensitive: true, reason: wide(100) });
    assert.equal(r.status, 200, r.text.slice(0, 300));
    assert.match(r.headers.get('content-disposition'), /-sensitive\.xlsx/);
    const text = sheetText(r.bytes);
    for (const s of ['帮扶类别', '独居/空巢老人、重病', '冠心病，每日服药', '13800138000', '赵六']) assert.ok(text.includes(s), s);
    const audit = await auditOf('care.export');
    assert.deepEqual([audit.length, audit[0].detail], [before + 1, wide(100)]);
  });

  test('the community\'s staff and the administrator only; elsewhere nothing exists', async () => {
    const deny = { org: 403, org2: 403, unit: 403, member: 403, memberElsewhere: 403, memberWaiting: 403, resident: 403, anon: 401 };
    await matrix(as, { ...deny, admin: 200, staff: 200, staff2: 404 }, (c) => book(c), 'export');
    await matrix(as, { ...deny, admin: 200, staff: 200, staff2: 404 }, (c) => book(c, { sensitive: true, reason: '核对名单' }),
      'export with the sensitive columns');
    for (const code of [FEIE, '440111002000', '4401110020x1'])
      assertProblem(await book(as.staff, {}, code), 404, 'not_found', code);
    const text = sheetText((await book(as.staff2, {}, FEIE)).bytes);
    assert.ok(text.includes('飞鹅某') && !text.includes('赵六'), 'the next community\'s staff export their own register only');
  });
});
