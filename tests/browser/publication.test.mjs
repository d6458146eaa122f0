// publication.test.mjs: 公示 in chromium: staff freeze the half-year in the console (how many first), the public page renders
// on a phone without login, a listed member objects from it, staff uphold and re-publish, the A4 and A3 posters print to PDF
import { test } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { Client } from '../lib/server.mjs';
import { loginAs } from '../api/helpers.mjs';
import { items, newFile, memberClient, made } from '../api/records-helpers.mjs';
import { serverAndBrowser, withPage, loginConsole, loginMobile, seeText, path } from './helpers.mjs';

const PHONE = { width: 390, height: 844, isMobile: true };
const MEMBER_PASSWORD = 'Member-own-password-1'; // what memberClient sets
let owner, second, pubId;

// Two members of 石榴桥社区 with services stamped a few hours ago (this half-year, unless it began this morning).
const env = serverAndBrowser({}, async (srv) => {
  const staff = await loginAs(srv, 'staff');
  const item = items(srv);
  const now = Math.floor(Date.now() / 1000);
  owner = await newFile(staff);
  second = await newFile(staff);
  await memberClient(srv, staff, owner);
  for (const [f, minutes] of [[owner, 90], [second, 60]]) {
    await made(staff, '/api/v1/records', { member_id: f.id, item_id: item.G07, started_at: now - 4 * 3600, minutes, place: '社区',
      content: '理发', confirm: true });
  }
});

// axe-core on the page: no critical violations (the others are reported).
async function axe(t, page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  for (const v of violations) t.diagnostic(`${v.impact} ${v.id}: ${v.help} (${v.nodes.length})`);
  assert.deepEqual(violations.filter((v) => v.impact === 'critical').map((v) => v.id), [], 'no critical accessibility violations');
}

const masked = (name) => `${name[0]}*${name.at(-1)}`;
const fits = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

test('staff freeze the half-year in the console: how many it lists is shown before, the rows after', async (t) => {
  await withPage(t, env.browser, {}, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.locator('.cl-side').getByText('积分公示').click();
    await page.waitForURL(/\/admin\/publications$/);
    await page.locator('[data-test="publication-freeze"]').click();
    await seeText(page.locator('[data-test="freeze-region"]'), '石榴桥社区');
    await seeText(page.locator('[data-test="freeze-preview"]'), '将公示 2 名党员');
    await page.locator('[data-test="freeze-submit"]').click();
    await page.waitForURL(/\/admin\/publications\/\d+$/);
    pubId = Number(path(page).split('/').pop());
    await seeText(page.locator('[data-test="publication-state"]'), '公示中');
    const rows = page.locator('[data-test="rows-table"] .el-table__body tr');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    await seeText(rows.first(), owner.name);
    await seeText(rows.first(), `公示为 ${masked(owner.name)}`);
    await page.locator('[data-test="publication-verify"]').click();
    await seeText(page.locator('[data-test="verify-result"]'), '核验通过');
    await axe(t, page);
  });
});

test('the public page renders on a phone without login, names partly hidden, 大字模式 fitting the screen', async (t) => {
  assert.ok(pubId, 'frozen by the test before');
  await withPage(t, env.browser, PHONE, async (page) => {
    await page.addInitScript(() => localStorage.setItem('baodao.largeFont', '1'));
    await page.goto(`${env.srv.url}/m/public/publications/${pubId}`);
    await seeText(page.locator('[data-test="publication-title"]'), '石榴桥社区');
    assert.equal(path(page), `/m/public/publications/${pubId}`, 'no login asked');
    const rows = page.locator('[data-test="publication-rows"] li');
    await rows.nth(1).waitFor();
    await seeText(rows.first(), masked(owner.name));
    await seeText(rows.first(), '4 分');
    await seeText(page.locator('[data-test="publication-state"]'), '公示中');
    const text = await page.locator('main').textContent();
    for (const f of [owner, second]) {
      assert.ok(!text.includes(f.name), `no full name ${f.name}`);
      assert.ok(!text.includes(f.phone), 'no phone');
    }
    assert.ok(await page.locator('[data-test="login-to-object"]').isVisible());
    assert.ok(await fits(page), 'no sideways scrolling in 大字模式');
    await axe(t, page);
  });
});

test('a listed member objects from the page; staff uphold it and re-publish; the page shows what changed', async (t) => {
  await withPage(t, env.browser, PHONE, async (page) => {
    await loginMobile(page, env.srv.url, owner.phone, MEMBER_PASSWORD);
    await page.goto(`${env.srv.url}/m/public/publications/${pubId}`);
    await seeText(page.locator('[data-test="my-row"]'), '第 1 名，4 分');
    await page.locator('[data-test="object"]').click();
    await page.locator('#rsheet-text').fill('11月18日的助老服务没有计入积分');
    await page.locator('[data-test="reason-submit"]').click();
    await seeText(page.locator('[data-test="my-objections"]'), '待答复');
    assert.equal(await page.locator('[data-test="object"]').count(), 0, 'one waits at a time');
    await axe(t, page);
  });
  await withPage(t, env.browser, {}, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.goto(`${env.srv.url}/admin/publications/${pubId}`);
    await seeText(page.locator('[data-test="objection-reason"]'), '助老服务');
    await page.locator('[data-test="objection-answer"]').click();
    await page.locator('[data-test="answer-uphold"]').getByText('属实，更正积分').click();
    await page.locator('[data-test="answer-points"] input').fill('5');
    await page.locator('#pa-text').fill('经核实补记助老服务 5 分');
    await page.locator('[data-test="answer-submit"]').click();
    await seeText(page.locator('[data-test="objection-state"]'), '已更正');
    await page.locator('[data-test="publication-republish"]').click();
    await page.locator('.el-dialog').getByRole('button', { name: '重新公示' }).click();
    await seeText(page.locator('[data-test="row-changed"]'), '原 4 分');
    await seeText(page.locator('[data-test="row-points"]'), '9');
  });
  const anon = new Client(env.srv.url);
  const pub = (await anon.get(`/api/v1/public/publications/${pubId}`)).json;
  assert.deepEqual([pub.version, pub.items[0].points, pub.items[0].prev_points], [2, 9, 4]);
});

test('the posters print to PDF through chromium: A4 and A3, without the console around them', async (t) => {
  await withPage(t, env.browser, {}, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    for (const [size, w, h] of [['A4', 595.92, 842.88], ['A3', 841.92, 1190.88]]) {
      await page.goto(`${env.srv.url}/admin/publications/${pubId}/poster?size=${size}`);
      await seeText(page.locator('[data-test="poster-title"]'), '积分公示');
      await seeText(page.locator('[data-test="poster-window"]'), '公示期');
      await seeText(page.locator('[data-test="poster-rows"]'), masked(owner.name));
      await page.waitForFunction(() => document.querySelector('[data-test="poster-qr"]')?.naturalWidth > 0);
      assert.equal(await page.locator('.cl-side').count(), 0, 'no console menu');
      if (size === 'A4') await axe(t, page);
      const rule = await page.locator('[data-test="poster-page-rule"]').textContent();
      assert.match(rule, new RegExp(`size: ${size} portrait`));
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf.toString('latin1'));
      assert.ok(box, 'a page size in the PDF');
      assert.ok(Math.abs(Number(box[1]) - w) < 2 && Math.abs(Number(box[2]) - h) < 2, `${size}: ${box[1]} × ${box[2]}`);
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('[data-test="poster-print"]').isVisible(), false, 'no buttons on paper');
      await page.emulateMedia({ media: 'screen' });
    }
  });
});
