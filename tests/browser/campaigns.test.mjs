// campaigns.test.mjs: 入户行动 (一户不落) end to end: staff create a campaign in the console dialog (the server's refusal at its
// field first), add a building of 1 unit × 2 floors × 2 rooms, publish, assign the demo member from the suggestions; on a phone
// he marks every door (visited with the form, declined, empty, nobody home then visited) and hands the walk in; the console's
// live page follows to 100 % / 已完成 without a reload
import { test } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { Client } from '../lib/server.mjs';
import { serverAndBrowser, withPage, loginConsole, loginMobile, seeText, confirmBox, path } from './helpers.mjs';

const SHILIUQIAO = '440111002011'; // the demo staff's community
const MEMBER = '13800001011'; // 陈建国, 石榴桥社区, report-in approved (demo)
const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844, isMobile: true };
const BUILDING = '石榴桥路 30 号';
const TITLE = '楼道消防安全入户宣传'; // the full demo has a 垃圾分类 campaign of its own
const env = serverAndBrowser({ demo: 'full' }); // 石榴桥社区's member files: 陈建国 and the others

async function client(login) {
  const c = new Client(env.srv.url);
  await c.login(login);
  return c;
}

// A building under a new grid of the staff's community, laid out 1 unit × floors 1..2 × 2 a floor.
async function newBuilding(staff) {
  const g = await staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: `${BUILDING}网格` });
  assert.equal(g.status, 201, g.text);
  const b = await staff.post(`/api/v1/regions/${g.json.code}/children`, { name: BUILDING });
  assert.equal(b.status, 201, b.text);
  const r = await staff.post(`/api/v1/buildings/${b.json.code}/households/generate`, { units: 1, floor_from: 1, floor_to: 2, per_floor: 2 });
  assert.deepEqual(r.json, { added: 4, kept: 0 });
  return b.json.code;
}

// A day n days from today in Asia/Shanghai, as the date picker takes it.
const dayFromNow = (n) => new Date(Date.now() + n * 86400000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
async function pickDate(page, id, day) {
  await page.locator(id).fill(day);
  await page.locator(id).press('Enter');
}

async function axe(t, page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  for (const v of violations) t.diagnostic(`${v.impact} ${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  assert.deepEqual(violations.filter((v) => v.impact === 'critical').map((v) => v.id), [], 'no critical accessibility violations');
}

test('a campaign from the console dialog to the last door on the phone; the live page reaches 100 %', async (t) => {
  const staff = await client('staff');
  await newBuilding(staff);
  const before = (await staff.get('/api/v1/campaigns')).json.total;
  await withPage(t, env.browser, WIDE, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.locator('.cl-side .el-menu-item', { hasText: '入户行动' }).click();
    await page.waitForURL((u) => u.pathname === '/admin/campaigns');
    await seeText(page.locator('h1'), '入户行动');

    // 新建行动: the end before the start is refused at 结束日期, nothing saved; then saved with two questions.
    await page.locator('[data-test="campaign-create"]').click();
    const dialog = page.getByRole('dialog', { name: '新建入户行动' });
    await dialog.locator('input[data-test="cf-title"]').fill(TITLE);
    await dialog.locator('textarea[data-test="cf-description"]').fill('每户发放宣传册，登记家里几口人');
    await seeText(dialog.locator('[data-test="cf-item"]'), '入户宣传');
    await pickDate(page, '#cf-ends', dayFromNow(-30));
    await dialog.locator('[data-test="cf-add-field"]').click();
    const first = dialog.locator('[data-test="cf-line-0"]');
    await first.locator('input[data-test="field-name"]').fill('常住人数');
    await first.locator('[data-test="field-type"]').click();
    await page.getByRole('option', { name: '数字' }).last().click();
    await first.locator('[data-test="field-required"]').click();
    await dialog.locator('[data-test="cf-add-field"]').click();
    const second = dialog.locator('[data-test="cf-line-1"]');
    await second.locator('input[data-test="field-name"]').fill('是否知晓分类');
    await second.locator('[data-test="field-type"]').click();
    await page.getByRole('option', { name: '单选' }).last().click();
    await second.locator('textarea[data-test="field-choices"]').fill('知晓\n不知晓');
    await dialog.locator('[data-test="cf-save"]').click();
    await seeText(dialog.locator('[data-test="cf-ends-item"] .el-form-item__error'), '结束日期不能早于开始日期');
    assert.equal(await dialog.isVisible(), true, 'the dialog stays open');
    assert.equal((await staff.get('/api/v1/campaigns')).json.total, before, 'nothing saved');
    await pickDate(page, '#cf-ends', dayFromNow(30));
    await dialog.locator('[data-test="cf-save"]').click();
    await page.waitForURL(/\/admin\/campaigns\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    await seeText(page.locator('[data-test="cp-state"]'), '草稿');
    const made = (await staff.get(`/api/v1/campaigns/${id}`)).json;
    assert.deepEqual([made.title, made.item_name, made.fields.map((f) => [f.name, f.type, f.required]), made.fields[1].choices],
      [TITLE, '入户宣传', [['常住人数', 'number', true], ['是否知晓分类', 'choice', false]], ['知晓', '不知晓']]);

    // 添加楼栋 (the whole building, one walker), 发布.
    await page.locator('[data-test="cp-add"]').click();
    const add = page.locator('[data-test="cp-add-dialog"]');
    await add.locator('[data-test="cp-building"]', { hasText: BUILDING }).click();
    await add.locator('[data-test="cp-add-save"]').click();
    await seeText(page.locator('.el-message--success'), '已添加 1 个走访片区');
    const row = page.locator('[data-test="cp-stretches"] .el-table__body-wrapper .el-table__row', { hasText: BUILDING });
    await seeText(row, '0 / 4 户');
    await seeText(row.locator('[data-test="cp-walker"]'), '未分配');
    await page.locator('[data-test="cp-publish"]').click();
    await confirmBox(page, '发布');
    await seeText(page.locator('[data-test="cp-state"]'), '进行中');
    await page.locator('[data-test="cp-live"]').waitFor();

    // 分配: 陈建国 from the suggestions, with where he lives in words and what he walks already.
    await row.locator('[data-test="cp-assign"]').click();
    const assign = page.locator('[data-test="cp-assign-dialog"]');
    const chen = assign.locator('[data-test="cp-suggestion"]', { hasText: '陈建国' });
    await seeText(chen.locator('[data-test="cp-near"]'), /同住本楼|同一网格|本社区/);
    await seeText(chen, '正在走访 0 处');
    await chen.locator('[data-test="cp-pick"]').click();
    await seeText(page.locator('.el-message--success'), '已分配给 陈建国');
    await seeText(row.locator('[data-test="cp-walker"]'), '陈建国');

    // Its doors, all 未走访 (grey, dashed), top floor first.
    await row.locator('[data-test="cp-open"]').click();
    const rooms = page.locator('[data-test="cp-doors"] [data-test="bg-room"]');
    await rooms.nth(3).waitFor();
    assert.deepEqual(await rooms.evaluateAll((els) => els.map((e) => [e.querySelector('.bg-room-no').textContent, e.dataset.state])),
      [['201', 'todo'], ['202', 'todo'], ['101', 'todo'], ['102', 'todo']]);
    assert.deepEqual(await page.locator('[data-test="cp-doors"] [data-test="bg-legend"]').allTextContents(), ['未走访', '已走访', '无人在家', '拒绝', '空置']);
    await axe(t, page);

    // On the phone (the console page stays open): the home's 我的入户 → the building.
    await withPage(t, env.browser, PHONE, async (phone) => {
      await loginMobile(phone, env.srv.url, MEMBER);
      await phone.locator('[data-test="tile-campaign"]').click();
      await phone.waitForURL((u) => u.pathname === '/m/campaigns');
      const card = phone.locator('[data-test="my-stretch"]', { hasText: BUILDING });
      await seeText(card, BUILDING);
      await seeText(card, '已完成 0 / 4 户');
      await card.click();
      await phone.waitForURL(/\/m\/campaigns\/\d+$/);
      await seeText(phone.locator('[data-test="cw-where"]'), BUILDING);
      const door = (room) => phone.locator(`[data-test="cw-door"][data-room="${room}"]`);
      assert.deepEqual(await phone.locator('[data-test="cw-door"]').evaluateAll((els) => els.map((e) => e.dataset.room)), ['201', '202', '101', '102']);
      const done = phone.locator('[data-test="cw-done"]');
      assert.equal(await done.isDisabled(), true, '提交走访 waits for every door');

      // 201 visited with the form: the required question is asked for, then answered.
      await door('201').locator('[data-test="cw-visited"]').click();
      const visit = phone.locator('[data-test="visit-form"]');
      await visit.waitFor();
      await visit.locator('[data-test="visit-submit"]').click();
      await seeText(visit.locator('.van-field__error-message'), '常住人数');
      await visit.getByLabel('常住人数').fill('3');
      await visit.locator('.van-radio').getByText('知晓', { exact: true }).click();
      await visit.getByLabel('备注').fill('老人独居');
      await visit.locator('[data-test="visit-submit"]').click();
      await visit.waitFor({ state: 'hidden' });
      await seeText(door('201').locator('[data-test="cw-door-state"]'), '已走访');
      await seeText(phone.locator('[data-test="cw-progress"]'), '已完成 1 / 4 户');

      // 202 declined, 101 empty, 102 nobody home (not final), then visited on a second knock.
      await door('202').locator('[data-test="cw-declined"]').click();
      await seeText(door('202').locator('[data-test="cw-door-state"]'), '拒绝');
      await door('101').locator('[data-test="cw-empty"]').click();
      await seeText(door('101').locator('[data-test="cw-door-state"]'), '空置');
      await door('102').locator('[data-test="cw-absent"]').click();
      await seeText(door('102').locator('[data-test="cw-door-state"]'), '无人在家');
      await seeText(phone.locator('[data-test="cw-progress"]'), '已完成 3 / 4 户');
      await door('102').locator('[data-test="cw-visited"]').click();
      await visit.waitFor();
      await visit.getByLabel('常住人数').fill('2');
      await visit.locator('[data-test="visit-submit"]').click();
      await visit.waitFor({ state: 'hidden' });
      await seeText(door('102').locator('[data-test="cw-door-state"]'), '已走访');
      await seeText(phone.locator('[data-test="cw-progress"]'), '已完成 4 / 4 户');
      await axe(t, phone);

      // 提交走访: 90 minutes, 走访户数 filled in with the 4 households.
      assert.equal(await done.isDisabled(), false);
      await done.click();
      const hand = phone.locator('[data-test="walk-done-form"]');
      await hand.waitFor();
      assert.equal(await hand.getByLabel('走访户数').inputValue(), '4');
      await hand.locator('[data-test="cw-minutes"]').nth(2).click();
      await hand.locator('[data-test="walk-done-submit"]').click();
      await hand.waitFor({ state: 'hidden' });
      await phone.locator('[data-test="cw-handed-in"]').waitFor();
      assert.equal(await done.count(), 0, 'handed in once');
      const s = (await staff.get(`/api/v1/campaigns/${id}/coverage`)).json.stretches[0];
      const rec = (await staff.get(`/api/v1/records/${s.record_id}`)).json;
      assert.deepEqual([rec.source, rec.state, rec.minutes], ['campaign', 'pending', 90]);
      assert.match(rec.content, /走访 4 户/);
      assert.equal(path(phone), `/m/campaigns/${s.id}`);
    });

    // Back in the console, without a reload: the live page has followed every mark.
    await seeText(page.locator('[data-test="cp-complete"]'), '已完成', 20000);
    assert.equal(await page.locator('.cp-cover [role="progressbar"]').first().getAttribute('aria-valuenow'), '100');
    await seeText(row, '4 / 4 户');
    await seeText(row.locator('[data-test="cp-handed-in"]'), '已提交走访');
    assert.deepEqual(await rooms.evaluateAll((els) => els.map((e) => e.dataset.state)), ['visited', 'declined', 'empty', 'visited']);
    const [sheet] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="cp-export"]').click()]);
    assert.match(sheet.suggestedFilename(), /\.xlsx$/, '导出表格 downloads the sheet');
    const cov = (await staff.get(`/api/v1/campaigns/${id}/coverage`)).json;
    assert.deepEqual(cov.tally, { households: 4, todo: 0, visited: 2, absent: 0, declined: 1, empty: 1, final: 4, complete: true });
    await page.goto(`${env.srv.url}/admin/campaigns`);
    const listed = page.locator('[data-test="campaigns-table"] .el-table__row', { hasText: TITLE });
    await seeText(listed.locator('[data-test="cv-progress"]'), '4 / 4 户');
    await seeText(listed.locator('[data-test="cv-state"]'), '进行中');
  });
});

test('org: a campaign for a community it picks; a question without a name is refused at its line, nothing saved', async (t) => {
  const org = await client('org');
  const before = (await org.get('/api/v1/campaigns')).json.total;
  await withPage(t, env.browser, WIDE, async (page) => {
    await loginConsole(page, env.srv.url, 'org');
    await page.goto(`${env.srv.url}/admin/campaigns`);
    await page.locator('[data-test="campaigns-table"] .el-table__row').first().waitFor();
    await page.locator('[data-test="campaign-create"]').click();
    const dialog = page.getByRole('dialog', { name: '新建入户行动' });
    await dialog.locator('.el-form-item', { hasText: '社区或街道' }).locator('.el-select__wrapper').click();
    await page.getByRole('option', { name: /^石榴桥社区/ }).first().click();
    await seeText(dialog.locator('[data-test="cf-item"]'), '入户宣传');
    await dialog.locator('input[data-test="cf-title"]').fill('养犬登记');
    await pickDate(page, '#cf-ends', dayFromNow(10));
    await dialog.locator('[data-test="cf-add-field"]').click();
    await dialog.locator('[data-test="cf-save"]').click();
    const line = dialog.locator('[data-test="cf-line-0"] .el-form-item__error');
    await line.waitFor();
    assert.ok((await line.textContent()).trim(), 'the line says what is wrong');
    assert.equal((await org.get('/api/v1/campaigns')).json.total, before, 'nothing saved');
    await dialog.locator('[data-test="cf-line-0"] input[data-test="field-name"]').fill('犬只数量');
    await dialog.locator('[data-test="cf-save"]').click();
    await page.waitForURL(/\/admin\/campaigns\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const made = (await org.get(`/api/v1/campaigns/${id}`)).json;
    assert.deepEqual([made.region_code, made.title, made.fields.map((f) => f.name)], [SHILIUQIAO, '养犬登记', ['犬只数量']]);
    await axe(t, page);
  });
});
