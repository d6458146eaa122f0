// login-throttle.test.mjs: waits per (name, address), the per-name ceiling, known devices, unknown names, audit, restarts
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { startServer, Client, DEMO_PASSWORD, ADMIN_PASSWORD } from '../lib/server.mjs';
import { assertProblem, loginAs, serveExtra } from './helpers.mjs';

const T0 = 1_780_000_000;
const WRONG = 'wrong-password-123';

// Behind --trusted-proxy 127.0.0.1 every request may say which client address it comes from.
function from(addr, extra = {}) { return { 'X-Forwarded-For': addr, ...extra }; }
async function attempt(srv, addr, login, password, cookie) {
  const c = new Client(srv.url);
  return c.post('/api/v1/session', { login, password }, from(addr, cookie ? { Cookie: cookie } : {}));
}
function deviceOf(r) {
  const set = r.headers.getSetCookie().find((v) => v.startsWith('did='));
  return set ? set.split(';')[0] : null;
}
// Status, headers (but the date) and body: what a caller can tell two answers apart by.
function shape(r) {
  const headers = [...r.headers.entries()].filter(([k]) => k !== 'date');
  return { status: r.status, headers, body: r.text };
}

describe('waits per (name, address)', () => {
  let srv; let admin;
  before(async () => {
    srv = await startServer({ clock: T0, extra: ['--trusted-proxy', '127.0.0.1'] });
    admin = await loginAs(srv, 'admin');
  });
  after(async () => { await srv?.stop(); });

  test('5 free failures, then waits of 60, 120, 240, 480 s, then 900 s (--lockout) and no more', async () => {
    const A = '198.51.100.1';
    for (let i = 0; i < 5; i++) assertProblem(await attempt(srv, A, 'staff', WRONG), 401, 'bad_credentials');
    const waits = [];
    for (let i = 0; i < 6; i++) {
      const r = await attempt(srv, A, 'staff', DEMO_PASSWORD);
      assertProblem(r, 429, 'throttled', 'the right password waits too: it is not checked');
      waits.push(Number(r.headers.get('retry-after')));
      srv.advance(waits[i]);
      assertProblem(await attempt(srv, A, 'staff', WRONG), 401, 'bad_credentials', 'the try after the wait is checked');
    }
    assert.deepEqual(waits, [60, 120, 240, 480, 900, 900]);
  });

  test('meanwhile the owner logs in from an address that has not failed, and the waiting address may use other names', async () => {
    assert.equal((await attempt(srv, '198.51.100.2', 'staff', DEMO_PASSWORD)).status, 200);
    assert.equal((await attempt(srv, '198.51.100.1', 'member', DEMO_PASSWORD)).status, 200);
    assertProblem(await attempt(srv, '198.51.100.1', 'staff', DEMO_PASSWORD), 429, 'throttled');
  });

  test('IPv6 addresses count by their /64: another address of the same /64 waits as well', async () => {
    for (let i = 0; i < 5; i++) assertProblem(await attempt(srv, '2001:db8:1:2::1', 'unit', WRONG), 401, 'bad_credentials');
    assertProblem(await attempt(srv, '2001:db8:1:2::ffff', 'unit', DEMO_PASSWORD), 429, 'throttled');
    assert.equal((await attempt(srv, '2001:db8:1:3::1', 'unit', DEMO_PASSWORD)).status, 200, 'another /64');
  });

  test('an unknown name gets the same answers as a real one: the same 401, then the same 429 with the same Retry-After', async () => {
    srv.advance(3600);
    const real = []; const ghost = [];
    for (let i = 0; i < 6; i++) {
      real.push(await attempt(srv, '198.51.100.3', 'resident', WRONG));
      ghost.push(await attempt(srv, '198.51.100.4', 'no-such-person', WRONG));
    }
    assert.deepEqual(real.map((r) => r.status), [401, 401, 401, 401, 401, 429]);
    for (let i = 0; i < 6; i++) assert.deepEqual(shape(ghost[i]), shape(real[i]), `answer ${i + 1}`);
  });

  test('failed and throttled attempts are audited, unknown names too, and no typed name is written in clear', async () => {
    const name = '13912340000';
    for (let i = 0; i < 6; i++) await attempt(srv, '198.51.100.5', name, WRONG);
    admin = await loginAs(srv, 'admin'); // the clock has moved past the earlier session's idle timeout
    const r = await admin.get('/api/v1/audit?action=session.login&per_page=100');
    assert.equal(r.status, 200, r.text);
    const mine = r.json.items.filter((e) => e.client_addr === '198.51.100.5');
    assert.deepEqual(mine.map((e) => e.outcome).sort(), ['failed', 'failed', 'failed', 'failed', 'failed', 'throttled']);
    for (const e of mine) {
      assert.equal(e.target_id, '', 'no account is named');
      assert.match(e.detail, /^n:[0-9a-f]{32}$/, 'the name only by its keyed hash');
    }
    assert.equal(new Set(mine.map((e) => e.detail)).size, 1, 'the same name has the same hash');
    assert.ok(!r.text.includes(name) && !r.text.includes('no-such-person'), 'no typed name in the audit log');
    const real = r.json.items.filter((e) => e.client_addr === '198.51.100.3');
    assert.ok(real.length === 6 && real.every((e) => e.target_id !== ''), 'a real account is named by its id');
  });

  test('a success clears the failures of its own address: 4 failures, a success, 4 failures do not wait', async () => {
    const B = '198.51.100.6';
    for (let i = 0; i < 4; i++) assertProblem(await attempt(srv, B, 'org', WRONG), 401, 'bad_credentials');
    assert.equal((await attempt(srv, B, 'org', DEMO_PASSWORD)).status, 200);
    for (let i = 0; i < 4; i++) assertProblem(await attempt(srv, B, 'org', WRONG), 401, 'bad_credentials');
    assert.equal((await attempt(srv, B, 'org', DEMO_PASSWORD)).status, 200);
  });

  test('login names are matched exactly after trimming spaces and tabs at both ends', async () => {
    const C = '198.51.100.7';
    for (const login of [' staff', 'staff\t', '\t staff  ']) {
      assert.equal((await attempt(srv, C, login, DEMO_PASSWORD)).status, 200, JSON.stringify(login));
    }
    for (const login of ['Staff', 'STAFF', 'staff\n', 'st aff', 'ｓｔａｆｆ', 'staf_', 'sta%', 'staff\u00a0', ' 13800000003\u3000']) {
      assertProblem(await attempt(srv, `198.51.100.${10 + login.length}`, login, DEMO_PASSWORD), 401, 'bad_credentials', JSON.stringify(login));
    }
  });
});

describe('the per-name ceiling and known devices', () => {
  let srv; let device; let staffDevice;
  before(async () => {
    srv = await startServer({ clock: T0, extra: ['--trusted-proxy', '127.0.0.1'] });
    // The owner has logged in on this device before the attack.
    device = deviceOf(await attempt(srv, '203.0.113.1', 'unit', DEMO_PASSWORD));
    staffDevice = deviceOf(await attempt(srv, '203.0.113.1', 'staff', DEMO_PASSWORD));
    assert.ok(device && staffDevice, 'login sets a known-device cookie');
    // 20 failures from four addresses: the ceiling (docs/security.md).
    for (let a = 1; a <= 4; a++) {
      for (let i = 0; i < 5; i++) assertProblem(await attempt(srv, `192.0.2.${a}`, 'unit', WRONG), 401, 'bad_credentials');
    }
    srv.advance(61); // each address's own wait is over
  });
  after(async () => { await srv?.stop(); });

  test('past the ceiling an address that failed waits for the hour, one more fresh address gets one try', async () => {
    const r = await attempt(srv, '192.0.2.1', 'unit', DEMO_PASSWORD);
    assertProblem(r, 429, 'throttled', 'an address that failed');
    const ra = Number(r.headers.get('retry-after'));
    assert.ok(ra > 3000 && ra <= 3600 - 61, `Retry-After ${ra} ends the hour`);
    assertProblem(await attempt(srv, '192.0.2.99', 'unit', WRONG), 401, 'bad_credentials', 'a fresh address is checked');
    assertProblem(await attempt(srv, '192.0.2.99', 'unit', DEMO_PASSWORD), 429, 'throttled', 'and waits after one failure');
  });

  test('the owner\'s right password from an address that has not failed is never refused', async () => {
    assert.equal((await attempt(srv, '192.0.2.200', 'unit', DEMO_PASSWORD)).status, 200);
  });

  test('a known device is let past the ceiling, even from an address that failed; its own failures count for itself', async () => {
    assert.equal((await attempt(srv, '192.0.2.1', 'unit', DEMO_PASSWORD, device)).status, 200);
    assertProblem(await attempt(srv, '192.0.2.1', 'unit', WRONG, device), 401, 'bad_credentials', 'a typo on the device');
  });

  test('a known-device cookie cannot be forged, altered or moved to another account', async () => {
    const [, value] = device.split('=');
    const [id, issued, nonce, mac] = value.split('.');
    const flip = (s) => (s[0] === '0' ? '1' : '0') + s.slice(1);
    const forged = [
      `did=${id}.${issued}.${nonce}.${flip(mac)}`,
      `did=${id}.${issued}.${flip(nonce)}.${mac}`,
      `did=${id}.${Number(issued) + 1}.${nonce}.${mac}`,
      `did=${Number(id) + 1}.${issued}.${nonce}.${mac}`,
      staffDevice, // a real cookie of another account
      `did=${value}.x`, 'did=', `DID=${value}`,
    ];
    for (const cookie of forged) assertProblem(await attempt(srv, '192.0.2.2', 'unit', DEMO_PASSWORD, cookie), 429, 'throttled', cookie);
  });

  test('a password change retires the account\'s known devices', async () => {
    const owner = new Client(srv.url);
    const r = await owner.post('/api/v1/session', { login: 'unit', password: DEMO_PASSWORD }, from('203.0.113.1', { Cookie: device }));
    assert.equal(r.status, 200);
    const NEW = 'Another-password-2026';
    assert.equal((await owner.put('/api/v1/me/password', { old_password: DEMO_PASSWORD, new_password: NEW }, from('203.0.113.1'))).status, 204);
    assertProblem(await attempt(srv, '192.0.2.3', 'unit', NEW, deviceOf(r)), 429, 'throttled', 'the device cookie of the old password');
  });

  test('the device cookie: HttpOnly, SameSite=Strict, sent only to the login route, kept 180 days', async () => {
    const r = await attempt(srv, '203.0.113.2', 'member', DEMO_PASSWORD);
    const set = r.headers.getSetCookie().find((v) => v.startsWith('did='));
    const attrs = set.split(';').map((s) => s.trim().toLowerCase());
    for (const a of ['httponly', 'samesite=strict', 'path=/api/v1/session', 'max-age=15552000']) assert.ok(attrs.includes(a), `${a} in ${set}`);
    assert.ok(!attrs.includes('secure'), 'Secure only with --secure-cookies');
    assert.match(set, /^did=\d+\.\d+\.[0-9a-f]{32}\.[0-9a-f]{64};/);
  });
});

describe('password change: throttled and audited like a login', () => {
  let srv; let admin;
  before(async () => {
    srv = await startServer({ clock: T0, extra: ['--trusted-proxy', '127.0.0.1'] });
    admin = await loginAs(srv, 'admin');
  });
  after(async () => { await srv?.stop(); });

  test('"same" is told from the two strings alone: the answer does not depend on the old password being right', async () => {
    const c = await loginAs(srv, 'member');
    const right = await c.put('/api/v1/me/password', { old_password: DEMO_PASSWORD, new_password: DEMO_PASSWORD });
    const wrong = await c.put('/api/v1/me/password', { old_password: 'Guessed-password-1', new_password: 'Guessed-password-1' });
    assert.equal(right.status, 422);
    assert.deepEqual(shape(wrong), shape(right));
    assert.deepEqual(right.json.errors.map((e) => [e.field, e.code]), [['new_password', 'same']]);
  });

  test('wrong old passwords: 5 answered 422 wrong, then 429 with Retry-After, even for the right one; each one audited', async () => {
    const c = new Client(srv.url);
    assert.equal((await c.post('/api/v1/session', { login: 'staff', password: DEMO_PASSWORD }, from('198.51.100.9'))).status, 200);
    const change = (old) => c.put('/api/v1/me/password', { old_password: old, new_password: 'Brand-new-password-1' }, from('198.51.100.9'));
    for (let i = 0; i < 5; i++) {
      const r = await change(`Guess-number-${i}-xyz`);
      assert.equal(r.status, 422, r.text);
      assert.equal(r.json.errors.find((e) => e.field === 'old_password')?.code, 'wrong');
    }
    const r = await change(DEMO_PASSWORD);
    assertProblem(r, 429, 'throttled');
    assert.equal(r.headers.get('retry-after'), '60');
    const audit = await admin.get('/api/v1/audit?action=account.password&per_page=50');
    const mine = audit.json.items.filter((e) => e.client_addr === '198.51.100.9');
    assert.deepEqual(mine.map((e) => e.outcome).sort(), ['failed', 'failed', 'failed', 'failed', 'failed', 'throttled']);
    srv.advance(60);
    assert.equal((await change(DEMO_PASSWORD)).status, 204, 'after the wait the right password changes it');
  });
});

describe('the counts live in the database: they survive a restart', () => {
  let srv;
  before(async () => { srv = await startServer(); });
  after(async () => { await srv?.stop(); });

  test('5 failures, restart, the address still waits', async () => {
    const c = new Client(srv.url);
    for (let i = 0; i < 5; i++) assertProblem(await c.post('/api/v1/session', { login: 'admin', password: WRONG }), 401, 'bad_credentials');
    assertProblem(await c.post('/api/v1/session', { login: 'admin', password: ADMIN_PASSWORD }), 429, 'throttled');
    srv.child.kill('SIGTERM');
    await once(srv.child, 'exit');
    const again = await serveExtra(srv.db);
    try {
      const r = await new Client(again.url).post('/api/v1/session', { login: 'admin', password: ADMIN_PASSWORD });
      assertProblem(r, 429, 'throttled', 'after the restart');
      assert.ok(Number(r.headers.get('retry-after')) > 0);
    } finally {
      await again.stop();
    }
  });
});
