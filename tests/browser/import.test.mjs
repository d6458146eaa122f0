// import.test.mjs: staff imports a CSV with errors (error table by row and column), then the valid rows
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { requireBuild, launch, withPage, loginConsole, seeText, idNumber, confirmBox, WEB } from './helpers.mjs';

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

test('an import with errors shows the error table; the valid rows are imported and listed', async (t) => {
  const good1 = idNumber('440111', '19850512', '135');
  const good2 = idNumber('440111', '19880920', '246');
  const good3 = idNumber('440111', '19920101', '357');
  const badDigit = good3.slice(0, 17) + (good3[17] === '0' ? '1' : '0');
  const csv = [
    '姓名,手机号,身份证号',
    `导入测试甲,13900002001,${good1}`, // row 2: fine
    `导入测试乙,13900002002,${badDigit}`, // row 3: wrong check digit
    `导入测试丙,1390000,${good3}`, // row 4: bad phone
    `导入测试丁,13900002004,${good2}`, // row 5: fine
  ].join('\n') + '\n';

  await withPage(t, browser, { width: 1440, height: 900 }, async (page) => {
    await loginConsole(page, srv.url, 'staff');
    await page.locator('.cl-side').getByText('批量导入').click();
    await page.waitForURL(/\/admin\/import/);
    await page.locator('[data-test="template"]').waitFor();
    assert.equal(await page.locator('[data-test="check"]').isDisabled(), true, 'nothing to check before a file is chosen');

    await page.locator('[data-test="sheet-input"]').setInputFiles({ name: '党员导入.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await seeText(page.locator('[data-test="sheet-chosen"]'), '党员导入.csv');
    await page.locator('[data-test="check"]').click();

    // Step 2: the summary, the note that nothing was written, the errors by row and column.
    await seeText(page.locator('[data-test="sum-rows"]'), '4');
    await seeText(page.locator('[data-test="sum-valid"]'), '2');
    await seeText(page.locator('[data-test="sum-invalid"]'), '2');
    await seeText(page.locator('[data-test="nothing-written"]'), '不会写入任何数据');
    const table = page.locator('[data-test="sheet-errors"]');
    const header = await table.locator('thead th').allTextContents();
    assert.deepEqual(header.map((h) => h.trim()), ['行', '列', '问题']);
    const rows = await table.locator('.el-table__body tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
    assert.equal(rows.length, 2, JSON.stringify(rows));
    assert.deepEqual(rows.map((r) => [r[0], r[1]]), [['3', '身份证号'], ['4', '手机号']]);
    assert.match(rows[0][2], /校验位/);
    assert.match(rows[1][2], /\S/);

    // Nothing was written by the check.
    const before = await page.evaluate(async () => (await (await fetch('/api/v1/members?q=导入测试')).json()).total);
    assert.equal(before, 0, 'the check writes nothing');

    // Step 3: import the valid rows.
    await seeText(page.locator('[data-test="commit"]'), '导入有效的 2 行');
    await page.locator('[data-test="commit"]').click();
    await confirmBox(page, '导入有效的 2 行');
    await seeText(page.locator('[data-test="written"]'), '已写入 2 份党员档案');

    // The member list shows them (staff imports are approved at once).
    await page.getByRole('link', { name: '查看党员档案' }).click();
    await page.waitForURL(/\/admin\/members/);
    await page.getByLabel('关键词').fill('导入测试');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.waitForURL(/q=/);
    const list = page.locator('[data-test="members-table"] .el-table__body-wrapper');
    await seeText(list, '导入测试甲');
    await seeText(list, '导入测试丁');
    assert.equal(await list.locator('tr', { hasText: '导入测试乙' }).count(), 0);
    assert.equal(await list.locator('tr').count(), 2);
    await seeText(list.locator('tr', { hasText: '导入测试甲' }), '已报到');

    // 导出 Excel asks for the same filters and saves an .xlsx.
    const [request, download] = await Promise.all([
      page.waitForRequest((r) => r.url().includes('/api/v1/members/export.xlsx')),
      page.waitForEvent('download'),
      page.locator('[data-test="members-export"]').click(),
    ]);
    assert.equal(new URL(request.url()).searchParams.get('q'), '导入测试');
    assert.match(download.suggestedFilename(), /\.xlsx$/);
    const bytes = await (await download.createReadStream()).toArray();
    assert.equal(Buffer.concat(bytes).subarray(0, 2).toString(), 'PK', 'an .xlsx (zip) file');
  });
});
