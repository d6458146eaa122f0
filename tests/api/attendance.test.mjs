// attendance.test.mjs: check-in and check-out by the rotating screen code and the poster, what is refused and why, staff's ticks, the live sheet, closing into records
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  activityServer, activityBody, createActivity, quickMembers, expectStatus, sql, ROLES, T0, HOUR, FEIE,
} from './activity-fixture.mjs';
import { assertProblem, assertFieldError, assertCleanLog } from './helpers.mjs';

const MIN = 60;
const START = T0 + 2 * HOUR; // 2 hours after the clock's start, for 2 hours
const END = START + 2 * HOUR;
let srv, as, items, a, other;
let m; // six members with a place
let w; // one on the waiting list

before(async () => {
  ({ srv, as, items } = await activityServer());
  m = await quickMembers(srv, as.staff, 6, { prefix: '签到者' });
  [w] = await quickMembers(srv, as.staff, 1, { prefix: '候补者' });
  a = await createActivity(as.staff, items, { starts_at: START, ends_at: END, capacity: 6, publish: true, minutes_cap: 100 });
  other = await createActivity(as.staff, items, { starts_at: START, ends_at: END, capacity: 6, publish: true, title: '另一个活动' });
  for (const x of m) assert.equal((await x.post(`/api/v1/activities/${a.id}/signup`)).json.signup.state, 'signed');
  assert.equal((await w.post(`/api/v1/activities/${a.id}/signup`)).json.signup.state, 'waiting');
  assert.equal((await m[0].post(`/api/v1/activities/${other.id}/signup`)).status, 201);
});
after(async () => {
  await srv?.stop();
  assertCleanLog(srv.log());
});

const at = (t) => srv.setClock(t);
const code = async (id = a.id, kind = 'screen') => (await as.staff.get(`/api/v1/activities/${id}/checkin-code?kind=${kind}`)).json;
const checkin = (who, c, id = a.id) => who.post(`/api/v1/activities/${id}/checkin`, { code: c });
const checkout = (who, c, id = a.id) => who.post(`/api/v1/activities/${id}/checkout`, { code: c });
const events = (signup) => sql(srv, `SELECT event FROM signup_event WHERE signup_id = ${signup} ORDER BY id`).split('\n');
const row = async (who) => (await as.staff.get(`/api/v1/activities/${a.id}/sheet`)).json.rows.find((r) => r.member.id === who.member.id);

describe('the screen\'s code', () => {
  test('a code of this 30-second slot, its page\'s address, its QR, when it changes and when codes work at all', async () => {
    at(START - 25 * MIN + 7);
    const c = await code();
    assert.equal(c.kind, 'screen');
    assert.match(c.code, new RegExp(`^A${a.id}\\.r\\d+\\.[0-9a-f]{32}$`));
    assert.equal(c.url, `${srv.url}/m/activities/${a.id}/checkin?code=${c.code}`);
    assert.match(c.svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 \d+ \d+"/);
    assert.equal(c.refresh_at - c.valid_from, 30);
    assert.equal(c.valid_until - c.valid_from, 59);
    assert.ok(c.valid_from <= START - 25 * MIN + 7 && START - 25 * MIN + 7 < c.refresh_at);
    assert.deepEqual(c.window, { opens_at: START - 30 * MIN, closes_at: END, checkout_closes_at: END + 30 * MIN });
    assert.equal(c.server_time, START - 25 * MIN + 7);
    at(START - 25 * MIN + 37);
    assert.notEqual((await code()).code, c.code, 'a new code in the next slot');
  });

  test('before the window opens, a genuine code is refused: too early', async () => {
    at(START - 31 * MIN);
    const p = assertFieldError(await checkin(m[0], (await code()).code), 'code', 'too_early');
    assert.match(p.message, /开始前 30 分钟/);
  });

  test('checked in once; the same scan again counts once; two at the same moment count once', async () => {
    at(START - 20 * MIN);
    const c = (await code()).code;
    const r = await checkin(m[0], c);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.json.already, r.json.message, r.json.signup.checkin_at, r.json.signup.checkin_by], [false, '签到成功', START - 20 * MIN, 'qr']);
    at(START - 20 * MIN + 5);
    const again = await checkin(m[0], c);
    assert.deepEqual([again.status, again.json.already, again.json.signup.checkin_at], [200, true, START - 20 * MIN]);
    const both = await Promise.all([checkin(m[1], c), checkin(m[1], c)]);
    assert.deepEqual(both.map((x) => x.status), [200, 200]);
    assert.deepEqual(both.map((x) => x.json.already).sort(), [false, true]);
    for (const who of [m[0], m[1]]) assert.equal(events((await row(who)).id).filter((e) => e === 'checked_in').length, 1);
  });

  test('a photo of an old code (a minute later) is refused; the code of the slot before still works', async () => {
    at(START - 10 * MIN);
    const old = (await code()).code;
    at(START - 10 * MIN + 30);
    const r = await checkin(m[2], old);
    assert.equal(r.status, 200, 'the slot after its own: someone scanning as it changes');
    at(START - 10 * MIN + 61);
    const p = assertFieldError(await checkin(m[3], old), 'code', 'expired');
    assert.match(p.message, /每 30 秒/);
    assert.equal((await row(m[3])).checkin_at, null);
  });

  test('forged codes, and another activity\'s genuine one, are refused with words that say so', async () => {
    at(START);
    const c = (await code()).code;
    const flipped = c.slice(0, -1) + (c.at(-1) === '0' ? '1' : '0');
    assertFieldError(await checkin(m[3], flipped), 'code', 'forged');
    assertFieldError(await checkin(m[3], c.replace(`A${a.id}.`, `A${other.id}.`)), 'code', 'forged');
    assertFieldError(await checkin(m[3], 'hello'), 'code', 'forged');
    assertFieldError(await checkin(m[3], c.replace('.r', '.p')), 'code', 'forged');
    const theirs = assertFieldError(await checkin(m[0], (await code(other.id)).code), 'code', 'other_activity');
    assert.match(theirs.message, /另一个活动/);
    assertFieldError(await checkin(m[3], (await code(other.id)).code), 'code', 'other_activity');
    assert.equal((await row(m[3])).checkin_at, null);
  });

  test('only those with a place check in: not one waiting, not one who never signed up', async () => {
    at(START + MIN);
    const c = (await code()).code;
    assertProblem(await checkin(w, c), 409, 'not_signed_up');
    const [stranger] = await quickMembers(srv, as.staff, 1, { prefix: '路人' });
    assertProblem(await checkin(stranger, c), 409, 'not_signed_up');
    assertProblem(await checkout(m[4], c), 409, 'not_checked_in');
  });

  test('a cancelled activity takes no check-in, even with a genuine code', async () => {
    const d = await createActivity(as.staff, items, { starts_at: START, ends_at: END, signup_deadline: END, publish: true });
    await m[0].post(`/api/v1/activities/${d.id}/signup`);
    const c = (await code(d.id)).code;
    await as.staff.post(`/api/v1/activities/${d.id}/cancel`, { reason: '场地停电' });
    const p = assertProblem(await checkin(m[0], c, d.id), 409, 'bad_state');
    assert.match(p.title, /已取消/);
  });

  test('the code that let one in does not let them out: leaving takes a newer one (a replay is refused)', async () => {
    at(START + 3 * MIN);
    const c = (await code()).code;
    assert.equal((await checkin(m[4], c)).status, 200);
    at(START + 3 * MIN + 20);
    const p = assertFieldError(await checkout(m[4], c), 'code', 'replayed');
    assert.match(p.message, /新的二维码/);
    assert.equal((await row(m[4])).checkout_at, null);
  });
});

describe('the poster\'s code', () => {
  test('lasts from half an hour before the start to the end; a printed A4 page with the QR and the words', async () => {
    at(START - 40 * MIN);
    const p = await code(a.id, 'poster');
    assert.match(p.code, new RegExp(`^A${a.id}\\.p${START}\\.`));
    assert.deepEqual([p.valid_from, p.valid_until, p.refresh_at], [START - 30 * MIN, END, null]);
    assertFieldError(await checkin(m[5], p.code), 'code', 'too_early');
    const svg = await as.staff.get(`/api/v1/activities/${a.id}/poster.svg`);
    assert.equal(svg.status, 200, svg.text);
    assert.match(svg.headers.get('content-type'), /^image\/svg\+xml/);
    assert.match(svg.text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="210mm" height="297mm"/);
    assert.ok(svg.text.includes('石榴桥社区环境整治') && svg.text.includes('扫码签到') && svg.text.includes('签到时间：10:30 至 13:00'), svg.text.slice(0, 800));
    assert.ok(svg.text.includes('<svg x="45"'), 'the QR nested in the page');
    at(START + 5 * MIN);
    const r = await checkin(m[5], p.code);
    assert.deepEqual([r.status, r.json.signup.checkin_by], [200, 'poster']);
    at(END + 1);
    assertFieldError(await checkin(m[3], p.code), 'code', 'too_late');
    at(START);
  });

  test('moving the activity retires the posters printed before', async () => {
    const c = await createActivity(as.staff, items, { starts_at: START, ends_at: END, publish: true });
    await m[0].post(`/api/v1/activities/${c.id}/signup`);
    const old = (await code(c.id, 'poster')).code;
    assert.equal((await as.staff.put(`/api/v1/activities/${c.id}`, activityBody(items, { starts_at: START + 10 * MIN, ends_at: END }))).status, 200);
    const p = assertFieldError(await checkin(m[0], old, c.id), 'code', 'stale_poster');
    assert.match(p.message, /海报已作废/);
    assert.equal((await checkin(m[0], (await code(c.id, 'poster')).code, c.id)).status, 200);
  });

  test('the poster escapes what it prints and shows a 60-character title of 4-byte characters whole', async () => {
    const t = await createActivity(as.staff, items, { starts_at: START, ends_at: END, title: '<b>A&B</b>"\'', place: '𠀀'.repeat(100) });
    const svg = (await as.staff.get(`/api/v1/activities/${t.id}/poster.svg`)).text;
    assert.ok(svg.includes('&lt;b&gt;A&amp;B&lt;/b&gt;&quot;&#39;') && !svg.includes('<b>'));
    const long = await createActivity(as.staff, items, { starts_at: START, ends_at: END, title: '𠀀'.repeat(60) });
    const text = (await as.staff.get(`/api/v1/activities/${long.id}/poster.svg`)).text;
    const title = [...text.matchAll(/font-size="11\.0" font-weight="bold" text-anchor="middle">([^<]*)</g)].map((x) => x[1]).join('');
    assert.equal(title, '𠀀'.repeat(60));
  });
});

describe('staff tick, the live sheet, checking out, closing', () => {
  test('staff tick one who has no phone, late; a time outside the window or still to come is refused', async () => {
    at(START + 30 * MIN);
    const s = await row(m[3]);
    assertProblem(await as.staff.post(`/api/v1/signups/${s.id}/attendance`, { action: 'checkin', at: START - 31 * MIN }), 409, 'window');
    assertProblem(await as.staff.post(`/api/v1/signups/${s.id}/attendance`, { action: 'checkin', at: START + 31 * MIN }), 409, 'window');
    assertProblem(await as.staff.post(`/api/v1/signups/${s.id}/attendance`, { action: 'until_end' }), 409, 'not_checked_in');
    const r = await as.staff.post(`/api/v1/signups/${s.id}/attendance`, { action: 'checkin', at: START + 15 * MIN });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.json.checkin_at, r.json.checkin_by, r.json.attendance.status, r.json.attendance.late], [START + 15 * MIN, 'staff', 'late', true]);
    const wrow = (await as.staff.get(`/api/v1/activities/${a.id}/signups?state=waiting`)).json.items[0];
    assertProblem(await as.staff.post(`/api/v1/signups/${wrow.id}/attendance`, { action: 'checkin' }), 409, 'not_signed_up');
  });

  test('the sheet: everyone with a place, counts at a glance, and a version a page polls cheaply', async () => {
    const r = await as.staff.get(`/api/v1/activities/${a.id}/sheet`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.changed, true);
    assert.equal(r.json.rows.length, 6);
    assert.deepEqual(r.json.counts, { signed_up: 6, waiting: 1, arrived: 6, present: 5, late: 1, left_early: 0, absent: 0, leave: 0, leave_asked: 0,
      checked_out: 0, unconfirmed: 6 });
    assert.match(r.json.rows[0].member.phone, /^1\d{10}$/);
    const same = await as.staff.get(`/api/v1/activities/${a.id}/sheet?since=${r.json.version}`);
    assert.deepEqual(same.json, { version: r.json.version, changed: false });
    assert.ok(same.text.length < 40, 'an unchanged sheet is a tiny answer');
    assert.equal((await as.staff.post(`/api/v1/signups/${(await row(m[3])).id}/attendance`, { action: 'clear' })).json.checkin_at, null);
    const moved = await as.staff.get(`/api/v1/activities/${a.id}/sheet?since=${r.json.version}`);
    assert.equal(moved.json.changed, true);
    assert.ok(moved.json.version > r.json.version);
    assert.equal(moved.json.counts.absent, 1);
    await as.staff.post(`/api/v1/signups/${(await row(m[3])).id}/attendance`, { action: 'checkin', at: START + 15 * MIN });
  });

  test('checking out: one leaves early, one stays on, and one with leave approved is on leave', async () => {
    at(END - 40 * MIN);
    assert.equal((await checkout(m[1], (await code()).code)).status, 200);
    at(END - 5 * MIN);
    const r = await checkout(m[0], (await code()).code);
    assert.deepEqual([r.status, r.json.message], [200, '签退成功']);
    const twice = await checkout(m[0], (await code()).code);
    assert.deepEqual([twice.json.already, twice.json.signup.checkout_at], [true, END - 5 * MIN]);
    assert.equal((await row(m[1])).attendance.status, 'left_early');
    assert.equal((await row(m[0])).attendance.status, 'present');
    assert.equal((await row(m[0])).attendance.minutes, 100, 'capped at the activity\'s 100 minutes');
  });

  test('a screen\'s code checks out until half an hour after the end, not later', async () => {
    at(END + 31 * MIN);
    const p = assertFieldError(await checkout(m[4], (await code()).code), 'code', 'too_late');
    assert.match(p.message, /签退/);
    at(END + 20 * MIN);
    assert.equal((await checkout(m[4], (await code()).code)).status, 200);
  });

  test('closing before the end is refused; after it, pending records for those credited, the rest said why', async () => {
    at(END - MIN);
    assertProblem(await as.staff.post(`/api/v1/activities/${a.id}/close`), 409, 'not_ended');
    at(END + 45 * MIN);
    // m2 (screen) and m5 (poster) never checked out: staff confirm m2 stayed to the end; m5 stays unconfirmed.
    // m3, ticked in by staff, is ticked out by them too.
    assert.equal((await as.staff.post(`/api/v1/signups/${(await row(m[3])).id}/attendance`, { action: 'checkout', at: END - 30 * MIN })).status, 200);
    assert.equal((await as.staff.post(`/api/v1/signups/${(await row(m[2])).id}/attendance`, { action: 'until_end' })).json.attendance.unconfirmed, false);
    const r = await as.staff.post(`/api/v1/activities/${a.id}/close`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.activity.state, 'closed');
    assert.deepEqual([r.json.records, r.json.absent, r.json.leave], [5, 0, 0]);
    assert.deepEqual(r.json.skipped.map((x) => [x.member_id, x.why]), [[m[5].member.id, 'unconfirmed']]);
    const sheet = (await as.staff.get(`/api/v1/activities/${a.id}/sheet`)).json;
    const minutes = Object.fromEntries(sheet.rows.map((x) => [x.member.id, x.record?.minutes ?? null]));
    assert.deepEqual(m.map((x) => minutes[x.member.id]), [100, 80, 100, 75, 100, null]);
    assert.ok(sheet.rows.filter((x) => x.record).every((x) => x.record.state === 'pending'));
    const told = (await m[0].get('/api/v1/me/signups')).json.items.find((x) => x.activity.id === a.id);
    assert.deepEqual([told.latest.event, told.latest.note], ['recorded', '100']);
    assertProblem(await as.staff.post(`/api/v1/activities/${a.id}/close`), 409, 'bad_state');
    assertProblem(await as.staff.get(`/api/v1/activities/${a.id}/checkin-code`), 409, 'bad_state');
  });
});

describe('who may do what', () => {
  let b;
  before(async () => {
    at(START);
    b = await createActivity(as.staff, items, { starts_at: START, ends_at: END, signup_deadline: END, capacity: 20, publish: true });
    await as.approved.post(`/api/v1/activities/${b.id}/signup`);
    [as.elsewhere] = await quickMembers(srv, as.staff2, 1, { prefix: '飞鹅', community_code: FEIE });
  });

  const reads = { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, unit: 404, approved: 403, waiting: 404, resident: 403, anon: 401 };
  for (const who of ROLES) {
    test(`GET /checkin-code and /poster.svg as ${who} → ${reads[who]}`, async () => {
      expectStatus(await as[who].get(`/api/v1/activities/${b.id}/checkin-code`), reads[who], `${who} code`);
      expectStatus(await as[who].get(`/api/v1/activities/${b.id}/poster.svg`), reads[who], `${who} poster`);
    });
    const sheet = who === 'resident' ? 404 : reads[who];
    test(`GET /sheet as ${who} → ${sheet}`, async () => {
      expectStatus(await as[who].get(`/api/v1/activities/${b.id}/sheet`), sheet, who);
    });
  }

  const scans = { admin: 403, org: 403, org2: 403, staff: 403, staff2: 403, unit: 403, approved: 200, waiting: 403, resident: 403, anon: 401 };
  for (const who of ROLES) {
    test(`POST /checkin and /checkout as ${who} → ${scans[who]}`, async () => {
      at(START + 10 * MIN);
      expectStatus(await checkin(as[who], (await code(b.id)).code, b.id), scans[who], `${who} in`);
      at(START + 11 * MIN);
      expectStatus(await checkout(as[who], (await code(b.id)).code, b.id), scans[who], `${who} out`);
    });
  }
  test('a member who may not see the activity → 404', async () => {
    expectStatus(await checkin(as.elsewhere, (await code(b.id)).code, b.id), 404, 'elsewhere');
  });

  const acts = { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, unit: 404, approved: 403, waiting: 404, resident: 403, anon: 401 };
  for (const who of ROLES) {
    test(`POST /signups/{id}/attendance and /activities/{id}/close as ${who} → ${acts[who]}`, async () => {
      at(START + 20 * MIN);
      const c = await createActivity(as.staff, items, { starts_at: START, ends_at: START + 30 * MIN, signup_deadline: START + 30 * MIN, publish: true });
      const [x] = await quickMembers(srv, as.staff, 1, { prefix: `矩阵${who}` });
      const s = (await x.post(`/api/v1/activities/${c.id}/signup`)).json.signup;
      expectStatus(await as[who].post(`/api/v1/signups/${s.id}/attendance`, { action: 'checkin' }), acts[who], `${who} tick`);
      at(START + 31 * MIN);
      expectStatus(await as[who].post(`/api/v1/activities/${c.id}/close`), acts[who], `${who} close`);
      assert.equal((await as.admin.get(`/api/v1/activities/${c.id}`)).json.state, acts[who] === 200 ? 'closed' : 'published');
    });
  }
});

describe('hostile input', () => {
  test('codes that are too long, not text, missing; ticks that are not; a since that is not a number: 4xx naming the field, nothing written', async () => {
    at(START + 10 * MIN);
    const b = await createActivity(as.staff, items, { starts_at: START, ends_at: END, signup_deadline: END, publish: true });
    const s = (await m[0].post(`/api/v1/activities/${b.id}/signup`)).json.signup;
    const n = Number(sql(srv, 'SELECT COUNT(*) FROM signup_event'));
    assertFieldError(await checkin(m[0], 'A'.repeat(72), b.id), 'code', 'too_long');
    assertFieldError(await m[0].post(`/api/v1/activities/${b.id}/checkin`, { code: 42 }), 'code', 'type');
    assertFieldError(await m[0].post(`/api/v1/activities/${b.id}/checkin`, {}), 'code', 'required');
    assertFieldError(await m[0].post(`/api/v1/activities/${b.id}/checkin`, { code: 'x', extra: 1 }), 'extra', 'unknown');
    assertProblem(await m[0].post(`/api/v1/activities/${b.id}/checkin`, 'code=A1'), 400, 'bad_json');
    assertFieldError(await checkin(m[0], '\u0007A1.r1.00', b.id), 'code');
    assertFieldError(await as.staff.post(`/api/v1/signups/${s.id}/attendance`, { action: 'teleport' }), 'action', 'enum');
    assertFieldError(await as.staff.post(`/api/v1/signups/${s.id}/attendance`, { action: 'checkin', at: '09:00' }), 'at', 'type');
    assertFieldError(await as.staff.post(`/api/v1/signups/${s.id}/attendance`, { action: 'checkin', at: -1 }), 'at', 'too_small');
    assertProblem(await as.staff.get(`/api/v1/activities/${b.id}/sheet?since=abc`), 400, 'bad_query');
    assertProblem(await as.staff.get(`/api/v1/activities/${b.id}/checkin-code?kind=tv`), 400, 'bad_query');
    assert.equal(Number(sql(srv, 'SELECT COUNT(*) FROM signup_event')), n);
    assert.equal((await as.staff.get(`/api/v1/activities/${b.id}/sheet`)).json.counts.arrived, 0);
  });
});
