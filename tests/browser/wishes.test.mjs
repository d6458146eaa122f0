// wishes.test.mjs: 微心愿 end to end in the browser: staff paste three wishes (批量录入, a bad line refused before sending)
// and approve them in bulk; the public wall shows them with names masked; the demo member claims one on a phone (another
// member's claim is refused naming the winner) and reports it fulfilled; staff confirm it into the member's record
import { test } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { Client } from '../lib/server.mjs';
import { serverAndBrowser, withPage, loginConsole, loginMobile, seeText, confirmBox, path } from './helpers.mjs';

const SHILIUQIAO = '440111002011'; // the demo staff's community
const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844, isMobile: true };
const MEMBER = '13800001011'; // 陈建国, 石榴桥社区, report-in approved (demo)
const OTHER = '13800001013'; // 黄志强, the same community
const WISHES = [
  { name: '王小明', title: '一台能听戏的收音机', cap: 100 },
  { name: '李秀英', title: '冬天盖的厚棉被', cap: 200 },
  { name: '张建华', title: '陪我去医院复查', cap: null },
];
const env = serverAndBrowser({ demo: 'full' });
const made = {}; // title → wish id

async function client(login) {
  const c = new Client(env.srv.url);
  await c.login(login);
  return c;
}
// Fails on critical accessibility violations (as a11y.test.mjs), the others as diagnostics.
async function axe(t, page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  for (const v of violations) t.diagnostic(`${v.impact} ${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  assert.deepEqual(violations.filter((v) => v.impact === 'critical').map((v) => v.id), [], 'no critical accessibility violations');
}
const rowOf = (page, title) => page.locator('[data-test="wishes-table"] .el-table__body-wrapper .el-table__row', { hasText: title });

test('staff paste three wishes (a bad line shown and left out), then approve and publish them together', async (t) => {
  await withPage(t, env.browser, WIDE, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.goto(`${env.srv.url}/admin/wishes`);
    await page.locator('.el-menu-item', { hasText: '微心愿' }).waitFor();
    await page.locator('[data-test="wish-bulk-open"]').click();
    const dlg = page.locator('[data-test="wish-bulk"]');
    // As copied from Excel: tab-separated; the third has no cap; the last asks more than the cap allows.
    const pasted = [...WISHES.map((w) => [w.name, w.title, w.cap ?? ''].join('\t')), '赵大妈\t一台洗衣机\t20000'].join('\n');
    await dlg.locator('textarea[data-test="wb-text"]').fill(pasted);
    await seeText(dlg.locator('[data-test="wb-count"]'), '共 4 行，3 行可录入');
    const preview = dlg.locator('[data-test="wb-preview"] .el-table__body-wrapper .el-table__row');
    assert.equal(await preview.count(), 4);
    await seeText(preview.nth(3).locator('[data-test="wb-status"]'), '限额应为 1–10000 的整数');
    await seeText(preview.nth(2), '不限');
    // Not without the beneficiaries' consent.
    await dlg.locator('[data-test="wb-start"]').click();
    await seeText(page.locator('.el-message--error'), '须经受益人同意');
    await dlg.locator('[data-test="wb-consent"]').click();
    await dlg.locator('[data-test="wb-start"]').click();
    await seeText(dlg.locator('[data-test="wb-progress"]'), '录入完成：成功 3 条，失败 0 条');
    for (let i = 0; i < 3; i++) await seeText(preview.nth(i).locator('[data-test="wb-status"]'), '已录入');
    await seeText(preview.nth(3).locator('[data-test="wb-status"]'), '限额应为');
    await dlg.getByRole('button', { name: '关闭', exact: true }).last().click();
    await dlg.waitFor({ state: 'hidden' });

    // The three wait for review; ticked and approved together.
    for (const w of WISHES) await seeText(rowOf(page, w.title).locator('[data-test="wish-state"]'), '待审核');
    const bulk = page.locator('[data-test="wish-bulk-approve"]');
    assert.equal(await bulk.isDisabled(), true, 'nothing ticked: nothing to approve');
    for (const w of WISHES) await rowOf(page, w.title).locator('.el-checkbox').click();
    await seeText(bulk, '批量审核发布（3）');
    await bulk.click();
    await confirmBox(page, '批量审核发布');
    await seeText(page.locator('.el-message--success'), '已审核发布 3 条心愿');
    for (const w of WISHES) await seeText(rowOf(page, w.title).locator('[data-test="wish-state"]'), '已发布');
    await axe(t, page);

    // The wall's link to share.
    await page.locator('[data-test="wish-share"]').click();
    const link = await page.locator('input[data-test="wish-share-link"]').inputValue();
    assert.equal(link, `${env.srv.url}/m/wishes/wall/${SHILIUQIAO}`);
    await page.keyboard.press('Escape');
  });
  const staff = await client('staff');
  const r = await staff.get(`/api/v1/wishes?community_code=${SHILIUQIAO}&state=published&per_page=100`);
  assert.equal(r.status, 200, r.text);
  for (const w of WISHES) {
    const row = r.json.items.find((x) => x.title === w.title);
    assert.ok(row, `${w.title} is published`);
    assert.equal(row.beneficiary_name, w.name);
    assert.equal(row.value_cap, w.cap);
    made[w.title] = row.id;
  }
  assert.equal(r.json.items.some((x) => x.title === '一台洗衣机'), false, 'the refused line was never sent');
});

test('the public wall shows the published wishes without login, names masked', async (t) => {
  await withPage(t, env.browser, PHONE, async (page) => {
    await page.goto(`${env.srv.url}/m/wishes/wall/${SHILIUQIAO}`);
    const cards = page.locator('[data-test="wall-wish"]');
    await cards.first().waitFor();
    assert.equal(path(page), `/m/wishes/wall/${SHILIUQIAO}`, 'no login asked');
    const text = await page.locator('[data-test="wall-wishes"]').textContent();
    for (const w of WISHES) {
      await seeText(cards.filter({ hasText: w.title }), `${w.name[0]}*`);
      assert.ok(!text.includes(w.name), `${w.name} is not shown in full`);
    }
    await seeText(cards.filter({ hasText: WISHES[0].title }), '限额 100 元');
    await axe(t, page);
    await page.goto(`${env.srv.url}/m/wishes/wall/999999999999`);
    await page.locator('[data-test="not-found"]').waitFor();
  });
});

test('the demo member goes from the wall to claim a wish, loses a race for another, and reports one fulfilled', async (t) => {
  const [mine, lost] = [WISHES[0].title, WISHES[1].title];
  await withPage(t, env.browser, PHONE, async (page) => {
    await page.goto(`${env.srv.url}/m/wishes/wall/${SHILIUQIAO}`);
    await page.locator('[data-test="wall-go-claim"]').click();
    await page.waitForURL(/\/m\/login/);
    await loginMobile(page, env.srv.url, MEMBER);
    await page.waitForURL(/\/m\/wishes$/);
    const open = page.locator('[data-test="open-wishes"] .mc-card');
    await open.filter({ hasText: mine }).waitFor();
    await seeText(open.filter({ hasText: mine }), '王*');

    // 黄志强 claims the second while the page shows it: our claim is refused, naming him.
    const other = await client(OTHER);
    const took = await other.post(`/api/v1/wishes/${made[lost]}/claim`, { as: 'member' });
    assert.equal(took.status, 200, took.text);
    // 陈建国 leads the community's medical team (demo): he is asked whether he claims for himself or for it.
    await open.filter({ hasText: lost }).locator('[data-test="wish-claim"]').click();
    await seeText(page.locator('[data-test="act-as"]'), '以服务队「石榴桥社区党员医疗服务队」');
    await page.locator('[data-test="act-as-member"]').click();
    await seeText(page.locator('.van-toast'), '已被黄志强认领');
    await open.filter({ hasText: lost }).waitFor({ state: 'detached' });

    await open.filter({ hasText: mine }).locator('[data-test="wish-claim"]').click();
    await page.locator('[data-test="act-as-member"]').click();
    const card = page.locator('[data-test="my-wishes"] .mc-card', { hasText: mine });
    await seeText(card.locator('[data-test="my-wish-state"]'), '已认领');
    await seeText(card, '请在');
    await axe(t, page);
    assert.equal(await open.filter({ hasText: mine }).count(), 0, 'off the wall once claimed');

    await card.locator('[data-test="wish-fulfil"]').click();
    const form = page.locator('[data-test="fulfil-form"]');
    await form.locator('textarea').fill('买了收音机送到家中，教老人调到戏曲台');
    // Over the cap of 100 yuan: refused before sending.
    await form.locator('#wf-spent').fill('150');
    await form.locator('#wf-minutes').fill('90');
    await form.locator('[data-test="fulfil-submit"]').click();
    await seeText(form, '不能超过限额 100 元');
    await form.locator('#wf-spent').fill('88');
    await form.locator('[data-test="fulfil-submit"]').click();
    await form.waitFor({ state: 'hidden' });
    await seeText(card.locator('[data-test="my-wish-state"]'), '待确认');
  });
  const me = await client(MEMBER);
  const w = (await me.get(`/api/v1/wishes/${made[mine]}`)).json;
  assert.equal(w.state, 'fulfilled');
  assert.deepEqual([w.value_spent, w.minutes, w.claimer.name], [88, 90, '陈建国']);
});

test('staff confirm the fulfilled wish: closed, with the member\'s confirmed record from the wish', async (t) => {
  const title = WISHES[0].title;
  await withPage(t, env.browser, WIDE, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.goto(`${env.srv.url}/admin/wishes`);
    const row = rowOf(page, title);
    await seeText(row.locator('[data-test="wish-state"]'), '已完成');
    await seeText(row, '陈建国');
    await seeText(rowOf(page, WISHES[1].title), '黄志强');
    await row.locator('[data-test="wish-confirm"]').click();
    const dlg = page.locator('[data-test="wish-confirm-dialog"]');
    await seeText(dlg, '教老人调到戏曲台');
    await seeText(dlg, '1 小时 30 分钟');
    await dlg.locator('[data-test="wish-confirm-submit"]').click();
    await seeText(page.locator('.el-message--success'), '已确认圆梦');
    await seeText(row.locator('[data-test="wish-state"]'), '已关闭');
  });
  const staff = await client('staff');
  const w = (await staff.get(`/api/v1/wishes/${made[title]}`)).json;
  assert.equal(w.state, 'closed');
  assert.ok(w.record_id, 'a record was written');
  const rec = await staff.get(`/api/v1/records/${w.record_id}`);
  assert.equal(rec.status, 200, rec.text);
  assert.deepEqual([rec.json.source, rec.json.state, rec.json.member_name, rec.json.minutes], ['wish', 'confirmed', '陈建国', 90]);
});

test('staff enter one wish published at once (consent required), and refuse another with a reason', async (t) => {
  await withPage(t, env.browser, WIDE, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.goto(`${env.srv.url}/admin/wishes`);
    await page.locator('[data-test="wishes-table"]').waitFor();
    const enter = async (name, title, publish) => {
      await page.locator('[data-test="wish-create"]').click();
      const form = page.locator('[data-test="wish-form"]');
      await form.locator('input[data-test="wf-beneficiary"]').fill(name);
      await form.locator('input[data-test="wf-title"]').fill(title);
      await form.locator('textarea[data-test="wf-description"]').fill('腿脚不便，独自居住');
      await form.locator('#wf-cap').fill('50');
      if (publish) await form.locator('[data-test="wf-publish"]').click();
      await page.locator('[data-test="wf-save"]').click();
      await seeText(form, '须经受益人同意才能录入');
      await form.locator('[data-test="wf-consent"]').click();
      await page.locator('[data-test="wf-save"]').click();
      await form.waitFor({ state: 'hidden' });
    };
    await enter('周阿姨', '一副老花镜', true);
    await seeText(rowOf(page, '一副老花镜').locator('[data-test="wish-state"]'), '已发布');
    await seeText(rowOf(page, '一副老花镜'), '50 元');
    await enter('孙伯伯', '一部新手机', false);
    const row = rowOf(page, '一部新手机');
    await seeText(row.locator('[data-test="wish-state"]'), '待审核');
    await row.locator('[data-test="wish-refuse"]').click();
    const dlg = page.locator('[data-test="reason-dialog"]');
    await dlg.locator('textarea').fill('超出微心愿的帮扶范围');
    await dlg.locator('[data-test="reason-submit"]').click();
    await seeText(row.locator('[data-test="wish-state"]'), '不予通过');
    assert.equal(await row.locator('.el-checkbox.is-disabled').count(), 1, 'only submitted wishes can be ticked');
  });
  const staff = await client('staff');
  const { items } = (await staff.get(`/api/v1/wishes?community_code=${SHILIUQIAO}&per_page=100`)).json;
  const refused = items.find((w) => w.title === '一部新手机');
  const w = (await staff.get(`/api/v1/wishes/${refused.id}`)).json;
  assert.deepEqual([w.state, w.refuse_reason, w.description, w.value_cap], ['refused', '超出微心愿的帮扶范围', '腿脚不便，独自居住', 50]);
});

test('the resident whose wish it is sees who makes it come true, and confirms it on the phone (我的心愿)', async (t) => {
  const staff = await client('staff');
  const resident = await client('resident');
  const me = (await resident.get('/api/v1/me')).json;
  const w = await staff.post('/api/v1/wishes', { community_code: SHILIUQIAO, beneficiary_name: '张阿姨', title: '一把结实的拐杖',
    value_cap: 80, consent: true, publish: true, beneficiary_account_id: me.id });
  assert.equal(w.status, 201, w.text);
  const member = await client(OTHER); // 陈建国 fulfilled one a moment ago: this service would overlap his
  assert.equal((await member.post(`/api/v1/wishes/${w.json.id}/claim`, { as: 'member' })).status, 200);
  assert.equal((await member.post(`/api/v1/wishes/${w.json.id}/fulfil`, { note: '买了拐杖送到家', value_spent: 60, minutes: 30 })).status, 200);
  await withPage(t, env.browser, PHONE, async (page) => {
    await page.addInitScript(() => localStorage.setItem('baodao.largeFont', '1'));
    await loginMobile(page, env.srv.url, 'resident');
    await page.locator('[data-test="tile-mywish"]').click();
    await page.waitForURL(/\/m\/mine\/wishes$/);
    const card = page.locator(`[data-test="wish-${w.json.id}"]`);
    await seeText(card, '一把结实的拐杖');
    await seeText(card, '正在帮您实现');
    await axe(t, page);
    await card.locator('[data-test="wish-confirm"]').click();
    await page.getByRole('dialog').getByRole('button', { name: '确认圆梦' }).click();
    await seeText(card, '已圆梦');
  });
  const done = (await staff.get(`/api/v1/wishes/${w.json.id}`)).json;
  assert.equal(done.state, 'closed');
  assert.equal((await staff.get(`/api/v1/records/${done.record_id}`)).json.state, 'confirmed');
});
