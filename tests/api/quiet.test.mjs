// quiet.test.mjs: members gone quiet (沉寂): the community's and the unit's lists equal a recount of the rule, a
// service takes a member off, a region's rule moves the line, the spreadsheets, who may read them
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, dbQuery } from '../lib/server.mjs';
import { unzip } from '../lib/zip.mjs';
import { loginAs, assertProblem, assertFieldError, SANYUANLI, SHILIUQIAO, FEIE } from './helpers.mjs';

const DAY = 86400;
const START = Math.floor(Date.now() / 1000);
const dayOf = (t) => new Date((t + 8 * 3600) * 1000).toISOString().slice(0, 10);

let srv, admin, org, staff, unit;
const sql = (q) => dbQuery(srv.db, q);

// Who the rule says is quiet at now, counted here: reported in, and the later of the last confirmed service and the
// approval at least days before now.
function recount(where, now, days) {
  return sql(`SELECT id FROM (SELECT m.id,
      COALESCE((SELECT MAX(x.started_at) FROM record x WHERE x.member_id = m.id AND x.state = 'confirmed' AND x.source <> 'correction'), 0) AS last,
      COALESCE((SELECT MAX(g.decided_at) FROM registration g WHERE g.member_id = m.id AND g.state = 'approved'), m.created_at) AS ok
    FROM member m WHERE m.state = 'approved' AND ${where}) t
    WHERE CASE WHEN last > ok THEN last ELSE ok END <= ${now - days * DAY} ORDER BY id`).split('\n').filter(Boolean).map(Number);
}
const ids = (r) => r.json.items.map((q) => q.member_id).sort((a, b) => a - b);
// A spreadsheet download's cells, as one text.
async function sheetText(who, path) {
  const r = await fetch(srv.url + path, { headers: { Cookie: who.cookie } });
  assert.equal(r.status, 200, path);
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
  const files = unzip(Buffer.from(await r.arrayBuffer()));
  return Object.entries(files).filter(([n]) => n.startsWith('xl/')).map(([, v]) => v.toString('utf8')).join('');
}

// Moves the server's clock, and signs everyone in again (their sessions ended in between).
async function at(t) {
  srv.setClock(t);
  [admin, org, staff, unit] = await Promise.all(['admin', 'org', 'staff', 'unit'].map((l) => loginAs(srv, l)));
}

before(async () => {
  // The full demo, on a clock the test moves.
  srv = await startServer({ demo: 'full', clock: START, extra: ['--stats-every', '0'] });
  await at(START);
});
after(() => srv.stop());

describe('going quiet', () => {
  test('right after the demo nobody is quiet: they reported in this week', async () => {
    const r = await staff.get(`/api/v1/communities/${SHILIUQIAO}/quiet`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.total, 0);
    assert.deepEqual(recount(`m.community_code = '${SHILIUQIAO}'`, START, 90), []);
  });

  test('a hundred days on, the community\'s list is the rule\'s recount, never-served first, with phones', async () => {
    await at(START + 100 * DAY);
    const now = START + 100 * DAY;
    const r = await staff.get(`/api/v1/communities/${SHILIUQIAO}/quiet?per_page=100`);
    assert.equal(r.status, 200, r.text);
    const want = recount(`m.community_code = '${SHILIUQIAO}'`, now, 90);
    assert.ok(want.length >= 3, 'the demo community has members to list');
    assert.deepEqual(ids(r), want);
    assert.equal(r.json.total, want.length);
    const first = r.json.items[0];
    assert.match(first.phone, /^1\d{10}$/, 'staff see the phone to call');
    assert.equal(first.quiet_days, 90);
    assert.ok(first.days_quiet >= 90);
    const served = r.json.items.filter((q) => q.last_served !== null);
    const never = r.json.items.filter((q) => q.last_served === null);
    assert.ok(served.length && never.length, 'both kinds in the demo');
    assert.deepEqual(r.json.items.slice(0, never.length).map((q) => q.last_served), never.map(() => null), 'never served first');
    for (let i = never.length + 1; i < r.json.items.length; i++) assert.ok(r.json.items[i - 1].since <= r.json.items[i].since);
    // Pages of two add up to the same list.
    const p2 = await staff.get(`/api/v1/communities/${SHILIUQIAO}/quiet?per_page=2&page=2`);
    assert.deepEqual(p2.json.items.map((q) => q.member_id), r.json.items.slice(2, 4).map((q) => q.member_id));
  });

  test('the quiet with accounts are reminded once, with what their community has open', async () => {
    const now = START + 100 * DAY;
    const want = recount('m.account_id IS NOT NULL', now, 90);
    assert.ok(want.length > 0, 'the demo has quiet members with accounts');
    assert.match(srv.cli(['quiet', 'remind']), new RegExp(`reminded: ${want.length} members`));
    assert.match(srv.cli(['quiet', 'remind']), /reminded: 0 members/, 'not twice within 30 days');
    const sent = sql(`SELECT m.id FROM notification n JOIN member m ON m.account_id = n.account_id
      WHERE n.kind = 'quiet_reminder' ORDER BY m.id`).split('\n').filter(Boolean).map(Number);
    assert.deepEqual(sent, want);
    const [title, link, body] = sql(`SELECT title, link, body FROM notification WHERE kind = 'quiet_reminder' LIMIT 1`).split('|');
    assert.match(title, /您已经 \d+ 天没有参加服务了|报到后您还没有参加过服务/);
    assert.equal(link, '/m/activities');
    assert.match(body, /社区正在招募：「.+」|挑一件力所能及的事/);
  });

  test('a service confirmed today takes a member off the list', async () => {
    const before = (await staff.get(`/api/v1/communities/${SHILIUQIAO}/quiet?per_page=100`)).json.items;
    const who = before.find((q) => q.last_served !== null) || before[0];
    const item = Number(sql("SELECT id FROM catalog_item WHERE region_code IS NULL AND code = 'A02'"));
    const at = START + 100 * DAY - 3 * 3600;
    const rec = await staff.post('/api/v1/records', { member_id: who.member_id, item_id: item, started_at: at, minutes: 60, place: '小区', content: '巡查' });
    assert.equal(rec.status, 201, rec.text);
    const still = await staff.get(`/api/v1/communities/${SHILIUQIAO}/quiet?per_page=100`);
    assert.ok(still.json.items.some((q) => q.member_id === who.member_id), 'a pending record does not count');
    assert.equal((await staff.post(`/api/v1/records/${rec.json.id}/confirm`)).status, 200);
    const after = await staff.get(`/api/v1/communities/${SHILIUQIAO}/quiet?per_page=100`);
    assert.ok(!after.json.items.some((q) => q.member_id === who.member_id));
    assert.equal(after.json.total, before.length - 1);
  });

  test('the street\'s rule of 365 days, once in force, empties the list; a rule out of bounds is refused', async () => {
    const rule = (await org.get(`/api/v1/rules?region=${SANYUANLI}`)).json;
    assert.equal(rule.in_force.terms.quiet_days, 90, 'the default rule says 90 days');
    const terms = rule.in_force.terms;
    const body = { region_code: SANYUANLI, effective_on: dayOf(START + 101 * DAY), note: '沉寂一年', ...pick(terms) };
    assertFieldError(await org.post('/api/v1/rules', { ...body, quiet_days: 13 }), 'quiet_days', 'too_small');
    assertFieldError(await org.post('/api/v1/rules', { ...body, quiet_days: 731 }), 'quiet_days', 'too_large');
    const made = await org.post('/api/v1/rules', { ...body, quiet_days: 365 });
    assert.equal(made.status, 201, made.text);
    assert.ok((await staff.get(`/api/v1/communities/${SHILIUQIAO}/quiet`)).json.total > 0, 'not before it is in force');
    await at(START + 101 * DAY + 60);
    const r = await staff.get(`/api/v1/communities/${SHILIUQIAO}/quiet`);
    assert.equal(r.json.total, recount(`m.community_code = '${SHILIUQIAO}'`, START + 101 * DAY + 60, 365).length);
    assert.equal(r.json.total, 0);
  });

  test('the unit sees its quiet members wherever they live, without their phones', async () => {
    await at(START + 400 * DAY);
    const r = await unit.get('/api/v1/units/2/quiet?per_page=100');
    assert.equal(r.status, 200, r.text);
    const want = sql(`SELECT m.id FROM member m WHERE m.unit_id = 2 AND m.state = 'approved'`).split('\n').filter(Boolean)
      .map(Number).filter((id) => recount(`m.id = ${id}`, START + 400 * DAY, quietDaysOf(id)).length);
    assert.deepEqual(ids(r), want.sort((a, b) => a - b));
    assert.ok(r.json.items.length > 0);
    assert.ok(r.json.items.every((q) => !('phone' in q) && q.community_name && q.unit.id === 2));
  });

  test('both lists as spreadsheets: the same people', async () => {
    const list = (await staff.get(`/api/v1/communities/${SHILIUQIAO}/quiet?per_page=100`)).json.items;
    const text = await sheetText(staff, `/api/v1/communities/${SHILIUQIAO}/quiet.xlsx`);
    for (const q of list) assert.ok(text.includes(q.name), q.name);
    assert.ok(text.includes('手机号') && text.includes('沉寂天数'));
    const units = (await unit.get('/api/v1/units/2/quiet?per_page=100')).json.items;
    const utext = await sheetText(unit, '/api/v1/units/2/quiet.xlsx');
    for (const q of units) assert.ok(utext.includes(q.name), q.name);
    assert.ok(utext.includes('居住社区') && !utext.includes('手机号'));
  });
});

// The rule's terms as the editor sends them back.
function pick(t) {
  const keys = ['welfare_per_service', 'welfare_per_hour', 'post_per_service', 'post_per_hour', 'activity_per_service',
    'activity_per_hour', 'affairs_per_service', 'affairs_per_hour', 'cap_record', 'cap_day', 'bonus_wish', 'bonus_post',
    'bonus_lead', 'qualified_points', 'qualified_services', 'excellent_points', 'excellent_services', 'pioneer_points',
    'pioneer_services', 'year_min_services', 'star_mode', 'star1', 'star2', 'star3', 'star4', 'star5'];
  return Object.fromEntries(keys.map((k) => [k, t[k]]));
}
// The rule's days at a member's community: 365 under 三元里街道 since the test above, 90 elsewhere.
function quietDaysOf(id) {
  const path = sql(`SELECT r.path FROM member m JOIN region r ON r.code = m.community_code WHERE m.id = ${id}`);
  return path.includes(`/${SANYUANLI}/`) ? 365 : 90;
}

describe('who may read the lists', () => {
  const cases = [
    [`/api/v1/communities/${SHILIUQIAO}/quiet`, { admin: 200, org: 200, staff: 200, unit: 403, member: 403, resident: 403, anon: 401 }],
    [`/api/v1/communities/${SHILIUQIAO}/quiet.xlsx`, { admin: 200, org: 200, staff: 200, unit: 403, member: 403, anon: 401 }],
    [`/api/v1/communities/${FEIE}/quiet`, { org: 200, staff: 404 }],
    [`/api/v1/communities/${FEIE}/quiet.xlsx`, { staff: 404 }],
    [`/api/v1/communities/${SANYUANLI}/quiet`, { admin: 404, org: 404 }],
    ['/api/v1/communities/440104001007/quiet', { admin: 200, org: 404, staff: 404 }],
    ['/api/v1/communities/abc/quiet', { admin: 404 }],
    ['/api/v1/units/2/quiet', { admin: 200, org: 200, unit: 200, staff: 403, member: 403, anon: 401 }],
    ['/api/v1/units/2/quiet.xlsx', { unit: 200, staff: 403 }],
    ['/api/v1/units/1/quiet', { admin: 200, org: 404, unit: 404 }],
    ['/api/v1/units/1/quiet.xlsx', { unit: 404 }],
    ['/api/v1/units/0/quiet', { admin: 404 }],
  ];
  for (const [path, expect] of cases)
    for (const [who, status] of Object.entries(expect))
      test(`GET ${path} as ${who} → ${status}`, async () => {
        const c = who === 'anon' ? new Client(srv.url) : await loginAs(srv, who);
        const r = await c.get(path);
        if (status === 200) assert.equal(r.status, 200, r.text);
        else assertProblem(r, status);
      });

  test('bad pages are refused naming the argument', async () => {
    for (const q of ['page=0', 'per_page=1000', 'page=abc', 'per_page=-1'])
      assertProblem(await staff.get(`/api/v1/communities/${SHILIUQIAO}/quiet?${q}`), 400, 'bad_query', q);
  });
});
