// cases-console.test.mjs: 问题诉求 in the console: the demo's queue with its SLA colours and counts; the water case accepted,
// assigned to the property company by name, updated with an internal note, resolved; the drain's timeline shows its duplicate
import { test } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { Client } from '../lib/server.mjs';
import { serverAndBrowser, withPage, loginConsole, seeText } from './helpers.mjs';

const WIDE = { width: 1440, height: 900 };
const SHILIUQIAO = '440111002011';
const env = serverAndBrowser({ demo: 'full' });

test('the queue coloured by its SLA; a case taken from 待受理 to 已处理 in its drawer', async (t) => {
  const staff = new Client(env.srv.url);
  await staff.login('staff');
  const open = (await staff.get(`/api/v1/cases?community=${SHILIUQIAO}&open=1`)).json;
  const water = open.items.find((k) => k.title === '5栋楼上水压低');
  const drain = open.items.find((k) => k.title === '3栋楼下下水道堵塞');
  assert.ok(water && drain, JSON.stringify(open.items.map((k) => k.title)));
  await withPage(t, env.browser, WIDE, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.goto(`${env.srv.url}/admin/cases`);
    const rows = page.locator('[data-test="cases-table"] .el-table__body tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), open.items.length);
    assert.equal(await page.locator('[data-test^="sla-"]').count(), open.items.filter((k) => k.sla).length);
    await seeText(page.locator('[data-test="case-state-filter"]'), `办理中${open.items.length}`);
    const { violations } = await new AxeBuilder({ page }).analyze();
    assert.deepEqual(violations.filter((v) => v.impact === 'critical').map((v) => v.id), []);

    // The drain: its timeline says the phoned-in duplicate was merged into it.
    await page.locator(`[data-test="case-${drain.id}"]`).click();
    await seeText(page.locator('[data-test="case-timeline"]'), '并入重复问题');
    await page.locator('[data-test="case-drawer"] .el-drawer__close-btn').click();

    // The water: accepted as urgent, to the property company, an internal note, resolved.
    await page.locator(`[data-test="case-${water.id}"]`).click();
    await page.locator('[data-test="case-accept"]').click();
    await page.locator('[data-test="case-dialog"]').getByText('紧急', { exact: true }).click();
    await page.locator('[data-test="case-send"]').click();
    await seeText(page.locator('.el-message--success'), '已受理');
    await page.locator('[data-test="case-assign"]').click();
    await page.locator('[data-test="case-party-name"]').fill('石榴桥物业服务中心');
    await page.locator('[data-test="case-send"]').click();
    await seeText(page.locator('[data-test="case-state"]'), '已指派');
    await page.locator('[data-test="case-update"]').click();
    await page.locator('[data-test="case-text"]').fill('二次供水泵房压力不够，已报维修');
    await page.locator('[data-test="case-dialog"]').getByText('仅内部可见').click();
    await page.locator('[data-test="case-send"]').click();
    await seeText(page.locator('[data-test="case-timeline"]'), '内部');
    await page.locator('[data-test="case-resolve"]').click();
    await page.locator('[data-test="case-text"]').fill('更换了加压泵，高峰时水压正常');
    await page.locator('[data-test="case-send"]').click();
    await seeText(page.locator('[data-test="case-state"]'), '已处理');
  });
  const after = (await staff.get(`/api/v1/cases/${water.id}`)).json;
  assert.deepEqual([after.state, after.priority, after.party_name], ['resolved', 'urgent', '石榴桥物业服务中心']);
  assert.ok(after.timeline.some((e) => e.kind === 'update' && !e.public));
});
