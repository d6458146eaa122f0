// screen.test.mjs: the 大屏 renders its charts at 1920×1080 without scrolling and shows the API's figures; the monthly
// report form prints the numbers the API gives
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, ADMIN_PASSWORD } from '../lib/server.mjs';
import { serverAndBrowser, withPage, loginConsole, seeText } from './helpers.mjs';

const SANYUANLI = '440111002000';
const SHILIUQIAO = '440111002011';
// The full demo; the server's own rollup runs when it starts.
const env = serverAndBrowser({ demo: 'full' });

async function get(login, path, password) {
  const c = new Client(env.srv.url);
  await c.login(login, password);
  const deadline = Date.now() + 20000;
  let r;
  do r = await c.get(`/api/v1${path}`);
  while (r.status === 200 && 'as_of' in r.json && r.json.as_of === null && Date.now() < deadline);
  assert.equal(r.status, 200, r.text);
  return r.json;
}
const num = async (page, sel) => Number(((await page.locator(`[data-test="${sel}"]`).textContent()) || '').replace(/,/g, '').trim());

test('大屏: an org\'s street at 1920×1080, both charts drawn, nothing to scroll, the figures the API\'s', async (t) => {
  const months = await get('org', `/stats/regions/${SANYUANLI}/months`);
  const files = await get('org', `/stats/regions/${SANYUANLI}`);
  const now = months.months.at(-1);
  assert.ok(now.services > 0 && months.children.length > 1, 'the demo has services and communities in the street');
  await withPage(t, env.browser, { width: 1920, height: 1080 }, async (page) => {
    await loginConsole(page, env.srv.url, 'org');
    await page.goto(`${env.srv.url}/admin/screen?region=${SANYUANLI}`);
    await seeText(page.locator('[data-test="screen-title"]'), '三元里街道');
    await page.locator('[data-test="screen-trend"] canvas').waitFor();
    await page.locator('[data-test="screen-ranked"] canvas').waitFor();
    await seeText(page.locator('[data-test="screen-services"]'), String(now.services));
    assert.equal(await num(page, 'screen-reported'), files.files.by_state.approved);
    assert.equal(await num(page, 'screen-active'), now.active_members);
    assert.equal(await num(page, 'screen-hours'), Math.round(now.minutes / 60));
    assert.equal(await num(page, 'screen-needs'), now.needs_done);
    assert.equal(await num(page, 'screen-wishes'), now.wishes_done);
    const size = await page.evaluate(() => ({ h: document.documentElement.scrollHeight, w: document.documentElement.scrollWidth,
      ih: window.innerHeight, iw: window.innerWidth }));
    assert.ok(size.h <= size.ih && size.w <= size.iw, `no scrolling: ${JSON.stringify(size)}`);
    for (const sel of ['screen-trend', 'screen-ranked']) {
      const box = await page.locator(`[data-test="${sel}"] canvas`).first().boundingBox();
      assert.ok(box.height > 300 && box.y + box.height <= 1080, `${sel} drawn big on the screen: ${JSON.stringify(box)}`);
    }
  });
});

test('大屏: a community\'s staff get their own; a region out of reach shows the error, no figures', async (t) => {
  await withPage(t, env.browser, { width: 1920, height: 1080 }, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.goto(`${env.srv.url}/admin/screen`);
    await seeText(page.locator('[data-test="screen-title"]'), '石榴桥社区');
    await page.locator('[data-test="screen-trend"] canvas').waitFor();
    await page.goto(`${env.srv.url}/admin/screen?region=440111002001`);
    await page.locator('.scr-error').waitFor();
    assert.equal(await page.locator('[data-test="screen-title"]').textContent(), '党员志愿服务');
  });
});

test('大屏 asks for the figures again every 5 minutes (the page\'s clock moved, no waiting)', async (t) => {
  await withPage(t, env.browser, { width: 1920, height: 1080 }, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.clock.install();
    let asked = 0;
    page.on('request', (req) => { if (/\/api\/v1\/stats\/regions\/\d+\/months/.test(req.url())) asked += 1; });
    await page.goto(`${env.srv.url}/admin/screen`);
    await page.locator('[data-test="screen-trend"] canvas').waitFor();
    assert.equal(asked, 1);
    await page.clock.runFor(4 * 60 * 1000);
    assert.equal(asked, 1, 'not before 5 minutes');
    const again = page.waitForResponse((r) => /\/api\/v1\/stats\/regions\/\d+\/months/.test(r.url()));
    await page.clock.runFor(60 * 1000 + 1000);
    await again;
    assert.equal(asked, 2);
  });
});

test('the monthly report form shows the numbers the API gives, and prints', async (t) => {
  const r = await get('staff', `/communities/${SHILIUQIAO}/monthly-report`);
  assert.ok(r.activities > 0 && r.members_living > 0);
  await withPage(t, env.browser, { width: 1440, height: 900 }, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.locator('[data-test="open-monthly-report"]').click();
    await page.waitForURL(`**/admin/report/monthly?community=${SHILIUQIAO}`);
    await page.locator('[data-test="monthly-report"]').waitFor();
    await seeText(page.locator('[data-test="monthly-report"] h1'), `石榴桥社区${r.month.slice(0, 4)}年${Number(r.month.slice(5))}月`);
    assert.equal(await num(page, 'mr-value-activities'), r.activities);
    assert.equal(await num(page, 'mr-value-unit_members_serving'), r.unit_members_serving);
    assert.equal(await num(page, 'mr-value-members_living'), r.members_living);
    assert.equal((await page.locator('[data-test="mr-value-needs"]').textContent()).trim(), `${r.needs_taken} / ${r.needs_done}`);
    assert.equal(await num(page, 'mr-value-wishes_done'), r.wishes_done);
    assert.equal(await num(page, 'mr-value-services'), r.services);
    assert.equal((await page.locator('[data-test="mr-value-building_heads"]').textContent()).trim(), '—');
    const pct = r.checkin_permille === null ? '—' : (await page.locator('[data-test="mr-value-checkin"]').textContent()).trim();
    if (r.checkin_permille !== null) assert.match(pct, new RegExp(`^${(r.checkin_permille / 10).toFixed(1).replace('.', '\\.')}%$`));
    const [file] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="mr-export"]').click()]);
    assert.equal(file.suggestedFilename(), `monthly-report-${SHILIUQIAO}-${r.month}.xlsx`);
    // Printed, the tools above the page are hidden and the numbers stay.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('[data-test="mr-print"]').isVisible(), false);
    assert.equal(await num(page, 'mr-value-activities'), r.activities);
    assert.ok(await page.locator('[data-test="mr-value-activities"]').isVisible());
  });
  // An admin picks any community by the URL; last month's too.
  const last = await get('admin', `/communities/${SHILIUQIAO}/monthly-report?month=2020-01`, ADMIN_PASSWORD);
  await withPage(t, env.browser, { width: 1440, height: 900 }, async (page) => {
    await loginConsole(page, env.srv.url, 'admin', ADMIN_PASSWORD);
    await page.goto(`${env.srv.url}/admin/report/monthly?community=${SHILIUQIAO}&month=2020-01`);
    await seeText(page.locator('[data-test="monthly-report"] h1'), '2020年1月');
    assert.equal(await num(page, 'mr-value-members_living'), last.members_living);
    assert.equal(await num(page, 'mr-value-activities'), 0);
  });
});
