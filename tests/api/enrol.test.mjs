// enrol.test.mjs: a file and its account linked all-or-nothing, and duplicates that tell nothing outside one's scope
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { loginAs, addUser, assertProblem, validIdNumber, SHILIUQIAO, FEIE } from './helpers.mjs';

let srv, staff, staffFeie, unit, admin;

const form = (over = {}) => ({ name: '赵连接', phone: '13700001111', community_code: SHILIUQIAO, ...over });

before(async () => {
  srv = await startServer();
  addUser(srv, 'staff_feie', 'staff', { region: FEIE, name: '飞鹅社工' });
  [staff, staffFeie, unit, admin] = await Promise.all(['staff', 'staff_feie', 'unit', 'admin'].map((l) => loginAs(srv, l)));
});
after(() => srv.stop());

async function newMember(login, phone) {
  addUser(srv, login, 'member', { region: SHILIUQIAO, phone });
  return loginAs(srv, login);
}

async function claims(id) {
  const log = await admin.get('/api/v1/audit?action=member.claim&per_page=100');
  return log.json.items.filter((e) => e.target_id === String(id));
}

describe('a member links the file the community typed in, from the phone', () => {
  test('same name and ID number, same community: 200, the file is theirs, no second report-in', async () => {
    const id_number = validIdNumber('19800312', 11);
    const typed = await staff.post('/api/v1/members', form({ id_number }));
    assert.equal(typed.status, 201, typed.text);
    assert.equal(typed.json.member.state, 'approved');
    const m = await newMember('zhao', '13700001111');
    const r = await m.post('/api/v1/me/registration', form({ id_number, address: '石榴桥路 8 号' }));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.member.id, typed.json.member.id);
    assert.equal(r.json.member.state, 'approved', 'still reported in, not sent back to the queue');
    assert.equal(r.json.member.has_account, true);
    assert.equal(r.json.member.address, '石榴桥路 8 号');
    assert.deepEqual(r.json.timeline.map((e) => e.event), ['submitted', 'approved']);
    assert.equal((await m.get('/api/v1/me/member')).json.member.id, typed.json.member.id);
    assert.equal((await claims(typed.json.member.id)).length, 1);
  });

  test('a report-in refused after the link would be made changes nothing: no link, no claim on record', async () => {
    // The unit files the member, pending at 石榴桥; the member asks for 飞鹅 from the phone: refused.
    const id_number = validIdNumber('19790521', 13);
    const filed = await unit.post('/api/v1/members', form({ name: '钱待审', phone: '13700002222', id_number }));
    assert.equal(filed.status, 201, filed.text);
    assert.equal(filed.json.member.state, 'pending');
    const m = await newMember('qian', '13700002222');
    const r = await m.post('/api/v1/me/registration', form({ name: '钱待审', phone: '13700002222', id_number, community_code: FEIE }));
    assertProblem(r, 409, 'conflict');
    assertProblem(await m.get('/api/v1/me/member'), 404, 'not_found');
    const file = await staff.get(`/api/v1/members/${filed.json.member.id}`);
    assert.equal(file.json.member.has_account, false);
    assert.deepEqual(await claims(filed.json.member.id), []);
    // The same member choosing the community the unit named links the file and keeps the one report-in.
    const ok = await m.post('/api/v1/me/registration', form({ name: '钱待审', phone: '13700002222', id_number }));
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.registration.state, 'pending');
    assert.equal(ok.json.registration.channel, 'unit');
  });

  test('a file filed under another name is not linked, and its name is not told', async () => {
    const id_number = validIdNumber('19820101', 15);
    const typed = await staff.post('/api/v1/members', form({ name: '孙真名', phone: '13700003333', id_number }));
    assert.equal(typed.status, 201, typed.text);
    const m = await newMember('sun', '13700003333');
    const r = await m.post('/api/v1/me/registration', form({ name: '孙假名', phone: '13700003333', id_number }));
    const p = assertProblem(r, 409, 'conflict');
    assert.equal(p.errors[0].field, 'id_number');
    assert.ok(!r.text.includes('孙真名') && !r.text.includes(String(typed.json.member.id)), r.text);
    assert.equal((await staff.get(`/api/v1/members/${typed.json.member.id}`)).json.member.has_account, false);
  });
});

describe('an ID number that has a file already', () => {
  test('typed in again by the community that holds it: 409 naming the file', async () => {
    const id_number = validIdNumber('19750707', 17);
    const first = await staff.post('/api/v1/members', form({ name: '李本社', phone: '13700004444', id_number }));
    assert.equal(first.status, 201, first.text);
    const again = await staff.post('/api/v1/members', form({ name: '李本社', phone: '13700004444', id_number }));
    const p = assertProblem(again, 409, 'conflict');
    assert.equal(p.existing_member_id, first.json.member.id);
  });

  test('entered by a unit or another community that cannot see it: 409 telling only what to do', async () => {
    const id_number = validIdNumber('19770808', 19);
    const first = await staffFeie.post('/api/v1/members', form({ name: '周别处', phone: '13700005555', id_number,
      community_code: FEIE }));
    assert.equal(first.status, 201, first.text);
    for (const [who, body] of [[unit, form({ name: '周别处', phone: '13700005555', id_number })],
      [staff, form({ name: '周别处', phone: '13700005555', id_number })]]) {
      const r = await who.post('/api/v1/members', body);
      const p = assertProblem(r, 409, 'conflict');
      assert.equal(p.existing_member_id, undefined);
      assert.equal(p.errors[0].field, 'id_number');
      assert.match(p.errors[0].message, /报到/);
      for (const secret of [String(first.json.member.id), '周', '飞鹅'])
        assert.ok(!p.errors[0].message.includes(secret) && !p.title.includes(secret), `${secret} told: ${r.text}`);
    }
  });
});
