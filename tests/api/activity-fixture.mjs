// activity-fixture.mjs: what the activity, sign-up and attendance tests share: every role, approved and waiting members, an activity body
import assert from 'node:assert/strict';
import { startServer, Client, dbQuery } from '../lib/server.mjs';
import { loginAs, addUser, assertProblem, validIdNumber, SHILIUQIAO, FEIE, HONGQIAO, SANYANJING } from './helpers.mjs';

export const HOUR = 3600;
export const DAY = 86400;
// Saturday 2026-03-07 09:00 in China: the fake clock starts a week before it.
export const SAT9 = 1_772_845_200;
export const T0 = SAT9 - 7 * DAY;

// Every role of the authorization matrix (approved: a member with an approved report-in; waiting: one whose waits).
export const ROLES = ['admin', 'org', 'org2', 'staff', 'staff2', 'unit', 'approved', 'waiting', 'resident', 'anon'];
export const DENY = { 401: 'unauthenticated', 403: ['forbidden', 'not_approved'], 404: 'not_found' };

// Asserts a status (a problem with the matrix's code for a refusal).
export function expectStatus(r, status, what) {
  if (status >= 400) assertProblem(r, status, DENY[status], what);
  else assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
}

export function sql(srv, q) {
  return dbQuery(srv.db, q);
}

// The id of a catalogue item of the default list by its code (A01 环境整治, G01 长者送餐 asks for extra fields).
export function itemId(srv, code) {
  return Number(sql(srv, `SELECT id FROM catalog_item WHERE code = '${code}' AND region_code IS NULL`));
}

let serial = 0;
// A member file typed in by who (staff: approved at once; unit: waiting), with an account logged in on a phone.
export async function memberWithAccount(srv, who, over = {}) {
  serial += 1;
  const name = over.name ?? `活动党员${serial}`;
  const f = await who.post('/api/v1/members', {
    name, phone: `1361${String(process.pid % 1000).padStart(3, '0')}${String(serial).padStart(4, '0')}`,
    id_number: validIdNumber('19800101', 300 + serial), community_code: SHILIUQIAO, ...over,
  });
  assert.equal(f.status, 201, f.text);
  const a = await who.post(`/api/v1/members/${f.json.member.id}/account`);
  assert.equal(a.status, 201, a.text);
  const c = new Client(srv.url);
  await c.login(a.json.account.login, a.json.code);
  const p = await c.put('/api/v1/me/password', { old_password: a.json.code, new_password: 'Member-own-password-1' });
  assert.equal(p.status, 204, p.text);
  c.member = f.json.member;
  c.loginName = a.json.account.login;
  return c;
}

// n approved member files of community code typed in by staff, each with an account logged in. Quicker
// than memberWithAccount: the accounts are written as `baodao generate` writes them (login = phone, the
// demo member's password hash shared), so each costs one Argon2id check at login instead of three.
export async function quickMembers(srv, staff, n, over = {}) {
  const files = await Promise.all(Array.from({ length: n }, () => {
    serial += 1;
    return staff.post('/api/v1/members', {
      name: `${over.prefix ?? '党员'}${serial}`, phone: `1371${String(process.pid % 1000).padStart(3, '0')}${String(serial).padStart(4, '0')}`,
      id_number: validIdNumber('19900101', 300 + serial), community_code: over.community_code ?? SHILIUQIAO,
    });
  }));
  for (const f of files) assert.equal(f.status, 201, f.text);
  const code = over.community_code ?? SHILIUQIAO;
  sql(srv, files.map(({ json: { member: m } }) => `
    INSERT INTO account (login, name, phone, password_hash, password_changed_at, created_at)
      SELECT '${m.phone}', '${m.name}', '${m.phone}', password_hash, ${T0}, ${T0} FROM account WHERE login = 'member';
    INSERT INTO role_grant (account_id, role, region_code, created_at)
      SELECT id, 'member', '${code}', ${T0} FROM account WHERE login = '${m.phone}';
    UPDATE member SET account_id = (SELECT id FROM account WHERE login = '${m.phone}') WHERE id = ${m.id};`).join('\n'));
  const clients = [];
  // A few logins at a time: each is an Argon2id check, and a crowd of them would outwait the request timeout.
  for (let i = 0; i < files.length; i += 6) {
    clients.push(...await Promise.all(files.slice(i, i + 6).map(async ({ json: { member: m } }) => {
      const c = new Client(srv.url);
      await c.login(m.phone);
      c.member = m;
      c.loginName = m.phone;
      return c;
    })));
  }
  return clients;
}

// Starts a server at T0 with every role logged in (as.<role>), the unit's id and the item ids. Sessions
// stay idle for a day (the most serve allows), so tests move the clock by hours without logging in again.
export async function activityServer(opts = {}) {
  const srv = await startServer({ clock: T0, idle: 86400, max: 30 * 86400, ...opts });
  addUser(srv, 'org2', 'org', { region: HONGQIAO });
  addUser(srv, 'staff2', 'staff', { region: FEIE });
  const as = {};
  for (const r of ['admin', 'org', 'org2', 'staff', 'staff2', 'unit', 'resident', 'member']) as[r] = await loginAs(srv, r);
  as.anon = new Client(srv.url);
  const unitId = (await as.unit.get('/api/v1/me')).json.roles[0].unit.id;
  as.approved = await memberWithAccount(srv, as.staff, { name: '报名党员甲', unit_id: unitId });
  as.waiting = await memberWithAccount(srv, as.unit, { name: '待审党员乙', unit_id: unitId });
  assert.equal(as.waiting.member.state, 'pending');
  const items = { env: itemId(srv, 'A01'), talk: itemId(srv, 'A02'), meals: itemId(srv, 'G01') };
  return { srv, as, unitId, items };
}

// A valid activity body: 石榴桥社区's own, Saturday 09:00–11:00, 10 places, open to the community.
export function activityBody(items, over = {}) {
  return {
    community_code: SHILIUQIAO, organiser: 'community', item_id: items.env, title: '石榴桥社区环境整治',
    description: '清理楼道杂物和卫生死角，自带手套。', place: '社区党群服务中心门前', starts_at: SAT9, ends_at: SAT9 + 2 * HOUR,
    capacity: 10, audience: 'community', specialties: ['水电维修'], ...over,
  };
}

// Creates (and with publish: true publishes) an activity as who; returns it.
export async function createActivity(who, items, over = {}) {
  const r = await who.post('/api/v1/activities', activityBody(items, over));
  assert.equal(r.status, 201, r.text);
  return r.json;
}

export { SHILIUQIAO, FEIE, SANYANJING, HONGQIAO };
