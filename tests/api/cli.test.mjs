// cli.test.mjs: the baodao command line (user, backup, migrate, audit verify, help) against a running server
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, existsSync, statSync, chmodSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, Client, cli, dbEnv, ENGINE, dbQuery, keyOf, restoredBackup, DEMO_PASSWORD, ADMIN_PASSWORD } from '../lib/server.mjs';
import { assertProblem, loginAs, addUser, uniq, serveExtra, SHILIUQIAO, SANYUANLI } from './helpers.mjs';

let srv; let admin;
const PG = ENGINE === 'postgres';

// Runs the CLI; never throws. Returns {code, out, err}.
function run(args, db = srv.db) {
  try {
    return { code: 0, out: cli(db, args), err: '' };
  } catch (e) {
    return { code: e.status ?? -1, out: String(e.stdout ?? ''), err: String(e.stderr ?? '') };
  }
}

function pwFile(pw) {
  const f = join(srv.dir, `pw-${uniq('f')}`);
  writeFileSync(f, pw + '\n', { mode: 0o600 });
  return f;
}

async function canLogin(login, password) {
  const r = await new Client(srv.url).post('/api/v1/session', { login, password });
  return r.status === 200;
}

function listed(login) {
  const r = run(['user', 'list']);
  assert.equal(r.code, 0, r.err);
  return r.out.split('\n').some((l) => l.split(/\s+/).includes(login));
}

before(async () => {
  srv = await startServer();
  admin = await loginAs(srv, 'admin');
});
after(async () => { await srv?.stop(); });

describe('help and usage', () => {
  for (const sub of [[], ['init'], ['serve'], ['migrate'], ['backup'], ['user'], ['user', 'add'], ['audit'], ['ledger'], ['expire'], ['stats'], ['quiet'], ['regions'], ['demo'], ['move-to-postgres']]) {
    test(`baodao ${sub.join(' ')} --help exits 0 with a usage text`, () => {
      const r = run([...sub, '--help']);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out + r.err, /usage/i);
    });
  }
  test('an unknown command exits non-zero', () => {
    const r = run(['no-such-command']);
    assert.notEqual(r.code, 0);
  });
});

describe('user add', () => {
  test('with --password-file: the account can log in with its role, region, name and phone', async () => {
    const login = uniq('cli').replace('号', '');
    const r = run(['user', 'add', login, '--role', 'staff', '--region', SHILIUQIAO, '--name', '命令行社工', '--phone', '13700000123',
      '--password-file', pwFile('Cli-password-12345')]);
    assert.equal(r.code, 0, r.err);
    const c = new Client(srv.url);
    const me = await c.login(login, 'Cli-password-12345');
    assert.equal(me.name, '命令行社工');
    assert.equal(me.phone, '13700000123');
    assert.equal(me.roles[0].role, 'staff');
    assert.equal(me.roles[0].region.code, SHILIUQIAO);
    assert.equal((await new Client(srv.url).post('/api/v1/session', { login: '13700000123', password: 'Cli-password-12345' })).status, 200);
    assert.ok(listed(login));
  });

  test('without --password-file: a generated password is printed and works', async () => {
    const login = uniq('gen').replace('号', '');
    const r = run(['user', 'add', login, '--role', 'member', '--region', SHILIUQIAO]);
    assert.equal(r.code, 0, r.err);
    const line = (r.out + '\n' + r.err).split('\n').find((l) => /password/i.test(l));
    assert.ok(line, r.out);
    const candidates = line.split(/\s+/).filter((t) => t.length >= 12);
    assert.ok(candidates.length > 0, line);
    assert.ok(await canLogin(login, candidates[candidates.length - 1]), `logs in with the printed password (${line})`);
  });

  test('a login that exists → non-zero, the existing account is untouched', async () => {
    const r = run(['user', 'add', 'staff', '--role', 'member', '--region', SHILIUQIAO, '--password-file', pwFile('Other-password-123')]);
    assert.notEqual(r.code, 0);
    assert.ok(await canLogin('staff', DEMO_PASSWORD));
    assert.ok(!(await canLogin('staff', 'Other-password-123')));
    const me = (await (await loginAs(srv, 'staff')).get('/api/v1/me')).json;
    assert.deepEqual(me.roles.map((x) => x.role), ['staff']);
  });

  for (const [what, args] of [
    ['an unknown role', ['--role', 'king']],
    ['a region that does not exist', ['--role', 'staff', '--region', '440111002099']],
    ['a password under 12 characters', ['--role', 'member', '--region', SHILIUQIAO, '--password-file', 'SHORT']],
    ['a unit that does not exist', ['--role', 'unit', '--unit', '987654']],
  ]) {
    test(`${what} → non-zero, no account`, () => {
      const login = uniq('bad').replace('号', '');
      const a = args.map((x) => (x === 'SHORT' ? pwFile('short-11chr') : x));
      if (!a.includes('--password-file')) a.push('--password-file', pwFile('Good-password-123'));
      const r = run(['user', 'add', login, ...a]);
      assert.notEqual(r.code, 0, r.out);
      assert.ok(r.err.length > 0, 'says why on stderr');
      assert.ok(!listed(login));
    });
  }
});

describe('user passwd and user role', () => {
  test('passwd: new password works, old one does not, the account\'s sessions end', async () => {
    addUser(srv, 'pwuser', 'member', { region: SHILIUQIAO });
    const c = await loginAs(srv, 'pwuser');
    const r = run(['user', 'passwd', 'pwuser', '--password-file', pwFile('Brand-new-password-1')]);
    assert.equal(r.code, 0, r.err);
    assert.ok(await canLogin('pwuser', 'Brand-new-password-1'));
    assert.ok(!(await canLogin('pwuser', DEMO_PASSWORD)));
    assertProblem(await c.get('/api/v1/me'), 401, 'unauthenticated');
  });

  test('passwd for a login that does not exist → non-zero', () => {
    assert.notEqual(run(['user', 'passwd', 'nobody-here', '--password-file', pwFile('Brand-new-password-1')]).code, 0);
  });

  test('role --add org: the account gains org rights; --remove takes them away again', async () => {
    addUser(srv, 'roleuser', 'staff', { region: SHILIUQIAO });
    let c = await loginAs(srv, 'roleuser');
    assertProblem(await c.get('/api/v1/audit'), 403, 'forbidden');
    assert.equal(run(['user', 'role', 'roleuser', '--add', 'org', '--region', SANYUANLI]).code, 0);
    c = await loginAs(srv, 'roleuser');
    const me = (await c.get('/api/v1/me')).json;
    assert.deepEqual(me.roles.map((x) => x.role).sort(), ['org', 'staff']);
    assert.equal(me.roles.find((x) => x.role === 'org').region.code, SANYUANLI);
    assert.equal((await c.get('/api/v1/audit')).status, 200);
    assert.equal(run(['user', 'role', 'roleuser', '--remove', 'org']).code, 0);
    c = await loginAs(srv, 'roleuser');
    assert.deepEqual((await c.get('/api/v1/me')).json.roles.map((x) => x.role), ['staff']);
    assertProblem(await c.get('/api/v1/audit'), 403, 'forbidden');
  });

  test('role changes by the command line reach a session already open on its very next request', async () => {
    addUser(srv, 'liveroles', 'staff', { region: SHILIUQIAO });
    const c = await loginAs(srv, 'liveroles');
    // Several reads first, so that whatever the server keeps between requests is warm.
    for (let i = 0; i < 5; i++) assertProblem(await c.get('/api/v1/audit'), 403, 'forbidden');
    assert.equal(run(['user', 'role', 'liveroles', '--add', 'org', '--region', SANYUANLI]).code, 0);
    assert.equal((await c.get('/api/v1/audit')).status, 200);
    assert.deepEqual((await c.get('/api/v1/me')).json.roles.map((x) => x.role).sort(), ['org', 'staff']);
    for (let i = 0; i < 5; i++) assert.equal((await c.get('/api/v1/audit')).status, 200);
    assert.equal(run(['user', 'role', 'liveroles', '--remove', 'org']).code, 0);
    assertProblem(await c.get('/api/v1/audit'), 403, 'forbidden');
    assert.deepEqual((await c.get('/api/v1/me')).json.roles.map((x) => x.role), ['staff']);
  });

  test('user list names every demo account', () => {
    for (const l of ['admin', 'org', 'staff', 'unit', 'member', 'resident']) assert.ok(listed(l), l);
  });
});

describe('migrate, backup, init, audit verify', () => {
  test('migrate on an up-to-date database exits 0, twice, and changes nothing', async () => {
    const before = (await admin.get('/api/v1/units?per_page=1')).json.total;
    assert.equal(run(['migrate']).code, 0);
    assert.equal(run(['migrate']).code, 0);
    assert.equal((await admin.get('/api/v1/units?per_page=1')).json.total, before);
    assert.ok(await canLogin('org', DEMO_PASSWORD));
  });

  test('backup FILE: a consistent copy whose audit chain verifies and which lists the same accounts', () => {
    const file = join(srv.dir, 'copy.db');
    const r = run(['backup', file]);
    assert.equal(r.code, 0, r.err);
    assert.ok(existsSync(file));
    const copy = restoredBackup(srv.db, file);
    const v = run(['audit', 'verify'], copy);
    assert.equal(v.code, 0, v.err);
    assert.match(v.out, /\bok\b/);
    assert.equal(run(['user', 'list'], copy).out, run(['user', 'list']).out);
  });

  test('init on an existing database refuses and destroys nothing', async () => {
    const units = (await admin.get('/api/v1/units?per_page=1')).json.total;
    const r = run(['init', '--admin-password-file', pwFile('Another-admin-pass-1')]);
    assert.notEqual(r.code, 0, r.out);
    assert.equal((await admin.get('/api/v1/units?per_page=1')).json.total, units);
    assert.ok(await canLogin('admin', ADMIN_PASSWORD));
    assert.ok(!(await canLogin('admin', 'Another-admin-pass-1')));
  });

  test('audit verify on a database that does not exist → non-zero', () => {
    assert.notEqual(run(['audit', 'verify'], join(srv.dir, 'nope', 'none.db')).code, 0);
  });

  test('the database and its key are readable by the owner only (docs/security.md)', () => {
    // A PostgreSQL database is the server's to guard: its key file is ours.
    for (const f of PG ? [keyOf(srv.db)] : [srv.db, keyOf(srv.db)]) {
      assert.ok(existsSync(f), f);
      assert.equal(statSync(f).mode & 0o077, 0, `${f} mode ${(statSync(f).mode & 0o777).toString(8)}`);
    }
    assert.equal(statSync(keyOf(srv.db)).size, 32);
  });

  test('serve refuses a key that others can read, and a missing key', async () => {
    assert.equal(run(['backup', join(srv.dir, 'keytest.db')]).code, 0);
    const copy = restoredBackup(srv.db, join(srv.dir, 'keytest.db'));
    const key = PG ? join(srv.dir, 'keytest.key') : keyOf(copy);
    if (PG) copyFileSync(keyOf(srv.db), key);
    const env = PG ? { ...dbEnv(srv.db), BAODAO_KEY: key } : dbEnv(copy);
    chmodSync(key, 0o644);
    await assert.rejects(async () => { const s = await serveExtra(copy, [], env); await s.stop(); }, /exited/);
    chmodSync(key, 0o600);
    const ok = await serveExtra(copy, [], env);
    assert.equal((await fetch(ok.url + '/healthz')).status, 200);
    await ok.stop();
    const nokey = PG ? copy : join(srv.dir, 'nokey.db');
    if (!PG) copyFileSync(copy, nokey);
    await assert.rejects(async () => {
      const s = await serveExtra(nokey, [], PG ? { ...env, BAODAO_KEY: join(srv.dir, 'none.key') } : dbEnv(nokey));
      await s.stop();
    }, /exited/);
  });

  test('serve refuses a database written by a newer baodao', async () => {
    const file = join(srv.dir, 'newer.db');
    assert.equal(run(['backup', file]).code, 0);
    const copy = restoredBackup(srv.db, file);
    dbQuery(copy, "INSERT INTO schema_version (version, name, applied_at) VALUES (999, '999_future', 0)");
    await assert.rejects(async () => { const s = await serveExtra(copy); await s.stop(); }, /exited/);
    assert.notEqual(run(['migrate'], copy).code, 0, 'migrate refuses too');
  });

  test('audit verify after all of the above → ok', () => {
    const v = run(['audit', 'verify']);
    assert.equal(v.code, 0, v.err);
    assert.match(v.out, /\bok\b/);
  });
});
