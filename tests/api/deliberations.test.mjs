// deliberations.test.mjs: residents' deliberations (居民议事): drafts over buildings, one vote a household on the phone or
// on paper, changed until the deadline, after a change of resident, at once; thresholds and outcomes; who sees what
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, dbQuery } from '../lib/server.mjs';
import { assertProblem, assertFieldError, assertCleanLog, addUser, loginAs, SHILIUQIAO, FEIE } from './helpers.mjs';
import { everyone, matrix, wide } from './serving-people.mjs';
import { png } from './images.mjs';

const T0 = 1796572800; // 2026-12-07 00:00 China time
const MIN = 60;
let srv, as, now = T0, building, building2, feieBuilding, households, residentId, res2, res2Id;

async function newBuilding(staff, community, name) {
  const g = await staff.post(`/api/v1/regions/${community}/children`, { name: `${name}网格` });
  assert.equal(g.status, 201, g.text);
  const b = await staff.post(`/api/v1/regions/${g.json.code}/children`, { name });
  assert.equal(b.status, 201, b.text);
  return b.json.code;
}

// A building of floors 1..3 × 2 a floor: 6 households.
async function laidOut(staff, community, name) {
  const code = await newBuilding(staff, community, name);
  const r = await staff.post(`/api/v1/buildings/${code}/households/generate`, { units: 0, floor_from: 1, floor_to: 3, per_floor: 2 });
  assert.deepEqual(r.json, { added: 6, kept: 0 }, r.text);
  return code;
}

const body = (over = {}) => ({ building_codes: [building, building2], title: '加装电梯', question: '是否同意加装电梯并按楼层分摊费用？',
  deadline: now + 2 * MIN, ...over });

async function draft(over = {}, who = as.staff) {
  const r = await who.post('/api/v1/deliberations', body(over));
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function opened(over = {}) {
  const d = await draft(over);
  const o = await as.staff.post(`/api/v1/deliberations/${d.id}/open`);
  assert.equal(o.status, 200, o.text);
  return o.json;
}

const paper = (id, household, choice, over = {}) =>
  as.staff.post(`/api/v1/deliberations/${id}/paper-votes`, { household_id: household, choice, ...over });
const vote = (who, id, choice) => who.post(`/api/v1/me/deliberations/${id}/vote`, { choice });

// Moves past the deadline of d (the fake clock, in steps that keep every session alive: idle 30 min).
function pastDeadline(d) {
  now = Math.max(now, d.deadline) + MIN;
  srv.setClock(now);
}

before(async () => {
  srv = await startServer({ clock: T0 });
  ({ as } = await everyone(srv));
  building = await laidOut(as.staff, SHILIUQIAO, '前进四路 80 号');
  building2 = await laidOut(as.staff, SHILIUQIAO, '前进四路 82 号');
  feieBuilding = await laidOut(as.staff2, FEIE, '飞鹅路 3 号');
  households = [...(await as.staff.get(`/api/v1/buildings/${building}/households`)).json.items,
    ...(await as.staff.get(`/api/v1/buildings/${building2}/households`)).json.items].map((h) => h.id);
  assert.equal(households.length, 12);
  residentId = (await as.resident.get('/api/v1/me')).json.id;
  assert.equal((await as.staff.put(`/api/v1/households/${households[0]}/residents/${residentId}`)).status, 200);
  addUser(srv, 'res2', 'resident', { region: SHILIUQIAO, name: '李大爷' });
  res2 = await loginAs(srv, 'res2');
  res2Id = (await res2.get('/api/v1/me')).json.id;
  assert.equal((await as.staff.put(`/api/v1/households/${households[1]}/residents/${res2Id}`)).status, 200);
});
after(async () => {
  await srv.stop();
  assertCleanLog(srv.log());
});

describe('a deliberation from draft to outcome', () => {
  test('two thirds of 12 households is 8: votes on the phone and on paper, changed, the outcome at closing', async () => {
    const d = await draft();
    assert.deepEqual([d.state, d.basis, d.threshold, d.quorum.num, d.options, d.outcome, d.case_id],
      ['draft', 'households', { num: 2, den: 3, strict: false }, 0, ['同意', '不同意', '弃权'], null, null]);
    assert.deepEqual([d.tally.households, d.tally.needed, d.buildings.map((b) => b.tally.households)], [12, 8, [6, 6]]);
    assert.deepEqual((await as.resident.get('/api/v1/me/deliberations')).json.items, [], 'a draft is not shown to residents');
    assertProblem(await paper(d.id, households[2], 1), 409, 'bad_state', 'no votes on a draft');

    const o = await as.staff.post(`/api/v1/deliberations/${d.id}/open`);
    assert.equal(o.status, 200, o.text);
    assert.equal(o.json.state, 'open');
    const mine = (await as.resident.get('/api/v1/me/deliberations')).json.items;
    assert.deepEqual(mine.map((m) => [m.id, m.title, m.my_choice]), [[d.id, '加装电梯', null]]);
    assert.equal(mine[0].buildings, undefined, 'a resident sees the tally, not per building');
    assert.equal(mine[0].minutes_photo, undefined, 'nor the photo of the signed minutes');

    let v = await vote(as.resident, d.id, 2);
    assert.equal(v.status, 201, v.text);
    assert.deepEqual([v.json.my_choice, v.json.tally.voted, v.json.tally.agree, v.json.tally.by_option], [2, 1, 0, [0, 1, 0]]);
    v = await vote(as.resident, d.id, 1); // changed: the latest counts
    assert.deepEqual([v.json.my_choice, v.json.tally.voted, v.json.tally.agree], [1, 1, 1]);
    for (const h of households.slice(2, 8)) assert.equal((await paper(d.id, h, 1)).status, 201);
    let one = (await as.staff.get(`/api/v1/deliberations/${d.id}`)).json;
    assert.deepEqual([one.tally.agree, one.outcome_now, one.threshold_met], [7, 'open', false], 'one short of 8');
    const p = await paper(d.id, households[8], 1, { note: '由女儿代签' });
    assert.equal(p.status, 201, p.text);
    assert.deepEqual([p.json.tally.agree, p.json.outcome_now, p.json.threshold_met], [8, 'passed', true], 'exactly two thirds');
    assert.deepEqual(p.json.buildings.map((b) => b.tally.agree), [5, 3]);

    assertProblem(await as.staff.post(`/api/v1/deliberations/${d.id}/close`), 409, 'too_early');
    const votes = (await as.staff.get(`/api/v1/deliberations/${d.id}/votes`)).json.items;
    const row = (h) => votes.find((x) => x.household_id === h);
    assert.deepEqual([row(households[0]).choice, row(households[0]).channel, row(households[0]).votes, row(households[0]).recorded_by],
      [1, 'phone', 2, '张阿姨'], 'the resident\'s, with its history counted');
    assert.deepEqual([row(households[2]).channel, row(households[2]).note], ['paper', '纸质表决票']);
    assert.equal(row(households[8]).note, '由女儿代签');
    assert.equal(row(households[11]).choice, null);

    pastDeadline(d);
    assertProblem(await vote(as.resident, d.id, 2), 409, 'too_late');
    assertProblem(await paper(d.id, households[9], 1), 409, 'too_late');
    const c = await as.staff.post(`/api/v1/deliberations/${d.id}/close`);
    assert.equal(c.status, 200, c.text);
    assert.deepEqual([c.json.state, c.json.outcome, c.json.tally.agree], ['closed', 'passed', 8]);
    const m = await as.staff.put(`/api/v1/deliberations/${d.id}/minutes`, { minutes: '2026年12月7日居民议事会，到会 9 户，同意 8 户。' });
    assert.equal(m.status, 200, m.text);
    assert.match(m.json.minutes, /居民议事会/);
    assert.deepEqual((await as.resident.get('/api/v1/me/deliberations')).json.items, [], 'closed: no longer to vote on');
    const list = (await as.staff.get(`/api/v1/communities/${SHILIUQIAO}/deliberations?state=closed`)).json.items;
    assert.ok(list.some((x) => x.id === d.id && x.outcome === 'passed' && x.agree === 8 && x.households === 12));
    const audit = dbQuery(srv.db, `SELECT COUNT(*) FROM audit_log WHERE target_type = 'deliberation' AND target_id = '${d.id}' AND action = 'deliberation.vote'`);
    assert.equal(audit, '9', 'every vote audited');
  });

  test('one short fails at closing; a draft can be edited and removed; cancelled ends it', async () => {
    const d = await opened();
    for (const h of households.slice(2, 9)) assert.equal((await paper(d.id, h, 1)).status, 201);
    pastDeadline(d);
    const c = await as.staff.post(`/api/v1/deliberations/${d.id}/close`);
    assert.deepEqual([c.json.outcome, c.json.tally.agree], ['failed', 7]);
    assertProblem(await as.staff.post(`/api/v1/deliberations/${d.id}/cancel`), 409, 'bad_state');

    const e = await draft();
    const u = await as.staff.patch(`/api/v1/deliberations/${e.id}`, { title: '屋面防水改造', deadline: now + 20 * MIN,
      threshold_num: 1, threshold_den: 2, threshold_strict: true, options: ['赞成', '反对'] });
    assert.equal(u.status, 200, u.text);
    assert.deepEqual([u.json.title, u.json.threshold, u.json.options, u.json.tally.needed], ['屋面防水改造',
      { num: 1, den: 2, strict: true }, ['赞成', '反对'], 7], 'more than half of 12 is 7');
    const del = await as.staff.req('DELETE', `/api/v1/deliberations/${e.id}`);
    assert.equal(del.status, 204, del.text);
    assertProblem(await as.staff.get(`/api/v1/deliberations/${e.id}`), 404, 'not_found');
    const f = await opened();
    assertProblem(await as.staff.patch(`/api/v1/deliberations/${f.id}`, { title: 'x', deadline: now + 20 * MIN }), 409, 'bad_state');
    assertProblem(await as.staff.req('DELETE', `/api/v1/deliberations/${f.id}`), 409, 'bad_state');
    assertProblem(await as.staff.req('DELETE', `/api/v1/households/${households[11]}`), 409, 'deliberated',
      'a household a deliberation covers stays, with its votes');
    const x = await as.staff.post(`/api/v1/deliberations/${f.id}/cancel`);
    assert.equal(x.json.state, 'cancelled');
    assertProblem(await paper(f.id, households[2], 1), 409, 'bad_state');
  });
});

describe('a photo of the signed minutes', () => {
  const send = (who, id, bytes, type = 'image/png') => who.req('POST', `/api/v1/deliberations/${id}/minutes/photo`, bytes, { 'Content-Type': type });
  test('staff upload one (re-encoded, replacing the one before); others are refused; a cancelled one takes none', async () => {
    const d = await opened();
    assertProblem(await as.staff.get(`/api/v1/deliberations/${d.id}/minutes/photo`), 404, 'not_found', 'none yet');
    const r = await send(as.staff, d.id, png(64, 32));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.minutes_photo, `/api/v1/deliberations/${d.id}/minutes/photo`);
    const g = await as.staff.get(`/api/v1/deliberations/${d.id}/minutes/photo`);
    assert.equal(g.status, 200);
    assert.equal(g.headers.get('content-type'), 'image/jpeg');
    assert.equal((await send(as.staff, d.id, png(32, 32))).status, 201, 'a second replaces the first');
    assert.equal(dbQuery(srv.db, `SELECT COUNT(*) FROM audit_log WHERE action = 'deliberation.minutes_photo' AND target_id = '${d.id}'`), '2');
    assertProblem(await send(as.staff, d.id, Buffer.from('not an image at all'), 'image/jpeg'), 415, 'unsupported_media_type');
    assertProblem(await send(as.staff, d.id, Buffer.alloc(0)), 422, 'validation');
    assertProblem(await send(as.staff2, d.id, png(8, 8)), 404, 'not_found');
    assertProblem(await send(as.resident, d.id, png(8, 8)), 403, 'forbidden');
    assertProblem(await as.staff2.get(`/api/v1/deliberations/${d.id}/minutes/photo`), 404, 'not_found');
    assertProblem(await as.resident.get(`/api/v1/deliberations/${d.id}/minutes/photo`), 403, 'forbidden');
    assert.equal((await as.staff.post(`/api/v1/deliberations/${d.id}/cancel`)).status, 200);
    assertProblem(await send(as.staff, d.id, png(8, 8)), 409, 'bad_state');
  });
});

describe('thresholds by area, by both, of voters, ties', () => {
  test('an area rule opens only with every area known; 2/3 of the area carries with fewer households', async () => {
    const d = await draft({ building_codes: [building], basis: 'area' });
    assertProblem(await as.staff.post(`/api/v1/deliberations/${d.id}/open`), 409, 'area_missing');
    const six = households.slice(0, 6);
    // 5 flats of 80.00 m², one of 200.00 m²: 600 m² in all, two thirds is 400 m².
    for (const [i, h] of six.entries()) {
      const a = await as.staff.put(`/api/v1/deliberations/${d.id}/households/${h}/area`, { area: i === 5 ? 20000 : 8000 });
      assert.equal(a.status, 200, a.text);
    }
    assertProblem(await as.staff.put(`/api/v1/deliberations/${d.id}/households/${households[7]}/area`, { area: 8000 }), 404, 'not_found',
      'a household of another building');
    const o = await as.staff.post(`/api/v1/deliberations/${d.id}/open`);
    assert.equal(o.status, 200, o.text);
    assert.deepEqual([o.json.tally.area, o.json.tally.needed_area], [60000, 40000]);
    assertProblem(await as.staff.put(`/api/v1/deliberations/${d.id}/households/${six[0]}/area`, { area: 1 }), 409, 'bad_state');
    // 200 + 80 + 80 = 360 m²: 3 of 6 households, short of 400 m².
    for (const h of [six[5], six[2], six[3]]) await paper(d.id, h, 1);
    let one = (await as.staff.get(`/api/v1/deliberations/${d.id}`)).json;
    assert.deepEqual([one.tally.agree, one.tally.agree_area, one.threshold_met], [3, 36000, false]);
    await paper(d.id, six[4], 1); // 440 m², 4 households
    one = (await as.staff.get(`/api/v1/deliberations/${d.id}`)).json;
    assert.equal(one.threshold_met, true);
    pastDeadline(d);
    assert.equal((await as.staff.post(`/api/v1/deliberations/${d.id}/close`)).json.outcome, 'passed');
  });

  test('more than half: a tie fails; three quarters of those who voted with a two-thirds quorum', async () => {
    const t = await opened({ threshold_num: 1, threshold_den: 2, threshold_strict: true });
    for (const h of households.slice(0, 6)) await paper(t.id, h, 1);
    for (const h of households.slice(6)) await paper(t.id, h, 2);
    const q = await opened({ threshold_num: 3, threshold_den: 4, of_voting: true, quorum_num: 2, quorum_den: 3 });
    for (const h of households.slice(0, 6)) await paper(q.id, h, 1); // 6 of 12 voted: no quorum yet
    let one = (await as.staff.get(`/api/v1/deliberations/${q.id}`)).json;
    assert.deepEqual([one.quorum_met, one.threshold_met, one.outcome_now, one.tally.quorum_needed], [false, true, 'open', 8]);
    await paper(q.id, households[6], 2);
    await paper(q.id, households[7], 3); // 8 voted, 6 agree: 6/8 is exactly three quarters
    one = (await as.staff.get(`/api/v1/deliberations/${q.id}`)).json;
    assert.deepEqual([one.quorum_met, one.threshold_met, one.outcome_now], [true, true, 'passed']);
    pastDeadline(q);
    assert.equal((await as.staff.post(`/api/v1/deliberations/${t.id}/close`)).json.outcome, 'failed', 'a tie is not more than half');
    assert.equal((await as.staff.post(`/api/v1/deliberations/${q.id}/close`)).json.outcome, 'passed');
  });
});

describe('one vote a household', () => {
  test('after a change of resident the household still has one vote; the one who left votes no more', async () => {
    const d = await opened();
    assert.equal((await vote(res2, d.id, 1)).status, 201);
    // 李大爷 moves out of households[1]; 张阿姨 moves in there from households[0].
    assert.equal((await as.staff.req('DELETE', `/api/v1/households/${households[1]}/residents/${res2Id}`)).status, 200);
    assert.equal((await as.staff.put(`/api/v1/households/${households[1]}/residents/${residentId}`)).status, 200);
    assertProblem(await vote(res2, d.id, 2), 404, 'not_found', 'a resident living nowhere has no vote');
    assert.deepEqual((await res2.get('/api/v1/me/deliberations')).json.items, []);
    const v = await vote(as.resident, d.id, 2);
    assert.equal(v.status, 201, v.text);
    assert.deepEqual([v.json.tally.voted, v.json.tally.agree, v.json.tally.by_option], [1, 0, [0, 1, 0]], 'still one vote');
    const votes = (await as.staff.get(`/api/v1/deliberations/${d.id}/votes`)).json.items;
    const h1 = votes.find((x) => x.household_id === households[1]);
    assert.deepEqual([h1.choice, h1.votes, h1.recorded_by], [2, 2, '张阿姨']);
    assert.equal(votes.find((x) => x.household_id === households[0]).choice, null, 'the household she left did not vote');
    // Back as before for the other tests.
    assert.equal((await as.staff.put(`/api/v1/households/${households[0]}/residents/${residentId}`)).status, 200);
    assert.equal((await as.staff.put(`/api/v1/households/${households[1]}/residents/${res2Id}`)).status, 200);
  });

  test('twelve votes for one household at once: one vote counted, twelve kept', async () => {
    const d = await opened();
    const sends = Array.from({ length: 12 }, (_, i) => (i % 2 ? vote(as.resident, d.id, 1 + (i % 3)) : paper(d.id, households[0], 1 + (i % 3))));
    const rs = await Promise.all(sends);
    assert.deepEqual(rs.map((r) => r.status), Array(12).fill(201), rs.map((r) => r.text).join('\n').slice(0, 400));
    const one = (await as.staff.get(`/api/v1/deliberations/${d.id}`)).json;
    assert.equal(one.tally.voted, 1);
    assert.equal(dbQuery(srv.db, `SELECT COUNT(*) FROM deliberation_household WHERE deliberation_id = ${d.id} AND choice IS NOT NULL`), '1');
    assert.equal(dbQuery(srv.db, `SELECT COUNT(*) FROM deliberation_vote WHERE deliberation_id = ${d.id}`), '12');
    // The one counted is the latest kept.
    const latest = dbQuery(srv.db, `SELECT choice FROM deliberation_vote WHERE deliberation_id = ${d.id} ORDER BY id DESC LIMIT 1`);
    assert.equal(dbQuery(srv.db, `SELECT choice FROM deliberation_household WHERE deliberation_id = ${d.id} AND household_id = ${households[0]}`), latest);
  });
});

describe('who may do what', () => {
  test('the matrix: staff of the community and the administrator run it; residents only vote for their own household', async () => {
    const d = await opened();
    const staffOnly = { admin: 200, org: 403, org2: 403, staff: 200, staff2: 404, unit: 403, member: 403, memberElsewhere: 403,
      memberWaiting: 403, resident: 403, anon: 401 };
    await matrix(as, staffOnly, (c) => c.get(`/api/v1/deliberations/${d.id}`), 'read one');
    await matrix(as, staffOnly, (c) => c.get(`/api/v1/deliberations/${d.id}/votes`), 'who voted what');
    await matrix(as, staffOnly, (c) => c.get(`/api/v1/communities/${SHILIUQIAO}/deliberations`), 'list');
    await matrix(as, { ...staffOnly, admin: 201, staff: 201 }, (c) => c.post(`/api/v1/deliberations/${d.id}/paper-votes`,
      { household_id: households[5], choice: 1 }), 'paper vote');
    await matrix(as, { ...staffOnly, admin: 200, staff: 200 }, (c) => c.put(`/api/v1/deliberations/${d.id}/minutes`,
      { minutes: '纪要' }), 'minutes');
    await matrix(as, { ...staffOnly, admin: 409, staff: 409 }, (c) => c.post(`/api/v1/deliberations/${d.id}/open`), 'open again');
    await matrix(as, { ...staffOnly, admin: 409, staff: 409 }, (c) => c.post(`/api/v1/deliberations/${d.id}/close`), 'close early');
    await matrix(as, { ...staffOnly, admin: 409, staff: 409 }, (c) => c.patch(`/api/v1/deliberations/${d.id}`,
      { title: '改', deadline: now + 30 * MIN }), 'edit an open one');
    await matrix(as, { ...staffOnly, admin: 409, staff: 409 }, (c) => c.req('DELETE', `/api/v1/deliberations/${d.id}`), 'remove an open one');
    await matrix(as, { ...staffOnly, admin: 409, staff: 409 }, (c) => c.put(`/api/v1/deliberations/${d.id}/households/${households[0]}/area`,
      { area: 9000 }), 'area of an open one');
    const residentOnly = { admin: 403, org: 403, org2: 403, staff: 403, staff2: 403, unit: 403, member: 403, memberElsewhere: 403,
      memberWaiting: 403, resident: 200, anon: 401 };
    await matrix(as, residentOnly, (c) => c.get('/api/v1/me/deliberations'), 'mine');
    await matrix(as, { ...residentOnly, resident: 201 }, (c) => c.post(`/api/v1/me/deliberations/${d.id}/vote`, { choice: 3 }), 'my vote');
    await matrix(as, { ...staffOnly, admin: 201, staff: 201, staff2: 422 }, (c) => c.post('/api/v1/deliberations', body()), 'create');
    await matrix(as, { ...staffOnly, admin: 200, staff: 409 }, (c) => c.post(`/api/v1/deliberations/${d.id}/cancel`), 'cancel (once)');

    // Out of scope: another community's deliberation is not found, for staff and for its residents.
    const other = await as.staff2.post('/api/v1/deliberations', body({ building_codes: [feieBuilding] }));
    assert.equal(other.status, 201, other.text);
    assert.equal((await as.staff2.post(`/api/v1/deliberations/${other.json.id}/open`)).status, 200);
    assertProblem(await as.staff.get(`/api/v1/deliberations/${other.json.id}`), 404, 'not_found');
    assertProblem(await vote(as.resident, other.json.id, 1), 404, 'not_found');
    assertProblem(await paper(other.json.id, households[0], 1), 404, 'not_found');
    const mixed = await as.staff2.post(`/api/v1/deliberations/${other.json.id}/paper-votes`, { household_id: households[0], choice: 1 });
    assertFieldError(mixed, 'household_id', 'not_covered', 'a household of another community');
    assertFieldError(await as.staff.post('/api/v1/deliberations', body({ building_codes: [feieBuilding] })), 'building_codes', 'not_found');
    assertFieldError(await as.staff.post('/api/v1/deliberations', body({ building_codes: [building, feieBuilding] })), 'building_codes', 'not_found');
  });
});

describe('hostile input', () => {
  test('every text at its limit in 4-byte characters, and one past it', async () => {
    const d = await draft({ title: wide(50), question: wide(1000), minutes: wide(2000), options: [wide(20), wide(20, 0x20100)] });
    assert.deepEqual([d.title, d.question, d.minutes, d.options], [wide(50), wide(1000), wide(2000), [wide(20), wide(20, 0x20100)]]);
    for (const [field, over] of [['title', { title: wide(51) }], ['question', { question: wide(1001) }],
      ['minutes', { minutes: wide(2001) }], ['options[0]', { options: [wide(21), '反对'] }]]) {
      assertFieldError(await as.staff.post('/api/v1/deliberations', body(over)), field, ['too_long', 'too_large', 'length'], field);
    }
    await as.staff.post(`/api/v1/deliberations/${d.id}/open`);
    const p = await paper(d.id, households[3], 2, { note: wide(100) });
    assert.equal(p.status, 201, p.text);
    assert.equal((await as.staff.get(`/api/v1/deliberations/${d.id}/votes`)).json.items.find((x) => x.household_id === households[3]).note, wide(100));
    assertFieldError(await paper(d.id, households[3], 2, { note: wide(101) }), 'note', ['too_long', 'too_large', 'length']);
    assertFieldError(await as.staff.put(`/api/v1/deliberations/${d.id}/minutes`, { minutes: wide(2001) }), 'minutes', ['too_long', 'too_large', 'length']);
  });

  test('bad rules, deadlines, choices, ids and bodies: 4xx naming the field, nothing written', async () => {
    const before = dbQuery(srv.db, 'SELECT COUNT(*) FROM deliberation');
    const bad = [
      ['threshold', { threshold_num: 3, threshold_den: 2 }], ['threshold_den', { threshold_num: 1, threshold_den: 101 }],
      ['threshold_num', { threshold_num: 0, threshold_den: 3 }], ['quorum', { quorum_num: 4, quorum_den: 3 }],
      ['deadline', { deadline: now - 1 }], ['deadline', { deadline: now + 400 * 86400 }], ['deadline', { deadline: 'tomorrow' }],
      ['basis', { basis: 'people' }], ['options', { options: ['同意'] }], ['options', { options: ['同意', '同意'] }],
      ['options', { options: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }], ['title', { title: '' }], ['building_codes', { building_codes: [] }],
      ['building_codes', { building_codes: [SHILIUQIAO] }], ['building_codes', { building_codes: [building, building] }],
      ['building_codes', { building_codes: ["1' OR '1'='1"] }], ['title', { title: 'a\u0000b' }], ['case_id', { case_id: 1 }],
    ];
    for (const [field, over] of bad) {
      const r = await as.staff.post('/api/v1/deliberations', body(over));
      assert.ok([400, 422].includes(r.status), `${field}: ${r.status} ${r.text}`);
      assert.match(r.headers.get('content-type'), /problem\+json/);
      if (r.json.errors) assert.ok(r.json.errors.some((e) => e.field === field), `${field}: ${r.text}`);
    }
    assert.equal(dbQuery(srv.db, 'SELECT COUNT(*) FROM deliberation'), before, 'nothing written');
    const empty = await newBuilding(as.staff, SHILIUQIAO, '空楼');
    assertFieldError(await as.staff.post('/api/v1/deliberations', body({ building_codes: [empty] })), 'building_codes', 'empty');
    assert.equal(dbQuery(srv.db, 'SELECT COUNT(*) FROM deliberation'), before, 'nothing half-written');

    const d = await opened();
    for (const choice of [0, 4, -1, 'yes', 1.5, null]) {
      const r = await paper(d.id, households[2], choice);
      assert.ok([400, 422].includes(r.status), `choice ${choice}: ${r.status}`);
    }
    assertFieldError(await paper(d.id, households[2], 1, { channel: 'phone' }), 'channel', 'unknown');
    assertFieldError(await paper(d.id, 99999999, 1), 'household_id', 'not_covered');
    assertFieldError(await vote(as.resident, d.id, 9), 'choice', ['too_large', 'range', 'enum']);
    for (const id of ['0', '-1', 'abc', '99999999', '1%20OR%201=1', '9'.repeat(30)]) {
      assertProblem(await as.staff.get(`/api/v1/deliberations/${id}`), 404, 'not_found', id);
      assertProblem(await vote(as.resident, id, 1), 404, 'not_found', id);
    }
    const raw = await as.staff.req('POST', `/api/v1/deliberations/${d.id}/paper-votes`, '{"household_id":', { 'Content-Type': 'application/json' });
    assert.equal(raw.status, 400, raw.text);
    assertProblem(await as.staff.get(`/api/v1/communities/${SHILIUQIAO}/deliberations?state=bogus`), 400, 'bad_query');
    assertProblem(await as.staff.get(`/api/v1/communities/${FEIE}/deliberations`), 404, 'not_found');
    assert.equal(dbQuery(srv.db, `SELECT COUNT(*) FROM deliberation_vote WHERE deliberation_id = ${d.id}`), '0', 'no vote written');
  });
});

describe('the demo', () => {
  test('3栋加装电梯 is open: staff see the paper votes, 张阿姨 can vote on the phone', async () => {
    const demo = await startServer({ demo: 'full' });
    try {
      const staff = await loginAs(demo, 'staff');
      const resident = await loginAs(demo, 'resident');
      const list = (await staff.get(`/api/v1/communities/${SHILIUQIAO}/deliberations?state=open`)).json.items;
      assert.deepEqual(list.map((d) => [d.title, d.households, d.voted, d.agree]), [['3栋加装电梯', 24, 15, 12]]);
      const mine = (await resident.get('/api/v1/me/deliberations')).json.items;
      assert.deepEqual(mine.map((d) => [d.title, d.my_choice, d.tally.needed]), [['3栋加装电梯', null, 16]]);
      const v = await vote(resident, mine[0].id, 1);
      assert.deepEqual([v.status, v.json.tally.agree, v.json.outcome_now], [201, 13, 'open']);
    } finally {
      await demo.stop();
    }
  });
});
