// serving-people.mjs: the people of the catalogue, posts and teams tests: every role, in and out of scope
import assert from 'node:assert/strict';
import { Client } from '../lib/server.mjs';
import { loginAs, addUser, assertProblem, validIdNumber, SHILIUQIAO, FEIE, YUEXIU } from './helpers.mjs';

// The roles of the authorization matrix, each a signed-in client (anon: none).
export const ROLES = ['admin', 'org', 'org2', 'staff', 'staff2', 'unit', 'member', 'memberElsewhere', 'memberWaiting',
  'resident', 'anon'];
const DENY = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' };

// n characters from U+20000 on: CJK Extension B, 4 bytes each in UTF-8, as some names need.
export const wide = (n, from = 0x20000) => Array.from({ length: n }, (_, i) => String.fromCodePoint(from + (i % 64))).join('');

// Asserts what each role of the matrix gets: expected maps a role to its status (every role must be named).
export async function matrix(as, expected, send, what) {
  assert.deepEqual(Object.keys(expected).sort(), [...ROLES].sort(), `${what}: every role is named`);
  for (const role of ROLES) expectStatus(await send(as[role], role), expected[role], `${what} as ${role}`);
}

// Asserts a status; a refusal is a problem with the usual code.
export function expectStatus(r, status, what) {
  if (status >= 400 && DENY[status]) assertProblem(r, status, DENY[status], what);
  else assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
}

let serial = 0;
// A member account that reports in to community on the phone; approved by approver unless it is null.
// preferred: the posts named as preferred (意向岗位). Returns {client, id (the file's), name, form (as sent)}.
export async function reportedMember(srv, login, community, approver, { preferred = '', specialties = '' } = {}) {
  serial += 1;
  const phone = `137${String(serial).padStart(8, '0')}`;
  const birth = new Date(Date.UTC(1975, 0, 1) + serial * 86400000).toISOString().slice(0, 10).replaceAll('-', '');
  const name = `党员${login}`.slice(0, 50);
  addUser(srv, login, 'member', { region: community, name, phone });
  const client = await loginAs(srv, login);
  const form = { name, phone, id_number: validIdNumber(birth, serial % 1000), community_code: community,
    joined_party_on: '2010-07-01', preferred_posts: preferred, specialties };
  const r = await client.post('/api/v1/me/registration', form);
  assert.equal(r.status, 201, r.text);
  if (approver) {
    const a = await approver.post(`/api/v1/registrations/${r.json.registration.id}/approve`);
    assert.equal(a.status, 200, a.text);
  }
  return { client, id: r.json.member.id, name, form };
}

// Every role of the matrix on srv: demo accounts, a second org (越秀区) and staff (飞鹅新村社区), members
// approved in 石榴桥 and in 飞鹅, the demo member still waiting in 石榴桥.
export async function everyone(srv) {
  const as = {};
  as.admin = await loginAs(srv, 'admin');
  addUser(srv, 'org2', 'org', { region: YUEXIU });
  addUser(srv, 'staff2', 'staff', { region: FEIE });
  for (const r of ['org', 'org2', 'staff', 'staff2', 'unit', 'resident']) as[r] = await loginAs(srv, r);
  as.anon = new Client(srv.url);
  const here = await reportedMember(srv, 'm_here', SHILIUQIAO, as.staff, { preferred: '文明劝导、楼栋长' });
  const there = await reportedMember(srv, 'm_there', FEIE, as.staff2);
  as.member = here.client;
  as.memberElsewhere = there.client;
  as.memberWaiting = await loginAs(srv, 'member');
  const w = await as.memberWaiting.post('/api/v1/me/registration', {
    name: '王党员', phone: '13800000005', id_number: '440111199003071232', community_code: SHILIUQIAO,
    joined_party_on: '2012-07-01',
  });
  assert.equal(w.status, 201, w.text);
  return { as, memberId: here.id, elsewhereId: there.id, waitingId: w.json.member.id };
}
