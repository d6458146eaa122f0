// registration.test.mjs: member files and report-ins: the three ways in, approval, transfer, leave, reveal
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pgDump } from '../lib/pg.mjs';
import { startServer, Client, ENGINE } from '../lib/server.mjs';
import { loginAs, addUser, assertProblem, assertFieldError, SHILIUQIAO, FEIE, SANYUANLI } from './helpers.mjs';

// Valid ID numbers (GB 11643 check digits), made up.
const ID_MEMBER = '440111199003071232'; // male, 1990-03-07
const ID_TYPED = '440106198501010023'; // female, 1985-01-01
const ID_UNIT = '11010519491231002X'; // male, 1949-12-31
const ID_OTHER = '440111200002290017'; // male, 2000-02-29

const form = (over = {}) => ({
  name: '王党员', phone: '13800000005', id_number: ID_MEMBER, community_code: SHILIUQIAO,
  unit_id: 2, specialties: '医疗,摄影', joined_party_on: '2012-07-01', ...over,
});

let srv, member, staff, staffFeie, org, unit, admin, resident;

before(async () => {
  srv = await startServer();
  addUser(srv, 'staff_feie', 'staff', { region: FEIE, name: '飞鹅社工' });
  [member, staff, staffFeie, org, unit, admin, resident] = await Promise.all(
    ['member', 'staff', 'staff_feie', 'org', 'unit', 'admin', 'resident'].map((l) => loginAs(srv, l)));
});
after(() => srv.stop());

describe('a member reports in on the phone', () => {
  test('the form is checked: gender against the ID number, check digit, phone', async () => {
    let r = await member.post('/api/v1/me/registration', form({ gender: '女' }));
    assertFieldError(r, 'gender', 'mismatch');
    r = await member.post('/api/v1/me/registration', form({ id_number: '440111199003071233', phone: '12345' }));
    assertFieldError(r, 'id_number', 'check_digit');
    assertFieldError(r, 'phone', 'format');
    r = await member.post('/api/v1/me/registration', form({ joined_party_on: '2001-01-01' }));
    assertFieldError(r, 'joined_party_on', 'too_small'); // 11 years old
    r = await member.post('/api/v1/me/registration', form({ community_code: SANYUANLI }));
    assertFieldError(r, 'community_code', 'not_found'); // a street, not a community
    r = await member.post('/api/v1/me/registration', form({ specialties: '医疗,飞行' }));
    assertFieldError(r, 'specialties', 'enum');
    assert.equal((await member.get('/api/v1/me/member')).status, 404, 'nothing was written');
  });

  test('report-in creates the file, pending, with the ID number masked', async () => {
    const r = await member.post('/api/v1/me/registration', form({ gender: '男' }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.member.id_number_masked, '4401**********1232');
    assert.equal(r.json.member.birth_date, '1990-03-07');
    assert.equal(r.json.member.gender, 'M');
    assert.equal(r.json.registration.state, 'pending');
    assert.equal(r.json.registration.channel, 'self');
    assert.ok(!r.text.includes(ID_MEMBER), 'the clear ID number never leaves in a file');
    assert.deepEqual(r.json.timeline.map((e) => e.event), ['submitted']);
  });

  test('a second report-in while one is pending is refused', async () => {
    const r = await member.post('/api/v1/me/registration', form({ community_code: FEIE }));
    assertProblem(r, 409, 'conflict');
  });

  test('the community sees it in its queue; another community neither sees nor decides it', async () => {
    const q = await staff.get('/api/v1/registrations?state=pending');
    assert.equal(q.status, 200);
    assert.equal(q.json.total, 1);
    const reg = q.json.items[0];
    assert.equal(reg.member_name, '王党员');
    const other = await staffFeie.get('/api/v1/registrations?state=pending');
    assert.equal(other.json.total, 0);
    assertProblem(await staffFeie.post(`/api/v1/registrations/${reg.id}/approve`), 404, 'not_found');
    assertProblem(await org.post(`/api/v1/registrations/${reg.id}/approve`), 403, 'forbidden');
  });

  test('staff approve; the member sees 已报到 in the file with the timeline', async () => {
    const q = await staff.get('/api/v1/registrations?state=pending');
    const r = await staff.post(`/api/v1/registrations/${q.json.items[0].id}/approve`);
    assert.equal(r.status, 200, r.text);
    const mine = await member.get('/api/v1/me/member');
    assert.equal(mine.json.member.state, 'approved');
    assert.equal(mine.json.member.community_name, '石榴桥社区');
    assert.deepEqual(mine.json.timeline.map((e) => e.event), ['submitted', 'approved']);
    assert.equal(mine.json.timeline[1].by, '石榴桥社区党委 李社工');
    assertProblem(await staff.post(`/api/v1/registrations/${q.json.items[0].id}/approve`), 409, 'conflict');
  });
});

describe('staff type in a paper form (代录)', () => {
  test('approved at once; the same ID number again is refused naming the file', async () => {
    const body = form({ name: '李红', phone: '13900000001', id_number: ID_TYPED, unit_id: 1, specialties: '' });
    const r = await staff.post('/api/v1/members', body);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.registration.state, 'approved');
    assert.equal(r.json.registration.channel, 'staff');
    const again = await staff.post('/api/v1/members', { ...body, name: '李红二' });
    const p = assertProblem(again, 409, 'conflict');
    assert.equal(p.errors[0].field, 'id_number');
    assert.equal(p.existing_member_id, r.json.member.id);
    const lower = await staff.post('/api/v1/members', { ...body, id_number: ID_TYPED.toLowerCase() });
    assert.equal(lower.status, 409, 'the same number is found however typed');
  });

  test('not for another community, and not by residents or members', async () => {
    const body = form({ name: '赵四', phone: '13900000002', id_number: ID_OTHER, community_code: FEIE, joined_party_on: '2020-07-01' });
    assertProblem(await staff.post('/api/v1/members', body), 403, 'forbidden');
    assertProblem(await resident.post('/api/v1/members', body), 403, 'forbidden');
    assertProblem(await member.post('/api/v1/members', body), 403, 'forbidden');
    const r = await staffFeie.get('/api/v1/members?q=赵四');
    assert.equal(r.json.total, 0, 'nothing was written');
  });
});

describe('a unit registers its members (整建制报到)', () => {
  let id;
  test('its own members, to the community where they live; they wait for that community', async () => {
    const r = await unit.post('/api/v1/members', form({ name: '孙医生', phone: '13900000003', id_number: ID_UNIT, unit_id: 2, community_code: FEIE }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.registration.channel, 'unit');
    assert.equal(r.json.registration.state, 'pending');
    id = r.json.member.id;
    const other = await unit.post('/api/v1/members', form({ name: '钱五', phone: '13900000004', id_number: ID_OTHER, unit_id: 1, joined_party_on: '2020-07-01' }));
    assertProblem(other, 403, 'forbidden');
  });

  test('the unit sees its members, never reveals ID numbers; other communities do not see them', async () => {
    const list = await unit.get('/api/v1/members');
    assert.equal(list.status, 200);
    assert.ok(list.json.items.every((m) => m.unit_id === 2), 'only its own members');
    assert.ok(list.json.items.some((m) => m.id === id));
    assertProblem(await unit.post(`/api/v1/members/${id}/reveal`, { reason: '核对' }), 403, 'forbidden');
    assertProblem(await staff.get(`/api/v1/members/${id}`), 404, 'not_found');
    assert.equal((await staffFeie.get(`/api/v1/members/${id}`)).status, 200, 'the asked community sees the pending one');
  });

  test('rejection needs a reason and lands in the timeline', async () => {
    const q = await staffFeie.get('/api/v1/registrations?state=pending');
    const reg = q.json.items.find((x) => x.member_id === id);
    assertFieldError(await staffFeie.post(`/api/v1/registrations/${reg.id}/reject`, {}), 'reason', 'required');
    const r = await staffFeie.post(`/api/v1/registrations/${reg.id}/reject`, { reason: '不住本社区' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.member.state, 'rejected');
    assert.equal(r.json.timeline.at(-1).note, '不住本社区');
  });
});

describe('moving house: transfer, then leave', () => {
  test('a report-in to a new community waits there; on approval the old one shows the member left', async () => {
    const r = await member.post('/api/v1/me/registration', form({ community_code: FEIE }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.registration.from_community_name, '石榴桥社区');
    const q = await staffFeie.get('/api/v1/registrations?state=pending');
    const reg = q.json.items.find((x) => x.member_name === '王党员');
    assert.ok(reg);
    const ok = await staffFeie.post(`/api/v1/registrations/${reg.id}/approve`);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.member.community_name, '飞鹅新村社区');
    const events = ok.json.timeline.map((e) => `${e.event}@${e.community_name}`);
    assert.deepEqual(events, ['submitted@石榴桥社区', 'approved@石榴桥社区', 'submitted@飞鹅新村社区',
      'transferred@石榴桥社区', 'approved@飞鹅新村社区']);
    const old = await staff.get(`/api/v1/members?community=${SHILIUQIAO}&q=${encodeURIComponent('王党员')}`);
    assert.equal(old.json.total, 0, 'the old community no longer counts the member among its own');
    const file = await staff.get(`/api/v1/members/${ok.json.member.id}`);
    assert.equal(file.status, 200, 'but keeps the history of who lived there');
    assert.equal(file.json.member.community_name, '飞鹅新村社区');
  });

  test('leaving needs a reason; afterwards there is nothing to leave', async () => {
    const mine = await member.get('/api/v1/me/member');
    const id = mine.json.member.id;
    assertProblem(await staff.post(`/api/v1/members/${id}/leave`, { reason: '搬走' }), 403, 'forbidden'); // history only
    assertFieldError(await staffFeie.post(`/api/v1/members/${id}/leave`, { reason: '' }), 'reason');
    const r = await staffFeie.post(`/api/v1/members/${id}/leave`, { reason: '退休回老家' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.member.state, 'left');
  });
});

describe('a report-in brings the member\'s own file up to date', () => {
  test('another name or ID number than the file\'s → 422, nothing written', async () => {
    const before = (await member.get('/api/v1/me/member')).json;
    assertFieldError(await member.post('/api/v1/me/registration', form({ id_number: ID_OTHER, joined_party_on: '2020-01-01' })),
      'id_number', 'mismatch');
    assertFieldError(await member.post('/api/v1/me/registration', form({ name: '李四' })), 'id_number', 'mismatch');
    const after = (await member.get('/api/v1/me/member')).json;
    assert.deepEqual(after, before);
  });

  test('phone, unit, address and specialties change with it; name, ID number and gender stay', async () => {
    const units = (await member.get('/api/v1/units/directory')).json.items;
    const other = units.find((u) => u.id !== 2);
    const filed = (await member.get('/api/v1/me/member')).json.member;
    const r = await member.post('/api/v1/me/registration', form({
      phone: '13912340000', unit_id: other.id, address: '新家 3 栋 301', specialties: '摄影', position: '科员',
    }));
    assert.equal(r.status, 201, r.text);
    const m = (await member.get('/api/v1/me/member')).json.member;
    assert.equal(m.phone, '13912340000');
    assert.equal(m.unit_id, other.id);
    assert.equal(m.unit_name, other.name);
    assert.equal(m.address, '新家 3 栋 301');
    assert.equal(m.specialties, '摄影');
    assert.equal(m.position, filed.position, 'the position is what the unit filed, not the phone form\'s');
    assert.equal(m.name, '王党员');
    assert.equal(m.gender, 'M');
    assert.equal(m.id_number_masked.slice(-4), ID_MEMBER.slice(-4));
    const audit = await admin.get('/api/v1/audit?action=member.update&per_page=1');
    assert.equal(audit.json.items[0]?.target_id, String(m.id));
    // Without a unit the file has none any more.
    await member.post('/api/v1/me/registration/withdraw');
    assert.equal((await member.post('/api/v1/me/registration', form({ unit_id: undefined }))).status, 201);
    assert.equal((await member.get('/api/v1/me/member')).json.member.unit_id, 0);
  });
});

describe('ID numbers: sealed at rest, revealed with a reason, audited', () => {
  test('the database never holds an ID number in clear', async () => {
    // SQLite: the file and its log as they are on the disk; PostgreSQL: every row, as pg_dump writes them out.
    const bytes = ENGINE === 'postgres' ? pgDump(new URL(srv.db).pathname.slice(1))
      : readFileSync(srv.db).toString('latin1') + readFileSync(srv.db + '-wal', { flag: 'r' }).toString('latin1');
    for (const id of [ID_MEMBER, ID_TYPED, ID_UNIT]) assert.ok(!bytes.includes(id), `${id} in clear`);
  });

  test('reveal: reason required, staff of the community and the street org may, others may not', async () => {
    const list = await staff.get('/api/v1/members?q=李红');
    const id = list.json.items[0].id;
    assertFieldError(await staff.post(`/api/v1/members/${id}/reveal`, {}), 'reason', 'required');
    const r = await staff.post(`/api/v1/members/${id}/reveal`, { reason: '核对报到信息' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.id_number, ID_TYPED);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.equal((await org.post(`/api/v1/members/${id}/reveal`, { reason: '街道核查' })).status, 200);
    assertProblem(await staffFeie.post(`/api/v1/members/${id}/reveal`, { reason: '看看' }), 404, 'not_found');
    const log = await admin.get('/api/v1/audit?action=member.reveal');
    const done = log.json.items.filter((e) => e.outcome === 'ok');
    assert.deepEqual(done.map((e) => e.detail).sort(), ['核对报到信息', '街道核查']);
    assert.ok(done.every((e) => e.target_id === String(id)));
    const refused = log.json.items.filter((e) => e.outcome === 'denied');
    assert.equal(refused.length, 1, 'the refused attempt is on record too');
  });

  test('the audit chain holds after all of it', () => {
    const out = srv.cli(['audit', 'verify']);
    assert.match(out, /^ok/);
  });
});

describe('lists and hostile bodies', () => {
  test('filters: specialty, state, community; paging bounds', async () => {
    const all = await admin.get('/api/v1/members?per_page=100');
    assert.equal(all.json.total, 3);
    const med = await admin.get(`/api/v1/members?specialty=${encodeURIComponent('医疗')}`);
    assert.deepEqual(med.json.items.map((m) => m.name).sort(), ['孙医生', '王党员']);
    const approved = await admin.get('/api/v1/members?state=approved');
    assert.deepEqual(approved.json.items.map((m) => m.name), ['李红']);
    assertProblem(await admin.get('/api/v1/members?per_page=1000'), 400, 'bad_query');
    const spec = await member.get('/api/v1/specialties');
    assert.ok(spec.json.items.includes('心理咨询'));
  });

  const bad = [
    ['array body', []],
    ['name a number', { ...form(), name: 5 }],
    ['unknown field', { ...form(), id_number_clear: 'x' }],
    ['overlong address', { ...form(), address: '路'.repeat(101) }],
    ['unit_id a string', { ...form(), unit_id: '2' }],
    ['plaque_hung a string', { ...form(), plaque_hung: 'yes' }],
    ['SQL in the name', { ...form(), name: "x' OR 1=1 --", id_number: '123' }],
    ['huge unit_id', { ...form(), unit_id: 1e300 }],
    ['missing everything', {}],
  ];
  for (const [name, body] of bad) {
    test(`POST /members with ${name} → 4xx problem, nothing written`, async () => {
      const before = (await admin.get('/api/v1/members')).json.total;
      const r = await staff.post('/api/v1/members', body);
      assert.ok(r.status >= 400 && r.status < 500, `${r.status} ${r.text}`);
      assertProblem(r, r.status);
      assert.equal((await admin.get('/api/v1/members')).json.total, before);
    });
  }

  test('anonymous callers get 401 on every new route', async () => {
    const anon = new Client(srv.url);
    for (const [m, p] of [['GET', '/api/v1/members'], ['GET', '/api/v1/members/1'], ['POST', '/api/v1/members/1/reveal'],
      ['GET', '/api/v1/registrations'], ['POST', '/api/v1/registrations/1/approve'], ['GET', '/api/v1/me/member'],
      ['POST', '/api/v1/me/registration']]) {
      assertProblem(await anon.req(m, p, m === 'POST' ? {} : undefined), 401, 'unauthenticated', `${m} ${p}`);
    }
  });
});

describe('staff correct a file (PUT /api/v1/members/{id})', () => {
  let file; let building;
  const edit = (over = {}) => ({
    phone: '13622223333', unit_id: 2, position: '护士长', party_branch: '第一支部', joined_party_on: '2008-07-01',
    building_code: building.code, address: '石榴桥路 8 号', specialties: '医疗', preferred_posts: '义诊',
    plaque_hung: true, plaque_on: '2023-05-01', ...over,
  });
  before(async () => {
    const r = await staff.post('/api/v1/members', {
      name: '周改档', phone: '13633334444', id_number: '44011119800101001X', community_code: SHILIUQIAO,
    });
    assert.equal(r.status, 201, r.text);
    file = r.json.member;
    const grid = (await staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: '改档网格' })).json;
    building = (await staff.post(`/api/v1/regions/${grid.code}/children`, { name: '改档 1 栋' })).json;
    assert.ok(building?.code, 'a building to place the member in');
  });

  test('every correctable field changes; name, ID number, gender and community stay; audited', async () => {
    const r = await staff.put(`/api/v1/members/${file.id}`, edit());
    assert.equal(r.status, 200, r.text);
    const m = (await staff.get(`/api/v1/members/${file.id}`)).json.member;
    for (const [k, v] of Object.entries(edit())) assert.deepEqual(m[k], v, k);
    assert.equal(m.unit_name.length > 0, true);
    for (const k of ['name', 'gender', 'birth_date', 'id_number_masked', 'community_code']) assert.equal(m[k], file[k], k);
    const audit = await admin.get('/api/v1/audit?action=member.update&per_page=1');
    assert.equal(audit.json.items[0].target_id, String(file.id));
    // Cleared again: no unit, no building, no plaque (its date goes with it).
    const cleared = await staff.put(`/api/v1/members/${file.id}`, { phone: '13622223333', plaque_on: '2023-05-01' });
    assert.equal(cleared.status, 200, cleared.text);
    const c = cleared.json.member;
    assert.deepEqual([c.unit_id, c.building_code, c.address, c.plaque_hung, c.plaque_on], [0, '', '', false, '']);
  });

  test('every fault is named at once; nothing is written', async () => {
    const before = (await staff.get(`/api/v1/members/${file.id}`)).json.member;
    const r = await staff.put(`/api/v1/members/${file.id}`, edit({
      phone: '12345', unit_id: 987654, joined_party_on: '1990-01-01', building_code: SHILIUQIAO, specialties: '医疗,飞行',
      plaque_on: '2999-01-01',
    }));
    assertFieldError(r, 'phone', 'format');
    assertFieldError(r, 'unit_id', 'not_found');
    assertFieldError(r, 'joined_party_on', 'too_small'); // born 1980: 18 in 1998
    assertFieldError(r, 'building_code', 'not_found');
    assertFieldError(r, 'specialties', 'enum');
    assertFieldError(r, 'plaque_on', 'format');
    assert.deepEqual((await staff.get(`/api/v1/members/${file.id}`)).json.member, before);
  });

  const hostile = [
    ['the name', { name: '改名' }, 422],
    ['the ID number', { id_number: '44011119800101001X' }, 422],
    ['the community', { community_code: FEIE }, 422],
    ['phone as a number', { phone: 13622223333 }, 422],
    ['no phone', { phone: undefined }, 422],
    ['plaque_hung as text', { plaque_hung: 'yes' }, 422],
    ['a huge unit_id', { unit_id: 1e300 }, 422],
    ['an overlong address', { address: '路'.repeat(101) }, 422],
  ];
  for (const [what, over, status] of hostile) {
    test(`a body with ${what} → ${status}, nothing written`, async () => {
      const before = (await staff.get(`/api/v1/members/${file.id}`)).json.member;
      const body = edit(over);
      for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
      assertProblem(await staff.put(`/api/v1/members/${file.id}`, body), status);
      assert.deepEqual((await staff.get(`/api/v1/members/${file.id}`)).json.member, before);
    });
  }
  test('not JSON, an array, a member that does not exist', async () => {
    assertProblem(await staff.put(`/api/v1/members/${file.id}`, '{"phone":'), 400, 'bad_json');
    assertProblem(await staff.put(`/api/v1/members/${file.id}`, []), 400);
    assertProblem(await staff.put('/api/v1/members/987654321', edit()), 404, 'not_found');
    assertProblem(await staff.put('/api/v1/members/abc', edit()), 404, 'not_found');
  });
});
