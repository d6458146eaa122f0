// multi-server.test.mjs: two app servers on one PostgreSQL database behind nginx (issue #11): sessions, login
// throttling, sign-ups for the last places, changes, check-in codes, the live sheet and photos work whichever server
// answers; a server killed with SIGKILL loses no acknowledged write; docs/nginx-baodao.conf parses. Always PostgreSQL.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { once } from 'node:events';
import { startServer, Client, DEMO_PASSWORD, tmpDir, ROOT, BIN } from '../lib/server.mjs';
import { psql, psqlFile, pgCreateDatabase, pgDropDatabase, pgUrl } from '../lib/pg.mjs';
import { startNginx, nginxTest, tempPaths } from '../lib/nginx.mjs';
import { addUser, assertProblem, assertCleanLog, loginAs, validIdNumber, SHILIUQIAO, FEIE } from './helpers.mjs';
import { activityBody, HOUR, DAY } from './activity-fixture.mjs';

const WRONG = 'wrong-password-123';
const MIN = 60;
const now = () => Math.floor(Date.now() / 1000);

let A, B, nginx, shared, dbName, items;
const as = {}; // clients signed in at A

// The same session (cookie) on another server or on nginx.
function at(client, base) {
  const c = new Client(base);
  c.cookie = client.cookie;
  return c;
}
// Polls cond until it holds (a server writes its access line after it has answered), failing after ms.
async function until(cond, what, ms = 5000) {
  for (const end = Date.now() + ms; !(await cond());) {
    if (Date.now() > end) assert.fail(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
// How many requests a server answered, by its access log: lines of "METHOD PATH STATUS".
const served = (srv, method, path, status) =>
  srv.log().split('\n').filter((l) => l.includes(`${method} ${path} ${status} `)).length;
const sql = (q) => psql(dbName, q).trim();

// n approved member files of 石榴桥社区 typed in by staff, each with an account (as quickMembers in
// activity-fixture.mjs, with psql: login = phone, the demo member's password hash) signed in at A.
let serial = 0;
async function members(n) {
  const files = [];
  for (let i = 0; i < n; i++) {
    serial += 1;
    const r = await as.staff.post('/api/v1/members', {
      name: `多服务党员${serial}`, phone: `1381${String(process.pid % 1000).padStart(3, '0')}${String(serial).padStart(4, '0')}`,
      id_number: validIdNumber('19850101', 500 + serial), community_code: SHILIUQIAO,
    });
    assert.equal(r.status, 201, r.text);
    files.push(r.json.member);
  }
  sql(files.map((m) => `WITH a AS (INSERT INTO account (login, name, phone, password_hash, password_changed_at, created_at)
      SELECT '${m.phone}', '${m.name}', '${m.phone}', password_hash, ${now()}, ${now()} FROM account WHERE login = 'member'
      RETURNING id), g AS (INSERT INTO role_grant (account_id, role, region_code, created_at)
      SELECT id, 'member', '${SHILIUQIAO}', ${now()} FROM a)
    UPDATE member SET account_id = (SELECT id FROM a) WHERE id = ${m.id};`).join('\n'));
  const clients = [];
  for (let i = 0; i < files.length; i += 4) {
    clients.push(...await Promise.all(files.slice(i, i + 4).map(async (m) => {
      const c = new Client(A.url);
      await c.login(m.phone);
      c.member = m;
      return c;
    })));
  }
  return clients;
}

// Creates and publishes an activity of 石榴桥社区 as staff at A.
async function activity(over) {
  const r = await as.staff.post('/api/v1/activities', activityBody(items, { publish: true, ...over }));
  assert.equal(r.status, 201, r.text);
  return r.json;
}

before(async () => {
  shared = tmpDir('baodao-shared-photos-');
  const extra = ['--trusted-proxy', '127.0.0.1', '--photos', shared, '--threads', '4'];
  // One fresh database, made with the CLI (init, demo), served by A and by B.
  A = await startServer({ engine: 'postgres', demo: false, extra });
  A.cli(['demo', '--photos', shared]);
  B = await startServer({ again: A, extra });
  dbName = new URL(A.db).pathname.slice(1);
  nginx = await startNginx([A.url, B.url]);
  items = { env: Number(sql(`SELECT id FROM catalog_item WHERE code = 'A01' AND region_code IS NULL`)) };
  for (const l of ['admin', 'staff', 'unit', 'resident']) as[l] = await loginAs(A, l);
});
after(async () => {
  await nginx?.stop();
  for (const s of [A, B]) if (s) assertCleanLog(s.log());
  await B?.kill(); // B serves A's database: A.stop() removes it
  await A?.stop();
  rmSync(shared, { recursive: true, force: true });
});

describe('sessions', () => {
  test('a session made at A is good at B, directly and through nginx, which spreads the requests over both', async () => {
    const c = new Client(A.url);
    const me = await c.login('staff');
    const onB = await at(c, B.url).get('/api/v1/me');
    assert.equal(onB.status, 200, onB.text);
    assert.equal(onB.json.id, me.id);
    const seen = [served(A, 'GET', '/api/v1/me', 200), served(B, 'GET', '/api/v1/me', 200)];
    for (let i = 0; i < 8; i++) {
      const r = await at(c, nginx.url).get('/api/v1/me');
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.id, me.id);
    }
    await until(() => served(A, 'GET', '/api/v1/me', 200) > seen[0] && served(B, 'GET', '/api/v1/me', 200) > seen[1],
      'both servers answered some of the 8 requests through nginx');
  });

  test('a session ended at B is over at A on the very next request', async () => {
    const c = new Client(A.url);
    await c.login('unit');
    const out = await at(c, B.url).del('/api/v1/session');
    assert.ok(out.status >= 200 && out.status < 300, out.text);
    assertProblem(await at(c, A.url).get('/api/v1/me'), 401, 'unauthenticated');
    assertProblem(await at(c, nginx.url).get('/api/v1/me'), 401, 'unauthenticated');
  });
});

describe('login throttling', () => {
  const attempt = (srv, login, password, headers = {}) => new Client(srv.url).post('/api/v1/session', { login, password }, headers);

  test('failures at A and at B add up: after 5 of them, the right password waits at both', async () => {
    const X = { 'X-Forwarded-For': '198.51.100.77' };
    for (let i = 0; i < 5; i++) assertProblem(await attempt(i % 2 ? B : A, 'resident', WRONG, X), 401, 'bad_credentials', `failure ${i + 1}`);
    assert.equal(sql(`SELECT failures FROM login_throttle WHERE source = 'a:198.51.100.77' AND subject <> '*'`), '5');
    for (const srv of [A, B]) {
      const r = await attempt(srv, 'resident', DEMO_PASSWORD, X);
      assertProblem(r, 429, 'throttled', 'the sixth try is not checked, whichever server has it');
      const wait = Number(r.headers.get('retry-after'));
      assert.ok(wait > 0 && wait <= 60, `the first wait, 60 s from the fifth failure: ${wait}`);
    }
    assert.equal((await attempt(B, 'resident', DEMO_PASSWORD, { 'X-Forwarded-For': '198.51.100.78' })).status, 200,
      'the owner, from an address that has not failed, logs in');
  });

  test('through nginx the client is the address nginx saw: 5 failures spread over both servers, then a wait a forged X-Forwarded-For does not lift', async () => {
    const seen = [served(A, 'POST', '/api/v1/session', 401), served(B, 'POST', '/api/v1/session', 401)];
    for (let i = 0; i < 5; i++) assertProblem(await attempt(nginx, 'org', WRONG), 401, 'bad_credentials', `failure ${i + 1}`);
    await until(() => served(A, 'POST', '/api/v1/session', 401) > seen[0] && served(B, 'POST', '/api/v1/session', 401) > seen[1],
      'both servers counted some of the failures');
    assertProblem(await attempt(nginx, 'org', DEMO_PASSWORD), 429, 'throttled');
    assertProblem(await attempt(nginx, 'org', DEMO_PASSWORD, { 'X-Forwarded-For': '203.0.113.9' }), 429, 'throttled',
      'nginx writes X-Forwarded-For itself: a client cannot pick its address');
    assert.equal(sql(`SELECT failures FROM login_throttle WHERE source = 'a:127.0.0.1' AND subject <> '*'`), '5');
  });
});

describe('sign-ups for the last places, at both servers at once', () => {
  let m;
  before(async () => { m = await members(8); });

  // 8 members sign up at once for 3 places, each at the server send(i) names; returns the states answered.
  async function rush(a, send) {
    const rs = await Promise.all(m.map((c, i) => at(c, send(i)).post(`/api/v1/activities/${a.id}/signup`)));
    for (const r of rs) assert.equal(r.status, 201, r.text);
    return rs.map((r) => r.json.signup.state);
  }
  function assertBooked(a, states) {
    assert.equal(states.filter((s) => s === 'signed').length, 3, `exactly the 3 places: ${states}`);
    assert.equal(states.filter((s) => s === 'waiting').length, 5, 'the others wait');
    assert.equal(sql(`SELECT state || ':' || COUNT(*) FROM signup WHERE activity_id = ${a.id} GROUP BY state ORDER BY state`),
      'signed:3\nwaiting:5');
    const mine = sql(`SELECT m.account_id, s.state FROM signup s JOIN member m ON m.id = s.member_id WHERE s.activity_id = ${a.id}`);
    assert.equal(mine.split('\n').length, 8, 'one sign-up each');
  }

  test('directly: half at A, half at B', async () => {
    const a = await activity({ title: '多服务报名（直连）', starts_at: now() + 3 * DAY, ends_at: now() + 3 * DAY + 2 * HOUR, capacity: 3 });
    assertBooked(a, await rush(a, (i) => (i % 2 ? B.url : A.url)));
    const onB = await at(as.staff, B.url).get(`/api/v1/activities/${a.id}`);
    assert.deepEqual([onB.json.signed, onB.json.waiting, onB.json.places_left], [3, 5, 0], onB.text);
  });

  test('through nginx, which hands them to both', async () => {
    const a = await activity({ title: '多服务报名（经 nginx）', starts_at: now() + 4 * DAY, ends_at: now() + 4 * DAY + 2 * HOUR, capacity: 3 });
    const path = `/api/v1/activities/${a.id}/signup`;
    assertBooked(a, await rush(a, () => nginx.url));
    await until(() => served(A, 'POST', path, 201) > 0 && served(B, 'POST', path, 201) > 0, 'both servers took sign-ups');
  });
});

test('each server holds at most --threads (4) connections to PostgreSQL, however many requests came at once', (t) => {
  const n = Number(sql('SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()'));
  t.diagnostic(`${n} connections of the two servers`);
  // + 2 each: the notify worker's own (serve --notify-every, docs/notify.md) and the rollup's (--stats-every,
  // docs/stats.md).
  assert.ok(n >= 2 && n <= 2 * (4 + 2), `${n} connections`);
});

describe('a change at one server is read at the other on the very next request', () => {
  test('an activity edited at A, then at B', async () => {
    const a = await activity({ title: '改前的标题', starts_at: now() + 5 * DAY, ends_at: now() + 5 * DAY + 2 * HOUR });
    const body = (title) => activityBody(items, { title, starts_at: a.starts_at, ends_at: a.ends_at });
    assert.equal((await as.staff.put(`/api/v1/activities/${a.id}`, body('在 A 改的标题'))).status, 200);
    assert.equal((await at(as.staff, B.url).get(`/api/v1/activities/${a.id}`)).json.title, '在 A 改的标题');
    assert.equal((await at(as.staff, B.url).put(`/api/v1/activities/${a.id}`, body('在 B 改的标题'))).status, 200);
    assert.equal((await as.staff.get(`/api/v1/activities/${a.id}`)).json.title, '在 B 改的标题');
  });

  test('a grid made at A and renamed at B', async () => {
    const g = await as.staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: `多服务网格${process.pid}` });
    assert.equal(g.status, 201, g.text);
    assert.equal((await at(as.staff, B.url).get(`/api/v1/regions/${g.json.code}`)).json.name, `多服务网格${process.pid}`);
    const r = await at(as.staff, B.url).patch(`/api/v1/regions/${g.json.code}`, { name: `改名网格${process.pid}` });
    assert.equal(r.status, 200, r.text);
    assert.equal((await as.staff.get(`/api/v1/regions/${g.json.code}`)).json.name, `改名网格${process.pid}`);
  });

  test('a role given by the CLI, then an account disabled at A: B knows both at once', async () => {
    addUser(A, 'staff_feie', 'staff', { region: FEIE });
    const feie = await loginAs(B, 'staff_feie');
    const a = await activity({ title: '石榴桥的活动', starts_at: now() + 6 * DAY, ends_at: now() + 6 * DAY + 2 * HOUR });
    const sheet = `/api/v1/activities/${a.id}/signups`;
    assert.ok([403, 404].includes((await feie.get(sheet)).status), 'not in 飞鹅新村社区 staff\'s scope');
    A.cli(['user', 'role', 'staff_feie', '--add', 'staff', '--region', SHILIUQIAO]);
    assert.equal((await feie.get(sheet)).status, 200, 'B reads the new grant at the next request');
    assert.equal((await at(feie, A.url).get(sheet)).status, 200);
    const id = (await feie.get('/api/v1/me')).json.id;
    const d = await as.admin.post(`/api/v1/accounts/${id}/disable`);
    assert.equal(d.status, 200, d.text);
    assertProblem(await feie.get('/api/v1/me'), 401, 'unauthenticated');
    assertProblem(await attempt(B, 'staff_feie'), 401, 'bad_credentials');
  });
  const attempt = (srv, login) => new Client(srv.url).post('/api/v1/session', { login, password: DEMO_PASSWORD },
    { 'X-Forwarded-For': '198.51.100.90' });
});

describe('check-in codes and the live sheet', () => {
  let a, m;
  before(async () => {
    m = await members(3);
    // Starts in 10 minutes: codes work from 30 minutes before the start.
    a = await activity({ title: '多服务签到', starts_at: now() + 10 * MIN, ends_at: now() + 2 * HOUR, capacity: 10 });
    for (const c of m) assert.equal((await c.post(`/api/v1/activities/${a.id}/signup`)).json.signup.state, 'signed');
  });
  const code = async (base, kind = 'screen') => {
    const r = await at(as.staff, base).get(`/api/v1/activities/${a.id}/checkin-code?kind=${kind}`);
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  const sheet = async (base, since) => {
    const r = await at(as.staff, base).get(`/api/v1/activities/${a.id}/sheet${since ? `?since=${since}` : ''}`);
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  const arrived = (s, who) => s.rows.find((r) => r.member.id === who.member.id).checkin_at;

  test('a screen\'s code shown by A checks in at B; shown again at A it is already used', async () => {
    const c = await code(A.url);
    const r = await at(m[0], B.url).post(`/api/v1/activities/${a.id}/checkin`, { code: c.code });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.json.already, r.json.message], [false, '签到成功']);
    const again = await at(m[0], A.url).post(`/api/v1/activities/${a.id}/checkin`, { code: c.code });
    assert.deepEqual([again.status, again.json.already], [200, true]);
  });

  test('the sheet read at B shows at once a check-in made at A with B\'s poster code', async () => {
    const before_ = await sheet(B.url);
    assert.equal(arrived(before_, m[1]), null);
    const poster = await code(B.url, 'poster');
    const r = await at(m[1], A.url).post(`/api/v1/activities/${a.id}/checkin`, { code: poster.code });
    assert.equal(r.status, 200, r.text);
    const moved = await sheet(B.url, before_.version);
    assert.equal(moved.changed, true);
    assert.ok(moved.version > before_.version);
    assert.equal(moved.counts.arrived, 2);
    assert.equal(arrived(moved, m[1]), r.json.signup.checkin_at);
    assert.deepEqual(await sheet(A.url, moved.version), { version: moved.version, changed: false }, 'A agrees on the version');
  });

  test('through nginx the code\'s link names the address the phone used, and works at either server', async () => {
    const c = await code(nginx.url);
    assert.equal(c.url, `${nginx.url}/m/activities/${a.id}/checkin?code=${c.code}`);
    const r = await at(m[2], nginx.url).post(`/api/v1/activities/${a.id}/checkin`, { code: c.code });
    assert.equal(r.status, 200, r.text);
    assert.equal((await sheet(A.url)).counts.arrived, 3);
  });
});

// An RGB PNG of w × h: a gradient, or (noise) random pixels, which do not compress.
function png(w, h, noise = false) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => (buf.reduce((c, b) => crcTable[(c ^ b) & 0xff] ^ (c >>> 8), 0xffffffff) ^ 0xffffffff) >>> 0;
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc(h * (1 + 3 * w));
  for (let y = 0; y < h; y++) {
    const row = y * (1 + 3 * w) + 1;
    if (noise) randomFillSync(rows, row, 3 * w);
    else for (let x = 0; x < w; x++) rows.set([(x * 255 / w) | 0, (y * 255 / h) | 0, 90], row + 3 * x);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

describe('photos in the shared folder', () => {
  const bytes = async (who, base, path) => {
    const r = await fetch(base + path, { headers: { Cookie: who.cookie } });
    return { status: r.status, type: r.headers.get('content-type'), body: Buffer.from(await r.arrayBuffer()) };
  };
  const files = () => readdirSync(shared, { recursive: true }).filter((f) => f.endsWith('.jpg'));

  test('the demo\'s photo, stored by `baodao demo --photos`, is served by both servers', async () => {
    const [rid, pid] = sql('SELECT record_id, id FROM record_photo ORDER BY id LIMIT 1').split('|');
    for (const base of [A.url, B.url]) {
      const r = await bytes(as.staff, base, `/api/v1/records/${rid}/photos/${pid}`);
      assert.equal(r.status, 200);
      assert.equal(r.type, 'image/jpeg');
    }
  });

  test('a server whose photo folder cannot be made or written in refuses to start, saying which', () => {
    const file = join(shared, 'not-a-folder');
    writeFileSync(file, '');
    try {
      for (const dir of [join(file, 'photos'), file]) {
        let failure;
        try {
          execFileSync(BIN, ['serve', '--db', A.db, '--listen', '127.0.0.1:0', '--photos', dir],
            { cwd: ROOT, env: { ...process.env, BAODAO_KEY: join(A.dir, 'baodao.key') }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 20000 });
        } catch (e) { failure = e; }
        assert.ok(failure, `serve with --photos ${dir} does not start`);
        assert.equal(failure.status, 1, String(failure.stderr));
        assert.match(String(failure.stderr), new RegExp(`photo folder ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      }
    } finally {
      rmSync(file);
    }
  });

  test('an upload through A is served by B and through nginx; removed at B, its files are gone for A too', async () => {
    const [member] = await members(1);
    const rec = await member.post('/api/v1/me/records', { item_id: items.env, started_at: now() - 2 * DAY, minutes: 90,
      place: '第一网格 2栋', content: '清理楼道杂物' });
    assert.equal(rec.status, 201, rec.text);
    const before_ = files().length;
    const up = await member.req('POST', `/api/v1/records/${rec.json.id}/photos`, png(800, 600), { 'Content-Type': 'image/png' });
    assert.equal(up.status, 201, up.text);
    assert.equal(files().length, before_ + 2, 'the photo and its thumbnail, in the shared folder');
    const fromA = await bytes(member, A.url, up.json.url);
    assert.equal(fromA.status, 200);
    for (const base of [B.url, nginx.url]) {
      const r = await bytes(member, base, up.json.url);
      assert.equal(r.status, 200, base);
      assert.ok(r.body.equals(fromA.body), `${base} serves the same bytes`);
      const t = await bytes(member, base, up.json.thumb_url);
      assert.equal(t.status, 200, `${base} thumbnail`);
    }
    const noisy = png(800, 600, true);
    assert.ok(noisy.length > 1 << 20, 'over nginx\'s default client_max_body_size (1m)');
    const big = await at(member, nginx.url).req('POST', `/api/v1/records/${rec.json.id}/photos`, noisy, { 'Content-Type': 'image/png' });
    assert.equal(big.status, 201, `an upload of ${noisy.length} bytes through nginx: ${big.text.slice(0, 200)}`);
    assert.equal((await at(member, B.url).del(up.json.url)).status, 204);
    assert.equal(files().length, before_ + 2, 'only the second upload\'s files are left');
    assert.equal((await bytes(member, A.url, up.json.url)).status, 404);
    assert.ok(!existsSync(join(A.dir, 'photos')), 'nothing went to the harness\'s default folder');
  });
});

describe('a server killed with SIGKILL during a stream of writes', () => {
  test('every acknowledged write is in the database; A and nginx go on answering', async (t) => {
    const targets = { A: A.url, B: B.url, nginx: nginx.url };
    const acked = []; // names of the units whose creation got a 2xx
    const afterKill = { A: 0, B: 0, nginx: 0 };
    const failed = { A: 0, B: 0, nginx: 0 };
    let killed = false; let stop = false; let k = 0;
    const writer = async (name) => {
      const c = at(as.admin, targets[name]);
      while (!stop) {
        const unit = `流水单位${process.pid}-${name}-${++k}`;
        const wasKilled = killed;
        try {
          const r = await c.post('/api/v1/units', { name: unit, party_org_name: '测试党支部', type: 'soe',
            region_code: SHILIUQIAO, contact_name: '张三', contact_phone: '13912345678' });
          if (r.status === 201) {
            acked.push(unit);
            if (wasKilled) afterKill[name] += 1;
          } else {
            assert.ok(name === 'nginx' && r.status === 502, `only nginx may fail, with 502, while B dies: ${name} ${r.status} ${r.text.slice(0, 200)}`);
            failed[name] += 1;
          }
        } catch {
          failed[name] += 1; // B is gone: its connections are refused
          if (name === 'B' && killed) return;
        }
      }
    };
    const running = ['A', 'B', 'nginx', 'A', 'nginx'].map(writer);
    await until(() => acked.length >= 20, 'writes acknowledged before the kill', 30000);
    await B.kill();
    killed = true;
    await until(() => afterKill.A >= 10 && afterKill.nginx >= 10, 'A and nginx acknowledge writes after the kill', 30000);
    stop = true;
    await Promise.all(running);
    const stored = new Set(sql(`SELECT name FROM unit WHERE name LIKE '流水单位${process.pid}-%'`).split('\n'));
    const lost = acked.filter((u) => !stored.has(u));
    t.diagnostic(`${acked.length} writes acknowledged, ${stored.size} stored; after the kill ${afterKill.A} at A and ` +
      `${afterKill.nginx} through nginx; refused or failed: ${JSON.stringify(failed)}`);
    assert.deepEqual(lost, [], `${acked.length} acknowledged writes, every one stored`);
    assert.equal(new Set(acked).size, acked.length);
    assert.ok(failed.B > 0 || afterKill.B === 0, 'B answered nothing after its death');
    assert.equal(afterKill.B, 0);
    assert.equal((await as.admin.get('/api/v1/me')).status, 200, 'A keeps serving');
    assert.match(A.cli(['audit', 'verify']), /^ok: /, 'the audit chain is whole');
  });
});

describe('servers of one database started together after an upgrade', () => {
  test('each applies what is pending, or finds it applied meanwhile: all of them start, every migration is applied once', async () => {
    const files = readdirSync(join(ROOT, 'sql/postgres')).filter((f) => /^\d{3}_.*\.sql$/.test(f)).sort();
    const name = pgCreateDatabase('older');
    try {
      // The schema as the previous release left it: every migration but the newest, recorded as migrate.c does.
      psql(name, 'CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
      for (const f of files.slice(0, -1)) {
        psqlFile(name, join(ROOT, 'sql/postgres', f));
        psql(name, `INSERT INTO schema_version VALUES (${Number(f.slice(0, 3))}, '${f.slice(0, -4)}', ${now()})`);
      }
      const env = { ...process.env, BAODAO_KEY: join(A.dir, 'baodao.key'), BAODAO_PHOTOS: shared };
      const started = await Promise.allSettled([0, 1, 2, 3].map(() => new Promise((resolve, reject) => {
        const child = spawn(BIN, ['serve', '--db', pgUrl(name), '--listen', '127.0.0.1:0', '--threads', '1'],
          { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = ''; let log = '';
        child.stdout.on('data', (d) => { out += d; if (/listening on/.test(out)) resolve(child); });
        child.stderr.on('data', (d) => { log += d; });
        child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${log}`)));
      })));
      for (const r of started) if (r.status === 'fulfilled') { r.value.kill('SIGKILL'); await once(r.value, 'exit'); }
      assert.deepEqual(started.map((r) => r.status === 'fulfilled' ? 'started' : String(r.reason)), ['started', 'started', 'started', 'started']);
      const newest = Number(files.at(-1).slice(0, 3));
      assert.equal(psql(name, 'SELECT COUNT(*), MAX(version) FROM schema_version').trim(), `${newest}|${newest}`);
    } finally {
      pgDropDatabase(name);
    }
  });
});

// Runs nginx -t on an example configuration meant for nginx's http {} block (Debian's nginx.conf includes
// /etc/nginx/conf.d/*.conf there), its certificate swapped for a throwaway self-signed one made by openssl.
function parses(example) {
  const dir = tmpDir('baodao-nginx-conf-');
  try {
    const cert = join(dir, 'cert.pem'); const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=baodao.example.gov.cn',
      '-keyout', key, '-out', cert], { stdio: ['ignore', 'pipe', 'pipe'] });
    const text = readFileSync(join(ROOT, example), 'utf8');
    let swapped = 0;
    const mine = text.replace(/^(\s*ssl_certificate(_key)?\s+)\S+;/gm, (_, head, isKey) => { swapped += 1; return `${head}${isKey ? key : cert};`; });
    assert.equal(swapped, 2, 'one certificate and its key');
    writeFileSync(join(dir, 'baodao.conf'), mine);
    const main = join(dir, 'nginx.conf');
    writeFileSync(main, `pid ${join(dir, 'nginx.pid')};\nerror_log ${join(dir, 'error.log')};\nevents {}\n` +
      `http {\n  access_log off;\n  ${tempPaths(dir)}\n  include ${join(dir, 'baodao.conf')};\n}\n`);
    nginxTest(main, dir);
    return text;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the nginx examples', () => {
  test('docs/nginx-baodao.conf parses with nginx -t, and has what several app servers need', () => {
    const text = parses('docs/nginx-baodao.conf');
    for (const d of ['proxy_set_header X-Forwarded-For $remote_addr;', 'proxy_set_header Host $host;', 'proxy_http_version 1.1;',
      'proxy_set_header Connection "";', 'keepalive ', 'proxy_next_upstream error timeout;'])
      assert.ok(text.includes(d), `the example has ${d}`);
    assert.ok((text.match(/^\s*server 10\.0\.0\.\d+:8080\b/gm) ?? []).length >= 2, 'an upstream of several app servers');
    assert.match(text, /location ~ \^\/api\/v1\/records\/\[0-9\]\+\/photos\$ \{\s*client_max_body_size 5m;/,
      'photos of up to 5 MiB pass');
  });

  test('packaging/nginx-baodao.conf.in (one app server on the same host) parses too, and lets photos of 5 MiB pass', () => {
    const text = parses('packaging/nginx-baodao.conf.in');
    assert.match(text, /location ~ \^\/api\/v1\/records\/\[0-9\]\+\/photos\$ \{\s*client_max_body_size 5m;/);
  });
});
