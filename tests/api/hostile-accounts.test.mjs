// hostile-accounts.test.mjs: malformed and malicious requests to the account, sign-up and numbers routes: a 4xx problem, nothing written
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, dbQuery, sqlConcat } from '../lib/server.mjs';
import { assertProblem, loginAs, SHILIUQIAO } from './helpers.mjs';

let srv, admin, staff, org, staffId, fileId;

function sql(q) {
  return dbQuery(srv.db, q);
}
// What these routes could write: accounts, grants, codes, links, passwords, disabled flags.
function state() {
  return sql(`SELECT (SELECT COUNT(*) FROM account), (SELECT COUNT(*) FROM role_grant), (SELECT COUNT(*) FROM signup_code),
    (SELECT COUNT(*) FROM member WHERE account_id IS NOT NULL), (SELECT ${sqlConcat("password_hash || disabled || ':' || must_change_password")}
    FROM account)`);
}

function hostile(name, send, statuses) {
  test(name, async () => {
    const before = state();
    const r = await send();
    assert.ok(statuses.includes(r.status), `status ${r.status} not in ${statuses}: ${r.text?.slice(0, 300)}`);
    assertProblem(r, r.status);
    assert.equal(state(), before, 'nothing was written');
    assert.equal((await new Client(srv.url).get('/healthz')).status, 200);
  });
}

before(async () => {
  srv = await startServer();
  [admin, staff, org] = await Promise.all(['admin', 'staff', 'org'].map((l) => loginAs(srv, l)));
  staffId = (await staff.get('/api/v1/me')).json.id;
  const f = await staff.post('/api/v1/members', { name: '敌对测试', phone: '13912121212', id_number: '440104198808080031',
    community_code: SHILIUQIAO });
  fileId = f.json.member.id;
});
after(() => srv.stop());

const anon = () => new Client(srv.url);
const L = 'x'.repeat(10000);

describe('sign-up', () => {
  const ok = { kind: 'member', phone: '13612341234', name: '某人', password: 'Good-password-123', community_code: SHILIUQIAO };
  hostile('not JSON', () => anon().post('/api/v1/signup', 'kind=member'), [400]);
  hostile('an array', () => anon().post('/api/v1/signup', [ok]), [400]);
  hostile('wrong types', () => anon().post('/api/v1/signup', { ...ok, phone: 13612341234, name: ['x'] }), [422]);
  hostile('10,000-character name and password', () => anon().post('/api/v1/signup', { ...ok, name: L, password: L }), [422]);
  hostile('NUL in the name', () => anon().post('/api/v1/signup', `{"kind":"member","phone":"13612341234","name":"a\\u0000b","password":"Good-password-123","community_code":"${SHILIUQIAO}"}`), [400, 422]);
  hostile('full-width digits in the phone', () => anon().post('/api/v1/signup', { ...ok, phone: '１３６１２３４１２３４' }), [422]);
  hostile('a street for the community', () => anon().post('/api/v1/signup', { ...ok, community_code: '440111002000' }), [422]);
  hostile('SQL in the code', () => anon().post('/api/v1/signup', { ...ok, community_code: undefined, code: "' OR 1=1--" }), [422]);
  hostile('asking to be admin', () => anon().post('/api/v1/signup', { ...ok, role: 'admin' }), [422]);
  hostile('without the CSRF header', () => anon().post('/api/v1/signup', ok, { 'X-Requested-With': 'nope' }), [403]);
  hostile('form-encoded', () => anon().post('/api/v1/signup', 'a=b', { 'Content-Type': 'application/x-www-form-urlencoded' }), [415]);
});

describe('accounts', () => {
  hostile('open from a file: a path that is no id', () => staff.post('/api/v1/members/1%20OR%201/account'), [404]);
  hostile('open from a file: id 0 and a huge id', async () => {
    const a = await staff.post('/api/v1/members/0/account');
    return a.status === 404 ? staff.post('/api/v1/members/99999999999999999999/account') : a;
  }, [404]);
  hostile('open from a file as an org', () => org.post(`/api/v1/members/${fileId}/account`), [403]);
  hostile('create: unknown role', () => admin.post('/api/v1/accounts', { name: 'x', login: 'xx', role: 'root' }), [422]);
  hostile('create: region that does not exist', () => admin.post('/api/v1/accounts', { name: 'x', login: 'xx', role: 'staff', region_code: '999999999999' }), [422]);
  hostile('create: negative unit', () => admin.post('/api/v1/accounts', { name: 'x', login: 'xx', role: 'unit', unit_id: -1 }), [422]);
  hostile('create: 10,000-character login', () => admin.post('/api/v1/accounts', { name: 'x', login: L, role: 'admin' }), [422]);
  hostile('create: control character in the login', () => admin.post('/api/v1/accounts', { name: 'x', login: 'a\tb', role: 'admin' }), [422]);
  hostile('create: an org for staff of another district', () => org.post('/api/v1/accounts', { name: 'x', login: 'xx', role: 'staff', region_code: '440104001007' }), [403]);
  hostile('reset one\'s own account', () => staff.post(`/api/v1/accounts/${staffId}/reset`), [404]);
  hostile('reset with a body of garbage', () => admin.post('/api/v1/accounts/abc/reset', '{{{'), [400, 404]);
  hostile('disable an account that does not exist', () => admin.post('/api/v1/accounts/424242/disable'), [404]);
  hostile('confirm an account with nothing waiting', () => staff.post(`/api/v1/accounts/${staffId}/confirm`), [404, 409]);
  hostile('list: no role', () => admin.get('/api/v1/accounts'), [400]);
  hostile('list: role that is no role', () => admin.get('/api/v1/accounts?role=root'), [400]);
  hostile('list: invalid UTF-8 in q', () => admin.get('/api/v1/accounts?role=member&q=%FF%FE'), [400]);
  hostile('list: q of 10,000 characters', () => admin.get(`/api/v1/accounts?role=member&q=${L}`), [400, 414]);
  hostile('poster code for a region that is no community', () => staff.post('/api/v1/signup/codes', { region_code: '440111002000' }), [404]);
  hostile('poster code with both a region and a unit', () => admin.post('/api/v1/signup/codes', { region_code: SHILIUQIAO, unit_id: 2 }), [422]);
  hostile('poster code: renew as a string', () => staff.post('/api/v1/signup/codes', { region_code: SHILIUQIAO, renew: 'yes' }), [422]);
});

describe('numbers', () => {
  hostile('a region code with SQL in it', () => admin.get("/api/v1/stats/regions/440111'--"), [404]);
  hostile('children sorted by a column that is not offered', () => admin.get('/api/v1/stats/regions/440111002000/children?sort=name'), [400]);
  hostile('units with a page far past the end', () => admin.get('/api/v1/stats/regions/440111002000/units?page=99999999'), [400]);
  hostile('a unit id that is no number', () => admin.get('/api/v1/stats/units/1e3'), [404]);
});
