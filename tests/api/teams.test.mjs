// teams.test.mjs: teams (党员服务队/突击队) of a community or a street: a specialty, a leader, applications, members' service
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { assertProblem, assertFieldError, assertCleanLog, SHILIUQIAO, FEIE, SANYUANLI, SANYANJING } from './helpers.mjs';
import { everyone, matrix, reportedMember, wide } from './serving-people.mjs';

const T0 = Date.UTC(2026, 2, 2, 2, 0, 0) / 1000; // 2026-03-02 10:00 in China
let srv, as, leader;

let people = 0;
// A member approved in community (石榴桥社区 unless said), signed in.
const someone = async (community = SHILIUQIAO) => {
  people += 1;
  const approver = community === SHILIUQIAO ? as.staff : community === FEIE ? as.staff2 : null;
  return reportedMember(srv, `team_m${people}`, community, approver);
};

before(async () => {
  srv = await startServer({ clock: T0 });
  ({ as } = await everyone(srv));
  leader = await someone();
});
after(async () => {
  await srv.stop();
  assertCleanLog(srv.log());
});

let serial = 0;
const teamBody = (over = {}) => {
  serial += 1;
  return { region_code: SHILIUQIAO, name: `石榴桥社区党员服务队${serial}`, specialty: '医疗',
    description: '每月第一个周六义诊', ...over };
};
const newTeam = async (over = {}, by = as.staff) => {
  const r = await by.post('/api/v1/teams', teamBody(over));
  assert.equal(r.status, 201, r.text);
  return r.json;
};
const join = (c, teamId, note) => c.post(`/api/v1/teams/${teamId}/join`, note === undefined ? undefined : { note });
// Staff or the leader act on membership id: approve, refuse or remove (with a reason, or none at all).
const decide = (c, id, step, reason) => {
  const body = reason === undefined ? undefined : { reason };
  if (step === 'approve') return c.post(`/api/v1/team-members/${id}/approve`, body);
  if (step === 'refuse') return c.post(`/api/v1/team-members/${id}/refuse`, body);
  return c.post(`/api/v1/team-members/${id}/remove`, body);
};
const page = async (teamId, c = as.staff) => (await c.get(`/api/v1/teams/${teamId}`)).json;

describe('a community or a street creates a team with a specialty and a leader', () => {
  test('a community\'s team: its leader is its first member', async () => {
    const r = await as.staff.post('/api/v1/teams', teamBody({ name: '石榴桥社区党员医疗服务队', leader_id: leader.id }));
    assert.equal(r.status, 201, r.text);
    const t = r.json;
    assert.deepEqual([t.region_code, t.region_name, t.region_level, t.specialty, t.state, t.leader_id, t.leader_name],
      [SHILIUQIAO, '石榴桥社区', 'community', '医疗', 'active', leader.id, leader.name]);
    assert.deepEqual([t.members, t.applied], [1, 0]);
    assert.deepEqual(t.team_members.map((m) => [m.member_id, m.state, m.leader]), [[leader.id, 'member', true]]);
    assert.deepEqual(t.team_members[0].service, { team_records: 0, team_minutes: 0, records: 0, minutes: 0 });
    assert.match(t.team_members[0].member_phone, /^137\d{8}$/, 'staff see the phone');
    assert.deepEqual(t.applications, []);
    const listed = (await as.staff.get(`/api/v1/teams?region=${SHILIUQIAO}`)).json;
    assert.ok(listed.items.some((x) => x.id === t.id));
    const led = (await leader.client.get('/api/v1/me/teams')).json.items;
    assert.deepEqual(led.map((m) => [m.team_id, m.state, m.leader]), [[t.id, 'member', true]]);
  });

  test('a street\'s team by its org, without a leader yet; community staff may not make one', async () => {
    const t = await newTeam({ region_code: SANYUANLI, name: '三元里街党员水电维修突击队', specialty: '水电维修' }, as.org);
    assert.deepEqual([t.region_level, t.leader_id, t.leader_name, t.members], ['street', null, null, 0]);
    assertProblem(await as.staff.post('/api/v1/teams', teamBody({ region_code: SANYUANLI })), 403, 'forbidden');
    const orgList = (await as.org.get('/api/v1/teams?per_page=100')).json.items;
    assert.ok(orgList.some((x) => x.id === t.id));
    assert.ok(!(await as.staff.get('/api/v1/teams?per_page=100')).json.items.some((x) => x.id === t.id),
      'community staff list their community\'s teams');
    assert.equal((await as.org2.get('/api/v1/teams')).json.total, 0);
  });

  test('one active team of a name in a region; the leader serves there; the specialty is one of the list', async () => {
    const t = await newTeam({ name: '同名服务队' });
    const dup = await as.staff.post('/api/v1/teams', teamBody({ name: '同名服务队' }));
    assertProblem(dup, 409, 'conflict');
    assert.equal(dup.json.errors[0].field, 'name');
    assert.equal((await as.staff2.post('/api/v1/teams', teamBody({ region_code: FEIE, name: '同名服务队' }))).status, 201);
    const far = await someone(FEIE);
    assertFieldError(await as.staff.post('/api/v1/teams', teamBody({ leader_id: far.id })), 'leader_id', 'not_found');
    const waiting = await someone(SANYANJING);
    assertFieldError(await as.staff.post('/api/v1/teams', teamBody({ leader_id: waiting.id })), 'leader_id', 'not_found');
    assertFieldError(await as.staff.post('/api/v1/teams', teamBody({ specialty: '飞行' })), 'specialty', 'enum');
    await as.staff.post(`/api/v1/teams/${t.id}/disband`, { reason: '改名重建' });
    assert.equal((await as.staff.post('/api/v1/teams', teamBody({ name: '同名服务队' }))).status, 201,
      'the name is free again once the team is disbanded');
  });
});

describe('members apply; staff or the leader approve, or refuse with a reason', () => {
  let team, street;

  before(async () => {
    team = await newTeam({ leader_id: leader.id, name: '石榴桥社区党员志愿服务队' });
    street = await newTeam({ region_code: SANYUANLI, name: '三元里街党员突击队' }, as.org);
  });

  test('an application waits for the leader, who sees it without phones; a member of the community does not', async () => {
    const a = await someone();
    const r = await join(a.client, team.id, '我是医生，愿意参加义诊');
    assert.equal(r.status, 201, r.text);
    assert.deepEqual([r.json.state, r.json.note, r.json.team_name, r.json.member_id], ['applied', '我是医生，愿意参加义诊',
      team.name, a.id]);
    const byLeader = await page(team.id, leader.client);
    assert.deepEqual(byLeader.applications.map((x) => [x.member_id, x.note]), [[a.id, '我是医生，愿意参加义诊']]);
    assert.equal(byLeader.applications[0].member_phone, undefined);
    assert.equal(byLeader.team_members[0].member_phone, undefined);
    const byStaff = await page(team.id);
    assert.match(byStaff.applications[0].member_phone, /^137\d{8}$/);
    const byMember = await page(team.id, as.member);
    assert.deepEqual(byMember.applications, []);
    assert.equal(byMember.applied, 1);
    assertProblem(await join(a.client, team.id), 409, 'conflict', 'one application at a time');
    const ok = await decide(leader.client, r.json.id, 'approve');
    assert.deepEqual([ok.status, ok.json.state], [200, 'member']);
    assertProblem(await join(a.client, team.id), 409, 'conflict', 'a member applies no more');
    const after = await page(team.id);
    assert.deepEqual([after.members, after.applied], [2, 0]);
    assert.deepEqual(after.team_members.map((m) => m.member_id), [leader.id, a.id], 'the leader first');
    const file = (await as.staff.get(`/api/v1/members/${a.id}`)).json;
    assert.deepEqual(file.teams.map((m) => [m.team_id, m.state, m.specialty]), [[team.id, 'member', '医疗']]);
    assert.ok((await a.client.get('/api/v1/me/member')).json.teams.some((m) => m.team_id === team.id));
  });

  test('refused with a reason the member reads; a member who is not the leader may not decide', async () => {
    const b = await someone(), c = await someone();
    const ab = (await join(b.client, team.id)).json, ac = (await join(c.client, team.id)).json;
    assertFieldError(await decide(leader.client, ab.id, 'refuse'), 'reason', 'required');
    const no = await decide(leader.client, ab.id, 'refuse', '本队暂时只招医护人员');
    assert.deepEqual([no.status, no.json.state, no.json.reason], [200, 'refused', '本队暂时只招医护人员']);
    const seen = (await b.client.get('/api/v1/me/teams')).json.items.find((m) => m.id === ab.id);
    assert.deepEqual([seen.state, seen.reason], ['refused', '本队暂时只招医护人员']);
    assertProblem(await decide(as.member, ac.id, 'approve'), 403, 'forbidden');
    assertProblem(await decide(c.client, ac.id, 'approve'), 403, 'forbidden', 'nobody approves themselves');
    assert.equal((await decide(as.staff, ac.id, 'approve')).status, 200);
    assertProblem(await decide(as.staff, ac.id, 'approve'), 409, 'conflict');
    assert.equal((await join(b.client, team.id)).status, 201, 'a refused member may apply again');
  });

  test('a street\'s team takes members of its every community; a community\'s only its own', async () => {
    const r = await join(as.memberElsewhere, street.id, '住飞鹅新村');
    assert.equal(r.status, 201, r.text);
    assertProblem(await join(as.memberElsewhere, team.id), 404, 'not_found');
    assertProblem(await join(as.memberWaiting, street.id), 403, 'forbidden');
    const open = (await as.member.get('/api/v1/me/teams/open')).json.items;
    const at = (id) => open.findIndex((t) => t.id === id);
    assert.ok(at(team.id) >= 0 && at(street.id) > at(team.id), 'the community\'s teams first, then the street\'s');
    assert.ok(open.every((t, i) => i === 0 || !(t.region_level === 'community' && open[i - 1].region_level === 'street')));
    const there = (await as.memberElsewhere.get('/api/v1/me/teams/open')).json.items;
    assert.deepEqual(there.find((t) => t.id === street.id).my_membership, { id: r.json.id, state: 'applied' });
    assert.ok(!there.some((t) => t.id === team.id));
  });

  test('leaving, withdrawing, removal; a leader who leaves leaves the team without one', async () => {
    const d = await someone(), e = await someone(), f = await someone();
    const t = await newTeam({ leader_id: d.id });
    await decide(as.staff, (await join(e.client, t.id)).json.id, 'approve');
    const fa = (await join(f.client, t.id)).json;
    const w = await f.client.post(`/api/v1/me/teams/${t.id}/leave`);
    assert.equal(w.status, 200, w.text);
    assert.equal(w.json.items.find((m) => m.id === fa.id).state, 'withdrawn');
    assertProblem(await decide(as.staff, fa.id, 'approve'), 409, 'conflict');
    const em = (await page(t.id)).team_members.find((m) => m.member_id === e.id);
    assertProblem(await decide(d.client, em.id, 'remove', '不参加活动'), 403, 'forbidden', 'the leader does not remove');
    assertFieldError(await decide(as.staff, em.id, 'remove'), 'reason', 'required');
    const removed = await decide(as.staff, em.id, 'remove', '半年未参加活动');
    assert.deepEqual([removed.json.state, removed.json.reason], ['removed', '半年未参加活动']);
    assert.deepEqual((await e.client.get('/api/v1/me/teams')).json.items.map((m) => m.state), ['removed']);
    assert.deepEqual((await as.staff.get(`/api/v1/members/${e.id}`)).json.teams, []);
    const left = await d.client.post(`/api/v1/me/teams/${t.id}/leave`, { note: '工作太忙' });
    assert.deepEqual(left.json.items.map((m) => [m.state, m.note]), [['left', '工作太忙']]);
    const now = await page(t.id);
    assert.deepEqual([now.leader_id, now.members], [null, 0]);
    assertProblem(await d.client.post(`/api/v1/me/teams/${t.id}/leave`), 404, 'not_found');
  });

  test('edits: a new leader joins at once; the region stays', async () => {
    const g = await someone();
    const t = await newTeam();
    const body = { name: '改名后的服务队', specialty: '法律', description: '法律咨询', leader_id: g.id };
    const r = await as.staff.put(`/api/v1/teams/${t.id}`, body);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.json.name, r.json.specialty, r.json.leader_id, r.json.members], ['改名后的服务队', '法律', g.id, 1]);
    assert.ok(r.json.team_members[0].leader);
    assertFieldError(await as.staff.put(`/api/v1/teams/${t.id}`, { ...body, region_code: FEIE }), 'region_code', 'unknown');
    assertFieldError(await as.staff.put(`/api/v1/teams/${t.id}`, { ...body, leader_id: (await someone(FEIE)).id }),
      'leader_id', 'not_found');
    const none = await as.staff.put(`/api/v1/teams/${t.id}`, { name: '改名后的服务队' });
    assert.deepEqual([none.json.leader_id, none.json.specialty, none.json.members], [null, '', 1],
      'all replaced: no leader, the former one stays a member');
  });

  test('disbanded with a reason: its applications are refused, it takes no one, it leaves the member file', async () => {
    const h = await someone(), i = await someone();
    const t = await newTeam({ leader_id: h.id });
    const ai = (await join(i.client, t.id)).json;
    assertFieldError(await as.staff.post(`/api/v1/teams/${t.id}/disband`, {}), 'reason', 'required');
    const r = await as.staff.post(`/api/v1/teams/${t.id}/disband`, { reason: '并入街道突击队' });
    assert.deepEqual([r.status, r.json.state, r.json.reason], [200, 'disbanded', '并入街道突击队']);
    const ia = (await i.client.get('/api/v1/me/teams')).json.items.find((m) => m.id === ai.id);
    assert.deepEqual([ia.state, ia.reason], ['refused', '并入街道突击队']);
    assertProblem(await join(i.client, t.id), 409, 'conflict');
    assertProblem(await as.staff.put(`/api/v1/teams/${t.id}`, { name: '复活' }), 409, 'conflict');
    assertProblem(await as.staff.post(`/api/v1/teams/${t.id}/disband`, { reason: '再解散' }), 409, 'conflict');
    assert.deepEqual((await as.staff.get(`/api/v1/members/${h.id}`)).json.teams, []);
    assert.deepEqual((await h.client.get('/api/v1/me/teams')).json.items.map((m) => m.team_state), ['disbanded']);
    assert.ok((await as.staff.get('/api/v1/teams?state=disbanded')).json.items.some((x) => x.id === t.id));
    assert.ok(!(await as.member.get('/api/v1/me/teams/open')).json.items.some((x) => x.id === t.id));
  });
});

describe('the team page lists members with their confirmed service', () => {
  test('a member\'s service counts once the community confirms it', async () => {
    const m = await someone();
    const t = await newTeam({ leader_id: m.id });
    const items = Object.fromEntries((await as.staff.get(`/api/v1/catalog?region=${SHILIUQIAO}`)).json.items
      .map((i) => [i.code, i.id]));
    const post = (await as.staff.post('/api/v1/posts', { community_code: SHILIUQIAO, item_id: items.P06, name: '夜间平安巡逻',
      places: 5, starts_on: '2026-03-01' })).json;
    await as.staff.post(`/api/v1/post-claims/${(await m.client.post(`/api/v1/posts/${post.id}/claims`)).json.id}/approve`);
    const logged = await m.client.post(`/api/v1/posts/${post.id}/service`, { started_at: T0 - 4 * 3600, minutes: 90 });
    assert.equal(logged.status, 201, logged.text);
    const service = async () => (await page(t.id)).team_members.find((x) => x.member_id === m.id).service;
    assert.deepEqual(await service(), { team_records: 0, team_minutes: 0, records: 0, minutes: 0 }, 'pending: not yet');
    assert.equal((await as.staff.post(`/api/v1/records/${logged.json.id}/confirm`)).status, 200);
    assert.deepEqual(await service(), { team_records: 0, team_minutes: 0, records: 1, minutes: 90 },
      'confirmed: counted, though not in one of the team\'s activities');
    assert.deepEqual((await page(t.id, as.member)).team_members.find((x) => x.member_id === m.id).service.minutes, 90,
      'members of the place see it too');
  });
});

describe('at once', () => {
  test('one member applying ten times at once: one application; two workers approving it at once: one approval', async () => {
    const m = await someone();
    const t = await newTeam();
    const rs = await Promise.all(Array.from({ length: 10 }, () => join(m.client, t.id)));
    assert.deepEqual(rs.map((r) => r.status).sort(), [201, ...Array(9).fill(409)]);
    const id = rs.find((r) => r.status === 201).json.id;
    const both = await Promise.all([decide(as.staff, id, 'approve'), decide(as.org, id, 'approve')]);
    assert.deepEqual(both.map((r) => r.status).sort(), [200, 409]);
    assert.equal((await page(t.id)).members, 1);
  });
});

describe('who may do what', () => {
  const console = { unit: 403, member: 403, memberElsewhere: 403, memberWaiting: 403, resident: 403, anon: 401 };
  const phone = { admin: 403, org: 403, org2: 403, staff: 403, staff2: 403, unit: 403, resident: 403, anon: 401 };
  let team;

  before(async () => {
    team = await newTeam({ leader_id: leader.id });
  });

  test('lists and the team page', async () => {
    await matrix(as, { admin: 200, org: 200, org2: 200, staff: 200, staff2: 200, ...console },
      (c) => c.get('/api/v1/teams'), 'GET /teams');
    await matrix(as, { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, unit: 403, member: 200,
      memberElsewhere: 404, memberWaiting: 404, resident: 403, anon: 401 },
    (c) => c.get(`/api/v1/teams/${team.id}`), 'GET /teams/{id}');
    await matrix(as, { ...phone, member: 200, memberElsewhere: 200, memberWaiting: 200 },
      (c) => c.get('/api/v1/me/teams'), 'GET /me/teams');
    await matrix(as, { ...phone, member: 200, memberElsewhere: 200, memberWaiting: 403 },
      (c) => c.get('/api/v1/me/teams/open'), 'GET /me/teams/open');
  });

  test('creating, editing, disbanding: staff of the community, its street\'s org, admin', async () => {
    await matrix(as, { admin: 201, org: 201, org2: 403, staff: 201, staff2: 403, ...console },
      (c) => c.post('/api/v1/teams', teamBody()), 'POST /teams');
    const edit = { name: team.name, specialty: '医疗', leader_id: leader.id };
    await matrix(as, { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, ...console },
      (c) => c.put(`/api/v1/teams/${team.id}`, edit), 'PUT /teams/{id}');
    const toGo = { admin: await newTeam(), org: await newTeam(), staff: await newTeam() };
    await matrix(as, { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, ...console },
      (c, role) => c.post(`/api/v1/teams/${(toGo[role] ?? team).id}/disband`, { reason: '合并' }), 'disband');
    assert.equal((await page(team.id)).state, 'active', 'refused disbands wrote nothing');
    const log = (await as.admin.get(`/api/v1/audit?action=team.disband&target_id=${team.id}`)).json.items;
    assert.ok(log.length > 0 && log.every((e) => e.outcome === 'denied'), 'refusals are audited');
  });

  test('joining and leaving: a member serving where the team is', async () => {
    await matrix(as, { ...phone, member: 201, memberElsewhere: 404, memberWaiting: 403 },
      (c) => join(c, team.id), 'POST /teams/{id}/join');
    await matrix(as, { ...phone, member: 200, memberElsewhere: 404, memberWaiting: 404 },
      (c) => c.post(`/api/v1/me/teams/${team.id}/leave`), 'POST /me/teams/{id}/leave');
  });

  test('deciding: staff, the street\'s org, admin, the leader (applications only)', async () => {
    const applicant = {};
    for (const role of ['admin', 'org', 'staff', 'member']) applicant[role] = await someone();
    const apply = async () => {
      const ids = {};
      for (const role of Object.keys(applicant)) ids[role] = (await join(applicant[role].client, team.id)).json.id;
      return ids;
    };
    const expect = { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, unit: 403, member: 403,
      memberElsewhere: 404, memberWaiting: 404, resident: 403, anon: 401 };
    let ids = await apply();
    await matrix(as, expect, (c, role) => decide(c, ids[role] ?? ids.member, 'approve'), 'approve');
    assert.equal((await decide(leader.client, ids.member, 'approve')).status, 200, 'the leader approves');
    const members = (await page(team.id)).team_members;
    const mid = (role) => members.find((m) => m.member_id === applicant[role].id).id;
    const byRole = { admin: mid('admin'), org: mid('org'), staff: mid('staff') };
    await matrix(as, { ...expect, memberElsewhere: 403, memberWaiting: 403 },
      (c, role) => decide(c, byRole[role] ?? mid('member'), 'remove', '调整队伍'), 'remove');
    assertProblem(await decide(leader.client, mid('member'), 'remove', '调整队伍'), 403, 'forbidden');
    for (const role of ['admin', 'org', 'staff']) await join(applicant[role].client, team.id);
    ids = Object.fromEntries((await page(team.id)).applications.map((a) => [Object.keys(applicant)
      .find((r) => applicant[r].id === a.member_id), a.id]));
    const waiting = (await join(as.member, team.id)).json?.id;
    await matrix(as, expect, (c, role) => decide(c, ids[role] ?? waiting, 'refuse', '名额已满'), 'refuse');
    assert.equal((await decide(leader.client, waiting, 'refuse', '名额已满')).status, 200, 'the leader refuses');
  });
});

describe('hostile input: a 4xx naming the field, nothing written, the server alive', () => {
  test('bodies', async () => {
    const count = async () => (await as.staff.get(`/api/v1/teams?region=${SHILIUQIAO}`)).json.total;
    const before = await count();
    const cases = [
      [{ region_code: undefined }, 'region_code', 'required'],
      [{ region_code: '440111002011999' }, 'region_code', 'not_found'],
      [{ region_code: '4401110020' }, 'region_code', 'not_found'],
      [{ region_code: "1'; DROP TABLE team; --" }, 'region_code', 'too_long'],
      [{ name: '' }, 'name', ['required', 'too_short']],
      [{ name: wide(41) }, 'name', 'too_long'],
      [{ name: ['队'] }, 'name', 'type'],
      [{ specialty: wide(21) }, 'specialty', 'too_long'],
      [{ specialty: '医疗,法律' }, 'specialty', 'enum'],
      [{ description: wide(501) }, 'description', 'too_long'],
      [{ leader_id: -1 }, 'leader_id', 'too_small'],
      [{ leader_id: 999999 }, 'leader_id', 'not_found'],
      [{ leader_id: '1' }, 'leader_id', 'type'],
      [{ state: 'active' }, 'state', 'unknown'],
    ];
    for (const [over, field, code] of cases)
      assertFieldError(await as.staff.post('/api/v1/teams', teamBody(over)), field, code, field);
    assertProblem(await as.staff.post('/api/v1/teams', '{'), 400);
    assertProblem(await as.staff.post('/api/v1/teams', 'null'), 400);
    assert.equal(await count(), before, 'nothing written');
    const t = await newTeam();
    const m = await someone();
    assertFieldError(await join(m.client, t.id, wide(201)), 'note', 'too_long');
    assertFieldError(await m.client.post(`/api/v1/teams/${t.id}/join`, { member_id: 1 }), 'member_id', 'unknown');
    assertProblem(await m.client.post(`/api/v1/teams/${t.id}/join`, '[1]'), 400);
    assert.equal((await page(t.id)).applied, 0);
    const a = (await join(m.client, t.id)).json;
    assertFieldError(await decide(as.staff, a.id, 'refuse', wide(201)), 'reason', 'too_long');
    assertFieldError(await decide(as.staff, a.id, 'refuse', 'x'), 'reason', 'too_short');
    assertFieldError(await as.staff.post(`/api/v1/teams/${t.id}/disband`, { reason: { text: '解散' } }), 'reason', 'type');
    for (const bad of ['x', '0', '1e3', '99999999999999999999']) {
      assertProblem(await decide(as.staff, bad, 'approve'), 404, 'not_found', bad);
      assertProblem(await as.staff.get(`/api/v1/teams/${bad}`), 404, 'not_found', bad);
    }
    assert.equal((await page(t.id)).applied, 1);
    assert.equal((await page(t.id)).state, 'active');
    assert.equal((await as.staff.get('/healthz')).status, 200);
  });

  test('queries', async () => {
    for (const [path, field] of [['/api/v1/teams?state=gone', 'state'], ['/api/v1/teams?region=abc', 'region'],
      ['/api/v1/teams?region=440111999999', 'region'], ['/api/v1/teams?region=%ff%fe', 'region'],
      ['/api/v1/teams?page=x', 'page']]) {
      const r = await as.staff.get(path);
      assertProblem(r, 400, 'bad_query', path);
      assert.equal(r.json.errors?.[0]?.field, field, path);
    }
  });
});

describe('limits', () => {
  test('every text at its limit in 4-byte characters reads back intact', async () => {
    const m = await someone(), n = await someone();
    const t = await newTeam({ name: wide(40), description: wide(500, 0x20100), leader_id: m.id });
    assert.deepEqual([t.name, t.description], [wide(40), wide(500, 0x20100)]);
    const a = (await join(n.client, t.id, wide(200, 0x20200))).json;
    assert.equal(a.note, wide(200, 0x20200));
    const no = (await decide(m.client, a.id, 'refuse', wide(200, 0x20300))).json;
    assert.equal(no.reason, wide(200, 0x20300));
    const left = (await m.client.post(`/api/v1/me/teams/${t.id}/leave`, { note: wide(200, 0x20400) })).json;
    assert.equal(left.items.find((x) => x.team_id === t.id).note, wide(200, 0x20400));
    const gone = (await as.staff.post(`/api/v1/teams/${t.id}/disband`, { reason: wide(200, 0x20500) })).json;
    assert.equal(gone.reason, wide(200, 0x20500));
    const back = (await n.client.get('/api/v1/me/teams')).json.items.find((x) => x.id === a.id);
    assert.deepEqual([back.team_name, back.note, back.reason], [wide(40), wide(200, 0x20200), wide(200, 0x20300)]);
    const listed = (await as.staff.get('/api/v1/teams?state=disbanded&per_page=100')).json.items.find((x) => x.id === t.id);
    assert.deepEqual([listed.name, listed.description, listed.reason], [wide(40), wide(500, 0x20100), wide(200, 0x20500)]);
  });
});
