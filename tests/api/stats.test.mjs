// stats.test.mjs: the workbench's numbers equal a recount from the report-ins themselves, after a random day of work
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, dbQuery } from '../lib/server.mjs';
import { unzip } from '../lib/zip.mjs';
import { loginAs, addUser, assertProblem, validIdNumber, CITY, BAIYUN, SANYUANLI, SHILIUQIAO, FEIE, HONGQIAO, SANYANJING } from './helpers.mjs';

const STATES = ['approved', 'pending', 'rejected', 'withdrawn', 'left', 'transferred'];
const upload = (client, path, bytes) => client.req('POST', path, bytes, { 'Content-Type': 'application/octet-stream' });

let srv, admin, org, staff, staffFeie, unit, as = {};

// A file's state recounted from its report-ins, as docs/members.md defines it (independent of member.state).
const STATE_OF = `(SELECT g.state FROM registration g WHERE g.member_id = m.id ORDER BY CASE g.state
  WHEN 'approved' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END, COALESCE(g.decided_at, g.created_at) DESC, g.id DESC LIMIT 1)`;

function sql(q) {
  return dbQuery(srv.db, q);
}

function pathOf(code) { return sql(`SELECT path FROM region WHERE code = '${code}'`); }

// What the files under a region are, counted from scratch.
function recount(code) {
  const p = pathOf(code);
  const under = `JOIN region r ON r.code = m.community_code WHERE r.path LIKE '${p}%'`;
  const byState = Object.fromEntries(STATES.map((s) => [s, 0]));
  for (const line of sql(`SELECT ${STATE_OF}, COUNT(*) FROM member m ${under} GROUP BY 1`).split('\n').filter(Boolean)) {
    const [state, n] = line.split('|');
    if (state in byState) byState[state] = Number(n);
  }
  const without = Number(sql(`SELECT COUNT(*) FROM member m ${under} AND m.account_id IS NULL AND ${STATE_OF} IN ('approved', 'pending')`));
  const queue = Number(sql(`SELECT COUNT(*) FROM registration g JOIN region r ON r.code = g.community_code
    WHERE g.state = 'pending' AND r.path LIKE '${p}%'`));
  const done = byState.approved, all = byState.approved + byState.pending;
  return { by_state: byState, total: Object.values(byState).reduce((a, b) => a + b, 0), without_account: without, queue,
    rate_permille: all ? Math.floor(done * 1000 / all) : 0 };
}

function recountUnit(id) {
  const [roster, reported, pending] = sql(`SELECT COUNT(*), COALESCE(SUM(CASE WHEN ${STATE_OF} = 'approved' THEN 1 ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN ${STATE_OF} = 'pending' THEN 1 ELSE 0 END), 0) FROM roster_entry e LEFT JOIN member m ON m.id_number_hash = e.id_number_hash
    WHERE e.unit_id = ${id}`).split('|').map(Number);
  return { roster, reported, pending };
}

// A deterministic stream of choices, so a failure can be replayed.
let seed = 20261201;
const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };

before(async () => {
  srv = await startServer();
  addUser(srv, 'staff_feie', 'staff', { region: FEIE });
  addUser(srv, 'staff_syj', 'staff', { region: SANYANJING });
  [admin, org, staff, staffFeie, unit, as.syj] = await Promise.all(
    ['admin', 'org', 'staff', 'staff_feie', 'unit', 'staff_syj'].map((l) => loginAs(srv, l)));
});
after(() => srv.stop());

describe('a day of report-ins, then every number against a recount', () => {
  const people = [];

  test('files typed in, filed by units, decided, moved, left, linked to accounts, on rosters', async () => {
    const places = [[staff, SHILIUQIAO], [staffFeie, FEIE], [as.syj, SANYANJING]];
    for (let i = 0; i < 60; i++) {
      const [who, community] = places[rand(3)];
      const id_number = validIdNumber(`19${60 + (i % 40)}0${1 + (i % 9)}1${i % 10}`, 100 + i);
      const body = { name: `统计${i}`, phone: `136${String(10000000 + i).slice(-8)}`, id_number, community_code: community, unit_id: 2 };
      const byUnit = rand(3) === 0;
      const r = await (byUnit ? unit : who).post('/api/v1/members', body);
      assert.equal(r.status, 201, r.text);
      people.push({ ...body, id: r.json.member.id, reg: r.json.registration.id, who, pending: byUnit });
    }
    for (const p of people.filter((x) => x.pending)) {
      const choice = rand(3);
      if (choice === 0) assert.equal((await p.who.post(`/api/v1/registrations/${p.reg}/approve`)).status, 200);
      else if (choice === 1) assert.equal((await p.who.post(`/api/v1/registrations/${p.reg}/reject`, { reason: '不住本社区' })).status, 200);
    }
    for (const p of people.filter((x) => !x.pending).slice(0, 6)) {
      const r = await p.who.post(`/api/v1/members/${p.id}/leave`, { reason: '搬走' });
      assert.equal(r.status, 200, r.text);
      p.left = true;
    }
    // Two members link their files from the phone; one asks to move to 飞鹅 and is approved there, one waits.
    const linked = people.filter((x) => !x.pending && !x.left && x.community_code === SHILIUQIAO).slice(-2);
    assert.equal(linked.length, 2);
    for (const [k, p] of linked.entries()) {
      addUser(srv, `stat${k}`, 'member', { region: SHILIUQIAO, phone: p.phone });
      const m = await loginAs(srv, `stat${k}`);
      const own = await m.post('/api/v1/me/registration', { name: p.name, phone: p.phone, id_number: p.id_number, community_code: SHILIUQIAO });
      assert.equal(own.status, 200, own.text);
      const move = await m.post('/api/v1/me/registration', { name: p.name, phone: p.phone, id_number: p.id_number, community_code: FEIE });
      assert.equal(move.status, 201, move.text);
      if (k === 0) assert.equal((await staffFeie.post(`/api/v1/registrations/${move.json.registration.id}/approve`)).status, 200);
    }
    // The unit's roster holds some of these people and some who never reported in.
    const rows = people.filter((_, i) => i % 2 === 0).map((p) => `${p.name},${p.id_number}`);
    for (let i = 0; i < 5; i++) rows.push(`未报到${i},${validIdNumber('19700101', 300 + i)}`);
    const r = await upload(unit, '/api/v1/units/2/roster?commit=true', Buffer.from(`姓名,身份证号\n${rows.join('\n')}\n`));
    assert.equal(r.status, 200, r.text);
  });

  for (const [name, code] of [['石榴桥社区', SHILIUQIAO], ['飞鹅新村社区', FEIE], ['三元里街道', SANYUANLI], ['白云区', BAIYUN],
    ['广州市', CITY], ['三眼井社区', SANYANJING], ['洪桥街道', HONGQIAO]]) {
    test(`${name}: files by state, without account, queue, rate`, async () => {
      const r = await admin.get(`/api/v1/stats/regions/${code}`);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.files, recount(code));
      assert.equal(r.json.region.code, code);
    });
  }

  test('children of the street add up to the street, ranked by rate', async () => {
    const r = await org.get(`/api/v1/stats/regions/${SANYUANLI}/children`);
    assert.equal(r.status, 200, r.text);
    const kids = r.json.items;
    for (const k of kids.filter((x) => x.files.total > 0)) assert.deepEqual(k.files, recount(k.code), k.name);
    const rates = kids.map((k) => k.files.rate_permille);
    assert.deepEqual(rates, [...rates].sort((a, b) => b - a), 'highest first');
    const sum = kids.reduce((t, k) => t + k.files.total, 0);
    assert.equal(sum, recount(SANYUANLI).total);
    const asc = await org.get(`/api/v1/stats/regions/${SANYUANLI}/children?order=asc&sort=approved`);
    const approved = asc.json.items.map((k) => k.files.by_state.approved);
    assert.deepEqual(approved, [...approved].sort((a, b) => a - b));
  });

  test('the unit: roster, reported, pending, not reported', async () => {
    const r = await unit.get('/api/v1/stats/units/2');
    assert.equal(r.status, 200, r.text);
    const want = recountUnit(2);
    assert.equal(r.json.roster, want.roster);
    assert.equal(r.json.reported, want.reported);
    assert.equal(r.json.pending, want.pending);
    assert.equal(r.json.not_reported, want.roster - want.reported - want.pending);
    assert.ok(want.roster > 5 && want.reported > 0, 'the day put people on the roster and reported some');
    // The not-reported list, and the same as .xlsx for chasing them up.
    const list = await unit.get('/api/v1/units/2/roster?status=not_reported&per_page=100');
    assert.equal(list.json.total, r.json.not_reported);
    assert.equal((await unit.get('/api/v1/units/2/roster?status=pending')).json.total, r.json.pending);
    assert.equal((await unit.get('/api/v1/units/2/roster?status=reported')).json.total, r.json.reported);
    const x = await unit.get('/api/v1/units/2/roster/export.xlsx?status=not_reported');
    assert.equal(x.status, 200);
    assert.match(x.headers.get('content-type'), /spreadsheetml/);
    const sheet = unzip(Buffer.from(await (await fetch(srv.url + '/api/v1/units/2/roster/export.xlsx?status=not_reported',
      { headers: { Cookie: unit.cookie } })).arrayBuffer()))['xl/worksheets/sheet1.xml'].toString('utf8');
    const names = [...sheet.matchAll(/<row r="(\d+)"[^>]*>.*?<t[^>]*>([^<]*)<\/t>/g)].slice(1).map((m) => m[2]).sort();
    assert.deepEqual(names, list.json.items.map((e) => e.name).sort());
    assertProblem(await staff.get('/api/v1/units/2/roster/export.xlsx'), 403);
  });

  test('the units placed in the district, and the units whose members live in the community', async () => {
    const placed = await org.get(`/api/v1/stats/regions/${SANYUANLI}/units`);
    assert.equal(placed.status, 200, placed.text);
    const u2 = placed.json.items.find((u) => u.unit_id === 2);
    assert.ok(u2, 'unit 2 is placed in 三元里街道');
    assert.equal(u2.roster, recountUnit(2).roster);
    const living = await staff.get(`/api/v1/stats/regions/${SHILIUQIAO}/units?by=living`);
    assert.equal(living.status, 200, living.text);
    const here = Number(sql(`SELECT COUNT(*) FROM member m WHERE m.community_code = '${SHILIUQIAO}' AND m.unit_id = 2
      AND ${STATE_OF} = 'approved'`));
    assert.equal(living.json.items.find((u) => u.unit_id === 2).here, here);
    assertProblem(await staff.get(`/api/v1/stats/regions/${SANYUANLI}/units?by=living`), 404, 'not_found');
    assertProblem(await org.get(`/api/v1/stats/regions/${SANYUANLI}/units?by=living`), 400, 'bad_query');
  });
});

describe('who may read which numbers', () => {
  const cases = [
    [`/api/v1/stats/regions/${SHILIUQIAO}`, { admin: 200, org: 200, staff: 200, staff_feie: 404, unit: 403, member: 403, resident: 403, anon: 401 }],
    [`/api/v1/stats/regions/${SANYUANLI}/children`, { admin: 200, org: 200, staff: 404, unit: 403, member: 403, anon: 401 }],
    [`/api/v1/stats/regions/${HONGQIAO}`, { admin: 200, org: 404, staff: 404, anon: 401 }],
    [`/api/v1/stats/regions/${CITY}/units`, { admin: 200, org: 404, staff: 404, unit: 403 }],
    ['/api/v1/stats/units/2', { admin: 200, org: 200, unit: 200, staff: 403, member: 403, resident: 403, anon: 401 }],
    ['/api/v1/stats/units/1', { admin: 200, org: 404, unit: 404 }],
    ['/api/v1/stats/regions/999999999999', { admin: 404, org: 404 }],
    ['/api/v1/stats/regions/abc', { admin: 404 }],
    ['/api/v1/stats/units/0', { admin: 404 }],
  ];
  for (const [path, expect] of cases)
    for (const [who, status] of Object.entries(expect))
      test(`GET ${path} as ${who} → ${status}`, async () => {
        const c = who === 'anon' ? new Client(srv.url) : await loginAs(srv, who);
        const r = await c.get(path);
        if (status === 200) assert.equal(r.status, 200, r.text);
        else assertProblem(r, status);
      });

  test('hostile query arguments are refused naming the argument', async () => {
    for (const q of ['sort=name;drop', 'order=sideways', 'sort=%ff'])
      assertProblem(await admin.get(`/api/v1/stats/regions/${SANYUANLI}/children?${q}`), 400, 'bad_query', q);
    for (const q of ['by=everyone', 'page=0', 'per_page=1000', 'order=%00'])
      assertProblem(await admin.get(`/api/v1/stats/regions/${SANYUANLI}/units?${q}`), 400, 'bad_query', q);
  });
});
