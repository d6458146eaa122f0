// server.mjs: starts a real baodao server on a free port with a fresh database, for tests; on SQLite, or on
// PostgreSQL when BAODAO_TEST_ENGINE=postgres (a new database on tests/lib/pg.mjs's server per startServer)
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { once } from 'node:events';
import { pgCreateDatabase, pgDropDatabase, pgDump, pgRestore, pgUrl, psql } from './pg.mjs';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = process.env.BAODAO_BIN || join(ROOT, 'build/baodao');
export const DEMO_PASSWORD = 'Demo-baodao-2026';
export const ADMIN_PASSWORD = 'Admin-test-password-1';
export const ENGINE = process.env.BAODAO_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

// A PostgreSQL address has no folder for its key file: each database's key, by address (BAODAO_KEY).
const keys = new Map();
// Nor for its photos: the photo folder beside that key file (BAODAO_PHOTOS), where the tests look for them.
const photosOf = (db) => ({ BAODAO_PHOTOS: join(dirname(keys.get(db)), 'photos') });

// Runs a baodao subcommand against the given database; returns stdout (throws on failure).
export function cli(db, args, opts = {}) {
  const env = keys.has(db) ? { ...process.env, ...photosOf(db), ...opts.env, BAODAO_KEY: keys.get(db) } : opts.env;
  return execFileSync(BIN, [...args, '--db', db], {
    cwd: ROOT, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...opts, ...(env ? { env } : {}),
  });
}

// The environment a baodao process on db runs with (a PostgreSQL database's key file and photo folder).
export function dbEnv(db) {
  return keys.has(db) ? { ...process.env, ...photosOf(db), BAODAO_KEY: keys.get(db) } : process.env;
}

// The key file of a test's database: beside a SQLite file, BAODAO_KEY's for a PostgreSQL one.
export function keyOf(db) {
  return keys.get(db) ?? `${db}.key`;
}

// A copy made by `baodao backup` of a test's database as a database to run baodao on: the file itself, or
// for PostgreSQL (pg_dump's archive) a new database it is restored into, with the same key.
export function restoredBackup(db, file) {
  if (!db.startsWith('postgres')) return file;
  const copy = pgRestore(file);
  keys.set(copy, keys.get(db));
  return copy;
}

// Runs SQL q on a test's database (a SQLite file or a postgres:// address) with the engine's own client:
// the rows' values joined by '|', one row a line, trimmed. Write q in the SQL both engines read.
export function dbQuery(db, q) {
  if (db.startsWith('postgres')) return psql(new URL(db).pathname.slice(1), q).trim();
  // .timeout: wait for the server's write lock (a commit, a checkpoint) instead of failing with "database is locked".
  return execFileSync('/usr/bin/sqlite3', ['-cmd', '.timeout 5000', '-separator', '|', db, q], { encoding: 'utf8', maxBuffer: 64 << 20 }).trim();
}

// SQL for the values of expression e over a query's rows joined by ';' (in the order of order on PostgreSQL).
// Between two integers, write || ':' || (PostgreSQL has no || of two numbers).
export function sqlConcat(e, order = 'id') {
  return ENGINE === 'postgres' ? `string_agg((${e})::text, ';' ORDER BY ${order})` : `group_concat(${e}, ';')`;
}

// Every row of a test's database as SQL text (sqlite3's .dump, pg_dump's data).
export function dbDump(db) {
  if (db.startsWith('postgres')) return pgDump(new URL(db).pathname.slice(1));
  return execFileSync('/usr/bin/sqlite3', [db, '.dump'], { encoding: 'utf8', maxBuffer: 512 << 20 });
}

// The rows of query q on a test's database as objects by column name (numbers for integers).
export function dbRows(db, q) {
  if (db.startsWith('postgres')) return JSON.parse(dbQuery(db, `SELECT COALESCE(json_agg(q), '[]') FROM (${q}) q`));
  return JSON.parse(execFileSync('/usr/bin/sqlite3', ['-json', db, q], { encoding: 'utf8', maxBuffer: 64 << 20 }) || '[]');
}

// A fresh database for a test in dir: a file there, or a new PostgreSQL database (its key file in dir).
function newDatabase(dir, engine) {
  if (engine !== 'postgres') return join(dir, 'baodao.db');
  const name = pgCreateDatabase('api');
  const db = pgUrl(name);
  keys.set(db, join(dir, 'baodao.key'));
  return db;
}

// Starts `baodao serve`. Options: demo (true: the demo's regions, units and accounts — the default;
// 'full': the whole demo, with 石榴桥社区's files, roster and sign-ups; false: none), idle, max, lockout
// (seconds), bodyLimit (bytes), web (folder), clock (start the fake clock at this Unix time), again (a server
// killed before, or one still running: serve its database again, as it was left; stop only the first server of
// a database, the others with kill), engine ('postgres' or 'sqlite': the database whatever BAODAO_TEST_ENGINE says).
export async function startServer(opts = {}) {
  const dir = opts.again ? opts.again.dir : mkdtempSync(join(tmpdir(), 'baodao-test-'));
  const db = opts.again ? opts.again.db : newDatabase(dir, opts.engine ?? ENGINE);
  if (!opts.again) {
    const pwFile = join(dir, 'admin-password');
    writeFileSync(pwFile, ADMIN_PASSWORD + '\n', { mode: 0o600 });
    cli(db, ['init', '--admin-password-file', pwFile]);
    if (opts.demo !== false) cli(db, opts.demo === 'full' ? ['demo'] : ['demo', '--base']);
  }
  const env = { ...process.env };
  if (keys.has(db)) Object.assign(env, photosOf(db), { BAODAO_KEY: keys.get(db) });
  const clockFile = join(dir, 'clock');
  let now = opts.clock;
  if (now !== undefined) {
    writeFileSync(clockFile, String(now));
    env.BAODAO_CLOCK_FILE = clockFile;
  }
  const args = ['serve', '--db', db, '--listen', '127.0.0.1:0'];
  if (opts.idle) args.push('--session-idle', String(opts.idle));
  if (opts.max) args.push('--session-max', String(opts.max));
  if (opts.lockout) args.push('--lockout', String(opts.lockout));
  if (opts.bodyLimit) args.push('--body-limit', String(opts.bodyLimit));
  if (opts.web) args.push('--web', opts.web);
  if (opts.extra) args.push(...opts.extra);
  const child = spawn(BIN, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  let out = '';
  const url = await new Promise((res, rej) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[0-9.]+:\d+)/);
      if (m) res(m[1]);
    });
    child.on('exit', (code) => rej(new Error(`baodao serve exited ${code}: ${log}`)));
  });

  return {
    url, db, dir, child,
    log: () => log,
    cli: (a) => cli(db, a, { env }), // on the server's clock, when it has a fake one
    // Moves the server's clock (only with opts.clock).
    setClock(t) { now = t; writeFileSync(clockFile, String(t)); },
    advance(sec) { this.setClock(now + sec); },
    // SIGKILL, as a power cut or the OOM killer would: the folder and its database stay for startServer({ again }).
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await once(child, 'exit');
      }
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      rmSync(dir, { recursive: true, force: true });
      if (keys.has(db)) {
        pgDropDatabase(new URL(db).pathname.slice(1));
        keys.delete(db);
      }
    },
  };
}

// A tiny client that keeps the session cookie and sends the CSRF header.
export class Client {
  constructor(base) { this.base = base; this.cookie = null; }
  async req(method, path, body, headers = {}) {
    const h = { 'X-Requested-With': 'baodao', ...headers };
    if (this.cookie) h.Cookie = this.cookie;
    let payload;
    if (body !== undefined) {
      if (typeof body === 'string' || body instanceof Uint8Array) payload = body;
      else payload = JSON.stringify(body);
      if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
    }
    const r = await fetch(this.base + path, { method, headers: h, body: payload, redirect: 'manual' });
    const set = r.headers.get('set-cookie');
    if (set) {
      const m = set.match(/sid=([^;]*)/);
      if (m) this.cookie = m[1] ? `sid=${m[1]}` : null;
    }
    const text = await r.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: r.status, headers: r.headers, json, text };
  }
  get(p, h) { return this.req('GET', p, undefined, h); }
  post(p, b, h) { return this.req('POST', p, b, h); }
  put(p, b, h) { return this.req('PUT', p, b, h); }
  patch(p, b, h) { return this.req('PATCH', p, b, h); }
  del(p, h) { return this.req('DELETE', p, undefined, h); }
  async login(login, password = DEMO_PASSWORD) {
    const r = await this.post('/api/v1/session', { login, password });
    if (r.status !== 200) throw new Error(`login ${login}: ${r.status} ${r.text}`);
    return r.json.account;
  }
}

export function tmpDir(prefix = 'baodao-') {
  const d = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(d, { recursive: true });
  return d;
}
