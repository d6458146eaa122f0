// workbench.test.mjs: the console home of each role shows exact numbers: staff (queue, states, without an account, rate,
// units living here, the menu badge), org and admin (children ranked, drill-down to a member list), unit (the not-reported, exported)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Client, ADMIN_PASSWORD } from '../lib/server.mjs';
import { serverAndBrowser, withPage, loginConsole, seeText, path, idNumber, confirmBox } from './helpers.mjs';

const SHILIUQIAO = '440111002011';
const STREET = '440111002000';
const UNIT = 2; // 三元里街社区卫生服务中心, the demo unit account's
const STATES = ['approved', 'pending', 'rejected', 'withdrawn', 'left', 'transferred'];
const id = (seq) => idNumber('440111', '19800101', seq);

// Files in 石榴桥社区: A (unit 2) and C approved, C with an account; B approved then left; D and E filed by the unit
// (pending), F by the unit and refused. The unit's roster: A, D, E, F and G (who has no file).
const env = serverAndBrowser({}, async (srv) => {
  const staff = new Client(srv.url);
  await staff.login('staff');
  const unit = new Client(srv.url);
  await unit.login('unit');
  const made = {};
  for (const [k, who, extra] of [['A', staff, { unit_id: UNIT }], ['B', staff, {}], ['C', staff, {}],
    ['D', unit, {}], ['E', unit, {}], ['F', unit, {}]]) {
    const seq = String(100 + k.charCodeAt(0)).slice(-3);
    const r = await who.post('/api/v1/members', {
      name: `统计${k}`, phone: `1390001${String(1000 + k.charCodeAt(0)).slice(-4)}`, id_number: id(seq), community_code: SHILIUQIAO, ...extra,
    });
    assert.equal(r.status, 201, r.text);
    made[k] = { ...r.json, seq };
  }
  assert.equal((await staff.post(`/api/v1/members/${made.C.member.id}/account`)).status, 201);
  assert.equal((await staff.post(`/api/v1/members/${made.B.member.id}/leave`, { reason: '已搬离本社区' })).status, 200);
  assert.equal((await staff.post(`/api/v1/registrations/${made.F.registration.id}/reject`, { reason: '地址不在本社区' })).status, 200);
  const rows = ['A', 'D', 'E', 'F'].map((k) => `统计${k},${id(made[k].seq)},干部`);
  const csv = ['姓名,身份证号,职务', ...rows, `统计G,${id('171')},护士`].join('\n');
  const r = await unit.req('POST', `/api/v1/units/${UNIT}/roster?commit=true`, csv, { 'Content-Type': 'text/csv' });
  assert.equal(r.status, 200, r.text);
});

async function api(login, password) {
  const c = new Client(env.srv.url);
  await c.login(login, password);
  return async (p) => {
    const r = await c.get(`/api/v1${p}`);
    assert.equal(r.status, 200, `${p}: ${r.text}`);
    return r.json;
  };
}
const num = async (page, name) => Number(((await page.locator(`[data-test="stat-${name}"]`).textContent()) || '').replace(/,/g, ''));
const rate = (permille) => `${(permille / 10).toFixed(1)}%`;

test('the staff workbench: every figure is the API\'s and a recount\'s; the menu badge is the queue', async (t) => {
  const get = await api('staff');
  await withPage(t, env.browser, { width: 1440, height: 900 }, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.locator('[data-test="stat-queue"]').waitFor();
    const { files } = await get(`/stats/regions/${SHILIUQIAO}`);
    // The numbers this data set must give, so that a wrong count on both sides would still fail.
    assert.deepEqual(files.by_state, { approved: 2, pending: 2, rejected: 1, withdrawn: 0, left: 1, transferred: 0 });
    assert.deepEqual([files.queue, files.without_account, files.total, files.rate_permille], [2, 3, 6, 500]);

    assert.equal(await num(page, 'queue'), files.queue);
    assert.equal(await num(page, 'without_account'), files.without_account);
    assert.equal(await num(page, 'total'), files.total);
    await seeText(page.locator('[data-test="stat-rate"]'), rate(files.rate_permille));
    for (const s of STATES) assert.equal(await num(page, `state-${s}`), files.by_state[s], s);
    // A recount from the lists the tiles lead to.
    assert.equal((await get('/registrations?state=pending&per_page=1')).total, files.queue);
    for (const s of STATES) assert.equal((await get(`/members?state=${s}&per_page=1`)).total, files.by_state[s], `recount ${s}`);
    const noAccount = (await get('/members?has_account=false&state=approved&per_page=1')).total
      + (await get('/members?has_account=false&state=pending&per_page=1')).total;
    assert.equal(noAccount, files.without_account);
    // The tile's own list: both states at once.
    assert.equal((await get('/members?has_account=false&state=approved,pending&per_page=1')).total, files.without_account);

    // The units whose members live here.
    const { items: living } = await get(`/stats/regions/${SHILIUQIAO}/units?by=living`);
    const u = living.find((x) => x.unit_id === UNIT);
    assert.deepEqual([u.roster, u.reported, u.here], [5, 1, 1]);
    const row = page.locator('[data-test="living-units"] .el-table__row', { hasText: '三元里街社区卫生服务中心' });
    await seeText(row, new RegExp(`${u.roster}\\s*${u.reported}\\s*${u.here}\\s*${rate(u.rate_permille).replace('.', '\\.')}`));

    // The badge on 报到审核 is the queue, and follows it after a decision and a navigation.
    const badge = page.locator('.cl-side [data-test="queue-badge"]');
    await seeText(badge, String(files.queue));
    await page.locator('[data-test="tile-queue"]').click();
    await page.waitForURL('**/admin/approvals');
    const first = page.locator('[data-test="approvals-table"] .el-table__body-wrapper .el-table__row').first();
    await first.locator('[data-test="approve"]').click();
    await confirmBox(page, '通过');
    await page.locator('.cl-side').getByText('工作台').click();
    await page.waitForURL((u2) => u2.pathname === '/admin/');
    await seeText(badge, String(files.queue - 1));
    await seeText(page.locator('[data-test="stat-queue"]'), String(files.queue - 1));

    // 未开通账号 leads to the member list of those files: reported in or waiting, without an account.
    await page.locator('[data-test="tile-without_account"]').click();
    await page.waitForURL((u) => u.pathname === '/admin/members' && u.searchParams.get('has_account') === 'false'
      && u.searchParams.get('state') === 'approved,pending');
    await page.locator('[data-test="members-table"] .el-table__row').first().waitFor();
    assert.equal(await page.locator('[data-test="members-table"] .el-table__body-wrapper .el-table__row').count(),
      files.without_account);
  });
});

test('the org workbench ranks its communities and drills down to a member list; admin from the city down', async (t) => {
  const get = await api('org');
  await withPage(t, env.browser, { width: 1440, height: 900 }, async (page) => {
    await loginConsole(page, env.srv.url, 'org');
    await seeText(page.locator('[data-test="bench-region"]'), '三元里街道');
    const { files } = await get(`/stats/regions/${STREET}`);
    assert.equal(await num(page, 'approved'), files.by_state.approved);
    assert.equal(await num(page, 'queue'), files.queue);
    await seeText(page.locator('[data-test="stat-rate"]'), rate(files.rate_permille));
    const { items } = await get(`/stats/regions/${STREET}/children?sort=rate`);
    const table = page.locator('[data-test="children-table"]');
    const names = () => table.locator('.el-table__body-wrapper .el-table__row td:nth-child(2)').allTextContents();
    await seeText(table.locator('.el-table__body-wrapper .el-table__row').first(), items[0].name);
    assert.deepEqual((await names()).map((s) => s.trim()), items.map((c) => c.name), 'ranked as the server ranks');
    const own = items.find((c) => c.code === SHILIUQIAO);
    await seeText(table.locator('.el-table__row', { hasText: '石榴桥社区' }),
      new RegExp(`${own.files.by_state.approved}\\s*${own.files.queue}\\s*${rate(own.files.rate_permille).replace('.', '\\.')}`));
    await page.locator('.echart canvas').first().waitFor(); // the chart, ECharts loaded on demand

    // Sorted by 已报到, lowest first: the server's order.
    const asked = page.waitForRequest((r) => r.url().includes('/children?') && r.url().includes('sort=approved') && r.url().includes('order=asc'));
    await table.locator('th', { hasText: '已报到' }).click();
    await asked;
    const { items: byApproved } = await get(`/stats/regions/${STREET}/children?sort=approved&order=asc`);
    await page.waitForFunction((last) => {
      const rows = document.querySelectorAll('[data-test="children-table"] .el-table__body-wrapper .el-table__row');
      return rows.length && rows[rows.length - 1].textContent.includes(last);
    }, byApproved[byApproved.length - 1].name);

    // Units placed here, lowest rate first.
    const { items: placed } = await get(`/stats/regions/${STREET}/units?order=asc`);
    await seeText(page.locator('[data-test="placed-units"] .el-table__row').first(), placed[0].name);

    await page.locator(`[data-test="drill-${SHILIUQIAO}"]`).click();
    await page.waitForURL(`**/admin/members?community=${SHILIUQIAO}`);
    await seeText(page.locator('[data-test="members-table"]'), '统计A');
  });

  await withPage(t, env.browser, { width: 1440, height: 900 }, async (page) => {
    await loginConsole(page, env.srv.url, 'admin', ADMIN_PASSWORD);
    await seeText(page.locator('[data-test="bench-region"]'), '广州市');
    await page.locator('[data-test="drill-440111000000"]').click();
    await page.waitForURL(/\?region=440111000000$/);
    await seeText(page.locator('[data-test="bench-trail"]'), /广州市\s*›\s*白云区/);
    await page.locator(`[data-test="drill-${STREET}"]`).click();
    await page.waitForURL(new RegExp(`\\?region=${STREET}$`));
    await seeText(page.locator('[data-test="bench-region"]'), '三元里街道');
    await page.locator(`[data-test="drill-${SHILIUQIAO}"]`).click();
    await page.waitForURL(`**/admin/members?community=${SHILIUQIAO}`);
    await page.goBack();
    await seeText(page.locator('[data-test="bench-region"]'), '三元里街道');
    await page.locator('[data-test="bench-trail"]').getByRole('button', { name: '广州市' }).click();
    await page.waitForURL((u) => u.pathname === '/admin/' && !u.search);
    await seeText(page.locator('[data-test="bench-region"]'), '广州市');
  });
});

test('the unit workbench: roster against report-ins, the not-reported listed and exported as .xlsx', async (t) => {
  const get = await api('unit');
  await withPage(t, env.browser, { width: 1440, height: 900 }, async (page) => {
    await loginConsole(page, env.srv.url, 'unit');
    await page.locator('[data-test="stat-roster"]').waitFor();
    const s = await get(`/stats/units/${UNIT}`);
    // A, D and E have reported in or wait (the staff test approves one of D, E); F was refused, G has no file.
    assert.deepEqual([s.roster, s.reported + s.pending, s.not_reported], [5, 3, 2]);
    for (const k of ['roster', 'reported', 'pending', 'not_reported']) assert.equal(await num(page, k), s[k], k);
    await seeText(page.locator('[data-test="stat-rate"]'), rate(s.rate_permille));

    const listed = await get(`/units/${UNIT}/roster?status=not_reported`);
    const table = page.locator('[data-test="not-reported-table"]');
    await seeText(table, '统计G');
    const names = (await table.locator('.el-table__body-wrapper .el-table__row td:first-child').allTextContents()).map((x) => x.trim());
    assert.deepEqual(names.sort(), listed.items.map((x) => x.name).sort());
    // The list holds those with no report-in approved or waiting: the refused (未通过) and the unfiled.
    assert.ok(names.includes('统计F') && names.includes('统计G'), names.join());
    assert.equal(listed.total, s.not_reported);
    assert.equal(await table.locator('.el-table__row', { hasText: '待审核' }).count(), 0);
    await seeText(page.locator('[data-test="not-reported-total"]'), `共 ${listed.total} 人`);

    const [file] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="not-reported-export"]').click()]);
    assert.match(file.suggestedFilename(), /\.xlsx$/);
    const bytes = readFileSync(await file.path());
    assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an .xlsx (zip) file');
    assert.equal(path(page), '/admin/');
  });
});
