// open311.test.mjs: the Open311 GeoReport v2 interface (issue #14) as a third-party client speaks it: form-encoded
// POSTs with an api_key and no cookie, JSON arrays back, errors as [{code, description}]; admin's client keys; privacy
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, dbRows } from '../lib/server.mjs';
import { assertProblem, assertFieldError, assertCleanLog, SHILIUQIAO, FEIE, SANYUANLI } from './helpers.mjs';
import { everyone, matrix, wide } from './serving-people.mjs';

const T0 = Date.UTC(2026, 2, 2, 2, 0, 0) / 1000; // 2026-03-02 10:00 in China, a Monday
let srv, as, memberId, key, keyId;

before(async () => {
  srv = await startServer({ clock: T0 });
  ({ as, memberId } = await everyone(srv));
  const k = await as.admin.post('/api/v1/open311-keys', { name: '市民热线 App', community_code: SHILIUQIAO });
  assert.equal(k.status, 201, k.text);
  ({ api_key: key, id: keyId } = k.json);
});
after(async () => {
  await srv.stop();
  assertCleanLog(srv.log());
});

// A third-party client: plain fetch, no cookie, no X-Requested-With, no Origin of ours.
async function client(method, path, form, headers = {}) {
  const h = { ...headers };
  let body;
  if (form !== undefined) {
    body = typeof form === 'string' ? form : new URLSearchParams(form).toString();
    h['Content-Type'] ??= 'application/x-www-form-urlencoded';
  }
  const r = await fetch(srv.url + path, { method, headers: h, body });
  const text = await r.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: r.status, type: r.headers.get('content-type') ?? '', text, json };
}
const post = (form, headers) => client('POST', '/open311/v2/requests.json', form, headers);
const good = (over = {}) => ({ api_key: key, service_code: 'drain', lat: '23.157123', long: '113.271456',
  address_string: '甘南路 881 号 3 单元 101', description: '3 单元门口下水道堵了，污水漫到路上', first_name: '阿姨',
  last_name: '张', phone: '13800000006', email: 'zhang@example.com', ...over });
// An Open311 error: an array of one {code, description} with the HTTP status as its code.
function assertO311Error(r, status, what = '') {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
  assert.ok(Array.isArray(r.json) && r.json.length === 1, `${what}: an error array: ${r.text}`);
  assert.equal(r.json[0].code, status, what);
  assert.equal(typeof r.json[0].description, 'string', what);
}
const caseCount = () => Number(dbRows(srv.db, 'SELECT COUNT(*) AS n FROM cases')[0].n);

test('admin issues a key per client (shown once, stored hashed), lists and revokes them; all audited; nobody else may', async () => {
  assert.match(key, /^[0-9a-f]{64}$/);
  const rows = dbRows(srv.db, `SELECT key_hash FROM open311_key WHERE id = ${keyId}`);
  assert.equal(rows.length, 1);
  assert.notEqual(rows[0].key_hash, key, 'only the hash is stored');
  assert.ok(!JSON.stringify(dbRows(srv.db, 'SELECT * FROM open311_key')).includes(key));

  const list = await as.admin.get('/api/v1/open311-keys');
  assert.equal(list.status, 200, list.text);
  const mine = list.json.items.find((x) => x.id === keyId);
  assert.deepEqual([mine.name, mine.community_code, mine.community_name, mine.revoked_at], ['市民热线 App', SHILIUQIAO, '石榴桥社区', null]);
  assert.ok(!list.text.includes(key), 'never shown again');

  const deny = { admin: 200, org: 403, org2: 403, staff: 403, staff2: 403, unit: 403, member: 403, memberElsewhere: 403,
    memberWaiting: 403, resident: 403, anon: 401 };
  await matrix(as, deny, (c) => c.get('/api/v1/open311-keys'), 'GET /api/v1/open311-keys');
  await matrix(as, { ...deny, admin: 201 }, (c) => c.post('/api/v1/open311-keys', { name: '测试客户端', community_code: FEIE }),
    'POST /api/v1/open311-keys');
  const spare = (await as.admin.post('/api/v1/open311-keys', { name: '待吊销', community_code: FEIE })).json;
  await matrix(as, { ...deny, admin: 204 }, (c) => c.del(`/api/v1/open311-keys/${spare.id}`), 'DELETE /api/v1/open311-keys/{id}');
  assertProblem(await as.admin.del(`/api/v1/open311-keys/${spare.id}`), 404, 'not_found');
  assertProblem(await as.admin.del('/api/v1/open311-keys/999999'), 404, 'not_found');
  assertO311Error(await post(good({ api_key: spare.api_key })), 403, 'a revoked key');

  // Bad input: not a community, names over 40 characters (4-byte ones), none.
  assertFieldError(await as.admin.post('/api/v1/open311-keys', { name: '街道客户端', community_code: SANYUANLI }), 'community_code');
  assertFieldError(await as.admin.post('/api/v1/open311-keys', { name: '无此社区', community_code: '999999999999' }), 'community_code');
  assertFieldError(await as.admin.post('/api/v1/open311-keys', { name: wide(41), community_code: FEIE }), 'name');
  assertFieldError(await as.admin.post('/api/v1/open311-keys', { community_code: FEIE }), 'name');
  const widest = await as.admin.post('/api/v1/open311-keys', { name: wide(40), community_code: FEIE });
  assert.equal(widest.status, 201, widest.text);
  assert.equal((await as.admin.get('/api/v1/open311-keys')).json.items.find((x) => x.id === widest.json.id).name, wide(40));

  const log = (await as.admin.get('/api/v1/audit?target_type=open311_key')).json.items;
  assert.ok(log.some((e) => e.action === 'open311.key_issue' && e.target_id === String(keyId) && e.outcome === 'ok'), JSON.stringify(log));
  assert.ok(log.some((e) => e.action === 'open311.key_revoke' && e.target_id === String(spare.id)));
  const refused = (await as.admin.get('/api/v1/audit?action=open311.key_issue')).json.items;
  assert.ok(refused.some((e) => e.outcome === 'denied'), 'a refused issue is audited');
});

test('GET services.json, services.xml and services/{code}.json: the case categories as services', async () => {
  const s = await client('GET', '/open311/v2/services.json');
  assert.equal(s.status, 200, s.text);
  assert.match(s.type, /^application\/json/);
  const drain = s.json.find((x) => x.service_code === 'drain');
  assert.deepEqual(drain, { service_code: 'drain', service_name: '下水道堵塞', description: '下水道堵塞（受理后 3 个工作日内解决）',
    metadata: false, type: 'realtime', keywords: '', group: '问题/诉求' });
  assert.equal(s.json.length, 10);

  const x = await client('GET', '/open311/v2/services.xml');
  assert.equal(x.status, 200);
  assert.match(x.type, /^text\/xml/);
  assert.ok(x.text.startsWith('<?xml version="1.0" encoding="utf-8"?>'), x.text.slice(0, 80));
  assert.ok(x.text.includes('<service><service_code>drain</service_code><service_name>下水道堵塞</service_name>'), x.text);
  assert.equal(x.text.match(/<service>/g).length, 10);

  const one = await client('GET', '/open311/v2/services/drain.json');
  assert.equal(one.status, 200, one.text);
  assert.deepEqual(one.json, { service_code: 'drain', attributes: [] });
  assertO311Error(await client('GET', '/open311/v2/services/nope.json'), 404, 'an unknown service');
  assertO311Error(await client('GET', '/open311/v2/services/drain'), 404, 'without .json');
  assertO311Error(await client('GET', '/open311/v2/services/dr%27ain.json'), 404, 'a quote');
});

test('POST requests.json: a case through the domain, channel open311; answered as the spec says; GET it back, by token too', async () => {
  const r = await post(good());
  assert.equal(r.status, 200, r.text);
  assert.ok(Array.isArray(r.json) && r.json.length === 1, r.text);
  const [{ service_request_id: id, token, service_notice, account_id }] = r.json;
  assert.match(id, /^\d+$/);
  assert.match(token, /^[0-9a-f]{64}$/);
  assert.equal(typeof service_notice, 'string');
  assert.equal(account_id, null);

  // The community's staff see it in their queue, from open311, with the contact given.
  const k = await as.staff.get(`/api/v1/cases/${id}`);
  assert.equal(k.status, 200, k.text);
  assert.deepEqual([k.json.state, k.json.channel, k.json.community_code, k.json.category_code, k.json.title,
    k.json.contact_name, k.json.contact_phone, k.json.place],
  ['reported', 'open311', SHILIUQIAO, 'drain', '下水道堵塞', '张阿姨', '13800000006', '甘南路 881 号 3 单元 101']);
  assert.equal((await as.staff2.get(`/api/v1/cases/${id}`)).status, 404, 'another community does not see it');
  const audit = (await as.admin.get(`/api/v1/audit?action=case.report&target_id=${id}`)).json.items;
  assert.equal(audit.length, 1);
  assert.equal(dbRows(srv.db, `SELECT key_id FROM open311_request WHERE case_id = ${id}`)[0].key_id, keyId);

  const one = await client('GET', `/open311/v2/requests/${id}.json`);
  assert.equal(one.status, 200, one.text);
  const row = one.json[0];
  assert.deepEqual([row.service_request_id, row.status, row.service_code, row.service_name, row.description, row.lat, row.long,
    row.agency_responsible, row.requested_datetime, row.expected_datetime],
  [id, 'open', 'drain', '下水道堵塞', '3 单元门口下水道堵了，污水漫到路上', 23.157, 113.271, '石榴桥社区', '2026-03-02T10:00:00+08:00', null]);
  // Privacy: no names, no phone, no flat, no email, no exact point.
  for (const s of ['张', '阿姨', '13800000006', '101', 'zhang@', '23.157123']) assert.ok(!one.text.includes(s), `${s} in ${one.text}`);

  // The same as XML, as the specification requires.
  const x = await client('GET', `/open311/v2/requests/${id}.xml`);
  assert.equal(x.status, 200, x.text);
  assert.match(x.type, /^text\/xml/);
  assert.ok(x.text.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<service_requests><request>'), x.text);
  assert.ok(x.text.includes(`<service_request_id>${id}</service_request_id><status>open</status>`), x.text);
  assert.ok(x.text.includes('<lat>23.157</lat><long>113.271</long>') && x.text.includes('<expected_datetime></expected_datetime>'), x.text);
  for (const s of ['张', '阿姨', '13800000006', '101', 'zhang@']) assert.ok(!x.text.includes(s), `${s} in ${x.text}`);
  const xl = await client('GET', `/open311/v2/requests.xml?service_request_id=${id}`);
  assert.equal(xl.status, 200, xl.text);
  assert.equal(xl.text.match(/<request>/g).length, 1);
  const bad = await client('GET', '/open311/v2/requests.xml?status=maybe');
  assert.equal(bad.status, 400);
  assert.match(bad.type, /^text\/xml/);
  assert.ok(bad.text.includes('<errors><error><code>400</code><description>status must be open or closed</description></error></errors>'), bad.text);
  assert.ok((await client('GET', '/open311/v2/requests/999999.xml')).text.includes('<code>404</code>'));

  const t = await client('GET', `/open311/v2/tokens/${token}.json`);
  assert.equal(t.status, 200, t.text);
  assert.deepEqual(t.json, [{ service_request_id: id, token }]);
  assertO311Error(await client('GET', `/open311/v2/tokens/${'0'.repeat(64)}.json`), 404, 'an unknown token');
  assertO311Error(await client('GET', '/open311/v2/tokens/x.y.json'), 404, 'a dotted token');
  assertO311Error(await client('GET', '/open311/v2/requests/999999.json'), 404, 'an unknown request');
  assertO311Error(await client('GET', '/open311/v2/requests/abc.json'), 404, 'not an id');

  // An address alone will do; lat/long alone too.
  assert.equal((await post(good({ lat: '', long: '' }))).status, 200);
  assert.equal((await post(good({ address_string: undefined }))).status, 200);
});

test('hostile POSTs: keys, the body, lat/long, over-long fields in 4-byte characters, services; nothing written', async () => {
  const before = caseCount();
  const drop = (o, f) => { const c = { ...o }; delete c[f]; return c; };
  assertO311Error(await post(drop(good(), 'api_key')), 403, 'no key');
  assertO311Error(await post(good({ api_key: '' })), 403, 'an empty key');
  assertO311Error(await post(good({ api_key: key.replace(/.$/, (c) => (c === '0' ? '1' : '0')) })), 403, 'a wrong key');
  assertO311Error(await post(good({ api_key: 'x'.repeat(5000) })), 403, 'a huge key');
  // The key in the query string is not the form's.
  assertO311Error(await client('POST', `/open311/v2/requests.json?api_key=${key}`, new URLSearchParams(drop(good(), 'api_key')).toString()), 403, 'key in query');
  assertO311Error(await post(JSON.stringify(good()), { 'Content-Type': 'application/json' }), 400, 'a JSON body');
  assertO311Error(await post(`api_key=${key}&service_code=drain&description=%E4%B&lat=1&long=1`), 400, 'a broken escape');
  assertO311Error(await post(`api_key=${key}&service_code=drain&description=ab%00cd&lat=1&long=1`), 400, 'a NUL');
  assertO311Error(await post(`api_key=${key}&service_code=drain&description=%FF%FE&lat=1&long=1`), 400, 'not UTF-8');

  assertO311Error(await post(`${new URLSearchParams(good())}${'&x=1'.repeat(64)}`), 400, 'more than 64 fields');
  assertO311Error(await post(good({ description: '漏' })), 400, 'a description of one character');
  assertO311Error(await post(`${new URLSearchParams(good({ service_code: 'pothole' }))}&service_code=drain`), 400, 'the first of a repeated field counts');
  assertO311Error(await post(drop(good(), 'service_code')), 400, 'no service');
  assertO311Error(await post(good({ service_code: 'pothole' })), 400, 'an unknown service');
  for (const [lat, long] of [['91', '113'], ['-90.0000001', '113'], ['23', '180.5'], ['abc', '113'], ['1e2', '113'],
    ['NaN', '113'], ['Infinity', '1'], ['0x10', '1'], ['23.', '113'], ['.5', '113'], ['23', ''], ['', '113'], ['--1', '1'],
    ['2'.repeat(40), '1']])
    assertO311Error(await post(good({ lat, long })), 400, `lat ${lat} long ${long}`);
  assertO311Error(await post(drop(drop(drop(good(), 'lat'), 'long'), 'address_string')), 400, 'no location');
  assertO311Error(await post(drop(good(), 'description')), 400, 'no description');
  for (const [f, n] of [['description', 501], ['address_string', 51], ['first_name', 21], ['last_name', 21], ['phone', 21],
    ['email', 101]])
    assertO311Error(await post(good({ [f]: wide(n) })), 400, `${f} of ${n} 4-byte characters`);
  assertO311Error(await post(good({ first_name: wide(11), last_name: wide(10) })), 400, 'names over 20 together');
  assert.equal(caseCount(), before, 'nothing written by a refused request');
  const refused = (await as.admin.get('/api/v1/audit?action=open311.report')).json.items;
  assert.ok(refused.some((e) => e.outcome === 'denied'), 'a refused key is audited');

  // At their maximum in 4-byte characters, every field fits, whole.
  const max = await post(good({ description: wide(500), address_string: wide(50), first_name: wide(10), last_name: wide(10, 0x20100) }));
  assert.equal(max.status, 200, max.text);
  const k = (await as.staff.get(`/api/v1/cases/${max.json[0].service_request_id}`)).json;
  assert.deepEqual([k.description, k.place, k.contact_name], [wide(500), wide(50), `${wide(10, 0x20100)}${wide(10)}`]);
  assert.equal(caseCount(), before + 1);
});

test('GET requests.json: only public cases, by ids, service, dates and status; bad filters refused', async () => {
  const made = [];
  for (const code of ['drain', 'water', 'water']) made.push((await post(good({ service_code: code }))).json[0].service_request_id);
  const [drain, water, hidden] = made;
  assert.equal((await as.staff.put(`/api/v1/cases/${hidden}/private`, { private: true })).status, 200);
  // One closed: accepted, assigned, resolved.
  assert.equal((await as.staff.post(`/api/v1/cases/${water}/accept`, {})).status, 200);
  assert.equal((await as.staff.post(`/api/v1/cases/${water}/assign`, { kind: 'member', id: memberId })).status, 200);
  assert.equal((await as.staff.post(`/api/v1/cases/${water}/resolve`, { note: '换了阀门' })).status, 200);
  // A resident's own case, reported in the app: public too, but never their name.
  const own = await as.resident.post('/api/v1/cases', { category_code: 'lift', title: '电梯停了', description: '2 号楼电梯停在 5 楼',
    place: '2号楼502', contact_name: '刘奶奶', contact_phone: '13800000009' });
  assert.equal(own.status, 201, own.text);

  const ids = (r) => r.json.map((x) => x.service_request_id);
  const all = await client('GET', '/open311/v2/requests.json');
  assert.equal(all.status, 200, all.text);
  assert.ok(ids(all).includes(drain) && ids(all).includes(water) && ids(all).includes(String(own.json.id)));
  assert.ok(!ids(all).includes(hidden), 'a private case is not listed');
  assertO311Error(await client('GET', `/open311/v2/requests/${hidden}.json`), 404, 'a private case');
  for (const s of ['刘奶奶', '13800000009', '502', '张', '13800000006', '3 单元 101']) assert.ok(!all.text.includes(s), s);

  const byIds = await client('GET', `/open311/v2/requests.json?service_request_id=${drain},${water},${hidden}`);
  assert.deepEqual(ids(byIds).sort(), [drain, water].sort());
  const bySvc = await client('GET', '/open311/v2/requests.json?service_code=water');
  assert.ok(bySvc.json.every((x) => x.service_code === 'water') && ids(bySvc).includes(water));
  const open = await client('GET', '/open311/v2/requests.json?status=open');
  const closed = await client('GET', '/open311/v2/requests.json?status=closed');
  assert.ok(ids(open).includes(drain) && !ids(open).includes(water));
  assert.ok(ids(closed).includes(water) && !ids(closed).includes(drain));
  assert.equal(closed.json.find((x) => x.service_request_id === water).status, 'closed');
  assert.ok(closed.json.find((x) => x.service_request_id === water).expected_datetime, 'accepted: an expected date');

  // Dates: W3C, offsets honoured (10:00 China is 02:00Z).
  const at = (q) => client('GET', `/open311/v2/requests.json?${q}`);
  assert.ok(ids(await at('start_date=2026-03-02T10:00:00%2B08:00')).includes(drain));
  assert.ok(ids(await at('start_date=2026-03-02T02:00:00Z&end_date=2026-03-02T02:00:00Z')).includes(drain));
  assert.deepEqual(ids(await at('start_date=2026-03-02T02:00:01Z')), []);
  assert.deepEqual(ids(await at('end_date=2026-03-02T09:59:59%2B08:00')), []);
  assert.ok(ids(await at('start_date=2026-03-02&end_date=2026-03-03')).includes(drain));
  srv.setClock(T0 + 91 * 86400);
  assert.deepEqual(ids(await at('')), [], 'by default the last 90 days');
  assert.ok(ids(await at('start_date=2026-03-01T00:00:00Z')).includes(drain));
  srv.setClock(T0);

  for (const q of ['start_date=yesterday', 'start_date=2026-02-30', 'start_date=2026-03-02T25:00:00Z', 'end_date=2026-03-02T10:00:00',
    'end_date=2026-03-02T10:00:00%2B8', 'start_date=2026-03-03&end_date=2026-03-02', 'status=pending', 'service_code=pothole',
    'service_request_id=1,,2', 'service_request_id=abc', 'service_request_id=1,', `service_request_id=${'1,'.repeat(100)}1`])
    assertO311Error(await at(q), 400, q);
});

test('Open311 routes answer without a session and refuse what they do not speak', async () => {
  // The routes of /open311/v2/ are the client's; a session cookie changes nothing, a wrong method is refused.
  const r = await as.resident.get('/open311/v2/services.json');
  assert.equal(r.status, 200);
  assert.equal((await client('DELETE', '/open311/v2/requests.json')).status, 405);
  assert.equal((await client('GET', '/open311/v2/nothing.json')).status, 404);
});
