// serving-console.test.mjs: the console's serving pages against the real server: the confirmation queue (bulk,
// reject, minutes before confirming, answers to requests), a member's service on their file, the workbench's figures
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { Client } from '../lib/server.mjs';
import { serverAndBrowser, withPage, loginConsole, seeText, idNumber } from './helpers.mjs';

const SHILIUQIAO = '440111002011';
const WIDE = { width: 1280, height: 900 };
const HOUR = 3600;
const DAY = 86400;
const PEOPLE = 12;
const EACH = 10; // records per person: 120 waiting, more than one page of 100

async function client(srv, login, password) {
  const c = new Client(srv.url);
  await c.login(login, password);
  return c;
}
async function get(c, p) {
  const r = await c.get(`/api/v1${p}`);
  assert.equal(r.status, 200, `${p}: ${r.text}`);
  return r.json;
}
const rowsOf = (page, table) => page.locator(`[data-test="${table}"] .el-table__body-wrapper .el-table__row`);
// Minutes as the pages say them (serving.js formatMinutes).
const said = (n) => [Math.floor(n / 60) && `${Math.floor(n / 60)} 小时`, n % 60 && `${n % 60} 分钟`].filter(Boolean).join(' ') || '0 分钟';
const pagerTotal = async (page) => Number(((await page.locator('.el-pagination__total').textContent()) || '').replace(/\D/g, ''));
async function axe(t, page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  for (const v of violations) t.diagnostic(`${v.impact} ${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  assert.deepEqual(violations.filter((v) => v.impact === 'critical').map((v) => v.id), [], 'no critical accessibility violations');
}
// The table fits the page at 1280 px: no sideways scrolling, no cell cut.
async function fits(page, table) {
  const box = await page.locator(`[data-test="${table}"]`).evaluate((el) => {
    const wrap = el.querySelector('.el-table__body-wrapper .el-scrollbar__wrap');
    const cut = [...el.querySelectorAll('.el-table__body td .cell')].filter((c) => c.scrollWidth > c.clientWidth + 1
      && !c.querySelector('.rv-ellipsis')).map((c) => c.textContent.trim());
    return { scroll: wrap.scrollWidth - wrap.clientWidth, cut, right: el.getBoundingClientRect().right, width: document.documentElement.clientWidth };
  });
  assert.ok(box.scroll <= 1, `no sideways scrolling (${box.scroll} px)`);
  assert.deepEqual(box.cut, [], 'no cell is cut');
  assert.ok(box.right <= box.width, 'the table ends inside the window');
}

describe('服务记录: the confirmation queue, requests, the member file, the workbench', () => {
  const made = { members: [], day0: 0, demoPending: 0 };
  // The full demo (陈建国 and 黄志强 with records in every state, a request waiting), and 12 files typed in by staff
  // with 10 pending records each, one a day at 09:00 China time from 40 days ago.
  const env = serverAndBrowser({ demo: 'full' }, async (srv) => {
    const staff = await client(srv, 'staff');
    // Two items without extra fields: 义务理发 and 门岗值守.
    const { items } = await get(staff, '/catalog');
    const [haircut, gate] = ['G07', 'P04'].map((code) => items.find((i) => i.code === code));
    assert.deepEqual([haircut.fields, gate.fields], [[], []]);
    made.demoPending = (await get(staff, '/records?state=pending&per_page=1')).total;
    const now = Math.floor(Date.now() / 1000);
    made.day0 = now - ((now + 8 * HOUR) % DAY) - 40 * DAY; // 00:00 China time, 40 days ago
    for (let p = 0; p < PEOPLE; p++) {
      const r = await staff.post('/api/v1/members', {
        name: `服务${String.fromCharCode(0x7532 + p)}`, phone: `1390002${String(1000 + p)}`,
        id_number: idNumber('440111', '19800101', String(300 + p * 2)), community_code: SHILIUQIAO,
      });
      assert.equal(r.status, 201, r.text);
      made.members.push(r.json.member);
    }
    for (let d = 0; d < EACH; d++) {
      for (const m of made.members) {
        const r = await staff.post('/api/v1/records', {
          member_id: m.id, item_id: d % 2 ? gate.id : haircut.id, started_at: made.day0 + d * DAY + 9 * HOUR, minutes: 60 + d * 10,
          place: '石榴桥社区党群服务中心', content: `第 ${d + 1} 天的服务`,
        });
        assert.equal(r.status, 201, r.text);
      }
    }
  });

  test('the queue: oldest first, 100 a page; the page selected and confirmed in two clicks; the figures are the API\'s', async (t) => {
    const staff = await client(env.srv, 'staff');
    await withPage(t, env.browser, WIDE, async (page) => {
      await loginConsole(page, env.srv.url, 'staff');
      await page.goto(`${env.srv.url}/admin/records`);
      const rows = rowsOf(page, 'records-table');
      await rows.first().waitFor();
      const before = await get(staff, '/records?state=pending&per_page=100');
      assert.equal(before.total, PEOPLE * EACH + made.demoPending, '120 typed in and the demo\'s');
      assert.equal(await rows.count(), 100);
      assert.equal(await pagerTotal(page), before.total);
      // Oldest first, as the server orders the queue.
      const names = (await rows.locator('td:nth-child(2)').allTextContents()).map((s) => s.trim());
      assert.deepEqual(names, before.items.map((r) => r.member_name));
      await fits(page, 'records-table');
      await axe(t, page);

      // Two clicks: the header's box selects the page, the button confirms it.
      await page.locator('[data-test="records-table"] .el-table__header .el-checkbox').click();
      const sum = before.items.reduce((n, r) => n + r.total_minutes, 0);
      await seeText(page.locator('[data-test="confirm-selected"]'), `确认选中（100）· 共 ${said(sum)}`);
      await page.locator('[data-test="confirm-selected"]').click();
      await seeText(page.locator('.el-message--success'), '已确认 100 条服务记录');
      await seeText(page.locator('.el-pagination__total'), String(before.total - 100));
      const after = await get(staff, '/records?state=pending&per_page=100');
      assert.equal(after.total, before.total - 100);
      const confirmed = new Set(before.items.map((r) => r.id));
      assert.ok(after.items.every((r) => !confirmed.has(r.id)), 'none of the confirmed page waits any more');
      for (const id of [before.items[0].id, before.items[99].id]) {
        const r = await get(staff, `/records/${id}`);
        assert.equal(r.state, 'confirmed');
        assert.ok(r.timeline.some((e) => e.event === 'confirm' && e.by === '石榴桥社区党委 李社工'));
      }
      assert.equal(await rows.count(), after.total);
    });
  });

  test('the queue\'s filters (member, dates, state) are the API\'s, kept in the URL', async (t) => {
    const staff = await client(env.srv, 'staff');
    const who = made.members[5];
    await withPage(t, env.browser, WIDE, async (page) => {
      await loginConsole(page, env.srv.url, 'staff');
      await page.goto(`${env.srv.url}/admin/records?state=all`);
      await rowsOf(page, 'records-table').first().waitFor();
      await page.locator('#rf-member').fill(who.name);
      await page.getByRole('option', { name: new RegExp(who.name) }).click();
      const from = new Date((made.day0 + 2 * DAY + 8 * HOUR) * 1000).toISOString().slice(0, 10);
      const to = new Date((made.day0 + 5 * DAY + 8 * HOUR) * 1000).toISOString().slice(0, 10);
      await page.locator('#rf-days-from').fill(from);
      await page.locator('#rf-days-to').fill(to);
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: '搜索' }).click();
      await page.waitForURL((u) => u.searchParams.get('member_id') === String(who.id) && u.searchParams.get('from') === from);
      const api = await get(staff, `/records?member_id=${who.id}&from=${made.day0 + 2 * DAY}&to=${made.day0 + 6 * DAY}`);
      assert.equal(api.total, 4, 'days 3 to 6 of their 10');
      await seeText(page.locator('.el-pagination__total'), `共 ${api.total} 条`);
      const rows = rowsOf(page, 'records-table');
      assert.equal(await rows.count(), api.total);
      for (const [i, r] of api.items.entries()) await seeText(rows.nth(i), r.content);
      // A reload keeps the filters, and the member's name.
      await page.reload();
      await seeText(page.locator('[data-test="filter-member"]'), who.name);
      await seeText(page.locator('.el-pagination__total'), `共 ${api.total} 条`);
      // 已确认: those of the four the first test confirmed.
      await page.locator('[data-test="state-filter"]').getByText('已确认').click();
      const done = await get(staff, `/records?member_id=${who.id}&state=confirmed&from=${made.day0 + 2 * DAY}&to=${made.day0 + 6 * DAY}`);
      await seeText(page.locator('.el-pagination__total'), `共 ${done.total} 条`);
      assert.equal(await rows.count(), done.total);
    });
  });

  test('minutes fixed with a reason before confirming: the server\'s refusal at its field, then 保存并确认', async (t) => {
    const staff = await client(env.srv, 'staff');
    const { items: [first] } = await get(staff, '/records?state=pending&per_page=1');
    await withPage(t, env.browser, WIDE, async (page) => {
      await loginConsole(page, env.srv.url, 'staff');
      await page.goto(`${env.srv.url}/admin/records`);
      const row = rowsOf(page, 'records-table').first();
      await seeText(row, first.member_name);
      await row.locator('[data-test="minutes-btn"]').click();
      const dialog = page.getByRole('dialog', { name: '修改时长' });
      await seeText(dialog.locator('[data-test="change-what"]'), first.member_name);
      // The same minutes as now: the server refuses, at the minutes' field, in its words.
      await dialog.locator('[data-test="change-text"]').fill('按签到表核对');
      await dialog.locator('[data-test="change-submit"]').click();
      const error = dialog.locator('.el-form-item.is-error .el-form-item__error');
      await error.waitFor();
      const refused = await staff.post(`/api/v1/records/${first.id}/minutes`, { minutes: first.minutes, reason: '按签到表核对' });
      assert.equal(refused.status, 422);
      const words = refused.json.errors.find((e) => e.field === 'minutes');
      assert.match(words.message, /[\u4e00-\u9fff]/, 'the server says it in Chinese');
      await seeText(error, words.message);
      assert.equal((await get(staff, `/records/${first.id}`)).state, 'pending', 'nothing changed');

      await dialog.locator('[data-test="change-hours"] input').fill('2');
      await dialog.locator('[data-test="change-mins"] input').fill('15');
      await dialog.locator('[data-test="change-mins"] input').blur();
      await dialog.locator('[data-test="change-submit"]').click();
      await seeText(page.locator('.el-message--success'), `已修改时长并确认 ${first.member_name} 的服务记录`);
      const r = await get(staff, `/records/${first.id}`);
      assert.deepEqual([r.state, r.minutes], ['confirmed', 135]);
      const ev = r.timeline.find((e) => e.event === 'minutes');
      assert.match(ev.note, /按签到表核对/);
    });
  });

  test('reject with a reason: required before sending, then the record leaves the queue with it', async (t) => {
    const staff = await client(env.srv, 'staff');
    const { items: [first] } = await get(staff, '/records?state=pending&per_page=1');
    await withPage(t, env.browser, WIDE, async (page) => {
      await loginConsole(page, env.srv.url, 'staff');
      await page.goto(`${env.srv.url}/admin/records`);
      const row = rowsOf(page, 'records-table').first();
      await seeText(row, first.content);
      await row.locator('[data-test="reject"]').click();
      const dialog = page.getByRole('dialog', { name: '退回服务记录' });
      await dialog.locator('[data-test="change-submit"]').click();
      await seeText(dialog.locator('.el-form-item__error'), '请写明原因');
      assert.equal((await get(staff, `/records/${first.id}`)).state, 'pending');
      await dialog.locator('[data-test="change-text"]').fill('当天没有安排该项服务，请核实后重新填报');
      await dialog.locator('[data-test="change-submit"]').click();
      await seeText(page.locator('.el-message--success'), `已退回 ${first.member_name} 的服务记录`);
      const r = await get(staff, `/records/${first.id}`);
      assert.deepEqual([r.state, r.reason], ['rejected', '当天没有安排该项服务，请核实后重新填报']);
      await page.locator('[data-test="state-filter"]').getByText('已退回').click();
      await rowsOf(page, 'records-table').first().waitFor();
      await rowsOf(page, 'records-table').filter({ hasText: first.content }).filter({ hasText: first.member_name }).first().click();
      const drawer = page.locator('[data-test="record-drawer"]');
      await seeText(drawer.locator('[data-test="record-state"]'), '已退回');
      await seeText(drawer, '退回原因：当天没有安排该项服务');
      await axe(t, page);
    });
  });

  test('更正申请: accepted with the minutes asked (a correction is made), declined only with an answer', async (t) => {
    const staff = await client(env.srv, 'staff');
    const member = await client(env.srv, '13800001011'); // 陈建国
    // He asks again about his confirmed 义诊 (not about minutes).
    const { items: mine } = await get(member, '/me/records?state=confirmed');
    const yizhen = mine.find((r) => r.item_name === '义诊');
    const asked = await member.post(`/api/v1/records/${yizhen.id}/requests`, { reason: '服务人数应为 30 人' });
    assert.equal(asked.status, 201, asked.text);
    const waiting = await get(staff, '/record-requests?state=asked');
    assert.equal(waiting.total, 2);
    await withPage(t, env.browser, WIDE, async (page) => {
      await loginConsole(page, env.srv.url, 'staff');
      await page.goto(`${env.srv.url}/admin/records`);
      await seeText(page.locator('[data-test="nav-requests-count"]'), String(waiting.total));
      await page.locator('[data-test="nav-requests"]').click();
      await page.waitForURL('**/admin/records/requests');
      const rows = rowsOf(page, 'requests-table');
      await rows.first().waitFor();
      assert.equal(await rows.count(), waiting.total);
      await fits(page, 'requests-table');
      await axe(t, page);

      // The demo's: 助老陪伴 counted 1 小时, he asks for 1 小时 30 分钟.
      const care = rows.filter({ hasText: '助老陪伴' });
      await seeText(care.locator('[data-test="asked-minutes"]'), '申请改为 1 小时 30 分钟');
      await care.locator('[data-test="accept"]').click();
      const accept = page.getByRole('dialog', { name: '采纳更正申请' });
      assert.equal(await accept.locator('[data-test="change-hours"] input').inputValue(), '1');
      assert.equal(await accept.locator('[data-test="change-mins"] input').inputValue(), '30');
      await accept.locator('[data-test="change-submit"]').click();
      await seeText(page.locator('.el-message--success'), '已采纳 陈建国 的更正申请');
      const careReq = waiting.items.find((q) => q.item_name === '助老陪伴');
      const record = await get(staff, `/records/${careReq.record_id}`);
      assert.equal(record.total_minutes, 90, 'the correction makes it 90 minutes');
      assert.equal(record.corrections.length, 1);
      assert.equal(record.requests[0].state, 'accepted');

      // Declined: the answer is required.
      const other = rows.filter({ hasText: '义诊' });
      await other.locator('[data-test="decline"]').click();
      const decline = page.getByRole('dialog', { name: '不采纳更正申请' });
      await decline.locator('[data-test="change-submit"]').click();
      await seeText(decline.locator('.el-form-item__error'), '请写明原因');
      await decline.locator('[data-test="change-text"]').fill('签到表记录为 25 人，原记录无误');
      await decline.locator('[data-test="change-submit"]').click();
      await seeText(page.locator('.el-message--success'), '已答复 陈建国 的更正申请');
      await seeText(page.locator('[data-test="requests-table"]'), '没有待答复的更正申请');
      const q = (await get(staff, '/record-requests?state=declined')).items[0];
      assert.deepEqual([q.record_id, q.answer], [yizhen.id, '签到表记录为 25 人，原记录无误']);
      assert.equal(await page.locator('[data-test="nav-requests-count"]').count(), 0, 'nothing waits: no number on the tab');
    });
  });

  test('a confirmed record corrected from its drawer: a new record carries the difference; the timeline says why', async (t) => {
    const staff = await client(env.srv, 'staff');
    const who = made.members[0];
    const { items: [rec] } = await get(staff, `/records?member_id=${who.id}&state=confirmed&per_page=1`);
    await withPage(t, env.browser, WIDE, async (page) => {
      await loginConsole(page, env.srv.url, 'staff');
      await page.goto(`${env.srv.url}/admin/records?state=confirmed&member_id=${who.id}`);
      await rowsOf(page, 'records-table').first().click();
      const drawer = page.locator('[data-test="record-drawer"]');
      await seeText(drawer.locator('[data-test="record-state"]'), '已确认');
      await drawer.locator('[data-test="drawer-correct"]').click();
      const dialog = page.getByRole('dialog', { name: '更正已确认的记录' });
      await dialog.locator('[data-test="change-hours"] input').fill(String(Math.floor(rec.minutes / 60) + 1));
      await dialog.locator('[data-test="change-text"]').fill('核对签到表后补记 1 小时');
      await dialog.locator('[data-test="change-submit"]').click();
      await seeText(page.locator('.el-message--success'), `已更正 ${who.name} 的服务记录`);
      await seeText(drawer.locator('[data-test="drawer-corrections"]'), '+1 小时');
      await seeText(drawer.locator('[data-test="drawer-timeline"]'), '核对签到表后补记 1 小时');
      const r = await get(staff, `/records/${rec.id}`);
      assert.equal(r.total_minutes, rec.minutes + 60);
      assert.equal(r.state, 'confirmed', 'the record itself never changes');
      assert.equal(r.minutes, rec.minutes);
    });
  });

  test('the member file shows their service: the API\'s numbers, the latest records, all of them one click away', async (t) => {
    const staff = await client(env.srv, 'staff');
    const who = made.members[3];
    const file = await get(staff, `/members/${who.id}`);
    assert.equal(file.service.records, EACH);
    await withPage(t, env.browser, WIDE, async (page) => {
      await loginConsole(page, env.srv.url, 'staff');
      await page.goto(`${env.srv.url}/admin/members/${who.id}`);
      const box = page.locator('[data-test="member-service"]');
      await box.waitFor();
      const num = async (k) => ((await box.locator(`[data-test="stat-service-${k}"]`).textContent()) || '').trim();
      assert.equal(await num('records'), String(file.service.records));
      assert.equal(await num('pending'), String(file.service.pending));
      assert.equal(await num('confirmed'), String(file.service.confirmed));
      assert.equal(await num('minutes'), said(file.service.confirmed_minutes));
      const items = box.locator('[data-test="service-timeline"] .el-timeline-item');
      assert.equal(await items.count(), file.records.items.length);
      await seeText(items.first(), file.records.items[0].item_name);
      await axe(t, page);
      await box.locator('[data-test="service-open"]').first().click();
      await seeText(page.locator('[data-test="record-drawer"]'), file.records.items[0].content);
      await page.keyboard.press('Escape');
      await box.locator('[data-test="service-all"]').click();
      await page.waitForURL((u) => u.pathname === '/admin/records' && u.searchParams.get('member_id') === String(who.id));
      await seeText(page.locator('.el-pagination__total'), `共 ${file.records.total} 条`);
    });
  });

  test('the workbench counts the records and requests waiting, and leads to them', async (t) => {
    const staff = await client(env.srv, 'staff');
    const pending = await get(staff, '/records?state=pending&per_page=1');
    const asked = await get(staff, '/record-requests?state=asked&per_page=1');
    await withPage(t, env.browser, WIDE, async (page) => {
      await loginConsole(page, env.srv.url, 'staff');
      await seeText(page.locator('[data-test="stat-records-pending"]'), String(pending.total));
      await seeText(page.locator('[data-test="stat-requests-asked"]'), String(asked.total));
      await page.locator('[data-test="tile-records-pending"]').click();
      await page.waitForURL('**/admin/records');
      await seeText(page.locator('.el-pagination__total'), `共 ${pending.total} 条`);
    });
  });

  test('补录: staff enter a service with the item\'s extra fields; a required one refused at its field, then saved and confirmed', async (t) => {
    const staff = await client(env.srv, 'staff');
    const who = made.members[7];
    const at = Math.floor(Date.now() / 1000) - 2 * DAY;
    const wall = new Date((at - (at % 60) + 8 * HOUR) * 1000).toISOString().slice(0, 16).replace('T', ' ');
    await withPage(t, env.browser, WIDE, async (page) => {
      await loginConsole(page, env.srv.url, 'staff');
      await page.goto(`${env.srv.url}/admin/records`);
      await page.locator('[data-test="record-entry"]').click();
      const dialog = page.getByRole('dialog', { name: '补录服务记录' });
      await dialog.locator('#re-member').fill(who.name);
      await page.getByRole('option', { name: new RegExp(who.name) }).click();
      await dialog.locator('#re-item').click();
      await page.getByRole('option', { name: /长者送餐/ }).click();
      await dialog.locator('#re-when').fill(wall);
      await dialog.locator('#re-when').press('Enter');
      await dialog.locator('[data-test="re-place"]').fill('2 栋');
      await axe(t, page);
      await dialog.locator('[data-test="re-confirm"]').click();
      await dialog.locator('[data-test="re-save"]').click();
      // 送餐份数 is required by the item: the server says so under it.
      await seeText(dialog.locator('[data-test="re-field-0"] .el-form-item__error'), '必须填写');
      await dialog.locator('#re-f0').fill('6');
      await dialog.locator('#re-f0').press('Tab');
      await dialog.locator('[data-test="re-save"]').click();
      await seeText(page.locator('.el-message--success'), `已补录并确认 ${who.name} 的服务记录`);
      const { items: [r] } = await get(staff, `/records?member_id=${who.id}&source=staff&state=confirmed`);
      const full = await get(staff, `/records/${r.id}`);
      assert.deepEqual([full.item_code, full.minutes, full.place, full.started_at], ['G01', 60, '2 栋', at - (at % 60)]);
      assert.deepEqual(full.fields, [{ name: '送餐份数', value: '6' }]);
    });
  });

  test('org reads the queue of its street without buttons to confirm; a unit only its own members\' service', async (t) => {
    const org = await client(env.srv, 'org');
    const all = await get(org, '/records?per_page=1');
    await withPage(t, env.browser, WIDE, async (page) => {
      await loginConsole(page, env.srv.url, 'org');
      await page.goto(`${env.srv.url}/admin/records?state=all`);
      await rowsOf(page, 'records-table').first().waitFor();
      await seeText(page.locator('.el-pagination__total'), `共 ${all.total} 条`);
      assert.equal(await page.locator('[data-test="confirm"], [data-test="confirm-selected"], .el-table-column--selection').count(), 0);
    });
    const unit = await client(env.srv, 'unit');
    const theirs = await get(unit, '/records?per_page=100');
    await withPage(t, env.browser, WIDE, async (page) => {
      await loginConsole(page, env.srv.url, 'unit');
      await page.goto(`${env.srv.url}/admin/records?state=all`);
      if (theirs.total) await rowsOf(page, 'records-table').first().waitFor();
      else await seeText(page.locator('[data-test="records-table"]'), '没有符合条件的服务记录');
      assert.equal(await rowsOf(page, 'records-table').count(), theirs.items.length);
    });
  });
});

describe('服务项目: the catalogue, the city default and what a street adds', () => {
  const STREET = '440111002000'; // 三元里街道, the demo org's
  const env = serverAndBrowser({ demo: 'full' });
  const BIG = '𠀀'.repeat(40); // a name at its limit in 4-byte characters

  test('org adds an item for its street with extra fields; the server\'s refusals land at the field and the line', async (t) => {
    const org = await client(env.srv, 'org');
    await withPage(t, env.browser, WIDE, async (page) => {
      await loginConsole(page, env.srv.url, 'org');
      await page.goto(`${env.srv.url}/admin/catalog`);
      const rows = rowsOf(page, 'catalog-table');
      await rows.first().waitFor();
      const { items } = await get(org, `/catalog?region=${STREET}`);
      assert.equal(await rows.count(), items.length);
      // The city default is there, marked and read-only for a street.
      const g01 = rows.filter({ hasText: '长者送餐' });
      await seeText(g01, '全市默认');
      await seeText(g01, '送餐份数（数字，必填）');
      assert.equal(await g01.locator('[data-test="catalog-edit"]').count(), 0);
      await fits(page, 'catalog-table');
      await axe(t, page);

      await page.locator('[data-test="catalog-create"]').click();
      const dialog = page.getByRole('dialog', { name: '新增服务项目' });
      await seeText(dialog.locator('#ci-region').locator('xpath=ancestor::div[contains(@class,"el-select")]'), '三元里街道');
      await dialog.locator('[data-test="ci-code"]').fill('G01'); // the default's code
      await dialog.locator('[data-test="ci-name"]').fill(BIG);
      await dialog.locator('[data-test="ci-description"]').fill('为困难家庭清洗油烟机、空调');
      await dialog.locator('[data-test="add-field"]').click();
      await dialog.locator('[data-test="add-field"]').click();
      const line = (i) => dialog.locator(`[data-test="ci-line-${i}"]`);
      await line(0).locator('[data-test="field-name"]').fill('服务户数');
      await line(0).locator('[data-test="field-type"]').click();
      await page.getByRole('option', { name: '数字' }).click();
      await line(0).locator('[data-test="field-required"]').click();
      await line(1).locator('[data-test="field-name"]').fill('服务户数'); // twice: the server says so
      await line(1).locator('[data-test="field-type"]').click();
      await page.getByRole('option', { name: '多选' }).last().click();
      await line(1).locator('[data-test="field-choices"]').fill('油烟机\n空调\n');
      await dialog.locator('[data-test="catalog-save"]').click();
      await seeText(line(1).locator('.el-form-item__error'), '附加项名称重复');
      await line(1).locator('[data-test="field-name"]').fill('清洗内容');
      await dialog.locator('[data-test="catalog-save"]').click();
      const codeError = dialog.locator('.el-form-item.is-error', { has: page.locator('[data-test="ci-code"]') });
      await seeText(codeError, '该编号已被使用');
      assert.equal((await get(org, `/catalog?region=${STREET}`)).items.length, items.length, 'nothing added');
      await dialog.locator('[data-test="ci-code"]').fill('JZ01');
      await dialog.locator('[data-test="catalog-save"]').click();
      await seeText(page.locator('.el-message--success'), '已新增服务项目');
      const added = (await get(org, `/catalog?region=${STREET}`)).items.find((i) => i.code === 'JZ01');
      assert.equal(added.name, BIG, 'the name in 4-byte characters intact');
      assert.equal(added.region_code, STREET);
      assert.deepEqual(added.fields.map((f) => [f.name, f.type, f.required, f.choices]),
        [['服务户数', 'number', true, []], ['清洗内容', 'choices', false, ['油烟机', '空调']]]);
      const row = rows.filter({ hasText: 'JZ01' });
      await seeText(row, BIG);
      await seeText(row, '清洗内容（多选：油烟机/空调）');
      await seeText(row, '三元里街道');
    });
  });

  test('an item\'s category and code stay; it is renamed, retired and restored', async (t) => {
    const org = await client(env.srv, 'org');
    await withPage(t, env.browser, WIDE, async (page) => {
      await loginConsole(page, env.srv.url, 'org');
      await page.goto(`${env.srv.url}/admin/catalog`);
      const row = rowsOf(page, 'catalog-table').filter({ hasText: 'JZ01' });
      await row.locator('[data-test="catalog-edit"]').click();
      const dialog = page.getByRole('dialog', { name: '编辑服务项目' });
      assert.equal(await dialog.locator('[data-test="ci-code"]').isDisabled(), true);
      assert.equal(await dialog.locator('#ci-category').isDisabled(), true);
      await dialog.locator('[data-test="ci-name"]').fill('家电清洗');
      // The specialties it wants: matching suggests members who have them first.
      await dialog.locator('[data-test="ci-specialties"]').click();
      await page.getByRole('option', { name: '家电维修' }).click();
      await page.getByRole('option', { name: '水电维修' }).click();
      await dialog.getByText('需要的特长').click(); // close the list
      await dialog.locator('[data-test="catalog-save"]').click();
      await seeText(page.locator('.el-message--success'), '已保存服务项目“家电清洗”');
      let item = (await get(org, `/catalog?region=${STREET}`)).items.find((i) => i.code === 'JZ01');
      assert.deepEqual([item.name, item.category, item.fields.length, item.specialties], ['家电清洗', 'welfare', 2, '家电维修,水电维修']);

      await row.locator('[data-test="catalog-retire"]').click();
      await page.locator('.el-message-box').getByRole('button', { name: '停用' }).click();
      await seeText(page.locator('.el-message--success'), '已停用“家电清洗”');
      await rowsOf(page, 'catalog-table').filter({ hasText: 'JZ01' }).waitFor({ state: 'detached' });
      item = (await get(org, `/catalog/${item.id}`));
      assert.equal(item.retired, true);
      await page.locator('[data-test="show-retired"]').click();
      await seeText(row, '已停用');
      await row.locator('[data-test="catalog-restore"]').click();
      await page.locator('.el-message-box').getByRole('button', { name: '恢复' }).click();
      await seeText(row, '在用');
      assert.equal((await get(org, `/catalog/${item.id}`)).retired, false);
    });
  });

  test('staff of a community read what the city and their street offer; admin is warned before changing the default', async (t) => {
    const staff = await client(env.srv, 'staff');
    await withPage(t, env.browser, WIDE, async (page) => {
      await loginConsole(page, env.srv.url, 'staff');
      await page.goto(`${env.srv.url}/admin/catalog`);
      const rows = rowsOf(page, 'catalog-table');
      await seeText(rows.filter({ hasText: 'JZ01' }), '三元里街道');
      const { items } = await get(staff, `/catalog?region=${SHILIUQIAO}`);
      assert.equal(await rows.count(), items.length);
      assert.equal(await page.locator('[data-test="catalog-create"], [data-test="catalog-edit"]').count(), 0);
    });
    const admin = await client(env.srv, 'admin', 'Admin-test-password-1');
    const before = await get(admin, '/catalog/1');
    await withPage(t, env.browser, WIDE, async (page) => {
      await loginConsole(page, env.srv.url, 'admin', 'Admin-test-password-1');
      await page.goto(`${env.srv.url}/admin/catalog`);
      const row = rowsOf(page, 'catalog-table').filter({ hasText: '长者送餐' });
      await row.locator('[data-test="catalog-edit"]').click();
      const dialog = page.getByRole('dialog', { name: '编辑服务项目' });
      await seeText(dialog, '修改会影响全市所有社区');
      await dialog.locator('[data-test="ci-description"]').fill('改过的说明');
      await dialog.locator('[data-test="catalog-save"]').click();
      const box = page.locator('.el-message-box');
      await seeText(box, '全市所有社区看到的都会改变');
      await box.getByRole('button', { name: '取消' }).click();
      assert.equal((await get(admin, '/catalog/1')).description, before.description, 'not saved without saying yes');
      await dialog.locator('[data-test="catalog-save"]').click();
      await box.getByRole('button', { name: '确定保存' }).click();
      await seeText(page.locator('.el-message--success'), '已保存服务项目“长者送餐”');
      assert.equal((await get(admin, '/catalog/1')).description, '改过的说明');
      assert.equal((await get(admin, '/catalog/1')).specialties, before.specialties, 'the specialties it wants kept');
    });
  });
});

describe('活动: the calendar and the editor, sign-ups, the live sheet, 签到大屏, closing into the queue', () => {
  // The server's clock starts 4 hours behind the browser's (on a whole minute, as the editor's times are); the last
  // test moves it past the activity's end, where the browser already is.
  const REAL = Math.floor(Date.now() / 1000);
  const T0 = REAL - (REAL % 60) - 4 * HOUR;
  const env = serverAndBrowser({ demo: 'full', clock: T0 });
  const wall = (sec) => new Date((sec + 8 * HOUR) * 1000).toISOString().slice(0, 16).replace('T', ' ');
  const day = (sec) => wall(sec).slice(0, 10);
  const shared = {};
  async function itemId(c, code) {
    return (await get(c, `/catalog?region=${SHILIUQIAO}`)).items.find((i) => i.code === code).id;
  }
  async function pick(page, dialog, test, name) {
    await dialog.locator(`[data-test="${test}"]`).click();
    await page.getByRole('option', { name }).first().click();
  }
  async function dateTime(page, id, text) {
    await page.locator(id).fill(text);
    await page.locator(id).press('Enter');
  }

  test('the editor: the server\'s refusal at its field; published, the activity is on its day of the month and the week', async (t) => {
    const staff = await client(env.srv, 'staff');
    const when = T0 + 2 * DAY; // two days from the server's now, at its hour
    const demo = (await get(staff, '/activities?per_page=1')).total;
    await withPage(t, env.browser, WIDE, async (page) => {
      await loginConsole(page, env.srv.url, 'staff');
      await page.goto(`${env.srv.url}/admin/activities?date=${day(when)}`);
      await page.locator('[data-test="calendar"]').waitFor();
      await axe(t, page);
      await page.locator('[data-test="activity-create"]').click();
      const dialog = page.getByRole('dialog', { name: '新建活动' });
      await pick(page, dialog, 'af-item', /环境整治/);
      await dialog.locator('[data-test="af-title"]').fill('石榴桥周末环境整治');
      await dialog.locator('[data-test="af-place"]').fill('社区党群服务中心门口集合');
      await dateTime(page, '#af-starts', wall(when));
      await dateTime(page, '#af-ends', wall(when - HOUR)); // before the start
      await dialog.locator('[data-test="af-capacity"] input').fill('12');
      await dialog.locator('[data-test="af-publish"]').click();
      const ends = dialog.locator('.el-form-item.is-error', { has: page.locator('#af-ends') });
      await seeText(ends, '结束时间应晚于开始时间');
      assert.equal((await get(staff, '/activities?per_page=1')).total, demo, 'nothing saved');
      await dateTime(page, '#af-ends', wall(when + 2 * HOUR));
      await dialog.locator('[data-test="af-publish"]').click();
      await page.waitForURL(/\/admin\/activities\/\d+$/);
      await seeText(page.locator('[data-test="activity-state"]'), '已发布');
      const id = Number(page.url().split('/').pop());
      const a = await get(staff, `/activities/${id}`);
      assert.deepEqual([a.title, a.state, a.capacity, a.starts_at, a.ends_at], ['石榴桥周末环境整治', 'published', 12, when, when + 2 * HOUR]);
      shared.weekend = a;
      await seeText(page.locator('[data-test="activity-fill"]'), '已报名 0 人 / 名额 12 人');
      await axe(t, page);

      await page.locator('.back-link').click();
      const cell = page.locator(`.ac-day[data-day="${day(when)}"]`);
      await seeText(cell, '石榴桥周末环境整治');
      await seeText(cell, '0/12');
      await page.locator('[data-test="cal-view"]').getByText('周').click();
      // Its own card (the demo's activities of that day come before it when the tests run late in the day).
      const card = page.locator(`.ac-day[data-day="${day(when)}"] .ac-card`, { hasText: '石榴桥周末环境整治' });
      await seeText(card, `${wall(when).slice(11)}–${wall(when + 2 * HOUR).slice(11)}`);
    });
  });

  test('a weekly series: every Saturday, four times, each on its Saturday in the calendar', async (t) => {
    const staff = await client(env.srv, 'staff');
    await withPage(t, env.browser, WIDE, async (page) => {
      await loginConsole(page, env.srv.url, 'staff');
      await page.goto(`${env.srv.url}/admin/activities`);
      await page.locator('[data-test="activity-create"]').click();
      const dialog = page.getByRole('dialog', { name: '新建活动' });
      await pick(page, dialog, 'af-item', /政策宣讲/);
      await dialog.locator('[data-test="af-title"]').fill('周六政策宣讲');
      await dialog.locator('[data-test="af-place"]').fill('社区活动室');
      const first = T0 + 3 * DAY;
      await dateTime(page, '#af-starts', wall(first));
      await dateTime(page, '#af-ends', wall(first + HOUR));
      await dialog.locator('[data-test="af-repeat"]').click();
      await dialog.locator('[data-test="af-weekdays"]').getByText('周六').click();
      await dialog.locator('[data-test="af-count"] input').fill('4');
      await dialog.locator('[data-test="af-count"] input').press('Tab');
      await dialog.locator('[data-test="af-draft"]').click();
      await seeText(page.locator('.el-message--success'), '（共 4 次）');
      await page.waitForURL(/\/admin\/activities\/\d+$/);
      const id = Number(page.url().split('/').pop());
      const a = await get(staff, `/activities/${id}`);
      const { items } = await get(staff, `/activities?from=${a.starts_at - DAY}&to=${a.starts_at + 30 * DAY}&per_page=100`);
      const series = items.filter((x) => x.series_id === a.series_id);
      assert.equal(series.length, 4);
      for (const s of series) {
        assert.equal(new Date((s.starts_at + 8 * HOUR) * 1000).getUTCDay(), 6, 'a Saturday');
        await page.goto(`${env.srv.url}/admin/activities?date=${day(s.starts_at)}`);
        await seeText(page.locator(`.ac-day[data-day="${day(s.starts_at)}"]`), '周六政策宣讲');
      }
      await seeText(page.locator(`.ac-day[data-day="${day(series[3].starts_at)}"] .ac-s-draft`), '周六政策宣讲');
    });
  });

  test('sign-ups: 代报名 up to the places, then the waiting list; a leave approved; one taken off, the first waiting moves up', async (t) => {
    const staff = await client(env.srv, 'staff');
    const item = await itemId(staff, 'A01');
    const r = await staff.post('/api/v1/activities', {
      community_code: SHILIUQIAO, organiser: 'community', item_id: item, title: '楼道清理', place: '2 栋楼下', capacity: 2,
      starts_at: T0 + DAY, ends_at: T0 + DAY + 2 * HOUR, audience: 'community', publish: true,
    });
    assert.equal(r.status, 201, r.text);
    const id = r.json.id;
    const chen = await client(env.srv, '13800001011');
    assert.equal((await chen.post(`/api/v1/activities/${id}/signup`, {})).status, 201);
    assert.equal((await chen.post(`/api/v1/activities/${id}/leave`, { reason: '单位临时加班' })).status, 200);
    const others = (await get(staff, '/members?state=approved&per_page=50')).items.filter((m) => !['陈建国', '黄志强'].includes(m.name));
    await withPage(t, env.browser, WIDE, async (page) => {
      await loginConsole(page, env.srv.url, 'staff');
      await page.goto(`${env.srv.url}/admin/activities/${id}`);
      const rows = rowsOf(page, 'signups-table');
      await seeText(rows.first(), '陈建国');
      for (const m of others.slice(0, 2)) {
        await page.locator('[data-test="add-member"] input').fill(m.name);
        await page.getByRole('option', { name: new RegExp(m.name) }).click();
        await page.locator('[data-test="add-signup"]').click();
        await seeText(page.locator('.el-message--success').last(), m.name);
      }
      await seeText(page.locator('.el-message--success').last(), '候补第 1 位');
      await seeText(page.locator('[data-test="activity-fill"]'), '已报名 2 人 / 名额 2 人');
      await seeText(page.locator('[data-test="signup-tabs"]'), '候补（1）');
      await fits(page, 'signups-table');

      const chenRow = rows.filter({ hasText: '陈建国' });
      await seeText(chenRow, '请假待批');
      await chenRow.locator('[data-test="leave-approve"]').click();
      await seeText(chenRow, '已请假');
      const other = rows.filter({ hasText: others[0].name });
      await other.locator('[data-test="signup-remove"]').click();
      const dialog = page.getByRole('dialog', { name: '移除报名' });
      await dialog.locator('[data-test="reason-submit"]').click();
      await seeText(dialog.locator('.el-form-item__error'), '请填写原因');
      await dialog.locator('[data-test="reason-text"]').fill('本人电话告知不能参加');
      await dialog.locator('[data-test="reason-submit"]').click();
      await seeText(page.locator('.el-message--success').last(), `已移除 ${others[0].name} 的报名`);
      await seeText(rows.filter({ hasText: others[1].name }), others[1].name);
      const { items } = await get(staff, `/activities/${id}/signups?state=signed`);
      assert.deepEqual(items.map((s) => s.member.name).sort(), ['陈建国', others[1].name].sort(), 'the waiting one moved up');
      assert.equal(items.find((s) => s.member.name === '陈建国').leave.state, 'approved');
      await seeText(page.locator('[data-test="signup-tabs"]'), '候补（0）');
    });
  });

  test('the live sheet and 签到大屏: a check-in with the screen\'s own code shows on both without reload; staff tick one', async (t) => {
    const staff = await client(env.srv, 'staff');
    const item = await itemId(staff, 'A01');
    const r = await staff.post('/api/v1/activities', {
      community_code: SHILIUQIAO, organiser: 'community', item_id: item, title: '小区北门环境整治', place: '小区北门', capacity: 10,
      starts_at: T0 - 10 * 60, ends_at: T0 + 110 * 60, audience: 'community', publish: true,
    });
    assert.equal(r.status, 201, r.text);
    const id = r.json.id;
    shared.live = id;
    const chen = (await get(staff, '/members?q=陈建国')).items[0];
    const others = (await get(staff, '/members?state=approved&per_page=50')).items.filter((m) => m.name !== '陈建国' && m.name !== '黄志强');
    for (const m of [chen, ...others.slice(0, 3)]) {
      const s = await staff.post(`/api/v1/activities/${id}/signups`, { member_id: m.id });
      assert.equal(s.status, 201, s.text);
    }
    const member = await client(env.srv, '13800001011');
    await withPage(t, env.browser, WIDE, async (sheetPage) => {
      await loginConsole(sheetPage, env.srv.url, 'staff');
      await sheetPage.goto(`${env.srv.url}/admin/activities/${id}/sheet`);
      const rows = rowsOf(sheetPage, 'sheet-table');
      await seeText(rows.filter({ hasText: '陈建国' }).locator('[data-test="row-status"]'), '未到');
      const before = await get(staff, `/activities/${id}/sheet`);
      for (const k of ['signed_up', 'arrived', 'absent']) {
        await seeText(sheetPage.locator(`[data-test="count-${k}"] strong`), new RegExp(`^${before.counts[k]}$`));
      }
      await fits(sheetPage, 'sheet-table');
      await axe(t, sheetPage);

      await withPage(t, env.browser, { width: 1920, height: 1080 }, async (screen) => {
        await loginConsole(screen, env.srv.url, 'staff');
        await screen.goto(`${env.srv.url}/admin/activities/${id}/screen`);
        const qr = screen.locator('[data-test="screen-qr"]');
        await qr.waitFor();
        await axe(t, screen);
        // The member "scans" the code the screen shows.
        const code = await qr.getAttribute('data-code');
        const done = await member.post(`/api/v1/activities/${id}/checkin`, { code });
        assert.equal(done.status, 200, done.text);
        // Both pages show it without a reload.
        await seeText(screen.locator('[data-test="screen-names"]'), '陈建国');
        await seeText(screen.locator('[data-test="screen-arrived"]'), '1');
        await seeText(rows.filter({ hasText: '陈建国' }).locator('[data-test="row-status"]'), '已到');
        await seeText(sheetPage.locator('[data-test="count-arrived"] strong'), /^1$/);
        // Big type: the arrived names are readable from the back of a room.
        const size = await screen.locator('.sc-name').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
        assert.ok(size >= 32, `names in ${size} px type`);

        // Staff tick one who has no phone: the screen shows them too.
        const noPhone = rows.filter({ hasText: others[0].name });
        await noPhone.locator('[data-test="tick-checkin"]').click();
        await seeText(noPhone.locator('[data-test="row-status"]'), /已到|迟到/);
        await seeText(screen.locator('[data-test="screen-names"]'), others[0].name);
        const after = await get(staff, `/activities/${id}/sheet`);
        assert.equal(after.counts.arrived, 2);
        // The sheet as a workbook, and as the paper sheet with a column to sign.
        const [file] = await Promise.all([sheetPage.waitForEvent('download'), sheetPage.locator('[data-test="sheet-export"]').click()]);
        assert.match(file.suggestedFilename(), /\.xlsx$/);
        assert.equal(readFileSync(await file.path()).subarray(0, 2).toString(), 'PK', 'an .xlsx (zip) file');
        const paper = await staff.get(new URL(await sheetPage.locator('[data-test="sheet-paper"]').getAttribute('href'), env.srv.url).pathname);
        assert.equal(paper.status, 200);
        assert.match(paper.text, /签名/);
        assert.equal(after.rows.find((x) => x.member.name === others[0].name).checkin_by, 'staff');
      });
    });
  });

  test('closing after the end makes pending records, confirmed for the whole activity in two clicks', async (t) => {
    env.srv.setClock(T0 + 120 * 60); // 10 minutes after the end: staff may still confirm who stayed to it
    const staff = await client(env.srv, 'staff');
    const id = shared.live;
    const sheet = await get(staff, `/activities/${id}/sheet`);
    const credited = sheet.rows.filter((r) => r.attendance.minutes > 0 || r.checkin_at).length;
    await withPage(t, env.browser, WIDE, async (page) => {
      await loginConsole(page, env.srv.url, 'staff');
      await page.goto(`${env.srv.url}/admin/activities/${id}/sheet`);
      // Neither checked out: staff confirm they stayed to the end.
      await rowsOf(page, 'sheet-table').first().waitFor();
      const ticks = page.locator('[data-test="sheet-table"] [data-test="tick-until-end"]');
      assert.equal(await ticks.count(), credited);
      for (let n = credited; n > 0; n--) {
        await ticks.first().click();
        await page.waitForFunction((left) => document.querySelectorAll('[data-test="sheet-table"] [data-test="tick-until-end"]').length === left, n - 1);
      }
      assert.equal(await rowsOf(page, 'sheet-table').filter({ hasText: '确认到结束' }).count(), credited);
      await page.goto(`${env.srv.url}/admin/activities/${id}`);
      await page.locator('[data-test="activity-close"]').click();
      await page.locator('.el-message-box').getByRole('button', { name: '结束活动' }).click();
      await seeText(page.locator('[data-test="closed-summary"]'), `生成服务记录 ${credited} 条`);
      await page.locator('[data-test="closed-to-records"]').click();
      await page.waitForURL((u) => u.pathname === '/admin/records' && u.searchParams.get('activity_id') === String(id));
      await seeText(page.locator('[data-test="chip-activity_id"]'), '小区北门环境整治');
      const pending = await get(staff, `/records?activity_id=${id}&state=pending`);
      assert.equal(pending.total, credited);
      // Two clicks: the activity's button, then yes.
      await seeText(page.locator('[data-test="confirm-activity"]'), `（${credited}）`);
      await page.locator('[data-test="confirm-activity"]').click();
      await page.locator('.el-message-box').getByRole('button', { name: `确认 ${credited} 条` }).click();
      await seeText(page.locator('.el-message--success'), `已确认 ${credited} 条服务记录`);
      assert.equal((await get(staff, `/records?activity_id=${id}&state=pending`)).total, 0);
      assert.equal((await get(staff, `/records?activity_id=${id}&state=confirmed`)).total, credited);
    });
  });
});

describe('岗位: posts and the claims queue', () => {
  const env = serverAndBrowser({ demo: 'full' });
  const shared = {};

  test('staff define a post for a building: the server\'s refusal at the term, then 0/1 in the list', async (t) => {
    const staff = await client(env.srv, 'staff');
    const before = (await get(staff, '/posts?per_page=100')).total;
    await withPage(t, env.browser, WIDE, async (page) => {
      await loginConsole(page, env.srv.url, 'staff');
      await page.goto(`${env.srv.url}/admin/posts`);
      await rowsOf(page, 'posts-table').first().waitFor();
      await fits(page, 'posts-table');
      await axe(t, page);
      await page.locator('[data-test="post-create"]').click();
      const dialog = page.getByRole('dialog', { name: '新建岗位' });
      await dialog.locator('[data-test="pf-item"]').click();
      await page.getByRole('option', { name: /楼栋长/ }).first().click();
      await dialog.locator('[data-test="pf-place"]').click();
      await page.getByRole('option', { name: /3栋/ }).first().click();
      assert.equal(await dialog.locator('[data-test="pf-name"]').inputValue(), '3栋楼栋长', 'named after its place and item');
      await dialog.locator('[data-test="pf-duties"]').fill('每月走访 3 栋住户，传达社区通知');
      for (const [id, d] of [['#pf-starts', '2026-03-01'], ['#pf-ends', '2026-01-31']]) {
        await dialog.locator(id).fill(d);
        await dialog.locator(id).press('Enter');
      }
      await dialog.locator('[data-test="pf-save"]').click();
      await seeText(dialog.locator('.el-form-item.is-error'), '结束日期不能早于开始日期');
      assert.equal((await get(staff, '/posts?per_page=100')).total, before, 'nothing saved');
      await dialog.locator('#pf-ends').fill('2026-12-31');
      await dialog.locator('#pf-ends').press('Enter');
      await dialog.locator('[data-test="pf-save"]').click();
      await seeText(page.locator('.el-message--success'), '已新建岗位“3栋楼栋长”');
      const post = (await get(staff, '/posts?per_page=100')).items.find((p) => p.name === '3栋楼栋长');
      assert.deepEqual([post.place_name, post.places, post.holders, post.starts_on, post.ends_on], ['3栋', 1, 0, '2026-03-01', '2026-12-31']);
      shared.post = post;
      await seeText(rowsOf(page, 'posts-table').filter({ hasText: '3栋楼栋长' }).locator('[data-test="post-fill"]'), '0/1');
    });
  });

  test('the claims queue: approved up to the places (then the server says full), refused with a reason, a leave agreed', async (t) => {
    const staff = await client(env.srv, 'staff');
    const huang = await client(env.srv, '13800001013');
    const chen = await client(env.srv, '13800001011');
    const { post } = shared;
    assert.equal((await huang.post(`/api/v1/posts/${post.id}/claims`, { note: '我住 3 栋，晚上有空' })).status, 201);
    assert.equal((await chen.post(`/api/v1/posts/${post.id}/claims`, {})).status, 201);
    const queue = await get(staff, '/post-claims');
    await withPage(t, env.browser, WIDE, async (page) => {
      await loginConsole(page, env.srv.url, 'staff');
      await page.goto(`${env.srv.url}/admin/posts`);
      await seeText(page.locator('[data-test="nav-claims-count"]'), String(queue.total));
      await page.locator('[data-test="nav-claims"]').click();
      await page.waitForURL('**/admin/posts/claims');
      const rows = rowsOf(page, 'claims-table');
      await rows.first().waitFor();
      assert.equal(await rows.count(), queue.total);
      await fits(page, 'claims-table');
      await axe(t, page);

      const huangRow = rows.filter({ hasText: '黄志强' });
      await seeText(huangRow, '我住 3 栋，晚上有空');
      await huangRow.locator('[data-test="claim-approve"]').click();
      await seeText(page.locator('.el-message--success'), '黄志强 已上岗“3栋楼栋长”');
      await rows.filter({ hasText: '陈建国' }).locator('[data-test="claim-approve"]').click();
      await seeText(page.locator('.el-message--error'), '该岗位名额已满');
      assert.equal((await get(staff, `/posts/${post.id}`)).holders, 1, 'never over its places');

      await rows.filter({ hasText: '陈建国' }).locator('[data-test="claim-refuse"]').click();
      const dialog = page.getByRole('dialog', { name: '不批准上岗' });
      await dialog.locator('[data-test="reason-submit"]').click();
      await seeText(dialog.locator('.el-form-item__error'), '请填写原因');
      await dialog.locator('[data-test="reason-text"]').fill('3 栋已有楼栋长，您可以申请垃圾分类督导员');
      await dialog.locator('[data-test="reason-submit"]').click();
      await seeText(page.locator('.el-message--success'), '已答复 陈建国');
      const refused = (await get(staff, '/post-claims?state=refused')).items.find((c) => c.member_name === '陈建国');
      assert.equal(refused.answer, '3 栋已有楼栋长，您可以申请垃圾分类督导员');

      // He asks to leave; staff agree.
      const leave = await huang.post(`/api/v1/me/posts/${post.id}/leave`, { reason: '工作调动，搬离本栋' });
      assert.equal(leave.status, 200, leave.text);
      await page.reload();
      const leaving = rows.filter({ hasText: '工作调动，搬离本栋' });
      await seeText(leaving, '申请离岗');
      await leaving.locator('[data-test="claim-approve"]').click();
      await seeText(page.locator('.el-message--success'), '黄志强 已离开“3栋楼栋长”');
      assert.equal((await get(staff, `/posts/${post.id}`)).holders, 0);
    });
  });

  test('the member file shows the posts held; a holder\'s post ended from the post, then the post closed with a reason', async (t) => {
    const staff = await client(env.srv, 'staff');
    const chen = (await get(staff, '/members?q=陈建国')).items[0];
    const file = await get(staff, `/members/${chen.id}`);
    const held = file.posts.find((c) => c.state === 'holding');
    await withPage(t, env.browser, WIDE, async (page) => {
      await loginConsole(page, env.srv.url, 'staff');
      await page.goto(`${env.srv.url}/admin/members/${chen.id}`);
      const posts = page.locator('[data-test="service-posts"] li');
      await posts.first().waitFor();
      assert.equal(await posts.count(), file.posts.length);
      await seeText(posts.filter({ hasText: held.post_name }), '在岗');

      await page.goto(`${env.srv.url}/admin/posts`);
      await rowsOf(page, 'posts-table').filter({ hasText: held.post_name }).first().click();
      const drawer = page.locator('[data-test="post-drawer"]');
      const person = drawer.locator('[data-test="post-people"] li', { hasText: '陈建国' });
      await person.locator('[data-test="claim-end"]').click();
      await page.getByRole('dialog', { name: '结束在岗' }).locator('[data-test="reason-text"]').fill('已搬离本栋');
      await page.getByRole('dialog', { name: '结束在岗' }).locator('[data-test="reason-submit"]').click();
      await seeText(page.locator('.el-message--success'), '陈建国 已离岗');
      await person.waitFor({ state: 'detached' });
      assert.ok(!(await get(staff, `/members/${chen.id}`)).posts.some((c) => c.id === held.id), 'no longer among his posts');
      assert.ok((await get(staff, '/post-claims?state=left')).items.some((c) => c.id === held.id && c.answer === '已搬离本栋'));
      await drawer.getByRole('button', { name: /关闭/ }).first().click();
      await drawer.waitFor({ state: 'hidden' });

      const row = rowsOf(page, 'posts-table').filter({ hasText: '3栋楼栋长' });
      await row.locator('[data-test="post-close"]').click();
      const dialog = page.getByRole('dialog', { name: '关闭岗位' });
      await dialog.locator('[data-test="reason-text"]').fill('并入网格员职责');
      await dialog.locator('[data-test="reason-submit"]').click();
      await seeText(row, '已关闭');
      const closed = await get(staff, `/posts/${shared.post.id}`);
      assert.deepEqual([closed.state, closed.close_reason], ['closed', '并入网格员职责']);
    });
  });
});

describe('服务队: teams, their members and applications', () => {
  const env = serverAndBrowser({ demo: 'full' });
  const TEAM = '石榴桥社区党员医疗服务队'; // the demo's, led by 陈建国, with an application waiting

  test('staff create a team: a name taken is refused at the field; saved with a leader, it opens on its page', async (t) => {
    const staff = await client(env.srv, 'staff');
    await withPage(t, env.browser, WIDE, async (page) => {
      await loginConsole(page, env.srv.url, 'staff');
      await page.goto(`${env.srv.url}/admin/teams`);
      await rowsOf(page, 'teams-table').first().waitFor();
      await fits(page, 'teams-table');
      await axe(t, page);
      await page.locator('[data-test="team-create"]').click();
      const dialog = page.getByRole('dialog', { name: '新建服务队' });
      await dialog.locator('[data-test="tf-name"]').fill(TEAM);
      await dialog.locator('[data-test="tf-save"]').click();
      const nameError = dialog.locator('.el-form-item.is-error', { has: page.locator('[data-test="tf-name"]') });
      await seeText(nameError, '本辖区已有同名的服务队');
      await dialog.locator('[data-test="tf-name"]').fill('石榴桥社区党员突击队');
      await dialog.locator('[data-test="tf-description"]').fill('防汛、抢险、疫情防控时集结');
      await dialog.locator('#tf-leader').fill('黄志强');
      await page.getByRole('option', { name: /黄志强/ }).click();
      await dialog.locator('[data-test="tf-save"]').click();
      await page.waitForURL(/\/admin\/teams\/\d+$/);
      await seeText(page.locator('h1'), '石榴桥社区党员突击队');
      const id = Number(page.url().split('/').pop());
      const team = await get(staff, `/teams/${id}`);
      assert.deepEqual([team.leader_name, team.region_code, team.members], ['黄志强', SHILIUQIAO, 1]);
      await seeText(rowsOf(page, 'team-members-table').first(), '队长');
    });
  });

  test('the team page: an application approved, another refused with a reason, a member removed; the member file shows teams', async (t) => {
    const staff = await client(env.srv, 'staff');
    const team = (await get(staff, '/teams')).items.find((x) => x.name === TEAM);
    const huang = await client(env.srv, '13800001013');
    assert.equal((await huang.post(`/api/v1/teams/${team.id}/join`, { note: '会一点急救' })).status, 201);
    await withPage(t, env.browser, WIDE, async (page) => {
      await loginConsole(page, env.srv.url, 'staff');
      await page.goto(`${env.srv.url}/admin/teams/${team.id}`);
      const apps = rowsOf(page, 'team-applications');
      await apps.first().waitFor();
      const before = await get(staff, `/teams/${team.id}`);
      assert.equal(await apps.count(), before.applications.length);
      await axe(t, page);
      const first = before.applications.find((a) => a.member_name !== '黄志强');
      await apps.filter({ hasText: first.member_name }).locator('[data-test="team-approve"]').click();
      await seeText(page.locator('.el-message--success'), `${first.member_name} 已入队`);
      await seeText(rowsOf(page, 'team-members-table').filter({ hasText: first.member_name }), first.member_name);

      await apps.filter({ hasText: '黄志强' }).locator('[data-test="team-refuse"]').click();
      const dialog = page.getByRole('dialog', { name: '不批准入队' });
      await dialog.locator('[data-test="reason-text"]').fill('本队只招医护人员');
      await dialog.locator('[data-test="reason-submit"]').click();
      await seeText(page.locator('.el-message--success'), '已答复 黄志强');
      const mine = (await get(huang, '/me/teams')).items.find((m) => m.team_id === team.id);
      assert.deepEqual([mine.state, mine.reason], ['refused', '本队只招医护人员']);

      const member = rowsOf(page, 'team-members-table').filter({ hasText: first.member_name });
      await member.locator('[data-test="team-remove"]').click();
      await page.getByRole('dialog', { name: '移出服务队' }).locator('[data-test="reason-text"]').fill('长期未参加活动');
      await page.getByRole('dialog', { name: '移出服务队' }).locator('[data-test="reason-submit"]').click();
      await member.waitFor({ state: 'detached' });
      assert.equal((await get(staff, `/teams/${team.id}`)).members, before.members);

      // The leader's file lists the team; the team's records are one click away.
      await page.goto(`${env.srv.url}/admin/members/${team.leader_id}`);
      await seeText(page.locator('[data-test="service-teams"]'), TEAM);
      await seeText(page.locator('[data-test="service-teams"]'), '队长');
      await page.goto(`${env.srv.url}/admin/teams/${team.id}`);
      await page.locator('[data-test="team-records"]').click();
      await page.waitForURL((u) => u.pathname === '/admin/records' && u.searchParams.get('team_id') === String(team.id));
      await seeText(page.locator('[data-test="chip-team_id"]'), TEAM);
      const records = await get(staff, `/records?team_id=${team.id}&per_page=1`);
      if (records.total) await seeText(page.locator('.el-pagination__total'), `共 ${records.total} 条`);
      else await seeText(page.locator('[data-test="records-table"]'), '没有符合条件的服务记录');
    });
  });

  test('a team disbanded with a reason', async (t) => {
    const staff = await client(env.srv, 'staff');
    const team = (await get(staff, '/teams')).items.find((x) => x.name === '石榴桥社区党员突击队');
    await withPage(t, env.browser, WIDE, async (page) => {
      await loginConsole(page, env.srv.url, 'staff');
      await page.goto(`${env.srv.url}/admin/teams/${team.id}`);
      await page.locator('[data-test="team-disband"]').click();
      const dialog = page.getByRole('dialog', { name: '解散服务队' });
      await dialog.locator('[data-test="reason-text"]').fill('并入街道突击队');
      await dialog.locator('[data-test="reason-submit"]').click();
      await seeText(page.locator('[data-test="team-state"]'), '已解散');
      await seeText(page.locator('main'), '服务队已解散：并入街道突击队');
      const after = await get(staff, `/teams/${team.id}`);
      assert.deepEqual([after.state, after.reason], ['disbanded', '并入街道突击队']);
    });
  });
});
