// proxy.test.mjs: serve --trusted-proxy: the client address behind a reverse proxy (audit, login throttling)
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_PASSWORD } from '../lib/server.mjs';
import { assertProblem, loginAs } from './helpers.mjs';

// The address the audit log recorded for the newest login of `login`.
async function loginAddress(admin, login) {
  const r = await admin.get(`/api/v1/audit?action=session.login&account=${login}&per_page=1`);
  assert.equal(r.status, 200, r.text);
  return r.json.items[0]?.client_addr;
}

// Logs in as staff through the "proxy" with the given X-Forwarded-For; answers the address audited.
async function addressFor(srv, admin, xff) {
  const c = new Client(srv.url);
  const headers = xff === undefined ? {} : { 'X-Forwarded-For': xff };
  assert.equal((await c.post('/api/v1/session', { login: 'staff', password: 'Demo-baodao-2026' }, headers)).status, 200);
  return loginAddress(admin, 'staff');
}

describe('behind a trusted proxy (127.0.0.1)', () => {
  let srv; let admin;
  before(async () => {
    srv = await startServer({ clock: 1_780_000_000, extra: ['--trusted-proxy', '127.0.0.1'] });
    admin = await loginAs(srv, 'admin');
  });
  after(async () => { await srv?.stop(); });

  test('the client is the address the proxy appended, also in IPv6', async () => {
    assert.equal(await addressFor(srv, admin, '203.0.113.7'), '203.0.113.7');
    assert.equal(await addressFor(srv, admin, '2001:db8:0:0::1'), '2001:db8::1');
  });

  test('what the client wrote before the proxy\'s entry is ignored', async () => {
    assert.equal(await addressFor(srv, admin, '6.6.6.6, 203.0.113.8'), '203.0.113.8');
    assert.equal(await addressFor(srv, admin, '6.6.6.6,203.0.113.9  '), '203.0.113.9');
  });

  test('no header, or an entry that is not one clean address, leaves the proxy\'s own address', async () => {
    for (const xff of [undefined, '', 'unknown', '203.0.113.10 203.0.113.11', '203.0.113.12:443', '1.2.3.4, <script>',
      '999.1.1.1', "1.2.3.4' OR '1'='1"]) {
      assert.equal(await addressFor(srv, admin, xff), '127.0.0.1', `X-Forwarded-For: ${xff}`);
    }
  });

  test('login throttling counts per forwarded client: one address is stopped, another is not', async () => {
    const bad = { 'X-Forwarded-For': '198.51.100.1' };
    const c = new Client(srv.url);
    for (let i = 0; i < 20; i++) {
      assertProblem(await c.post('/api/v1/session', { login: `ghost${i}`, password: 'wrong-password-123' }, bad), 401, 'bad_credentials');
    }
    assertProblem(await c.post('/api/v1/session', { login: 'admin', password: ADMIN_PASSWORD }, bad), 429, 'throttled');
    const other = await new Client(srv.url).post('/api/v1/session', { login: 'admin', password: ADMIN_PASSWORD },
      { 'X-Forwarded-For': '198.51.100.2' });
    assert.equal(other.status, 200);
  });
});

describe('without --trusted-proxy', () => {
  let srv; let admin;
  before(async () => {
    srv = await startServer();
    admin = await loginAs(srv, 'admin');
  });
  after(async () => { await srv?.stop(); });

  test('X-Forwarded-For is ignored: the peer address is audited', async () => {
    assert.equal(await addressFor(srv, admin, '203.0.113.7'), '127.0.0.1');
  });
});
