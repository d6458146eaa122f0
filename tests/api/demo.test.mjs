// demo.test.mjs: the full demo gives every role something to see on its first login, and its numbers hold
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, startServer } from '../lib/server.mjs';
import { loginAs, SHILIUQIAO, SANYUANLI } from './helpers.mjs';

let srv;
before(async () => { srv = await startServer({ demo: 'full' }); });
after(() => srv.stop());

test('staff: files in every state, a queue with a transfer in it, grids and buildings, a resident to confirm', async () => {
  const staff = await loginAs(srv, 'staff');
  const stats = (await staff.get(`/api/v1/stats/regions/${SHILIUQIAO}`)).json.files;
  for (const s of ['approved', 'pending', 'rejected', 'left']) assert.ok(stats.by_state[s] > 0, s);
  assert.ok(stats.without_account > 0);
  const queue = (await staff.get('/api/v1/registrations?state=pending')).json.items;
  assert.equal(queue.length, stats.queue);
  assert.ok(queue.some((r) => r.from_community_name === '飞鹅新村社区'), 'a transfer in');
  const grids = (await staff.get(`/api/v1/regions/${SHILIUQIAO}/children`)).json.items;
  assert.deepEqual(grids.map((g) => g.name), ['第一网格', '第二网格']);
  const withBuilding = (await staff.get('/api/v1/members?per_page=100')).json.items.filter((m) => m.building_name);
  assert.ok(withBuilding.length > 0 && withBuilding.every((m) => /栋$/.test(m.building_name)));
  const tally = (await staff.get(`/api/v1/communities/${SHILIUQIAO}/households`)).json.items;
  assert.deepEqual(tally.map((b) => [b.building_name, b.households]), [['1栋', 24], ['2栋', 24], ['3栋', 24], ['5栋', 44], ['6栋', 44]]);
  const b3 = tally.find((b) => b.building_name === '3栋');
  assert.deepEqual([b3.lived, b3.vacant, b3.people], [3, 1, 8]);
  const rooms = (await staff.get(`/api/v1/buildings/${b3.building_code}/households`)).json.items;
  assert.equal(rooms.find((h) => h.unit_no === '1' && h.room === '201').residents, 1, '张阿姨 lives in 3栋 201');
  const waiting = (await staff.get('/api/v1/accounts?role=resident&pending=true')).json.items;
  assert.deepEqual(waiting.map((a) => a.name), ['陈阿婆']);
  assert.equal((await staff.get('/api/v1/agreements')).json.total, 1);
});

test('unit: a roster with people who never reported in', async () => {
  const unit = await loginAs(srv, 'unit');
  const id = (await unit.get('/api/v1/me')).json.roles[0].unit.id;
  const s = (await unit.get(`/api/v1/stats/units/${id}`)).json;
  assert.ok(s.roster > s.reported && s.not_reported >= 4, JSON.stringify(s));
  const missing = (await unit.get(`/api/v1/units/${id}/roster?status=not_reported`)).json.items.map((e) => e.name);
  assert.ok(missing.includes('邓立新'));
});

test('org: its street\'s communities ranked, and a member with an account logs in to their file', async () => {
  const org = await loginAs(srv, 'org');
  const kids = (await org.get(`/api/v1/stats/regions/${SANYUANLI}/children`)).json.items.filter((k) => k.files.total);
  assert.deepEqual(kids.map((k) => k.name).sort(), ['石榴桥社区', '飞鹅新村社区']);
  const member = await loginAs(srv, '13800001011');
  const file = (await member.get('/api/v1/me/member')).json;
  assert.equal(file.member.name, '陈建国');
  assert.equal(file.member.state, 'approved');
});

test('earning: a half-year of confirmed service ranks the community from 先锋 down, and the ledgers balance', async () => {
  const staff = await loginAs(srv, 'staff');
  const r = (await staff.get(`/api/v1/standings?region=${SHILIUQIAO}`)).json;
  assert.equal(r.items[0].name, '陈建国');
  assert.equal(r.items[0].tier, 'pioneer');
  for (const t of ['pioneer', 'excellent', 'qualified', 'none']) assert.ok(r.tiers[t] > 0, t);
  const phone = await loginAs(srv, '13800001011');
  const mine = (await phone.get('/api/v1/me/points')).json;
  assert.equal(mine.rank.community, 1);
  assert.equal(mine.half.points, r.items[0].points); // earned: the balance is less what was redeemed
  const admin = await loginAs(srv, 'admin');
  assert.equal((await admin.get('/api/v1/admin/ledger/verify')).json.ok, true);
});

test('needs and wishes: one need in each stage the pages show, and a wish wall with one claimed', async () => {
  const staff = await loginAs(srv, 'staff');
  const queue = (await staff.get(`/api/v1/needs?community=${SHILIUQIAO}`)).json;
  assert.deepEqual(queue.items.map((n) => n.state).sort(), ['accepted', 'dispatched', 'submitted']);
  assert.equal(queue.items[0].urgency, 'urgent', 'the urgent one heads the queue');
  assert.equal(queue.counts.closed, 1);
  const resident = await loginAs(srv, 'resident');
  const mine = (await resident.get('/api/v1/me/needs')).json.items;
  assert.deepEqual(mine.map((n) => n.state).sort(), ['closed', 'dispatched', 'submitted']);
  const closed = mine.find((n) => n.state === 'closed');
  assert.equal(closed.rating, 5);
  assert.equal((await staff.get(`/api/v1/records/${closed.record_id}`)).json.state, 'confirmed');
  const member = await loginAs(srv, '13800001011');
  assert.deepEqual((await member.get('/api/v1/me/tasks')).json.items.map((n) => n.state), ['dispatched']);
  assert.equal((await member.get('/api/v1/me/open-needs')).json.items.length, 1);
  const wall = (await new Client(srv.url).get(`/api/v1/public/communities/${SHILIUQIAO}/wishes`)).json;
  assert.equal(wall.items.length, 2);
  assert.ok(wall.items.every((w) => /^.\*$/u.test(w.beneficiary_name)), JSON.stringify(wall.items));
  assert.equal((await member.get('/api/v1/me/wishes')).json.claimed.length, 1);
});
