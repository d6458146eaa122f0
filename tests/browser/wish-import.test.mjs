// wish-import.test.mjs: 批量录入微心愿 → 上传表格 in the browser: a sheet with a bad row is checked (its row and column shown,
// no 确认导入), the corrected sheet is checked and, with the beneficiaries' consent, imported; the wishes wait for review
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, withPage, loginConsole, seeText } from './helpers.mjs';

const WIDE = { width: 1280, height: 900 };
const env = serverAndBrowser({ demo: 'full' });
const HEADER = '受益人,联系电话,心愿内容,价值上限(元),服务类别,截止日期,备注';
const sheet = (rows) => ({ name: '微心愿.csv', mimeType: 'text/csv', buffer: Buffer.from([HEADER, ...rows].join('\n')) });
const rowOf = (page, title) => page.locator('[data-test="wishes-table"] .el-table__body-wrapper .el-table__row', { hasText: title });

test('staff upload a sheet of wishes: the bad row named, nothing written until it is right, then every row at once', async (t) => {
  await withPage(t, env.browser, WIDE, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.goto(`${env.srv.url}/admin/wishes`);
    await page.locator('.el-menu-item', { hasText: '微心愿' }).waitFor();
    await page.locator('[data-test="wish-bulk-open"]').click();
    const dlg = page.locator('[data-test="wish-bulk"]');
    await dlg.getByText('上传表格', { exact: true }).click();
    const ws = dlg.locator('[data-test="wish-sheet"]');
    await ws.locator('[data-test="sheet-input"]').setInputFiles(sheet(['孙阿姨,,一台电风扇,150,,,', '钱伯,,一副拐杖,30000,,,']));
    await ws.locator('[data-test="ws-check"]').click();
    await seeText(ws.locator('[data-test="ws-fix"]'), '改正后重新选择文件');
    const errors = ws.locator('[data-test="sheet-errors"] .el-table__body-wrapper .el-table__row');
    assert.equal(await errors.count(), 1);
    await seeText(errors.first(), '价值上限');
    assert.equal(await errors.first().locator('td').first().innerText(), '3', 'the row as in Excel');
    assert.equal(await ws.locator('[data-test="ws-commit"]').count(), 0, 'no 确认导入 while a row is bad');

    await ws.locator('[data-test="sheet-input"]').setInputFiles(sheet(['孙阿姨,,一台电风扇,150,,,', '钱伯,,一副拐杖,300,,,']));
    await ws.locator('[data-test="ws-check"]').click();
    const commit = ws.locator('[data-test="ws-commit"]');
    await seeText(commit, '确认导入（2 条）');
    await commit.click();
    await seeText(page.locator('.el-message--error'), '须经受益人同意');
    await dlg.locator('[data-test="wb-consent"]').click();
    await commit.click();
    await seeText(ws.locator('[data-test="ws-done"]'), '已录入 2 条微心愿');
    await dlg.getByRole('button', { name: '关闭', exact: true }).last().click();
    await dlg.waitFor({ state: 'hidden' });
    for (const title of ['一台电风扇', '一副拐杖']) await seeText(rowOf(page, title).locator('[data-test="wish-state"]'), '待审核');
  });
});
