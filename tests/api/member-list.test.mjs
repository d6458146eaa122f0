// member-list.test.mjs: member lists over a generated city: every scope, filter and page equals a recount in SQL
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, dbQuery } from '../lib/server.mjs';
import { loginAs, addUser, assertProblem, SHILIUQIAO, FEIE } from './helpers.mjs';

let srv;
const as = {};

function sql(q) {
  return dbQuery(srv.db, q);
}
const ids = (q) => sql(q).split('\n').filter(Boolean).map(Number);

// Every page of a list, following next_after; checks that total holds across pages.
async function walk(c, query) {
  const seen = [];
  let after = '', total = null;
  for (let guard = 0; guard < 1000; guard++) {
    const r = await c.get(`/api/v1/members?per_page=100&${query}${after}`);
    assert.equal(r.status, 200, r.text);
    if (total === null) total = r.json.total;
    assert.equal(r.json.total, total, 'the total stays the same from page to page');
    seen.push(...r.json.items.map((m) => m.id));
    if (!r.json.next_after) break;
    assert.equal(r.json.next_after, r.json.items.at(-1).id);
    after = `&after=${r.json.next_after}`;
  }
  assert.equal(seen.length, total, `${query}: the pages hold all ${total}`);
  return seen;
}

// The files SQL says a scope and filter hold, in the list's order.
function expected(where) {
  return ids(`SELECT m.id FROM member m WHERE ${where} ORDER BY m.name, m.id`);
}

before(async () => {
  srv = await startServer({ demo: false });
  srv.cli(['generate', '--members', '1500', '--units', '40', '--seed', '7']);
  for (const l of ['bench-org-city', 'bench-org-district', 'bench-org-street', 'bench-staff', 'bench-unit'])
    as[l] = await loginAs(srv, l);
});
after(() => srv.stop());

describe('who sees which files', () => {
  const bigUnit = () => Number(sql("SELECT g.unit_id FROM role_grant g JOIN account a ON a.id = g.account_id WHERE a.login = 'bench-unit'"));
  const cases = [
    ['bench-org-city', () => "m.community_code LIKE '4401%'"],
    ['bench-org-district', () => "m.community_code LIKE '440111%'"],
    ['bench-org-street', () => "m.community_code LIKE '440111002%'"],
    ['bench-staff', () => `m.community_code = '${SHILIUQIAO}'`],
    ['bench-unit', () => `m.unit_id = ${bigUnit()}`],
  ];
  for (const [login, where] of cases)
    test(`${login}: every page, in name order, exactly the files of its scope`, async () => {
      const want = expected(where());
      assert.ok(want.length > 0, 'the generated city puts files there');
      assert.deepEqual(await walk(as[login], ''), want);
    });

  test('page numbers give the same pages as following next_after', async () => {
    const c = as['bench-org-district'];
    const byAfter = await walk(c, '');
    for (const page of [1, 2, 5]) {
      const r = await c.get(`/api/v1/members?per_page=20&page=${page}`);
      assert.deepEqual(r.json.items.map((m) => m.id), byAfter.slice((page - 1) * 20, page * 20), `page ${page}`);
    }
  });

  test('a file that moves leaves the old community\'s list, specialties and all; one that left stays', async () => {
    // A reported-in member with an account and a specialty, in whichever community has one.
    const [id, specialties, phone, home] = sql(`SELECT m.id, m.specialties, m.phone, m.community_code FROM member m
      WHERE m.state = 'approved' AND m.specialties <> '' AND m.account_id IS NOT NULL ORDER BY m.id LIMIT 1`).split('|');
    const tag = specialties.split(',')[0];
    const away = home === SHILIUQIAO ? FEIE : SHILIUQIAO;
    addUser(srv, 'staff_home', 'staff', { region: home });
    addUser(srv, 'staff_away', 'staff', { region: away });
    const [staff, there] = [await loginAs(srv, 'staff_home'), await loginAs(srv, 'staff_away')];
    const byTag = `specialty=${encodeURIComponent(tag)}`;
    assert.ok((await walk(staff, byTag)).includes(Number(id)));
    // The member reports in to another community from the phone (login = phone), and that one approves.
    const file = (await staff.get(`/api/v1/members/${id}`)).json.member;
    const { id_number } = (await staff.post(`/api/v1/members/${id}/reveal`, { reason: '测试转社区' })).json;
    const member = await loginAs(srv, phone);
    const moved = await member.post('/api/v1/me/registration', { name: file.name, phone, id_number, community_code: away,
      specialties: file.specialties });
    assert.equal(moved.status, 201, moved.text);
    assert.equal((await there.post(`/api/v1/registrations/${moved.json.registration.id}/approve`)).status, 200);
    assert.ok(!(await walk(staff, byTag)).includes(Number(id)), 'gone from the old community by specialty');
    assert.ok(!(await walk(staff, '')).includes(Number(id)), 'gone from the old community');
    assert.ok((await walk(there, byTag)).includes(Number(id)), 'in the new one by specialty');
    assert.equal((await staff.get(`/api/v1/members/${id}`)).status, 200, 'the old community still reads the file it held');
    // Leaving keeps a file on its community's list, as 已退出.
    const left = sql(`SELECT id FROM member WHERE community_code = '${away}' AND state = 'approved' ORDER BY id LIMIT 1`);
    assert.equal((await there.post(`/api/v1/members/${left}/leave`, { reason: '退休' })).status, 200);
    assert.ok((await walk(there, 'state=left')).includes(Number(left)));
  });
});

describe('filters, each against a recount', () => {
  const city = "m.community_code LIKE '4401%'";
  const filters = [
    ['state=pending', `${city} AND m.state = 'pending'`],
    ['state=rejected', `${city} AND m.state = 'rejected'`],
    ['state=approved,pending&has_account=false', `${city} AND m.state IN ('approved', 'pending') AND m.account_id IS NULL`],
    ['state=left,rejected', `${city} AND m.state IN ('left', 'rejected')`],
    ['has_account=true', `${city} AND m.account_id IS NOT NULL`],
    ['has_account=false&state=approved', `${city} AND m.account_id IS NULL AND m.state = 'approved'`],
    [`specialty=${encodeURIComponent('医疗')}`, `${city} AND (',' || m.specialties || ',') LIKE '%,医疗,%'`],
    [`specialty=${encodeURIComponent('法律')}&state=approved`, `${city} AND (',' || m.specialties || ',') LIKE '%,法律,%' AND m.state = 'approved'`],
    [`q=${encodeURIComponent('王')}`, `${city} AND m.name LIKE '王%'`],
    ['q=1390000', `${city} AND m.phone LIKE '1390000%'`],
    ['q=0042', `${city} AND m.phone LIKE '%0042'`],
    [`community=${SHILIUQIAO}`, `m.community_code = '${SHILIUQIAO}'`],
  ];
  for (const [query, where] of filters)
    test(`city: ${decodeURIComponent(query)}`, async () => {
      const want = expected(where);
      assert.deepEqual(await walk(as['bench-org-city'], query), want);
    });

  test('filters in a narrow scope too', async () => {
    const staffWhere = `m.community_code = '${SHILIUQIAO}'`;
    assert.deepEqual(await walk(as['bench-staff'], 'state=approved&has_account=false'),
      expected(`${staffWhere} AND m.state = 'approved' AND m.account_id IS NULL`));
    const unitId = sql("SELECT g.unit_id FROM role_grant g JOIN account a ON a.id = g.account_id WHERE a.login = 'bench-unit'");
    assert.deepEqual(await walk(as['bench-org-street'], `unit_id=${unitId}`),
      expected(`m.community_code LIKE '440111002%' AND m.unit_id = ${unitId}`));
  });

  test('a wide scope pages by number through its first 2,000 files only; deeper pages go by after', async () => {
    assertProblem(await as['bench-org-city'].get('/api/v1/members?per_page=100&page=22'), 400, 'bad_query');
    assert.equal((await as['bench-org-city'].get('/api/v1/members?per_page=100&page=21')).status, 200);
    const narrow = await as['bench-staff'].get('/api/v1/members?per_page=100&page=102');
    assert.equal(narrow.status, 200, 'a community is small enough for any page');
    assert.deepEqual(narrow.json.items, []);
  });

  test('a state that is no state, and an after that is no file', async () => {
    assertProblem(await as['bench-staff'].get('/api/v1/members?state=approved%27--'), 400, 'bad_query');
    assertProblem(await as['bench-staff'].get('/api/v1/members?state=approved,'), 400, 'bad_query');
    assertProblem(await as['bench-staff'].get('/api/v1/members?state=approved,,pending'), 400, 'bad_query');
    assertProblem(await as['bench-staff'].get('/api/v1/members?has_account=maybe'), 400, 'bad_query');
    const r = await as['bench-staff'].get('/api/v1/members?after=999999999');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.items, []);
  });
});

describe('the approval queue of a wide scope', () => {
  test('its total is the tally of waiting report-ins, its pages the oldest first', async () => {
    for (const [login, prefix] of [['bench-org-city', '4401'], ['bench-org-district', '440111']]) {
      const want = ids(`SELECT id FROM registration WHERE state = 'pending' AND community_code LIKE '${prefix}%' ORDER BY id`);
      const r = await as[login].get('/api/v1/registrations?state=pending&per_page=100');
      assert.equal(r.json.total, want.length, login);
      assert.deepEqual(r.json.items.map((x) => x.id), want.slice(0, 100));
    }
  });
});

describe('the generated city itself', () => {
  test('tallies, rosters and the audit chain hold', () => {
    assert.equal(sql("SELECT COUNT(*) FROM member"), '1500');
    // Every level's tally rows equal a count of the files under them.
    for (const depth of [2, 4, 6, 9, 12]) {
      const bad = sql(`SELECT COUNT(*) FROM (SELECT substr(community_code, 1, ${depth}) p, state, COUNT(*) n FROM member
        GROUP BY 1, 2) x LEFT JOIN member_tally t ON t.depth = ${depth} AND t.prefix = x.p AND t.state = x.state
        WHERE COALESCE(t.files, -1) <> x.n`);
      assert.equal(bad, '0', `member_tally at depth ${depth} equals a count of the files`);
    }
    assert.ok(Number(sql('SELECT COUNT(*) FROM roster_entry')) > 1500, 'rosters hold the members and some who never reported');
    assert.match(srv.cli(['audit', 'verify']), /^ok/);
  });
});
