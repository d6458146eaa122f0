// text-limits.test.mjs: every string field of every route at its longest, in 4-byte characters, read back intact
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { loginAs, addUser, assertFieldError, validIdNumber, SHILIUQIAO, SANYUANLI, DEMO_PASSWORD } from './helpers.mjs';

// U+20000 and on: CJK Extension B, 4 bytes each in UTF-8, as some names need.
const wide = (n, from = 0x20000) => Array.from({ length: n }, (_, i) => String.fromCodePoint(from + (i % 64))).join('');

let srv, staff, org, admin, member;

before(async () => {
  srv = await startServer();
  [staff, org, admin, member] = await Promise.all(['staff', 'org', 'admin', 'member'].map((l) => loginAs(srv, l)));
});
after(() => srv.stop());

// A field one character past its limit is refused naming it, so the limit read back below is the real one.
async function refusesOneMore(send, field, limit) {
  const r = await send(wide(limit + 1));
  assertFieldError(r, field, 'too_long', `${field} at ${limit + 1} characters`);
}

describe('regions', () => {
  test('a grid and a building named with 40 four-byte characters', async () => {
    const post = (name) => staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name });
    await refusesOneMore(post, 'name', 40);
    const grid = await post(wide(40));
    assert.equal(grid.status, 201, grid.text);
    assert.equal(grid.json.name, wide(40));
    const back = await staff.get(`/api/v1/regions/${grid.json.code}`);
    assert.equal(back.json.name, wide(40));
    const renamed = await staff.patch(`/api/v1/regions/${grid.json.code}`, { name: wide(40, 0x20100) });
    assert.equal(renamed.status, 200, renamed.text);
    const building = await staff.post(`/api/v1/regions/${grid.json.code}/children`, { name: wide(40, 0x20200) });
    assert.equal(building.status, 201, building.text);
    const kids = await staff.get(`/api/v1/regions/${grid.json.code}/children`);
    assert.deepEqual(kids.json.items.map((k) => k.name), [wide(40, 0x20200)]);
    const tree = await staff.get(`/api/v1/regions/${SHILIUQIAO}/children`);
    assert.ok(tree.json.items.some((k) => k.name === wide(40, 0x20100)), 'the renamed grid is listed by its full name');
  });
});

describe('units', () => {
  const body = (over = {}) => ({
    name: wide(100), party_org_name: wide(100, 0x20300), type: 'nonpublic', region_code: SANYUANLI,
    contact_name: wide(50, 0x20400), contact_phone: '020-12345678', ...over,
  });

  test('name, party organisation and contact at their limits', async () => {
    await refusesOneMore((v) => org.post('/api/v1/units', body({ name: v })), 'name', 100);
    await refusesOneMore((v) => org.post('/api/v1/units', body({ party_org_name: v })), 'party_org_name', 100);
    await refusesOneMore((v) => org.post('/api/v1/units', body({ contact_name: v })), 'contact_name', 50);
    const r = await org.post('/api/v1/units', body());
    assert.equal(r.status, 201, r.text);
    const back = await org.get(`/api/v1/units/${r.json.id}`);
    assert.equal(back.json.name, wide(100));
    assert.equal(back.json.party_org_name, wide(100, 0x20300));
    assert.equal(back.json.contact_name, wide(50, 0x20400));
    const list = await org.get('/api/v1/units', { });
    assert.ok(list.json.items.some((u) => u.name === wide(100)), 'listed whole');
    const put = await org.put(`/api/v1/units/${r.json.id}`, body({ name: wide(100, 0x20500) }));
    assert.equal(put.status, 200, put.text);
    assert.equal((await org.get(`/api/v1/units/${r.json.id}`)).json.name, wide(100, 0x20500));
  });
});

describe('member files and report-ins', () => {
  const form = (over = {}) => ({
    name: wide(50), phone: '13912345678', id_number: validIdNumber('19800101', 71), community_code: SHILIUQIAO,
    position: wide(50, 0x20600), party_branch: wide(100, 0x20700), address: wide(100, 0x20800),
    preferred_posts: wide(200, 0x20900), ...over,
  });
  let id;

  test('typed in by staff: every text at its limit comes back whole', async () => {
    for (const [field, limit] of [['name', 50], ['position', 50], ['party_branch', 100], ['address', 100],
      ['preferred_posts', 200]])
      await refusesOneMore((v) => staff.post('/api/v1/members', form({ [field]: v })), field, limit);
    const r = await staff.post('/api/v1/members', form());
    assert.equal(r.status, 201, r.text);
    id = r.json.member.id;
    const m = (await staff.get(`/api/v1/members/${id}`)).json.member;
    assert.equal(m.name, wide(50));
    assert.equal(m.position, wide(50, 0x20600));
    assert.equal(m.party_branch, wide(100, 0x20700));
    assert.equal(m.address, wide(100, 0x20800));
    assert.equal(m.preferred_posts, wide(200, 0x20900));
    const list = await staff.get(`/api/v1/members?q=${encodeURIComponent(wide(50))}`);
    assert.equal(list.json.total, 1);
    assert.equal(list.json.items[0].party_branch, wide(100, 0x20700));
  });

  test('corrected by staff at the limits', async () => {
    const r = await staff.put(`/api/v1/members/${id}`, {
      phone: '13912345678', position: wide(50, 0x20a00), party_branch: wide(100, 0x20b00), address: wide(100, 0x20c00),
      preferred_posts: wide(200, 0x20d00),
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.member.preferred_posts, wide(200, 0x20d00));
    assert.equal(r.json.member.address, wide(100, 0x20c00));
  });

  test('a reveal reason of 200 characters is kept whole in the audit log', async () => {
    await refusesOneMore((v) => staff.post(`/api/v1/members/${id}/reveal`, { reason: v }), 'reason', 200);
    const r = await staff.post(`/api/v1/members/${id}/reveal`, { reason: wide(200, 0x20e00) });
    assert.equal(r.status, 200, r.text);
    const audit = await admin.get('/api/v1/audit?action=member.reveal');
    const e = audit.json.items.find((x) => x.target_id === String(id));
    assert.ok(e, 'the reveal is listed');
    assert.equal(e.detail, wide(200, 0x20e00));
  });

  test('a leave reason of 200 characters is kept whole on the timeline', async () => {
    const r = await staff.post(`/api/v1/members/${id}/leave`, { reason: wide(200, 0x20f00) });
    assert.equal(r.status, 200, r.text);
    const left = r.json.timeline.find((e) => e.event === 'left');
    assert.equal(left.note, wide(200, 0x20f00));
  });

  test('a rejection reason of 200 characters is kept whole on the report-in and the timeline', async () => {
    const own = await member.post('/api/v1/me/registration', {
      name: wide(50, 0x21000), phone: '13812340000', id_number: validIdNumber('19850505', 31),
      community_code: SHILIUQIAO, address: wide(100, 0x21100),
    });
    assert.equal(own.status, 201, own.text);
    assert.equal(own.json.member.name, wide(50, 0x21000));
    assert.equal((await member.get('/api/v1/me/member')).json.member.address, wide(100, 0x21100));
    const reg = own.json.registration.id;
    const r = await staff.post(`/api/v1/registrations/${reg}/reject`, { reason: wide(200, 0x21200) });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.timeline.find((e) => e.event === 'rejected').note, wide(200, 0x21200));
    const list = await staff.get('/api/v1/registrations?state=rejected');
    assert.equal(list.json.items.find((x) => x.id === reg).reason, wide(200, 0x21200));
  });
});

describe('agreements', () => {
  test('30 commitments of 200 characters and a document reference of 100', async () => {
    const body = (over = {}) => ({
      unit_id: 2, community_code: SHILIUQIAO, starts_on: '2026-01-01', ends_on: '2027-12-31', status: 'signed',
      signed_doc: wide(100, 0x21300), commitments: Array.from({ length: 30 }, (_, i) => wide(200, 0x21400 + i)), ...over,
    });
    await refusesOneMore((v) => staff.post('/api/v1/agreements', body({ signed_doc: v })), 'signed_doc', 100);
    const r = await staff.post('/api/v1/agreements', body());
    assert.equal(r.status, 201, r.text);
    const back = await staff.get(`/api/v1/agreements/${r.json.id}`);
    assert.equal(back.json.signed_doc, wide(100, 0x21300));
    assert.deepEqual(back.json.commitments, body().commitments);
    const put = await staff.put(`/api/v1/agreements/${r.json.id}`, body({ signed_doc: wide(100, 0x21500) }));
    assert.equal(put.status, 200, put.text);
    assert.equal(put.json.signed_doc, wide(100, 0x21500));
  });
});

describe('accounts opened by others and by oneself', () => {
  test('a staff account opened by an org with a name of 64 and a login of 64 four-byte characters', async () => {
    const body = (over) => ({ login: wide(64, 0x21900), name: wide(64, 0x21a00), role: 'staff',
      region_code: SHILIUQIAO, ...over });
    await refusesOneMore((v) => org.post('/api/v1/accounts', body({ name: v })), 'name', 64);
    await refusesOneMore((v) => org.post('/api/v1/accounts', body({ login: v })), 'login', 64);
    const r = await org.post('/api/v1/accounts', body());
    assert.equal(r.status, 201, r.text);
    const listed = (await org.get('/api/v1/accounts?role=staff')).json.items.find((a) => a.id === r.json.account.id);
    assert.equal(listed.login, wide(64, 0x21900));
    assert.equal(listed.name, wide(64, 0x21a00));
  });

  test('a sign-up with a name of 64 four-byte characters', async () => {
    const body = (name) => ({ kind: 'member', phone: '13655556666', name, password: wide(128, 0x21b00),
      community_code: SHILIUQIAO });
    await refusesOneMore((v) => new Client(srv.url).post('/api/v1/signup', body(v)), 'name', 64);
    assert.equal((await new Client(srv.url).post('/api/v1/signup', body(wide(64, 0x21c00)))).status, 202);
    const c = await loginAs(srv, '13655556666', wide(128, 0x21b00));
    assert.equal((await c.get('/api/v1/me')).json.name, wide(64, 0x21c00));
  });
});

describe('accounts', () => {
  test('a login and a name of 64 four-byte characters, and a password of 128', async () => {
    const login = wide(64, 0x21600);
    addUser(srv, login, 'member', { region: SHILIUQIAO, name: wide(64, 0x21700) });
    const c = await loginAs(srv, login, DEMO_PASSWORD);
    const me = (await c.get('/api/v1/me')).json;
    assert.equal(me.login, login);
    assert.equal(me.name, wide(64, 0x21700));
    const password = wide(128, 0x21800);
    const r = await c.put('/api/v1/me/password', { old_password: DEMO_PASSWORD, new_password: password });
    assert.equal(r.status, 204, r.text);
    const again = await loginAs(srv, login, password);
    assert.equal((await again.get('/api/v1/me')).json.login, login);
  });
});
