// pg.mjs: a real PostgreSQL 15 server for tests (Debian postgresql-15): initdb into a temporary folder, started by
// pg_ctl on a Unix socket in that folder (no TCP port), stopped when the process exits. BAODAO_PG_HOST (its socket
// folder) reuses a server already running, so that the test files of one
// `make check` share one cluster and each only creates its databases. pgCluster starts extra clusters of a test's
// own (a primary and its replica).
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

// Every row of database name as pg_dump writes them out (plain SQL).
export function pgDump(name) {
  return execFileSync(join(pgBin(), 'pg_dump'), ['--data-only', '-h', pgHost(), '-U', USER, '-d', name],
    { encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['pipe', 'pipe', 'pipe'] });
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

// Runs a PostgreSQL 15 program (by name, from pgBin()) as the clusters' owner; returns its output.
export function pgRun(prog, args, opts = {}) {
  return run(prog, args, opts);
}

// Runs a command (a script) as the clusters' owner: postgres when we are root; returns its output.
export function asPgOwner(cmd, args, opts = {}) {
  const root = userInfo().uid === 0;
  return execFileSync(root ? 'runuser' : cmd, root ? ['-u', 'postgres', '--', cmd, ...args] : args,
    { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...opts });
}

// The extra clusters' data folders and the folders made for them: at exit the clusters stop, then the folders go.
const extraData = [], extraDirs = [];
let extraCleanup = false;
function cleanUpAtExit() {
  if (extraCleanup) return;
  extraCleanup = true;
  process.on('exit', () => {
    for (const data of extraData) {
      try { run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']); } catch { /* not running */ }
    }
    for (const dir of extraDirs) rmSync(dir, { recursive: true, force: true });
  });
}

// A folder the clusters' owner may write in (a new one under the temporary folder), removed at exit.
export function pgOwnedDir(prefix = 'baodao-pgx-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (userInfo().uid === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
  }
  cleanUpAtExit();
  extraDirs.push(dir);
  return dir;
}

// An extra PostgreSQL 15 cluster of a test's own, apart from the shared one: its socket in dir (a pgOwnedDir),
// its data in data (default dir/data). init: run initdb there first (false: a folder made otherwise, a
// replica's); settings: more -c NAME=VALUE for the server. Not started: call start(). Stopped (immediate) at exit.
export function pgCluster({ dir, data = join(dir, 'data'), init = true, settings = {} }) {
  if (init) run('initdb', ['-D', data, '-A', 'trust', '-U', USER, '-E', 'UTF8', '--locale=C.UTF-8']);
  const opts = [`-k ${dir}`, "-c listen_addresses=''", '-c max_connections=50',
    ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
  const cluster = {
    dir, data,
    // A libpq conninfo (key=value words) for user on database db.
    conninfo: (db = 'postgres', user = USER) => `host=${dir} user=${user} dbname=${db}`,
    url: (db) => `postgres:///${db}?host=${encodeURIComponent(dir)}&user=${USER}`,
    start() { run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', opts, 'start']); },
    // pg_ctl stop in mode (fast: a clean shutdown that closes sessions; immediate: no checkpoint).
    stop(mode = 'fast') { run('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']); },
    // The postmaster's pid, or 0 when it is not running.
    pid() {
      try { return Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]); } catch { return 0; }
    },
    // Runs sql with psql on database db (default postgres); returns its unaligned output, rows by line.
    psql(sql, db = 'postgres') {
      return execFileSync(join(pgBin(), 'psql'), ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', dir,
        '-U', USER, '-d', db, '-c', sql], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    },
  };
  cleanUpAtExit();
  extraData.push(data);
  return cluster;
}
