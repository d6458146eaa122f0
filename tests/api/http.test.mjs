// http.test.mjs: health, routing errors, security headers, keep-alive, clean shutdown
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import { mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, Client, tmpDir } from '../lib/server.mjs';
import net from 'node:net';
import { assertProblem, loginAs, rawHttp, rawExchange, frameResponses, isJsonType, assertCleanLog, SHILIUQIAO, unitBody } from './helpers.mjs';

let srv; let admin;

const INDEX = '<!doctype html><html><head><title>baodao test</title></head><body>index</body></html>';
const SECRET = 'SECRET-outside-web-4711';

before(async () => {
  const base = tmpDir('baodao-web-');
  mkdirSync(join(base, 'web', 'assets'), { recursive: true });
  writeFileSync(join(base, 'web', 'index.html'), INDEX);
  writeFileSync(join(base, 'web', 'assets', 'app.js'), 'console.log("app");\n');
  writeFileSync(join(base, 'web', '.env'), SECRET);
  writeFileSync(join(base, 'secret.txt'), SECRET);
  symlinkSync(join(base, 'secret.txt'), join(base, 'web', 'leak.txt'));
  srv = await startServer({ web: join(base, 'web') });
  admin = await loginAs(srv, 'admin');
});
after(async () => { await srv?.stop(); });

function allow(r) {
  return (r.headers.get('allow') || '').split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
}

function assertSecurityHeaders(r, what) {
  const csp = r.headers.get('content-security-policy');
  assert.ok(csp, `${what}: Content-Security-Policy`);
  assert.match(csp, /frame-ancestors\s+'none'/, `${what}: ${csp}`);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff', what);
  const rp = r.headers.get('referrer-policy');
  assert.ok(rp && rp.length > 0, `${what}: Referrer-Policy`);
}

describe('health', () => {
  test('GET /healthz → 200 {"status":"ok"} as JSON, no session needed', async () => {
    const r = await new Client(srv.url).get('/healthz');
    assert.equal(r.status, 200);
    assert.ok(isJsonType(r), r.headers.get('content-type'));
    assert.deepEqual(r.json, { status: 'ok' });
    assert.equal(r.text.trim(), '{"status":"ok"}');
  });
});

describe('routing errors', () => {
  for (const path of ['/api/v1/nope', '/api/v1/units/1/nope', '/api/v1/regions/440111002011/parents', '/api/v1/']) {
    test(`GET ${path} → 404 problem`, async () => {
      const p = assertProblem(await admin.get(path), 404, 'not_found');
      assert.equal(p.status, 404);
    });
  }

  const allowCases = [
    ['DELETE', '/api/v1/units', ['GET', 'POST'], ['DELETE']],
    ['PATCH', '/api/v1/units', ['GET', 'POST'], ['PATCH']],
    ['POST', '/api/v1/me', ['GET'], ['POST']],
    ['GET', '/api/v1/session', ['POST', 'DELETE'], ['GET']],
    ['PUT', `/api/v1/regions/${SHILIUQIAO}`, ['GET', 'PATCH', 'DELETE'], ['PUT', 'POST']],
    ['DELETE', `/api/v1/regions/${SHILIUQIAO}/children`, ['GET', 'POST'], ['DELETE']],
    ['POST', '/api/v1/audit', ['GET'], ['POST']],
    ['GET', '/api/v1/me/password', ['PUT'], ['GET']],
    ['PATCH', '/api/v1/units/1', ['GET', 'PUT'], ['PATCH']],
    ['POST', '/healthz', ['GET'], ['POST']],
  ];
  for (const [method, path, must, mustNot] of allowCases) {
    test(`${method} ${path} → 405 with Allow: ${must.join(', ')}`, async () => {
      const body = ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined;
      const r = await admin.req(method, path, body);
      assertProblem(r, 405, 'method_not_allowed');
      const a = allow(r);
      for (const m of must) assert.ok(a.includes(m), `Allow ${r.headers.get('allow')} has ${m}`);
      for (const m of mustNot) assert.ok(!a.includes(m), `Allow ${r.headers.get('allow')} lacks ${m}`);
    });
  }
});

describe('headers', () => {
  test('security headers on /healthz, an API answer, a problem answer and a 404', async () => {
    assertSecurityHeaders(await new Client(srv.url).get('/healthz'), 'healthz');
    assertSecurityHeaders(await admin.get('/api/v1/me'), 'me');
    assertSecurityHeaders(await new Client(srv.url).get('/api/v1/me'), '401');
    assertSecurityHeaders(await admin.get('/api/v1/nope'), '404');
    assertSecurityHeaders(await admin.post('/api/v1/units', {}), '422');
  });

  test('pages get the page policy with X-Frame-Options DENY and COOP; data answers may load nothing (docs/security.md)', async () => {
    const page = await new Client(srv.url).get('/');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy'), /script-src 'self'/);
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    assert.equal(page.headers.get('cross-origin-opener-policy'), 'same-origin');
    for (const r of [await new Client(srv.url).get('/healthz'), await admin.get('/api/v1/me'), await admin.get('/api/v1/nope'),
      await new Client(srv.url).post('/healthz', {})]) {
      assert.equal(r.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'", `${r.status} ${r.text.slice(0, 80)}`);
      assert.equal(r.headers.get('cross-origin-opener-policy'), null);
    }
    for (const r of [page, await new Client(srv.url).get('/healthz'), await admin.get('/api/v1/me')]) {
      assert.equal(r.headers.get('referrer-policy'), 'same-origin');
      assert.equal(r.headers.get('strict-transport-security'), null);
    }
  });

  test('API answers carry Cache-Control: no-store (docs/security.md)', async () => {
    for (const r of [await admin.get('/api/v1/me'), await admin.get('/api/v1/units'), await new Client(srv.url).get('/api/v1/me'),
      await new Client(srv.url).post('/api/v1/session', { login: 'member', password: 'Demo-baodao-2026' })]) {
      assert.match(r.headers.get('cache-control') || '', /no-store/, `${r.status} ${r.headers.get('cache-control')}`);
    }
  });

  test('JSON answers say application/json', async () => {
    const r = await admin.get('/api/v1/units');
    assert.ok(isJsonType(r), r.headers.get('content-type'));
  });

  test('no CORS grant, even for a preflight', async () => {
    const r = await rawHttp(srv.url, { method: 'OPTIONS', path: '/api/v1/units', headers: {
      Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-requested-with' } });
    assert.ok(r.status < 500, `OPTIONS → ${r.status}`);
    assert.equal(r.headers.get('access-control-allow-origin'), null);
    assert.equal(r.headers.get('access-control-allow-headers'), null);
    const g = await admin.get('/api/v1/me', { Origin: 'http://evil.example' });
    assert.equal(g.headers.get('access-control-allow-origin'), null);
  });
});

describe('static files (--web)', () => {
  test('GET / serves index.html as text/html with the security headers', async () => {
    const r = await new Client(srv.url).get('/');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') || '', /^text\/html/);
    assert.equal(r.text, INDEX);
    assertSecurityHeaders(r, 'index.html');
  });

  test('GET /assets/app.js is JavaScript', async () => {
    const r = await new Client(srv.url).get('/assets/app.js');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') || '', /javascript/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  });

  test('a symlink pointing outside the web folder is not followed', async () => {
    const r = await new Client(srv.url).get('/leak.txt');
    assert.ok(!r.text.includes(SECRET), 'secret leaked through a symlink');
    assert.ok(r.status !== 200 || /^text\/html/.test(r.headers.get('content-type') || ''), `status ${r.status}`);
  });

  test('hidden files are not served', async () => {
    const r = await new Client(srv.url).get('/.env');
    assert.ok(!r.text.includes(SECRET), 'dotfile served');
  });

  test('static answers are never 5xx for odd names', async () => {
    for (const p of ['/assets/', '/assets', '/nope.js', '/a/b/c/d/e/f/g.png', '/index.html/']) {
      const r = await new Client(srv.url).get(p);
      assert.ok(r.status < 500, `${p} → ${r.status}`);
    }
  });
});

describe('keep-alive', () => {
  async function run(agent, n, make) {
    const sockets = new Set();
    const ports = new Set();
    const statuses = [];
    for (let i = 0; i < n; i++) {
      const { method, path, body, headers } = make(i);
      const u = new URL(srv.url);
      const res = await new Promise((resolve, reject) => {
        const req = http.request({ host: u.hostname, port: u.port, method, path, agent, headers: { ...headers } });
        req.on('socket', (s) => { sockets.add(s); });
        req.on('error', reject);
        req.on('response', (r) => {
          const parts = [];
          r.on('data', (d) => parts.push(d));
          ports.add(r.socket.localPort);
          r.on('end', () => resolve({ status: r.statusCode, connection: r.headers.connection, body: Buffer.concat(parts).toString() }));
        });
        req.end(body);
      });
      statuses.push(res.status);
      assert.notEqual(res.connection, 'close', `request ${i} (${method} ${path}) answered Connection: close`);
    }
    return { sockets, connects: ports.size, statuses };
  }

  test('1,000 GET requests over ONE keep-alive connection', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const paths = ['/healthz', '/api/v1/me', `/api/v1/regions/${SHILIUQIAO}/children`, '/api/v1/units?per_page=5'];
    const { sockets, connects, statuses } = await run(agent, 1000, (i) => ({
      method: 'GET', path: paths[i % 4], headers: { Cookie: admin.cookie } }));
    agent.destroy();
    assert.equal(statuses.length, 1000);
    assert.ok(statuses.every((s) => s === 200), `non-200: ${statuses.filter((s) => s !== 200).slice(0, 5)}`);
    assert.equal(sockets.size, 1, `sockets used: ${sockets.size}`);
    assert.equal(connects, 1, `local ports used: ${connects}`);
  });

  test('POSTs with bodies and error answers (404, 422) keep the connection too', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const bad = JSON.stringify({ name: '' });
    const { sockets, connects, statuses } = await run(agent, 200, (i) => {
      const h = { Cookie: admin.cookie, 'X-Requested-With': 'baodao' };
      if (i % 2 === 0) return { method: 'POST', path: '/api/v1/units', body: bad,
        headers: { ...h, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(bad) } };
      return { method: 'GET', path: '/api/v1/nope', headers: h };
    });
    agent.destroy();
    assert.deepEqual([...new Set(statuses)].sort(), [404, 422]);
    assert.equal(sockets.size, 1, `sockets used: ${sockets.size}`);
    assert.equal(connects, 1);
  });

  test('a successful POST on a kept-alive connection is answered once and written once', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const names = [];
    const { sockets, statuses } = await run(agent, 20, () => {
      const b = unitBody();
      names.push(b.name);
      const s = JSON.stringify(b);
      return { method: 'POST', path: '/api/v1/units', body: s, headers: { Cookie: admin.cookie, 'X-Requested-With': 'baodao',
        'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(s) } };
    });
    agent.destroy();
    assert.ok(statuses.every((s) => s === 201), String(statuses));
    assert.equal(sockets.size, 1);
    for (const n of names) {
      const found = (await admin.get('/api/v1/units?per_page=100&q=' + encodeURIComponent(n))).json.items.filter((u) => u.name === n);
      assert.equal(found.length, 1, n);
    }
  });
});

describe('concurrency', () => {
  test('200 simultaneous connections are all answered', async () => {
    const rs = await Promise.all(Array.from({ length: 200 }, (_, i) => rawHttp(srv.url,
      { path: i % 2 ? '/healthz' : '/api/v1/me', headers: { Cookie: admin.cookie } }).then((r) => r.status, (e) => `error ${e.code}`)));
    const count = {};
    for (const s of rs) count[s] = (count[s] || 0) + 1;
    assert.deepEqual(count, { 200: 200 });
  });

  test('24 simultaneous logins all succeed', async () => {
    const logins = ['org', 'staff', 'unit', 'member', 'resident', 'admin'];
    const rs = await Promise.all(Array.from({ length: 24 }, (_, i) => new Client(srv.url).post('/api/v1/session',
      { login: logins[i % 6], password: logins[i % 6] === 'admin' ? 'Admin-test-password-1' : 'Demo-baodao-2026' })));
    assert.deepEqual(rs.map((r) => r.status), Array(24).fill(200));
    assert.equal(new Set(rs.map((r) => r.headers.get('set-cookie'))).size, 24, 'distinct tokens');
  });
});

describe('pipelining and Expect: 100-continue', () => {
  test('three pipelined requests in one write are answered in order', async () => {
    const host = new URL(srv.url).host;
    const req = (path, last) => `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nCookie: ${admin.cookie}\r\n${last ? 'Connection: close\r\n' : ''}\r\n`;
    const res = await rawExchange(srv.url, req('/healthz') + req('/api/v1/me') + req('/api/v1/nope', true), { probe: false });
    const { responses } = frameResponses(res.text);
    assert.deepEqual(responses.map((x) => x.status), [200, 200, 404], res.text.slice(0, 500));
    assert.deepEqual(JSON.parse(responses[0].body), { status: 'ok' });
    assert.equal(JSON.parse(responses[1].body).login, 'admin');
  });

  // Sends headers with Expect: 100-continue, waits for the interim answer, then the body.
  function expectContinue(head, body) {
    const u = new URL(srv.url);
    return new Promise((resolve) => {
      const sock = net.connect({ host: u.hostname, port: Number(u.port) });
      let text = '';
      let sent = false;
      const done = (why) => { clearTimeout(timer); sock.destroy(); resolve({ text, why, sent }); };
      const timer = setTimeout(() => done('timeout'), 5000); // safety net only
      sock.on('data', (d) => {
        text += d.toString('latin1');
        if (!sent && /^HTTP\/1\.1 100 /.test(text) && text.includes('\r\n\r\n')) { sent = true; sock.write(body); }
        const f = frameResponses(text.replace(/^HTTP\/1\.1 100 [^\r]*\r\n(?:[^\r]+\r\n)*\r\n/, ''));
        if (f.responses.length && f.responses[0].status !== 100) done('answered');
      });
      sock.on('close', () => done('close'));
      sock.on('error', () => done('error'));
      sock.on('connect', () => sock.write(head));
    });
  }

  test('POST with Expect: 100-continue gets 100, then 201', async () => {
    const host = new URL(srv.url).host;
    const b = JSON.stringify(unitBody());
    const head = `POST /api/v1/units HTTP/1.1\r\nHost: ${host}\r\nCookie: ${admin.cookie}\r\nX-Requested-With: baodao\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(b)}\r\nExpect: 100-continue\r\n\r\n`;
    const r = await expectContinue(head, b);
    assert.ok(r.sent, `interim 100 Continue (${r.why}): ${r.text.slice(0, 200)}`);
    assert.match(r.text, /HTTP\/1\.1 201 /, r.text.slice(0, 400));
  });
});

describe('shutdown (last)', () => {
  test('SIGTERM stops the server with exit code 0', async () => {
    assert.equal((await new Client(srv.url).get('/healthz')).status, 200);
    srv.child.kill('SIGTERM');
    const [code, signal] = await once(srv.child, 'exit');
    assert.equal(signal, null, `killed by ${signal}`);
    assert.equal(code, 0, srv.log().slice(-2000));
    await assert.rejects(fetch(srv.url + '/healthz'), 'nothing listens any more');
    assertCleanLog(srv.log());
  });
});
