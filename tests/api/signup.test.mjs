// signup.test.mjs: self sign-up that tells nothing about who has an account; posters' codes; residents confirmed by staff
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { loginAs, addUser, assertProblem, assertFieldError, validIdNumber, SHILIUQIAO, FEIE } from './helpers.mjs';

let srv, staff, staffFeie, unit, admin;
let addr = 0;

// A client from an address of its own, through the trusted proxy (else one limit would count every test).
function fromAddress() {
  addr += 1;
  const c = new Client(srv.url), req = c.req.bind(c), xff = `10.0.${addr >> 8}.${addr & 255}`;
  c.req = (method, path, body, headers = {}) => req(method, path, body, { 'X-Forwarded-For': xff, ...headers });
  return c;
}
const signup = (body, c = fromAddress()) => c.post('/api/v1/signup', body);
const login = (name, password) => new Client(srv.url).post('/api/v1/session', { login: name, password });

before(async () => {
  srv = await startServer({ extra: ['--trusted-proxy', '127.0.0.1'] });
  addUser(srv, 'staff_feie', 'staff', { region: FEIE });
  [staff, staffFeie, unit, admin] = await Promise.all(['staff', 'staff_feie', 'unit', 'admin'].map((l) => loginAs(srv, l)));
});
after(() => srv.stop());

describe('posters\' codes', () => {
  let code;

  test('staff get their community\'s code, the same one until renewed; the QR is an SVG of the sign-up address', async () => {
    const r = await staff.post('/api/v1/signup/codes', { region_code: SHILIUQIAO });
    assert.equal(r.status, 200, r.text);
    assert.match(r.json.code, /^[A-HJ-NP-Z2-9]{8}$/);
    assert.equal(r.json.community.name, '石榴桥社区');
    assert.equal(r.json.community.path_names, '广州市 › 白云区 › 三元里街道');
    code = r.json.code;
    assert.equal((await staff.post('/api/v1/signup/codes', { region_code: SHILIUQIAO })).json.code, code);
    const shown = await new Client(srv.url).get(`/api/v1/signup/codes/${code}`);
    assert.equal(shown.status, 200);
    assert.equal(shown.json.community.code, SHILIUQIAO);
    const qr = await new Client(srv.url).get(`/api/v1/signup/codes/${code}/qr.svg`);
    assert.equal(qr.status, 200);
    assert.equal(qr.headers.get('content-type'), 'image/svg+xml');
    assert.match(qr.text, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 (\d+) \1"/);
    assert.ok((qr.text.match(/h\d+v1h-\d+z/g) || []).length > 100, 'the QR code has its modules');
  });

  test('renewed: the old code stops working at once', async () => {
    const r = await staff.post('/api/v1/signup/codes', { region_code: SHILIUQIAO, renew: true });
    assert.notEqual(r.json.code, code);
    assertProblem(await new Client(srv.url).get(`/api/v1/signup/codes/${code}`), 404, 'not_found');
    assertProblem(await new Client(srv.url).get(`/api/v1/signup/codes/${code}/qr.svg`), 404, 'not_found');
    assertFieldError(await signup({ kind: 'member', phone: '13611110000', name: '旧码', password: 'Old-code-pass-1', code }),
      'code', 'not_found');
    code = r.json.code;
  });

  test('a unit has its own; nobody takes another place\'s code', async () => {
    const r = await unit.post('/api/v1/signup/codes', { unit_id: 2 });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.unit.id, 2);
    assert.equal(r.json.community, null);
    assertProblem(await staffFeie.post('/api/v1/signup/codes', { region_code: SHILIUQIAO }), 404);
    assertProblem(await unit.post('/api/v1/signup/codes', { unit_id: 1 }), 404);
    assertProblem(await staff.post('/api/v1/signup/codes', { unit_id: 2 }), 404);
    assertFieldError(await staff.post('/api/v1/signup/codes', {}), 'region_code', 'required');
    assertProblem(await new Client(srv.url).post('/api/v1/signup/codes', { region_code: SHILIUQIAO }), 401);
    for (const bad of ['abc', 'AAAAAAAA', 'AAAAAAAAA', '%27%20or%201%3D1'])
      assertProblem(await new Client(srv.url).get(`/api/v1/signup/codes/${bad}`), 404, 'not_found', bad);
  });
});

describe('signing up', () => {
  test('a member by community: 202, logs in with phone and password, and may report in at once', async () => {
    const r = await signup({ kind: 'member', phone: '13611112222', name: '钱新党员', password: 'Member-signup-pass1',
      community_code: SHILIUQIAO });
    assert.equal(r.status, 202, r.text);
    assert.equal(r.json.status, 'received');
    const c = await loginAs(srv, '13611112222', 'Member-signup-pass1');
    const me = (await c.get('/api/v1/me')).json;
    assert.deepEqual(me.roles.map((x) => [x.role, x.region.code, x.pending]), [['member', SHILIUQIAO, false]]);
    assert.equal(me.must_change_password, false);
    const rep = await c.post('/api/v1/me/registration', { name: '钱新党员', phone: '13611112222',
      id_number: validIdNumber('19900101', 501), community_code: SHILIUQIAO });
    assert.equal(rep.status, 201, rep.text);
    assert.equal(rep.json.registration.state, 'pending');
  });

  test('a resident from a poster: waits for the community, with nothing but their own account open', async () => {
    const { code } = (await staff.post('/api/v1/signup/codes', { region_code: SHILIUQIAO })).json;
    const r = await signup({ kind: 'resident', phone: '13611113333', name: '孙居民', password: 'Resident-pass-123', code });
    assert.equal(r.status, 202, r.text);
    const c = await loginAs(srv, '13611113333', 'Resident-pass-123');
    const me = (await c.get('/api/v1/me')).json;
    assert.deepEqual(me.roles.map((x) => [x.role, x.region.code, x.pending]), [['resident', SHILIUQIAO, true]]);
    assertProblem(await c.get('/api/v1/specialties'), 403, 'forbidden');
    // Staff see it waiting, confirm it; the resident's role then counts.
    const waiting = (await staff.get('/api/v1/accounts?role=resident&pending=true')).json.items;
    const mine = waiting.find((a) => a.login === '13611113333');
    assert.ok(mine && mine.pending);
    assertProblem(await staffFeie.post(`/api/v1/accounts/${mine.id}/confirm`), 404);
    const ok = await staff.post(`/api/v1/accounts/${mine.id}/confirm`);
    assert.deepEqual(ok.json, { id: mine.id, outcome: 'confirmed' });
    assert.equal((await c.get('/api/v1/specialties')).status, 200, 'the next request has the role');
    assertProblem(await staff.post(`/api/v1/accounts/${mine.id}/confirm`), 409, 'conflict');
  });

  test('a resident refused: the waiting grant is gone, the account has no role', async () => {
    assert.equal((await signup({ kind: 'resident', phone: '13611114444', name: '李外人', password: 'Resident-pass-456',
      community_code: SHILIUQIAO })).status, 202);
    const id = (await staff.get('/api/v1/accounts?role=resident&q=13611114444')).json.items[0].id;
    assert.deepEqual((await staff.post(`/api/v1/accounts/${id}/refuse`)).json, { id, outcome: 'refused' });
    const c = await loginAs(srv, '13611114444', 'Resident-pass-456');
    assert.deepEqual((await c.get('/api/v1/me')).json.roles, []);
    const log = (await admin.get(`/api/v1/audit?target_type=account&target_id=${id}`)).json.items.map((e) => e.action);
    assert.deepEqual(log.filter((a) => a !== 'session.login').sort(), ['account.refuse', 'account.signup']);
  });

  test('a phone that has an account: the same answer, nothing changed, and only the audit log knows', async () => {
    const first = await signup({ kind: 'member', phone: '13800000005', name: '冒名', password: 'Someone-else-pass1',
      community_code: FEIE });
    const fresh = await signup({ kind: 'member', phone: '13611115555', name: '真新人', password: 'Someone-else-pass1',
      community_code: FEIE });
    assert.equal(first.status, fresh.status);
    assert.deepEqual(first.json, fresh.json);
    assert.deepEqual([...first.headers.keys()].sort(), [...fresh.headers.keys()].sort());
    assertProblem(await login('13800000005', 'Someone-else-pass1'), 401, 'bad_credentials');
    assert.equal((await login('13800000005', 'Demo-baodao-2026')).status, 200, 'the owner\'s password still works');
    const dup = (await admin.get('/api/v1/audit?action=account.signup')).json.items.filter((e) => e.outcome === 'duplicate');
    assert.equal(dup.length, 1);
    assert.ok(!JSON.stringify(dup).includes('13800000005'), 'the phone is not written into the log');
  });

  test('the form is checked, every fault named', async () => {
    const r = await signup({ kind: 'volunteer', phone: '1361111', name: '', password: 'short', community_code: '440111002000' });
    assertFieldError(r, 'kind', 'enum');
    assertFieldError(r, 'phone', 'format');
    assertFieldError(r, 'name', ['required', 'too_short']);
    assertFieldError(r, 'password', 'too_short');
    assertFieldError(r, 'community_code', 'not_found');
    assertFieldError(await signup({ kind: 'member', phone: '13611116666', name: '没选', password: 'Nowhere-pass-123' }),
      'community_code', 'required');
    assertFieldError(await signup({ kind: 'member', phone: '13611116666', name: 'a\u0007b', password: 'Nowhere-pass-123',
      community_code: SHILIUQIAO }), 'name', 'utf8');
    assertProblem(await signup([]), 400, 'bad_json');
    assertFieldError(await signup({ kind: 'member', phone: '13611116666', name: 'x', password: 'Nowhere-pass-123',
      community_code: SHILIUQIAO, role: 'admin' }), 'role', 'unknown');
    assertProblem(await new Client(srv.url).post('/api/v1/signup', { kind: 'member' }, { 'X-Requested-With': '' }), 403, 'csrf');
  });

  test('communities to choose from, without logging in', async () => {
    const r = await new Client(srv.url).get(`/api/v1/signup/communities?q=${encodeURIComponent('石榴桥')}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.items.map((x) => [x.code, x.path_names]), [[SHILIUQIAO, '广州市 › 白云区 › 三元里街道']]);
    assertProblem(await new Client(srv.url).get('/api/v1/signup/communities'), 400, 'bad_query');
  });
});

describe('limits', () => {
  test('five sign-ups an hour for one phone, whoever sends them', async () => {
    const body = { kind: 'member', phone: '13611117777', name: '试探', password: 'Probe-password-12', community_code: SHILIUQIAO };
    for (let i = 0; i < 5; i++) assert.equal((await signup(body)).status, 202);
    const r = await signup(body);
    assertProblem(r, 429, 'throttled');
    assert.ok(Number(r.headers.get('retry-after')) > 0);
  });

  test('thirty an hour from one address, whatever the phones', async () => {
    const c = fromAddress();
    let last;
    for (let i = 0; i < 31; i++)
      last = await signup({ kind: 'resident', phone: `1371111${String(i).padStart(4, '0')}`, name: '批量',
        password: 'Batch-password-12', community_code: SHILIUQIAO }, c);
    assertProblem(last, 429, 'throttled');
  });
});
