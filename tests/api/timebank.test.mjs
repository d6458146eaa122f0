// timebank.test.mjs: the time bank: gifts of hours, the rewards shelf (爱心超市) and its redemptions — flows, the last item under 20 at once, every role, hostile input
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { loginAs, addUser, assertProblem, assertFieldError, assertCleanLog, unitBody, SHILIUQIAO, SANYANJING, HONGQIAO } from './helpers.mjs';
import { NOW, DAY, FOUR, sql, items, when, newFile, memberClient, made } from './records-helpers.mjs';

let srv, item;
const as = {};
let owner, near, far; // files with accounts: the owner and near in 石榴桥社区, far in 三眼井社区 (another district)
const RESIDENT = { phone: '13800000006', name: '张阿姨' }; // the demo's resident

// Every caller of the matrix: owner is the member in 石榴桥, far one elsewhere, waiting one not yet approved.
const ALL = ['admin', 'org', 'org2', 'staff', 'staff2', 'unit', 'unit2', 'owner', 'far', 'waiting', 'resident', 'anon'];
const DENY = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' };
function expect(r, status, what) {
  if (status >= 400 && DENY[status]) assertProblem(r, status, DENY[status], what);
  else assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
}
async function matrix(table, send, what) {
  assert.deepEqual(Object.keys(table).sort(), [...ALL].sort(), `${what}: every caller is named`);
  for (const who of ALL) expect(await send(as[who], who), table[who], `${what} as ${who}`);
}
// The refusals of a write's matrix only: the test itself then makes the change as those allowed.
async function refusals(table, send, what) {
  assert.deepEqual(Object.keys(table).sort(), [...ALL].sort(), `${what}: every caller is named`);
  for (const who of ALL.filter((w) => table[w] >= 400)) expect(await send(as[who], who), table[who], `${what} as ${who}`);
}

// Confirmed service entered by staff (义务理发: 1 point and 2 an hour): 180 minutes earn 7 points.
let ownDay = 20;
async function earn(staff, file, minutes = 180, started_at = when()) {
  return made(staff, '/api/v1/records', { member_id: file.id, item_id: item.G07, started_at, minutes, place: '社区', content: '理发', confirm: true });
}
// The owner's own days, so that no daily cap nor another service of theirs is in the way.
const ownerEarns = () => earn(as.staff, owner, 180, NOW - (ownDay++) * DAY - 12 * 3600);

async function verified() {
  const v = await as.admin.get('/api/v1/admin/ledger/verify');
  assert.equal(v.status, 200, v.text);
  assert.equal(v.json.ok, true, v.text);
}
const points = async (who) => (await who.get('/api/v1/me/points')).json;
const bank = async (who) => {
  const r = await who.get('/api/v1/me/timebank');
  assert.equal(r.status, 200, r.text);
  return r.json;
};
const shelf = (over = {}) => ({ community_code: SHILIUQIAO, name: `物品${Math.random().toString(36).slice(2, 8)}`, description: '一份',
  price: 2, stock: 5, monthly_limit: 0, ...over });
const newItem = async (over = {}, who = as.staff) => (await made(who, '/api/v1/shelf-items', shelf(over))).item;
const redeem = (who, id) => who.post('/api/v1/me/redemptions', { item_id: id });
const stockOf = (id) => Number(sql(srv, `SELECT stock FROM shelf_item WHERE id = ${id}`));

before(async () => {
  srv = await startServer({ clock: NOW });
  as.admin = await loginAs(srv, 'admin');
  const otherUnit = (await as.admin.post('/api/v1/units', unitBody({ region_code: SANYANJING }))).json.id;
  addUser(srv, 'staff2', 'staff', { region: SANYANJING });
  addUser(srv, 'org2', 'org', { region: HONGQIAO });
  addUser(srv, 'unit2', 'unit', { unit: otherUnit });
  for (const l of ['org', 'org2', 'staff', 'staff2', 'unit', 'unit2', 'resident']) as[l] = await loginAs(srv, l);
  as.anon = new Client(srv.url);
  item = items(srv);
  owner = await newFile(as.staff);
  near = await newFile(as.staff);
  far = await newFile(as.staff2, { community_code: SANYANJING });
  as.owner = await memberClient(srv, as.staff, owner);
  as.near = await memberClient(srv, as.staff, near);
  as.far = await memberClient(srv, as.staff2, far);
  as.waiting = await loginAs(srv, 'member');
  const reg = await as.waiting.post('/api/v1/me/registration', { name: '王党员', phone: '13800000005', id_number: '440111199003071232',
    community_code: SHILIUQIAO, joined_party_on: '2012-07-01' });
  assert.equal(reg.status, 201, reg.text);
  for (let i = 0; i < 3; i++) await ownerEarns(); // 21 points, 540 minutes
});
after(async () => {
  await srv?.stop();
  assertCleanLog(srv.log());
});

describe('gifts of hours (赠送时长)', () => {
  test('a member gives hours to a resident found by phone and name; each sees it, the ledger balances', async () => {
    const mine = await bank(as.owner);
    const earned = (await points(as.owner)).half.minutes;
    const r = await as.owner.post('/api/v1/me/timebank/gifts', { ...RESIDENT, minutes: 45, note: '谢谢张阿姨照看楼道' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.minutes, mine.minutes - 45);
    assert.equal(r.json.gifts[0].id, r.json.gift_id);
    assert.deepEqual([r.json.gifts[0].direction, r.json.gifts[0].to_name, r.json.gifts[0].to_phone, r.json.gifts[0].minutes],
      ['given', '张阿姨', '138****0006', 45]);
    const hers = await bank(as.resident);
    assert.equal(hers.member, false);
    assert.equal(hers.minutes, 0);
    assert.equal(hers.received_minutes, 45);
    assert.deepEqual([hers.gifts[0].direction, hers.gifts[0].from_name, hers.gifts[0].note], ['received', owner.name, '谢谢张阿姨照看楼道']);
    assert.equal(hers.gifts[0].to_phone, undefined, 'the recipient is not shown her own number back');
    // Hours given are spent from the balance; what was earned (the standing) stays.
    const p = await points(as.owner);
    assert.equal(p.minutes, mine.minutes - 45);
    assert.equal(p.half.minutes, earned);
    assert.equal(sql(srv, `SELECT count(*) FROM audit_log WHERE action = 'gift.create' AND target_id = '${r.json.gift_id}'`), '1');
    await verified();
  });

  test('hours given to another member land in their time-bank account, not in what they earned', async () => {
    const r = await as.owner.post('/api/v1/me/timebank/gifts', { phone: near.phone, name: near.name, minutes: 10 });
    assert.equal(r.status, 201, r.text);
    const theirs = await bank(as.near);
    assert.deepEqual([theirs.member, theirs.minutes, theirs.received_minutes], [true, 0, 10]);
    assert.equal((await points(as.near)).minutes, 0);
  });

  test('to oneself, beyond the balance, to nobody: refused, and nothing moves', async () => {
    const gifts = sql(srv, 'SELECT count(*) FROM gift');
    const { minutes } = await bank(as.owner);
    assertFieldError(await as.owner.post('/api/v1/me/timebank/gifts', { phone: owner.phone, name: owner.name, minutes: 5 }), 'phone', 'self');
    assertFieldError(await as.owner.post('/api/v1/me/timebank/gifts', { ...RESIDENT, minutes: minutes + 1 }), 'minutes', 'too_large');
    assertFieldError(await as.owner.post('/api/v1/me/timebank/gifts', { ...RESIDENT, minutes: 0 }), 'minutes', 'too_small');
    // A known phone with the wrong name, an unknown phone: one answer, word for word.
    const wrongName = await as.owner.post('/api/v1/me/timebank/gifts', { phone: RESIDENT.phone, name: '张阿婆', minutes: 5 });
    const unknown = await as.owner.post('/api/v1/me/timebank/gifts', { phone: '13911112222', name: '张阿姨', minutes: 5 });
    assertFieldError(wrongName, 'phone', 'not_found');
    assert.equal(wrongName.json.errors[0].message, '找不到该手机号和姓名对应的账号');
    assert.deepEqual(unknown.json, wrongName.json);
    // Staff are nobody's time bank.
    assertFieldError(await as.owner.post('/api/v1/me/timebank/gifts', { phone: '13800000003', name: '石榴桥社区党委 李社工', minutes: 5 }), 'phone', 'not_found');
    // A member with nothing earned has nothing to give.
    const e = assertFieldError(await as.waiting.post('/api/v1/me/timebank/gifts', { ...RESIDENT, minutes: 1 }), 'minutes', 'too_large');
    assert.equal(e.message, '还没有可赠送的服务时长');
    assert.equal(sql(srv, 'SELECT count(*) FROM gift'), gifts);
    assert.equal((await bank(as.owner)).minutes, minutes);
    await verified();
  });

  test('hostile gifts are refused field by field', async () => {
    const gifts = sql(srv, 'SELECT count(*) FROM gift');
    const send = (b) => as.owner.post('/api/v1/me/timebank/gifts', b);
    assertFieldError(await send({ ...RESIDENT, minutes: 1, note: FOUR.repeat(101) }), 'note', 'too_long');
    assertFieldError(await send({ ...RESIDENT, name: FOUR.repeat(51), minutes: 1 }), 'name', 'too_long');
    assertFieldError(await send({ ...RESIDENT, minutes: '5' }), 'minutes', 'type');
    assertFieldError(await send({ ...RESIDENT, minutes: 1.5 }), 'minutes');
    assertFieldError(await send({ ...RESIDENT, minutes: 1e12 }), 'minutes');
    assertFieldError(await send({ name: '张阿姨', minutes: 1 }), 'phone', 'required');
    assertFieldError(await send({ ...RESIDENT, phone: '12345', minutes: 1 }), 'phone', 'format');
    assertFieldError(await send({ ...RESIDENT, phone: FOUR.repeat(21), minutes: 1 }), 'phone', 'too_long');
    assertFieldError(await send({ ...RESIDENT, minutes: 1, to_account_id: 1 }), 'to_account_id', 'unknown');
    assertProblem(await send('{"phone":'), 400);
    assertProblem(await send('[1]'), [400, 422]);
    assert.equal(sql(srv, 'SELECT count(*) FROM gift'), gifts);
    // A name of 50 four-byte characters is read whole (and matches nobody); a note of 100 is kept whole.
    assertFieldError(await send({ ...RESIDENT, name: FOUR.repeat(50), minutes: 1 }), 'phone', 'not_found');
    const ok = await send({ ...RESIDENT, minutes: 1, note: FOUR.repeat(100) });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.json.gifts[0].note, FOUR.repeat(100));
  });

  test('who may read a time bank and give from it', async () => {
    await matrix({ admin: 403, org: 403, org2: 403, staff: 403, staff2: 403, unit: 403, unit2: 403, owner: 200, far: 200,
      waiting: 200, resident: 200, anon: 401 }, (c) => c.get('/api/v1/me/timebank'), 'GET /me/timebank');
    assertProblem(await as.owner.get('/api/v1/me/timebank?before=0'), 400, 'bad_query');
    // far and 王党员 (waiting) have earned nothing to give.
    await matrix({ admin: 403, org: 403, org2: 403, staff: 403, staff2: 403, unit: 403, unit2: 403, owner: 201, far: 422,
      waiting: 422, resident: 403, anon: 401 }, (c) => c.post('/api/v1/me/timebank/gifts', { ...RESIDENT, minutes: 1 }), 'POST /me/timebank/gifts');
  });
});

describe('the shelf (爱心超市): staff keep the items', () => {
  test('staff add, edit and retire an item; members see what is on their community\'s shelf', async () => {
    const rice = await newItem({ name: '大米 5kg', description: '东北珍珠米', price: 8, stock: 10, monthly_limit: 1 });
    assert.deepEqual([rice.community_code, rice.community_name, rice.price, rice.stock, rice.monthly_limit, rice.retired],
      [SHILIUQIAO, '石榴桥社区', 8, 10, 1, false]);
    const edited = await as.staff.put(`/api/v1/shelf-items/${rice.id}`, { name: '大米 5kg', description: '东北珍珠米，一袋', price: 6, stock: 12, monthly_limit: 2 });
    assert.equal(edited.status, 200, edited.text);
    assert.deepEqual([edited.json.item.price, edited.json.item.stock, edited.json.item.monthly_limit], [6, 12, 2]);
    const mine = (await as.owner.get('/api/v1/shelf-items')).json;
    assert.equal(mine.community_code, SHILIUQIAO);
    assert.equal(mine.points, (await points(as.owner)).points);
    const seen = mine.items.find((i) => i.id === rice.id);
    assert.equal(seen.mine_this_month, 0);
    assert.equal(seen.price, 6);
    // Off the shelf: members no longer see it, staff still do; it is kept as it was.
    const retired = await as.staff.post(`/api/v1/shelf-items/${rice.id}/retire`);
    assert.equal(retired.status, 200, retired.text);
    assert.equal(retired.json.item.retired, true);
    assert.ok(!(await as.owner.get('/api/v1/shelf-items')).json.items.some((i) => i.id === rice.id));
    assert.ok((await as.staff.get('/api/v1/shelf-items')).json.items.find((i) => i.id === rice.id).retired);
    assertProblem(await as.staff.post(`/api/v1/shelf-items/${rice.id}/retire`), 409, 'retired');
    assertProblem(await as.staff.put(`/api/v1/shelf-items/${rice.id}`, { name: '大米', price: 1, stock: 1 }), 409, 'retired');
    // The name is free again once retired; another item on the shelf keeps its own.
    await newItem({ name: '大米 5kg' });
    assertFieldError(await as.staff.post('/api/v1/shelf-items', shelf({ name: '大米 5kg' })), 'name', 'taken');
    assert.deepEqual(sql(srv, `SELECT action FROM audit_log WHERE target_type = 'shelf_item' AND target_id = '${rice.id}' ORDER BY id`).split('\n'),
      ['shelf_item.create', 'shelf_item.update', 'shelf_item.retire']);
  });

  test('who may see a shelf: the city, the street, the community; its members; out of reach is not there', async () => {
    await matrix({ admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, unit: 403, unit2: 403, owner: 200, far: 200,
      waiting: 403, resident: 403, anon: 401 }, (c) => c.get(`/api/v1/shelf-items?community=${SHILIUQIAO}`), 'GET /shelf-items');
    // far sees 三眼井's shelf, not 石榴桥's, whatever is asked.
    const theirs = (await as.far.get(`/api/v1/shelf-items?community=${SHILIUQIAO}`)).json;
    assert.equal(theirs.community_code, SANYANJING);
    assert.deepEqual(theirs.items, []);
    // Without a community, staff see their own shelves; another's staff none of these.
    assert.ok((await as.staff2.get('/api/v1/shelf-items')).json.items.every((i) => i.community_code === SANYANJING));
    assertProblem(await as.staff.get('/api/v1/shelf-items?community=abc'), 400, 'bad_query');
    assertProblem(await as.staff.get('/api/v1/shelf-items?community=440111002000'), 404, 'not_found'); // a street
    assertProblem(await as.staff.get(`/api/v1/shelf-items?community=${FOUR.repeat(13)}`), 400, 'bad_query');
  });

  test('who may add, edit and retire: admin and the community\'s staff; org reads but does not act', async () => {
    const count = () => sql(srv, 'SELECT count(*) FROM shelf_item');
    const before = count();
    await matrix({ admin: 201, org: 403, org2: 403, staff: 201, staff2: 422, unit: 403, unit2: 403, owner: 403, far: 403,
      waiting: 403, resident: 403, anon: 401 }, (c) => c.post('/api/v1/shelf-items', shelf()), 'POST /shelf-items');
    assert.equal(Number(count()), Number(before) + 2);
    assertFieldError(await as.staff2.post('/api/v1/shelf-items', shelf()), 'community_code', 'not_found');
    const it = await newItem();
    const was = sql(srv, `SELECT name || price || stock || retired_at FROM shelf_item WHERE id = ${it.id}`);
    const edit = { name: it.name, price: 3, stock: 4 };
    await refusals({ admin: 200, org: 403, org2: 403, staff: 200, staff2: 404, unit: 403, unit2: 403, owner: 403, far: 403,
      waiting: 403, resident: 403, anon: 401 }, (c) => c.put(`/api/v1/shelf-items/${it.id}`, edit), 'PUT /shelf-items/{id}');
    assert.equal(sql(srv, `SELECT name || price || stock || retired_at FROM shelf_item WHERE id = ${it.id}`), was, 'no refusal changed it');
    assert.equal((await as.admin.put(`/api/v1/shelf-items/${it.id}`, edit)).status, 200);
    assertProblem(await as.staff.put('/api/v1/shelf-items/99999', edit), 404, 'not_found');
    await refusals({ admin: 200, org: 403, org2: 403, staff: 200, staff2: 404, unit: 403, unit2: 403, owner: 403, far: 403,
      waiting: 403, resident: 403, anon: 401 }, (c) => c.post(`/api/v1/shelf-items/${it.id}/retire`), 'POST /shelf-items/{id}/retire');
    assert.equal(sql(srv, `SELECT retired_at FROM shelf_item WHERE id = ${it.id}`), '0');
    assert.equal((await as.staff.post(`/api/v1/shelf-items/${it.id}/retire`)).status, 200);
    assertProblem(await as.staff.post('/api/v1/shelf-items/abc/retire'), 404);
    // A refused write is audited as such.
    assert.ok(Number(sql(srv, "SELECT count(*) FROM audit_log WHERE action = 'shelf_item.retire' AND outcome = 'denied'")) > 0);
  });

  test('hostile items are refused field by field, and nothing is saved', async () => {
    const count = sql(srv, 'SELECT count(*) FROM shelf_item');
    const send = (over) => as.staff.post('/api/v1/shelf-items', shelf(over));
    assertFieldError(await send({ name: FOUR.repeat(41) }), 'name', 'too_long');
    assertFieldError(await send({ name: '   ' }), 'name');
    assertFieldError(await send({ description: FOUR.repeat(201) }), 'description', 'too_long');
    assertFieldError(await send({ price: 0 }), 'price');
    assertFieldError(await send({ price: 100001 }), 'price');
    assertFieldError(await send({ price: '5' }), 'price', 'type');
    assertFieldError(await send({ stock: -1 }), 'stock');
    assertFieldError(await send({ stock: 2.5 }), 'stock');
    assertFieldError(await send({ monthly_limit: 101 }), 'monthly_limit');
    assertFieldError(await send({ community_code: 'abc' }), 'community_code');
    assertFieldError(await send({ community_code: '440111002000' }), 'community_code', 'not_found'); // a street
    assertFieldError(await send({ community_code: undefined }), 'community_code', 'required');
    assertFieldError(await send({ bogus: 1 }), 'bogus', 'unknown');
    assertProblem(await as.staff.post('/api/v1/shelf-items', '{"name":'), 400);
    const it = await newItem();
    assertFieldError(await as.staff.put(`/api/v1/shelf-items/${it.id}`, { name: it.name, price: 1, stock: 1, community_code: SANYANJING }), 'community_code', 'unknown');
    assertFieldError(await as.staff.put(`/api/v1/shelf-items/${it.id}`, { name: it.name, stock: 1 }), 'price', 'required');
    assert.equal(Number(sql(srv, 'SELECT count(*) FROM shelf_item')), Number(count) + 1);
    // At their limits in four-byte characters, kept whole.
    const wide = await newItem({ name: FOUR.repeat(40), description: FOUR.repeat(200) });
    assert.equal(wide.name, FOUR.repeat(40));
    assert.equal(wide.description, FOUR.repeat(200));
  });
});

describe('redemptions (兑换): points spent, handed over by staff, or cancelled', () => {
  test('a member redeems: points spent, stock taken, standing kept; staff hand it over (已领取)', async () => {
    const soap = await newItem({ name: '洗衣液', price: 3, stock: 2, monthly_limit: 1 });
    const before = await points(as.owner);
    const r = await redeem(as.owner, soap.id);
    assert.equal(r.status, 201, r.text);
    const d = r.json.redemption;
    assert.deepEqual([d.item_name, d.member_name, d.points, d.state, d.handed_over_at], ['洗衣液', owner.name, 3, 'awaiting', null]);
    assert.equal(r.json.points, before.points - 3);
    assert.equal(stockOf(soap.id), 1);
    const after = await points(as.owner);
    assert.equal(after.points, before.points - 3);
    assert.equal(after.minutes, before.minutes, 'hours are never spent');
    assert.equal(after.half.points, before.half.points, 'the ranking counts what was earned');
    const h = (await as.owner.get('/api/v1/me/points/history')).json.items[0];
    assert.deepEqual([h.source, h.amount, h.note], ['redemption', -3, '兑换：洗衣液']);
    // The member's list and the shelf say so; the monthly limit is reached.
    assert.equal((await as.owner.get('/api/v1/me/redemptions')).json.items[0].id, d.id);
    assert.equal((await as.owner.get('/api/v1/shelf-items')).json.items.find((i) => i.id === soap.id).mine_this_month, 1);
    assertProblem(await redeem(as.owner, soap.id), 409, 'monthly_limit');
    // Staff find it in the queue and hand it over.
    const queue = await as.staff.get(`/api/v1/redemptions?community=${SHILIUQIAO}&state=awaiting`);
    assert.equal(queue.status, 200, queue.text);
    assert.ok(queue.json.items.some((x) => x.id === d.id));
    const done = await as.staff.post(`/api/v1/redemptions/${d.id}/handover`);
    assert.equal(done.status, 200, done.text);
    assert.equal(done.json.redemption.state, 'handed_over');
    assert.equal(done.json.redemption.handed_over_by, '石榴桥社区党委 李社工');
    assert.ok(done.json.redemption.handed_over_at > 0);
    assertProblem(await as.staff.post(`/api/v1/redemptions/${d.id}/handover`), 409, 'conflict');
    assertProblem(await as.owner.post(`/api/v1/me/redemptions/${d.id}/cancel`), 409, 'conflict');
    assert.equal((await as.owner.get('/api/v1/me/redemptions?state=handed_over')).json.items[0].state, 'handed_over');
    await verified();
  });

  test('a cancellation gives the points and the item back: by the member, or by staff with a reason', async () => {
    const oil = await newItem({ name: '食用油', price: 2, stock: 3 });
    const p0 = (await points(as.owner)).points;
    const a = (await redeem(as.owner, oil.id)).json.redemption;
    const mineBack = await as.owner.post(`/api/v1/me/redemptions/${a.id}/cancel`);
    assert.equal(mineBack.status, 200, mineBack.text);
    assert.deepEqual([mineBack.json.redemption.state, mineBack.json.redemption.cancelled_by_member, mineBack.json.points], ['cancelled', true, p0]);
    assert.equal(stockOf(oil.id), 3);
    const b = (await redeem(as.owner, oil.id)).json.redemption;
    assertFieldError(await as.staff.post(`/api/v1/redemptions/${b.id}/cancel`, {}), 'reason', 'required');
    assertFieldError(await as.staff.post(`/api/v1/redemptions/${b.id}/cancel`, { reason: FOUR.repeat(201) }), 'reason', 'too_long');
    const staffBack = await as.staff.post(`/api/v1/redemptions/${b.id}/cancel`, { reason: FOUR.repeat(200) });
    assert.equal(staffBack.status, 200, staffBack.text);
    assert.deepEqual([staffBack.json.redemption.cancel_reason, staffBack.json.redemption.cancelled_by_member], [FOUR.repeat(200), false]);
    assert.equal((await points(as.owner)).points, p0);
    assert.equal(stockOf(oil.id), 3);
    // Each cancellation is a correction naming the redemption's movement.
    assert.equal(sql(srv, `SELECT corrects_id FROM ledger_movement WHERE id = ${staffBack.json.redemption.cancel_movement_id}`),
      String(staffBack.json.redemption.movement_id));
    assertProblem(await as.staff.post(`/api/v1/redemptions/${b.id}/cancel`, { reason: '重复取消' }), 409, 'conflict');
    assert.deepEqual(sql(srv, `SELECT action FROM audit_log WHERE target_type = 'redemption' AND target_id = '${b.id}' ORDER BY id`).split('\n'),
      ['redemption.create', 'redemption.cancel']);
    await verified();
  });

  test('refused: out of stock, short of points, off the shelf, another community\'s, not yet approved', async () => {
    const count = () => sql(srv, "SELECT count(*) || ':' || sum(stock) FROM redemption, shelf_item");
    const none = await newItem({ stock: 0 });
    const dear = await newItem({ price: 100000 });
    const gone = await newItem();
    await as.staff.post(`/api/v1/shelf-items/${gone.id}/retire`);
    const theirs = await newItem({ community_code: SANYANJING }, as.staff2);
    const was = count();
    const p = (await points(as.owner)).points;
    assertProblem(await redeem(as.owner, none.id), 409, 'out_of_stock');
    assertProblem(await redeem(as.owner, dear.id), 409, 'not_enough_points');
    assertProblem(await redeem(as.owner, gone.id), 409, 'retired');
    assertFieldError(await redeem(as.owner, theirs.id), 'item_id', 'not_found');
    assertFieldError(await redeem(as.owner, 99999), 'item_id', 'not_found');
    assertProblem(await redeem(as.waiting, none.id), 403, 'forbidden');
    // Hostile bodies.
    assertFieldError(await as.owner.post('/api/v1/me/redemptions', { item_id: 'x' }), 'item_id', 'type');
    assertFieldError(await as.owner.post('/api/v1/me/redemptions', {}), 'item_id', 'required');
    assertFieldError(await as.owner.post('/api/v1/me/redemptions', { item_id: 0 }), 'item_id');
    assertFieldError(await as.owner.post('/api/v1/me/redemptions', { item_id: none.id, points: 1 }), 'points', 'unknown');
    assertProblem(await as.owner.post('/api/v1/me/redemptions', '{'), 400);
    assert.equal(count(), was);
    assert.equal((await points(as.owner)).points, p);
    assertProblem(await as.staff.get('/api/v1/redemptions?state=lost'), 400, 'bad_query');
    assertProblem(await as.staff.get('/api/v1/redemptions?per_page=1000'), 400, 'bad_query');
    assertProblem(await as.owner.get('/api/v1/me/redemptions?state=lost'), 400, 'bad_query');
  });

  test('twenty members at once for the last item: exactly one gets it', async () => {
    const last = await newItem({ name: '最后一袋大米', price: 2, stock: 1 });
    const files = [];
    for (let i = 0; i < 20; i++) files.push(await newFile(as.staff));
    const phones = [];
    for (const f of files) {
      await earn(as.staff, f, 60); // 3 points each
      phones.push(await memberClient(srv, as.staff, f));
    }
    const answers = await Promise.all(phones.map((c) => redeem(c, last.id)));
    const won = answers.filter((r) => r.status === 201);
    assert.equal(won.length, 1, answers.map((r) => r.status).join(' '));
    for (const r of answers.filter((x) => x.status !== 201)) assertProblem(r, 409, 'out_of_stock');
    assert.equal(stockOf(last.id), 0);
    assert.equal(sql(srv, `SELECT count(*) FROM redemption WHERE item_id = ${last.id}`), '1');
    // The nineteen kept their points; the one paid the price.
    const left = await Promise.all(phones.map(async (c) => (await points(c)).points));
    assert.deepEqual(left.sort(), [1, ...Array(19).fill(3)]);
    assert.match(srv.cli(['ledger', 'verify']), /^ok: /);
    await verified();
  });

  test('who may see the queue and act on a redemption', async () => {
    const cheap = await newItem({ price: 1, stock: 100 });
    const awaiting = async () => (await redeem(as.owner, cheap.id)).json.redemption.id;
    await matrix({ admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, unit: 403, unit2: 403, owner: 403, far: 403,
      waiting: 403, resident: 403, anon: 401 }, (c) => c.get(`/api/v1/redemptions?community=${SHILIUQIAO}`), 'GET /redemptions');
    // Without a community: what is in reach. 三眼井's staff see none of 石榴桥's.
    const page = (await as.staff.get('/api/v1/redemptions?per_page=5&page=1')).json;
    assert.equal(page.per_page, 5);
    assert.ok(page.total >= 1);
    assert.deepEqual((await as.staff2.get('/api/v1/redemptions')).json.items.filter((x) => x.community_code === SHILIUQIAO), []);
    for (const [route, body] of [['handover', undefined], ['cancel', { reason: '物品已过期' }]]) {
      const id = await awaiting();
      const state = () => sql(srv, `SELECT state FROM redemption WHERE id = ${id}`);
      await refusals({ admin: 200, org: 403, org2: 403, staff: 200, staff2: 404, unit: 403, unit2: 403, owner: 403, far: 403,
        waiting: 403, resident: 403, anon: 401 }, (c) => c.post(`/api/v1/redemptions/${id}/${route}`, body), `POST /redemptions/{id}/${route}`);
      assert.equal(state(), 'awaiting', 'no refusal changed it');
      assert.equal((await as.admin.post(`/api/v1/redemptions/${id}/${route}`, body)).status, 200);
      assert.equal(state(), route === 'handover' ? 'handed_over' : 'cancelled');
      assert.equal((await as.staff.post(`/api/v1/redemptions/${await awaiting()}/${route}`, body)).status, 200);
    }
    assertProblem(await as.staff.post('/api/v1/redemptions/99999/handover'), 404, 'not_found');
    // The member's own: another member is told it is not there.
    const id = await awaiting();
    await refusals({ admin: 403, org: 403, org2: 403, staff: 403, staff2: 403, unit: 403, unit2: 403, owner: 200, far: 404,
      waiting: 404, resident: 403, anon: 401 }, (c) => c.post(`/api/v1/me/redemptions/${id}/cancel`), 'POST /me/redemptions/{id}/cancel');
    assert.equal(sql(srv, `SELECT state FROM redemption WHERE id = ${id}`), 'awaiting');
    assert.equal((await as.owner.post(`/api/v1/me/redemptions/${id}/cancel`)).status, 200);
    await matrix({ admin: 403, org: 403, org2: 403, staff: 403, staff2: 403, unit: 403, unit2: 403, owner: 200, far: 200,
      waiting: 200, resident: 403, anon: 401 }, (c) => c.get('/api/v1/me/redemptions'), 'GET /me/redemptions');
    assert.deepEqual((await as.far.get('/api/v1/me/redemptions')).json.items, []);
    const count = sql(srv, 'SELECT count(*) FROM redemption');
    await matrix({ admin: 403, org: 403, org2: 403, staff: 403, staff2: 403, unit: 403, unit2: 403, owner: 201, far: 422,
      waiting: 403, resident: 403, anon: 401 }, (c) => redeem(c, cheap.id), 'POST /me/redemptions');
    assert.equal(Number(sql(srv, 'SELECT count(*) FROM redemption')), Number(count) + 1);
    await verified();
  });
});
