// authz-members.test.mjs: the authorization matrix for members, report-ins, sheets, rosters and agreements
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { once } from 'node:events';
import { assertProblem, loginAs, addUser, unitBody, uniq, assertCleanLog, SHILIUQIAO, FEIE, HONGQIAO, SANYANJING } from './helpers.mjs';

let srv;
const as = {};
let ownUnit;     // the demo `unit` account's unit
let otherUnit;   // a unit registered in 越秀区 三眼井社区, account unit2
let fileA;       // an approved member file in 石榴桥社区, of otherUnit
let agreementA;  // an agreement between ownUnit and 石榴桥社区

const ALL = ['admin', 'org', 'staff', 'unit', 'member', 'resident', 'org2', 'staff2', 'unit2'];
const DENY = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' };

function expect(r, status, what) {
  if (status >= 400) assertProblem(r, status, DENY[status], what);
  else assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
}

// A valid GB 11643 ID number (region 440111, born 1970-01-01 + i days).
let serial = 0;
function idNumber() {
  serial += 1;
  const birth = new Date(Date.UTC(1970, 0, 1) + serial * 86400000).toISOString().slice(0, 10).replaceAll('-', '');
  const body = `440111${birth}${String(serial % 1000).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, c, k) => s + Number(c) * w[k], 0);
  return body + '10X98765432'[sum % 11];
}

function form(over = {}) {
  serial += 0;
  const id = idNumber();
  return { name: uniq('党员').replace('号', ''), phone: `139${String(10000000 + serial).slice(-8)}`, id_number: id,
    community_code: SHILIUQIAO, joined_party_on: '2015-07-01', ...over };
}

const csv = (rows) => Buffer.from(['姓名,手机号,身份证号', ...rows].join('\n') + '\n');
const upload = (c, path, bytes) => c.req('POST', path, bytes, { 'Content-Type': 'application/octet-stream' });
const memberCount = async () => (await as.admin.get('/api/v1/members?per_page=1')).json.total;

async function freshApproved(over = {}) {
  const r = await as.staff.post('/api/v1/members', form({ unit_id: ownUnit, ...over }));
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function freshPending() {
  const r = await as.unit.post('/api/v1/members', form({ unit_id: ownUnit }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.registration.state, 'pending');
  return r.json;
}

async function stateOf(memberId) {
  return (await as.admin.get(`/api/v1/members/${memberId}`)).json.member.state;
}

const agreement = (over = {}) => ({ unit_id: ownUnit, community_code: SHILIUQIAO, starts_on: '2026-01-01', ends_on: '2027-12-31',
  status: 'signed', commitments: ['每月开展一次义诊'], signed_doc: uniq('石共建'), ...over });

before(async () => {
  srv = await startServer();
  as.admin = await loginAs(srv, 'admin');
  otherUnit = (await as.admin.post('/api/v1/units', unitBody({ region_code: SANYANJING }))).json.id;
  addUser(srv, 'staff2', 'staff', { region: SANYANJING });
  addUser(srv, 'org2', 'org', { region: HONGQIAO });
  addUser(srv, 'unit2', 'unit', { unit: otherUnit });
  for (const r of ALL) if (r !== 'admin') as[r] = await loginAs(srv, r);
  as.anon = new Client(srv.url);
  ownUnit = (await as.unit.get('/api/v1/me')).json.roles[0].unit.id;
  const f = await as.staff.post('/api/v1/members', form({ unit_id: otherUnit }));
  assert.equal(f.status, 201, f.text);
  fileA = f.json.member;
  const a = await as.staff.post('/api/v1/agreements', agreement());
  assert.equal(a.status, 201, a.text);
  agreementA = a.json;
});
after(async () => { await srv?.stop(); });

describe('GET /api/v1/specialties', () => {
  for (const who of ALL) {
    test(`as ${who} → 200`, async () => {
      const r = await as[who].get('/api/v1/specialties');
      expect(r, 200, who);
      assert.ok(Array.isArray(r.json.items) && r.json.items.length > 0);
    });
  }
  test('anonymous → 401', async () => expect(await as.anon.get('/api/v1/specialties'), 401, 'anon'));
});

describe('GET /api/v1/members (list) and /members/{id}', () => {
  const list = { admin: true, org: true, staff: true, unit2: true, unit: false, org2: false, staff2: false };
  for (const [who, sees] of Object.entries(list)) {
    test(`list as ${who} → 200, ${sees ? 'with' : 'without'} the 石榴桥 file of unit2's unit`, async () => {
      const r = await as[who].get('/api/v1/members?per_page=100');
      expect(r, 200, who);
      assert.equal(r.json.items.some((m) => m.id === fileA.id), sees);
    });
    test(`file as ${who} → ${sees ? 200 : 404}`, async () => {
      const r = await as[who].get(`/api/v1/members/${fileA.id}`);
      expect(r, sees ? 200 : 404, who);
      if (sees) assert.equal(r.json.member.id, fileA.id);
    });
  }
  test('unit sees only files of its own unit', async () => {
    await freshPending();
    const r = await as.unit.get('/api/v1/members?per_page=100');
    assert.ok(r.json.items.length > 0);
    for (const m of r.json.items) assert.equal(m.unit_id, ownUnit);
  });
  test('staff2 sees only files of its community', async () => {
    const own = await as.staff2.post('/api/v1/members', form({ name: '三眼井党员', phone: '13900009999',
      id_number: '440104198808080031', community_code: SANYANJING }));
    assert.equal(own.status, 201, own.text);
    const r = await as.staff2.get('/api/v1/members?per_page=100');
    assert.deepEqual(r.json.items.map((m) => m.id), [own.json.member.id], 'its own file, and only that');
    for (const m of r.json.items) assert.equal(m.community_code, SANYANJING);
  });
  for (const [who, status] of [['member', 403], ['resident', 403], ['anon', 401]]) {
    test(`list as ${who} → ${status}`, async () => expect(await as[who].get('/api/v1/members'), status, who));
    test(`file as ${who} → ${status}`, async () => expect(await as[who].get(`/api/v1/members/${fileA.id}`), status, who));
  }
});

describe('POST /api/v1/members', () => {
  const cases = [
    ['staff', {}, 201], ['staff', { community_code: FEIE }, 403], ['staff2', {}, 403],
    ['unit', { unit_id: 'own' }, 201], ['unit', { unit_id: 'other' }, 403], ['unit2', { unit_id: 'other', community_code: SANYANJING }, 201],
    ['admin', {}, 201], ['org', {}, 403], ['org2', {}, 403], ['member', {}, 403], ['resident', {}, 403], ['anon', {}, 401],
  ];
  for (const [who, over, status] of cases) {
    test(`as ${who} ${JSON.stringify(over)} → ${status}`, async () => {
      const o = { ...over };
      if (o.unit_id === 'own') o.unit_id = ownUnit;
      if (o.unit_id === 'other') o.unit_id = otherUnit;
      const body = form(o);
      const before = await memberCount();
      const r = await as[who].post('/api/v1/members', body);
      expect(r, status, who);
      assert.equal(await memberCount(), before + (status === 201 ? 1 : 0));
      if (status === 201) assert.equal(r.json.member.name, body.name);
    });
  }
});

describe('POST /api/v1/members/{id}/reveal', () => {
  const cases = [['admin', 200], ['org', 200], ['staff', 200], ['staff2', 404], ['org2', 404], ['unit', 403], ['unit2', 403],
    ['member', 403], ['resident', 403], ['anon', 401]];
  for (const [who, status] of cases) {
    test(`as ${who} → ${status}`, async () => {
      const r = await as[who].post(`/api/v1/members/${fileA.id}/reveal`, { reason: '核对报到信息' });
      expect(r, status, who);
      if (status === 200) assert.match(r.json.id_number, /^\d{17}[\dX]$/);
      else assert.ok(!/\d{17}[\dX]/.test(r.text), 'no ID number in a refusal');
    });
  }
});

describe('PUT /api/v1/members/{id} (correct a file)', () => {
  const cases = [['staff', 200], ['admin', 200], ['org', 403], ['org2', 403], ['staff2', 404], ['unit', 403], ['unit2', 403],
    ['member', 403], ['resident', 403], ['anon', 401]];
  for (const [who, status] of cases) {
    test(`as ${who} → ${status}`, async () => {
      const f = await freshApproved();
      const r = await as[who].put(`/api/v1/members/${f.member.id}`, { phone: '13700001111', address: '改过的地址' });
      expect(r, status, who);
      const now = (await as.admin.get(`/api/v1/members/${f.member.id}`)).json.member;
      assert.equal(now.address, status === 200 ? '改过的地址' : f.member.address);
    });
  }
  test('staff of a community that only holds the history → 403, nothing changed', async () => {
    const f = await freshApproved();
    assert.equal((await as.staff.post(`/api/v1/members/${f.member.id}/leave`, { reason: '搬离本社区' })).status, 200);
    expect(await as.staff.put(`/api/v1/members/${f.member.id}`, { phone: '13700001112' }), 403, 'staff over history');
    assert.equal((await as.admin.get(`/api/v1/members/${f.member.id}`)).json.member.phone, f.member.phone);
  });
});

describe('POST /api/v1/members/{id}/leave', () => {
  const cases = [['staff', 200], ['admin', 200], ['org', 403], ['staff2', 404], ['unit', 403], ['member', 403], ['resident', 403], ['anon', 401]];
  for (const [who, status] of cases) {
    test(`as ${who} → ${status}`, async () => {
      const f = await freshApproved();
      const r = await as[who].post(`/api/v1/members/${f.member.id}/leave`, { reason: '搬离本社区' });
      expect(r, status, who);
      assert.equal(await stateOf(f.member.id), status === 200 ? 'left' : 'approved');
    });
  }
});

describe('GET /api/v1/registrations', () => {
  let pending;
  before(async () => { pending = await freshPending(); });
  const cases = { admin: true, org: true, staff: true, unit: true, staff2: false, org2: false, unit2: false };
  for (const [who, sees] of Object.entries(cases)) {
    test(`as ${who} → 200, ${sees ? 'with' : 'without'} the pending 石榴桥 report-in`, async () => {
      const r = await as[who].get('/api/v1/registrations?state=pending&per_page=100');
      expect(r, 200, who);
      assert.equal(r.json.items.some((x) => x.id === pending.registration.id), sees);
    });
  }
  for (const [who, status] of [['member', 403], ['resident', 403], ['anon', 401]]) {
    test(`as ${who} → ${status}`, async () => expect(await as[who].get('/api/v1/registrations'), status, who));
  }
});

describe('POST /api/v1/registrations/{id}/approve and /reject', () => {
  const cases = [['staff', 200], ['admin', 200], ['org', 403], ['staff2', 404], ['unit', 403], ['unit2', 404],
    ['member', 403], ['resident', 403], ['anon', 401]];
  for (const action of ['approve', 'reject']) {
    for (const [who, status0] of cases) {
      // unit2 may not decide at all; whether it is told 403 or 404 depends on which check comes first
      const status = who === 'unit2' ? [403, 404] : status0;
      test(`${action} as ${who} → ${status}`, async () => {
        const p = await freshPending();
        const r = await as[who].post(`/api/v1/registrations/${p.registration.id}/${action}`, action === 'reject' ? { reason: '不住本社区' } : undefined);
        if (Array.isArray(status)) assertProblem(r, status, undefined, who);
        else expect(r, status, who);
        const want = status === 200 ? (action === 'approve' ? 'approved' : 'rejected') : 'pending';
        assert.equal(await stateOf(p.member.id), want);
      });
    }
  }
});

describe('POST /api/v1/registrations/approve (bulk)', () => {
  test('staff → 200 approved', async () => {
    const p = await freshPending();
    const r = await as.staff.post('/api/v1/registrations/approve', { ids: [p.registration.id] });
    expect(r, 200, 'staff');
    assert.deepEqual(r.json.results, [{ id: p.registration.id, outcome: 'approved' }]);
    assert.equal(await stateOf(p.member.id), 'approved');
  });
  test('admin → 200 approved', async () => {
    const p = await freshPending();
    const r = await as.admin.post('/api/v1/registrations/approve', { ids: [p.registration.id] });
    expect(r, 200, 'admin');
    assert.equal(r.json.results[0].outcome, 'approved');
  });
  test('staff of another community → the id is not_found, nothing decided', async () => {
    const p = await freshPending();
    const r = await as.staff2.post('/api/v1/registrations/approve', { ids: [p.registration.id] });
    expect(r, 200, 'staff2');
    assert.deepEqual(r.json.results, [{ id: p.registration.id, outcome: 'not_found' }]);
    assert.equal(await stateOf(p.member.id), 'pending');
  });
  for (const [who, status] of [['org', 403], ['unit', 403], ['member', 403], ['resident', 403], ['anon', 401]]) {
    test(`as ${who} → ${status}, nothing decided`, async () => {
      const p = await freshPending();
      expect(await as[who].post('/api/v1/registrations/approve', { ids: [p.registration.id] }), status, who);
      assert.equal(await stateOf(p.member.id), 'pending');
    });
  }
});

describe('/api/v1/me/member and /me/registration (member only)', () => {
  for (const who of ['admin', 'org', 'staff', 'unit', 'resident']) {
    test(`GET /me/member as ${who} → 403`, async () => expect(await as[who].get('/api/v1/me/member'), 403, who));
    test(`POST /me/registration as ${who} → 403, nothing written`, async () => {
      const before = await memberCount();
      expect(await as[who].post('/api/v1/me/registration', form()), 403, who);
      assert.equal(await memberCount(), before);
    });
    test(`POST /me/registration/withdraw as ${who} → 403`, async () => expect(await as[who].post('/api/v1/me/registration/withdraw'), 403, who));
  }
  for (const [m, p] of [['GET', '/api/v1/me/member'], ['POST', '/api/v1/me/registration'], ['POST', '/api/v1/me/registration/withdraw']]) {
    test(`${m} ${p} anonymous → 401`, async () => expect(await as.anon.req(m, p, m === 'POST' ? {} : undefined), 401, 'anon'));
  }
  test('member: 404 before the first report-in, 201 report-in, file readable, withdraw', async () => {
    expect(await as.member.get('/api/v1/me/member'), 404, 'before');
    const r = await as.member.post('/api/v1/me/registration', form({ phone: '13800000005' }));
    expect(r, 201, 'report-in');
    const mine = await as.member.get('/api/v1/me/member');
    expect(mine, 200, 'own file');
    assert.equal(mine.json.member.id, r.json.member.id);
    const w = await as.member.post('/api/v1/me/registration/withdraw');
    assert.ok([200, 204].includes(w.status), `withdraw ${w.status} ${w.text}`);
    assert.equal(await stateOf(r.json.member.id), 'withdrawn');
  });
});

describe('spreadsheets', () => {
  for (const [who, status] of [['staff', 200], ['unit', 200], ['admin', 200], ['staff2', 200], ['org', 403], ['member', 403], ['resident', 403], ['anon', 401]]) {
    test(`GET /members/template.xlsx as ${who} → ${status}`, async () => {
      const r = await fetch(srv.url + '/api/v1/members/template.xlsx', { headers: as[who].cookie ? { Cookie: as[who].cookie } : {} });
      const buf = Buffer.from(await r.arrayBuffer());
      assert.equal(r.status, status);
      if (status === 200) assert.equal(buf.subarray(0, 2).toString(), 'PK');
    });
  }
  for (const [who, status] of [['admin', 200], ['org', 200], ['staff', 200], ['unit', 200], ['member', 403], ['resident', 403], ['anon', 401]]) {
    test(`GET /members/export.xlsx as ${who} → ${status}`, async () => {
      const r = await fetch(srv.url + '/api/v1/members/export.xlsx', { headers: as[who].cookie ? { Cookie: as[who].cookie } : {} });
      const buf = Buffer.from(await r.arrayBuffer());
      assert.equal(r.status, status);
      if (status === 200) assert.equal(buf.subarray(0, 2).toString(), 'PK');
      else assert.ok(!/\d{17}[\dX]/.test(buf.toString('latin1')));
    });
  }
  for (const [who, status] of [['staff', 200], ['unit', 200], ['admin', 200], ['org', 403], ['member', 403], ['resident', 403], ['anon', 401]]) {
    test(`POST /members/import (check only) as ${who} → ${status}, nothing written`, async () => {
      const before = await memberCount();
      const r = await upload(as[who], '/api/v1/members/import', csv([`表格人,13912349999,${idNumber()}`]));
      expect(r, status, who);
      if (status === 200) assert.equal(r.json.written, 0);
      assert.equal(await memberCount(), before);
    });
  }
});

describe('unit rosters', () => {
  const cases = [['unit2', 200], ['org2', 200], ['admin', 200], ['org', 404], ['unit', 404], ['staff', 403], ['member', 403], ['resident', 403], ['anon', 401]];
  for (const [who, status] of cases) {
    test(`GET /units/{unit2's}/roster as ${who} → ${status}`, async () => expect(await as[who].get(`/api/v1/units/${otherUnit}/roster`), status, who));
    test(`POST /units/{unit2's}/roster (check only) as ${who} → ${status}`, async () => {
      const body = Buffer.from(`姓名,身份证号,职务\n名册人,${idNumber()},科员\n`);
      const r = await upload(as[who], `/api/v1/units/${otherUnit}/roster`, body);
      expect(r, status, who);
    });
  }
});

describe('agreements', () => {
  const sees = { admin: true, org: true, staff: true, unit: true, staff2: false, org2: false, unit2: false };
  for (const [who, yes] of Object.entries(sees)) {
    test(`list as ${who} → 200 ${yes ? 'with' : 'without'} the 石榴桥 agreement`, async () => {
      const r = await as[who].get('/api/v1/agreements');
      expect(r, 200, who);
      assert.equal(r.json.items.some((a) => a.id === agreementA.id), yes);
    });
    test(`GET /agreements/{id} as ${who} → ${yes ? 200 : 404}`, async () => {
      expect(await as[who].get(`/api/v1/agreements/${agreementA.id}`), yes ? 200 : 404, who);
    });
  }
  for (const [who, status] of [['member', 403], ['resident', 403], ['anon', 401]]) {
    test(`list as ${who} → ${status}`, async () => expect(await as[who].get('/api/v1/agreements'), status, who));
    test(`GET /agreements/{id} as ${who} → ${status}`, async () => expect(await as[who].get(`/api/v1/agreements/${agreementA.id}`), status, who));
  }

  const create = [['staff', SHILIUQIAO, 201], ['staff', FEIE, 403], ['staff2', SHILIUQIAO, 403], ['staff2', SANYANJING, 201],
    ['org', SHILIUQIAO, 201], ['org', SANYANJING, 403], ['org2', SHILIUQIAO, 403], ['admin', FEIE, 201],
    ['unit', SHILIUQIAO, 403], ['member', SHILIUQIAO, 403], ['resident', SHILIUQIAO, 403], ['anon', SHILIUQIAO, 401]];
  for (const [who, community, status] of create) {
    test(`POST /agreements for ${community} as ${who} → ${status}`, async () => {
      const before = (await as.admin.get('/api/v1/agreements?per_page=100')).json.total;
      const r = await as[who].post('/api/v1/agreements', agreement({ community_code: community }));
      expect(r, status, who);
      assert.equal((await as.admin.get('/api/v1/agreements?per_page=100')).json.total, before + (status === 201 ? 1 : 0));
    });
  }

  const put = [['admin', 200], ['org', 200], ['staff', 200], ['staff2', 404], ['org2', 404], ['unit', 403], ['unit2', [403, 404]],
    ['member', 403], ['resident', 403], ['anon', 401]];
  for (const [who, status] of put) {
    test(`PUT /agreements/{id} as ${who} → ${status}`, async () => {
      const doc = uniq('改');
      const before = (await as.admin.get(`/api/v1/agreements/${agreementA.id}`)).json;
      const r = await as[who].put(`/api/v1/agreements/${agreementA.id}`, agreement({ signed_doc: doc }));
      if (Array.isArray(status)) assertProblem(r, status, undefined, who);
      else expect(r, status, who);
      const now = (await as.admin.get(`/api/v1/agreements/${agreementA.id}`)).json;
      if (status === 200) assert.equal(now.signed_doc, doc);
      else assert.equal(now.signed_doc, before.signed_doc, 'unchanged');
    });
  }
});

describe('after all of the above (last)', () => {
  test('no 5xx, no sanitizer report, exit code 0 on SIGTERM', async () => {
    srv.child.kill('SIGTERM');
    const [code] = await once(srv.child, 'exit');
    assertCleanLog(srv.log());
    assert.equal(code, 0, srv.log().slice(-2000));
  });
});
