// head.test.mjs: request heads that could be read two ways → 400 and closed; oversized heads → 431/414; escaped log lines; --public-host
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { assertProblem, rawExchange, frameResponses, rawHttp, assertCleanLog } from './helpers.mjs';

let srv; let host;
before(async () => { srv = await startServer(); host = new URL(srv.url).host; });
after(async () => { await srv?.stop(); });

// Resolves with the first log line containing needle, once the server has written it (an event, not a sleep).
function logLine(server, needle) {
  return new Promise((resolve) => {
    const check = () => {
      const line = server.log().split('\n').find((l) => l.includes(needle));
      if (line !== undefined) { server.child.stderr.off('data', check); resolve(line); }
    };
    server.child.stderr.on('data', check);
    check();
  });
}

// The answers on one raw connection, parsed; the probe (GET /healthz) is sent only if the connection stays open.
async function exchange(data) {
  const res = await rawExchange(srv.url, Buffer.from(data, 'latin1'));
  return { ...res, ...frameResponses(res.text) };
}

// One 400 problem, the connection closed, nothing answered after it (no smuggled request, no probe).
async function refused(data, status = 400) {
  const r = await exchange(data);
  assert.ok(r.responses.length >= 1, `an answer (${r.why}): ${JSON.stringify(r.text.slice(0, 200))}`);
  assert.equal(r.responses[0].status, status, JSON.stringify(r.text.slice(0, 300)));
  assert.match(r.responses[0].head, /\r\ncontent-type: application\/problem\+json/i);
  assert.match(r.responses[0].head, /\r\nconnection: close/i);
  assert.equal(r.responses.length, 1, `nothing else answered: ${r.responses.map((x) => x.status)}`);
  assert.equal(r.rest, '', 'no stray bytes');
  assert.notEqual(r.why, 'timeout', 'the server closed the connection');
  return JSON.parse(r.responses[0].body);
}

describe('heads that could be read two ways → 400, connection closed', () => {
  const smuggled = `GET /api/v1/nope HTTP/1.1\r\nHost: ${host}\r\n\r\n`;
  test('Transfer-Encoding with a space before the colon (was framed by Content-Length, the rest run as a second request)', async () => {
    const body = `0\r\n\r\n${smuggled}`;
    await refused(`POST /api/v1/session HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\n${body}`);
  });
  test('a header name with a tab or other non-token character', async () => {
    await refused(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\nX-A\t: 1\r\n\r\n`);
    await refused(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\nX(A): 1\r\n\r\n`);
  });
  test('two Host lines, even equal ones', async () => {
    await refused(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\nHost: evil.example\r\n\r\n`);
    await refused(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\nHost: ${host}\r\n\r\n`);
  });
  test('a bare CR inside a header line, and in the request line', async () => {
    await refused(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\nX-A: one\rTransfer-Encoding: chunked\r\n\r\n`);
    await refused(`GET /healthz\r HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
  });
  test('other control characters in a value', async () => {
    await refused(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\nX-A: a\x01b\r\n\r\n`);
    await refused(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\nX-A: a\x7fb\r\n\r\n`);
  });
  test('a NUL cuts a value where libmicrohttpd hides the rest (docs/security.md); framing still cannot be read two ways', async () => {
    // "chunked\0x" reaches baodao as "chunked": with a Content-Length beside it the frame is refused.
    const body = `0\r\n\r\n${smuggled}`;
    await refused(`POST /api/v1/session HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: chunked\0x\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    // A NUL in a header name is refused by libmicrohttpd itself.
    const r = await exchange(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\nX-\0A: 1\r\n\r\n`);
    assert.equal(r.responses[0]?.status, 400, r.text.slice(0, 200));
  });
  test('a clean request on the same server is answered and the connection kept', async () => {
    const r = await exchange(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\nX-A: tab\there, obs-text \xe4\xb8\xad\r\n\r\n`);
    assert.deepEqual(r.responses.map((x) => x.status), [200, 200], 'the answer and the probe on the same connection');
  });
});

describe('oversized heads → 431 and 414 problems, not a silent close', () => {
  test('a 16 KB header → 431', async () => {
    const p = await refused(`GET /api/v1/me HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'b'.repeat(16000)}\r\n\r\n`, 431);
    assert.equal(p.code, 'header_too_large');
  });
  test('an 8 KiB header line → 431; a 7 KiB one is fine', async () => {
    await refused(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'b'.repeat(8192)}\r\n\r\n`, 431);
    const ok = await rawHttp(srv.url, { path: '/healthz', headers: { 'X-Big': 'b'.repeat(7000) } });
    assert.equal(ok.status, 200);
  });
  test('a head over 16 KiB in many small lines → 431 from libmicrohttpd, and the connection closed', async () => {
    // Each header line also costs the pool its bookkeeping: libmicrohttpd runs out first and
    // answers its own 431 (a short HTML body) — a clear refusal, not a silent close.
    const lines = Array.from({ length: 400 }, (_, i) => `X-H${i}: ${'v'.repeat(40)}\r\n`).join('');
    const r = await exchange(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\n${lines}\r\n`);
    assert.equal(r.responses.length, 1, r.why);
    assert.equal(r.responses[0].status, 431);
    assert.match(r.responses[0].head, /\r\nconnection: close/i);
    assert.notEqual(r.why, 'timeout', 'the server closed the connection');
  });
  test('1,000 query parameters → 414', async () => {
    const q = Array.from({ length: 1000 }, (_, i) => `p${i}=1`).join('&');
    const p = await refused(`GET /api/v1/units?${q} HTTP/1.1\r\nHost: ${host}\r\n\r\n`, 414);
    assert.equal(p.code, 'uri_too_long');
  });
  test('101 parameters → 414; 100 are read', async () => {
    const q = (n) => Array.from({ length: n }, (_, i) => `p${i}=1`).join('&');
    await refused(`GET /api/v1/units?${q(101)} HTTP/1.1\r\nHost: ${host}\r\n\r\n`, 414);
    const r = await new Client(srv.url).get(`/api/v1/units?${q(100)}`);
    assertProblem(r, 401, 'unauthenticated', '100 parameters reach the API');
  });
  test('a target over 8 KiB → 414', async () => {
    await refused(`GET /api/v1/${'a'.repeat(8300)} HTTP/1.1\r\nHost: ${host}\r\n\r\n`, 414);
  });
});

describe('log lines', () => {
  test('%0a, %0d, control characters and bytes that are not UTF-8 in a path cannot write a line of their own', async () => {
    const fake = '2026-01-01T00:00:00Z INFO GET /forged 200 1us x';
    await rawHttp(srv.url, { path: `/nothing%0a${encodeURIComponent(fake)}%0d%1b%ff%e4%b8%ad%5c` });
    const mine = await logLine(srv, '/nothing');
    assert.ok(!srv.log().split('\n').some((l) => l.startsWith(fake.slice(0, 20))), 'no forged line');
    assert.ok(mine.includes('/nothing\\x0a2026-01-01T00:00:00Z INFO GET /forged 200 1us x\\x0d\\x1b\\xff中\\x5c'), mine);
  });
  test('the log has no 5xx and no sanitizer report', () => assertCleanLog(srv.log()));
});

describe('serve --public-host (DNS rebinding)', () => {
  let pub;
  before(async () => { pub = await startServer({ demo: false, extra: ['--public-host', 'baodao.example, intranet.example:8080,[::1]'] }); });
  after(async () => { await pub?.stop(); });
  const get = (h, path = '/api/v1/me') => rawHttp(pub.url, { path, headers: { Host: h } });

  test('listed names are served, with any port unless the entry names one', async () => {
    for (const h of ['baodao.example', 'BAODAO.example', 'baodao.example:8443', 'intranet.example:8080', '[::1]', '[::1]:8080']) {
      assertProblem(await get(h), 401, 'unauthenticated', h);
    }
  });
  test('any other Host → 421 misdirected, before anything else', async () => {
    for (const h of ['evil.example', 'baodao.example.evil.example', 'intranet.example:9090', 'intranet.example', '127.0.0.1', '[::2]']) {
      assertProblem(await get(h), 421, 'misdirected', h);
    }
    assertProblem(await get('evil.example', '/'), 421, 'misdirected', 'static files too');
  });
  test('/healthz answers probes whatever their Host', async () => {
    assert.equal((await get('10.0.0.1:8080', '/healthz')).status, 200);
  });
});
