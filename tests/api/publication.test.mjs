// publication.test.mjs: 公示: staff freeze a half-year, the public page without login, a member's objection, an upheld one's correction and the version that shows it, verification; who may do what; hostile input
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, sqlConcat } from '../lib/server.mjs';
import { loginAs, addUser, assertProblem, assertFieldError, assertCleanLog, SHILIUQIAO, SANYUANLI, BAIYUN, FEIE, SANYANJING, HONGQIAO } from './helpers.mjs';
import { DAY, FOUR, sql, items, newFile, memberClient, made } from './records-helpers.mjs';

let srv, item, pub, objection;
const as = {};
let owner, second, third, outsider; // files in 石榴桥社区: owner, second and outsider on their phones; outsider serves nowhere

// The server's clock: 10:00 on 2 December 2026 in China (the second half-year).
const NOW = Date.UTC(2026, 11, 2, 2, 0) / 1000;
const HALF = '2026H2';
let slot = 0;
const when = () => Date.UTC(2026, 10, 20, 0, 0) / 1000 - (slot++) * 3 * 3600;

// A service of 义务理发 (G07: 1 point, 2 an hour), entered and stamped by staff at once.
const served = (file, minutes) => made(as.staff, '/api/v1/records', { member_id: file.id, item_id: item.G07,
  started_at: when(), minutes, place: '社区', content: '理发', confirm: true });

// Every role of the matrix; listed and listed2 are in the publication, outsider is a member who is not.
const ROLES = ['admin', 'org', 'org2', 'staff', 'staff2', 'unit', 'unit2', 'listed', 'listed2', 'outsider', 'resident', 'anon'];
const DENY = { 401: 'unauthenticated', 403: ['forbidden', 'not_listed'], 404: 'not_found', 400: 'bad_query', 409: undefined, 422: 'validation' };
async function matrix(expected, send, what) {
  assert.deepEqual(Object.keys(expected).sort(), [...ROLES].sort(), `${what}: every role named`);
  for (const role of ROLES) {
    const r = await send(as[role], role);
    if (expected[role] < 400) assert.equal(r.status, expected[role], `${what} as ${role}: ${r.text.slice(0, 300)}`);
    else assertProblem(r, expected[role], DENY[expected[role]], `${what} as ${role}`);
  }
}

// What the publication routes could write, for "a refused request changes nothing".
const written = () => sql(srv, `SELECT (SELECT ${sqlConcat("id || ':' || version || ':' || ledger_mark")} FROM publication),
  (SELECT count(*) FROM publication_row), (SELECT count(*) FROM publication_version),
  (SELECT ${sqlConcat("id || state || COALESCE(outcome, '') || answer")} FROM objection),
  (SELECT count(*) FROM ledger_movement)`);

before(async () => {
  srv = await startServer({ clock: NOW });
  addUser(srv, 'staff2', 'staff', { region: SANYANJING });
  addUser(srv, 'org2', 'org', { region: HONGQIAO });
  addUser(srv, 'unit2', 'unit', { unit: Number(sql(srv, "SELECT id FROM unit WHERE name = '穗云科技有限公司'")) });
  for (const l of ['admin', 'org', 'org2', 'staff', 'staff2', 'unit', 'unit2', 'resident']) as[l] = await loginAs(srv, l);
  as.anon = new Client(srv.url);
  item = items(srv);
  const unit = Number(sql(srv, "SELECT id FROM unit WHERE name = '三元里街社区卫生服务中心'"));
  owner = await newFile(as.staff, { unit_id: unit });
  second = await newFile(as.staff);
  third = await newFile(as.staff);
  outsider = await newFile(as.staff);
  as.listed = as.owner = await memberClient(srv, as.staff, owner);
  as.listed2 = as.second = await memberClient(srv, as.staff, second);
  as.outsider = await memberClient(srv, as.staff, outsider);
  await served(owner, 90); // 4
  await served(owner, 120); // 5: 9, 合格
  await served(second, 180); // 7
  await served(third, 60); // 3
});
after(async () => {
  await srv?.stop();
  assertCleanLog(srv.log());
});

describe('staff freeze the half-year; the public page shows it without login, names masked', () => {
  test('staff freeze their community: the ranking is copied with the ledger it saw, audited', async () => {
    const r = await as.staff.post('/api/v1/publications', { region_code: SHILIUQIAO, period: HALF, days: 7 });
    assert.equal(r.status, 201, r.text);
    pub = r.json;
    assert.equal(pub.title, '石榴桥社区2026年下半年在职党员积分公示');
    assert.equal(pub.state, 'open');
    assert.equal(pub.version, 1);
    assert.equal(pub.days, 7);
    assert.equal(pub.closes_at, NOW + 7 * DAY);
    assert.equal(pub.rows, 3);
    assert.equal(pub.ledger_mark, Number(sql(srv, 'SELECT max(id) FROM ledger_movement')));
    assert.equal(pub.can.republish, true);
    assert.equal(pub.public_path, `/m/public/publications/${pub.id}`);
    assert.deepEqual(pub.items.map((x) => [x.rank, x.member_id, x.points, x.tier]),
      [[1, owner.id, 9, 'qualified'], [2, second.id, 7, 'qualified'], [3, third.id, 3, '']]);
    assert.equal(pub.items[0].member_name, owner.name); // the console has the name in clear
    assert.equal(pub.items[0].name, `${owner.name[0]}*${owner.name.at(-1)}`);
    assert.equal(pub.items[0].unit_name, '三元里街社区卫生服务中心');
    assert.equal(sql(srv, `SELECT action || '|' || outcome FROM audit_log WHERE action LIKE 'publication.%'`), 'publication.freeze|ok');
    // One open publication of a half-year per region.
    assertProblem(await as.staff.post('/api/v1/publications', { region_code: SHILIUQIAO, period: HALF }), 409, 'open');
  });

  test('anyone reads the public page without logging in: masked names, units, points and tiers, nothing personal', async () => {
    const r = await as.anon.get(`/api/v1/public/publications/${pub.id}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.title, pub.title);
    assert.equal(r.json.region_name, '石榴桥社区');
    assert.equal(r.json.state, 'open');
    assert.equal(r.json.closes_at, NOW + 7 * DAY);
    assert.deepEqual(r.json.items.map((x) => [x.rank, x.name, x.points, x.tier_label]),
      [[1, `${owner.name[0]}*${owner.name.at(-1)}`, 9, '合格'], [2, `${second.name[0]}*${second.name.at(-1)}`, 7, '合格'],
        [3, `${third.name[0]}*${third.name.at(-1)}`, 3, '未达标']]);
    assert.equal(r.json.items[0].unit_name, '三元里街社区卫生服务中心');
    for (const f of [owner, second, third]) {
      assert.ok(!r.text.includes(f.name), `no full name ${f.name}`);
      assert.ok(!r.text.includes(f.phone), `no phone ${f.phone}`);
    }
    for (const key of ['member_id', 'member_name', 'phone', 'id_number', 'community_code', 'account']) {
      assert.ok(!r.text.includes(`"${key}`), `no ${key} in ${r.text.slice(0, 200)}`);
    }
    // Every key of a public row is one of what a 党务公开栏 shows.
    assert.deepEqual(Object.keys(r.json.items[0]).sort(), ['changed', 'community_name', 'minutes', 'name', 'new', 'points',
      'prev_points', 'prev_tier', 'rank', 'services', 'tier', 'tier_label', 'unit_name']);
    // Paged by position; the poster's QR code leads to the phone's public page.
    const page = await as.anon.get(`/api/v1/public/publications/${pub.id}?limit=2`);
    assert.deepEqual(page.json.items.map((x) => x.rank), [1, 2]);
    const rest = await as.anon.get(`/api/v1/public/publications/${pub.id}?limit=2&after=${page.json.next_after}`);
    assert.deepEqual(rest.json.items.map((x) => x.rank), [3]);
    assert.equal(rest.json.next_after, null);
    const qr = await as.anon.get(`/api/v1/public/publications/${pub.id}/qr.svg`);
    assert.equal(qr.status, 200);
    assert.match(qr.headers.get('content-type'), /^image\/svg\+xml/);
    assert.match(qr.text, /^<svg|<\?xml/);
    assertProblem(await as.anon.get('/api/v1/public/publications/99999'), 404, 'not_found');
    assertProblem(await as.anon.get('/api/v1/public/publications/99999/qr.svg'), 404, 'not_found');
    assertProblem(await as.anon.get('/api/v1/public/publications/abc'), 404);
  });
});

describe('a member objects; staff uphold it with a correction; the re-published version shows what changed', () => {
  test('a listed member objects during the window; one waits at a time; one not listed cannot', async () => {
    const mine = await as.owner.get(`/api/v1/me/objections?publication=${pub.id}`);
    assert.equal(mine.status, 200, mine.text);
    assert.equal(mine.json.publication.listed, true);
    assert.equal(mine.json.publication.can_object, true);
    assert.equal(mine.json.publication.row.points, 9);
    const r = await as.owner.post(`/api/v1/publications/${pub.id}/objections`, { reason: '11月18日的助老服务没有计入积分' });
    assert.equal(r.status, 201, r.text);
    objection = r.json;
    assert.equal(objection.state, 'asked');
    assert.equal(objection.outcome, null);
    assert.equal(objection.member_id, undefined); // the member's own view
    assertProblem(await as.owner.post(`/api/v1/publications/${pub.id}/objections`, { reason: '再提一条' }), 409, 'asked');
    assertProblem(await as.outsider.post(`/api/v1/publications/${pub.id}/objections`, { reason: '我也服务过' }), 403, 'not_listed');
    const after = await as.owner.get(`/api/v1/me/objections?publication=${pub.id}`);
    assert.equal(after.json.publication.can_object, false);
    assert.deepEqual(after.json.items.map((o) => [o.id, o.state]), [[objection.id, 'asked']]);
    const out = await as.outsider.get(`/api/v1/me/objections?publication=${pub.id}`);
    assert.equal(out.json.publication.listed, false);
    assert.equal(out.json.publication.row, null);
    assert.deepEqual((await as.outsider.get('/api/v1/me/objections')).json, { items: [], publication: null });
    // Staff see it on the publication, with the member in clear and the button to answer.
    const p = (await as.staff.get(`/api/v1/publications/${pub.id}`)).json;
    assert.deepEqual(p.objection_list.map((o) => [o.id, o.member_id, o.member_name, o.can.answer]), [[objection.id, owner.id, owner.name, true]]);
    assert.equal(p.objections.waiting, 1);
    // Org reads it but does not answer.
    const o = (await as.org.get(`/api/v1/publications/${pub.id}`)).json;
    assert.equal(o.objection_list[0].can.answer, false);
    assert.equal(o.can.republish, false);
  });

  test('staff uphold it: a correction movement and the standing move together, audited', async () => {
    const before = (await as.owner.get('/api/v1/me/points')).json;
    const r = await as.staff.post(`/api/v1/objections/${objection.id}/answer`, { uphold: true, answer: '经核实补记助老服务 5 分', points: 5 });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.state, 'answered');
    assert.equal(r.json.outcome, 'upheld');
    assert.equal(r.json.points, 5);
    assert.ok(r.json.movement_id > pub.ledger_mark);
    const now = (await as.owner.get('/api/v1/me/points')).json;
    assert.equal(now.points, before.points + 5);
    assert.equal(now.half.points, 14);
    const h = (await as.owner.get('/api/v1/me/points/history')).json.items[0];
    assert.deepEqual([h.id, h.amount, h.source, h.note], [r.json.movement_id, 5, 'correction', '公示异议：经核实补记助老服务 5 分']);
    assert.equal(sql(srv, `SELECT a.kind || '|' || a.region_code || '|' || e.amount FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id
      WHERE e.movement_id = ${r.json.movement_id} AND a.kind = 'issue'`), `issue|${SHILIUQIAO}|-5`);
    assert.equal((await as.admin.get('/api/v1/admin/ledger/verify')).json.ok, true);
    assert.match(sql(srv, `SELECT action || '|' || detail FROM audit_log WHERE action = 'objection.answer'`), /^objection\.answer\|upheld \+5 points/);
    assertProblem(await as.staff.post(`/api/v1/objections/${objection.id}/answer`, { uphold: false, answer: '再答' }), 409, 'answered');
    const mine = (await as.owner.get('/api/v1/me/objections')).json.items[0];
    assert.deepEqual([mine.outcome, mine.answer, mine.points], ['upheld', '经核实补记助老服务 5 分', 5]);
  });

  test('re-published: the new version carries what changed; the public page shows only the latest', async () => {
    const r = await as.staff.post(`/api/v1/publications/${pub.id}/republish`, { note: '按异议更正后重新公示' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.version, 2);
    assert.deepEqual(r.json.versions.map((v) => [v.version, v.rows, v.note]), [[1, 3, ''], [2, 3, '按异议更正后重新公示']]);
    const top = r.json.items[0];
    assert.deepEqual([top.member_id, top.points, top.prev_points, top.changed], [owner.id, 14, 9, true]);
    assert.equal(r.json.items[1].changed, false);
    const pub2 = await as.anon.get(`/api/v1/public/publications/${pub.id}`);
    assert.equal(pub2.json.version, 2);
    assert.deepEqual(pub2.json.items.map((x) => [x.points, x.prev_points, x.changed]), [[14, 9, true], [7, 7, false], [3, 3, false]]);
    // Version 1 is still there for the console.
    const v1 = (await as.staff.get(`/api/v1/publications/${pub.id}?version=1`)).json;
    assert.equal(v1.shown_version, 1);
    assert.equal(v1.items[0].points, 9);
    assert.equal(sql(srv, `SELECT count(*) FROM audit_log WHERE action = 'publication.republish' AND outcome = 'ok'`), '1');
    // A body-less re-publication has no note.
    const again = await as.admin.post(`/api/v1/publications/${pub.id}/republish`);
    assert.equal(again.status, 200, again.text);
    assert.equal(again.json.version, 3);
  });

  test('every version verifies against the ledger; a row changed behind its back is found', async () => {
    for (const v of ['', '?version=1', '?version=2']) {
      const r = await as.staff.get(`/api/v1/publications/${pub.id}/verify${v}`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.ok, true, v);
      assert.equal(r.json.rows, 3);
      assert.equal(r.json.mismatches, 0);
    }
    sql(srv, `UPDATE publication_row SET points = points + 2 WHERE publication_id = ${pub.id} AND version = 3 AND pos = 3`);
    const bad = (await as.staff.get(`/api/v1/publications/${pub.id}/verify`)).json;
    assert.equal(bad.ok, false);
    assert.deepEqual(bad.items.map((m) => [m.member_id, m.published, m.ledger]), [[third.id, 5, 3]]);
    sql(srv, `UPDATE publication_row SET points = points - 2 WHERE publication_id = ${pub.id} AND version = 3 AND pos = 3`);
    assert.equal((await as.staff.get(`/api/v1/publications/${pub.id}/verify`)).json.ok, true);
  });
});

describe('who may do what', () => {
  test('freeze: staff for their community, org for its street or district, admin anywhere', async () => {
    const body = (region_code) => ({ region_code, period: HALF });
    const freeze = (region) => (c) => c.post('/api/v1/publications', body(region));
    await matrix({ admin: 409, org: 403, org2: 422, staff: 409, staff2: 422, unit: 403, unit2: 403, listed: 403, listed2: 403,
      outsider: 403, resident: 403, anon: 401 }, freeze(SHILIUQIAO), 'freeze 石榴桥社区');
    // org: its street; above it (the district) is out of reach; staff never above their community.
    assert.equal((await as.org.post('/api/v1/publications', body(SANYUANLI))).status, 201);
    assertFieldError(await as.org.post('/api/v1/publications', body(BAIYUN)), 'region_code', 'not_found');
    assertFieldError(await as.staff.post('/api/v1/publications', body(SANYUANLI)), 'region_code', 'not_found');
    assertFieldError(await as.admin.post('/api/v1/publications', body('440100000000')), 'region_code', 'level');
    const district = await as.admin.post('/api/v1/publications', body(BAIYUN));
    assert.equal(district.status, 201, district.text);
    assert.equal(district.json.rows, 3); // the district ranks the same members
    assert.ok(Number(sql(srv, "SELECT count(*) FROM audit_log WHERE action = 'publication.freeze' AND outcome = 'denied'")) >= 6);
  });

  test('the list and a publication: those who read the region\'s rankings; out of reach is not there', async () => {
    await matrix({ admin: 200, org: 200, org2: 200, staff: 200, staff2: 200, unit: 403, unit2: 403, listed: 403, listed2: 403,
      outsider: 403, resident: 403, anon: 401 }, (c) => c.get('/api/v1/publications'), 'list');
    const ids = async (c, q = '') => (await c.get(`/api/v1/publications${q}`)).json.items.map((p) => p.region_code);
    assert.deepEqual(await ids(as.staff), [SHILIUQIAO]);
    assert.deepEqual(await ids(as.org), [SANYUANLI, SHILIUQIAO]); // newest first
    assert.deepEqual(await ids(as.admin), [BAIYUN, SANYUANLI, SHILIUQIAO]);
    assert.deepEqual(await ids(as.admin, `?region=${SANYUANLI}&period=${HALF}`), [SANYUANLI, SHILIUQIAO]);
    assert.deepEqual(await ids(as.admin, '?period=2026H1'), []);
    assert.deepEqual(await ids(as.org2), []);
    assert.deepEqual(await ids(as.staff2), []);
    assertProblem(await as.staff2.get(`/api/v1/publications?region=${SHILIUQIAO}`), 400, 'bad_query');
    const one = { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, unit: 403, unit2: 403, listed: 403, listed2: 403,
      outsider: 403, resident: 403, anon: 401 };
    await matrix(one, (c) => c.get(`/api/v1/publications/${pub.id}`), 'read one');
    await matrix(one, (c) => c.get(`/api/v1/publications/${pub.id}/verify`), 'verify');
  });

  test('re-publish: those who may publish there; org reads a community\'s but does not re-publish it', async () => {
    await matrix({ admin: 200, org: 403, org2: 404, staff: 200, staff2: 404, unit: 403, unit2: 403, listed: 403, listed2: 403,
      outsider: 403, resident: 403, anon: 401 }, (c) => c.post(`/api/v1/publications/${pub.id}/republish`), 'republish');
  });

  test('objections: members listed in it; their own list: members', async () => {
    const before = written();
    // listed's first objection was answered: another may come; listed2 objects for the first time.
    await matrix({ admin: 403, org: 403, org2: 403, staff: 403, staff2: 403, unit: 403, unit2: 403, listed: 201, listed2: 201,
      outsider: 403, resident: 403, anon: 401 }, (c) => c.post(`/api/v1/publications/${pub.id}/objections`, { reason: '请核实我的服务次数' }), 'object');
    assert.notEqual(written(), before);
    assert.equal(sql(srv, "SELECT count(*) FROM objection WHERE state = 'asked'"), '2');
    await matrix({ admin: 403, org: 403, org2: 403, staff: 403, staff2: 403, unit: 403, unit2: 403, listed: 200, listed2: 200,
      outsider: 200, resident: 403, anon: 401 }, (c) => c.get('/api/v1/me/objections'), 'my objections');
  });

  test('answers: staff of the member\'s community (and admin); others are refused and nothing changes', async () => {
    const waiting = (await as.second.get('/api/v1/me/objections')).json.items.find((o) => o.state === 'asked');
    assert.ok(waiting);
    const before = written();
    await matrix({ admin: 422, org: 403, org2: 403, staff: 422, staff2: 404, unit: 403, unit2: 403, listed: 403, listed2: 403,
      outsider: 403, resident: 403, anon: 401 }, (c) => c.post(`/api/v1/objections/${waiting.id}/answer`, { uphold: false }), 'answer without a reason');
    assert.equal(written(), before);
    const r = await as.staff.post(`/api/v1/objections/${waiting.id}/answer`, { uphold: false, answer: '经核对，服务次数无误' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.outcome, 'dismissed');
    assert.equal(r.json.movement_id, null);
    assert.equal(r.json.points, null);
    assertProblem(await as.staff.post('/api/v1/objections/99999/answer', { uphold: false, answer: '无' }), 404, 'not_found');
  });

  test('the public page: everyone, signed in or not', async () => {
    await matrix(Object.fromEntries(ROLES.map((r) => [r, 200])), (c) => c.get(`/api/v1/public/publications/${pub.id}`), 'public');
  });
});

describe('hostile input is refused field by field, and nothing is written', () => {
  test('freezing', async () => {
    const before = written();
    const freeze = (b) => as.staff.post('/api/v1/publications', { region_code: SHILIUQIAO, period: HALF, ...b });
    assertProblem(await as.staff.post('/api/v1/publications', '{"region_code":'), 400);
    assertProblem(await as.staff.post('/api/v1/publications', '[1]'), [400, 422]);
    assertProblem(await as.staff.post('/api/v1/publications', 'region_code=1', { 'Content-Type': 'application/x-www-form-urlencoded' }), 415);
    assertFieldError(await freeze({ bogus: 1 }), 'bogus', 'unknown');
    assertFieldError(await freeze({ region_code: 440111002011 }), 'region_code', 'type');
    assertFieldError(await freeze({ region_code: FOUR.repeat(19) }), 'region_code', 'too_long');
    assertFieldError(await freeze({ region_code: "440111002011' OR 1=1 --" }), 'region_code');
    assertFieldError(await freeze({ period: '2026H3' }), 'period', 'format');
    assertFieldError(await freeze({ period: '2027H1' }), 'period', 'future');
    assertFieldError(await freeze({ period: '2026' }), 'period', 'format');
    assertFieldError(await freeze({ period: undefined }), 'period', 'required');
    assertFieldError(await freeze({ days: 0 }), 'days', 'too_small');
    assertFieldError(await freeze({ days: 31 }), 'days', 'too_large');
    assertFieldError(await freeze({ days: '7' }), 'days', 'type');
    assertFieldError(await freeze({ days: 2.5 }), 'days', 'type');
    assertFieldError(await freeze({ title: FOUR.repeat(61) }), 'title', 'too_long');
    assertFieldError(await freeze({ title: 7 }), 'title', 'type');
    assert.equal(written(), before);
    // A title of 60 four-byte characters is kept whole (飞鹅新村社区, by admin).
    const r = await as.admin.post('/api/v1/publications', { region_code: FEIE, period: HALF, title: FOUR.repeat(60), days: 30 });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.title, FOUR.repeat(60));
    assert.equal(r.json.rows, 0);
    assert.equal((await as.anon.get(`/api/v1/public/publications/${r.json.id}`)).json.title, FOUR.repeat(60));
  });

  test('objecting and answering', async () => {
    const before = written();
    const object = (b) => as.second.post(`/api/v1/publications/${pub.id}/objections`, b);
    assertProblem(await as.second.post(`/api/v1/publications/${pub.id}/objections`, '{"reason"'), 400);
    assertFieldError(await object({}), 'reason', 'required');
    assertFieldError(await object({ reason: '短' }), 'reason', 'too_short');
    assertFieldError(await object({ reason: FOUR.repeat(201) }), 'reason', 'too_long');
    assertFieldError(await object({ reason: ['理由'] }), 'reason', 'type');
    assertFieldError(await object({ reason: '请核实', member_id: owner.id }), 'member_id', 'unknown');
    assertProblem(await as.second.post('/api/v1/publications/99999/objections', { reason: '请核实' }), 404, 'not_found');
    assertProblem(await as.second.post('/api/v1/publications/0/objections', { reason: '请核实' }), 404);
    assert.equal(written(), before);
    const ok = await object({ reason: FOUR.repeat(200) });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.json.reason, FOUR.repeat(200));
    const id = ok.json.id;
    const mark = written();
    const answer = (b) => as.staff.post(`/api/v1/objections/${id}/answer`, b);
    assertProblem(await as.staff.post(`/api/v1/objections/${id}/answer`, 'uphold=1', { 'Content-Type': 'text/plain' }), 415);
    assertFieldError(await answer({ answer: '无' }), 'uphold', 'required');
    assertFieldError(await answer({ uphold: 'yes', answer: '无' }), 'uphold', 'type');
    assertFieldError(await answer({ uphold: true, answer: '核实' }), 'points', 'required');
    assertFieldError(await answer({ uphold: true, answer: '核实', points: 1001 }), 'points', 'too_large');
    assertFieldError(await answer({ uphold: true, answer: '核实', points: -1001 }), 'points', 'too_small');
    assertFieldError(await answer({ uphold: true, answer: '核实', points: '5' }), 'points', 'type');
    assertFieldError(await answer({ uphold: true, answer: '核实', points: -100 }), 'points', 'too_small'); // below nothing
    assertFieldError(await answer({ uphold: false, answer: '无误', points: 3 }), 'points', 'unexpected');
    assertFieldError(await answer({ uphold: false, answer: FOUR.repeat(191) }), 'answer', 'too_long');
    assertFieldError(await answer({ uphold: false, answer: '' }), 'answer', 'required');
    assertFieldError(await answer({ uphold: false, answer: '无误', extra: 1 }), 'extra', 'unknown');
    assert.equal(written(), mark);
    const done = await answer({ uphold: false, answer: FOUR.repeat(190) });
    assert.equal(done.status, 200, done.text);
    assert.equal(done.json.answer, FOUR.repeat(190));
  });

  test('queries', async () => {
    for (const q of ['?version=0', '?version=99', '?limit=0', '?limit=501', '?after=-1', '?after=x']) {
      assertProblem(await as.staff.get(`/api/v1/publications/${pub.id}${q}`), 400, 'bad_query', q);
    }
    assertProblem(await as.anon.get(`/api/v1/public/publications/${pub.id}?limit=501`), 400, 'bad_query');
    assertProblem(await as.staff.get(`/api/v1/publications/${pub.id}/verify?version=99`), 400, 'bad_query');
    for (const q of ['?period=2026H3', '?period=2026', '?region=abc', `?region=${FOUR.repeat(19)}`, '?per_page=1000']) {
      assertProblem(await as.staff.get(`/api/v1/publications${q}`), 400, 'bad_query', q);
    }
    assertProblem(await as.owner.get('/api/v1/me/objections?publication=0'), 400, 'bad_query');
    assertProblem(await as.owner.get('/api/v1/me/objections?publication=99999'), 404, 'not_found');
    assertProblem(await as.staff.get('/api/v1/publications/abc'), 404);
  });
});

// Last: the window closes (every session goes idle meanwhile: sign in again).
describe('after the window: final, kept, and verified', () => {
  test('no more objections; nothing to re-publish; the final numbers verify', async () => {
    srv.setClock(NOW + 7 * DAY);
    const staff = await loginAs(srv, 'staff');
    const phone = new Client(srv.url);
    await phone.login(owner.phone, 'Member-own-password-1');
    const p = await phone.get(`/api/v1/public/publications/${pub.id}`);
    assert.equal(p.json.state, 'final');
    assertProblem(await phone.post(`/api/v1/publications/${pub.id}/objections`, { reason: '公示结束后才看到' }), 409, 'closed');
    assert.equal((await phone.get(`/api/v1/me/objections?publication=${pub.id}`)).json.publication.can_object, false);
    const detail = (await staff.get(`/api/v1/publications/${pub.id}`)).json;
    assert.equal(detail.state, 'final');
    assert.equal(detail.can.republish, false);
    assertProblem(await staff.post(`/api/v1/publications/${pub.id}/republish`), 409, 'closed');
    const v = (await staff.get(`/api/v1/publications/${pub.id}/verify`)).json;
    assert.equal(v.ok, true);
    assert.equal(v.version, detail.version);
    // The next one for the half-year may now be frozen.
    const next = await staff.post('/api/v1/publications', { region_code: SHILIUQIAO, period: HALF, days: 3 });
    assert.equal(next.status, 201, next.text);
  });
});
