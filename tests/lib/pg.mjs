// pg.mjs: a real PostgreSQL 15 server for tests (Debian postgresql-15): initdb into a temporary folder, started by
// pg_ctl on a Unix socket in that folder (no TCP port), stopped when the process exits. BAODAO_PG_HOST (its socket
// folder) reuses a server already running, so that the test files of one
// `make check` share one cluster and each only creates its databases.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

const USER = 'baodao';
let server;

// The folder of PostgreSQL 15's programs.
export function pgBin() {
  const dir = '/usr/lib/postgresql/15/bin';
  if (!existsSync(join(dir, 'initdb'))) throw new Error('PostgreSQL 15 is not installed (sh scripts/deps.sh check)');
  return dir;
}

// Runs a PostgreSQL program as the user who owns the cluster (postgres refuses to run as root).
function run(prog, args, opts = {}) {
  const bin = join(pgBin(), prog);
  const root = userInfo().uid === 0;
  return execFileSync(root ? 'runuser' : bin, root ? ['-u', 'postgres', '--', bin, ...args] : args,
    { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...opts });
}

function start() {
  const dir = mkdtempSync(join(tmpdir(), 'baodao-pg-'));
  if (userInfo().uid === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', USER, '-E', 'UTF8', '--locale=C.UTF-8']);
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o',
    `-k ${dir} -c listen_addresses='' -c max_connections=200 -c fsync=on`, 'start']);
  process.on('exit', () => {
    try { run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']); } catch { /* already stopped */ }
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

// The socket folder of the tests' server, started on first use unless BAODAO_PG_HOST names one.
export function pgHost() {
  if (process.env.BAODAO_PG_HOST) return process.env.BAODAO_PG_HOST;
  server ??= start();
  return server;
}

// The connection address baodao takes (--db) for database name on the tests' server.
export function pgUrl(name) {
  return `postgres:///${name}?host=${encodeURIComponent(pgHost())}&user=${USER}`;
}

// Runs sql with psql on database name (stops at the first error); returns its unaligned output, rows by line.
export function psql(name, sql) {
  return execFileSync(join(pgBin(), 'psql'), ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', pgHost(),
    '-U', USER, '-d', name, '-c', sql], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

// Runs the SQL file at path on database name in one transaction (psql -1: all of it or none), stopping at the
// first error (thrown with psql's message); returns its unaligned output.
export function psqlFile(name, path) {
  return execFileSync(join(pgBin(), 'psql'), ['-X', '-q', '-A', '-t', '-1', '-v', 'ON_ERROR_STOP=1', '-h', pgHost(),
    '-U', USER, '-d', name, '-f', path], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

let made = 0;
// Creates a new empty database with a name no other test process uses; returns its name.
export function pgCreateDatabase(prefix = 't') {
  const name = `${prefix}_${process.pid}_${++made}_${Date.now().toString(36)}`;
  psql('postgres', `CREATE DATABASE ${name}`);
  return name;
}

// Restores a `baodao backup` archive (pg_dump's custom format) into a new database; returns its address.
export function pgRestore(file) {
  const name = pgCreateDatabase('restored');
  execFileSync(join(pgBin(), 'pg_restore'), ['--no-owner', '--exit-on-error', '-h', pgHost(), '-U', USER, '-d', name, file],
    { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  return pgUrl(name);
}

// Drops database name (its connections closed first).
export function pgDropDatabase(name) {
  psql('postgres', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
