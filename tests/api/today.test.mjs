// today.test.mjs: a community's work of today (GET /api/v1/communities/{code}/today) and its monthly report form
// (GET /api/v1/communities/{code}/monthly-report): every number equals a recount of a seeded scenario; who may read them
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, dbQuery } from '../lib/server.mjs';
import { unzip } from '../lib/zip.mjs';
import { loginAs, assertProblem, SANYUANLI, SHILIUQIAO, FEIE, HONGQIAO } from './helpers.mjs';

const CHINA = 8 * 3600;
const DAY = 86400;
const NOW = Math.floor(Date.now() / 1000);
const dayOf = (t) => new Date((t + CHINA) * 1000).toISOString().slice(0, 10);
const monthOf = (t) => dayOf(t).slice(0, 7);
const startOf = (m) => Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)) - 1, 1) / 1000 - CHINA;
const nextOf = (m) => monthOf(startOf(m) + 40 * DAY);
// China midnight of today, and of tomorrow.
const MIDNIGHT = Math.floor((NOW + CHINA) / DAY) * DAY - CHINA;
const TOMORROW = MIDNIGHT + DAY;

let srv, admin, org, staff;
const sql = (q) => dbQuery(srv.db, q);
const num = (q) => Number(sql(q) || 0);
const one = (q) => Number(sql(q).split('\n')[0]);

// What the staff act on today, counted here from the raw tables as docs/stats.md defines it.
function recount(code) {
  const today = dayOf(NOW);
  return {
    registrations_pending: num(`SELECT COUNT(*) FROM registration WHERE community_code = '${code}' AND state = 'pending'`),
    records_pending: num(`SELECT COUNT(*) FROM record WHERE community_code = '${code}' AND state = 'pending'`),
    requests_asked: num(`SELECT COUNT(*) FROM record_request q JOIN record r ON r.id = q.record_id
      WHERE r.community_code = '${code}' AND q.state = 'asked'`),
    needs_new: num(`SELECT COUNT(*) FROM need WHERE community_code = '${code}' AND state = 'submitted'`),
    needs_to_dispatch: num(`SELECT COUNT(*) FROM need WHERE community_code = '${code}' AND state = 'accepted'`),
    wishes_to_approve: num(`SELECT COUNT(*) FROM wish WHERE community_code = '${code}' AND state = 'submitted'`),
    activities_short: sql(`SELECT a.id FROM activity a WHERE a.community_code = '${code}' AND a.state = 'published'
      AND a.starts_at >= ${TOMORROW} AND a.starts_at < ${TOMORROW + DAY}
      AND (SELECT COUNT(*) FROM signup s WHERE s.activity_id = a.id AND s.state = 'signed') < a.capacity
      ORDER BY a.starts_at, a.id`).split('\n').filter(Boolean).map(Number),
    shifts_open: sql(`SELECT s.id FROM duty_shift s JOIN duty_post p ON p.id = s.post_id WHERE p.community_code = '${code}'
      AND p.state = 'open' AND s.day >= '${today}' AND s.day <= '${dayOf(NOW + 2 * DAY)}' AND s.ends_at > ${NOW}
      AND s.closed_at = 0 AND (SELECT COUNT(*) FROM duty_assignment d WHERE d.shift_id = s.id AND d.state <> 'cancelled') < s.places
      ORDER BY s.day, s.start_min, s.id`).split('\n').filter(Boolean).map(Number),
  };
}

// The seeded scenario: tomorrow an activity short of people (2 of 5), one full (1 of 1), one still a draft; a duty
// shift tomorrow with 1 of 3 places taken and one full; a pending record, a submitted wish and need.
const seed = {};
function seedScenario() {
  const item = one('SELECT MIN(id) FROM catalog_item');
  const members = sql(`SELECT id FROM member WHERE community_code = '${SHILIUQIAO}' AND state = 'approved' ORDER BY id LIMIT 3`)
    .split('\n').map(Number);
  const activity = (title, capacity, state, at) => one(`INSERT INTO activity (community_code, organiser, item_id, title, place,
      starts_at, ends_at, signup_deadline, capacity, audience, minutes_cap, state, created_at, updated_at)
      VALUES ('${SHILIUQIAO}', 'community', ${item}, '${title}', '社区广场', ${at}, ${at + 7200}, ${at - 3600}, ${capacity},
      'community', 120, '${state}', ${NOW}, ${NOW}) RETURNING id`);
  const signup = (a, m, seq, state = 'signed') => sql(`INSERT INTO signup (activity_id, member_id, state, seq, created_at, updated_at)
      VALUES (${a}, ${m}, '${state}', ${seq}, ${NOW}, ${NOW})`);
  seed.short = activity('今日待办·缺人', 5, 'published', TOMORROW + 10 * 3600);
  signup(seed.short, members[0], 1);
  signup(seed.short, members[1], 2);
  signup(seed.short, members[2], 3, 'cancelled');
  seed.full = activity('今日待办·已满', 1, 'published', TOMORROW + 9 * 3600);
  signup(seed.full, members[0], 1);
  seed.draft = activity('今日待办·草稿', 5, 'draft', TOMORROW + 11 * 3600);
  seed.later = activity('今日待办·后天', 5, 'published', TOMORROW + DAY + 3600);
  seed.long = activity('𠀀'.repeat(60), 2, 'published', TOMORROW + 20 * 3600); // the longest title, in 4-byte characters
  seed.longPost = one(`INSERT INTO duty_post (community_code, name, item_id, state, created_at, updated_at)
      VALUES ('${SHILIUQIAO}', '${'𠀀'.repeat(40)}', ${item}, 'open', ${NOW}, ${NOW}) RETURNING id`);
  one(`INSERT INTO duty_shift (post_id, day, start_min, end_min, places, starts_at, ends_at, created_at)
      VALUES (${seed.longPost}, '${dayOf(TOMORROW)}', 1200, 1320, 2, ${TOMORROW + 1200 * 60}, ${TOMORROW + 1320 * 60}, ${NOW}) RETURNING id`);
  const post = one(`INSERT INTO duty_post (community_code, name, item_id, state, created_at, updated_at)
      VALUES ('${SHILIUQIAO}', '今日待办岗', ${item}, 'open', ${NOW}, ${NOW}) RETURNING id`);
  const shift = (start, places) => one(`INSERT INTO duty_shift (post_id, day, start_min, end_min, places, starts_at, ends_at, created_at)
      VALUES (${post}, '${dayOf(TOMORROW)}', ${start}, ${start + 120}, ${places}, ${TOMORROW + start * 60},
      ${TOMORROW + (start + 120) * 60}, ${NOW}) RETURNING id`);
  const assign = (s, m, state = 'assigned') => sql(`INSERT INTO duty_assignment (shift_id, member_id, state, created_at, updated_at)
      VALUES (${s}, ${m}, '${state}', ${NOW}, ${NOW})`);
  seed.shift = shift(480, 3);
  assign(seed.shift, members[0]);
  assign(seed.shift, members[1], 'cancelled');
  seed.fullShift = shift(600, 1);
  assign(seed.fullShift, members[2]);
}

before(async () => {
  srv = await startServer({ demo: 'full', extra: ['--stats-every', '0'] });
  [admin, org, staff] = await Promise.all(['admin', 'org', 'staff'].map((l) => loginAs(srv, l)));
  seedScenario();
});
after(() => srv.stop());

describe('today (今日待办)', () => {
  test('every number equals a recount; the seeded activity and shift short of people are listed, full ones and drafts are not', async () => {
    const r = await staff.get(`/api/v1/communities/${SHILIUQIAO}/today`);
    assert.equal(r.status, 200, r.text);
    const want = recount(SHILIUQIAO);
    for (const k of ['registrations_pending', 'records_pending', 'requests_asked', 'needs_new', 'needs_to_dispatch', 'wishes_to_approve'])
      assert.equal(r.json[k], want[k], k);
    assert.deepEqual(r.json.activities_short.map((a) => a.id), want.activities_short);
    assert.deepEqual(r.json.shifts_open.map((s) => s.id), want.shifts_open);
    const short = r.json.activities_short.find((a) => a.id === seed.short);
    assert.deepEqual({ ...short }, { id: seed.short, title: '今日待办·缺人', starts_at: TOMORROW + 10 * 3600, signed: 2, capacity: 5 });
    for (const id of [seed.full, seed.draft, seed.later])
      assert.ok(!r.json.activities_short.some((a) => a.id === id), `activity ${id} is not short tomorrow`);
    const shift = r.json.shifts_open.find((s) => s.id === seed.shift);
    assert.equal(shift.post_name, '今日待办岗');
    assert.equal(shift.day, dayOf(TOMORROW));
    assert.equal(shift.places, 3);
    assert.equal(shift.filled, 1, 'a cancelled place is empty');
    assert.ok(!r.json.shifts_open.some((s) => s.id === seed.fullShift));
    assert.equal(r.json.activities_short.find((a) => a.id === seed.long).title, '𠀀'.repeat(60), 'the longest title whole');
    assert.equal(r.json.shifts_open.find((s) => s.post_id === seed.longPost).post_name, '𠀀'.repeat(40), 'the longest post name whole');
    assert.equal(r.json.region.code, SHILIUQIAO);
    assert.deepEqual(Object.keys(r.json.links).sort(), ['activities_short', 'care_overdue', 'needs_new', 'needs_to_dispatch',
      'quiet', 'records_pending', 'registrations_pending', 'requests_asked', 'shifts_open', 'wishes_to_approve'], 'each figure has its page');
    assert.equal(r.json.links.care_overdue, '/care?tab=overdue');
    // Overdue visits and quiet members are those of their own lists.
    const care = await staff.get(`/api/v1/communities/${SHILIUQIAO}/care/overdue?per_page=1`);
    assert.equal(care.status, 200, care.text);
    assert.equal(r.json.care_overdue, care.json.total);
    const quiet = await staff.get(`/api/v1/communities/${SHILIUQIAO}/quiet?per_page=1`);
    assert.equal(r.json.quiet, quiet.json.total);
  });

  test('a new pending record, need and wish each add one; confirming takes it off', async () => {
    const before = (await staff.get(`/api/v1/communities/${SHILIUQIAO}/today`)).json;
    const m = one(`SELECT id FROM member WHERE community_code = '${SHILIUQIAO}' AND state = 'approved' ORDER BY id LIMIT 1`);
    const item = one('SELECT MIN(id) FROM catalog_item');
    sql(`INSERT INTO record (member_id, community_code, item_id, source, started_at, minutes, state, created_at)
      VALUES (${m}, '${SHILIUQIAO}', ${item}, 'self', ${NOW - 3600}, 30, 'pending', ${NOW})`);
    sql(`INSERT INTO need (community_code, item_id, description, urgency, contact_name, contact_phone, channel, state, expires_at,
      created_at, updated_at) VALUES ('${SHILIUQIAO}', ${item}, '换灯泡', 'normal', '王阿姨', '13800000000', 'phone', 'accepted',
      ${NOW + 7 * DAY}, ${NOW}, ${NOW})`);
    const after = (await staff.get(`/api/v1/communities/${SHILIUQIAO}/today`)).json;
    assert.equal(after.records_pending, before.records_pending + 1);
    assert.equal(after.needs_to_dispatch, before.needs_to_dispatch + 1);
    assert.equal(after.needs_new, before.needs_new);
    sql(`UPDATE signup SET state = 'signed' WHERE activity_id = ${seed.short} AND state = 'cancelled'`);
    sql(`INSERT INTO signup (activity_id, member_id, state, seq, created_at, updated_at)
      SELECT ${seed.short}, id, 'signed', 100 + id, ${NOW}, ${NOW} FROM member WHERE community_code = '${SHILIUQIAO}'
      AND state = 'approved' AND id NOT IN (SELECT member_id FROM signup WHERE activity_id = ${seed.short}) ORDER BY id LIMIT 2`);
    const full = (await staff.get(`/api/v1/communities/${SHILIUQIAO}/today`)).json;
    assert.ok(!full.activities_short.some((a) => a.id === seed.short), 'filled up: no longer short of people');
  });
});

describe('the monthly report form', () => {
  test('after a rollup, each figure equals a recount of the month', async () => {
    srv.cli(['stats', 'rollup']);
    const month = monthOf(NOW);
    const [a, b] = [startOf(month), startOf(nextOf(month))];
    // One member who served here this month has no unit: not a unit member serving here.
    sql(`UPDATE member SET unit_id = NULL WHERE id = (SELECT MIN(x.member_id) FROM record x WHERE x.community_code = '${SHILIUQIAO}'
      AND x.state = 'confirmed' AND x.source <> 'correction' AND x.started_at >= ${a} AND x.started_at < ${b})`);
    const r = await staff.get(`/api/v1/communities/${SHILIUQIAO}/monthly-report?month=${month}`);
    assert.equal(r.status, 200, r.text);
    const here = `community_code = '${SHILIUQIAO}'`;
    const want = {
      activities: num(`SELECT COUNT(*) FROM activity WHERE ${here} AND state IN ('published', 'closed') AND starts_at >= ${a} AND starts_at < ${b}`),
      signups: num(`SELECT COUNT(*) FROM signup s JOIN activity x ON x.id = s.activity_id WHERE x.${here}
        AND x.state IN ('published', 'closed') AND x.starts_at >= ${a} AND x.starts_at < ${b} AND s.state = 'signed'`),
      attended: num(`SELECT COUNT(*) FROM signup s JOIN activity x ON x.id = s.activity_id WHERE x.${here}
        AND x.state IN ('published', 'closed') AND x.starts_at >= ${a} AND x.starts_at < ${b} AND s.state = 'signed' AND s.checkin_at IS NOT NULL`),
      unit_members_serving: num(`SELECT COUNT(DISTINCT x.member_id) FROM record x JOIN member m ON m.id = x.member_id
        WHERE x.${here} AND x.state = 'confirmed' AND x.source <> 'correction' AND x.started_at >= ${a} AND x.started_at < ${b}
        AND m.unit_id IS NOT NULL`),
      members_living: num(`SELECT COUNT(*) FROM member WHERE ${here} AND state = 'approved'`),
      needs_taken: num(`SELECT COUNT(*) FROM need WHERE ${here} AND taken_at >= ${a} AND taken_at < ${b}`),
      needs_done: num(`SELECT COUNT(*) FROM need WHERE ${here} AND state IN ('done', 'closed') AND done_at >= ${a} AND done_at < ${b}`),
      services: num(`SELECT COUNT(*) FROM record WHERE ${here} AND state = 'confirmed' AND source <> 'correction'
        AND started_at >= ${a} AND started_at < ${b}`),
    };
    for (const [k, v] of Object.entries(want)) assert.equal(r.json[k], v, k);
    assert.equal(r.json.month, month);
    assert.equal(r.json.checkin_permille, want.signups ? Math.floor(want.attended * 1000 / want.signups) : null);
    assert.equal(r.json.building_heads, null, 'no data of 楼栋长 yet');
    assert.ok(r.json.as_of > 0);
    assert.ok(want.activities > 0 && want.members_living > 0, 'the scenario has something to count');
    const served = num(`SELECT COUNT(DISTINCT member_id) FROM record WHERE ${here} AND state = 'confirmed' AND source <> 'correction'
      AND started_at >= ${a} AND started_at < ${b}`);
    assert.ok(want.unit_members_serving > 0 && want.unit_members_serving < served, 'members without a unit are left out');
  });

  test('the form as .xlsx holds the same numbers', async () => {
    const month = monthOf(NOW);
    const j = (await staff.get(`/api/v1/communities/${SHILIUQIAO}/monthly-report?month=${month}`)).json;
    const r = await fetch(`${srv.url}/api/v1/communities/${SHILIUQIAO}/monthly-report.xlsx?month=${month}`, { headers: { Cookie: staff.cookie } });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /spreadsheetml/);
    assert.match(r.headers.get('content-disposition'), new RegExp(`monthly-report-${SHILIUQIAO}-${month}\\.xlsx`));
    const files = unzip(Buffer.from(await r.arrayBuffer()));
    const text = Object.entries(files).filter(([n]) => n.startsWith('xl/')).map(([, v]) => v.toString('utf8')).join('');
    for (const w of ['社区月报表', '石榴桥社区', month, '开展活动（场）', '点亮微心愿（个）', '党员担任楼栋长、业委会成员（人）'])
      assert.ok(text.includes(w), w);
    // The sheet's rows as [label, value] (inline text cells).
    const rows = [...files['xl/worksheets/sheet1.xml'].toString('utf8').matchAll(/<row[^>]*>(.*?)<\/row>/g)]
      .map((row) => [...row[1].matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map((c) => c[1]));
    const after = (label) => rows.find((r) => r[0] === label)?.[1];
    assert.equal(after('开展活动（场）'), String(j.activities));
    assert.equal(after('居住地报到党员（人）'), String(j.members_living));
    assert.equal(after('志愿服务（人次）'), String(j.services));
    assert.equal(after('点亮微心愿（个）'), String(j.wishes_done));
    const bad = await admin.get(`/api/v1/communities/${SHILIUQIAO}/monthly-report.xlsx?month=2026-13`);
    assertProblem(bad, 400, 'bad_query');
  });

  test('the month defaults to this one; a month long ago is all zeros but the members living here', async () => {
    const r = await staff.get(`/api/v1/communities/${SHILIUQIAO}/monthly-report`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.month, monthOf(NOW));
    const old = await staff.get(`/api/v1/communities/${SHILIUQIAO}/monthly-report?month=2001-01`);
    assert.equal(old.json.activities, 0);
    assert.equal(old.json.services, 0);
    assert.equal(old.json.checkin_permille, null);
  });

  test('months that are not months are refused naming the argument', async () => {
    for (const q of ['2026-13', '2026-1', '26-01', '2026-00', '2026/01', '2026-01-01', '%F0%A0%80%80', '2026-01;drop',
      '%F0%A0%80%80'.repeat(7), 'x'.repeat(5000)]) {
      const r = await admin.get(`/api/v1/communities/${SHILIUQIAO}/monthly-report?month=${q}`);
      assertProblem(r, 400, 'bad_query', q);
      assert.match(JSON.stringify(r.json), /month/, `${q} names month`);
    }
  });
});

describe('who may read them', () => {
  const cases = [];
  for (const path of [`/api/v1/communities/${SHILIUQIAO}/today`, `/api/v1/communities/${SHILIUQIAO}/monthly-report`,
    `/api/v1/communities/${SHILIUQIAO}/monthly-report.xlsx`]) {
    cases.push([path, { admin: 200, org: 200, staff: 200, unit: 403, member: 403, resident: 403, anon: 401 }]);
    const other = path.replace(SHILIUQIAO, FEIE);
    cases.push([other, { admin: 200, org: 200, staff: 404 }]);
    cases.push([path.replace(SHILIUQIAO, SANYUANLI), { admin: 404, org: 404, staff: 404 }]);
    cases.push([path.replace(SHILIUQIAO, '440104001007'), { admin: 200, org: 404, staff: 404 }]);
    cases.push([path.replace(SHILIUQIAO, HONGQIAO), { admin: 404, org: 404 }]);
    cases.push([path.replace(SHILIUQIAO, '999999999999'), { admin: 404 }]);
    cases.push([path.replace(SHILIUQIAO, '%F0%A0%80%80'), { admin: 404, staff: 404 }]);
  }
  // A unit's today is its own lists: its own members only, another unit's not there.
  const year = dayOf(NOW).slice(0, 4);
  cases.push(['/api/v1/units/2/quiet', { unit: 200, org: 200, staff: 403 }]);
  cases.push(['/api/v1/units/1/quiet', { unit: 404, org: 404 }]);
  cases.push([`/api/v1/units/2/feedback?period=${year}&below=true`, { unit: 200, org: 200 }]);
  cases.push([`/api/v1/units/1/feedback?period=${year}&below=true`, { unit: 404, org: 404 }]);
  for (const [path, expect] of cases)
    for (const [who, status] of Object.entries(expect))
      test(`GET ${path} as ${who} → ${status}`, async () => {
        const c = who === 'anon' ? new Client(srv.url) : await loginAs(srv, who);
        const r = await c.get(path);
        if (status === 200) assert.equal(r.status, 200, r.text);
        else assertProblem(r, status);
      });
});
