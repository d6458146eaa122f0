// hostile.test.mjs: malformed and malicious requests get a 4xx problem, never a 500, never a write
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { startServer, Client, tmpDir, ROOT } from '../lib/server.mjs';
import { unzip } from '../lib/zip.mjs';
import {
  assertProblem, assertFieldError, loginAs, rawHttp, rawExchange, frameResponses, unitBody, uniq, isJsonType, assertCleanLog, validIdNumber,
  SHILIUQIAO,
} from './helpers.mjs';

let srv; let admin; let staff; let member; let host; let unit; let webBase;
const SECRET = 'TOPSECRET-baodao-7f3a';

async function state() {
  const u = await admin.get('/api/v1/units?per_page=1');
  const g = await admin.get(`/api/v1/regions/${SHILIUQIAO}/children`);
  const x = await admin.get(`/api/v1/units/${unit.id}`);
  assert.equal(u.status, 200, 'admin session still works');
  return { units: u.json.total, grids: g.json.items.map((n) => [n.code, n.name]), unit: x.json };
}

async function healthy() {
  const h = await new Client(srv.url).get('/healthz');
  assert.equal(h.status, 200, 'healthz still answers');
  assert.deepEqual(h.json, { status: 'ok' });
}

// Runs one hostile request: asserts the 4xx problem, that nothing changed and the server lives.
function hostile(name, send, { status, code, field, fieldCodes, problem = true } = {}) {
  test(name, async () => {
    const before = await state();
    const r = await send();
    const statuses = Array.isArray(status) ? status : [status];
    assert.ok(r.status >= 400 && r.status < 500, `4xx expected, got ${r.status}: ${r.text?.slice(0, 200)}`);
    assert.ok(statuses.includes(r.status), `status ${r.status} not in ${statuses}: ${r.text?.slice(0, 300)}`);
    if (problem) assertProblem(r, r.status, code);
    if (field) {
      if (r.status === 422) assertFieldError(r, field, fieldCodes);
    }
    assert.ok(!r.text?.includes('root:x:0') && !r.text?.includes(SECRET), 'no file contents leak');
    assert.deepEqual(await state(), before, 'nothing was written');
    await healthy();
  });
}

const post = (body, headers) => () => admin.post('/api/v1/units', body, headers);
const body = (over) => JSON.stringify(unitBody(over));

before(async () => {
  webBase = tmpDir('baodao-web-');
  mkdirSync(join(webBase, 'web'));
  writeFileSync(join(webBase, 'web', 'index.html'), '<!doctype html><title>baodao</title>');
  writeFileSync(join(webBase, 'secret.txt'), SECRET);
  srv = await startServer({ web: join(webBase, 'web') });
  host = new URL(srv.url).host;
  admin = await loginAs(srv, 'admin');
  staff = await loginAs(srv, 'staff');
  member = await loginAs(srv, 'member');
  unit = (await admin.post('/api/v1/units', unitBody())).json;
  assert.ok(unit?.id);
});
after(async () => { await srv?.stop(); });

describe('bad JSON → 400 bad_json', () => {
  const valid = body();
  const cases = [
    ['truncated', valid.slice(0, -5)],
    ['trailing garbage', valid + ' xyz'],
    ['two objects', valid + valid],
    ['NaN', '{"name": NaN}'],
    ['Infinity', '{"name": Infinity}'],
    ['block comment', '{/* c */"name":"x"}'],
    ['line comment', '// c\n' + valid],
    ['trailing comma', '{"name":"x",}'],
    ['single quotes', "{'name':'x'}"],
    ['unquoted key', '{name:"x"}'],
    ['raw newline in a string', '{"name":"a\nb"}'],
    ['invalid escape', '{"name":"\\x41"}'],
    ['hex number', '{"name":0x10}'],
    ['leading plus', '{"name":+1}'],
    ['only whitespace', '   \n  '],
    ['lone brace', '{'],
    ['unterminated string', '{"name":"abc'],
    ['bad literal', '{"name":tru}'],
    ['trailing NUL', valid + '\u0000'],
  ];
  for (const [what, text] of cases) hostile(`POST /units: ${what}`, post(text), { status: 400, code: 'bad_json' });
  hostile('POST /regions/{c}/children: truncated', () => staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, '{"name":"网'),
    { status: 400, code: 'bad_json' });
  hostile('PUT /units/{id}: trailing garbage', () => admin.put(`/api/v1/units/${unit.id}`, valid + '}'), { status: 400, code: 'bad_json' });
  hostile('POST /session: not JSON', () => new Client(srv.url).post('/api/v1/session', 'login=admin&password=x'),
    { status: 400, code: 'bad_json' });
});

describe('JSON that is not an object', () => {
  for (const [what, text] of [['a bare string', '"hello"'], ['an array', `[${body()}]`], ['a number', '42'], ['null', 'null'], ['true', 'true']]) {
    hostile(`POST /units: ${what}`, post(text), { status: [400, 422], code: ['bad_json', 'bad_request', 'validation'] });
  }
  hostile('PATCH /regions/{grid}: an array', async () => {
    const g = (await staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: uniq('网格') })).json;
    // the grid above is written on purpose before the snapshot is compared; remove it again
    const r = await staff.patch(`/api/v1/regions/${g.code}`, '["x"]');
    await staff.del(`/api/v1/regions/${g.code}`);
    return r;
  }, { status: [400, 422], code: ['bad_json', 'bad_request', 'validation'] });
});

describe('wrong types → 422 naming the field', () => {
  const cases = [
    ['name', 123], ['name', true], ['name', []], ['name', {}], ['name', null],
    ['party_org_name', 5], ['party_org_name', false],
    ['type', 1], ['type', ['soe']],
    ['region_code', 440111002011], ['region_code', { code: SHILIUQIAO }],
    ['contact_name', []], ['contact_name', 5],
    ['contact_phone', 13912345678], ['contact_phone', {}],
  ];
  for (const [field, value] of cases) {
    hostile(`POST /units ${field}=${JSON.stringify(value)}`, post(body({ [field]: value })),
      { status: 422, code: 'validation', field, fieldCodes: value === null ? ['type', 'required'] : 'type' });
  }
  hostile('PUT /units/{id} name=[]', () => admin.put(`/api/v1/units/${unit.id}`, unitBody({ name: [] })),
    { status: 422, code: 'validation', field: 'name', fieldCodes: 'type' });
  hostile('POST /regions/{c}/children name=123', () => staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: 123 }),
    { status: 422, code: 'validation', field: 'name', fieldCodes: 'type' });
  hostile('POST /session login=123', () => new Client(srv.url).post('/api/v1/session', { login: 123, password: 'x' }),
    { status: 422, code: 'validation', field: 'login', fieldCodes: 'type' });
  hostile('POST /session password=[]', () => new Client(srv.url).post('/api/v1/session', { login: 'resident', password: [] }),
    { status: 422, code: 'validation', field: 'password', fieldCodes: 'type' });
  hostile('PUT /me/password new_password=number', () => member.put('/api/v1/me/password', { old_password: 'Demo-baodao-2026', new_password: 123456789012345 }),
    { status: 422, code: 'validation', field: 'new_password', fieldCodes: 'type' });
  hostile('PUT /me/password old_password={}', () => member.put('/api/v1/me/password', { old_password: {}, new_password: 'Long-enough-pass-1' }),
    { status: 422, code: 'validation', field: 'old_password', fieldCodes: 'type' });
});

describe('huge numbers', () => {
  const tpl = (v) => body({ name: 'NUM' }).replace('"NUM"', v);
  hostile('name = 1e400', post(tpl('1e400')), { status: [400, 422], code: ['bad_json', 'validation'], field: 'name' });
  hostile('name = 99999999999999999999999', post(tpl('99999999999999999999999')), { status: [400, 422], code: ['bad_json', 'validation'], field: 'name' });
  hostile('name = -1e400', post(tpl('-1e400')), { status: [400, 422], code: ['bad_json', 'validation'], field: 'name' });
  hostile('unknown field = 1e400', post(body().replace(/}$/, ',"n":1e400}')), { status: [400, 422], code: ['bad_json', 'validation'], field: 'n' });
});

describe('bad query parameters → 400 bad_query', () => {
  const qs = ['page=0', 'page=-1', 'per_page=0', 'per_page=-1', 'per_page=101', 'page=99999999999999999999999',
    'per_page=1e400', 'page=1e2', 'page=', 'per_page=', 'page=0x1', 'page=%EF%BC%91', 'page=1%00', 'per_page=20abc',
    'page=' + '9'.repeat(5000)];
  for (const q of qs) {
    hostile(`GET /units?${q.slice(0, 40)}`, () => admin.get(`/api/v1/units?${q}`),
      { status: 400, code: q.includes('%00') ? ['bad_query', 'bad_request'] : 'bad_query' });
  }
  for (const q of ['page=0', 'per_page=101', 'from=yesterday', 'to=1e400', 'from=99999999999999999999999']) {
    hostile(`GET /audit?${q}`, () => admin.get(`/api/v1/audit?${q}`), { status: 400, code: 'bad_query' });
  }
  hostile('GET /regions?q=x&limit=0', () => admin.get('/api/v1/regions?q=x&limit=0'), { status: 400, code: 'bad_query' });
  hostile('GET /regions?q=x&limit=99999999999999999999', () => admin.get('/api/v1/regions?q=x&limit=99999999999999999999'), { status: 400, code: 'bad_query' });
  hostile('GET /units?q=<invalid UTF-8 %FF%FE>', () => admin.get('/api/v1/units?q=%FF%FE'), { status: 400, code: 'bad_query' });
  hostile('GET /regions?q=<invalid UTF-8 %C0%AF>', () => admin.get('/api/v1/regions?q=%C0%AF'), { status: 400, code: 'bad_query' });
});

describe('invalid UTF-8 and odd characters in strings', () => {
  const withBytes = (bytes) => {
    const [a, b] = body({ name: 'XX' }).split('XX');
    return Buffer.concat([Buffer.from(a), Buffer.from(bytes), Buffer.from(b)]);
  };
  for (const [what, bytes] of [['0xff 0xfe', [0xff, 0xfe]], ['overlong "/" (c0 af)', [0xc0, 0xaf]],
    ['UTF-16 surrogate (ed a0 80)', [0xed, 0xa0, 0x80]], ['truncated sequence (e4 b8)', [0xe4, 0xb8]], ['lone continuation (80)', [0x41, 0x80]]]) {
    hostile(`name with ${what}`, post(withBytes(bytes)), { status: [400, 422], code: ['bad_json', 'validation'], field: 'name', fieldCodes: 'utf8' });
  }
  hostile('invalid UTF-8 in a key', post(Buffer.concat([Buffer.from('{"na'), Buffer.from([0xff]), Buffer.from('me":"x"}')])),
    { status: [400, 422], code: ['bad_json', 'validation'] });
  hostile('escaped lone surrogate \\ud800', post(body({ name: 'XX' }).replace('XX', '\\ud800')), { status: [400, 422], code: ['bad_json', 'validation'], field: 'name' });
  hostile('escaped NUL \\u0000 in a name', post(body({ name: 'XX' }).replace('XX', 'a\\u0000b')), { status: [400, 422], code: ['bad_json', 'validation'], field: 'name' });
  hostile('region name with invalid UTF-8', () => staff.post(`/api/v1/regions/${SHILIUQIAO}/children`,
    Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff]), Buffer.from('"}')])), { status: [400, 422], code: ['bad_json', 'validation'], field: 'name' });
});

describe('overlong strings (10,000 characters)', () => {
  const L = 'x'.repeat(10000);
  for (const [field, codes] of [['name', 'too_long'], ['party_org_name', 'too_long'], ['contact_name', 'too_long'],
    ['contact_phone', ['format', 'too_long']], ['region_code', ['format', 'too_long', 'not_found']], ['type', ['enum', 'too_long']]]) {
    hostile(`POST /units ${field}: 10,000 chars`, post(body({ [field]: L })), { status: 422, code: 'validation', field, fieldCodes: codes });
  }
  hostile('POST /units name: 10,000 CJK chars', post(body({ name: '长'.repeat(10000) })), { status: 422, code: 'validation', field: 'name', fieldCodes: 'too_long' });
  hostile('region name: 10,000 chars', () => staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: L }),
    { status: 422, code: 'validation', field: 'name', fieldCodes: 'too_long' });
  hostile('login: 10,000 chars', () => new Client(srv.url).post('/api/v1/session', { login: L, password: 'Demo-baodao-2026' }),
    { status: [401, 422], code: ['bad_credentials', 'validation'], field: 'login' });
  hostile('password: 10,000 chars', () => new Client(srv.url).post('/api/v1/session', { login: 'resident', password: L }),
    { status: [401, 422], code: ['bad_credentials', 'validation'], field: 'password' });
  hostile('old_password: 10,000 chars', () => member.put('/api/v1/me/password', { old_password: L, new_password: 'Long-enough-pass-1' }),
    { status: 422, code: 'validation', field: 'old_password' });
});

describe('missing fields, unknown fields, duplicate keys', () => {
  hostile('POST /units {}', post({}), { status: 422, code: 'validation', field: 'name', fieldCodes: 'required' });
  hostile('POST /units without region_code', post((() => { const b = unitBody(); delete b.region_code; return b; })()),
    { status: 422, code: 'validation', field: 'region_code', fieldCodes: 'required' });
  hostile('PUT /units/{id} {}', () => admin.put(`/api/v1/units/${unit.id}`, {}), { status: 422, code: 'validation', field: 'type', fieldCodes: 'required' });
  hostile('POST /regions/{c}/children {}', () => staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, {}),
    { status: 422, code: 'validation', field: 'name', fieldCodes: 'required' });
  hostile('POST /session {}', () => new Client(srv.url).post('/api/v1/session', {}), { status: 422, code: 'validation', field: 'login', fieldCodes: 'required' });
  hostile('PUT /me/password {}', () => member.put('/api/v1/me/password', {}), { status: 422, code: 'validation', field: 'new_password', fieldCodes: 'required' });
  hostile('POST /units with an unknown field', post(unitBody({ evil: 1 })), { status: 422, code: 'validation', field: 'evil', fieldCodes: 'unknown' });
  hostile('POST /units with "__proto__"', post(body().replace(/}$/, ',"__proto__":{"admin":true}}')),
    { status: 422, code: 'validation', field: '__proto__', fieldCodes: 'unknown' });
  hostile('POST /units with "id" and "created_at"', post(unitBody({ id: 1, created_at: 0 })), { status: 422, code: 'validation', field: 'id', fieldCodes: 'unknown' });
  hostile('POST /regions/{c}/children with "code"', () => staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: uniq('g'), code: `${SHILIUQIAO}999` }),
    { status: 422, code: 'validation', field: 'code', fieldCodes: 'unknown' });
  hostile('POST /session with an unknown field (valid credentials) → refused, no cookie', async () => {
    const r = await new Client(srv.url).post('/api/v1/session', { login: 'resident', password: 'Demo-baodao-2026', remember: true });
    assert.equal(r.headers.get('set-cookie'), null);
    return r;
  }, { status: 422, code: 'validation', field: 'remember', fieldCodes: 'unknown' });
  hostile('PUT /me/password with an unknown field', () => member.put('/api/v1/me/password',
    { old_password: 'Demo-baodao-2026', new_password: 'Long-enough-pass-1', login: 'admin' }), { status: 422, code: 'validation', field: 'login', fieldCodes: 'unknown' });
  hostile('POST /units with duplicated key "name"', post(body({ name: 'DUP1' }).replace('"name":"DUP1"', '"name":"DUP1","name":"DUP2"')),
    { status: [400, 422], code: ['bad_json', 'validation'], field: 'name' });
  hostile('POST /regions/{c}/children with duplicated key', () => staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, '{"name":"a1","name":"a2"}'),
    { status: [400, 422], code: ['bad_json', 'validation'], field: 'name' });
});

describe('deep nesting', () => {
  hostile('10,000 [ … ] → 400 too_deep', post('['.repeat(10000) + ']'.repeat(10000)), { status: 400, code: 'too_deep' });
  hostile('10,000 [ unclosed', post('['.repeat(10000)), { status: 400, code: ['too_deep', 'bad_json'] });
  hostile('10,000 nested objects', post('{"a":'.repeat(10000) + '1' + '}'.repeat(10000)), { status: 400, code: 'too_deep' });
  hostile('a field nested 40 deep', post(body({ name: 'NEST' }).replace('"NEST"', '['.repeat(40) + ']'.repeat(40))), { status: 400, code: 'too_deep' });
});

describe('empty body, wrong media type', () => {
  hostile('POST /units empty body', post(''), { status: 400, code: ['bad_json', 'bad_request'] });
  hostile('POST /session empty body', () => new Client(srv.url).post('/api/v1/session', ''), { status: 400, code: ['bad_json', 'bad_request'] });
  hostile('PUT /me/password empty body', () => member.put('/api/v1/me/password', ''), { status: 400, code: ['bad_json', 'bad_request'] });
  for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml',
    'text/json', 'application/jsonp', 'application/json-patch+json']) {
    hostile(`POST /units Content-Type: ${ct}`, post(body(), { 'Content-Type': ct }), { status: 415, code: 'unsupported_media_type' });
  }
  hostile('POST /session Content-Type: text/plain', () => new Client(srv.url).post('/api/v1/session',
    JSON.stringify({ login: 'resident', password: 'Demo-baodao-2026' }), { 'Content-Type': 'text/plain' }), { status: 415, code: 'unsupported_media_type' });
  hostile('POST /units with a body and no Content-Type', () => {
    const b = body();
    return rawHttp(srv.url, { method: 'POST', path: '/api/v1/units', body: b,
      headers: { Host: host, Cookie: admin.cookie, 'X-Requested-With': 'baodao', 'Content-Length': Buffer.byteLength(b) } });
  }, { status: 415, code: 'unsupported_media_type' });
  test('application/json; charset=utf-8 is accepted', async () => {
    const r = await admin.post('/api/v1/units', body(), { 'Content-Type': 'application/json; charset=utf-8' });
    assert.equal(r.status, 201, r.text);
  });
});

describe('path traversal and odd paths', () => {
  const api = ['/api/v1/../../etc/passwd', '/api/v1/%2e%2e/%2e%2e/etc/passwd', '/api/v1/units/..%2f..%2f..%2fetc%2fpasswd',
    '/api/v1/regions/%00', '/api/v1/units/1%00', `/api/v1/regions/${SHILIUQIAO}%2f..%2f..`, '/api/v1/units/%2e%2e',
    '/api/v1/regions/..%5c..%5cetc%5cpasswd'];
  for (const path of api) {
    hostile(`GET ${path}`, () => rawHttp(srv.url, { path, headers: { Host: host, Cookie: admin.cookie } }), { status: [400, 404] });
  }
  const stat = ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc/passwd', '/../secret.txt', '/%2e%2e/secret.txt',
    '/%2e%2e%2fsecret.txt', '/.%2e/secret.txt', '/..%5csecret.txt', '/index.html%00.txt', '/%00', '/..;/secret.txt'];
  for (const path of stat) {
    hostile(`GET ${path} (static)`, () => rawHttp(srv.url, { path, headers: { Host: host } }), { status: [400, 403, 404], problem: false });
  }
  const ids = ['abc', '-1', '0', '1.5', '99999999999999999999999', '1e3', '%20', '0x10', '1;DROP'];
  for (const id of ids) {
    hostile(`GET /units/${id}`, () => admin.get(`/api/v1/units/${id}`), { status: [400, 404] });
  }
  hostile('PUT /units/abc', () => admin.put('/api/v1/units/abc', unitBody()), { status: [400, 404] });
  for (const code of ['abc', '4401', '-1', '440111002011000000000', '44011100201x']) {
    hostile(`GET /regions/${code}`, () => admin.get(`/api/v1/regions/${code}`), { status: [400, 404] });
  }
  hostile('POST /regions/abc/children', () => admin.post('/api/v1/regions/abc/children', { name: 'x' }), { status: [400, 404] });
  hostile('DELETE /regions/abc', () => admin.del('/api/v1/regions/abc'), { status: [400, 404] });
});

describe('cookies', () => {
  for (const [what, sid] of [['garbage', 'garbage'], ['SQL', "x' OR '1'='1"], ['empty', ''], ['two sids, both bad', 'a; sid=b']]) {
    hostile(`sid = ${what} → 401`, () => rawHttp(srv.url, { path: '/api/v1/me', headers: { Host: host, Cookie: `sid=${sid}` } }),
      { status: 401, code: 'unauthenticated' });
  }
  hostile('sid of 6,000 characters → 401 (or 400/431)', () => rawHttp(srv.url, { path: '/api/v1/me', headers: { Host: host, Cookie: `sid=${'A'.repeat(6000)}` } }),
    { status: [401, 400, 431], problem: false });
});

// Sends one request line over a raw socket; the answer must be a 4xx, or the connection is cut.
async function cutOr4xx(target, extraHeaders = '') {
  const before = await state();
  const res = await rawExchange(srv.url, `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nCookie: ${admin.cookie}\r\n${extraHeaders}Connection: close\r\n\r\n`, { probe: false });
  if (res.statuses.length) assert.ok(res.statuses[0] >= 400 && res.statuses[0] < 500, `status ${res.statuses[0]}: ${res.text.slice(0, 200)}`);
  assert.ok(!res.text.includes(SECRET));
  assert.deepEqual(await state(), before);
  await healthy();
  return res;
}

describe('long URLs and headers', () => {
  hostile('path of 9,000 characters', () => admin.get('/api/v1/regions/' + '4'.repeat(9000)), { status: [400, 404, 414], problem: false });
  test('query string of 100,000 characters: 4xx or cut, never 5xx', () => cutOr4xx('/api/v1/units?q=' + 'x'.repeat(100000)));
  test('path of 100,000 characters: 4xx or cut, never 5xx', () => cutOr4xx('/api/v1/' + 'a'.repeat(100000)));
  test('a 100 kB header: 4xx or cut, never 5xx', () => cutOr4xx('/api/v1/me', `X-Big: ${'b'.repeat(100000)}\r\n`));
  test('2,000 small headers: answered (any status below 500) or cut; the server lives', async () => {
    const before = await state();
    const hs = Array.from({ length: 2000 }, (_, i) => `X-H${i}: v\r\n`).join('');
    const res = await rawExchange(srv.url, `GET /api/v1/me HTTP/1.1\r\nHost: ${host}\r\nCookie: ${admin.cookie}\r\n${hs}Connection: close\r\n\r\n`, { probe: false });
    if (res.statuses.length) assert.ok(res.statuses[0] < 500, `status ${res.statuses[0]}`);
    assert.deepEqual(await state(), before);
    await healthy();
  });
});

// Framing libmicrohttpd rejects itself (strict mode) before any handler runs.
const REFUSED_BY_LIBRARY = new Set(['Content-Length list "n, m"', 'Content-Length: -1', 'Content-Length: abc',
  'HTTP/1.1 without Host']);

describe('request smuggling and malformed framing (raw sockets) → 400', () => {
  const smuggledName = uniq('走私');
  const inner = () => {
    const b = JSON.stringify(unitBody({ name: smuggledName }));
    return `POST /api/v1/units HTTP/1.1\r\nHost: ${host}\r\nCookie: ${admin.cookie}\r\nX-Requested-With: baodao\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(b)}\r\n\r\n${b}`;
  };
  const head = () => `POST /api/v1/units HTTP/1.1\r\nHost: ${host}\r\nCookie: ${admin.cookie}\r\nX-Requested-With: baodao\r\nContent-Type: application/json\r\n`;
  const outer = () => JSON.stringify(unitBody());
  const cases = {
    'duplicate Content-Length (same value)': () => { const b = outer(); const n = Buffer.byteLength(b); return `${head()}Content-Length: ${n}\r\nContent-Length: ${n}\r\n\r\n${b}`; },
    'conflicting Content-Length': () => { const b = outer(); const n = Buffer.byteLength(b); return `${head()}Content-Length: ${n}\r\nContent-Length: ${n + 10}\r\n\r\n${b}0123456789`; },
    'Content-Length list "n, m"': () => { const b = outer(); const n = Buffer.byteLength(b); return `${head()}Content-Length: ${n}, ${n + 1}\r\n\r\n${b}x`; },
    'Content-Length + Transfer-Encoding: chunked': () => { const rest = `0\r\n\r\n${inner()}`; return `${head()}Content-Length: ${Buffer.byteLength(rest)}\r\nTransfer-Encoding: chunked\r\n\r\n${rest}`; },
    'Transfer-Encoding: chunked + Content-Length': () => { const rest = `0\r\n\r\n${inner()}`; return `${head()}Transfer-Encoding: chunked\r\nContent-Length: ${Buffer.byteLength(rest)}\r\n\r\n${rest}`; },
    'Transfer-Encoding: gzip (not chunked)': () => `${head()}Transfer-Encoding: gzip\r\n\r\n{}`,
    'Transfer-Encoding: identity': () => `${head()}Transfer-Encoding: identity\r\nContent-Length: 2\r\n\r\n{}`,
    'Transfer-Encoding: chunked twice': () => `${head()}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    'Content-Length: -1': () => `${head()}Content-Length: -1\r\n\r\n{}`,
    'Content-Length: abc': () => `${head()}Content-Length: abc\r\n\r\n{}`,
    'HTTP/1.1 without Host': () => 'GET /healthz HTTP/1.1\r\n\r\n',
    'garbage request line': () => 'HELLO THERE\r\n\r\n',
    'header line without a colon': () => `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nNoColonHere\r\n\r\n`,
  };
  for (const [what, make] of Object.entries(cases)) {
    test(what, async () => {
      const before = await state();
      const res = await rawExchange(srv.url, make());
      const { responses, rest } = frameResponses(res.text);
      assert.ok(responses.length >= 1, `an answer (${res.why}): ${JSON.stringify(res.text.slice(0, 200))}`);
      assert.equal(responses[0].status, 400, JSON.stringify(res.text.slice(0, 300)));
      if (REFUSED_BY_LIBRARY.has(what)) {
        // libmicrohttpd 0.9.75 refuses these before baodao sees them, and its built-in 400
        // repeats its header block (a library defect, see docs/security.md). What matters
        // holds: 400, Connection: close, and the connection really closed with no other answer.
        assert.match(responses[0].head, /\r\nconnection: close/i);
        assert.notEqual(res.why, 'timeout', 'the server closed the connection');
        assert.ok(!res.probed || !/HTTP\/1\.1 200/.test(res.text), 'nothing else was answered on it');
      } else {
        // our own 400: one well-formed message, no stray bytes after it (a proxy reusing
        // the connection would desynchronise), and the connection closed
        assert.ok(!/^HTTP\/1\.[01] \d{3}/m.test(responses[0].body) && rest === '',
          `malformed 400 answer (header block repeated / stray bytes): ${JSON.stringify(res.text.slice(0, 400))}`);
      }
      // at most the probe's answer may follow, never an answer to a smuggled request
      const more = responses.slice(1).map((x) => x.status);
      assert.ok(more.length === 0 || (more.length === 1 && more[0] === 200 && res.probed), `extra answers: ${more}`);
      assert.deepEqual(await state(), before, 'nothing was written');
      assert.equal((await admin.get('/api/v1/units?q=' + encodeURIComponent(smuggledName))).json.total, 0, 'smuggled request not run');
      await healthy();
    });
  }
});

describe('injection: stored and returned literally, never executed or interpreted', () => {
  test("SQL in a unit name is stored and returned literally; search by it finds only it", async () => {
    for (const name of ["' OR 1=1 --", "x'); DROP TABLE units; --", '" OR ""="', '1; SELECT * FROM accounts']) {
      const r = await admin.post('/api/v1/units', unitBody({ name }));
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.name, name);
      assert.equal((await admin.get(`/api/v1/units/${r.json.id}`)).json.name, name);
      const s = await admin.get('/api/v1/units?per_page=100&q=' + encodeURIComponent(name));
      assert.equal(s.status, 200);
      assert.deepEqual(s.json.items.map((u) => u.name), [name]);
    }
    assert.equal((await admin.get('/api/v1/units')).status, 200, 'units table still there');
  });

  test('SQL in search terms returns nothing unexpected', async () => {
    const all = (await admin.get('/api/v1/units?per_page=1')).json.total;
    for (const q of ["' OR '1'='1", "%' OR 1=1 --", "') OR ('1'='1"]) {
      const r = await admin.get('/api/v1/units?q=' + encodeURIComponent(q));
      assert.equal(r.status, 200);
      assert.ok(r.json.total < all, `q=${q} matched ${r.json.total} of ${all}`);
    }
    const reg = await member.get('/api/v1/regions?q=' + encodeURIComponent("' OR 1=1 --"));
    assert.equal(reg.status, 200);
    assert.deepEqual(reg.json.items, []);
  });

  test('LIKE wildcards in q are literal', async () => {
    const pct = (await admin.post('/api/v1/units', unitBody({ name: uniq('百分之百%纯') }))).json;
    const r = await admin.get('/api/v1/units?per_page=100&q=' + encodeURIComponent('%'));
    assert.ok(r.json.items.some((u) => u.id === pct.id));
    for (const u of r.json.items) assert.ok(u.name.includes('%'), u.name);
    const r2 = await admin.get('/api/v1/units?per_page=100&q=' + encodeURIComponent('_'));
    for (const u of r2.json.items) assert.ok(u.name.includes('_'), u.name);
  });

  test('SQL in a login name → 401, not a session', async () => {
    for (const login of ["admin' --", "' OR '1'='1"]) {
      const r = await new Client(srv.url).post('/api/v1/session', { login, password: "' OR '1'='1" });
      assertProblem(r, 401, 'bad_credentials');
      assert.equal(r.headers.get('set-cookie'), null);
    }
  });

  test('HTML/script in names comes back as JSON text (application/json, nosniff)', async () => {
    const name = '<script>alert(1)</script>' + uniq('');
    const r = await admin.post('/api/v1/units', unitBody({ name, contact_name: '<b>x</b>' }));
    assert.equal(r.status, 201, r.text);
    const g = await admin.get(`/api/v1/units/${r.json.id}`);
    assert.ok(isJsonType(g), g.headers.get('content-type'));
    assert.equal(g.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(g.json.name, name);
    assert.equal(g.json.contact_name, '<b>x</b>');
    const grid = await staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: '<img src=x onerror=alert(1)>' });
    assert.equal(grid.status, 201, grid.text);
    const gg = await member.get(`/api/v1/regions/${grid.json.code}`);
    assert.ok(isJsonType(gg));
    assert.equal(gg.json.name, '<img src=x onerror=alert(1)>');
  });

  test('SQL in a region name is stored literally; the tree is intact', async () => {
    const before = (await member.get(`/api/v1/regions/${SHILIUQIAO}/children`)).json.items.length;
    const r = await staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: "'; DELETE FROM regions; --" });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.name, "'; DELETE FROM regions; --");
    assert.equal((await member.get(`/api/v1/regions/${SHILIUQIAO}/children`)).json.items.length, before + 1);
    assert.equal((await member.get('/api/v1/regions/440100000000/children')).json.items.length, 11);
  });
});

describe('body limit (--body-limit 1024)', () => {
  let small; let a;
  before(async () => {
    small = await startServer({ bodyLimit: 1024 });
    a = await loginAs(small, 'admin');
  });
  after(async () => { await small?.stop(); });
  const count = async () => (await a.get('/api/v1/units?per_page=1')).json.total;

  test('a body of 2,000 bytes → 413 too_large, nothing created', async () => {
    const n = await count();
    const r = await a.post('/api/v1/units', unitBody({ party_org_name: 'p'.repeat(1900) }));
    assertProblem(r, 413, 'too_large');
    assert.equal(await count(), n);
    assert.equal((await new Client(small.url).get('/healthz')).status, 200);
  });

  test('a chunked body over the limit → 413', async () => {
    const n = await count();
    const b = JSON.stringify(unitBody({ party_org_name: 'q'.repeat(3000) }));
    const r = await rawHttp(small.url, { method: 'POST', path: '/api/v1/units',
      headers: { Cookie: a.cookie, 'X-Requested-With': 'baodao', 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      chunks: [b.slice(0, 500), b.slice(500, 1500), b.slice(1500)] });
    assertProblem(r, 413, 'too_large');
    assert.equal(await count(), n);
  });

  test('Content-Length: 1000000000 with no body → 413 at once', async () => {
    const u = new URL(small.url);
    const res = await rawExchange(small.url, `POST /api/v1/units HTTP/1.1\r\nHost: ${u.host}\r\nCookie: ${a.cookie}\r\n` +
      'X-Requested-With: baodao\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{', { probe: false });
    assert.equal(res.statuses[0], 413, res.text.slice(0, 300));
    assert.equal((await new Client(small.url).get('/healthz')).status, 200);
  });

  test('a 2,000-byte login → 413', async () => {
    const r = await new Client(small.url).post('/api/v1/session', { login: 'admin', password: 'x'.repeat(2000) });
    assertProblem(r, 413, 'too_large');
  });

  test('a body just under the limit is read normally', async () => {
    const b = unitBody();
    const r = await a.post('/api/v1/units', b);
    assert.ok(JSON.stringify(b).length < 1024);
    assert.equal(r.status, 201, r.text);
  });
});

describe('spreadsheet uploads (POST /api/v1/members/import)', () => {
  const members = async () => (await admin.get('/api/v1/members?per_page=1')).json.total;
  const up = (path, bytes, ct = 'application/octet-stream') => staff.req('POST', path, bytes, { 'Content-Type': ct });
  let serial = 500;
  const idNumber = () => {
    serial += 1;
    const birth = new Date(Date.UTC(1970, 0, 1) + serial * 86400000).toISOString().slice(0, 10).replaceAll('-', '');
    const body = `440111${birth}${String(serial % 1000).padStart(3, '0')}`;
    const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    return body + '10X98765432'[[...body].reduce((t, c, k) => t + Number(c) * w[k], 0) % 11];
  };
  const cases = [
    ['a zip that breaks off after its first header', () => Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 0x41)])],
    ['the real template cut in half', async () => {
      const t = Buffer.from(await (await fetch(srv.url + '/api/v1/members/template.xlsx', { headers: { Cookie: staff.cookie } })).arrayBuffer());
      assert.equal(t.subarray(0, 2).toString(), 'PK');
      return t.subarray(0, Math.floor(t.length / 2));
    }],
    ['20,001 rows (over the 20,000 limit)', () => {
      const rows = ['姓名,手机号,身份证号'];
      for (let i = 0; i < 20001; i++) rows.push(`批量${i},139${String(30000000 + i)},440111199001010000`);
      return Buffer.from(rows.join('\n'));
    }],
    ['bytes that are neither UTF-8 nor GBK', () => Buffer.concat([Buffer.from('姓名,手机号,身份证号\n'), Buffer.from([0xff, 0xff, 0xfe, 0x80]), Buffer.from(`,13912345678,${idNumber()}\n`)])],
    ['NUL bytes inside a row', () => Buffer.from(`姓名,手机号,身份证号\n张\u0000三,13912345679,${idNumber()}\n`)],
    ['a 10,000-character name', () => Buffer.from(`姓名,手机号,身份证号\n${'名'.repeat(10000)},13912345670,${idNumber()}\n`)],
    ['one line of 1 MB without a newline', () => Buffer.alloc(1024 * 1024, 0x61)],
    ['a quoted field that never ends', () => Buffer.from(`姓名,手机号,身份证号\n"张三,13912345671,${idNumber()}\n`)],
  ];
  for (const [what, make] of cases) {
    test(`commit=true with ${what}: 4xx or row errors, never 5xx, nothing written`, async () => {
      const before = await members();
      const r = await up('/api/v1/members/import?commit=true', await make());
      assert.ok(r.status < 500, `${r.status} ${r.text.slice(0, 200)}`);
      if (r.status >= 400) assertProblem(r, r.status);
      else assert.equal(r.json.written, 0, r.text.slice(0, 300));
      assert.equal(await members(), before, 'nothing written');
      await healthy();
    });
  }
  test('announced body over 16 MiB → 413 at once', async () => {
    const before = await members();
    const res = await rawExchange(srv.url, `POST /api/v1/members/import?commit=true HTTP/1.1\r\nHost: ${host}\r\nCookie: ${staff.cookie}\r\n` +
      `X-Requested-With: baodao\r\nContent-Type: application/octet-stream\r\nContent-Length: ${16 * 1024 * 1024 + 1024}\r\n\r\naaaa`, { probe: false });
    assert.equal(res.statuses[0], 413, res.text.slice(0, 300));
    assert.equal(await members(), before);
    await healthy();
  });
  test('a body over 16 MiB actually sent → 413 (or the connection is cut while sending), nothing written', async () => {
    const before = await members();
    let r = null;
    try { r = await up('/api/v1/members/import?commit=true', Buffer.alloc(16 * 1024 * 1024 + 1024, 0x61)); } catch { /* cut while sending */ }
    if (r) assertProblem(r, 413, 'too_large');
    assert.equal(await members(), before);
    await healthy();
  });
  test('the zip bomb fixture: 4xx, never 5xx, the server lives', async () => {
    const before = await members();
    const r = await up('/api/v1/members/import?commit=true', readFileSync(join(ROOT, 'tests/fixtures/sheets/bomb.xlsx')));
    assert.ok(r.status >= 400 && r.status < 500, `${r.status} ${r.text.slice(0, 200)}`);
    assert.equal(await members(), before);
    await healthy();
  });
});

describe('member form (POST /api/v1/members): wrong types and sizes', () => {
  const members = async () => (await admin.get('/api/v1/members?per_page=1')).json.total;
  const good = { name: '表单人', phone: '13912340000', id_number: '440111199003071232', community_code: SHILIUQIAO, joined_party_on: '2015-07-01' };
  const cases = [
    ['id_number a number', { id_number: 440111199003071232 }, 'id_number'],
    ['id_number 10,000 chars', { id_number: '4'.repeat(10000) }, 'id_number'],
    ['id_number with a wrong check digit', { id_number: '440111199003071233' }, 'id_number'],
    ['id_number with an impossible birth date', { id_number: '440111199002301234' }, 'id_number'],
    ['joined_party_on in the future', { joined_party_on: '2999-01-01' }, 'joined_party_on'],
    ['joined_party_on not a date', { joined_party_on: '2015-13-45' }, 'joined_party_on'],
    ['gender not M/F', { gender: 'X' }, 'gender'],
    ['specialties with 9 tags', { specialties: '医疗,医疗,医疗,医疗,医疗,医疗,医疗,医疗,医疗' }, 'specialties'],
    ['community_code a district', { community_code: '440111000000' }, 'community_code'],
    ['building_code not in the community', { building_code: '440104001007001001' }, 'building_code'],
    ['plaque_hung a number', { plaque_hung: 1 }, 'plaque_hung'],
    ['unit_id negative', { unit_id: -1 }, 'unit_id'],
    ['unit_id 1e400', null, 'unit_id'],
    ['name with invalid UTF-8', 'utf8', 'name'],
  ];
  for (const [what, over, field] of cases) {
    test(`${what} → 4xx naming ${field}, nothing written`, async () => {
      const before = await members();
      let body;
      if (over === null) body = JSON.stringify(good).replace(/}$/, ',"unit_id":1e400}');
      else if (over === 'utf8') body = Buffer.concat([Buffer.from(JSON.stringify(good).replace('表单人', 'XX').split('XX')[0]), Buffer.from([0xff]), Buffer.from(JSON.stringify(good).split('表单人')[1])]);
      else body = { ...good, ...over };
      const r = await staff.post('/api/v1/members', body);
      assert.ok(r.status >= 400 && r.status < 500, `${r.status} ${r.text.slice(0, 200)}`);
      assertProblem(r, r.status);
      if (r.status === 422) assertFieldError(r, field);
      assert.equal(await members(), before);
    });
  }
});

describe('report-in decisions, reveal and agreements: bad bodies', () => {
  let pendingReg; let fileId;
  before(async () => {
    const u = await loginAs(srv, 'unit');
    const uid = (await u.get('/api/v1/me')).json.roles[0].unit.id;
    const r = await u.post('/api/v1/members', { name: '待审人', phone: '13912300001', id_number: '440111198501011238',
      community_code: SHILIUQIAO, unit_id: uid, joined_party_on: '2010-07-01' });
    assert.equal(r.status, 201, r.text);
    pendingReg = r.json.registration.id;
    fileId = r.json.member.id;
  });
  const pending = async () => (await admin.get(`/api/v1/members/${fileId}`)).json.member.state;
  const bulk = [
    ['ids not a list', { ids: 1 }, 'ids'],
    ['ids of strings', { ids: ['a'] }, 'ids[0]'],
    ['201 ids (over 200)', { ids: Array.from({ length: 201 }, (_, i) => i + 1) }, 'ids'],
    ['ids missing', {}, 'ids'],
    ['an unknown field', { ids: [1], all: true }, 'all'],
  ];
  for (const [what, body, field] of bulk) {
    test(`bulk approve with ${what} → 422 naming ${field}, nothing decided`, async () => {
      assertFieldError(await staff.post('/api/v1/registrations/approve', body), field);
      assert.equal(await pending(), 'pending');
    });
  }
  test('bulk approve with ids [1e400] → 4xx, nothing decided', async () => {
    const r = await staff.post('/api/v1/registrations/approve', '{"ids":[1e400]}');
    assertProblem(r, [400, 422]);
    assert.equal(await pending(), 'pending');
  });
  test('reject without a reason / with 10,000 characters → 422 reason, still pending', async () => {
    assertFieldError(await staff.post(`/api/v1/registrations/${pendingReg}/reject`, {}), 'reason', 'required');
    assertFieldError(await staff.post(`/api/v1/registrations/${pendingReg}/reject`, { reason: 'x'.repeat(10000) }), 'reason', 'too_long');
    assert.equal(await pending(), 'pending');
  });
  test('approve /registrations/abc and /registrations/99999999 → 4xx', async () => {
    assertProblem(await staff.post('/api/v1/registrations/abc/approve'), [400, 404]);
    assertProblem(await staff.post('/api/v1/registrations/99999999/approve'), 404, 'not_found');
  });
  test('reveal: reason of 1 and of 201 characters → 422, no ID number in the answer', async () => {
    for (const reason of ['x', 'x'.repeat(201)]) {
      const r = await staff.post(`/api/v1/members/${fileId}/reveal`, { reason });
      assertFieldError(r, 'reason', ['too_short', 'too_long']);
      assert.ok(!r.text.includes('440111198501011238'));
    }
  });
  test('unknown fields are refused on reveal, reject, leave and agreements', async () => {
    assertFieldError(await staff.post(`/api/v1/members/${fileId}/reveal`, { reason: '核对信息', purpose: 'x' }), 'purpose', 'unknown');
    assertFieldError(await staff.post(`/api/v1/registrations/${pendingReg}/reject`, { reason: '核对信息', notify: true }), 'notify', 'unknown');
    assertFieldError(await staff.post(`/api/v1/members/${fileId}/leave`, { reason: '搬走', when: 1 }), 'when', 'unknown');
    assertFieldError(await staff.post('/api/v1/agreements', { unit_id: 1, community_code: SHILIUQIAO, starts_on: '2026-01-01',
      ends_on: '2027-01-01', status: 'draft', commitments: ['x'], id: 5 }), 'id', 'unknown');
    assert.equal(await pending(), 'pending');
  });

  test('agreement with 31 commitments / ends before it starts → 422, nothing written', async () => {
    const count = async () => (await admin.get('/api/v1/agreements?per_page=1')).json.total;
    const before = await count();
    const base = { unit_id: 1, community_code: SHILIUQIAO, starts_on: '2026-01-01', ends_on: '2027-01-01', status: 'draft' };
    assertFieldError(await staff.post('/api/v1/agreements', { ...base, commitments: Array(31).fill('承诺') }), 'commitments');
    assertFieldError(await staff.post('/api/v1/agreements', { ...base, commitments: ['x'], ends_on: '2025-01-01' }), 'ends_on');
    assertFieldError(await staff.post('/api/v1/agreements', { ...base, commitments: 'x' }), 'commitments', 'type');
    assert.equal(await count(), before);
  });
});

describe('export: cells from user input are text, never formulas', () => {
  test('=, +, - and @ at the start of a field come back as text in export.xlsx', async () => {
    const evil = { position: '=1+2', address: '@SUM(A1:A9)', party_branch: '+3-1' };
    const r = await staff.post('/api/v1/members', { name: '公式人', phone: '13912300077', id_number: validIdNumber('19800101', 123),
      community_code: SHILIUQIAO, joined_party_on: '2005-07-01', ...evil });
    assert.equal(r.status, 201, r.text);
    const e = await fetch(srv.url + '/api/v1/members/export.xlsx?q=' + encodeURIComponent('公式人'), { headers: { Cookie: staff.cookie } });
    assert.equal(e.status, 200);
    const parts = unzip(Buffer.from(await e.arrayBuffer()));
    const sheet = parts['xl/worksheets/sheet1.xml'].toString();
    assert.ok(!/<f[\s>]/.test(sheet), 'no formula cells in the sheet');
    const text = Object.values(parts).map((b) => b.toString('utf8')).join('\n');
    for (const v of Object.values(evil)) assert.ok(text.includes(v), `${v} kept as text`);
  });
});

describe('after all of the above (last)', () => {
  test('the server never answered 5xx, logged no sanitizer report, and stops with exit code 0', async () => {
    await healthy();
    srv.child.kill('SIGTERM');
    const [code] = await once(srv.child, 'exit');
    assertCleanLog(srv.log());
    assert.equal(code, 0, srv.log().slice(-2000));
  });
});
