// wish-import.test.mjs: micro-wishes from a spreadsheet (POST /wishes/import, GET /wishes/template.xlsx): sheets written by
// LibreOffice, a dry run writes nothing, one bad row writes nothing and is named, 4-byte characters at the limits,
// hostile bodies, who may import where
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, ROOT, tmpDir } from '../lib/server.mjs';
import { assertProblem, assertFieldError, assertCleanLog, SHILIUQIAO, FEIE } from './helpers.mjs';
import { everyone, matrix, wide } from './serving-people.mjs';
import { unzip } from '../lib/zip.mjs';

const T0 = Date.UTC(2026, 2, 2, 2, 0, 0) / 1000;
const HEADER = ['受益人', '联系电话', '心愿内容', '价值上限(元)', '服务类别', '截止日期', '备注'];
let srv, as, dir;
const sheets = {};

const csvCell = (s) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
const csv = (rows) => [HEADER, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';

// Sheets as LibreOffice writes them: every column text but 价值上限 and 截止日期 (a number and a date cell).
function libreOffice(named) {
  const files = Object.entries(named).map(([name, rows]) => {
    const path = join(dir, `${name}.csv`);
    writeFileSync(path, csv(rows));
    return path;
  });
  execFileSync('soffice', ['--headless', '--norestore', `-env:UserInstallation=file://${dir}/lo`,
    '--infilter=CSV:44,34,76,1,1/2/2/2/3/2/4/1/5/2/6/1/7/2', '--convert-to', 'xlsx', '--outdir', dir, ...files],
  { stdio: 'pipe', timeout: 180000 });
  for (const name of Object.keys(named)) {
    sheets[name] = readFileSync(join(dir, `${name}.xlsx`));
    assert.equal(sheets[name].subarray(0, 2).toString(), 'PK', `${name} is an .xlsx`);
  }
}

const GOOD = [
  ['张阿婆', '13800138001', '一台收音机', '200', 'G09', '2030-06-30', '喜欢听粤剧'],
  ['李伯', '020-83123456', '陪同去医院复查', '', '', '', ''],
  ['陈小妹', '', '一套初二数学辅导书', '80', '', '2030/7/1', ''],
  [wide(20), '', wide(50), '10000', '', '', wide(300)],
];
const BAD = [
  ['周伯', '', '一副老花镜', '300', '', '', ''],
  ['吴姨', '', wide(51), '', '', '', ''],
  ['郑叔', '', '轮椅一台', '20000', '', '', ''],
  ['', '', '没有受益人的心愿', '', '', '', ''],
];

before(async () => {
  dir = tmpDir('baodao-wish-import-');
  libreOffice({ good: GOOD, bad: BAD });
  srv = await startServer({ clock: T0 });
  ({ as } = await everyone(srv));
});
after(async () => {
  await srv.stop();
  assertCleanLog(srv.log());
});

const upload = (client, query, bytes) =>
  client.req('POST', `/api/v1/wishes/import?${query}`, bytes, { 'Content-Type': 'application/octet-stream' });
const listed = async (community = SHILIUQIAO) =>
  (await as.admin.get(`/api/v1/wishes?community_code=${community}&per_page=100`)).json;
const count = async (community) => (await listed(community)).total;

test('the template: the header and one example row, and it imports as it is', async () => {
  const r = await fetch(`${srv.url}/api/v1/wishes/template.xlsx`, { headers: { Cookie: as.staff.cookie } });
  assert.equal(r.status, 200);
  const xlsx = Buffer.from(await r.arrayBuffer());
  const parts = unzip(xlsx);
  const strings = parts['xl/sharedStrings.xml']?.toString() ?? parts['xl/worksheets/sheet1.xml'].toString();
  for (const h of HEADER) assert.ok(strings.includes(h), `the template has ${h}`);
  const check = await upload(as.staff, `community=${SHILIUQIAO}&dry_run=1`, xlsx);
  assert.equal(check.status, 200, check.text);
  assert.deepEqual([check.json.rows, check.json.valid, check.json.written, check.json.errors], [1, 1, 0, []]);
});

test('a good sheet: the dry run writes nothing, the real run enters every row as a submitted wish, one audit entry', async () => {
  const before = await count();
  const dry = await upload(as.staff, `community=${SHILIUQIAO}&dry_run=1`, sheets.good);
  assert.equal(dry.status, 200, dry.text);
  assert.deepEqual([dry.json.rows, dry.json.valid, dry.json.invalid, dry.json.written, dry.json.committed],
    [4, 4, 0, 0, false]);
  assert.deepEqual(dry.json.errors, []);
  assert.equal(await count(), before, 'the dry run wrote nothing');
  assertFieldError(await upload(as.staff, `community=${SHILIUQIAO}`, sheets.good), 'consent', 'required');
  assert.equal(await count(), before, 'without consent nothing is written');
  const real = await upload(as.staff, `community=${SHILIUQIAO}&consent=1`, sheets.good);
  assert.equal(real.status, 200, real.text);
  assert.deepEqual([real.json.written, real.json.committed], [4, true]);
  const list = await listed();
  assert.equal(list.total, before + 4);
  const byName = Object.fromEntries(list.items.map((w) => [w.beneficiary_name, w]));
  const a = (await as.staff.get(`/api/v1/wishes/${byName['张阿婆'].id}`)).json;
  assert.deepEqual([a.title, a.value_cap, a.description, a.state, a.timeline.map((e) => e.kind)],
    ['一台收音机', 200, '喜欢听粤剧', 'submitted', ['submit']]);
  assert.deepEqual([a.beneficiary_phone, a.item_code, a.due_on], ['13800138001', 'G09', '2030-06-30'],
    'what only the sheet carries is kept and shown');
  const b = (await as.staff.get(`/api/v1/wishes/${byName['李伯'].id}`)).json;
  assert.deepEqual([b.title, b.value_cap, b.description], ['陪同去医院复查', null, '']);
  assert.deepEqual([b.item_code, b.due_on], [null, null]);
  const w = (await as.staff.get(`/api/v1/wishes/${byName[wide(20)].id}`)).json;
  assert.deepEqual([w.title, w.description, w.value_cap], [wide(50), wide(300), 10000],
    '4-byte characters at each limit, whole');
  const log = (await as.admin.get(`/api/v1/audit?action=wish.import&target_id=${SHILIUQIAO}`)).json.items;
  assert.equal(log.length, 1, 'one audit entry for the whole sheet');
  assert.equal(log[0].detail, 'count 4');
  const created = (await as.admin.get(`/api/v1/audit?action=wish.create&target_type=wish&target_id=${a.id}`)).json.items;
  assert.equal(created.length, 0, 'no entry per wish');
});

test('one bad row among good ones: nothing written, each bad cell named by row and field', async () => {
  const before = await count();
  const dry = await upload(as.staff, `community=${SHILIUQIAO}&dry_run=1`, sheets.bad);
  assert.equal(dry.status, 200, dry.text);
  assert.deepEqual([dry.json.rows, dry.json.valid, dry.json.invalid], [4, 1, 3]);
  assert.deepEqual(dry.json.errors.map((e) => [e.row, e.column, e.field, e.code]),
    [[3, '心愿内容', 'title', 'too_long'], [4, '价值上限', 'value_cap', 'format'], [5, '受益人', 'beneficiary_name', 'required']]);
  assert.ok(dry.json.errors[0].message.includes('50'), dry.json.errors[0].message);
  const real = await upload(as.staff, `community=${SHILIUQIAO}&consent=1`, sheets.bad);
  const p = assertProblem(real, 422, 'validation');
  assert.deepEqual(p.errors.map((e) => e.field), ['rows[3].title', 'rows[4].value_cap', 'rows[5].beneficiary_name']);
  assert.ok(p.errors[0].message.includes('第 3 行'), p.errors[0].message);
  assert.equal(await count(), before, 'nothing written, not even the good row');
});

test('cells checked as the form checks them: phone, catalogue item, due date, columns found by name', async () => {
  const sheet = (rows, header = HEADER) => Buffer.from([header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n'));
  const r = await upload(as.staff, `community=${SHILIUQIAO}&dry_run=1`, sheet([
    ['甲', '1380013800', '心愿一', '', '', '', ''],
    ['乙', '', '心愿二', '', '没有这个项目', '', ''],
    ['丙', '', '心愿三', '', '', '2020-01-01', ''],
    ['丁', '', '心愿四', '', '', '明天', ''],
    ['戊', '', '心愿五', '12.5', '', '', ''],
    ['己', '', '心愿六', '', '结对帮扶', '', ''],
  ]));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.errors.map((e) => [e.row, e.field, e.code]), [[2, 'beneficiary_phone', 'format'],
    [3, 'item_code', 'not_found'], [4, 'due_on', 'too_small'], [5, 'due_on', 'format'], [6, 'value_cap', 'format']]);
  assert.equal(r.json.valid, 1, 'an item by its name is found');
  // Columns in another order, the optional ones left out.
  const few = await upload(as.staff, `community=${SHILIUQIAO}&dry_run=1`, sheet([['心愿七', '庚']], ['心愿内容', '受益人']));
  assert.deepEqual([few.status, few.json.valid, few.json.errors], [200, 1, []], few.text);
  const missing = await upload(as.staff, `community=${SHILIUQIAO}&dry_run=1`, sheet([['辛']], ['受益人', '备注']));
  assert.deepEqual(missing.json.errors.map((e) => [e.row, e.code]), [[1, 'missing_column']]);
});

test('hostile bodies: 4xx, nothing written, the server lives', async () => {
  const before = await count();
  const q = `community=${SHILIUQIAO}&consent=1`;
  assertFieldError(await upload(as.staff, q, Buffer.alloc(0)), 'file', 'required');
  assertFieldError(await upload(as.staff, q, readFileSync(join(ROOT, 'tests/fixtures/sheets/not-xlsx.zip'))), 'file', 'format');
  assertFieldError(await upload(as.staff, q, Buffer.from('%PDF-1.4\n\x00\x01\x02binary')), 'file', ['format', 'control', 'utf8']);
  const bomb = await upload(as.staff, q, readFileSync(join(ROOT, 'tests/fixtures/sheets/bomb.xlsx')));
  assert.ok(bomb.status >= 400 && bomb.status < 500, `${bomb.status} ${bomb.text.slice(0, 200)}`);
  let huge = null;
  try { huge = await upload(as.staff, q, Buffer.alloc(16 * 1024 * 1024 + 1024, 0x61)); } catch { /* cut while sending */ }
  if (huge) assertProblem(huge, 413, 'too_large');
  const many = Array.from({ length: 2001 }, (_, i) => [`受益人${i}`, '', `心愿${i}`, '', '', '', '']);
  const tooMany = await upload(as.staff, q, Buffer.from(csv(many)));
  const p = assertProblem(tooMany, 422, 'validation');
  assert.ok(p.errors.some((e) => e.code === 'too_many'), tooMany.text.slice(0, 300));
  assert.equal(await count(), before);
  assert.equal((await as.staff.get('/api/v1/me')).status, 200, 'the server lives');
});

test('2,000 rows at once: one transaction, every row listed', async () => {
  const before = await count(FEIE);
  const rows = Array.from({ length: 2000 }, (_, i) => [`居民${i}`, '', `微心愿第${i}号`, String(1 + (i % 500)), '', '', '']);
  const r = await upload(as.staff2, `community=${FEIE}&consent=1`, Buffer.from(csv(rows)));
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.equal(r.json.written, 2000);
  assert.equal(await count(FEIE), before + 2000);
});

test('who may import where: staff and orgs in scope; out of scope 404; others refused', async () => {
  const good = sheets.good;
  await matrix(as, { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, unit: 403, member: 403,
    memberElsewhere: 403, memberWaiting: 403, resident: 403, anon: 401 },
  (cl) => upload(cl, `community=${SHILIUQIAO}&dry_run=1`, good), 'POST /wishes/import (dry run)');
  const before = await count();
  assertProblem(await upload(as.staff2, `community=${SHILIUQIAO}&consent=1`, good), 404, 'not_found');
  assertProblem(await upload(as.staff, 'community=999999999999&dry_run=1', good), 404, 'not_found');
  assertProblem(await upload(as.staff, `community=${SHILIUQIAO.slice(0, 9)}000&dry_run=1`, good), 404, 'not_found');
  assertFieldError(await upload(as.staff, 'dry_run=1', good), 'community', 'required');
  assert.equal(await count(), before);
  await matrix(as, { admin: 200, org: 200, org2: 200, staff: 200, staff2: 200, unit: 403, member: 403,
    memberElsewhere: 403, memberWaiting: 403, resident: 403, anon: 401 },
  (cl) => cl.get('/api/v1/wishes/template.xlsx'), 'GET /wishes/template.xlsx');
});
