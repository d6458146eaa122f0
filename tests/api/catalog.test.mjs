// catalog.test.mjs: the service catalogue: the city default, what a district or street adds for its subtree, edits, retiring
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { assertProblem, assertFieldError, assertCleanLog, SHILIUQIAO, SANYUANLI, BAIYUN, HONGQIAO, SANYANJING, CITY } from './helpers.mjs';
import { everyone, matrix, wide } from './serving-people.mjs';

let srv, as;

before(async () => {
  srv = await startServer();
  ({ as } = await everyone(srv));
});
after(async () => {
  await srv.stop();
  assertCleanLog(srv.log());
});

const list = (c, query = '') => c.get(`/api/v1/catalog${query}`);
const codes = (r) => r.json.items.map((i) => i.code);
let serial = 0;
const item = (over = {}) => {
  serial += 1;
  return { region_code: SANYUANLI, category: 'activity', code: `T${serial}`, name: `测试项目${serial}`,
    description: '说明', sort: 5, fields: [], ...over };
};
// How many items the street has, retired ones too: a refused write must not change it.
const streetCount = async () => (await list(as.admin, `?region=${SANYUANLI}&retired=true`)).json.items.length;

describe('the city default', () => {
  test('every signed-in role reads the 26 items of the four categories, in order, with their extra fields', async () => {
    for (const role of ['admin', 'org', 'staff', 'unit', 'member', 'memberWaiting', 'resident']) {
      const r = await list(as[role]);
      assert.equal(r.status, 200, `${role}: ${r.text}`);
      assert.equal(r.json.items.length, 26, role);
      assert.deepEqual([...new Set(r.json.items.map((i) => i.category))], ['welfare', 'post', 'activity', 'affairs']);
    }
    const r = await list(as.staff);
    const meals = r.json.items.find((i) => i.code === 'G01');
    assert.equal(meals.name, '长者送餐');
    assert.equal(meals.region_code, null);
    assert.equal(meals.retired, false);
    assert.deepEqual(meals.fields, [{ name: '送餐份数', type: 'number', required: true, choices: [] }]);
    const law = r.json.items.find((i) => i.code === 'G05');
    assert.deepEqual(law.fields[0].choices, ['婚姻家庭', '劳动争议', '邻里纠纷', '其他']);
    assert.equal(law.fields[0].type, 'choices');
    for (const name of ['课后托管', '垃圾分类督导员', '文明劝导员', '法律咨询', '政策宣讲', '义诊', '环境整治', '防汛巡逻',
      '门岗值守', '入户宣传', '助老陪伴'])
      assert.ok(r.json.items.some((i) => i.name.includes(name)), name);
    assert.deepEqual(codes(await list(as.staff, '?category=post')), ['P01', 'P02', 'P03', 'P04', 'P05', 'P06']);
    const one = await as.member.get(`/api/v1/catalog/${meals.id}`);
    assert.equal(one.status, 200);
    assert.deepEqual(one.json, { ...meals, editable: false });
    assert.equal((await as.admin.get(`/api/v1/catalog/${meals.id}`)).json.editable, true);
    assert.equal(meals.editable, false, 'staff may not edit the default');
  });

  test('anonymous: 401; an item that does not exist: 404', async () => {
    assertProblem(await list(as.anon), 401, 'unauthenticated');
    assertProblem(await as.anon.get('/api/v1/catalog/1'), 401, 'unauthenticated');
    for (const id of ['999999', '0', 'abc', '-1'])
      assertProblem(await as.staff.get(`/api/v1/catalog/${id}`), 404, 'not_found', id);
  });

  test('a district or street never changes the default: org gets 403 on its items, admin edits it', async () => {
    const meals = (await list(as.admin)).json.items.find((i) => i.code === 'G01');
    const body = { category: 'welfare', code: 'G01', name: '长者助餐', description: meals.description, sort: meals.sort,
      fields: meals.fields.map(({ name, type, required }) => ({ name, type, required })) };
    assertProblem(await as.org.put(`/api/v1/catalog/${meals.id}`, body), 403, 'forbidden');
    assertProblem(await as.org.post(`/api/v1/catalog/${meals.id}/retire`), 403, 'forbidden');
    assertProblem(await as.org.post('/api/v1/catalog', { ...item(), region_code: undefined }), 403, 'forbidden');
    assert.equal((await as.admin.get(`/api/v1/catalog/${meals.id}`)).json.name, '长者送餐', 'unchanged');
    const r = await as.admin.put(`/api/v1/catalog/${meals.id}`, body);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.name, '长者助餐');
    assert.ok(r.json.updated_at > 0);
    const back = await as.admin.put(`/api/v1/catalog/${meals.id}`, { ...body, name: '长者送餐' });
    assert.equal(back.json.name, '长者送餐');
  });
});

describe('what a street adds', () => {
  let added;

  test('org of 三元里街道 adds an item with extra fields of every type: offered in its communities only', async () => {
    const r = await as.org.post('/api/v1/catalog', item({ code: 'SY-01', name: '红色故事讲解', category: 'activity',
      fields: [
        { name: '听众人数', type: 'number', required: true },
        { name: '讲解主题', type: 'text' },
        { name: '讲解日期', type: 'date', required: false },
        { name: '听众类别', type: 'choice', required: true, choices: ['学生', '居民', '游客'] },
        { name: '讲解方式', type: 'choices', choices: ['现场', '线上'] },
      ] }));
    assert.equal(r.status, 201, r.text);
    added = r.json;
    assert.equal(added.region_code, SANYUANLI);
    assert.equal(added.region_name, '三元里街道');
    assert.equal(added.region_level, 'street');
    assert.equal(added.editable, true);
    assert.deepEqual(added.fields.map((f) => [f.name, f.type, f.required, f.choices]), [
      ['听众人数', 'number', true, []], ['讲解主题', 'text', false, []], ['讲解日期', 'date', false, []],
      ['听众类别', 'choice', true, ['学生', '居民', '游客']], ['讲解方式', 'choices', false, ['现场', '线上']]]);
    for (const [region, offered] of [[SANYUANLI, true], [SHILIUQIAO, true], [BAIYUN, false], [SANYANJING, false],
      [HONGQIAO, false]])
      assert.equal(codes(await list(as.staff, `?region=${region}`)).includes('SY-01'), offered, region);
    assert.ok(!codes(await list(as.staff)).includes('SY-01'), 'not in the default list');
    const community = await list(as.member, `?region=${SHILIUQIAO}&category=activity`);
    assert.deepEqual(community.json.items.map((i) => i.category).filter((c) => c !== 'activity'), []);
    assert.equal(codes(community).length, 7, 'the default six and the street\'s');
    const staffView = community.json.items.find((i) => i.code === 'SY-01');
    assert.equal(staffView.editable, false, 'a member does not edit it');
    assert.equal((await as.staff.get(`/api/v1/catalog/${added.id}`)).json.editable, false);
    assert.equal((await as.org2.get(`/api/v1/catalog/${added.id}`)).json.editable, false);
  });

  test('the code is free nowhere it would be offered: not the default\'s, not the district\'s; a sibling street may use it', async () => {
    const before = await streetCount();
    assertProblem(await as.org.post('/api/v1/catalog', item({ code: 'G01' })), 409, 'conflict');
    assertProblem(await as.org.post('/api/v1/catalog', item({ code: 'SY-01' })), 409, 'conflict');
    const district = await as.admin.post('/api/v1/catalog', item({ region_code: BAIYUN, code: 'SY-01' }));
    assertProblem(district, 409, 'conflict');
    assert.equal(district.json.errors[0].field, 'code');
    assert.equal(await streetCount(), before);
    const sibling = await as.admin.post('/api/v1/catalog', item({ region_code: HONGQIAO, code: 'SY-01' }));
    assert.equal(sibling.status, 201, sibling.text);
    const mine = await list(as.staff, `?region=${SHILIUQIAO}`);
    assert.equal(mine.json.items.filter((i) => i.code === 'SY-01').length, 1);
    const city = await as.admin.post('/api/v1/catalog', item({ region_code: CITY, code: 'SY-01' }));
    assertProblem(city, 409, 'conflict', 'the city\'s would be offered where the streets\' are');
    const cityItem = await as.admin.post('/api/v1/catalog', item({ region_code: CITY, code: 'GZ-01' }));
    assert.equal(cityItem.status, 201, cityItem.text);
    assert.ok(codes(await list(as.staff, `?region=${SHILIUQIAO}`)).includes('GZ-01'));
  });

  test('edits: name, description, sort and fields change; category and code never do', async () => {
    const body = { category: 'activity', code: 'SY-01', name: '红色故事宣讲', description: '在纪念馆讲解', sort: 3,
      fields: [{ name: '听众人数', type: 'number', required: true }, { name: '备注', type: 'text' }] };
    const r = await as.org.put(`/api/v1/catalog/${added.id}`, body);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.name, '红色故事宣讲');
    assert.equal(r.json.sort, 3);
    assert.deepEqual(r.json.fields.map((f) => f.name), ['听众人数', '备注']);
    const moved = await as.org.put(`/api/v1/catalog/${added.id}`, { ...body, code: 'SY-02', category: 'welfare' });
    assertFieldError(moved, 'code', 'fixed');
    assertFieldError(moved, 'category', 'fixed');
    const back = await as.org.get(`/api/v1/catalog/${added.id}`);
    assert.deepEqual(back.json, r.json, 'nothing written');
  });

  test('the specialties an item wants (matching suggests members who have them): set, kept by an edit that does not name them, checked', async () => {
    const r = await list(as.staff);
    const spec = (code) => r.json.items.find((i) => i.code === code).specialties;
    assert.equal(spec('G04'), '医疗,养老护理', '义诊 wants doctors first');
    assert.equal(spec('G05'), '法律');
    assert.equal(spec('P01'), '', 'a post wants none');
    const body = { category: 'activity', code: 'SY-01', name: '红色故事宣讲', description: '在纪念馆讲解', sort: 3,
      fields: [{ name: '听众人数', type: 'number', required: true }, { name: '备注', type: 'text' }] };
    const set = await as.org.put(`/api/v1/catalog/${added.id}`, { ...body, specialties: '文艺,教育' });
    assert.equal(set.status, 200, set.text);
    assert.equal(set.json.specialties, '文艺,教育');
    const kept = await as.org.put(`/api/v1/catalog/${added.id}`, body);
    assert.equal(kept.json.specialties, '文艺,教育', 'an edit without specialties keeps them');
    const bad = await as.org.put(`/api/v1/catalog/${added.id}`, { ...body, specialties: '文艺,占卜' });
    assertFieldError(bad, 'specialties', 'enum');
    assertFieldError(await as.org.post('/api/v1/catalog', item({ specialties: '医疗,'.repeat(9) })), 'specialties', 'too_long');
    assertFieldError(await as.org.post('/api/v1/catalog', item({ specialties: 12 })), 'specialties', 'type');
    assert.equal((await as.org.get(`/api/v1/catalog/${added.id}`)).json.specialties, '文艺,教育', 'nothing written');
    const cleared = await as.org.put(`/api/v1/catalog/${added.id}`, { ...body, specialties: '' });
    assert.equal(cleared.json.specialties, '');
  });

  test('retired: offered no more, listed with retired=true, restored; the default is retired by admin only', async () => {
    const r = await as.org.post(`/api/v1/catalog/${added.id}/retire`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.retired, true);
    assert.ok(r.json.retired_at > 0);
    assert.ok(!codes(await list(as.staff, `?region=${SHILIUQIAO}`)).includes('SY-01'));
    assert.ok(codes(await list(as.staff, `?region=${SHILIUQIAO}&retired=true`)).includes('SY-01'));
    assertProblem(await as.org.post('/api/v1/catalog', item({ code: 'SY-01' })), 409, 'conflict', 'a retired code stays taken');
    const restored = await as.org.post(`/api/v1/catalog/${added.id}/restore`);
    assert.equal(restored.status, 200, restored.text);
    assert.equal(restored.json.retired, false);
    assert.equal(restored.json.retired_at, 0);
    assert.ok(codes(await list(as.staff, `?region=${SHILIUQIAO}`)).includes('SY-01'));
  });
});

describe('who may do what', () => {
  const deny = { org2: 403, staff: 403, staff2: 403, unit: 403, member: 403, memberElsewhere: 403, memberWaiting: 403,
    resident: 403, anon: 401 };

  test('adding to the street: admin and its org; org elsewhere, staff, units, members, residents 403; anonymous 401', async () => {
    const before = await streetCount();
    await matrix(as, { admin: 201, org: 201, ...deny }, (c) => c.post('/api/v1/catalog', item()), 'POST /catalog');
    assert.equal(await streetCount(), before + 2, 'only the two allowed wrote');
    await matrix(as, { admin: 201, org: 403, ...deny, org2: 201 },
      (c) => c.post('/api/v1/catalog', item({ region_code: HONGQIAO })), 'POST /catalog in 越秀区');
  });

  test('editing, retiring, restoring the street\'s item: the same', async () => {
    const it = (await as.org.post('/api/v1/catalog', item())).json;
    const body = { category: it.category, code: it.code, name: '改过的名称', sort: 1, fields: [] };
    await matrix(as, { admin: 200, org: 200, ...deny }, (c) => c.put(`/api/v1/catalog/${it.id}`, body), 'PUT /catalog/{id}');
    await matrix(as, { admin: 200, org: 200, ...deny }, (c) => c.post(`/api/v1/catalog/${it.id}/retire`), 'retire');
    await matrix(as, { admin: 200, org: 200, ...deny }, (c) => c.post(`/api/v1/catalog/${it.id}/restore`), 'restore');
    await matrix(as, { admin: 200, org: 200, org2: 200, staff: 200, staff2: 200, unit: 200, member: 200,
      memberElsewhere: 200, memberWaiting: 200, resident: 200, anon: 401 },
    (c) => c.get(`/api/v1/catalog/${it.id}`), 'GET /catalog/{id}');
    await matrix(as, { admin: 200, org: 200, org2: 200, staff: 200, staff2: 200, unit: 200, member: 200,
      memberElsewhere: 200, memberWaiting: 200, resident: 200, anon: 401 },
    (c) => list(c, `?region=${SHILIUQIAO}`), 'GET /catalog');
  });

  test('a refused write is audited', async () => {
    const it = (await as.org.post('/api/v1/catalog', item())).json;
    assertProblem(await as.org2.post(`/api/v1/catalog/${it.id}/retire`), 403, 'forbidden');
    const log = (await as.admin.get(`/api/v1/audit?action=catalog.retire&target_id=${it.id}`)).json.items;
    assert.deepEqual(log.map((e) => e.outcome), ['denied']);
    const made = (await as.admin.get(`/api/v1/audit?action=catalog.create&target_id=${it.id}`)).json.items;
    assert.deepEqual(made.map((e) => [e.outcome, e.target_type]), [['ok', 'catalog_item']]);
  });
});

describe('hostile input: a 4xx naming the field, nothing written, the server alive', () => {
  test('bodies', async () => {
    const before = await streetCount();
    const cases = [
      [{ ...item(), category: 'fun' }, 'category', 'enum'],
      [{ ...item(), category: undefined }, 'category', 'required'],
      [{ ...item(), code: 'A B' }, 'code', 'format'],
      [{ ...item(), code: '编号' }, 'code', 'format'],
      [{ ...item(), code: 'ABCDEFGHI' }, 'code', 'too_long'],
      [{ ...item(), code: '' }, 'code', ['required', 'too_short']],
      [{ ...item(), name: '' }, 'name', ['required', 'too_short']],
      [{ ...item(), name: wide(41) }, 'name', 'too_long'],
      [{ ...item(), description: wide(201) }, 'description', 'too_long'],
      [{ ...item(), sort: -1 }, 'sort', ['too_small', 'too_large']],
      [{ ...item(), sort: 10000 }, 'sort', 'too_large'],
      [{ ...item(), sort: '1' }, 'sort', 'type'],
      [{ ...item(), region_code: '440111999000' }, 'region_code', 'not_found'],
      [{ ...item(), region_code: "1' OR 1=1" }, 'region_code', 'not_found'],
      [{ ...item(), region_code: SHILIUQIAO }, 'region_code', 'format'],
      [{ ...item(), extra: 1 }, 'extra', 'unknown'],
      [{ ...item(), fields: 'abc' }, 'fields', 'type'],
      [{ ...item(), fields: {} }, 'fields', 'type'],
      [{ ...item(), fields: Array.from({ length: 9 }, (_, i) => ({ name: `项${i}`, type: 'text' })) }, 'fields', 'too_long'],
      [{ ...item(), fields: ['x'] }, 'fields[0]', 'type'],
      [{ ...item(), fields: [{ type: 'text' }] }, 'fields[0].name', 'required'],
      [{ ...item(), fields: [{ name: '项', type: 'money' }] }, 'fields[0].type', 'enum'],
      [{ ...item(), fields: [{ name: '项', type: 'text', size: 3 }] }, 'fields[0].size', 'unknown'],
      [{ ...item(), fields: [{ name: '项', type: 'text' }, { name: '项', type: 'number' }] }, 'fields[1].name', 'duplicate'],
      [{ ...item(), fields: [{ name: '换\n行', type: 'text' }] }, 'fields[0].name', 'format'],
      [{ ...item(), fields: [{ name: wide(41), type: 'text' }] }, 'fields[0].name', 'too_long'],
      [{ ...item(), fields: [{ name: '项', type: 'choice' }] }, 'fields[0].choices', 'format'],
      [{ ...item(), fields: [{ name: '项', type: 'choice', choices: ['甲', '甲'] }] }, 'fields[0].choices', 'duplicate'],
      [{ ...item(), fields: [{ name: '项', type: 'choices', choices: ['甲,乙'] }] }, 'fields[0].choices', 'format'],
      [{ ...item(), fields: [{ name: '项', type: 'choice', choices: ['甲\n乙'] }] }, 'fields[0].choices', 'format'],
      [{ ...item(), fields: [{ name: '项', type: 'choice', choices: [''] }] }, 'fields[0].choices[0]', ['required', 'too_short']],
      [{ ...item(), fields: [{ name: '项', type: 'text', choices: ['甲'] }] }, 'fields[0].choices', 'unknown'],
      [{ ...item(), fields: [{ name: '项', type: 'choice', choices: Array.from({ length: 21 }, (_, i) => `选${i}`) }] },
        'fields[0].choices', 'too_long'],
      [{ ...item(), fields: [{ name: '项', type: 'choice', choices: [wide(41)] }] }, 'fields[0].choices[0]', 'too_long'],
      [{ ...item(), fields: [{ name: '项', type: 'choice', choices: Array.from({ length: 20 }, () => wide(40)) }] },
        'fields[0].choices', 'too_long'],
      [{ ...item(), fields: [{ name: '项', type: 'text', required: 'yes' }] }, 'fields[0].required', 'type'],
    ];
    for (const [body, field, code] of cases) assertFieldError(await as.org.post('/api/v1/catalog', body), field, code, field);
    assertProblem(await as.org.post('/api/v1/catalog', '{"name": '), 400);
    assertProblem(await as.org.post('/api/v1/catalog', '[1, 2]'), 400);
    assertProblem(await as.org.post('/api/v1/catalog', 'name=x', { 'Content-Type': 'application/x-www-form-urlencoded' }),
      415);
    const deep = '{"fields": ' + '['.repeat(100) + ']'.repeat(100) + '}';
    assertProblem(await as.org.post('/api/v1/catalog', deep), 400);
    assert.equal(await streetCount(), before, 'nothing written');
    const one = (await as.org.post('/api/v1/catalog', item())).json;
    const put = await as.org.put(`/api/v1/catalog/${one.id}`, { category: one.category, code: one.code, name: wide(41) });
    assertFieldError(put, 'name', 'too_long');
    assertFieldError(await as.org.put(`/api/v1/catalog/${one.id}`, { code: one.code, name: 'x' }), 'category', 'required');
    assertFieldError(await as.org.put(`/api/v1/catalog/${one.id}`, { ...item(), code: one.code, category: one.category }),
      'region_code', 'unknown');
    assert.deepEqual((await as.org.get(`/api/v1/catalog/${one.id}`)).json, one);
    assert.equal((await as.staff.get('/healthz')).status, 200);
  });

  test('queries', async () => {
    for (const [query, field] of [['?category=x', 'category'], ['?retired=yes', 'retired'], ['?region=abc', 'region'],
      ['?region=440111999999', 'region'], [`?region=${'9'.repeat(40)}`, 'region'], ['?region=%ff', 'region']]) {
      const r = await list(as.staff, query);
      assertProblem(r, 400, 'bad_query', query);
      assert.equal(r.json.errors[0].field, field, query);
    }
  });
});

describe('limits', () => {
  test('every text at its limit in 4-byte characters reads back intact', async () => {
    const choices = Array.from({ length: 10 }, (_, i) => wide(39, 0x20000 + i * 64));
    const body = item({ name: wide(40), description: wide(200, 0x20100), fields: [
      { name: wide(40, 0x20200), type: 'choices', required: true, choices },
      ...Array.from({ length: 7 }, (_, i) => ({ name: wide(40, 0x20300 + i * 64), type: 'text' })),
    ] });
    const r = await as.org.post('/api/v1/catalog', body);
    assert.equal(r.status, 201, r.text);
    const back = (await as.staff.get(`/api/v1/catalog/${r.json.id}`)).json;
    assert.equal(back.name, body.name);
    assert.equal(back.description, body.description);
    assert.deepEqual(back.fields.map((f) => f.name), body.fields.map((f) => f.name));
    assert.deepEqual(back.fields[0].choices, choices);
    const listed = (await list(as.staff, `?region=${SHILIUQIAO}`)).json.items.find((i) => i.id === r.json.id);
    assert.deepEqual(listed, back);
  });

  test('a region holds at most 100 items, retired ones too', async () => {
    const full = '440104003000'; // 越秀区 北京街道
    for (let i = 1; i <= 100; i++) {
      const r = await as.admin.post('/api/v1/catalog', item({ region_code: full, code: `F${i}` }));
      assert.equal(r.status, 201, r.text);
      if (i === 1) await as.admin.post(`/api/v1/catalog/${r.json.id}/retire`);
    }
    assertProblem(await as.admin.post('/api/v1/catalog', item({ region_code: full, code: 'F101' })), 409, 'conflict');
    assert.equal((await list(as.admin, `?region=${full}&retired=true`)).json.items.filter((i) => i.region_code === full).length,
      100);
  });

  test('twenty orgs adding the same code at once: one item', async () => {
    const rs = await Promise.all(Array.from({ length: 20 }, () => as.org.post('/api/v1/catalog', item({ code: 'SAME' }))));
    assert.deepEqual(rs.map((r) => r.status).sort(), [201, ...Array(19).fill(409)]);
    assert.equal(codes(await list(as.staff, `?region=${SHILIUQIAO}`)).filter((c) => c === 'SAME').length, 1);
  });
});
