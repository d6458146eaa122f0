// cases.test.mjs: cases (问题/诉求, issue #14): reported → triaged → assigned → worked on → resolved → followed up, rated
// or reopened; merged duplicates; the queue's filters and keyset pages; the public list; who may do what
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { assertProblem, assertFieldError, assertCleanLog, addUser, loginAs, SHILIUQIAO, FEIE } from './helpers.mjs';
import { everyone, matrix, reportedMember, wide } from './serving-people.mjs';
import { png } from './images.mjs';

const T0 = Date.UTC(2026, 2, 2, 2, 0, 0) / 1000; // 2026-03-02 10:00 in China, a Monday
const DAY = 86400;
const endOfDay = (m, d) => Date.UTC(2026, m - 1, d, 16, 0, 0) / 1000; // 24:00 China time of 2026-m-d
let srv, as, memberId, elsewhereId, building, feieBuilding, resident2, lift, plumber;

async function newBuilding(staff, community, name) {
  const g = await staff.post(`/api/v1/regions/${community}/children`, { name: `${name}网格` });
  assert.equal(g.status, 201, g.text);
  const b = await staff.post(`/api/v1/regions/${g.json.code}/children`, { name });
  assert.equal(b.status, 201, b.text);
  return b.json.code;
}

before(async () => {
  srv = await startServer({ clock: T0 });
  ({ as, memberId, elsewhereId } = await everyone(srv));
  building = await newBuilding(as.staff, SHILIUQIAO, '甘南路 881 号');
  feieBuilding = await newBuilding(as.staff2, FEIE, '飞鹅路 1 号');
  addUser(srv, 'resident2', 'resident', { region: SHILIUQIAO, name: '李伯' });
  resident2 = await loginAs(srv, 'resident2');
  plumber = await reportedMember(srv, 'case_plumber', SHILIUQIAO, as.staff, { specialties: '水电维修' });
});
after(async () => {
  await srv.stop();
  assertCleanLog(srv.log());
});

const body = (over = {}) => ({ category_code: 'drain', title: '楼下下水道堵塞', description: '3 单元门口下水道堵了，污水漫到路上',
  building_code: building, place: '3单元101门口', point_x: 420, point_y: 610, contact_name: '张阿姨',
  contact_phone: '13800000006', ...over });
// A 409 naming field (and its code): the case was not in a state for that.
function assertConflict(r, field, code) {
  const p = assertProblem(r, 409);
  const e = (p.errors ?? []).find((x) => x.field === field);
  assert.ok(e, `a 409 naming ${field}: ${r.text}`);
  if (code) assert.equal(e.code, code, r.text);
}
const upload = (who, id, stage, bytes) =>
  who.req('POST', `/api/v1/cases/${id}/photos?stage=${stage}`, bytes, { 'Content-Type': 'image/png' });

async function reported(over = {}, who = as.resident) {
  const r = await who.post('/api/v1/cases', body(over));
  assert.equal(r.status, 201, r.text);
  return r.json;
}
async function assigned(over = {}) {
  const k = await reported(over);
  assert.equal((await as.staff.post(`/api/v1/cases/${k.id}/accept`)).status, 200);
  const a = await as.staff.post(`/api/v1/cases/${k.id}/assign`, { kind: 'property', name: '白云物业公司' });
  assert.equal(a.status, 200, a.text);
  return a.json;
}
async function resolved(over = {}) {
  const k = await assigned(over);
  const r = await as.staff.post(`/api/v1/cases/${k.id}/resolve`, { note: '已疏通' });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

test('the whole life: reported with a photo, triaged, assigned, updated, resolved with a record, followed up, rated', async () => {
  const k = await reported();
  assert.deepEqual([k.state, k.channel, k.community_code, k.building_code, k.sla, k.due_at, k.mine.reporter, k.private],
    ['reported', 'self', SHILIUQIAO, building, 'soon', endOfDay(3, 3), true, false]);
  assert.deepEqual(k.point, { x: 420, y: 610 });
  const ph = await upload(as.resident, k.id, 'ask', png(64, 32));
  assert.equal(ph.status, 201, ph.text);
  assert.equal((await as.resident.get(ph.json.thumb_url)).status, 200);

  // The queue: the case, its colour, the counts by state.
  const q = await as.staff.get(`/api/v1/cases?community=${SHILIUQIAO}`);
  assert.equal(q.status, 200, q.text);
  assert.ok(q.json.items.some((x) => x.id === k.id));
  assert.ok(q.json.counts.reported >= 1, q.text);

  // Triage: urgent now; the drain's SLA (3 working days) from Monday; urgent: 1 working day.
  const acc = await as.staff.post(`/api/v1/cases/${k.id}/accept`, { priority: 'urgent' });
  assert.equal(acc.status, 200, acc.text);
  assert.deepEqual([acc.json.state, acc.json.priority, acc.json.due_at, acc.json.accepted_at], ['accepted', 'urgent', endOfDay(3, 3), T0]);
  const asg = await as.staff.post(`/api/v1/cases/${k.id}/assign`, { kind: 'member', id: memberId });
  assert.equal(asg.status, 200, asg.text);
  assert.deepEqual([asg.json.state, asg.json.party_kind, asg.json.party_member_id], ['assigned', 'member', memberId]);
  const up = await as.staff.post(`/api/v1/cases/${k.id}/updates`, { note: '已联系物业，明早带工具来' });
  assert.equal(up.status, 200, up.text);
  assert.equal(up.json.state, 'in_progress');
  assert.equal((await as.staff.post(`/api/v1/cases/${k.id}/updates`, { note: '物业说管道老化，需报修', internal: true })).status, 200);
  const work = await upload(as.staff, k.id, 'done', png(32, 32));
  assert.equal(work.status, 201, work.text);

  // The reporter sees the public updates and the photos, never the internal note.
  const mine = await as.resident.get(`/api/v1/cases/${k.id}`);
  assert.equal(mine.status, 200, mine.text);
  assert.ok(mine.json.timeline.some((e) => e.note === '已联系物业，明早带工具来'));
  assert.ok(!mine.json.timeline.some((e) => e.note.includes('管道老化')), mine.text);
  assert.deepEqual(mine.json.photos.map((p) => p.stage), ['ask', 'done']);
  assert.equal(mine.json.workers, undefined);
  const staffView = await as.staff.get(`/api/v1/cases/${k.id}`);
  assert.ok(staffView.json.timeline.some((e) => e.note.includes('管道老化') && e.public === false));

  // Resolved: the member who did it gets a confirmed record of source case.
  const res = await as.staff.post(`/api/v1/cases/${k.id}/resolve`, { note: '疏通了下水道，清理了路面', workers: [memberId], minutes: 90 });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.state, 'resolved');
  assert.equal(res.json.workers.length, 1);
  assert.deepEqual([res.json.workers[0].member_id, res.json.workers[0].minutes], [memberId, 90]);
  const rec = await as.staff.get(`/api/v1/records/${res.json.workers[0].record_id}`);
  assert.equal(rec.status, 200, rec.text);
  assert.deepEqual([rec.json.source, rec.json.state, rec.json.minutes], ['case', 'confirmed', 90]);
  assert.equal(res.json.sla, null, 'no clock once resolved');

  const fu = await as.staff.post(`/api/v1/cases/${k.id}/follow-up`, { note: '电话回访' });
  assert.deepEqual([fu.status, fu.json.state, fu.json.follow_up_at], [200, 'follow_up', T0]);
  const rate = await as.resident.post(`/api/v1/cases/${k.id}/rate`, { rating: 5, comment: '很快就修好了' });
  assert.equal(rate.status, 200, rate.text);
  assert.deepEqual([rate.json.state, rate.json.rating, rate.json.closed_at], ['closed', 5, T0]);
  assert.deepEqual(rate.json.timeline.map((e) => e.kind),
    ['report', 'accept', 'assign', 'update', 'resolve', 'follow_up', 'rate']);
  assertConflict(await as.resident.post(`/api/v1/cases/${k.id}/rate`, { rating: 4 }), 'state');

  // The public list of the community: what and which building; never who, never the flat.
  const pub = await as.anon.get(`/api/v1/public/communities/${SHILIUQIAO}/cases`);
  assert.equal(pub.status, 200, pub.text);
  const row = pub.json.items.find((x) => x.id === k.id);
  assert.equal(pub.json.community_name, '石榴桥社区');
  assert.ok(row, pub.text);
  assert.equal(row.building_name, '甘南路 881 号');
  for (const f of ['contact_name', 'contact_phone', 'place', 'party_name', 'timeline', 'reporter_account_id'])
    assert.equal(row[f], undefined, f);
  assert.ok(!pub.text.includes('张阿姨') && !pub.text.includes('3单元101') && !pub.text.includes('13800000006'));

  // My cases.
  const me = await as.resident.get('/api/v1/me/cases');
  assert.ok(me.json.items.some((x) => x.id === k.id));
  assert.ok(!(await resident2.get('/api/v1/me/cases')).json.items.some((x) => x.id === k.id));
});

test('reopened: by the reporter at most twice, then only staff; a closed case by staff only; the SLA starts again', async () => {
  const k = await resolved();
  const r1 = await as.resident.post(`/api/v1/cases/${k.id}/reopen`, { reason: '还是堵' });
  assert.deepEqual([r1.status, r1.json.state, r1.json.reopens, r1.json.reopens_left, r1.json.state_reason], [200, 'assigned', 1, 1, '还是堵']);
  assert.equal(r1.json.due_at, endOfDay(3, 5), 'three working days again from Monday');
  assert.equal((await as.staff.post(`/api/v1/cases/${k.id}/resolve`, { note: '再次疏通' })).status, 200);
  assert.equal((await as.resident.post(`/api/v1/cases/${k.id}/reopen`, { reason: '下雨又堵了' })).status, 200);
  assert.equal((await as.staff.post(`/api/v1/cases/${k.id}/resolve`, { note: '换了管子' })).status, 200);
  const third = await as.resident.post(`/api/v1/cases/${k.id}/reopen`, { reason: '第三次了' });
  assertConflict(third, 'reason', 'reopens');
  assert.equal((await as.staff.get(`/api/v1/cases/${k.id}`)).json.state, 'resolved', 'the refusal changed nothing');
  const byStaff = await as.staff.post(`/api/v1/cases/${k.id}/reopen`, { reason: '社区决定再派人看看' });
  assert.deepEqual([byStaff.status, byStaff.json.reopens], [200, 2]);
  // Resolved again by the same member: one record per member and case, however often it is resolved.
  const w1 = await as.staff.post(`/api/v1/cases/${k.id}/resolve`, { note: '再次处理', workers: [plumber.id], minutes: 20 });
  assert.equal(w1.status, 200, w1.text);
  assert.equal((await as.staff.post(`/api/v1/cases/${k.id}/reopen`, { reason: '复查' })).status, 200);
  const w2 = await as.staff.post(`/api/v1/cases/${k.id}/resolve`, { note: '复查后处理', workers: [plumber.id], minutes: 20 });
  assert.equal(w2.status, 200, w2.text);
  assert.deepEqual(w2.json.workers.map((w) => [w.member_id, w.record_id]), [[plumber.id, w1.json.workers[0].record_id]]);
  assert.equal((await as.staff.post(`/api/v1/cases/${k.id}/reopen`, { reason: '再看看' })).status, 200);
  // Closed: the reporter can no longer reopen it; staff can.
  assert.equal((await as.staff.post(`/api/v1/cases/${k.id}/resolve`, { note: '彻底修好' })).status, 200);
  assert.equal((await as.resident.post(`/api/v1/cases/${k.id}/rate`, { rating: 3 })).status, 200);
  const k2 = await resolved();
  await as.resident.post(`/api/v1/cases/${k2.id}/rate`, { rating: 2 });
  assertProblem(await as.resident.post(`/api/v1/cases/${k2.id}/reopen`, { reason: '又坏了' }), 403, 'forbidden');
  const again = await as.staff.post(`/api/v1/cases/${k2.id}/reopen`, { reason: '居民来电说又坏了' });
  assert.deepEqual([again.status, again.json.state, again.json.rating], [200, 'assigned', null]);
});

test('refused with a reason the reporter sees; duplicates merged into one that points nowhere else', async () => {
  const k = await reported();
  const ref = await as.staff.post(`/api/v1/cases/${k.id}/refuse`, { reason: '属于市政管网，已转 12345' });
  assert.deepEqual([ref.status, ref.json.state], [200, 'refused']);
  const seen = await as.resident.get(`/api/v1/cases/${k.id}`);
  assert.deepEqual([seen.json.state_reason, seen.json.timeline.at(-1).note], ['属于市政管网，已转 12345', '属于市政管网，已转 12345']);
  assertConflict(await as.staff.post(`/api/v1/cases/${k.id}/accept`), 'state');

  const a = await assigned();
  const b = await reported({}, resident2);
  const m = await as.staff.post(`/api/v1/cases/${b.id}/merge`, { into: a.id });
  assert.deepEqual([m.status, m.json.state, m.json.merged_into], [200, 'merged', a.id]);
  const survivor = await as.staff.get(`/api/v1/cases/${a.id}`);
  assert.ok(survivor.json.timeline.some((e) => e.kind === 'absorb' && e.note === `#${b.id}`), survivor.text);
  const told = await resident2.get(`/api/v1/cases/${b.id}`);
  assert.deepEqual([told.status, told.json.merged_into], [200, a.id]);
  // Not into itself, not into a merged or finished one, not into another community's.
  const c = await reported();
  assertFieldError(await as.staff.post(`/api/v1/cases/${c.id}/merge`, { into: c.id }), 'into');
  assertFieldError(await as.staff.post(`/api/v1/cases/${c.id}/merge`, { into: b.id }), 'into');
  assertFieldError(await as.staff.post(`/api/v1/cases/${c.id}/merge`, { into: k.id }), 'into');
  const there = await as.staff2.post('/api/v1/cases', body({ community_code: FEIE, building_code: feieBuilding, channel: 'phone' }));
  assert.equal(there.status, 201, there.text);
  assertFieldError(await as.staff.post(`/api/v1/cases/${c.id}/merge`, { into: there.json.id }), 'into');
  assertConflict(await as.staff.post(`/api/v1/cases/${b.id}/merge`, { into: c.id }), 'state');
  assert.equal((await as.staff.get(`/api/v1/cases/${c.id}`)).json.state, 'reported');
  // The merged one is off the public list; the survivor is on it.
  const pub = (await as.anon.get(`/api/v1/public/communities/${SHILIUQIAO}/cases?per_page=100`)).json.items.map((x) => x.id);
  assert.ok(pub.includes(a.id) && !pub.includes(b.id) && !pub.includes(k.id));
});

test('reported by a member on a walk, by staff for a resident, from a need; kept private', async () => {
  const walk = await as.member.post('/api/v1/cases', body({ community_code: SHILIUQIAO, channel: 'walk', category_code: 'safety',
    title: '消防通道被占', description: '2 栋消防通道停了三辆电动车', contact_name: '', contact_phone: '' }));
  assert.equal(walk.status, 201, walk.text);
  assert.deepEqual([walk.json.channel, walk.json.mine.reporter], ['walk', true]);
  assert.ok((await as.member.get('/api/v1/me/cases')).json.items.some((x) => x.id === walk.json.id));

  const residentId = (await as.resident.get('/api/v1/me')).json.id;
  const phoned = await as.staff.post('/api/v1/cases', body({ community_code: SHILIUQIAO, channel: 'phone', reporter_account_id: residentId }));
  assert.equal(phoned.status, 201, phoned.text);
  assert.equal((await as.resident.get(`/api/v1/cases/${phoned.json.id}`)).status, 200, 'the resident follows it');
  assertFieldError(await as.staff.post('/api/v1/cases', body({ community_code: SHILIUQIAO, channel: 'phone', reporter_account_id: 999999 })),
    'reporter_account_id');

  const listed = (await as.staff.get(`/api/v1/catalog?region=${SHILIUQIAO}`)).json.items;
  const item = listed.find((i) => i.code === 'G08').id;
  const need = await as.resident.post('/api/v1/needs', { item_id: item, description: '楼道灯坏了，请帮忙修', place: '3栋',
    contact_name: '张阿姨', contact_phone: '13800000006' });
  assert.equal(need.status, 201, need.text);
  const conv = await as.staff.post('/api/v1/cases', body({ community_code: SHILIUQIAO, channel: 'need', need_id: need.json.id,
    category_code: 'facility', reporter_account_id: residentId }));
  assert.equal(conv.status, 201, conv.text);
  assert.equal(conv.json.need_id, need.json.id);
  assertFieldError(await as.staff.post('/api/v1/cases', body({ community_code: SHILIUQIAO, channel: 'need', need_id: need.json.id })), 'need_id');
  assertFieldError(await as.staff.post('/api/v1/cases', body({ community_code: SHILIUQIAO, channel: 'need' })), 'need_id');

  // Private: kept off the public list, by the reporter or by staff, and back.
  const p = await reported({ private: true, title: '邻居家漏水' });
  const pub = () => as.anon.get(`/api/v1/public/communities/${SHILIUQIAO}/cases?per_page=100`);
  assert.ok(!(await pub()).json.items.some((x) => x.id === p.id));
  const open = await as.resident.put(`/api/v1/cases/${p.id}/private`, { private: false });
  assert.deepEqual([open.status, open.json.private], [200, false]);
  assert.ok((await pub()).json.items.some((x) => x.id === p.id));
  assert.equal((await as.staff.put(`/api/v1/cases/${p.id}/private`, { private: true })).status, 200);
  assert.ok(!(await pub()).json.items.some((x) => x.id === p.id));
  assertProblem(await resident2.put(`/api/v1/cases/${p.id}/private`, { private: false }), 404, 'not_found');
});

test('the queue: filters by state, category, building, priority; overdue and due soon; keyset pages', async () => {
  const k = await reported({ category_code: 'lift', title: '电梯困人隐患' });
  const acc = await as.staff.post(`/api/v1/cases/${k.id}/accept`);
  assert.equal(acc.json.due_at, endOfDay(3, 4), 'the lift: 2 working days');
  const get = async (q) => {
    const r = await as.staff.get(`/api/v1/cases?community=${SHILIUQIAO}&${q}`);
    assert.equal(r.status, 200, r.text);
    return r.json.items.map((x) => x.id);
  };
  assert.ok((await get('category=lift')).includes(k.id));
  assert.ok(!(await get('category=drain')).includes(k.id));
  assert.ok((await get('state=accepted')).includes(k.id));
  assert.ok(!(await get('state=reported')).includes(k.id));
  assert.ok((await get(`building=${building}`)).includes(k.id));
  assert.ok(!(await get('priority=urgent')).includes(k.id));
  assert.ok(!(await get('overdue=1')).includes(k.id));
  assert.ok(!(await get('due_soon=1')).includes(k.id), 'due Wednesday night: not yet soon on Monday');
  lift = k;
  // Keyset pages: newest first, no repeats, no gaps.
  const all = await get('per_page=100');
  const seen = [];
  let before = '';
  for (let i = 0; i < 100; i++) {
    const r = await as.staff.get(`/api/v1/cases?community=${SHILIUQIAO}&per_page=2${before}`);
    seen.push(...r.json.items.map((x) => x.id));
    if (r.json.next_before === null) break;
    assert.equal(r.json.items.length, 2);
    before = `&before=${r.json.next_before}`;
  }
  assert.deepEqual(seen, all);
  assert.deepEqual([...all].sort((a, b) => b - a), all);
});

test('authorization: every role, in and out of scope', async () => {
  const k = await reported();
  await matrix(as, { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, unit: 403, member: 404,
    memberElsewhere: 404, memberWaiting: 404, resident: 200, anon: 401 }, (c) => c.get(`/api/v1/cases/${k.id}`), 'GET case');
  assertProblem(await resident2.get(`/api/v1/cases/${k.id}`), 404, 'not_found');
  await matrix(as, { admin: 200, org: 200, org2: 200, staff: 200, staff2: 200, unit: 403, member: 403,
    memberElsewhere: 403, memberWaiting: 403, resident: 403, anon: 401 }, (c) => c.get(`/api/v1/cases?community=${SHILIUQIAO}`), 'queue');
  for (const role of ['org2', 'staff2']) {
    const r = await as[role].get(`/api/v1/cases?community=${SHILIUQIAO}`);
    assert.deepEqual([r.json.items.length, r.json.counts], [0, {}], role);
  }
  await matrix(as, { admin: 201, org: 201, org2: 403, staff: 201, staff2: 403, unit: 403, member: 201,
    memberElsewhere: 403, memberWaiting: 403, resident: 201, anon: 401 },
  (c, role) => c.post('/api/v1/cases', body(role === 'resident' ? {} : { community_code: SHILIUQIAO,
    channel: role.startsWith('member') ? 'walk' : 'phone' })), 'POST case');
  await matrix(as, { admin: 200, org: 200, org2: 200, staff: 200, staff2: 200, unit: 200, member: 200,
    memberElsewhere: 200, memberWaiting: 200, resident: 200, anon: 200 },
  (c) => c.get(`/api/v1/public/communities/${SHILIUQIAO}/cases`), 'public list');
  await matrix(as, { admin: 200, org: 200, org2: 200, staff: 200, staff2: 200, unit: 200, member: 200,
    memberElsewhere: 200, memberWaiting: 200, resident: 200, anon: 200 }, (c) => c.get('/api/v1/case-categories'), 'categories');
  // Staff steps: staff over the community only; the reporter and others learn nothing they may not.
  for (const [path, b] of [['accept', {}], ['refuse', { reason: '不属实' }], ['merge', { into: k.id }]]) {
    const fresh = await reported();
    for (const [role, status] of [['org2', 404], ['staff2', 404], ['unit', 403], ['member', 403], ['memberElsewhere', 403],
      ['resident', 403], ['anon', 401]]) {
      const r = await as[role].post(`/api/v1/cases/${fresh.id}/${path}`, b);
      assertProblem(r, status, { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' }[status], `${path} as ${role}`);
    }
    assert.equal((await as.staff.get(`/api/v1/cases/${fresh.id}`)).json.state, 'reported', path);
  }
  const a = await assigned();
  for (const [path, b] of [['assign', { kind: 'department', name: '区水务局' }], ['updates', { note: '在处理' }],
    ['resolve', { note: '好了' }]]) {
    for (const role of ['org2', 'staff2']) assertProblem(await as[role].post(`/api/v1/cases/${a.id}/${path}`, b), 404, 'not_found');
    for (const role of ['resident', 'member', 'unit']) assertProblem(await as[role].post(`/api/v1/cases/${a.id}/${path}`, b), 403, 'forbidden');
  }
  const r = await resolved();
  assertProblem(await as.staff2.post(`/api/v1/cases/${r.id}/follow-up`, {}), 404, 'not_found');
  assertProblem(await resident2.post(`/api/v1/cases/${r.id}/rate`, { rating: 1 }), 404, 'not_found');
  assertProblem(await resident2.post(`/api/v1/cases/${r.id}/reopen`, { reason: '没修好' }), 404, 'not_found');
  assertProblem(await as.staff2.post(`/api/v1/cases/${r.id}/reopen`, { reason: '没修好' }), 404, 'not_found');
  assert.equal((await as.staff.get(`/api/v1/cases/${r.id}`)).json.state, 'resolved');
  // Photos: the reporter's own (ask), staff's of the work (done); nobody else sees or touches them.
  const p = await reported();
  const ph = await upload(as.resident, p.id, 'ask', png(16, 16));
  assert.equal(ph.status, 201, ph.text);
  assertProblem(await upload(as.resident, p.id, 'done', png(16, 16)), 403, 'forbidden');
  assertProblem(await upload(resident2, p.id, 'ask', png(16, 16)), 404, 'not_found');
  assertProblem(await as.staff2.get(`/api/v1/cases/${p.id}/photos/${ph.json.id}`), 404, 'not_found');
  assertProblem(await resident2.get(`/api/v1/cases/${p.id}/photos/${ph.json.id}/thumb`), 404, 'not_found');
  assert.equal((await as.staff.get(`/api/v1/cases/${p.id}/photos/${ph.json.id}`)).status, 200);
  assertProblem(await as.staff2.req('DELETE', `/api/v1/cases/${p.id}/photos/${ph.json.id}`), 404, 'not_found');
  assert.equal((await as.resident.req('DELETE', `/api/v1/cases/${p.id}/photos/${ph.json.id}`)).status, 204);
  // A street (org) runs the cases of its subtree; a unit never sees residents' cases.
  assert.equal((await as.org.post(`/api/v1/cases/${p.id}/accept`)).status, 200);
});

test('bad input: a clear 4xx naming the field, nothing written; the longest texts in 4-byte characters kept whole', async () => {
  const count = async () => (await as.resident.get('/api/v1/me/cases?per_page=100')).json.items.length;
  const before = await count();
  for (const [over, field] of [
    [{ category_code: 'ufo' }, 'category_code'], [{ category_code: undefined }, 'category_code'], [{ title: '' }, 'title'],
    [{ title: wide(41) }, 'title'], [{ description: wide(501) }, 'description'], [{ description: 42 }, 'description'],
    [{ place: wide(51) }, 'place'], [{ contact_name: wide(21) }, 'contact_name'], [{ contact_phone: '12345' }, 'contact_phone'],
    [{ building_code: feieBuilding }, 'building_code'], [{ building_code: '44011100201x' }, 'building_code'],
    [{ point_x: 1001 }, 'point_x'], [{ point_x: -1 }, 'point_x'], [{ point_y: undefined }, 'point_y'],
    [{ priority: 'urgent' }, 'priority'], [{ channel: 'phone' }, 'channel'], [{ need_id: 1 }, 'need_id'],
    [{ reporter_account_id: 1 }, 'reporter_account_id'], [{ private: 'yes' }, 'private'], [{ colour: 'red' }, 'colour'],
    [{ community_code: FEIE }, null],
  ]) {
    const r = await as.resident.post('/api/v1/cases', body(over));
    if (field) {
      assert.equal(r.status, 422, `${JSON.stringify(over).slice(0, 80)}: ${r.status} ${r.text.slice(0, 200)}`);
      assertFieldError(r, field);
    } else assertProblem(r, 403, 'forbidden');
  }
  assert.equal(await count(), before);
  const long = await reported({ title: wide(40), description: wide(500), place: wide(50), contact_name: wide(20) });
  assert.deepEqual([long.title, long.description, long.place, long.contact_name], [wide(40), wide(500), wide(50), wide(20)]);
  await as.staff.post(`/api/v1/cases/${long.id}/accept`);
  for (const [b, field] of [[{ kind: 'robot' }, 'kind'], [{ kind: 'member' }, 'id'], [{ kind: 'member', id: elsewhereId }, 'id'],
    [{ kind: 'team', id: 99999 }, 'id'], [{ kind: 'property' }, 'name'], [{ kind: 'department', name: wide(101) }, 'name']]) {
    assertFieldError(await as.staff.post(`/api/v1/cases/${long.id}/assign`, b), field);
  }
  const asg = await as.staff.post(`/api/v1/cases/${long.id}/assign`, { kind: 'department', name: wide(100) });
  assert.deepEqual([asg.status, asg.json.party_name], [200, wide(100)]);
  for (const [b, field] of [[{ note: '' }, 'note'], [{ note: wide(501) }, 'note'], [{ note: '好', internal: 1 }, 'internal']]) {
    assertFieldError(await as.staff.post(`/api/v1/cases/${long.id}/updates`, b), field);
  }
  assert.equal((await as.staff.post(`/api/v1/cases/${long.id}/updates`, { note: wide(500) })).status, 200);
  for (const [b, field] of [[{ note: '好了', workers: [memberId] }, 'minutes'], [{ note: '好了', workers: [memberId], minutes: 1441 }, 'minutes'],
    [{ note: '好了', workers: [elsewhereId], minutes: 30 }, 'workers'], [{ note: '好了', workers: ['x'], minutes: 30 }, 'workers[0]'],
    [{ note: wide(501) }, 'note']]) {
    assertFieldError(await as.staff.post(`/api/v1/cases/${long.id}/resolve`, b), field);
  }
  assert.equal((await as.staff.get(`/api/v1/cases/${long.id}`)).json.state, 'in_progress', 'a refused resolution changed nothing');
  assert.equal((await as.staff.post(`/api/v1/cases/${long.id}/resolve`, { note: wide(500) })).status, 200);
  for (const [b, field] of [[{ rating: 0 }, 'rating'], [{ rating: 6 }, 'rating'], [{ rating: '5' }, 'rating'],
    [{ rating: 5, comment: wide(201) }, 'comment']]) {
    assertFieldError(await as.resident.post(`/api/v1/cases/${long.id}/rate`, b), field);
  }
  for (const [b, field] of [[{}, 'reason'], [{ reason: wide(201) }, 'reason']]) {
    assertFieldError(await as.resident.post(`/api/v1/cases/${long.id}/reopen`, b), field);
  }
  const rated = await as.resident.post(`/api/v1/cases/${long.id}/rate`, { rating: 4, comment: wide(200) });
  assert.deepEqual([rated.status, rated.json.rating_comment], [200, wide(200)]);
  assertFieldError(await as.staff.post(`/api/v1/cases/${long.id}/merge`, {}), 'into');
  assertFieldError(await as.resident.put(`/api/v1/cases/${long.id}/private`, {}), 'private');
  assertProblem(await as.staff.get('/api/v1/cases/abc'), 404, 'not_found');
  assertProblem(await as.staff.get('/api/v1/cases/99999999999999999999'), 404, 'not_found');
  assertProblem(await as.anon.get('/api/v1/public/communities/440111002/cases'), 404, 'not_found');
  assertProblem(await as.anon.get(`/api/v1/public/communities/${building}/cases`), 404, 'not_found');
  for (const q of ['state=sleeping', 'priority=now', 'overdue=maybe', 'before=0', 'per_page=101', `category=${wide(16)}`]) {
    assert.equal((await as.staff.get(`/api/v1/cases?${q}`)).status, 400, q);
  }
  assertProblem(await upload(as.resident, (await reported()).id, 'ask', Buffer.from('not an image')), 415);
});

test('concurrency: two staff accept at once, one wins; the other is told, and the timeline has one accept', async () => {
  for (let i = 0; i < 3; i++) {
    const k = await reported();
    const [a, b] = await Promise.all([as.staff.post(`/api/v1/cases/${k.id}/accept`), as.org.post(`/api/v1/cases/${k.id}/accept`)]);
    assert.deepEqual([a.status, b.status].sort(), [200, 409], `${a.text} ${b.text}`);
    assertConflict(a.status === 409 ? a : b, 'state', 'conflict');
    const t = (await as.staff.get(`/api/v1/cases/${k.id}`)).json.timeline;
    assert.equal(t.filter((e) => e.kind === 'accept').length, 1);
  }
});

test('the working calendar: holidays and make-up workdays move the expected date; only admin sets them', async () => {
  await matrix(as, { admin: 200, org: 403, org2: 403, staff: 403, staff2: 403, unit: 403, member: 403,
    memberElsewhere: 403, memberWaiting: 403, resident: 403, anon: 401 },
  (c) => c.put('/api/v1/case-calendar/2026-03-03', { kind: 'holiday', name: '测试假日' }), 'PUT calendar day');
  assert.equal((await as.admin.put('/api/v1/case-calendar/2026-03-04', { kind: 'holiday', name: '测试假日' })).status, 200);
  try {
    const cal = await as.staff.get('/api/v1/case-calendar');
    assert.deepEqual([cal.status, cal.json.holidays], [200, ['2026-03-03', '2026-03-04']]);
    const accept = async () => (await as.staff.post(`/api/v1/cases/${(await reported()).id}/accept`)).json.due_at;
    assert.equal(await accept(), endOfDay(3, 9), 'Tue and Wed off: Thu, Fri, then Monday');
    assert.equal((await as.admin.put('/api/v1/case-calendar/2026-03-07', { kind: 'workday', name: '调休' })).status, 200);
    assert.equal(await accept(), endOfDay(3, 7), 'the make-up Saturday counts');
    assertFieldError(await as.admin.put('/api/v1/case-calendar/2026-03-08', { kind: 'sometimes' }), 'kind');
    assertFieldError(await as.admin.put('/api/v1/case-calendar/2026-03-08', { kind: 'holiday', name: wide(21) }), 'name');
    assertProblem(await as.admin.put('/api/v1/case-calendar/2026-02-30', { kind: 'holiday' }), 404, 'not_found');
  } finally {
    for (const d of ['2026-03-03', '2026-03-04', '2026-03-07']) await as.admin.put(`/api/v1/case-calendar/${d}`, { kind: 'ordinary' });
  }
  const after = await as.staff.get('/api/v1/case-calendar');
  assert.deepEqual([after.json.holidays, after.json.workdays], [[], []]);
});

// Last: moving the clock on ends every session of the tests above.
test('due soon, then overdue (the street sees it); a follow-up left unanswered for 7 days closes', async () => {
  const k = lift;
  const quiet = await resolved();
  const working = await assigned();
  srv.setClock(T0 + DAY); // Tuesday: due tomorrow
  try {
    const staff1 = await loginAs(srv, 'staff');
    const soon = await staff1.get(`/api/v1/cases?community=${SHILIUQIAO}&due_soon=1`);
    assert.ok(soon.json.items.some((x) => x.id === k.id && x.sla === 'soon'), soon.text);
    srv.setClock(T0 + 3 * DAY); // Thursday: past Wednesday 24:00
    const staff3 = await loginAs(srv, 'staff');
    const late = await staff3.get(`/api/v1/cases?community=${SHILIUQIAO}&overdue=1`);
    assert.ok(late.json.items.some((x) => x.id === k.id && x.sla === 'overdue'), late.text);
    assert.ok(!late.json.items.some((x) => x.state === 'resolved'), 'no clock once resolved');
    // The street sees it too (escalation to the street).
    const org = await loginAs(srv, 'org');
    assert.ok((await org.get('/api/v1/cases?overdue=1')).json.items.some((x) => x.id === k.id));
    srv.setClock(T0 + 8 * DAY);
    const staff = await loginAs(srv, 'staff');
    const fresh = await staff.post(`/api/v1/cases/${working.id}/resolve`, { note: '刚修好' });
    assert.equal(fresh.status, 200, fresh.text);
    assert.match(srv.cli(['expire']), /closed: [1-9]\d* cases/);
    const q = await staff.get(`/api/v1/cases/${quiet.id}`);
    assert.deepEqual([q.json.state, q.json.rating, q.json.timeline.at(-1).kind], ['closed', null, 'expire']);
    assert.equal((await staff.get(`/api/v1/cases/${working.id}`)).json.state, 'resolved', 'resolved today: not yet');
    assert.match(srv.cli(['expire']), /closed: 0 cases/);
  } finally {
    srv.setClock(T0);
  }
});
