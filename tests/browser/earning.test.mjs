// earning.test.mjs: what service earns, on the real server's pages: a member's 我的积分 rising once staff confirm
// (大字模式, the ledgers page by page), the console's 积分排名 in the API's order with its tier counts and the member's
// file, and an org's new rule version previewed, refused at its fields, then saved
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { Client } from '../lib/server.mjs';
import { serverAndBrowser, withPage, loginConsole, loginMobile, seeText, path, confirmBox, idNumber } from './helpers.mjs';

const PHONE = { width: 390, height: 844, isMobile: true };
const WIDE = { width: 1280, height: 900 };
const MEMBER = '13800001011'; // 陈建国, 石榴桥社区: two confirmed records and three waiting (demo)
const SHILIUQIAO = '440111002011';
const SANYUANLI = '440111002000';
const FOUR = '𠀀'; // U+20000: one character, two UTF-16 units, four bytes
const HOUR = 3600;
const DAY = 86400;

async function client(srv, login) {
  const c = new Client(srv.url);
  await c.login(login);
  return c;
}
async function get(c, p) {
  const r = await c.get(`/api/v1${p}`);
  assert.equal(r.status, 200, `${p}: ${r.text}`);
  return r.json;
}
async function post(c, p, body, status = 200) {
  const r = await c.post(`/api/v1${p}`, body);
  assert.equal(r.status, status, `${p}: ${r.text}`);
  return r.json;
}
// The words of the pages, written out here: 90 minutes → "1.5 小时"; 3 points → "+3 分".
const hours = (minutes) => `${Math.round(minutes / 6) / 10} 小时`;
const text = async (loc) => ((await loc.textContent()) || '').replace(/\s+/g, ' ').trim();
const rowsOf = (page, table) => page.locator(`[data-test="${table}"] .el-table__body-wrapper .el-table__row`);
const fits = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
async function axe(t, page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  for (const v of violations) t.diagnostic(`${v.impact} ${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  assert.deepEqual(violations.filter((v) => v.impact === 'critical').map((v) => v.id), [], 'no critical accessibility violations');
}

describe('积分: the member\'s page, the ranking, the rules', () => {
  const made = { files: [], haircut: 0 };
  // The full demo, and three more files in 石榴桥社区 whose points are known: 9, 5 and 3 (tied with 吴海峰's 3, demo_earning.c).
  const env = serverAndBrowser({ demo: 'full' }, async (srv) => {
    const staff = await client(srv, 'staff');
    made.haircut = (await get(staff, '/catalog')).items.find((i) => i.code === 'G07').id; // 义务理发: 1 a service + 2 an hour
    const start = Math.floor(Date.now() / 1000) - 2 * DAY;
    for (const [i, minutes] of [240, 120, 60].entries()) {
      const f = await post(staff, '/members', {
        name: `积分${'甲乙丙'[i]}`, phone: `1390004${String(1000 + i)}`, id_number: idNumber('440111', '19850101', String(500 + i * 2)),
        community_code: SHILIUQIAO,
      }, 201);
      await post(staff, '/records', {
        member_id: f.member.id, item_id: made.haircut, started_at: start - i * 6 * HOUR, minutes, place: '社区', content: '理发', confirm: true,
      }, 201);
      made.files.push(f.member);
    }
  });

  test('a member sees 我的积分 rise once staff confirm a record: balances, tier, ranks, the ledgers page by page, in 大字模式', async (t) => {
    const staff = await client(env.srv, 'staff');
    const phone = await client(env.srv, MEMBER);
    const me = (await get(phone, '/me/member')).member;
    await withPage(t, env.browser, PHONE, async (page) => {
      await page.addInitScript(() => localStorage.setItem('baodao.largeFont', '1'));
      await loginMobile(page, env.srv.url, MEMBER);
      // The home tile (no longer 即将开放) leads to the page.
      const tile = page.locator('[data-test="tile-points"]');
      await seeText(tile, '去办理');
      await tile.click();
      await page.waitForURL(/\/m\/points$/);
      const before = await get(phone, '/me/points');
      const balance = page.locator('[data-test="points-balance"]');
      await seeText(balance, `${before.points}分`);
      await seeText(page.locator('[data-test="hours-balance"]'), hours(before.minutes));
      await seeText(page.locator('[data-test="next"]'), before.next.text);
      assert.equal(await page.evaluate(() => document.documentElement.classList.contains('bd-large')), true);
      assert.ok(await fits(page), 'nothing wider than the phone in 大字模式');

      // Staff stamp one of his waiting records; the reloaded page shows the new totals and the line that moved them.
      const waiting = (await get(staff, `/records?member_id=${me.id}&state=pending`)).items;
      assert.ok(waiting.length > 0, 'the demo leaves him a record to confirm');
      const record = waiting[0];
      await post(staff, `/records/${record.id}/confirm`);
      const after = await get(phone, '/me/points');
      assert.ok(after.points > before.points, 'the confirmation earned points');
      assert.equal(after.minutes, before.minutes + record.total_minutes);
      await page.reload();
      await seeText(balance, `${after.points}分`);
      await seeText(page.locator('[data-test="hours-balance"]'), hours(after.minutes));
      await seeText(page.locator('[data-test="tier"]'), after.half.tier_label);
      await seeText(page.locator('[data-test="next"]'), after.next.text);
      await seeText(page.locator('[data-test="rank-community"]'), `第 ${after.rank.community} 名`);
      await seeText(page.locator('[data-test="ranks"]'), `共 ${after.rank.community_of} 人`);
      const first = page.locator('[data-test="history"] li').first();
      await seeText(first, record.item_name);
      await seeText(first.locator('[data-test="amount"]'), `+${after.points - before.points} 分`);
      // The hours book holds the record's minutes.
      await page.locator('[data-test="book-hours"]').click();
      await seeText(page.locator('[data-test="history"] li').first().locator('[data-test="amount"]'), `+${hours(record.total_minutes)}`);

      // 31 more services: the ledger comes 30 lines at a time, 加载更多 brings the rest.
      const start = Math.floor(Date.now() / 1000) - 40 * DAY; // before the demo's services (demo_earning.c: 7 to 28 days ago): none overlaps
      for (let i = 0; i < 31; i++) {
        await post(staff, '/records', {
          member_id: me.id, item_id: made.haircut, started_at: start - i * 3 * HOUR, minutes: 30, place: '社区', content: `第 ${i + 1} 次理发`, confirm: true,
        }, 201);
      }
      const lines = (await get(phone, '/me/points/history')).items;
      assert.equal(lines.length, 30);
      await page.locator('[data-test="book-points"]').click();
      await page.reload();
      const items = page.locator('[data-test="history"] li');
      await seeText(balance, `${(await get(phone, '/me/points')).points}分`);
      await items.nth(29).waitFor();
      assert.equal(await items.count(), 30);
      await page.locator('[data-test="history-more"]').click();
      await items.nth(30).waitFor();
      const all = lines.length + (await get(phone, `/me/points/history?before=${lines.at(-1).id}`)).items.length;
      await page.waitForFunction((n) => document.querySelectorAll('[data-test="history"] li').length === n, all);
      assert.equal(await page.locator('[data-test="history-more"]').count(), 0, 'nothing more to load');
      assert.ok(await fits(page));
      await axe(t, page);

      // 我的 leads here too.
      await page.goto(`${env.srv.url}/m/mine`);
      await page.locator('[data-test="my-points"]').click();
      await page.waitForURL(/\/m\/points$/);
      await page.goto(`${env.srv.url}/m/soon/points`);
      await page.waitForURL(/\/m\/points$/);
      await seeText(balance, `${(await get(phone, '/me/points')).points}分`);
    });
  });

  test('积分排名 lists the community\'s members most points first, ties sharing a rank; a name opens the file with its 积分', async (t) => {
    const staff = await client(env.srv, 'staff');
    await withPage(t, env.browser, WIDE, async (page) => {
      await loginConsole(page, env.srv.url, 'staff');
      await page.locator('.cl-side').getByText('积分排名').click();
      await page.waitForURL(/\/admin\/standings$/);
      const api = await get(staff, `/standings?region=${SHILIUQIAO}`);
      assert.ok(api.total >= 5, 'the demo\'s two and the three typed in');
      const rows = rowsOf(page, 'standings-table');
      await rows.nth(api.items.length - 1).waitFor();
      assert.equal(await rows.count(), api.items.length);
      const shown = await rows.evaluateAll((trs) => trs.map((tr) => [
        Number(tr.querySelector('[data-test="standings-rank"]').textContent), tr.querySelector('[data-test="standings-name"]').textContent.trim(),
        Number(tr.querySelector('[data-test="standings-points"]').textContent.replace(/,/g, '')), tr.querySelector('[data-test="standings-tier"]').textContent.trim(),
      ]));
      assert.deepEqual(shown, api.items.map((s) => [s.rank, s.name, s.points, s.tier_label]));
      // Most points first; equal points share a rank, and the next rank counts those above it.
      for (let i = 1; i < shown.length; i++) {
        assert.ok(shown[i][2] <= shown[i - 1][2], 'most points first');
        assert.equal(shown[i][0], shown[i][2] === shown[i - 1][2] ? shown[i - 1][0] : i + 1);
      }
      const [jia, yi, bing] = made.files;
      assert.equal(shown.find((r) => r[1] === jia.name)[2], 9);
      assert.equal(shown.find((r) => r[1] === yi.name)[2], 5);
      const tie = shown.filter((r) => r[2] === 3);
      assert.ok(tie.length >= 2 && tie.some((r) => r[1] === bing.name) && new Set(tie.map((r) => r[0])).size === 1, '3 points tie');
      await seeText(page.locator('[data-test="stat-standings-total"]'), String(api.total));
      for (const [k, n] of Object.entries(api.tiers)) await seeText(page.locator(`[data-test="stat-tier-${k}"]`), String(n));
      await axe(t, page);

      // This year: the URL keeps the choice, and the table is the year's ranking.
      await page.locator('[data-test="standings-period"]').click();
      await page.locator('.el-select-dropdown__item', { hasText: '本年度' }).click();
      await page.waitForURL(/period=\d{4}$/);
      const year = new URL(page.url()).searchParams.get('period');
      const yearly = await get(staff, `/standings?region=${SHILIUQIAO}&period=${year}`);
      await seeText(page.locator('[data-test="standings-title"]'), `${year}年`);
      assert.deepEqual((await rows.locator('[data-test="standings-name"]').allTextContents()).map((s) => s.trim()), yearly.items.map((s) => s.name));

      // A name opens the member's file, whose 积分 section says what the API says.
      await rows.filter({ hasText: jia.name }).getByRole('link', { name: jia.name }).click();
      await page.waitForURL(new RegExp(`/admin/members/${jia.id}$`));
      const p = await get(staff, `/members/${jia.id}/points`);
      const section = page.locator('[data-test="member-points"]');
      await seeText(section.locator('[data-test="stat-points-balance"]'), String(p.points));
      await seeText(section.locator('[data-test="member-tier"]'), p.half.tier_label);
      await seeText(section.locator('[data-test="member-next"]'), p.next.text);
      await seeText(section.locator('[data-test="member-ranks"]'), `第 ${p.rank.community} 名 / 共 ${p.rank.community_of} 人`);
      await seeText(rowsOf(page, 'points-history').first(), '+9 分');
      await seeText(rowsOf(page, 'points-history').first(), '义务理发');

      // The org reads its street: the same members, with their community named.
      const org = await client(env.srv, 'org');
      const street = await get(org, `/standings?region=${SANYUANLI}`);
      await page.context().clearCookies();
      await loginConsole(page, env.srv.url, 'org');
      await page.goto(`${env.srv.url}/admin/standings`);
      await seeText(page.locator('[data-test="standings-title"]'), '三元里街道');
      await rows.nth(street.items.length - 1).waitFor();
      assert.deepEqual((await rows.locator('[data-test="standings-name"]').allTextContents()).map((s) => s.trim()), street.items.map((s) => s.name));
      await seeText(page.locator('[data-test="standings-table"] .el-table__header'), '报到社区');
    });
  });

  test('an org previews a new rule version for its street, is told at the field what is wrong, then saves it', async (t) => {
    const org = await client(env.srv, 'org');
    const staff = await client(env.srv, 'staff');
    const rules = await get(org, `/rules?region=${SANYUANLI}`);
    const tomorrow = new Date(Date.parse(`${rules.today}T00:00:00Z`) + DAY * 1000).toISOString().slice(0, 10);
    await withPage(t, env.browser, WIDE, async (page) => {
      // Staff read the rules and may not write them.
      await loginConsole(page, env.srv.url, 'staff');
      await page.goto(`${env.srv.url}/admin/point-rules`);
      await seeText(page.locator('[data-test="rule-in-force"]'), rules.in_force.note);
      await seeText(page.locator('[data-test="rule-level-street"]'), '只读');
      assert.equal(await page.locator('[data-test="rule-new"]').count(), 0, 'no 新增版本 for staff');
      await page.context().clearCookies();

      await loginConsole(page, env.srv.url, 'org');
      await page.goto(`${env.srv.url}/admin/point-rules`);
      const street = page.locator('[data-test="rule-level-street"]');
      await seeText(street, '三元里街道');
      for (const l of ['district', 'city', 'default']) await seeText(page.locator(`[data-test="rule-level-${l}"]`), '只读');
      await street.locator('[data-test="rule-new"]').click();
      const dialog = page.locator('.el-dialog', { has: page.locator('[data-test="rule-form"]') });
      await dialog.waitFor();
      // Prefilled from the version in force, from tomorrow; 保存 waits for a preview.
      assert.equal(await dialog.locator('[data-test="rule-qualified_points"] input').inputValue(), String(rules.in_force.terms.qualified_points));
      assert.equal(await dialog.locator('[data-test="rule-effective-on"] input').inputValue(), tomorrow);
      assert.equal(await dialog.locator('[data-test="rule-save"]').isDisabled(), true);

      // The note counts characters: 201 four-byte ones are cut to 200, as the server would count them.
      const note = dialog.locator('[data-test="rule-note"] input');
      await note.fill(FOUR.repeat(201));
      assert.equal([...await note.inputValue()].length, 200);
      await seeText(dialog.locator('[data-test="rule-note"]'), '200 / 200');

      const number = async (field, v) => {
        const input = dialog.locator(`[data-test="rule-${field}"] input`);
        await input.fill(String(v));
        await input.press('Tab');
      };
      await number('qualified_points', 3);
      // Shares that add up to 110 %: the server's refusal lands at its field.
      await number('star1', 20);
      await seeText(dialog.locator('[data-test="star-hint"]'), '110%');
      await dialog.locator('[data-test="rule-preview-button"]').click();
      const star5 = dialog.locator('.el-form-item', { has: page.locator('[data-test="rule-star5"]') });
      await seeText(star5.locator('.el-form-item__error'), '五档比例之和应为 100%');
      assert.equal(await dialog.locator('[data-test="rule-preview"]').count(), 0);
      assert.equal(await dialog.locator('[data-test="rule-save"]').isDisabled(), true);

      // Put right, the preview shows the half-year's tiers now and under the new version, as the API counts them.
      await number('star1', 10);
      await star5.locator('.el-form-item__error').waitFor({ state: 'detached' }); // editing a share takes the sum's error back
      await dialog.locator('[data-test="rule-preview-button"]').click();
      const box = dialog.locator('[data-test="rule-preview"]');
      await box.waitFor();
      const body = {
        ...rules.in_force.terms, region_code: SANYUANLI, effective_on: tomorrow, note: FOUR.repeat(200), qualified_points: 3,
      };
      const expect = await post(org, '/rules/preview', body);
      for (const k of ['none', 'qualified', 'excellent', 'pioneer']) {
        const cells = (await box.locator(`[data-test="preview-${k}"] td`).allTextContents()).map((s) => s.trim());
        const change = expect.after[k] - expect.before[k];
        assert.deepEqual(cells, [String(expect.before[k]), String(expect.after[k]), change > 0 ? `+${change}` : String(change)], k);
      }
      assert.ok(expect.changed > 0, '3 points make some members 合格');
      await seeText(box.locator('[data-test="preview-changed"]'), `将有 ${expect.changed} 人`);
      // A change after the preview makes it old: preview again before saving.
      await number('qualified_points', 4);
      assert.equal(await dialog.locator('[data-test="rule-save"]').isDisabled(), true);
      await seeText(box, '已过时');
      await number('qualified_points', 3);
      await dialog.locator('[data-test="rule-preview-button"]').click();
      await page.waitForFunction(() => !document.querySelector('[data-test="rule-save"]').disabled);
      const versions = (await get(org, `/rules?region=${SANYUANLI}`)).levels.at(-1).versions.length;
      await dialog.locator('[data-test="rule-save"]').click();
      await confirmBox(page, '保存');
      await dialog.waitFor({ state: 'hidden' });
      await seeText(page.locator('.el-message--success'), `自 ${tomorrow} 起生效`);

      // Saved once, as written: the street's new version waits for tomorrow, and the list shows it.
      const level = (await get(org, `/rules?region=${SANYUANLI}`)).levels.at(-1);
      assert.equal(level.versions.length, versions + 1);
      const v = level.versions[0];
      assert.deepEqual([v.effective_on, v.note, v.terms.qualified_points, v.terms.star1], [tomorrow, FOUR.repeat(200), 3, 10]);
      await seeText(street.locator('.el-table__row').first(), tomorrow);
      await seeText(street.locator('.el-table__row').first().locator('[data-test="version-state"]'), '待生效');
      assert.equal(await street.locator('.el-table__row').count(), versions + 1);
      // The half-year is re-tiered at once, as the preview said.
      assert.deepEqual((await get(org, `/standings?region=${SANYUANLI}&period=${expect.period}`)).tiers, expect.after);
      assert.equal(path(page), '/admin/point-rules');
    });
  });
});
