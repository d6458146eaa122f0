// chars.test.mjs: text limits count characters as the server does, in the console (CharInput) and on the phone
// (CharField): a name of 50 × '𠀀' (U+20000, two UTF-16 units) is taken whole, the 51st is not, the counter says
// 50 / 50 and the server keeps every character; a reason typed in 4-byte characters up to its 200
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '../lib/server.mjs';
import { serverAndBrowser, withPage, loginConsole, loginMobile, seeText, idNumber } from './helpers.mjs';

const BIG = '\u{20000}'; // '𠀀': one character, 2 UTF-16 units, 4 bytes
const PHONE = { width: 390, height: 844, isMobile: true };
const MEMBER = '13800001011'; // 陈建国, 石榴桥社区, report-in approved, with confirmed records (demo)
const env = serverAndBrowser({ demo: 'full' });

// Types text one character at a time, as a keyboard or an input method would (a maxlength counting UTF-16
// units refuses these inserts; a page's own cut would show here too).
async function typeChars(page, text) {
  for (const ch of text) await page.keyboard.insertText(ch);
}

// Typed one by one into field, n × 𠀀 are all taken and count says "n / n"; then neither one more nor a character
// in front is taken (the last one is not pushed out).
async function typeToLimit(page, field, count, n) {
  await field.click();
  await typeChars(page, BIG.repeat(n));
  assert.equal(await field.inputValue(), BIG.repeat(n), `all ${n} taken`);
  await seeText(count, `${n} / ${n}`);
  await typeChars(page, BIG);
  assert.equal(await field.inputValue(), BIG.repeat(n), `the ${n + 1}st is not taken`);
  await page.keyboard.press('Home');
  await typeChars(page, '王');
  assert.equal(await field.inputValue(), BIG.repeat(n), 'nor one in front: nothing lost at the end');
}

const formItem = (scope, label) => scope.locator('.el-form-item', {
  has: scope.page().locator('.el-form-item__label', { hasText: new RegExp(`^${label}$`) }),
});
const vanCell = (page, inputId) => page.locator('.van-field', { has: page.locator(`#${inputId}`) });

test('console 新增党员: a name of 50 × 𠀀 is taken whole, the 51st is not, 50 / 50; saved and read back whole', async (t) => {
  await withPage(t, env.browser, { width: 1440, height: 900 }, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.goto(`${env.srv.url}/admin/members`);
    await page.locator('[data-test="member-create"]').click();
    const dialog = page.getByRole('dialog', { name: '新增党员（代录）' });
    const name = dialog.getByLabel('姓名');
    const count = formItem(dialog, '姓名').locator('.el-input__count');

    await typeToLimit(page, name, count, 50);
    // Pasted at once: what fits, whole characters.
    await name.fill('');
    await seeText(count, '0 / 50');
    await page.keyboard.insertText(`王${BIG.repeat(50)}`);
    assert.equal(await name.inputValue(), `王${BIG.repeat(49)}`);
    await seeText(count, '50 / 50');
    await name.fill('');
    await typeChars(page, BIG.repeat(51));
    assert.equal(await name.inputValue(), BIG.repeat(50));

    // Another field of the form, address (100): 100 × 𠀀, 100 / 100.
    const address = formItem(dialog, '详细地址');
    await address.locator('input').click();
    await page.keyboard.insertText(BIG.repeat(101));
    assert.equal(await address.locator('input').inputValue(), BIG.repeat(100));
    await seeText(address.locator('.el-input__count'), '100 / 100');

    await dialog.getByLabel('手机号').fill('13900007001');
    await dialog.getByPlaceholder('18 位居民身份证号').fill(idNumber('440111', '19880512', '135'));
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/members') && r.request().method() === 'POST');
    await dialog.locator('[data-test="member-save"]').click();
    const res = await saved;
    assert.equal(res.status(), 201, await res.text());
    const id = (await res.json()).member.id;

    const staff = new Client(env.srv.url);
    await staff.login('staff');
    const back = (await staff.get(`/api/v1/members/${id}`)).json.member;
    assert.equal(back.name, BIG.repeat(50), 'the server has every character of the name');
    assert.equal(back.address, BIG.repeat(100));
  });
});

test('phone 报到: a name of 50 × 𠀀 is taken whole, the 51st is not, 50 / 50 next to it; the file has the whole name', async (t) => {
  await withPage(t, env.browser, PHONE, async (page) => {
    await loginMobile(page, env.srv.url, 'member');
    await page.goto(`${env.srv.url}/m/report/new`);
    const form = page.locator('[data-test="report-form"]');
    await form.waitFor();
    const name = page.getByLabel('姓名');
    const count = vanCell(page, 'rf-name').locator('[data-test="char-count"]');

    await name.fill('');
    await seeText(count, '0 / 50');
    await typeToLimit(page, name, count, 50);
    // The counter sits on the input's line, and the form still fits the phone's width.
    const [input, counter] = [await name.boundingBox(), await count.boundingBox()];
    assert.ok(counter.y < input.y + input.height && counter.y + counter.height > input.y, 'counter beside the input');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scroll');

    await page.getByLabel('手机号').fill('13800000005');
    await page.getByLabel('身份证号').fill(idNumber('440111', '19900307', '123'));
    await form.getByRole('radio', { name: '男' }).click();
    await page.locator('[data-test="community-field"]').click();
    await page.locator('[data-test="community-search"] input').fill('石榴桥');
    await page.getByRole('button', { name: '选择 石榴桥社区' }).click();
    await page.locator('[data-test="report-submit"]').click();
    await page.waitForURL(/\/m\/report$/);
    await seeText(page.locator('[data-test="report-status"]'), '等待社区审核');

    const me = new Client(env.srv.url);
    await me.login('member');
    assert.equal((await me.get('/api/v1/me/member')).json.member.name, BIG.repeat(50), 'the server has every character');
  });
});

test('phone 申请更正: a reason of 200 × 𠀀 in the textarea, the 201st refused, 200 / 200 under it; the request keeps it whole', async (t) => {
  await withPage(t, env.browser, PHONE, async (page) => {
    await loginMobile(page, env.srv.url, MEMBER);
    const c = new Client(env.srv.url);
    await c.login(MEMBER);
    const rec = (await c.get('/api/v1/me/records?state=confirmed')).json.items.find((r) => !r.open_request_id);
    assert.ok(rec, 'a confirmed record without a request (demo)');
    await page.goto(`${env.srv.url}/m/records/${rec.id}`);
    await page.locator('[data-test="ask"]').click();
    const form = page.locator('[data-test="ask-form"]');
    await form.waitFor();
    const reason = page.locator('#rv-ask-reason');
    const count = vanCell(page, 'rv-ask-reason').locator('[data-test="char-count"]');

    await seeText(count, '0 / 200');
    await typeToLimit(page, reason, count, 200);
    const [area, counter] = [await reason.boundingBox(), await count.boundingBox()];
    assert.ok(counter.y >= area.y + area.height - 1, 'the counter is under the textarea');

    await page.locator('#rv-ask-minutes').fill('180');
    await form.locator('[data-test="ask-submit"]').click();
    await form.waitFor({ state: 'hidden' });
    const after = (await c.get(`/api/v1/records/${rec.id}`)).json;
    assert.equal(after.requests[0].reason, BIG.repeat(200), 'the server has every character of the reason');
  });
});
