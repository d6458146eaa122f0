// forms.test.mjs: a refused form (console and phone) shows each server error next to its field, the rest above
// the form, and on the phone scrolls to and focuses the first error; gender follows the ID number in both apps
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, withPage, loginConsole, loginMobile, seeText, path, idNumber } from './helpers.mjs';

const env = serverAndBrowser();

const PHONE = { width: 390, height: 844, isMobile: true };
const WOMAN = idNumber('440111', '19920815', '246'); // 17th digit even
const MAN = idNumber('440111', '19880101', '135');
const wrongCheckDigit = (id) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');

// The next `method` call to `pathname` answers this 422 instead of the server.
async function refuseOnce(page, pathname, method, errors) {
  let done = false;
  await page.route((u) => u.pathname === pathname, async (route) => {
    if (done || route.request().method() !== method) return route.fallback();
    done = true;
    await route.fulfill({
      status: 422, contentType: 'application/problem+json',
      body: JSON.stringify({ type: 'urn:baodao:problem:validation', title: '请求内容有误', status: 422, code: 'validation', errors }),
    });
  });
}

// Whether the element is inside the window (as the person sees it, not scrolled away).
const inView = (locator) => locator.evaluate((el) => {
  const r = el.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0;
});

const formItem = (scope, label) => scope.locator('.el-form-item', {
  has: scope.page().locator('.el-form-item__label', { hasText: new RegExp(`^${label}$`) }),
});

test('console 新增党员: gender from the ID number; the server\'s 422 under 手机号; an unknown field above the form', async (t) => {
  await withPage(t, env.browser, { width: 1440, height: 900 }, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.goto(`${env.srv.url}/admin/members`);
    await page.locator('[data-test="member-create"]').click();
    const dialog = page.getByRole('dialog', { name: '新增党员（代录）' });
    await dialog.getByLabel('姓名').fill('表单测试');
    await dialog.getByLabel('手机号').fill('1390000');
    await dialog.getByPlaceholder('18 位居民身份证号').fill(WOMAN);
    const gender = formItem(dialog, '性别');
    await seeText(gender.locator('.el-radio-button.is-active'), '女');
    await dialog.getByPlaceholder('18 位居民身份证号').fill(MAN);
    await seeText(gender.locator('.el-radio-button.is-active'), '男');

    // The real server: the phone's message under 手机号, the name kept.
    await dialog.locator('[data-test="member-save"]').click();
    await seeText(formItem(dialog, '手机号').locator('.el-form-item__error'), '11 位');
    assert.equal(await dialog.getByLabel('姓名').inputValue(), '表单测试');
    assert.equal(await dialog.locator('[data-test="form-problem"]').count(), 0, 'every error had its field');

    // A field the form does not have: said above the form; the known one still under its field.
    await dialog.getByLabel('手机号').fill('13900005001');
    await formItem(dialog, '手机号').locator('.el-form-item__error').waitFor({ state: 'detached' }); // editing clears it
    await refuseOnce(page, '/api/v1/members', 'POST', [
      { field: 'address', code: 'too_long', message: '最多 100 个字' },
      { field: 'referee', code: 'unknown', message: '不支持的字段' },
    ]);
    await dialog.locator('[data-test="member-save"]').click();
    await seeText(formItem(dialog, '详细地址').locator('.el-form-item__error'), '最多 100 个字');
    const problem = dialog.locator('[data-test="form-problem"]');
    await seeText(problem, 'referee：不支持的字段');
    assert.doesNotMatch(await problem.textContent(), /最多 100 个字/, 'the placed error is not repeated above');
  });
});

test('phone 报到: gender from the ID number; a refusal scrolls to the first error, focuses it, keeps the input', async (t) => {
  await withPage(t, env.browser, PHONE, async (page) => {
    await loginMobile(page, env.srv.url, 'member');
    await page.goto(`${env.srv.url}/m/report/new`);
    const form = page.locator('[data-test="report-form"]');
    await form.waitFor();
    await page.getByLabel('姓名').fill('王党员');
    await page.getByLabel('手机号').fill('13800000005');
    const id = page.getByLabel('身份证号');
    await id.fill(wrongCheckDigit(WOMAN));
    assert.equal(await form.getByRole('radio', { name: '女' }).getAttribute('aria-checked'), 'true', '女 from the ID number');
    // A gender chosen by hand stays when the number changes.
    await form.getByRole('radio', { name: '男' }).click();
    await id.fill(wrongCheckDigit(WOMAN).slice(0, 17) + '0');
    assert.equal(await form.getByRole('radio', { name: '男' }).getAttribute('aria-checked'), 'true');
    await id.fill(wrongCheckDigit(WOMAN));
    await page.getByLabel('详细地址').fill('华兴苑 3 栋 201');

    // At the bottom of the long form, the ID field is out of sight when 提交报到 is pressed.
    const submit = page.locator('[data-test="report-submit"]');
    await submit.scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const idField = page.locator('[data-test="id-field"]');
    assert.equal(await inView(idField), false, 'the ID field is scrolled away before the refusal');
    await submit.click();
    await seeText(idField.locator('.van-field__error-message'), '校验位');
    await page.waitForFunction(() => document.activeElement?.id === 'rf-id');
    assert.equal(await inView(idField), true, 'the first error is scrolled into view');
    assert.equal(await inView(idField.locator('.van-field__error-message')), true, 'and its message');
    const community = page.locator('[data-test="community-field"] .van-field__error-message');
    await seeText(community, '请选择报到社区');
    assert.equal(await page.getByLabel('姓名').inputValue(), '王党员');
    assert.equal(path(page), '/m/report/new');

    // An error for a field the form does not show: above the form, in view.
    await refuseOnce(page, '/api/v1/me/registration', 'POST', [
      { field: 'address', code: 'too_long', message: '最多 100 个字' },
      { field: 'channel', code: 'unknown', message: '不支持的字段' },
    ]);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await submit.click();
    const problem = page.locator('[data-test="form-problem"]');
    await seeText(problem, 'channel：不支持的字段');
    assert.equal(await inView(problem), true, 'the form-level message is scrolled into view');
    await seeText(page.locator('.van-field', { has: page.getByLabel('详细地址') }).locator('.van-field__error-message'), '最多 100 个字');
  });
});

test('phone 修改密码: the server\'s 422 under 新密码 and 当前密码; an unknown field above the form', async (t) => {
  await withPage(t, env.browser, PHONE, async (page) => {
    await loginMobile(page, env.srv.url, 'member');
    await page.goto(`${env.srv.url}/m/mine/password`);
    await page.getByLabel('当前密码').fill('Demo-baodao-2026');
    await page.getByLabel('新密码', { exact: true }).fill('short');
    await page.getByLabel('确认新密码').fill('short');
    await page.getByRole('button', { name: '修改密码' }).click();
    const newField = page.locator('.van-field', { has: page.getByLabel('新密码', { exact: true }) });
    await seeText(newField.locator('.van-field__error-message'), '至少 12 个字');
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'new_password'
      || document.activeElement?.closest('.van-field')?.querySelector('[name="new_password"]'));

    await page.getByLabel('当前密码').fill('not-my-password');
    await page.getByLabel('新密码', { exact: true }).fill('a-long-enough-password');
    await page.getByLabel('确认新密码').fill('a-long-enough-password');
    assert.equal(await newField.locator('.van-field__error-message').count(), 0, 'editing clears the error');
    await page.getByRole('button', { name: '修改密码' }).click();
    const oldField = page.locator('.van-field', { has: page.getByLabel('当前密码') });
    await seeText(oldField.locator('.van-field__error-message'), '原密码不正确');

    await refuseOnce(page, '/api/v1/me/password', 'PUT', [{ field: 'otp', code: 'required', message: '必须填写' }]);
    await page.getByLabel('当前密码').fill('Demo-baodao-2026');
    await page.getByRole('button', { name: '修改密码' }).click();
    await seeText(page.getByRole('alert'), 'otp：必须填写');
  });
});

test('phone login held sideways (大字模式): the refusal, above the form, is scrolled into view', async (t) => {
  await withPage(t, env.browser, { width: 740, height: 320, isMobile: true }, async (page) => {
    await page.goto(`${env.srv.url}/m/login`);
    await page.evaluate(() => localStorage.setItem('baodao.largeFont', '1'));
    await page.reload();
    await page.getByLabel('账号').fill('member');
    await page.getByLabel('密码').fill('not-the-password');
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const above = await page.locator('.ml-intro').evaluate((el) => el.getBoundingClientRect().bottom);
    assert.ok(above < 0, `where the message appears is scrolled away (${above})`);
    await page.getByRole('button', { name: '登录' }).click();
    const alert = page.getByRole('alert');
    await seeText(alert, '账号或密码错误');
    assert.equal(await inView(alert), true);
  });
});
