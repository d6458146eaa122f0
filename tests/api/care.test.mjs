// care.test.mjs: the care register (帮扶对象): sealed categories and health notes, masked lists, reveals audited;
// pairings by staff and members' offers; visits as pending service records; the overdue rule; emergency mode
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, dbQuery } from '../lib/server.mjs';
import { assertProblem, assertFieldError, assertCleanLog, loginAs, SHILIUQIAO, FEIE } from './helpers.mjs';
import { everyone, matrix, reportedMember, wide } from './serving-people.mjs';

const T0 = Date.UTC(2026, 2, 2, 2, 0, 0) / 1000; // 2026-03-02 10:00 in China
const DAY = 86400;
let srv, as, memberId, elsewhereId;

before(async () => {
  srv = await startServer({ clock: T0 });
  ({ as, memberId, elsewhereId } = await everyone(srv));
});
after(async () => {
  await srv.stop();
  assertCleanLog(srv.log());
});

const entry = (over = {}) => ({
  community_code: SHILIUQIAO, name: '张三丰', phone: '13800138000', address: '石榴桥路 8 号 301',
  categories: ['empty_nest', 'serious_illness'], basis: 'consent', consented_on: '2026-03-01',
  help_what: '每周买菜、陪同就医', help_who: '结对党员', help_often: '每周一次', health_note: '冠心病，每日服药', ...over,
});
const add = async (over = {}, by = as.staff) => {
  const r = await by.post('/api/v1/care', entry(over));
  assert.equal(r.status, 201, r.text);
  return r.json;
};
const edit = (e, over = {}) => {
  const { community_code: _c, categories: _k, health_note: _h, ...rest } = entry(over);
  return { ...rest, ...over };
};
const list = async (query = '', by = as.staff) => (await by.get(`/api/v1/communities/${SHILIUQIAO}/care${query}`)).json;
const auditOf = async (action) => (await as.admin.get(`/api/v1/audit?action=${action}&per_page=100`)).json.items;
// Moving the clock by days ends every idle session: everyone signs in again.
async function setClock(t) {
  srv.setClock(t);
  for (const r of ['admin', 'org', 'org2', 'staff', 'staff2', 'unit', 'resident']) as[r] = await loginAs(srv, r);
  as.member = await loginAs(srv, 'm_here');
  as.memberElsewhere = await loginAs(srv, 'm_there');
  as.memberWaiting = await loginAs(srv, 'member');
}
const mine = async (c = as.member) => (await c.get('/api/v1/me/pairings')).json;

describe('categories', () => {
  test('the seeded list, and the administrator adds one; nobody else may', async () => {
    const r = await as.staff.get('/api/v1/care-categories');
    assert.equal(r.status, 200, r.text);
    const names = r.json.items.map((c) => c.name);
    for (const n of ['低保', '特困供养', '因病致贫', '因残致贫', '下岗失业', '孤寡老人', '独居/空巢老人', '留守儿童',
      '事实无人抚养儿童', '残疾', '重病', '严重精神障碍', '困难党员', '优抚对象']) assert.ok(names.includes(n), n);
    assert.deepEqual(r.json.items.find((c) => c.code === 'mental_illness'),
      { code: 'mental_illness', name: '严重精神障碍', sensitive: true, frequency: 'daily_phone' });
    const a = await as.admin.post('/api/v1/care-categories', { code: 'flood_risk', name: wide(20), frequency: 'weekly', sensitive: false });
    assert.equal(a.status, 201, a.text);
    assert.ok((await as.staff.get('/api/v1/care-categories')).json.items.some((c) => c.code === 'flood_risk'));
    assertProblem(await as.admin.post('/api/v1/care-categories', { code: 'flood_risk', name: '另一个', frequency: 'weekly' }), 409, 'conflict');
    assertProblem(await as.admin.post('/api/v1/care-categories', { code: 'flood2', name: wide(20), frequency: 'weekly' }), 409, 'conflict');
    for (const [over, field] of [[{ code: 'Bad-Code' }, 'code'], [{ name: wide(21) }, 'name'], [{ frequency: 'yearly' }, 'frequency'],
      [{ sensitive: 'yes' }, 'sensitive'], [{ extra: 1 }, 'extra'], [{ code: wide(33) }, 'code']])
      assertFieldError(await as.admin.post('/api/v1/care-categories', { code: 'x1', name: '某类', frequency: 'weekly', ...over }), field,
        undefined, JSON.stringify(over));
    const deny = { org: 403, org2: 403, staff: 403, staff2: 403, unit: 403, member: 403, memberElsewhere: 403, memberWaiting: 403,
      resident: 403, anon: 401 };
    await matrix(as, { ...deny, admin: 201 }, (c) => c.post('/api/v1/care-categories', { code: 'm_cat', name: '矩阵类', frequency: 'monthly' }),
      'add a category');
    await matrix(as, { ...deny, admin: 200, staff: 200, staff2: 200 }, (c) => c.get('/api/v1/care-categories'), 'read the categories');
    assert.equal((await auditOf('care_category.create')).filter((a) => a.outcome === 'ok').length, 2, 'each addition audited, the refused ones not');
  });
});

describe('the register', () => {
  test('staff register someone: the categories and the health note are sealed, the list masks the name', async () => {
    const e = await add();
    assert.deepEqual([e.name, e.ncategories, e.has_health_note, e.categories, e.health_note, e.frequency, e.state],
      ['张三丰', 2, true, null, null, 'weekly', 'active'], 'the most frequent default of its categories: weekly');
    assert.deepEqual([e.basis, e.consented_on, e.consent_by_name !== '', e.next_due, e.last_visit, e.overdue],
      ['consent', '2026-03-01', true, '2026-03-09', '', false]);
    const row = (await list()).items.find((x) => x.id === e.id);
    assert.deepEqual([row.name_masked, row.phone_masked, row.categories_label, row.ncategories], ['张*', '138****8000', '已登记 2 项', 2]);
    assert.equal(row.name, undefined);
    const text = JSON.stringify(await list());
    for (const s of ['张三丰', '13800138000', 'serious_illness', '重病', '冠心病']) assert.ok(!text.includes(s), `the list never shows ${s}`);
    const one = JSON.stringify((await as.staff.get(`/api/v1/care/${e.id}`)).json);
    for (const s of ['serious_illness', '冠心病']) assert.ok(!one.includes(s), `the entry shows ${s} only when revealed`);
    assert.equal((await auditOf('care.create')).filter((a) => a.target_id === String(e.id)).length, 1);
  });

  test('a reveal needs a reason, gives the sealed fields in clear, and is audited with the reason', async () => {
    const e = await add({ name: '李四' });
    const before = (await auditOf('care.reveal')).length;
    assertFieldError(await as.staff.post(`/api/v1/care/${e.id}/reveal`, { reason: '看' }), 'reason', 'too_short');
    assertFieldError(await as.staff.post(`/api/v1/care/${e.id}/reveal`, {}), 'reason', 'required');
    assertFieldError(await as.staff.post(`/api/v1/care/${e.id}/reveal`, { reason: wide(101) }), 'reason', 'too_long');
    assert.equal((await auditOf('care.reveal')).length, before, 'a refused reveal leaves no entry and shows nothing');
    const r = await as.staff.post(`/api/v1/care/${e.id}/reveal`, { reason: '制定帮扶计划需要' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.categories, [{ code: 'empty_nest', name: '独居/空巢老人', sensitive: false },
      { code: 'serious_illness', name: '重病', sensitive: true }]);
    assert.equal(r.json.health_note, '冠心病，每日服药');
    const w = await as.admin.post(`/api/v1/care/${e.id}/reveal`, { reason: wide(100) });
    assert.equal(w.status, 200, w.text);
    const audit = (await auditOf('care.reveal')).filter((a) => a.target_id === String(e.id));
    assert.deepEqual(audit.map((a) => a.detail).sort(), ['制定帮扶计划需要', wide(100)].sort(), 'every reveal audited with its reason');
    assert.deepEqual([...new Set(audit.map((a) => a.target_type))], ['care']);
  });

  test('an edit keeps the sealed fields unless sent; consent and statutory bases; closing', async () => {
    const e = await add({ name: '王五' });
    const p = await as.staff.patch(`/api/v1/care/${e.id}`, edit(e, { address: '石榴桥路 9 号', frequency: 'monthly' }));
    assert.equal(p.status, 200, p.text);
    assert.deepEqual([p.json.address, p.json.frequency, p.json.ncategories, p.json.has_health_note], ['石榴桥路 9 号', 'monthly', 2, true]);
    const kept = (await as.staff.post(`/api/v1/care/${e.id}/reveal`, { reason: '核对修改' })).json;
    assert.deepEqual([kept.categories.length, kept.health_note], [2, '冠心病，每日服药']);
    const q = await as.staff.patch(`/api/v1/care/${e.id}`, { ...edit(e), categories: ['dibao'], health_note: '',
      basis: 'statutory', law: '《社会救助暂行办法》第十一条' });
    assert.equal(q.status, 200, q.text);
    assert.deepEqual([q.json.ncategories, q.json.has_health_note, q.json.basis, q.json.law, q.json.consented_on, q.json.consent_by_name],
      [1, false, 'statutory', '《社会救助暂行办法》第十一条', '', '']);
    assert.equal(q.json.frequency, 'monthly', 'new categories without a frequency: their default (低保: monthly)');
    assertFieldError(await as.staff.patch(`/api/v1/care/${e.id}`, { ...edit(e), basis: 'statutory', law: '' }), 'law');
    assertFieldError(await as.staff.patch(`/api/v1/care/${e.id}`, { ...edit(e), consented_on: '' }), 'consented_on', 'required');
    assertFieldError(await as.staff.patch(`/api/v1/care/${e.id}`, { ...edit(e), consented_on: '2026-03-03' }), 'consented_on', 'format',
      'consent in the future');
    assertFieldError(await as.staff.patch(`/api/v1/care/${e.id}`, { ...edit(e), community_code: FEIE }), 'community_code', 'unknown',
      'an entry stays in its community');
    assertFieldError(await as.staff.post(`/api/v1/care/${e.id}/close`, { reason: '' }), 'reason');
    const c = await as.staff.post(`/api/v1/care/${e.id}/close`, { reason: '已搬离本社区' });
    assert.equal(c.status, 200, c.text);
    assert.deepEqual([c.json.state, c.json.close_reason], ['closed', '已搬离本社区']);
    assertProblem(await as.staff.post(`/api/v1/care/${e.id}/close`, { reason: '再次销号' }), 409, 'bad_state');
    assertProblem(await as.staff.patch(`/api/v1/care/${e.id}`, edit(e)), 409, 'bad_state');
    assert.ok(!(await list()).items.some((x) => x.id === e.id), 'the list shows active entries');
    assert.ok((await list('?state=closed')).items.some((x) => x.id === e.id));
    assert.ok((await list('?state=all')).items.some((x) => x.id === e.id));
    assert.equal((await auditOf('care.close')).filter((a) => a.target_id === String(e.id)).length, 1);
  });

  test('a household and a resident account of the community may be linked; others not', async () => {
    const g = await as.staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: '帮扶网格' });
    const b = await as.staff.post(`/api/v1/regions/${g.json.code}/children`, { name: '帮扶楼' });
    const h = await as.staff.post('/api/v1/households', { building_code: b.json.code, room: '101' });
    assert.equal(h.status, 201, h.text);
    const residentId = (await as.resident.get('/api/v1/me')).json.id;
    const e = await add({ household_id: h.json.id, account_id: residentId });
    assert.deepEqual([e.household_id, e.account_id], [h.json.id, residentId]);
    assertFieldError(await as.staff.post('/api/v1/care', entry({ household_id: 999999 })), 'household_id', 'not_found');
    const staffId = (await as.staff.get('/api/v1/me')).json.id;
    assertFieldError(await as.staff.post('/api/v1/care', entry({ account_id: staffId })), 'account_id', 'not_found');
  });

  test('text at its limits in 4-byte characters is kept; one character more is refused', async () => {
    const e = await add({ name: wide(50), address: wide(200), help_what: wide(200), help_who: wide(100), help_often: wide(50),
      health_note: wide(500) });
    assert.deepEqual([e.name, e.address, e.help_what, e.help_who, e.help_often], [wide(50), wide(200), wide(200), wide(100), wide(50)]);
    assert.equal((await as.staff.post(`/api/v1/care/${e.id}/reveal`, { reason: '核对' })).json.health_note, wide(500));
    const s = await add({ basis: 'statutory', law: wide(100), consented_on: undefined });
    assert.equal(s.law, wide(100));
    const c = await as.staff.post(`/api/v1/care/${s.id}/close`, { reason: wide(200) });
    assert.equal(c.status, 200, c.text);
    for (const [over, field] of [[{ name: wide(51) }, 'name'], [{ address: wide(201) }, 'address'], [{ help_what: wide(201) }, 'help_what'],
      [{ help_who: wide(101) }, 'help_who'], [{ help_often: wide(51) }, 'help_often'], [{ health_note: wide(501) }, 'health_note'],
      [{ basis: 'statutory', law: wide(101) }, 'law'], [{ phone: wide(21) }, 'phone'], [{ categories: [wide(33)] }, 'categories[0]']])
      assertFieldError(await as.staff.post('/api/v1/care', entry(over)), field, 'too_long', field);
    const other = await add();
    assertFieldError(await as.staff.post(`/api/v1/care/${other.id}/close`, { reason: wide(201) }), 'reason', 'too_long');
  });

  test('bad input names the field and writes nothing', async () => {
    const before = (await list('?state=all')).total;
    const audits = (await auditOf('care.create')).length;
    const cases = [
      [{ name: '' }, 'name'], [{ name: 5 }, 'name'], [{ phone: '12345' }, 'phone'], [{ categories: [] }, 'categories'],
      [{ categories: 'dibao' }, 'categories'], [{ categories: ['no_such'] }, 'categories'], [{ categories: ['dibao', 'dibao'] }, 'categories'],
      [{ categories: Array.from({ length: 15 }, () => 'dibao') }, 'categories'], [{ basis: 'oral' }, 'basis'], [{ basis: undefined }, 'basis'],
      [{ consented_on: '2026-02-30' }, 'consented_on'], [{ help_what: '' }, 'help_what'], [{ frequency: 'hourly' }, 'frequency'],
      [{ household_id: 'x' }, 'household_id'], [{ household_id: -1 }, 'household_id'], [{ community_code: FEIE }, 'community_code'],
      [{ community_code: '44011100201x' }, 'community_code'], [{ community_code: undefined }, 'community_code'], [{ extra: 1 }, 'extra'],
      [{ name: ['张三'] }, 'name'], [{ help_what: { a: 1 } }, 'help_what'],
    ];
    for (const [over, field] of cases) {
      const body = entry(over);
      for (const k of Object.keys(over)) if (over[k] === undefined) delete body[k];
      assertFieldError(await as.staff.post('/api/v1/care', body), field, undefined, JSON.stringify(over));
    }
    assertProblem(await as.staff.post('/api/v1/care', 'not json'), 400);
    assertProblem(await as.staff.post('/api/v1/care', [1, 2]), 400);
    assert.equal((await list('?state=all')).total, before, 'nothing written');
    assert.equal((await auditOf('care.create')).length, audits, 'nothing audited');
    for (const q of ['?frequency=hourly', '?overdue=2', '?state=gone', '?page=0'])
      assertProblem(await as.staff.get(`/api/v1/communities/${SHILIUQIAO}/care${q}`), 400, 'bad_query', q);
  });
});

describe('pairings and what a paired member sees', () => {
  let e, other, pairing;

  before(async () => {
    e = await add({ name: '赵六', address: '石榴桥路 1 号 502' });
    other = await add({ name: '钱七', address: '石榴桥路 2 号 101' });
  });

  test('staff pair a member; the member sees only name, address, help, frequency and visits due', async () => {
    const r = await as.staff.post(`/api/v1/care/${e.id}/pairings`, { member_id: memberId });
    assert.equal(r.status, 201, r.text);
    pairing = r.json;
    assert.deepEqual([r.json.kind, r.json.state, r.json.care_id, r.json.member_id], ['member', 'active', e.id, memberId]);
    assertProblem(await as.staff.post(`/api/v1/care/${e.id}/pairings`, { member_id: memberId }), 409, 'duplicate');
    assertFieldError(await as.staff.post(`/api/v1/care/${e.id}/pairings`, { member_id: elsewhereId }), 'member_id', 'not_found',
      'a member of another community');
    assertFieldError(await as.staff.post(`/api/v1/care/${e.id}/pairings`, {}), 'member_id', 'required');
    assertFieldError(await as.staff.post(`/api/v1/care/${e.id}/pairings`, { member_id: memberId, unit_id: 1 }), 'member_id', 'required',
      'exactly one');
    assertFieldError(await as.staff.post(`/api/v1/care/${e.id}/pairings`, { member_id: 'x' }), 'member_id');
    const m = await mine();
    assert.equal(m.items.length, 1);
    assert.deepEqual(Object.keys(m.items[0]).sort(), ['address', 'care_id', 'frequency', 'help_often', 'help_what', 'last_visit', 'name',
      'next_due', 'overdue', 'pairing_id', 'via_team'].sort(), 'nothing else: no phone, no categories, no health note');
    assert.deepEqual([m.items[0].name, m.items[0].address, m.items[0].next_due, m.items[0].overdue], ['赵六', '石榴桥路 1 号 502', '2026-03-09', false]);
    const text = JSON.stringify(m);
    for (const s of ['钱七', '冠心病', 'serious_illness', '重病', '13800138000']) assert.ok(!text.includes(s), `the member never sees ${s}`);
    assert.deepEqual((await mine(as.memberElsewhere)).items, []);
    // The member cannot read the register or the entry: those are the staff's.
    for (const path of [`/api/v1/care/${e.id}`, `/api/v1/care/${other.id}`, `/api/v1/communities/${SHILIUQIAO}/care`, `/api/v1/care/${e.id}/visits`])
      assertProblem(await as.member.get(path), 403, 'forbidden', path);
    assertProblem(await as.member.post(`/api/v1/care/${e.id}/reveal`, { reason: '想看看' }), 403, 'forbidden');
    const staffView = (await as.staff.get(`/api/v1/care/${e.id}`)).json;
    assert.deepEqual(staffView.pairing_list.map((p) => [p.kind, p.name.startsWith('党员'), p.state]), [['member', true, 'active']]);
  });

  test('the paired member logs a visit: a pending service record that names neither the person nor the address', async () => {
    const v = await as.member.post(`/api/v1/care/${e.id}/visits`, { how: 'home', wellbeing: wide(500), done: '买菜、打扫', needs: '想换助听器',
      minutes: 45 });
    assert.equal(v.status, 201, v.text);
    assert.deepEqual([v.json.how, v.json.minutes, v.json.visited_on, v.json.member_id, v.json.wellbeing], ['home', 45, '2026-03-02', memberId, wide(500)]);
    assert.ok(v.json.record_id > 0);
    const rec = await as.staff.get(`/api/v1/records/${v.json.record_id}`);
    assert.equal(rec.status, 200, rec.text);
    assert.deepEqual([rec.json.state, rec.json.source, rec.json.origin_id, rec.json.minutes], ['pending', 'visit', v.json.id, 45]);
    const rtext = JSON.stringify(rec.json);
    for (const s of ['赵六', '石榴桥路 1 号', '助听器']) assert.ok(!rtext.includes(s), `the record never says ${s}`);
    // The member's unit sees that its member visited (the record: when, how long, in which community), never whom.
    const unitId = (await as.unit.get('/api/v1/me')).json.roles[0].unit.id;
    const phone = dbQuery(srv.db, `SELECT phone FROM member WHERE id = ${memberId}`);
    const put = await as.staff.put(`/api/v1/members/${memberId}`, { phone, unit_id: unitId });
    assert.equal(put.status, 200, put.text);
    const seen = await as.unit.get(`/api/v1/records/${v.json.record_id}`);
    assert.equal(seen.status, 200, seen.text);
    assert.deepEqual([seen.json.source, seen.json.content, seen.json.place], ['visit', '结对帮扶走访（上门）', '石榴桥社区']);
    for (const s of ['赵六', '石榴桥路 1 号', '助听器', '买菜']) assert.ok(!seen.text.includes(s), `the unit never reads ${s}`);
    assertProblem(await as.unit.get(`/api/v1/care/${e.id}/visits`), 403, 'forbidden');
    const m = (await mine()).items[0];
    assert.deepEqual([m.last_visit, m.next_due, m.overdue], ['2026-03-02', '2026-03-09', false]);
    assertProblem(await as.member.post(`/api/v1/care/${other.id}/visits`, { how: 'phone' }), 404, 'not_found', 'not paired with that one');
    assertProblem(await as.memberElsewhere.post(`/api/v1/care/${e.id}/visits`, { how: 'phone' }), 404, 'not_found');
    const s = await as.staff.post(`/api/v1/care/${other.id}/visits`, { how: 'phone', wellbeing: '精神不错' });
    assert.equal(s.status, 201, s.text);
    assert.equal(s.json.record_id, null, 'a staff visit is no member\'s service');
    const vs = (await as.staff.get(`/api/v1/care/${e.id}/visits`)).json.items;
    assert.deepEqual(vs.map((x) => [x.how, x.needs]), [['home', '想换助听器']]);
    assert.equal((await auditOf('visit.create')).length, 2);
    for (const [over, field] of [[{ how: 'letter' }, 'how'], [{}, 'how'], [{ how: 'home', wellbeing: wide(501) }, 'wellbeing'],
      [{ how: 'home', done: wide(501) }, 'done'], [{ how: 'home', needs: wide(501) }, 'needs'], [{ how: 'home', minutes: 0 }, 'minutes'],
      [{ how: 'home', minutes: 1441 }, 'minutes'], [{ how: 'home', visited_at: T0 + 10 * DAY }, 'visited_at'],
      [{ how: 'home', visited_at: T0 - 91 * DAY }, 'visited_at'], [{ how: 'home', extra: 1 }, 'extra'], [{ how: 5 }, 'how']])
      assertFieldError(await as.member.post(`/api/v1/care/${e.id}/visits`, over), field, undefined, JSON.stringify(over));
    assert.equal((await as.staff.get(`/api/v1/care/${e.id}/visits`)).json.items.length, 1, 'refused visits write nothing');
    const overlap = await as.member.post(`/api/v1/care/${e.id}/visits`, { how: 'home', visited_at: v.json.visited_at + 60, minutes: 30 });
    assertFieldError(overlap, 'visited_at', 'overlap');
    assert.equal((await as.staff.get(`/api/v1/care/${e.id}/visits`)).json.items.length, 1, 'a visit whose record is refused is not kept');
  });

  test('a member offers to pair; staff accept it naming the entry, or decline it', async () => {
    const o = await as.member.post('/api/v1/me/pairing-offers', { community_code: SHILIUQIAO, note: wide(200) });
    assert.equal(o.status, 201, o.text);
    assert.deepEqual([o.json.state, o.json.care_id, o.json.note], ['offered', null, wide(200)]);
    assertProblem(await as.member.post('/api/v1/me/pairing-offers', { community_code: SHILIUQIAO }), 409, 'duplicate');
    assertFieldError(await as.member.post('/api/v1/me/pairing-offers', { community_code: FEIE }), 'community_code', 'not_found');
    assertFieldError(await as.member.post('/api/v1/me/pairing-offers', { community_code: SHILIUQIAO, note: wide(201) }), 'note', 'too_long');
    assertFieldError(await as.memberElsewhere.post('/api/v1/me/pairing-offers', { community_code: SHILIUQIAO }), 'community_code', 'not_found');
    assert.deepEqual((await mine()).offers.map((x) => x.state), ['offered']);
    const offers = (await as.staff.get(`/api/v1/communities/${SHILIUQIAO}/pairing-offers`)).json.items;
    assert.deepEqual(offers.map((x) => x.id), [o.json.id]);
    assertProblem(await as.staff2.get(`/api/v1/communities/${SHILIUQIAO}/pairing-offers`), 404, 'not_found');
    assertProblem(await as.staff2.post(`/api/v1/pairing-offers/${o.json.id}/accept`, { care_id: other.id }), 404, 'not_found');
    const feie = await add({ community_code: FEIE, name: '孙八' }, as.staff2);
    assertFieldError(await as.staff.post(`/api/v1/pairing-offers/${o.json.id}/accept`, { care_id: feie.id }), 'care_id', 'not_found');
    assertFieldError(await as.staff.post(`/api/v1/pairing-offers/${o.json.id}/accept`, {}), 'care_id', 'required');
    const a = await as.staff.post(`/api/v1/pairing-offers/${o.json.id}/accept`, { care_id: other.id });
    assert.equal(a.status, 200, a.text);
    assert.deepEqual([a.json.state, a.json.care_id], ['active', other.id]);
    assertProblem(await as.staff.post(`/api/v1/pairing-offers/${o.json.id}/accept`, { care_id: other.id }), 409, 'bad_state');
    assert.deepEqual((await mine()).items.map((x) => x.name).sort(), ['赵六', '钱七'].sort(), 'several pairings for one member');
    const o2 = await as.member.post('/api/v1/me/pairing-offers', { community_code: SHILIUQIAO, note: '周末有空' });
    assertFieldError(await as.staff.post(`/api/v1/pairing-offers/${o2.json.id}/decline`, { reason: '' }), 'reason');
    assertFieldError(await as.staff.post(`/api/v1/pairing-offers/${o2.json.id}/decline`, { reason: wide(201) }), 'reason', 'too_long');
    const d = await as.staff.post(`/api/v1/pairing-offers/${o2.json.id}/decline`, { reason: wide(200) });
    assert.deepEqual([d.status, d.json.state, d.json.end_reason], [200, 'ended', wide(200)]);
    assert.equal((await as.staff.get(`/api/v1/communities/${SHILIUQIAO}/pairing-offers`)).json.items.length, 0);
    assertProblem(await as.staff.post(`/api/v1/pairing-offers/${pairing.id}/decline`, { reason: '不是申请' }), 409, 'bad_state',
      'an active pairing is no offer waiting');
  });

  test('several members share an entry through a team; staff end a pairing; a unit may be paired but sees nothing', async () => {
    const leader = await reportedMember(srv, 'care_leader', SHILIUQIAO, as.staff);
    const mate = await reportedMember(srv, 'care_mate', SHILIUQIAO, as.staff);
    const t = await as.staff.post('/api/v1/teams', { region_code: SHILIUQIAO, name: '石榴桥结对帮扶队', specialty: '医疗', leader_id: leader.id });
    assert.equal(t.status, 201, t.text);
    const j = await mate.client.post(`/api/v1/teams/${t.json.id}/join`, { note: '想参加' });
    assert.equal((await as.staff.post(`/api/v1/team-members/${j.json.id}/approve`)).status, 200);
    const p = await as.staff.post(`/api/v1/care/${e.id}/pairings`, { team_id: t.json.id });
    assert.equal(p.status, 201, p.text);
    assert.deepEqual([p.json.kind, p.json.name], ['team', '石榴桥结对帮扶队']);
    for (const who of [leader, mate]) {
      const m = (await mine(who.client)).items;
      assert.deepEqual(m.map((x) => [x.name, x.via_team]), [['赵六', '石榴桥结对帮扶队']]);
    }
    const v = await mate.client.post(`/api/v1/care/${e.id}/visits`, { how: 'wechat', minutes: 10 });
    assert.equal(v.status, 201, v.text);
    assert.equal(v.json.member_id, mate.id);
    const unitId = (await as.admin.get('/api/v1/units')).json.items[0].id;
    const u = await as.staff.post(`/api/v1/care/${e.id}/pairings`, { unit_id: unitId });
    assert.equal(u.status, 201, u.text);
    assertFieldError(await as.staff.post(`/api/v1/care/${e.id}/pairings`, { team_id: 999999 }), 'team_id', 'not_found');
    for (const path of [`/api/v1/care/${e.id}`, `/api/v1/care/${e.id}/pairings`, `/api/v1/care/${e.id}/visits`, `/api/v1/me/pairings`])
      assertProblem(await as.unit.get(path), 403, 'forbidden', `a unit sees nothing of whom: ${path}`);
    assertFieldError(await as.staff.post(`/api/v1/pairings/${p.json.id}/end`, { reason: '' }), 'reason');
    assertFieldError(await as.staff.post(`/api/v1/pairings/${p.json.id}/end`, { reason: wide(201) }), 'reason', 'too_long');
    assertFieldError(await as.staff.post(`/api/v1/pairings/${p.json.id}/end`, { reason: 3 }), 'reason', 'type');
    const end = await as.staff.post(`/api/v1/pairings/${p.json.id}/end`, { reason: '服务队改派' });
    assert.deepEqual([end.status, end.json.state], [200, 'ended']);
    assert.deepEqual((await mine(mate.client)).items, [], 'an ended pairing is no longer the member\'s');
    assertProblem(await mate.client.post(`/api/v1/care/${e.id}/visits`, { how: 'phone' }), 404, 'not_found');
    assertProblem(await as.staff.post(`/api/v1/pairings/${p.json.id}/end`, { reason: '再次结束' }), 409, 'bad_state');
    const pl = (await as.staff.get(`/api/v1/care/${e.id}/pairings`)).json.items;
    assert.deepEqual(pl.map((x) => [x.kind, x.state]), [['member', 'active'], ['unit', 'active'], ['team', 'ended']]);
  });
});

describe('overdue and emergency mode', () => {
  test('next due = last visit (or the day registered) + frequency; the overdue list and the member\'s flag follow', async () => {
    const e = await add({ name: '周九', categories: ['dibao'], frequency: 'monthly' });
    assert.equal(e.next_due, '2026-04-02');
    const p = await as.staff.post(`/api/v1/care/${e.id}/pairings`, { member_id: memberId });
    assert.equal(p.status, 201, p.text);
    const overdue = async () => (await as.staff.get(`/api/v1/communities/${SHILIUQIAO}/care/overdue`)).json.items.map((x) => x.id);
    assert.ok(!(await overdue()).includes(e.id));
    await setClock(T0 + 31 * DAY); // 2026-04-02: due today, not yet overdue
    assert.ok(!(await overdue()).includes(e.id));
    await setClock(T0 + 32 * DAY); // 2026-04-03
    assert.ok((await overdue()).includes(e.id));
    assert.ok((await list('?overdue=1')).items.some((x) => x.id === e.id));
    assert.ok((await list('?overdue=1&frequency=monthly')).items.every((x) => x.frequency === 'monthly'));
    const m = (await mine()).items.find((x) => x.care_id === e.id);
    assert.equal(m.overdue, true, 'the member is reminded');
    const v = await as.member.post(`/api/v1/care/${e.id}/visits`, { how: 'home' });
    assert.equal(v.status, 201, v.text);
    assert.ok(!(await overdue()).includes(e.id));
    const after = (await mine()).items.find((x) => x.care_id === e.id);
    assert.deepEqual([after.last_visit, after.next_due, after.overdue], ['2026-04-03', '2026-05-03', false]);
    assertProblem(await as.staff2.get(`/api/v1/communities/${SHILIUQIAO}/care/overdue`), 404, 'not_found');
  });

  test('emergency mode: everyone in the chosen categories, reached today or not', async () => {
    const a = await add({ name: '吴十', categories: ['mental_illness'] });
    const b = await add({ name: '郑十一', categories: ['alone_elder', 'dibao'] });
    const c = await add({ name: '冯十二', categories: ['laid_off'] });
    assertFieldError(await as.staff.post(`/api/v1/communities/${SHILIUQIAO}/emergency`, { categories: ['no_such'], on: true }), 'categories');
    assertFieldError(await as.staff.post(`/api/v1/communities/${SHILIUQIAO}/emergency`, { categories: [], on: true }), 'categories');
    assertFieldError(await as.staff.post(`/api/v1/communities/${SHILIUQIAO}/emergency`, { categories: ['dibao'] }), 'on', 'required');
    const on = await as.staff.post(`/api/v1/communities/${SHILIUQIAO}/emergency`, { categories: ['mental_illness', 'alone_elder'], on: true });
    assert.equal(on.status, 200, on.text);
    assert.deepEqual([on.json.on, on.json.categories], [true, ['mental_illness', 'alone_elder']]);
    const ids = on.json.items.map((x) => x.id);
    assert.ok(ids.includes(a.id) && ids.includes(b.id) && !ids.includes(c.id));
    assert.ok(on.json.items.every((x) => x.reached_today === false));
    assert.ok(!JSON.stringify(on.json).includes('吴十'), 'names masked on the board too');
    await as.staff.post(`/api/v1/care/${a.id}/visits`, { how: 'phone', minutes: 5 });
    const board = (await as.staff.get(`/api/v1/communities/${SHILIUQIAO}/emergency/board`)).json;
    assert.equal(board.items.find((x) => x.id === a.id).reached_today, true);
    assert.equal(board.items.find((x) => x.id === b.id).reached_today, false);
    assert.equal(board.reached, 1);
    await setClock(T0 + 33 * DAY);
    assert.equal((await as.staff.get(`/api/v1/communities/${SHILIUQIAO}/emergency/board`)).json.reached, 0, 'a new day: nobody reached yet');
    const off = await as.staff.post(`/api/v1/communities/${SHILIUQIAO}/emergency`, { on: false });
    assert.deepEqual([off.status, off.json.on, off.json.items], [200, false, []]);
    assert.equal((await auditOf('care.emergency_on')).length, 1);
    assert.equal((await auditOf('care.emergency_off')).length, 1);
  });
});

describe('who may do what: the community\'s staff and the administrator only; elsewhere nothing exists', () => {
  test('the matrix of every route', async () => {
    const e = await add({ name: '矩阵' });
    const deny = { org: 403, org2: 403, unit: 403, member: 403, memberElsewhere: 403, memberWaiting: 403, resident: 403, anon: 401 };
    const keep = { ...deny, admin: 200, staff: 200, staff2: 404 };
    await matrix(as, keep, (c) => c.get(`/api/v1/communities/${SHILIUQIAO}/care`), 'list');
    await matrix(as, keep, (c) => c.get(`/api/v1/communities/${SHILIUQIAO}/care/overdue`), 'overdue');
    await matrix(as, keep, (c) => c.get(`/api/v1/care/${e.id}`), 'read');
    await matrix(as, keep, (c) => c.patch(`/api/v1/care/${e.id}`, edit(e)), 'edit');
    await matrix(as, keep, (c) => c.post(`/api/v1/care/${e.id}/reveal`, { reason: '矩阵测试' }), 'reveal');
    await matrix(as, keep, (c) => c.get(`/api/v1/care/${e.id}/pairings`), 'pairings');
    await matrix(as, keep, (c) => c.get(`/api/v1/care/${e.id}/visits`), 'visits');
    await matrix(as, keep, (c) => c.get(`/api/v1/communities/${SHILIUQIAO}/pairing-offers`), 'offers');
    await matrix(as, keep, (c) => c.get(`/api/v1/communities/${SHILIUQIAO}/emergency/board`), 'board');
    await matrix(as, keep, (c) => c.post(`/api/v1/communities/${SHILIUQIAO}/emergency`, { on: false }), 'emergency');
    await matrix(as, { ...deny, admin: 201, staff: 201, staff2: 422 }, (c) => c.post('/api/v1/care', entry({ name: '矩阵新' })), 'add');
    await matrix(as, { ...deny, admin: 201, staff: 409, staff2: 404 },
      (c) => c.post(`/api/v1/care/${e.id}/pairings`, { member_id: memberId }), 'pair (the administrator first)');
    await setClock(T0 + 40 * DAY);
    await matrix(as, { ...deny, member: 201, admin: 201, staff: 201, staff2: 404, memberElsewhere: 404, memberWaiting: 404 },
      (c) => c.post(`/api/v1/care/${e.id}/visits`, { how: 'phone', minutes: 5 }), 'visit');
    const ended = {};
    for (const k of ['admin', 'staff', 'others']) ended[k] = (await as.staff.post(`/api/v1/care/${(await add()).id}/pairings`,
      { member_id: memberId })).json.id;
    await matrix(as, { ...deny, admin: 200, staff: 200, staff2: 404 },
      (c, role) => c.post(`/api/v1/pairings/${ended[role] || ended.others}/end`, { reason: '矩阵结束' }), 'end');
    const offer = (await as.member.post('/api/v1/me/pairing-offers', { community_code: SHILIUQIAO })).json;
    await matrix(as, { ...deny, admin: 200, staff: 409, staff2: 404 },
      (c) => c.post(`/api/v1/pairing-offers/${offer.id}/decline`, { reason: '矩阵婉拒' }), 'decline (the administrator first)');
    const offer2 = (await as.member.post('/api/v1/me/pairing-offers', { community_code: SHILIUQIAO })).json;
    const fresh = await add({ name: '矩阵申请' });
    await matrix(as, { ...deny, admin: 200, staff: 409, staff2: 404 },
      (c) => c.post(`/api/v1/pairing-offers/${offer2.id}/accept`, { care_id: fresh.id }), 'accept (the administrator first)');
    await matrix(as, { ...deny, org: 403, member: 200, memberElsewhere: 200, memberWaiting: 200, admin: 403, staff: 403, staff2: 403 },
      (c) => c.get('/api/v1/me/pairings'), 'my pairings');
    await matrix(as, { ...deny, member: 201, memberElsewhere: 422, memberWaiting: 422, admin: 403, staff: 403, staff2: 403 },
      (c) => c.post('/api/v1/me/pairing-offers', { community_code: SHILIUQIAO, note: '矩阵' }), 'offer');
    await matrix(as, { ...deny, admin: 200, staff: 200, staff2: 404 },
      async (c, role) => c.post(`/api/v1/care/${role === 'admin' ? (await add()).id : e.id}/close`, { reason: '矩阵销号' }), 'close');
    for (const path of ['/api/v1/care/0', '/api/v1/care/abc', '/api/v1/care/99999999', `/api/v1/communities/${FEIE}/care`,
      '/api/v1/communities/440111002000/care', '/api/v1/communities/4401110020x1/care'])
      assertProblem(await as.staff.get(path), 404, 'not_found', path);
  });
});
