// household-import.test.mjs: a community's households from a spreadsheet (POST /communities/{code}/households/import,
// GET /households/template.xlsx): sheets written by LibreOffice, a dry run gives each row's verdict and writes nothing, one
// bad row writes nothing and is named, rooms there already refused or (update=1) changed, 4-byte characters at the limits,
// a building's 2,000, hostile bodies, who may import where
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, ROOT, tmpDir } from '../lib/server.mjs';
import { assertProblem, assertFieldError, assertCleanLog, SHILIUQIAO, FEIE } from './helpers.mjs';
import { everyone, matrix, wide } from './serving-people.mjs';
import { unzip } from '../lib/zip.mjs';

const HEADER = ['楼栋', '单元', '楼层', '房号', '住人情况', '人数', '备注'];
let srv, as, dir, oak, elm, twinA, feieOne, feieBig;
const sheets = {};

const csvCell = (s) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
const csv = (rows, header = HEADER) => [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';

// Sheets as LibreOffice writes them: 楼层, 房号 and 人数 number cells (as a worker types them), the rest text.
function libreOffice(named) {
  const files = Object.entries(named).map(([name, rows]) => {
    const path = join(dir, `${name}.csv`);
    writeFileSync(path, csv(rows));
    return path;
  });
  execFileSync('soffice', ['--headless', '--norestore', `-env:UserInstallation=file://${dir}/lo`,
    '--infilter=CSV:44,34,76,1,1/2/2/2/3/1/4/1/5/2/6/1/7/2', '--convert-to', 'xlsx', '--outdir', dir, ...files],
  { stdio: 'pipe', timeout: 180000 });
  for (const name of Object.keys(named)) {
    sheets[name] = readFileSync(join(dir, `${name}.xlsx`));
    assert.equal(sheets[name].subarray(0, 2).toString(), 'PK', `${name} is an .xlsx`);
  }
}

// A building of community under a grid of its own, made by staff.
let grids = 0;
async function newBuilding(staff, community, name) {
  const g = await staff.post(`/api/v1/regions/${community}/children`, { name: `导入网格${++grids}` });
  assert.equal(g.status, 201, g.text);
  const b = await staff.post(`/api/v1/regions/${g.json.code}/children`, { name });
  assert.equal(b.status, 201, b.text);
  return b.json.code;
}

const upload = (client, community, query, bytes) =>
  client.req('POST', `/api/v1/communities/${community}/households/import?${query}`, bytes,
    { 'Content-Type': 'application/octet-stream' });
const rooms = async (building) => (await as.admin.get(`/api/v1/buildings/${building}/households`)).json.items;
const total = async (community = SHILIUQIAO) =>
  (await as.admin.get(`/api/v1/communities/${community}/households`)).json.items.reduce((s, b) => s + b.households, 0);

before(async () => {
  dir = tmpDir('baodao-household-import-');
  srv = await startServer();
  ({ as } = await everyone(srv));
  oak = await newBuilding(as.staff, SHILIUQIAO, '橡树苑 1 栋');
  elm = await newBuilding(as.staff, SHILIUQIAO, '榆树苑');
  twinA = await newBuilding(as.staff, SHILIUQIAO, '同名楼');
  await newBuilding(as.staff, SHILIUQIAO, '同名楼');
  feieOne = await newBuilding(as.staff2, FEIE, '1栋');
  feieBig = [await newBuilding(as.staff2, FEIE, '大楼甲'), await newBuilding(as.staff2, FEIE, '大楼乙'),
    await newBuilding(as.staff2, FEIE, '大楼丙'), await newBuilding(as.staff2, FEIE, '大楼丁')];
  libreOffice({
    good: [
      ['橡树苑 1 栋', '1', '3', '301', '住人', '3', '老两口带孙子'],
      ['橡树苑 1 栋', '1', '3', '302', '空置', '', ''],
      ['橡树苑 1 栋', '2单元', '-1', '1801室', '', '0', ''],
      [elm, '', '', '101', '未核实', '', ''],
      [twinA, wide(10), '120', wide(20), '住人', '99', wide(200)],
    ],
    bad: [
      ['橡树苑 1 栋', '1', '4', '401', '住人', '2', ''],
      ['橡树苑 1 栋', wide(11), '4', '402', '', '', ''],
      ['橡树苑 1 栋', '1', '4', wide(21), '', '', ''],
      ['橡树苑 1 栋', '1', '4', '403', '', '', wide(201)],
      ['橡树苑 1 栋', '1', '121', '404', '', '', ''],
      ['橡树苑 1 栋', '1', '0', '405', '', '', ''],
      ['橡树苑 1 栋', '1', '四楼', '406', '', '', ''],
      ['橡树苑 1 栋', '1', '4', '407', '有人', '100', ''],
      ['没有这栋楼', '1', '4', '408', '', '', ''],
      ['同名楼', '1', '4', '409', '', '', ''],
      ['', '1', '4', '410', '', '', ''],
      ['橡树苑 1 栋', '1', '4', '', '住人', '', ''],
      ['橡树苑 1 栋', '1', '4', '401', '空置', '', '与第 2 行同一户'],
      [feieOne, '1', '4', '411', '', '', ''],
    ],
    changed: [
      ['橡树苑 1 栋', '1', '3', '301', '住人', '4', '老两口带孙子，孙女也来了'],
      ['橡树苑 1 栋', '1', '3', '302', '空置', '', ''],
      ['橡树苑 1 栋', '1', '3', '303', '住人', '1', ''],
    ],
  });
});
after(async () => {
  await srv.stop();
  assertCleanLog(srv.log());
});

test('the template: the header and one example row, and it imports as it is', async () => {
  const r = await fetch(`${srv.url}/api/v1/households/template.xlsx`, { headers: { Cookie: as.staff2.cookie } });
  assert.equal(r.status, 200);
  const xlsx = Buffer.from(await r.arrayBuffer());
  const parts = unzip(xlsx);
  const strings = parts['xl/sharedStrings.xml']?.toString() ?? parts['xl/worksheets/sheet1.xml'].toString();
  for (const h of HEADER) assert.ok(strings.includes(h), `the template has ${h}`);
  const check = await upload(as.staff2, FEIE, 'dry_run=1', xlsx);
  assert.equal(check.status, 200, check.text);
  assert.deepEqual([check.json.rows, check.json.valid, check.json.written, check.json.errors], [1, 1, 0, []]);
  assert.deepEqual(check.json.verdicts, [{ row: 2, verdict: 'create', id: null, building_name: '1栋', unit_no: '1', room: '301' }]);
  assert.deepEqual(await rooms(feieOne), [], 'a dry run writes nothing');
});

test('a good sheet: the dry run gives each row its verdict, the real run writes every row, one audit entry', async () => {
  const before = await total();
  const dry = await upload(as.staff, SHILIUQIAO, 'dry_run=1', sheets.good);
  assert.equal(dry.status, 200, dry.text);
  assert.deepEqual([dry.json.rows, dry.json.valid, dry.json.invalid, dry.json.create, dry.json.written, dry.json.committed],
    [5, 5, 0, 5, 0, false]);
  assert.deepEqual(dry.json.errors, []);
  assert.deepEqual(dry.json.verdicts.map((v) => [v.row, v.verdict, v.building_name, v.unit_no, v.room]), [
    [2, 'create', '橡树苑 1 栋', '1', '301'], [3, 'create', '橡树苑 1 栋', '1', '302'], [4, 'create', '橡树苑 1 栋', '2', '1801'],
    [5, 'create', '榆树苑', '', '101'], [6, 'create', '同名楼', wide(10), wide(20)]]);
  assert.equal(await total(), before, 'the dry run wrote nothing');
  const real = await upload(as.staff, SHILIUQIAO, '', sheets.good);
  assert.equal(real.status, 200, real.text);
  assert.deepEqual([real.json.written, real.json.committed], [5, true]);
  assert.equal(await total(), before + 5);
  const o = await rooms(oak);
  const at = (unit, room) => o.find((h) => h.unit_no === unit && h.room === room);
  assert.deepEqual([at('1', '301').floor, at('1', '301').occupancy, at('1', '301').people, at('1', '301').note],
    [3, 'lived', 3, '老两口带孙子']);
  assert.deepEqual([at('1', '302').occupancy, at('1', '302').people], ['vacant', 0]);
  assert.deepEqual([at('2', '1801').floor, at('2', '1801').occupancy], [-1, 'unknown'], '2单元 is unit 2, 1801室 room 1801');
  const e = (await rooms(elm))[0];
  assert.deepEqual([e.unit_no, e.floor, e.room, e.occupancy], ['', null, '101', 'unknown'], 'a building by its code; no floor');
  const w = (await rooms(twinA))[0];
  assert.deepEqual([w.unit_no, w.room, w.note, w.floor, w.people], [wide(10), wide(20), wide(200), 120, 99],
    '4-byte characters at each limit, whole');
  const log = (await as.admin.get(`/api/v1/audit?action=household.import&target_id=${SHILIUQIAO}`)).json.items;
  assert.equal(log.length, 1, 'one audit entry for the whole sheet');
  assert.equal(log[0].detail, 'count 5');
  const created = (await as.admin.get(`/api/v1/audit?action=household.create&target_type=household&target_id=${w.id}`)).json.items;
  assert.equal(created.length, 0, 'no entry per household');
});

test('bad rows among good ones: nothing written, each bad cell named by row and field', async () => {
  const before = await total();
  const dry = await upload(as.staff, SHILIUQIAO, 'dry_run=1', sheets.bad);
  assert.equal(dry.status, 200, dry.text);
  assert.deepEqual([dry.json.rows, dry.json.valid, dry.json.invalid], [14, 1, 13]);
  const want = [[3, '单元', 'unit_no', 'too_long'], [4, '房号', 'room', 'too_long'], [5, '备注', 'note', 'too_long'],
    [6, '楼层', 'floor', 'out_of_range'], [7, '楼层', 'floor', 'out_of_range'], [8, '楼层', 'floor', 'format'],
    [9, '住人情况', 'occupancy', 'invalid'], [9, '人数', 'people', 'out_of_range'],
    [10, '楼栋', 'building_code', 'not_found'], [11, '楼栋', 'building_code', 'ambiguous'], [12, '楼栋', 'building_code', 'required'],
    [13, '房号', 'room', 'required'], [14, '房号', 'room', 'duplicate'], [15, '楼栋', 'building_code', 'not_found']];
  assert.deepEqual(dry.json.errors.map((x) => [x.row, x.column, x.field, x.code]).sort(), want.sort());
  const msg = (row, field) => dry.json.errors.find((x) => x.row === row && x.field === field).message;
  assert.ok(msg(3, 'unit_no').includes('10'), msg(3, 'unit_no'));
  assert.ok(msg(14, 'room').includes('第 2 行'), msg(14, 'room'));
  assert.deepEqual(dry.json.verdicts.map((v) => v.verdict), ['create', ...Array(13).fill('invalid')]);
  const verdict = (row) => dry.json.verdicts.find((v) => v.row === row);
  assert.deepEqual([verdict(10).building_name, verdict(14).room], ['没有这栋楼', '401'], 'a bad row shows its cells as written');
  assert.equal(verdict(3).unit_no, '', 'a cell too long is not shown cut');
  const real = await upload(as.staff, SHILIUQIAO, '', sheets.bad);
  const p = assertProblem(real, 422, 'validation');
  assert.deepEqual(p.errors.map((x) => x.field).sort(), want.map(([row, , field]) => `rows[${row}].${field}`).sort());
  assert.ok(p.errors.find((x) => x.field === 'rows[6].floor').message.includes('第 6 行'));
  assert.equal(await total(), before, 'nothing written, not even the good row');
  assert.equal(await total(FEIE), 0, 'nor in the other community');
});

test('rooms there already: refused, or with update=1 changed to their rows; unchanged ones counted', async () => {
  const again = await upload(as.staff, SHILIUQIAO, 'dry_run=1', sheets.good);
  assert.deepEqual(again.json.errors.map((x) => [x.row, x.field, x.code]),
    [2, 3, 4, 5, 6].map((row) => [row, 'room', 'exists']));
  assertProblem(await upload(as.staff, SHILIUQIAO, '', sheets.good), 422, 'validation');
  const same = await upload(as.staff, SHILIUQIAO, 'update=1', sheets.good);
  assert.equal(same.status, 200, same.text);
  assert.deepEqual([same.json.valid, same.json.unchanged, same.json.written], [5, 5, 0]);
  const before = await rooms(oak);
  const dry = await upload(as.staff, SHILIUQIAO, 'dry_run=1&update=1', sheets.changed);
  assert.equal(dry.status, 200, dry.text);
  assert.deepEqual([dry.json.create, dry.json.update, dry.json.unchanged], [1, 1, 1]);
  const h301 = before.find((h) => h.unit_no === '1' && h.room === '301');
  assert.deepEqual(dry.json.changes, [{ row: 2, id: h301.id, fields: ['people', 'note'] }]);
  assert.deepEqual(dry.json.verdicts.map((v) => [v.verdict, v.id !== null]), [['update', true], ['unchanged', true], ['create', false]]);
  assert.deepEqual(await rooms(oak), before, 'the dry run changed nothing');
  const real = await upload(as.staff, SHILIUQIAO, 'update=1', sheets.changed);
  assert.deepEqual([real.status, real.json.written], [200, 2], real.text);
  const after = await rooms(oak);
  const n301 = after.find((h) => h.id === h301.id);
  assert.deepEqual([n301.people, n301.note, n301.floor], [4, '老两口带孙子，孙女也来了', 3]);
  assert.equal(after.length, before.length + 1);
  const log = (await as.admin.get(`/api/v1/audit?action=household.import&target_id=${SHILIUQIAO}`)).json.items;
  assert.deepEqual(log.map((x) => x.detail).sort(), ['count 0', 'count 2', 'count 5']);
});

test('cells as workers write them: 3F, 3人, A单元 understood; a word that is part of a room kept; columns found by name', async () => {
  const r = await upload(as.staff, SHILIUQIAO, 'dry_run=1', Buffer.from(csv([
    ['榆树苑', 'A单元', '3F', '底商房', '住人', '3人', ''],
    ['榆树苑', '东单元', '3.0', '2-301室', '', '', ''],
    ['榆树苑', '', '3 层', '202', '', '3.5', ''],
  ])));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.verdicts.map((v) => [v.verdict, v.unit_no, v.room]),
    [['create', 'A', '底商房'], ['create', '东单元', '2-301'], ['invalid', '', '202']]);
  assert.deepEqual(r.json.errors.map((e) => [e.row, e.field, e.code]), [[4, 'floor', 'format'], [4, 'people', 'format']]);
  const few = await upload(as.staff, SHILIUQIAO, 'dry_run=1', Buffer.from(csv([['301', '榆树苑']], ['门牌号', '楼栋名称'])));
  assert.deepEqual([few.status, few.json.valid, few.json.verdicts[0].room], [200, 1, '301'], few.text);
});

test('a building holds at most 2,000: the row past it is named, nothing written', async () => {
  const g = await as.staff2.post(`/api/v1/buildings/${feieBig[0]}/households/generate`, { floor_from: 1, floor_to: 66, per_floor: 30 });
  assert.deepEqual(g.json, { added: 1980, kept: 0 });
  const rows = Array.from({ length: 21 }, (_, i) => ['大楼甲', '1', '99', `99${String(i).padStart(2, '0')}`, '', '', '']);
  const r = await upload(as.staff2, FEIE, 'dry_run=1', Buffer.from(csv(rows)));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.errors.map((x) => [x.row, x.field, x.code]), [[22, 'room', 'full']]);
  assertProblem(await upload(as.staff2, FEIE, '', Buffer.from(csv(rows))), 422, 'validation');
  assert.equal((await rooms(feieBig[0])).length, 1980);
  const fits = await upload(as.staff2, FEIE, '', Buffer.from(csv(rows.slice(0, 20))));
  assert.deepEqual([fits.status, fits.json.written], [200, 20], fits.text);
});

test('hostile bodies: 4xx, nothing written, the server lives', async () => {
  const before = await total();
  const up = (bytes) => upload(as.staff, SHILIUQIAO, '', bytes);
  assertFieldError(await up(Buffer.alloc(0)), 'file', 'required');
  assertFieldError(await up(readFileSync(join(ROOT, 'tests/fixtures/sheets/not-xlsx.zip'))), 'file', 'format');
  assertFieldError(await up(Buffer.from('%PDF-1.4\n\x00\x01\x02binary')), 'file', ['format', 'control', 'utf8']);
  const bomb = await up(readFileSync(join(ROOT, 'tests/fixtures/sheets/bomb.xlsx')));
  assert.ok(bomb.status >= 400 && bomb.status < 500, `${bomb.status} ${bomb.text.slice(0, 200)}`);
  let huge = null;
  try { huge = await up(Buffer.alloc(16 * 1024 * 1024 + 1024, 0x61)); } catch { /* cut while sending */ }
  if (huge) assertProblem(huge, 413, 'too_large');
  const many = Array.from({ length: 5001 }, (_, i) => ['榆树苑', String(1 + (i % 3)), '', `H${i}`, '', '', '']);
  const p = assertProblem(await up(Buffer.from(csv(many))), 422, 'validation');
  assert.deepEqual(p.errors.map((e) => [e.field, e.code]), [['rows[1]', 'too_many']], 'the one fault of the sheet');
  assert.ok(p.errors[0].message.includes('5000'), p.errors[0].message);
  const missing = await upload(as.staff, SHILIUQIAO, 'dry_run=1', Buffer.from(csv([['101']], ['房号'])));
  assert.deepEqual(missing.json.errors.map((e) => [e.row, e.code]), [[1, 'missing_column']]);
  const control = await upload(as.staff, SHILIUQIAO, 'dry_run=1', Buffer.from(csv([['榆树苑', '', '', '1\x01', '', '', '']])));
  assert.deepEqual(control.json.errors.map((e) => [e.row, e.field, e.code]), [[2, 'room', 'control']]);
  const empty = await upload(as.staff, SHILIUQIAO, 'dry_run=1', Buffer.from(csv([])));
  assert.deepEqual(empty.json.errors.map((e) => e.code), ['required']);
  assert.equal(await total(), before);
  assert.equal((await as.staff.get('/api/v1/me')).status, 200, 'the server lives');
});

test('5,000 rows at once: one transaction, every row written', async () => {
  const before = await total(FEIE);
  const rows = Array.from({ length: 5000 }, (_, i) => [['大楼乙', '大楼丙', feieBig[3]][i % 3], String(1 + (i % 4)),
    String(1 + (i % 30)), `R${i}`, '住人', '2', '']);
  const r = await upload(as.staff2, FEIE, '', Buffer.from(csv(rows)));
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.equal(r.json.written, 5000);
  assert.equal(await total(FEIE), before + 5000);
});

test('who may import where: the community\'s staff and the administrator; out of reach 404; others refused', async () => {
  const deny = { org: 403, org2: 403, unit: 403, member: 403, memberElsewhere: 403, memberWaiting: 403, resident: 403, anon: 401 };
  await matrix(as, { ...deny, admin: 200, staff: 200, staff2: 404 },
    (cl) => upload(cl, SHILIUQIAO, 'dry_run=1', sheets.good), 'POST /communities/{code}/households/import (dry run)');
  const before = await total();
  assertProblem(await upload(as.staff2, SHILIUQIAO, 'update=1', sheets.changed), 404, 'not_found');
  for (const code of ['999999999999', '440111002000', oak, 'abc'])
    assertProblem(await upload(as.staff, code, 'dry_run=1', sheets.good), 404, 'not_found', code);
  assert.equal(await total(), before);
  await matrix(as, { ...deny, admin: 200, staff: 200, staff2: 200 },
    (cl) => cl.get('/api/v1/households/template.xlsx'), 'GET /households/template.xlsx');
});
