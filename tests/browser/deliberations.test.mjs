// deliberations.test.mjs: 居民议事 end to end on the demo's 3栋加装电梯: staff open it in the console, see the live tally
// (12 of the 16 households needed) and type in a signed paper form; 张阿姨 on her phone sees the question and votes 同意
// with one tap; the console's tally follows
import { test } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { serverAndBrowser, withPage, loginConsole, loginMobile, seeText } from './helpers.mjs';
import { png } from '../api/images.mjs';

const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844, isMobile: true };
const env = serverAndBrowser({ demo: 'full' });

async function axe(t, page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  for (const v of violations) t.diagnostic(`${v.impact} ${v.id}: ${v.help} (${v.nodes.length})`);
  assert.deepEqual(violations.filter((v) => v.impact === 'critical').map((v) => v.id), [], 'no critical accessibility violations');
}

test('the console shows 3栋加装电梯 with its tally and takes a paper vote; the resident votes on the phone', async (t) => {
  await withPage(t, env.browser, WIDE, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.locator('.cl-side .el-menu-item', { hasText: '居民议事' }).click();
    await page.waitForURL((u) => u.pathname === '/admin/deliberations');
    await seeText(page.locator('[data-test="deliberations-table"]'), '24 户，已投 15 户，同意 12 户');
    await page.locator('[data-test="dv-open"]', { hasText: '3栋加装电梯' }).click();
    await page.waitForURL((u) => /\/admin\/deliberations\/\d+$/.test(u.pathname));
    await seeText(page.locator('[data-test="dl-tally"]'), '同意 12 户 / 需要 16 户（共 24 户）');
    await seeText(page.locator('[data-test="dl-state"]'), '表决中');

    // 录入纸质表决票: the last household of the list (one the demo's paper forms left out), 同意.
    await page.locator('[data-test="dp-household"]').click();
    await page.locator('.el-select-dropdown__item:visible').last().click();
    await page.locator('[data-test="dp-save"]').click();
    await seeText(page.locator('[data-test="dl-tally"]'), '同意 13 户 / 需要 16 户');
    await seeText(page.locator('[data-test="dl-votes"]'), '纸质表决票');
    // The signed minutes' photo: uploaded, shown.
    await page.locator('[data-test="dl-photo-file"]').setInputFiles({ name: '纪要.png', mimeType: 'image/png', buffer: png(64, 48) });
    await page.locator('[data-test="dl-photo"]').waitFor();
    assert.ok(await page.locator('[data-test="dl-photo"]').evaluate((img) => img.complete && img.naturalWidth > 0), 'the photo loads');
    await axe(t, page);
  });

  await withPage(t, env.browser, PHONE, async (page) => {
    await loginMobile(page, env.srv.url, 'resident');
    await page.locator('[data-test="tile-vote"]').click();
    await page.waitForURL((u) => u.pathname === '/m/deliberations');
    const card = page.locator('[data-test="my-deliberation"]');
    await seeText(card, '3栋加装电梯');
    await seeText(card.locator('[data-test="my-tally"]'), '同意 13 户，需要 16 户');
    await card.locator('[data-test="vote-option"]', { hasText: '同意' }).first().click();
    await seeText(card.locator('[data-test="my-vote"]'), '您家已投：同意');
    await seeText(card.locator('[data-test="my-tally"]'), '同意 14 户');
    assert.equal(await card.locator('[data-test="vote-option"][aria-pressed="true"]').count(), 1);
    await axe(t, page);
  });
});
