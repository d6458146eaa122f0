// earning.test.mjs: what confirmed service earns: points and hours on the member's page, rankings, rule versions and their preview, the ledger check
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { loginAs, addUser, assertProblem, assertFieldError, assertCleanLog, SHILIUQIAO, SANYUANLI, BAIYUN, CITY, SANYANJING, HONGQIAO } from './helpers.mjs';
import { DAY, FOUR, sql, items, newFile, memberClient, report, made } from './records-helpers.mjs';

let srv, item;
const as = {};
let owner, second, third; // files in 石榴桥社区 with accounts: owner and second on their phones

// The server's clock: 10:00 on 2 December 2026 in China, so that every service here falls in one half-year.
const NOW = Date.UTC(2026, 11, 2, 2, 0) / 1000;
// Start times no two services share: 3-hour slots going back from 08:00 on 20 November.
let slot = 0;
const when = () => Date.UTC(2026, 10, 20, 0, 0) / 1000 - (slot++) * 3 * 3600;
// China's date of a Unix time.
const day = (t) => new Date((t + 8 * 3600) * 1000).toISOString().slice(0, 10);
const TODAY = day(NOW), TOMORROW = day(NOW + DAY);
const HALF = `${TODAY.slice(0, 4)}H${TODAY.slice(5, 7) < '07' ? 1 : 2}`;

// The default rule as the rule editor sends it back, changed by over.
const DEFAULT = {
  welfare_per_service: 1, welfare_per_hour: 2, post_per_service: 1, post_per_hour: 1, activity_per_service: 1,
  activity_per_hour: 2, affairs_per_service: 1, affairs_per_hour: 1, cap_record: 10, cap_day: 20, bonus_wish: 5,
  bonus_post: 10, bonus_lead: 3, qualified_points: 6, qualified_services: 1, excellent_points: 20, excellent_services: 3,
  pioneer_points: 40, pioneer_services: 6, year_min_services: 2, star_mode: 'shares', star1: 10, star2: 20, star3: 30,
  star4: 30, star5: 10,
};
const version = (over = {}) => ({ region_code: SANYUANLI, effective_on: TOMORROW, note: '三元里街道积分细则', ...DEFAULT, ...over });

// A service of item G07 (义务理发, no extra fields) this half-year, entered and stamped by staff at once.
async function served(file, minutes, started_at = when()) {
  return made(as.staff, '/api/v1/records', { member_id: file.id, item_id: item.G07, started_at, minutes, place: '社区', content: '理发', confirm: true });
}

before(async () => {
  srv = await startServer({ clock: NOW });
  addUser(srv, 'staff2', 'staff', { region: SANYANJING });
  addUser(srv, 'org2', 'org', { region: HONGQIAO });
  for (const l of ['admin', 'org', 'org2', 'staff', 'staff2', 'unit', 'resident']) as[l] = await loginAs(srv, l);
  as.anon = new Client(srv.url);
  item = items(srv);
  owner = await newFile(as.staff);
  second = await newFile(as.staff);
  third = await newFile(as.staff);
  as.owner = await memberClient(srv, as.staff, owner);
  as.second = await memberClient(srv, as.staff, second);
});
after(async () => {
  await srv?.stop();
  assertCleanLog(srv.log());
});

const points = async (who, path = '/api/v1/me/points') => {
  const r = await who.get(path);
  assert.equal(r.status, 200, r.text);
  return r.json;
};

describe('a member sees what the community confirmed: balances, the half-year, rank and what is missing', () => {
  test('before any service: nothing earned, and what 合格 asks', async () => {
    const p = await points(as.owner);
    assert.equal(p.points, 0);
    assert.equal(p.minutes, 0);
    assert.equal(p.half, null);
    assert.equal(p.rank.community, null);
    assert.equal(p.next.tier, 'qualified');
    assert.equal(p.next.text, '再服务 1 次、积 6 分可达合格');
    assert.equal(p.stars.below_minimum, true);
  });

  test('a pending record earns nothing; its confirmation moves points, hours and the standing together', async () => {
    const pending = await made(as.owner, '/api/v1/me/records', report(item.G07, { minutes: 90, started_at: when() }));
    assert.equal((await points(as.owner)).points, 0);
    const ok = await as.staff.post(`/api/v1/records/${pending.id}/confirm`);
    assert.equal(ok.status, 200, ok.text);
    const p = await points(as.owner);
    assert.equal(p.points, 4); // 1 a service + 90 minutes at 2 an hour
    assert.equal(p.minutes, 90);
    assert.equal(p.half.points, 4);
    assert.equal(p.half.services, 1);
    assert.equal(p.half.tier, '');
    assert.equal(p.half.tier_label, '未达标');
    assert.equal(p.rank.community, 1);
    assert.equal(p.rank.community_of, 1);
    assert.equal(p.next.text, '再积 2 分可达合格');
    const h = (await as.owner.get('/api/v1/me/points/history')).json;
    assert.deepEqual(h.items.map((l) => [l.amount, l.source, l.record_id, l.item_name]), [[4, 'record', pending.id, '义务理发']]);
    const hours = (await as.owner.get('/api/v1/me/points/history?book=hours')).json;
    assert.deepEqual(hours.items.map((l) => l.amount), [90]);
    // Staff read the same on the member's file.
    assert.deepEqual(await points(as.staff, `/api/v1/members/${owner.id}/points`), p);
  });

  test('a correction moves the difference, naming what it corrects; a reversal takes it all back', async () => {
    const r = await served(owner, 60); // 3 points
    const before = (await points(as.owner)).points;
    const fix = await as.staff.post(`/api/v1/records/${r.id}/corrections`, { minutes: 0, reason: '当天未到场' });
    assert.equal(fix.status, 201, fix.text);
    const p = await points(as.owner);
    assert.equal(p.points, before - 3);
    const h = (await as.owner.get('/api/v1/me/points/history')).json.items;
    assert.equal(h[0].source, 'correction');
    assert.equal(h[0].amount, -3);
    assert.equal(h[0].corrects_id, h[1].id);
    assert.equal(h[1].record_id, r.id);
  });

  test('the ledgers stay balanced, and admin alone may check them', async () => {
    const v = await as.admin.get('/api/v1/admin/ledger/verify');
    assert.equal(v.status, 200, v.text);
    assert.equal(v.json.ok, true);
    assert.ok(v.json.movements >= 4);
    assert.equal(v.json.unbalanced, 0);
    assert.equal(v.json.wrong_balances, 0);
    for (const l of ['org', 'staff', 'unit', 'owner', 'resident']) assertProblem(await as[l].get('/api/v1/admin/ledger/verify'), 403, 'forbidden', l);
    // The command line says the same; a balance changed behind the ledger's back is found by both.
    assert.match(srv.cli(['ledger', 'verify']), /^ok: \d+ movements/);
    sql(srv, `UPDATE ledger_account SET balance = balance + 1 WHERE member_id = ${owner.id} AND book = 'points'`);
    const broken = (await as.admin.get('/api/v1/admin/ledger/verify')).json;
    assert.equal(broken.ok, false);
    assert.equal(broken.wrong_balances, 1);
    assert.throws(() => srv.cli(['ledger', 'verify']), (e) => e.status === 1 && /^BROKEN: 0 unbalanced movements/.test(e.stdout));
    sql(srv, `UPDATE ledger_account SET balance = balance - 1 WHERE member_id = ${owner.id} AND book = 'points'`);
    assert.equal((await as.admin.get('/api/v1/admin/ledger/verify')).json.ok, true);
    assertProblem(await as.anon.get('/api/v1/admin/ledger/verify'), 401, 'unauthenticated');
  });
});

describe('rankings (排名) of a community, street, district and city, most points first, ties sharing a rank', () => {
  before(async () => {
    // owner has 4; second and third get 4 and 7.
    await served(second, 90);
    await served(third, 180);
  });

  test('the community ranks its members; ties share a rank and the next is counted after them', async () => {
    const r = await as.staff.get(`/api/v1/standings?region=${SHILIUQIAO}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.period, HALF);
    assert.equal(r.json.level, 'community');
    assert.deepEqual(r.json.items.map((s) => [s.member_id, s.points, s.rank]), [[third.id, 7, 1], [owner.id, 4, 2], [second.id, 4, 2]]);
    assert.equal(r.json.total, 3);
    assert.deepEqual(r.json.tiers, { none: 2, qualified: 1, excellent: 0, pioneer: 0 });
    assert.equal(r.json.next, null);
    assert.equal((await points(as.second)).rank.community, 2);
  });

  test('a page goes on after the last row it gave, keeping ranks', async () => {
    const first = (await as.staff.get(`/api/v1/standings?region=${SHILIUQIAO}&limit=2`)).json;
    assert.deepEqual(first.items.map((s) => s.rank), [1, 2]);
    const { after_points, after_member } = first.next;
    const rest = (await as.staff.get(`/api/v1/standings?region=${SHILIUQIAO}&limit=2&after_points=${after_points}&after_member=${after_member}`)).json;
    assert.deepEqual(rest.items.map((s) => [s.member_id, s.rank]), [[second.id, 2]]);
  });

  test('the street, district and city rank the same members; a year is a period too', async () => {
    for (const code of [SANYUANLI, BAIYUN, CITY]) {
      const r = await as.admin.get(`/api/v1/standings?region=${code}&period=${TODAY.slice(0, 4)}`);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.items.map((s) => s.member_id).slice(0, 1), [third.id]);
    }
    const org = await as.org.get(`/api/v1/standings?region=${SANYUANLI}`);
    assert.equal(org.status, 200, org.text);
  });

  test('who may read which ranking: out of reach reads as not there', async () => {
    const expect = { admin: 200, org: 200, org2: 400, staff: 200, staff2: 400, unit: 403, owner: 403, resident: 403, anon: 401 };
    for (const [l, status] of Object.entries(expect)) {
      const r = await as[l].get(`/api/v1/standings?region=${SHILIUQIAO}`);
      if (status === 200) assert.equal(r.status, 200, `${l} ${r.text}`);
      else if (status === 400) assertProblem(r, 400, 'bad_query', l);
      else assertProblem(r, status, undefined, l);
    }
    assertProblem(await as.org.get(`/api/v1/standings?region=${BAIYUN}`), 400, 'bad_query', 'the district is above the street');
  });

  test('bad queries are named', async () => {
    for (const q of ['', `region=${SHILIUQIAO}&period=2026H3`, `region=${SHILIUQIAO}&period=26`, 'region=abc',
      `region=${SHILIUQIAO}&limit=0`, `region=${SHILIUQIAO}&limit=101`, `region=${SHILIUQIAO}&after_member=-1`,
      `region=${SHILIUQIAO}&after_points=x`, `region=${FOUR.repeat(19)}`]) {
      assertProblem(await as.admin.get(`/api/v1/standings?${q}`), 400, 'bad_query', q);
    }
  });
});

describe('rules (积分规则): versions by region and date, never re-pricing the past, previewed before saved', () => {
  test('the rules in force: the default, then each region down to the one asked', async () => {
    const r = await as.staff.get(`/api/v1/rules?region=${SHILIUQIAO}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.today, TODAY);
    assert.equal(r.json.in_force.region_code, null);
    assert.equal(r.json.in_force.terms.welfare_per_hour, 2);
    assert.deepEqual(r.json.levels.map((l) => l.level), [null, 'city', 'district', 'street']);
    assert.deepEqual(r.json.levels.map((l) => l.editable), [false, false, false, false]);
    const org = (await as.org.get(`/api/v1/rules?region=${SANYUANLI}`)).json;
    assert.deepEqual(org.levels.map((l) => l.editable), [false, false, false, true]);
    assertProblem(await as.staff2.get(`/api/v1/rules?region=${SHILIUQIAO}`), 400, 'bad_query');
    assertProblem(await as.owner.get(`/api/v1/rules?region=${SHILIUQIAO}`), 403, 'forbidden');
    assertProblem(await as.staff.get('/api/v1/rules'), 400, 'bad_query');
    assert.equal((await as.admin.get('/api/v1/rules')).json.levels.length, 1);
  });

  test('a version from today would re-price today: refused; from tomorrow it is saved and audited', async () => {
    assertFieldError(await as.org.post('/api/v1/rules', version({ effective_on: TODAY })), 'effective_on', 'too_small');
    assertFieldError(await as.org.post('/api/v1/rules', version({ effective_on: '2026-02-30' })), 'effective_on', 'format');
    const r = await as.org.post('/api/v1/rules', version({ qualified_points: 4, welfare_per_service: 5 }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.rule.region_code, SANYUANLI);
    assert.equal(r.json.rule.effective_on, TOMORROW);
    assert.equal(r.json.rule.terms.qualified_points, 4);
    // The half-year's tiers follow the rule of its last day: owner and second (4 points) are 合格 now.
    assert.equal(r.json.retiered, 2);
    assert.equal((await points(as.owner)).half.tier, 'qualified');
    assert.equal(sql(srv, `SELECT action || '|' || target_id FROM audit_log WHERE action = 'rule.create'`), `rule.create|${r.json.rule.id}`);
    // Today's services are still priced by the default: 1 + 2 an hour, not 5 + 2.
    const before = (await points(as.staff, `/api/v1/members/${third.id}/points`)).points;
    await served(third, 60, NOW - 3 * 3600 - 17 * 60);
    assert.equal((await points(as.staff, `/api/v1/members/${third.id}/points`)).points, before + 3);
  });

  test('a preview tells what the version would do to the half-year, and writes nothing', async () => {
    const count = sql(srv, 'SELECT count(*) FROM rule_version');
    const audits = sql(srv, 'SELECT count(*) FROM audit_log');
    const r = await as.org.post('/api/v1/rules/preview', version({ qualified_points: 100, qualified_services: 1, excellent_points: 100, pioneer_points: 100 }));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.period, HALF);
    assert.equal(r.json.total, 3);
    assert.equal(r.json.after.none, 3);
    assert.ok(r.json.before.none < 3);
    assert.equal(sql(srv, 'SELECT count(*) FROM rule_version'), count);
    assert.equal(sql(srv, 'SELECT count(*) FROM audit_log'), audits);
  });

  test('who may add a version where: org for its own city, district or street; admin anywhere and the default', async () => {
    assertFieldError(await as.org.post('/api/v1/rules', version({ region_code: BAIYUN })), 'region_code', 'not_found');
    assertFieldError(await as.org2.post('/api/v1/rules', version()), 'region_code', 'not_found');
    assertFieldError(await as.admin.post('/api/v1/rules', version({ region_code: SHILIUQIAO })), 'region_code', 'level');
    assertProblem(await as.org.post('/api/v1/rules', version({ region_code: '' })), 403, 'forbidden');
    for (const l of ['staff', 'unit', 'owner', 'resident']) {
      assertProblem(await as[l].post('/api/v1/rules', version()), 403, 'forbidden', l);
      assertProblem(await as[l].post('/api/v1/rules/preview', version()), 403, 'forbidden', l);
    }
    assertProblem(await as.anon.post('/api/v1/rules', version()), 401);
    const dflt = await as.admin.post('/api/v1/rules', version({ region_code: undefined, effective_on: day(NOW + 30 * DAY) }));
    assert.equal(dflt.status, 201, dflt.text);
    assert.equal(dflt.json.rule.region_code, null);
  });

  test('hostile and faulty versions are refused field by field, and nothing is saved', async () => {
    const count = sql(srv, 'SELECT count(*) FROM rule_version');
    assertFieldError(await as.org.post('/api/v1/rules', version({ welfare_per_hour: -1 })), 'welfare_per_hour');
    assertFieldError(await as.org.post('/api/v1/rules', version({ cap_day: 10001 })), 'cap_day');
    assertFieldError(await as.org.post('/api/v1/rules', version({ cap_day: '20' })), 'cap_day', 'type');
    assertFieldError(await as.org.post('/api/v1/rules', version({ cap_day: 2.5 })), 'cap_day');
    assertFieldError(await as.org.post('/api/v1/rules', version({ excellent_points: 5 })), 'excellent_points', 'order');
    assertFieldError(await as.org.post('/api/v1/rules', version({ star5: 11 })), 'star5', 'sum');
    assertFieldError(await as.org.post('/api/v1/rules', version({ star_mode: 'votes' })), 'star_mode');
    assertFieldError(await as.org.post('/api/v1/rules', version({ star_mode: 'thresholds' })), 'star4', 'order');
    assertFieldError(await as.org.post('/api/v1/rules', version({ bogus: 1 })), 'bogus', 'unknown');
    assertFieldError(await as.org.post('/api/v1/rules', version({ note: FOUR.repeat(201) })), 'note', 'too_long');
    const { pioneer_services, ...missing } = version();
    assertFieldError(await as.org.post('/api/v1/rules', missing), 'pioneer_services', 'required');
    assertProblem(await as.org.post('/api/v1/rules', '{"region_code":'), 400);
    assert.equal(sql(srv, 'SELECT count(*) FROM rule_version'), count);
    // A note of 200 four-byte characters is kept whole.
    const r = await as.org.post('/api/v1/rules', version({ note: FOUR.repeat(200), effective_on: day(NOW + 40 * DAY) }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.rule.note, FOUR.repeat(200));
  });
});

describe('who may read a member\'s points', () => {
  test('the member, and those who may read the file; others are told it is not there', async () => {
    const expect = { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, unit: 404, second: 403, resident: 403, anon: 401 };
    for (const [l, status] of Object.entries(expect)) {
      for (const path of [`/api/v1/members/${owner.id}/points`, `/api/v1/members/${owner.id}/points/history`]) {
        const r = await as[l].get(path);
        if (status === 200) assert.equal(r.status, 200, `${l} ${path} ${r.text}`);
        else assertProblem(r, status, undefined, `${l} ${path}`);
      }
    }
    assertProblem(await as.staff.get('/api/v1/members/99999/points'), 404, 'not_found');
    assertProblem(await as.staff.get(`/api/v1/members/${owner.id}/points/history?book=gold`), 400, 'bad_query');
    assertProblem(await as.staff.get(`/api/v1/members/${owner.id}/points/history?before=0`), 400, 'bad_query');
    for (const l of ['staff', 'org', 'unit', 'resident']) assertProblem(await as[l].get('/api/v1/me/points'), 403, 'forbidden', l);
    assertProblem(await as.anon.get('/api/v1/me/points/history'), 401);
  });
});

// Last: the clock moves on a day, and every session of the tests above goes idle.
describe('a version in force', () => {
  test('from its day on, the new version prices services of that day', async () => {
    srv.setClock(NOW + DAY); // every session has gone idle meanwhile: sign in again
    const staff = await loginAs(srv, 'staff');
    const phone = new Client(srv.url);
    await phone.login(second.phone, 'Member-own-password-1');
    const r = await made(staff, '/api/v1/records', { member_id: second.id, item_id: item.G07, started_at: NOW + DAY - 3 * 3600,
      minutes: 60, place: '社区', content: '理发', confirm: true });
    const h = (await phone.get('/api/v1/me/points/history')).json.items;
    assert.equal(h[0].record_id, r.id);
    assert.equal(h[0].amount, 5 + 2);
    const rules = (await staff.get(`/api/v1/rules?region=${SHILIUQIAO}`)).json;
    assert.equal(rules.in_force.region_code, SANYUANLI);
  });
});
