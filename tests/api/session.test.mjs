// session.test.mjs: login, logout, cookies, throttling, timeouts and password change
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, dbDump, DEMO_PASSWORD, ADMIN_PASSWORD } from '../lib/server.mjs';
import { assertProblem, assertFieldError, loginAs, serveExtra, SHILIUQIAO, SANYUANLI, BAIYUN, CITY } from './helpers.mjs';

const T0 = 1_780_000_000; // a fixed Unix time for the fake clock

function sidOf(r) {
  const set = r.headers.get('set-cookie');
  const m = set && set.match(/(?:^|[,\s])sid=([^;]*)/);
  return m ? m[1] : null;
}

function withCookie(url, sid) {
  const c = new Client(url);
  c.cookie = `sid=${sid}`;
  return c;
}

async function failLogin(c, login, password = 'wrong-password-123') {
  return c.post('/api/v1/session', { login, password });
}

describe('sessions (default options, fake clock)', () => {
  let srv;
  before(async () => { srv = await startServer({ clock: T0 }); });
  after(async () => { await srv?.stop(); });

  test('login by login name answers 200 with <me> and a session cookie', async () => {
    const c = new Client(srv.url);
    const r = await c.post('/api/v1/session', { login: 'staff', password: DEMO_PASSWORD });
    assert.equal(r.status, 200, r.text);
    assert.ok(sidOf(r), 'Set-Cookie sid');
    const me = r.json.account;
    assert.equal(me.login, 'staff');
    assert.equal(me.phone, '13800000003');
    assert.equal(typeof me.id, 'number');
    assert.equal(typeof me.name, 'string');
    assert.ok(me.name.length > 0);
    assert.equal(me.roles.length, 1);
    const role = me.roles[0];
    assert.equal(role.role, 'staff');
    assert.deepEqual(role.region, { code: SHILIUQIAO, name: '石榴桥社区', level: 'community' });
    assert.deepEqual(role.region_path, [
      { code: CITY, name: '广州市', level: 'city' },
      { code: BAIYUN, name: '白云区', level: 'district' },
      { code: SANYUANLI, name: '三元里街道', level: 'street' },
      { code: SHILIUQIAO, name: '石榴桥社区', level: 'community' },
    ]);
    assert.equal(role.unit, null);
    const me2 = await c.get('/api/v1/me');
    assert.equal(me2.status, 200);
    assert.deepEqual(me2.json, me, 'GET /me equals the login answer');
  });

  test('login by phone number logs into the same account', async () => {
    const c = new Client(srv.url);
    const me = await c.login('13800000002');
    assert.equal(me.login, 'org');
    assert.equal(me.roles[0].role, 'org');
    assert.equal(me.roles[0].region.code, SANYUANLI);
    assert.equal(me.roles[0].region.level, 'street');
    assert.equal((await c.get('/api/v1/me')).json.login, 'org');
  });

  test('unit role: region and region_path are null, unit is {id, name}', async () => {
    const c = new Client(srv.url);
    const me = await c.login('unit');
    const role = me.roles[0];
    assert.equal(role.role, 'unit');
    assert.equal(role.region, null);
    assert.equal(role.region_path, null);
    assert.equal(typeof role.unit.id, 'number');
    assert.equal(typeof role.unit.name, 'string');
  });

  test('admin role has region null', async () => {
    const c = new Client(srv.url);
    const me = await c.login('admin', ADMIN_PASSWORD);
    assert.ok(me.roles.some((r) => r.role === 'admin' && r.region === null));
  });

  test('wrong password → 401 bad_credentials problem, no cookie', async () => {
    const c = new Client(srv.url);
    const r = await failLogin(c, 'member');
    assertProblem(r, 401, 'bad_credentials');
    assert.equal(sidOf(r), null);
    assertProblem(await c.get('/api/v1/me'), 401, 'unauthenticated');
  });

  test('unknown login → 401 bad_credentials (same answer as a wrong password)', async () => {
    const r = await failLogin(new Client(srv.url), 'no-such-user', DEMO_PASSWORD);
    assertProblem(r, 401, 'bad_credentials');
  });

  test('no cookie / a made-up cookie → 401 unauthenticated', async () => {
    assertProblem(await new Client(srv.url).get('/api/v1/me'), 401, 'unauthenticated');
    assertProblem(await withCookie(srv.url, 'A'.repeat(43)).get('/api/v1/me'), 401, 'unauthenticated');
  });

  test('the session cookie is the one named exactly sid, sent once (docs/security.md)', async () => {
    const sid = sidOf(await new Client(srv.url).post('/api/v1/session', { login: 'resident', password: DEMO_PASSWORD }));
    const other = sidOf(await new Client(srv.url).post('/api/v1/session', { login: 'staff', password: DEMO_PASSWORD }));
    const me = (cookie) => new Client(srv.url).get('/api/v1/me', { Cookie: cookie });
    for (const cookie of [`sid=${sid}`, ` sid=${sid}`, `a=1; sid=${sid}`, `sid=${sid}; b=2`, `SID=${other}; sid=${sid}`]) {
      const r = await me(cookie);
      assert.equal(r.status, 200, cookie);
      assert.equal(r.json.login, 'resident', cookie);
    }
    for (const cookie of [`SID=${sid}`, `Sid=${sid}`, `sidx=${sid}`, `xsid=${sid}`, `sid=${sid}; sid=${sid}`,
      `sid=${sid}; sid=${other}`, `sid=${other}; sid=${sid}`]) {
      assertProblem(await me(cookie), 401, 'unauthenticated', cookie);
    }
  });

  test('cookie attributes: HttpOnly, SameSite=Strict, Path=/, not Secure without --secure-cookies', async () => {
    const r = await new Client(srv.url).post('/api/v1/session', { login: 'resident', password: DEMO_PASSWORD });
    assert.equal(r.status, 200);
    const set = r.headers.get('set-cookie');
    const attrs = set.split(';').map((s) => s.trim().toLowerCase());
    assert.ok(attrs.includes('httponly'), set);
    assert.ok(attrs.includes('samesite=strict'), set);
    assert.ok(attrs.includes('path=/'), set);
    assert.ok(!attrs.includes('secure'), set);
    assert.ok(sidOf(r).length >= 43, 'a 256-bit token is at least 43 characters');
  });

  test('neither the session token nor a password is stored in the clear', async () => {
    const r = await new Client(srv.url).post('/api/v1/session', { login: 'unit', password: DEMO_PASSWORD });
    const sid = sidOf(r);
    const dump = dbDump(srv.db);
    assert.ok(dump.length > 1000, 'the dump has content');
    assert.ok(!dump.includes(decodeURIComponent(sid)), 'raw session token in the database');
    assert.ok(!dump.includes(DEMO_PASSWORD), 'demo password in the clear');
    assert.ok(!dump.includes(ADMIN_PASSWORD), 'admin password in the clear');
  });

  test('unknown login and wrong password give the same answer (no account enumeration)', async () => {
    const a = await failLogin(new Client(srv.url), 'nobody-at-all');
    const b = await failLogin(new Client(srv.url), 'staff');
    assert.equal(a.status, b.status);
    const strip = (j) => { const { request_id, ...rest } = j; return rest; };
    assert.deepEqual(strip(a.json), strip(b.json));
  });

  test('each login makes a new session with a new token; logout ends only that session', async () => {
    const a = new Client(srv.url);
    const b = new Client(srv.url);
    const ra = await a.post('/api/v1/session', { login: 'member', password: DEMO_PASSWORD });
    const rb = await b.post('/api/v1/session', { login: 'member', password: DEMO_PASSWORD });
    assert.equal(ra.status, 200);
    assert.equal(rb.status, 200);
    const sa = sidOf(ra);
    const sb = sidOf(rb);
    assert.notEqual(sa, sb);
    // a client that already has a session and logs in again gets a new token
    const ra2 = await a.post('/api/v1/session', { login: 'member', password: DEMO_PASSWORD });
    assert.notEqual(sidOf(ra2), sa);
    assert.notEqual(sidOf(ra2), sb);
    const out = await b.del('/api/v1/session');
    assert.equal(out.status, 204);
    assertProblem(await withCookie(srv.url, sb).get('/api/v1/me'), 401, 'unauthenticated');
    assert.equal((await withCookie(srv.url, sidOf(ra2)).get('/api/v1/me')).status, 200, 'other session lives on');
  });

  test('logout: 204, the old cookie is refused by the server afterwards', async () => {
    const c = new Client(srv.url);
    const r = await c.post('/api/v1/session', { login: 'unit', password: DEMO_PASSWORD });
    const sid = sidOf(r);
    assert.equal((await c.get('/api/v1/me')).status, 200);
    const out = await c.del('/api/v1/session');
    assert.equal(out.status, 204);
    assert.equal(out.text, '');
    assertProblem(await withCookie(srv.url, sid).get('/api/v1/me'), 401, 'unauthenticated');
    assertProblem(await withCookie(srv.url, sid).del('/api/v1/session'), 401, 'unauthenticated');
  });

  test('5 failures from one address: it waits 60 s (429 + Retry-After), the right password is not even checked; others are not stopped', async () => {
    const c = new Client(srv.url);
    for (let i = 1; i <= 5; i++) assertProblem(await failLogin(c, 'org'), 401, 'bad_credentials', `failure ${i}`);
    const r = await c.post('/api/v1/session', { login: 'org', password: DEMO_PASSWORD });
    assertProblem(r, 429, 'throttled');
    assert.equal(sidOf(r), null);
    assert.equal(r.headers.get('retry-after'), '60', 'the first wait is 60 s (docs/security.md)');
    // other accounts from the same address are not stopped
    assert.equal((await new Client(srv.url).post('/api/v1/session', { login: 'staff', password: DEMO_PASSWORD })).status, 200);
    srv.advance(50);
    const r2 = await c.post('/api/v1/session', { login: 'org', password: DEMO_PASSWORD });
    assertProblem(r2, 429, 'throttled', 'still waiting after 50 s of 60');
    assert.equal(r2.headers.get('retry-after'), '10', 'Retry-After counts down');
    srv.advance(10);
    const ok = await c.post('/api/v1/session', { login: 'org', password: DEMO_PASSWORD });
    assert.equal(ok.status, 200, `the wait is over after 60 s: ${ok.status} ${ok.text}`);
  });

  test('lockout counts failures in a row: a success in between resets the count (docs/security.md)', async () => {
    srv.advance(1000);
    const c = new Client(srv.url);
    for (let i = 0; i < 4; i++) assertProblem(await failLogin(c, 'unit'), 401, 'bad_credentials');
    assert.equal((await c.post('/api/v1/session', { login: 'unit', password: DEMO_PASSWORD })).status, 200);
    for (let i = 0; i < 4; i++) assertProblem(await failLogin(c, 'unit'), 401, 'bad_credentials');
    assert.equal((await c.post('/api/v1/session', { login: 'unit', password: DEMO_PASSWORD })).status, 200);
  });

  test('4 failures do not lock the account', async () => {
    srv.advance(1000);
    const c = new Client(srv.url);
    for (let i = 0; i < 4; i++) assertProblem(await failLogin(c, 'resident'), 401, 'bad_credentials');
    assert.equal((await c.post('/api/v1/session', { login: 'resident', password: DEMO_PASSWORD })).status, 200);
  });

  test('idle timeout 30 min: activity keeps the session, 30 min of silence ends it', async () => {
    srv.advance(1000);
    const c = await loginAs(srv, 'member');
    srv.advance(1790);
    assert.equal((await c.get('/api/v1/me')).status, 200, 'after 1790 s idle');
    srv.advance(1790);
    assert.equal((await c.get('/api/v1/me')).status, 200, 'activity refreshed the idle timer');
    srv.advance(1810);
    assertProblem(await c.get('/api/v1/me'), 401, 'unauthenticated', 'after 1810 s idle');
  });

  test('absolute timeout 12 h even with steady activity', async () => {
    const c = await loginAs(srv, 'staff');
    let elapsed = 0;
    while (elapsed + 1700 < 43200) {
      srv.advance(1700);
      elapsed += 1700;
      assert.equal((await c.get('/api/v1/me')).status, 200, `active at ${elapsed} s`);
    }
    const rest = 43200 - elapsed;
    if (rest > 1) { srv.advance(rest - 1); assert.equal((await c.get('/api/v1/me')).status, 200, 'at 12 h − 1 s'); }
    srv.advance(rest > 1 ? 2 : rest + 1);
    assertProblem(await c.get('/api/v1/me'), 401, 'unauthenticated', 'after 12 h');
  });

  describe('password change', () => {
    const NEW = 'Ganz-neues-Passwort-42';
    let a; let b;
    before(async () => {
      a = await loginAs(srv, 'member');
      b = await loginAs(srv, 'member');
    });

    test('new password under 12 characters → 422 new_password too_short', async () => {
      const r = await a.put('/api/v1/me/password', { old_password: DEMO_PASSWORD, new_password: 'short-11chr' });
      assertFieldError(r, 'new_password', 'too_short');
      assert.equal((await b.get('/api/v1/me')).status, 200, 'nothing changed: other session alive');
    });

    test('wrong old password → 422 old_password wrong', async () => {
      const r = await a.put('/api/v1/me/password', { old_password: 'not-my-password-1', new_password: NEW });
      assertFieldError(r, 'old_password', 'wrong');
      assert.equal((await b.get('/api/v1/me')).status, 200, 'nothing changed: other session alive');
    });

    test('both wrong → both fields named', async () => {
      const r = await a.put('/api/v1/me/password', { old_password: 'not-my-password-1', new_password: 'short' });
      assertFieldError(r, 'new_password', 'too_short');
      assertFieldError(r, 'old_password', 'wrong');
    });

    test('new password over 128 characters → 422 new_password too_long (docs/security.md)', async () => {
      const r = await a.put('/api/v1/me/password', { old_password: DEMO_PASSWORD, new_password: 'x'.repeat(129) });
      assertFieldError(r, 'new_password', 'too_long');
      assert.equal((await b.get('/api/v1/me')).status, 200, 'nothing changed');
    });

    test('success → 204, other sessions end, current one stays, new password works, old does not', async () => {
      const c = await loginAs(srv, 'member');
      const r = await a.put('/api/v1/me/password', { old_password: DEMO_PASSWORD, new_password: NEW });
      assert.equal(r.status, 204, r.text);
      assert.equal((await a.get('/api/v1/me')).status, 200, 'current session kept');
      assertProblem(await b.get('/api/v1/me'), 401, 'unauthenticated', 'other session ended');
      assertProblem(await c.get('/api/v1/me'), 401, 'unauthenticated', 'third session ended');
      assertProblem(await new Client(srv.url).post('/api/v1/session', { login: 'member', password: DEMO_PASSWORD }), 401, 'bad_credentials');
      assert.equal((await new Client(srv.url).post('/api/v1/session', { login: 'member', password: NEW })).status, 200);
    });

    test('passwords are kept exactly as typed: spaces count, 128 characters are fine', async () => {
      const spaced = '  Spaced-password-1  ';
      assert.equal((await a.put('/api/v1/me/password', { old_password: NEW, new_password: spaced })).status, 204);
      assertProblem(await new Client(srv.url).post('/api/v1/session', { login: 'member', password: spaced.trim() }), 401, 'bad_credentials');
      assert.equal((await new Client(srv.url).post('/api/v1/session', { login: 'member', password: spaced })).status, 200);
      const long = '长'.repeat(128);
      assert.equal((await a.put('/api/v1/me/password', { old_password: spaced, new_password: long })).status, 204);
      assert.equal((await new Client(srv.url).post('/api/v1/session', { login: 'member', password: long })).status, 200);
    });

    test('the change did not touch other accounts', async () => {
      assert.equal((await new Client(srv.url).post('/api/v1/session', { login: 'resident', password: DEMO_PASSWORD })).status, 200);
    });
  });
});

describe('sessions with --session-idle 60 --session-max 300 --lockout 120', () => {
  let srv;
  before(async () => { srv = await startServer({ clock: T0, idle: 60, max: 300, lockout: 120 }); });
  after(async () => { await srv?.stop(); });

  test('--session-idle 60', async () => {
    const c = await loginAs(srv, 'member');
    srv.advance(55);
    assert.equal((await c.get('/api/v1/me')).status, 200);
    srv.advance(55);
    assert.equal((await c.get('/api/v1/me')).status, 200);
    srv.advance(65);
    assertProblem(await c.get('/api/v1/me'), 401, 'unauthenticated');
  });

  test('--session-max 300', async () => {
    const c = await loginAs(srv, 'staff');
    for (let t = 50; t <= 250; t += 50) { srv.advance(50); assert.equal((await c.get('/api/v1/me')).status, 200, `at ${t} s`); }
    srv.advance(49);
    assert.equal((await c.get('/api/v1/me')).status, 200, 'at 299 s');
    srv.advance(2);
    assertProblem(await c.get('/api/v1/me'), 401, 'unauthenticated', 'at 301 s');
  });

  test('--lockout 120: the waits double from 60 s and stop growing at 120 s', async () => {
    const c = new Client(srv.url);
    for (let i = 0; i < 5; i++) assertProblem(await failLogin(c, 'resident'), 401, 'bad_credentials');
    const waits = [];
    for (let i = 0; i < 3; i++) {
      const r = await c.post('/api/v1/session', { login: 'resident', password: DEMO_PASSWORD });
      assertProblem(r, 429, 'throttled');
      waits.push(Number(r.headers.get('retry-after')));
      srv.advance(waits[i]);
      assertProblem(await failLogin(c, 'resident'), 401, 'bad_credentials', 'after the wait the next try is checked');
    }
    assert.deepEqual(waits, [60, 120, 120]);
    srv.advance(120);
    assert.equal((await c.post('/api/v1/session', { login: 'resident', password: DEMO_PASSWORD })).status, 200);
  });

  test('20 failures from one address within 15 min → 429 for every account, ends later', async () => {
    srv.advance(2000); // earlier failures are out of the window
    const c = new Client(srv.url);
    const logins = ['member', 'member', 'member', 'member', 'staff', 'staff', 'staff', 'staff', 'unit', 'unit',
      'unit', 'unit', 'ghost1', 'ghost2', 'ghost3', 'ghost4', 'ghost5', 'ghost6', 'ghost7', 'ghost8'];
    for (const [i, login] of logins.entries()) {
      assertProblem(await failLogin(c, login), 401, 'bad_credentials', `failure ${i + 1} (${login})`);
      srv.advance(10);
    }
    const r = await c.post('/api/v1/session', { login: 'admin', password: ADMIN_PASSWORD });
    assertProblem(r, 429, 'throttled', 'admin has no failures, but the address has 20');
    assert.ok(Number(r.headers.get('retry-after')) > 0, `Retry-After ${r.headers.get('retry-after')}`);
    srv.advance(1000);
    assert.equal((await c.post('/api/v1/session', { login: 'admin', password: ADMIN_PASSWORD })).status, 200);
  });
});

describe('serve --secure-cookies', () => {
  let srv; let sec;
  before(async () => {
    srv = await startServer();
    sec = await serveExtra(srv.db, ['--secure-cookies']);
  });
  after(async () => { await sec?.stop(); await srv?.stop(); });

  test('the session cookie is Secure (and still HttpOnly, SameSite=Strict, Path=/); HSTS is sent', async () => {
    const r = await new Client(sec.url).post('/api/v1/session', { login: 'member', password: DEMO_PASSWORD });
    assert.equal(r.status, 200, r.text);
    const attrs = r.headers.get('set-cookie').split(';').map((s) => s.trim().toLowerCase());
    for (const a of ['secure', 'httponly', 'samesite=strict', 'path=/']) assert.ok(attrs.includes(a), `${a} in ${attrs}`);
    assert.match(r.headers.get('strict-transport-security') || '', /max-age=\d+/);
    const device = r.headers.getSetCookie().find((v) => v.startsWith('did='));
    const dattrs = device.split(';').map((s) => s.trim().toLowerCase());
    for (const a of ['secure', 'httponly', 'samesite=strict', 'path=/api/v1/session']) assert.ok(dattrs.includes(a), `${a} in ${device}`);
  });

  test('without the option: no Secure and no HSTS', async () => {
    const r = await new Client(srv.url).post('/api/v1/session', { login: 'member', password: DEMO_PASSWORD });
    assert.ok(!r.headers.get('set-cookie').split(';').map((s) => s.trim().toLowerCase()).includes('secure'));
    assert.equal(r.headers.get('strict-transport-security'), null);
  });
});
