// signups.test.mjs: signing up: places then the waiting list, moving up, cancelling before the deadline, leave, staff's sign-ups and removals, 50 at once for 10 places, the matrix
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  activityServer, activityBody, createActivity, quickMembers, expectStatus, sql, ROLES, T0, HOUR, FEIE,
} from './activity-fixture.mjs';
import { assertProblem, assertFieldError, assertCleanLog } from './helpers.mjs';

let srv, as, items;
const m = []; // four more approved members of 石榴桥社区
const START = T0 + 6 * HOUR; // activities of this file start six hours after the clock's start

before(async () => {
  ({ srv, as, items } = await activityServer());
  m.push(...await quickMembers(srv, as.staff, 4, { prefix: '报名者' }));
  [as.elsewhere] = await quickMembers(srv, as.staff2, 1, { prefix: '飞鹅党员', community_code: FEIE });
});
after(async () => {
  await srv?.stop();
  assertCleanLog(srv.log());
});

const open = (over = {}) => createActivity(as.staff, items, { starts_at: START, ends_at: START + 2 * HOUR, publish: true, ...over });
const mine = async (who, id) => (await who.get(`/api/v1/activities/${id}`)).json.my_signup;
const signups = (n) => Number(sql(srv, `SELECT COUNT(*) FROM signup${n ? ` WHERE activity_id = ${n}` : ''}`));

describe('two places, then the waiting list, which moves up in order', () => {
  let a;
  before(async () => { a = await open({ capacity: 2 }); });

  test('the first two get a place, the next two wait in order; each is told where they stand', async () => {
    const r = await m[0].post(`/api/v1/activities/${a.id}/signup`);
    assert.equal(r.status, 201, r.text);
    assert.deepEqual([r.json.signup.state, r.json.signup.position, r.json.activity.signed, r.json.activity.places_left], ['signed', 0, 1, 1]);
    assert.equal(r.json.signup.member.id, m[0].member.id);
    assert.equal((await m[1].post(`/api/v1/activities/${a.id}/signup`)).json.signup.state, 'signed');
    const w1 = await m[2].post(`/api/v1/activities/${a.id}/signup`);
    const w2 = await m[3].post(`/api/v1/activities/${a.id}/signup`);
    assert.deepEqual([w1.json.signup.state, w1.json.signup.position, w2.json.signup.position], ['waiting', 1, 2]);
    assert.deepEqual([w2.json.activity.signed, w2.json.activity.waiting, w2.json.activity.places_left], [2, 2, 0]);
    const me = await mine(m[2], a.id);
    assert.deepEqual([me.state, me.position, me.events.map((e) => e.event)], ['waiting', 1, ['waiting']]);
  });

  test('signing up twice is refused and changes nothing', async () => {
    const n = signups(a.id);
    assertProblem(await m[0].post(`/api/v1/activities/${a.id}/signup`), 409, 'already');
    assertProblem(await m[2].post(`/api/v1/activities/${a.id}/signup`), 409, 'already');
    assert.equal(signups(a.id), n);
  });

  test('one with a place cancels: the first waiting moves up and is told, the second is now first', async () => {
    const r = await m[0].del(`/api/v1/activities/${a.id}/signup`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.json.signup, r.json.activity.signed, r.json.activity.waiting], [null, 2, 1]);
    const up = await mine(m[2], a.id);
    assert.deepEqual([up.state, up.position, up.events.map((e) => e.event)], ['signed', 0, ['waiting', 'promoted']]);
    assert.equal((await mine(m[3], a.id)).position, 1);
    assert.equal(await mine(m[0], a.id), null);
    const list = (await m[0].get('/api/v1/me/signups')).json.items.find((x) => x.activity.id === a.id);
    assert.deepEqual([list.signup.state, list.latest.event], ['cancelled', 'cancelled']);
    assertProblem(await m[0].del(`/api/v1/activities/${a.id}/signup`), 409, 'not_signed_up');
  });

  test('signing up again after cancelling: the end of the waiting list', async () => {
    const r = await m[0].post(`/api/v1/activities/${a.id}/signup`);
    assert.deepEqual([r.json.signup.state, r.json.signup.position], ['waiting', 2]);
  });

  test('staff take one off the waiting list with a reason: the list closes up, the member is told why', async () => {
    const s = await mine(m[3], a.id);
    assertFieldError(await as.staff.post(`/api/v1/signups/${s.id}/remove`, {}), 'reason', 'required');
    const r = await as.staff.post(`/api/v1/signups/${s.id}/remove`, { reason: '重复报名，已合并' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.signup.state, 'cancelled');
    assert.equal((await mine(m[0], a.id)).position, 1);
    const told = (await m[3].get('/api/v1/me/signups')).json.items.find((x) => x.activity.id === a.id);
    assert.deepEqual([told.latest.event, told.latest.note], ['removed', '重复报名，已合并']);
    assertProblem(await as.staff.post(`/api/v1/signups/${s.id}/remove`, { reason: '再来' }), 409, 'bad_state');
  });

  test('more places move the waiting list up; fewer than those signed up are refused', async () => {
    const r = await as.staff.put(`/api/v1/activities/${a.id}`, activityBody(items, { starts_at: START, ends_at: START + 2 * HOUR, capacity: 3 }));
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.json.signed, r.json.waiting], [3, 0]);
    assert.equal((await mine(m[0], a.id)).state, 'signed');
    assertFieldError(await as.staff.put(`/api/v1/activities/${a.id}`, activityBody(items, { starts_at: START, ends_at: START + 2 * HOUR, capacity: 2 })),
      'capacity', 'too_small');
    assert.equal((await as.staff.get(`/api/v1/activities/${a.id}`)).json.capacity, 3);
  });

  test('a move of the time is told to those signed up', async () => {
    const r = await as.staff.put(`/api/v1/activities/${a.id}`, activityBody(items, { starts_at: START + HOUR, ends_at: START + 3 * HOUR, capacity: 3 }));
    assert.equal(r.status, 200, r.text);
    assert.equal((await m[1].get('/api/v1/me/signups')).json.items.find((x) => x.activity.id === a.id).latest.event, 'activity_changed');
  });

  test('the staff\'s list: places in order of arrival, then the waiting list, then the cancelled; phones for who runs it', async () => {
    const r = await as.staff.get(`/api/v1/activities/${a.id}/signups?per_page=100`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.items.map((x) => x.state), ['signed', 'signed', 'signed', 'cancelled', 'cancelled']);
    assert.deepEqual(r.json.items.slice(0, 3).map((x) => x.member.id), [m[1], m[2], m[0]].map((x) => x.member.id));
    assert.match(r.json.items[0].member.phone, /^1\d{10}$/);
    const waiting = await as.staff.get(`/api/v1/activities/${a.id}/signups?state=signed&per_page=2&page=2`);
    assert.deepEqual([waiting.json.total, waiting.json.items.length], [3, 1]);
  });

  test('cancelled: everyone signed up sees the reason on their list and on the activity', async () => {
    await as.staff.post(`/api/v1/activities/${a.id}/cancel`, { reason: '暴雨红色预警' });
    for (const who of [m[0], m[1], m[2]]) {
      const l = (await who.get('/api/v1/me/signups')).json.items.find((x) => x.activity.id === a.id);
      assert.deepEqual([l.activity.state, l.latest.event, l.latest.note], ['cancelled', 'activity_cancelled', '暴雨红色预警']);
      const d = (await who.get(`/api/v1/activities/${a.id}`)).json;
      assert.equal(d.cancel_reason, '暴雨红色预警');
      assert.equal(d.my_signup.events.at(-1).event, 'activity_cancelled');
    }
    assertProblem(await m[3].post(`/api/v1/activities/${a.id}/signup`), 409, 'bad_state');
  });
});

describe('deadlines, leave, and the end', () => {
  let a;
  before(async () => { a = await open({ capacity: 1, signup_deadline: START - 3 * HOUR }); });

  test('before the deadline: one place, one waiting', async () => {
    assert.equal((await m[0].post(`/api/v1/activities/${a.id}/signup`)).json.signup.state, 'signed');
    assert.equal((await m[1].post(`/api/v1/activities/${a.id}/signup`)).json.signup.state, 'waiting');
  });

  test('after the deadline: no new sign-up, a place is not cancelled (leave is asked), a waiting one still is', async () => {
    srv.setClock(START - 2 * HOUR);
    assertProblem(await m[2].post(`/api/v1/activities/${a.id}/signup`), 409, 'deadline');
    const p = assertProblem(await m[0].del(`/api/v1/activities/${a.id}/signup`), 409, 'deadline');
    assert.match(p.title, /请假/);
    assert.equal((await m[1].del(`/api/v1/activities/${a.id}/signup`)).status, 200);
  });

  test('staff still sign a member up after the deadline (代报名): the waiting list', async () => {
    const r = await as.staff.post(`/api/v1/activities/${a.id}/signups`, { member_id: m[2].member.id });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual([r.json.signup.state, r.json.signup.position], ['waiting', 1]);
    assert.equal((await mine(m[2], a.id)).events[0].note, 'staff');
  });

  test('leave: asked with a reason, the place is kept; asked twice is refused; refused needs an answer; asked again; approved', async () => {
    assertFieldError(await m[0].post(`/api/v1/activities/${a.id}/leave`, {}), 'reason', 'required');
    const r = await m[0].post(`/api/v1/activities/${a.id}/leave`, { reason: '单位临时加班' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.json.signup.state, r.json.signup.leave], ['signed', { state: 'asked', reason: '单位临时加班', answer: '' }]);
    assert.equal(r.json.activity.signed, 1, 'leave keeps the place');
    assertProblem(await m[0].post(`/api/v1/activities/${a.id}/leave`, { reason: '再请一次' }), 409, 'leave_state');
    assertProblem(await m[2].post(`/api/v1/activities/${a.id}/leave`, { reason: '候补也请假' }), 409, 'not_signed_up');
    const s = r.json.signup.id;
    assertFieldError(await as.staff.post(`/api/v1/signups/${s}/leave`, { decision: 'refuse' }), 'answer', 'required');
    assertFieldError(await as.staff.post(`/api/v1/signups/${s}/leave`, { decision: 'maybe' }), 'decision', 'enum');
    const no = await as.staff.post(`/api/v1/signups/${s}/leave`, { decision: 'refuse', answer: '人手不足，请尽量参加' });
    assert.deepEqual(no.json.signup.leave, { state: 'refused', reason: '单位临时加班', answer: '人手不足，请尽量参加' });
    assertProblem(await as.staff.post(`/api/v1/signups/${s}/leave`, { decision: 'approve' }), 409, 'leave_state');
    assert.equal((await m[0].post(`/api/v1/activities/${a.id}/leave`, { reason: '确实走不开' })).status, 200);
    const yes = await as.staff.post(`/api/v1/signups/${s}/leave`, { decision: 'approve' });
    assert.equal(yes.json.signup.leave.state, 'approved');
    const events = (await mine(m[0], a.id)).events.map((e) => e.event);
    assert.deepEqual(events, ['signed', 'leave_asked', 'leave_refused', 'leave_asked', 'leave_approved']);
    const log = (await as.admin.get(`/api/v1/audit?action=activity.leave_approve&target_id=${s}`)).json.items;
    assert.equal(log.length, 1);
  });

  test('after the end: no sign-up, no cancelling, no leave, not even by staff', async () => {
    srv.setClock(START + 2 * HOUR);
    assertProblem(await m[3].post(`/api/v1/activities/${a.id}/signup`), 409, 'ended');
    assertProblem(await m[2].del(`/api/v1/activities/${a.id}/signup`), 409, 'ended');
    assertProblem(await as.staff.post(`/api/v1/activities/${a.id}/signups`, { member_id: m[3].member.id }), 409, 'ended');
    srv.setClock(T0);
  });
});

describe('who may sign up', () => {
  test('a draft cannot be joined (not even seen); a community\'s own is not for the next community\'s members; a street\'s is', async () => {
    const draft = await createActivity(as.staff, items, { starts_at: START, ends_at: START + HOUR });
    expectStatus(await m[0].post(`/api/v1/activities/${draft.id}/signup`), 404, 'draft');
    const own = await open();
    expectStatus(await as.elsewhere.post(`/api/v1/activities/${own.id}/signup`), 404, 'another community\'s own');
    const street = await open({ audience: 'street' });
    assert.equal((await as.elsewhere.post(`/api/v1/activities/${street.id}/signup`)).status, 201);
  });

  test('staff sign up only members they reach and who may join', async () => {
    const a = await open();
    assertFieldError(await as.staff.post(`/api/v1/activities/${a.id}/signups`, { member_id: as.elsewhere.member.id }), 'member_id', 'not_found');
    assertFieldError(await as.staff.post(`/api/v1/activities/${a.id}/signups`, { member_id: as.waiting.member.id }), 'member_id', 'wrong');
    assertFieldError(await as.admin.post(`/api/v1/activities/${a.id}/signups`, { member_id: as.elsewhere.member.id }), 'member_id', 'wrong');
    assertFieldError(await as.staff.post(`/api/v1/activities/${a.id}/signups`, { member_id: 99999999 }), 'member_id', 'not_found');
    assertFieldError(await as.staff.post(`/api/v1/activities/${a.id}/signups`, {}), 'member_id', 'required');
    assert.equal(signups(a.id), 0);
  });
});

describe('50 members sign up at once for 10 places', () => {
  test('exactly 10 places, 40 waiting, numbered 1 to 40 in order of arrival, each told what the list says', async () => {
    const crowd = await quickMembers(srv, as.staff, 50, { prefix: '并发' });
    const a = await open({ capacity: 10 });
    const answers = await Promise.all(crowd.map((c) => c.post(`/api/v1/activities/${a.id}/signup`)));
    assert.deepEqual(answers.map((r) => r.status), Array(50).fill(201));
    const now = (await as.staff.get(`/api/v1/activities/${a.id}`)).json;
    assert.deepEqual([now.signed, now.waiting, now.places_left], [10, 40, 0]);
    const list = (await as.staff.get(`/api/v1/activities/${a.id}/signups?per_page=100`)).json.items;
    assert.equal(list.length, 50);
    const waiting = list.filter((x) => x.state === 'waiting');
    assert.deepEqual(waiting.map((x) => x.position), Array.from({ length: 40 }, (_, i) => i + 1));
    const seqs = list.map((x) => x.seq);
    assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y), 'places and the waiting list both in order of arrival');
    assert.ok(Math.max(...list.filter((x) => x.state === 'signed').map((x) => x.seq)) < Math.min(...waiting.map((x) => x.seq)),
      'every place went to one who came before everyone waiting');
    for (const r of answers) {
      const final = list.find((x) => x.id === r.json.signup.id);
      assert.deepEqual([r.json.signup.state, r.json.signup.position], [final.state, final.position], 'the answer said what the list says');
    }
    const first = waiting[0];
    const leaver = crowd.find((c) => c.member.id === list[0].member.id);
    assert.equal((await leaver.del(`/api/v1/activities/${a.id}/signup`)).status, 200);
    const after = (await as.staff.get(`/api/v1/activities/${a.id}/signups?state=waiting&per_page=100`)).json.items;
    assert.equal(after.length, 39);
    assert.ok(!after.some((x) => x.id === first.id), 'the first waiting moved up');
    assert.equal(after[0].position, 1);
  });
});

describe('who may do what', () => {
  let a;
  before(async () => {
    a = await open({ capacity: 5 });
    await m[1].post(`/api/v1/activities/${a.id}/signup`);
  });

  const join = { admin: 403, org: 403, org2: 403, staff: 403, staff2: 403, unit: 403, approved: 201, waiting: 403, resident: 403, anon: 401 };
  for (const who of ROLES) {
    test(`POST /activities/{id}/signup, DELETE it, POST /leave as ${who}`, async () => {
      expectStatus(await as[who].post(`/api/v1/activities/${a.id}/signup`), join[who], `${who} join`);
      const after = join[who] === 201 ? 200 : join[who];
      expectStatus(await as[who].post(`/api/v1/activities/${a.id}/leave`, { reason: '有事' }), after, `${who} leave`);
      expectStatus(await as[who].req('DELETE', `/api/v1/activities/${a.id}/signup`), after, `${who} cancel`);
    });
  }
  test('a member of another community, for a community\'s own activity → 404', async () => {
    expectStatus(await as.elsewhere.post(`/api/v1/activities/${a.id}/signup`), 404, 'elsewhere');
    expectStatus(await as.elsewhere.del(`/api/v1/activities/${a.id}/signup`), 404, 'elsewhere');
  });

  const list = { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, unit: 404, approved: 403, waiting: 404, resident: 404, anon: 401 };
  for (const who of ROLES) {
    test(`GET /activities/{id}/signups as ${who} → ${list[who]}`, async () => {
      const r = await as[who].get(`/api/v1/activities/${a.id}/signups`);
      expectStatus(r, list[who], who);
      if (r.status === 200) assert.ok(r.json.items.some((x) => x.member.id === m[1].member.id));
    });
  }

  const acts = { admin: 201, org: 201, org2: 404, staff: 201, staff2: 404, unit: 404, approved: 403, waiting: 404, resident: 403, anon: 401 };
  for (const who of ROLES) {
    test(`POST /activities/{id}/signups, /signups/{id}/leave, /signups/{id}/remove as ${who}`, async () => {
      const b = await open({ capacity: 5 });
      const [target] = await quickMembers(srv, as.staff, 1, { prefix: `矩阵${who}` });
      const n = signups(b.id);
      expectStatus(await as[who].post(`/api/v1/activities/${b.id}/signups`, { member_id: target.member.id }), acts[who], `${who} add`);
      assert.equal(signups(b.id), n + (acts[who] === 201 ? 1 : 0));
      const s = (await target.post(`/api/v1/activities/${b.id}/signup`)).json?.signup
        ?? (await mine(target, b.id));
      await target.post(`/api/v1/activities/${b.id}/leave`, { reason: '出差' });
      const ok = acts[who] === 201 ? 200 : acts[who];
      expectStatus(await as[who].post(`/api/v1/signups/${s.id}/leave`, { decision: 'approve' }), ok, `${who} decide`);
      expectStatus(await as[who].post(`/api/v1/signups/${s.id}/remove`, { reason: '核实' }), ok, `${who} remove`);
      assert.equal((await mine(target, b.id)) === null, ok === 200);
    });
  }

  const me = { approved: 200, waiting: 403, member: 403, staff: 403, resident: 403, anon: 401 };
  for (const [who, status] of Object.entries(me)) {
    test(`GET /me/signups as ${who} → ${status}`, async () => expectStatus(await as[who].get('/api/v1/me/signups'), status, who));
  }

  test('a sign-up id out of reach or of nothing → 404', async () => {
    const s = await mine(m[1], a.id);
    expectStatus(await as.staff2.post(`/api/v1/signups/${s.id}/remove`, { reason: 'x' }), 404, 'staff2');
    for (const id of ['0', 'x', '99999999']) expectStatus(await as.staff.post(`/api/v1/signups/${id}/remove`, { reason: 'x' }), 404, id);
  });
});

describe('hostile input and text at its limits', () => {
  test('reasons of 201 characters, bodies that are not objects, unknown fields: 4xx naming the field, nothing written', async () => {
    const a = await open();
    await m[0].post(`/api/v1/activities/${a.id}/signup`);
    const s = await mine(m[0], a.id);
    const n = Number(sql(srv, 'SELECT COUNT(*) FROM signup_event'));
    assertFieldError(await m[0].post(`/api/v1/activities/${a.id}/leave`, { reason: '因'.repeat(201) }), 'reason', 'too_long');
    assertFieldError(await m[0].post(`/api/v1/activities/${a.id}/leave`, { reason: '病假', days: 2 }), 'days', 'unknown');
    assertProblem(await m[0].post(`/api/v1/activities/${a.id}/leave`, '"病假"'), 400, 'bad_json');
    assertFieldError(await as.staff.post(`/api/v1/signups/${s.id}/remove`, { reason: '因'.repeat(201) }), 'reason', 'too_long');
    assertFieldError(await as.staff.post(`/api/v1/signups/${s.id}/leave`, { decision: 'refuse', answer: '因'.repeat(201) }), 'answer', 'too_long');
    assertFieldError(await as.staff.post(`/api/v1/activities/${a.id}/signups`, { member_id: '12' }), 'member_id', 'type');
    assertProblem(await as.staff.get(`/api/v1/activities/${a.id}/signups?state=gone`), 400, 'bad_query');
    assert.equal(Number(sql(srv, 'SELECT COUNT(*) FROM signup_event')), n);
    assert.equal((await mine(m[0], a.id)).leave.state, '');
  });

  test('a leave\'s reason and its answer of 200 4-byte characters, a removal\'s reason, read back intact', async () => {
    const c = '𠀀'.repeat(200);
    const a = await open();
    await m[0].post(`/api/v1/activities/${a.id}/signup`);
    const r = await m[0].post(`/api/v1/activities/${a.id}/leave`, { reason: c });
    assert.equal(r.json.signup.leave.reason, c);
    const d = await as.staff.post(`/api/v1/signups/${r.json.signup.id}/leave`, { decision: 'refuse', answer: c });
    assert.equal(d.json.signup.leave.answer, c);
    await as.staff.post(`/api/v1/signups/${r.json.signup.id}/remove`, { reason: c });
    const told = (await m[0].get('/api/v1/me/signups')).json.items.find((x) => x.activity.id === a.id);
    assert.equal(told.latest.note, c);
  });
});
