// projects.test.mjs: a community's service projects (项目清单): links, notes, states, results from confirmed records
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { assertProblem, assertFieldError, assertCleanLog, SHILIUQIAO } from './helpers.mjs';
import { everyone, matrix, reportedMember, wide } from './serving-people.mjs';

const T0 = Date.UTC(2026, 2, 2, 2, 0, 0) / 1000;
const HOUR = 3600;
let srv, as, items;

before(async () => {
  srv = await startServer({ clock: T0 });
  ({ as } = await everyone(srv));
  const listed = (await as.staff.get(`/api/v1/catalog?region=${SHILIUQIAO}`)).json.items;
  items = Object.fromEntries(listed.map((i) => [i.code, i.id]));
});
after(async () => {
  await srv.stop();
  assertCleanLog(srv.log());
});

const newProject = async (over = {}) => {
  const r = await as.staff.post('/api/v1/projects', { community_code: SHILIUQIAO, name: '长者送餐', goal: '给独居长者每天送一顿热饭',
    starts_on: '2026-03-01', ends_on: '2026-12-31', ...over });
  assert.equal(r.status, 201, r.text);
  return r.json;
};

// A post of the community held by two members, each with a confirmed hour of service (and one pending).
async function servedPost() {
  const post = (await as.staff.post('/api/v1/posts', { community_code: SHILIUQIAO, item_id: items.P02, name: '送餐员',
    places: 5, starts_on: '2026-03-01' })).json;
  for (const [i, minutes] of [[1, 60], [2, 90]]) {
    const m = await reportedMember(srv, `proj_m${i}`, SHILIUQIAO, as.staff);
    const c = await m.client.post(`/api/v1/posts/${post.id}/claims`, { note: '愿意' });
    assert.equal((await as.staff.post(`/api/v1/post-claims/${c.json.id}/approve`)).status, 200);
    const s = await m.client.post(`/api/v1/posts/${post.id}/service`,
      { started_at: T0 - 5 * HOUR, minutes, place: '3栋', content: '给长者送午餐' });
    assert.equal(s.status, 201, s.text);
    assert.equal((await as.staff.post(`/api/v1/records/${s.json.id}/confirm`)).status, 200);
    const pending = await m.client.post(`/api/v1/posts/${post.id}/service`,
      { started_at: T0 - 3 * HOUR, minutes: 30, place: '3栋', content: '送晚餐' });
    assert.equal(pending.status, 201, pending.text);
  }
  return post;
}

test('a project: links, notes, states, results computed from confirmed records', async () => {
  const p = await newProject();
  assert.deepEqual([p.state, p.links, p.notes, p.results.people_served, p.results.minutes, p.results.needs_closed],
    ['planning', [], [], 0, 0, 0]);
  const post = await servedPost();
  const l = await as.staff.post(`/api/v1/projects/${p.id}/links`, { kind: 'post', ref_id: post.id });
  assert.equal(l.status, 201, l.text);
  assert.deepEqual(l.json.links.map((x) => [x.kind, x.ref_id]), [['post', post.id]]);
  assert.deepEqual([l.json.results.people_served, l.json.results.minutes, l.json.results.hours], [2, 150, 2.5]);
  assertProblem(await as.staff.post(`/api/v1/projects/${p.id}/links`, { kind: 'post', ref_id: post.id }), 409, 'conflict');
  assertFieldError(await as.staff.post(`/api/v1/projects/${p.id}/links`, { kind: 'need', ref_id: 999999 }), 'ref_id');
  assertFieldError(await as.staff.post(`/api/v1/projects/${p.id}/links`, { kind: 'activity', ref_id: 999999 }), 'ref_id');
  assertFieldError(await as.staff.post(`/api/v1/projects/${p.id}/links`, { kind: 'team', ref_id: 1 }), 'kind');
  const n = await as.staff.post(`/api/v1/projects/${p.id}/notes`, { on_date: '2026-03-02', body: '第一周送餐 35 份' });
  assert.equal(n.status, 201, n.text);
  assert.deepEqual(n.json.notes.map((x) => [x.on_date, x.body]), [['2026-03-02', '第一周送餐 35 份']]);
  assert.ok(n.json.notes[0].by.length > 0);
  assertFieldError(await as.staff.post(`/api/v1/projects/${p.id}/notes`, { on_date: '2026-02-30', body: 'x' }), 'on_date');
  assertProblem(await as.member.get(`/api/v1/projects/${p.id}`), 404, 'not_found');
  assertFieldError(await as.staff.post(`/api/v1/projects/${p.id}/state`, { state: 'paused' }), 'state');
  assertProblem(await as.staff.post(`/api/v1/projects/${p.id}/state`, { state: 'finished' }), 409, 'conflict');
  const run = await as.staff.post(`/api/v1/projects/${p.id}/state`, { state: 'running' });
  assert.equal(run.json.state, 'running');
  assert.equal((await as.member.get(`/api/v1/projects/${p.id}`)).status, 200, 'members read a running project');
  assert.equal((await as.resident.get(`/api/v1/projects/${p.id}`)).status, 200);
  const q = await newProject({ name: '"430" 课后托管' });
  assertFieldError(await as.staff.post(`/api/v1/projects/${q.id}/state`, { state: 'cancelled' }), 'reason');
  const cancelled = await as.staff.post(`/api/v1/projects/${q.id}/state`, { state: 'cancelled', reason: '场地未落实' });
  assert.deepEqual([cancelled.json.state, cancelled.json.state_reason], ['cancelled', '场地未落实']);
  const listed = (await as.staff.get(`/api/v1/projects?community=${SHILIUQIAO}&state=running`)).json.items;
  assert.deepEqual(listed.map((x) => x.id), [p.id]);
  assert.equal((await as.staff2.get('/api/v1/projects')).json.items.length, 0);
  assert.ok((await as.org.get('/api/v1/projects')).json.items.some((x) => x.id === q.id));
  assertProblem(await as.staff.req('DELETE', `/api/v1/projects/${p.id}/links/999999`), 404, 'not_found');
  assertProblem(await as.staff2.req('DELETE', `/api/v1/projects/${p.id}/links/${l.json.links[0].id}`), 404, 'not_found');
  const un = await as.staff.req('DELETE', `/api/v1/projects/${p.id}/links/${l.json.links[0].id}`);
  assert.deepEqual([un.status, un.json.links, un.json.results.people_served], [200, [], 0]);
  const done = await as.staff.post(`/api/v1/projects/${p.id}/state`, { state: 'finished' });
  assert.equal(done.json.state, 'finished');
});

test('hostile input and texts at their maximum', async () => {
  const p = await newProject({ name: wide(50), goal: wide(500) });
  assert.equal(p.name, wide(50));
  for (const [over, field] of [[{ name: wide(51) }, 'name'], [{ goal: wide(501) }, 'goal'], [{ starts_on: '2026-13-01' }, 'starts_on'],
    [{ ends_on: '2026-01-01' }, 'ends_on'], [{ community_code: '123' }, 'community_code'], [{ name: 5 }, 'name']])
    assertFieldError(await as.staff.post('/api/v1/projects', { community_code: SHILIUQIAO, name: '垃圾分类', starts_on: '2026-03-01', ...over }), field);
  const n = await as.staff.post(`/api/v1/projects/${p.id}/notes`, { on_date: '2026-03-02', body: wide(300) });
  assert.equal(n.json.notes[0].body, wide(300));
  assertFieldError(await as.staff.post(`/api/v1/projects/${p.id}/notes`, { on_date: '2026-03-02', body: wide(301) }), 'body');
  assertFieldError(await as.staff.post(`/api/v1/projects/${p.id}/links`, { kind: 'post', ref_id: 'x' }), 'ref_id');
  assertProblem(await as.staff.get('/api/v1/projects/abc'), 404, 'not_found');
  assert.equal((await as.staff.get(`/api/v1/projects/${p.id}`)).json.notes.length, 1, 'nothing written by refusals');
});

test('authorization matrix', async () => {
  const p = await newProject({ name: '桶点变景点' });
  await matrix(as, { admin: 201, org: 201, org2: 403, staff: 201, staff2: 403, unit: 403, member: 403, memberElsewhere: 403,
    memberWaiting: 403, resident: 403, anon: 401 }, (c) => c.post('/api/v1/projects', { community_code: SHILIUQIAO, name: '矩阵', starts_on: '2026-03-01' }), 'create');
  await matrix(as, { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, unit: 404, member: 404, memberElsewhere: 404,
    memberWaiting: 404, resident: 404, anon: 401 }, (c) => c.get(`/api/v1/projects/${p.id}`), 'read planning');
  await matrix(as, { admin: 201, org: 201, org2: 404, staff: 201, staff2: 404, unit: 403, member: 403, memberElsewhere: 403,
    memberWaiting: 403, resident: 403, anon: 401 }, (c) => c.post(`/api/v1/projects/${p.id}/notes`, { on_date: '2026-03-02', body: '记录' }), 'note');
  const act = (await as.staff.post('/api/v1/resources', { community_code: SHILIUQIAO, owner_kind: 'community', kind: 'venue', name: '桶点' })).json;
  // Roles run in order (admin first): the first link or move succeeds, the others find it done (409).
  await matrix(as, { admin: 201, org: 409, org2: 404, staff: 409, staff2: 404, unit: 403, member: 403, memberElsewhere: 403,
    memberWaiting: 403, resident: 403, anon: 401 }, (c) => c.post(`/api/v1/projects/${p.id}/links`, { kind: 'resource', ref_id: act.id }), 'link');
  await matrix(as, { admin: 200, org: 409, org2: 404, staff: 409, staff2: 404, unit: 403, member: 403, memberElsewhere: 403,
    memberWaiting: 403, resident: 403, anon: 401 }, (c) => c.post(`/api/v1/projects/${p.id}/state`, { state: 'running' }), 'state');
  await matrix(as, { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, unit: 404, member: 200, memberElsewhere: 404,
    memberWaiting: 404, resident: 200, anon: 401 }, (c) => c.get(`/api/v1/projects/${p.id}`), 'read running');
});
