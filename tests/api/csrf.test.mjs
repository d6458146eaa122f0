// csrf.test.mjs: state-changing requests need X-Requested-With: baodao and a same-origin check
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, DEMO_PASSWORD, ADMIN_PASSWORD } from '../lib/server.mjs';
import { assertProblem, loginAs, rawHttp, serveExtra, unitBody, uniq, SHILIUQIAO } from './helpers.mjs';

let srv; let host; let admin; let staff;

// A request with exactly these headers (no automatic CSRF header).
function bare(method, path, { body, headers = {}, cookie } = {}) {
  const h = { Host: host, ...headers };
  if (cookie) h.Cookie = cookie;
  let payload;
  if (body !== undefined) {
    payload = typeof body === 'string' ? body : JSON.stringify(body);
    h['Content-Type'] = 'application/json';
    h['Content-Length'] = Buffer.byteLength(payload);
  }
  return rawHttp(srv.url, { method, path, headers: h, body: payload });
}

const LOGIN = { login: 'resident', password: DEMO_PASSWORD };

async function unitCount() {
  return (await admin.get('/api/v1/units?per_page=1')).json.total;
}

before(async () => {
  srv = await startServer();
  host = new URL(srv.url).host;
  admin = await loginAs(srv, 'admin');
  staff = await loginAs(srv, 'staff');
});
after(async () => { await srv?.stop(); });

describe('login', () => {
  test('without X-Requested-With → 403 csrf, no session', async () => {
    const r = await bare('POST', '/api/v1/session', { body: LOGIN });
    assertProblem(r, 403, 'csrf');
    assert.equal(r.headers.get('set-cookie'), null);
  });

  test('X-Requested-With with another value → 403 csrf', async () => {
    const r = await bare('POST', '/api/v1/session', { body: LOGIN, headers: { 'X-Requested-With': 'XMLHttpRequest' } });
    assertProblem(r, 403, 'csrf');
  });

  test('header present, no Origin → 200', async () => {
    const r = await bare('POST', '/api/v1/session', { body: LOGIN, headers: { 'X-Requested-With': 'baodao' } });
    assert.equal(r.status, 200, r.text);
  });

  test('Origin equal to Host → 200', async () => {
    const r = await bare('POST', '/api/v1/session', { body: LOGIN, headers: { 'X-Requested-With': 'baodao', Origin: `http://${host}` } });
    assert.equal(r.status, 200, r.text);
  });

  for (const origin of ['http://evil.example', 'null', 'http://127.0.0.1:1', 'http://localhost.evil.example']) {
    test(`foreign Origin ${origin} → 403 csrf`, async () => {
      const r = await bare('POST', '/api/v1/session', { body: LOGIN, headers: { 'X-Requested-With': 'baodao', Origin: origin } });
      assertProblem(r, 403, 'csrf');
      assert.equal(r.headers.get('set-cookie'), null);
    });
  }

  test('Origin with our host but the other scheme (https without --secure-cookies) → 403 csrf', async () => {
    const r = await bare('POST', '/api/v1/session', { body: LOGIN, headers: { 'X-Requested-With': 'baodao', Origin: `https://${host}` } });
    assertProblem(r, 403, 'csrf');
  });

  test('Origin whose host only starts like ours → 403 csrf', async () => {
    const r = await bare('POST', '/api/v1/session', { body: LOGIN, headers: { 'X-Requested-With': 'baodao', Origin: `http://${host}0` } });
    assertProblem(r, 403, 'csrf');
  });

  for (const site of ['cross-site', 'same-site']) {
    test(`Sec-Fetch-Site: ${site} → 403 csrf`, async () => {
      const r = await bare('POST', '/api/v1/session', { body: LOGIN, headers: { 'X-Requested-With': 'baodao', 'Sec-Fetch-Site': site } });
      assertProblem(r, 403, 'csrf');
    });
  }

  for (const site of ['same-origin', 'none']) {
    test(`Sec-Fetch-Site: ${site} → 200`, async () => {
      const r = await bare('POST', '/api/v1/session', { body: LOGIN, headers: { 'X-Requested-With': 'baodao', 'Sec-Fetch-Site': site } });
      assert.equal(r.status, 200, r.text);
    });
  }

  test('same Origin but Sec-Fetch-Site cross-site → 403 csrf', async () => {
    const r = await bare('POST', '/api/v1/session', { body: LOGIN,
      headers: { 'X-Requested-With': 'baodao', Origin: `http://${host}`, 'Sec-Fetch-Site': 'cross-site' } });
    assertProblem(r, 403, 'csrf');
  });
});

describe('logged-in state-changing requests', () => {
  test('POST /units without the header → 403 csrf, nothing created', async () => {
    const before = await unitCount();
    const body = unitBody();
    const r = await bare('POST', '/api/v1/units', { body, cookie: admin.cookie });
    assertProblem(r, 403, 'csrf');
    assert.equal(await unitCount(), before);
    assert.equal((await admin.get('/api/v1/units?q=' + encodeURIComponent(body.name))).json.total, 0);
  });

  test('POST /units with a foreign Origin → 403 csrf, nothing created', async () => {
    const before = await unitCount();
    const r = await admin.post('/api/v1/units', unitBody(), { Origin: 'http://evil.example' });
    assertProblem(r, 403, 'csrf');
    assert.equal(await unitCount(), before);
  });

  test('POST /units with Sec-Fetch-Site cross-site → 403 csrf', async () => {
    const before = await unitCount();
    const r = await admin.post('/api/v1/units', unitBody(), { 'Sec-Fetch-Site': 'cross-site' });
    assertProblem(r, 403, 'csrf');
    assert.equal(await unitCount(), before);
  });

  test('POST /units same-origin with the header → 201', async () => {
    const r = await admin.post('/api/v1/units', unitBody(), { Origin: `http://${host}`, 'Sec-Fetch-Site': 'same-origin' });
    assert.equal(r.status, 201, r.text);
  });

  test('PUT /units/{id} without the header → 403, unit unchanged', async () => {
    const u = (await admin.post('/api/v1/units', unitBody())).json;
    const r = await bare('PUT', `/api/v1/units/${u.id}`, { body: { ...unitBody(), name: uniq('改名') }, cookie: admin.cookie });
    assertProblem(r, 403, 'csrf');
    assert.equal((await admin.get(`/api/v1/units/${u.id}`)).json.name, u.name);
  });

  test('DELETE /session without the header → 403, session still valid', async () => {
    const c = await loginAs(srv, 'member');
    const r = await bare('DELETE', '/api/v1/session', { cookie: c.cookie });
    assertProblem(r, 403, 'csrf');
    assert.equal((await c.get('/api/v1/me')).status, 200);
  });

  test('PUT /me/password without the header → 403, password unchanged', async () => {
    const c = await loginAs(srv, 'unit');
    const r = await bare('PUT', '/api/v1/me/password', { body: { old_password: DEMO_PASSWORD, new_password: 'Changed-by-evil-1' }, cookie: c.cookie });
    assertProblem(r, 403, 'csrf');
    assert.equal((await c.get('/api/v1/me')).status, 200);
    assert.equal((await new Client(srv.url).post('/api/v1/session', { login: 'unit', password: DEMO_PASSWORD })).status, 200);
  });

  test('PUT /me/password with foreign Origin → 403, password unchanged', async () => {
    const c = await loginAs(srv, 'unit');
    const r = await c.put('/api/v1/me/password', { old_password: DEMO_PASSWORD, new_password: 'Changed-by-evil-1' }, { Origin: 'http://evil.example' });
    assertProblem(r, 403, 'csrf');
    assert.equal((await new Client(srv.url).post('/api/v1/session', { login: 'unit', password: DEMO_PASSWORD })).status, 200);
  });

  test('POST/PATCH/DELETE regions without the header → 403, nothing changed', async () => {
    const grid = (await staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: uniq('网格') })).json;
    assert.ok(grid?.code, 'grid created');
    const kids = (await staff.get(`/api/v1/regions/${SHILIUQIAO}/children`)).json.items.length;
    assertProblem(await bare('POST', `/api/v1/regions/${SHILIUQIAO}/children`, { body: { name: uniq('网格') }, cookie: staff.cookie }), 403, 'csrf');
    assertProblem(await bare('PATCH', `/api/v1/regions/${grid.code}`, { body: { name: 'evil' }, cookie: staff.cookie }), 403, 'csrf');
    assertProblem(await bare('DELETE', `/api/v1/regions/${grid.code}`, { cookie: staff.cookie }), 403, 'csrf');
    assert.equal((await staff.get(`/api/v1/regions/${SHILIUQIAO}/children`)).json.items.length, kids);
    const g = await staff.get(`/api/v1/regions/${grid.code}`);
    assert.equal(g.status, 200);
    assert.equal(g.json.name, grid.name);
  });

  test('PATCH /regions with Sec-Fetch-Site same-site → 403, name unchanged', async () => {
    const grid = (await staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: uniq('网格') })).json;
    assertProblem(await staff.patch(`/api/v1/regions/${grid.code}`, { name: 'evil' }, { 'Sec-Fetch-Site': 'same-site' }), 403, 'csrf');
    assert.equal((await staff.get(`/api/v1/regions/${grid.code}`)).json.name, grid.name);
  });

  for (const [method, path] of [['POST', '/api/v1/members'], ['POST', '/api/v1/members/1/reveal'], ['POST', '/api/v1/members/1/leave'],
    ['POST', '/api/v1/registrations/1/approve'], ['POST', '/api/v1/registrations/1/reject'], ['POST', '/api/v1/registrations/approve'],
    ['POST', '/api/v1/members/import?commit=true'], ['POST', '/api/v1/units/1/roster?commit=true'], ['POST', '/api/v1/agreements'],
    ['PUT', '/api/v1/agreements/1']]) {
    test(`${method} ${path} without the header (admin session) → 403 csrf`, async () => {
      assertProblem(await bare(method, path, { body: { reason: 'x', ids: [1] }, cookie: admin.cookie }), 403, 'csrf');
    });
    test(`${method} ${path} with a foreign Origin → 403 csrf`, async () => {
      assertProblem(await admin.req(method, path, { reason: 'x', ids: [1] }, { Origin: 'http://evil.example' }), 403, 'csrf');
    });
  }

  test('POST /me/registration and /withdraw without the header (member session) → 403 csrf, nothing filed', async () => {
    const m = await loginAs(srv, 'member');
    assertProblem(await bare('POST', '/api/v1/me/registration', { body: { name: '跨站', phone: '13800000005', id_number: '440111199003071232',
      community_code: SHILIUQIAO }, cookie: m.cookie }), 403, 'csrf');
    assertProblem(await bare('POST', '/api/v1/me/registration/withdraw', { cookie: m.cookie }), 403, 'csrf');
    assert.equal((await m.get('/api/v1/me/member')).status, 404, 'no file was created');
  });

  test('GET needs no CSRF header', async () => {
    const r = await bare('GET', '/api/v1/me', { cookie: staff.cookie });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.login, 'staff');
  });

  test('admin password unchanged by all of the above', async () => {
    assert.equal((await new Client(srv.url).post('/api/v1/session', { login: 'admin', password: ADMIN_PASSWORD })).status, 200);
  });
});

describe('with --secure-cookies (behind TLS) the origin is https', () => {
  let sec; let secHost;
  before(async () => { sec = await serveExtra(srv.db, ['--secure-cookies']); secHost = new URL(sec.url).host; });
  after(async () => { await sec?.stop(); });
  const login = (origin) => rawHttp(sec.url, { method: 'POST', path: '/api/v1/session', body: JSON.stringify(LOGIN),
    headers: { Host: secHost, 'Content-Type': 'application/json', 'X-Requested-With': 'baodao', Origin: origin } });

  test('Origin https://HOST → 200', async () => {
    assert.equal((await login(`https://${secHost}`)).status, 200);
  });
  test('Origin http://HOST (a plain-HTTP page of the same name) → 403 csrf', async () => {
    assertProblem(await login(`http://${secHost}`), 403, 'csrf');
  });
});
