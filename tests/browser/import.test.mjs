// import.test.mjs: staff imports a CSV with errors (error table by row and column), then the valid rows; a corrected export updates a file
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
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

test('a sheet with 档案编号 corrects a file: the check lists the change, the commit writes only it', async (t) => {
  const staff = new Client(srv.url);
  await staff.login('staff');
  const id = idNumber('440111', '19790303', '468');
  const made = await staff.post('/api/v1/members', { name: '更正测试', phone: '13900003001', id_number: id, community_code: '440111002011', address: '旧地址' });
  assert.equal(made.status, 201, made.text);
  const f = made.json.member;
  const gender = f.gender === 'M' ? '男' : '女';
  // As the export writes it: the template's columns, the ID number masked; only the phone changed.
  const csv = ['档案编号,姓名,性别,手机号,身份证号,报到社区,详细地址,状态',
    `${f.id},更正测试,${gender},13900003002,${f.id_number_masked},石榴桥社区,旧地址,已报到`].join('\n') + '\n';

  await withPage(t, browser, { width: 1440, height: 900 }, async (page) => {
    await loginConsole(page, srv.url, 'staff');
    await page.goto(`${srv.url}/admin/import`);
    await seeText(page.locator('[data-test="round-trip"]'), '档案编号');
    await page.locator('[data-test="sheet-input"]').setInputFiles({ name: '党员名单.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.locator('[data-test="check"]').click();
    await seeText(page.locator('[data-test="sum-valid"]'), '1');
    await seeText(page.locator('[data-test="sum-update"]'), '1');
    await seeText(page.locator('[data-test="sum-create"]'), '0');
    const changes = page.locator('[data-test="sheet-changes"] .el-table__body tr');
    assert.equal(await changes.count(), 1);
    const cells = (await changes.first().locator('td').allTextContents()).map((x) => x.trim());
    assert.deepEqual(cells, ['2', String(f.id), '手机号']);
    await seeText(page.locator('[data-test="commit"]'), '写入 1 行（新建 0，更新 1）');
    await page.locator('[data-test="commit"]').click();
    await confirmBox(page, '写入 1 行（新建 0，更新 1）');
    await seeText(page.locator('[data-test="written"]'), '已写入 1 份党员档案');
    await seeText(page.locator('[data-test="written-detail"]'), '更新 1 份');
    const after = (await staff.get(`/api/v1/members/${f.id}`)).json.member;
    assert.equal(after.phone, '13900003002');
    assert.equal(after.address, '旧地址');

    // The same sheet again changes nothing, and says so instead of offering to write.
    await page.getByRole('button', { name: '再导入一个文件' }).click();
    await page.locator('[data-test="sheet-input"]').setInputFiles({ name: '党员名单.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.locator('[data-test="check"]').click();
    await seeText(page.locator('[data-test="sum-unchanged"]'), '1');
    await seeText(page.locator('[data-test="sheet-unchanged"]'), '第 2 行与现有记录一致');
    await seeText(page.locator('[data-test="nothing-to-write"]'), '没有需要写入的内容');
    assert.equal(await page.locator('[data-test="commit"]').count(), 0);
  });
});
