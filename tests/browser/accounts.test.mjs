// accounts.test.mjs: accounts opened by others: from a member file (the one-time code shown once, on the printed receipt),
// the first login on the phone and in the console (forced to change it), reset and disable in 账号管理
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '../lib/server.mjs';
import { serverAndBrowser, withPage, loginConsole, seeText, path, idNumber, confirmBox } from './helpers.mjs';

const SHILIUQIAO = '440111002011';
const PHONE = { width: 390, height: 844, isMobile: true };
const NEW_PASSWORD = 'My-own-password-2026';
let building = '';
const env = serverAndBrowser({}, async (srv) => {
  const staff = new Client(srv.url);
  await staff.login('staff');
  const grid = await staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: '第二网格' });
  assert.equal(grid.status, 201, grid.text);
  const b = await staff.post(`/api/v1/regions/${grid.json.code}/children`, { name: '华兴苑 3 栋' });
  assert.equal(b.status, 201, b.text);
  building = b.json.code;
});

// A member file made by staff (approved at once), without an account.
async function fileOf(name, phone, seq, extra = {}) {
  const staff = new Client(env.srv.url);
  await staff.login('staff');
  const r = await staff.post('/api/v1/members', {
    name, phone, id_number: idNumber('440111', '19880512', seq), community_code: SHILIUQIAO, ...extra,
  });
  assert.equal(r.status, 201, r.text);
  return r.json.member;
}

// window.print() opens no dialog in the tests; each call is counted.
const countPrints = (page) => page.addInitScript(() => {
  window.bdPrints = 0;
  window.print = () => { window.bdPrints += 1; };
});
const digits = async (locator) => ((await locator.textContent()) || '').replace(/\s/g, '');

async function loginPhone(page, login, password) {
  await page.goto(`${env.srv.url}/m/login`);
  await page.getByLabel('账号').fill(login);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

test('staff opens an account from the file: the code once, on the printed receipt; the member changes it on the phone', async (t) => {
  const m = await fileOf('王小明', '13900007001', '311', { building_code: building });
  let code = '';
  await withPage(t, env.browser, { width: 1440, height: 900 }, async (page) => {
    await countPrints(page);
    await loginConsole(page, env.srv.url, 'staff');
    await page.goto(`${env.srv.url}/admin/members/${m.id}`);
    // 楼栋 by its name, not its code.
    await seeText(page.locator('[data-test="building"]'), '华兴苑 3 栋');
    assert.ok(!((await page.locator('[data-test="building"]').textContent()) || '').includes(building), 'no raw building code');

    await page.locator('[data-test="open-account"]').click();
    const dialog = page.locator('[data-test="code-dialog"]');
    await dialog.waitFor();
    const shown = (await dialog.locator('[data-test="code-value"]').textContent()).trim();
    assert.match(shown, /^\d{4} \d{4} \d{4}$/, `12 digits in groups of four: ${shown}`);
    code = shown.replace(/ /g, '');
    await seeText(dialog.locator('[data-test="code-login"]'), '13900007001');
    await seeText(dialog, '14 天内有效');
    await seeText(dialog, '首次登录后须修改密码');
    assert.equal(await page.locator('[data-test="open-account"]').count(), 0, 'no second 开通账号');

    // 打印: the receipt with the login and the code, the print dialog opened once.
    await dialog.locator('[data-test="code-print"]').click();
    await page.waitForURL(`**/admin/members/${m.id}/receipt`);
    assert.equal(await digits(page.locator('[data-test="receipt-code-value"]')), code);
    await seeText(page.locator('[data-test="receipt-login"]'), '13900007001');
    await page.waitForFunction(() => window.bdPrints === 1);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.cl-side').isVisible(), false, 'no menu on paper');
    assert.equal(await page.locator('[data-test="receipt-code-value"]').isVisible(), true, 'the code on paper');
    await page.emulateMedia({ media: 'screen' });
    // Only in memory: not in the URL, the storage or the history state, and gone after a reload.
    const kept = await page.evaluate(() => [window.location.href, JSON.stringify(window.history.state),
      JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage })].join('|'));
    assert.ok(!kept.includes(code), 'the code is kept nowhere but the page');
    await page.reload();
    await page.locator('[data-test="receipt"]').waitFor();
    assert.equal(await page.locator('[data-test="receipt-code"]').count(), 0, 'a reload drops the code');
    assert.equal(await page.evaluate(() => window.bdPrints), 0, 'and prints nothing by itself');
    await page.goto(`${env.srv.url}/admin/members/${m.id}`);
    await seeText(page.locator('.el-descriptions', { hasText: '本人账号' }), /本人账号\s*是/);
  });

  await withPage(t, env.browser, PHONE, async (page) => {
    await page.addInitScript(() => localStorage.setItem('baodao.largeFont', '1')); // 大字模式
    // The code typed as it is printed, with spaces: straight to 修改初始密码, and nowhere else until done.
    await loginPhone(page, '13900007001', `${code.slice(0, 4)} ${code.slice(4, 8)} ${code.slice(8)}`);
    await page.waitForURL('**/m/password/first');
    assert.ok(await page.evaluate(() => document.documentElement.classList.contains('bd-large')
      && document.documentElement.scrollWidth <= window.innerWidth), '大字模式, no sideways scrolling');
    await page.goto(`${env.srv.url}/m/mine`);
    await page.waitForURL(/\/m\/password\/first\?redirect=(%2F|\/)mine$/);
    await seeText(page.locator('[data-test="first-intro"]'), '初始密码');
    await page.getByLabel('初始密码').fill(`${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`);
    await page.getByLabel('新密码', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('确认新密码').fill(NEW_PASSWORD);
    await page.locator('[data-test="password-submit"]').click();
    await page.waitForURL('**/m/mine');
    await page.goto(`${env.srv.url}/m/`);
    await seeText(page.locator('[data-test="community"]'), '石榴桥社区');
  });
  // The code is done with; the new password logs in.
  const c = new Client(env.srv.url);
  assert.equal((await c.post('/api/v1/session', { login: '13900007001', password: code })).status, 401);
  await c.login('13900007001', NEW_PASSWORD);
});

test('账号管理: staff resets a member\'s password (the old code stops working) and disables the account', async (t) => {
  const m = await fileOf('李小红', '13900007002', '322');
  const staff = new Client(env.srv.url);
  await staff.login('staff');
  const opened = await staff.post(`/api/v1/members/${m.id}/account`);
  assert.equal(opened.status, 201, opened.text);
  const first = opened.json.code;

  let second = '';
  await withPage(t, env.browser, { width: 1440, height: 900 }, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.goto(`${env.srv.url}/admin/accounts`);
    await page.getByRole('textbox', { name: '搜索账号' }).fill('李小红');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.waitForURL(/q=%E6%9D%8E/);
    const row = page.locator('[data-test="accounts-table"] .el-table__body-wrapper .el-table__row', { hasText: '李小红' });
    await seeText(row.locator('[data-test="account-state"]'), '待首次登录改密');
    await seeText(row, /初始密码 \d{4}-\d{2}-\d{2} 前有效/);

    await row.locator('[data-test="account-reset"]').click();
    await confirmBox(page, '重置密码');
    const dialog = page.locator('[data-test="code-dialog"]');
    await dialog.waitFor();
    second = await digits(dialog.locator('[data-test="code-value"]'));
    assert.match(second, /^\d{12}$/);
    assert.notEqual(second, first);
    await dialog.locator('[data-test="code-close"]').click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.getByText(second.slice(0, 4)).count(), 0, 'closed: the code is gone from the page');

    // The old code no longer logs in; the new one does.
    const old = new Client(env.srv.url);
    assert.equal((await old.post('/api/v1/session', { login: '13900007002', password: first })).status, 401);
    assert.equal((await new Client(env.srv.url).post('/api/v1/session', { login: '13900007002', password: second })).status, 200);

    await row.locator('[data-test="account-disable"]').click();
    await confirmBox(page, '停用');
    await seeText(row.locator('[data-test="account-state"]'), '已停用');
    assert.equal((await old.post('/api/v1/session', { login: '13900007002', password: second })).status, 401,
      'a disabled account does not log in');
    await row.locator('[data-test="account-enable"]').click();
    await confirmBox(page, '启用');
    await seeText(row.locator('[data-test="account-state"]'), '待首次登录改密');
  });
  await withPage(t, env.browser, PHONE, async (page) => {
    await loginPhone(page, '13900007002', first);
    await seeText(page.getByRole('alert'), '账号或密码错误');
  });
});

test('org opens a staff account in 账号管理; its first console login asks for a new password before anything else', async (t) => {
  let code = '';
  await withPage(t, env.browser, { width: 1440, height: 900 }, async (page) => {
    await countPrints(page);
    await loginConsole(page, env.srv.url, 'org');
    await page.goto(`${env.srv.url}/admin/accounts`);
    await page.locator('[data-test="accounts-table"] .el-table__row').first().waitFor();
    await page.locator('[data-test="account-create"]').click();
    const form = page.locator('[data-test="account-form"]');
    await form.getByRole('radio', { name: '社区工作人员' }).check({ force: true });
    await form.getByLabel('姓名').fill('石榴桥社区 陈社工');
    await form.getByLabel('手机号').fill('13900007003');
    await form.locator('.el-form-item', { hasText: '所在社区' }).locator('.el-select__wrapper').click();
    await page.getByRole('option', { name: /^石榴桥社区/ }).first().click();
    await page.locator('[data-test="account-save"]').click();
    const dialog = page.locator('[data-test="code-dialog"]');
    await dialog.waitFor();
    code = await digits(dialog.locator('[data-test="code-value"]'));
    assert.match(code, /^\d{12}$/);
    // No report-in receipt for staff: the dialog itself is printed.
    await dialog.locator('[data-test="code-print"]').click();
    assert.equal(await page.evaluate(() => window.bdPrints), 1);
    await dialog.locator('[data-test="code-close"]').click();
    await seeText(page.locator('[data-test="accounts-table"]'), '石榴桥社区 陈社工');
  });
  await withPage(t, env.browser, { width: 1440, height: 900 }, async (page) => {
    await loginConsole(page, env.srv.url, '13900007003', `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`);
    await page.waitForURL('**/admin/first-password');
    await page.goto(`${env.srv.url}/admin/members`);
    await page.waitForURL(/\/admin\/first-password\?redirect=(%2F|\/)members$/);
    await page.getByRole('textbox', { name: '初始密码' }).fill(code);
    await page.getByLabel('新密码', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('确认新密码').fill(NEW_PASSWORD);
    await page.locator('[data-test="password-submit"]').click();
    await page.waitForURL('**/admin/members');
    assert.equal(path(page), '/admin/members');
    await page.locator('[data-test="members-table"]').waitFor();
  });
});
