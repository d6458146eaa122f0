// care.test.mjs: 帮扶对象 in the console and 我的结对 on a phone: staff see the register masked (张*, 已登记 2 项) and the
// categories only after giving a reason (audited); a paired member whose visit is overdue logs one in a few taps, and the
// overdue list changes
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '../lib/server.mjs';
import { png } from '../api/images.mjs';
import { serverAndBrowser, withPage, loginConsole, loginMobile, seeText, ADMIN_PASSWORD } from './helpers.mjs';

const SHILIUQIAO = '440111002011';
const MEMBER = '13800001011'; // 陈建国, 石榴桥社区, report-in approved (demo)
const T0 = Date.UTC(2026, 2, 2, 2, 0, 0) / 1000; // 2026-03-02 10:00 in China
const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844, isMobile: true };
let entry;

const env = serverAndBrowser({ demo: 'full', clock: T0 }, async (srv) => {
  const staff = new Client(srv.url);
  await staff.login('staff');
  const r = await staff.post('/api/v1/care', { community_code: SHILIUQIAO, name: '张秀英', phone: '13800138000',
    address: '石榴桥路 8 号 301', categories: ['empty_nest', 'serious_illness'], basis: 'consent', consented_on: '2026-03-01',
    help_what: '每周买菜、陪同就医', help_often: '每周一次', health_note: '冠心病，每日服药' });
  assert.equal(r.status, 201, r.text);
  entry = r.json;
  const member = new Client(srv.url);
  await member.login(MEMBER);
  const memberId = (await member.get('/api/v1/me/member')).json.member.id;
  const p = await staff.post(`/api/v1/care/${entry.id}/pairings`, { member_id: memberId });
  assert.equal(p.status, 201, p.text);
});

test('staff see the register masked, and the categories and health note only after giving a reason', async (t) => {
  await withPage(t, env.browser, WIDE, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.locator('.cl-side .el-menu-item', { hasText: '帮扶对象' }).click();
    await page.waitForURL((u) => u.pathname === '/admin/care');
    const list = page.locator('[data-test="care-list"]');
    await seeText(list, '张*');
    await seeText(list, '已登记 2 项');
    const text = await list.textContent();
    for (const s of ['张秀英', '重病', '冠心病']) assert.ok(!text.includes(s), `the list never shows ${s}`);
    await seeText(list, '刘*'); // the demo's register: 张阿姨, 刘伯, 李小明
    assert.equal(await list.locator('.el-table__body-wrapper .el-table__row').count(), 4);
    await list.locator('.el-table__row', { hasText: '石榴桥路 8 号 301' }).getByRole('button', { name: '张*' }).click();
    const drawer = page.locator('.cv-drawer');
    await seeText(drawer, '已加密');
    assert.ok(!(await drawer.textContent()).includes('冠心病'));
    await drawer.locator('[data-test="care-reveal"]').click();
    const dlg = page.locator('[data-test="reason-dialog"]');
    await dlg.locator('[data-test="reason-text"]').fill('制定帮扶计划');
    await dlg.locator('[data-test="reason-submit"]').click();
    await seeText(drawer, '独居/空巢老人、重病');
    await seeText(drawer, '冠心病，每日服药');
  });
  const admin = new Client(env.srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const audit = (await admin.get('/api/v1/audit?action=care.reveal')).json.items;
  assert.deepEqual(audit.map((a) => [a.target_id, a.detail]), [[String(entry.id), '制定帮扶计划']], 'the reveal is audited with its reason');
});

test('a paired member sees the visit overdue on the phone, logs one in a few taps, and the overdue list changes', async (t) => {
  env.srv.setClock(T0 + 8 * 86400); // 2026-03-10: the weekly visit was due on 03-09
  const staff = new Client(env.srv.url);
  await staff.login('staff');
  const overdue = async () => (await staff.get(`/api/v1/communities/${SHILIUQIAO}/care/overdue`)).json.items.map((x) => x.id);
  assert.ok((await overdue()).includes(entry.id));
  await withPage(t, env.browser, PHONE, async (page) => {
    await loginMobile(page, env.srv.url, MEMBER);
    await page.goto(`${env.srv.url}/m/mine/pairings`);
    const card = page.locator(`[data-test="pairing-${entry.id}"]`);
    await seeText(card, '张秀英');
    await seeText(card, '石榴桥路 8 号 301');
    await seeText(card, '该走访了');
    const text = await card.textContent();
    for (const s of ['重病', '冠心病', '13800138000']) assert.ok(!text.includes(s), `the member never sees ${s}`);
    await card.locator('[data-test="log-visit"]').click();
    await page.locator('.van-radio', { hasText: '电话' }).click();
    await page.locator('.van-popup .van-field', { hasText: '近况' }).locator('textarea').fill('精神不错，按时服药');
    await page.locator('[data-test="visit-submit"]').click();
    await seeText(page.locator('.van-toast'), '已登记');
    await seeText(card, '2026-03-17');
    assert.equal(await card.locator('.van-tag', { hasText: '该走访了' }).count(), 0, 'no longer overdue');
  });
  assert.ok(!(await overdue()).includes(entry.id), 'the overdue list changes');
  const visits = (await staff.get(`/api/v1/care/${entry.id}/visits`)).json.items;
  assert.deepEqual(visits.map((v) => [v.how, v.wellbeing, v.record_id > 0]), [['phone', '精神不错，按时服药', true]]);
});

test('what a visit found becomes the resident\'s need in one step, linked to the visit; the register exports with a reason', async (t) => {
  const staff = new Client(env.srv.url);
  await staff.login('staff');
  const v = await staff.post(`/api/v1/care/${entry.id}/visits`, { how: 'home', wellbeing: '腿脚不便', needs: '厨房水龙头漏水，想找人修' });
  assert.equal(v.status, 201, v.text);
  await withPage(t, env.browser, WIDE, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.goto(`${env.srv.url}/admin/care`);
    const list = page.locator('[data-test="care-list"]');
    await list.locator('.el-table__row', { hasText: '石榴桥路 8 号 301' }).getByRole('button', { name: '张*' }).click();
    await page.locator(`[data-test="visit-open-${v.json.id}"]`).click();
    await seeText(page.locator(`[data-test="visit-${v.json.id}"]`), '未征得本人同意拍照');
    await page.locator(`[data-test="visit-to-need-${v.json.id}"]`).click();
    await page.locator('[data-test="make-item"]').click();
    await page.locator('.el-select-dropdown__item:visible').first().click();
    await page.locator('[data-test="make-send"]').click();
    await seeText(page.locator('.el-message--success'), '已生成居民需求');
    await seeText(page.locator(`[data-test="visit-${v.json.id}"]`), '已生成需求');
    // The register as .xlsx with its sensitive columns: only after a reason.
    await page.keyboard.press('Escape');
    await page.locator('[data-test="care-export-sensitive"]').click();
    const dlg = page.locator('[data-test="reason-dialog"]');
    await dlg.locator('[data-test="reason-text"]').fill('上报区民政局核对');
    const [file] = await Promise.all([page.waitForEvent('download'), dlg.locator('[data-test="reason-submit"]').click()]);
    assert.match(file.suggestedFilename(), /-sensitive\.xlsx$/);
  });
  const visit = (await staff.get(`/api/v1/visits/${v.json.id}`)).json;
  assert.deepEqual(visit.made.map((m) => m.kind), ['need']);
  const made = (await staff.get(`/api/v1/needs/${visit.made[0].id}`)).json;
  assert.deepEqual([made.channel, made.contact_name, made.contact_phone, made.description, made.visit_id],
    ['visit', '张秀英', '13800138000', '厨房水龙头漏水，想找人修', v.json.id]);
  const admin = new Client(env.srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const audit = (await admin.get('/api/v1/audit?action=care.export')).json.items;
  assert.deepEqual(audit.map((a) => a.detail), ['上报区民政局核对'], 'the export is audited with its reason');
});

test('a paired member takes photos only with consent, and makes a micro-wish of what the visit found in one tap', async (t) => {
  env.srv.setClock(T0 + 9 * 86400); // a day after the last visit (a member's two records may not overlap)
  await withPage(t, env.browser, PHONE, async (page) => {
    await loginMobile(page, env.srv.url, MEMBER);
    await page.goto(`${env.srv.url}/m/mine/pairings`);
    const card = page.locator(`[data-test="pairing-${entry.id}"]`);
    await card.locator('[data-test="log-visit"]').click();
    assert.equal(await page.locator('[data-test="photo-album"]').count(), 0, 'no photos without consent');
    await page.locator('.van-popup .van-field', { hasText: '发现的需求' }).locator('textarea').fill('想要一台收音机');
    await page.locator('[data-test="visit-photo-consent"]').click();
    await page.locator('[data-test="photo-album"]').setInputFiles({ name: 'visit.png', mimeType: 'image/png', buffer: png(320, 240) });
    await page.locator('[data-test="photo-ready"]').waitFor();
    await page.locator('[data-test="visit-submit"]').click();
    await page.locator('[data-test="visit-to-wish"]').click();
    await page.locator('[data-test="make-consent"]').click();
    await page.locator('[data-test="make-send"]').click();
    await seeText(page.locator('.van-toast'), '已生成微心愿');
  });
  const staff = new Client(env.srv.url);
  await staff.login('staff');
  const latest = (await staff.get(`/api/v1/care/${entry.id}/visits`)).json.items[0];
  const visit = (await staff.get(`/api/v1/visits/${latest.id}`)).json;
  assert.deepEqual([visit.photo_consent, visit.photos.length, visit.made.map((m) => [m.kind, m.title])],
    [true, 1, [['wish', '想要一台收音机']]]);
});
