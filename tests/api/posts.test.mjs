// posts.test.mjs: posts (岗位) of a community: defined by staff, claimed and left with approval, never over-filled, service logged
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { assertProblem, assertFieldError, assertCleanLog, SHILIUQIAO, FEIE, SANYUANLI, HONGQIAO } from './helpers.mjs';
import { everyone, matrix, reportedMember, wide } from './serving-people.mjs';

// 2026-03-02 10:00 in China: the clock stands still, so sessions live through the file.
const T0 = Date.UTC(2026, 2, 2, 2, 0, 0) / 1000;
const HOUR = 3600;
let srv, as, memberId, grid, building, items;

before(async () => {
  srv = await startServer({ clock: T0 });
  ({ as, memberId } = await everyone(srv));
  grid = (await as.staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: '一网格' })).json.code;
  building = (await as.staff.post(`/api/v1/regions/${grid}/children`, { name: '3栋' })).json.code;
  const listed = (await as.staff.get(`/api/v1/catalog?region=${SHILIUQIAO}`)).json.items;
  items = Object.fromEntries(listed.map((i) => [i.code, i.id]));
});
after(async () => {
  await srv.stop();
  assertCleanLog(srv.log());
});

let serial = 0;
const postBody = (over = {}) => {
  serial += 1;
  return { community_code: SHILIUQIAO, item_id: items.P02, name: `垃圾分类督导员${serial}`, duties: '早晚督导分类投放',
    places: 2, starts_on: '2026-03-01', ...over };
};
const newPost = async (over = {}, by = as.staff) => {
  const r = await by.post('/api/v1/posts', postBody(over));
  assert.equal(r.status, 201, r.text);
  return r.json;
};
// A member approved in 石榴桥社区 (or community), signed in.
let people = 0;
const someone = async (community = SHILIUQIAO, opts = {}) => {
  people += 1;
  return reportedMember(srv, `post_m${people}`, community, community === SHILIUQIAO ? as.staff : null, opts);
};
const claim = (c, postId, note) => c.post(`/api/v1/posts/${postId}/claims`, note === undefined ? undefined : { note });
const approve = (c, claimId) => c.post(`/api/v1/post-claims/${claimId}/approve`);
// A post held by member m (claimed and approved): {post, claim}.
async function held(m, over = {}) {
  const post = await newPost(over);
  const c = await claim(m.client, post.id, '住得近');
  assert.equal(c.status, 201, c.text);
  const a = await approve(as.staff, c.json.id);
  assert.equal(a.status, 200, a.text);
  return { post, claim: a.json };
}
const service = (c, postId, over = {}) => c.post(`/api/v1/posts/${postId}/service`,
  { started_at: T0 - 3 * HOUR, minutes: 60, place: '2号垃圾投放点', content: '督导早高峰投放', ...over });

describe('a community defines posts', () => {
  test('staff create posts for the whole community, a grid, a building; listed by scope', async () => {
    const whole = await newPost({ ends_on: '2026-12-31' });
    assert.equal(whole.community_name, '石榴桥社区');
    assert.equal(whole.place_code, null);
    assert.equal(whole.item_code, 'P02');
    assert.equal(whole.item_name, '垃圾分类督导员');
    assert.equal(whole.item_category, 'post');
    assert.deepEqual([whole.places, whole.holders, whole.applied, whole.full, whole.expired, whole.state],
      [2, 0, 0, false, false, 'open']);
    assert.equal(whole.ends_on, '2026-12-31');
    const g = await newPost({ place_code: grid, item_id: items.P03, name: '一网格文明劝导员' });
    assert.deepEqual([g.place_code, g.place_name, g.place_level], [grid, '一网格', 'grid']);
    const b = await newPost({ place_code: building, item_id: items.P01, name: '3栋楼栋长', places: 1 });
    assert.deepEqual([b.place_name, b.place_level, b.ends_on], ['3栋', 'building', null]);
    const mine = (await as.staff.get(`/api/v1/posts?community=${SHILIUQIAO}&per_page=100`)).json;
    assert.ok([whole.id, g.id, b.id].every((id) => mine.items.some((p) => p.id === id)));
    assert.equal(mine.total, mine.items.length);
    const org = (await as.org.get('/api/v1/posts?per_page=100')).json;
    assert.ok(org.items.some((p) => p.id === b.id), 'the street\'s org sees its communities\' posts');
    for (const other of ['staff2', 'org2']) assert.equal((await as[other].get('/api/v1/posts')).json.total, 0, other);
    const byItem = (await as.staff.get(`/api/v1/posts?item_id=${items.P01}`)).json.items;
    assert.ok(byItem.length >= 1 && byItem.every((p) => p.item_id === items.P01));
    const got = await as.staff.get(`/api/v1/posts/${b.id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.json.people, []);
    assert.equal(got.json.name, '3栋楼栋长');
  });

  test('the item is one offered in the community: the street\'s own, not another street\'s, not a retired one', async () => {
    const street = await as.org.post('/api/v1/catalog', { region_code: SANYUANLI, category: 'post', code: 'SYP1',
      name: '红色讲解员', fields: [{ name: '讲解人数', type: 'number', required: true }] });
    assert.equal(street.status, 201, street.text);
    items.SYP1 = street.json.id;
    await newPost({ item_id: street.json.id, name: '纪念馆讲解员' });
    const far = await as.admin.post('/api/v1/catalog', { region_code: HONGQIAO, category: 'post', code: 'HQP1', name: '别处的' });
    assertFieldError(await as.staff.post('/api/v1/posts', postBody({ item_id: far.json.id })), 'item_id', 'not_found');
    const old = await as.org.post('/api/v1/catalog', { region_code: SANYUANLI, category: 'post', code: 'SYP2', name: '旧岗位' });
    await as.org.post(`/api/v1/catalog/${old.json.id}/retire`);
    assertFieldError(await as.staff.post('/api/v1/posts', postBody({ item_id: old.json.id })), 'item_id', 'not_found');
  });

  test('an item with open posts is not retired; a building a post names is not removed', async () => {
    const p = await newPost({ place_code: building, item_id: items.SYP1, name: '讲解员' });
    const r = await as.org.post(`/api/v1/catalog/${items.SYP1}/retire`);
    assertProblem(r, 409, 'conflict');
    assert.match(r.json.title, /还有 2 个开放的岗位/);
    assertProblem(await as.staff.del(`/api/v1/regions/${building}`), 409, 'conflict');
    assert.equal((await as.staff.get(`/api/v1/posts/${p.id}`)).json.place_name, '3栋');
  });

  test('edits: the community stays; places never below the holders; a closed post is not edited', async () => {
    const m = await someone();
    const { post } = await held(m, { places: 2 });
    const body = { item_id: items.P03, place_code: grid, name: '改名的岗位', duties: '新的职责', places: 1,
      starts_on: '2026-03-01', ends_on: '2026-06-30' };
    const r = await as.staff.put(`/api/v1/posts/${post.id}`, body);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.json.name, r.json.places, r.json.holders, r.json.full, r.json.place_name, r.json.ends_on],
      ['改名的岗位', 1, 1, true, '一网格', '2026-06-30']);
    assert.equal(r.json.people.length, 1);
    assertFieldError(await as.staff.put(`/api/v1/posts/${post.id}`, { ...body, community_code: FEIE }),
      'community_code', 'unknown');
    const second = await someone();
    await as.staff.put(`/api/v1/posts/${post.id}`, { ...body, places: 2 });
    await approve(as.staff, (await claim(second.client, post.id)).json.id);
    const fewer = await as.staff.put(`/api/v1/posts/${post.id}`, { ...body, places: 1 });
    assertProblem(fewer, 409, 'conflict');
    assert.deepEqual(fewer.json.errors.map((e) => [e.field, e.code]), [['places', 'too_small']]);
    assert.equal((await as.staff.get(`/api/v1/posts/${post.id}`)).json.places, 2, 'nothing written');
    const closed = await as.staff.post(`/api/v1/posts/${post.id}/close`, { reason: '岗位合并' });
    assert.equal(closed.status, 200, closed.text);
    assertProblem(await as.staff.put(`/api/v1/posts/${post.id}`, body), 409, 'conflict');
  });
});

describe('claims: a member claims, staff approve or refuse with a reason; leaving too', () => {
  let m, post, claimId;

  before(async () => {
    m = await someone();
    post = await newPost({ places: 1, item_id: items.P01, place_code: building, name: '3栋副楼栋长' });
  });

  test('claimed: waiting in the staff\'s queue, with the note; claimed once', async () => {
    const r = await claim(m.client, post.id, '我就住3栋');
    assert.equal(r.status, 201, r.text);
    assert.deepEqual([r.json.state, r.json.note, r.json.post_id, r.json.member_id, r.json.post_name],
      ['applied', '我就住3栋', post.id, m.id, '3栋副楼栋长']);
    assert.equal(r.json.member_phone, undefined, 'the member is not shown their phone back');
    claimId = r.json.id;
    assertProblem(await claim(m.client, post.id), 409, 'conflict');
    const queue = (await as.staff.get(`/api/v1/post-claims?post_id=${post.id}`)).json;
    assert.deepEqual(queue.items.map((c) => [c.id, c.state, c.member_name]), [[claimId, 'applied', m.name]]);
    assert.match(queue.items[0].member_phone, /^137\d{8}$/);
    const mine = (await m.client.get(`/api/v1/posts/${post.id}`)).json;
    assert.equal(mine.my_claim.state, 'applied');
    assert.equal(mine.applied, 1);
    assert.deepEqual(mine.people, [], 'a member sees who holds it, not who waits');
  });

  test('approved: holding; the member file and the member\'s own lists show it', async () => {
    const r = await approve(as.staff, claimId);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.state, 'holding');
    assert.equal(r.json.decided_at, T0);
    assertProblem(await approve(as.staff, claimId), 409, 'conflict');
    const p = (await as.staff.get(`/api/v1/posts/${post.id}`)).json;
    assert.deepEqual([p.holders, p.applied, p.full], [1, 0, true]);
    assert.deepEqual(p.people.map((h) => [h.member_name, h.state]), [[m.name, 'holding']]);
    const seen = (await as.member.get(`/api/v1/posts/${post.id}`)).json;
    assert.deepEqual(seen.people, [{ member_name: m.name, state: 'holding', since: T0 }]);
    assert.equal(seen.my_claim, null);
    const file = (await as.staff.get(`/api/v1/members/${m.id}`)).json;
    const held = file.posts.find((h) => h.post_id === post.id);
    assert.deepEqual([held.state, held.post_name, held.place_name, held.item_name], ['holding', '3栋副楼栋长', '3栋', '楼栋长']);
    assert.deepEqual(held.service, { pending: 0, pending_minutes: 0, confirmed: 0, confirmed_minutes: 0 });
    assert.ok((await m.client.get('/api/v1/me/member')).json.posts.some((h) => h.post_id === post.id));
    const me = (await m.client.get('/api/v1/me/posts')).json.items;
    assert.deepEqual(me.map((h) => [h.post_id, h.state]), [[post.id, 'holding']]);
  });

  test('a full post takes no more claims', async () => {
    const other = await someone();
    const r = await claim(other.client, post.id);
    assertProblem(r, 409, 'full');
  });

  test('asking to leave needs a reason; staff refuse it (back to holding) or approve it (left, the place is free)', async () => {
    const leave = (body) => m.client.post(`/api/v1/me/posts/${post.id}/leave`, body);
    assertFieldError(await leave(), 'reason', 'required');
    assertFieldError(await leave({ reason: '' }), 'reason', 'required');
    const asked = await leave({ reason: '工作调动' });
    assert.equal(asked.status, 200, asked.text);
    assert.deepEqual([asked.json.state, asked.json.reason, asked.json.leave_at], ['leaving', '工作调动', T0]);
    assertProblem(await leave({ reason: '再说一次' }), 409, 'conflict');
    const queue = (await as.staff.get('/api/v1/post-claims')).json.items;
    assert.ok(queue.some((c) => c.id === claimId && c.state === 'leaving'), 'leaving is in the queue');
    assertFieldError(await as.staff.post(`/api/v1/post-claims/${claimId}/refuse`, {}), 'reason', 'required');
    assertFieldError(await as.staff.post(`/api/v1/post-claims/${claimId}/refuse`), 'reason', 'required', 'no body at all');
    const kept = await as.staff.post(`/api/v1/post-claims/${claimId}/refuse`, { reason: '暂时没有人接替，请再坚持一个月' });
    assert.equal(kept.status, 200, kept.text);
    assert.deepEqual([kept.json.state, kept.json.answer], ['holding', '暂时没有人接替，请再坚持一个月']);
    await leave({ reason: '已找到接替的人' });
    const gone = await approve(as.staff, claimId);
    assert.deepEqual([gone.json.state, gone.json.left_at], ['left', T0]);
    const p = (await as.staff.get(`/api/v1/posts/${post.id}`)).json;
    assert.deepEqual([p.holders, p.full], [0, false]);
    const me = (await m.client.get('/api/v1/me/posts')).json.items;
    assert.deepEqual(me.map((h) => [h.post_id, h.state]), [[post.id, 'left']], 'ended ones too');
    assert.equal((await as.staff.get(`/api/v1/members/${m.id}`)).json.posts.length, 0, 'the file shows posts held');
    assertProblem(await leave({ reason: '又一次' }), 404, 'not_found');
  });

  test('refused with a reason; withdrawn before a decision; ended by staff', async () => {
    const a = await someone(), b = await someone(), c = await someone();
    const p = await newPost({ places: 3 });
    const ca = (await claim(a.client, p.id)).json, cb = (await claim(b.client, p.id)).json;
    const refused = await as.staff.post(`/api/v1/post-claims/${ca.id}/refuse`, { reason: '本岗位需要住在小区内的党员' });
    assert.deepEqual([refused.json.state, refused.json.answer], ['refused', '本岗位需要住在小区内的党员']);
    const seen = (await a.client.get('/api/v1/me/posts')).json.items.find((h) => h.id === ca.id);
    assert.equal(seen.answer, '本岗位需要住在小区内的党员');
    assert.equal((await claim(a.client, p.id)).status, 201, 'a refused member may claim again');
    const w = await b.client.post(`/api/v1/me/posts/${p.id}/leave`);
    assert.deepEqual([w.status, w.json.state, w.json.id], [200, 'withdrawn', cb.id]);
    assertProblem(await approve(as.staff, cb.id), 409, 'conflict');
    const { claim: hc } = await held(c);
    assertFieldError(await as.staff.post(`/api/v1/post-claims/${hc.id}/end`, { reason: 'x' }), 'reason', 'too_short');
    const ended = await as.staff.post(`/api/v1/post-claims/${hc.id}/end`, { reason: '长期未到岗' });
    assert.deepEqual([ended.json.state, ended.json.answer], ['left', '长期未到岗']);
    assertProblem(await as.staff.post(`/api/v1/post-claims/${hc.id}/end`, { reason: '长期未到岗' }), 409, 'conflict');
  });

  test('closed with a reason: its holders leave, its claims are refused, it takes no more', async () => {
    const a = await someone(), b = await someone(), c = await someone();
    const { post: p, claim: h } = await held(a, { places: 3 });
    const waiting = (await claim(b.client, p.id)).json;
    assertFieldError(await as.staff.post(`/api/v1/posts/${p.id}/close`, {}), 'reason', 'required');
    assertFieldError(await as.staff.post(`/api/v1/posts/${p.id}/close`), 'reason', 'required');
    const r = await as.staff.post(`/api/v1/posts/${p.id}/close`, { reason: '垃圾分类由物业接手' });
    assert.deepEqual([r.status, r.json.state, r.json.close_reason, r.json.holders], [200, 'closed', '垃圾分类由物业接手', 0]);
    const ha = (await a.client.get('/api/v1/me/posts')).json.items.find((x) => x.id === h.id);
    assert.deepEqual([ha.state, ha.answer], ['left', '垃圾分类由物业接手']);
    const wb = (await b.client.get('/api/v1/me/posts')).json.items.find((x) => x.id === waiting.id);
    assert.deepEqual([wb.state, wb.answer], ['refused', '垃圾分类由物业接手']);
    assertProblem(await claim(c.client, p.id), 409, 'closed');
    assertProblem(await as.staff.post(`/api/v1/posts/${p.id}/close`, { reason: '再关一次' }), 409, 'conflict');
    assert.ok((await as.staff.get(`/api/v1/posts?state=closed`)).json.items.some((x) => x.id === p.id));
    assert.ok(!(await as.staff.get(`/api/v1/posts?state=open&per_page=100`)).json.items.some((x) => x.id === p.id));
  });

  test('a member who moved to another community: not taken on, and no more service logged here', async () => {
    const a = await someone(), b = await someone();
    const p = await newPost({ places: 5 });
    const waiting = (await claim(a.client, p.id)).json;
    const { post: q } = await held(b, { places: 5 });
    for (const m of [a, b]) {
      const moved = await m.client.post('/api/v1/me/registration', { ...m.form, community_code: FEIE });
      assert.equal(moved.status, 201, moved.text);
      const ok = await as.staff2.post(`/api/v1/registrations/${moved.json.registration.id}/approve`);
      assert.equal(ok.status, 200, ok.text);
    }
    assertProblem(await approve(as.staff, waiting.id), 409, 'moved');
    assert.equal((await as.staff.post(`/api/v1/post-claims/${waiting.id}/refuse`, { reason: '已迁出本社区' })).status, 200);
    assertProblem(await service(b.client, q.id), 404, 'not_found');
    assertProblem(await claim(b.client, p.id), 404, 'not_found');
  });

  test('a post whose term is over takes no claims and is not offered', async () => {
    const p = await newPost({ starts_on: '2025-01-01', ends_on: '2026-03-01' });
    assert.equal(p.expired, true);
    const c = await someone();
    assertProblem(await claim(c.client, p.id), 409, 'closed');
    assert.ok(!(await c.client.get('/api/v1/me/posts/open')).json.items.some((x) => x.id === p.id));
    const today = await newPost({ ends_on: '2026-03-02' });
    assert.equal(today.expired, false, 'its last day is still in its term');
  });
});

describe('the posts a member named when reporting in come first', () => {
  test('楼栋长 and 文明劝导 first (by post or item name), then the others; open ones of their community only', async () => {
    const m = await someone(SHILIUQIAO, { preferred: '楼栋长、文明劝导' });
    const plain = await newPost({ name: '垃圾分类督导' });
    const head = await newPost({ item_id: items.P01, place_code: building, name: '3栋楼长' });
    const civil = await newPost({ item_id: items.P02, name: '文明劝导岗' });
    const open = (await m.client.get('/api/v1/me/posts/open')).json.items;
    const flags = open.map((p) => p.preferred);
    assert.deepEqual(flags, [...flags].sort((x, y) => y - x), 'every preferred one before the others');
    const at = (id) => open.findIndex((p) => p.id === id);
    assert.ok(open[at(head.id)].preferred, 'its item is 楼栋长');
    assert.ok(open[at(civil.id)].preferred, 'its name holds 文明劝导');
    assert.equal(open[at(plain.id)].preferred, false);
    assert.ok(at(head.id) < at(plain.id) && at(civil.id) < at(plain.id));
    assert.ok(open.every((p) => p.community_code === SHILIUQIAO && p.state === 'open'));
    const c = (await claim(m.client, plain.id)).json;
    const again = (await m.client.get('/api/v1/me/posts/open')).json.items.find((p) => p.id === plain.id);
    assert.deepEqual(again.my_claim, { id: c.id, state: 'applied' });
    const there = await someone(FEIE);
    assertProblem(await there.client.get('/api/v1/me/posts/open'), 403, 'forbidden', 'not approved yet');
  });
});

describe('a holder logs service against the post', () => {
  let m, post;

  before(async () => {
    m = await someone();
    ({ post } = await held(m, { name: '垃圾分类督导员（早班）' }));
  });

  test('a pending record of the post, counted on the member\'s post', async () => {
    const r = await service(m.client, post.id);
    assert.equal(r.status, 201, r.text);
    assert.deepEqual([r.json.state, r.json.source, r.json.post_id, r.json.item_id, r.json.minutes, r.json.started_at,
      r.json.community_code], ['pending', 'post', post.id, items.P02, 60, T0 - 3 * HOUR, SHILIUQIAO]);
    const mine = (await m.client.get('/api/v1/me/posts')).json.items.find((h) => h.post_id === post.id);
    assert.deepEqual(mine.service, { pending: 1, pending_minutes: 60, confirmed: 0, confirmed_minutes: 0 });
    const file = (await as.staff.get(`/api/v1/members/${m.id}`)).json.posts.find((h) => h.post_id === post.id);
    assert.equal(file.service.pending_minutes, 60);
    const queue = (await as.staff.get(`/api/v1/records?state=pending&community=${SHILIUQIAO}&per_page=100`)).json.items;
    assert.ok(queue.some((x) => x.id === r.json.id && x.post_name === post.name), 'in the confirmation queue, named by its post');
    assert.equal((await as.staff.post(`/api/v1/records/${r.json.id}/confirm`)).status, 200);
    const stamped = (await m.client.get('/api/v1/me/posts')).json.items.find((h) => h.post_id === post.id);
    assert.deepEqual(stamped.service, { pending: 0, pending_minutes: 0, confirmed: 1, confirmed_minutes: 60 });
  });

  test('refused: overlapping, not yet over, before the holding began, after the term, out of bounds', async () => {
    assertProblem(await service(m.client, post.id, { started_at: T0 - 3 * HOUR + 1800 }), 409, 'conflict');
    assertFieldError(await service(m.client, post.id, { started_at: T0 - 1800 }), 'started_at', 'too_large');
    assertFieldError(await service(m.client, post.id, { started_at: T0 - 24 * HOUR }), 'started_at', 'too_small');
    assertFieldError(await service(m.client, post.id, { minutes: 0 }), 'minutes', 'too_small');
    assertFieldError(await service(m.client, post.id, { minutes: 1441 }), 'minutes', 'too_large');
    assertFieldError(await service(m.client, post.id, { started_at: 'yesterday' }), 'started_at', 'type');
    assertFieldError(await service(m.client, post.id, { started_at: undefined }), 'started_at', 'required');
    assertFieldError(await service(m.client, post.id, { place: wide(101) }), 'place', 'too_long');
    assertFieldError(await service(m.client, post.id, { content: wide(501) }), 'content', 'too_long');
    assertFieldError(await service(m.client, post.id, { post_id: 3 }), 'post_id', 'unknown');
    const mine = (await m.client.get('/api/v1/me/posts')).json.items.find((h) => h.post_id === post.id);
    assert.deepEqual([mine.service.pending, mine.service.confirmed], [0, 1], 'nothing written');
  });

  test('only a holder: not one who applied, not one of another community', async () => {
    const a = await someone();
    const p = await newPost();
    await claim(a.client, p.id);
    assertProblem(await service(a.client, p.id), 404, 'not_found');
    assertProblem(await service(as.memberElsewhere, post.id), 404, 'not_found');
    assertProblem(await service(m.client, 999999), 404, 'not_found');
  });

  test('the item\'s extra fields are filled as it asks', async () => {
    const h = await someone();
    const { post: p } = await held(h, { item_id: items.SYP1, name: '讲解员（周末）' });
    assertFieldError(await service(h.client, p.id), 'fields.讲解人数', 'required');
    assertFieldError(await service(h.client, p.id, { fields: { 讲解人数: '很多' } }), 'fields.讲解人数', 'format');
    assertFieldError(await service(h.client, p.id, { fields: { 讲解人数: 30, 天气: '晴' } }), 'fields.天气', 'unknown');
    assertFieldError(await service(h.client, p.id, { fields: { 讲解人数: { n: 30 } } }), 'fields.讲解人数', 'type');
    assertFieldError(await service(h.client, p.id, { fields: '讲解人数=30' }), 'fields', 'type');
    assertFieldError(await service(h.client, p.id, { fields: [30] }), 'fields', 'type');
    const r = await service(h.client, p.id, { fields: { 讲解人数: 30 } });
    assert.equal(r.status, 201, r.text);
  });
});

describe('places are never over-filled', () => {
  test('20 members claim a post with 3 places at once, staff approve all 20 at once: exactly 3 hold it', async () => {
    const post = await newPost({ places: 3, name: '防汛巡逻队员' });
    const members = [];
    for (let i = 0; i < 20; i++) members.push(await someone());
    const claims = await Promise.all(members.map((m) => claim(m.client, post.id)));
    assert.deepEqual(claims.map((r) => r.status), Array(20).fill(201));
    const decided = await Promise.all(claims.map((r) => approve(as.staff, r.json.id)));
    const statuses = decided.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 200, 200, ...Array(17).fill(409)]);
    for (const r of decided.filter((x) => x.status === 409)) assertProblem(r, 409, 'full');
    const p = (await as.staff.get(`/api/v1/posts/${post.id}`)).json;
    assert.deepEqual([p.holders, p.applied, p.full], [3, 17, true]);
    assert.equal(p.people.filter((h) => h.state === 'holding').length, 3);
  });

  test('one member claiming ten times at once: one claim', async () => {
    const m = await someone();
    const post = await newPost();
    const rs = await Promise.all(Array.from({ length: 10 }, () => claim(m.client, post.id)));
    assert.deepEqual(rs.map((r) => r.status).sort(), [201, ...Array(9).fill(409)]);
    assert.equal((await as.staff.get(`/api/v1/posts/${post.id}`)).json.applied, 1);
  });
});

describe('who may do what', () => {
  const console = { unit: 403, member: 403, memberElsewhere: 403, memberWaiting: 403, resident: 403, anon: 401 };
  const phone = { admin: 403, org: 403, org2: 403, staff: 403, staff2: 403, unit: 403, resident: 403, anon: 401 };
  let post;

  before(async () => {
    post = await newPost({ places: 10 });
  });

  test('lists and reading a post', async () => {
    await matrix(as, { admin: 200, org: 200, org2: 200, staff: 200, staff2: 200, ...console },
      (c) => c.get('/api/v1/posts'), 'GET /posts');
    await matrix(as, { admin: 200, org: 200, org2: 200, staff: 200, staff2: 200, ...console },
      (c) => c.get('/api/v1/post-claims'), 'GET /post-claims');
    await matrix(as, { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, unit: 403, member: 200,
      memberElsewhere: 404, memberWaiting: 404, resident: 403, anon: 401 },
    (c) => c.get(`/api/v1/posts/${post.id}`), 'GET /posts/{id}');
    await matrix(as, { ...phone, member: 200, memberElsewhere: 200, memberWaiting: 200 },
      (c) => c.get('/api/v1/me/posts'), 'GET /me/posts');
    await matrix(as, { ...phone, member: 200, memberElsewhere: 200, memberWaiting: 403 },
      (c) => c.get('/api/v1/me/posts/open'), 'GET /me/posts/open');
    assert.deepEqual((await as.memberWaiting.get('/api/v1/me/posts')).json.items, []);
  });

  test('defining, editing, closing: staff of the community, its street\'s org, admin', async () => {
    await matrix(as, { admin: 201, org: 201, org2: 403, staff: 201, staff2: 403, ...console },
      (c) => c.post('/api/v1/posts', postBody()), 'POST /posts');
    const edit = { item_id: items.P02, name: '改过', places: 10, starts_on: '2026-03-01' };
    await matrix(as, { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, ...console, member: 403 },
      (c) => c.put(`/api/v1/posts/${post.id}`, edit), 'PUT /posts/{id}');
    const toClose = { admin: await newPost(), org: await newPost(), staff: await newPost() };
    await matrix(as, { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, ...console, member: 403 },
      (c, role) => c.post(`/api/v1/posts/${(toClose[role] ?? post).id}/close`, { reason: '岗位撤销' }), 'close');
    assert.equal((await as.staff.get(`/api/v1/posts/${post.id}`)).json.state, 'open', 'refused closes wrote nothing');
    const log = (await as.admin.get(`/api/v1/audit?action=post.update&target_id=${post.id}`)).json.items;
    assert.ok(log.some((e) => e.outcome === 'denied'), 'a refused edit is audited');
  });

  test('claiming, leaving, logging service: the member serving in the community', async () => {
    await matrix(as, { ...phone, member: 201, memberElsewhere: 404, memberWaiting: 403 },
      (c) => claim(c, post.id), 'POST /posts/{id}/claims');
    await matrix(as, { ...phone, member: 404, memberElsewhere: 404, memberWaiting: 403 },
      (c) => service(c, post.id), 'POST /posts/{id}/service (before approval)');
    await matrix(as, { ...phone, member: 200, memberElsewhere: 404, memberWaiting: 404 },
      (c) => c.post(`/api/v1/me/posts/${post.id}/leave`), 'POST /me/posts/{id}/leave');
  });

  test('deciding on claims: staff of the community, its street\'s org, admin', async () => {
    const m = [await someone(), await someone(), await someone()];
    const claims = {};
    for (const [i, role] of ['admin', 'org', 'staff'].entries()) claims[role] = (await claim(m[i].client, post.id)).json.id;
    const other = (await claim(as.member, post.id)).json.id;
    const pick = (role) => claims[role] ?? other;
    await matrix(as, { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, ...console },
      (c, role) => approve(c, pick(role)), 'approve');
    await matrix(as, { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, ...console },
      (c, role) => c.post(`/api/v1/post-claims/${pick(role)}/end`, { reason: '调整岗位' }), 'end');
    for (const role of ['admin', 'org', 'staff']) claims[role] = (await claim(m[['admin', 'org', 'staff'].indexOf(role)].client, post.id)).json.id;
    await matrix(as, { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, ...console },
      (c, role) => c.post(`/api/v1/post-claims/${pick(role)}/refuse`, { reason: '名额已安排' }), 'refuse');
    const mine = (await as.member.get('/api/v1/me/posts')).json.items.find((h) => h.id === other);
    assert.equal(mine.state, 'applied', 'the refused decisions on it wrote nothing');
    await matrix(as, { ...phone, member: 201, memberElsewhere: 404, memberWaiting: 403 },
      (c) => { if (c === as.member) return approve(as.staff, other).then(() => service(c, post.id)); return service(c, post.id); },
      'POST /posts/{id}/service (holding)');
  });
});

describe('hostile input: a 4xx naming the field, nothing written, the server alive', () => {
  test('bodies', async () => {
    const count = async () => (await as.staff.get(`/api/v1/posts?community=${SHILIUQIAO}`)).json.total;
    const before = await count();
    const feieBuilding = (await as.staff2.post(`/api/v1/regions/${FEIE}/children`, { name: '飞鹅一网格' })).json.code;
    const cases = [
      [{ community_code: undefined }, 'community_code', 'required'],
      [{ community_code: SANYUANLI }, 'community_code', 'not_found'],
      [{ community_code: '44011100201' }, 'community_code', 'not_found'],
      [{ community_code: "' OR 1=1 --" }, 'community_code', 'not_found'],
      [{ place_code: feieBuilding }, 'place_code', 'not_found'],
      [{ place_code: SHILIUQIAO }, 'place_code', 'not_found'],
      [{ place_code: 'x'.repeat(19) }, 'place_code', 'too_long'],
      [{ item_id: 0 }, 'item_id', 'too_small'],
      [{ item_id: 999999 }, 'item_id', 'not_found'],
      [{ item_id: '3' }, 'item_id', 'type'],
      [{ name: '' }, 'name', ['required', 'too_short']],
      [{ name: wide(41) }, 'name', 'too_long'],
      [{ duties: wide(501) }, 'duties', 'too_long'],
      [{ places: 0 }, 'places', 'too_small'],
      [{ places: 1000 }, 'places', 'too_large'],
      [{ places: 2.5 }, 'places', 'type'],
      [{ starts_on: '2026-02-30' }, 'starts_on', 'format'],
      [{ starts_on: '明天' }, 'starts_on', 'format'],
      [{ ends_on: '2026-02-28' }, 'ends_on', 'too_small'],
      [{ ends_on: '2026/12/31' }, 'ends_on', 'format'],
      [{ state: 'closed' }, 'state', 'unknown'],
    ];
    for (const [over, field, code] of cases)
      assertFieldError(await as.staff.post('/api/v1/posts', postBody(over)), field, code, field);
    assertProblem(await as.staff.post('/api/v1/posts', '{"name":'), 400);
    assertProblem(await as.staff.post('/api/v1/posts', '"岗位"'), 400);
    assertProblem(await as.staff.post('/api/v1/posts', 'x', { 'Content-Type': 'text/plain' }), 415);
    assert.equal(await count(), before, 'nothing written');
    const p = await newPost();
    const m = await someone();
    assertFieldError(await claim(m.client, p.id, wide(201)), 'note', 'too_long');
    assertFieldError(await m.client.post(`/api/v1/posts/${p.id}/claims`, { note: 'x', member_id: 1 }), 'member_id', 'unknown');
    assertProblem(await m.client.post(`/api/v1/posts/${p.id}/claims`, '[]'), 400);
    assert.equal((await as.staff.get(`/api/v1/posts/${p.id}`)).json.applied, 0, 'no claim written');
    const c = (await claim(m.client, p.id)).json;
    assertFieldError(await as.staff.post(`/api/v1/post-claims/${c.id}/refuse`, { reason: wide(201) }), 'reason', 'too_long');
    assertFieldError(await as.staff.post(`/api/v1/post-claims/${c.id}/refuse`, { reason: 7 }), 'reason', 'type');
    assertFieldError(await as.staff.post(`/api/v1/posts/${p.id}/close`, { reason: wide(201) }), 'reason', 'too_long');
    for (const bad of ['abc', '0', '-3', '99999999999999999999'])
      assertProblem(await approve(as.staff, bad), 404, 'not_found', bad);
    assert.equal((await as.staff.get(`/api/v1/posts/${p.id}`)).json.applied, 1);
    assert.equal((await as.staff.get('/healthz')).status, 200);
  });

  test('queries', async () => {
    for (const [path, field] of [['/api/v1/posts?state=gone', 'state'], ['/api/v1/posts?item_id=x', 'item_id'],
      ['/api/v1/posts?item_id=0', 'item_id'], ['/api/v1/posts?community=%ff', 'community'], ['/api/v1/posts?page=0', 'page'],
      ['/api/v1/post-claims?state=gone', 'state'], ['/api/v1/post-claims?state=applied,,left', 'state'],
      ['/api/v1/post-claims?post_id=-1', 'post_id'], ['/api/v1/posts?per_page=101', 'per_page']]) {
      const r = await as.staff.get(path);
      assertProblem(r, 400, 'bad_query', path);
      assert.equal(r.json.errors?.[0]?.field, field, path);
    }
    const several = await as.staff.get('/api/v1/post-claims?state=holding,left&per_page=100');
    assert.equal(several.status, 200);
    assert.ok(several.json.items.every((c) => ['holding', 'left'].includes(c.state)));
  });
});

describe('limits', () => {
  test('every text at its limit in 4-byte characters reads back intact', async () => {
    const m = await someone();
    const p = await newPost({ name: wide(40), duties: wide(500, 0x20100) });
    assert.deepEqual([p.name, p.duties], [wide(40), wide(500, 0x20100)]);
    const c = (await claim(m.client, p.id, wide(200, 0x20200))).json;
    assert.equal(c.note, wide(200, 0x20200));
    await approve(as.staff, c.id);
    const s = await service(m.client, p.id, { place: wide(100, 0x20300), content: wide(500, 0x20400) });
    assert.equal(s.status, 201, s.text);
    assert.deepEqual([s.json.place, s.json.content], [wide(100, 0x20300), wide(500, 0x20400)]);
    const asked = (await m.client.post(`/api/v1/me/posts/${p.id}/leave`, { reason: wide(200, 0x20500) })).json;
    assert.equal(asked.reason, wide(200, 0x20500));
    const kept = (await as.staff.post(`/api/v1/post-claims/${c.id}/refuse`, { reason: wide(200, 0x20600) })).json;
    assert.equal(kept.answer, wide(200, 0x20600));
    const closed = (await as.staff.post(`/api/v1/posts/${p.id}/close`, { reason: wide(200, 0x20700) })).json;
    assert.equal(closed.close_reason, wide(200, 0x20700));
    const back = (await m.client.get('/api/v1/me/posts')).json.items.find((h) => h.id === c.id);
    assert.deepEqual([back.post_name, back.note, back.reason, back.answer],
      [wide(40), wide(200, 0x20200), wide(200, 0x20500), wide(200, 0x20700)]);
    const listed = (await as.staff.get(`/api/v1/posts?state=closed&per_page=100`)).json.items.find((x) => x.id === p.id);
    assert.equal(listed.duties, wide(500, 0x20100));
  });
});
