// activities.test.mjs: activities end to end: drafts, editing, publishing, series, cancelling, calendars, near me, who may do what, hostile input
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  activityServer, activityBody, createActivity, expectStatus, sql, ROLES, SAT9, T0, HOUR, DAY,
  SHILIUQIAO, FEIE, SANYANJING,
} from './activity-fixture.mjs';
import { assertProblem, assertFieldError, assertCleanLog } from './helpers.mjs';

let srv, as, unitId, items;
const count = () => Number(sql(srv, 'SELECT COUNT(*) FROM activity'));

before(async () => ({ srv, as, unitId, items } = await activityServer()));
after(async () => {
  await srv?.stop();
  assertCleanLog(srv.log());
});

describe('a draft, edited, published, then cancelled', () => {
  let a;

  test('staff create a draft: every field reads back, one occurrence, audited', async () => {
    a = await createActivity(as.staff, items, { signup_deadline: SAT9 - HOUR, minutes_cap: 90 });
    assert.equal(a.state, 'draft');
    assert.equal(a.occurrences, 1);
    assert.equal(a.title, '石榴桥社区环境整治');
    assert.deepEqual(a.community, { code: SHILIUQIAO, name: '石榴桥社区' });
    assert.deepEqual(a.organiser, { kind: 'community', team: null, unit: null });
    assert.equal(a.item.id, items.env);
    assert.equal(a.item.name, '环境整治');
    assert.equal(a.item.category, 'activity');
    assert.deepEqual([a.starts_at, a.ends_at, a.signup_deadline, a.capacity, a.minutes_cap], [SAT9, SAT9 + 2 * HOUR, SAT9 - HOUR, 10, 90]);
    assert.deepEqual(a.specialties, ['水电维修']);
    assert.deepEqual([a.signed, a.waiting, a.places_left], [0, 0, 10]);
    assert.equal(a.share_path, `/m/activities/${a.id}`);
    assert.equal(a.calendar_path, `/api/v1/activities/${a.id}/calendar.ics`);
    assert.equal(a.series_id, null);
    const log = (await as.admin.get(`/api/v1/audit?action=activity.create&target_id=${a.id}`)).json.items;
    assert.equal(log.length, 1);
  });

  test('without a deadline or a cap: the start and the whole length', async () => {
    const b = await createActivity(as.staff, items, { specialties: [] });
    assert.equal(b.signup_deadline, SAT9);
    assert.equal(b.minutes_cap, 120);
    assert.deepEqual(b.specialties, []);
  });

  test('a draft is seen by who runs it and reads the place, not by members', async () => {
    for (const who of ['staff', 'org', 'admin']) assert.equal((await as[who].get(`/api/v1/activities/${a.id}`)).status, 200, who);
    for (const who of ['approved', 'org2', 'staff2', 'unit']) expectStatus(await as[who].get(`/api/v1/activities/${a.id}`), 404, who);
    assert.equal((await as.staff.get(`/api/v1/activities/${a.id}`)).json.may_manage, true);
  });

  test('the draft is edited as a whole: the new text reads back, the version moves', async () => {
    const r = await as.staff.put(`/api/v1/activities/${a.id}`, activityBody(items, {
      title: '楼道清理', place: '3栋楼下', capacity: 12, starts_at: SAT9 + HOUR, ends_at: SAT9 + 3 * HOUR, item_id: items.talk,
    }));
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.json.title, r.json.place, r.json.capacity, r.json.starts_at, r.json.item.name],
      ['楼道清理', '3栋楼下', 12, SAT9 + HOUR, '政策宣讲']);
    assert.ok(r.json.version > a.version);
    assert.equal(r.json.signup_deadline, SAT9 + HOUR, 'no deadline given: the new start');
  });

  test('published: the member sees it, near home first', async () => {
    const r = await as.staff.post(`/api/v1/activities/${a.id}/publish`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.published, 1);
    assert.equal(r.json.activity.state, 'published');
    const seen = await as.approved.get(`/api/v1/activities/${a.id}`);
    assert.equal(seen.status, 200, seen.text);
    assert.equal(seen.json.may_manage, false);
    assert.equal(seen.json.open_to_me, true);
    assert.equal(seen.json.my_signup, null);
    const near = (await as.approved.get('/api/v1/me/activities?per_page=100')).json.items;
    const mine = near.find((x) => x.id === a.id);
    assert.equal(mine.near, 'community');
    assert.equal(mine.my_signup, null);
    assertProblem(await as.staff.post(`/api/v1/activities/${a.id}/publish`), 409, 'bad_state');
  });

  test('a published one is still edited, but not moved to another community', async () => {
    assertProblem(await as.staff.put(`/api/v1/activities/${a.id}`, activityBody(items, { community_code: FEIE })), 403, 'forbidden');
    const r = await as.admin.put(`/api/v1/activities/${a.id}`, activityBody(items, { community_code: FEIE }));
    assertFieldError(r, 'community_code', 'wrong');
    const ok = await as.staff.put(`/api/v1/activities/${a.id}`, activityBody(items, { title: '楼道清理（改）' }));
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.state, 'published');
  });

  test('cancelled with a reason: the reason reads back, it leaves the member\'s list, audited', async () => {
    assertFieldError(await as.staff.post(`/api/v1/activities/${a.id}/cancel`, {}), 'reason', 'required');
    const r = await as.staff.post(`/api/v1/activities/${a.id}/cancel`, { reason: '台风预警，活动取消' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.json.cancelled, r.json.activity.state, r.json.activity.cancel_reason], [1, 'cancelled', '台风预警，活动取消']);
    const near = (await as.approved.get('/api/v1/me/activities?per_page=100')).json.items;
    assert.ok(!near.some((x) => x.id === a.id));
    assertProblem(await as.staff.post(`/api/v1/activities/${a.id}/cancel`, { reason: '再取消' }), 409, 'bad_state');
    assertProblem(await as.staff.put(`/api/v1/activities/${a.id}`, activityBody(items)), 409, 'bad_state');
    const log = (await as.admin.get(`/api/v1/audit?action=activity.cancel&target_id=${a.id}`)).json.items;
    assert.equal(log.length, 1);
  });
});

describe('a weekly series', () => {
  let first;

  test('every Saturday, four times: four drafts sharing the first one\'s id as series_id', async () => {
    first = await createActivity(as.staff, items, { repeat_weekdays: [6], repeat_count: 4, title: '周六义务劳动' });
    assert.equal(first.occurrences, 4);
    assert.equal(first.series_id, first.id);
    const list = (await as.staff.get(`/api/v1/activities?from=${SAT9}&to=${SAT9 + 28 * DAY}&per_page=100`)).json.items
      .filter((x) => x.series_id === first.id);
    assert.deepEqual(list.map((x) => x.starts_at), [0, 7, 14, 21].map((d) => SAT9 + d * DAY));
    assert.ok(list.every((x) => x.state === 'draft'));
  });

  test('Monday and Wednesday until a date: the days in between, China\'s weekdays', async () => {
    const s = await createActivity(as.staff, items, { repeat_weekdays: [1, 3], repeat_until: '2026-03-18' });
    assert.equal(s.occurrences, 4);
    const list = (await as.staff.get(`/api/v1/activities?from=${SAT9}&to=${SAT9 + 14 * DAY}&per_page=100`)).json.items
      .filter((x) => x.series_id === s.id);
    assert.deepEqual(list.map((x) => (x.starts_at - SAT9) / DAY), [2, 4, 9, 11]);
  });

  test('published all at once, then one occurrence and the later ones cancelled', async () => {
    const r = await as.staff.post(`/api/v1/activities/${first.id}/publish`, { series: true });
    assert.equal(r.json.published, 4);
    const second = (await as.staff.get(`/api/v1/activities?from=${SAT9 + 7 * DAY}&to=${SAT9 + 7 * DAY + 1}`)).json.items
      .find((x) => x.series_id === first.id);
    const c = await as.staff.post(`/api/v1/activities/${second.id}/cancel`, { reason: '场地装修', series: true });
    assert.equal(c.json.cancelled, 3, 'the second, third and fourth');
    assert.equal((await as.staff.get(`/api/v1/activities/${first.id}`)).json.state, 'published');
  });

  test('a repeat that is wrong is named: no weekday, no end, a day that is not a date, more than 52', async () => {
    const n = count();
    assertFieldError(await as.staff.post('/api/v1/activities', activityBody(items, { repeat_count: 3 })), 'repeat_weekdays', 'required');
    assertFieldError(await as.staff.post('/api/v1/activities', activityBody(items, { repeat_weekdays: [6] })), 'repeat_until', 'required');
    assertFieldError(await as.staff.post('/api/v1/activities', activityBody(items, { repeat_weekdays: [6], repeat_until: '2026-02-30' })), 'repeat_until', 'format');
    assertFieldError(await as.staff.post('/api/v1/activities', activityBody(items, { repeat_weekdays: [8], repeat_count: 2 })), 'repeat_weekdays[0]', 'too_large');
    assertFieldError(await as.staff.post('/api/v1/activities', activityBody(items, { repeat_weekdays: [1, 2, 3, 4, 5, 6, 7], repeat_until: '2027-12-31' })), 'repeat', 'too_large');
    assertFieldError(await as.staff.post('/api/v1/activities', activityBody(items, { repeat_weekdays: [6], repeat_until: '2026-03-01' })), 'repeat', 'too_small');
    assert.equal(count(), n, 'nothing was written');
  });
});

describe('calendars and near me', () => {
  let week, feieStreet, feieOwn, cityWide, later;

  before(async () => {
    const at = SAT9 + 60 * DAY; // a week of its own, far from the other tests' activities
    week = [];
    for (const d of [3, 0, 5, 1]) week.push(await createActivity(as.staff, items, { starts_at: at + d * DAY, ends_at: at + d * DAY + HOUR, publish: true }));
    later = await createActivity(as.staff, items, { starts_at: at + 9 * DAY, ends_at: at + 9 * DAY + HOUR, publish: true });
    feieStreet = await createActivity(as.admin, items, { community_code: FEIE, audience: 'street', starts_at: at, ends_at: at + HOUR, publish: true });
    feieOwn = await createActivity(as.admin, items, { community_code: FEIE, audience: 'community', starts_at: at, ends_at: at + HOUR, publish: true });
    cityWide = await createActivity(as.admin, items, { community_code: SANYANJING, audience: 'city', starts_at: at - DAY, ends_at: at - DAY + HOUR, publish: true });
  });

  test('a community\'s week, by start time, from its calendar', async () => {
    const from = SAT9 + 60 * DAY;
    const r = await as.staff.get(`/api/v1/activities?community=${SHILIUQIAO}&from=${from}&to=${from + 7 * DAY}`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.items.map((x) => x.id), [week[1], week[3], week[0], week[2]].map((x) => x.id));
    assert.equal(r.json.total, 4);
    const page2 = await as.staff.get(`/api/v1/activities?community=${SHILIUQIAO}&from=${from}&to=${from + 7 * DAY}&per_page=3&page=2`);
    assert.deepEqual(page2.json.items.map((x) => x.id), [week[2].id]);
    const month = await as.staff.get(`/api/v1/activities?from=${from}&to=${from + 31 * DAY}&state=published`);
    assert.ok(month.json.items.some((x) => x.id === later.id));
    assert.ok(!month.json.items.some((x) => x.id === feieStreet.id), 'staff see their own community only');
  });

  test('each caller\'s calendar holds their reach: the street\'s org both communities, others none of them', async () => {
    const from = SAT9 + 59 * DAY;
    const ids = async (who) => (await as[who].get(`/api/v1/activities?from=${from}&to=${from + 3 * DAY}&per_page=100`)).json.items.map((x) => x.id);
    assert.ok((await ids('org')).includes(feieStreet.id) && (await ids('org')).includes(week[1].id));
    assert.ok((await ids('staff2')).includes(feieOwn.id) && !(await ids('staff2')).includes(week[1].id));
    assert.deepEqual((await ids('org2')).filter((x) => [feieOwn.id, week[1].id].includes(x)), []);
    assert.ok((await ids('org2')).includes(cityWide.id), '越秀区\'s org sees 三眼井社区\'s');
    assert.ok((await ids('admin')).includes(cityWide.id));
  });

  test('near me: my community\'s first, then my street\'s open to it, then the city\'s; never another community\'s own', async () => {
    const r = await as.approved.get('/api/v1/me/activities?per_page=100');
    assert.equal(r.status, 200, r.text);
    const order = r.json.items.map((x) => x.id);
    const pos = (x) => order.indexOf(x.id);
    assert.ok(pos(week[1]) >= 0 && pos(feieStreet) >= 0 && pos(cityWide) >= 0);
    assert.equal(pos(feieOwn), -1);
    assert.ok(pos(later) < pos(feieStreet) && pos(feieStreet) < pos(cityWide), 'tiers before time');
    assert.deepEqual([r.json.items[pos(week[1])].near, r.json.items[pos(feieStreet)].near, r.json.items[pos(cityWide)].near],
      ['community', 'street', 'city']);
    assert.ok(pos(week[1]) < pos(week[3]) && pos(week[3]) < pos(week[0]), 'by start within a tier');
    const p = await as.approved.get('/api/v1/me/activities?per_page=2&page=2');
    assert.deepEqual(p.json.items.map((x) => x.id), order.slice(2, 4));
    assert.equal(p.json.total, order.length);
  });

  test('a street-wide activity of the neighbour community is seen by our member, its own is not', async () => {
    assert.equal((await as.approved.get(`/api/v1/activities/${feieStreet.id}`)).status, 200);
    expectStatus(await as.approved.get(`/api/v1/activities/${feieOwn.id}`), 404, 'another community\'s own');
  });

  test('what is over, cancelled or a draft is not near me', async () => {
    const over = await createActivity(as.staff, items, { starts_at: T0 - 3 * HOUR, ends_at: T0 - HOUR, signup_deadline: T0 - 3 * HOUR, publish: true });
    const draft = await createActivity(as.staff, items, { title: '未发布' });
    const order = (await as.approved.get('/api/v1/me/activities?per_page=100')).json.items.map((x) => x.id);
    assert.ok(!order.includes(over.id) && !order.includes(draft.id) && order.includes(week[2].id));
  });
});

describe('organised by a unit with its partner community, and by a team\'s leader', () => {
  test('a unit without a signed agreement is refused (403); with one it organises there, and reads its own', async () => {
    const body = activityBody(items, { organiser: 'unit', unit_id: unitId, title: '卫生服务中心义诊' });
    const n = count();
    assertProblem(await as.unit.post('/api/v1/activities', body), 403, 'forbidden');
    assert.equal(count(), n);
    const ag = await as.staff.post('/api/v1/agreements', { unit_id: unitId, community_code: SHILIUQIAO, starts_on: '2026-01-01',
      ends_on: '2027-12-31', status: 'signed', commitments: ['每月开展一次义诊'], signed_doc: '石共建〔2026〕1号' });
    assert.equal(ag.status, 201, ag.text);
    const r = await as.unit.post('/api/v1/activities', body);
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json.organiser.unit.id, unitId);
    assert.equal((await as.unit.get(`/api/v1/activities/${r.json.id}`)).json.may_manage, true);
    assert.equal((await as.unit.post(`/api/v1/activities/${r.json.id}/publish`)).status, 200);
    const mine = (await as.unit.get('/api/v1/activities?per_page=100')).json.items;
    assert.ok(mine.length >= 1 && mine.every((x) => x.organiser.unit?.id === unitId), 'a unit lists its own only');
    assertProblem(await as.unit.post('/api/v1/activities', { ...body, community_code: FEIE }), 403, 'forbidden');
    assertFieldError(await as.staff.post('/api/v1/activities', { ...body, organiser: 'community' }), 'unit_id', 'unknown');
  });

  test('a team\'s leader (a member) organises for the team and lists the team\'s; another team is not theirs', async () => {
    const member = as.approved.member.id;
    sql(srv, `INSERT INTO team (region_code, name, specialty, leader_id, state, created_at, updated_at) VALUES ('${SHILIUQIAO}', '石榴桥党员突击队', '应急', ${member}, 'active', 0, 0)`);
    sql(srv, `INSERT INTO team (region_code, name, specialty, state, created_at, updated_at) VALUES ('${SHILIUQIAO}', '另一支服务队', '', 'active', 0, 0)`);
    const team = Number(sql(srv, "SELECT id FROM team WHERE name = '石榴桥党员突击队'"));
    const other = Number(sql(srv, "SELECT id FROM team WHERE name = '另一支服务队'"));
    const r = await as.approved.post('/api/v1/activities', activityBody(items, { organiser: 'team', team_id: team, title: '突击队防汛巡逻' }));
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json.organiser.team, { id: team, name: '石榴桥党员突击队' });
    const list = await as.approved.get(`/api/v1/activities?team_id=${team}`);
    assert.deepEqual(list.json.items.map((x) => x.id), [r.json.id]);
    assertProblem(await as.approved.get(`/api/v1/activities?team_id=${other}`), 403, 'forbidden');
    assertProblem(await as.approved.get('/api/v1/activities'), 403, 'forbidden');
    assertProblem(await as.approved.post('/api/v1/activities', activityBody(items, { organiser: 'team', team_id: other })), 403, 'forbidden');
    assertProblem(await as.approved.post('/api/v1/activities', activityBody(items)), 403, 'forbidden');
    assertFieldError(await as.staff.post('/api/v1/activities', activityBody(items, { organiser: 'team', team_id: 999999 })), 'team_id', 'not_found');
  });
});

describe('who may do what (404 outside the read scope, 403 where one reads but may not act)', () => {
  let draft, pub;
  before(async () => {
    draft = await createActivity(as.staff, items, { title: '矩阵草稿' });
    pub = await createActivity(as.staff, items, { title: '矩阵活动', publish: true });
  });

  const reads = { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, unit: 404, approved: 200, waiting: 404, resident: 404, anon: 401 };
  for (const who of ROLES) {
    test(`GET /activities/{id} (published) as ${who} → ${reads[who]}`, async () => {
      expectStatus(await as[who].get(`/api/v1/activities/${pub.id}`), reads[who], who);
    });
  }

  const lists = { admin: 200, org: 200, org2: 200, staff: 200, staff2: 200, unit: 200, approved: 403, waiting: 403, resident: 403, anon: 401 };
  for (const who of ROLES) {
    test(`GET /activities as ${who} → ${lists[who]}, with 石榴桥's only in reach`, async () => {
      const r = await as[who].get('/api/v1/activities?per_page=100');
      expectStatus(r, lists[who], who);
      if (r.status === 200) assert.equal(r.json.items.some((x) => x.id === pub.id), ['admin', 'org', 'staff'].includes(who), who);
    });
  }

  const creates = { admin: 201, org: 201, org2: 403, staff: 201, staff2: 403, unit: 403, approved: 403, waiting: 403, resident: 403, anon: 401 };
  for (const who of ROLES) {
    test(`POST /activities (石榴桥社区's) as ${who} → ${creates[who]}`, async () => {
      const n = count();
      expectStatus(await as[who].post('/api/v1/activities', activityBody(items, { title: `${who}创建` })), creates[who], who);
      assert.equal(count(), n + (creates[who] === 201 ? 1 : 0));
    });
  }

  const acts = { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, unit: 404, approved: 403, waiting: 404, resident: 403, anon: 401 };
  for (const who of ROLES) {
    test(`PUT, publish, cancel as ${who} → ${acts[who]} (a draft: members do not see it)`, async () => {
      const a = await createActivity(as.staff, items, { title: '矩阵编辑' });
      const draftCode = acts[who] === 403 && who === 'approved' ? 404 : acts[who];
      expectStatus(await as[who].put(`/api/v1/activities/${a.id}`, activityBody(items, { title: '改了' })), draftCode, `${who} PUT`);
      expectStatus(await as[who].post(`/api/v1/activities/${a.id}/publish`), draftCode, `${who} publish`);
      if (draftCode !== 200) await as.staff.post(`/api/v1/activities/${a.id}/publish`);
      expectStatus(await as[who].post(`/api/v1/activities/${a.id}/cancel`, { reason: '测试' }), acts[who], `${who} cancel`);
      const now = (await as.admin.get(`/api/v1/activities/${a.id}`)).json;
      assert.equal(now.title, acts[who] === 200 ? '改了' : '矩阵编辑');
      assert.equal(now.state, acts[who] === 200 ? 'cancelled' : 'published');
    });
  }

  test('a refused write is audited as denied', async () => {
    await as.staff2.post(`/api/v1/activities/${pub.id}/cancel`, { reason: '越权' });
    await as.resident.post(`/api/v1/activities/${pub.id}/cancel`, { reason: '越权' });
    const log = (await as.admin.get('/api/v1/audit?action=activity.cancel&per_page=100')).json.items;
    assert.ok(log.some((e) => e.outcome === 'denied'), JSON.stringify(log.slice(0, 3)));
  });

  const near = { approved: 200, waiting: 403, member: 403, staff: 403, resident: 403, anon: 401 };
  for (const [who, status] of Object.entries(near)) {
    test(`GET /me/activities as ${who} → ${status}`, async () => expectStatus(await as[who].get('/api/v1/me/activities'), status, who));
  }

  test('ids that are not ids, and ids of nothing → 404', async () => {
    for (const id of ['0', '-1', 'abc', '99999999', '1e3']) assertProblem(await as.staff.get(`/api/v1/activities/${id}`), 404, 'not_found', id);
    assert.equal(draft.state, 'draft');
  });
});

describe('hostile input: a 4xx naming the field, nothing written, the server alive', () => {
  const cases = [
    ['no title', { title: undefined }, 'title', 'required'],
    ['title of 61 characters', { title: '题'.repeat(61) }, 'title', 'too_long'],
    ['description of 1001 characters', { description: '述'.repeat(1001) }, 'description', 'too_long'],
    ['place of 101 characters', { place: '地'.repeat(101) }, 'place', 'too_long'],
    ['a title that is a number', { title: 42 }, 'title', 'type'],
    ['a control character', { title: 'a\u0001b' }, 'title'],
    ['the end before the start', { ends_at: SAT9 - 60 }, 'ends_at', 'too_small'],
    ['longer than a day', { ends_at: SAT9 + 25 * HOUR }, 'ends_at', 'too_large'],
    ['the deadline after the end', { signup_deadline: SAT9 + 3 * HOUR }, 'signup_deadline', 'too_large'],
    ['no places', { capacity: 0 }, 'capacity', 'too_small'],
    ['too many places', { capacity: 2001 }, 'capacity', 'too_large'],
    ['a cap longer than the activity', { minutes_cap: 121 }, 'minutes_cap', 'too_large'],
    ['a negative cap', { minutes_cap: -5 }, 'minutes_cap', 'too_small'],
    ['an audience that is not one', { audience: 'world' }, 'audience', 'enum'],
    ['an organiser that is not one', { organiser: 'me' }, 'organiser', 'enum'],
    ['a community that does not exist', { community_code: '440111002999' }, 'community_code', 'not_found'],
    ['a street, not a community', { community_code: '440111002000' }, 'community_code', 'not_found'],
    ['a building of another community', { building_code: '440111002001001' }, 'building_code', 'not_found'],
    ['an item that asks for extra fields', { item_id: 'meals' }, 'item_id', 'wrong'],
    ['an item that does not exist', { item_id: 999999 }, 'item_id', 'not_found'],
    ['six specialties', { specialties: ['a', 'b', 'c', 'd', 'e', 'f'] }, 'specialties', 'too_long'],
    ['a specialty of 21 characters', { specialties: ['好', '特'.repeat(21)] }, 'specialties[1]', 'too_long'],
    ['a specialty with a comma', { specialties: ['水电,维修'] }, 'specialties', 'format'],
    ['a field nobody knows', { colour: 'red' }, 'colour', 'unknown'],
    ['a time of 2200', { starts_at: 7258118400 }, 'starts_at', 'too_large'],
    ['a time as text', { starts_at: '2026-03-07 09:00' }, 'starts_at', 'type'],
  ];
  for (const [name, over, field, code] of cases) {
    test(name, async () => {
      const n = count();
      const body = activityBody(items, over);
      if (over.item_id === 'meals') body.item_id = items.meals;
      for (const k of Object.keys(over)) if (over[k] === undefined) delete body[k];
      assertFieldError(await as.staff.post('/api/v1/activities', body), field, code, name);
      assert.equal(count(), n);
      assert.equal((await as.anon.get('/healthz')).status, 200);
    });
  }

  test('not JSON, not an object, the wrong media type, too deep', async () => {
    const n = count();
    assertProblem(await as.staff.post('/api/v1/activities', '{"title":'), 400, 'bad_json');
    assertProblem(await as.staff.post('/api/v1/activities', '[1,2]'), 400, 'bad_json');
    assertProblem(await as.staff.post('/api/v1/activities', 'title=x', { 'Content-Type': 'application/x-www-form-urlencoded' }), 415);
    assertProblem(await as.staff.post('/api/v1/activities', '{"a":'.repeat(40) + '1' + '}'.repeat(40)), 400, 'too_deep');
    assert.equal(count(), n);
  });

  test('bad queries of the lists are 400 naming the parameter', async () => {
    for (const q of ['state=open', 'from=yesterday', 'per_page=1000', 'page=0', 'team_id=-1', `community=${'码'.repeat(19)}`]) {
      const p = assertProblem(await as.staff.get(`/api/v1/activities?${q}`), 400, 'bad_query', q);
      assert.equal(p.errors[0].field, q.split('=')[0]);
    }
  });

  test('cancel with a reason of 201 characters, publish with a body that is not one', async () => {
    const a = await createActivity(as.staff, items, { publish: true });
    assertFieldError(await as.staff.post(`/api/v1/activities/${a.id}/cancel`, { reason: '因'.repeat(201) }), 'reason', 'too_long');
    assertFieldError(await as.staff.post(`/api/v1/activities/${a.id}/publish`, { series: 'yes' }), 'series', 'type');
    assert.equal((await as.staff.get(`/api/v1/activities/${a.id}`)).json.state, 'published');
  });
});

describe('text at its limits, in 4-byte characters, reads back intact', () => {
  test('title 60, description 1000, place 100, five specialties of 20, a cancellation\'s reason of 200', async () => {
    const c = '𠀀';
    const a = await createActivity(as.staff, items, {
      title: c.repeat(60), description: c.repeat(1000), place: c.repeat(100), specialties: [1, 2, 3, 4, 5].map(() => c.repeat(20)),
      publish: true,
    });
    const r = (await as.staff.get(`/api/v1/activities/${a.id}`)).json;
    assert.equal(r.title, c.repeat(60));
    assert.equal(r.description, c.repeat(1000));
    assert.equal(r.place, c.repeat(100));
    assert.deepEqual(r.specialties, [1, 2, 3, 4, 5].map(() => c.repeat(20)));
    const x = await as.staff.post(`/api/v1/activities/${a.id}/cancel`, { reason: c.repeat(200) });
    assert.equal(x.json.activity.cancel_reason, c.repeat(200));
    const listed = (await as.staff.get(`/api/v1/activities?from=${SAT9}&to=${SAT9 + 1}&per_page=100`)).json.items.find((x) => x.id === a.id);
    assert.equal(listed.title, c.repeat(60));
  });
});
