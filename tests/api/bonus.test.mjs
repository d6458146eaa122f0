// bonus.test.mjs: bonuses (奖励分) staff give under the rule in force: a micro-wish, a post held the whole half-year, an activity led; once each; every role; hostile input
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { assertProblem, assertFieldError, assertCleanLog, validIdNumber, SHILIUQIAO, FEIE, SANYUANLI } from './helpers.mjs';
import { FOUR, sql, items } from './records-helpers.mjs';
import { UNIT, everyone, signIn, matrix, unitFile, phoneOf } from './feedback-people.mjs';

const HOUR = 3600, DAY = 86400;
// 10:00 on 20 June 2026 in China (2026H1); the tests move to 5 July (2026H2) once the post is held and the activity planned.
const JUNE20 = Date.UTC(2026, 5, 20, 2, 0) / 1000;
const JULY5 = Date.UTC(2026, 6, 5, 2, 0) / 1000;

let srv, as, item, leader, helper, newcomer, far, waiting, post, team, led, soon, elsewhere;
const give = (who, file, body) => who.post(`/api/v1/members/${file.id}/bonuses`, body);
const list = async (who, file) => {
  const r = await who.get(`/api/v1/members/${file.id}/bonuses`);
  assert.equal(r.status, 200, r.text);
  return r.json.items;
};
// 409: given already for that kind and ref, naming ref.
const duplicate = (r) => assert.deepEqual(assertProblem(r, 409, 'conflict').errors.map((e) => [e.field, e.code]), [['ref', 'duplicate']]);
const points = async (file) => (await as.staff.get(`/api/v1/members/${file.id}/points`)).json;
const written = () => sql(srv, "SELECT (SELECT count(*) FROM bonus), (SELECT count(*) FROM ledger_movement), (SELECT count(*) FROM audit_log WHERE action = 'bonus.give' AND outcome = 'ok')");
const activity = (who, over) => who.post('/api/v1/activities', {
  community_code: SHILIUQIAO, organiser: 'team', team_id: team.id, item_id: item.A01, title: '楼道清理', description: '清理楼道杂物',
  place: '社区党群服务中心门前', capacity: 10, audience: 'community', publish: true, ...over,
});

before(async () => {
  srv = await startServer({ clock: JUNE20 });
  as = await everyone(srv);
  item = items(srv);
  // 石榴桥社区: the team's leader (of unit 2, with a phone), a helper, a newcomer who takes the post in July; 飞鹅's one.
  leader = await unitFile(as.staff, '奖励甲', UNIT);
  helper = await unitFile(as.staff, '奖励乙', UNIT);
  newcomer = await unitFile(as.staff, '奖励丙', 0);
  far = await unitFile(as.staff2, '奖励丁', UNIT, FEIE);
  as.member = await phoneOf(srv, as.staff, leader);
  as.newcomer = await phoneOf(srv, as.staff, newcomer);
  const w = await as.unit.post('/api/v1/members', { name: '奖励戊', phone: '13912349876', id_number: validIdNumber('19880101', 123), community_code: SHILIUQIAO, unit_id: UNIT });
  assert.equal(w.status, 201, w.text);
  waiting = w.json.member; // entered by the unit: waiting for the community
  // The post, held by the leader since June.
  const p = await as.staff.post('/api/v1/posts', { community_code: SHILIUQIAO, item_id: item.P01, name: '1栋楼栋长', duties: '每月走访', places: 2, starts_on: '2026-06-01' });
  assert.equal(p.status, 201, p.text);
  post = p.json;
  const c = await as.member.post(`/api/v1/posts/${post.id}/claims`, { note: '我住1栋' });
  assert.equal(c.status, 201, c.text);
  assert.equal((await as.staff.post(`/api/v1/post-claims/${c.json.id}/approve`)).status, 200);
  // The team the leader leads; an activity the leader organises on the phone for 21 June, another the staff set for 10 July.
  const t = await as.staff.post('/api/v1/teams', { region_code: SHILIUQIAO, name: '石榴桥党员突击队', specialty: '医疗', description: '应急', leader_id: leader.id });
  assert.equal(t.status, 201, t.text);
  team = t.json;
  const june21 = JUNE20 + DAY - HOUR;
  let r = await activity(as.member, { starts_at: june21, ends_at: june21 + 2 * HOUR });
  assert.equal(r.status, 201, r.text);
  led = r.json;
  r = await activity(as.staff, { starts_at: JULY5 + 5 * DAY, ends_at: JULY5 + 5 * DAY + 2 * HOUR, title: '防汛巡逻' });
  assert.equal(r.status, 201, r.text);
  soon = r.json;
  r = await as.staff2.post('/api/v1/activities', { community_code: FEIE, organiser: 'community', item_id: item.A01, title: '飞鹅清扫', description: '清扫',
    place: '飞鹅', capacity: 10, audience: 'community', publish: true, starts_at: june21, ends_at: june21 + HOUR });
  assert.equal(r.status, 201, r.text);
  elsewhere = r.json;
  srv.setClock(JULY5);
  await signIn(as);
  const late = await as.newcomer.post(`/api/v1/posts/${post.id}/claims`, { note: '七月接任' });
  assert.equal((await as.staff.post(`/api/v1/post-claims/${late.json.id}/approve`)).status, 200);
});
after(async () => {
  await srv?.stop();
  assertCleanLog(srv.log());
});

describe('what a bonus is worth and where it goes', () => {
  test('a micro-wish: the rule\'s points, from the community into the member\'s points and standings, no service counted', async () => {
    const before = await points(helper);
    const r = await give(as.staff, helper, { kind: 'wish', reason: '帮助独居老人圆梦：修好收音机' });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual([r.json.kind, r.json.points, r.json.ref, r.json.period, r.json.community_name, r.json.created_by_name, r.json.rule_effective_on],
      ['wish', 5, null, '2026H2', '石榴桥社区', '石榴桥社区党委 李社工', '2000-01-01']);
    const after = await points(helper);
    assert.equal(after.points, before.points + 5);
    assert.equal(after.half.points, 5);
    assert.equal(after.half.services, 0, 'a bonus is not a service');
    const h = (await as.staff.get(`/api/v1/members/${helper.id}/points/history`)).json.items;
    assert.deepEqual([h[0].source, h[0].amount, h[0].rule_id, h[0].note], ['bonus', 5, r.json.rule_id, '帮助独居老人圆梦：修好收音机']);
    assert.equal(h[0].id, r.json.movement_id);
    // It counts in the rankings and in the unit's feedback.
    const rank = (await as.staff.get(`/api/v1/standings?region=${SHILIUQIAO}`)).json.items;
    assert.equal(rank.find((s) => s.member_id === helper.id).points, 5);
    assert.equal((await as.unit.get(`/api/v1/units/${UNIT}/feedback`)).json.items.find((i) => i.member_id === helper.id).points, 5);
  });

  test('a post held the whole half-year: once per post and half-year; a holder since July has not held it', async () => {
    const r = await give(as.staff, leader, { kind: 'post', ref: post.id, reason: '1栋楼栋长全程在岗' });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual([r.json.points, r.json.ref, r.json.ref_name], [10, post.id, '1栋楼栋长']);
    duplicate(await give(as.staff, leader, { kind: 'post', ref: post.id, reason: '再来一次' }));
    assertFieldError(await give(as.staff, newcomer, { kind: 'post', ref: post.id, reason: '七月接任' }), 'ref', 'not_held');
    assertFieldError(await give(as.staff, helper, { kind: 'post', ref: post.id, reason: '没有认领' }), 'ref', 'not_held');
    assertFieldError(await give(as.staff, leader, { kind: 'post', ref: 999999, reason: '没有这个岗位' }), 'ref', 'not_found');
  });

  test('an activity led: its organiser or the leader of the team that ran it, once it is over', async () => {
    const r = await give(as.staff, leader, { kind: 'lead', ref: led.id, reason: '牵头组织楼道清理' });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual([r.json.points, r.json.ref_name], [3, '楼道清理']);
    duplicate(await give(as.staff, leader, { kind: 'lead', ref: led.id, reason: '再来一次' }));
    assertFieldError(await give(as.staff, helper, { kind: 'lead', ref: led.id, reason: '只是参加' }), 'ref', 'not_led');
    assertFieldError(await give(as.staff, leader, { kind: 'lead', ref: soon.id, reason: '还没办' }), 'ref', 'not_over');
    assert.equal((await as.staff.post(`/api/v1/activities/${soon.id}/cancel`, { reason: '台风停办' })).status, 200);
    assertFieldError(await give(as.staff, leader, { kind: 'lead', ref: soon.id, reason: '停办了' }), 'ref', 'cancelled');
    assertFieldError(await give(as.staff, leader, { kind: 'lead', ref: elsewhere.id, reason: '别的社区' }), 'ref', 'not_found');
    // A new leader of the team counts as its leader too; the one who organised it keeps the bonus given.
    const t = await as.staff.put(`/api/v1/teams/${team.id}`, { name: team.name, specialty: '医疗', description: '应急', leader_id: helper.id });
    assert.equal(t.status, 200, t.text);
    assert.equal((await give(as.staff, helper, { kind: 'lead', ref: led.id, reason: '接任队长' })).status, 201);
  });

  test('a newer rule version in force prices new bonuses; those given keep their points', async () => {
    // The terms in force (the default's: a wish 5, a post 10, a lead 3) as the rule editor reads them, a wish made 8.
    const terms = (await as.org.get(`/api/v1/rules?region=${SANYUANLI}`)).json.in_force.terms;
    const v = await as.org.post('/api/v1/rules', { region_code: SANYUANLI, effective_on: '2026-07-06', note: '三元里街道奖励分调整', ...terms, bonus_wish: 8 });
    assert.equal(v.status, 201, v.text);
    assert.equal((await give(as.staff, helper, { kind: 'wish', reason: '七月五日圆梦' })).json.points, 5);
    srv.setClock(JULY5 + DAY);
    await signIn(as);
    const r = await give(as.staff, helper, { kind: 'wish', ref: 7, reason: '七月六日圆梦' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.points, 8);
    assert.equal(r.json.rule_effective_on, '2026-07-06');
    const mine = await list(as.staff, helper);
    assert.deepEqual(mine.map((b) => [b.kind, b.points]), [['wish', 8], ['wish', 5], ['lead', 3], ['wish', 5]]);
    assert.equal((await points(helper)).half.points, 5 + 3 + 5 + 8);
    // 飞鹅's staff give at the street's rule too.
    assert.equal((await give(as.staff2, far, { kind: 'wish', reason: '飞鹅圆梦' })).json.points, 8);
    const v2 = await as.admin.get('/api/v1/admin/ledger/verify');
    assert.equal(v2.json.ok, true, v2.text);
  });

  test('a micro-wish named is given once; a file waiting for its community gets none', async () => {
    duplicate(await give(as.staff, helper, { kind: 'wish', ref: 7, reason: '同一个心愿' }));
    assertProblem(await give(as.staff, waiting, { kind: 'wish', reason: '尚未报到' }), 409, 'conflict');
  });
});

describe('who gives and who reads bonuses', () => {
  test('the member\'s community gives them (admin too); the rest are refused or told it is not there', async () => {
    const was = Number(sql(srv, 'SELECT count(*) FROM bonus'));
    await matrix(as, { admin: 201, org: 403, org2: 403, staff: 201, staff2: 404, unit: 403, unit2: 403, member: 403, resident: 403, anon: 401 },
      (who, role) => give(who, helper, { kind: 'wish', reason: `${role} 圆梦` }), 'POST bonuses');
    assert.equal(Number(sql(srv, 'SELECT count(*) FROM bonus')), was + 2);
    assert.ok(Number(sql(srv, "SELECT count(*) FROM audit_log WHERE action = 'bonus.give' AND outcome = 'denied'")) >= 6, 'refusals audited');
  });

  test('those who may read the file read its bonuses', async () => {
    await matrix(as, { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, unit: 200, unit2: 404, member: 403, resident: 403, anon: 401 },
      (who) => who.get(`/api/v1/members/${helper.id}/bonuses`), 'GET bonuses');
    assert.deepEqual(await list(as.staff, newcomer), []);
    assertProblem(await as.admin.get('/api/v1/members/999999/bonuses'), 404, 'not_found');
  });
});

describe('hostile input is named and changes nothing', () => {
  test('kinds, reasons at their limit in four-byte characters and one past, refs, types, unknown fields, bad JSON', async () => {
    const ok = await give(as.staff, newcomer, { kind: 'wish', reason: FOUR.repeat(200) });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.json.reason, FOUR.repeat(200));
    const was = written();
    assertFieldError(await give(as.staff, newcomer, { kind: 'wish', reason: FOUR.repeat(201) }), 'reason', 'too_long');
    assertFieldError(await give(as.staff, newcomer, { kind: 'wish', reason: '好' }), 'reason', 'too_short');
    assertFieldError(await give(as.staff, newcomer, { kind: 'wish' }), 'reason', 'required');
    assertFieldError(await give(as.staff, newcomer, { reason: '圆梦' }), 'kind', 'required');
    assertFieldError(await give(as.staff, newcomer, { kind: 'gift', reason: '圆梦' }), 'kind', 'enum');
    assertFieldError(await give(as.staff, newcomer, { kind: 7, reason: '圆梦' }), 'kind', 'type');
    assertFieldError(await give(as.staff, newcomer, { kind: 'post', reason: '在岗' }), 'ref', 'required');
    assertFieldError(await give(as.staff, newcomer, { kind: 'lead', reason: '牵头' }), 'ref', 'required');
    assertFieldError(await give(as.staff, newcomer, { kind: 'lead', ref: 0, reason: '牵头' }), 'ref', 'too_small');
    assertFieldError(await give(as.staff, newcomer, { kind: 'lead', ref: '1', reason: '牵头' }), 'ref', 'type');
    assertFieldError(await give(as.staff, newcomer, { kind: 'wish', reason: '圆梦', points: 100 }), 'points', 'unknown');
    const e = assertProblem(await give(as.staff, newcomer, { kind: 'gift', reason: '', ref: -1 }), 422, 'validation');
    assert.deepEqual(e.errors.map((x) => x.field).sort(), ['kind', 'reason', 'ref'], 'every fault at once');
    assertProblem(await as.staff.req('POST', `/api/v1/members/${newcomer.id}/bonuses`, '{"kind":', { 'Content-Type': 'application/json' }), 400);
    assertProblem(await as.staff.req('POST', `/api/v1/members/${newcomer.id}/bonuses`, '[1]', { 'Content-Type': 'application/json' }), 400);
    for (const id of ['999999', 'abc', '0']) assertProblem(await as.staff.post(`/api/v1/members/${id}/bonuses`, { kind: 'wish', reason: '圆梦' }), 404, 'not_found', id);
    assert.equal(written(), was);
  });
});
