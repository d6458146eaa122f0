// today.test.mjs: 今日待办 on the staff's console home: each tile is the API's number and a click leads to its list;
// tomorrow's activity short of people is listed and opens the activity
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, dbQuery } from '../lib/server.mjs';
import { serverAndBrowser, withPage, loginConsole, seeText } from './helpers.mjs';

const SHILIUQIAO = '440111002011';
const CHINA = 8 * 3600;
const NOW = Math.floor(Date.now() / 1000);
const TOMORROW = Math.floor((NOW + CHINA) / 86400) * 86400 - CHINA + 86400;
const env = serverAndBrowser({ demo: 'full' });
const num = async (page, name) => Number(((await page.locator(`[data-test="stat-${name}"]`).textContent()) || '').replace(/,/g, ''));

test('staff: today\'s work is the API\'s, and a click leads to it', async (t) => {
  const sql = (q) => dbQuery(env.srv.db, q);
  const item = Number(sql('SELECT MIN(id) FROM catalog_item'));
  const at = TOMORROW + 10 * 3600;
  const id = Number(sql(`INSERT INTO activity (community_code, organiser, item_id, title, place, starts_at, ends_at, signup_deadline,
    capacity, audience, minutes_cap, state, created_at, updated_at) VALUES ('${SHILIUQIAO}', 'community', ${item}, '明天缺人的活动',
    '社区广场', ${at}, ${at + 7200}, ${at - 3600}, 6, 'community', 120, 'published', ${NOW}, ${NOW}) RETURNING id`).split('\n')[0]);
  const c = new Client(env.srv.url);
  await c.login('staff');
  const want = (await c.get(`/api/v1/communities/${SHILIUQIAO}/today`)).json;
  assert.ok(want.activities_short.some((a) => a.id === id));
  await withPage(t, env.browser, { width: 1440, height: 900 }, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await seeText(page.locator('#wb-todo'), '今日待办');
    await page.locator('[data-test="stat-todo-records"]').waitFor();
    assert.equal(await num(page, 'todo-registrations'), want.registrations_pending);
    assert.equal(await num(page, 'todo-records'), want.records_pending);
    assert.equal(await num(page, 'todo-requests'), want.requests_asked);
    assert.equal(await num(page, 'todo-care'), want.care_overdue);
    assert.equal(await num(page, 'todo-needs'), want.needs_new + want.needs_to_dispatch);
    assert.equal(await num(page, 'todo-wishes'), want.wishes_to_approve);
    assert.equal(await num(page, 'todo-activities'), want.activities_short.length);
    assert.equal(await num(page, 'todo-shifts'), want.shifts_open.length);
    assert.equal(await num(page, 'todo-quiet'), want.quiet);
    await seeText(page.locator(`[data-test="todo-activities-list"]`), '明天缺人的活动');
    await seeText(page.locator(`[data-test="todo-activities-list"]`), '已报名 0 / 6');

    await page.locator('[data-test="tile-todo-records"]').click();
    await page.waitForURL('**/admin/records');
    await page.goBack();
    await page.locator('[data-test="tile-todo-care"]').click();
    await page.waitForURL('**/admin/care?tab=overdue');
    await page.goBack();
    await page.locator(`[data-test="todo-activity-${id}"]`).click();
    await page.waitForURL(`**/admin/activities/${id}`);
    await seeText(page.locator('h1'), '明天缺人的活动');
  });
});

test('org: the communities falling behind this month, each a drill-down', async (t) => {
  const c = new Client(env.srv.url);
  await c.login('org');
  const kids = (await c.get('/api/v1/stats/regions/440111002000/children')).json.items;
  const lowest = [...kids].sort((a, b) => a.files.rate_permille - b.files.rate_permille || a.code.localeCompare(b.code))[0];
  await withPage(t, env.browser, { width: 1440, height: 900 }, async (page) => {
    await loginConsole(page, env.srv.url, 'org');
    await page.locator('[data-test="behind-rate"] li').first().waitFor();
    await seeText(page.locator('[data-test="behind-rate"] li').first(), lowest.name);
    assert.equal(await page.locator('[data-test="behind-active"] li').count(), Math.min(5, kids.length));
    await page.locator('[data-test="behind-rate"] li').first().locator('button').click();
    if (lowest.level === 'community') await page.waitForURL(`**/admin/members?community=${lowest.code}`);
    else await page.waitForURL(`**/admin/?region=${lowest.code}`);
  });
});

test('a unit: members below this year\'s minimum, the tile the feedback page\'s count and its link', async (t) => {
  const c = new Client(env.srv.url);
  await c.login('unit');
  const year = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 4);
  const fb = (await c.get(`/api/v1/units/2/feedback?period=${year}&below=true&per_page=1`)).json;
  await withPage(t, env.browser, { width: 1440, height: 900 }, async (page) => {
    await loginConsole(page, env.srv.url, 'unit');
    await page.locator('[data-test="stat-below-minimum"]').waitFor();
    assert.equal(await num(page, 'below-minimum'), fb.below);
    await page.locator('[data-test="tile-below-minimum"]').click();
    await page.waitForURL(`**/admin/feedback?unit=2&period=${year}&below=true`);
  });
});
