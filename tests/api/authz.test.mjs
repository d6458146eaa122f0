// authz.test.mjs: every route × every role × in-scope / out-of-scope target
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { startServer, Client } from '../lib/server.mjs';
import {
  assertProblem, assertFieldError, loginAs, addUser, unitBody, uniq, assertCleanLog,
  CITY, BAIYUN, SANYUANLI, SHILIUQIAO, FEIE, HONGQIAO, SANYANJING,
} from './helpers.mjs';

let srv;
const as = {};          // role name → logged-in Client ('anon' has no session)
let unitIn;             // unit registered in 石榴桥社区 (inside org's street)
let unitOut;            // unit registered in 三眼井社区 (越秀区)
let ownUnitId;          // the demo `unit` account's unit

const ROLES = ['admin', 'org', 'staff', 'unit', 'member', 'resident'];
const ALL = [...ROLES, 'org2', 'staff2', 'unit2'];
const DENY_CODE = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' };

function expect(r, status, what) {
  if (status >= 400) assertProblem(r, status, DENY_CODE[status], what);
  else assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
}

async function grid(community, name = uniq('网格')) {
  const r = await as.admin.post(`/api/v1/regions/${community}/children`, { name });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function children(code) {
  return (await as.admin.get(`/api/v1/regions/${code}/children`)).json.items.map((n) => n.code);
}

async function findUnit(name) {
  return (await as.admin.get('/api/v1/units?q=' + encodeURIComponent(name))).json.items.filter((u) => u.name === name);
}

function putBody(u, over = {}) {
  const { name, party_org_name, type, region_code, contact_name, contact_phone } = u;
  const body = { name, party_org_name, type, region_code, contact_name, contact_phone, ...over };
  for (const k of Object.keys(body)) if (body[k] === null || body[k] === undefined) delete body[k];
  return body;
}

before(async () => {
  srv = await startServer();
  as.admin = await loginAs(srv, 'admin');
  unitIn = (await as.admin.post('/api/v1/units', unitBody({ region_code: SHILIUQIAO }))).json;
  unitOut = (await as.admin.post('/api/v1/units', unitBody({ region_code: SANYANJING }))).json;
  assert.ok(unitIn?.id && unitOut?.id, 'admin created the two test units');
  addUser(srv, 'staff2', 'staff', { region: SANYANJING, name: '越秀社工', phone: '13800000102' });
  addUser(srv, 'org2', 'org', { region: HONGQIAO, name: '洪桥组织', phone: '13800000103' });
  addUser(srv, 'unit2', 'unit', { unit: unitOut.id, name: '越秀单位管理员', phone: '13800000104' });
  for (const r of ALL) if (r !== 'admin') as[r] = await loginAs(srv, r);
  as.anon = new Client(srv.url);
  ownUnitId = (await as.unit.get('/api/v1/me')).json.roles[0].unit.id;
});
after(async () => { await srv?.stop(); });

describe('accounts created through the CLI have the given role and scope', () => {
  test('staff2 / org2 / unit2', async () => {
    const s = (await as.staff2.get('/api/v1/me')).json.roles[0];
    assert.equal(s.role, 'staff');
    assert.equal(s.region.code, SANYANJING);
    const o = (await as.org2.get('/api/v1/me')).json.roles[0];
    assert.equal(o.role, 'org');
    assert.equal(o.region.code, HONGQIAO);
    const u = (await as.unit2.get('/api/v1/me')).json.roles[0];
    assert.equal(u.role, 'unit');
    assert.equal(u.unit.id, unitOut.id);
  });
});

describe('GET routes open to every role', () => {
  const routes = [
    ['/api/v1/me', (r, who) => assert.equal(r.json.login, who)],
    ['/api/v1/regions', (r) => assert.equal(r.json.items[0].code, CITY)],
    ['/api/v1/regions?q=' + encodeURIComponent('飞鹅新村'), (r) => assert.ok(r.json.items.some((n) => n.code === FEIE))],
    [`/api/v1/regions/${FEIE}`, (r) => assert.equal(r.json.code, FEIE)],
    [`/api/v1/regions/${FEIE}/children`, (r) => assert.ok(Array.isArray(r.json.items))],
    [`/api/v1/regions/${FEIE}/ancestors`, (r) => assert.deepEqual(r.json.items.map((n) => n.code), [CITY, BAIYUN, SANYUANLI])],
    [`/api/v1/regions/${SANYANJING}`, (r) => assert.equal(r.json.code, SANYANJING)],
  ];
  for (const [path, check] of routes) {
    for (const who of ALL) {
      test(`GET ${path} as ${who} → 200`, async () => {
        const r = await as[who].get(path);
        expect(r, 200, who);
        check(r, who);
      });
    }
    test(`GET ${path} anonymous → 401`, async () => expect(await as.anon.get(path), 401, 'anon'));
  }
});

describe('POST /api/v1/regions/{code}/children', () => {
  const cases = [
    ['admin', SHILIUQIAO, 201], ['admin', FEIE, 201],
    ['staff', SHILIUQIAO, 201], ['staff', FEIE, 403],
    ['staff2', SANYANJING, 201], ['staff2', SHILIUQIAO, 403],
    ['org', SHILIUQIAO, 403], ['org2', SANYANJING, 403],
    ['unit', SHILIUQIAO, 403], ['unit2', SHILIUQIAO, 403],
    ['member', SHILIUQIAO, 403], ['resident', SHILIUQIAO, 403],
    ['anon', SHILIUQIAO, 401],
  ];
  for (const [who, code, status] of cases) {
    test(`grid in ${code} as ${who} → ${status}`, async () => {
      const before = await children(code);
      const name = uniq('网格');
      const r = await as[who].post(`/api/v1/regions/${code}/children`, { name });
      expect(r, status, who);
      const afterKids = await children(code);
      if (status === 201) {
        assert.equal(r.json.level, 'grid');
        assert.equal(r.json.name, name);
        assert.ok(afterKids.includes(r.json.code));
        assert.equal(afterKids.length, before.length + 1);
      } else {
        assert.deepEqual(afterKids, before, 'nothing created');
      }
    });
  }

  test('building under own grid as staff → 201; under another community\'s grid → 403', async () => {
    const own = (await as.staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: uniq('网格') })).json;
    const r = await as.staff.post(`/api/v1/regions/${own.code}/children`, { name: '1栋' });
    expect(r, 201, 'own grid');
    assert.equal(r.json.level, 'building');
    const other = await grid(FEIE);
    expect(await as.staff.post(`/api/v1/regions/${other.code}/children`, { name: '1栋' }), 403, 'other grid');
    assert.deepEqual(await children(other.code), []);
    expect(await as.staff2.post(`/api/v1/regions/${own.code}/children`, { name: '2栋' }), 403, 'staff2 on staff grid');
    expect(await as.org.post(`/api/v1/regions/${own.code}/children`, { name: '2栋' }), 403, 'org on grid');
    expect(await as.anon.post(`/api/v1/regions/${own.code}/children`, { name: '2栋' }), 401, 'anon');
    assert.equal((await children(own.code)).length, 1);
  });
});

describe('PATCH /api/v1/regions/{code}', () => {
  const cases = [
    ['admin', SHILIUQIAO, 200], ['admin', FEIE, 200],
    ['staff', SHILIUQIAO, 200], ['staff', FEIE, 403],
    ['staff2', SHILIUQIAO, 403], ['staff2', SANYANJING, 200],
    ['org', SHILIUQIAO, 403], ['unit', SHILIUQIAO, 403], ['member', SHILIUQIAO, 403],
    ['resident', SHILIUQIAO, 403], ['anon', SHILIUQIAO, 401],
  ];
  for (const [who, community, status] of cases) {
    test(`rename a grid of ${community} as ${who} → ${status}`, async () => {
      const g = await grid(community);
      const name = uniq('改名');
      const r = await as[who].patch(`/api/v1/regions/${g.code}`, { name });
      expect(r, status, who);
      const now = (await as.admin.get(`/api/v1/regions/${g.code}`)).json;
      if (status === 200) {
        assert.equal(r.json.name, name);
        assert.equal(r.json.code, g.code);
        assert.equal(now.name, name);
      } else {
        assert.equal(now.name, g.name, 'name unchanged');
      }
    });
  }
});

describe('DELETE /api/v1/regions/{code}', () => {
  const cases = [
    ['admin', SHILIUQIAO, 204], ['admin', FEIE, 204],
    ['staff', SHILIUQIAO, 204], ['staff', FEIE, 403],
    ['staff2', SHILIUQIAO, 403], ['staff2', SANYANJING, 204],
    ['org', SHILIUQIAO, 403], ['unit', SHILIUQIAO, 403], ['member', SHILIUQIAO, 403],
    ['resident', SHILIUQIAO, 403], ['anon', SHILIUQIAO, 401],
  ];
  for (const [who, community, status] of cases) {
    test(`delete a grid of ${community} as ${who} → ${status}`, async () => {
      const g = await grid(community);
      const r = await as[who].del(`/api/v1/regions/${g.code}`);
      expect(r, status, who);
      const now = await as.admin.get(`/api/v1/regions/${g.code}`);
      if (status === 204) assertProblem(now, 404, 'not_found', 'gone');
      else assert.equal(now.status, 200, 'still there');
    });
  }
});

describe('GET /api/v1/units (list)', () => {
  const sees = async (who, unit) => (await as[who].get('/api/v1/units?per_page=100&q=' + encodeURIComponent(unit.name))).json.items.some((u) => u.id === unit.id);

  test('admin sees every unit', async () => {
    const r = await as.admin.get('/api/v1/units');
    expect(r, 200, 'admin');
    assert.ok(await sees('admin', unitIn));
    assert.ok(await sees('admin', unitOut));
  });

  test('org sees units registered in its street only', async () => {
    const r = await as.org.get('/api/v1/units?per_page=100');
    expect(r, 200, 'org');
    assert.ok(r.json.items.length > 0);
    for (const u of r.json.items) assert.ok(u.region_code.startsWith('440111002'), `${u.name} ${u.region_code}`);
    assert.ok(await sees('org', unitIn));
    assert.ok(!(await sees('org', unitOut)));
  });

  test('org of another street sees its own units, not ours', async () => {
    const r = await as.org2.get('/api/v1/units?per_page=100');
    expect(r, 200, 'org2');
    for (const u of r.json.items) assert.ok(u.region_code.startsWith('440104001'), `${u.name} ${u.region_code}`);
    assert.ok(await sees('org2', unitOut));
    assert.ok(!(await sees('org2', unitIn)));
  });

  for (const who of ['staff', 'staff2']) {
    test(`${who} sees the units of its city`, async () => {
      expect(await as[who].get('/api/v1/units'), 200, who);
      assert.ok(await sees(who, unitIn));
      assert.ok(await sees(who, unitOut));
    });
  }

  test('unit sees only its own unit', async () => {
    const r = await as.unit.get('/api/v1/units');
    expect(r, 200, 'unit');
    assert.equal(r.json.total, 1);
    assert.deepEqual(r.json.items.map((u) => u.id), [ownUnitId]);
    assert.ok(!(await sees('unit', unitIn)));
  });

  test('unit2 sees only its own unit', async () => {
    const r = await as.unit2.get('/api/v1/units');
    expect(r, 200, 'unit2');
    assert.equal(r.json.total, 1);
    assert.deepEqual(r.json.items.map((u) => u.id), [unitOut.id]);
  });

  for (const [who, status] of [['member', 403], ['resident', 403], ['anon', 401]]) {
    test(`${who} → ${status}`, async () => expect(await as[who].get('/api/v1/units'), status, who));
  }
});

describe('GET /api/v1/units/directory (a member names their employer)', () => {
  // Both test units are in the directory for every role that may use it: it is city-wide, names only.
  for (const who of ['admin', 'member']) {
    test(`${who} → 200 with units inside and outside any street, without contacts`, async () => {
      for (const u of [unitIn, unitOut]) {
        const r = await as[who].get('/api/v1/units/directory?q=' + encodeURIComponent(u.name));
        expect(r, 200, who);
        assert.deepEqual(r.json.items, [{ id: u.id, name: u.name, region_name: u.region_name }]);
      }
    });
  }
  for (const [who, status] of [['org', 403], ['org2', 403], ['staff', 403], ['staff2', 403], ['unit', 403], ['unit2', 403],
    ['resident', 403], ['anon', 401]]) {
    test(`${who} → ${status}`, async () => expect(await as[who].get('/api/v1/units/directory'), status, who));
  }
});

describe('GET /api/v1/units/{id}', () => {
  const cases = [
    ['admin', 'in', 200], ['admin', 'out', 200],
    ['org', 'in', 200], ['org', 'out', 404],
    ['org2', 'in', 404], ['org2', 'out', 200],
    ['staff', 'in', 200], ['staff', 'out', 200], ['staff2', 'in', 200],
    ['unit', 'own', 200], ['unit', 'in', 404], ['unit', 'out', 404],
    ['unit2', 'out', 200], ['unit2', 'in', 404],
    ['member', 'in', 403], ['resident', 'in', 403], ['anon', 'in', 401],
  ];
  for (const [who, which, status] of cases) {
    test(`${which} unit as ${who} → ${status}`, async () => {
      const id = which === 'in' ? unitIn.id : which === 'out' ? unitOut.id : ownUnitId;
      const r = await as[who].get(`/api/v1/units/${id}`);
      expect(r, status, who);
      if (status === 200) assert.equal(r.json.id, id);
    });
  }
  test('a unit that does not exist → 404 for admin', async () => expect(await as.admin.get('/api/v1/units/987654321'), 404, 'admin'));
});

describe('POST /api/v1/units', () => {
  const cases = [
    ['admin', SANYANJING, 201], ['admin', CITY, 201],
    ['org', SHILIUQIAO, 201], ['org', SANYUANLI, 201], ['org', FEIE, 201],
    ['org', SANYANJING, 403], ['org', BAIYUN, 403], ['org', CITY, 403],
    ['org2', SANYANJING, 201], ['org2', SHILIUQIAO, 403],
    ['staff', SHILIUQIAO, 403], ['staff2', SANYANJING, 403],
    ['unit', SHILIUQIAO, 403], ['unit2', SANYANJING, 403],
    ['member', SHILIUQIAO, 403], ['resident', SHILIUQIAO, 403], ['anon', SHILIUQIAO, 401],
  ];
  for (const [who, region, status] of cases) {
    test(`unit in ${region} as ${who} → ${status}`, async () => {
      const body = unitBody({ region_code: region });
      const r = await as[who].post('/api/v1/units', body);
      expect(r, status, who);
      const found = await findUnit(body.name);
      if (status === 201) {
        assert.equal(r.json.region_code, region);
        assert.equal(found.length, 1);
      } else {
        assert.equal(found.length, 0, 'nothing created');
      }
    });
  }
});

describe('PUT /api/v1/units/{id}', () => {
  const cases = [
    ['admin', 'out', SANYANJING, 200], ['admin', 'in', FEIE, 200],
    ['org', 'in', SHILIUQIAO, 200], ['org', 'in', SANYUANLI, 200],
    ['org', 'in', SANYANJING, 403], ['org', 'out', SANYANJING, 404], ['org', 'out', SHILIUQIAO, 404],
    ['org2', 'out', SANYANJING, 200], ['org2', 'in', SHILIUQIAO, 404],
    ['staff', 'in', SHILIUQIAO, 403], ['staff2', 'in', SHILIUQIAO, 403],
    ['unit', 'own', null, 403], ['unit2', 'own2', null, 403],
    ['member', 'in', SHILIUQIAO, 403], ['resident', 'in', SHILIUQIAO, 403], ['anon', 'in', SHILIUQIAO, 401],
  ];
  for (const [who, which, region, status] of cases) {
    test(`update ${which} unit to region ${region ?? 'same'} as ${who} → ${status}`, async () => {
      // a fresh unit per case, so that cases do not depend on each other
      let id;
      if (which === 'own') id = ownUnitId;
      else if (which === 'own2') id = unitOut.id;
      else id = (await as.admin.post('/api/v1/units', unitBody({ region_code: which === 'in' ? SHILIUQIAO : SANYANJING }))).json.id;
      const before = (await as.admin.get(`/api/v1/units/${id}`)).json;
      const contact = uniq('联系人');
      const r = await as[who].put(`/api/v1/units/${id}`, putBody(before, { contact_name: contact, region_code: region ?? before.region_code }));
      expect(r, status, who);
      const now = (await as.admin.get(`/api/v1/units/${id}`)).json;
      if (status === 200) {
        assert.equal(r.json.contact_name, contact);
        assert.equal(now.contact_name, contact);
        assert.equal(now.region_code, region);
      } else {
        assert.deepEqual(now, before, 'unit unchanged');
      }
    });
  }
});

describe('GET /api/v1/audit', () => {
  for (const [who, status] of [['admin', 200], ['org', 200], ['org2', 200], ['staff', 403], ['staff2', 403],
    ['unit', 403], ['unit2', 403], ['member', 403], ['resident', 403], ['anon', 401]]) {
    test(`as ${who} → ${status}`, async () => {
      const r = await as[who].get('/api/v1/audit');
      expect(r, status, who);
      if (status === 200) assert.ok(Array.isArray(r.json.items) && typeof r.json.total === 'number');
    });
  }
});

describe('PUT /api/v1/me/password is open to every role (own account only)', () => {
  for (const who of ALL) {
    test(`as ${who}: wrong old password → 422 (route allowed, nothing changed)`, async () => {
      const r = await as[who].put('/api/v1/me/password', { old_password: 'definitely-not-it-1', new_password: 'Another-password-99' });
      assertFieldError(r, 'old_password', 'wrong', who);
      assert.equal((await as[who].get('/api/v1/me')).status, 200);
    });
  }
  test('anonymous → 401', async () => {
    expect(await as.anon.put('/api/v1/me/password', { old_password: 'x-password-1234', new_password: 'Another-password-99' }), 401, 'anon');
  });
});

describe('DELETE /api/v1/session (last: ends every session)', () => {
  test('anonymous → 401', async () => expect(await as.anon.del('/api/v1/session'), 401, 'anon'));
  for (const who of ALL) {
    test(`as ${who} → 204, then 401`, async () => {
      const saved = as[who].cookie;
      expect(await as[who].del('/api/v1/session'), 204, who);
      const c = new Client(srv.url);
      c.cookie = saved;
      expect(await c.get('/api/v1/me'), 401, `${who} after logout`);
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
