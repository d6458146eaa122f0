// units.test.mjs: units (单位) — create, read, update, filters, paging, validation
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import {
  assertProblem, assertFieldError, loginAs, unitBody, uniq,
  CITY, BAIYUN, SANYUANLI, SHILIUQIAO, FEIE, SANYANJING,
} from './helpers.mjs';

let srv; let admin; let org; let member;
const TYPES = ['organ', 'institution', 'soe', 'nonpublic', 'social', 'other'];

async function total(q = '') {
  return (await admin.get('/api/v1/units?per_page=1' + q)).json.total;
}

before(async () => {
  srv = await startServer();
  admin = await loginAs(srv, 'admin');
  org = await loginAs(srv, 'org');
  member = await loginAs(srv, 'member');
});
after(async () => { await srv?.stop(); });

describe('create, read, update', () => {
  let u;
  test('POST → 201 with every field', async () => {
    const t0 = Math.floor(Date.now() / 1000);
    const body = unitBody({ name: '广州市白云区测试局', party_org_name: '测试局机关党委', type: 'organ',
      region_code: SHILIUQIAO, contact_name: '王五', contact_phone: '020-86001234' });
    const r = await admin.post('/api/v1/units', body);
    assert.equal(r.status, 201, r.text);
    u = r.json;
    assert.equal(typeof u.id, 'number');
    for (const k of Object.keys(body)) assert.equal(u[k], body[k], k);
    assert.equal(u.region_name, '石榴桥社区');
    assert.ok(Math.abs(u.created_at - t0) < 120, `created_at ${u.created_at} near ${t0}`);
    assert.ok(u.updated_at >= u.created_at);
    assert.deepEqual(Object.keys(u).sort(), ['contact_name', 'contact_phone', 'created_at', 'id', 'name', 'party_org_name',
      'region_code', 'region_name', 'type', 'updated_at'].sort());
  });

  test('GET /units/{id} answers the same unit', async () => {
    const r = await admin.get(`/api/v1/units/${u.id}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, u);
  });

  test('PUT → 200, every field changed, created_at kept', async () => {
    const body = { name: '广州市越秀区测试中心', party_org_name: '测试中心党支部', type: 'institution',
      region_code: SANYANJING, contact_name: '赵六', contact_phone: '13700001111' };
    const r = await admin.put(`/api/v1/units/${u.id}`, body);
    assert.equal(r.status, 200, r.text);
    for (const k of Object.keys(body)) assert.equal(r.json[k], body[k], k);
    assert.equal(r.json.id, u.id);
    assert.equal(r.json.region_name, '三眼井社区');
    assert.equal(r.json.created_at, u.created_at);
    assert.ok(r.json.updated_at >= u.updated_at);
    assert.deepEqual((await admin.get(`/api/v1/units/${u.id}`)).json, r.json);
  });

  test('PUT keeping the same name is not a duplicate', async () => {
    const cur = (await admin.get(`/api/v1/units/${u.id}`)).json;
    const r = await admin.put(`/api/v1/units/${u.id}`, { name: cur.name, party_org_name: cur.party_org_name, type: cur.type,
      region_code: cur.region_code, contact_name: '新联系人', contact_phone: cur.contact_phone });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.contact_name, '新联系人');
  });

  test('optional fields may be left out', async () => {
    const r = await admin.post('/api/v1/units', { name: uniq('最少字段单位'), party_org_name: '党支部', type: 'other', region_code: CITY });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.region_name, '广州市');
  });

  for (const type of TYPES) {
    test(`type ${type} is accepted`, async () => {
      const r = await admin.post('/api/v1/units', unitBody({ type }));
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.type, type);
    });
  }

  for (const region of [CITY, BAIYUN, SANYUANLI, FEIE]) {
    test(`region_code at level ${region} is accepted`, async () => {
      const r = await admin.post('/api/v1/units', unitBody({ region_code: region }));
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.region_code, region);
    });
  }

  for (const phone of ['13800000000', '19912345678', '020-12345678', '02012345678', '0755-1234567', '0571-87654321']) {
    test(`contact_phone ${phone} is accepted`, async () => {
      const r = await admin.post('/api/v1/units', unitBody({ contact_phone: phone }));
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.contact_phone, phone);
    });
  }

  test('name and party_org_name of exactly 100 characters, contact_name of 50 → 201', async () => {
    const name = uniq('长').padEnd(100, '名');
    const r = await admin.post('/api/v1/units', unitBody({ name, party_org_name: '党'.repeat(100), contact_name: '联'.repeat(50) }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.name, name);
    assert.equal(r.json.party_org_name.length, 100);
  });

  test('lengths count characters, not bytes: 100 four-byte characters are a valid name, 101 are too long', async () => {
    const flag = '\u{1F6A9}';
    const name = uniq('旗').padEnd(20, '旗') + flag.repeat(80);
    assert.equal([...name].length, 100);
    const r = await admin.post('/api/v1/units', unitBody({ name }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.name, name);
    assert.equal((await admin.get(`/api/v1/units/${r.json.id}`)).json.name, name);
    assertFieldError(await admin.post('/api/v1/units', unitBody({ name: name + flag })), 'name', 'too_long');
  });

  test('GET /units/{id} of a unit that does not exist → 404', async () => {
    assertProblem(await admin.get('/api/v1/units/99999999'), 404, 'not_found');
    assertProblem(await admin.put('/api/v1/units/99999999', unitBody()), 404, 'not_found');
  });
});

describe('duplicates', () => {
  test('POST with an existing name → 409 conflict, nothing created', async () => {
    const body = unitBody();
    assert.equal((await admin.post('/api/v1/units', body)).status, 201);
    const n = await total();
    const r = await admin.post('/api/v1/units', { ...body, party_org_name: '另一个党支部' });
    assertProblem(r, 409, 'conflict');
    if (r.json.errors) assert.ok(r.json.errors.some((e) => e.field === 'name'), r.text);
    assert.equal(await total(), n);
  });

  test('PUT to another unit\'s name → 409, unit unchanged', async () => {
    const a = (await admin.post('/api/v1/units', unitBody())).json;
    const b = (await admin.post('/api/v1/units', unitBody())).json;
    const r = await admin.put(`/api/v1/units/${b.id}`, unitBody({ name: a.name }));
    assertProblem(r, 409, 'conflict');
    assert.deepEqual((await admin.get(`/api/v1/units/${b.id}`)).json, b);
  });
});

describe('concurrency', () => {
  test('20 simultaneous creates with the same name → exactly one 201, the rest 409', async () => {
    const n = await total();
    const body = unitBody();
    const rs = await Promise.all(Array.from({ length: 20 }, () => admin.post('/api/v1/units', body)));
    const statuses = rs.map((r) => r.status).sort();
    assert.equal(statuses.filter((s) => s === 201).length, 1, String(statuses));
    assert.equal(statuses.filter((s) => s === 409).length, 19, String(statuses));
    assert.equal(await total(), n + 1);
  });

  test('30 simultaneous creates with different names → 30 units with distinct ids', async () => {
    const n = await total();
    const rs = await Promise.all(Array.from({ length: 30 }, () => admin.post('/api/v1/units', unitBody())));
    assert.deepEqual([...new Set(rs.map((r) => r.status))], [201], rs.map((r) => r.status).join(','));
    assert.equal(new Set(rs.map((r) => r.json.id)).size, 30);
    assert.equal(await total(), n + 30);
  });
});

describe('validation (422, every field error named)', () => {
  const cases = [
    ['name missing', { name: undefined }, 'name', 'required'],
    ['name empty', { name: '' }, 'name', ['too_short', 'required']],
    ['name 101 characters', { name: '名'.repeat(101) }, 'name', 'too_long'],
    ['name a number', { name: 42 }, 'name', 'type'],
    ['name null', { name: null }, 'name', ['type', 'required']],
    ['party_org_name missing', { party_org_name: undefined }, 'party_org_name', 'required'],
    ['party_org_name empty', { party_org_name: '' }, 'party_org_name', ['too_short', 'required']],
    ['party_org_name 101 characters', { party_org_name: 'p'.repeat(101) }, 'party_org_name', 'too_long'],
    ['party_org_name an object', { party_org_name: { a: 1 } }, 'party_org_name', 'type'],
    ['type missing', { type: undefined }, 'type', 'required'],
    ['type not in the list', { type: 'company' }, 'type', 'enum'],
    ['type in upper case', { type: 'SOE' }, 'type', 'enum'],
    ['type a number', { type: 3 }, 'type', 'type'],
    ['region_code missing', { region_code: undefined }, 'region_code', 'required'],
    ['region_code unknown', { region_code: '440111002099' }, 'region_code', ['not_found']],
    ['region_code malformed', { region_code: '4401' }, 'region_code', ['format', 'not_found']],
    ['region_code a number', { region_code: 440111002011 }, 'region_code', 'type'],
    ['contact_name 51 characters', { contact_name: '联'.repeat(51) }, 'contact_name', 'too_long'],
    ['contact_name an array', { contact_name: ['张三'] }, 'contact_name', 'type'],
    ['contact_phone too short', { contact_phone: '1380000000' }, 'contact_phone', 'format'],
    ['contact_phone too long', { contact_phone: '138000000000' }, 'contact_phone', 'format'],
    ['contact_phone 12x', { contact_phone: '12800000000' }, 'contact_phone', 'format'],
    ['contact_phone letters', { contact_phone: 'call me' }, 'contact_phone', 'format'],
    ['contact_phone landline without 0', { contact_phone: '20-12345678' }, 'contact_phone', 'format'],
    ['contact_phone landline 6 digits', { contact_phone: '020-123456' }, 'contact_phone', 'format'],
    ['contact_phone landline 9 digits', { contact_phone: '020-123456789' }, 'contact_phone', 'format'],
    ['contact_phone a number', { contact_phone: 13800000000 }, 'contact_phone', 'type'],
    ['contact_phone with +86', { contact_phone: '+8613800000000' }, 'contact_phone', 'format'],
    ['unknown field', { id: 5 }, 'id', 'unknown'],
    ['unknown field created_at', { created_at: 1 }, 'created_at', 'unknown'],
  ];
  for (const [what, over, field, codes] of cases) {
    test(`POST: ${what} → 422 ${field}`, async () => {
      const body = unitBody(over);
      for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
      const n = await total();
      assertFieldError(await admin.post('/api/v1/units', body), field, codes, what);
      assert.equal(await total(), n, 'nothing created');
    });
  }

  test('empty object → all four required fields named at once', async () => {
    const r = await admin.post('/api/v1/units', {});
    for (const f of ['name', 'party_org_name', 'type', 'region_code']) assertFieldError(r, f, 'required');
  });

  test('several faults → every one reported', async () => {
    const r = await admin.post('/api/v1/units', { name: '', party_org_name: 7, type: 'x', region_code: SHILIUQIAO, contact_phone: '1', extra: true });
    for (const f of ['name', 'party_org_name', 'type', 'contact_phone', 'extra']) assertFieldError(r, f);
  });

  test('PUT with a bad body → 422, unit unchanged', async () => {
    const u = (await admin.post('/api/v1/units', unitBody())).json;
    assertFieldError(await admin.put(`/api/v1/units/${u.id}`, { ...unitBody(), type: 'nope' }), 'type', 'enum');
    assertFieldError(await admin.put(`/api/v1/units/${u.id}`, { name: 'x' }), 'party_org_name', 'required');
    assert.deepEqual((await admin.get(`/api/v1/units/${u.id}`)).json, u);
  });

  test('a unit cannot be registered at a grid', async () => {
    const g = (await admin.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: uniq('网格') })).json;
    const n = await total();
    assertFieldError(await admin.post('/api/v1/units', unitBody({ region_code: g.code })), 'region_code');
    assert.equal(await total(), n);
  });
});

describe('filters and paging', () => {
  const PREFIX = 'ZZ分页';
  const made = [];
  before(async () => {
    for (let i = 0; i < 25; i++) {
      const r = await admin.post('/api/v1/units', unitBody({
        name: `${PREFIX}${String(i).padStart(2, '0')}号单位`,
        type: i % 5 === 0 ? 'social' : 'nonpublic',
        region_code: i % 2 ? SANYANJING : FEIE,
      }));
      assert.equal(r.status, 201, r.text);
      made.push(r.json);
    }
  });

  test('default page: 20 items, page 1, per_page 20, total of all', async () => {
    const r = await admin.get('/api/v1/units');
    assert.equal(r.status, 200);
    assert.equal(r.json.page, 1);
    assert.equal(r.json.per_page, 20);
    assert.ok(r.json.total >= 25);
    assert.equal(r.json.items.length, Math.min(20, r.json.total));
  });

  test('q filters by name part; paging 10/10/5 without overlap, ordered by name', async () => {
    const q = encodeURIComponent(PREFIX);
    const seen = [];
    for (const [page, n] of [[1, 10], [2, 10], [3, 5], [4, 0]]) {
      const r = await admin.get(`/api/v1/units?q=${q}&per_page=10&page=${page}`);
      assert.equal(r.status, 200);
      assert.equal(r.json.total, 25);
      assert.equal(r.json.page, page);
      assert.equal(r.json.per_page, 10);
      assert.equal(r.json.items.length, n, `page ${page}`);
      seen.push(...r.json.items.map((u) => u.name));
    }
    const want = made.map((u) => u.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    assert.deepEqual(seen, want, 'all 25, in name order, each once');
  });

  test('type filter', async () => {
    const r = await admin.get(`/api/v1/units?q=${encodeURIComponent(PREFIX)}&type=social&per_page=100`);
    assert.equal(r.json.total, 5);
    for (const u of r.json.items) assert.equal(u.type, 'social');
  });

  test('region filter', async () => {
    const r = await admin.get(`/api/v1/units?q=${encodeURIComponent(PREFIX)}&region=${SANYANJING}&per_page=100`);
    assert.equal(r.json.total, 12);
    for (const u of r.json.items) assert.equal(u.region_code, SANYANJING);
  });

  test('filters combine', async () => {
    const r = await admin.get(`/api/v1/units?q=${encodeURIComponent(PREFIX)}&type=social&region=${FEIE}&per_page=100`);
    // i = 0, 10, 20 are social and even (FEIE)
    assert.deepEqual(r.json.items.map((u) => u.name), ['00', '10', '20'].map((i) => `${PREFIX}${i}号单位`));
  });

  test('per_page=100 allowed', async () => {
    const r = await admin.get('/api/v1/units?per_page=100');
    assert.equal(r.status, 200);
    assert.equal(r.json.per_page, 100);
    assert.equal(r.json.items.length, Math.min(100, r.json.total));
  });

  test('org sees the units registered in its street only, and q works within that', async () => {
    const r = await org.get(`/api/v1/units?q=${encodeURIComponent(PREFIX)}&per_page=100`);
    assert.equal(r.status, 200);
    assert.equal(r.json.total, 13);
    for (const u of r.json.items) assert.equal(u.region_code, FEIE);
  });

  for (const qs of ['page=0', 'page=-1', 'page=abc', 'page=1.5', 'per_page=0', 'per_page=101', 'per_page=-5', 'per_page=x']) {
    test(`${qs} → 400 bad_query`, async () => {
      assertProblem(await admin.get(`/api/v1/units?${qs}`), 400, 'bad_query');
    });
  }
});

describe('directory: the units a member may name as their employer', () => {
  const PREFIX = 'ZZ名录';
  before(async () => {
    for (let i = 0; i < 23; i++) {
      const r = await admin.post('/api/v1/units', unitBody({
        name: `${PREFIX}${String(22 - i).padStart(2, '0')}号单位`, region_code: i % 2 ? SANYANJING : FEIE,
        contact_name: '联系人', contact_phone: '13912345678',
      }));
      assert.equal(r.status, 201, r.text);
    }
    assert.equal((await admin.post('/api/v1/units', unitBody({ name: `${PREFIX}百分之100%_单位` }))).status, 201);
  });

  test('q narrows by name: at most 20 by name, total of all, id, name and place only (no contact)', async () => {
    const r = await member.get('/api/v1/units/directory?q=' + encodeURIComponent(PREFIX));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.total, 24);
    assert.equal(r.json.items.length, 20);
    const names = r.json.items.map((u) => u.name);
    assert.deepEqual(names, [...names].sort());
    for (const u of r.json.items) assert.deepEqual(Object.keys(u).sort(), ['id', 'name', 'region_name']);
    assert.deepEqual([...new Set(r.json.items.map((u) => u.region_name))].sort(), ['三眼井社区', '飞鹅新村社区'].sort());
  });

  test('the whole city: units of every district (越秀区 too), whatever the member\'s community', async () => {
    for (const [n, place] of [['21', '三眼井社区'], ['22', '飞鹅新村社区']]) {
      const r = await member.get('/api/v1/units/directory?q=' + encodeURIComponent(`${PREFIX}${n}号`));
      assert.deepEqual(r.json.items.map((u) => u.region_name), [place]);
    }
  });

  test('% and _ in q match themselves, not anything', async () => {
    let r = await member.get('/api/v1/units/directory?q=' + encodeURIComponent('100%_'));
    assert.deepEqual(r.json.items.map((u) => u.name), [`${PREFIX}百分之100%_单位`]);
    r = await member.get('/api/v1/units/directory?q=' + encodeURIComponent('%'));
    assert.ok(r.json.items.length >= 1 && r.json.items.every((u) => u.name.includes('%')), r.text);
    assert.equal(r.json.total, r.json.items.length, 'only names with a % in them');
  });

  test('hostile q: too long, not UTF-8, SQL → 400 or an empty list; the server keeps serving', async () => {
    assertProblem(await member.get('/api/v1/units/directory?q=' + '单'.repeat(51)), 400, 'bad_query');
    assertProblem(await member.get('/api/v1/units/directory?q=%FF%FE'), 400, 'bad_query');
    const sql = await member.get('/api/v1/units/directory?q=' + encodeURIComponent("' OR 1=1 --"));
    assert.equal(sql.status, 200);
    assert.equal(sql.json.total, 0);
    assert.equal((await member.get('/api/v1/units/directory')).status, 200);
  });
});
