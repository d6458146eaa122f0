// home.test.mjs: the phone home before a report-in (还未报到, 去报到) and for a resident (their community, their tiles); the landing page's 即将开放
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '../lib/server.mjs';
import { serverAndBrowser, withPage, loginMobile, seeText, path, idNumber } from './helpers.mjs';

const env = serverAndBrowser();

const PHONE = { width: 390, height: 844, isMobile: true };

test('a member who has not reported in sees 还未报到 and 去报到, not 我的社区; after reporting, the community', async (t) => {
  await withPage(t, env.browser, PHONE, async (page) => {
    await loginMobile(page, env.srv.url, 'member');
    const card = page.locator('[data-test="community"]');
    await seeText(card, '还未报到');
    assert.doesNotMatch(await card.textContent(), /我的社区|石榴桥社区/);
    const go = card.getByRole('link', { name: '去报到' });
    const box = await go.boundingBox();
    assert.ok(box.height >= 44 && box.width >= 300, `a big button (${box.width}×${box.height})`);
    for (const f of ['report', 'tasks', 'activity', 'wish', 'points']) await page.locator(`[data-test="tile-${f}"]`).waitFor();
    await go.click();
    await page.waitForURL(/\/m\/report\/new$/);
  });

  // Reported (waiting), then approved by staff: the card names the community.
  const member = new Client(env.srv.url);
  await member.login('member');
  const r = await member.post('/api/v1/me/registration', {
    name: '王党员', phone: '13800000005', id_number: idNumber('440111', '19900307', '123'), community_code: '440111002011',
    plaque_hung: false,
  });
  assert.equal(r.status, 201, r.text);
  await memberCard(t, ['报到审核中', '石榴桥社区']);
  const staff = new Client(env.srv.url);
  await staff.login('staff');
  assert.equal((await staff.post(`/api/v1/registrations/${r.json.registration.id}/approve`)).status, 200);
  await memberCard(t, ['我的社区', '石榴桥社区', '三元里街道']);
});

// The member's home card shows each of texts, and no 去报到.
async function memberCard(t, texts) {
  await withPage(t, env.browser, PHONE, async (page) => {
    await loginMobile(page, env.srv.url, 'member');
    const card = page.locator('[data-test="community"]');
    for (const text of texts) await seeText(card, text);
    assert.equal(await card.locator('[data-test="go-report"]').count(), 0);
  });
}

test('a resident\'s home shows their community, 我要点单, 我的需求 and 我的心愿 open first, the other resident services 即将开放, not 报到 or 我的档案', async (t) => {
  await withPage(t, env.browser, PHONE, async (page) => {
    await loginMobile(page, env.srv.url, 'resident');
    const card = page.locator('[data-test="community"]');
    await seeText(card, '我的社区');
    await seeText(card, '石榴桥社区');
    await seeText(card, '居民');
    const tiles = page.locator('[data-test="tiles"]');
    // 需求清单: the two open tiles come first and lead to their pages.
    const first = await tiles.locator('.mh-tile').evaluateAll((els) => els.slice(0, 3).map((el) => el.dataset.test));
    assert.deepEqual(first, ['tile-need', 'tile-myneeds', 'tile-mywish']);
    await seeText(tiles.locator('[data-test="tile-need"]'), '去办理');
    await seeText(tiles.locator('[data-test="tile-myneeds"]'), '去办理');
    assert.equal(await tiles.locator('[data-test="tile-need"]').getAttribute('href'), '/m/needs/new');
    assert.equal(await tiles.locator('[data-test="tile-myneeds"]').getAttribute('href'), '/m/mine/needs');
    assert.equal(await tiles.locator('[data-test="tile-mywish"]').getAttribute('href'), '/m/mine/wishes');
    for (const name of ['活动', '帮扶']) {
      const tile = tiles.locator('.mh-tile', { hasText: name });
      await seeText(tile, '即将开放');
    }
    assert.equal(await page.locator('[data-test="tile-report"]').count(), 0, 'no 报到 tile');
    assert.doesNotMatch(await page.locator('main').textContent(), /报到|我的档案/);
    assert.equal(await tiles.locator('.mh-tile', { hasText: '去办理' }).count(), 6,
      'only 点单, 我的需求, 我的心愿, 议事表决, 我要反映 and 我的反映 are open');
    assert.equal(await tiles.locator('[data-test="tile-mycases"]').getAttribute('href'), '/m/mine/cases');
    await tiles.locator('[data-test="tile-appeal"]').click();
    await page.waitForURL(/\/m\/cases\/new$/);
    await seeText(page.locator('main'), '什么问题');
    await page.goBack();
    await page.waitForURL((u) => u.pathname === '/m/');

    await page.locator('.van-tabbar-item', { hasText: /^我的$/ }).click();
    await page.waitForURL(/\/m\/mine$/);
    await seeText(page.locator('main'), '居民');
    assert.equal(await page.locator('[data-test="my-file"]').count(), 0, 'no 我的档案 for a resident');
    assert.equal(path(page), '/m/mine');
  });
});

test('the landing page says 即将开放 on every feature that is not built yet, and only on those', async (t) => {
  await withPage(t, env.browser, { width: 1440, height: 900 }, async (page) => {
    await page.goto(`${env.srv.url}/`);
    const features = page.locator('.lp-features li');
    await features.first().waitFor();
    const cards = await features.evaluateAll((els) => els.map((el) => ({
      name: el.querySelector('h3').firstChild.textContent.trim(), text: el.textContent,
    })));
    const soon = cards.filter((c) => c.text.includes('即将开放')).map((c) => c.name);
    const ready = cards.filter((c) => !c.text.includes('即将开放')).map((c) => c.name);
    assert.deepEqual(ready, ['报到', '党员档案', '单位名册', '共驻共建协议', 'Excel 导入导出', '审计', '服务', '居民点单', '微心愿', '积分']);
    assert.deepEqual(soon, ['帮扶与诉求', '数据大屏']);
    // The entry cards promise only what is there (the rest is said to be coming).
    const mobile = await page.locator('.lp-entry', { hasText: '手机端' }).textContent();
    assert.match(mobile, /即将开放/);
    assert.doesNotMatch(await page.locator('.lp-entry', { hasText: '管理后台' }).textContent(), /统计|大屏/);
  });
});
