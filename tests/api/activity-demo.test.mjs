// activity-demo.test.mjs: the full demo's week of activities in 石榴桥社区 is there for each role to see on its first login
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { loginAs, assertCleanLog } from './helpers.mjs';

let srv, staff, chen, huang;
const byTitle = (items, title) => items.find((x) => x.title === title);

before(async () => {
  srv = await startServer({ demo: 'full' });
  staff = await loginAs(srv, 'staff');
  chen = await loginAs(srv, '13800001011');
  huang = await loginAs(srv, '13800001013');
});
after(async () => {
  await srv?.stop();
  assertCleanLog(srv.log());
});

test('staff\'s calendar: the week past and to come, in every state', async () => {
  const now = Math.floor(Date.now() / 1000);
  const r = await staff.get(`/api/v1/activities?from=${now - 6 * 86400}&to=${now + 40 * 86400}&per_page=100`);
  assert.equal(r.status, 200, r.text);
  const states = new Set(r.json.items.map((x) => x.state));
  for (const s of ['draft', 'published', 'cancelled', 'closed']) assert.ok(states.has(s), s);
  assert.equal(r.json.items.filter((x) => x.title === '周六清洁家园').length, 4, 'a series of four Saturdays');
  const unit = byTitle(r.json.items, '健康讲座：老年人慢病防治');
  assert.equal(unit.organiser.kind, 'unit');
});

test('a closed one has its sheet with everyone\'s status and pending records; the one under way has arrivals', async () => {
  const now = Math.floor(Date.now() / 1000);
  const items = (await staff.get(`/api/v1/activities?from=${now - 6 * 86400}&to=${now + 2 * 86400}&per_page=100`)).json.items;
  const closed = (await staff.get(`/api/v1/activities/${byTitle(items, '石榴桥社区楼道清理').id}/sheet`)).json;
  const statuses = closed.rows.map((x) => x.attendance.status).sort();
  assert.deepEqual(statuses, ['absent', 'late', 'leave', 'left_early', 'present', 'present']);
  assert.equal(closed.rows.filter((x) => x.record?.state === 'pending').length, 4);
  const live = (await staff.get(`/api/v1/activities/${byTitle(items, '垃圾分类入户宣传').id}/sheet`)).json;
  assert.deepEqual([live.counts.arrived, live.counts.leave_asked], [3, 1]);
  const full = byTitle(items, '党员义务奉献日：石榴桥公园环境整治');
  assert.deepEqual([full.signed, full.waiting], [5, 2]);
});

test('陈建国 on his phone: near me, his sign-ups, a record waiting for the community\'s stamp', async () => {
  const near = (await chen.get('/api/v1/me/activities?per_page=100')).json.items;
  assert.ok(near.length >= 4);
  assert.equal(near[0].near, 'community');
  assert.ok(near.some((x) => x.near === 'street' && x.title === '义务理发进社区'));
  const mine = (await chen.get('/api/v1/me/signups?per_page=100')).json.items;
  const done = mine.find((x) => x.activity.title === '石榴桥社区楼道清理');
  assert.deepEqual([done.latest.event, done.signup.record.state], ['recorded', 'pending']);
});

test('黄志强 sees why the patrol was cancelled', async () => {
  const mine = (await huang.get('/api/v1/me/signups?per_page=100')).json.items;
  const patrol = mine.find((x) => x.activity.title === '汛期夜间巡查');
  assert.deepEqual([patrol.activity.state, patrol.latest.event], ['cancelled', 'activity_cancelled']);
  assert.match(patrol.latest.note, /暴雨红色预警/);
});
