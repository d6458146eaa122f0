// duty.test.mjs: duty rosters (值守/值班): posts and week patterns of shifts, sign-up and assignment (the last
// place goes once), swaps asked, accepted and approved, check-in and closing into service records, no-shows,
// units' rotas (每天一名党员); who may do what, and hostile input that changes nothing
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { assertProblem, assertFieldError, assertCleanLog, addUser, loginAs, validIdNumber, SHILIUQIAO, FEIE } from './helpers.mjs';
import { everyone, matrix, wide, reportedMember } from './serving-people.mjs';

const H = 3600;
const D = 86400;
const MON = 1796572800; // 2026-12-07 00:00 China time, a Monday
const T0 = MON - 4 * D + 10 * H; // Thursday 2026-12-03 10:00
const at = (day, hour, min = 0) => MON + day * D + hour * H + min * 60; // day 0: 2026-12-07

let srv, as, memberId, elsewhereId, item, unitId, unit2, feieItem;
let gate, patrol; // posts of 石榴桥
const people = {}; // more members of 石榴桥: {client, id, name, form}

// A member of community in the demo unit (or unit given), approved by staff.
let serial = 0;
async function unitMember(login, unit) {
  serial += 1;
  const phone = `139${String(90000 + serial).padStart(8, '0')}`;
  addUser(srv, login, 'member', { region: SHILIUQIAO, name: `单位党员${serial}`, phone });
  const client = await loginAs(srv, login);
  const r = await client.post('/api/v1/me/registration', { name: `单位党员${serial}`, phone, community_code: SHILIUQIAO,
    id_number: validIdNumber('19800101', 500 + serial), joined_party_on: '2011-07-01', unit_id: unit });
  assert.equal(r.status, 201, r.text);
  const a = await as.staff.post(`/api/v1/registrations/${r.json.registration.id}/approve`);
  assert.equal(a.status, 200, a.text);
  return { client, id: r.json.member.id, name: `单位党员${serial}`, form: { phone } };
}

// Moves the server's clock, then signs everyone in again (days later, the sessions have expired).
const LOGINS = { admin: 'admin', org: 'org', org2: 'org2', staff: 'staff', staff2: 'staff2', unit: 'unit', resident: 'resident',
  member: 'm_here', memberElsewhere: 'm_there', memberWaiting: 'member' };
async function moveClock(t) {
  srv.setClock(t);
  for (const [role, login] of Object.entries(LOGINS)) as[role] = await loginAs(srv, login);
  for (const [k, p] of Object.entries(people)) p.client = await loginAs(srv, k.startsWith('u') ? `duty_${k}` : `duty_${k}`);
  unit2.client = await loginAs(srv, 'unit2');
}

const week = async (client, day = '2026-12-07') => client.get(`/api/v1/communities/${SHILIUQIAO}/duty?week=${day}`);
// The members holding a place on shift id (staff see cancelled places too).
const onShift = async (id) => (await as.staff.get(`/api/v1/duty-shifts/${id}`)).json.people.filter((x) => x.state !== 'cancelled').map((x) => x.member_id);
const shiftOf = (w, postId, day) => w.posts.find((p) => p.id === postId).shifts.find((s) => s.day === day);

before(async () => {
  srv = await startServer({ clock: T0 });
  ({ as, memberId, elsewhereId } = await everyone(srv));
  unitId = (await as.unit.get('/api/v1/me')).json.roles.find((r) => r.role === 'unit').unit.id;
  const listed = (await as.staff.get(`/api/v1/catalog?region=${SHILIUQIAO}`)).json.items;
  item = listed.find((i) => i.category === 'post' && !(i.fields ?? []).length);
  assert.ok(item, 'a post item without extra fields');
  feieItem = item;
  for (const name of ['a', 'b', 'c', 'd', 'e']) people[name] = await reportedMember(srv, `duty_${name}`, SHILIUQIAO, as.staff);
  const u2 = await as.admin.post('/api/v1/units', { name: '值守另一单位', party_org_name: '党支部', type: 'other',
    region_code: SHILIUQIAO.slice(0, 6) + '000000' });
  assert.equal(u2.status, 201, u2.text);
  addUser(srv, 'unit2', 'unit', { unit: u2.json.id });
  unit2 = { client: await loginAs(srv, 'unit2'), id: u2.json.id };
  people.u1 = await unitMember('duty_u1', unitId);
  people.u2 = await unitMember('duty_u2', u2.json.id);
});
after(async () => {
  await srv?.stop();
  assertCleanLog(srv.log());
});

const deny = { org: 403, org2: 403, unit: 403, member: 403, memberElsewhere: 403, memberWaiting: 403, resident: 403, anon: 401 };
const memberDeny = { admin: 403, org: 403, org2: 403, staff: 403, staff2: 403, unit: 403, resident: 403, anon: 401 };

describe('duty rosters', () => {
  test('staff create posts and shifts by a week pattern; again keeps what is there; the week view shows filled/needed', async () => {
    const g = await as.staff.post(`/api/v1/communities/${SHILIUQIAO}/duty-posts`, { name: '门岗', place: '石榴桥路 1 号大门', item_id: item.id });
    assert.equal(g.status, 201, g.text);
    gate = g.json;
    assert.deepEqual([gate.name, gate.state, gate.community_code, gate.item_id], ['门岗', 'open', SHILIUQIAO, item.id]);
    const s = await as.staff.post(`/api/v1/duty-posts/${gate.id}/shifts`, { from: '2026-12-07', to: '2026-12-13', weekdays: [1, 2, 3, 4, 5],
      start: 480, end: 720, places: 2 });
    assert.equal(s.status, 200, s.text);
    assert.deepEqual(s.json, { added: 5, kept: 0 });
    const again = await as.staff.post(`/api/v1/duty-posts/${gate.id}/shifts`, { from: '2026-12-07', to: '2026-12-20', weekdays: [1, 2, 3, 4, 5],
      start: 480, end: 720, places: 2 });
    assert.deepEqual(again.json, { added: 5, kept: 5 });
    const p = await as.staff.post(`/api/v1/communities/${SHILIUQIAO}/duty-posts`, { name: '防汛巡逻', item_id: item.id });
    patrol = p.json;
    const night = await as.staff.post(`/api/v1/duty-posts/${patrol.id}/shifts`, { from: '2026-12-07', to: '2026-12-13', weekdays: [6, 7],
      start: 22 * 60, end: 30 * 60, places: 1 });
    assert.deepEqual(night.json, { added: 2, kept: 0 }, 'a night shift, 22:00 to 06:00 the next day');
    const w = (await week(as.staff, '2026-12-09')).json;
    assert.equal(w.week, '2026-12-07', 'any day of the week shows its Monday on');
    assert.deepEqual(w.days, ['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11', '2026-12-12', '2026-12-13']);
    assert.deepEqual(w.posts.map((x) => [x.name, x.shifts.length]), [['门岗', 5], ['防汛巡逻', 2]]);
    const tue = shiftOf(w, gate.id, '2026-12-08');
    assert.deepEqual([tue.start, tue.end, tue.places, tue.filled, tue.starts_at, tue.people], [480, 720, 2, 0, at(1, 8), []]);
    const sat = shiftOf(w, patrol.id, '2026-12-12');
    assert.equal(sat.ends_at - sat.starts_at, 8 * H);
    const mine = (await week(as.member)).json;
    assert.ok(!('people' in shiftOf(mine, gate.id, '2026-12-08')), 'members see no names');
    assert.equal(shiftOf(mine, gate.id, '2026-12-08').mine, null);
    const renamed = await as.staff.patch(`/api/v1/duty-posts/${patrol.id}`, { name: '防汛巡逻（河堤）', place: '河堤', item_id: item.id });
    assert.equal(renamed.status, 200, renamed.text);
    assert.deepEqual([renamed.json.name, renamed.json.place, renamed.json.state], ['防汛巡逻（河堤）', '河堤', 'open']);
  });

  test('members sign up, staff assign; a full shift answers 409 naming it; a clash and a second place are refused; cancel frees it', async () => {
    const tue = shiftOf((await week(as.staff)).json, gate.id, '2026-12-08');
    const r = await as.member.post(`/api/v1/duty-shifts/${tue.id}/signup`);
    assert.equal(r.status, 201, r.text);
    assert.deepEqual([r.json.state, r.json.member_id], ['signed', memberId]);
    assertProblem(await as.member.post(`/api/v1/duty-shifts/${tue.id}/signup`), 409, 'already');
    assert.equal((await people.a.client.post(`/api/v1/duty-shifts/${tue.id}/signup`)).status, 201);
    const full = await people.b.client.post(`/api/v1/duty-shifts/${tue.id}/signup`);
    assertProblem(full, 409, 'full');
    assert.match(full.json.title, /门岗 2026-12-08 08:00–12:00/);
    const wed = shiftOf((await week(as.staff)).json, gate.id, '2026-12-09');
    const as1 = await as.staff.post(`/api/v1/duty-shifts/${wed.id}/assign`, { member_id: people.b.id });
    assert.equal(as1.status, 201, as1.text);
    assert.equal(as1.json.state, 'assigned');
    assertFieldError(await as.staff.post(`/api/v1/duty-shifts/${wed.id}/assign`, { member_id: elsewhereId }), 'member_id', 'not_found');
    assertProblem(await as.memberElsewhere.post(`/api/v1/duty-shifts/${wed.id}/signup`), 404, 'not_found');
    // A post at an overlapping time: the member on the gate at 8–12 cannot be at the office at 10–14.
    const office = (await as.staff.post(`/api/v1/communities/${SHILIUQIAO}/duty-posts`, { name: '社区值班', item_id: item.id })).json;
    await as.staff.post(`/api/v1/duty-posts/${office.id}/shifts`, { from: '2026-12-08', to: '2026-12-08', weekdays: [2], start: 600, end: 840, places: 3 });
    const off = shiftOf((await week(as.staff)).json, office.id, '2026-12-08');
    assertProblem(await as.member.post(`/api/v1/duty-shifts/${off.id}/signup`), 409, 'clash');
    assertProblem(await as.staff.post(`/api/v1/duty-shifts/${off.id}/assign`, { member_id: memberId }), 409, 'clash');
    // The week view: filled/needed and the names for staff; the member's own place for the member.
    const w = (await week(as.staff)).json;
    assert.deepEqual(shiftOf(w, gate.id, '2026-12-08').people.map((x) => x.member_name).sort(), ['党员duty_a', '党员m_here'].sort());
    assert.equal(shiftOf(w, gate.id, '2026-12-08').filled, 2);
    const mw = (await week(as.member)).json;
    assert.equal(shiftOf(mw, gate.id, '2026-12-08').mine.id, r.json.id);
    assert.deepEqual(Object.keys(shiftOf(mw, gate.id, '2026-12-08').mine).sort(), ['checked_in_at', 'id', 'record', 'state']);
    // My shifts: upcoming first, soonest first.
    await as.member.post(`/api/v1/duty-shifts/${shiftOf(w, gate.id, '2026-12-11').id}/signup`);
    const mine = (await as.member.get('/api/v1/me/shifts')).json.items;
    assert.deepEqual(mine.map((x) => x.shift.day), ['2026-12-08', '2026-12-11']);
    // Cancel: only one's own (or staff); the place comes free.
    assertProblem(await people.b.client.post(`/api/v1/duty-assignments/${r.json.id}/cancel`), 404, 'not_found');
    const fri = mine[1];
    const c = await as.member.post(`/api/v1/duty-assignments/${fri.id}/cancel`);
    assert.equal(c.status, 200, c.text);
    assert.equal(c.json.state, 'cancelled');
    assertProblem(await as.member.post(`/api/v1/duty-assignments/${fri.id}/cancel`), 409, 'state');
    assert.equal(shiftOf((await week(as.staff)).json, gate.id, '2026-12-11').filled, 0);
    assert.deepEqual((await as.member.get('/api/v1/me/shifts')).json.items.map((x) => x.shift.day), ['2026-12-08']);
  });

  test('two members at once for the last place: exactly one wins', async () => {
    const race = (await as.staff.post(`/api/v1/communities/${SHILIUQIAO}/duty-posts`, { name: '疫情卡口', item_id: item.id })).json;
    await as.staff.post(`/api/v1/duty-posts/${race.id}/shifts`, { from: '2026-12-14', to: '2026-12-20', weekdays: [1, 2, 3, 4, 5, 6, 7], start: 0, end: 120, places: 1 });
    const shifts = shiftOf((await week(as.staff, '2026-12-14')).json, race.id, '2026-12-14');
    for (let round = 0; round < 3; round++) {
      const day = `2026-12-${String(14 + round).padStart(2, '0')}`;
      const s = shiftOf((await week(as.staff, '2026-12-14')).json, race.id, day);
      const got = await Promise.all([people.c.client, people.d.client, people.e.client].map((c) => c.post(`/api/v1/duty-shifts/${s.id}/signup`)));
      assert.deepEqual(got.map((r) => r.status).sort(), [201, 409, 409], `round ${round}`);
      for (const r of got.filter((x) => x.status === 409)) assertProblem(r, 409, 'full');
      const after = (await as.staff.get(`/api/v1/duty-shifts/${s.id}`)).json;
      assert.deepEqual([after.filled, after.people.length], [1, 1]);
    }
    assert.ok(shifts);
  });

  test('a swap: asked, accepted by the other, approved by staff; only then do the places change, audited', async () => {
    const w = (await week(as.staff)).json;
    const thu = shiftOf(w, gate.id, '2026-12-10'), fri = shiftOf(w, gate.id, '2026-12-11');
    const mine = (await people.c.client.post(`/api/v1/duty-shifts/${thu.id}/signup`)).json;
    const theirs = (await people.d.client.post(`/api/v1/duty-shifts/${fri.id}/signup`)).json;
    const ask = await people.c.client.post(`/api/v1/duty-assignments/${mine.id}/swaps`, { to_phone: people.d.form.phone, shift_id: fri.id });
    assert.equal(ask.status, 201, ask.text);
    assert.deepEqual([ask.json.state, ask.json.shift.day, ask.json.other_shift.day, ask.json.to_name], ['asked', '2026-12-10', '2026-12-11', people.d.name]);
    assertProblem(await people.c.client.post(`/api/v1/duty-assignments/${mine.id}/swaps`, { to_phone: people.d.form.phone, shift_id: fri.id }), 409, 'already');
    assertProblem(await people.c.client.post(`/api/v1/duty-swaps/${ask.json.id}/accept`), 403, 'forbidden', 'the asker does not accept');
    assertProblem(await as.staff.post(`/api/v1/duty-swaps/${ask.json.id}/approve`), 409, 'state', 'not accepted yet');
    assertProblem(await as.member.post(`/api/v1/duty-swaps/${ask.json.id}/accept`), 404, 'not_found', 'a third member');
    const acc = await people.d.client.post(`/api/v1/duty-swaps/${ask.json.id}/accept`);
    assert.equal(acc.status, 200, acc.text);
    assert.equal(acc.json.state, 'accepted');
    assert.deepEqual((await as.staff.get(`/api/v1/communities/${SHILIUQIAO}/duty-swaps`)).json.items.map((x) => x.id), [ask.json.id]);
    assert.deepEqual(await onShift(thu.id), [people.c.id], 'nothing changed yet');
    assertProblem(await people.d.client.post(`/api/v1/duty-swaps/${ask.json.id}/approve`), 403, 'forbidden');
    assertProblem(await as.staff2.post(`/api/v1/duty-swaps/${ask.json.id}/approve`), 404, 'not_found');
    const ok = await as.staff.post(`/api/v1/duty-swaps/${ask.json.id}/approve`);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.state, 'approved');
    assert.deepEqual(await onShift(thu.id), [people.d.id]);
    assert.deepEqual(await onShift(fri.id), [people.c.id]);
    assert.deepEqual((await people.c.client.get('/api/v1/me/shifts')).json.items.map((x) => x.shift.day).filter((d) => d < '2026-12-14'), ['2026-12-11'],
      'the race of the week after may have given c places');
    const audit = (await as.admin.get('/api/v1/audit?action=duty.swap_approve')).json.items;
    assert.ok(audit.some((e) => e.target_id === String(ask.json.id)));
    assert.ok((await people.d.client.get('/api/v1/me/duty-swaps')).json.items.some((x) => x.id === ask.json.id && x.state === 'approved'));
    assert.deepEqual((await as.staff.get(`/api/v1/communities/${SHILIUQIAO}/duty-swaps?state=approved`)).json.items.map((x) => x.id), [ask.json.id]);
    assertProblem(await as.staff.post(`/api/v1/duty-swaps/${ask.json.id}/approve`), 409, 'state', 'once');

    // A gift (no shift in exchange): accepted, then refused by staff: nothing changes.
    const gift = await people.c.client.post(`/api/v1/duty-assignments/${theirs.id}/swaps`, { to_phone: people.e.form.phone });
    assert.equal(gift.status, 201, gift.text);
    assert.equal(gift.json.other_shift, null);
    assert.equal((await people.e.client.post(`/api/v1/duty-swaps/${gift.json.id}/accept`)).status, 200);
    const ref = await as.staff.post(`/api/v1/duty-swaps/${gift.json.id}/refuse`);
    assert.equal(ref.json.state, 'refused');
    assert.deepEqual(await onShift(fri.id), [people.c.id]);
    // Declined by the other; withdrawn by the asker.
    const g2 = (await people.c.client.post(`/api/v1/duty-assignments/${theirs.id}/swaps`, { to_phone: people.e.form.phone })).json;
    assert.equal((await people.e.client.post(`/api/v1/duty-swaps/${g2.id}/decline`)).json.state, 'declined');
    const g3 = (await people.c.client.post(`/api/v1/duty-assignments/${theirs.id}/swaps`, { to_phone: people.e.form.phone })).json;
    assertProblem(await people.e.client.post(`/api/v1/duty-swaps/${g3.id}/withdraw`), 403, 'forbidden');
    assert.equal((await people.c.client.post(`/api/v1/duty-swaps/${g3.id}/withdraw`)).json.state, 'withdrawn');
  });

  test('swap rules: not with oneself, not into a time one has, both of the community, the other on that shift', async () => {
    const w = (await week(as.staff)).json;
    const fri = shiftOf(w, gate.id, '2026-12-11');
    const cFri = (await as.staff.get(`/api/v1/duty-shifts/${fri.id}`)).json.people.find((x) => x.member_id === people.c.id);
    assertProblem(await people.c.client.post(`/api/v1/duty-assignments/${cFri.id}/swaps`, { to_phone: people.c.form.phone }), 409, 'self');
    // people.a is on Tuesday's gate; giving Friday to a: no clash. Giving to the member on the office shift that clashes:
    const tueOffice = w.posts.find((p) => p.name === '社区值班').shifts[0];
    const b = await as.staff.post(`/api/v1/duty-shifts/${tueOffice.id}/assign`, { member_id: people.e.id });
    assert.equal(b.status, 201, b.text);
    const tueGate = shiftOf(w, gate.id, '2026-12-08');
    const aTue = (await as.staff.get(`/api/v1/duty-shifts/${tueGate.id}`)).json.people.find((x) => x.member_id === people.a.id);
    assertProblem(await people.a.client.post(`/api/v1/duty-assignments/${aTue.id}/swaps`, { to_phone: people.e.form.phone }), 409, 'other_clash');
    // a takes e's office shift (10–14) while giving the gate (8–12): each gives up the time that would clash.
    const sw = await people.a.client.post(`/api/v1/duty-assignments/${aTue.id}/swaps`, { to_phone: people.e.form.phone, shift_id: tueOffice.id });
    assert.equal(sw.status, 201, sw.text);
    assert.equal((await people.a.client.post(`/api/v1/duty-swaps/${sw.json.id}/withdraw`)).status, 200);
    // The member holds Tuesday's gate (8–12) and Wednesday's: taking e's office (Tuesday 10–14) for Wednesday clashes.
    const wedGate = shiftOf(w, gate.id, '2026-12-09');
    const mWed = (await as.staff.post(`/api/v1/duty-shifts/${wedGate.id}/assign`, { member_id: memberId })).json;
    assertProblem(await as.member.post(`/api/v1/duty-assignments/${mWed.id}/swaps`, { to_phone: people.e.form.phone, shift_id: tueOffice.id }), 409, 'asker_clash');
    // The other must hold a place on the shift named, and be a member of the community.
    assertFieldError(await as.member.post(`/api/v1/duty-assignments/${mWed.id}/swaps`, { to_phone: people.e.form.phone, shift_id: fri.id }), 'shift_id', 'not_found');
    assertFieldError(await as.member.post(`/api/v1/duty-assignments/${mWed.id}/swaps`, { to_phone: people.b.form.phone, shift_id: wedGate.id }), 'shift_id',
      'not_found', 'b is on the same shift: no exchange');
    const there = (await as.staff2.get('/api/v1/members?per_page=100')).json.items.find((x) => x.id === elsewhereId);
    assert.ok(there, 'the member of 飞鹅');
    assertFieldError(await as.member.post(`/api/v1/duty-assignments/${mWed.id}/swaps`, { to_phone: there.phone }), 'to_phone', 'not_found');
    assertFieldError(await as.member.post(`/api/v1/duty-assignments/${mWed.id}/swaps`, { to_phone: '13900000000' }), 'to_phone', 'not_found');
    assert.equal((await as.staff.post(`/api/v1/duty-assignments/${mWed.id}/cancel`)).status, 200, 'staff cancel a place');
    assert.equal((await as.staff.get('/api/v1/communities/' + SHILIUQIAO + '/duty-swaps')).json.items.length, 0, 'no open swap left');
  });
});

describe('check-in, closing, records, no-shows', () => {
  test('staff check in; closing after the end makes the worked place a pending record (source duty) and flags no-shows', async () => {
    const tue = shiftOf((await week(as.staff)).json, gate.id, '2026-12-08');
    const placed = (await as.staff.get(`/api/v1/duty-shifts/${tue.id}`)).json.people.filter((x) => x.state !== 'cancelled');
    const mine = placed.find((x) => x.member_id === memberId), absent = placed.find((x) => x.member_id !== memberId);
    assertProblem(await as.staff.post(`/api/v1/duty-assignments/${mine.id}/checkin`), 409, 'window', 'days before');
    await moveClock(at(1, 7, 30));
    const ci = await as.staff.post(`/api/v1/duty-assignments/${mine.id}/checkin`);
    assert.equal(ci.status, 200, ci.text);
    assert.deepEqual([ci.json.state, ci.json.checked_in_at], ['checked_in', at(1, 7, 30)]);
    assert.equal((await as.staff.post(`/api/v1/duty-assignments/${mine.id}/checkin`)).json.checked_in_at, at(1, 7, 30), 'twice: the first counts');
    assertProblem(await as.staff2.post(`/api/v1/duty-assignments/${mine.id}/checkin`), 404, 'not_found');
    assertProblem(await as.member.post(`/api/v1/duty-assignments/${mine.id}/cancel`), 409, 'state', 'checked in: no cancel');
    await moveClock(at(1, 9));
    assertProblem(await as.staff.post(`/api/v1/duty-shifts/${tue.id}/close`), 409, 'not_ended');
    assertProblem(await people.a.client.post(`/api/v1/duty-assignments/${absent.id}/cancel`), 409, 'started');
    const later = shiftOf((await week(as.staff)).json, gate.id, '2026-12-07');
    assertProblem(await people.b.client.post(`/api/v1/duty-shifts/${later.id}/signup`), 409, 'started', 'a past shift');
    await moveClock(at(1, 12, 1));
    const closed = await as.staff.post(`/api/v1/duty-shifts/${tue.id}/close`);
    assert.equal(closed.status, 200, closed.text);
    assert.deepEqual(closed.json, { worked: 1, no_show: 1, records: 1, skipped: 0 });
    assertProblem(await as.staff.post(`/api/v1/duty-shifts/${tue.id}/close`), 409, 'state', 'once');
    const after = (await as.staff.get(`/api/v1/duty-shifts/${tue.id}`)).json;
    assert.equal(after.closed, true);
    const worked = after.people.find((x) => x.id === mine.id);
    assert.equal(worked.state, 'worked');
    assert.equal(after.people.find((x) => x.id === absent.id).state, 'no_show');
    const rec = await as.staff.get(`/api/v1/records/${worked.record.id}`);
    assert.equal(rec.status, 200, rec.text);
    assert.deepEqual([rec.json.source, rec.json.origin_id, rec.json.minutes, rec.json.state, rec.json.started_at, rec.json.item_id],
      ['duty', mine.id, 240, 'pending', at(1, 8), item.id]);
    assert.equal((await as.member.get(`/api/v1/records/${worked.record.id}`)).status, 200, 'the member sees their record');
    const my = (await as.member.get('/api/v1/me/shifts')).json.items.find((x) => x.id === mine.id);
    assert.deepEqual([my.state, my.record.state], ['worked', 'pending']);
    const ns = (await as.staff.get(`/api/v1/communities/${SHILIUQIAO}/duty-no-shows?from=2026-12-01&to=2026-12-31`)).json.items;
    assert.deepEqual(ns.map((x) => [x.member_id, x.shift.day]), [[people.a.id, '2026-12-08']]);
    assert.deepEqual((await as.staff.get(`/api/v1/communities/${SHILIUQIAO}/duty-no-shows`)).json.items.length, 1, 'the last 30 days');
    assert.deepEqual((await as.staff.get(`/api/v1/communities/${SHILIUQIAO}/duty-no-shows?from=2026-12-09`)).json.items, []);
    const audit = (await as.admin.get('/api/v1/audit?action=duty.close')).json.items;
    assert.ok(audit.some((e) => e.target_id === String(tue.id)));
    // Swaps of a started shift are refused: the rule, through the API.
    const wed = shiftOf((await week(as.staff)).json, gate.id, '2026-12-09');
    const bWed = (await as.staff.get(`/api/v1/duty-shifts/${wed.id}`)).json.people.find((x) => x.member_id === people.b.id);
    await moveClock(at(2, 8, 30));
    assertProblem(await people.b.client.post(`/api/v1/duty-assignments/${bWed.id}/swaps`, { to_phone: people.e.form.phone }), 409, 'started');
  });
});

describe('units: 每天一名党员', () => {
  test('a unit with a signed agreement commits to a post and sees its rota, filled by its own members only', async () => {
    assertFieldError(await as.unit.post(`/api/v1/units/${unitId}/duty-commitments`, { post_id: gate.id, per_day: 1 }), 'post_id', 'not_found',
      'no agreement yet');
    const ag = await as.admin.post('/api/v1/agreements', { unit_id: unitId, community_code: SHILIUQIAO, starts_on: '2026-01-01',
      ends_on: '2027-12-31', status: 'signed', commitments: ['每天一名党员到门岗值守'] });
    assert.equal(ag.status, 201, ag.text);
    const k = await as.unit.post(`/api/v1/units/${unitId}/duty-commitments`, { post_id: gate.id, per_day: 1 });
    assert.equal(k.status, 201, k.text);
    assert.deepEqual([k.json.post_id, k.json.per_day], [gate.id, 1]);
    assertFieldError(await unit2.client.post(`/api/v1/units/${unit2.id}/duty-commitments`, { post_id: gate.id, per_day: 1 }), 'post_id', 'not_found');
    const mon = shiftOf((await week(as.staff, '2026-12-14')).json, gate.id, '2026-12-14');
    assert.equal((await people.u1.client.post(`/api/v1/duty-shifts/${mon.id}/signup`)).status, 201);
    assert.equal((await people.u2.client.post(`/api/v1/duty-shifts/${mon.id}/signup`)).status, 201, 'another unit\'s member');
    const rota = await as.unit.get(`/api/v1/units/${unitId}/duty?week=2026-12-16`);
    assert.equal(rota.status, 200, rota.text);
    assert.equal(rota.json.week, '2026-12-14');
    assert.equal(rota.json.items.length, 7);
    const monday = rota.json.items[0];
    assert.deepEqual([monday.day, monday.post_name, monday.filled, monday.per_day, monday.covered, monday.names],
      ['2026-12-14', '门岗', 1, 1, true, people.u1.name]);
    assert.ok(rota.json.items.slice(1).every((d) => d.filled === 0 && !d.covered && d.names === ''));
    assert.ok(!JSON.stringify(rota.json).includes(people.u2.name), 'never another unit\'s names');
    assert.equal((await as.admin.get(`/api/v1/units/${unitId}/duty?week=2026-12-14`)).json.items.length, 7);
    const again = await as.unit.post(`/api/v1/units/${unitId}/duty-commitments`, { post_id: gate.id, per_day: 2 });
    assert.equal(again.json.id, k.json.id, 'committing again changes per_day');
    assert.equal((await as.unit.get(`/api/v1/units/${unitId}/duty?week=2026-12-14`)).json.items[0].covered, false);
  });

  test('每天一名党员: each unit sees its own rota only, days filled and empty by its own members; a cancelled place empties the day', async () => {
    const rota = async (client, id) => (await client.get(`/api/v1/units/${id}/duty?week=2026-12-14`)).json.items;
    const byDay = (items) => Object.fromEntries(items.map((d) => [d.day, [d.filled, d.covered, d.names]]));
    // The second unit signs its own agreement and commits one member a day to the same gate.
    const ag = await as.admin.post('/api/v1/agreements', { unit_id: unit2.id, community_code: SHILIUQIAO, starts_on: '2026-01-01',
      ends_on: '2027-12-31', status: 'signed', commitments: ['每天一名党员到门岗值守'] });
    assert.equal(ag.status, 201, ag.text);
    assert.equal((await unit2.client.post(`/api/v1/units/${unit2.id}/duty-commitments`, { post_id: gate.id, per_day: 1 })).status, 201);
    await as.unit.post(`/api/v1/units/${unitId}/duty-commitments`, { post_id: gate.id, per_day: 1 });
    // Both units' members are on Monday's gate: each unit sees its own one, filled and covered, and no one else.
    const mine = byDay(await rota(as.unit, unitId)), theirs = byDay(await rota(unit2.client, unit2.id));
    assert.deepEqual(mine['2026-12-14'], [1, true, people.u1.name]);
    assert.deepEqual(theirs['2026-12-14'], [1, true, people.u2.name]);
    for (const day of ['2026-12-15', '2026-12-16', '2026-12-17', '2026-12-18', '2026-12-19', '2026-12-20']) {
      assert.deepEqual(mine[day], [0, false, ''], `${day} empty`);
      assert.deepEqual(theirs[day], [0, false, ''], `${day} empty`);
    }
    const seen = JSON.stringify(await rota(unit2.client, unit2.id));
    assert.ok(!seen.includes(people.u1.name) && !seen.includes('member_id'), 'nothing of the other unit\'s member');
    // u1 moves from Monday to Tuesday: the unit's Monday empties, its Tuesday fills; the other unit's rota is unchanged.
    const u1Mon = (await people.u1.client.get('/api/v1/me/shifts')).json.items.find((x) => x.shift.day === '2026-12-14' && x.shift.post_id === gate.id);
    assert.equal((await people.u1.client.post(`/api/v1/duty-assignments/${u1Mon.id}/cancel`)).status, 200);
    const tue = shiftOf((await week(as.staff, '2026-12-14')).json, gate.id, '2026-12-15');
    assert.equal((await people.u1.client.post(`/api/v1/duty-shifts/${tue.id}/signup`)).status, 201);
    const after = byDay(await rota(as.unit, unitId));
    assert.deepEqual([after['2026-12-14'], after['2026-12-15']], [[0, false, ''], [1, true, people.u1.name]]);
    assert.deepEqual(byDay(await rota(unit2.client, unit2.id)), theirs);
    // Staff see both names on the shift; a unit never reaches another's rota.
    assertProblem(await unit2.client.get(`/api/v1/units/${unitId}/duty?week=2026-12-14`), 404, 'not_found');
    assertProblem(await as.unit.get(`/api/v1/units/${unit2.id}/duty?week=2026-12-14`), 404, 'not_found');
  });
});

describe('who may do what', () => {
  test('every route: staff of the community and the administrator run it; members their own; others 403, another community 404', async () => {
    const open = { ...deny, admin: 201, staff: 201, staff2: 404 };
    await matrix(as, open, (c) => c.post(`/api/v1/communities/${SHILIUQIAO}/duty-posts`, { name: '临时岗', item_id: item.id }), 'create a post');
    const post = (await as.staff.post(`/api/v1/communities/${SHILIUQIAO}/duty-posts`, { name: '矩阵岗', item_id: item.id })).json;
    await matrix(as, { ...deny, admin: 200, staff: 200, staff2: 404 },
      (c) => c.patch(`/api/v1/duty-posts/${post.id}`, { name: '矩阵岗', item_id: item.id }), 'edit a post');
    await matrix(as, { ...deny, admin: 200, staff: 200, staff2: 404 },
      (c) => c.post(`/api/v1/duty-posts/${post.id}/shifts`, { from: '2026-12-21', to: '2026-12-27', weekdays: [1, 2, 3], start: 480, end: 600, places: 2 }),
      'make shifts');
    const w = (await week(as.staff, '2026-12-21')).json;
    const [s1, s2, s3] = w.posts.find((p) => p.id === post.id).shifts;
    await matrix(as, { ...deny, admin: 200, staff: 200, staff2: 404, member: 200, memberElsewhere: 404, memberWaiting: 404 },
      (c) => c.get(`/api/v1/communities/${SHILIUQIAO}/duty?week=2026-12-21`), 'the week view');
    await matrix(as, { ...deny, admin: 200, staff: 200, staff2: 404, member: 200, memberElsewhere: 404, memberWaiting: 404 },
      (c) => c.get(`/api/v1/duty-shifts/${s1.id}`), 'a shift');
    await matrix(as, { ...memberDeny, member: 201, memberElsewhere: 404, memberWaiting: 404 },
      (c) => c.post(`/api/v1/duty-shifts/${s1.id}/signup`), 'sign up');
    await matrix(as, { ...deny, admin: 201, staff: 409, staff2: 404 },
      (c) => c.post(`/api/v1/duty-shifts/${s2.id}/assign`, { member_id: people.a.id }), 'assign (the administrator first, then staff: already)');
    const aPlace = (await as.staff.get(`/api/v1/duty-shifts/${s2.id}`)).json.people[0];
    const mPlace = (await as.staff.get(`/api/v1/duty-shifts/${s1.id}`)).json.people[0];
    await matrix(as, { ...deny, admin: 200, staff: 200, staff2: 404 }, (c) => c.get(`/api/v1/communities/${SHILIUQIAO}/duty-swaps`), 'the swaps queue');
    await matrix(as, { ...deny, admin: 200, staff: 200, staff2: 404 }, (c) => c.get(`/api/v1/communities/${SHILIUQIAO}/duty-no-shows`), 'no-shows');
    await matrix(as, { ...memberDeny, member: 201, memberElsewhere: 404, memberWaiting: 404 },
      (c) => c.post(`/api/v1/duty-assignments/${mPlace.id}/swaps`, { to_phone: people.b.form.phone }), 'ask a swap (own place only)');
    const swap = (await as.member.get('/api/v1/me/duty-swaps')).json.items.find((x) => x.assignment_id === mPlace.id);
    await matrix(as, { ...memberDeny, member: 403, memberElsewhere: 404, memberWaiting: 404 },
      (c) => c.post(`/api/v1/duty-swaps/${swap.id}/decline`), 'decline (only the member asked)');
    assert.equal((await people.b.client.post(`/api/v1/duty-swaps/${swap.id}/accept`)).status, 200);
    await matrix(as, { ...memberDeny, member: 403, memberElsewhere: 404, memberWaiting: 404 },
      (c) => c.post(`/api/v1/duty-swaps/${swap.id}/accept`), 'accept (only the member asked)');
    await matrix(as, { ...deny, admin: 200, staff: 409, staff2: 404, member: 403 },
      (c) => c.post(`/api/v1/duty-swaps/${swap.id}/refuse`), 'refuse (the administrator first, then staff: answered)');
    await matrix(as, { ...deny, admin: 409, staff: 409, staff2: 404, member: 403 },
      (c) => c.post(`/api/v1/duty-swaps/${swap.id}/approve`), 'approve a refused one');
    await matrix(as, { ...memberDeny, member: 409, memberElsewhere: 404, memberWaiting: 404 },
      (c) => c.post(`/api/v1/duty-swaps/${swap.id}/withdraw`), 'withdraw (the asker; answered already)');
    await matrix(as, { ...memberDeny, member: 200, memberElsewhere: 200, memberWaiting: 200 }, (c) => c.get('/api/v1/me/shifts'), 'my shifts');
    await matrix(as, { ...memberDeny, member: 200, memberElsewhere: 200, memberWaiting: 200 }, (c) => c.get('/api/v1/me/duty-swaps'), 'my swaps');
    assert.deepEqual((await as.memberElsewhere.get('/api/v1/me/shifts')).json.items, []);
    await matrix(as, { ...deny, admin: 409, staff: 409, staff2: 404 }, (c) => c.post(`/api/v1/duty-assignments/${aPlace.id}/checkin`),
      'check in: days before, outside the window');
    await matrix(as, { ...deny, admin: 200, staff: 409, staff2: 404, member: 409, memberElsewhere: 404, memberWaiting: 404 },
      (c) => c.post(`/api/v1/duty-assignments/${mPlace.id}/cancel`), 'cancel (the administrator first; the member\'s own place)');
    await moveClock(at(15, 7, 30)); // s2: Tuesday 2026-12-22
    await matrix(as, { ...deny, admin: 200, staff: 200, staff2: 404 }, (c) => c.post(`/api/v1/duty-assignments/${aPlace.id}/checkin`), 'check in');
    await moveClock(at(15, 10, 1));
    await matrix(as, { ...deny, admin: 200, staff: 409, staff2: 404 }, (c) => c.post(`/api/v1/duty-shifts/${s2.id}/close`), 'close (once)');
    const commitDeny = { org: 403, org2: 403, staff: 403, staff2: 403, member: 403, memberElsewhere: 403, memberWaiting: 403, resident: 403, anon: 401 };
    await matrix(as, { ...commitDeny, admin: 201, unit: 201 }, (c) => c.post(`/api/v1/units/${unitId}/duty-commitments`, { post_id: post.id, per_day: 1 }), 'commit');
    await matrix(as, { ...commitDeny, admin: 200, unit: 200 }, (c) => c.get(`/api/v1/units/${unitId}/duty`), 'a unit\'s rota');
    assertProblem(await unit2.client.get(`/api/v1/units/${unitId}/duty`), 404, 'not_found');
    assertProblem(await unit2.client.post(`/api/v1/units/${unitId}/duty-commitments`, { post_id: post.id, per_day: 1 }), 404, 'not_found');
    for (const path of ['/api/v1/duty-shifts/0', '/api/v1/duty-shifts/abc', '/api/v1/duty-shifts/999999',
      `/api/v1/communities/${FEIE}/duty`, '/api/v1/communities/440111002000/duty', '/api/v1/communities/x/duty'])
      assertProblem(await as.staff.get(path), 404, 'not_found', path);
    assertProblem(await as.staff.patch('/api/v1/duty-posts/999999', { name: 'x', item_id: item.id }), 404, 'not_found');
    assertProblem(await as.staff.post('/api/v1/duty-swaps/999999/approve'), 404, 'not_found');
  });
});

describe('hostile input', () => {
  test('texts at their limits in 4-byte characters are kept whole; one more is refused', async () => {
    const r = await as.staff.post(`/api/v1/communities/${SHILIUQIAO}/duty-posts`, { name: wide(40), place: wide(100), item_id: item.id });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual([r.json.name, r.json.place], [wide(40), wide(100)]);
    const p = await as.staff.patch(`/api/v1/duty-posts/${r.json.id}`, { name: wide(40, 0x20100), place: wide(100, 0x20100), item_id: item.id });
    assert.deepEqual([p.json.name, p.json.place], [wide(40, 0x20100), wide(100, 0x20100)]);
    for (const [field, v] of [['name', wide(41)], ['place', wide(101)]]) {
      assertFieldError(await as.staff.post(`/api/v1/communities/${SHILIUQIAO}/duty-posts`, { name: '岗', item_id: item.id, [field]: v }), field, 'too_long');
      assertFieldError(await as.staff.patch(`/api/v1/duty-posts/${r.json.id}`, { name: '岗', item_id: item.id, [field]: v }), field, 'too_long');
    }
    // The full title names a 40-character post whole.
    await as.staff.post(`/api/v1/duty-posts/${r.json.id}/shifts`, { from: '2026-12-28', to: '2026-12-28', weekdays: [1], start: 480, end: 540, places: 1 });
    const s = shiftOf((await week(as.staff, '2026-12-28')).json, r.json.id, '2026-12-28');
    assert.equal((await people.a.client.post(`/api/v1/duty-shifts/${s.id}/signup`)).status, 201);
    const full = await people.b.client.post(`/api/v1/duty-shifts/${s.id}/signup`);
    assertProblem(full, 409, 'full');
    assert.ok(full.json.title.includes(wide(40, 0x20100)), full.json.title);
  });

  test('bad input names the field and changes nothing', async () => {
    const before = JSON.stringify((await week(as.staff, '2027-01-04')).json);
    const posts = (await week(as.staff)).json.posts.length;
    const postCases = [
      [{ name: '' }, 'name'], [{ name: 5 }, 'name'], [{ item_id: 'x' }, 'item_id'], [{ item_id: 0 }, 'item_id'],
      [{ item_id: 999999 }, 'item_id'], [{ state: 'haunted' }, 'state'], [{ place: ['x'] }, 'place'], [{ extra: 1 }, 'extra'],
    ];
    for (const [over, field] of postCases)
      assertFieldError(await as.staff.post(`/api/v1/communities/${SHILIUQIAO}/duty-posts`, { name: '岗', item_id: item.id, ...over }), field,
        undefined, JSON.stringify(over));
    assertProblem(await as.staff.post(`/api/v1/communities/${SHILIUQIAO}/duty-posts`, 'not json'), 400);
    assertProblem(await as.staff.post(`/api/v1/communities/${SHILIUQIAO}/duty-posts`, { name: 'a\u0000b', item_id: item.id }), 400, 'bad_json',
      'a NUL in a text');
    assert.equal((await week(as.staff)).json.posts.length, posts, 'no post made');
    const good = { from: '2027-01-04', to: '2027-01-10', weekdays: [1, 2], start: 480, end: 600, places: 2 };
    const cases = [
      [{ from: '2027-02-30' }, 'from'], [{ from: '2027/01/04' }, 'from'], [{ to: '2027-01-03' }, 'to'], [{ to: '2027-03-10' }, 'to'],
      [{ weekdays: [] }, 'weekdays'], [{ weekdays: [0] }, 'weekdays[0]'], [{ weekdays: [1, 8] }, 'weekdays[1]'], [{ weekdays: '1' }, 'weekdays'],
      [{ start: -1 }, 'start'], [{ start: 1440 }, 'start'], [{ end: 480 }, 'end'], [{ end: 480 + 1441 }, 'end'], [{ places: 0 }, 'places'],
      [{ places: 51 }, 'places'], [{ places: '2' }, 'places'], [{ start: 1.5 }, 'start'], [{ extra: true }, 'extra'],
    ];
    for (const [over, field] of cases)
      assertFieldError(await as.staff.post(`/api/v1/duty-posts/${gate.id}/shifts`, { ...good, ...over }), field, undefined, JSON.stringify(over));
    assert.deepEqual((await as.staff.post(`/api/v1/duty-posts/${gate.id}/shifts`, { ...good, from: '2026-12-28', to: '2026-12-28', weekdays: [1] })).json,
      { added: 1, kept: 0 });
    const mon = shiftOf((await week(as.staff, '2026-12-28')).json, gate.id, '2026-12-28');
    for (const [body, field] of [[{}, 'member_id'], [{ member_id: 'x' }, 'member_id'], [{ member_id: 999999 }, 'member_id'],
      [{ member_id: people.a.id, extra: 1 }, 'extra']])
      assertFieldError(await as.staff.post(`/api/v1/duty-shifts/${mon.id}/assign`, body), field, undefined, JSON.stringify(body));
    const place = (await people.c.client.post(`/api/v1/duty-shifts/${mon.id}/signup`)).json;
    for (const [body, field] of [[{}, 'to_phone'], [{ to_phone: 13800000000 }, 'to_phone'], [{ to_phone: '1380000000' }, 'to_phone'],
      [{ to_phone: '𠀀'.repeat(11) }, 'to_phone'], [{ to_phone: people.d.form.phone, shift_id: 'x' }, 'shift_id'],
      [{ to_phone: people.d.form.phone, shift_id: 999999 }, 'shift_id'], [{ to_phone: people.d.form.phone, more: 1 }, 'more']])
      assertFieldError(await people.c.client.post(`/api/v1/duty-assignments/${place.id}/swaps`, body), field, undefined, JSON.stringify(body));
    for (const [body, field] of [[{ post_id: gate.id, per_day: 0 }, 'per_day'], [{ post_id: gate.id, per_day: 11 }, 'per_day'],
      [{ post_id: 'x', per_day: 1 }, 'post_id'], [{ post_id: 999999, per_day: 1 }, 'post_id'], [{ post_id: gate.id, per_day: 1, x: 1 }, 'x']])
      assertFieldError(await as.unit.post(`/api/v1/units/${unitId}/duty-commitments`, body), field, undefined, JSON.stringify(body));
    for (const q of ['week=2026-13-01', 'week=x', `week=${'𠀀'.repeat(11)}`])
      assertProblem(await as.staff.get(`/api/v1/communities/${SHILIUQIAO}/duty?${q}`), 400, 'bad_query', q);
    assertProblem(await as.staff.get(`/api/v1/communities/${SHILIUQIAO}/duty-no-shows?from=2026-02-30`), 400, 'bad_query');
    assertProblem(await as.staff.get(`/api/v1/communities/${SHILIUQIAO}/duty-swaps?state=x`), 400, 'bad_query');
    assertProblem(await as.unit.get(`/api/v1/units/${unitId}/duty?week=2026-1-1`), 400, 'bad_query');
    assert.equal(JSON.stringify((await week(as.staff, '2027-01-04')).json), before, 'no shift made');
    assert.deepEqual((await people.c.client.get('/api/v1/me/duty-swaps')).json.items.filter((x) => x.assignment_id === place.id), [], 'no swap made');
    assert.deepEqual(await onShift(mon.id), [people.c.id], 'no one assigned');
  });

  test('a closed post takes no shifts nor sign-ups; an item that asks extra fields cannot be a post\'s', async () => {
    const p = (await as.staff.post(`/api/v1/communities/${SHILIUQIAO}/duty-posts`, { name: '暂停岗', item_id: item.id })).json;
    await as.staff.post(`/api/v1/duty-posts/${p.id}/shifts`, { from: '2027-01-04', to: '2027-01-04', weekdays: [1], start: 480, end: 540, places: 1 });
    const s = shiftOf((await week(as.staff, '2027-01-04')).json, p.id, '2027-01-04');
    assert.equal((await as.staff.patch(`/api/v1/duty-posts/${p.id}`, { name: '暂停岗', item_id: item.id, state: 'closed' })).json.state, 'closed');
    assertProblem(await as.staff.post(`/api/v1/duty-posts/${p.id}/shifts`, { from: '2027-01-05', to: '2027-01-05', weekdays: [2], start: 480, end: 540, places: 1 }), 409, 'state');
    assertProblem(await as.member.post(`/api/v1/duty-shifts/${s.id}/signup`), 409, 'state');
    assert.ok(!(await week(as.member, '2027-01-04')).json.posts.some((x) => x.id === p.id), 'members see open posts only');
    const withFields = (await as.staff.get(`/api/v1/catalog?region=${SHILIUQIAO}`)).json.items.find((i) => (i.fields ?? []).some((f) => f.required));
    if (withFields)
      assertFieldError(await as.staff.post(`/api/v1/communities/${SHILIUQIAO}/duty-posts`, { name: '岗', item_id: withFields.id }), 'item_id', 'has_fields');
  });
});
