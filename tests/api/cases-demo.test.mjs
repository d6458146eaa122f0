// cases-demo.test.mjs: what `baodao demo` shows of cases (问题/诉求) in 石榴桥社区: the queue, 我的反映, the public list
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { loginAs, SHILIUQIAO } from './helpers.mjs';

let srv, staff, resident;

before(async () => {
  srv = await startServer({ demo: 'full' });
  staff = await loginAs(srv, 'staff');
  resident = await loginAs(srv, 'resident');
});
after(() => srv.stop());

test('the blocked drain at 3栋 being worked on, its duplicate merged in, and a case in each other stage', async () => {
  const q = await staff.get(`/api/v1/cases?community=${SHILIUQIAO}&per_page=100`);
  assert.equal(q.status, 200, q.text);
  const byTitle = Object.fromEntries(q.json.items.map((k) => [k.title, k]));
  const drain = byTitle['3栋楼下下水道堵塞'];
  assert.deepEqual([drain.state, drain.priority, drain.party_kind, drain.building_name], ['in_progress', 'urgent', 'property', '3栋']);
  assert.equal(byTitle['3栋门口污水外溢'].merged_into, drain.id);
  assert.deepEqual(['reported', 'resolved', 'closed', 'accepted'].map((s) => q.json.counts[s] >= 1), [true, true, true, true], q.text);
  assert.equal(byTitle['1栋楼道灯不亮'].rating, 5);
  const one = await staff.get(`/api/v1/cases/${drain.id}`);
  assert.ok(one.json.timeline.some((e) => e.kind === 'absorb'));
  // 张阿姨 sees her own, waiting for her answer on the fire lane.
  const mine = (await resident.get('/api/v1/me/cases')).json.items;
  assert.ok(mine.some((k) => k.state === 'resolved' && k.title.includes('消防通道')));
  // The public list: no private quarrel, no merged duplicate, no names.
  const pub = await (await fetch(`${srv.url}/api/v1/public/communities/${SHILIUQIAO}/cases`)).json();
  const titles = pub.items.map((k) => k.title);
  assert.ok(titles.includes('3栋楼下下水道堵塞') && !titles.includes('楼上装修噪音') && !titles.includes('3栋门口污水外溢'), titles.join());
  assert.ok(!JSON.stringify(pub).includes('张阿姨'));
});
