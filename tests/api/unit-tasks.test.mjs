// unit-tasks.test.mjs: needs and wishes taken or claimed by a team (only its leader) or a unit (only its
// administrators, only in its partner communities: a signed co-building agreement running today)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { assertProblem, assertFieldError, assertCleanLog, addUser, loginAs, SHILIUQIAO, FEIE } from './helpers.mjs';
import { everyone, reportedMember } from './serving-people.mjs';

const T0 = Date.UTC(2026, 2, 2, 2, 0, 0) / 1000;
let srv, as, unitId, unit2, unit2Id, leader, team, items, residentId;

before(async () => {
  srv = await startServer({ clock: T0 });
  ({ as } = await everyone(srv));
  unitId = (await as.unit.get('/api/v1/me')).json.roles.find((r) => r.role === 'unit').unit.id;
  residentId = (await as.resident.get('/api/v1/me')).json.id;
  const u2 = await as.admin.post('/api/v1/units', { name: '另一家单位', party_org_name: '党支部', type: 'other',
    region_code: SHILIUQIAO.slice(0, 6) + '000000' });
  assert.equal(u2.status, 201, u2.text);
  unit2Id = u2.json.id;
  addUser(srv, 'unit2', 'unit', { unit: unit2Id });
  unit2 = await loginAs(srv, 'unit2');
  // The demo unit is partner of 石榴桥 (signed, running); the other unit only by a draft, and of 飞鹅 by an expired one.
  const agree = async (over) => {
    const r = await as.admin.post('/api/v1/agreements', { unit_id: unitId, community_code: SHILIUQIAO, starts_on: '2026-01-01',
      ends_on: '2027-12-31', status: 'signed', commitments: ['结对帮扶'], ...over });
    assert.equal(r.status, 201, r.text);
  };
  await agree({});
  await agree({ unit_id: unit2Id, status: 'draft' });
  await agree({ unit_id: unit2Id, community_code: FEIE, starts_on: '2024-01-01', ends_on: '2025-12-31' });
  leader = await reportedMember(srv, 'ut_leader', SHILIUQIAO, as.staff);
  const t = await as.staff.post('/api/v1/teams', { region_code: SHILIUQIAO, name: '楼栋服务队', specialty: '医疗',
    description: '帮邻居', leader_id: leader.id });
  assert.equal(t.status, 201, t.text);
  team = t.json;
  const listed = (await as.staff.get(`/api/v1/catalog?region=${SHILIUQIAO}`)).json.items;
  items = Object.fromEntries(listed.map((i) => [i.code, i.id]));
});
after(async () => {
  await srv.stop();
  assertCleanLog(srv.log());
});

async function acceptedNeed(by = as.resident) {
  const r = await by.post('/api/v1/needs', { item_id: items.G04, description: '想请人上门量血压', place: '3栋201',
    wanted_on: '2026-03-07', wanted_part: 'morning', contact_name: '张阿姨', contact_phone: '13800000006' });
  assert.equal(r.status, 201, r.text);
  const a = await as.staff.post(`/api/v1/needs/${r.json.id}/accept`);
  assert.equal(a.status, 200, a.text);
  return a.json;
}

async function publishedWish(community = SHILIUQIAO, by = as.staff) {
  const r = await by.post('/api/v1/wishes', { community_code: community, beneficiary_name: '王小明', title: '一副老花镜',
    description: '看报纸用', value_cap: 300, consent: true, publish: true,
    ...(community === SHILIUQIAO ? { beneficiary_account_id: residentId } : {}) });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

test('a unit\'s open lists hold its partner communities only; another unit (draft, expired agreements) sees none', async () => {
  const n = await acceptedNeed();
  const w = await publishedWish();
  const needs = await as.unit.get('/api/v1/me/open-needs');
  assert.equal(needs.status, 200, needs.text);
  assert.ok(needs.json.items.some((x) => x.id === n.id));
  assert.ok(needs.json.items.every((x) => x.community_code === SHILIUQIAO));
  const wishes = await as.unit.get('/api/v1/me/open-wishes');
  assert.equal(wishes.status, 200, wishes.text);
  assert.deepEqual([wishes.json.unit_id, wishes.json.items.some((x) => x.id === w.id)], [unitId, true]);
  assert.deepEqual((await unit2.get('/api/v1/me/open-needs')).json.items, []);
  assert.deepEqual((await unit2.get('/api/v1/me/open-wishes')).json.items, []);
  assertFieldError(await as.member.get('/api/v1/me/open-wishes?as=unit'), 'as', 'forbidden');
  assertProblem(await as.unit.get('/api/v1/me/open-needs?as=team'), 400, 'bad_query');
  // A member's lists are unchanged: their own community.
  assert.ok((await as.member.get('/api/v1/me/open-needs')).json.items.some((x) => x.id === n.id));
  assert.equal((await as.member.get('/api/v1/me/open-wishes')).json.community_code, SHILIUQIAO);
});

test('a unit takes a need of a partner community, starts and finishes it; it shows in its tasks', async () => {
  const n = await acceptedNeed();
  assertFieldError(await as.unit.post(`/api/v1/needs/${n.id}/take`, { as: 'unit' }), 'unit_id', 'required');
  assertProblem(await as.unit.post(`/api/v1/needs/${n.id}/take`, { as: 'unit', unit_id: unit2Id }), 403, 'forbidden',
    'only the unit\'s own administrators');
  assertProblem(await unit2.post(`/api/v1/needs/${n.id}/take`, { as: 'unit', unit_id: unit2Id }), 404, 'not_found',
    'a draft agreement makes no partner');
  assertProblem(await as.member.post(`/api/v1/needs/${n.id}/take`, { as: 'unit', unit_id: unitId }), 403, 'forbidden');
  assertFieldError(await as.member.post(`/api/v1/needs/${n.id}/take`, { unit_id: unitId }), 'unit_id', 'unexpected');
  assert.equal((await as.staff.get(`/api/v1/needs/${n.id}`)).json.state, 'accepted', 'refused requests change nothing');
  const t = await as.unit.post(`/api/v1/needs/${n.id}/take`, { as: 'unit', unit_id: unitId });
  assert.equal(t.status, 200, t.text);
  assert.deepEqual([t.json.state, t.json.assignee_kind], ['taken', 'unit']);
  const tasks = await as.unit.get('/api/v1/me/tasks');
  assert.ok(tasks.json.items.some((x) => x.id === n.id));
  assert.ok(!(await as.unit.get('/api/v1/me/open-needs')).json.items.some((x) => x.id === n.id));
  const s = await as.unit.post(`/api/v1/needs/${n.id}/start`);
  assert.equal(s.json.state, 'in_progress', s.text);
  const d = await as.unit.post(`/api/v1/needs/${n.id}/done`, { note: '已上门', minutes: 60, fields: { 服务人数: 1 } });
  assert.equal(d.json.state, 'done', d.text);
  // Taken already: the member who comes second learns who has it.
  const late = await as.member.post(`/api/v1/needs/${n.id}/take`, {});
  assert.equal(late.status, 409, late.text);
});

test('a wish of a community that is no partner answers 404 to a unit', async () => {
  const w = await publishedWish(FEIE, as.staff2);
  assertProblem(await as.unit.post(`/api/v1/wishes/${w.id}/claim`, { as: 'unit', unit_id: unitId }), 404, 'not_found');
  assertProblem(await unit2.post(`/api/v1/wishes/${w.id}/claim`, { as: 'unit', unit_id: unit2Id }), 404, 'not_found',
    'an expired agreement makes no partner');
  assert.ok(!(await as.unit.get('/api/v1/me/open-wishes')).json.items.some((x) => x.id === w.id));
});

test('who may take and claim as a team: only its leader; as a unit: only its administrators', async () => {
  const n = await acceptedNeed();
  assertProblem(await as.member.post(`/api/v1/needs/${n.id}/take`, { as: 'team', team_id: team.id }), 403, undefined,
    'a member who does not lead it');
  assertProblem(await as.unit.post(`/api/v1/needs/${n.id}/take`, { as: 'team', team_id: team.id }), 404, 'not_found');
  const t = await leader.client.post(`/api/v1/needs/${n.id}/take`, { as: 'team', team_id: team.id });
  assert.equal(t.status, 200, t.text);
  assert.deepEqual([t.json.assignee_kind, t.json.assignee_name], ['team', '楼栋服务队']);
  assert.ok((await leader.client.get('/api/v1/me/tasks')).json.items.some((x) => x.id === n.id), 'the leader holds the team\'s task');

  const w = await publishedWish();
  assertFieldError(await as.member.post(`/api/v1/wishes/${w.id}/claim`, { as: 'team', team_id: team.id }), 'team_id', 'not_found');
  assertProblem(await as.unit.post(`/api/v1/wishes/${w.id}/claim`, { as: 'team', team_id: team.id }), 403, 'forbidden');
  assertProblem(await as.member.post(`/api/v1/wishes/${w.id}/claim`, { as: 'unit', unit_id: unitId }), 403, 'forbidden');
  assertProblem(await unit2.post(`/api/v1/wishes/${w.id}/claim`, { as: 'unit', unit_id: unit2Id }), 404, 'not_found');
  assertProblem(await as.unit.post(`/api/v1/wishes/${w.id}/claim`, { as: 'unit', unit_id: unit2Id }), 403, 'forbidden');
  const c = await as.unit.post(`/api/v1/wishes/${w.id}/claim`, { as: 'unit', unit_id: unitId });
  assert.equal(c.status, 200, c.text);
  assert.deepEqual([c.json.claimer.kind, c.json.claimer.unit_id], ['unit', unitId]);
  assert.ok((await as.unit.get('/api/v1/me/wishes')).json.claimed.some((x) => x.id === w.id));
  const f = await as.unit.post(`/api/v1/wishes/${w.id}/fulfil`, { note: '单位捐赠', value_spent: 100, minutes: 60 });
  assert.equal(f.json.state, 'fulfilled', f.text);
});

test('a team\'s leader: /me/teams flags it; what is dispatched to or claimed for the team is in the leader\'s lists only', async () => {
  const mine = (await leader.client.get('/api/v1/me/teams')).json.items.find((m) => m.team_id === team.id);
  assert.deepEqual([mine?.leader, mine?.state, mine?.team_state], [true, 'member', 'active'], 'the phone asks 以个人 / 以服务队 from this');
  assert.ok(!(await as.member.get('/api/v1/me/teams')).json.items.some((m) => m.team_id === team.id && m.leader));

  const n = await acceptedNeed();
  const d = await as.staff.post(`/api/v1/needs/${n.id}/dispatch`, { kind: 'team', id: team.id });
  assert.equal(d.status, 200, d.text);
  assert.deepEqual([d.json.state, d.json.assignee_kind, d.json.assignee_name], ['dispatched', 'team', '楼栋服务队']);
  assert.ok((await leader.client.get('/api/v1/me/tasks')).json.items.some((x) => x.id === n.id), 'in the leader\'s 我的任务');
  assert.ok(!(await as.member.get('/api/v1/me/tasks')).json.items.some((x) => x.id === n.id), 'not in another member\'s');
  assertProblem(await as.member.post(`/api/v1/needs/${n.id}/answer`), 404, 'not_found');
  const a = await leader.client.post(`/api/v1/needs/${n.id}/answer`);
  assert.equal(a.status, 200, a.text);
  assert.deepEqual([a.json.state, a.json.assignee_kind], ['taken', 'team']);

  const w = await publishedWish();
  const c = await leader.client.post(`/api/v1/wishes/${w.id}/claim`, { as: 'team', team_id: team.id });
  assert.equal(c.status, 200, c.text);
  assert.deepEqual([c.json.claimer.kind, c.json.claimer.team_id, c.json.claimer.name], ['team', team.id, '楼栋服务队']);
  const row = (await leader.client.get('/api/v1/me/wishes')).json.claimed.find((x) => x.id === w.id);
  assert.deepEqual([row?.claimer_kind, row?.claimer_name], ['team', '楼栋服务队'], 'the phone says 以服务队「…」认领');
  assert.ok(!(await as.member.get('/api/v1/me/wishes')).json.claimed.some((x) => x.id === w.id));
  const again = await as.member.post(`/api/v1/wishes/${w.id}/claim`, { as: 'member' });
  assert.equal(again.status, 409, again.text);
  assert.equal(again.json.taken_by, '楼栋服务队');
  // A personal claim says so too.
  const w2 = await publishedWish();
  const p = await leader.client.post(`/api/v1/wishes/${w2.id}/claim`, { as: 'member' });
  assert.equal(p.status, 200, p.text);
  assert.equal((await leader.client.get('/api/v1/me/wishes')).json.claimed.find((x) => x.id === w2.id)?.claimer_kind, 'member');
});
