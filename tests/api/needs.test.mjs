// needs.test.mjs: residents' needs (需求清单): 居民点单 → 社区派单 / 党员接单 → done → confirmed, rated, a record
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { assertProblem, assertFieldError, assertCleanLog, addUser, loginAs, SHILIUQIAO, FEIE } from './helpers.mjs';
import { everyone, matrix, reportedMember, wide } from './serving-people.mjs';

const T0 = Date.UTC(2026, 2, 2, 2, 0, 0) / 1000; // 2026-03-02 10:00 in China, a Monday
const DAY = 86400;
let srv, as, items, memberId, elsewhereId, doctor, resident2;

before(async () => {
  srv = await startServer({ clock: T0 });
  ({ as, memberId, elsewhereId } = await everyone(srv));
  const listed = (await as.staff.get(`/api/v1/catalog?region=${SHILIUQIAO}`)).json.items;
  items = Object.fromEntries(listed.map((i) => [i.code, i.id]));
  doctor = await reportedMember(srv, 'need_doctor', SHILIUQIAO, as.staff, { specialties: '医疗' });
  addUser(srv, 'resident2', 'resident', { region: SHILIUQIAO, name: '李伯' });
  resident2 = await loginAs(srv, 'resident2');
});
after(async () => {
  await srv.stop();
  assertCleanLog(srv.log());
});

const body = (over = {}) => ({ item_id: items.G04, description: '老伴腿脚不便，想请医生上门量血压', place: '3栋201',
  wanted_on: '2026-03-07', wanted_part: 'morning', contact_name: '张阿姨', contact_phone: '13800000006', ...over });

// A need the demo resident posts and staff accept.
async function acceptedNeed(over = {}) {
  const r = await as.resident.post('/api/v1/needs', body(over));
  assert.equal(r.status, 201, r.text);
  const a = await as.staff.post(`/api/v1/needs/${r.json.id}/accept`);
  assert.equal(a.status, 200, a.text);
  return a.json;
}

test('the whole life: posted, suggested, dispatched, answered, done, confirmed and rated: a confirmed record', async () => {
  const posted = await as.resident.post('/api/v1/needs', body());
  assert.equal(posted.status, 201, posted.text);
  const n = posted.json;
  assert.deepEqual([n.state, n.channel, n.community_code, n.contact_phone, n.urgency, n.mine.requester],
    ['submitted', 'self', SHILIUQIAO, '13800000006', 'normal', true]);
  assert.equal(n.expires_at, T0 + 7 * DAY);
  // The queue: counts by state; the SLA colour of a need waiting to be accepted.
  const q = await as.staff.get(`/api/v1/needs?community=${SHILIUQIAO}`);
  assert.equal(q.status, 200, q.text);
  const row = q.json.items.find((x) => x.id === n.id);
  assert.deepEqual([row.sla, row.due_at, q.json.counts.submitted >= 1], ['ok', T0 + 24 * 3600, true]);
  assert.equal((await as.staff.post(`/api/v1/needs/${n.id}/accept`)).status, 200);

  // The doctor (医疗, for 义诊) comes first, and says why.
  const s = await as.staff.get(`/api/v1/needs/${n.id}/suggestions`);
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.items[0].member_id, doctor.id, JSON.stringify(s.json.items));
  assert.ok(s.json.items[0].reasons.some((x) => x.kind === 'specialty' && x.text === '有「医疗」特长'), JSON.stringify(s.json.items[0]));
  assert.ok(s.json.items[0].reasons.some((x) => x.text === '手头没有任务'));
  assert.ok(s.json.items.some((x) => x.member_id === memberId));
  assert.ok(!s.json.items.some((x) => x.member_id === elsewhereId), 'a member of another community is not suggested');
  // The resources that serve the item come with them, each saying whom to send it to.
  const unitId = (await as.unit.get('/api/v1/me')).json.roles.find((g) => g.role === 'unit').unit.id;
  const res = await as.staff.post('/api/v1/resources', { community_code: SHILIUQIAO, owner_kind: 'unit', owner_id: unitId,
    kind: 'skill', name: '社区义诊医生', item_id: items.G04, slots: ['6 09:00-11:30'] });
  assert.equal(res.status, 201, res.text);
  await as.staff.post('/api/v1/resources', { community_code: SHILIUQIAO, owner_kind: 'community', kind: 'venue', name: '活动室' });
  const withRes = (await as.staff.get(`/api/v1/needs/${n.id}/suggestions`)).json.resources;
  assert.deepEqual(withRes.map((r) => [r.name, r.dispatch]), [['社区义诊医生', { kind: 'unit', id: unitId }]]);

  const d = await as.staff.post(`/api/v1/needs/${n.id}/dispatch`, { kind: 'member', id: doctor.id });
  assert.equal(d.status, 200, d.text);
  assert.deepEqual([d.json.state, d.json.assignee_name], ['dispatched', doctor.name]);
  // 我的任务: there, but the contact is not shown before they say yes.
  const tasks = await doctor.client.get('/api/v1/me/tasks');
  const t = tasks.json.items.find((x) => x.id === n.id);
  assert.ok(t, tasks.text);
  assert.equal(t.contact_phone, undefined);
  assert.equal((await doctor.client.get(`/api/v1/needs/${n.id}`)).json.contact_phone, undefined);
  const yes = await doctor.client.post(`/api/v1/needs/${n.id}/answer`);
  assert.equal(yes.status, 200, yes.text);
  assert.deepEqual([yes.json.state, yes.json.contact_name, yes.json.contact_phone], ['taken', '张阿姨', '13800000006']);
  assert.equal((await doctor.client.post(`/api/v1/needs/${n.id}/start`)).json.state, 'in_progress');
  // Only its holder marks it done; staff and the resident cannot.
  assertProblem(await as.staff.post(`/api/v1/needs/${n.id}/done`, { note: '量了血压', minutes: 45 }), 403, 'forbidden');
  assertFieldError(await doctor.client.post(`/api/v1/needs/${n.id}/done`, { note: '量了血压', minutes: 45 }), 'fields.服务人数', 'required');
  const done = await doctor.client.post(`/api/v1/needs/${n.id}/done`, { note: '量了血压，偏高，建议复查', minutes: 45,
    fields: { 服务人数: 2 } });
  assert.equal(done.status, 200, done.text);
  assert.deepEqual([done.json.state, done.json.minutes], ['done', 45]);
  // The member never confirms their own service.
  assertProblem(await doctor.client.post(`/api/v1/needs/${n.id}/confirm`, { rating: 5 }), 403, 'forbidden');
  const ok = await as.resident.post(`/api/v1/needs/${n.id}/confirm`, { rating: 5, comment: '医生很耐心' });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual([ok.json.state, ok.json.rating, ok.json.rating_comment], ['closed', 5, '医生很耐心']);
  assert.ok(ok.json.record_id);
  const twice = assertProblem(await as.resident.post(`/api/v1/needs/${n.id}/confirm`, { rating: 1 }), 409, 'conflict');
  assert.equal(twice.errors[0].field, 'rating');

  const rec = await doctor.client.get(`/api/v1/records/${ok.json.record_id}`);
  assert.equal(rec.status, 200, rec.text);
  assert.deepEqual([rec.json.state, rec.json.source, rec.json.origin_id, rec.json.minutes, rec.json.member_id, rec.json.content],
    ['confirmed', 'need', n.id, 45, doctor.id, '量了血压，偏高，建议复查']);
  assert.deepEqual(rec.json.fields, [{ name: '服务人数', value: '2' }]);
  const full = await as.staff.get(`/api/v1/needs/${n.id}`);
  assert.deepEqual(full.json.timeline.map((e) => e.kind), ['submit', 'accept', 'dispatch', 'answer', 'start', 'done', 'confirm']);
  const mine = await as.resident.get('/api/v1/me/needs');
  assert.ok(mine.json.items.some((x) => x.id === n.id && x.state === 'closed'));
  // A project that answers needs counts it closed, and the service its record holds.
  const p = await as.staff.post('/api/v1/projects', { community_code: SHILIUQIAO, name: '家门口义诊', goal: '医生上门',
    starts_on: '2026-03-01' });
  const linked = await as.staff.post(`/api/v1/projects/${p.json.id}/links`, { kind: 'need', ref_id: n.id });
  assert.equal(linked.status, 201, linked.text);
  assert.deepEqual([linked.json.results.needs_closed, linked.json.results.minutes, linked.json.results.people_served], [1, 45, 1]);
});

test('two members take one need at the same moment: exactly one wins, the other learns who has it', async () => {
  const n = await acceptedNeed({ item_id: items.G02, description: '帮忙买菜' });
  // Before it is taken, a neighbour sees what and where, never who asked or how to reach them.
  const open = await as.member.get('/api/v1/me/open-needs');
  const seen = open.json.items.find((x) => x.id === n.id);
  assert.ok(seen, open.text);
  assert.deepEqual([seen.contact_name, seen.contact_phone, seen.state_reason], [undefined, undefined, undefined]);
  assertProblem(await as.memberElsewhere.get(`/api/v1/needs/${n.id}`), 404, 'not_found');
  assertProblem(await as.memberElsewhere.post(`/api/v1/needs/${n.id}/take`, {}), 404, 'not_found');
  const [a, b] = await Promise.all([as.member.post(`/api/v1/needs/${n.id}/take`, {}),
    doctor.client.post(`/api/v1/needs/${n.id}/take`, {})]);
  assert.deepEqual([a.status, b.status].sort(), [200, 409], `${a.text.slice(0, 200)} ${b.text.slice(0, 200)}`);
  const won = [a, b].filter((r) => r.status === 200);
  const lost = [a, b].filter((r) => r.status === 409);
  assert.equal(won.length, 1, `${a.status} ${b.status}`);
  assert.equal(lost.length, 1);
  assert.deepEqual([lost[0].json.code, lost[0].json.errors[0].code], ['conflict', 'taken']);
  assert.equal(lost[0].json.errors[0].message, `已被「${won[0].json.assignee_name}」接单`);
  assert.equal(won[0].json.contact_phone, '13800000006');
  const events = (await as.staff.get(`/api/v1/needs/${n.id}`)).json.timeline.filter((e) => e.kind === 'take');
  assert.equal(events.length, 1);
});

test('a declined need goes back to the queue, and who declined is not suggested again', async () => {
  const n = await acceptedNeed();
  await as.staff.post(`/api/v1/needs/${n.id}/dispatch`, { kind: 'member', id: doctor.id });
  assertFieldError(await doctor.client.post(`/api/v1/needs/${n.id}/decline`, {}), 'reason', 'required');
  assertProblem(await as.member.post(`/api/v1/needs/${n.id}/decline`, { reason: '没空' }), 404, 'not_found');
  const no = await doctor.client.post(`/api/v1/needs/${n.id}/decline`, { reason: '这周在外地出差' });
  assert.equal(no.status, 200, no.text);
  assert.equal(no.json.contact_phone, undefined, 'no longer theirs: a neighbour\'s view');
  const back = (await as.staff.get(`/api/v1/needs/${n.id}`)).json;
  assert.deepEqual([back.state, back.assignee_name, back.state_reason], ['accepted', null, '这周在外地出差']);
  const s = await as.staff.get(`/api/v1/needs/${n.id}/suggestions`);
  assert.ok(!s.json.items.some((x) => x.member_id === doctor.id), JSON.stringify(s.json.items));
  // It left the doctor's task list.
  assert.ok(!(await doctor.client.get('/api/v1/me/tasks')).json.items.some((x) => x.id === n.id));
});

test('dispatching to a member of another community: refused to its staff, allowed to the street that runs both', async () => {
  const n = await acceptedNeed();
  assertFieldError(await as.staff.post(`/api/v1/needs/${n.id}/dispatch`, { kind: 'member', id: elsewhereId }), 'id', 'not_found');
  assert.equal((await as.staff.get(`/api/v1/needs/${n.id}`)).json.state, 'accepted');
  const byStreet = await as.org.post(`/api/v1/needs/${n.id}/dispatch`, { kind: 'member', id: elsewhereId });
  assert.equal(byStreet.status, 200, byStreet.text);
  assert.equal(byStreet.json.state, 'dispatched');
  assert.ok((await as.memberElsewhere.get('/api/v1/me/tasks')).json.items.some((x) => x.id === n.id));
  // A unit: its administrator answers for it.
  const me = (await as.unit.get('/api/v1/me')).json;
  const unitId = me.roles.find((g) => g.role === 'unit').unit.id;
  const m = await acceptedNeed();
  assert.equal((await as.staff.post(`/api/v1/needs/${m.id}/dispatch`, { kind: 'unit', id: unitId })).status, 200);
  const u = await as.unit.post(`/api/v1/needs/${m.id}/answer`);
  assert.equal(u.status, 200, u.text);
  assert.deepEqual([u.json.state, u.json.assignee_kind], ['taken', 'unit']);
});

test('a resident never sees another resident\'s need; staff enter one for a resident without a phone (代录)', async () => {
  const n = await acceptedNeed();
  assertProblem(await resident2.get(`/api/v1/needs/${n.id}`), 404, 'not_found');
  assertProblem(await resident2.post(`/api/v1/needs/${n.id}/withdraw`, { reason: '不要了' }), 404, 'not_found');
  assert.ok(!(await resident2.get('/api/v1/me/needs')).json.items.some((x) => x.id === n.id));
  // 代录: the channel is required; the resident's account (if any) must live there.
  assertFieldError(await as.staff.post('/api/v1/needs', body({ community_code: SHILIUQIAO })), 'channel', 'required');
  const me2 = (await resident2.get('/api/v1/me')).json;
  const staffOther = await as.staff.post('/api/v1/needs', body({ community_code: SHILIUQIAO, channel: 'phone',
    requester_account_id: doctor.id + 100000 }));
  assertFieldError(staffOther, 'requester_account_id', 'not_found');
  const entered = await as.staff.post('/api/v1/needs', body({ community_code: SHILIUQIAO, channel: 'visit',
    contact_name: '李伯', requester_account_id: me2.id }));
  assert.equal(entered.status, 201, entered.text);
  assert.deepEqual([entered.json.channel, entered.json.state], ['visit', 'submitted']);
  const his = await resident2.get('/api/v1/me/needs');
  assert.ok(his.json.items.some((x) => x.id === entered.json.id), his.text);
  // A resident posts only where they live, and only for themselves.
  assertProblem(await as.resident.post('/api/v1/needs', body({ community_code: FEIE })), 403, 'forbidden');
  assertFieldError(await as.resident.post('/api/v1/needs', body({ requester_account_id: me2.id })), 'requester_account_id', 'forbidden');
  // The resident withdraws their own; a refused one says why.
  const w = await resident2.post(`/api/v1/needs/${entered.json.id}/withdraw`, { reason: '儿子回来帮忙了' });
  assert.equal(w.json.state, 'withdrawn', w.text);
  const r = await as.resident.post('/api/v1/needs', body());
  const refused = await as.staff.post(`/api/v1/needs/${r.json.id}/refuse`, { reason: '不属于社区服务范围' });
  assert.deepEqual([refused.json.state, refused.json.state_reason], ['refused', '不属于社区服务范围']);
});

test('reopened when not done after all; a need answered by a project becomes part of it', async () => {
  const n = await acceptedNeed({ item_id: items.G05, description: '想咨询遗嘱怎么写' });
  await as.member.post(`/api/v1/needs/${n.id}/take`, {});
  await as.member.post(`/api/v1/needs/${n.id}/done`, { note: '修好了', minutes: 30 });
  assertFieldError(await as.resident.post(`/api/v1/needs/${n.id}/reopen`, {}), 'reason', 'required');
  const re = await as.resident.post(`/api/v1/needs/${n.id}/reopen`, { reason: '血压计还是不准' });
  assert.deepEqual([re.json.state, re.json.state_reason], ['in_progress', '血压计还是不准']);

  const later = await as.resident.post('/api/v1/needs', body());
  const p = await as.staff.post('/api/v1/projects', { community_code: SHILIUQIAO, name: '长者健康小屋', goal: '每周为长者量血压',
    starts_on: '2026-03-01' });
  assert.equal(p.status, 201, p.text);
  assertFieldError(await as.staff.post(`/api/v1/needs/${later.json.id}/convert`, { project_id: p.json.id + 999 }), 'project_id', 'not_found');
  const conv = await as.staff.post(`/api/v1/needs/${later.json.id}/convert`, { project_id: p.json.id });
  assert.deepEqual([conv.json.state, conv.json.project_id], ['converted', p.json.id]);
  const proj = await as.staff.get(`/api/v1/projects/${p.json.id}`);
  assert.ok(proj.json.links.some((l) => l.kind === 'need' && l.ref_id === later.json.id), proj.text);
  assert.ok(conv.json.timeline.some((e) => e.kind === 'convert'));
});

test('authorization: every role, in and out of scope', async () => {
  const n = await acceptedNeed();
  await matrix(as, { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, unit: 404, member: 200,
    memberElsewhere: 404, memberWaiting: 404, resident: 200, anon: 401 }, (c) => c.get(`/api/v1/needs/${n.id}`), 'GET need');
  await matrix(as, { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, unit: 403, member: 403,
    memberElsewhere: 403, memberWaiting: 403, resident: 403, anon: 401 },
  (c) => c.get(`/api/v1/needs/${n.id}/suggestions`), 'suggestions');
  await matrix(as, { admin: 201, org: 201, org2: 403, staff: 201, staff2: 403, unit: 403, member: 403,
    memberElsewhere: 403, memberWaiting: 403, resident: 201, anon: 401 },
  (c, role) => c.post('/api/v1/needs', body(role === 'resident' ? {} : { community_code: SHILIUQIAO, channel: 'phone' })), 'POST need');
  await matrix(as, { admin: 200, org: 200, org2: 200, staff: 200, staff2: 200, unit: 403, member: 403,
    memberElsewhere: 403, memberWaiting: 403, resident: 403, anon: 401 }, (c) => c.get(`/api/v1/needs?community=${SHILIUQIAO}`), 'queue');
  // Out of scope, the queue is empty: nothing about another place's needs, not even how many.
  for (const role of ['org2', 'staff2']) {
    const r = await as[role].get(`/api/v1/needs?community=${SHILIUQIAO}`);
    assert.deepEqual([r.json.items.length, r.json.total, r.json.counts], [0, 0, {}], role);
  }
  // Accepting: only staff over the community; others learn nothing of it.
  const fresh = async () => (await as.resident.post('/api/v1/needs', body())).json.id;
  for (const [role, status] of [['org2', 404], ['staff2', 404], ['unit', 403], ['member', 403], ['memberElsewhere', 403],
    ['resident', 403], ['anon', 401]]) {
    const id = await fresh();
    const r = await as[role].post(`/api/v1/needs/${id}/accept`);
    assertProblem(r, status, { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' }[status], role);
  }
  for (const role of ['admin', 'org', 'staff']) assert.equal((await as[role].post(`/api/v1/needs/${await fresh()}/accept`)).status, 200, role);
  // Out of scope or not theirs: 404 or 403, and the need has not moved.
  const k = await acceptedNeed();
  for (const role of ['org2', 'staff2', 'memberElsewhere', 'memberWaiting', 'unit']) {
    const r = await as[role].post(`/api/v1/needs/${k.id}/dispatch`, { kind: 'member', id: memberId });
    assert.ok([403, 404].includes(r.status), `${role} ${r.status}`);
  }
  assertProblem(await as.resident.post(`/api/v1/needs/${k.id}/take`, {}), 403, 'forbidden');
  assertProblem(await as.memberWaiting.post(`/api/v1/needs/${k.id}/take`, {}), 404, 'not_found');
  assertProblem(await as.member.post(`/api/v1/needs/${k.id}/answer`), 403, 'forbidden');
  assert.equal((await as.staff.get(`/api/v1/needs/${k.id}`)).json.state, 'accepted');
});

test('bad input: a clear 422 naming the field, nothing written', async () => {
  const before = (await as.resident.get('/api/v1/me/needs')).json.total;
  for (const [over, field] of [
    [{ item_id: 'x' }, 'item_id'], [{ item_id: 99999999 }, 'item_id'], [{ item_id: items.P02 ?? 99999998 }, 'item_id'],
    [{ description: '' }, 'description'], [{ description: wide(301) }, 'description'], [{ place: wide(51) }, 'place'],
    [{ contact_name: wide(21) }, 'contact_name'], [{ contact_phone: '12345' }, 'contact_phone'],
    [{ wanted_on: '2026-02-30' }, 'wanted_on'], [{ wanted_on: '2026-03-01' }, 'wanted_on'], [{ wanted_part: 'noon' }, 'wanted_part'],
    [{ urgency: 'now' }, 'urgency'], [{ channel: 'phone' }, 'channel'], [{ building_code: FEIE }, 'building_code'],
    [{ colour: 'red' }, 'colour'], [{ description: 42 }, 'description'],
  ]) {
    const r = await as.resident.post('/api/v1/needs', body(over));
    assert.equal(r.status, 422, `${JSON.stringify(over).slice(0, 80)}: ${r.status} ${r.text.slice(0, 200)}`);
    assertFieldError(r, field);
  }
  assert.equal((await as.resident.get('/api/v1/me/needs')).json.total, before);
  // The longest texts in 4-byte characters are kept whole.
  const long = await as.resident.post('/api/v1/needs', body({ description: wide(300), place: wide(50), contact_name: wide(20) }));
  assert.equal(long.status, 201, long.text);
  assert.deepEqual([long.json.description, long.json.place, long.json.contact_name], [wide(300), wide(50), wide(20)]);
  const n = await acceptedNeed({ item_id: items.G05, description: '想咨询遗嘱怎么写' });
  await as.member.post(`/api/v1/needs/${n.id}/take`, {});
  for (const [b, field] of [[{ note: '好', minutes: 0 }, 'minutes'], [{ note: '好了', minutes: 1441 }, 'minutes'],
    [{ note: wide(301), minutes: 30 }, 'note'], [{ minutes: 30 }, 'note'], [{ note: '好了', minutes: 30, fields: [1] }, 'fields']]) {
    assertFieldError(await as.member.post(`/api/v1/needs/${n.id}/done`, b), field);
  }
  const done = await as.member.post(`/api/v1/needs/${n.id}/done`, { note: wide(300), minutes: 30 });
  assert.equal(done.status, 200, done.text);
  for (const [b, field] of [[{ rating: 0 }, 'rating'], [{ rating: 6 }, 'rating'], [{ rating: '5' }, 'rating'],
    [{ rating: 5, comment: wide(201) }, 'comment']]) {
    assertFieldError(await as.resident.post(`/api/v1/needs/${n.id}/confirm`, b), field);
  }
  assert.equal((await as.resident.post(`/api/v1/needs/${n.id}/confirm`, { rating: 3, comment: wide(200) })).status, 200);
  assertProblem(await as.staff.get('/api/v1/needs/abc'), 404, 'not_found');
  assertProblem(await as.staff.get('/api/v1/needs/99999999999999999999'), 404, 'not_found');
  assertFieldError(await as.staff.post(`/api/v1/needs/${n.id}/dispatch`, { kind: 'robot', id: 1 }), 'kind');
  const q = await as.staff.get('/api/v1/needs?state=sleeping');
  assert.equal(q.status, 400, q.text);
});

// Last: moving the clock three days on ends every session of the tests above.
test('untaken needs expire when due (urgent ones sooner), never one being served; staff renew them', async () => {
  const urgent = await as.resident.post('/api/v1/needs', body({ urgency: 'urgent' }));
  const later = await as.resident.post('/api/v1/needs', body());
  const n = await acceptedNeed({ item_id: items.G05, description: '想咨询遗嘱怎么写' });
  await as.member.post(`/api/v1/needs/${n.id}/take`, {});
  assert.equal(urgent.json.expires_at, T0 + 2 * DAY);
  srv.setClock(T0 + 3 * DAY);
  try {
    const staff = await loginAs(srv, 'staff'); // three days on, the old sessions have ended
    assert.match(srv.cli(['expire']), /expired: [1-9]\d* needs/);
    assert.equal((await staff.get(`/api/v1/needs/${urgent.json.id}`)).json.state, 'expired');
    assert.equal((await staff.get(`/api/v1/needs/${later.json.id}`)).json.state, 'submitted');
    assert.equal((await staff.get(`/api/v1/needs/${n.id}`)).json.state, 'taken', 'a need being served never expires');
    assert.match(srv.cli(['expire']), /expired: 0 needs/);
    const renewed = await staff.post(`/api/v1/needs/${urgent.json.id}/renew`);
    assert.deepEqual([renewed.json.state, renewed.json.expires_at], ['accepted', T0 + 10 * DAY]);
  } finally {
    srv.setClock(T0);
  }
});
