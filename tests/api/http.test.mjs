// http.test.mjs: health, routing errors, security headers, keep-alive, clean shutdown
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import { startServer, Client } from '../lib/server.mjs';
import { assertProblem, loginAs, rawHttp, isJsonType, SHILIUQIAO, unitBody } from './helpers.mjs';

let srv; let admin;

before(async () => {
  srv = await startServer();
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
    for (const n of names) assert.equal((await admin.get('/api/v1/units?q=' + encodeURIComponent(n))).json.total, 1);
  });
});

describe('shutdown (last)', () => {
  test('SIGTERM stops the server with exit code 0', async () => {
    assert.equal((await new Client(srv.url).get('/healthz')).status, 200);
    srv.child.kill('SIGTERM');
    const [code, signal] = await once(srv.child, 'exit');
    assert.equal(signal, null, `killed by ${signal}`);
    assert.equal(code, 0, srv.log());
    await assert.rejects(fetch(srv.url + '/healthz'), 'nothing listens any more');
  });
});
