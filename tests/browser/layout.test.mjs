// layout.test.mjs: every page fits a 360 px phone and a 1920 px screen without sideways scrolling
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { requireBuild, launch, withPage, loginConsole, loginMobile, WEB } from './helpers.mjs';

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
  ['/admin/', '.db-tiles a'],
  ['/admin/regions', '[data-test="region-title"]'],
  ['/admin/units', '[data-test="units-table"] .el-table__row'],
  ['/admin/audit', '[data-test="audit-table"] .el-table__row'],
  ['/admin/account', '[data-test="password-form"]'],
];

for (const width of [360, 1920]) {
  test(`console pages at ${width} px (org)`, async (t) => {
    await withPage(t, browser, { width, height: width === 360 ? 740 : 1080 }, async (page) => {
      await fits(page, `${srv.url}/admin/login`, 'form');
      await loginConsole(page, srv.url, 'org');
      for (const [p, ready] of CONSOLE) await fits(page, srv.url + p, ready);
    });
  });

  test(`mobile pages at ${width} px (member)`, async (t) => {
    await withPage(t, browser, { width, height: width === 360 ? 740 : 1080, isMobile: width === 360 }, async (page) => {
      await fits(page, `${srv.url}/`, '.lp-entry');
      await fits(page, `${srv.url}/m/login`, 'form');
      await loginMobile(page, srv.url, 'member');
      for (const [p, ready] of [['/m/', '.mh-tiles'], ['/m/mine', '[data-test="logout"]'], ['/m/soon/report', '.ms-title'],
        ['/m/mine/password', 'form']]) {
        await fits(page, srv.url + p, ready);
      }
    });
  });
}
