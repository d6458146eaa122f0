// duty_qr.test.mjs: QR check-in at a duty shift: the shift's rotating code and its poster (staff), a member's scan
// (POST /me/shifts/check-in) setting the state staff's check-in sets and closing into the same record; codes of
// other shifts, of activities, old, forged or outside the window refused; who may do what; nothing changed by a refusal
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { assertProblem, assertFieldError, assertCleanLog, loginAs, SHILIUQIAO } from './helpers.mjs';
import { everyone, matrix, reportedMember } from './serving-people.mjs';
import { createActivity, itemId } from './activity-fixture.mjs';

const H = 3600;
const D = 86400;
const MON = 1796572800; // 2026-12-07 00:00 China time, a Monday
const at = (day, hour, min = 0, sec = 0) => MON + day * D + hour * H + min * 60 + sec;

let srv, as, memberId, item, post, mon, tue, other, people = {};
const clock = (t) => srv.setClock(t);
// Sessions idle out after a day: the next morning, everyone signs in again.
const LOGINS = { admin: 'admin', org: 'org', org2: 'org2', staff: 'staff', staff2: 'staff2', unit: 'unit', resident: 'resident',
  member: 'm_here', memberElsewhere: 'm_there', memberWaiting: 'member' };
async function nextMorning(t) {
  clock(t);
  for (const [role, login] of Object.entries(LOGINS)) as[role] = await loginAs(srv, login);
  for (const k of Object.keys(people)) people[k].client = await loginAs(srv, `dqr_${k}`);
}
const code = async (id = mon.id, kind = 'screen') => (await as.staff.get(`/api/v1/duty-shifts/${id}/code?kind=${kind}`)).json;
const scan = (who, token) => who.post('/api/v1/me/shifts/check-in', { token });
const placeOf = async (shiftId, member) => (await as.staff.get(`/api/v1/duty-shifts/${shiftId}`)).json.people.find((x) => x.member_id === member);
const week = async () => (await as.staff.get(`/api/v1/communities/${SHILIUQIAO}/duty?week=2026-12-07`)).json;

before(async () => {
  srv = await startServer({ clock: at(0, 6), idle: D, max: 7 * D });
  ({ as, memberId } = await everyone(srv));
  const listed = (await as.staff.get(`/api/v1/catalog?region=${SHILIUQIAO}`)).json.items;
  item = listed.find((i) => i.category === 'post' && !(i.fields ?? []).length);
  assert.ok(item, 'a post item without extra fields');
  for (const name of ['a', 'b']) people[name] = await reportedMember(srv, `dqr_${name}`, SHILIUQIAO, as.staff);
  post = (await as.staff.post(`/api/v1/communities/${SHILIUQIAO}/duty-posts`, { name: '门岗', place: '石榴桥路 1 号大门', item_id: item.id })).json;
  const made = await as.staff.post(`/api/v1/duty-posts/${post.id}/shifts`, { from: '2026-12-07', to: '2026-12-08', weekdays: [1, 2],
    start: 480, end: 720, places: 3 });
  assert.deepEqual(made.json, { added: 2, kept: 0 });
  [mon, tue] = (await week()).posts.find((p) => p.id === post.id).shifts;
  assert.deepEqual([mon.day, tue.day], ['2026-12-07', '2026-12-08']);
  // The member signs up for Monday; b is assigned by staff; a holds a place on Tuesday only.
  assert.equal((await as.member.post(`/api/v1/duty-shifts/${mon.id}/signup`)).status, 201);
  assert.equal((await as.staff.post(`/api/v1/duty-shifts/${mon.id}/assign`, { member_id: people.b.id })).status, 201);
  assert.equal((await people.a.client.post(`/api/v1/duty-shifts/${tue.id}/signup`)).status, 201);
  // An activity of the same community at the same time, whose code must not check anyone in to a shift.
  other = await createActivity(as.staff, { env: itemId(srv, 'A01') }, { starts_at: at(0, 8), ends_at: at(0, 10), publish: true });
});
after(async () => {
  await srv?.stop();
  assertCleanLog(srv.log());
});

describe('the shift\'s code', () => {
  test('before the window a genuine code is refused: too early; nothing changes', async () => {
    clock(at(0, 7, 29));
    const r = await scan(as.member, (await code()).code);
    assertFieldError(r, 'token', 'too_early');
    assert.match(r.json.errors.find((e) => e.field === 'token').message, /开始前 30 分钟/);
    assert.equal((await placeOf(mon.id, memberId)).state, 'signed');
  });

  test('a code of this 30-second slot, the mobile page\'s address, its QR, when it changes, when codes work', async () => {
    clock(at(0, 7, 35, 7));
    const c = await code();
    assert.equal(c.kind, 'screen');
    assert.match(c.code, new RegExp(`^S${mon.id}\\.r\\d+\\.[0-9a-f]{32}$`));
    assert.equal(c.url, `${srv.url}/m/shifts/checkin?code=${c.code}`);
    assert.match(c.svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 \d+ \d+"/);
    assert.deepEqual([c.refresh_at - c.valid_from, c.valid_until - c.valid_from], [30, 59]);
    assert.ok(c.valid_from <= at(0, 7, 35, 7) && at(0, 7, 35, 7) < c.refresh_at);
    assert.deepEqual(c.window, { opens_at: at(0, 7, 30), closes_at: at(0, 12) });
    assert.deepEqual([c.server_time, c.shift.id, c.shift.post_name], [at(0, 7, 35, 7), mon.id, '门岗']);
    clock(at(0, 7, 35, 37));
    assert.notEqual((await code()).code, c.code, 'a new code in the next slot');
    const p = await code(mon.id, 'poster');
    assert.deepEqual([p.kind, p.refresh_at, p.valid_from, p.valid_until], ['poster', null, at(0, 7, 30), at(0, 12)]);
    assert.match(p.code, new RegExp(`^S${mon.id}\\.p${at(0, 8)}\\.`));
    assertProblem(await as.staff.get(`/api/v1/duty-shifts/${mon.id}/code?kind=tv`), 400, 'bad_query');
  });

  test('the printable poster: the post, the day, the window, a QR code', async () => {
    const r = await as.staff.get(`/api/v1/duty-shifts/${mon.id}/poster.svg`);
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type'), /^image\/svg\+xml/);
    for (const s of ['值班扫码签到', '门岗', '2026-12-07 08:00–12:00', '签到时间：07:30 至 12:00', '地点：石榴桥路 1 号大门'])
      assert.ok(r.text.includes(s), s);
    assert.match(r.text, /<svg [^>]*viewBox="0 0 \d+ \d+"/, 'the nested QR code');
  });
});

describe('a member scans', () => {
  test('the member on the shift is checked in with one scan; again: already, the first time counts; audited', async () => {
    clock(at(0, 7, 40));
    const c = (await code()).code;
    const r = await scan(as.member, c);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.json.already, r.json.message, r.json.assignment.state, r.json.assignment.checked_in_at, r.json.shift.id],
      [false, '值班签到成功', 'checked_in', at(0, 7, 40), mon.id]);
    clock(at(0, 7, 40, 20));
    const again = await scan(as.member, c);
    assert.deepEqual([again.status, again.json.already, again.json.assignment.checked_in_at], [200, true, at(0, 7, 40)]);
    const place = await placeOf(mon.id, memberId);
    assert.deepEqual([place.state, place.checked_in_at], ['checked_in', at(0, 7, 40)], 'the state staff\'s check-in sets');
    const audit = (await as.admin.get('/api/v1/audit?action=duty.checkin_qr')).json.items;
    assert.equal(audit.filter((e) => e.target_id === String(place.id)).length, 1, 'audited once');
    // Two scans at the same moment by b: one check-in.
    const both = await Promise.all([scan(people.b.client, c), scan(people.b.client, c)]);
    assert.deepEqual(both.map((x) => x.status), [200, 200]);
    assert.deepEqual(both.map((x) => x.json.already).sort(), [false, true]);
    const bPlace = await placeOf(mon.id, people.b.id);
    assert.equal((await as.admin.get('/api/v1/audit?action=duty.checkin_qr')).json.items.filter((e) => e.target_id === String(bPlace.id)).length, 1);
    // Staff's check-in after a scan: already, the scan's time stands.
    const staffTick = await as.staff.post(`/api/v1/duty-assignments/${place.id}/checkin`);
    assert.deepEqual([staffTick.status, staffTick.json.checked_in_at], [200, at(0, 7, 40)]);
  });

  test('a member not on the shift, of another community, or not yet approved: refused in words; nothing written', async () => {
    clock(at(0, 8, 5));
    const c = (await code()).code;
    for (const who of [people.a.client, as.memberElsewhere, as.memberWaiting]) {
      const r = await scan(who, c);
      assertProblem(r, 409, 'not_on_shift');
      assert.match(r.json.title, /不在这个班次的值班名单上/);
    }
    assert.equal((await placeOf(tue.id, people.a.id)).state, 'signed', 'a\'s place on Tuesday untouched');
    assert.deepEqual((await as.staff.get(`/api/v1/duty-shifts/${mon.id}`)).json.people.map((x) => x.member_id).sort(), [memberId, people.b.id].sort());
  });

  test('hostile codes: an old one (a photo), another shift\'s, an activity\'s, forged, relabelled, junk; nothing changes', async () => {
    clock(at(0, 8, 10));
    const before = await placeOf(tue.id, people.a.id);
    const old = (await code()).code;
    clock(at(0, 8, 11, 1));
    assertFieldError(await scan(as.member, old), 'token', 'expired', 'a photo of the code a minute later');
    assertFieldError(await scan(people.a.client, old), 'token', 'expired', 'judged before who scans');
    const good = (await code()).code;
    // Tuesday's genuine code on Monday: too early (and never a's Monday); the activity's code, either way round.
    assertFieldError(await scan(people.a.client, (await code(tue.id)).code), 'token', 'too_early');
    const act = (await as.staff.get(`/api/v1/activities/${other.id}/checkin-code`)).json.code;
    assert.match(act, /^A\d+\.r/);
    assertFieldError(await scan(people.a.client, act), 'token', 'other_subject', 'an activity\'s code');
    assertFieldError(await scan(people.b.client, act), 'token', 'other_subject', 'even for a member of the shift');
    assertFieldError(await as.member.post(`/api/v1/activities/${other.id}/checkin`, { code: good }), 'code', 'other_subject');
    // Altered codes.
    assertFieldError(await scan(people.a.client, good.replace(/^S\d+/, `S${tue.id}`)), 'token', 'forged', 'another shift\'s id, same signature');
    assertFieldError(await scan(people.a.client, good.replace(/^S/, 'A')), 'token', 'forged', 'relabelled as an activity\'s');
    assertFieldError(await scan(people.a.client, good.replace('.r', '.p')), 'token', 'forged', 'a screen\'s code made a poster\'s');
    const flipped = good.slice(0, -1) + (good.endsWith('0') ? '1' : '0');
    for (const token of [flipped, good.slice(0, -1), `${good}0`, good.toUpperCase(), 'S1.r1.00000000000000000000000000000000', 'hello', 'S',
      `S${mon.id}.r${'9'.repeat(19)}.00000000000000000000000000000000`])
      assertFieldError(await scan(people.a.client, token), 'token', 'forged', JSON.stringify(token));
    for (const body of [{}, { token: '' }, { token: ' ' }, { token: 5 }, { token: ['x'] }, { token: null }, { token: 'x'.repeat(72) }, { token: '𠀀'.repeat(72) },
      { token: good, extra: 1 }])
      assertFieldError(await people.a.client.post('/api/v1/me/shifts/check-in', body), 'extra' in body ? 'extra' : 'token', undefined, JSON.stringify(body));
    assertProblem(await people.a.client.post('/api/v1/me/shifts/check-in', 'not json'), 400);
    assert.deepEqual(await placeOf(tue.id, people.a.id), before, 'nothing changed');
    assert.equal((await as.admin.get('/api/v1/audit?action=duty.checkin_qr')).json.items.length, 2, 'only the two check-ins audited');
  });

  test('closing after the end makes the scanned places pending records, as staff\'s check-in does; then too late', async () => {
    clock(at(0, 12, 1));
    assertFieldError(await scan(as.member, (await code(mon.id, 'poster')).code), 'token', 'too_late');
    const closed = await as.staff.post(`/api/v1/duty-shifts/${mon.id}/close`);
    assert.equal(closed.status, 200, closed.text);
    assert.deepEqual(closed.json, { worked: 2, no_show: 0, records: 2, skipped: 0 });
    const place = await placeOf(mon.id, memberId);
    assert.equal(place.state, 'worked');
    const rec = (await as.staff.get(`/api/v1/records/${place.record.id}`)).json;
    assert.deepEqual([rec.source, rec.origin_id, rec.minutes, rec.state, rec.started_at, rec.item_id], ['duty', place.id, 240, 'pending', at(0, 8), item.id]);
    assertProblem(await as.staff.get(`/api/v1/duty-shifts/${mon.id}/code`), 409, 'state', 'a closed shift has no code');
    assertProblem(await as.staff.get(`/api/v1/duty-shifts/${mon.id}/poster.svg`), 409, 'state');
  });

  test('a poster\'s code lasts the whole window, for that shift\'s start only', async () => {
    clock(at(0, 13));
    assert.equal((await as.member.post(`/api/v1/duty-shifts/${tue.id}/signup`)).status, 201);
    const poster = (await code(tue.id, 'poster')).code;
    await nextMorning(at(1, 7, 31));
    const r = await scan(as.member, poster);
    assert.deepEqual([r.status, r.json.assignment?.state], [200, 'checked_in'], r.text);
    clock(at(1, 11, 59));
    assert.equal((await scan(as.member, poster)).json.already, true);
  });
});

describe('who may do what', () => {
  const deny = { org: 403, org2: 403, unit: 403, member: 403, memberElsewhere: 403, memberWaiting: 403, resident: 403, anon: 401 };
  test('the code and the poster: staff of the community and the administrator; another community 404; others 403', async () => {
    clock(at(1, 9));
    await matrix(as, { ...deny, admin: 200, staff: 200, staff2: 404 }, (c) => c.get(`/api/v1/duty-shifts/${tue.id}/code`), 'the code');
    await matrix(as, { ...deny, admin: 200, staff: 200, staff2: 404 }, (c) => c.get(`/api/v1/duty-shifts/${tue.id}/poster.svg`), 'the poster');
    for (const path of ['/api/v1/duty-shifts/0/code', '/api/v1/duty-shifts/abc/code', '/api/v1/duty-shifts/999999/code', '/api/v1/duty-shifts/999999/poster.svg'])
      assertProblem(await as.staff.get(path), 404, 'not_found', path);
  });

  test('the scan: members only; on the shift 200, anyone else 409 with the code in hand', async () => {
    clock(at(1, 9, 30));
    const token = (await code(tue.id)).code;
    await matrix(as, { admin: 403, org: 403, org2: 403, staff: 403, staff2: 403, unit: 403, resident: 403, anon: 401, member: 200,
      memberElsewhere: 409, memberWaiting: 409 }, (c) => scan(c, token), 'scan');
    const poster = (await code(tue.id, 'poster')).code;
    clock(at(1, 12, 0, 1));
    assertFieldError(await scan(people.b.client, poster), 'token', 'too_late', 'after the end, even a poster');
  });
});

describe('texts at their limits', () => {
  test('a post named with 40 four-byte characters and a 100-character place: the poster keeps characters whole', async () => {
    const wide = (n, from = 0x20000) => Array.from({ length: n }, (_, i) => String.fromCodePoint(from + (i % 64))).join('');
    const p = await as.staff.post(`/api/v1/communities/${SHILIUQIAO}/duty-posts`, { name: wide(40), place: wide(100, 0x20100), item_id: item.id });
    assert.equal(p.status, 201, p.text);
    await as.staff.post(`/api/v1/duty-posts/${p.json.id}/shifts`, { from: '2026-12-09', to: '2026-12-09', weekdays: [3], start: 1320, end: 1800, places: 1 });
    const s = (await as.staff.get(`/api/v1/communities/${SHILIUQIAO}/duty?week=2026-12-07`)).json.posts.find((x) => x.id === p.json.id).shifts[0];
    const c = await code(s.id);
    assert.equal(c.shift.post_name, wide(40));
    const r = await as.staff.get(`/api/v1/duty-shifts/${s.id}/poster.svg`);
    assert.equal(r.status, 200, r.text);
    assert.ok(!r.text.includes('\uFFFD'), 'no character cut in two');
    const words = r.text.replace(/<[^>]*>/g, '').replace(/\s+/g, '');
    assert.ok(words.includes(wide(40)), 'the whole name, over its lines');
    assert.ok(words.includes(wide(20, 0x20100)) && words.includes('…'), 'a long place shortened with …');
    assert.ok(words.includes('2026-12-0922:00–06:00（次日）'), 'a night shift');
  });
});
