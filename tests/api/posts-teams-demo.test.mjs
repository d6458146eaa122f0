// posts-teams-demo.test.mjs: what `baodao demo` shows of posts and teams in 石榴桥社区, as staff and as a member see it
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { loginAs, SHILIUQIAO, SANYUANLI } from './helpers.mjs';

let srv, staff, member;

before(async () => {
  srv = await startServer({ demo: 'full' });
  staff = await loginAs(srv, 'staff');
  member = await loginAs(srv, '13800001011'); // 陈建国
});
after(() => srv.stop());

test('posts with holders, a waiting claim in the queue, a closed one; the street\'s own catalogue item', async () => {
  const posts = (await staff.get(`/api/v1/posts?community=${SHILIUQIAO}`)).json.items;
  assert.ok(posts.length >= 5, 'five posts');
  assert.ok(posts.some((p) => p.place_level === 'building' && p.holders === p.places && p.full), 'a 楼栋长 in place');
  assert.ok(posts.some((p) => p.state === 'open' && p.holders === 0), 'one waiting for someone');
  assert.ok(posts.some((p) => p.state === 'closed' && p.close_reason), 'one closed, with its reason');
  const queue = (await staff.get('/api/v1/post-claims')).json.items;
  assert.ok(queue.some((c) => c.state === 'applied' && c.note), 'a claim waits for a decision');
  const item = (await staff.get(`/api/v1/catalog?region=${SHILIUQIAO}`)).json.items.find((i) => i.region_code === SANYUANLI);
  assert.equal(item.name, '红色故事宣讲');
});

test('two teams, one of the community and one of the street, with members and an application', async () => {
  const teams = (await (await loginAs(srv, 'org')).get(`/api/v1/teams?region=${SANYUANLI}`)).json.items;
  assert.deepEqual(teams.map((t) => t.region_level).sort(), ['community', 'street']);
  for (const t of teams) {
    assert.ok(t.leader_name && t.members >= 2, t.name);
    assert.ok(t.specialty, t.name);
  }
  assert.ok(teams.some((t) => t.applied >= 1), 'an application waits');
});

test('陈建国 on his phone: his post and his team, both in his file', async () => {
  const file = (await member.get('/api/v1/me/member')).json;
  assert.ok(file.posts.some((p) => p.state === 'holding' && p.post_name === '1栋楼栋长'));
  assert.ok(file.teams.some((t) => t.state === 'member' && t.leader));
  const open = (await member.get('/api/v1/me/teams/open')).json.items;
  assert.ok(open.length >= 2);
});
