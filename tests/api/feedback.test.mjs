// feedback.test.mjs: feedback to units (在职党员回社区表现反馈表): a unit's members in a period, flags, the community's comments, the .xlsx, units ranked; every role; hostile input
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, tmpDir } from '../lib/server.mjs';
import { assertProblem, assertFieldError, assertCleanLog, FEIE, SANYUANLI, BAIYUN, CITY, HONGQIAO } from './helpers.mjs';
import { FOUR, sql, items } from './records-helpers.mjs';
import { UNIT, UNIT2, everyone, matrix, unitFile, phoneOf, serve, sheetRows } from './feedback-people.mjs';

// 10:00 on 2 December 2026 in China: the services below fall in 2026H2.
const NOW = Date.UTC(2026, 11, 2, 2, 0) / 1000;
let slot = 0;
const when = () => Date.UTC(2026, 10, 20, 0, 0) / 1000 - (slot++) * 3 * 3600;

let srv, as, jia, yi, bing, ding, wu;
const feedback = (who, q = '') => who.get(`/api/v1/units/${UNIT}/feedback${q}`);
const names = (r) => r.json.items.map((i) => i.name);

before(async () => {
  srv = await startServer({ clock: NOW });
  as = await everyone(srv);
  const G07 = items(srv).G07;
  // Unit 2: 甲 and 乙 live in 石榴桥社区, 丙 in 飞鹅新村社区; 丁 is unit 4's; 戊 has no unit.
  jia = await unitFile(as.staff, '反馈甲', UNIT);
  yi = await unitFile(as.staff, '反馈乙', UNIT);
  bing = await unitFile(as.staff2, '反馈丙', UNIT, FEIE);
  ding = await unitFile(as.staff, '反馈丁', UNIT2);
  wu = await unitFile(as.staff, '反馈戊', 0);
  as.member = await phoneOf(srv, as.staff, jia);
  await serve(as.staff, jia, G07, when(), 90); // 1 + 3 points
  await serve(as.staff, jia, G07, when(), 60); // 1 + 2
  await serve(as.staff2, bing, G07, when(), 45); // 1 + 1
  await serve(as.staff, ding, G07, when(), 60); // 1 + 2
  await serve(as.staff, wu, G07, when(), 60);
});
after(async () => {
  await srv?.stop();
  assertCleanLog(srv.log());
});

describe('a unit reads its members\' half-year: report-in, community, services, hours, points, tier, a flag below the minimum', () => {
  test('every file of the unit, by name, from the standings', async () => {
    const r = await feedback(as.unit);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.period, '2026H2');
    assert.equal(r.json.first_day, '2026-07-01');
    assert.equal(r.json.last_day, '2026-12-31');
    assert.equal(r.json.unit.name, '三元里街社区卫生服务中心');
    assert.deepEqual({ members: r.json.members, served: r.json.served, below: r.json.below, total: r.json.total }, { members: 3, served: 2, below: 1, total: 3 });
    assert.deepEqual(names(r), ['反馈丙', '反馈乙', '反馈甲'], 'by name (code point order, as the member lists)');
    const row = r.json.items.find((i) => i.member_id === jia.id);
    assert.deepEqual(row, {
      member_id: jia.id, name: '反馈甲', state: 'approved', state_label: '已报到', community_code: '440111002011',
      community_name: '石榴桥社区', services: 2, minutes: 150, points: 7, tier: 'qualified', tier_label: '合格',
      min_services: 1, below_minimum: false, comment: null,
    });
    const other = r.json.items.find((i) => i.member_id === yi.id);
    assert.deepEqual([other.services, other.points, other.tier_label, other.below_minimum], [0, 0, '未达标', true]);
    const far = r.json.items.find((i) => i.member_id === bing.id);
    assert.deepEqual([far.community_name, far.services, far.minutes, far.points, far.below_minimum], ['飞鹅新村社区', 1, 45, 2, false]);
    assert.ok(!r.text.includes('反馈丁') && !r.text.includes('反馈戊'), 'only the unit\'s own files');
  });

  test('a year asks the rule\'s yearly minimum (2 services); an earlier half-year shows what was earned then', async () => {
    const year = await feedback(as.unit, '?period=2026');
    assert.equal(year.status, 200, year.text);
    const far = year.json.items.find((i) => i.member_id === bing.id);
    assert.deepEqual([far.min_services, far.below_minimum], [2, true]);
    assert.equal(year.json.items.find((i) => i.member_id === jia.id).below_minimum, false);
    assert.equal(year.json.below, 2);
    const before = await feedback(as.unit, '?period=2026H1');
    assert.equal(before.status, 200, before.text);
    assert.deepEqual(before.json.items.map((i) => [i.points, i.below_minimum]), [[0, true], [0, true], [0, true]]);
  });

  test('only those below the minimum, and pages, with the counts of the whole table', async () => {
    const below = await feedback(as.unit, '?below=true');
    assert.deepEqual(names(below), ['反馈乙']);
    assert.deepEqual([below.json.total, below.json.members, below.json.below], [1, 3, 1]);
    const page = await feedback(as.unit, '?per_page=1&page=2');
    assert.deepEqual(names(page), ['反馈乙']);
    assert.deepEqual([page.json.total, page.json.page, page.json.per_page], [3, 2, 1]);
    assert.deepEqual(names(await feedback(as.unit, '?per_page=1&page=4')), []);
  });

  test('who reads which rows: a community\'s staff only their members of the unit; out of reach is not there', async () => {
    assert.deepEqual(names(await feedback(as.staff)), ['反馈乙', '反馈甲']);
    assert.deepEqual(names(await feedback(as.staff2)), ['反馈丙']);
    assert.deepEqual(names(await feedback(as.org)), ['反馈丙', '反馈乙', '反馈甲']);
    assert.deepEqual(names(await feedback(as.admin)), ['反馈丙', '反馈乙', '反馈甲']);
    const expected = { admin: 200, org: 200, org2: 404, staff: 200, staff2: 200, unit: 200, unit2: 404, member: 403, resident: 403, anon: 401 };
    await matrix(as, expected, (who) => feedback(who), 'GET feedback');
    await matrix(as, expected, (who) => who.get(`/api/v1/units/${UNIT}/feedback.xlsx`), 'GET feedback.xlsx');
    // unit2 reads its own unit: 丁 alone.
    assert.deepEqual(names(await as.unit2.get(`/api/v1/units/${UNIT2}/feedback`)), ['反馈丁']);
  });

  test('bad queries are named; an unknown unit is not there', async () => {
    for (const q of ['?period=2026H3', '?period=26', '?period=2026H1x', '?page=0', '?per_page=101', '?below=yes', `?period=${FOUR}`]) {
      assertProblem(await feedback(as.unit, q), 400, 'bad_query', q);
      assertProblem(await as.unit.get(`/api/v1/units/${UNIT}/feedback.xlsx${q.startsWith('?period') ? q : '?period=x'}`), 400, 'bad_query', q);
    }
    for (const id of ['999999', 'abc', '0', '-1', FOUR]) {
      assertProblem(await as.admin.get(`/api/v1/units/${encodeURIComponent(id)}/feedback`), 404, 'not_found', id);
      assertProblem(await as.admin.get(`/api/v1/units/${encodeURIComponent(id)}/feedback.xlsx`), 404, 'not_found', id);
    }
  });
});

describe('the community\'s comment (社区评语) on a member, which the unit reads', () => {
  const put = (who, file, body, period = '2026H2') => who.put(`/api/v1/members/${file.id}/feedback-comments/${period}`, body);
  const comments = () => sql(srv, 'SELECT member_id, period, comment FROM feedback_comment ORDER BY 1, 2');

  test('staff write it, replace it, remove it; the unit reads it with who wrote it; the audit log keeps every version', async () => {
    const w = await put(as.staff, jia, { comment: '积极参加社区义诊，居民评价好' });
    assert.equal(w.status, 200, w.text);
    assert.deepEqual(w.json, { member_id: jia.id, period: '2026H2', comment: '积极参加社区义诊，居民评价好', community_name: '石榴桥社区' });
    let row = (await feedback(as.unit)).json.items.find((i) => i.member_id === jia.id);
    assert.equal(row.comment.text, '积极参加社区义诊，居民评价好');
    assert.equal(row.comment.by, '石榴桥社区党委 李社工');
    assert.equal(row.comment.community_name, '石榴桥社区');
    assert.equal(row.comment.at, NOW);
    assert.equal((await feedback(as.unit)).json.commented, 1);
    assert.equal((await put(as.staff, jia, { comment: '  服务认真负责  ' })).status, 200);
    row = (await feedback(as.unit)).json.items.find((i) => i.member_id === jia.id);
    assert.equal(row.comment.text, '服务认真负责', 'trimmed');
    // A comment belongs to its period.
    assert.equal((await feedback(as.unit, '?period=2026')).json.items.find((i) => i.member_id === jia.id).comment, null);
    assert.equal((await put(as.staff, jia, { comment: '' })).status, 200);
    assert.equal((await feedback(as.unit)).json.items.find((i) => i.member_id === jia.id).comment, null);
    const audit = await as.admin.get(`/api/v1/audit?action=feedback.comment&target_id=${jia.id}&per_page=100`);
    assert.deepEqual(audit.json.items.map((e) => [e.outcome, e.detail]).reverse(),
      [['ok', '2026H2：积极参加社区义诊，居民评价好'], ['ok', '2026H2：服务认真负责'], ['ok', '2026H2：']]);
    // Staff of 飞鹅 comment on their member of the unit; the unit sees whose comment it is.
    assert.equal((await put(as.staff2, bing, { comment: '防汛值守到位' }, '2026')).status, 200);
    row = (await feedback(as.unit, '?period=2026')).json.items.find((i) => i.member_id === bing.id);
    assert.deepEqual([row.comment.text, row.comment.community_name], ['防汛值守到位', '飞鹅新村社区']);
  });

  test('only the member\'s community writes it: others are refused or told it is not there, and nothing changes', async () => {
    const was = comments().split('\n').filter(Boolean).length;
    const expected = { admin: 200, org: 403, org2: 403, staff: 200, staff2: 404, unit: 403, unit2: 403, member: 403, resident: 403, anon: 401 };
    await matrix(as, expected, (who, role) => put(who, yi, { comment: `${role} 的评语` }), 'PUT feedback-comments');
    assert.equal(sql(srv, `SELECT comment FROM feedback_comment WHERE member_id = ${yi.id}`), 'staff 的评语');
    assert.equal(comments().split('\n').length, was + 1, 'no other comment was written');
    assert.ok(Number(sql(srv, "SELECT count(*) FROM audit_log WHERE action = 'feedback.comment' AND outcome = 'denied'")) >= 5, 'refusals audited');
  });

  test('hostile input: 200 four-byte characters fit, one more does not; types, unknown fields, bad JSON, bad periods', async () => {
    const long = FOUR.repeat(200);
    assert.equal((await put(as.staff, yi, { comment: long })).status, 200);
    assert.equal((await feedback(as.unit)).json.items.find((i) => i.member_id === yi.id).comment.text, long);
    const was = comments();
    assertFieldError(await put(as.staff, yi, { comment: FOUR.repeat(201) }), 'comment', 'too_long');
    assertFieldError(await put(as.staff, yi, { comment: 42 }), 'comment', 'type');
    assertFieldError(await put(as.staff, yi, { comment: null }), 'comment', 'required');
    assertFieldError(await put(as.staff, yi, {}), 'comment', 'required');
    assertFieldError(await put(as.staff, yi, { comment: '好', points: 100 }), 'points', 'unknown');
    assertFieldError(await put(as.staff, yi, { comment: 'a\u0007b' }), 'comment');
    assertProblem(await as.staff.req('PUT', `/api/v1/members/${yi.id}/feedback-comments/2026H2`, '{"comment":', { 'Content-Type': 'application/json' }), 400);
    assertProblem(await as.staff.req('PUT', `/api/v1/members/${yi.id}/feedback-comments/2026H2`, '["好"]', { 'Content-Type': 'application/json' }), 400);
    for (const p of ['2026H3', '26H1', '2026-H1', 'abc', encodeURIComponent(FOUR)]) assertFieldError(await put(as.staff, yi, { comment: '好' }, p), 'period', 'format', p);
    assertFieldError(await put(as.staff, yi, { comment: '好' }, '2027H1'), 'period', 'too_late');
    assertFieldError(await put(as.staff, yi, { comment: '好' }, '2027'), 'period', 'too_late');
    for (const id of ['999999', 'abc', '0']) assertProblem(await as.staff.put(`/api/v1/members/${id}/feedback-comments/2026H2`, { comment: '好' }), 404, 'not_found', id);
    assert.equal(comments(), was, 'nothing was written');
  });
});

describe('the .xlsx the unit downloads (反馈表)', () => {
  test('the same rows as the table, in columns a worker reads, and LibreOffice opens it', async () => {
    assert.equal((await as.staff.put(`/api/v1/members/${jia.id}/feedback-comments/2026H2`, { comment: '服务认真, "热心" <好>' })).status, 200);
    const { rows, bytes, disposition } = await sheetRows(srv, as.unit, `/api/v1/units/${UNIT}/feedback.xlsx`);
    assert.match(disposition, /attachment; filename="feedback-2-2026H2\.xlsx"/);
    assert.deepEqual(rows[0], ['姓名', '报到状态', '报到社区', '服务次数', '服务时长（小时）', '积分', '等级', '最低服务次数', '低于最低要求', '社区评语', '评语社区']);
    assert.deepEqual(rows.slice(1).map((r) => r[0]), ['反馈丙', '反馈乙', '反馈甲']);
    assert.deepEqual(rows[3], ['反馈甲', '已报到', '石榴桥社区', '2', '2.5', '7', '合格', '1', '否', '服务认真, "热心" <好>', '石榴桥社区']);
    assert.deepEqual(rows[1].slice(0, 9), ['反馈丙', '已报到', '飞鹅新村社区', '1', '0.8', '2', '未达标', '1', '否']);
    assert.equal(rows[2][8], '是');
    // A real office suite reads the same cells.
    const dir = tmpDir('baodao-feedback-');
    writeFileSync(join(dir, 'f.xlsx'), bytes);
    execFileSync('soffice', ['--headless', '--norestore', `-env:UserInstallation=file://${dir}/lo`, '--convert-to',
      'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', join(dir, 'out'), join(dir, 'f.xlsx')], { stdio: 'pipe', timeout: 120000 });
    const csv = readFileSync(join(dir, 'out', 'f.csv'), 'utf8').trim().split('\n');
    assert.equal(csv.length, 4);
    assert.equal(csv[3], '"反馈甲","已报到","石榴桥社区","2","2.5","7","合格","1","否","服务认真, ""热心"" <好>","石榴桥社区"');
  });

  test('a period of its own, and a community\'s staff download their members only', async () => {
    const year = await sheetRows(srv, as.unit, `/api/v1/units/${UNIT}/feedback.xlsx?period=2026`);
    assert.match(year.disposition, /feedback-2-2026\.xlsx/);
    assert.equal(year.rows.find((r) => r[0] === '反馈丙')[8], '是');
    const staff = await sheetRows(srv, as.staff2, `/api/v1/units/${UNIT}/feedback.xlsx`);
    assert.deepEqual(staff.rows.slice(1).map((r) => r[0]), ['反馈丙']);
  });
});

describe('an org sees the units of its region ranked by their members\' participation', () => {
  test('the share of files that served, then points a file; ties share a rank; units without files last', async () => {
    const r = await as.org.get(`/api/v1/feedback/units?region=${SANYUANLI}`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.json.period, r.json.region, r.json.region_name, r.json.total], ['2026H2', SANYUANLI, '三元里街道', 2]);
    assert.deepEqual(r.json.items.map((u) => [u.rank, u.unit_id, u.files, u.served, u.points]), [[1, UNIT2, 1, 1, 3], [2, UNIT, 3, 2, 9]]);
    const district = await as.admin.get(`/api/v1/feedback/units?region=${BAIYUN}`);
    assert.deepEqual(district.json.items.map((u) => [u.rank, u.name, u.files]), [
      [1, '穗云科技有限公司', 1], [2, '三元里街社区卫生服务中心', 3], [3, '广州白云供电服务中心', 0], [3, '白云区教育局', 0]]);
    const page = await as.admin.get(`/api/v1/feedback/units?region=${CITY}&per_page=2&page=2`);
    assert.deepEqual([page.json.total, page.json.items.map((u) => u.rank)], [4, [3, 3]]);
    // An earlier half-year: nobody served.
    const before = await as.org.get(`/api/v1/feedback/units?region=${SANYUANLI}&period=2026H1`);
    assert.deepEqual(before.json.items.map((u) => [u.rank, u.served]), [[1, 0], [1, 0]]);
  });

  test('who may rank which region', async () => {
    await matrix(as, { admin: 200, org: 200, org2: 400, staff: 403, staff2: 403, unit: 403, unit2: 403, member: 403, resident: 403, anon: 401 },
      (who) => who.get(`/api/v1/feedback/units?region=${SANYUANLI}`), 'GET feedback/units');
    assert.equal((await as.org2.get(`/api/v1/feedback/units?region=${HONGQIAO}`)).json.total, 0);
    assertProblem(await as.org.get(`/api/v1/feedback/units?region=${BAIYUN}`), 400, 'bad_query', 'the district is above the org');
  });

  test('bad queries are named', async () => {
    for (const q of ['', 'region=', 'region=abc', `region=${'9'.repeat(12)}`, `region=${SANYUANLI}&period=2026H3`, `region=${SANYUANLI}&page=0`,
      `region=${SANYUANLI}&per_page=1000`, `region=${FOUR.repeat(3)}`]) {
      assertProblem(await as.admin.get(`/api/v1/feedback/units?${q}`), 400, 'bad_query', q);
    }
  });
});
