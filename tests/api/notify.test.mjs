// notify.test.mjs: notifications: events fill the right people's inboxes only, preferences are honoured, a community's
// group robot gets the message after its receiver was down (retries by `baodao notify deliver --once` and by the
// server's worker), nothing personal goes outside, who may do what, hostile input
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { startServer, BIN, ROOT, dbEnv } from '../lib/server.mjs';
import { assertProblem, assertFieldError, assertCleanLog, loginAs } from './helpers.mjs';
import { activityServer, createActivity, memberWithAccount, quickMembers, sql, SHILIUQIAO, SAT9, HOUR, T0 } from './activity-fixture.mjs';

let srv, as, items;

before(async () => {
  ({ srv, as, items } = await activityServer({ extra: ['--notify-every', '0'] }));
});
after(async () => {
  await srv.stop();
  assertCleanLog(srv.log());
});

const inbox = async (c, q = '') => {
  const r = await c.get(`/api/v1/me/notifications${q}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
};
const kinds = async (c) => (await inbox(c)).items.map((n) => n.kind);
// `baodao notify deliver --once` on the server's database and clock; run without blocking, so the receiver in this
// process can answer it.
const deliver = async () => (await promisify(execFile)(BIN, ['notify', 'deliver', '--once', '--db', srv.db],
  { cwd: ROOT, env: { ...dbEnv(srv.db), BAODAO_CLOCK_FILE: join(srv.dir, 'clock') } })).stdout;

// A webhook receiver on a port of its own, down until up() is called; what it got in received.
async function receiver() {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const port = probe.address().port;
  probe.close();
  await once(probe, 'close');
  const received = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, type: req.headers['content-type'], body: JSON.parse(body) });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  return {
    port, received, url: `http://127.0.0.1:${port}/cgi-bin/webhook/send?key=robot-secret-key`,
    async up() { server.listen(port, '127.0.0.1'); await once(server, 'listening'); },
    async down() { if (server.listening) { server.close(); await once(server, 'close'); } },
  };
}

// Polls f until it returns something truthy, at most ms (no sleeping for a fixed time).
async function until(f, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setImmediate(r));
  }
}

describe('events fill the right inboxes', () => {
  let a, m;

  test('a sign-up that gets a place is confirmed to the member only; one on the waiting list is told when it moves up', async () => {
    m = await quickMembers(srv, as.staff, 2, { prefix: '通知党员' });
    a = await createActivity(as.staff, items, { title: '通知测试活动', capacity: 1, publish: true });
    assert.equal((await m[0].post(`/api/v1/activities/${a.id}/signup`)).json.signup.state, 'signed');
    assert.equal((await m[1].post(`/api/v1/activities/${a.id}/signup`)).json.signup.state, 'waiting');
    const first = await inbox(m[0]);
    assert.equal(first.unread, 1);
    assert.deepEqual(first.items.map((n) => [n.kind, n.title, n.link, n.read]),
      [['signup_confirmed', '报名成功：通知测试活动', `/m/activities/${a.id}`, false]]);
    assert.deepEqual(await kinds(m[1]), []);
    // Already signed up: refused, and the refusal notifies no one.
    assertProblem(await m[0].post(`/api/v1/activities/${a.id}/signup`), 409);
    assert.equal((await inbox(m[0])).items.length, 1);
    assert.equal((await m[0].del(`/api/v1/activities/${a.id}/signup`)).status, 200);
    assert.deepEqual(await kinds(m[1]), ['signup_promoted']);
    for (const who of [as.staff, as.staff2, as.admin, as.approved, as.resident]) assert.deepEqual(await kinds(who), []);
  });

  test('nobody reads or marks another\'s notification: 404 as if it were not there', async () => {
    const mine = (await inbox(m[1])).items[0];
    assertProblem(await m[0].post(`/api/v1/me/notifications/${mine.id}/read`), 404, 'not_found');
    assertProblem(await as.staff.post(`/api/v1/me/notifications/${mine.id}/read`), 404, 'not_found');
    assertProblem(await as.admin.post(`/api/v1/me/notifications/${mine.id}/read`), 404, 'not_found');
    assertProblem(await m[0].post('/api/v1/me/notifications/999999/read'), 404, 'not_found');
    assertProblem(await as.anon.post(`/api/v1/me/notifications/${mine.id}/read`), 401);
    assertProblem(await as.anon.get('/api/v1/me/notifications'), 401);
    assert.equal((await inbox(m[1])).unread, 1, 'still unread');
    const r = await m[1].post(`/api/v1/me/notifications/${mine.id}/read`);
    assert.equal(r.status, 200, r.text);
    const after = await inbox(m[1]);
    assert.deepEqual([after.unread, after.items[0].read], [0, true]);
  });

  test('a report-in approved tells its member', async () => {
    const reg = sql(srv, `SELECT id FROM registration WHERE member_id = ${as.waiting.member.id} AND state = 'pending'`);
    assert.equal((await as.staff.post(`/api/v1/registrations/${reg}/approve`)).status, 200);
    const n = (await inbox(as.waiting)).items;
    assert.deepEqual(n.map((x) => [x.kind, x.title, x.link]), [['registration_approved', '报到已通过：石榴桥社区', '/m/report']]);
  });

  test('a report-in refused tells its member why; a refusal that is itself refused (no reason) tells no one', async () => {
    const p = await memberWithAccount(srv, as.unit, { name: '待拒党员' });
    const reg = sql(srv, `SELECT id FROM registration WHERE member_id = ${p.member.id} AND state = 'pending'`);
    assertFieldError(await as.staff.post(`/api/v1/registrations/${reg}/reject`, {}), 'reason', 'required');
    assertProblem(await as.staff2.post(`/api/v1/registrations/${reg}/reject`, { reason: '不在本社区居住' }), 404);
    assert.deepEqual(await kinds(p), []);
    assert.equal((await as.staff.post(`/api/v1/registrations/${reg}/reject`, { reason: '不在本社区居住' })).status, 200);
    assert.deepEqual((await inbox(p)).items.map((x) => [x.kind, x.title, x.body]),
      [['registration_rejected', '报到未通过：石榴桥社区', '原因：不在本社区居住']]);
  });

  test('an activity cancelled tells everyone signed up or waiting, except who turned that kind off', async () => {
    const [x, y] = await quickMembers(srv, as.staff, 2, { prefix: '取消党员' });
    const put = await y.put('/api/v1/me/notify-prefs', { in_app: ['signup_confirmed'], outside: [], quiet_start: 0, quiet_end: 0 });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(put.json.in_app, ['signup_confirmed']);
    const b = await createActivity(as.staff, items, { title: '台风天户外活动', capacity: 5, publish: true });
    for (const c of [x, y]) assert.equal((await c.post(`/api/v1/activities/${b.id}/signup`)).status, 201);
    assert.equal((await as.staff.post(`/api/v1/activities/${b.id}/cancel`, { reason: '台风预警' })).status, 200);
    assert.deepEqual(await kinds(x), ['activity_cancelled', 'signup_confirmed']);
    assert.deepEqual(await kinds(y), ['signup_confirmed'], 'y turned activity_cancelled off');
    assert.equal((await inbox(x)).items[0].title, '活动取消：台风天户外活动');
    const got = (await y.get('/api/v1/me/notify-prefs')).json;
    assert.deepEqual([got.in_app, got.outside, got.kinds.length], [['signup_confirmed'], [], 7]);
  });

  test('a wish claimed tells its beneficiary and the community\'s staff, not the claimer nor another community', async () => {
    const residentId = (await as.resident.get('/api/v1/me')).json.id;
    const w = await as.staff.post('/api/v1/wishes', { community_code: SHILIUQIAO, beneficiary_name: '王小明', title: '一副老花镜',
      description: '看报纸用', value_cap: 300, consent: true, publish: true, beneficiary_account_id: residentId });
    assert.equal(w.status, 201, w.text);
    const c = await as.approved.post(`/api/v1/wishes/${w.json.id}/claim`, { as: 'member' });
    assert.equal(c.status, 200, c.text);
    assert.deepEqual((await inbox(as.resident)).items.map((n) => [n.kind, n.title]), [['wish_claimed', '微心愿已被认领：一副老花镜']]);
    assert.deepEqual(await kinds(as.staff), ['wish_claimed']);
    assert.deepEqual(await kinds(as.staff2), []);
    assert.ok(!(await kinds(as.approved)).includes('wish_claimed'));
  });

  test('a need dispatched tells whoever is to do it, and only them', async () => {
    const [doer, other] = await quickMembers(srv, as.staff, 2, { prefix: '派单党员' });
    const item = Number(sql(srv, "SELECT id FROM catalog_item WHERE code = 'G04' AND region_code IS NULL"));
    const posted = await as.resident.post('/api/v1/needs', { item_id: item, description: '想请人上门量血压', place: '3栋201',
      wanted_on: '2026-03-07', wanted_part: 'morning', contact_name: '张阿姨', contact_phone: '13800000006' });
    assert.equal(posted.status, 201, posted.text);
    assert.equal((await as.staff.post(`/api/v1/needs/${posted.json.id}/accept`)).status, 200);
    // Refused (nobody by that id): tells no one.
    assertFieldError(await as.staff.post(`/api/v1/needs/${posted.json.id}/dispatch`, { kind: 'member', id: 999999 }), 'id', 'not_found');
    const d = await as.staff.post(`/api/v1/needs/${posted.json.id}/dispatch`, { kind: 'member', id: doer.member.id });
    assert.equal(d.status, 200, d.text);
    const got = (await inbox(doer)).items;
    assert.deepEqual(got.map((n) => [n.kind, n.link]), [['task_dispatched', '/m/tasks']]);
    assert.match(got[0].title, /^新任务：/);
    assert.deepEqual(await kinds(other), []);
  });

  test('keyset pages: newest first, next_before leads on, read-all empties the unread count', async () => {
    const [p] = await quickMembers(srv, as.staff, 1, { prefix: '分页党员' });
    for (let i = 0; i < 3; i++) {
      const act = await createActivity(as.staff, items, { title: `分页活动${i}`, publish: true });
      assert.equal((await p.post(`/api/v1/activities/${act.id}/signup`)).status, 201);
    }
    const one = await inbox(p, '?limit=2');
    assert.deepEqual([one.items.map((n) => n.title), one.unread], [['报名成功：分页活动2', '报名成功：分页活动1'], 3]);
    const two = await inbox(p, `?limit=2&before=${one.next_before}`);
    assert.deepEqual([two.items.map((n) => n.title), two.next_before], [['报名成功：分页活动0'], null]);
    const r = await p.post('/api/v1/me/notifications/read-all');
    assert.deepEqual([r.status, r.json.read], [200, 3]);
    assert.equal((await inbox(p)).unread, 0);
    assert.deepEqual((await inbox(p, '?unread=1')).items, []);
  });

  test('a title at its limit in 4-byte characters is cut at a character', async () => {
    const [q] = await quickMembers(srv, as.staff, 1, { prefix: '长题党员' });
    const act = await createActivity(as.staff, items, { title: '𠀀'.repeat(60), publish: true });
    assert.equal((await q.post(`/api/v1/activities/${act.id}/signup`)).status, 201);
    const t = (await inbox(q)).items[0].title;
    assert.ok(t.startsWith('报名成功：𠀀𠀀'), t);
    assert.ok(!t.includes('\ufffd'), 'no broken character');
    assert.ok([...t].length <= 61, `${[...t].length} characters`);
  });
});

describe('a community\'s group robot', () => {
  let hook;

  before(async () => { hook = await receiver(); });
  after(async () => { await hook.down(); });

  test('staff set it; it reads back masked; other places and roles get 404 / 403', async () => {
    const r = await as.staff.put(`/api/v1/communities/${SHILIUQIAO}/notify-channel`, { enabled: true, kind: 'wecom', url: hook.url });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.json.configured, r.json.kind, r.json.url_masked], [true, 'wecom', `http://127.0.0.1:${hook.port}/***`]);
    const g = await as.staff.get(`/api/v1/communities/${SHILIUQIAO}/notify-channel`);
    assert.equal(g.json.url_masked, `http://127.0.0.1:${hook.port}/***`);
    assert.ok(!g.text.includes('robot-secret-key'));
    assert.ok(!sql(srv, 'SELECT url_sealed FROM notify_channel').includes('robot-secret-key'), 'sealed at rest');
    assert.equal((await as.admin.get(`/api/v1/communities/${SHILIUQIAO}/notify-channel`)).status, 200);
    for (const path of [`/api/v1/communities/${SHILIUQIAO}/notify-channel`, `/api/v1/communities/${SHILIUQIAO}/outbox`]) {
      assertProblem(await as.staff2.get(path), 404, 'not_found');
      for (const who of [as.org, as.unit, as.approved, as.resident]) assertProblem(await who.get(path), 403, 'forbidden');
      assertProblem(await as.anon.get(path), 401);
    }
    assertProblem(await as.staff2.put(`/api/v1/communities/${SHILIUQIAO}/notify-channel`, { enabled: false }), 404, 'not_found');
    assertProblem(await as.approved.put(`/api/v1/communities/${SHILIUQIAO}/notify-channel`, { enabled: false }), 403, 'forbidden');
    assertProblem(await as.staff.get('/api/v1/outbox'), 403, 'forbidden');
    assertProblem(await as.staff.get('/api/v1/communities/440111002/notify-channel'), 404, 'not_found');
    assertProblem(await as.staff.get('/api/v1/communities/abc/notify-channel'), 404, 'not_found');
  });

  test('down at first: retried on the back-off schedule, then it arrives once, with a title and a link only', async () => {
    const [x] = await quickMembers(srv, as.staff, 1, { prefix: '群消息党员' });
    const act = await createActivity(as.staff, items, { title: '社区义诊', publish: true });
    assert.equal((await x.post(`/api/v1/activities/${act.id}/signup`)).status, 201);
    srv.setClock(T0 + 10 * HOUR); // 19:00 in China: not quiet
    assert.equal((await as.staff.post(`/api/v1/activities/${act.id}/cancel`, { reason: '医生临时有事' })).status, 200);
    let box = (await as.staff.get(`/api/v1/communities/${SHILIUQIAO}/outbox`)).json;
    assert.deepEqual([box.pending, box.sent, box.failed], [1, 0, 0]);
    assert.match(await deliver(), /0 sent/);
    box = (await as.staff.get(`/api/v1/communities/${SHILIUQIAO}/outbox`)).json;
    assert.deepEqual([box.items[0].state, box.items[0].attempts, box.items[0].next_at - (T0 + 10 * HOUR)], ['pending', 1, 15]);
    assert.match(box.items[0].last_error, /127\.0\.0\.1|refused|connect/i);
    assert.ok(!box.items[0].last_error.includes('robot-secret-key'));
    assert.match(await deliver(), /0 sent/, 'not due yet: untouched');
    assert.equal((await as.staff.get(`/api/v1/communities/${SHILIUQIAO}/outbox`)).json.items[0].attempts, 1);
    srv.advance(15);
    await deliver();
    assert.equal((await as.staff.get(`/api/v1/communities/${SHILIUQIAO}/outbox`)).json.items[0].attempts, 2);
    await hook.up();
    srv.advance(30);
    const third = await deliver();
    assert.match(third, /1 sent/, sql(srv, 'SELECT state, attempts, next_at, last_error FROM outbox'));
    assert.equal(hook.received.length, 1);
    const got = hook.received[0];
    assert.deepEqual([got.method, got.url, got.type], ['POST', '/cgi-bin/webhook/send?key=robot-secret-key',
      'application/json; charset=utf-8']);
    assert.deepEqual(got.body, { msgtype: 'text', text: { content: `【活动取消】社区义诊\n/m/activities/${act.id}` } });
    assert.ok(!JSON.stringify(got.body).includes(x.member.name), 'no member named outside');
    box = (await as.admin.get('/api/v1/outbox')).json;
    assert.deepEqual([box.items[0].state, box.items[0].attempts], ['sent', 3]);
    srv.advance(3600);
    await deliver();
    assert.equal(hook.received.length, 1, 'sent once');
  });

  test('quiet hours hold it until their end; 钉钉 takes the same text message', async () => {
    const r = await as.staff.put(`/api/v1/communities/${SHILIUQIAO}/notify-channel`,
      { enabled: true, kind: 'dingtalk', url: hook.url, quiet_start: 22 * 60, quiet_end: 8 * 60 });
    assert.equal(r.status, 200, r.text);
    const [x] = await quickMembers(srv, as.staff, 1, { prefix: '夜间党员' });
    const act = await createActivity(as.staff, items, { title: '夜间通知活动', publish: true });
    assert.equal((await x.post(`/api/v1/activities/${act.id}/signup`)).status, 201);
    const night = T0 + 14 * HOUR; // 23:00 in China (T0 is 09:00)
    srv.setClock(night);
    assert.equal((await as.staff.post(`/api/v1/activities/${act.id}/cancel`, { reason: '改期' })).status, 200);
    const before = hook.received.length;
    await deliver();
    assert.equal(hook.received.length, before, 'quiet: not sent');
    const box = (await as.staff.get(`/api/v1/communities/${SHILIUQIAO}/outbox`)).json;
    assert.deepEqual([box.items[0].attempts, box.items[0].next_at], [0, T0 + 23 * HOUR], 'moved to 08:00 without a try');
    srv.setClock(T0 + 23 * HOUR);
    await deliver();
    assert.equal(hook.received.length, before + 1);
    assert.equal(hook.received.at(-1).body.text.content, `【活动取消】夜间通知活动\n/m/activities/${act.id}`);
  });

  test('removed: no more outbox rows', async () => {
    const r = await as.staff.put(`/api/v1/communities/${SHILIUQIAO}/notify-channel`, { enabled: false });
    assert.deepEqual([r.status, r.json.configured], [200, false]);
    const n = Number(sql(srv, 'SELECT COUNT(*) FROM outbox'));
    const act = await createActivity(as.staff, items, { title: '无机器人活动', publish: true });
    assert.equal((await as.staff.post(`/api/v1/activities/${act.id}/cancel`, { reason: '取消' })).status, 200);
    assert.equal(Number(sql(srv, 'SELECT COUNT(*) FROM outbox')), n);
  });
});

describe('SMS', () => {
  let hook;

  before(async () => { hook = await receiver(); await hook.up(); });
  after(async () => {
    srv.cli(['notify', 'setup']);
    await hook.down();
  });

  test('a member who turned a kind\'s outside messages on gets an SMS through the gateway: a phrase and a link only', async () => {
    const [x, y] = await quickMembers(srv, as.staff, 2, { prefix: '短信党员' });
    assert.throws(() => srv.cli(['notify', 'setup', '--sms-url', 'ftp://x/']), /--sms-url/);
    assert.throws(() => srv.cli(['notify', 'setup', '--base-url', 'https://baodao.example.cn/']), /--base-url/);
    srv.cli(['notify', 'setup', '--sms-url', `http://127.0.0.1:${hook.port}/sms`, '--base-url', 'https://baodao.example.cn']);
    assert.ok(!sql(srv, 'SELECT sms_url_sealed FROM notify_setting').includes('127.0.0.1'), 'sealed at rest');
    const put = await x.put('/api/v1/me/notify-prefs', { in_app: ['signup_confirmed'], outside: ['signup_confirmed'],
      quiet_start: 0, quiet_end: 0 });
    assert.equal(put.status, 200, put.text);
    const act = await createActivity(as.staff, items, { title: '短信测试活动', publish: true });
    for (const c of [x, y]) assert.equal((await c.post(`/api/v1/activities/${act.id}/signup`)).status, 201);
    const box = (await as.admin.get('/api/v1/outbox')).json;
    assert.deepEqual([box.items[0].channel, box.items[0].state], ['sms', 'pending']);
    assert.equal(box.items.filter((r) => r.channel === 'sms' && r.state === 'pending').length, 1, 'y left outside messages off');
    assert.ok(!sql(srv, "SELECT payload FROM outbox WHERE channel = 'sms'").includes(x.member.phone), 'no phone in the outbox');
    // The robot's outbox of the community does not list SMS.
    assert.ok((await as.staff.get(`/api/v1/communities/${SHILIUQIAO}/outbox`)).json.items.every((r) => r.channel !== 'sms'));
    assert.match(await deliver(), /1 sent/);
    assert.deepEqual(hook.received.at(-1).body, { to: x.member.phone,
      text: `您报名的活动已报名成功\nhttps://baodao.example.cn/m/activities/${act.id}` });
    assert.equal(hook.received.at(-1).url, '/sms');
    assert.ok(!JSON.stringify(hook.received.at(-1).body.text).includes(x.member.name));
  });
});

describe('hostile input', () => {
  test('preferences: unknown kinds, hours out of range, wrong types, missing fields name the field; nothing changes', async () => {
    const c = as.approved;
    const before = (await c.get('/api/v1/me/notify-prefs')).json;
    const ok = { in_app: [], outside: [], quiet_start: 0, quiet_end: 0 };
    assertFieldError(await c.put('/api/v1/me/notify-prefs', { ...ok, in_app: ['nope'] }), 'in_app', 'enum');
    assertFieldError(await c.put('/api/v1/me/notify-prefs', { ...ok, outside: ["'; DROP TABLE notification; --"] }), 'outside');
    assertFieldError(await c.put('/api/v1/me/notify-prefs', { ...ok, quiet_start: 1440 }), 'quiet_start');
    assertFieldError(await c.put('/api/v1/me/notify-prefs', { ...ok, quiet_end: -1 }), 'quiet_end');
    assertFieldError(await c.put('/api/v1/me/notify-prefs', { ...ok, in_app: 'signup_confirmed' }), 'in_app');
    assertFieldError(await c.put('/api/v1/me/notify-prefs', { ...ok, in_app: Array(8).fill('signup_confirmed') }), 'in_app');
    assertFieldError(await c.put('/api/v1/me/notify-prefs', { outside: [], quiet_start: 0, quiet_end: 0 }), 'in_app', 'required');
    assertFieldError(await c.put('/api/v1/me/notify-prefs', { ...ok, extra: 1 }), 'extra');
    assertFieldError(await c.put('/api/v1/me/notify-prefs', { ...ok, in_app: ['𠀀'.repeat(33)] }), 'in_app');
    assert.equal((await c.put('/api/v1/me/notify-prefs', '{"in_app": [')).status, 400);
    assert.deepEqual((await c.get('/api/v1/me/notify-prefs')).json, before);
  });

  test('the robot: bad URLs, kinds and hours are refused naming the field; nothing is stored', async () => {
    const put = (b) => as.staff.put(`/api/v1/communities/${SHILIUQIAO}/notify-channel`, b);
    for (const url of ['javascript:alert(1)', 'ftp://x/y', 'http://', 'https://a b/', 'https://user:pw@evil.example/x',
      `https://x.example/${'a'.repeat(500)}`, 'http://x/\u0001', 'https://x.example/\u4e2d'])
      assertFieldError(await put({ enabled: true, kind: 'wecom', url }), 'url', undefined, url.slice(0, 40));
    assertFieldError(await put({ enabled: true, kind: 'slack', url: 'https://x.example/' }), 'kind');
    assertFieldError(await put({ enabled: true, url: 'https://x.example/' }), 'kind', 'required');
    assertFieldError(await put({ enabled: true, kind: 'wecom' }), 'url', 'required');
    assertFieldError(await put({ enabled: true, kind: 'wecom', url: 'https://x.example/', quiet_start: 99999 }), 'quiet_start');
    assertFieldError(await put({ kind: 'wecom', url: 'https://x.example/' }), 'enabled', 'required');
    assert.equal((await as.staff.get(`/api/v1/communities/${SHILIUQIAO}/notify-channel`)).json.configured, false);
  });

  test('the inbox: bad query arguments are 400 naming them; bad ids 404', async () => {
    for (const q of ['limit=0', 'limit=101', 'limit=x', 'before=0', 'before=-5', 'unread=2', `before=${'9'.repeat(30)}`])
      assertProblem(await as.approved.get(`/api/v1/me/notifications?${q}`), 400, 'bad_query', q);
    for (const id of ['abc', '0', '-1', '1e3', '99999999999999999999'])
      assertProblem(await as.approved.post(`/api/v1/me/notifications/${id}/read`), 404, 'not_found', id);
    assertProblem(await as.approved.get('/api/v1/communities/1/outbox?limit=0'), 403);
    assertProblem(await as.admin.get('/api/v1/outbox?limit=0'), 400, 'bad_query');
  });
});

describe('the server\'s worker', () => {
  test('serve --notify-every 1 delivers on its own once the receiver is up', async () => {
    const hook = await receiver();
    const s = await startServer({ clock: SAT9, extra: ['--notify-every', '1'] });
    try {
      const staff = await loginAs(s, 'staff');
      assert.equal((await staff.put(`/api/v1/communities/${SHILIUQIAO}/notify-channel`, { enabled: true, kind: 'wecom', url: hook.url })).status, 200);
      sql(s, `INSERT INTO outbox (channel, target, community_code, payload, next_at, state, created_at) VALUES ('wecom', '${SHILIUQIAO}', '${SHILIUQIAO}', '测试消息', ${SAT9}, 'pending', ${SAT9})`);
      await until(() => Number(sql(s, 'SELECT attempts FROM outbox')) >= 1);
      await hook.up();
      s.advance(15);
      await until(() => hook.received.length === 1);
      assert.equal(hook.received[0].body.text.content, '测试消息');
      await until(() => sql(s, 'SELECT state FROM outbox') === 'sent');
    } finally {
      await hook.down();
      await s.stop();
    }
  });
});
