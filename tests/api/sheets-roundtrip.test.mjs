// sheets-roundtrip.test.mjs: export as the template, correct it in a real office suite (LibreOffice), import it again
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, tmpDir } from '../lib/server.mjs';
import { loginAs, validIdNumber, SHILIUQIAO } from './helpers.mjs';
import zh from '../../web/src/locales/zh-CN/common.js';

let srv, staff, unit, admin, dir;
const upload = (client, path, bytes) => client.req('POST', path, bytes, { 'Content-Type': 'application/octet-stream' });
const people = {
  甲: validIdNumber('19800304', 101),
  乙: validIdNumber('19850607', 102),
  丙: validIdNumber('19900809', 103),
  丁: validIdNumber('19751111', 104),
  戊: validIdNumber('19700101', 105),
};

// Runs LibreOffice headless: converts file to format in dir (its own profile, so runs never share one).
function soffice(file, format, infilter) {
  const args = ['--headless', '--norestore', `-env:UserInstallation=file://${dir}/lo`];
  if (infilter) args.push(`--infilter=${infilter}`);
  execFileSync('soffice', [...args, '--convert-to', format, '--outdir', join(dir, 'out'), file], { stdio: 'pipe', timeout: 120000 });
}

// RFC 4180 as LibreOffice writes it: quoted fields, "" for a quote.
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; } else if (ch === '\n') { row.push(field); rows.push(row); row = []; field = ''; } else if (ch !== '\r') field += ch;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}
const toCsv = (rows) => rows.map((r) => r.map((f) => `"${f.replaceAll('"', '""')}"`).join(',')).join('\n') + '\n';

// An .xlsx download through LibreOffice to rows of text (UTF-8 CSV).
async function sheetRows(path, name) {
  const r = await fetch(srv.url + path, { headers: { Cookie: staff.cookie } });
  assert.equal(r.status, 200);
  const file = join(dir, `${name}.xlsx`);
  writeFileSync(file, Buffer.from(await r.arrayBuffer()));
  soffice(file, 'csv:Text - txt - csv (StarCalc):44,34,76,1');
  return parseCsv(readFileSync(join(dir, 'out', `${name}.csv`), 'utf8'));
}

const byName = (rows, name) => rows.find((r) => r[1] === name);

before(async () => {
  srv = await startServer();
  dir = tmpDir('baodao-roundtrip-');
  [staff, unit, admin] = await Promise.all(['staff', 'unit', 'admin'].map((l) => loginAs(srv, l)));
  const grid = await staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: '第一网格' });
  assert.equal(grid.status, 201, grid.text);
  assert.equal((await staff.post(`/api/v1/regions/${grid.json.code}/children`, { name: '3栋' })).status, 201);
  const csv = ['姓名,性别,手机号,身份证号,工作单位,职务,入党日期,网格,楼栋,详细地址,特长,党员户挂牌,挂牌日期',
    `往返甲,男,13911110001,${people.甲},白云区教育局,科员,2005/7/1,第一网格,3栋,石榴桥路 1 号,医疗、法律,是,2024-03-01`,
    `往返乙,女,13911110002,${people.乙},穗云科技有限公司,工程师,2010年7月1日,,3栋,石榴桥路 2 号,摄影,否,`,
    `往返丙,男,13911110003,${people.丙},,,,,,石榴桥路 3 号,,,`].join('\n');
  const r = await upload(staff, '/api/v1/members/import?commit=true', Buffer.from(csv));
  assert.equal(r.json?.written, 3, r.text);
  // One waiting (a unit's), one refused, one who left: the states a worker sees in the sheet.
  const u = await upload(unit, '/api/v1/members/import?commit=true', Buffer.from(
    `姓名,手机号,身份证号,报到社区\n往返丁,13911110004,${people.丁},石榴桥社区\n往返戊,13911110005,${people.戊},石榴桥社区\n`));
  assert.equal(u.json?.written, 2, u.text);
  const queue = await staff.get('/api/v1/registrations?state=pending');
  const wu = queue.json.items.find((x) => x.member_name === '往返戊');
  assert.equal((await staff.post(`/api/v1/registrations/${wu.id}/reject`, { reason: '不在本社区居住' })).status, 200);
  const bing = (await staff.get(`/api/v1/members?q=${encodeURIComponent('往返丙')}`)).json.items[0];
  assert.equal((await staff.post(`/api/v1/members/${bing.id}/leave`, { reason: '搬离本社区' })).status, 200);
});
after(() => srv?.stop());

test('the export has the template\'s columns and the words of the console, not codes', async () => {
  const template = await sheetRows('/api/v1/members/template.xlsx', 'template');
  const rows = await sheetRows('/api/v1/members/export.xlsx?q=' + encodeURIComponent('往返'), 'export');
  assert.deepEqual(rows[0], template[0], 'the same columns in the same order');
  assert.deepEqual(rows[0].slice(0, 6), ['档案编号', '姓名', '性别', '出生日期', '手机号', '身份证号']);
  const col = Object.fromEntries(rows[0].map((h, i) => [h, i]));
  const jia = byName(rows, '往返甲');
  const file = (await staff.get(`/api/v1/members?q=${encodeURIComponent('往返甲')}`)).json.items[0];
  assert.equal(jia[col['档案编号']], String(file.id));
  assert.equal(jia[col['性别']], '男');
  assert.equal(jia[col['出生日期']], '1980-03-04');
  assert.equal(jia[col['身份证号']], people.甲.slice(0, 4) + '**********' + people.甲.slice(14), 'masked');
  assert.ok(!rows.flat().includes(people.甲), 'no ID number in clear');
  assert.equal(jia[col['工作单位']], '白云区教育局');
  assert.equal(jia[col['入党日期']], '2005-07-01');
  assert.equal(jia[col['报到社区']], '石榴桥社区');
  assert.equal(jia[col['网格']], '第一网格');
  assert.equal(jia[col['楼栋']], '3栋');
  assert.equal(jia[col['特长']], '医疗、法律');
  assert.equal(jia[col['党员户挂牌']], '是');
  assert.equal(jia[col['挂牌日期']], '2024-03-01');
  assert.equal(byName(rows, '往返乙')[col['网格']], '第一网格', 'a building found without its grid has it');
  assert.equal(byName(rows, '往返乙')[col['党员户挂牌']], '否');
  // The states in the console's words (web/src/locales/zh-CN/common.js).
  assert.equal(jia[col['状态']], zh.reg.state.approved);
  assert.equal(byName(rows, '往返丙')[col['状态']], zh.reg.state.left);
  assert.equal(byName(rows, '往返丁')[col['状态']], zh.reg.state.pending);
  assert.equal(byName(rows, '往返戊')[col['状态']], zh.reg.state.rejected);
  assert.ok(!rows.flat().some((v) => ['approved', 'pending', 'left', 'M', 'F'].includes(v)), 'no codes');
});

test('export, correct a phone and an address in LibreOffice, import: exactly those two updates', async () => {
  const rows = await sheetRows('/api/v1/members/export.xlsx?q=' + encodeURIComponent('往返'), 'roundtrip');
  const col = Object.fromEntries(rows[0].map((h, i) => [h, i]));
  assert.equal(rows.length, 6, 'a header and five people');
  byName(rows, '往返甲')[col['手机号']] = '13922220001';
  byName(rows, '往返乙')[col['详细地址']] = '石榴桥路 20 号 5 栋 301';
  writeFileSync(join(dir, 'corrected.csv'), toCsv(rows));
  // Back to .xlsx as a worker's Excel would save it: numbers and dates typed by the office suite.
  soffice(join(dir, 'corrected.csv'), 'xlsx', 'CSV:44,34,76,1');
  const xlsx = readFileSync(join(dir, 'out', 'corrected.xlsx'));
  const check = await upload(staff, '/api/v1/members/import', xlsx);
  assert.equal(check.status, 200, check.text);
  assert.deepEqual(check.json.errors, []);
  assert.equal(check.json.rows, 5);
  assert.equal(check.json.create, 0);
  assert.equal(check.json.update, 2);
  assert.equal(check.json.unchanged, 3);
  const jia = byName(rows, '往返甲'), yi = byName(rows, '往返乙');
  const rowOf = (r) => rows.indexOf(r) + 1;
  assert.deepEqual(check.json.changes, [
    { row: rowOf(jia), id: Number(jia[col['档案编号']]), fields: ['phone'] },
    { row: rowOf(yi), id: Number(yi[col['档案编号']]), fields: ['address'] },
  ].sort((a, b) => a.row - b.row));
  assert.deepEqual(check.json.unchanged_rows, ['往返丙', '往返丁', '往返戊'].map((n) => rowOf(byName(rows, n))).sort((a, b) => a - b));
  const before = (await staff.get(`/api/v1/members/${jia[col['档案编号']]}`)).json.member;
  assert.equal(before.phone, '13911110001', 'the check wrote nothing');

  const commit = await upload(staff, '/api/v1/members/import?commit=true', xlsx);
  assert.equal(commit.json.written, 2, commit.text);
  const a = (await staff.get(`/api/v1/members/${jia[col['档案编号']]}`)).json.member;
  const b = (await staff.get(`/api/v1/members/${yi[col['档案编号']]}`)).json.member;
  assert.equal(a.phone, '13922220001');
  assert.equal(b.address, '石榴桥路 20 号 5 栋 301');
  // Everything else as it was: the building, the dates, the tags, the plaque.
  for (const [k, v] of Object.entries(before)) if (!['phone', 'updated_at'].includes(k)) assert.deepEqual(a[k], v, k);
  assert.equal(b.phone, '13911110002');
  assert.equal(b.joined_party_on, '2010-07-01');
  assert.match(b.building_code, /^\d{18}$/);
  // The same file once more changes nothing.
  const again = await upload(staff, '/api/v1/members/import', xlsx);
  assert.equal(again.json.update, 0);
  assert.equal(again.json.unchanged, 5);
  // Each correction is audited as a file update.
  const audit = await admin.get('/api/v1/audit?action=member.update');
  assert.deepEqual(audit.json.items.map((e) => e.target_id).sort(), [jia, yi].map((r) => r[col['档案编号']]).sort());
  assert.equal((await srv.cli(['audit', 'verify'])).startsWith('ok'), true);
});
