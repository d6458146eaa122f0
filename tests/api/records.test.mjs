// records.test.mjs: service records end to end: a member's report, staff's corrections before 盖章, bulk confirmation from the queue, corrections and requests after it
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { loginAs, addUser, assertProblem, assertFieldError, assertCleanLog, SHILIUQIAO, SANYANJING } from './helpers.mjs';
import { NOW, DAY, sql, items, when, newFile, memberClient, report, made, auditOf } from './records-helpers.mjs';

let srv, admin, staff, staff2, item;
let file, phone; // a member of 石榴桥社区 with an account, and their phone's client

before(async () => {
  srv = await startServer({ demo: 'full', clock: NOW });
  addUser(srv, 'staff2', 'staff', { region: SANYANJING });
  [admin, staff, staff2] = await Promise.all(['admin', 'staff', 'staff2'].map((l) => loginAs(srv, l)));
  item = items(srv);
  file = await newFile(staff, { unit_id: 2 });
  phone = await memberClient(srv, staff, file);
});
after(async () => {
  await srv?.stop();
  assertCleanLog(srv.log());
});

const detail = async (who, id) => {
  const r = await who.get(`/api/v1/records/${id}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
};
const events = (d) => d.timeline.map((e) => e.event);

describe('a member reports a service of their own (记录服务), staff correct the minutes and confirm it (盖章)', () => {
  let id;

  test('the report asks for the item\'s extra fields, and waits for the community', async () => {
    const missing = await phone.post('/api/v1/me/records', report(item.G01));
    assertFieldError(missing, 'fields.送餐份数', 'required');
    const wrong = await phone.post('/api/v1/me/records', report(item.G01, { fields: { 送餐份数: '三份' } }));
    assertFieldError(wrong, 'fields.送餐份数', 'format');
    const stranger = await phone.post('/api/v1/me/records', report(item.G01, { fields: { 送餐份数: 3, 天气: '晴' } }));
    assertFieldError(stranger, 'fields.天气', 'unknown');
    const r = await made(phone, '/api/v1/me/records', report(item.G01, { fields: { 送餐份数: 3 }, minutes: 90 }));
    id = r.id;
    assert.equal(r.state, 'pending');
    assert.equal(r.source, 'self');
    assert.equal(r.member_id, file.id);
    assert.equal(r.community_code, SHILIUQIAO);
    assert.equal(r.item_code, 'G01');
    assert.equal(r.minutes, 90);
    assert.deepEqual(r.fields, [{ name: '送餐份数', value: '3' }]);
    assert.deepEqual(events(r), ['create']);
    assert.deepEqual(r.can, { confirm: false, reject: false, minutes: false, correct: false, withdraw: true, photo: true, ask: false });
    const mine = (await phone.get('/api/v1/me/records')).json.items;
    assert.deepEqual(mine.map((x) => [x.id, x.state]), [[id, 'pending']]);
  });

  test('several choices are kept as the item lists them', async () => {
    const r = await made(phone, '/api/v1/me/records', report(item.G05, { fields: { 咨询类别: ['婚姻家庭', '其他'] } }));
    assert.deepEqual(r.fields, [{ name: '咨询类别', value: '婚姻家庭,其他' }]);
    const bad = await phone.post('/api/v1/me/records', report(item.G05, { fields: { 咨询类别: ['炒股'] } }));
    assertFieldError(bad, 'fields.咨询类别', 'format');
  });

  test('staff see it in the queue, with what they may do', async () => {
    const q = (await staff.get(`/api/v1/records?state=pending&member_id=${file.id}`)).json;
    assert.ok(q.items.some((x) => x.id === id));
    const d = await detail(staff, id);
    assert.deepEqual(d.can, { confirm: true, reject: true, minutes: true, correct: false, withdraw: false, photo: true, ask: false });
  });

  test('staff correct the minutes before confirming: a reason is required, the timeline says from what to what', async () => {
    assertFieldError(await staff.post(`/api/v1/records/${id}/minutes`, { minutes: 60 }), 'reason', 'required');
    assertFieldError(await staff.post(`/api/v1/records/${id}/minutes`, { minutes: 90, reason: '核对签到表' }), 'minutes', 'same');
    const r = await made(staff, `/api/v1/records/${id}/minutes`, { minutes: 60, reason: '核对签到表：实际一小时' }, 200);
    assert.equal(r.minutes, 60);
    assert.equal(r.state, 'pending');
    assert.equal(r.reason, '核对签到表：实际一小时');
    const last = r.timeline.at(-1);
    assert.equal(last.event, 'minutes');
    assert.equal(last.note, '90 → 60 分钟：核对签到表：实际一小时');
    assert.equal(last.by, '石榴桥社区党委 李社工');
  });

  test('confirming stamps it: the member sees it confirmed, and nothing of it changes any more', async () => {
    const r = await made(staff, `/api/v1/records/${id}/confirm`, undefined, 200);
    assert.equal(r.state, 'confirmed');
    assert.equal(r.decided_at, NOW);
    assert.deepEqual(events(r), ['create', 'minutes', 'confirm']);
    assert.equal(r.can.correct, true);
    const mine = (await phone.get('/api/v1/me/records')).json.items.find((x) => x.id === id);
    assert.equal(mine.state, 'confirmed');
    assert.equal((await detail(phone, id)).can.ask, true);
    const frozen = sql(srv, `SELECT minutes, state, reason, decided_at FROM record WHERE id = ${id}`);
    assertProblem(await staff.post(`/api/v1/records/${id}/confirm`), 409, 'conflict');
    assertProblem(await staff.post(`/api/v1/records/${id}/minutes`, { minutes: 30, reason: '再改一次' }), 409, 'conflict');
    assertProblem(await staff.post(`/api/v1/records/${id}/reject`, { reason: '不算了' }), 409, 'conflict');
    assertProblem(await phone.post(`/api/v1/records/${id}/withdraw`), 409, 'conflict');
    assert.equal(sql(srv, `SELECT minutes, state, reason, decided_at FROM record WHERE id = ${id}`), frozen);
  });

  test('every change is in the audit log, with the reason given', async () => {
    const log = await auditOf(admin, id);
    assert.deepEqual(log, [['record.create', 'ok'], ['record.minutes', 'ok'], ['record.confirm', 'ok']]);
    const entry = (await admin.get(`/api/v1/audit?target_type=record&target_id=${id}&action=record.minutes`)).json.items[0];
    assert.match(entry.detail, /核对签到表：实际一小时/);
    assert.equal(entry.account_login, 'staff');
  });
});

describe('rejection needs a reason, which the member reads', () => {
  test('no reason, a one-character reason: refused; with a reason: rejected, final', async () => {
    const r = await made(phone, '/api/v1/me/records', report(item.A01));
    assertFieldError(await staff.post(`/api/v1/records/${r.id}/reject`, {}), 'reason', 'required');
    assertFieldError(await staff.post(`/api/v1/records/${r.id}/reject`, { reason: '否' }), 'reason', 'too_short');
    assert.equal((await detail(staff, r.id)).state, 'pending', 'a refused rejection changes nothing');
    const d = await made(staff, `/api/v1/records/${r.id}/reject`, { reason: '当天没有安排这项服务，请核实后重新填报' }, 200);
    assert.equal(d.state, 'rejected');
    assert.equal(d.reason, '当天没有安排这项服务，请核实后重新填报');
    assert.deepEqual(d.timeline.at(-1), { at: NOW, event: 'reject', by: '石榴桥社区党委 李社工', note: '当天没有安排这项服务，请核实后重新填报' });
    const seen = await detail(phone, r.id);
    assert.equal(seen.reason, d.reason);
    assert.deepEqual(seen.can, { confirm: false, reject: false, minutes: false, correct: false, withdraw: false, photo: false, ask: false });
    assertProblem(await staff.post(`/api/v1/records/${r.id}/confirm`), 409, 'conflict');
    assertProblem(await phone.post(`/api/v1/records/${r.id}/requests`, { reason: '我确实去了' }), 409, 'conflict');
    assert.deepEqual(await auditOf(admin, r.id), [['record.create', 'ok'], ['record.reject', 'ok']]);
  });
});

describe('a member takes back a report of their own while it waits', () => {
  test('withdrawn: out of the queue, final; a staff entry cannot be withdrawn by the member', async () => {
    const r = await made(phone, '/api/v1/me/records', report(item.A02));
    const w = await made(phone, `/api/v1/records/${r.id}/withdraw`, undefined, 200);
    assert.equal(w.state, 'withdrawn');
    assert.deepEqual(events(w), ['create', 'withdraw']);
    const q = (await staff.get(`/api/v1/records?state=pending&member_id=${file.id}&per_page=100`)).json.items;
    assert.ok(!q.some((x) => x.id === r.id));
    assertProblem(await staff.post(`/api/v1/records/${r.id}/confirm`), 409, 'conflict');
    assertProblem(await phone.post(`/api/v1/records/${r.id}/withdraw`), 409, 'conflict');
    const entered = await made(staff, '/api/v1/records', { member_id: file.id, ...report(item.A02) });
    assertProblem(await phone.post(`/api/v1/records/${entered.id}/withdraw`), 409, 'conflict');
    assert.deepEqual(await auditOf(admin, r.id), [['record.create', 'ok'], ['record.withdraw', 'ok']]);
  });

  test('the time of a withdrawn report is free again', async () => {
    const at = when();
    const r = await made(phone, '/api/v1/me/records', report(item.A04, { started_at: at }));
    assert.equal((await phone.post('/api/v1/me/records', report(item.A04, { started_at: at + 1800 }))).status, 409);
    await made(phone, `/api/v1/records/${r.id}/withdraw`, undefined, 200);
    await made(phone, '/api/v1/me/records', report(item.A04, { started_at: at + 1800 }));
  });
});

describe('staff enter a service for a member (补录)', () => {
  test('pending, or confirmed at once; older than a member may report; only for the members of their community', async () => {
    const other = await newFile(staff);
    const at = NOW - 200 * DAY;
    const r = await made(staff, '/api/v1/records', { member_id: other.id, item_id: item.P04, started_at: at, minutes: 120, place: '小区南门' });
    assert.equal(r.state, 'pending');
    assert.equal(r.source, 'staff');
    assert.equal(r.started_at, at);
    const c = await made(staff, '/api/v1/records', { member_id: other.id, item_id: item.G04, started_at: at - DAY, minutes: 60,
      fields: { 服务人数: 12 }, confirm: true });
    assert.equal(c.state, 'confirmed');
    assert.deepEqual(events(c), ['create', 'confirm']);
    assert.deepEqual(await auditOf(admin, c.id), [['record.create', 'ok'], ['record.confirm', 'ok']]);
    // The member could not report it themselves: 90 days is the limit of their own reports.
    assertFieldError(await phone.post('/api/v1/me/records', report(item.A01, { started_at: NOW - 91 * DAY })), 'started_at', 'too_small');
    const far = await staff2.post('/api/v1/records', { member_id: other.id, item_id: item.P04, started_at: when(), minutes: 60 });
    assertFieldError(far, 'member_id', 'not_found');
  });

  test('a service that has not ended yet is refused, one that just ended is taken', async () => {
    const other = await newFile(staff);
    const late = await staff.post('/api/v1/records', { member_id: other.id, item_id: item.P04, started_at: NOW - 1800, minutes: 31 });
    assertFieldError(late, 'minutes', 'too_large');
    const future = await staff.post('/api/v1/records', { member_id: other.id, item_id: item.P04, started_at: NOW + 60, minutes: 30 });
    assertFieldError(future, 'started_at', 'format');
    await made(staff, '/api/v1/records', { member_id: other.id, item_id: item.P04, started_at: NOW - 1800, minutes: 30 });
  });
});

// Activities and posts are the other parts of serving: their rows are written here as those parts leave them
// (an activity closed with its attendance records, a post whose holder logged service), then confirmed through the queue.
function activityWithRecords(members, { team = null } = {}) {
  const start = NOW - 30 * DAY;
  const act = sql(srv, `INSERT INTO activity (community_code, organiser, team_id, item_id, title, place, starts_at, ends_at,
    signup_deadline, capacity, audience, minutes_cap, state, created_at, updated_at, closed_at) VALUES ('${SHILIUQIAO}',
    '${team ? 'team' : 'community'}', ${team ?? 'NULL'}, ${item.A01}, '北门环境整治', '小区北门', ${start}, ${start + 7200},
    ${start - 3600}, 20, 'community', 180, 'closed', ${start - DAY}, ${start}, ${start + 7200}) RETURNING id`);
  for (const m of members)
    sql(srv, `INSERT INTO record (member_id, community_code, item_id, source, activity_id, started_at, minutes, state, created_at)
      VALUES (${m}, '${SHILIUQIAO}', ${item.A01}, 'activity', ${act}, ${start}, 120, 'pending', ${start + 7200})`);
  return Number(act);
}

describe('the confirmation queue: filtered, paged by keyset, confirmed in bulk', () => {
  let members, act, teamAct, post, team;

  before(async () => {
    members = [];
    for (let i = 0; i < 5; i++) members.push((await newFile(staff)).id);
    team = Number(sql(srv, `INSERT INTO team (region_code, name, specialty, state, created_at, updated_at)
      VALUES ('${SHILIUQIAO}', '石榴桥党员突击队', '应急', 'active', ${NOW}, ${NOW}) RETURNING id`));
    act = activityWithRecords(members);
    teamAct = activityWithRecords(members.slice(0, 2), { team });
    post = Number(sql(srv, `INSERT INTO post (community_code, item_id, name, places, starts_on, state, created_at, updated_at)
      VALUES ('${SHILIUQIAO}', ${item.P04}, '南门门岗', 2, '2026-01-01', 'open', ${NOW}, ${NOW}) RETURNING id`));
    sql(srv, `INSERT INTO record (member_id, community_code, item_id, source, post_id, started_at, minutes, state, created_at)
      VALUES (${members[0]}, '${SHILIUQIAO}', ${item.P04}, 'post', ${post}, ${NOW - 40 * DAY}, 120, 'pending', ${NOW})`);
  });

  const ids = async (qs) => {
    const r = await staff.get(`/api/v1/records?${qs}&per_page=100`);
    assert.equal(r.status, 200, r.text);
    return r.json.items.map((x) => x.id);
  };

  test('by activity, by team, by post, by member, by date', async () => {
    const byAct = await ids(`state=pending&activity_id=${act}`);
    assert.equal(byAct.length, 5);
    const rows = (await staff.get(`/api/v1/records?activity_id=${act}`)).json.items;
    assert.ok(rows.every((x) => x.activity_title === '北门环境整治' && x.source === 'activity' && x.activity_id === act));
    assert.equal((await ids(`team_id=${team}`)).length, 2);
    const byPost = (await staff.get(`/api/v1/records?post_id=${post}`)).json.items;
    assert.deepEqual(byPost.map((x) => [x.member_id, x.post_name]), [[members[0], '南门门岗']]);
    const byMember = await ids(`member_id=${members[1]}`);
    assert.equal(byMember.length, 2, 'the activity and the team\'s activity');
    const start = NOW - 30 * DAY;
    assert.equal((await ids(`from=${start}&to=${start + 1}&member_id=${members[0]}`)).length, 2);
    assert.equal((await ids(`from=${start + 1}&member_id=${members[0]}`)).length, 0);
    assert.deepEqual(await ids(`to=${start}&member_id=${members[0]}`), await ids(`post_id=${post}`));
    assert.equal((await ids(`source=post&member_id=${members[0]}`)).length, 1);
  });

  test('the pending queue pages by keyset, oldest first, each record once', async () => {
    const all = (await staff.get('/api/v1/records?state=pending&per_page=100')).json.items;
    assert.ok(all.length >= 10);
    for (let i = 1; i < all.length; i++)
      assert.ok(all[i - 1].started_at < all[i].started_at || (all[i - 1].started_at === all[i].started_at && all[i - 1].id < all[i].id),
        'oldest first');
    const seen = [];
    let after = 0;
    for (;;) {
      const page = (await staff.get(`/api/v1/records?state=pending&per_page=3${after ? `&after=${after}` : ''}`)).json;
      assert.equal(page.total, all.length, 'the count is the whole queue\'s');
      seen.push(...page.items.map((x) => x.id));
      if (!page.next_after) break;
      after = page.next_after;
    }
    assert.deepEqual(seen, all.map((x) => x.id));
  });

  test('any other list is newest first, and pages the same way', async () => {
    const all = await ids(`member_id=${members[0]}`);
    const first = (await staff.get(`/api/v1/records?member_id=${members[0]}&per_page=2`)).json;
    assert.deepEqual(first.items.map((x) => x.id), all.slice(0, 2));
    const second = (await staff.get(`/api/v1/records?member_id=${members[0]}&per_page=2&after=${first.next_after}`)).json;
    assert.deepEqual(second.items.map((x) => x.id), all.slice(2, 4));
    const rows = (await staff.get(`/api/v1/records?member_id=${members[0]}&per_page=100`)).json.items;
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1].started_at >= rows[i].started_at, 'newest first');
  });

  test('a whole activity at once: its pending records confirmed, each audited', async () => {
    const r = await made(staff, '/api/v1/records/confirm', { activity_id: act }, 200);
    assert.equal(r.confirmed, 5);
    assert.deepEqual(r.results.map((x) => x.outcome), Array(5).fill('confirmed'));
    assert.deepEqual(await ids(`state=pending&activity_id=${act}`), []);
    for (const x of r.results) assert.deepEqual(await auditOf(admin, x.id), [['record.confirm', 'ok']]);
    const again = await made(staff, '/api/v1/records/confirm', { activity_id: act }, 200);
    assert.deepEqual(again, { results: [], confirmed: 0 });
  });

  test('the ids of a page: each on its own rules, the answer says how each went', async () => {
    const page = await ids(`state=pending&team_id=${team}`);
    assert.equal(page.length, 2);
    const done = (await staff.get(`/api/v1/records?state=confirmed&activity_id=${act}&per_page=1`)).json.items[0].id;
    const far = await made(staff2, '/api/v1/records', { member_id: (await newFile(staff2, { community_code: SANYANJING })).id,
      item_id: item.P04, started_at: when(), minutes: 60 });
    const r = await made(staff, '/api/v1/records/confirm', { ids: [...page, done, far.id, 987654321, page[0]] }, 200);
    assert.deepEqual(r.results.map((x) => [x.id, x.outcome]), [[page[0], 'confirmed'], [page[1], 'confirmed'],
      [done, 'already_decided'], [far.id, 'not_found'], [987654321, 'not_found'], [page[0], 'already_decided']]);
    assert.equal(r.confirmed, 2);
    assert.equal((await detail(staff2, far.id)).state, 'pending', 'another community\'s record stays as it was');
  });

  test('one of ids and activity_id, never both, never neither', async () => {
    assertFieldError(await staff.post('/api/v1/records/confirm', {}), 'ids', 'required');
    assertFieldError(await staff.post('/api/v1/records/confirm', { ids: [1], activity_id: act }), 'ids', 'required');
  });
});

describe('a confirmed record never changes: a correction is a new record', () => {
  let id;

  before(async () => {
    id = (await made(staff, '/api/v1/records', { member_id: file.id, ...report(item.G02, { minutes: 90, fields: { 服务对象: '3栋 刘婆婆' } }),
      confirm: true })).id;
  });

  test('staff correct it with a reason: a confirmed record of the difference, the original untouched', async () => {
    const row = sql(srv, `SELECT minutes, state, reason FROM record WHERE id = ${id}`);
    assertFieldError(await staff.post(`/api/v1/records/${id}/corrections`, { minutes: 150 }), 'reason', 'required');
    assertFieldError(await staff.post(`/api/v1/records/${id}/corrections`, { minutes: 90, reason: '没变' }), 'minutes', 'same');
    const r = await made(staff, `/api/v1/records/${id}/corrections`, { minutes: 150, reason: '核对工单：实际两个半小时' });
    assert.equal(r.id, id, 'the answer is the corrected record');
    assert.equal(r.minutes, 90);
    assert.equal(r.total_minutes, 150);
    assert.equal(r.state, 'confirmed');
    assert.equal(r.corrections.length, 1);
    const c = r.corrections[0];
    assert.deepEqual([c.source, c.state, c.minutes, c.total_minutes, c.corrects_id, c.reason, c.item_code, c.started_at],
      ['correction', 'confirmed', 60, 60, id, '核对工单：实际两个半小时', 'G02', r.started_at]);
    assert.equal(r.timeline.at(-1).event, 'corrected');
    assert.equal(r.timeline.at(-1).note, '90 → 150 分钟：核对工单：实际两个半小时');
    assert.equal(sql(srv, `SELECT minutes, state, reason FROM record WHERE id = ${id}`), row, 'the original row is as it was');
    assert.deepEqual(await auditOf(admin, c.id), [['record.create', 'ok'], ['record.confirm', 'ok']]);
    assert.deepEqual((await auditOf(admin, id)).at(-1), ['record.corrected', 'ok']);
  });

  test('a correction is never corrected itself, nor is a pending record; the original is corrected again, down to 0', async () => {
    const c = (await detail(staff, id)).corrections[0];
    assertProblem(await staff.post(`/api/v1/records/${c.id}/corrections`, { minutes: 10, reason: '改更正' }), 409, 'conflict');
    assertProblem(await staff.post(`/api/v1/records/${c.id}/confirm`), 409, 'conflict');
    const pending = await made(phone, '/api/v1/me/records', report(item.A04));
    assertProblem(await staff.post(`/api/v1/records/${pending.id}/corrections`, { minutes: 10, reason: '还没确认' }), 409, 'conflict');
    const r = await made(staff, `/api/v1/records/${id}/corrections`, { minutes: 0, reason: '经核实当天未到场，撤销' });
    assert.equal(r.total_minutes, 0);
    assert.deepEqual(r.corrections.map((x) => x.minutes).sort((a, b) => a - b), [-150, 60]);
    assertFieldError(await staff.post(`/api/v1/records/${id}/corrections`, { minutes: 1441, reason: '超过一天' }), 'minutes', 'too_large');
  });

  test('the member file counts the minutes with their corrections', async () => {
    const f = (await staff.get(`/api/v1/members/${file.id}`)).json;
    const mine = (await phone.get(`/api/v1/me/records?state=confirmed&per_page=100`)).json.items;
    const originals = mine.filter((x) => x.source !== 'correction');
    assert.equal(f.service.confirmed, originals.length);
    assert.equal(f.service.confirmed_minutes, originals.reduce((t, x) => t + x.total_minutes, 0));
    assert.ok(originals.some((x) => x.id === id && x.total_minutes === 0));
  });
});

describe('a member asks for a correction of a confirmed record; staff accept or decline', () => {
  let id, asked;

  before(async () => {
    id = (await made(staff, '/api/v1/records', { member_id: file.id, ...report(item.A05, { minutes: 60 }), confirm: true })).id;
  });

  test('the request: a reason, maybe the minutes it should count; one waits at a time', async () => {
    assertFieldError(await phone.post(`/api/v1/records/${id}/requests`, { minutes: 120 }), 'reason', 'required');
    assertFieldError(await phone.post(`/api/v1/records/${id}/requests`, { reason: '少记了', minutes: 60 }), 'minutes', 'same');
    asked = await made(phone, `/api/v1/records/${id}/requests`, { reason: '实际从八点干到十点，当时登记少了', minutes: 120 });
    assert.deepEqual([asked.record_id, asked.state, asked.minutes, asked.member_id, asked.record_total_minutes],
      [id, 'asked', 120, file.id, 60]);
    assertProblem(await phone.post(`/api/v1/records/${id}/requests`, { reason: '再问一次' }), 409, 'conflict');
    const d = await detail(phone, id);
    assert.equal(d.open_request_id, asked.id);
    assert.equal(d.can.ask, false);
    assert.deepEqual(d.requests.map((x) => x.id), [asked.id]);
    assert.equal(d.timeline.at(-1).note, '应为 120 分钟：实际从八点干到十点，当时登记少了');
  });

  test('staff see it waiting, and accept it: the correction takes the minutes asked for', async () => {
    const q = (await staff.get('/api/v1/record-requests?state=asked&per_page=100')).json.items;
    assert.ok(q.some((x) => x.id === asked.id && x.member_name === file.name && x.item_name === '党员义务奉献日'));
    const r = await made(staff, `/api/v1/record-requests/${asked.id}/accept`, {}, 200);
    assert.equal(r.state, 'accepted');
    assert.ok(r.correction_id);
    assert.equal(r.record_total_minutes, 120);
    const d = await detail(phone, id);
    assert.equal(d.total_minutes, 120);
    assert.equal(d.open_request_id, null);
    assert.deepEqual(d.corrections.map((x) => [x.id, x.minutes, x.reason]),
      [[r.correction_id, 60, '应本人申请更正：实际从八点干到十点，当时登记少了']]);
    assert.deepEqual(events(d).slice(-3), ['ask', 'corrected', 'accept']);
    assertProblem(await staff.post(`/api/v1/record-requests/${asked.id}/decline`, { answer: '改主意了' }), 409, 'conflict');
    assert.deepEqual((await auditOf(admin, id)).slice(-3), [['record.ask', 'ok'], ['record.corrected', 'ok'], ['record.accept', 'ok']]);
  });

  test('staff may grant other minutes than asked, with their answer as the reason', async () => {
    const q = await made(phone, `/api/v1/records/${id}/requests`, { reason: '其实是三个小时', minutes: 180 });
    const r = await made(staff, `/api/v1/record-requests/${q.id}/accept`, { minutes: 150, answer: '按签到表计两个半小时' }, 200);
    assert.equal(r.record_total_minutes, 150);
    assert.equal(r.answer, '按签到表计两个半小时');
  });

  test('declining needs an answer; a request not about minutes needs staff to give them when accepted', async () => {
    const q = await made(phone, `/api/v1/records/${id}/requests`, { reason: '服务内容写错了，应为清理楼道' });
    assert.equal(q.minutes, null);
    assertFieldError(await staff.post(`/api/v1/record-requests/${q.id}/decline`, {}), 'answer', 'required');
    assertFieldError(await staff.post(`/api/v1/record-requests/${q.id}/accept`, {}), 'minutes', 'required');
    const r = await made(staff, `/api/v1/record-requests/${q.id}/decline`, { answer: '内容以活动登记为准，时长无误' }, 200);
    assert.equal(r.state, 'declined');
    assert.equal(r.correction_id, null);
    const d = await detail(phone, id);
    assert.equal(d.total_minutes, 150, 'a declined request changes nothing');
    assert.deepEqual(d.requests.map((x) => x.state), ['accepted', 'accepted', 'declined']);
    assert.equal(d.timeline.at(-1).note, '内容以活动登记为准，时长无误');
    const answered = (await staff.get('/api/v1/record-requests?state=declined&per_page=100')).json.items;
    assert.ok(answered.some((x) => x.id === q.id));
    assertProblem(await staff.post(`/api/v1/record-requests/${q.id}/accept`, { minutes: 100 }), 409, 'conflict');
  });

  test('only a confirmed record can be asked about', async () => {
    const pending = await made(phone, '/api/v1/me/records', report(item.S01));
    assertProblem(await phone.post(`/api/v1/records/${pending.id}/requests`, { reason: '还没确认' }), 409, 'conflict');
  });
});

describe('the member file shows the service', () => {
  test('its latest records, their count and the numbers; the full list pages from the queue', async () => {
    const f = (await staff.get(`/api/v1/members/${file.id}`)).json;
    const all = (await staff.get(`/api/v1/records?member_id=${file.id}&per_page=100`)).json;
    assert.equal(f.records.total, all.total);
    assert.deepEqual(f.records.items.map((x) => x.id), all.items.slice(0, 5).map((x) => x.id));
    const counted = all.items.filter((x) => x.source !== 'correction' && x.state !== 'withdrawn');
    assert.equal(f.service.records, counted.length);
    assert.equal(f.service.pending, all.items.filter((x) => x.state === 'pending').length);
    const own = (await phone.get('/api/v1/me/member')).json;
    assert.deepEqual(own.service, f.service, 'the member sees the same numbers');
  });

  test('each record\'s own timeline: who did what, when', async () => {
    const d = await detail(phone, (await phone.get('/api/v1/me/records?state=rejected')).json.items[0].id);
    assert.deepEqual(d.timeline.map((e) => [e.event, e.by]), [['create', file.name], ['reject', '石榴桥社区党委 李社工']]);
  });
});
