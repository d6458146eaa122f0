// accounts.test.mjs: accounts opened from member files and by officials, one-time codes, resets, disabling, who keeps which
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { loginAs, addUser, assertProblem, assertFieldError, validIdNumber, SHILIUQIAO, FEIE, SANYUANLI, BAIYUN,
  SANYANJING, HONGQIAO } from './helpers.mjs';

const T0 = 1_790_000_000;
let srv, as = {};
let seq = 0;

// A member file typed in by staff (approved at once) or entered by a unit (pending).
async function file(who, over = {}) {
  seq += 1;
  const r = await who.post('/api/v1/members', {
    name: `开户${seq}`, phone: `1350000${String(seq).padStart(4, '0')}`, id_number: validIdNumber('19860101', 400 + seq),
    community_code: SHILIUQIAO, ...over,
  });
  assert.equal(r.status, 201, r.text);
  return r.json.member;
}

const login = (name, password) => new Client(srv.url).post('/api/v1/session', { login: name, password });

// Sessions last 12 hours: after the clock moves days ahead, everyone logs in again.
async function loginAll() {
  for (const l of ['admin', 'org', 'staff', 'staff_feie', 'unit', 'member', 'resident', 'org_yuexiu'])
    as[l] = await loginAs(srv, l);
}

before(async () => {
  srv = await startServer({ clock: T0 });
  addUser(srv, 'staff_feie', 'staff', { region: FEIE });
  addUser(srv, 'org_yuexiu', 'org', { region: HONGQIAO });
  await loginAll();
});
after(() => srv.stop());

describe('an account from a member file, with a one-time code', () => {
  let m, code, account;

  test('staff open it: login = phone, 12 digits shown once, not cached, the file linked, audited', async () => {
    m = await file(as.staff);
    const r = await as.staff.post(`/api/v1/members/${m.id}/account`);
    assert.equal(r.status, 201, r.text);
    assert.match(r.json.code, /^\d{12}$/);
    assert.equal(r.json.account.login, m.phone);
    assert.equal(r.json.code_valid_days, 14);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    ({ code } = r.json);
    account = r.json.account.id;
    assert.equal((await as.staff.get(`/api/v1/members/${m.id}`)).json.member.has_account, true);
    const log = (await as.admin.get(`/api/v1/audit?action=account.create&target_id=${account}`)).json.items;
    assert.equal(log.length, 1);
    assert.equal(log[0].target_name, m.name);
    assert.ok(!JSON.stringify(log).includes(code), 'the code is never in the audit log');
    assertProblem(await as.staff.post(`/api/v1/members/${m.id}/account`), 409, 'conflict');
  });

  test('the code logs in, and nothing but the password change is open until it is changed', async () => {
    const c = new Client(srv.url);
    const r = await c.post('/api/v1/session', { login: m.phone, password: code });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.account.must_change_password, true);
    assert.deepEqual(r.json.account.roles.map((x) => [x.role, x.region.code, x.pending]), [['member', SHILIUQIAO, false]]);
    assertProblem(await c.get('/api/v1/me/member'), 403, 'password_change_required');
    assertProblem(await c.get('/api/v1/units/directory'), 403, 'password_change_required');
    assert.equal((await c.get('/api/v1/me')).status, 200);
    const changed = await c.put('/api/v1/me/password', { old_password: code, new_password: 'Member-own-password-1' });
    assert.equal(changed.status, 204, changed.text);
    assert.equal((await c.get('/api/v1/me')).json.must_change_password, false);
    assert.equal((await c.get('/api/v1/me/member')).json.member.id, m.id, 'the member sees their own file');
    assertProblem(await login(m.phone, code), 401, 'bad_credentials');
  });

  test('a reset issues a new code: the old password and every session end', async () => {
    const c = await loginAs(srv, m.phone, 'Member-own-password-1');
    const r = await as.staff.post(`/api/v1/accounts/${account}/reset`);
    assert.equal(r.status, 200, r.text);
    assert.match(r.json.code, /^\d{12}$/);
    assert.notEqual(r.json.code, code);
    assertProblem(await c.get('/api/v1/me'), 401, 'unauthenticated');
    assertProblem(await login(m.phone, 'Member-own-password-1'), 401, 'bad_credentials');
    const again = await login(m.phone, r.json.code);
    assert.equal(again.status, 200);
    assert.equal(again.json.account.must_change_password, true);
    code = r.json.code;
  });

  test('a one-time code stops working after 14 days', async () => {
    srv.advance(14 * 86400 + 1);
    await loginAll();
    assertProblem(await login(m.phone, code), 401, 'code_expired');
    assertProblem(await login(m.phone, 'not-the-code-at-all'), 401, 'bad_credentials');
    const fresh = await as.staff.post(`/api/v1/accounts/${account}/reset`);
    assert.equal((await login(m.phone, fresh.json.code)).status, 200);
    code = fresh.json.code;
  });

  test('disabled: its sessions end and its right password answers as a wrong one; enabled again', async () => {
    const c = await loginAs(srv, m.phone, code);
    const r = await as.staff.post(`/api/v1/accounts/${account}/disable`);
    assert.deepEqual(r.json, { id: account, disabled: true });
    assertProblem(await c.get('/api/v1/me'), 401);
    assertProblem(await login(m.phone, code), 401, 'bad_credentials');
    const list = (await as.staff.get('/api/v1/accounts?role=member')).json.items;
    assert.equal(list.find((a) => a.id === account).disabled, true);
    assert.equal((await as.staff.post(`/api/v1/accounts/${account}/enable`)).status, 200);
    assert.equal((await login(m.phone, code)).status, 200);
    const actions = (await as.admin.get(`/api/v1/audit?target_type=account&target_id=${account}`)).json.items.map((e) => e.action);
    for (const a of ['account.create', 'account.reset', 'account.disable', 'account.enable']) assert.ok(actions.includes(a), a);
  });

  test('a phone another account logs in with is refused, naming the field', async () => {
    const twin = await file(as.staff, { phone: '13800000005' }); // the demo member's phone
    const p = assertProblem(await as.staff.post(`/api/v1/members/${twin.id}/account`), 409, 'conflict');
    assert.deepEqual(p.errors.map((e) => [e.field, e.code]), [['phone', 'taken']]);
    assert.equal((await as.staff.get(`/api/v1/members/${twin.id}`)).json.member.has_account, false, 'nothing was made');
  });

  test('a unit opens its members\' accounts; a member who moves takes the account along', async () => {
    const own = await file(as.unit, { unit_id: 2 });
    const r = await as.unit.post(`/api/v1/members/${own.id}/account`);
    assert.equal(r.status, 201, r.text);
    const c = await loginAs(srv, own.phone, r.json.code);
    assert.equal((await c.put('/api/v1/me/password', { old_password: r.json.code, new_password: 'Moving-member-pass-1' })).status, 204);
    // The file waits at 石榴桥; approved there, then the member moves to 飞鹅 and 飞鹅 approves.
    const reg = (await as.staff.get(`/api/v1/members/${own.id}`)).json.registration.id;
    assert.equal((await as.staff.post(`/api/v1/registrations/${reg}/approve`)).status, 200);
    const body = { name: own.name, phone: own.phone, id_number: validIdNumber('19860101', 400 + seq), community_code: FEIE };
    const moved = await c.post('/api/v1/me/registration', body);
    assert.equal(moved.status, 201, moved.text);
    assert.equal((await as.staff_feie.post(`/api/v1/registrations/${moved.json.registration.id}/approve`)).status, 200);
    const me = (await c.get('/api/v1/me')).json;
    assert.deepEqual(me.roles.map((x) => [x.role, x.region.code]), [['member', FEIE]]);
    assert.ok((await as.staff_feie.get('/api/v1/accounts?role=member')).json.items.some((a) => a.login === own.phone));
    assert.ok(!(await as.staff.get('/api/v1/accounts?role=member')).json.items.some((a) => a.login === own.phone));
  });
});

describe('who may open an account from a file', () => {
  let m;
  before(async () => { m = await file(as.staff); });
  const cases = [['staff_feie', 404], ['org', 403], ['member', 403], ['resident', 403], ['org_yuexiu', 403], ['admin', 201]];
  for (const [who, status] of cases)
    test(`${who} → ${status}`, async () => {
      const r = await as[who].post(`/api/v1/members/${m.id}/account`);
      if (status === 201) assert.equal(r.status, 201, r.text);
      else assertProblem(r, status);
    });
  test('anonymous → 401; a file that does not exist → 404', async () => {
    assertProblem(await new Client(srv.url).post(`/api/v1/members/${m.id}/account`), 401);
    assertProblem(await as.staff.post('/api/v1/members/999999/account'), 404, 'not_found');
  });
});

describe('accounts opened by officials', () => {
  const body = (over) => ({ name: '新同事', phone: '', ...over });

  test('admin opens an org; an org opens staff in its street, not elsewhere, and no orgs', async () => {
    let r = await as.admin.post('/api/v1/accounts', body({ login: 'org-baiyun', role: 'org', region_code: BAIYUN }));
    assert.equal(r.status, 201, r.text);
    assert.match(r.json.code, /^\d{12}$/);
    r = await as.org.post('/api/v1/accounts', body({ login: 'staff-feie-2', role: 'staff', region_code: FEIE }));
    assert.equal(r.status, 201, r.text);
    assertProblem(await as.org.post('/api/v1/accounts', body({ login: 'staff-x', role: 'staff', region_code: SANYANJING })), 403);
    assertProblem(await as.org.post('/api/v1/accounts', body({ login: 'org-x', role: 'org', region_code: SANYUANLI })), 403);
    assertProblem(await as.staff.post('/api/v1/accounts', body({ login: 'staff-y', role: 'staff', region_code: SHILIUQIAO })), 403);
    assertProblem(await as.unit.post('/api/v1/accounts', body({ login: 'unit-y', role: 'unit', unit_id: 2 })), 403);
  });

  test('staff open a resident of their community (代录), by phone', async () => {
    const r = await as.staff.post('/api/v1/accounts', body({ name: '刘奶奶', phone: '13933330000', role: 'resident', region_code: SHILIUQIAO }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.account.login, '13933330000');
    assertProblem(await as.staff.post('/api/v1/accounts', body({ phone: '13933330001', role: 'resident', region_code: FEIE })), 403);
  });

  test('faults are named; a login or phone that is taken is refused', async () => {
    let r = await as.admin.post('/api/v1/accounts', body({ role: 'staff', region_code: SANYUANLI, phone: '12345' }));
    assertFieldError(r, 'phone', 'format');
    assertFieldError(r, 'region_code', 'not_found'); // staff belong to a community, not a street
    r = await as.admin.post('/api/v1/accounts', body({ role: 'unit' }));
    assertFieldError(r, 'unit_id', 'not_found');
    assertFieldError(r, 'login', 'required');
    assertFieldError(await as.admin.post('/api/v1/accounts', body({ login: 'a b', role: 'admin' })), 'login', 'format');
    assertFieldError(await as.admin.post('/api/v1/accounts', body({ login: 'x', role: 'emperor' })), 'role', 'enum');
    r = await as.admin.post('/api/v1/accounts', body({ login: 'staff', role: 'admin' }));
    assertProblem(r, 409, 'conflict');
    assertProblem(await as.admin.post('/api/v1/accounts', body({ login: 'p2', phone: '13800000003', role: 'admin' })), 409);
  });

  test('who keeps which account: an org its street\'s staff; nobody their own; outside the reach 404', async () => {
    const staffId = (await as.staff.get('/api/v1/me')).json.id;
    const orgId = (await as.org.get('/api/v1/me')).json.id;
    assert.equal((await as.org.post(`/api/v1/accounts/${staffId}/reset`)).status, 200);
    as.staff = null; // its sessions ended
    assertProblem(await as.org_yuexiu.post(`/api/v1/accounts/${staffId}/reset`), 404, 'not_found');
    assertProblem(await as.org.post(`/api/v1/accounts/${orgId}/reset`), 404, 'not_found');
    assertProblem(await as.staff_feie.post(`/api/v1/accounts/${orgId}/disable`), 404, 'not_found');
    assertProblem(await as.unit.post(`/api/v1/accounts/${staffId}/disable`), 404, 'not_found');
    const list = (await as.org.get('/api/v1/accounts?role=staff')).json.items.map((a) => a.login).sort();
    assert.deepEqual(list, ['staff', 'staff-feie-2', 'staff_feie']);
    assert.deepEqual((await as.org.get('/api/v1/accounts?role=member')).json.items, [], 'an org keeps no member accounts');
    assertProblem(await as.org.get('/api/v1/accounts'), 400, 'bad_query');
    assertProblem(await as.member.get('/api/v1/accounts?role=member'), 403, 'forbidden');
  });
});
