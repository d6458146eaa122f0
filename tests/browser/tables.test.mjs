// tables.test.mjs: at 1440×900 the approval queue's pinned 操作 column covers no column, and the member list shows 更新时间 whole
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '../lib/server.mjs';
import { serverAndBrowser, withPage, loginConsole, idNumber } from './helpers.mjs';

const env = serverAndBrowser({}, async (srv) => {
  // A pending report-in for the queue (the member's own), and a unit's for a long unit name.
  const member = new Client(srv.url);
  await member.login('member');
  const r = await member.post('/api/v1/me/registration', {
    name: '王党员', phone: '13800000005', id_number: idNumber('440111', '19900307', '123'), community_code: '440111002011',
    unit_id: 2, plaque_hung: false,
  });
  assert.equal(r.status, 201, r.text);
});

const WIDE = { width: 1440, height: 900 };

// For every column of the table's first row and its header: where it is, whether its text is
// cut (the cell's content wider than the cell, or on more than one line) and whether it is pinned.
function columns(page, selector) {
  return page.evaluate((sel) => {
    const table = document.querySelector(sel);
    const visible = table.querySelector('.el-table__body-wrapper').getBoundingClientRect();
    const lines = (el) => {
      const r = document.createRange();
      r.selectNodeContents(el);
      return new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top))).size;
    };
    const head = [...table.querySelectorAll('.el-table__header th')];
    const row = [...table.querySelector('.el-table__body tr').querySelectorAll('td')];
    return head.map((th, i) => {
      const td = row[i];
      const cell = td.querySelector('.cell');
      const box = td.getBoundingClientRect();
      return {
        name: th.textContent.trim(), left: box.left, right: box.right, visibleRight: visible.right,
        pinned: /fixed-column/.test(td.className), text: cell.textContent.trim(),
        clipped: cell.scrollWidth > cell.clientWidth, lines: lines(cell),
        buttonRows: new Set([...td.querySelectorAll('button')].map((b) => Math.round(b.getBoundingClientRect().top))).size,
        headClipped: th.querySelector('.cell').scrollWidth > th.querySelector('.cell').clientWidth,
      };
    });
  }, selector);
}

// Staff opens the page and waits for the member's row: its table's columns.
async function openTable(page, url, table) {
  await loginConsole(page, env.srv.url, 'staff');
  await page.goto(`${env.srv.url}${url}`);
  await page.locator(`${table} .el-table__row`, { hasText: '王党员' }).waitFor();
  return columns(page, table);
}

test('approval queue at 1440 px: 提交时间 and every other column are clear of the pinned 操作 column', async (t) => {
  await withPage(t, env.browser, WIDE, async (page) => {
    const cols = await openTable(page, '/admin/approvals', '[data-test="approvals-table"]');
    const actions = cols.find((c) => c.name === '操作');
    assert.ok(actions?.pinned, '操作 is pinned to the right');
    const submitted = cols.find((c) => c.name === '提交时间');
    assert.match(submitted.text, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    for (const c of cols.filter((x) => !x.pinned)) {
      assert.ok(c.right <= actions.left + 0.5, `${c.name} (${c.left}–${c.right}) ends before 操作 (${actions.left})`);
      assert.equal(c.headClipped, false, `${c.name}'s header is whole`);
    }
    assert.equal(submitted.clipped, false, '提交时间 is not cut');
    assert.equal(submitted.lines, 1, '提交时间 on one line');
    assert.equal(actions.buttonRows, 1, '通过 and 不通过 side by side');
    assert.ok(actions.right <= actions.visibleRight + 0.5, '操作 inside the table');
    // Nothing to scroll sideways: the whole row is on the screen.
    const scroll = await page.locator('[data-test="approvals-table"] .el-table__body-wrapper .el-scrollbar__wrap')
      .evaluate((w) => w.scrollWidth - w.clientWidth);
    assert.ok(scroll <= 1, `no sideways scrolling (${scroll} px)`);
  });
});

test('member list at 1440 px: 更新时间 is on the screen, whole and on one line', async (t) => {
  await withPage(t, env.browser, WIDE, async (page) => {
    const cols = await openTable(page, '/admin/members', '[data-test="members-table"]');
    const updated = cols.find((c) => c.name === '更新时间');
    assert.match(updated.text, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    assert.ok(updated.right <= updated.visibleRight + 0.5, `更新时间 (${updated.left}–${updated.right}) inside the visible table (${updated.visibleRight})`);
    assert.equal(updated.clipped, false, '更新时间 is not cut');
    assert.equal(updated.lines, 1, '更新时间 on one line');
    for (const c of cols) assert.equal(c.headClipped, false, `${c.name}'s header is whole`);
    for (const c of cols.filter((x) => ['手机号', '身份证号'].includes(x.name))) {
      assert.equal(c.clipped || c.lines > 1, false, `${c.name} whole on one line`);
    }
  });
});
