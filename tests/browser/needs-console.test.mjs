// needs-console.test.mjs: the console's 需求清单 against the real server and the full demo: the queue urgent first and
// coloured by its time limits, a need accepted, one dispatched from the suggestions in one click, one entered for a resident (代录)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { Client } from '../lib/server.mjs';
import { serverAndBrowser, withPage, loginConsole, seeText } from './helpers.mjs';

const SHILIUQIAO = '440111002011';
const WIDE = { width: 1280, height: 900 };
const env = serverAndBrowser({ demo: 'full' });
const rowsOf = (page) => page.locator('[data-test="needs-table"] .el-table__body-wrapper .el-table__row');

async function staffClient() {
  const c = new Client(env.srv.url);
  await c.login('staff');
  return c;
}
const needsOf = async (c, q = '') => (await c.get(`/api/v1/needs?community=${SHILIUQIAO}${q}`)).json;

test('the queue: urgent first, time limits coloured, accept and dispatch from the suggestions, 代录', async (t) => {
  const staff = await staffClient();
  const before = await needsOf(staff);
  const submitted = before.items.find((n) => n.state === 'submitted');
  const accepted = before.items.find((n) => n.state === 'accepted');
  await withPage(t, env.browser, WIDE, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.goto(`${env.srv.url}/admin/needs`);
    const rows = rowsOf(page);
    await rows.first().waitFor();
    assert.equal(await rows.count(), before.items.length);
    await seeText(rows.first(), '急');
    assert.equal(await page.locator('[data-test="sla-ok"]').count() + await page.locator('[data-test="sla-soon"]').count()
      + await page.locator('[data-test="sla-late"]').count(), before.items.filter((n) => n.sla).length);
    await seeText(page.locator('[data-test="need-state"]'), `待办${before.items.length}`);
    const { violations } = await new AxeBuilder({ page }).analyze();
    assert.deepEqual(violations.filter((v) => v.impact === 'critical').map((v) => v.id), []);

    // Accept the one waiting.
    await page.locator(`[data-test="need-${submitted.id}"]`).click();
    await page.locator('[data-test="need-accept"]').click();
    await seeText(page.locator('.el-message--success'), '已受理');
    assert.equal((await staff.get(`/api/v1/needs/${submitted.id}`)).json.state, 'accepted');
    await page.locator('[data-test="need-drawer"] .el-drawer__close-btn').click();

    // Dispatch the accepted one: the suggestions say why; one click sends it.
    await page.locator(`[data-test="need-${accepted.id}"]`).click();
    const list = page.locator('[data-test="need-suggestions"] li');
    await list.first().waitFor();
    const expected = (await staff.get(`/api/v1/needs/${accepted.id}/suggestions`)).json.items;
    assert.ok(expected.length > 0);
    await seeText(list.first(), expected[0].name);
    await seeText(list.first(), expected[0].reasons[0].text);
    await list.first().locator('[data-test="suggest-dispatch"]').click();
    await seeText(page.locator('.el-message--success'), `已派给 ${expected[0].name}`);
    const sent = (await staff.get(`/api/v1/needs/${accepted.id}`)).json;
    assert.deepEqual([sent.state, sent.assignee_name], ['dispatched', expected[0].name]);
    await seeText(page.locator('[data-test="need-timeline"]'), '派单');
    await page.locator('[data-test="need-drawer"] .el-drawer__close-btn').click();

    // 代录: a resident phoned in.
    await page.locator('[data-test="need-enter"]').click();
    const form = page.locator('[data-test="need-form"]');
    await form.locator('[data-test="nf-item"]').click();
    await page.locator('.el-select-dropdown__item', { hasText: '义务理发' }).click();
    await form.locator('[data-test="nf-desc"]').fill('卧床的老伴头发长了，想请师傅上门理发');
    await form.locator('[data-test="nf-place"]').fill('7栋301');
    await form.locator('[data-test="nf-contact"]').fill('何阿姨');
    await form.locator('[data-test="nf-phone"]').fill('13900001234');
    await page.locator('[data-test="nf-save"]').click();
    await seeText(page.locator('.el-message--success'), '需求已登记');
    const after = await needsOf(staff);
    const entered = after.items.find((n) => n.contact_name === '何阿姨');
    assert.ok(entered, JSON.stringify(after.items.map((n) => n.contact_name)));
    assert.deepEqual([entered.channel, entered.state, entered.item_name, entered.place], ['phone', 'submitted', '义务理发', '7栋301']);
    await seeText(page.locator('[data-test="need-drawer"]'), '卧床的老伴头发长了');
  });
});
