// records-authz.test.mjs: who may see and change service records: every role, in and out of scope (404 outside what one may read, 403 when one may read but not act)
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { loginAs, addUser, assertProblem, assertCleanLog, unitBody, SHILIUQIAO, SANYANJING, HONGQIAO } from './helpers.mjs';
import { NOW, sql, items, when, newFile, memberClient, report, made, auditOf } from './records-helpers.mjs';

let srv, item, ownUnit, otherUnit;
const as = {};
let owner, near, far; // files: the owner's (石榴桥, the demo unit's), another member's there, one in 三眼井社区 (unit2's)

const DENY = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' };
function expect(r, status, what) {
  if (status >= 400) assertProblem(r, status, DENY[status], what);
  else assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
}

before(async () => {
  srv = await startServer({ clock: NOW });
  as.admin = await loginAs(srv, 'admin');
  otherUnit = (await as.admin.post('/api/v1/units', unitBody({ region_code: SANYANJING }))).json.id;
  addUser(srv, 'staff2', 'staff', { region: SANYANJING });
  addUser(srv, 'org2', 'org', { region: HONGQIAO });
  addUser(srv, 'unit2', 'unit', { unit: otherUnit });
  for (const l of ['org', 'org2', 'staff', 'staff2', 'unit', 'unit2', 'resident']) as[l] = await loginAs(srv, l);
  as.anon = new Client(srv.url);
  item = items(srv);
  ownUnit = (await as.unit.get('/api/v1/me')).json.roles[0].unit.id;
  owner = await newFile(as.staff, { unit_id: ownUnit });
  near = await newFile(as.staff);
  far = await newFile(as.staff2, { community_code: SANYANJING, unit_id: otherUnit });
  as.owner = await memberClient(srv, as.staff, owner);
  as.other = await memberClient(srv, as.staff, near);
  // 王党员 has reported in, and waits for the community's approval.
  as.waiting = await loginAs(srv, 'member');
  const reg = await as.waiting.post('/api/v1/me/registration', { name: '王党员', phone: '13800000005', id_number: '440111199003071232',
    community_code: SHILIUQIAO, joined_party_on: '2012-07-01' });
  assert.equal(reg.status, 201, reg.text);
  assert.equal(reg.json.registration.state, 'pending');
});
after(async () => {
  await srv?.stop();
  assertCleanLog(srv.log());
});

const ALL = ['admin', 'org', 'org2', 'staff', 'staff2', 'unit', 'unit2', 'owner', 'other', 'waiting', 'resident', 'anon'];
// Who may read a record of the owner in 石榴桥社区: the city, the street, the community, the owner's unit, the owner.
const READS = { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, unit: 200, unit2: 404, owner: 200, other: 404,
  waiting: 404, resident: 403, anon: 401 };
// Who may act on it for the community: admin and its staff (another community's staff do not see it); the
// street's org reads it but may not stamp it, nor may any role but staff (403 for the role, whatever the record).
const ACTS = { admin: 200, staff: 200, staff2: 404, org: 403, org2: 403, unit: 403, unit2: 403, owner: 403, other: 403,
  waiting: 403, resident: 403, anon: 401 };
// What only the member does with their own record: another member does not see it.
const OWNS = { admin: 403, staff: 403, staff2: 403, org: 403, org2: 403, unit: 403, unit2: 403, owner: 200, other: 404,
  waiting: 404, resident: 403, anon: 401 };

const pending = async () => (await made(as.staff, '/api/v1/records', { member_id: owner.id, ...report(item.A01) })).id;
const confirmed = async () => (await made(as.staff, '/api/v1/records', { member_id: owner.id, ...report(item.A01), confirm: true })).id;
const stateOf = (id) => sql(srv, `SELECT state || '|' || minutes || '|' || (SELECT COUNT(*) FROM record c WHERE c.corrects_id = ${id}) FROM record WHERE id = ${id}`);

// For each caller a fresh record: the change goes through for those allowed, nothing changes for the others.
function changes(route, make, send, table, { ok = 200 } = {}) {
  describe(route, () => {
    for (const who of ALL) {
      const status = table[who] === 200 ? ok : table[who];
      test(`as ${who} → ${status}`, async () => {
        const id = await make();
        const was = stateOf(id);
        const r = await send(as[who], id);
        expect(r, status, who);
        if (status >= 400) assert.equal(stateOf(id), was, 'nothing changed');
        else assert.notEqual(stateOf(id), was, 'the change went through');
      });
    }
  });
}

describe('GET /api/v1/records/{id}', () => {
  let id;
  before(async () => { id = await pending(); });
  for (const who of ALL) {
    test(`as ${who} → ${READS[who]}`, async () => {
      const r = await as[who].get(`/api/v1/records/${id}`);
      expect(r, READS[who], who);
      if (READS[who] === 200) assert.equal(r.json.id, id);
    });
  }
  test('a record that does not exist is the same 404 as one out of reach', async () => {
    const none = await as.staff2.get('/api/v1/records/987654');
    const hidden = await as.staff2.get(`/api/v1/records/${id}`);
    assert.deepEqual(none.json, hidden.json);
  });
});

describe('GET /api/v1/records (the queue): each sees what is in their reach', () => {
  let mine, theirs;
  before(async () => {
    mine = await pending();
    theirs = (await made(as.staff2, '/api/v1/records', { member_id: far.id, ...report(item.A01) })).id;
  });
  const sees = { admin: [true, true], org: [true, false], org2: [false, true], staff: [true, false], staff2: [false, true],
    unit: [true, false], unit2: [false, true] };
  for (const [who, [a, b]] of Object.entries(sees)) {
    test(`as ${who} → 200, ${a ? 'with' : 'without'} 石榴桥's, ${b ? 'with' : 'without'} 三眼井's`, async () => {
      const r = await as[who].get('/api/v1/records?state=pending&per_page=100');
      expect(r, 200, who);
      const ids = r.json.items.map((x) => x.id);
      assert.equal(ids.includes(mine), a);
      assert.equal(ids.includes(theirs), b);
    });
  }
  for (const who of ['owner', 'other', 'waiting', 'resident', 'anon']) {
    const status = who === 'anon' ? 401 : 403;
    test(`as ${who} → ${status}`, async () => expect(await as[who].get('/api/v1/records'), status, who));
  }
  test('a community filter outside one\'s reach narrows nothing open: still only what one may read', async () => {
    const r = await as.staff.get(`/api/v1/records?community=${SANYANJING}`);
    assert.deepEqual(r.json.items, []);
  });
});

describe('GET /api/v1/me/records: one\'s own service only', () => {
  let id;
  before(async () => { id = await pending(); });
  const table = { owner: [200, true], other: [200, false], waiting: [200, false], admin: [403], staff: [403], org: [403], unit: [403],
    resident: [403], anon: [401] };
  for (const [who, [status, sees]] of Object.entries(table)) {
    test(`as ${who} → ${status}`, async () => {
      const r = await as[who].get('/api/v1/me/records?per_page=100');
      expect(r, status, who);
      if (status === 200) {
        assert.equal(r.json.items.some((x) => x.id === id), sees);
        for (const x of r.json.items) assert.ok(x.member_id !== owner.id || who === 'owner');
      }
    });
  }
});

describe('POST /api/v1/me/records: a member whose report-in is approved', () => {
  const table = { owner: 201, other: 201, waiting: 403, resident: 403, admin: 403, staff: 403, org: 403, unit: 403, anon: 401 };
  for (const [who, status] of Object.entries(table)) {
    test(`as ${who} → ${status}`, async () => {
      const before = sql(srv, 'SELECT COUNT(*) FROM record');
      const r = await as[who].post('/api/v1/me/records', report(item.A01));
      expect(r, status, who);
      assert.equal(Number(sql(srv, 'SELECT COUNT(*) FROM record')), Number(before) + (status === 201 ? 1 : 0));
      if (who === 'waiting') assert.equal(r.json.title, '报到通过后才能记录服务');
    });
  }
});

describe('POST /api/v1/records (staff entry): for a member of the community one serves', () => {
  const table = { admin: 201, staff: 201, staff2: 422, org: 403, org2: 403, unit: 403, unit2: 403, owner: 403, waiting: 403,
    resident: 403, anon: 401 };
  for (const [who, status] of Object.entries(table)) {
    test(`as ${who} → ${status}`, async () => {
      const r = await as[who].post('/api/v1/records', { member_id: owner.id, ...report(item.A01) });
      if (status === 422) assert.equal(assertProblem(r, 422, 'validation').errors[0].field, 'member_id');
      else expect(r, status, who);
    });
  }
});

changes('POST /api/v1/records/{id}/confirm', pending, (c, id) => c.post(`/api/v1/records/${id}/confirm`), ACTS);
changes('POST /api/v1/records/{id}/reject', pending, (c, id) => c.post(`/api/v1/records/${id}/reject`, { reason: '与签到表不符' }), ACTS);
changes('POST /api/v1/records/{id}/minutes', pending, (c, id) => c.post(`/api/v1/records/${id}/minutes`, { minutes: 45, reason: '按签到表' }), ACTS);
changes('POST /api/v1/records/{id}/corrections', confirmed,
  (c, id) => c.post(`/api/v1/records/${id}/corrections`, { minutes: 30, reason: '核对后更正' }), ACTS, { ok: 201 });
changes('POST /api/v1/records/{id}/withdraw', async () => (await made(as.owner, '/api/v1/me/records', report(item.A01))).id,
  (c, id) => c.post(`/api/v1/records/${id}/withdraw`), OWNS);

describe('POST /api/v1/records/{id}/requests: the member asks about their own confirmed record', () => {
  for (const who of ALL) {
    const status = OWNS[who] === 200 ? 201 : OWNS[who];
    test(`as ${who} → ${status}`, async () => {
      const id = await confirmed();
      const r = await as[who].post(`/api/v1/records/${id}/requests`, { reason: '时长登记少了' });
      expect(r, status, who);
      assert.equal(sql(srv, `SELECT COUNT(*) FROM record_request WHERE record_id = ${id}`), status === 201 ? '1' : '0');
    });
  }
});

describe('POST /api/v1/records/confirm (bulk): only what one may stamp is stamped', () => {
  const table = { admin: 'confirmed', staff: 'confirmed', staff2: 'not_found', org: 403, org2: 403, unit: 403, owner: 403,
    resident: 403, anon: 401 };
  for (const [who, want] of Object.entries(table)) {
    test(`as ${who} → ${typeof want === 'number' ? want : `200, ${want}`}`, async () => {
      const id = await pending();
      const r = await as[who].post('/api/v1/records/confirm', { ids: [id] });
      if (typeof want === 'number') expect(r, want, who);
      else assert.deepEqual(r.json.results, [{ id, outcome: want }]);
      assert.equal(stateOf(id).split('|')[0], want === 'confirmed' ? 'confirmed' : 'pending');
    });
  }
});

describe('GET /api/v1/record-requests, and answering them', () => {
  let asked;
  const ask = async () => (await made(as.owner, `/api/v1/records/${await confirmed()}/requests`, { reason: '时长登记少了', minutes: 100 })).id;
  const answered = (q) => sql(srv, `SELECT state FROM record_request WHERE id = ${q}`);
  before(async () => { asked = await ask(); });
  const sees = { admin: true, org: true, org2: false, staff: true, staff2: false, unit: true, unit2: false };
  for (const [who, yes] of Object.entries(sees)) {
    test(`list as ${who} → 200, ${yes ? 'with' : 'without'} the request`, async () => {
      const r = await as[who].get('/api/v1/record-requests?state=asked&per_page=100');
      expect(r, 200, who);
      assert.equal(r.json.items.some((x) => x.id === asked), yes);
    });
  }
  for (const who of ['owner', 'waiting', 'resident', 'anon']) {
    const status = who === 'anon' ? 401 : 403;
    test(`list as ${who} → ${status}`, async () => expect(await as[who].get('/api/v1/record-requests'), status, who));
  }
  for (const [verb, body] of [['accept', {}], ['decline', { answer: '时长以签到表为准' }]]) {
    for (const who of ALL) {
      const status = ACTS[who];
      test(`${verb} as ${who} → ${status}`, async () => {
        const q = await ask();
        expect(await as[who].post(`/api/v1/record-requests/${q}/${verb}`, body), status, who);
        assert.equal(answered(q), status === 200 ? (verb === 'accept' ? 'accepted' : 'declined') : 'asked');
      });
    }
  }
});

describe('refusals are audited; one never stamps one\'s own service', () => {
  test('a refused confirmation is in the audit log as denied', async () => {
    const id = await pending();
    expect(await as.org.post(`/api/v1/records/${id}/confirm`), 403, 'org');
    const log = await auditOf(as.admin, id);
    assert.deepEqual(log.at(-1), ['record.confirm', 'denied']);
  });

  test('a member who is also staff may not confirm, correct or answer for their own record', async () => {
    srv.cli(['user', 'role', owner.phone, '--add', 'staff', '--region', SHILIUQIAO]);
    try {
      const id = await pending();
      const p = assertProblem(await as.owner.post(`/api/v1/records/${id}/confirm`), 403, 'forbidden');
      assert.match(p.title, /本人/);
      assertProblem(await as.owner.post(`/api/v1/records/${id}/minutes`, { minutes: 300, reason: '多记一点' }), 403, 'forbidden');
      assertProblem(await as.owner.post(`/api/v1/records/${id}/reject`, { reason: '自己驳回' }), 403, 'forbidden');
      const bulk = await as.owner.post('/api/v1/records/confirm', { ids: [id] });
      assert.deepEqual(bulk.json.results, [{ id, outcome: 'own_record' }]);
      const c = await confirmed();
      assertProblem(await as.owner.post(`/api/v1/records/${c}/corrections`, { minutes: 600, reason: '给自己加' }), 403, 'forbidden');
      const q = (await made(as.owner, `/api/v1/records/${c}/requests`, { reason: '给自己加', minutes: 600 })).id;
      assertProblem(await as.owner.post(`/api/v1/record-requests/${q}/accept`, {}), 403, 'forbidden');
      assert.equal(stateOf(id).split('|')[0], 'pending');
      assert.equal(stateOf(c), 'confirmed|90|0');
      const entered = await as.owner.post('/api/v1/records', { member_id: owner.id, ...report(item.A01), confirm: true });
      assertProblem(entered, 403, 'forbidden');
      // Another member's record is theirs to stamp, as any staff's.
      const theirs = (await made(as.staff, '/api/v1/records', { member_id: near.id, ...report(item.A01) })).id;
      assert.equal((await as.owner.post(`/api/v1/records/${theirs}/confirm`)).status, 200);
    } finally {
      srv.cli(['user', 'role', owner.phone, '--remove', 'staff', '--region', SHILIUQIAO]);
    }
  });
});
