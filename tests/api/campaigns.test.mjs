// campaigns.test.mjs: door-to-door campaigns (一户不落): defined over buildings, walked by members on the phone, every
// household marked, coverage live, the walk a service record, results exported
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, dbQuery } from '../lib/server.mjs';
import { unzip } from '../lib/zip.mjs';
import { assertProblem, assertFieldError, assertCleanLog, SHILIUQIAO, FEIE } from './helpers.mjs';
import { everyone, matrix, wide, reportedMember } from './serving-people.mjs';

let srv, as, memberId, items, building, feieBuilding, helper;
const sql = (q) => dbQuery(srv.db, q);

async function newBuilding(staff, community, name) {
  const g = await staff.post(`/api/v1/regions/${community}/children`, { name: `${name}网格` });
  assert.equal(g.status, 201, g.text);
  const b = await staff.post(`/api/v1/regions/${g.json.code}/children`, { name });
  assert.equal(b.status, 201, b.text);
  return b.json.code;
}

// A building of 2 units × floors 1..3 × 2 a floor: 12 households.
async function laidOut(staff, community, name) {
  const code = await newBuilding(staff, community, name);
  const r = await staff.post(`/api/v1/buildings/${code}/households/generate`, { units: 2, floor_from: 1, floor_to: 3, per_floor: 2 });
  assert.deepEqual(r.json, { added: 12, kept: 0 });
  return code;
}

const body = (over = {}) => ({ region_code: SHILIUQIAO, title: '垃圾分类入户宣传', description: '每户发放宣传册，登记家里几口人',
  item_id: items.A03, starts_on: '2026-12-01', ends_on: '2026-12-31',
  fields: [{ name: '常住人数', type: 'number', required: true }, { name: '是否知晓分类', type: 'choice', choices: ['知晓', '不知晓'] }],
  ...over });

// A published campaign over building (whole, or by unit), its stretches.
async function running(over = {}, { byUnit = false, where = building } = {}) {
  const c = await as.staff.post('/api/v1/campaigns', body(over));
  assert.equal(c.status, 201, c.text);
  const b = await as.staff.post(`/api/v1/campaigns/${c.json.id}/buildings`, { building_codes: [where], by_unit: byUnit });
  assert.equal(b.status, 200, b.text);
  assert.equal((await as.staff.post(`/api/v1/campaigns/${c.json.id}/publish`)).status, 200);
  const cov = (await as.staff.get(`/api/v1/campaigns/${c.json.id}/coverage`)).json;
  return { id: c.json.id, stretches: cov.stretches };
}

const doors = async (who, stretch) => (await who.get(`/api/v1/campaign-stretches/${stretch}/doors`)).json.doors;
const mark = (who, campaign, household, m, over = {}) =>
  who.post(`/api/v1/campaigns/${campaign}/households/${household}/marks`, { mark: m, ...over });

before(async () => {
  srv = await startServer();
  let ids;
  ({ as, ...ids } = await everyone(srv));
  memberId = ids.memberId;
  const listed = (await as.staff.get(`/api/v1/catalog?region=${SHILIUQIAO}`)).json.items;
  items = Object.fromEntries(listed.map((i) => [i.code, i.id]));
  building = await laidOut(as.staff, SHILIUQIAO, '石榴桥路 20 号');
  feieBuilding = await laidOut(as.staff2, FEIE, '飞鹅路 9 号');
  helper = await reportedMember(srv, 'm_helper', SHILIUQIAO, as.staff);
});
after(async () => {
  await srv.stop();
  assertCleanLog(srv.log());
});

describe('a campaign walked to the last door', () => {
  test('staff define it with a form, add a building by unit, assign, publish; the member marks every door; coverage reaches 100 %', async () => {
    const { id, stretches } = await running({}, { byUnit: true });
    assert.equal(stretches.length, 2, 'one stretch a 单元');
    assert.deepEqual(stretches.map((s) => [s.unit_no, s.tally.households, s.tally.todo, s.member_id]), [['1', 6, 6, null], ['2', 6, 6, null]]);
    const one = await as.staff.get(`/api/v1/campaigns/${id}`);
    assert.deepEqual([one.json.state, one.json.item_name, one.json.fields.map((f) => f.name), one.json.fields[1].choices],
      ['active', '入户宣传', ['常住人数', '是否知晓分类'], ['知晓', '不知晓']]);

    const sug = (await as.staff.get(`/api/v1/campaign-stretches/${stretches[0].id}/suggestions`)).json.items;
    assert.ok(sug.some((s) => s.member_id === memberId), 'the community\'s members are suggested');
    const put = await as.staff.put(`/api/v1/campaign-stretches/${stretches[0].id}/member`, { member_id: memberId });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.json.member_id, memberId);

    const mine = (await as.member.get('/api/v1/me/campaign-stretches')).json.items;
    assert.deepEqual(mine.map((s) => [s.id, s.campaign_title, s.building_name, s.unit_no, s.item_id]),
      [[stretches[0].id, '垃圾分类入户宣传', '石榴桥路 20 号', '1', items.A03]]);
    const ds = await doors(as.member, stretches[0].id);
    assert.equal(ds.length, 6);
    assert.deepEqual(ds.map((d) => d.room), ['301', '302', '201', '202', '101', '102'], 'top floor first');

    // visited with the form; nobody home; declined; empty; the nobody-home door visited later
    const visit = await mark(as.member, id, ds[0].household_id, 'visited', { fields: { 常住人数: 3, 是否知晓分类: '知晓' } });
    assert.equal(visit.status, 201, visit.text);
    assert.equal((await mark(as.member, id, ds[1].household_id, 'absent', { note: '敲门无人应' })).status, 201);
    assert.equal((await mark(as.member, id, ds[2].household_id, 'declined')).status, 201);
    assert.equal((await mark(as.member, id, ds[3].household_id, 'empty')).status, 201);
    let cov = (await as.staff.get(`/api/v1/campaigns/${id}/coverage`)).json;
    assert.deepEqual(cov.stretches[0].tally, { households: 6, todo: 2, visited: 1, absent: 1, declined: 1, empty: 1, final: 3, complete: false });
    assert.deepEqual(cov.tally, { households: 12, todo: 8, visited: 1, absent: 1, declined: 1, empty: 1, final: 3, complete: false });
    assert.deepEqual(cov.grids.map((g) => [g.grid_name, g.tally.households]), [['石榴桥路 20 号网格', 12]]);
    assert.deepEqual(cov.communities.map((g) => [g.community_name, g.tally.final]), [['石榴桥社区', 3]]);

    // the walk cannot be handed in while a door is to do
    assertProblem(await as.member.post(`/api/v1/campaign-stretches/${stretches[0].id}/done`, { minutes: 90 }), 409, 'state');
    for (const d of ds.slice(4)) assert.equal((await mark(as.member, id, d.household_id, 'visited', { fields: { 常住人数: 2 } })).status, 201);
    assert.equal((await mark(as.member, id, ds[1].household_id, 'visited', { fields: { 常住人数: 1 } })).status, 201, 'revisited');
    const after = (await as.member.get(`/api/v1/campaign-stretches/${stretches[0].id}/doors`)).json;
    assert.deepEqual(after.tally, { households: 6, todo: 0, visited: 4, absent: 0, declined: 1, empty: 1, final: 6, complete: true });
    assert.equal(after.doors.find((d) => d.household_id === ds[1].household_id).marks, 2, 'both marks kept');

    // the walk: a pending service record of source campaign, once
    const done = await as.member.post(`/api/v1/campaign-stretches/${stretches[0].id}/done`, { minutes: 90, fields: { 走访户数: 6 } });
    assert.equal(done.status, 200, done.text);
    const rec = (await as.staff.get(`/api/v1/records/${done.json.record_id}`)).json;
    assert.deepEqual([rec.source, rec.state, rec.minutes, rec.member_id ?? rec.member?.id], ['campaign', 'pending', 90, memberId]);
    assert.match(rec.content, /垃圾分类入户宣传.*石榴桥路 20 号 1：走访 6 户/);
    assertProblem(await as.member.post(`/api/v1/campaign-stretches/${stretches[0].id}/done`, { minutes: 90, fields: { 走访户数: 6 } }), 409, 'duplicate');
    const c = await as.staff.post(`/api/v1/records/${done.json.record_id}/confirm`);
    assert.equal(c.status, 200, c.text);

    // the second unit marked by staff (no member): the campaign complete
    for (const d of await doors(as.staff, stretches[1].id)) assert.equal((await mark(as.staff, id, d.household_id, 'empty')).status, 201);
    cov = (await as.staff.get(`/api/v1/campaigns/${id}/coverage`)).json;
    assert.equal(cov.tally.complete, true);
    assert.equal((await as.staff.get(`/api/v1/campaigns?region=${SHILIUQIAO}`)).json.items.find((x) => x.id === id).tally.final, 12);

    // the export: every household, the words, the answers of the latest visit
    const x = await fetch(`${srv.url}/api/v1/campaigns/${id}/export.xlsx`, { headers: { Cookie: as.staff.cookie } });
    assert.equal(x.status, 200);
    const xml = unzip(Buffer.from(await x.arrayBuffer()))['xl/worksheets/sheet1.xml'].toString();
    for (const w of ['楼栋', '常住人数', '是否知晓分类', '已走访', '拒绝', '空置', '知晓', '石榴桥路 20 号']) assert.ok(xml.includes(w), `${w} in the sheet`);
    assert.ok(!xml.includes('无人在家'), 'the absent door was visited later: its state is the latest mark');
    const audit = (await as.admin.get('/api/v1/audit?action=campaign.mark')).json;
    assert.ok(audit.total >= 13, 'every mark audited');
  });

  test('close: no more marks; a draft is not walked', async () => {
    const c = await as.staff.post('/api/v1/campaigns', body({ title: '养犬登记' }));
    await as.staff.post(`/api/v1/campaigns/${c.json.id}/buildings`, { building_codes: [building] });
    const s = (await as.staff.get(`/api/v1/campaigns/${c.json.id}/coverage`)).json.stretches[0];
    const d = (await doors(as.staff, s.id))[0];
    assertProblem(await mark(as.staff, c.json.id, d.household_id, 'empty'), 409, 'state', 'a draft');
    assert.equal((await as.staff.post(`/api/v1/campaigns/${c.json.id}/publish`)).status, 200);
    assertProblem(await as.staff.post(`/api/v1/campaigns/${c.json.id}/publish`), 409, 'state', 'twice');
    assert.equal((await as.staff.post(`/api/v1/campaigns/${c.json.id}/close`)).json.state, 'closed');
    assertProblem(await mark(as.staff, c.json.id, d.household_id, 'empty'), 409, 'state', 'closed');
  });
});

describe('two members at one door, and who may mark', () => {
  test('two marks of the same household at once: both kept, one state, the counts add up', async () => {
    const { id, stretches } = await running({ title: '文明创建' });
    await as.staff.put(`/api/v1/campaign-stretches/${stretches[0].id}/member`, { member_id: memberId });
    const ds = await doors(as.member, stretches[0].id);
    const both = await Promise.all([mark(as.member, id, ds[0].household_id, 'visited', { fields: { 常住人数: 2 } }),
      mark(as.staff, id, ds[0].household_id, 'empty')]);
    assert.deepEqual(both.map((r) => r.status), [201, 201]);
    const after = (await as.staff.get(`/api/v1/campaign-stretches/${stretches[0].id}/doors`)).json;
    const door = after.doors.find((d) => d.household_id === ds[0].household_id);
    assert.equal(door.marks, 2);
    assert.ok(['visited', 'empty'].includes(door.state));
    assert.equal(after.tally.todo, 11);
    assert.equal(after.tally.visited + after.tally.empty, 1, 'one household, one state, counted once');
  });

  test('a member marks only the doors of their own stretch; others see nothing of it', async () => {
    const { id, stretches } = await running({ title: '政策宣讲' }, { byUnit: true });
    await as.staff.put(`/api/v1/campaign-stretches/${stretches[0].id}/member`, { member_id: memberId });
    const theirs = await doors(as.staff, stretches[1].id);
    assertProblem(await mark(as.member, id, theirs[0].household_id, 'empty'), 404, 'not_found', 'not their stretch');
    assertProblem(await as.member.get(`/api/v1/campaign-stretches/${stretches[1].id}/doors`), 404, 'not_found');
    assertProblem(await helper.client.get(`/api/v1/campaign-stretches/${stretches[0].id}/doors`), 404, 'not_found');
    assertProblem(await helper.client.post(`/api/v1/campaign-stretches/${stretches[0].id}/done`, { minutes: 30 }), 404, 'not_found');
    assert.deepEqual((await helper.client.get('/api/v1/me/campaign-stretches')).json.items, []);
    const rows = sql(`SELECT COUNT(*) FROM campaign_mark WHERE campaign_id = ${id}`);
    assert.equal(rows.trim(), '0', 'nothing written');
  });
});

describe('bad input', () => {
  test('hostile bodies: every field named; 4-byte texts at their limits accepted, over refused', async () => {
    const ok = await as.staff.post('/api/v1/campaigns', body({ title: wide(50), description: wide(500),
      fields: [{ name: wide(40), type: 'text' }] }));
    assert.equal(ok.status, 201, ok.text);
    assert.deepEqual([ok.json.title, ok.json.description, ok.json.fields[0].name], [wide(50), wide(500), wide(40)]);
    const before = sql('SELECT COUNT(*) FROM campaign');
    for (const [over, field] of [[{ title: wide(51) }, 'title'], [{ title: '' }, 'title'], [{ description: wide(501) }, 'description'],
      [{ starts_on: '2026-13-01' }, 'starts_on'], [{ ends_on: '2026-11-01' }, 'ends_on'], [{ ends_on: '2028-01-01' }, 'ends_on'],
      [{ item_id: 999999 }, 'item_id'], [{ item_id: 'x' }, 'item_id'], [{ region_code: FEIE }, 'region_code'],
      [{ region_code: '44' }, 'region_code'], [{ fields: 'x' }, 'fields'], [{ fields: [{ name: wide(41), type: 'text' }] }, 'fields[0].name'],
      [{ fields: [{ name: '人数', type: 'colour' }] }, 'fields[0].type'], [{ colour: 1 }, 'colour']]) {
      const r = await as.staff.post('/api/v1/campaigns', body(over));
      assertFieldError(r, field, undefined, JSON.stringify(over).slice(0, 80));
    }
    assert.equal(sql('SELECT COUNT(*) FROM campaign'), before, 'nothing written');
    assertProblem(await as.staff.req('POST', '/api/v1/campaigns', '{"title":', { 'Content-Type': 'application/json' }), 400, 'bad_json');
  });

  test('marks: the form checked, notes at their limit, unknown marks and households refused; buildings of elsewhere refused', async () => {
    const { id, stretches } = await running({ title: '疫情排查' });
    const d = (await doors(as.staff, stretches[0].id))[0];
    assertFieldError(await mark(as.staff, id, d.household_id, 'visited', { fields: {} }), 'fields.常住人数', 'required');
    assertFieldError(await mark(as.staff, id, d.household_id, 'visited', { fields: { 常住人数: 'three' } }), 'fields.常住人数');
    assertFieldError(await mark(as.staff, id, d.household_id, 'visited', { fields: { 常住人数: 1, 是否知晓分类: '也许' } }), 'fields.是否知晓分类');
    assertFieldError(await mark(as.staff, id, d.household_id, 'absent', { fields: { 常住人数: 1 } }), 'fields', 'unknown');
    assertFieldError(await mark(as.staff, id, d.household_id, 'gone'), 'mark');
    assertFieldError(await mark(as.staff, id, d.household_id, 'absent', { note: wide(201) }), 'note');
    assert.equal((await mark(as.staff, id, d.household_id, 'absent', { note: wide(200) })).status, 201);
    assertProblem(await mark(as.staff, id, 999999, 'absent'), 404, 'not_found');
    assertProblem(await mark(as.staff, 'x', d.household_id, 'absent'), 404, 'not_found');
    const b = await as.staff.post(`/api/v1/campaigns/${id}/buildings`, { building_codes: [feieBuilding] });
    assertFieldError(b, 'building_codes[0]', 'not_found');
    assertFieldError(await as.staff.post(`/api/v1/campaigns/${id}/buildings`, { building_codes: [] }), 'building_codes');
    assertFieldError(await as.staff.post(`/api/v1/campaigns/${id}/buildings`, { building_codes: Array(1001).fill(building) }), 'building_codes');
    assertFieldError(await as.staff.post(`/api/v1/campaigns/${id}/buildings`, { building_codes: [building, '44'] }), 'building_codes[1]');
    const many = await as.staff.post(`/api/v1/campaigns/${id}/buildings`, { building_codes: Array(30).fill(building) });
    assert.deepEqual([many.status, many.json.added], [200, 0], 'thirty times the same building: there already');
    assertFieldError(await as.staff.put(`/api/v1/campaign-stretches/${stretches[0].id}/member`, { member_id: 999999 }), 'member_id', 'not_found');
    assertFieldError(await as.staff.put(`/api/v1/campaign-stretches/${stretches[0].id}/member`, { member_id: -1 }), 'member_id');
    await as.staff.put(`/api/v1/campaign-stretches/${stretches[0].id}/member`, { member_id: memberId });
    assertFieldError(await as.member.post(`/api/v1/campaign-stretches/${stretches[0].id}/done`, { minutes: 0 }), 'minutes');
  });
});

describe('who sees and changes campaigns: each role in and out of scope', () => {
  let c, s, d;
  before(async () => {
    c = await running({ title: '权限检查' });
    s = c.stretches[0];
    await as.staff.put(`/api/v1/campaign-stretches/${s.id}/member`, { member_id: memberId });
    d = (await doors(as.staff, s.id))[0];
  });
  const deny = { org2: 404, staff2: 404, unit: 403, member: 403, memberElsewhere: 403, memberWaiting: 403, resident: 403, anon: 401 };

  test('reading: staff and org over it; others nothing', async () => {
    await matrix(as, { ...deny, admin: 200, org: 200, staff: 200 }, (w) => w.get(`/api/v1/campaigns/${c.id}`), 'GET campaign');
    await matrix(as, { ...deny, admin: 200, org: 200, staff: 200 }, (w) => w.get(`/api/v1/campaigns/${c.id}/coverage`), 'coverage');
    await matrix(as, { ...deny, admin: 200, org: 200, staff: 200 }, (w) => w.get(`/api/v1/campaigns/${c.id}/export.xlsx`), 'export');
    await matrix(as, { ...deny, org2: 200, staff2: 200, admin: 200, org: 200, staff: 200 }, (w) => w.get('/api/v1/campaigns'), 'list');
    assert.ok(!(await as.staff2.get('/api/v1/campaigns')).json.items.some((x) => x.id === c.id), 'another community\'s list does not show it');
    await matrix(as, { ...deny, admin: 200, org: 200, staff: 200, member: 200, memberElsewhere: 404, memberWaiting: 404 },
      (w) => w.get(`/api/v1/campaign-stretches/${s.id}/doors`), 'doors: staff and its walker');
    await matrix(as, { ...deny, admin: 200, org: 200, staff: 200 }, (w) => w.get(`/api/v1/campaign-stretches/${s.id}/suggestions`), 'suggestions');
    await matrix(as, { ...deny, admin: 403, org: 403, org2: 403, staff: 403, staff2: 403, member: 200, memberElsewhere: 200, memberWaiting: 200 },
      (w) => w.get('/api/v1/me/campaign-stretches'), 'my stretches');
  });

  test('writing: staff who run it; the walker marks; others refused, nothing written', async () => {
    const n = sql('SELECT COUNT(*) FROM campaign');
    await matrix(as, { ...deny, admin: 201, org: 201, staff: 201, org2: 422, staff2: 422 },
      (w) => w.post('/api/v1/campaigns', body({ title: '矩阵' })), 'POST campaign');
    assert.equal(Number(sql('SELECT COUNT(*) FROM campaign')), Number(n) + 3);
    await matrix(as, { ...deny, admin: 200, org: 200, staff: 200 },
      (w) => w.post(`/api/v1/campaigns/${c.id}/buildings`, { building_codes: [building] }), 'add buildings');
    await matrix(as, { ...deny, admin: 200, org: 200, staff: 200 },
      (w) => w.put(`/api/v1/campaign-stretches/${s.id}/member`, { member_id: memberId }), 'assign');
    await matrix(as, { ...deny, admin: 201, org: 201, staff: 201, member: 201, memberElsewhere: 404, memberWaiting: 404 },
      (w) => mark(w, c.id, d.household_id, 'absent'), 'mark');
    await matrix(as, { ...deny, admin: 403, org: 403, org2: 403, staff: 403, staff2: 403, member: 409, memberElsewhere: 404, memberWaiting: 404 },
      (w) => w.post(`/api/v1/campaign-stretches/${s.id}/done`, { minutes: 30 }), 'walk done (doors still to do)');
    const x = await running({ title: '矩阵关闭' });
    await matrix(as, { ...deny, admin: 200, org: 409, staff: 409 }, (w) => w.post(`/api/v1/campaigns/${x.id}/close`), 'close (admin first)');
    const y = (await as.staff.post('/api/v1/campaigns', body({ title: '矩阵发布' }))).json;
    await matrix(as, { ...deny, admin: 200, org: 409, staff: 409 }, (w) => w.post(`/api/v1/campaigns/${y.id}/publish`), 'publish (admin first)');
  });
});
