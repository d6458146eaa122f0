// feedback-people.mjs: what the feedback and bonus tests share: every role of their matrix, files of the demo's units, services, an .xlsx read back
import assert from 'node:assert/strict';
import { Client } from '../lib/server.mjs';
import { loginAs, addUser, assertProblem, ADMIN_PASSWORD, SHILIUQIAO, FEIE, HONGQIAO } from './helpers.mjs';
import { newFile, memberClient, made } from './records-helpers.mjs';
import { unzip } from '../lib/zip.mjs';

// The demo's units: unit 2 (三元里街社区卫生服务中心, the `unit` account's) and 4 (穗云科技有限公司), both of 三元里街道.
export const UNIT = 2;
export const UNIT2 = 4;
// The roles of the matrix: staff2 serves 飞鹅新村社区 (the same street), org2 越秀区's 洪桥街道, unit2 is unit 4's.
export const ROLES = ['admin', 'org', 'org2', 'staff', 'staff2', 'unit', 'unit2', 'member', 'resident', 'anon'];
const DENY = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' };

export async function everyone(srv) {
  addUser(srv, 'staff2', 'staff', { region: FEIE });
  addUser(srv, 'org2', 'org', { region: HONGQIAO });
  addUser(srv, 'unit2', 'unit', { unit: UNIT2 });
  const as = {};
  for (const l of ['admin', 'org', 'org2', 'staff', 'staff2', 'unit', 'unit2', 'resident']) as[l] = await loginAs(srv, l);
  as.anon = new Client(srv.url);
  return as;
}

// Signs every role (and the phones of phoneOf) in again on the same clients: moving the clock by days ends sessions.
export async function signIn(as) {
  for (const l of ['admin', 'org', 'org2', 'staff', 'staff2', 'unit', 'unit2', 'resident']) await as[l].login(l, l === 'admin' ? ADMIN_PASSWORD : undefined);
  for (const c of Object.values(as)) if (c.phone) await c.login(c.phone, PHONE_PASSWORD);
}

// Asserts what each role gets: expected names every role; a refusal is a problem with the usual code, 400 a bad query.
export async function matrix(as, expected, send, what) {
  assert.deepEqual(Object.keys(expected).sort(), [...ROLES].sort(), `${what}: every role is named`);
  for (const role of ROLES) {
    const r = await send(as[role], role);
    const status = expected[role];
    if (status === 400) assertProblem(r, 400, 'bad_query', `${what} as ${role}`);
    else if (DENY[status]) assertProblem(r, status, DENY[status], `${what} as ${role}`);
    else assert.equal(r.status, status, `${what} as ${role}: ${r.status} ${r.text.slice(0, 300)}`);
  }
}

// A file typed in by staff of its community (approved at once), of unit (0: none), with a name of our choosing.
export async function unitFile(staff, name, unit, community = SHILIUQIAO) {
  return newFile(staff, { name, community_code: community, ...(unit ? { unit_id: unit } : {}) });
}

// A member's own signed-in phone (memberClient's password), which signIn signs in again.
const PHONE_PASSWORD = 'Member-own-password-1';
export async function phoneOf(srv, staff, file) {
  const c = await memberClient(srv, staff, file);
  c.phone = file.phone;
  return c;
}

// A service of item (义务理发, G07) stamped by staff at once.
export async function serve(staff, file, item, started_at, minutes) {
  return made(staff, '/api/v1/records', { member_id: file.id, item_id: item, started_at, minutes, place: '社区', content: '理发', confirm: true });
}

// Fetches an .xlsx as who and reads its first sheet into rows of text (inline strings or shared ones).
export async function sheetRows(srv, who, path) {
  const r = await fetch(srv.url + path, { headers: { Cookie: who.cookie } });
  assert.equal(r.status, 200, path);
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
  const bytes = Buffer.from(await r.arrayBuffer());
  const parts = unzip(bytes);
  const shared = [...(parts['xl/sharedStrings.xml']?.toString() ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => text(m[1]));
  const xml = parts['xl/worksheets/sheet1.xml'].toString();
  const rows = [...xml.matchAll(/<row [^>]*>([\s\S]*?)<\/row>/g)].map((row) => {
    const cells = [];
    for (const c of row[1].matchAll(/<c r="([A-Z]+)\d+"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const col = c[1].charCodeAt(0) - 65;
      const body = c[3] ?? '';
      cells[col] = /t="s"/.test(c[2]) ? shared[Number(body.match(/<v>(\d+)<\/v>/)[1])] : text(body);
    }
    return Array.from(cells, (v) => v ?? '');
  });
  return { rows, bytes, disposition: r.headers.get('content-disposition') };
}

const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
const text = (xml) => unescape([...xml.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((m) => m[1]).join(''));
