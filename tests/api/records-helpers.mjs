// records-helpers.mjs: what the service-record tests share: members with accounts, free time slots, the database read back
import assert from 'node:assert/strict';
import { Client, dbQuery, sqlConcat } from '../lib/server.mjs';
import { validIdNumber, SHILIUQIAO } from './helpers.mjs';

// The server's fake clock stands still here (the demo was loaded a moment before, at the real time).
export const NOW = Math.floor(Date.now() / 1000);
export const DAY = 86400;
export const FOUR = '𠀀'; // U+20000: four bytes in UTF-8, one character

// Reads (or, for what other parts of serving would write, writes) the server's database directly: sqlite3, or
// psql on PostgreSQL (BAODAO_TEST_ENGINE=postgres); both print a row's columns joined by '|', a row per line.
export function sql(srv, q) {
  return dbQuery(srv.db, q);
}

// The default catalogue's items by code: {G01: id, …}.
export function items(srv) {
  return Object.fromEntries(sql(srv, 'SELECT code, id FROM catalog_item WHERE region_code IS NULL').split('\n')
    .map((l) => l.split('|')).map(([code, id]) => [code, Number(id)]));
}

// A start time no other test of this process uses: 3-hour slots going back from 10 days ago (self reports
// may be 90 days old), so that no two services of one member overlap unless a test means them to.
let slot = 0;
export function when() {
  slot += 1;
  assert.ok(slot < 600, 'slots within the 90 days a member may report');
  return NOW - 10 * DAY - slot * 3 * 3600;
}

let seq = 0;
// A member file typed in by staff: approved at once, in their community.
export async function newFile(staff, over = {}) {
  seq += 1;
  const r = await staff.post('/api/v1/members', {
    name: `服务${seq}号`.replace(/\d/g, (d) => '〇一二三四五六七八九'[d]), phone: `1366${String(process.pid % 1000).padStart(3, '0')}${String(seq).padStart(4, '0')}`,
    id_number: validIdNumber('19790615', 100 + seq), community_code: SHILIUQIAO, joined_party_on: '2008-07-01', ...over,
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.registration.state, 'approved');
  return r.json.member;
}

// Opens an account for a file and signs the member in on it (the one-time code changed for a password).
export async function memberClient(srv, staff, file) {
  const opened = await staff.post(`/api/v1/members/${file.id}/account`);
  assert.equal(opened.status, 201, opened.text);
  const c = new Client(srv.url);
  await c.login(file.phone, opened.json.code);
  const changed = await c.put('/api/v1/me/password', { old_password: opened.json.code, new_password: 'Member-own-password-1' });
  assert.equal(changed.status, 204, changed.text);
  return c;
}

// What a phone's 记录服务 form sends.
export function report(item, over = {}) {
  return { item_id: item, started_at: when(), minutes: 90, place: '第一网格 2栋', content: '送午餐上门', ...over };
}

// Adds a record and asserts it was made; returns its detail.
export async function made(who, path, body, status = 201) {
  const r = await who.post(path, body);
  assert.equal(r.status, status, r.text);
  return r.json;
}

// The audit entries of a record, oldest first: [action, outcome].
export async function auditOf(admin, id) {
  const r = await admin.get(`/api/v1/audit?target_type=record&target_id=${id}&per_page=100`);
  assert.equal(r.status, 200, r.text);
  return r.json.items.map((e) => [e.action, e.outcome]).reverse();
}

// What the record routes could write: a fingerprint of every record table.
export function written(srv) {
  return sql(srv, `SELECT (SELECT COUNT(*) FROM record), (SELECT COUNT(*) FROM record_field), (SELECT COUNT(*) FROM record_event),
    (SELECT COUNT(*) FROM record_photo), (SELECT ${sqlConcat('id || state || reason')} FROM record_request),
    (SELECT ${sqlConcat('id || state || minutes || reason')} FROM record)`);
}
