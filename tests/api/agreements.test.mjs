// agreements.test.mjs: co-building agreements between units and communities, and who sees them
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { loginAs, addUser, assertProblem, assertFieldError, SHILIUQIAO, FEIE } from './helpers.mjs';

let srv, staff, staffFeie, unit, org, member;
const body = (over = {}) => ({
  unit_id: 2, community_code: SHILIUQIAO, starts_on: '2026-01-01', ends_on: '2027-12-31', status: 'signed',
  commitments: ['每月开展一次义诊', '结对帮扶 5 户困难家庭'], signed_doc: '石共建〔2026〕3号', ...over,
});

before(async () => {
  srv = await startServer();
  addUser(srv, 'staff_feie', 'staff', { region: FEIE });
  [staff, staffFeie, unit, org, member] = await Promise.all(
    ['staff', 'staff_feie', 'unit', 'org', 'member'].map((l) => loginAs(srv, l)));
});
after(() => srv.stop());

test('the community signs with a unit; both sides see it, others do not', async () => {
  const r = await staff.post('/api/v1/agreements', body());
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.commitments, ['每月开展一次义诊', '结对帮扶 5 户困难家庭']);
  assert.equal(r.json.status, 'signed');
  const mine = await unit.get('/api/v1/agreements');
  assert.deepEqual(mine.json.items.map((a) => a.community_name), ['石榴桥社区']);
  assert.equal((await org.get(`/api/v1/agreements/${r.json.id}`)).status, 200);
  assertProblem(await staffFeie.get(`/api/v1/agreements/${r.json.id}`), 404, 'not_found');
  assert.equal((await staffFeie.get('/api/v1/agreements')).json.total, 0);
  assertProblem(await member.get('/api/v1/agreements'), 403, 'forbidden');
});

test('an agreement past its end date reads as expired; editing keeps it one agreement', async () => {
  const r = await staff.post('/api/v1/agreements', body({ starts_on: '2023-01-01', ends_on: '2024-12-31', unit_id: 1 }));
  assert.equal(r.json.status, 'expired');
  const u = await staff.put(`/api/v1/agreements/${r.json.id}`, body({ unit_id: 1, ends_on: '2028-12-31', commitments: ['共建文明楼栋'] }));
  assert.equal(u.status, 200, u.text);
  assert.equal(u.json.status, 'signed');
  assert.deepEqual(u.json.commitments, ['共建文明楼栋']);
  assert.equal((await staff.get('/api/v1/agreements')).json.total, 2);
});

test('checks: dates in order, a community, commitments present; another community is refused', async () => {
  let r = await staff.post('/api/v1/agreements', body({ ends_on: '2025-01-01', commitments: [] }));
  assertFieldError(r, 'ends_on', 'too_small');
  r = await staff.post('/api/v1/agreements', body({ starts_on: '2026-02-30', community_code: '440111002000', commitments: ['x'.repeat(201)] }));
  assertFieldError(r, 'starts_on', 'format');
  assertFieldError(r, 'community_code', 'not_found');
  assertFieldError(r, 'commitments[0]', 'too_long');
  r = await staff.post('/api/v1/agreements', body({ status: 'expired', unit_id: 999 }));
  assertFieldError(r, 'status', 'enum');
  assertFieldError(r, 'unit_id', 'not_found');
  assertProblem(await staff.post('/api/v1/agreements', body({ community_code: FEIE })), 403, 'forbidden');
  assertProblem(await unit.post('/api/v1/agreements', body()), 403, 'forbidden');
  assert.equal((await org.get('/api/v1/agreements')).json.total, 2, 'nothing else was written');
});
