// audit.test.mjs: every write is in the hash-chained audit log; tampering is detected
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, Client, cli, dbEnv, dbQuery, ENGINE } from '../lib/server.mjs';
import { pgRestore } from '../lib/pg.mjs';
import { assertProblem, loginAs, unitBody, addUser, uniq, SHILIUQIAO, SANYANJING, FEIE } from './helpers.mjs';

let srv; let admin; let org; let staff;
let adminId; let staffId;
let unitA; let unitB; let grid; let backup;

const sql = dbQuery;

function verify(db) {
  try {
    const out = cli(db, ['audit', 'verify'], { env: dbEnv(srv.db) });
    return { code: 0, out };
  } catch (e) {
    return { code: e.status, out: String(e.stdout) + String(e.stderr) };
  }
}

async function entries(c, qs) {
  const r = await c.get('/api/v1/audit?per_page=100' + (qs ? '&' + qs : ''));
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

before(async () => {
  srv = await startServer();
  admin = await loginAs(srv, 'admin');
  org = await loginAs(srv, 'org');
  staff = await loginAs(srv, 'staff');
  adminId = (await admin.get('/api/v1/me')).json.id;
  staffId = (await staff.get('/api/v1/me')).json.id;
  unitA = (await admin.post('/api/v1/units', unitBody({ region_code: SHILIUQIAO }))).json;
  unitB = (await admin.post('/api/v1/units', unitBody({ region_code: SANYANJING }))).json;
  assert.equal((await admin.put(`/api/v1/units/${unitA.id}`, unitBody({ name: unitA.name, contact_name: '改' }))).status, 200);
  grid = (await staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: uniq('网格') })).json;
  assert.equal((await staff.patch(`/api/v1/regions/${grid.code}`, { name: uniq('改名') })).status, 200);
});
after(async () => { await srv?.stop(); });

describe('entries', () => {
  test('entry shape', async () => {
    const items = await entries(admin);
    assert.ok(items.length > 0);
    for (const e of items) {
      for (const k of ['id', 'at', 'account_id', 'account_login', 'action', 'target_type', 'target_id', 'outcome', 'client_addr']) {
        assert.ok(k in e, `${k} in ${JSON.stringify(e)}`);
      }
      assert.ok(['ok', 'denied', 'failed'].includes(e.outcome), e.outcome);
      assert.equal(typeof e.at, 'number');
    }
  });

  test('entries name who acted and what they touched, not only their ids', async () => {
    const created = (await entries(admin, 'action=unit.create')).find((x) => x.target_id === String(unitA.id));
    assert.equal(created.target_name, unitA.name);
    assert.equal(created.account_name, (await admin.get('/api/v1/me')).json.name);
    const renamed = (await entries(admin, `action=region.rename&target_id=${grid.code}`));
    assert.equal(renamed.length, 1);
    assert.equal(renamed[0].target_name, (await staff.get(`/api/v1/regions/${grid.code}`)).json.name);
    assert.equal(renamed[0].account_name, '石榴桥社区党委 李社工');
    const m = await staff.post('/api/v1/members', { name: '审计名', phone: '13711112222', id_number: '440104198808080031',
      community_code: SHILIUQIAO });
    assert.equal(m.status, 201, m.text);
    const reg = (await entries(admin, 'target_type=registration')).find((x) => x.action === 'registration.approved');
    assert.equal(reg.target_name, '审计名');
    const file = (await entries(admin, `action=member.create&target_id=${m.json.member.id}`));
    assert.equal(file[0].target_name, '审计名');
  });

  test('newest first', async () => {
    const ids = (await entries(admin)).map((e) => e.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
  });

  test('login is logged with account, action, outcome, address', async () => {
    const e = (await entries(admin, 'action=session.login')).find((x) => x.account_login === 'staff');
    assert.ok(e, 'staff login entry');
    assert.equal(e.account_id, staffId);
    assert.equal(e.outcome, 'ok');
    assert.equal(e.client_addr, '127.0.0.1');
    assert.ok(Math.abs(e.at - Date.now() / 1000) < 300, `at ${e.at}`);
  });

  test('unit.create and unit.update name the account and the unit', async () => {
    const c = (await entries(admin, 'action=unit.create')).find((x) => String(x.target_id) === String(unitA.id));
    assert.ok(c, 'unit.create entry for unitA');
    assert.equal(c.account_login, 'admin');
    assert.equal(c.account_id, adminId);
    assert.equal(c.target_type, 'unit');
    assert.equal(c.outcome, 'ok');
    const u = (await entries(admin, 'action=unit.update')).find((x) => String(x.target_id) === String(unitA.id));
    assert.ok(u, 'unit.update entry');
    assert.equal(u.account_login, 'admin');
    assert.ok(u.id > c.id);
  });

  test('region.create / region.rename / region.delete name the staff account and the region', async () => {
    const c = (await entries(admin, 'action=region.create')).find((x) => String(x.target_id) === grid.code);
    assert.ok(c, 'region.create entry');
    assert.equal(c.account_login, 'staff');
    assert.equal(c.target_type, 'region');
    assert.ok((await entries(admin, 'action=region.rename')).some((x) => String(x.target_id) === grid.code && x.account_login === 'staff'));
    const g2 = (await staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: uniq('网格') })).json;
    assert.equal((await staff.del(`/api/v1/regions/${g2.code}`)).status, 204);
    assert.ok((await entries(admin, 'action=region.delete')).some((x) => String(x.target_id) === g2.code && x.outcome === 'ok'));
  });

  test('password change and logout are logged', async () => {
    const m = await loginAs(srv, 'member');
    assertProblem(await m.put('/api/v1/me/password', { old_password: 'wrong-wrong-wrong', new_password: 'Whatever-long-1' }), 422, 'validation');
    assert.equal((await m.put('/api/v1/me/password', { old_password: 'Demo-baodao-2026', new_password: 'Member-new-pass-1' })).status, 204);
    assert.equal((await m.del('/api/v1/session')).status, 204);
    assert.ok((await entries(admin, 'action=account.password')).some((x) => x.account_login === 'member' && x.outcome === 'ok'));
    assert.ok((await entries(admin, 'action=session.logout')).some((x) => x.account_login === 'member'));
  });

  test('a failed login is logged with outcome failed', async () => {
    const before = (await entries(admin, 'action=session.login')).filter((x) => x.outcome === 'failed').length;
    assertProblem(await new Client(srv.url).post('/api/v1/session', { login: 'resident', password: 'not-the-password' }), 401, 'bad_credentials');
    const after = (await entries(admin, 'action=session.login')).filter((x) => x.outcome === 'failed').length;
    assert.equal(after, before + 1);
  });

  test('a write refused by authorization is logged with outcome denied', async () => {
    assertProblem(await staff.post(`/api/v1/regions/${FEIE}/children`, { name: uniq('越权') }), 403, 'forbidden');
    const e = (await entries(admin)).find((x) => x.account_login === 'staff' && x.outcome === 'denied');
    assert.ok(e, 'denied entry for staff');
    assert.equal(e.action, 'region.create');
  });

  test('CLI writes are logged: account.create, demo.load, regions.import', async () => {
    addUser(srv, uniq('auditee'), 'member', { region: SHILIUQIAO });
    assert.ok((await entries(admin, 'action=account.create')).length >= 1);
    assert.ok((await entries(admin, 'action=demo.load')).length >= 1);
    assert.ok((await entries(admin, 'action=regions.import')).length >= 1);
  });

  test('filters: action, target_type, from/to, paging', async () => {
    const creates = await entries(admin, 'action=unit.create');
    assert.ok(creates.length >= 2);
    for (const e of creates) assert.equal(e.action, 'unit.create');
    const units = await entries(admin, 'target_type=unit');
    assert.ok(units.length >= 3);
    for (const e of units) assert.equal(e.target_type, 'unit');
    const now = Math.floor(Date.now() / 1000);
    const future = await admin.get(`/api/v1/audit?from=${now + 86400}`);
    assert.equal(future.json.total, 0);
    assert.deepEqual(future.json.items, []);
    const past = await admin.get('/api/v1/audit?to=1000');
    assert.equal(past.json.total, 0);
    const all = await admin.get(`/api/v1/audit?from=${now - 86400}&to=${now + 86400}&per_page=2`);
    assert.equal(all.json.items.length, 2);
    assert.equal(all.json.per_page, 2);
    assert.ok(all.json.total > 2);
    const p2 = await admin.get(`/api/v1/audit?from=${now - 86400}&to=${now + 86400}&per_page=2&page=2`);
    assert.ok(p2.json.items[0].id < all.json.items[1].id, 'page 2 continues page 1');
  });

  test('account filter: by login, and by id', async () => {
    const byLogin = await admin.get('/api/v1/audit?account=staff&per_page=100');
    const byId = await admin.get(`/api/v1/audit?account_id=${staffId}&per_page=100`);
    for (const r of [byLogin, byId]) {
      assert.equal(r.status, 200, r.text);
      assert.ok(r.json.items.length > 0, 'the staff account has entries');
      for (const e of r.json.items) assert.equal(e.account_id, staffId);
    }
    assert.deepEqual(byId.json.items.map((e) => e.id), byLogin.json.items.map((e) => e.id));
    const none = await admin.get('/api/v1/audit?account=no-such-login');
    assert.equal(none.json.total, 0);
  });

  test('org sees entries whose target is in its street, not others', async () => {
    const items = await entries(org, 'action=unit.create');
    assert.ok(items.some((x) => String(x.target_id) === String(unitA.id)), 'unit in 石榴桥');
    assert.ok(!items.some((x) => String(x.target_id) === String(unitB.id)), 'unit in 越秀区 hidden');
  });

  test('org sees region entries in its street, not those of another district', async () => {
    const far = (await admin.post(`/api/v1/regions/${SANYANJING}/children`, { name: uniq('越秀网格') })).json;
    const items = await entries(org, 'action=region.create');
    assert.ok(items.some((x) => String(x.target_id) === grid.code), 'grid in 石榴桥 visible');
    assert.ok(!items.some((x) => String(x.target_id) === far.code), 'grid in 越秀区 hidden');
    const all = await entries(org);
    for (const e of all) {
      if (e.target_type === 'region') assert.ok(String(e.target_id).startsWith('440111002'), JSON.stringify(e));
    }
  });

  test('bad filters → 400 bad_query', async () => {
    assertProblem(await admin.get('/api/v1/audit?from=yesterday'), 400, 'bad_query');
    assertProblem(await admin.get('/api/v1/audit?per_page=1000'), 400, 'bad_query');
    assertProblem(await admin.get('/api/v1/audit?page=0'), 400, 'bad_query');
  });

  test('there is no API to change or delete audit entries', async () => {
    const id = (await entries(admin))[0].id;
    for (const m of ['put', 'patch']) {
      const r = await admin[m](`/api/v1/audit/${id}`, { action: 'x' });
      assert.ok([404, 405].includes(r.status), `${m} ${r.status}`);
    }
    assert.ok([404, 405].includes((await admin.del(`/api/v1/audit/${id}`)).status));
    assert.ok([405].includes((await admin.del('/api/v1/audit')).status));
  });
});

describe('concurrent writes', () => {
  test('40 simultaneous writes: each logged once, the chain stays intact', async () => {
    const before = (await admin.get('/api/v1/audit?per_page=1')).json.total;
    const jobs = [];
    for (let i = 0; i < 20; i++) jobs.push(admin.post('/api/v1/units', unitBody()));
    for (let i = 0; i < 20; i++) jobs.push(staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: uniq('并发') }));
    const rs = await Promise.all(jobs);
    assert.deepEqual([...new Set(rs.map((r) => r.status))], [201]);
    const after = (await admin.get('/api/v1/audit?per_page=1')).json.total;
    assert.equal(after - before, 40);
    const v = verify(srv.db);
    assert.equal(v.code, 0, v.out);
  });
});

describe('audit verify', () => {
  test('ok after the writes (server running); a backup taken now is intact too', () => {
    const v = verify(srv.db);
    assert.equal(v.code, 0, v.out);
    assert.match(v.out, /\bok\b/);
    backup = join(srv.dir, 'backup.db');
    srv.cli(['backup', backup]);
    assert.ok(existsSync(backup));
  });

  test('fails after an entry is edited, passes again when the edit is undone', async () => {
    srv.child.kill('SIGTERM');
    await once(srv.child, 'exit');
    const orig = sql(srv.db, 'SELECT action FROM audit_log WHERE id=2');
    assert.ok(orig.length > 0, 'row 2 exists');
    sql(srv.db, "UPDATE audit_log SET action='x' WHERE id=2");
    const bad = verify(srv.db);
    assert.notEqual(bad.code, 0, bad.out);
    assert.doesNotMatch(bad.out, /^ok\s*$/);
    sql(srv.db, `UPDATE audit_log SET action='${orig.replace(/'/g, "''")}' WHERE id=2`);
    assert.equal(verify(srv.db).code, 0, 'restored');
  });

  test('fails after the last entry is deleted', () => {
    sql(srv.db, 'DELETE FROM audit_log WHERE id=(SELECT max(id) FROM audit_log)');
    const bad = verify(srv.db);
    assert.notEqual(bad.code, 0, bad.out);
  });

  test('on a backup copy: intact, then fails after a row in the middle is deleted', () => {
    // PostgreSQL's backup is pg_dump's archive: restored into a new database, checked there.
    if (ENGINE === 'postgres') backup = pgRestore(backup);
    const v = verify(backup);
    assert.equal(v.code, 0, v.out);
    sql(backup, 'DELETE FROM audit_log WHERE id=3');
    const bad = verify(backup);
    assert.notEqual(bad.code, 0, bad.out);
  });
});
