// move.test.mjs: baodao move-to-postgres copies a SQLite install into a new PostgreSQL database and verifies it;
// the copy serves the same answers as its source, new ids follow the copied ones, and a target in use is refused
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, ADMIN_PASSWORD, startServer } from '../lib/server.mjs';
import { pgCreateDatabase, pgDropDatabase, pgUrl, psql } from '../lib/pg.mjs';
import { loginAs, validIdNumber, SHILIUQIAO, SANYUANLI } from './helpers.mjs';

const dir = mkdtempSync(join(tmpdir(), 'baodao-move-'));
const made = [];

// Runs baodao; never throws. BAODAO_KEY is unset unless given: a SQLite file's key is beside it.
function baodao(args, env = {}) {
  const r = spawnSync(BIN, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, BAODAO_KEY: '', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(r, what) {
  assert.equal(r.status, 0, `${what}: ${r.stderr}`);
  return r.stdout;
}

// A new SQLite install at dir/NAME.db: init, then each of steps (argument lists) run on it.
function sqliteInstall(name, ...steps) {
  const db = join(dir, `${name}.db`);
  const pw = join(dir, 'admin-password');
  writeFileSync(pw, ADMIN_PASSWORD + '\n', { mode: 0o600 });
  ok(baodao(['init', '--db', db, '--admin-password-file', pw]), 'init');
  for (const s of steps) ok(baodao([...s, '--db', db]), s[0]);
  return db;
}

// A new, empty PostgreSQL database: its name, address and the key file the move writes for it.
function pgTarget() {
  const name = pgCreateDatabase('move');
  made.push(name);
  return { name, url: pgUrl(name), key: join(dir, `${name}.key`) };
}

function move(from, to, key, extra = []) {
  return baodao(['move-to-postgres', '--from', from, '--to', to, ...extra], { BAODAO_KEY: key });
}

const sqlite = (db, q) => execFileSync('/usr/bin/sqlite3', [db, q], { encoding: 'utf8' }).trim();
const count = (t, table) => Number(psql(t.name, `SELECT count(*) FROM ${table}`).trim());

// Serves db (BAODAO_KEY for a PostgreSQL address) in a folder of its own, as it is.
function serve(db, key = '') {
  const saved = process.env.BAODAO_KEY;
  process.env.BAODAO_KEY = key;
  try {
    // startServer copies the environment before its first await.
    return startServer({ again: { dir: mkdtempSync(join(tmpdir(), 'baodao-move-srv-')), db } });
  } finally {
    if (saved === undefined) delete process.env.BAODAO_KEY;
    else process.env.BAODAO_KEY = saved;
  }
}

async function json(c, path) {
  const r = await c.get(path);
  assert.equal(r.status, 200, `${path}: ${r.text}`);
  return r.json;
}

// What the demo's people read: member lists, a member's own file and points, stats, the ranking, a revealed ID number.
async function demoReads(srv) {
  const staff = await loginAs(srv, 'staff');
  const org = await loginAs(srv, 'org');
  const member = await loginAs(srv, '13800001011');
  const admin = await loginAs(srv, 'admin');
  const list = await json(staff, '/api/v1/members?per_page=100');
  const first = list.items[0].id;
  const reveal = await staff.post(`/api/v1/members/${first}/reveal`, { reason: '核对报到信息' });
  assert.equal(reveal.status, 200, reveal.text);
  const mine = await json(member, '/api/v1/me/member');
  return {
    members: { total: list.total, items: list.items.map((m) => [m.id, m.name, m.state, m.building_name]) },
    orgMembers: (await json(org, '/api/v1/members?per_page=100')).total,
    file: mine,
    points: await json(member, '/api/v1/me/points'),
    stats: (await json(staff, `/api/v1/stats/regions/${SHILIUQIAO}`)).files,
    children: (await json(org, `/api/v1/stats/regions/${SANYUANLI}/children`)).items,
    standings: (await json(staff, `/api/v1/standings?region=${SHILIUQIAO}`)).items,
    pending: (await json(staff, '/api/v1/registrations?state=pending')).items.map((r) => r.id),
    idNumber: reveal.json.id_number,
    ledgers: (await json(admin, '/api/v1/admin/ledger/verify')).ok,
  };
}

after(() => {
  for (const name of made) pgDropDatabase(name);
  rmSync(dir, { recursive: true, force: true });
});

describe('the demo install', () => {
  let src, target, out, before_;
  before(() => {
    src = sqliteInstall('demo', ['demo']);
    before_ = readFileSync(src);
    target = pgTarget();
    out = move(src, target.url, target.key);
  });

  test('moves, says what it verified, and leaves the source as it was', () => {
    assert.equal(out.status, 0, out.stderr);
    assert.match(out.stdout, /^moved \d+ tables, \d+ rows from .* in [\d.]+ s/m);
    assert.match(out.stdout, /audit chain intact \(\d+ entries\); ledgers balanced/);
    assert.match(out.stderr, /copying member: \d+ \/ \d+/);
    assert.ok(!out.stdout.includes('host='), 'the address is not printed');
    assert.deepEqual(readFileSync(src), before_, 'the source is only read');
    assert.deepEqual(readFileSync(target.key), readFileSync(`${src}.key`), 'the source\'s key is the target\'s');
  });

  test('every table holds as many rows on both sides, tallies included (not counted twice)', () => {
    const tables = sqlite(src, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
      + "AND name <> 'schema_version' ORDER BY name").split('\n');
    assert.ok(tables.length > 40, tables.join());
    for (const t of tables) assert.equal(count(target, t), Number(sqlite(src, `SELECT count(*) FROM ${t}`)), t);
    for (const t of ['member', 'account', 'audit_log', 'ledger_entry', 'record', 'specialty', 'catalog_item'])
      assert.ok(count(target, t) > 0, t);
    const tally = "SELECT depth, prefix, state, files, without_account FROM member_tally ORDER BY depth, prefix, state";
    assert.equal(psql(target.name, tally).trim().replaceAll('|', ' '),
      sqlite(src, tally).replaceAll('|', ' '), 'member_tally row by row');
    const units = 'SELECT unit_id, roster, reported, pending, rank_low, rank_high FROM unit_tally ORDER BY unit_id';
    assert.equal(psql(target.name, units).trim(), sqlite(src, units), 'unit_tally with its generated columns');
  });

  test('audit verify and ledger verify pass on the target', () => {
    assert.match(ok(baodao(['audit', 'verify', '--db', target.url], { BAODAO_KEY: target.key }), 'audit'), /^ok: \d+ entries/);
    assert.match(ok(baodao(['ledger', 'verify', '--db', target.url], { BAODAO_KEY: target.key }), 'ledger'), /^ok:/);
  });

  test('the moved data serves the same reads as its source, and new ids follow the copied ones', async () => {
    const a = await serve(src);
    const b = await serve(target.url, target.key);
    try {
      const [ra, rb] = [await demoReads(a), await demoReads(b)];
      assert.ok(ra.members.total > 5 && ra.standings.length > 0 && ra.pending.length > 0);
      assert.match(ra.idNumber, /^\d{17}[\dX]$/);
      assert.equal(ra.file.member.name, '陈建国');
      assert.deepEqual(rb, ra);
      // New rows on the target take ids past the copied ones (the sequences were set), with triggers on again.
      const maxMember = Number(sqlite(src, 'SELECT max(id) FROM member'));
      const filesBefore = count(target, 'member');
      const staff = await loginAs(b, 'staff');
      const made = await staff.post('/api/v1/members', { name: '搬家后', phone: '13900009999',
        id_number: validIdNumber('19850505', 7), community_code: SHILIUQIAO });
      assert.equal(made.status, 201, made.text);
      assert.equal(made.json.member.id, maxMember + 1);
      assert.equal(count(target, 'member'), filesBefore + 1);
      const after = (await json(staff, `/api/v1/stats/regions/${SHILIUQIAO}`)).files;
      assert.equal(after.total, rb.stats.total + 1, 'the tally triggers count the new file');
    } finally {
      await a.stop();
      await b.stop();
    }
    ok(baodao(['audit', 'verify', '--db', target.url], { BAODAO_KEY: target.key }), 'audit after new writes');
    ok(baodao(['ledger', 'verify', '--db', target.url], { BAODAO_KEY: target.key }), 'ledger after new writes');
  });

  test('a target that holds data is refused and left unchanged', () => {
    const tables = ['member', 'account', 'audit_log', 'specialty'];
    const counts = tables.map((t) => count(target, t));
    const r = move(src, target.url, target.key);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /refused: the target is not a new database: table \w+ holds \d+ rows.*nothing was written/);
    assert.deepEqual(tables.map((t) => count(target, t)), counts);
  });
});

describe('refusals', () => {
  let src;
  before(() => { src = sqliteInstall('small', ['demo', '--base']); });

  test('a target made by baodao init (an admin account) is refused, nothing written', () => {
    const t = pgTarget();
    const pw = join(dir, 'admin-password');
    ok(baodao(['init', '--db', t.url, '--admin-password-file', pw], { BAODAO_KEY: t.key }), 'init on PostgreSQL');
    const audit = count(t, 'audit_log');
    rmSync(t.key);
    const r = move(src, t.url, t.key);
    assert.equal(r.status, 1);
    // The first table found holding rows (in key order) is named: the admin account, or the audit entry of its creation.
    assert.match(r.stderr, /table (account holds 1|audit_log holds [12]) rows \(a new one holds 0\)/);
    assert.equal(count(t, 'account'), 1);
    assert.equal(count(t, 'audit_log'), audit);
    assert.equal(count(t, 'region'), 0);
    assert.ok(!existsSync(t.key), 'no key written');
  });

  test('a seeded row changed on the target is refused', () => {
    const t = pgTarget();
    ok(baodao(['migrate', '--db', t.url], { BAODAO_KEY: `${src}.key` }), 'migrate');
    psql(t.name, "UPDATE specialty SET sort = sort + 100 WHERE sort = 1");
    const r = move(src, t.url, t.key);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /the rows of table specialty were changed/);
    assert.equal(count(t, 'region'), 0);
  });

  test('a target with a table of its own is refused', () => {
    const t = pgTarget();
    ok(baodao(['migrate', '--db', t.url], { BAODAO_KEY: `${src}.key` }), 'migrate');
    psql(t.name, 'CREATE TABLE extra_things (x bigint)');
    const r = move(src, t.url, t.key);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /the target has a table the source has not: extra_things/);
    assert.equal(count(t, 'region'), 0);
  });

  test('a freshly migrated target (only the seeds) is taken: the source\'s seeds replace them', () => {
    const t = pgTarget();
    ok(baodao(['migrate', '--db', t.url], { BAODAO_KEY: `${src}.key` }), 'migrate');
    ok(move(src, t.url, t.key), 'move');
    assert.equal(count(t, 'specialty'), Number(sqlite(src, 'SELECT count(*) FROM specialty')));
    assert.equal(count(t, 'region'), Number(sqlite(src, 'SELECT count(*) FROM region')));
  });

  test('another key already at the target\'s key path is refused before anything is written', () => {
    const t = pgTarget();
    writeFileSync(t.key, Buffer.alloc(32, 7), { mode: 0o600 });
    const r = move(src, t.url, t.key);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /holds another key than the source's/);
    assert.equal(psql(t.name, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'").trim(), '0');
    assert.deepEqual(readFileSync(t.key), Buffer.alloc(32, 7));
  });

  test('a missing source file is refused, and not created', () => {
    const t = pgTarget();
    const missing = join(dir, 'nope.db');
    const r = move(missing, t.url, t.key);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /cannot read the source .*nope\.db/);
    assert.ok(!existsSync(missing) && !existsSync(t.key));
  });

  test('a bad address is refused', () => {
    const key = join(dir, 'bad.key');
    let r = move(src, 'mysql://localhost/x', key);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--to must be a PostgreSQL address/);
    r = move(src, `${pgUrl('no_such_database_here')}`, key);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no_such_database_here/);
    r = baodao(['move-to-postgres', '--to', pgUrl('x')]);
    assert.equal(r.status, 2);
    assert.ok(!existsSync(key), 'no key written');
  });

  test('--help says what it does', () => {
    const r = baodao(['move-to-postgres', '--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /usage: baodao move-to-postgres --from FILE\.db --to postgres:/);
    assert.match(ok(baodao(['--help']), 'help'), /move-to-postgres/);
  });
});

describe('a generated city of 50,000 member files', () => {
  let src, target, out;
  before(() => {
    src = sqliteInstall('city', ['generate', '--members', '50000', '--units', '300', '--records', '5000']);
    target = pgTarget();
    out = move(src, target.url, target.key);
  }, { timeout: 600_000 });

  test('moves and verifies', () => {
    assert.equal(out.status, 0, out.stderr);
    for (const t of ['member', 'registration', 'account', 'audit_log', 'record', 'ledger_entry', 'roster_entry'])
      assert.equal(count(target, t), Number(sqlite(src, `SELECT count(*) FROM ${t}`)), t);
    assert.equal(count(target, 'member'), 50000);
    ok(baodao(['audit', 'verify', '--db', target.url], { BAODAO_KEY: target.key }), 'audit');
    ok(baodao(['ledger', 'verify', '--db', target.url], { BAODAO_KEY: target.key }), 'ledger');
  });

  test('the bench accounts read the same on both sides', async () => {
    const a = await serve(src);
    const b = await serve(target.url, target.key);
    try {
      const reads = async (srv) => {
        const city = await loginAs(srv, 'bench-org-city');
        const staff = await loginAs(srv, 'bench-staff');
        return {
          city: (await json(city, '/api/v1/members?per_page=50')).items.map((m) => [m.id, m.name, m.state]),
          cityTotal: (await json(city, '/api/v1/members?per_page=1')).total,
          street: (await json(city, `/api/v1/stats/regions/${SANYUANLI}/children`)).items,
          staff: (await json(staff, '/api/v1/members?per_page=100')).items.map((m) => m.id),
          standings: (await json(staff, `/api/v1/standings?region=${SHILIUQIAO}`)).items,
        };
      };
      const [ra, rb] = [await reads(a), await reads(b)];
      assert.equal(ra.cityTotal, 50000);
      assert.deepEqual(rb, ra);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
