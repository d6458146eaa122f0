// sheets.test.mjs: members from and to spreadsheets: LibreOffice .xlsx, GBK and BOM CSV, 30 bad rows in 1,000, rosters
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, copyFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, ROOT, tmpDir } from '../lib/server.mjs';
import { loginAs, assertProblem, SHILIUQIAO } from './helpers.mjs';
import { unzip } from '../lib/zip.mjs';

const FIXTURE = join(ROOT, 'tests/fixtures/members-import.csv');

// A valid ID number for a serial: region 440111, a birth date, the GB 11643 check character.
function idNumber(i, { wrongCheck = false } = {}) {
  const birth = new Date(Date.UTC(1960, 0, 1) + (i % 12000) * 86400000).toISOString().slice(0, 10).replaceAll('-', '');
  const body = `440111${birth}${String(i % 1000).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, c, k) => s + Number(c) * w[k], 0);
  const check = '10X98765432'[sum % 11];
  const wrong = '10X98765432'[(sum + 1) % 11];
  return body + (wrongCheck ? wrong : check);
}

let srv, staff, unit, admin, dir;

before(async () => {
  srv = await startServer();
  [staff, unit, admin] = await Promise.all(['staff', 'unit', 'admin'].map((l) => loginAs(srv, l)));
  dir = tmpDir('baodao-sheets-');
});
after(() => srv.stop());

const upload = (client, path, bytes) => client.req('POST', path, bytes, { 'Content-Type': 'application/octet-stream' });
const count = async () => (await admin.get('/api/v1/members')).json.total;

describe('import', () => {
  test('an .xlsx written by LibreOffice: checked, then committed, nothing in between', async () => {
    copyFileSync(FIXTURE, join(dir, 'members.csv'));
    // Text columns (ID and phone numbers keep their digits), UTF-8 CSV in, Excel 2007 out.
    execFileSync('soffice', ['--headless', '--norestore', `-env:UserInstallation=file://${dir}/lo`,
      '--infilter=CSV:44,34,76,1,1/2/2/2/3/2/4/2/5/2/6/2/7/2/8/2/9/2/10/2/11/2/12/2', '--convert-to', 'xlsx',
      '--outdir', dir, join(dir, 'members.csv')], { stdio: 'pipe', timeout: 120000 });
    const xlsx = readFileSync(join(dir, 'members.xlsx'));
    assert.equal(xlsx.subarray(0, 2).toString(), 'PK');
    const before = await count();
    const check = await upload(staff, '/api/v1/members/import', xlsx);
    assert.equal(check.status, 200, check.text);
    assert.deepEqual(check.json.errors, []);
    assert.equal(check.json.rows, 3);
    assert.equal(check.json.valid, 3);
    assert.equal(check.json.written, 0);
    assert.equal(await count(), before, 'the check wrote nothing');
    const commit = await upload(staff, '/api/v1/members/import?commit=true', xlsx);
    assert.equal(commit.json.written, 3);
    const list = await staff.get(`/api/v1/members?q=${encodeURIComponent('林秀英')}`);
    const m = list.json.items[0];
    assert.equal(m.state, 'approved', 'staff imports are approved at once');
    assert.equal(m.joined_party_on, '2001-07-01');
    assert.equal(m.specialties, '医疗,养老护理');
    assert.equal(m.community_code, SHILIUQIAO);
    const again = await upload(staff, '/api/v1/members/import', xlsx);
    assert.equal(again.json.valid, 0, 'the same people again are duplicates');
    assert.ok(again.json.errors.every((e) => e.column === '身份证号' && e.code === 'duplicate'));
  });

  test('GBK CSV as Chinese Excel saves it, and UTF-8 with a BOM', async () => {
    const utf8 = '姓名,手机号,身份证号\n周敏,13912340011,' + idNumber(11) + '\n';
    const gbk = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: utf8 });
    assert.ok(!gbk.equals(Buffer.from(utf8)), 'really GBK bytes');
    const r1 = await upload(staff, '/api/v1/members/import', gbk);
    assert.equal(r1.status, 200, r1.text);
    assert.equal(r1.json.valid, 1, r1.text);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(utf8)]);
    const r2 = await upload(staff, '/api/v1/members/import?commit=true', bom);
    assert.equal(r2.json.written, 1, r2.text);
    assert.equal((await staff.get(`/api/v1/members?q=${encodeURIComponent('周敏')}`)).json.total, 1);
  });

  test('30 bad rows among 1,000: every error named by row and column, nothing written', async () => {
    const lines = ['姓名,手机号,身份证号,工作单位'];
    const expected = [];
    for (let i = 0; i < 1000; i++) {
      const row = i + 2; // Excel row: header is row 1
      let name = `党员${i}`, phone = `139${String(20000000 + i)}`, id = idNumber(1000 + i), unitName = '白云区教育局';
      if (i % 100 === 7) { id = idNumber(1000 + i, { wrongCheck: true }); expected.push([row, '身份证号', 'check_digit']); }
      else if (i % 100 === 31) { phone = '1234567'; expected.push([row, '手机号', 'format']); }
      else if (i % 100 === 63) { unitName = '不存在的单位'; expected.push([row, '工作单位', 'not_found']); }
      lines.push([name, phone, id, unitName].join(','));
    }
    assert.equal(expected.length, 30);
    const before = await count();
    const r = await upload(staff, '/api/v1/members/import', Buffer.from(lines.join('\r\n')));
    assert.equal(r.status, 200, r.text.slice(0, 300));
    assert.equal(r.json.rows, 1000);
    assert.equal(r.json.valid, 970);
    assert.equal(r.json.invalid, 30);
    assert.deepEqual(r.json.errors.map((e) => [e.row, e.column, e.code]), expected);
    assert.equal(await count(), before);
  });

  test('a file that is not a spreadsheet, an empty body, a missing column', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const r = await upload(staff, '/api/v1/members/import', png);
    assertProblem(r, 422, 'validation');
    assert.equal(r.json.errors[0].field, 'file');
    assertProblem(await upload(staff, '/api/v1/members/import', Buffer.alloc(0)), 422, 'validation');
    const noId = await upload(staff, '/api/v1/members/import', Buffer.from('姓名,手机号\n张三,13900000000\n'));
    assert.equal(noId.json.errors[0].code, 'missing_column');
    assert.equal((await srv.cli(['audit', 'verify'])).startsWith('ok'), true);
  });

  test('members and residents cannot import; a unit imports its own members as pending', async () => {
    const member = await loginAs(srv, 'member');
    assertProblem(await upload(member, '/api/v1/members/import', Buffer.from('x')), 403, 'forbidden');
    const csv = `姓名,手机号,身份证号,社区代码\n吴医生,13912340021,${idNumber(21)},${SHILIUQIAO}\n`;
    const r = await upload(unit, '/api/v1/members/import?commit=true', Buffer.from(csv));
    assert.equal(r.json.written, 1, r.text);
    const m = (await unit.get(`/api/v1/members?q=${encodeURIComponent('吴医生')}`)).json.items[0];
    assert.equal(m.state, 'pending');
    assert.equal(m.unit_name, '三元里街社区卫生服务中心');
  });
});

describe('template and export', () => {
  test('the template imports cleanly as it comes (its example row is valid)', async () => {
    const t = await fetch(srv.url + '/api/v1/members/template.xlsx', { headers: { Cookie: staff.cookie } });
    assert.equal(t.status, 200);
    assert.match(t.headers.get('content-type'), /spreadsheetml/);
    const bytes = Buffer.from(await t.arrayBuffer());
    const r = await upload(staff, '/api/v1/members/import', bytes);
    assert.equal(r.json.rows, 1);
    assert.deepEqual(r.json.errors, []);
  });

  test('export: one row per member of the filtered list, ID numbers masked', async () => {
    const q = `?q=${encodeURIComponent('陈志明')}`;
    const e = await fetch(srv.url + '/api/v1/members/export.xlsx' + q, { headers: { Cookie: staff.cookie } });
    assert.equal(e.status, 200);
    const parts = unzip(Buffer.from(await e.arrayBuffer()));
    const text = Object.values(parts).map((b) => b.toString('utf8')).join('\n');
    assert.ok(text.includes('陈志明'));
    assert.ok(!text.includes('林秀英'), 'only the filtered list');
    assert.ok(text.includes('4401**********0010'));
    assert.ok(!text.includes('440111198203150010'), 'no clear ID number');
    const all = await fetch(srv.url + '/api/v1/members/export.xlsx', { headers: { Cookie: staff.cookie } });
    const sheet = unzip(Buffer.from(await all.arrayBuffer()))['xl/worksheets/sheet1.xml'].toString();
    const rows = (sheet.match(/<row /g) || []).length - 1;
    assert.equal(rows, (await staff.get('/api/v1/members')).json.total);
  });
});

describe('rosters', () => {
  test('a unit uploads its roster: checked, then stored; self-registration on it is verified; the not-reported list', async () => {
    const ids = [idNumber(31), idNumber(32)];
    const csv = `姓名,身份证号,职务\n冯一,${ids[0]},主任\n冯二,${ids[1]},干事\n坏行,123,\n冯一又,${ids[0].toLowerCase()},\n`;
    const check = await upload(unit, '/api/v1/units/2/roster', Buffer.from(csv));
    assert.equal(check.status, 200, check.text);
    // The member import's shape: counts, and every fault by row, column, field and code.
    assert.deepEqual({ ...check.json, errors: undefined }, {
      rows: 4, valid: 2, invalid: 2, create: 2, update: 0, unchanged: 0, written: 0, committed: false,
      errors: undefined, changes: [], unchanged_rows: [],
    });
    assert.deepEqual(check.json.errors.map((e) => [e.row, e.column, e.field, e.code]),
      [[4, '身份证号', 'id_number', 'format'], [5, '身份证号', 'id_number', 'duplicate']]);
    assert.match(check.json.errors[0].message, /18 位/);
    assert.match(check.json.errors[1].message, /与第 2 行重复/);
    const r = await upload(unit, '/api/v1/units/2/roster?commit=true', Buffer.from(csv));
    assert.equal(r.json.written, 2);
    assert.equal(r.json.committed, true);
    const notYet = await unit.get('/api/v1/units/2/roster?status=not_reported');
    assert.deepEqual(notYet.json.items.map((e) => e.name).sort(), ['冯一', '冯二']);
    assert.ok(!notYet.text.includes(ids[0]), 'masked');
    const add = await staff.post('/api/v1/members', {
      name: '冯一', phone: '13912340031', id_number: ids[0], community_code: SHILIUQIAO, unit_id: 2,
    });
    assert.equal(add.status, 201, add.text);
    assert.equal(add.json.member.roster_verified, true);
    const after = await unit.get('/api/v1/units/2/roster?status=not_reported');
    assert.deepEqual(after.json.items.map((e) => e.name), ['冯二']);
    assertProblem(await unit.get('/api/v1/units/1/roster'), 404, 'not_found');
    assertProblem(await staff.get('/api/v1/units/2/roster'), 403, 'forbidden');
  });

  test('a roster uploaded again: a new position is an update, the same row is left; faults per cell', async () => {
    const ids = [idNumber(41), idNumber(42)];
    const first = `姓名,身份证号,职务\n褚一,${ids[0]},科员\n褚二,${ids[1]},科员\n`;
    assert.equal((await upload(unit, '/api/v1/units/2/roster?commit=true', Buffer.from(first))).json.written, 2);
    const second = `姓名,身份证号,职务\n褚一,${ids[0]},副主任\n褚二,${ids[1]},科员\n褚\x01三,${idNumber(43)},\n`;
    const check = await upload(unit, '/api/v1/units/2/roster', Buffer.from(second));
    assert.equal(check.json.update, 1);
    assert.equal(check.json.changes[0].row, 2);
    assert.deepEqual(check.json.changes[0].fields, ['position']);
    assert.deepEqual(check.json.unchanged_rows, [3]);
    assert.deepEqual(check.json.errors.map((e) => [e.row, e.field, e.code]), [[4, 'name', 'control']]);
    assert.equal((await upload(unit, '/api/v1/units/2/roster?commit=true', Buffer.from(second))).json.written, 1);
    const list = await unit.get(`/api/v1/units/2/roster?per_page=100`);
    assert.equal(list.json.items.find((e) => e.name === '褚一').position, '副主任');
    // A sheet without the columns: the same shape, the fault on row 1.
    const bare = await upload(unit, '/api/v1/units/2/roster', Buffer.from('名字,号码\n褚四,1\n'));
    assert.equal(bare.status, 200);
    assert.deepEqual(bare.json.errors.map((e) => [e.row, e.code]), [[1, 'missing_column']]);
    assertProblem(await upload(unit, '/api/v1/units/2/roster', Buffer.alloc(0)), 422, 'validation');
  });

  test('roster names and positions at their limit in 4-byte characters come back whole', async () => {
    const name = '𠀀'.repeat(50), position = '𠀁'.repeat(50);
    const r = await upload(unit, '/api/v1/units/2/roster?commit=true', Buffer.from(`姓名,身份证号,职务\n${name},${idNumber(51)},${position}\n`));
    assert.equal(r.json.written, 1, r.text);
    const list = await unit.get('/api/v1/units/2/roster?per_page=100');
    const e = list.json.items.find((x) => x.position === position);
    assert.ok(e, 'the position whole');
    assert.equal(e.name, name);
    const over = await upload(unit, '/api/v1/units/2/roster', Buffer.from(`姓名,身份证号,职务\n${name}𠀀,${idNumber(52)},\n`));
    assert.match(over.json.errors[0].message, /最多 50 个字，这一格有 51 个字/);
  });
});
