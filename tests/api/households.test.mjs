// households.test.mjs: households (户) of a community's buildings: laid out in bulk, edited, tallied; residents attached
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { assertProblem, assertFieldError, assertCleanLog, SHILIUQIAO, FEIE } from './helpers.mjs';
import { everyone, matrix, wide } from './serving-people.mjs';

let srv, as, building, feieBuilding, residentId;

// A building under a new grid of community, made by that community's staff.
async function newBuilding(staff, community, name) {
  const g = await staff.post(`/api/v1/regions/${community}/children`, { name: `${name}网格` });
  assert.equal(g.status, 201, g.text);
  const b = await staff.post(`/api/v1/regions/${g.json.code}/children`, { name });
  assert.equal(b.status, 201, b.text);
  assert.equal(b.json.level, 'building');
  return b.json.code;
}

before(async () => {
  srv = await startServer();
  ({ as } = await everyone(srv));
  building = await newBuilding(as.staff, SHILIUQIAO, '石榴桥路 8 号');
  feieBuilding = await newBuilding(as.staff2, FEIE, '飞鹅路 1 号');
  residentId = (await as.resident.get('/api/v1/me')).json.id;
});
after(async () => {
  await srv.stop();
  assertCleanLog(srv.log());
});

const one = (over = {}) => ({ building_code: building, unit_no: '9', floor: 3, room: '301', occupancy: 'lived', people: 3,
  note: '老两口带孙子', ...over });

describe('households', () => {
  test('staff lay out a building: 2 units × floors 1..6 × 4 a floor, then again keeps what is there', async () => {
    const r = await as.staff.post(`/api/v1/buildings/${building}/households/generate`, { units: 2, floor_from: 1, floor_to: 6, per_floor: 4 });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { added: 48, kept: 0 });
    const again = await as.staff.post(`/api/v1/buildings/${building}/households/generate`, { units: 2, floor_from: 1, floor_to: 7, per_floor: 4 });
    assert.deepEqual(again.json, { added: 8, kept: 48 });
    const list = (await as.staff.get(`/api/v1/buildings/${building}/households`)).json;
    assert.equal(list.items.length, 56);
    assert.equal(list.community_code, SHILIUQIAO);
    const first = list.items[0];
    assert.deepEqual([first.unit_no, first.floor, first.room, first.occupancy], ['1', 7, '701', 'unknown'], 'top floor first');
    assert.ok(list.items.some((h) => h.unit_no === '2' && h.room === '104' && h.floor === 1));
    const basement = await as.staff.post(`/api/v1/buildings/${building}/households/generate`, { floor_from: -1, floor_to: 1, per_floor: 1 });
    assert.deepEqual(basement.json, { added: 2, kept: 0 }, 'no unit: rooms -101 and 101; floor 0 skipped');
    const rooms = (await as.staff.get(`/api/v1/buildings/${building}/households`)).json.items.filter((h) => h.unit_no === '').map((h) => h.room);
    assert.deepEqual(rooms.sort(), ['-101', '101']);
  });

  test('one household added, edited, its place unique, removed; the tally follows', async () => {
    const r = await as.staff.post('/api/v1/households', one({ unit_no: '3', room: '301' }));
    assert.equal(r.status, 201, r.text);
    assert.deepEqual([r.json.building_name, r.json.unit_no, r.json.floor, r.json.people, r.json.residents], ['石榴桥路 8 号', '3', 3, 3, 0]);
    assertProblem(await as.staff.post('/api/v1/households', one({ unit_no: '3', room: '301' })), 409, 'conflict');
    const p = await as.staff.patch(`/api/v1/households/${r.json.id}`, { unit_no: '3', room: '301', occupancy: 'vacant', note: '' });
    assert.equal(p.status, 200, p.text);
    assert.deepEqual([p.json.occupancy, p.json.floor, p.json.people, p.json.note], ['vacant', null, 0, '']);
    const t = (await as.staff.get(`/api/v1/communities/${SHILIUQIAO}/households`)).json;
    const row = t.items.find((x) => x.building_code === building);
    assert.deepEqual([row.households, row.vacant, row.lived, row.grid_name], [59, 1, 0, '石榴桥路 8 号网格']);
    const d = await as.staff.req('DELETE', `/api/v1/households/${r.json.id}`);
    assert.equal(d.status, 204);
    assertProblem(await as.staff.get(`/api/v1/households/${r.json.id}`), 404, 'not_found');
    const audit = (await as.admin.get('/api/v1/audit?action=household.create')).json.items;
    assert.ok(audit.some((e) => e.target_id === String(r.json.id)), 'the creation is audited');
  });

  test('a resident of the community comes to live there and leaves; a resident elsewhere cannot', async () => {
    const h = (await as.staff.post('/api/v1/households', one({ room: '302' }))).json;
    const a = await as.staff.put(`/api/v1/households/${h.id}/residents/${residentId}`);
    assert.equal(a.status, 200, a.text);
    assert.equal(a.json.residents, 1);
    assert.deepEqual(a.json.resident_accounts, [{ account_id: residentId, name: '张阿姨' }]);
    assert.deepEqual((await as.staff.get(`/api/v1/households/${h.id}`)).json.resident_accounts.map((r) => r.name), ['张阿姨']);
    assertProblem(await as.staff.del(`/api/v1/households/${h.id}`), 409, 'in_use');
    const other = (await as.staff2.post('/api/v1/households', { building_code: feieBuilding, room: '101' })).json;
    assertProblem(await as.staff2.put(`/api/v1/households/${other.id}/residents/${residentId}`), 404, 'not_found');
    const l = await as.staff.req('DELETE', `/api/v1/households/${h.id}/residents/${residentId}`);
    assert.deepEqual([l.json.residents, l.json.resident_accounts], [0, []]);
    assertProblem(await as.staff.del(`/api/v1/households/${h.id}/residents/${residentId}`), 404, 'not_found');
    assert.equal((await as.staff.del(`/api/v1/households/${h.id}`)).status, 204);
  });

  test('text at its limits in 4-byte characters; one character more is refused', async () => {
    const r = await as.staff.post('/api/v1/households', one({ unit_no: wide(10), room: wide(20), note: wide(200) }));
    assert.equal(r.status, 201, r.text);
    assert.deepEqual([r.json.unit_no, r.json.room, r.json.note], [wide(10), wide(20), wide(200)]);
    for (const [field, v] of [['unit_no', wide(11)], ['room', wide(21)], ['note', wide(201)]])
      assertFieldError(await as.staff.post('/api/v1/households', one({ [field]: v })), field, 'too_long');
  });

  test('bad input names the field and writes nothing', async () => {
    const before = (await as.staff.get(`/api/v1/buildings/${building}/households`)).json.items.length;
    const cases = [
      [{ room: '' }, 'room'], [{ floor: 121 }, 'floor'], [{ floor: -6 }, 'floor'], [{ people: 100 }, 'people'],
      [{ people: -1 }, 'people'], [{ occupancy: 'haunted' }, 'occupancy'], [{ room: 5 }, 'room'],
      [{ building_code: SHILIUQIAO }, 'building_code'], [{ building_code: '44011100201x' }, 'building_code'],
      [{ extra: 1 }, 'extra'],
    ];
    for (const [over, field] of cases)
      assertFieldError(await as.staff.post('/api/v1/households', one({ room: '909', ...over })), field, undefined, JSON.stringify(over));
    for (const [over, field] of [[{ per_floor: 0 }, 'per_floor'], [{ per_floor: 31 }, 'per_floor'], [{ floor_to: 0, floor_from: 2 }, 'floor_to'],
      [{ units: 21 }, 'units'], [{ floor_from: -6 }, 'floor_from']])
      assertFieldError(await as.staff.post(`/api/v1/buildings/${building}/households/generate`,
        { units: 1, floor_from: 1, floor_to: 2, per_floor: 2, ...over }), field, undefined, JSON.stringify(over));
    const big = await as.staff.post(`/api/v1/buildings/${building}/households/generate`, { units: 20, floor_from: 1, floor_to: 120, per_floor: 30 });
    assertProblem(big, 409, 'full');
    assertProblem(await as.staff.post('/api/v1/households', 'not json'), 400);
    assert.equal((await as.staff.get(`/api/v1/buildings/${building}/households`)).json.items.length, before, 'nothing written');
  });

  test('who may keep households: the community\'s staff and the administrator only', async () => {
    const h = (await as.staff.post('/api/v1/households', one({ room: '303' }))).json;
    const deny = { org: 403, org2: 403, unit: 403, member: 403, memberElsewhere: 403, memberWaiting: 403, resident: 403, anon: 401 };
    await matrix(as, { ...deny, admin: 200, staff: 200, staff2: 404 }, (c) => c.get(`/api/v1/households/${h.id}`), 'read a household');
    await matrix(as, { ...deny, admin: 200, staff: 200, staff2: 404 }, (c) => c.get(`/api/v1/buildings/${building}/households`), 'list a building');
    await matrix(as, { ...deny, admin: 200, staff: 200, staff2: 404 }, (c) => c.get(`/api/v1/communities/${SHILIUQIAO}/households`), 'tally');
    await matrix(as, { ...deny, admin: 200, staff: 200, staff2: 404 },
      (c) => c.patch(`/api/v1/households/${h.id}`, { unit_no: '9', room: '303', people: 2 }), 'edit');
    await matrix(as, { ...deny, admin: 201, staff: 409, staff2: 422 },
      (c, role) => c.post('/api/v1/households', one({ room: role === 'admin' ? '304' : '303' })), 'add');
    await matrix(as, { ...deny, admin: 200, staff: 200, staff2: 404 },
      (c) => c.post(`/api/v1/buildings/${building}/households/generate`, { floor_from: 1, floor_to: 1, per_floor: 1 }), 'generate');
    await matrix(as, { ...deny, admin: 200, staff: 200, staff2: 404 },
      (c) => c.put(`/api/v1/households/${h.id}/residents/${residentId}`), 'attach');
    await matrix(as, { ...deny, admin: 200, staff: 404, staff2: 404 },
      (c) => c.req('DELETE', `/api/v1/households/${h.id}/residents/${residentId}`), 'detach (the administrator, first, detaches)');
    const h2 = (await as.staff.post('/api/v1/households', one({ room: '305' }))).json;
    const h3 = (await as.staff.post('/api/v1/households', one({ room: '306' }))).json;
    await matrix(as, { ...deny, admin: 204, staff: 204, staff2: 404 },
      (c, role) => c.del(`/api/v1/households/${role === 'admin' ? h3.id : h2.id}`), 'remove (the administrator its own)');
    assertProblem(await as.staff.get(`/api/v1/households/${h2.id}`), 404, 'not_found');
    for (const path of ['/api/v1/households/0', '/api/v1/households/abc', '/api/v1/buildings/440111002011/households',
      '/api/v1/buildings/99999999999999/households', '/api/v1/communities/440111002000/households'])
      assertProblem(await as.staff.get(path), 404, 'not_found', path);
  });
});
