// layout.test.mjs: every page fits a 360 px phone and a 1920 px screen without sideways scrolling
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { requireBuild, launch, withPage, loginConsole, loginMobile, idNumber, WEB } from './helpers.mjs';

let srv;
let browser;
before(async () => {
  requireBuild();
  srv = await startServer({ web: WEB });
  browser = await launch();
  // One member file (id 1) for the file and receipt pages.
  const staff = new Client(srv.url);
  await staff.login('staff');
  const r = await staff.post('/api/v1/members', {
    name: '版面测试', phone: '13900005001', id_number: idNumber('440111', '19840404', '311'), community_code: '440111002011',
    unit_id: 2, specialties: '医疗,法律,教育', address: '华兴苑 2 栋 1201',
  });
  assert.equal(r.status, 201, r.text);
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

// Waits for the page to finish loading its data, then compares the document width with the window.
async function fits(page, url, ready) {
  await page.goto(url);
  await page.locator(ready).first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.el-loading-mask, .bd-progress:not([style*="display: none"])'));
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
  }));
  assert.ok(scroll <= inner, `${url}: ${scroll}px wide in a ${inner}px window`);
}

const CONSOLE = [
  ['/admin/', '[data-test="children-table"] .el-table__row'],
  ['/admin/accounts', '[data-test="accounts-table"] .el-table__row'],
  ['/admin/regions', '[data-test="region-title"]'],
  ['/admin/units', '[data-test="units-table"] .el-table__row'],
  ['/admin/audit', '[data-test="audit-table"] .el-table__row'],
  ['/admin/account', '[data-test="password-form"]'],
  ['/admin/members', '[data-test="members-table"]'],
  ['/admin/roster', '.el-empty'],
  ['/admin/agreements', '[data-test="agreements-table"]'],
];
// Pages of the report-in workflow that staff use (org has no approval queue or import).
const STAFF = [
  ['/admin/members', '[data-test="members-table"] .el-table__row'],
  ['/admin/members/1', '[data-test="timeline"]'],
  ['/admin/members/1/receipt', '[data-test="receipt"]'],
  ['/admin/approvals', '[data-test="approvals-table"]'],
  ['/admin/import', '[data-test="template"]'],
  ['/admin/agreements', '[data-test="agreements-table"]'],
  ['/admin/', '[data-test="living-units"]'],
  ['/admin/accounts', '[data-test="accounts-table"] .el-table__row'],
  ['/admin/signup-code', '[data-test="poster"]'],
  ['/admin/wishes', '[data-test="wishes-table"]'],
  ['/admin/campaigns', '[data-test="campaigns-table"]'],
];

for (const width of [360, 1920]) {
  test(`console pages at ${width} px (org)`, async (t) => {
    await withPage(t, browser, { width, height: width === 360 ? 740 : 1080 }, async (page) => {
      await fits(page, `${srv.url}/admin/login`, 'form');
      await loginConsole(page, srv.url, 'org');
      for (const [p, ready] of CONSOLE) await fits(page, srv.url + p, ready);
    });
  });

  test(`report-in console pages at ${width} px (staff, unit)`, async (t) => {
    await withPage(t, browser, { width, height: width === 360 ? 740 : 1080 }, async (page) => {
      await loginConsole(page, srv.url, 'staff');
      for (const [p, ready] of STAFF) await fits(page, srv.url + p, ready);
      await page.context().clearCookies();
      await loginConsole(page, srv.url, 'unit');
      await fits(page, `${srv.url}/admin/roster`, '[data-test="roster-table"]');
      await fits(page, `${srv.url}/admin/`, '[data-test="not-reported-table"]');
      await fits(page, `${srv.url}/admin/signup-code`, '[data-test="poster"]');
    });
  });

  test(`mobile pages at ${width} px (member)`, async (t) => {
    await withPage(t, browser, { width, height: width === 360 ? 740 : 1080, isMobile: width === 360 }, async (page) => {
      await fits(page, `${srv.url}/`, '.lp-entry');
      await fits(page, `${srv.url}/m/login`, 'form');
      await fits(page, `${srv.url}/m/signup`, '[data-test="signup-form"]');
      await loginMobile(page, srv.url, 'member');
      for (const [p, ready] of [['/m/', '.mh-tiles'], ['/m/mine', '[data-test="logout"]'], ['/m/wishes', '[data-test="report-first"]'],
        ['/m/report/new', '[data-test="report-form"]'], ['/m/mine/file', '.van-empty'],
        ['/m/mine/password', 'form']]) {
        await fits(page, srv.url + p, ready);
      }
    });
  });
}
