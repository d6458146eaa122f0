// unit-tasks.test.mjs: 单位任务 in the console: the demo unit (a co-building agreement with 石榴桥) sees the published
// wishes of its partner community, claims one for the unit, and it moves to what the unit holds, marked 已认领; 圆梦 follows.
// On a phone, a team's leader claims a wish and takes a need 以服务队「队名」: both then show as the team's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '../lib/server.mjs';
import { serverAndBrowser, withPage, loginConsole, loginMobile, seeText } from './helpers.mjs';

const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844, isMobile: true };
const SHILIUQIAO = '440111002011';
const LEADER = '13800001011'; // 陈建国, leader of 石榴桥社区党员医疗服务队 (demo)
const TEAM = '石榴桥社区党员医疗服务队';
const env = serverAndBrowser({ demo: 'full' });
const rows = (page, table) => page.locator(`[data-test="${table}"] .el-table__body-wrapper .el-table__row`);

test('the demo unit claims a wish of its partner community on 单位任务, then reports it fulfilled', async (t) => {
  await withPage(t, env.browser, WIDE, async (page) => {
    await loginConsole(page, env.srv.url, 'unit');
    await page.locator('.el-menu-item', { hasText: '单位任务' }).click();
    await page.waitForURL(/\/admin\/unit-tasks$/);
    const open = rows(page, 'unit-open-wishes');
    await open.first().waitFor();
    const title = (await open.first().locator('td').first().innerText()).trim();
    assert.ok(title.length > 0);
    await seeText(open.first(), '石榴桥');
    const before = await open.count();
    await open.first().locator('[data-test="unit-claim"]').click();
    await seeText(page.locator('.el-message--success'), '已以单位认领');
    const held = rows(page, 'unit-wishes').filter({ hasText: title });
    await seeText(held.locator('[data-test="unit-wish-state"]'), '已认领');
    assert.equal(await open.count(), before - 1, 'no longer open to claim');
    await held.locator('[data-test="unit-fulfil"]').click();
    const dlg = page.locator('[data-test="unit-finish"]');
    await dlg.locator('#ut-note').fill('单位捐赠送到家');
    await dlg.locator('[data-test="unit-finish-ok"]').click();
    await seeText(held.locator('[data-test="unit-wish-state"]'), '已圆梦');
  });
});

async function client(login) {
  const c = new Client(env.srv.url);
  await c.login(login);
  return c;
}

test('on a phone, a team\'s leader claims a wish and takes a need 以服务队: 我的任务 and 我认领的 show them as the team\'s', async (t) => {
  const staff = await client('staff');
  const w = await staff.post('/api/v1/wishes', { community_code: SHILIUQIAO, beneficiary_name: '周大爷', title: '一根结实的拐杖',
    description: '出门散步用', value_cap: 150, consent: true, publish: true });
  assert.equal(w.status, 201, w.text);
  const resident = await client('resident');
  const menu = (await resident.get(`/api/v1/communities/${SHILIUQIAO}/menu`)).json;
  const r = await resident.post('/api/v1/needs', { item_id: menu.items[0].item_id, description: '想请医生上门看看腿',
    place: '8栋101', wanted_part: 'morning', contact_name: '周大爷', contact_phone: '13800000007' });
  assert.equal(r.status, 201, r.text);
  assert.equal((await staff.post(`/api/v1/needs/${r.json.id}/accept`)).status, 200);
  const needId = r.json.id;

  await withPage(t, env.browser, PHONE, async (page) => {
    await loginMobile(page, env.srv.url, LEADER);
    await page.goto(`${env.srv.url}/m/wishes`);
    const card = page.locator('[data-test="open-wishes"] .mc-card', { hasText: '一根结实的拐杖' });
    await card.locator('[data-test="wish-claim"]').click();
    const sheet = page.locator('[data-test="act-as"]');
    await seeText(sheet, '以个人');
    await sheet.getByRole('button', { name: `以服务队「${TEAM}」` }).click();
    const mine = page.locator('[data-test="my-wishes"] .mc-card', { hasText: '一根结实的拐杖' });
    await seeText(mine.locator('[data-test="my-wish-team"]'), `以服务队「${TEAM}」认领`);
    await card.waitFor({ state: 'detached' });

    await page.goto(`${env.srv.url}/m/tasks`);
    await page.locator(`[data-test="open-${needId}"] [data-test="open-take"]`).click();
    await sheet.getByRole('button', { name: `以服务队「${TEAM}」` }).click();
    await page.waitForURL(new RegExp(`/m/needs/${needId}$`));
    await seeText(page.locator('[data-test="need-state"]'), '已接单');
    await page.goto(`${env.srv.url}/m/tasks`);
    await seeText(page.locator(`[data-test="my-tasks"] [data-test="need-${needId}"]`), TEAM);
  });
  const held = (await staff.get(`/api/v1/needs/${needId}`)).json;
  assert.deepEqual([held.state, held.assignee_kind, held.assignee_name], ['taken', 'team', TEAM]);
  const claimed = (await staff.get(`/api/v1/wishes/${w.json.id}`)).json;
  assert.deepEqual([claimed.claimer.kind, claimed.claimer.name], ['team', TEAM]);
});
