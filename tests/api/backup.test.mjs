// backup.test.mjs: `baodao backup` of a large database finishes while clients keep writing, and the copy is whole
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, BIN, ROOT, ENGINE, dbEnv, dbQuery } from '../lib/server.mjs';
import { pgRestore } from '../lib/pg.mjs';
import { loginAs, SHILIUQIAO } from './helpers.mjs';

let srv, staff, backup;
const agreement = (i) => ({
  unit_id: 2, community_code: SHILIUQIAO, starts_on: '2026-01-01', ends_on: '2027-12-31', status: 'signed',
  commitments: [`备份期间的承诺 ${i}`],
});
const sql = dbQuery;
const PG = ENGINE === 'postgres';

before(async () => {
  srv = await startServer();
  staff = await loginAs(srv, 'staff');
  // 150 MB, written in one go beside the running server (a second): a copy of a few pages per step
  // starts over whenever a write lands between two steps, and under this load never finished.
  if (PG) {
    sql(srv.db, `CREATE TABLE filler (b bytea);
      INSERT INTO filler SELECT decode(repeat(md5(random()::text), 62), 'hex') FROM generate_series(1, 150000)`);
    assert.ok(Number(sql(srv.db, 'SELECT pg_database_size(current_database())')) > 150e6);
  } else {
    sql(srv.db, `CREATE TABLE filler (b BLOB);
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150000)
      INSERT INTO filler SELECT randomblob(1000) FROM n;`);
    assert.ok(Number(sql(srv.db, 'PRAGMA page_count')) * 4096 > 150e6);
  }
});
after(async () => {
  if (backup?.exitCode === null) backup.kill();
  await srv?.stop();
});

test('a backup under a steady write load exits 0; the copy passes integrity_check and audit verify and has every acknowledged write', { timeout: 60000 }, async () => {
  const acknowledged = [];
  for (let i = 0; i < 10; i++) {
    const r = await staff.post('/api/v1/agreements', agreement(i));
    assert.equal(r.status, 201, r.text);
    acknowledged.push(r.json.id);
  }
  // Two clients writing without a pause until the backup is over.
  let backingUp = true, during = 0, refused = null;
  const write = async (k) => {
    for (let i = 0; backingUp && !refused; i++) {
      const r = await staff.post('/api/v1/agreements', agreement(`${k}-${i}`));
      if (r.status === 201) during++;
      else refused = r;
    }
  };
  const writers = Promise.all([write(1), write(2)]);
  const file = join(srv.dir, 'under-load.db');
  backup = spawn(BIN, ['backup', file, '--db', srv.db], { cwd: ROOT, env: dbEnv(srv.db), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  backup.stdout.on('data', (d) => { out += d; });
  backup.stderr.on('data', (d) => { out += d; });
  const [code] = await once(backup, 'exit');
  const duringBackup = during;
  backingUp = false;
  await writers;
  assert.equal(code, 0, out);
  assert.equal(refused, null, `a write during the backup was refused: ${refused?.status} ${refused?.text}`);
  assert.ok(duringBackup > 0, 'the server kept acknowledging writes while the backup ran');

  assert.equal(statSync(file).mode & 0o777, 0o600);
  // PostgreSQL's backup is pg_dump's archive: whole when pg_restore takes it into a new database.
  const copy = PG ? pgRestore(file) : file;
  if (!PG) assert.equal(sql(copy, 'PRAGMA integrity_check'), 'ok');
  const verify = execFileSync(BIN, ['audit', 'verify', '--db', copy], { cwd: ROOT, env: dbEnv(srv.db), encoding: 'utf8' });
  assert.match(verify, /^ok: \d+ entries, chain intact/);
  const copied = new Set(sql(copy, 'SELECT id FROM agreement').split('\n').map(Number));
  for (const id of acknowledged) assert.ok(copied.has(id), `agreement ${id} acknowledged before the backup is in the copy`);
  assert.equal(Number(sql(copy, 'SELECT COUNT(*) FROM filler')), 150000);
});
