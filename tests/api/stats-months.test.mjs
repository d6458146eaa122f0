// stats-months.test.mjs: the monthly figures (GET /api/v1/stats/regions/{code}/months, /units/{id}/months) equal a
// recount of the demo's records, points and activities; the server's own rollup fills them; who may read them
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, dbQuery } from '../lib/server.mjs';
import { unzip } from '../lib/zip.mjs';
import { loginAs, assertProblem, CITY, BAIYUN, SANYUANLI, SHILIUQIAO, FEIE, HONGQIAO } from './helpers.mjs';
import { items, newFile, report, made } from './records-helpers.mjs';

const CHINA = 8 * 3600;
// "YYYY-MM" of a Unix time in China, and a month's first instant.
const monthOf = (t) => new Date((t + CHINA) * 1000).toISOString().slice(0, 7);
const startOf = (m) => Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)) - 1, 1) / 1000 - CHINA;
const nextOf = (m) => monthOf(startOf(m) + 40 * 86400);
const THIS = monthOf(Math.floor(Date.now() / 1000));

let srv, admin, org, staff;
const sql = (q) => dbQuery(srv.db, q);
const num = (q) => Number(sql(q) || 0);

// The figures of a region in a month, counted here from the raw tables as docs/stats.md defines them.
function recount(code, month) {
  const p = sql(`SELECT path FROM region WHERE code = '${code}'`);
  const [a, b] = [startOf(month), startOf(nextOf(month))];
  const [d0, d1] = [`${month}-01`, `${nextOf(month)}-01`];
  const here = (col) => `${col} IN (SELECT code FROM region WHERE path LIKE '${p}%')`;
  const confirmed = `state = 'confirmed' AND started_at >= ${a} AND started_at < ${b}`;
  return {
    services: num(`SELECT COUNT(*) FROM record WHERE ${confirmed} AND source <> 'correction' AND ${here('community_code')}`),
    minutes: num(`SELECT COALESCE(SUM(minutes), 0) FROM record WHERE ${confirmed} AND ${here('community_code')}`),
    active_members: num(`SELECT COUNT(DISTINCT r.member_id) FROM record r JOIN member m ON m.id = r.member_id
      WHERE r.${confirmed.replace(/ started_at/g, ' r.started_at')} AND r.source <> 'correction' AND ${here('m.community_code')}`),
    points: num(`SELECT COALESCE(SUM(e.points), 0) FROM earning_day e JOIN member m ON m.id = e.member_id
      WHERE e.day >= '${d0}' AND e.day < '${d1}' AND ${here('m.community_code')}`),
    activities: num(`SELECT COUNT(*) FROM activity WHERE state IN ('published', 'closed') AND starts_at >= ${a}
      AND starts_at < ${b} AND ${here('community_code')}`),
    needs_done: num(`SELECT COUNT(*) FROM need WHERE state IN ('done', 'closed') AND done_at >= ${a} AND done_at < ${b}
      AND ${here('community_code')}`),
  };
}

function assertMonth(got, want, what) {
  for (const [k, v] of Object.entries(want)) assert.equal(got[k], v, `${what}: ${k}`);
}

before(async () => {
  // The demo in full: records, points, activities and needs of the last weeks. No rollup of its own yet.
  srv = await startServer({ demo: 'full', extra: ['--stats-every', '0'] });
  [admin, org, staff] = await Promise.all(['admin', 'org', 'staff'].map((l) => loginAs(srv, l)));
});
after(() => srv.stop());

describe('the monthly figures', () => {
  test('before any rollup: every month is there, all zero, and as_of is null', async () => {
    const r = await admin.get(`/api/v1/stats/regions/${SHILIUQIAO}/months`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.as_of, null);
    assert.equal(r.json.to, THIS);
    assert.equal(r.json.months.length, 12);
    assert.equal(r.json.months[0].month, r.json.from);
    assert.equal(r.json.months[11].month, THIS);
    assert.ok(r.json.months.every((m) => m.services === 0 && m.minutes === 0 && m.points === 0));
  });

  test('after `baodao stats rollup`: each level equals a recount, and the children add up to the parent', async () => {
    assert.match(srv.cli(['stats', 'rollup']), /rolled up \d+ months from \d{4}-01/);
    const from = monthOf(Math.floor(Date.now() / 1000) - 100 * 86400);
    for (const code of [SHILIUQIAO, FEIE, SANYUANLI, BAIYUN, CITY]) {
      const r = await admin.get(`/api/v1/stats/regions/${code}/months?from=${from}&to=${THIS}`);
      assert.equal(r.status, 200, r.text);
      assert.ok(r.json.as_of > 0);
      assert.equal(r.json.region.code, code);
      for (const m of r.json.months) assertMonth(m, recount(code, m.month), `${code} ${m.month}`);
    }
    const street = await org.get(`/api/v1/stats/regions/${SANYUANLI}/months?from=${from}&to=${THIS}`);
    const total = street.json.months.reduce((s, m) => s + m.services, 0);
    assert.ok(total > 0, 'the demo has confirmed services in the street');
    assert.equal(street.json.children.reduce((s, c) => s + c.services, 0), total);
    const kid = street.json.children.find((c) => c.code === SHILIUQIAO);
    assert.equal(kid.name, '石榴桥社区');
    assert.equal(kid.level, 'community');
    assert.equal(kid.active_members, recount(SHILIUQIAO, THIS).active_members, 'a child\'s active members: of the last month');
  });

  test('a record confirmed now shows after the next rollup, in the month it began', async () => {
    const file = await newFile(staff);
    const at = Math.floor(Date.now() / 1000) - 3 * 3600;
    const rec = await made(staff, '/api/v1/records', { member_id: file.id, ...report(items(srv).A02, { started_at: at, minutes: 75 }) });
    const before = (await staff.get(`/api/v1/stats/regions/${SHILIUQIAO}/months?from=${monthOf(at)}&to=${monthOf(at)}`)).json.months[0];
    await made(staff, `/api/v1/records/${rec.id}/confirm`, undefined, 200);
    const stale = (await staff.get(`/api/v1/stats/regions/${SHILIUQIAO}/months?from=${monthOf(at)}&to=${monthOf(at)}`)).json.months[0];
    assert.deepEqual(stale, before, 'the figures are the rollup\'s, not a live count');
    srv.cli(['stats', 'rollup', '--from', monthOf(at)]);
    const after = (await staff.get(`/api/v1/stats/regions/${SHILIUQIAO}/months?from=${monthOf(at)}&to=${monthOf(at)}`)).json.months[0];
    assert.equal(after.services, before.services + 1);
    assert.equal(after.minutes, before.minutes + 75);
    assertMonth(after, recount(SHILIUQIAO, monthOf(at)), 'after the new record');
  });

  test('a unit\'s members month by month, wherever they serve', async () => {
    const r = await admin.get(`/api/v1/stats/units/2/months?from=${THIS}&to=${THIS}`);
    assert.equal(r.status, 200, r.text);
    const [a, b] = [startOf(THIS), startOf(nextOf(THIS))];
    const want = num(`SELECT COUNT(*) FROM record r JOIN member m ON m.id = r.member_id WHERE m.unit_id = 2
      AND r.state = 'confirmed' AND r.source <> 'correction' AND r.started_at >= ${a} AND r.started_at < ${b}`);
    assert.equal(r.json.months[0].services, want);
    assert.equal(r.json.unit_id, 2);
    assert.deepEqual(Object.keys(r.json.months[0]).sort(), ['active_members', 'minutes', 'month', 'points', 'services']);
  });
});

describe('as spreadsheets', () => {
  test('the months and the children, the same figures as the JSON', async () => {
    const json = (await org.get(`/api/v1/stats/regions/${SANYUANLI}/months`)).json;
    const sheet = async (q) => {
      const r = await fetch(`${srv.url}/api/v1/stats/regions/${SANYUANLI}/months.xlsx${q}`, { headers: { Cookie: org.cookie } });
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type'), /spreadsheetml/);
      const files = unzip(Buffer.from(await r.arrayBuffer()));
      return Object.entries(files).filter(([n]) => n.startsWith('xl/')).map(([, v]) => v.toString('utf8')).join('');
    };
    const months = await sheet('');
    for (const m of json.months) assert.ok(months.includes(m.month), m.month);
    assert.ok(months.includes('服务人次') && months.includes('服务时长（小时）'));
    const kids = await sheet('?rows=children');
    for (const k of json.children) assert.ok(kids.includes(k.name), k.name);
    assertProblem(await org.get(`/api/v1/stats/regions/${SANYUANLI}/months.xlsx?rows=everyone`), 400, 'bad_query');
    assertProblem(await org.get(`/api/v1/stats/regions/${SANYUANLI}/months.xlsx?from=2026-13`), 400, 'bad_query');
  });
});

describe('the server rolls up by itself', () => {
  test('a server started with the default --stats-every has figures without anyone asking', async () => {
    const own = await startServer({ demo: 'full' });
    try {
      const a = await loginAs(own, 'admin');
      const deadline = Date.now() + 20000;
      let r;
      do r = await a.get(`/api/v1/stats/regions/${CITY}/months?from=${THIS}&to=${THIS}`);
      while (r.json.as_of === null && Date.now() < deadline);
      assert.ok(r.json.as_of > 0, 'the rollup ran at start');
      const services = Number(dbQuery(own.db, `SELECT COUNT(*) FROM record WHERE state = 'confirmed' AND source <> 'correction'
        AND started_at >= ${startOf(THIS)} AND started_at < ${startOf(nextOf(THIS))}`));
      assert.equal(r.json.months[0].services, services);
    } finally {
      await own.stop();
    }
  });
});

describe('who may read them, and bad months', () => {
  const cases = [
    [`/api/v1/stats/regions/${SHILIUQIAO}/months`, { admin: 200, org: 200, staff: 200, unit: 403, member: 403, resident: 403, anon: 401 }],
    [`/api/v1/stats/regions/${SHILIUQIAO}/months.xlsx`, { admin: 200, staff: 200, unit: 403, member: 403, anon: 401 }],
    [`/api/v1/stats/regions/${FEIE}/months.xlsx`, { staff: 404 }],
    [`/api/v1/stats/regions/${FEIE}/months`, { org: 200, staff: 404 }],
    [`/api/v1/stats/regions/${SANYUANLI}/months`, { admin: 200, org: 200, staff: 404 }],
    [`/api/v1/stats/regions/${HONGQIAO}/months`, { admin: 200, org: 404, staff: 404 }],
    [`/api/v1/stats/regions/${CITY}/months`, { admin: 200, org: 404 }],
    ['/api/v1/stats/regions/999999999999/months', { admin: 404 }],
    ['/api/v1/stats/units/2/months', { admin: 200, org: 200, unit: 200, staff: 403, member: 403, anon: 401 }],
    ['/api/v1/stats/units/1/months', { admin: 200, org: 404, unit: 404 }],
    ['/api/v1/stats/units/0/months', { admin: 404 }],
  ];
  for (const [path, expect] of cases)
    for (const [who, status] of Object.entries(expect))
      test(`GET ${path} as ${who} → ${status}`, async () => {
        const c = who === 'anon' ? new Client(srv.url) : await loginAs(srv, who);
        const r = await c.get(path);
        if (status === 200) assert.equal(r.status, 200, r.text);
        else assertProblem(r, status);
      });

  test('months that are not months, backwards or too long a span, are refused naming the argument', async () => {
    const bad = [['from=2026-13', 'from'], ['to=2026-1', 'to'], ['from=26-01', 'from'], ['to=2026-00', 'to'],
      ['from=2026/01', 'from'], ['from=2026-01-01', 'from'], ['to=%F0%A0%80%80', 'to'], ['from=2026-05&to=2026-04', 'from'],
      ['from=2010-01&to=2026-12', 'from'], ['from=2026-01;drop', 'from']];
    for (const [q, name] of bad) {
      for (const path of [`/api/v1/stats/regions/${SHILIUQIAO}/months`, '/api/v1/stats/units/2/months']) {
        const r = await admin.get(`${path}?${q}`);
        assertProblem(r, 400, 'bad_query', q);
        assert.match(JSON.stringify(r.json), new RegExp(name), `${q} names ${name}`);
      }
    }
    const ten = await admin.get(`/api/v1/stats/regions/${SHILIUQIAO}/months?from=2017-01&to=2026-12`);
    assert.equal(ten.status, 200, 'ten years is the most, and allowed');
    assert.equal(ten.json.months.length, 120);
  });
});
