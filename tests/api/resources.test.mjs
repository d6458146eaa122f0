// resources.test.mjs: resources (资源清单): owners, availability slots, who writes and reads them, agreements' commitments
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { assertProblem, assertFieldError, assertCleanLog, SHILIUQIAO, FEIE } from './helpers.mjs';
import { everyone, matrix, wide } from './serving-people.mjs';

const T0 = Date.UTC(2026, 2, 2, 2, 0, 0) / 1000;
let srv, as, memberId, unitId, items;

before(async () => {
  srv = await startServer({ clock: T0 });
  ({ as, memberId } = await everyone(srv));
  const s = (await as.unit.get('/api/v1/me')).json;
  unitId = s.unit_id ?? 2; // the demo unit account administers unit 2 (see agreements.test.mjs)
  const listed = (await as.staff.get(`/api/v1/catalog?region=${SHILIUQIAO}`)).json.items;
  items = Object.fromEntries(listed.map((i) => [i.code, i.id]));
});
after(async () => {
  await srv.stop();
  assertCleanLog(srv.log());
});

const body = (over = {}) => ({ community_code: SHILIUQIAO, owner_kind: 'community', kind: 'venue', name: '党群服务中心活动室',
  description: '可容纳 40 人，有投影', capacity: 40, slots: ['6 09:00-11:30', '2026-03-07 14:00-17:00'], ...over });

describe('resources', () => {
  test('the unit account has a unit', () => assert.ok(Number.isInteger(unitId), 'unit id from the session'));

  test('staff record the community\'s venue with slots; read, edit, retire', async () => {
    const r = await as.staff.post('/api/v1/resources', body());
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json.slots, ['0 00:00-00:00'].length ? r.json.slots : [], 'slots are listed');
    assert.deepEqual([...r.json.slots].sort(), ['2026-03-07 14:00-17:00', '6 09:00-11:30']);
    assert.deepEqual([r.json.owner_kind, r.json.owner_name, r.json.state, r.json.capacity], ['community', '石榴桥社区', 'active', 40]);
    const got = await as.staff.get(`/api/v1/resources/${r.json.id}`);
    assert.equal(got.json.name, '党群服务中心活动室');
    const p = await as.staff.patch(`/api/v1/resources/${r.json.id}`, { kind: 'venue', name: '活动室', slots: ['7 19:00-21:00'] });
    assert.equal(p.status, 200, p.text);
    assert.deepEqual([p.json.name, p.json.slots, p.json.capacity], ['活动室', ['7 19:00-21:00'], null]);
    const sat = (await as.staff.get(`/api/v1/resources?community=${SHILIUQIAO}&weekday=7`)).json.items;
    assert.ok(sat.some((x) => x.id === r.json.id));
    const mon = (await as.staff.get(`/api/v1/resources?community=${SHILIUQIAO}&available_on=2026-03-02`)).json.items;
    assert.ok(!mon.some((x) => x.id === r.json.id), '2026-03-02 is a Monday');
    const sun = (await as.staff.get(`/api/v1/resources?community=${SHILIUQIAO}&available_on=2026-03-08`)).json.items;
    assert.ok(sun.some((x) => x.id === r.json.id), '2026-03-08 is a Sunday');
    const t = await as.staff.post(`/api/v1/resources/${r.json.id}/retire`, { reason: '活动室装修' });
    assert.deepEqual([t.status, t.json.state, t.json.retire_reason], [200, 'retired', '活动室装修']);
    assertProblem(await as.staff.post(`/api/v1/resources/${r.json.id}/retire`, { reason: '再次' }), 409, 'conflict');
    assertProblem(await as.member.get(`/api/v1/resources/${r.json.id}`), 404, 'not_found');
  });

  test('a unit, a member, a team: each owner with availability', async () => {
    const u = await as.unit.post('/api/v1/resources', body({ owner_kind: 'unit', owner_id: unitId, kind: 'skill',
      name: '义诊医生', item_id: items.G04, slots: ['6 09:00-11:30'] }));
    assert.equal(u.status, 201, u.text);
    assert.deepEqual([u.json.owner_kind, u.json.owner_id, u.json.item_id], ['unit', unitId, items.G04]);
    assertProblem(await as.unit.post('/api/v1/resources', body({ owner_kind: 'unit', owner_id: unitId + 1000 })), 403, 'forbidden');
    const m = await as.member.post('/api/v1/resources', body({ owner_kind: 'member', owner_id: memberId, kind: 'skill',
      name: '理发', item_id: items.G07, capacity: 5, slots: ['2 15:00-17:00'] }));
    assert.equal(m.status, 201, m.text);
    assertProblem(await as.memberElsewhere.post('/api/v1/resources', body({ owner_kind: 'member', owner_id: memberId })), 403, 'forbidden');
    const staffFor = await as.staff.post('/api/v1/resources', body({ owner_kind: 'member', owner_id: memberId, kind: 'goods', name: '轮椅 2 台', slots: [] }));
    assert.equal(staffFor.status, 201, staffFor.text);
    const team = await as.staff.post('/api/v1/teams', { region_code: SHILIUQIAO, name: '石榴桥志愿车队', specialty: '', description: '' });
    if (team.status === 201) {
      const tr = await as.staff.post('/api/v1/resources', body({ owner_kind: 'team', owner_id: team.json.id, kind: 'vehicle', name: '送餐电动车', slots: ['1 10:30-12:30'] }));
      assert.equal(tr.status, 201, tr.text);
      assert.equal(tr.json.owner_name, '石榴桥志愿车队');
    }
    const seen = (await as.member.get('/api/v1/resources')).json.items;
    assert.ok(seen.some((x) => x.id === u.json.id) && seen.some((x) => x.id === m.json.id));
    assert.ok(seen.every((x) => x.state === 'active' && x.community_code === SHILIUQIAO));
    assert.equal((await as.memberElsewhere.get('/api/v1/resources')).json.items.filter((x) => x.source === 'resource').length, 0);
    assert.equal((await as.staff2.get(`/api/v1/resources?community=${SHILIUQIAO}`)).json.items.length, 0);
    const mine = (await as.unit.get('/api/v1/resources')).json.items;
    assert.ok(mine.some((x) => x.id === u.json.id) && !mine.some((x) => x.id === m.json.id));
    const p = await as.unit.patch(`/api/v1/resources/${u.json.id}`, { kind: 'skill', name: '义诊医生 2 名', item_id: items.G04, slots: ['6 09:00-12:00'] });
    assert.equal(p.status, 200, p.text);
    assertProblem(await as.unit.patch(`/api/v1/resources/${m.json.id}`, { kind: 'skill', name: 'x' }), 404, 'not_found');
    const byItem = (await as.staff.get(`/api/v1/resources?item_id=${items.G07}`)).json.items;
    assert.deepEqual(byItem.map((x) => x.id), [m.json.id]);
  });

  test('bad slots are 422 naming the slot; nothing written', async () => {
    const before = (await as.staff.get(`/api/v1/resources?community=${SHILIUQIAO}&state=active`)).json.items.length;
    const cases = [
      [['6 11:30-09:00'], 'slots[0]'], [['6 09:00-09:00'], 'slots[0]'], [['0 09:00-10:00'], 'slots[0]'],
      [['8 09:00-10:00'], 'slots[0]'], [['6 09:00-11:00', '6 10:00-12:00'], 'slots[1]'],
      [['2026-02-30 09:00-10:00'], 'slots[0]'], [['2026-3-7 09:00-10:00'], 'slots[0]'], [['6 25:00-26:00'], 'slots[0]'],
      [['6 09:00-11:00', '2026-03-07 10:00-12:00'], 'slots[1]'], [['周六 09:00-11:30'], 'slots[0]'],
    ];
    for (const [slots, field] of cases)
      assertFieldError(await as.staff.post('/api/v1/resources', body({ slots })), field);
    assertFieldError(await as.staff.post('/api/v1/resources', body({ kind: 'money' })), 'kind');
    assertFieldError(await as.staff.post('/api/v1/resources', body({ owner_kind: 'unit', owner_id: 999999 })), 'owner_id');
    assertFieldError(await as.staff.post('/api/v1/resources', body({ capacity: 'many' })), 'capacity');
    assertFieldError(await as.staff.post('/api/v1/resources', body({ item_id: 999999 })), 'item_id');
    assertFieldError(await as.staff.post('/api/v1/resources', body({ community_code: FEIE.slice(0, 6) })), 'community_code');
    assertFieldError(await as.staff.post('/api/v1/resources', body({ slots: 'weekly' })), 'slots');
    assertProblem(await as.staff.get('/api/v1/resources/abc'), 404, 'not_found');
    const after = (await as.staff.get(`/api/v1/resources?community=${SHILIUQIAO}&state=active`)).json.items.length;
    assert.equal(after, before);
  });

  test('texts at their maximum in 4-byte characters, and one over', async () => {
    const ok = await as.staff.post('/api/v1/resources', body({ name: wide(50), description: wide(300) }));
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.json.name, wide(50));
    assert.equal(ok.json.description, wide(300));
    assertFieldError(await as.staff.post('/api/v1/resources', body({ name: wide(51) })), 'name');
    assertFieldError(await as.staff.post('/api/v1/resources', body({ description: wide(301) })), 'description');
    assertFieldError(await as.staff.post(`/api/v1/resources/${ok.json.id}/retire`, { reason: wide(201) }), 'reason');
    const r = await as.staff.post(`/api/v1/resources/${ok.json.id}/retire`, { reason: wide(200) });
    assert.equal(r.json.retire_reason, wide(200));
  });

  test('a signed agreement\'s commitments are listed as the unit\'s read-only resources', async () => {
    const a = await as.staff.post('/api/v1/agreements', { unit_id: unitId, community_code: SHILIUQIAO, starts_on: '2026-01-01',
      ends_on: '2027-12-31', status: 'signed', commitments: ['每月开展一次义诊', '结对帮扶 5 户困难家庭'], signed_doc: '石共建〔2026〕9号' });
    assert.equal(a.status, 201, a.text);
    for (const who of ['staff', 'unit', 'member']) {
      const q = who === 'member' ? '' : who === 'unit' ? '' : `?community=${SHILIUQIAO}`;
      const got = (await as[who].get(`/api/v1/resources${q}`)).json.items.filter((x) => x.agreement_id === a.json.id);
      assert.deepEqual(got.map((x) => [x.source, x.name, x.owner_kind, x.owner_id, x.id]),
        [['agreement', '每月开展一次义诊', 'unit', unitId, null], ['agreement', '结对帮扶 5 户困难家庭', 'unit', unitId, null]], who);
    }
    const other = (await as.staff2.get('/api/v1/resources')).json.items.filter((x) => x.agreement_id === a.json.id);
    assert.equal(other.length, 0);
  });

  test('the community menu: welfare items offered there with the resources serving them, open next', async () => {
    const doc = await as.staff.post('/api/v1/resources', body({ owner_kind: 'unit', owner_id: unitId, kind: 'skill',
      name: '法律顾问', item_id: items.G05, slots: ['2026-03-01 09:00-10:00', '3 14:00-16:00', '2026-03-03 09:00-10:00'] }));
    assert.equal(doc.status, 201, doc.text);
    const menu = await as.member.get(`/api/v1/communities/${SHILIUQIAO}/menu`);
    assert.equal(menu.status, 200, menu.text);
    assert.equal(menu.json.community_name, '石榴桥社区');
    const law = menu.json.items.find((i) => i.item_id === items.G05);
    assert.ok(law, 'G05 is on the menu');
    const mine = law.resources.find((x) => x.id === doc.json.id);
    // Today is Monday 2026-03-02: the dated slot of 03-01 is past; Tuesday 03-03 comes before Wednesday 03-04.
    assert.deepEqual([mine.name, mine.owner_kind, mine.next_open], ['法律顾问', 'unit', '2026-03-03 09:00-10:00']);
    assert.ok(menu.json.items.every((i) => Array.isArray(i.resources)));
    assert.equal((await as.resident.get(`/api/v1/communities/${SHILIUQIAO}/menu`)).status, 200);
    await matrix(as, { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, unit: 404, member: 200, memberElsewhere: 404,
      memberWaiting: 404, resident: 200, anon: 401 }, (c) => c.get(`/api/v1/communities/${SHILIUQIAO}/menu`), 'menu');
    assertProblem(await as.staff.get('/api/v1/communities/abc/menu'), 404, 'not_found');
  });

  test('staff set a resident\'s large-font default, reported in the session', async () => {
    const me = (await as.resident.get('/api/v1/me')).json;
    const acc = me.account ?? me;
    assert.equal(acc.large_font, false);
    // Org do not manage residents' accounts (ACT_ACCOUNT_RESIDENT): the account is out of their reach.
    await matrix(as, { admin: 200, org: 404, org2: 404, staff: 200, staff2: 404, unit: 403, member: 403, memberElsewhere: 403,
      memberWaiting: 403, resident: 403, anon: 401 }, (c) => c.post(`/api/v1/accounts/${acc.id}/large-font`, { large_font: true }), 'large font');
    const after = (await as.resident.get('/api/v1/me')).json;
    assert.equal((after.account ?? after).large_font, true);
    assertFieldError(await as.staff.post(`/api/v1/accounts/${acc.id}/large-font`, { large_font: 'yes' }), 'large_font');
    assertProblem(await as.staff.post(`/api/v1/accounts/${(await as.staff.get('/api/v1/me')).json.account?.id ?? 1}/large-font`,
      { large_font: true }), 404, 'not_found');
    assert.equal((await as.staff.post(`/api/v1/accounts/${acc.id}/large-font`, { large_font: false })).json.large_font, false);
  });

  test('authorization matrix', async () => {
    const r = (await as.staff.post('/api/v1/resources', body({ name: '矩阵用活动室' }))).json;
    await matrix(as, { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, unit: 404, member: 200, memberElsewhere: 404,
      memberWaiting: 404, resident: 403, anon: 401 }, (c) => c.get(`/api/v1/resources/${r.id}`), 'read');
    await matrix(as, { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, unit: 404, member: 404, memberElsewhere: 404,
      memberWaiting: 404, resident: 403, anon: 401 }, (c) => c.patch(`/api/v1/resources/${r.id}`, { kind: 'venue', name: '矩阵用活动室' }), 'edit');
    await matrix(as, { admin: 201, org: 201, org2: 403, staff: 201, staff2: 403, unit: 403, member: 403, memberElsewhere: 403,
      memberWaiting: 403, resident: 403, anon: 401 }, (c) => c.post('/api/v1/resources', body({ name: '矩阵新建' })), 'create');
    await matrix(as, { admin: 200, org: 200, org2: 200, staff: 200, staff2: 200, unit: 200, member: 200, memberElsewhere: 200,
      memberWaiting: 200, resident: 403, anon: 401 }, (c) => c.get('/api/v1/resources'), 'list');
    const x = (await as.staff.post('/api/v1/resources', body({ name: '矩阵停用' }))).json;
    await matrix(as, { admin: 404, org: 404, org2: 404, staff: 200, staff2: 404, unit: 404, member: 404, memberElsewhere: 404,
      memberWaiting: 404, resident: 403, anon: 401 }, (c, role) => role === 'admin' || role === 'org'
      ? c.post('/api/v1/resources/999999/retire', { reason: '不再提供' }) : c.post(`/api/v1/resources/${x.id}/retire`, { reason: '不再提供' }), 'retire');
  });
});
