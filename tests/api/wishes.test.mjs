// wishes.test.mjs: micro-wishes (微心愿): entered and published by staff, claimed by one (the race), fulfilled, confirmed
// with the member's record and the wish bonus; who may do what; hostile input; the public wall shows masked names
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { assertProblem, assertFieldError, assertCleanLog, loginAs, SHILIUQIAO, FEIE } from './helpers.mjs';
import { everyone, matrix, reportedMember, wide } from './serving-people.mjs';

const T0 = Date.UTC(2026, 2, 2, 2, 0, 0) / 1000;
const DAY = 86400;
let srv, as, residentId, memberId, unitId, lastClaim;

before(async () => {
  srv = await startServer({ clock: T0 });
  ({ as, memberId } = await everyone(srv));
  residentId = (await as.resident.get('/api/v1/me')).json.id;
  unitId = (await as.unit.get('/api/v1/me')).json.roles.find((r) => r.role === 'unit').unit.id;
});
after(async () => {
  await srv.stop();
  assertCleanLog(srv.log());
});

const body = (over = {}) => ({ community_code: SHILIUQIAO, beneficiary_name: '王小明', title: '一副老花镜',
  description: '看报纸用，度数 200', value_cap: 300, consent: true, ...over });
const newWish = async (over = {}, by = as.staff) => {
  const r = await by.post('/api/v1/wishes', body(over));
  assert.equal(r.status, 201, r.text);
  return r.json;
};
const published = (over = {}) => newWish({ publish: true, beneficiary_account_id: residentId, ...over });

test('the whole path: create, approve, publish, claim, fulfil, confirm: a confirmed record of source wish and the bonus', async () => {
  const w = await newWish({ beneficiary_account_id: residentId });
  assert.deepEqual([w.state, w.beneficiary_name, w.value_cap, w.claimer, w.timeline.map((e) => e.kind)],
    ['submitted', '王小明', 300, null, ['submit']]);
  assert.equal((await as.staff.post(`/api/v1/wishes/${w.id}/approve`)).json.state, 'approved');
  const until = T0 + 30 * DAY;
  const p = await as.staff.post(`/api/v1/wishes/${w.id}/publish`, { publish_until: until });
  assert.deepEqual([p.status, p.json.state, p.json.publish_until], [200, 'published', until]);
  const m = await reportedMember(srv, 'w_path', SHILIUQIAO, as.staff);
  const open = (await m.client.get('/api/v1/me/open-wishes')).json.items;
  assert.ok(open.some((x) => x.id === w.id && x.beneficiary_name === '王*'), 'a member sees it among the open wishes');
  const c = await m.client.post(`/api/v1/wishes/${w.id}/claim`, { as: 'member' });
  assert.equal(c.status, 200, c.text);
  assert.deepEqual([c.json.state, c.json.claimer.kind, c.json.claimer.member_id, c.json.claimer.name,
    c.json.claimer.claim_until], ['claimed', 'member', m.id, m.name, T0 + 3 * DAY]);
  assertFieldError(await m.client.post(`/api/v1/wishes/${w.id}/fulfil`, { note: '送到了', value_spent: 301, minutes: 60 }),
    'value_spent', 'too_large');
  assert.equal((await as.staff.get(`/api/v1/wishes/${w.id}`)).json.state, 'claimed', 'over the cap: nothing written');
  const f = await m.client.post(`/api/v1/wishes/${w.id}/fulfil`, { note: '送到了，老人很高兴', value_spent: 280, minutes: 60 });
  assert.deepEqual([f.status, f.json.state, f.json.value_spent, f.json.minutes], [200, 'fulfilled', 280, 60]);
  assertProblem(await m.client.post(`/api/v1/wishes/${w.id}/confirm`, {}), 403, 'forbidden');
  const mine = (await as.resident.get('/api/v1/me/wishes')).json;
  assert.ok(mine.beneficiary.some((x) => x.id === w.id && x.state === 'fulfilled'));
  const done = await as.resident.post(`/api/v1/wishes/${w.id}/confirm`, {});
  assert.equal(done.status, 200, done.text);
  assert.equal(done.json.state, 'closed');
  assert.deepEqual(done.json.timeline.map((e) => e.kind), ['submit', 'approve', 'publish', 'claim', 'fulfil', 'confirm']);
  const rec = (await as.staff.get(`/api/v1/records/${done.json.record_id}`)).json;
  assert.deepEqual([rec.source, rec.state, rec.minutes, rec.origin_id, rec.member_id, rec.item_code],
    ['wish', 'confirmed', 60, w.id, m.id, 'G09']);
  const bonuses = (await as.staff.get(`/api/v1/members/${m.id}/bonuses`)).json.items;
  assert.deepEqual(bonuses.map((b) => [b.id, b.kind, b.points, b.ref]), [[done.json.bonus_id, 'wish', 5, w.id]]);
  assertProblem(await as.staff.post(`/api/v1/wishes/${w.id}/confirm`, {}), 409, 'conflict');
  const claimed = (await m.client.get('/api/v1/me/wishes')).json.claimed;
  assert.deepEqual(claimed.map((x) => [x.id, x.state]), [[w.id, 'closed']]);
});

test('the race: two members claim at once, exactly one wins, the other learns who', async () => {
  const w = await published();
  const a = await reportedMember(srv, 'w_race_a', SHILIUQIAO, as.staff);
  const b = await reportedMember(srv, 'w_race_b', FEIE, as.staff2);
  const rs = await Promise.all([a, b].map((m) => m.client.post(`/api/v1/wishes/${w.id}/claim`, { as: 'member' })));
  assert.deepEqual(rs.map((r) => r.status).sort(), [200, 409], rs.map((r) => r.text).join(' | '));
  const won = rs.findIndex((r) => r.status === 200);
  const lost = assertProblem(rs[1 - won], 409, 'taken');
  const winner = [a, b][won];
  assert.equal(lost.taken_by, winner.name);
  assert.ok(lost.detail.includes(winner.name), lost.detail);
  const after = (await as.staff.get(`/api/v1/wishes/${w.id}`)).json;
  assert.equal(after.timeline.filter((e) => e.kind === 'claim').length, 1);
  // The loser cannot release or fulfil it; the winner releases it before the deadline, and it is open again.
  const loser = [a, b][1 - won];
  assertProblem(await loser.client.post(`/api/v1/wishes/${w.id}/release`), 404, 'not_found');
  assertProblem(await as.staff.post(`/api/v1/wishes/${w.id}/release`), 409, 'conflict', 'staff wait for the deadline');
  const rel = await winner.client.post(`/api/v1/wishes/${w.id}/release`);
  assert.deepEqual([rel.status, rel.json.state, rel.json.claimer], [200, 'published', null]);
  const again = await loser.client.post(`/api/v1/wishes/${w.id}/claim`, { as: 'member' });
  assert.equal(again.status, 200, again.text);
  lastClaim = w.id;
});

test('a team\'s leader claims for the team, a unit\'s administrator for the unit; a unit\'s wish gives no record', async () => {
  const leader = await reportedMember(srv, 'w_leader', SHILIUQIAO, as.staff);
  const team = await as.staff.post('/api/v1/teams', { region_code: SHILIUQIAO, name: '心愿服务队', specialty: '医疗',
    description: '帮困难居民圆梦', leader_id: leader.id });
  assert.equal(team.status, 201, team.text);
  const w1 = await published();
  assertFieldError(await as.member.post(`/api/v1/wishes/${w1.id}/claim`, { as: 'team', team_id: team.json.id }), 'team_id',
    'not_found', 'only its leader');
  assertFieldError(await leader.client.post(`/api/v1/wishes/${w1.id}/claim`, { as: 'team' }), 'team_id', 'required');
  const t = await leader.client.post(`/api/v1/wishes/${w1.id}/claim`, { as: 'team', team_id: team.json.id });
  assert.equal(t.status, 200, t.text);
  assert.deepEqual([t.json.claimer.kind, t.json.claimer.team_id, t.json.claimer.member_id, t.json.claimer.name],
    ['team', team.json.id, leader.id, '心愿服务队']);
  assert.equal((await leader.client.post(`/api/v1/wishes/${w1.id}/fulfil`, { value_spent: 0, minutes: 30 })).status, 200);
  const c1 = await as.staff.post(`/api/v1/wishes/${w1.id}/confirm`, { item_code: 'G02' });
  assertFieldError(c1, 'fields.服务对象', undefined, 'an item with a required field is refused as the record would be');
  const ok1 = await as.staff.post(`/api/v1/wishes/${w1.id}/confirm`, { item_code: 'G08' });
  assert.equal(ok1.status, 200, ok1.text);
  assert.equal((await as.staff.get(`/api/v1/records/${ok1.json.record_id}`)).json.member_id, leader.id, 'the record goes to the leader');

  const w2 = await published();
  assertProblem(await as.unit.post(`/api/v1/wishes/${w2.id}/claim`, { as: 'unit', unit_id: unitId }), 404, 'not_found',
    'no co-building agreement with the community yet');
  const ag = await as.staff.post('/api/v1/agreements', { unit_id: unitId, community_code: SHILIUQIAO, starts_on: '2026-01-01',
    ends_on: '2027-12-31', status: 'signed', commitments: ['结对帮扶'] });
  assert.equal(ag.status, 201, ag.text);
  assertProblem(await as.unit.post(`/api/v1/wishes/${w2.id}/claim`, { as: 'unit', unit_id: unitId + 1000 }), 403, 'forbidden');
  const u = await as.unit.post(`/api/v1/wishes/${w2.id}/claim`, { as: 'unit', unit_id: unitId });
  assert.equal(u.status, 200, u.text);
  assert.deepEqual([u.json.claimer.kind, u.json.claimer.unit_id, u.json.claimer.member_id], ['unit', unitId, null]);
  assert.equal((await as.unit.post(`/api/v1/wishes/${w2.id}/fulfil`, { note: '单位捐赠', value_spent: 300, minutes: 120 })).status, 200);
  const ok2 = await as.resident.post(`/api/v1/wishes/${w2.id}/confirm`, {});
  assert.deepEqual([ok2.status, ok2.json.state, ok2.json.record_id, ok2.json.bonus_id], [200, 'closed', null, null]);
  assert.ok((await as.unit.get('/api/v1/me/wishes')).json.claimed.some((x) => x.id === w2.id));
});

test('refuse with a reason; bulk approval is all or nothing; the staff\'s list, filtered and paged', async () => {
  const a = await newWish();
  const b = await newWish({ title: '一台收音机' });
  assertFieldError(await as.staff.post(`/api/v1/wishes/${a.id}/refuse`, {}), 'reason', 'required');
  assertFieldError(await as.staff.post(`/api/v1/wishes/${a.id}/refuse`, { reason: wide(201) }), 'reason', 'too_long');
  const r = await as.staff.post(`/api/v1/wishes/${a.id}/refuse`, { reason: wide(200) });
  assert.deepEqual([r.json.state, r.json.refuse_reason], ['refused', wide(200)]);
  const c = await newWish({ title: '轮椅一把' });
  const bad = await as.staff.post('/api/v1/wishes/bulk-approve', { ids: [b.id, a.id, c.id] });
  assert.equal(assertProblem(bad, 409, 'conflict').errors[0].field, 'ids');
  assert.equal((await as.staff.get(`/api/v1/wishes/${b.id}`)).json.state, 'submitted', 'nothing approved');
  assertFieldError(await as.staff2.post('/api/v1/wishes/bulk-approve', { ids: [b.id] }), 'ids', 'not_found', 'out of reach');
  assertFieldError(await as.staff.post('/api/v1/wishes/bulk-approve', { ids: [] }), 'ids');
  assertFieldError(await as.staff.post('/api/v1/wishes/bulk-approve', { ids: Array.from({ length: 501 }, (_, i) => i + 1) }), 'ids');
  const ok = await as.staff.post('/api/v1/wishes/bulk-approve', { ids: [b.id, c.id], publish_until: T0 + DAY });
  assert.deepEqual([ok.status, ok.json.approved], [200, 2], ok.text);
  const listed = (await as.staff.get(`/api/v1/wishes?community_code=${SHILIUQIAO}&state=published&per_page=100`)).json;
  assert.ok([b.id, c.id].every((id) => listed.items.some((x) => x.id === id)));
  assert.equal(listed.total, listed.items.length);
  assert.equal((await as.staff.get('/api/v1/wishes?state=refused')).json.items[0].id, a.id);
  assert.equal((await as.staff2.get('/api/v1/wishes')).json.total, 0, 'another community\'s staff see none');
  const page2 = (await as.staff.get('/api/v1/wishes?page=2&per_page=1')).json;
  assert.equal(page2.items.length, 1);
  assertProblem(await as.staff.get('/api/v1/wishes?state=lost'), 400, 'bad_query');
  // Republishing needs an expired (or approved) wish.
  assertProblem(await as.staff.post(`/api/v1/wishes/${b.id}/publish`, {}), 409, 'conflict');
});

test('the public wall: published wishes only, names masked, no accounts; the claimer is not shown', async () => {
  const w = await published({ beneficiary_name: '𠀀明' });
  const hidden = await newWish({ title: '未发布的心愿' });
  const r = await as.anon.get(`/api/v1/public/communities/${SHILIUQIAO}/wishes`);
  assert.equal(r.status, 200, r.text);
  const item = r.json.items.find((x) => x.id === w.id);
  assert.equal(item.beneficiary_name, '𠀀*');
  assert.ok(!r.json.items.some((x) => x.id === hidden.id));
  assert.ok(r.json.items.every((x) => x.state === 'published' && /^.\*$/u.test(x.beneficiary_name)));
  for (const k of ['beneficiary_account_id', 'claimer_name', 'claimer', 'claim_until'])
    assert.ok(!(k in item), `no ${k} on the wall`);
  assert.ok(!r.text.includes('王小明'));
  assertProblem(await as.anon.get('/api/v1/public/communities/440111002000/wishes'), 404, 'not_found', 'a street is not a community');
  assertProblem(await as.anon.get('/api/v1/public/communities/abc/wishes'), 404, 'not_found');
  assert.deepEqual((await as.anon.get(`/api/v1/public/communities/${FEIE}/wishes`)).json.items, []);
});

test('hostile input: wrong types, over-long 4-byte texts, unknown fields, ids out of range, no consent', async () => {
  const max = await newWish({ beneficiary_name: wide(20), title: wide(50), description: wide(300) });
  assert.deepEqual([max.beneficiary_name, max.title, max.description], [wide(20), wide(50), wide(300)]);
  for (const [over, field, code] of [
    [{ beneficiary_name: '𠀀'.repeat(21) }, 'beneficiary_name', 'too_long'], [{ title: wide(51) }, 'title', 'too_long'],
    [{ description: wide(301) }, 'description', 'too_long'], [{ title: 5 }, 'title'], [{ value_cap: '300' }, 'value_cap'],
    [{ value_cap: 0 }, 'value_cap'], [{ value_cap: 10001 }, 'value_cap'], [{ consent: false }, 'consent'],
    [{ consent: 'yes' }, 'consent'], [{ consent: undefined }, 'consent', 'required'], [{ color: 'red' }, 'color', 'unknown'],
    [{ community_code: '123' }, 'community_code'], [{ community_code: '440111002000' }, 'community_code'],
    [{ publish: true, publish_until: T0 - 1 }, 'publish_until'], [{ publish_until: T0 + DAY }, 'publish_until'],
    [{ beneficiary_account_id: 1 }, 'beneficiary_account_id'], [{ title: '' }, 'title'],
  ]) assertFieldError(await as.staff.post('/api/v1/wishes', body(over)), field, code, JSON.stringify(over).slice(0, 80));
  const w = await published();
  for (const [b, field] of [[{}, 'as'], [{ as: 'club' }, 'as'], [{ as: 'member', team_id: 'x' }, 'team_id'],
    [{ as: 'member', unit_id: 1 }, 'unit_id'], [{ as: 'member', extra: 1 }, 'extra']])
    assertFieldError(await as.member.post(`/api/v1/wishes/${w.id}/claim`, b), field);
  for (const path of ['abc', '0', '-1', '99999999999999999999', '9223372036854775807'])
    assertProblem(await as.staff.get(`/api/v1/wishes/${path}`), 404, 'not_found', path);
  assertProblem(await as.member.post('/api/v1/wishes/9223372036854775807/claim', { as: 'member' }), 404, 'not_found');
  assert.equal((await as.member.post(`/api/v1/wishes/${w.id}/claim`, { as: 'member' })).status, 200);
  for (const [b, field] of [[{ value_spent: -1, minutes: 60 }, 'value_spent'], [{ value_spent: 1, minutes: 0 }, 'minutes'],
    [{ value_spent: 1, minutes: 1441 }, 'minutes'], [{ value_spent: 1 }, 'minutes'], [{ value_spent: 1, minutes: 60, note: wide(301) }, 'note'],
    [{ value_spent: 1.5, minutes: 60 }, 'value_spent']])
    assertFieldError(await as.member.post(`/api/v1/wishes/${w.id}/fulfil`, b), field);
  assert.equal((await as.member.post(`/api/v1/wishes/${w.id}/fulfil`, { value_spent: 1, minutes: 60, note: wide(300) })).json.fulfil_note, wide(300));
  assertFieldError(await as.staff.post(`/api/v1/wishes/${w.id}/confirm`, { item_code: 'NOPE' }), 'item_code', 'not_found');
  assertFieldError(await as.staff.post(`/api/v1/wishes/${w.id}/confirm`, { item_code: wide(9) }), 'item_code', 'too_long');
  assertFieldError(await as.staff.post('/api/v1/wishes/bulk-approve', { ids: ['1'] }), 'ids[0]');
  assertFieldError(await as.staff.post('/api/v1/wishes/bulk-approve', { ids: [0] }), 'ids[0]');
  assertFieldError(await as.staff.post('/api/v1/wishes/bulk-approve', { ids: [99999999] }), 'ids', 'not_found');
  assert.equal((await as.staff.get(`/api/v1/wishes/${w.id}`)).json.state, 'fulfilled', 'refusals changed nothing');
});

test('authorization matrix', async () => {
  await matrix(as, { admin: 201, org: 201, org2: 403, staff: 201, staff2: 403, unit: 403, member: 403, memberElsewhere: 403,
    memberWaiting: 403, resident: 403, anon: 401 }, (c) => c.post('/api/v1/wishes', body()), 'create');
  const w = await newWish({ beneficiary_account_id: residentId });
  await matrix(as, { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, unit: 404, member: 404, memberElsewhere: 404,
    memberWaiting: 404, resident: 200, anon: 401 }, (c) => c.get(`/api/v1/wishes/${w.id}`), 'read (resident: the beneficiary)');
  await matrix(as, { admin: 200, org: 200, org2: 200, staff: 200, staff2: 200, unit: 403, member: 403, memberElsewhere: 403,
    memberWaiting: 403, resident: 403, anon: 401 }, (c) => c.get('/api/v1/wishes'), 'list');
  await matrix(as, { admin: 200, org: 409, org2: 404, staff: 409, staff2: 404, unit: 403, member: 403, memberElsewhere: 403,
    memberWaiting: 403, resident: 403, anon: 401 }, (c) => c.post(`/api/v1/wishes/${w.id}/approve`), 'approve');
  await matrix(as, { admin: 200, org: 409, org2: 404, staff: 409, staff2: 404, unit: 403, member: 403, memberElsewhere: 403,
    memberWaiting: 403, resident: 403, anon: 401 }, (c) => c.post(`/api/v1/wishes/${w.id}/publish`, {}), 'publish');
  const x = await newWish();
  await matrix(as, { admin: 200, org: 409, org2: 404, staff: 409, staff2: 404, unit: 403, member: 403, memberElsewhere: 403,
    memberWaiting: 403, resident: 403, anon: 401 }, (c) => c.post(`/api/v1/wishes/${x.id}/refuse`, { reason: '重复登记' }), 'refuse');
  // The wish is published now: members of the city may claim it (the first wins), others cannot.
  // A unit's administrator reaches the wishes of its partner communities (石榴桥 by now) but is no member: 403.
  await matrix(as, { admin: 403, org: 403, org2: 403, staff: 403, staff2: 403, unit: 403, member: 200, memberElsewhere: 409,
    memberWaiting: 404, resident: 403, anon: 401 }, (c) => c.post(`/api/v1/wishes/${w.id}/claim`, { as: 'member' }), 'claim');
  await matrix(as, { admin: 403, org: 403, org2: 403, staff: 403, staff2: 403, unit: 404, member: 200, memberElsewhere: 404,
    memberWaiting: 404, resident: 403, anon: 401 }, (c) => c.post(`/api/v1/wishes/${w.id}/fulfil`, { value_spent: 10, minutes: 30 }),
  'fulfil');
  await matrix(as, { admin: 200, org: 403, org2: 404, staff: 409, staff2: 404, unit: 404, member: 403, memberElsewhere: 404,
    memberWaiting: 404, resident: 409, anon: 401 }, (c) => c.post(`/api/v1/wishes/${w.id}/confirm`, {}), 'confirm');
  await matrix(as, { admin: 409, org: 409, org2: 404, staff: 409, staff2: 404, unit: 404, member: 409, memberElsewhere: 404,
    memberWaiting: 404, resident: 403, anon: 401 }, (c) => c.post(`/api/v1/wishes/${w.id}/release`), 'release a closed wish');
  const y = await newWish();
  // Out of reach answers as a wish that does not exist: 422 naming ids.
  await matrix(as, { admin: 200, org: 409, org2: 422, staff: 409, staff2: 422, unit: 403, member: 403, memberElsewhere: 403,
    memberWaiting: 403, resident: 403, anon: 401 }, (c) => c.post('/api/v1/wishes/bulk-approve', { ids: [y.id] }), 'bulk-approve');
  await matrix(as, { admin: 200, org: 200, org2: 200, staff: 200, staff2: 200, unit: 200, member: 200, memberElsewhere: 200,
    memberWaiting: 200, resident: 200, anon: 200 }, (c) => c.get(`/api/v1/public/communities/${SHILIUQIAO}/wishes`), 'the wall');
  await matrix(as, { admin: 200, org: 200, org2: 200, staff: 200, staff2: 200, unit: 200, member: 200, memberElsewhere: 200,
    memberWaiting: 200, resident: 200, anon: 401 }, (c) => c.get('/api/v1/me/wishes'), 'my wishes');
  await matrix(as, { admin: 403, org: 403, org2: 403, staff: 403, staff2: 403, unit: 200, member: 200, memberElsewhere: 200,
    memberWaiting: 200, resident: 403, anon: 401 }, (c) => c.get('/api/v1/me/open-wishes'), 'open wishes');
  const elsewhere = (await as.memberElsewhere.get('/api/v1/me/open-wishes')).json;
  assert.equal(elsewhere.community_code, FEIE);
  assert.deepEqual((await as.memberWaiting.get('/api/v1/me/open-wishes')).json.items, [], 'a member still waiting sees none');
  const memberMine = (await as.member.get('/api/v1/me/wishes')).json;
  assert.ok(memberMine.claimed.some((x) => x.id === w.id));
  assert.ok(memberId > 0);
});

// Last: moving the clock three days on ends every idle session.
test('after the claim\'s deadline staff release it', async () => {
  srv.setClock(T0 + 3 * DAY + 1);
  const staff = await loginAs(srv, 'staff');
  const w = (await staff.get(`/api/v1/wishes/${lastClaim}`)).json;
  assert.equal(w.state, 'claimed');
  assert.ok(w.claimer.claim_until < T0 + 3 * DAY + 1);
  const r = await staff.post(`/api/v1/wishes/${lastClaim}/release`);
  assert.deepEqual([r.status, r.json.state, r.json.claimer], [200, 'published', null], r.text);
});
