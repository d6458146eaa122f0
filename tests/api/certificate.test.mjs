// certificate.test.mjs: service certificates (志愿服务证明): ask → issue → read → register → verify; revocation; numbers; who may do what; hostile input
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, Client, sqlConcat } from '../lib/server.mjs';
import { loginAs, addUser, assertProblem, assertFieldError, assertCleanLog, validIdNumber, SHILIUQIAO, SANYANJING, HONGQIAO } from './helpers.mjs';
import { NOW, DAY, FOUR, sql, items, newFile, memberClient, when, made } from './records-helpers.mjs';

let srv, item;
const as = {};
let owner, other, idle; // files in 石榴桥社区 with accounts; idle never served
let request, cert; // the owner's first request and the certificate issued for it

// China's date of a Unix time.
const day = (t) => new Date((t + 8 * 3600) * 1000).toISOString().slice(0, 10);
const TODAY = day(NOW);
const MONTH_AGO = day(NOW - 30 * DAY);
const SIGNERS = { person_in_charge: '石榴桥社区党委书记 陈立华', handler: '李社工', contact: '020-86000311' };
const CODE_RE = /^[0-9a-f]{32}$/;
const OWNER_ID = validIdNumber('19800101', 701); // the owner's ID number, in clear nowhere but their file

// A service of item G07 (义务理发, no extra fields), entered and stamped by staff at once.
const served = (file, minutes) => made(as.staff, '/api/v1/records', {
  member_id: file.id, item_id: item.G07, started_at: when(), minutes, place: '社区', content: '为老人理发', confirm: true,
});
const ask = (who, body = {}) => who.post('/api/v1/me/certificate-requests', { from: MONTH_AGO, to: TODAY, note: '单位评优', ...body });

before(async () => {
  srv = await startServer();
  addUser(srv, 'staff2', 'staff', { region: SANYANJING });
  addUser(srv, 'org2', 'org', { region: HONGQIAO });
  for (const l of ['admin', 'org', 'org2', 'staff', 'staff2', 'unit', 'resident']) as[l] = await loginAs(srv, l);
  as.anon = new Client(srv.url);
  item = items(srv);
  owner = await newFile(as.staff, { id_number: OWNER_ID });
  other = await newFile(as.staff);
  idle = await newFile(as.staff);
  as.owner = await memberClient(srv, as.staff, owner);
  as.other = await memberClient(srv, as.staff, other);
  as.idle = await memberClient(srv, as.staff, idle);
});
after(async () => {
  await srv?.stop();
  assertCleanLog(srv.log());
});

describe('a member asks, the community issues, anyone verifies', () => {
  let fixed;
  before(async () => {
    await served(owner, 60);
    fixed = await served(owner, 90);
    const c = await as.staff.post(`/api/v1/records/${fixed.id}/corrections`, { minutes: 120, reason: '补记半小时' });
    assert.equal(c.status, 201, c.text);
    await made(as.owner, '/api/v1/me/records', { item_id: item.G07, started_at: when(), minutes: 45, place: '社区', content: '待确认' });
  });

  test('the member asks for a period; the request waits in the community\'s queue', async () => {
    const r = await ask(as.owner);
    assert.equal(r.status, 201, r.text);
    request = r.json;
    assert.equal(request.state, 'asked');
    assert.equal(request.from, MONTH_AGO);
    assert.equal(request.to, TODAY);
    assert.equal(request.community_code, SHILIUQIAO);
    assert.equal(request.certificate_id, null);
    assertProblem(await ask(as.owner), 409, 'conflict', 'one request waits at a time');
    const q = await as.staff.get(`/api/v1/certificate-requests?community=${SHILIUQIAO}&state=asked`);
    assert.equal(q.status, 200, q.text);
    assert.deepEqual(q.json.items.map((x) => x.id), [request.id]);
    assert.equal(q.json.items[0].member_name, owner.name);
  });

  test('staff issue it: a number, the confirmed services with their corrections, the total, masked ID', async () => {
    const r = await as.staff.post(`/api/v1/certificate-requests/${request.id}/issue`, SIGNERS);
    assert.equal(r.status, 201, r.text);
    cert = r.json;
    assert.match(cert.number, new RegExp(`^${SHILIUQIAO}-${TODAY.slice(0, 4)}-00001$`));
    assert.equal(cert.name, owner.name);
    assert.equal(cert.id_type, '居民身份证');
    assert.match(cert.id_number_masked, /^4401\*{10}\d{3}[\dX]$/);
    assert.equal(cert.total_minutes, 60 + 120); // the pending report is not certified
    assert.equal(cert.services, 2);
    assert.deepEqual(cert.lines.map((l) => l.minutes).sort(), [120, 60]);
    assert.equal(cert.lines.find((l) => l.record_id === fixed.id).minutes, 120);
    assert.ok(cert.lines.every((l) => l.item_name === '义务理发' && /^\d{4}-\d\d-\d\d$/.test(l.date)));
    assert.equal(cert.issuer_name, '石榴桥社区');
    assert.deepEqual([cert.person_in_charge, cert.handler, cert.contact], Object.values(SIGNERS));
    assert.equal(cert.issued_on, TODAY);
    assert.equal(cert.state, 'valid');
    assert.match(cert.code, CODE_RE);
    assert.equal(cert.verify_path, `/m/verify/certificates/${cert.code}`);
    assert.equal(cert.can.revoke, true);
    assert.ok(!JSON.stringify(cert).includes(OWNER_ID), 'no clear ID number');
    assert.equal(sql(srv, `SELECT count(*) FROM audit_log WHERE action = 'certificate.issue' AND target_id = '${cert.id}'`), '1');
    assertProblem(await as.staff.post(`/api/v1/certificate-requests/${request.id}/issue`, SIGNERS), 409, 'conflict', 'issued once');
  });

  test('the member sees the request issued and the certificate; the ID number never in clear', async () => {
    const r = await as.owner.get('/api/v1/me/certificates');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.requests[0].state, 'issued');
    assert.equal(r.json.requests[0].certificate_id, cert.id);
    assert.deepEqual(r.json.certificates.map((x) => x.number), [cert.number]);
    const g = await as.owner.get(`/api/v1/certificates/${cert.id}`);
    assert.equal(g.status, 200, g.text);
    assert.equal(g.json.total_minutes, 180);
    assert.equal(g.json.lines.length, 2);
    assert.equal(g.json.can.revoke, false);
    assert.ok(!g.text.includes(OWNER_ID), 'no clear ID number');
    assert.deepEqual((await as.other.get('/api/v1/me/certificates')).json, { requests: [], certificates: [] });
  });

  test('the register finds it by community, by name and by number', async () => {
    for (const q of [`community=${SHILIUQIAO}`, `q=${encodeURIComponent(owner.name.slice(0, 2))}`, `q=${cert.number.slice(-5)}`,
      `q=${cert.number}`, 'state=valid', '']) {
      const r = await as.staff.get(`/api/v1/certificates?${q}`);
      assert.equal(r.status, 200, `${q} ${r.text}`);
      assert.deepEqual(r.json.items.map((x) => x.id), [cert.id], q);
      assert.equal(r.json.total, 1);
    }
    for (const q of ['q=%E6%9D%8E%E5%9B%9B', 'q=99999', 'state=revoked', 'community=440111002001']) {
      assert.deepEqual((await as.staff.get(`/api/v1/certificates?${q}`)).json.items, [], q);
    }
  });

  test('its QR code (PNG) reads as the public verification address', async () => {
    const r = await fetch(`${srv.url}/api/v1/certificates/${cert.id}/qr.png`, { headers: { Cookie: as.owner.cookie } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'image/png');
    const png = Buffer.from(await r.arrayBuffer());
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const file = join(srv.dir, 'qr.png');
    writeFileSync(file, png);
    const text = execFileSync('zbarimg', ['--raw', '-q', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    assert.equal(text, `${srv.url}/m/verify/certificates/${cert.code}`);
  });

  test('the public page says valid, with the masked name, hours, issuer and date, and nothing else', async () => {
    const r = await as.anon.get(`/api/v1/public/certificates/${cert.code}`);
    assert.equal(r.status, 200, r.text);
    const masked = `${[...owner.name][0]}*${[...owner.name].at(-1)}`; // one * however many lie between
    assert.deepEqual(r.json, { name_masked: masked, total_minutes: 180, issuer_name: '石榴桥社区', issued_on: TODAY, state: 'valid', revoked_on: null });
    for (const secret of [owner.name, owner.phone, OWNER_ID, OWNER_ID.slice(-4), cert.number, SIGNERS.contact]) assert.ok(!r.text.includes(secret), secret);
  });

  test('revoked with a reason: the page says revoked and since when; audited; never twice', async () => {
    assertFieldError(await as.staff.post(`/api/v1/certificates/${cert.id}/revoke`, {}), 'reason', 'required');
    const r = await as.staff.post(`/api/v1/certificates/${cert.id}/revoke`, { reason: '证明期间有误，重新开具' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.state, 'revoked');
    assert.equal(r.json.revoke_reason, '证明期间有误，重新开具');
    assert.equal(r.json.can.revoke, false);
    const v = await as.anon.get(`/api/v1/public/certificates/${cert.code}`);
    assert.equal(v.json.state, 'revoked');
    assert.equal(v.json.revoked_on, TODAY);
    assertProblem(await as.staff.post(`/api/v1/certificates/${cert.id}/revoke`, { reason: '再撤一次' }), 409, 'conflict');
    assert.equal(sql(srv, `SELECT detail FROM audit_log WHERE action = 'certificate.revoke' AND target_id = '${cert.id}'`), '证明期间有误，重新开具');
    assert.deepEqual((await as.staff.get('/api/v1/certificates?state=revoked')).json.items.map((x) => x.id), [cert.id]);
  });

  test('a made-up code, one of the wrong shape, or the number: not found', async () => {
    for (const code of ['0123456789abcdef0123456789abcdef', cert.code.toUpperCase(), `${cert.code}0`, cert.code.slice(1),
      encodeURIComponent(cert.number), encodeURIComponent(FOUR.repeat(32))]) {
      assertProblem(await as.anon.get(`/api/v1/public/certificates/${code}`), 404, 'not_found', code);
    }
  });

  test('the next certificate gets the next number: a revoked one keeps its own', async () => {
    const r = await ask(as.owner);
    assert.equal(r.status, 201, r.text);
    const c = await as.staff.post(`/api/v1/certificate-requests/${r.json.id}/issue`, SIGNERS);
    assert.equal(c.status, 201, c.text);
    assert.match(c.json.number, /-00002$/);
    assert.notEqual(c.json.code, cert.code);
    assert.equal((await as.anon.get(`/api/v1/public/certificates/${c.json.code}`)).json.state, 'valid');
  });

  test('declined with an answer; nothing to certify is refused and changes nothing', async () => {
    await served(other, 30);
    const r = await ask(as.other, { note: '' });
    assert.equal(r.status, 201, r.text);
    assertFieldError(await as.staff.post(`/api/v1/certificate-requests/${r.json.id}/decline`, {}), 'answer', 'required');
    const d = await as.staff.post(`/api/v1/certificate-requests/${r.json.id}/decline`, { answer: '请注明用途后重新申请' });
    assert.equal(d.status, 200, d.text);
    assert.equal(d.json.state, 'declined');
    assert.equal(d.json.answer, '请注明用途后重新申请');
    assertProblem(await as.staff.post(`/api/v1/certificate-requests/${r.json.id}/issue`, SIGNERS), 409, 'conflict');
    const e = await ask(as.idle);
    assert.equal(e.status, 201, e.text);
    const counters = sql(srv, `SELECT ${sqlConcat('last', 'issuer_code, year')} FROM certificate_counter`);
    assertProblem(await as.staff.post(`/api/v1/certificate-requests/${e.json.id}/issue`, SIGNERS), 409, 'empty');
    assert.equal(sql(srv, `SELECT ${sqlConcat('last', 'issuer_code, year')} FROM certificate_counter`), counters);
    assert.equal(sql(srv, `SELECT state FROM certificate_request WHERE id = ${e.json.id}`), 'asked');
  });
});

describe('who may do what: out of reach reads as not there', () => {
  let waiting, issued; // a request of other's waiting, and the owner's valid certificate
  const everyone = () => ['admin', 'org', 'org2', 'staff', 'staff2', 'unit', 'owner', 'other', 'resident', 'anon'];
  const expectEach = async (name, call, expect) => {
    for (const l of everyone()) {
      const r = await call(as[l]);
      const want = expect[l];
      if (want < 300) assert.equal(r.status, want, `${name} ${l} ${r.text}`);
      else assertProblem(r, want, undefined, `${name} ${l}`);
    }
  };

  before(async () => {
    waiting = (await ask(as.other)).json;
    assert.ok(waiting?.id);
    const list = (await as.owner.get('/api/v1/me/certificates')).json.certificates;
    issued = list.find((x) => x.state === 'valid');
    assert.ok(issued);
  });

  test('asking and one\'s own list: members only', async () => {
    const deny = { admin: 403, org: 403, org2: 403, staff: 403, staff2: 403, unit: 403, resident: 403, anon: 401 };
    await expectEach('ask', (c) => c.post('/api/v1/me/certificate-requests', { from: MONTH_AGO, to: TODAY }),
      { ...deny, owner: 201, other: 409 });
    await expectEach('mine', (c) => c.get('/api/v1/me/certificates'), { ...deny, owner: 200, other: 200 });
    // The demo's member account has no file: it may not ask.
    assertProblem(await ask(await loginAs(srv, 'member')), 403, 'forbidden');
  });

  test('the queue and its answers: the community\'s staff (and admin)', async () => {
    const q = await as.staff2.get('/api/v1/certificate-requests');
    assert.deepEqual(q.json.items, [], 'another community\'s staff see none');
    assert.ok((await as.admin.get('/api/v1/certificate-requests')).json.items.some((x) => x.id === waiting.id));
    const expect = { admin: 200, org: 403, org2: 403, staff: 200, staff2: 200, unit: 403, owner: 403, other: 403, resident: 403, anon: 401 };
    await expectEach('queue', (c) => c.get('/api/v1/certificate-requests?state=asked'), expect);
    const act = { admin: 'later', org: 403, org2: 403, staff: 'later', staff2: 404, unit: 403, owner: 403, other: 403, resident: 403, anon: 401 };
    for (const l of everyone().filter((x) => act[x] !== 'later')) {
      assertProblem(await as[l].post(`/api/v1/certificate-requests/${waiting.id}/issue`, SIGNERS), act[l], undefined, `issue ${l}`);
      assertProblem(await as[l].post(`/api/v1/certificate-requests/${waiting.id}/decline`, { answer: '不予办理' }), act[l], undefined, `decline ${l}`);
    }
    assert.equal(sql(srv, `SELECT state FROM certificate_request WHERE id = ${waiting.id}`), 'asked', 'the refusals changed nothing');
    assert.ok(Number(sql(srv, "SELECT count(*) FROM audit_log WHERE action = 'certificate.issue' AND outcome = 'denied'")) >= 1);
    assertProblem(await as.staff.post('/api/v1/certificate-requests/99999/issue', SIGNERS), 404, 'not_found');
    const ok = await as.admin.post(`/api/v1/certificate-requests/${waiting.id}/issue`, SIGNERS);
    assert.equal(ok.status, 201, ok.text);
  });

  test('the register: admin, org and staff in scope', async () => {
    const expect = { admin: 200, org: 200, org2: 200, staff: 200, staff2: 200, unit: 403, owner: 403, other: 403, resident: 403, anon: 401 };
    await expectEach('register', (c) => c.get('/api/v1/certificates?per_page=100'), expect);
    for (const l of ['admin', 'org', 'staff']) {
      assert.ok((await as[l].get('/api/v1/certificates')).json.items.some((x) => x.id === issued.id), l);
    }
    for (const l of ['org2', 'staff2']) assert.deepEqual((await as[l].get('/api/v1/certificates')).json.items, [], l);
  });

  test('a certificate, its QR code: its member and those in scope', async () => {
    const expect = { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, unit: 403, owner: 200, other: 404, resident: 403, anon: 401 };
    await expectEach('get', (c) => c.get(`/api/v1/certificates/${issued.id}`), expect);
    await expectEach('qr', (c) => c.get(`/api/v1/certificates/${issued.id}/qr.png`), expect);
    assertProblem(await as.staff.get('/api/v1/certificates/99999'), 404, 'not_found');
    assertProblem(await as.staff.get('/api/v1/certificates/abc'), 404);
  });

  test('revocation: the issuing community\'s staff (and admin)', async () => {
    const expect = { admin: 'later', org: 403, org2: 403, staff: 'later', staff2: 404, unit: 403, owner: 403, other: 403, resident: 403, anon: 401 };
    for (const l of everyone().filter((x) => expect[x] !== 'later')) {
      assertProblem(await as[l].post(`/api/v1/certificates/${issued.id}/revoke`, { reason: '试图撤销' }), expect[l], undefined, l);
    }
    assert.equal((await as.anon.get(`/api/v1/public/certificates/${issued.code}`)).json.state, 'valid');
    const r = await as.admin.post(`/api/v1/certificates/${issued.id}/revoke`, { reason: '管理员撤销' });
    assert.equal(r.status, 200, r.text);
  });

  test('verification is public: every role reads the same', async () => {
    for (const l of everyone()) {
      const r = await as[l].get(`/api/v1/public/certificates/${issued.code}`);
      assert.equal(r.status, 200, l);
      assert.equal(r.json.state, 'revoked', l);
    }
  });
});

describe('hostile input is refused field by field and writes nothing', () => {
  let waiting;
  const written = () => sql(srv, `SELECT (SELECT count(*) FROM certificate_request), (SELECT count(*) FROM certificate),
    (SELECT ${sqlConcat('state || answer')} FROM certificate_request), (SELECT ${sqlConcat('COALESCE(revoked_at, 0)')} FROM certificate)`);

  before(async () => {
    // The owner's request of the month, asked in the matrix above.
    waiting = (await as.owner.get('/api/v1/me/certificates')).json.requests.find((x) => x.state === 'asked');
    assert.ok(waiting);
  });

  test('a request: dates, note, unknown fields, bad JSON', async () => {
    const before = written();
    const post = (body) => as.other.post('/api/v1/me/certificate-requests', body);
    assertFieldError(await post({ from: MONTH_AGO }), 'to', 'required');
    assertFieldError(await post({ from: 20260101, to: TODAY }), 'from', 'type');
    assertFieldError(await post({ from: '2026-13-01', to: TODAY }), 'from', 'format');
    assertFieldError(await post({ from: '2026/01/01', to: TODAY }), 'from', 'format');
    assertFieldError(await post({ from: MONTH_AGO, to: day(NOW + DAY) }), 'to', 'too_large');
    assertFieldError(await post({ from: TODAY, to: MONTH_AGO }), 'from', 'order');
    assertFieldError(await post({ from: day(NOW - 4 * 366 * DAY), to: TODAY }), 'from', 'too_small');
    assertFieldError(await post({ from: MONTH_AGO, to: TODAY, note: FOUR.repeat(201) }), 'note', 'too_long');
    assertFieldError(await post({ from: MONTH_AGO, to: TODAY, note: 7 }), 'note', 'type');
    assertFieldError(await post({ from: MONTH_AGO, to: TODAY, member_id: owner.id }), 'member_id', 'unknown');
    assertFieldError(await post({ from: FOUR.repeat(10), to: TODAY }), 'from', 'format');
    assertProblem(await post('{"from":'), 400);
    assertProblem(await post('[]'), 400);
    assertProblem(await as.other.post('/api/v1/me/certificate-requests', 'from=x', { 'Content-Type': 'text/plain' }), [400, 415]);
    assert.equal(written(), before);
    // A note of 200 four-byte characters is kept whole.
    const r = await post({ from: MONTH_AGO, to: TODAY, note: FOUR.repeat(200) });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.note, FOUR.repeat(200));
    const d = await as.staff.post(`/api/v1/certificate-requests/${r.json.id}/decline`, { answer: FOUR.repeat(200) });
    assert.equal(d.status, 200, d.text);
    assert.equal(d.json.answer, FOUR.repeat(200));
  });

  test('issuing: the signers at their limits in four-byte characters, and one past', async () => {
    const before = written();
    const issue = (over) => as.staff.post(`/api/v1/certificate-requests/${waiting.id}/issue`, { ...SIGNERS, ...over });
    assertFieldError(await issue({ person_in_charge: undefined }), 'person_in_charge', 'required');
    assertFieldError(await issue({ person_in_charge: '' }), 'person_in_charge', ['required', 'too_short']);
    assertFieldError(await issue({ handler: FOUR.repeat(51) }), 'handler', 'too_long');
    assertFieldError(await issue({ person_in_charge: FOUR.repeat(51) }), 'person_in_charge', 'too_long');
    assertFieldError(await issue({ contact: FOUR.repeat(51) }), 'contact', 'too_long');
    assertFieldError(await issue({ contact: 86000311 }), 'contact', 'type');
    assertFieldError(await issue({ number: 'X-1' }), 'number', 'unknown');
    assertProblem(await as.staff.post(`/api/v1/certificate-requests/${waiting.id}/issue`, '{"handler'), 400);
    assertFieldError(await as.staff.post(`/api/v1/certificate-requests/${waiting.id}/decline`, { answer: FOUR.repeat(201) }), 'answer', 'too_long');
    assertFieldError(await as.staff.post(`/api/v1/certificate-requests/${waiting.id}/decline`, { answer: '不' }), 'answer', 'too_short');
    assert.equal(written(), before);
    const r = await issue({ person_in_charge: FOUR.repeat(50), handler: FOUR.repeat(50), contact: FOUR.repeat(50) });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual([r.json.person_in_charge, r.json.handler, r.json.contact], [FOUR.repeat(50), FOUR.repeat(50), FOUR.repeat(50)]);
    const again = await as.staff.get(`/api/v1/certificates/${r.json.id}`);
    assert.equal(again.json.handler, FOUR.repeat(50));
    waiting.cert = r.json;
  });

  test('revoking: the reason at its limit, one past, too short, wrong type', async () => {
    const path = `/api/v1/certificates/${waiting.cert.id}/revoke`;
    const before = written();
    assertFieldError(await as.staff.post(path, { reason: FOUR.repeat(201) }), 'reason', 'too_long');
    assertFieldError(await as.staff.post(path, { reason: '错' }), 'reason', 'too_short');
    assertFieldError(await as.staff.post(path, { reason: ['错误'] }), 'reason', 'type');
    assertFieldError(await as.staff.post(path, { reason: '有误', why: 1 }), 'why', 'unknown');
    assertProblem(await as.staff.post(path, 'null'), 400);
    assert.equal(written(), before);
    const r = await as.staff.post(path, { reason: FOUR.repeat(200) });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.revoke_reason, FOUR.repeat(200));
  });

  test('bad queries are named', async () => {
    for (const q of ['community=abc', 'community=4401110020111', 'state=lost', 'page=0', 'per_page=101', `q=${FOUR.repeat(51)}`, 'q=%FF']) {
      assertProblem(await as.staff.get(`/api/v1/certificates?${q}`), 400, 'bad_query', q);
    }
    for (const q of ['community=abc', 'state=valid', 'page=-1']) {
      assertProblem(await as.staff.get(`/api/v1/certificate-requests?${q}`), 400, 'bad_query', q);
    }
    // A name of 50 four-byte characters is a question, not a fault.
    assert.deepEqual((await as.staff.get(`/api/v1/certificates?q=${FOUR.repeat(50)}`)).json.items, []);
    assert.deepEqual((await as.staff.get('/api/v1/certificates?q=%25')).json.items, [], 'a % is a character, not a wildcard');
  });
});
