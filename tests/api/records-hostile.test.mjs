// records-hostile.test.mjs: malformed and malicious input to the record routes (a 4xx problem naming the field, nothing written, the server alive), and every text at its limit in 4-byte characters
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { loginAs, assertProblem, assertCleanLog } from './helpers.mjs';
import { NOW, DAY, FOUR, items, when, newFile, memberClient, report, made, written } from './records-helpers.mjs';

let srv, staff, admin, phone, item, file;
let pendingId, confirmedId, requestId;

before(async () => {
  srv = await startServer({ clock: NOW });
  [admin, staff] = await Promise.all(['admin', 'staff'].map((l) => loginAs(srv, l)));
  item = items(srv);
  file = await newFile(staff);
  phone = await memberClient(srv, staff, file);
  pendingId = (await made(phone, '/api/v1/me/records', report(item.A01))).id;
  confirmedId = (await made(staff, '/api/v1/records', { member_id: file.id, ...report(item.A01, { minutes: 60 }), confirm: true })).id;
  requestId = (await made(phone, `/api/v1/records/${confirmedId}/requests`, { reason: '时长少记了', minutes: 90 })).id;
});
after(async () => {
  await srv?.stop();
  assertCleanLog(srv.log());
});

// The request is refused with one of statuses, as a problem that names field (when given); nothing is written; the server serves on.
function hostile(name, send, statuses, field) {
  test(name, async () => {
    const before = written(srv);
    const r = await send();
    assert.ok(statuses.includes(r.status), `status ${r.status} not in ${statuses}: ${r.text?.slice(0, 300)}`);
    const p = assertProblem(r, r.status);
    if (field) assert.ok(p.errors?.some((e) => e.field === field || e.field.startsWith(`${field}[`)), `the problem names ${field}: ${r.text}`);
    assert.equal(written(srv), before, 'nothing was written');
    assert.equal((await new Client(srv.url).get('/healthz')).status, 200);
  });
}

const L = 'x'.repeat(10000);
const self = (over) => phone.post('/api/v1/me/records', report(item.A01, over));
const entry = (over) => staff.post('/api/v1/records', { member_id: file.id, ...report(item.A01), ...over });

describe('a member\'s report and a staff entry', () => {
  hostile('not JSON', () => phone.post('/api/v1/me/records', 'item_id=1&minutes=90'), [400]);
  hostile('an array', () => phone.post('/api/v1/me/records', [report(item.A01)]), [400]);
  hostile('form-encoded', () => phone.post('/api/v1/me/records', 'a=b', { 'Content-Type': 'application/x-www-form-urlencoded' }), [415]);
  hostile('without the CSRF header', () => phone.post('/api/v1/me/records', report(item.A01), { 'X-Requested-With': 'x' }), [403]);
  hostile('minutes negative', () => self({ minutes: -30 }), [422], 'minutes');
  hostile('minutes zero', () => self({ minutes: 0 }), [422], 'minutes');
  hostile('minutes beyond a day', () => self({ minutes: 1441 }), [422], 'minutes');
  hostile('minutes as text', () => self({ minutes: '90' }), [422], 'minutes');
  hostile('minutes with a fraction', () => self({ minutes: 90.5 }), [422], 'minutes');
  hostile('minutes past 2^63', () => phone.post('/api/v1/me/records', `{"item_id":${item.A01},"started_at":${when()},"minutes":99999999999999999999}`), [400, 422]);
  hostile('a whole day by staff, ending after now', () => entry({ started_at: NOW - 3600, minutes: 1440 }), [422], 'minutes');
  hostile('started in the future', () => self({ started_at: NOW + DAY }), [422], 'started_at');
  hostile('started at 0', () => self({ started_at: 0 }), [422], 'started_at');
  hostile('started after 2100', () => entry({ started_at: 4102444801 }), [422], 'started_at');
  hostile('more than 90 days ago, by the member', () => self({ started_at: NOW - 91 * DAY }), [422], 'started_at');
  hostile('no item', () => self({ item_id: undefined }), [422], 'item_id');
  hostile('an item that does not exist', () => self({ item_id: 987654 }), [422], 'item_id');
  hostile('an unknown member for staff', () => entry({ member_id: 987654 }), [422], 'member_id');
  hostile('a member id of SQL', () => entry({ member_id: "1 OR 1=1" }), [422], 'member_id');
  hostile('an unknown key', () => self({ state: 'confirmed' }), [422], 'state');
  hostile('a member reporting for someone else', () => self({ member_id: 1 }), [422], 'member_id');
  hostile('a member confirming their own report', () => self({ confirm: true }), [422], 'confirm');
  hostile('place of 101 characters', () => self({ place: FOUR.repeat(101) }), [422], 'place');
  hostile('content of 10,000 characters', () => self({ content: L }), [422], 'content');
  hostile('NUL in the content', () => phone.post('/api/v1/me/records', `{"item_id":${item.A01},"started_at":${when()},"minutes":60,"content":"a\\u0000b"}`), [400, 422]);
  hostile('invalid UTF-8 in the place', () => phone.post('/api/v1/me/records', Buffer.concat([Buffer.from(`{"item_id":${item.A01},"started_at":${when()},"minutes":60,"place":"`), Buffer.from([0xff, 0xfe]), Buffer.from('"}')])), [400, 422]);
  hostile('fields not an object', () => self({ fields: ['送餐份数', 3] }), [422], 'fields');
  hostile('a field that is an object', () => phone.post('/api/v1/me/records', report(item.G01, { fields: { 送餐份数: { n: 3 } } })), [422], 'fields.送餐份数');
  hostile('a field of 201 characters', () => phone.post('/api/v1/me/records', report(item.G02, { fields: { 服务对象: FOUR.repeat(201) } })), [422], 'fields.服务对象');
  hostile('a field name of 41 characters', () => self({ fields: { [FOUR.repeat(41)]: 'x' } }), [422], 'fields');
  hostile('an unknown field named in 40 four-byte characters', () => self({ fields: { [FOUR.repeat(40)]: 'x' } }), [422], `fields.${FOUR.repeat(40)}`);
  hostile('nine fields', () => self({ fields: Object.fromEntries([...Array(9)].map((_, i) => [`项${i}`, 'x'])) }), [422], 'fields');
  hostile('a choice with a comma in it', () => phone.post('/api/v1/me/records', report(item.G05, { fields: { 咨询类别: ['婚姻家庭,其他'] } })), [422], 'fields.咨询类别');
});

describe('overlapping services', () => {
  let at, before4, before8; // a service at `at` (2 hours); one 4 hours before it, waiting (1 hour); one 8 hours before, confirmed (1 hour)
  before(async () => {
    at = when();
    await made(phone, '/api/v1/me/records', report(item.A02, { started_at: at, minutes: 120 }));
    before4 = (await made(phone, '/api/v1/me/records', report(item.A02, { started_at: at - 4 * 3600, minutes: 60 }))).id;
    before8 = (await made(staff, '/api/v1/records', { member_id: file.id, ...report(item.A02, { started_at: at - 8 * 3600, minutes: 60 }),
      confirm: true })).id;
  });
  hostile('one starting inside another', () => self({ started_at: at + 3600, minutes: 30 }), [409], 'started_at');
  hostile('one that covers another', () => self({ started_at: at - 600, minutes: 180 }), [409], 'started_at');
  hostile('one running into another', () => entry({ started_at: at - 1800, minutes: 31 }), [409], 'started_at');
  hostile('longer minutes that reach the next service', () => staff.post(`/api/v1/records/${before4}/minutes`, { minutes: 241, reason: '按签到表' }),
    [409], 'started_at');
  hostile('a correction that makes a confirmed service reach the next', () => staff.post(`/api/v1/records/${before8}/corrections`,
    { minutes: 241, reason: '补记' }), [409], 'started_at');
  test('one that ends as the other begins is no overlap, nor one that begins as it ends', async () => {
    await made(phone, '/api/v1/me/records', report(item.A02, { started_at: at - 1800, minutes: 30 }));
    await made(phone, '/api/v1/me/records', report(item.A02, { started_at: at + 7200, minutes: 30 }));
    await made(staff, `/api/v1/records/${before4}/minutes`, { minutes: 210, reason: '按签到表' }, 200);
  });
});

describe('minutes, decisions, corrections, requests', () => {
  hostile('minutes negative', () => staff.post(`/api/v1/records/${pendingId}/minutes`, { minutes: -1, reason: '按签到表' }), [422], 'minutes');
  hostile('minutes zero', () => staff.post(`/api/v1/records/${pendingId}/minutes`, { minutes: 0, reason: '按签到表' }), [422], 'minutes');
  hostile('minutes beyond a day', () => staff.post(`/api/v1/records/${pendingId}/minutes`, { minutes: 1441, reason: '按签到表' }), [422], 'minutes');
  hostile('minutes without a reason', () => staff.post(`/api/v1/records/${pendingId}/minutes`, { minutes: 30 }), [422], 'reason');
  hostile('minutes with a reason of 201 characters', () => staff.post(`/api/v1/records/${pendingId}/minutes`, { minutes: 30, reason: FOUR.repeat(201) }), [422], 'reason');
  hostile('reject with a blank reason', () => staff.post(`/api/v1/records/${pendingId}/reject`, { reason: '' }), [422], 'reason');
  hostile('reject with a reason that is a number', () => staff.post(`/api/v1/records/${pendingId}/reject`, { reason: 12345 }), [422], 'reason');
  hostile('confirm a record that does not exist', () => staff.post('/api/v1/records/987654/confirm'), [404]);
  hostile('confirm a path that is no id', () => staff.post('/api/v1/records/1%20OR%201/confirm'), [404]);
  hostile('confirm id 0', () => staff.post('/api/v1/records/0/confirm'), [404]);
  hostile('confirm an id past 2^63', () => staff.post('/api/v1/records/99999999999999999999/confirm'), [404]);
  hostile('correction below 0', () => staff.post(`/api/v1/records/${confirmedId}/corrections`, { minutes: -60, reason: '倒扣' }), [422], 'minutes');
  hostile('correction beyond a day', () => staff.post(`/api/v1/records/${confirmedId}/corrections`, { minutes: 1441, reason: '补记' }), [422], 'minutes');
  hostile('correction without a reason', () => staff.post(`/api/v1/records/${confirmedId}/corrections`, { minutes: 30 }), [422], 'reason');
  hostile('request with minutes below 0', () => phone.post(`/api/v1/records/${confirmedId}/requests`, { reason: '少记了', minutes: -5 }), [422], 'minutes');
  hostile('request with a second waiting', () => phone.post(`/api/v1/records/${confirmedId}/requests`, { reason: '再问一次' }), [409]);
  hostile('accept with minutes beyond a day', () => staff.post(`/api/v1/record-requests/${requestId}/accept`, { minutes: 1441 }), [422], 'minutes');
  hostile('accept with an unknown key', () => staff.post(`/api/v1/record-requests/${requestId}/accept`, { state: 'accepted' }), [422], 'state');
  hostile('decline without an answer', () => staff.post(`/api/v1/record-requests/${requestId}/decline`, {}), [422], 'answer');
  hostile('answer a request that does not exist', () => staff.post('/api/v1/record-requests/987654/decline', { answer: '不予更正' }), [404]);
});

describe('bulk confirmation', () => {
  hostile('ids not a list', () => staff.post('/api/v1/records/confirm', { ids: pendingId }), [422], 'ids');
  hostile('ids of text', () => staff.post('/api/v1/records/confirm', { ids: ['1', '2'] }), [422], 'ids');
  hostile('a negative id', () => staff.post('/api/v1/records/confirm', { ids: [-1] }), [422], 'ids');
  hostile('1,001 ids', () => staff.post('/api/v1/records/confirm', { ids: [...Array(1001)].map((_, i) => i + 1) }), [422], 'ids');
  hostile('an activity id of text', () => staff.post('/api/v1/records/confirm', { activity_id: 'all' }), [422], 'activity_id');
});

describe('lists', () => {
  for (const [name, qs] of [['an unknown state', 'state=approved'], ['an unknown source', 'source=phone'],
    ['a community of 11 digits', 'community=44011100201'], ['a community with SQL', "community=440111'--"],
    ['a member id below 1', 'member_id=0'], ['an after that is no number', 'after=abc'], ['per_page of 1,000', 'per_page=1000'],
    ['page 0', 'page=0'], ['a date of text', 'from=yesterday'], ['an activity id past 2^63', 'activity_id=99999999999999999999']]) {
    hostile(`queue: ${name}`, () => staff.get(`/api/v1/records?${qs}`), [400]);
  }
  hostile('my records: an unknown state', () => phone.get('/api/v1/me/records?state=mine'), [400]);
  hostile('requests: an unknown state', () => staff.get('/api/v1/record-requests?state=pending'), [400]);
  hostile('requests: a community of letters', () => staff.get('/api/v1/record-requests?community=abcdefghijkl'), [400]);
  hostile('a record id that is no number', () => staff.get('/api/v1/records/1e3'), [404]);
});

// Every text a record keeps, at its limit in 4-byte characters: stored and read back whole.
describe('texts at their limits in 4-byte characters', () => {
  const T = (n) => FOUR.repeat(n);

  test('place (100), content (500) and an extra field (200) of a report', async () => {
    const r = await made(phone, '/api/v1/me/records', report(item.G02, { place: T(100), content: T(500), fields: { 服务对象: T(200) } }));
    const d = (await staff.get(`/api/v1/records/${r.id}`)).json;
    assert.equal(d.place, T(100));
    assert.equal(d.content, T(500));
    assert.deepEqual(d.fields, [{ name: '服务对象', value: T(200) }]);
    const listed = (await staff.get(`/api/v1/records?member_id=${file.id}&per_page=100`)).json.items.find((x) => x.id === r.id);
    assert.equal(listed.content, T(500));
  });

  test('the reasons of minutes and of a rejection (200)', async () => {
    const id = (await made(phone, '/api/v1/me/records', report(item.A01))).id;
    const m = await made(staff, `/api/v1/records/${id}/minutes`, { minutes: 30, reason: T(200) }, 200);
    assert.equal(m.reason, T(200));
    assert.equal(m.timeline.at(-1).note, `90 → 30 分钟：${T(200)}`);
    const r = await made(staff, `/api/v1/records/${id}/reject`, { reason: T(200) }, 200);
    assert.equal(r.reason, T(200));
    assert.equal(r.timeline.at(-1).note, T(200));
    const audit = (await admin.get(`/api/v1/audit?target_type=record&target_id=${id}&action=record.reject`)).json.items[0];
    assert.equal(audit.detail, T(200));
  });

  test('a correction\'s reason, a request\'s reason and the answer (200)', async () => {
    const id = (await made(staff, '/api/v1/records', { member_id: file.id, ...report(item.A01, { minutes: 60 }), confirm: true })).id;
    const c = await made(staff, `/api/v1/records/${id}/corrections`, { minutes: 70, reason: T(200) });
    assert.equal(c.corrections[0].reason, T(200));
    assert.equal(c.timeline.at(-1).note, `60 → 70 分钟：${T(200)}`);
    const q = await made(phone, `/api/v1/records/${id}/requests`, { reason: T(200), minutes: 80 });
    assert.equal(q.reason, T(200));
    const d = (await phone.get(`/api/v1/records/${id}`)).json;
    assert.equal(d.timeline.at(-1).note, `应为 80 分钟：${T(200)}`);
    const a = await made(staff, `/api/v1/record-requests/${q.id}/decline`, { answer: T(200) }, 200);
    assert.equal(a.answer, T(200));
    assert.equal(a.reason, T(200));
  });

  test('a request granted as asked: the correction names the request whole', async () => {
    const id = (await made(staff, '/api/v1/records', { member_id: file.id, ...report(item.A01, { minutes: 60 }), confirm: true })).id;
    const q = await made(phone, `/api/v1/records/${id}/requests`, { reason: T(200), minutes: 75 });
    await made(staff, `/api/v1/record-requests/${q.id}/accept`, {}, 200);
    const d = (await phone.get(`/api/v1/records/${id}`)).json;
    assert.equal(d.total_minutes, 75);
    assert.equal(d.corrections[0].reason, `应本人申请更正：${T(200)}`);
  });
});
