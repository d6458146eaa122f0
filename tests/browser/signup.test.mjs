// signup.test.mjs: sign-up on the phone: a resident from a poster's QR (大字模式, 390 px), confirmed by staff in 账号管理;
// a member by searching the community; the refusals (422 at the fields, 429 with the wait); the poster page itself
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '../lib/server.mjs';
import { serverAndBrowser, withPage, loginConsole, seeText, path, confirmBox } from './helpers.mjs';

const PHONE = { width: 390, height: 844, isMobile: true };
const PASSWORD = 'Sign-up-password-2026';
const env = serverAndBrowser();
const fits = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
const inView = (locator) => locator.evaluate((el) => {
  const r = el.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= window.innerHeight;
});

async function fillSignup(page, { phone, name }) {
  await page.getByLabel('手机号').fill(phone);
  await page.getByLabel('姓名').fill(name);
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await page.getByLabel('再次输入密码').fill(PASSWORD);
}

// After a sign-up: the login page with the phone filled in and the server's words; then log in.
async function loginAfterSignup(page, phone) {
  await page.waitForURL('**/m/login');
  assert.equal(await page.getByLabel('账号').inputValue(), phone, 'the phone is filled in');
  await seeText(page.getByRole('status'), '已提交');
  assert.ok(!page.url().includes(phone), 'the phone is not in the URL');
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/m/login'));
}

test('a resident signs up from the poster in 大字模式, waits, staff confirm in 账号管理, the home opens', async (t) => {
  let code = '';
  await withPage(t, env.browser, { width: 1440, height: 900 }, async (page) => {
    await page.addInitScript(() => { window.print = () => { window.bdPrinted = true; }; });
    await loginConsole(page, env.srv.url, 'staff');
    await page.locator('.cl-side').getByText('报到码/海报').click();
    await seeText(page.locator('[data-test="poster-title"]'), '扫码注册 · 石榴桥社区');
    const first = (await page.locator('[data-test="poster-code"]').textContent()).replace(/\s/g, '');
    assert.match(first, /^[0-9A-Z]{8}$/);
    const qr = page.locator('[data-test="poster-qr"]');
    await page.waitForFunction(() => document.querySelector('[data-test="poster-qr"]')?.naturalWidth > 0);
    assert.equal(await qr.getAttribute('src'), `/api/v1/signup/codes/${first}/qr.svg`);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.cl-side').isVisible(), false, 'no menu on the poster');
    assert.equal(await page.locator('[data-test="poster-renew"]').isVisible(), false, 'no buttons on the poster');
    assert.equal(await page.locator('[data-test="poster-code"]').isVisible(), true);
    await page.emulateMedia({ media: 'screen' });
    await page.locator('[data-test="poster-print"]').click();
    assert.equal(await page.evaluate(() => window.bdPrinted), true);

    // 换一个码: the old poster stops working.
    await page.locator('[data-test="poster-renew"]').click();
    await confirmBox(page, '换一个码');
    await page.waitForFunction((old) => !document.querySelector('[data-test="poster-code"]')?.textContent.replace(/\s/g, '').includes(old), first);
    code = (await page.locator('[data-test="poster-code"]').textContent()).replace(/\s/g, '');
    assert.notEqual(code, first);
    assert.equal((await new Client(env.srv.url).get(`/api/v1/signup/codes/${first}`)).status, 404, 'the old code is revoked');
  });

  await withPage(t, env.browser, PHONE, async (page) => {
    await page.goto(`${env.srv.url}/m/signup?code=${code}`);
    await page.locator('[data-test="large-font-toggle"]').click();
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('bd-large')), true);
    await seeText(page.locator('[data-test="code-place"]'), '石榴桥社区（广州市 › 白云区 › 三元里街道）');
    assert.equal(await page.locator('[data-test="community-field"]').count(), 0, 'the poster names the community');
    await seeText(page.locator('[data-test="password-rule"]'), '至少 12 位');
    await page.locator('[data-test="kind-resident"]').click();
    assert.equal(await page.locator('[data-test="kind-resident"]').getAttribute('aria-pressed'), 'true');
    const box = await page.locator('[data-test="kind-resident"]').boundingBox();
    assert.ok(box.height >= 88 && box.x + box.width <= 390, `a big button on screen (${JSON.stringify(box)})`);
    await fillSignup(page, { phone: '13900009001', name: '赵阿婆' });
    assert.ok(await fits(page), 'no sideways scrolling in 大字模式');
    await page.locator('[data-test="signup-submit"]').click();
    await loginAfterSignup(page, '13900009001');
    await seeText(page.locator('[data-test="waiting"]'), '等待社区确认');
    await seeText(page.locator('[data-test="waiting"]'), '石榴桥社区');
    assert.equal(await page.locator('[data-test="tiles"]').count(), 0, 'nothing else while waiting');
    assert.ok(await fits(page), 'the waiting home fits in 大字模式');

    await withPage(t, env.browser, { width: 1440, height: 900 }, async (staff) => {
      await loginConsole(staff, env.srv.url, 'staff');
      await staff.goto(`${env.srv.url}/admin/accounts`);
      await seeText(staff.locator('[data-test="waiting-count"]'), '待确认 1');
      await staff.locator('[data-test="tab-resident"]').click();
      await staff.waitForURL(/role=resident/);
      const row = staff.locator('[data-test="accounts-table"] .el-table__body-wrapper .el-table__row', { hasText: '赵阿婆' });
      await seeText(row.locator('[data-test="account-state"]'), '待社区确认');
      await row.locator('[data-test="account-confirm"]').click();
      await confirmBox(staff, '确认');
      await seeText(row.locator('[data-test="account-state"]'), '正常');
      await staff.locator('[data-test="waiting-count"]').waitFor({ state: 'detached' });
    });

    await page.locator('[data-test="waiting-refresh"]').click();
    await page.locator('[data-test="tile-mywish"]').waitFor();
    await seeText(page.locator('[data-test="community"]'), '石榴桥社区');
    assert.equal(await page.locator('[data-test="tile-report"]').count(), 0, 'a resident has no 报到');
  });
});

test('a member signs up by searching the community: 422 at the fields first, then 还未报到 + 去报到', async (t) => {
  await withPage(t, env.browser, PHONE, async (page) => {
    await page.goto(`${env.srv.url}/m/login`);
    await page.locator('[data-test="to-signup"]').click();
    await page.waitForURL('**/m/signup');
    await page.locator('[data-test="kind-member"]').click();
    await fillSignup(page, { phone: '1390000', name: '钱党员' });
    await page.locator('[data-test="signup-submit"]').click();
    // The server's refusal under its fields (the phone, the missing community), the first scrolled into view.
    const community = page.locator('[data-test="community-field"] .van-field__error-message');
    await seeText(community, '请选择您居住的社区');
    const phone = page.locator('.van-field', { has: page.getByLabel('手机号') }).locator('.van-field__error-message');
    await seeText(phone, '11 位手机号');
    assert.equal(await inView(community), true, 'the first error is in view');
    assert.equal(await page.getByLabel('姓名').inputValue(), '钱党员', 'the form keeps what was typed');

    await page.locator('[data-test="community-field"]').click();
    await page.locator('[data-test="community-search"] input').fill('石榴桥');
    await page.locator('[data-test="community-results"]').getByRole('button', { name: '选择 石榴桥社区' }).click();
    await page.waitForFunction(() => document.querySelector('[data-test="community-field"] textarea')?.value
      === '石榴桥社区（广州市 › 白云区 › 三元里街道）');
    await page.getByLabel('手机号').fill('13900009002');
    await page.locator('[data-test="signup-submit"]').click();
    await loginAfterSignup(page, '13900009002');
    assert.equal(path(page), '/m/');
    await seeText(page.locator('[data-test="not-reported"]'), '还未报到');
    await page.locator('[data-test="go-report"]').click();
    await page.waitForURL('**/m/report/new');
  });
});

test('past five sign-ups for one phone in an hour, the wait is said above the form', async (t) => {
  const anyone = new Client(env.srv.url);
  for (let i = 0; i < 5; i++) {
    const r = await anyone.post('/api/v1/signup', {
      kind: 'member', phone: '13900009003', name: '孙党员', password: PASSWORD, community_code: '440111002011',
    });
    assert.equal(r.status, 202, r.text);
  }
  await withPage(t, env.browser, PHONE, async (page) => {
    await page.goto(`${env.srv.url}/m/signup`);
    await page.locator('[data-test="kind-member"]').click();
    await page.locator('[data-test="community-field"]').click();
    await page.locator('[data-test="community-search"] input').fill('石榴桥');
    await page.locator('[data-test="community-results"]').getByRole('button', { name: '选择 石榴桥社区' }).click();
    await fillSignup(page, { phone: '13900009003', name: '孙党员' });
    await page.locator('[data-test="signup-submit"]').click();
    const problem = page.locator('[data-test="form-problem"]');
    await seeText(problem, /注册太频繁，请 \d+ (秒|分钟)后再试/);
    assert.equal(await inView(problem), true, 'the message is in view');
    assert.equal(path(page), '/m/signup', 'still on the form');
  });
});
