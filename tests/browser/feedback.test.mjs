// feedback.test.mjs (browser): the unit's 反馈表 in the console with its download, staff writing a comment the unit then reads, an org's units ranked
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { serverAndBrowser, withPage, loginConsole, seeText } from './helpers.mjs';
import { unzip } from '../lib/zip.mjs';

const env = serverAndBrowser({ demo: 'full' });

// axe-core finds no critical violation on the page as it stands.
async function accessible(page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  assert.deepEqual(violations.filter((v) => v.impact === 'critical').map((v) => v.id), [], 'no critical accessibility violations');
}

describe('feedback to units in the console', () => {
  test('the unit opens 单位反馈 from the menu: its members with tiers, flags and comments, and downloads the sheet', async (t) => {
    await withPage(t, env.browser, {}, async (page) => {
      await loginConsole(page, env.srv.url, 'unit');
      await page.locator('.cl-side').getByText('单位反馈').click();
      const table = page.locator('[data-test="feedback-table"]');
      await seeText(table, '陈建国');
      await seeText(table, '每月参加社区义诊');
      assert.ok(await page.locator('[data-test="below-tag"]').count() > 0, 'those below the minimum are marked');
      await seeText(page.locator('[data-test="feedback-counts"]'), '已有社区评语2');
      assert.equal(await page.locator('[data-test="comment-edit"]').count(), 0, 'a unit reads comments, never writes them');
      await accessible(page);
      const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="feedback-export"]').click()]);
      assert.match(dl.suggestedFilename(), /^feedback-2-\d{4}H[12]\.xlsx$/);
      const sheet = unzip(Buffer.from(await (await import('node:fs/promises')).readFile(await dl.path())))['xl/worksheets/sheet1.xml'].toString();
      assert.ok(sheet.includes('陈建国') && sheet.includes('社区评语'));
      // Only those below the minimum: the rows the API lists so, each marked.
      const below = await page.evaluate(async () => (await (await fetch('/api/v1/units/2/feedback?below=true')).json()).items.map((i) => i.name));
      assert.ok(below.length > 0 && !below.includes('陈建国'));
      await page.locator('[data-test="feedback-below"]').click();
      await page.waitForURL(/below=true/);
      await seeText(table, below[below.length - 1]);
      const names = await table.locator('tbody tr td:first-child').allTextContents();
      assert.deepEqual(names.map((n) => n.trim()), below);
      assert.equal(await page.locator('[data-test="below-tag"]').count(), below.length);
    });
  });

  test('staff write a comment on their member of a unit; the unit reads it', async (t) => {
    await withPage(t, env.browser, {}, async (page) => {
      await loginConsole(page, env.srv.url, 'staff');
      await page.goto(`${env.srv.url}/admin/feedback?unit=2`);
      const table = page.locator('[data-test="feedback-table"]');
      await seeText(table, '郑丽娟');
      assert.equal(await table.getByText('冯淑珍').count(), 0, '飞鹅新村社区\'s member is not theirs');
      await table.locator('tr', { hasText: '罗佳慧' }).locator('[data-test="comment-edit"]').click();
      const dialog = page.locator('[data-test="comment-dialog"]');
      await dialog.locator('textarea').waitFor();
      await accessible(page);
      await dialog.locator('textarea').fill('报到后积极参加楼道清理');
      await dialog.locator('[data-test="comment-save"]').click();
      await seeText(table.locator('tr', { hasText: '罗佳慧' }), '报到后积极参加楼道清理');
    });
    await withPage(t, env.browser, {}, async (page) => {
      await loginConsole(page, env.srv.url, 'unit');
      await page.goto(`${env.srv.url}/admin/feedback`);
      await seeText(page.locator('[data-test="feedback-table"]').locator('tr', { hasText: '罗佳慧' }), '报到后积极参加楼道清理');
    });
  });

  test('the org sees its street\'s units ranked and opens one\'s table', async (t) => {
    await withPage(t, env.browser, {}, async (page) => {
      await loginConsole(page, env.srv.url, 'org');
      await page.locator('.cl-side').getByText('单位排名').click();
      const table = page.locator('[data-test="ranked-table"]');
      await seeText(table, '三元里街社区卫生服务中心');
      assert.equal(await page.locator('.cl-side .is-active').textContent(), '单位排名');
      await accessible(page);
      await table.locator('tr', { hasText: '三元里街社区卫生服务中心' }).getByText('查看反馈表').click();
      await page.waitForURL(/\/admin\/feedback\?unit=2/);
      await seeText(page.locator('[data-test="feedback-table"]'), '陈建国');
    });
  });
});
