// a11y.test.mjs: axe-core finds no critical violations on the login pages, the console layout and the pages below
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { startServer, Client } from '../lib/server.mjs';
import { requireBuild, launch, withPage, loginConsole, loginMobile, idNumber, WEB, ADMIN_PASSWORD } from './helpers.mjs';

let srv;
let browser;
before(async () => {
  requireBuild();
  srv = await startServer({ web: WEB });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

// Runs axe; fails on critical violations, reports the others as diagnostics.
async function check(t, page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  for (const v of violations) {
    t.diagnostic(`${v.impact} ${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  }
  const critical = violations.filter((v) => v.impact === 'critical');
  assert.deepEqual(critical.map((v) => v.id), [], 'no critical accessibility violations');
  return violations;
}

test('console login page', async (t) => {
  await withPage(t, browser, {}, async (page) => {
    await page.goto(`${srv.url}/admin/login`);
    await page.getByLabel('账号').waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    await check(t, page);
  });
});

test('mobile login page', async (t) => {
  await withPage(t, browser, { width: 390, height: 844, isMobile: true }, async (page) => {
    await page.goto(`${srv.url}/m/login`);
    await page.getByLabel('账号').waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    await check(t, page);
  });
});

test('console layout after login (工作台 and 区划管理)', async (t) => {
  await withPage(t, browser, {}, async (page) => {
    await loginConsole(page, srv.url, 'staff');
    await page.locator('.db-tiles a').first().waitFor();
    assert.equal(await page.getByRole('main').count(), 1);
    assert.equal(await page.getByRole('banner').count(), 1);
    await check(t, page);
    await page.goto(`${srv.url}/admin/regions`);
    await page.locator('[data-test="region-title"]').waitFor();
    await check(t, page);
  });
});

test('mobile home after login (a member before reporting in, a resident)', async (t) => {
  for (const who of ['member', 'resident']) {
    await withPage(t, browser, { width: 390, height: 844, isMobile: true }, async (page) => {
      await loginMobile(page, srv.url, who);
      await page.locator('.mh-tiles').waitFor();
      await page.locator(who === 'member' ? '[data-test="go-report"]' : '.mh-community').waitFor();
      await check(t, page);
    });
  }
});

test('the audit log (admin) and a refused member form with a form-level message (staff)', async (t) => {
  await withPage(t, browser, {}, async (page) => {
    await loginConsole(page, srv.url, 'admin', ADMIN_PASSWORD);
    await page.goto(`${srv.url}/admin/audit`);
    await page.locator('[data-test="audit-table"] .el-table__row').first().waitFor();
    await check(t, page);
  });
  await withPage(t, browser, {}, async (page) => {
    await loginConsole(page, srv.url, 'staff');
    await page.goto(`${srv.url}/admin/members`);
    await page.locator('[data-test="member-create"]').click();
    const dialog = page.getByRole('dialog', { name: '新增党员（代录）' });
    await dialog.getByLabel('姓名').fill('无障碍表单');
    await dialog.getByLabel('手机号').fill('139');
    await dialog.getByPlaceholder('18 位居民身份证号').fill(idNumber('440111', '19860101', '215'));
    await page.route((u) => u.pathname === '/api/v1/members', (route) => (route.request().method() !== 'POST' ? route.fallback()
      : route.fulfill({ status: 422, contentType: 'application/problem+json', body: JSON.stringify({
        title: '请求内容有误', status: 422, errors: [{ field: 'phone', code: 'format', message: '应为 11 位手机号' },
          { field: 'referee', code: 'unknown', message: '不支持的字段' }] }) })));
    await dialog.locator('[data-test="member-save"]').click();
    await dialog.locator('[data-test="form-problem"]').waitFor();
    await check(t, page);
  });
});

// The report-in pages: the member list, a member file, the import wizard with its error table,
// and the mobile report-in form (with an error shown at a field).
test('member list, member file and import wizard (staff)', async (t) => {
  const staff = new Client(srv.url);
  await staff.login('staff');
  const r = await staff.post('/api/v1/members', {
    name: '无障碍测试', phone: '13900004001', id_number: idNumber('440111', '19860101', '211'),
    community_code: '440111002011', specialties: '医疗', address: '华兴苑 1 栋',
  });
  assert.equal(r.status, 201, r.text);
  await withPage(t, browser, {}, async (page) => {
    await loginConsole(page, srv.url, 'staff');
    await page.goto(`${srv.url}/admin/members`);
    await page.locator('[data-test="members-table"] .el-table__row').first().waitFor();
    await check(t, page);
    await page.goto(`${srv.url}/admin/members/${r.json.member.id}`);
    await page.locator('[data-test="timeline"]').waitFor();
    await check(t, page);
    await page.goto(`${srv.url}/admin/import`);
    await page.locator('[data-test="template"]').waitFor();
    await check(t, page);
    const csv = `姓名,手机号,身份证号\n甲,139000,${idNumber('440111', '19860101', '213')}\n`;
    await page.locator('[data-test="sheet-input"]').setInputFiles({ name: 'a.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.locator('[data-test="check"]').click();
    await page.locator('[data-test="sheet-errors"] .el-table__row').first().waitFor();
    await check(t, page);
  });
});

test('mobile report-in form', async (t) => {
  await withPage(t, browser, { width: 390, height: 844, isMobile: true }, async (page) => {
    await loginMobile(page, srv.url, 'member');
    await page.goto(`${srv.url}/m/report/new`);
    await page.locator('[data-test="report-form"]').waitFor();
    await check(t, page);
    await page.getByLabel('身份证号').fill('440111199003071233');
    await page.locator('[data-test="report-submit"]').click();
    await page.locator('.van-field__error-message').first().waitFor();
    await check(t, page);
  });
});

// Accounts and numbers: 账号管理 with its code dialog, the poster, the workbenches of org and unit, the first
// password change (console and phone), the phone sign-up (with errors at its fields) and a resident's waiting home.
test('账号管理 and its code dialog, 报到码/海报, the org and unit workbenches (console)', async (t) => {
  await withPage(t, browser, {}, async (page) => {
    await loginConsole(page, srv.url, 'staff');
    await page.goto(`${srv.url}/admin/accounts?role=resident`);
    await page.locator('[data-test="accounts-table"] .el-table__row').first().waitFor();
    await check(t, page);
    await page.locator('[data-test="account-reset"]').first().click();
    await page.locator('.el-message-box').getByRole('button', { name: '重置密码' }).click();
    await page.locator('[data-test="code-dialog"]').waitFor();
    await check(t, page);
    await page.locator('[data-test="code-close"]').click();
    await page.goto(`${srv.url}/admin/signup-code`);
    await page.waitForFunction(() => document.querySelector('[data-test="poster-qr"]')?.naturalWidth > 0);
    await check(t, page);
  });
  for (const who of ['org', 'unit']) {
    await withPage(t, browser, {}, async (page) => {
      await loginConsole(page, srv.url, who);
      await page.locator(who === 'org' ? '[data-test="children-table"] .el-table__row' : '[data-test="stat-roster"]').first().waitFor();
      await check(t, page);
    });
  }
});

test('the first password change (console and phone), the phone sign-up with its errors, a resident waiting', async (t) => {
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const opened = [];
  for (const phone of ['13900004101', '13900004102']) {
    const r = await admin.post('/api/v1/accounts', { role: 'staff', name: `无障碍 ${phone}`, phone, region_code: '440111002011' });
    assert.equal(r.status, 201, r.text);
    opened.push([phone, r.json.code]);
  }
  await withPage(t, browser, {}, async (page) => {
    await loginConsole(page, srv.url, ...opened[0]);
    await page.waitForURL('**/admin/first-password');
    await check(t, page);
  });
  await withPage(t, browser, { width: 390, height: 844, isMobile: true }, async (page) => {
    await loginMobile(page, srv.url, ...opened[1]);
    await page.waitForURL('**/m/password/first');
    await check(t, page);
  });
  await withPage(t, browser, { width: 390, height: 844, isMobile: true }, async (page) => {
    await page.goto(`${srv.url}/m/signup`);
    await page.locator('[data-test="signup-form"]').waitFor();
    await check(t, page);
    await page.locator('[data-test="kind-resident"]').click();
    await page.getByLabel('手机号').fill('139');
    await page.getByLabel('姓名').fill('无障碍居民');
    await page.getByLabel('密码', { exact: true }).fill('Accessible-2026');
    await page.getByLabel('再次输入密码').fill('Accessible-2026');
    await page.locator('[data-test="signup-submit"]').click();
    await page.locator('.van-field__error-message').first().waitFor();
    await check(t, page);
    await page.getByLabel('手机号').fill('13900004103');
    await page.locator('[data-test="community-field"]').click();
    await page.locator('[data-test="community-search"] input').fill('石榴桥');
    await page.locator('[data-test="community-results"]').getByRole('button', { name: '选择 石榴桥社区' }).click();
    await page.locator('[data-test="signup-submit"]').click();
    await page.waitForURL('**/m/login');
    await page.getByLabel('密码').fill('Accessible-2026');
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('[data-test="waiting"]').waitFor();
    await check(t, page);
  });
});
