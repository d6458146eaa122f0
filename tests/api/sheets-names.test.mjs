// sheets-names.test.mjs: what a members sheet names (communities, grids, buildings, units), every fault's message, scope, limits
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync, crc32 } from 'node:zlib';
import { startServer, dbRows } from '../lib/server.mjs';
import { loginAs, addUser, validIdNumber, unitBody, SHILIUQIAO, FEIE } from './helpers.mjs';

let srv, staff, unit, admin;
const upload = (client, path, bytes) => client.req('POST', path, bytes, { 'Content-Type': 'application/octet-stream' });
const check = (client, text, commit = false) =>
  upload(client, `/api/v1/members/import${commit ? '?commit=true' : ''}`, Buffer.isBuffer(text) ? text : Buffer.from(text));
const sql = (q) => dbRows(srv.db, q);
let serial = 200;
const newId = (birth = '19820202') => validIdNumber(birth, serial++);

// The error of row for field: asserts its code (and column), and that the message says what matters.
function assertError(r, row, field, code, ...patterns) {
  assert.equal(r.status, 200, r.text);
  const e = r.json.errors.find((x) => x.row === row && x.field === field);
  assert.ok(e, `row ${row} ${field}: ${JSON.stringify(r.json.errors)}`);
  assert.equal(e.code, code, JSON.stringify(e));
  for (const p of patterns) assert.match(e.message, p, JSON.stringify(e));
  return e;
}
const onlyErrors = (r, expected) => assert.deepEqual(r.json.errors.map((e) => [e.row, e.field, e.code]), expected, JSON.stringify(r.json.errors));
const memberNamed = async (client, name) => (await client.get(`/api/v1/members?q=${encodeURIComponent(name)}`)).json.items[0];

// A minimal .xlsx (a worksheet and shared strings, no workbook: the reader takes sheet1), zipped here.
function zip(files) {
  const locals = [], centrals = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text), packed = deflateRawSync(data), n = Buffer.from(name), crc = crc32(data);
    const local = Buffer.alloc(30), central = Buffer.alloc(46);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(packed.length, 18); local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10); central.writeUInt32LE(crc, 16); central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24); central.writeUInt16LE(n.length, 28); central.writeUInt32LE(offset, 42);
    locals.push(local, n, packed);
    centrals.push(central, n);
    offset += 30 + n.length + packed.length;
  }
  const dir = Buffer.concat(centrals), end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(centrals.length / 2, 8); end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(dir.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}
const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const inline = (ref, text) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
const xlsxOf = (rows) => zip({
  'xl/worksheets/sheet1.xml': `<worksheet ${NS}><sheetData>${rows.map((cells, i) =>
    `<row r="${i + 1}">${cells.map((t, k) => inline(String.fromCharCode(65 + k) + (i + 1), t)).join('')}</row>`).join('')}</sheetData></worksheet>`,
});

before(async () => {
  srv = await startServer();
  [staff, unit, admin] = await Promise.all(['staff', 'unit', 'admin'].map((l) => loginAs(srv, l)));
});
after(() => srv?.stop());

test('grids and buildings by name: a building in two grids needs its grid; codes and old headers still work', async () => {
  const grids = {};
  for (const g of ['东区网格', '西区网格']) grids[g] = (await staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: g })).json.code;
  const b = {};
  for (const [g, name] of [['东区网格', '1栋'], ['西区网格', '1栋'], ['东区网格', '2栋']])
    b[`${g}/${name}`] = (await staff.post(`/api/v1/regions/${grids[g]}/children`, { name })).json.code;
  const ids = [newId(), newId(), newId(), newId(), newId(), newId()];
  const csv = ['姓名,手机号,身份证号,网格,楼栋',
    `楼甲,13930000001,${ids[0]},,1栋`, // 2: in two grids
    `楼乙,13930000002,${ids[1]},西区网格,1栋`, // 3
    `楼丙,13930000003,${ids[2]},,2栋`, // 4: only in one
    `楼丁,13930000004,${ids[3]},北区网格,1栋`, // 5: no such grid
    `楼戊,13930000005,${ids[4]},东区网格,`, // 6: a grid alone
    `楼己,13930000006,${ids[5]},东区网格,9栋`, // 7: no such building
  ].join('\n');
  const r = await check(staff, csv);
  assertError(r, 2, 'building_code', 'ambiguous', /东区网格/, /西区网格/, /网格/);
  assertError(r, 5, 'grid_code', 'not_found', /北区网格/, /东区网格、西区网格/);
  assertError(r, 6, 'building_code', 'required', /楼栋/);
  assertError(r, 7, 'building_code', 'not_found', /9栋/);
  onlyErrors(r, [[2, 'building_code', 'ambiguous'], [5, 'grid_code', 'not_found'], [6, 'building_code', 'required'], [7, 'building_code', 'not_found']]);
  assert.equal(r.json.errors[0].column, '楼栋');
  assert.equal(r.json.errors[1].column, '网格');
  assert.equal((await check(staff, csv, true)).json.written, 2);
  assert.equal((await memberNamed(staff, '楼乙')).building_code, b['西区网格/1栋']);
  assert.equal((await memberNamed(staff, '楼丙')).building_code, b['东区网格/2栋']);
  // The old template's headers and codes.
  const old = `姓名,手机号,身份证号,社区代码,楼栋代码\n楼庚,13930000007,${newId()},${SHILIUQIAO},${b['东区网格/1栋']}\n`;
  const o = await check(staff, old, true);
  assert.deepEqual(o.json.errors, []);
  assert.equal((await memberNamed(staff, '楼庚')).building_code, b['东区网格/1栋']);
});

test('报到社区 by name within the caller\'s reach: repeated names list their streets; codes still work', async () => {
  const rows = ['新庄社区', '同和街道新庄社区', '白云区石井街道新庄社区', '石榴桥社区居委会', '440111002011', '火星社区', ''];
  const csv = ['姓名,手机号,身份证号,报到社区', ...rows.map((c, i) => `社区${i},1393100000${i},${newId('19830303')},${c}`)].join('\n');
  const r = await check(unit, csv);
  assertError(r, 2, 'community_code', 'ambiguous', /3 个社区/, /同和街道/, /石井街道/, /永和街道/, /如“同和街道新庄社区”/);
  assertError(r, 7, 'community_code', 'not_found', /火星社区/, /12 位区划代码/);
  assertError(r, 8, 'community_code', 'required', /报到社区/);
  onlyErrors(r, [[2, 'community_code', 'ambiguous'], [7, 'community_code', 'not_found'], [8, 'community_code', 'required']]);
  assert.equal((await check(unit, csv, true)).json.written, 4);
  const codes = await Promise.all([1, 2, 3, 4].map(async (i) => (await memberNamed(unit, `社区${i}`)).community_code));
  assert.deepEqual(codes, ['440111009017', '440111014008', SHILIUQIAO, SHILIUQIAO]);
  // Staff: their own community by name or left out; any other is not theirs to import into.
  const s = await check(staff, `姓名,手机号,身份证号,报到社区\n社区七,13931000011,${newId()},石榴桥社区\n`
    + `社区八,13931000012,${newId()},\n社区九,13931000013,${newId()},飞鹅新村社区\n`);
  onlyErrors(s, [[4, 'community_code', 'forbidden']]);
  assertError(s, 4, 'community_code', 'forbidden', /本社区/);
});

test('every fault says what is wrong and how to fix it, with the API\'s field names', async () => {
  const dup = newId('19840404');
  const lines = ['姓名,手机号,身份证号,工作单位,入党日期,详细地址,出生日期,挂牌日期,党员户挂牌',
    `错甲,13932000001,${newId()},白云区教育局,2010-13-45,,,,`, // 2 a date that is none
    `错乙,13932000002,${newId()},白云区教育局,2099-07-01,,,,`, // 3 in the future
    `错丙,１３９３２０００００３,${newId()},,,,,,`, // 4 full-width digits
    `错丁,1393200OOO4,${newId()},,,,,,`, // 5 letter O
    `错戊,1393200000l,${newId()},,,,,,`, // 6 letter l
    `${'长'.repeat(51)},13932000006,${newId()},,,${'址'.repeat(101)},,,`, // 7 too long
    `错庚,13932000007,${dup},,,,,,`, // 8
    `错辛,13932000008,${dup},,,,,,`, // 9 same person again
    `错壬,13932000009,${newId()},白云教育局,,,,,`, // 10 a near unit
    `错癸,13932000010,${newId()},完全不相干的名字公司,,,,,`, // 11 a unit far from any
    `错子,13932000011,4401**********0011,,,,,,`, // 12 a masked number on a new row
    `错丑,13932000012,4.40111198203E+17,,,,,,`, // 13 a number Excel rounded
    `错寅,13932000013,${validIdNumber('19850505', 1)},,,,1985-05-06,,`, // 14 another birth date
    `错卯,13932000014,${newId()},,,,,2020/2/30,也许`, // 15 no such day; neither yes nor no
  ];
  const r = await check(staff, lines.join('\n'));
  const dateFault = assertError(r, 2, 'joined_party_on', 'format', /2010-07-01/);
  assert.doesNotMatch(dateFault.message, /不晚于今天/);
  assertError(r, 3, 'joined_party_on', 'future', /不能晚于今天/);
  assertError(r, 4, 'phone', 'format', /全角数字/, /半角/);
  assertError(r, 5, 'phone', 'format', /字母“O”/, /数字 0/);
  assertError(r, 6, 'phone', 'format', /字母“l”/, /数字 1/);
  assertError(r, 7, 'name', 'too_long', /最多 50 个字/, /51 个字/);
  assertError(r, 7, 'address', 'too_long', /最多 100 个字/, /101 个字/);
  assertError(r, 9, 'id_number', 'duplicate', /与第 8 行重复/);
  const near = assertError(r, 10, 'unit_id', 'not_found', /白云教育局/, /是不是 “白云区教育局”/);
  assert.equal(near.column, '工作单位');
  const far = assertError(r, 11, 'unit_id', 'not_found', /单位管理/);
  assert.doesNotMatch(far.message, /是不是/);
  assertError(r, 12, 'id_number', 'format', /打码/, /档案编号/);
  assertError(r, 13, 'id_number', 'format', /当成了数字/, /文本/);
  assertError(r, 14, 'birth_date', 'mismatch', /1985-05-05/);
  assertError(r, 15, 'plaque_on', 'format', /2010-07-01/);
  assertError(r, 15, 'plaque_hung', 'enum', /“是”或“否”/);
  assert.equal(r.json.valid, 1, 'only row 8 is right');
});

test('nearest units: up to three, nearest first, only among the units the caller sees', async () => {
  for (const name of ['白云区卫生健康局', '白云区卫生监督所', '白云区文化馆']) assert.equal((await admin.post('/api/v1/units', unitBody({ name }))).status, 201);
  assert.equal((await admin.post('/api/v1/units', unitBody({ name: '越秀区卫生健康局', region_code: '440104001007' }))).status, 201);
  const r = await check(staff, `姓名,手机号,身份证号,工作单位\n近甲,13933000001,${newId()},白云区卫生健康委\n`);
  const e = assertError(r, 2, 'unit_id', 'not_found');
  const named = [...(e.message.match(/是不是 (.*?)？/)?.[1] ?? '').matchAll(/“([^”]+)”/g)].map((m) => m[1]);
  assert.equal(named[0], '白云区卫生健康局', e.message);
  assert.ok(named.length <= 3 && named.length >= 2, e.message);
  // Staff see the units of their city, the other district's included; a unit sees only itself.
  assert.ok(named.includes('越秀区卫生健康局'), e.message);
});

test('control characters and bad bytes are errors of their cells, in CSV and in .xlsx; other rows import', async () => {
  const csv = Buffer.concat([Buffer.from(`姓名,手机号,身份证号,详细地址\n王\x01明,13934000001,${newId()},石榴桥路\n`),
    Buffer.from(`好人甲,13934000002,${newId()},石榴桥路 `), Buffer.from([0xe9]), Buffer.from(` 号\n好人乙,13934000003,${newId()},\n`)]);
  const r = await check(staff, csv);
  assertError(r, 2, 'name', 'control', /控制字符/, /U\+0001/);
  assertError(r, 3, 'address', 'utf8', /无法识别/);
  onlyErrors(r, [[2, 'name', 'control'], [3, 'address', 'utf8']]);
  assert.equal(r.json.valid, 1);
  const x = xlsxOf([['姓名', '手机号', '身份证号', '详细地址', '职务'],
    ['李_x0001_四', '13934000004', newId(), '', ''],
    ['赵五', '13934000005', newId(), '楼_X001F_下 _x005F_x0041_', '科_x001f_员'],
    ['钱六', '13934000006', newId(), '', '']]);
  const rx = await check(staff, x);
  assertError(rx, 2, 'name', 'control', /U\+0001/);
  assertError(rx, 3, 'position', 'control', /U\+001F/);
  onlyErrors(rx, [[2, 'name', 'control'], [3, 'position', 'control']]);
  assert.equal((await check(staff, x, true)).json.written, 1);
  const stored = sql("SELECT name FROM member WHERE name LIKE '李%四' OR name = '钱六'");
  assert.deepEqual(stored.map((m) => m.name), ['钱六'], 'nothing with a control character is stored');
});

test('a file outside the caller\'s reach is not named; one inside is, with what to do', async () => {
  const id = newId('19860606');
  const made = await staff.post('/api/v1/members', { name: '档外人', phone: '13935000001', id_number: id, community_code: SHILIUQIAO, unit_id: 1 });
  assert.equal(made.status, 201, made.text);
  const fileId = made.json.member.id;
  const row = `姓名,手机号,身份证号,报到社区\n档外人,13935000001,${id},石榴桥社区\n`;
  // The demo unit (三元里街社区卫生服务中心) is not this member's unit: it learns nothing of the file.
  const u = assertError(await check(unit, row), 2, 'id_number', 'duplicate');
  assert.equal(u.message, '此人已在其他社区或单位建档，请让本人在手机上报到（或办理转社区）');
  assert.doesNotMatch(u.message, new RegExp(`${fileId}|档外`));
  addUser(srv, 'feie-staff', 'staff', { region: FEIE });
  const feie = await loginAs(srv, 'feie-staff');
  const f = assertError(await check(feie, row.replace('石榴桥社区', '飞鹅新村社区')), 2, 'id_number', 'duplicate');
  assert.equal(f.message, u.message);
  // Its own community's staff are told the file and how to correct it.
  assertError(await check(staff, row), 2, 'id_number', 'duplicate', new RegExp(`档案编号 ${fileId}`));
  // A 档案编号 out of reach is "no such file", as a number that is no file.
  const byNumber = await check(feie, `档案编号,姓名,手机号,身份证号\n${fileId},档外人,13935000009,${id}\n99999,无人,13935000008,${newId()}\n`);
  assertError(byNumber, 2, 'id', 'not_found', new RegExp(`没有编号为 ${fileId} 的档案`));
  assertError(byNumber, 3, 'id', 'not_found', /没有编号为 99999 的档案/);
});

test('a row with a 档案编号 corrects the file; who the member is and where they report in stay', async () => {
  const id = newId('19870707');
  const made = await staff.post('/api/v1/members', { name: '改档人', phone: '13936000001', id_number: id, community_code: SHILIUQIAO });
  const f = made.json.member;
  const [g, otherGender] = f.gender === 'M' ? ['男', '女'] : ['女', '男'];
  const head = '档案编号,姓名,性别,手机号,身份证号,报到社区,职务';
  const csv = [head,
    `${f.id},改档人,${g},13936000002,${f.id_number_masked},石榴桥社区,主任`, // 2: fine, masked ID kept
    `${f.id},改档人,${g},13936000003,${id},,`, // 3: the same file twice
    `abc,某人,男,13936000004,${newId()},,`, // 4
  ].join('\n');
  const r = await check(staff, csv);
  assertError(r, 3, 'id', 'duplicate', /与第 2 行重复/);
  assertError(r, 4, 'id', 'format', /数字/, /留空/);
  onlyErrors(r, [[3, 'id', 'duplicate'], [4, 'id', 'format']]);
  assert.deepEqual(r.json.changes, [{ row: 2, id: f.id, fields: ['phone', 'position'] }]);
  const other = validIdNumber('19870708', 9);
  const wrong = await check(staff, [head, `${f.id},改名人,${otherGender},13936000002,${other},飞鹅新村社区,主任`].join('\n'));
  assertError(wrong, 2, 'name', 'immutable', /改档人/, /导入不能改姓名/);
  assertError(wrong, 2, 'gender', 'immutable', /不能修改/);
  assertError(wrong, 2, 'id_number', 'immutable', /不能改身份证号/);
  assertError(wrong, 2, 'community_code', 'immutable', /石榴桥社区/, /不能转社区/);
  assert.equal((await check(staff, csv.split('\n').slice(0, 2).join('\n'), true)).json.written, 1);
  const after = (await staff.get(`/api/v1/members/${f.id}`)).json.member;
  assert.equal(after.phone, '13936000002');
  assert.equal(after.position, '主任');
  assert.equal(after.name, '改档人');
  // A unit reads its members' files but does not correct them: unchanged rows pass, changes are refused.
  const uid = newId('19880808');
  assert.equal((await check(unit, `姓名,手机号,身份证号,报到社区\n单位人,13936000010,${uid},石榴桥社区\n`, true)).json.written, 1);
  const mine = await memberNamed(unit, '单位人');
  const same = await check(unit, `档案编号,姓名,手机号,身份证号\n${mine.id},单位人,13936000010,${uid}\n`);
  assert.deepEqual(same.json.errors, []);
  assert.deepEqual(same.json.unchanged_rows, [2]);
  const changed = await check(unit, `档案编号,姓名,手机号,身份证号\n${mine.id},单位人,13936000011,${uid}\n`);
  assertError(changed, 2, 'id', 'forbidden', /报到社区的工作人员/);
});

test('a small .xlsx with millions of shared strings is refused as too large', async () => {
  const strings = '<si/>'.repeat(12000000);
  const bomb = zip({
    'xl/worksheets/sheet1.xml': `<worksheet ${NS}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`,
    'xl/sharedStrings.xml': `<sst ${NS}>${strings}</sst>`,
  });
  assert.ok(bomb.length < 200 * 1024, `${bomb.length} bytes`);
  const r = await check(staff, bomb);
  assert.equal(r.status, 413, r.text);
  assert.equal(r.json.errors[0].field, 'file');
  assert.equal(r.json.errors[0].code, 'too_large');
  assert.equal((await staff.get('/api/v1/members')).status, 200, 'the server keeps serving');
});

test('every imported text column at its limit in 4-byte characters is stored whole', async (t) => {
  const c = '𠀀', d = '𠀁';
  const unitName = c.repeat(100);
  assert.equal((await admin.post('/api/v1/units', unitBody({ name: unitName }))).status, 201);
  const grid = await staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: c.repeat(40) });
  assert.equal(grid.status, 201, grid.text);
  const building = await staff.post(`/api/v1/regions/${grid.json.code}/children`, { name: d.repeat(40) });
  const text = { name: c.repeat(50), position: d.repeat(50), party_branch: c.repeat(100), address: d.repeat(100), preferred_posts: c.repeat(200) };
  const id = newId('19890909');
  const head = '姓名,手机号,身份证号,工作单位,职务,所在党支部,网格,楼栋,详细地址,意向岗位';
  const row = [text.name, '13937000001', id, unitName, text.position, text.party_branch, c.repeat(40), d.repeat(40), text.address, text.preferred_posts];
  const r = await check(staff, `${head}\n${row.join(',')}\n`, true);
  assert.deepEqual(r.json.errors, []);
  assert.equal(r.json.written, 1);
  const [stored] = sql(`SELECT id, name, position, party_branch, address, preferred_posts, building_code FROM member WHERE position = '${text.position}'`);
  for (const [k, v] of Object.entries(text)) assert.equal(stored[k], v, k);
  assert.equal(stored.building_code, building.json.code);
  const file = (await staff.get(`/api/v1/members/${stored.id}`)).json.member;
  assert.equal(file.position, text.position);
  assert.equal(file.address, text.address);
  assert.equal(file.unit_name, unitName);
  assert.equal(file.building_code, building.json.code);
  for (const k of ['name', 'party_branch', 'preferred_posts']) assert.equal(file[k], text[k], k);
  // One character more: the limit named, the cell never cut.
  const over = await check(staff, `${head}\n${[c.repeat(51), '13937000002', newId(), '', d.repeat(51), c.repeat(101), '', '', d.repeat(101), c.repeat(201)].join(',')}\n`);
  assertError(over, 2, 'name', 'too_long', /最多 50 个字，这一格有 51 个字/);
  assertError(over, 2, 'position', 'too_long', /最多 50 个字/);
  assertError(over, 2, 'party_branch', 'too_long', /最多 100 个字/);
  assertError(over, 2, 'address', 'too_long', /最多 100 个字/);
  assertError(over, 2, 'preferred_posts', 'too_long', /最多 200 个字/);
  const tooLongGrid = await check(staff, `姓名,手机号,身份证号,网格,楼栋\n长格,13937000003,${newId()},${c.repeat(41)},1栋\n`);
  assertError(tooLongGrid, 2, 'grid_code', 'too_long', /最多 40 个字/);
});
