// feedback-demo.test.mjs: the demo's unit reads its feedback: its members of 石榴桥社区, the community's comments, a micro-wish's bonus
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { loginAs, assertCleanLog } from './helpers.mjs';

let srv, unit, staff;
before(async () => {
  srv = await startServer({ demo: 'full' });
  [unit, staff] = await Promise.all([loginAs(srv, 'unit'), loginAs(srv, 'staff')]);
});
after(async () => {
  await srv?.stop();
  assertCleanLog(srv.log());
});

test('unit 2 reads the comments 石榴桥社区 left on 陈建国 and 郑丽娟, and 陈建国\'s bonus in his points', async () => {
  const r = await unit.get('/api/v1/units/2/feedback');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.commented, 2);
  const chen = r.json.items.find((i) => i.name === '陈建国');
  assert.match(chen.comment.text, /义诊/);
  assert.equal(chen.comment.community_name, '石榴桥社区');
  assert.match(r.json.items.find((i) => i.name === '郑丽娟').comment.text, /服务次数偏少/);
  const bonuses = (await staff.get(`/api/v1/members/${chen.member_id}/bonuses`)).json.items;
  assert.deepEqual(bonuses.map((b) => [b.kind, b.points]), [['wish', 5]]);
  assert.ok(chen.points >= 5, 'the bonus counts in the standing');
});
