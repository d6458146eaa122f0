// failover.test.mjs: a PostgreSQL primary and its streaming replica (scripts/pg-replica.sh), baodao serving with
// both in a multi-host address (target_session_attrs=read-write). The replica's loss changes nothing; the primary
// stopped cleanly and the replica promoted: meanwhile 503 with Retry-After, never a 500 or a crash, then writes
// again without a restart, every acknowledged one there; with a synchronous standby the same after a SIGKILL; and
// with --statement-timeout a COMMIT that waits for a synchronous standby in vain is answered 503, not 201.
// Runs on its own clusters (tests/lib/pg.mjs pgCluster), whatever BAODAO_TEST_ENGINE says.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { writeFileSync, rmSync, mkdirSync, chownSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { asPgOwner, pgCluster, pgOwnedDir } from '../lib/pg.mjs';
import { BIN, ROOT, ADMIN_PASSWORD, Client, tmpDir } from '../lib/server.mjs';
import { unitBody } from './helpers.mjs';

const SCRIPT = join(ROOT, 'scripts/pg-replica.sh');
const DB = 'baodao';
let base, p, r, dir, env, address, child, log = '', url, admin;
const servers = []; // every baodao serve started, stopped at the end even if a test timed out
const LIMIT = { timeout: 120000 }; // a wait that never ends fails the test instead of hanging it

// The script as the clusters' owner; returns its output (throws with its stderr on failure).
function script(...args) {
  return asPgOwner('sh', [SCRIPT, ...args]);
}

// Polls fn until it returns a true value or ms pass (then fails with what).
async function until(fn, what, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    let v;
    try { v = await fn(); } catch { v = false; }
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await delay(50);
  }
}

const alive = () => child.exitCode === null && child.signalCode === null;

// The units of these ids found on cluster c.
function present(c, ids) {
  if (!ids.length) return [];
  const out = c.psql(`SELECT id FROM unit WHERE id IN (${ids.join(',')}) ORDER BY id`, DB);
  return out.split('\n').filter(Boolean).map(Number);
}

// Whether cluster c (a primary) streams to the standby named name, in sync state state.
function streaming(c, name, state = null) {
  const row = c.psql(`SELECT state || ' ' || sync_state FROM pg_stat_replication WHERE application_name = '${name}'`)
    .trim();
  return row.startsWith('streaming') && (!state || row.endsWith(state));
}

// Writers that create units until stop() and record what they were told: the ids acknowledged with a 201, and
// every status seen (a refused connection counts as 'gone'). A 503 is retried after its Retry-After (at most 1 s).
function writers(n) {
  const acked = [], statuses = new Map(), unavailable = [];
  let stopping = false;
  const count = (s) => statuses.set(s, (statuses.get(s) || 0) + 1);
  async function one() {
    while (!stopping) {
      let res;
      try {
        res = await admin.post('/api/v1/units', unitBody());
      } catch {
        count('gone');
        await delay(50);
        continue;
      }
      count(res.status);
      if (res.status === 201) acked.push(res.json.id);
      if (res.status === 503) {
        unavailable.push({ retryAfter: res.headers.get('retry-after'), type: res.headers.get('content-type'),
          code: res.json?.code });
        await delay(Math.min(Number(res.headers.get('retry-after')) || 1, 1) * 1000);
      }
    }
  }
  const running = Array.from({ length: n }, one);
  return {
    acked, statuses, unavailable,
    ok: () => statuses.get(201) || 0,
    async stop() { stopping = true; await Promise.all(running); },
  };
}

// Starts baodao serve on the two servers' address with more options; its log goes to onLog.
async function serve(extra, onLog) {
  const c = spawn(BIN, ['serve', '--db', address, '--listen', '127.0.0.1:0', ...extra],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  servers.push(c);
  let early = '';
  c.stderr.on('data', (d) => { early += d; onLog(d); });
  const where = await new Promise((res, rej) => {
    let out = '';
    c.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[0-9.]+:\d+)/);
      if (m) res(m[1]);
    });
    c.on('exit', (code) => rej(new Error(`baodao serve exited ${code}: ${early}`)));
  });
  return { child: c, url: where };
}

before(async () => {
  base = pgOwnedDir('baodao-failover-');
  for (const d of ['p', 'r']) {
    mkdirSync(join(base, d));
    const { uid, gid } = statSync(base);
    chownSync(join(base, d), uid, gid);
  }
  p = pgCluster({ dir: join(base, 'p') });
  p.start();
  script('setup-primary', p.conninfo(), '--allow', 'local', '--method', 'trust');
  script('make-replica', `host=${p.dir} user=replicator`, join(base, 'r', 'data'), '--name', 'replica_r');
  r = pgCluster({ dir: join(base, 'r'), init: false });
  r.start();
  await until(() => streaming(p, 'replica_r'), 'the replica to stream');
  p.psql(`CREATE DATABASE ${DB}`);

  dir = tmpDir('baodao-failover-app-');
  env = { ...process.env, BAODAO_KEY: join(dir, 'baodao.key') };
  const pw = join(dir, 'admin-password');
  writeFileSync(pw, ADMIN_PASSWORD + '\n', { mode: 0o600 });
  execFileSync(BIN, ['init', '--admin-password-file', pw, '--db', p.url(DB)], { cwd: ROOT, env, stdio: 'pipe' });
  execFileSync(BIN, ['demo', '--base', '--db', p.url(DB)], { cwd: ROOT, env, stdio: 'pipe' });
  // Both servers; libpq connects to the one that takes writes, and on a reset looks again.
  const db = `postgres:///${DB}?host=${encodeURIComponent(p.dir)},${encodeURIComponent(r.dir)}` +
    '&user=baodao&target_session_attrs=read-write';
  address = db;
  ({ child, url } = await serve(['--threads', '2'], (d) => { log += d; }));
  admin = new Client(url);
  await admin.login('admin', ADMIN_PASSWORD);
});

after(async () => {
  for (const c of servers) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGTERM');
      await new Promise((res) => c.once('exit', res));
    }
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the replica stopped: reads and writes go on (asynchronous), and it catches up when it is back', LIMIT, async () => {
  r.stop('fast');
  const list = await admin.get('/api/v1/units?per_page=5');
  assert.equal(list.status, 200, list.text);
  const made = await admin.post('/api/v1/units', unitBody());
  assert.equal(made.status, 201, made.text);
  r.start();
  await until(() => streaming(p, 'replica_r'), 'the replica to stream again');
  await until(() => present(r, [made.json.id]).length === 1, 'the write made meanwhile to reach the replica');
});

test('primary stopped cleanly, replica promoted: 503 with Retry-After meanwhile, then writes, none lost', LIMIT, async () => {
  const w = writers(3);
  await until(() => w.ok() >= 20, 'writes before the failover');
  p.stop('fast');
  await until(() => w.unavailable.length > 0, 'a 503 while no server takes writes');
  script('promote', r.data);
  const after = w.ok();
  await until(() => w.ok() >= after + 20, 'writes on the new primary');
  await w.stop();
  assert.ok(alive(), 'baodao serve is still running');
  assert.equal(w.statuses.get(500), undefined, `no 500: ${JSON.stringify([...w.statuses])}\n${log.slice(-2000)}`);
  assert.deepEqual([...w.statuses.keys()].filter((s) => s !== 201 && s !== 503), [], 'only 201 and 503');
  for (const u of w.unavailable) {
    assert.match(u.retryAfter ?? '', /^[1-5]$/, 'Retry-After of 1 to 5 seconds');
    assert.equal(u.type, 'application/problem+json');
    assert.equal(u.code, 'unavailable');
  }
  assert.deepEqual(present(r, w.acked), [...w.acked].sort((a, b) => a - b), 'every acknowledged write is there');
  const read = await admin.get('/api/v1/units?per_page=1');
  assert.equal(read.status, 200, read.text);
  // One line when a connection goes and one when it is back, not one per request answered 503.
  const lost = log.match(/connection \d+ to PostgreSQL lost/g) || [];
  assert.ok(lost.length >= 1 && lost.length <= 2, `lost logged once per connection (2 threads): ${lost.length}`);
  assert.match(log, /connection \d+ to PostgreSQL back after/);
});

test('synchronous standby: the primary SIGKILLed during writes, the standby promoted: no acknowledged write lost',
  LIMIT, async () => {
    // The old primary comes back as a replica of the new one: a new base backup into its folder.
    rmSync(p.data, { recursive: true, force: true });
    script('make-replica', `host=${r.dir} user=replicator`, p.data, '--name', 'replica_p');
    p.start();
    script('setup-primary', r.conninfo(), '--sync', 'replica_p');
    await until(() => streaming(r, 'replica_p', 'sync'), 'the synchronous standby');
    const w = writers(3);
    await until(() => w.ok() >= 30, 'writes before the crash');
    // The primary and every process of it at once, as a power cut would (pg_ctl starts it in a group of its own).
    const pid = r.pid();
    assert.ok(pid > 0);
    process.kill(-pid, 'SIGKILL');
    await until(() => w.unavailable.length > 0, 'a 503 while no server takes writes');
    script('promote', p.data);
    const after = w.ok();
    await until(() => w.ok() >= after + 20, 'writes on the new primary');
    await w.stop();
    assert.ok(alive(), 'baodao serve is still running');
    assert.equal(w.statuses.get(500), undefined, `no 500: ${JSON.stringify([...w.statuses])}\n${log.slice(-2000)}`);
    assert.deepEqual(present(p, w.acked), [...w.acked].sort((a, b) => a - b), 'every acknowledged write is there');
  });

test('--statement-timeout cuts the wait for a synchronous standby that never answers: 503, not a 201', LIMIT, async () => {
  // p, the primary now, alone, told to wait for a standby that does not exist: every COMMIT would wait forever.
  script('setup-primary', p.conninfo(), '--sync', 'nobody');
  let log2 = '';
  const s2 = await serve(['--threads', '1', '--statement-timeout', '300'], (d) => { log2 += d; });
  try {
    const c = new Client(s2.url);
    c.cookie = admin.cookie; // the session made on the first server: the same database
    const body = unitBody();
    const w = await c.post('/api/v1/units', body);
    assert.equal(w.status, 503, w.text);
    assert.match(w.headers.get('retry-after') ?? '', /^[1-5]$/);
    assert.match(log2, /COMMIT warned/);
    // Committed on the primary, only not confirmed by a standby: there, but never acknowledged.
    assert.equal(p.psql(`SELECT count(*) FROM unit WHERE name = '${body.name}'`, DB).trim(), '1');
    const read = await c.get('/api/v1/units?per_page=1');
    assert.equal(read.status, 200, read.text);
  } finally {
    script('setup-primary', p.conninfo(), '--sync', '');
  }
  const again = await admin.post('/api/v1/units', unitBody());
  assert.equal(again.status, 201, again.text);
});
