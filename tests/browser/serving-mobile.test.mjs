// serving-mobile.test.mjs: serving on a phone (390×844, 大字模式): 记录服务 with its extra fields and photos from the camera
// (progress, too large, refused), my records with their states, asking for a correction; axe on each page
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import AxeBuilder from '@axe-core/playwright';
import { Client, startServer } from '../lib/server.mjs';
import { serverAndBrowser, withPage, loginMobile, seeText, path, WEB } from './helpers.mjs';

const PHONE = { width: 390, height: 844, isMobile: true };
const MEMBER = '13800001011'; // 陈建国, 石榴桥社区, report-in approved (demo)
const OTHER = '13800001013'; // 黄志强: a rejected record and a corrected one (demo)
const env = serverAndBrowser({ demo: 'full' });

const fits = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
const large = (page) => page.addInitScript(() => localStorage.setItem('baodao.largeFont', '1'));
// The page's own words for a number of minutes (shared/serving.js formatMinutes).
const minutesText = (n) => (n % 60 && n >= 60 ? `${Math.floor(n / 60)} 小时 ${n % 60} 分钟` : n >= 60 ? `${n / 60} 小时` : `${n} 分钟`);

// Until a server branch has landed on main, its pages' tests are skipped, saying which branch they wait for.
const BRANCHES = {
  '/api/v1/me/records': 'h8-records', '/api/v1/catalog': 'h6-posts', '/api/v1/me/activities': 'h7-activities',
  '/api/v1/activities/1/checkin': 'h7-activities', '/api/v1/activities/1/share': 'h7-activities',
  '/api/v1/me/posts': 'h6-posts', '/api/v1/me/teams': 'h6-posts',
};
const RECORDS = ['/api/v1/me/records'];
const RECORD_FORM = ['/api/v1/me/records', '/api/v1/catalog'];
const ACTIVITIES = ['/api/v1/me/activities'];
const CHECKIN = ['/api/v1/me/activities', '/api/v1/activities/1/checkin'];
const SHARE = ['/api/v1/me/activities', '/api/v1/activities/1/share'];
const CLOSING = ['/api/v1/activities/1/checkin', '/api/v1/me/records'];
const POSTS = ['/api/v1/me/posts', '/api/v1/me/records'];
const TEAMS = ['/api/v1/me/teams'];
async function needs(t, routes, srv = env.srv) {
  const c = new Client(srv.url);
  await c.login(MEMBER);
  const missing = [];
  for (const r of routes) {
    const res = await c.get(r);
    if (res.status === 404 && res.json?.title === '接口不存在') missing.push(`${BRANCHES[r]} (${r})`);
  }
  if (!missing.length) return false;
  t.skip(`waits for ${missing.join(', ')} on main`);
  return true;
}

async function member(login = MEMBER) {
  const c = new Client(env.srv.url);
  await c.login(login);
  return c;
}

// Fails on critical accessibility violations (as a11y.test.mjs), the others as diagnostics.
async function axe(t, page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  for (const v of violations) {
    t.diagnostic(`${v.impact} ${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  }
  assert.deepEqual(violations.filter((v) => v.impact === 'critical').map((v) => v.id), [], 'no critical accessibility violations');
}

// An image drawn by the page's own canvas (noise does not compress: size follows the pixels), as a file to pick.
async function image(page, { width, height, type = 'image/jpeg', name = 'photo.jpg' }) {
  const b64 = await page.evaluate(({ w, h, ty }) => {
    const c = document.createElement('canvas');
    c.width = w;
    c.height = h;
    const ctx = c.getContext('2d');
    const img = ctx.createImageData(w, h);
    let x = 2463534242; // xorshift32
    for (let i = 0; i < img.data.length; i++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
      img.data[i] = i % 4 === 3 ? 255 : x & 255;
    }
    ctx.putImageData(img, 0, 0);
    return c.toDataURL(ty, 0.95).split(',')[1];
  }, { w: width, h: height, ty: type });
  return { name, mimeType: type, buffer: Buffer.from(b64, 'base64') };
}

// Days ago in China as "YYYY-MM-DD", and the Unix time of that day at hh:mm there.
function chinaDay(daysAgo) {
  return new Date(Date.now() - daysAgo * 86400000 + 8 * 3600000).toISOString().slice(0, 10);
}
const chinaUnix = (day, hh, mm) => Date.parse(`${day}T${hh}:${mm}:00+08:00`) / 1000;

async function pickItem(page, name) {
  await page.locator('[data-test="item-field"]').click();
  const sheet = page.locator('[data-test="item-sheet"]');
  await sheet.waitFor();
  await sheet.locator('.is-item', { hasText: name }).first().click();
  await sheet.waitFor({ state: 'hidden' });
}

// The red words under the field with that label.
const fieldError = (page, label) => page.locator('.van-field')
  .filter({ has: page.locator('.van-field__label', { hasText: label }) }).locator('.van-field__error-message');

test('a member records a service in 大字模式: the refusals at their fields, then item, extra field, when, how long, two camera photos with progress; staff confirm it and the phone shows 已确认', async (t) => {
  if (await needs(t, RECORD_FORM)) return;
  await withPage(t, env.browser, PHONE, async (page) => {
    await large(page);
    await loginMobile(page, env.srv.url, MEMBER);
    await page.locator('[data-test="tile-serve"]').click();
    await page.waitForURL(/\/m\/serve\/new$/);
    await page.locator('[data-test="serve-form"]').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('bd-large')), true);

    // Nothing chosen: the server's refusal lands at each field in plain words.
    await page.locator('[data-test="serve-submit"]').click();
    await seeText(fieldError(page, '服务项目'), '请选择服务项目');
    await seeText(fieldError(page, '服务时间'), '请选择服务的日期和开始时间');
    await seeText(fieldError(page, '服务时长'), '请选择服务时长');

    // 长者送餐 asks 送餐份数 (a required number): left empty, it is named at its own field.
    await pickItem(page, '长者送餐');
    const day = chinaDay(2);
    await page.locator('[data-test="serve-day"]').fill(day);
    await page.locator('[data-test="serve-time"]').fill('22:00');
    await page.getByRole('button', { name: '1 小时 30 分钟' }).click();
    assert.equal(await page.getByRole('button', { name: '1 小时 30 分钟' }).getAttribute('aria-pressed'), 'true');
    await page.locator('[data-test="serve-submit"]').click();
    const portions = page.getByLabel('送餐份数');
    await seeText(fieldError(page, '送餐份数'), '请填写送餐份数');
    assert.equal(await fieldError(page, '服务项目').count(), 0, 'the item is no longer at fault');
    await portions.fill('3');
    await page.getByLabel('服务地点').fill('第二网格 5栋');
    await page.getByLabel('服务内容').fill('给 5 栋的王阿婆送午餐');

    // Two photos from the camera; the first goes up over a slow line, so its progress shows.
    const big = await image(page, { width: 900, height: 700 });
    const small = await image(page, { width: 320, height: 240, name: 'small.jpg' });
    await page.locator('[data-test="photo-camera"]').setInputFiles(big);
    await page.locator('[data-test="photo-item"]').first().waitFor();
    await page.locator('[data-test="photo-camera"]').setInputFiles(small);
    await page.locator('[data-test="photo-item"]').nth(1).waitFor();
    await seeText(page.locator('[data-test="photos"] .pp-hint'), '还可以加 1 张');
    assert.ok(await fits(page), 'no sideways scrolling in 大字模式');

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 150 * 1024 });
    await page.locator('[data-test="serve-submit"]').click();
    const bar = page.locator('[data-test="photo-progress"]').first();
    await bar.waitFor();
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-test="photo-progress"]');
      const n = Number(el?.getAttribute('aria-valuenow'));
      return n > 0 && n < 100;
    });
    await seeText(page.locator('[data-test="photo-uploading"]'), /正在上传 \d+%/);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

    await page.waitForURL(/\/m\/records\/\d+$/);
    const id = Number(path(page).split('/').pop());
    await seeText(page.locator('[data-test="record-state"]'), '待确认');
    await seeText(page.locator('[data-test="record-facts"]'), '送餐份数');
    await seeText(page.locator('[data-test="record-minutes"]'), '1 小时 30 分钟');
    await page.locator('[data-test="photos"] img').nth(1).waitFor();
    assert.equal(await page.locator('[data-test="photos"] img').count(), 2);

    // What the server holds is what was typed.
    const c = await member();
    const rec = (await c.get(`/api/v1/records/${id}`)).json;
    assert.equal(rec.item_name, '长者送餐');
    assert.equal(rec.state, 'pending');
    assert.equal(rec.source, 'self');
    assert.equal(rec.minutes, 90);
    assert.equal(rec.started_at, chinaUnix(day, '22', '00'));
    assert.equal(rec.place, '第二网格 5栋');
    assert.deepEqual(rec.fields, [{ name: '送餐份数', value: '3' }]);
    assert.equal(rec.photo_list.length, 2);

    // The community confirms it (盖章); the phone says so.
    const staff = new Client(env.srv.url);
    await staff.login('staff');
    assert.equal((await staff.post(`/api/v1/records/${id}/confirm`)).status, 200);
    await page.reload();
    await seeText(page.locator('[data-test="record-state"]'), '已确认');
    assert.equal(await page.locator('[data-test="withdraw"]').count(), 0, 'a confirmed record is not withdrawn');
    await page.locator('[data-test="ask"]').waitFor();
    assert.equal(await page.locator('[data-test="photo-camera"]').count(), 0, 'no photos added to a confirmed record');
  });
});

test('photos: one too large to shrink and a file that is no photo are refused in words before any upload; a big one is shrunk; a broken one is refused by the server at the photo, the record kept', async (t) => {
  if (await needs(t, RECORD_FORM)) return;
  await withPage(t, env.browser, PHONE, async (page) => {
    await large(page);
    await loginMobile(page, env.srv.url, MEMBER);
    await page.goto(`${env.srv.url}/m/serve/new`);
    await page.locator('[data-test="serve-form"]').waitFor();
    const camera = page.locator('[data-test="photo-camera"]');
    const uploads = [];
    page.on('request', (r) => { if (/\/photos$/.test(new URL(r.url()).pathname)) uploads.push(r.url()); });

    // 6 MB that starts like a JPEG but no decoder can open: it cannot be shrunk, so it is refused here.
    const junk = Buffer.alloc(6 * 1024 * 1024, 7);
    junk.set([0xff, 0xd8, 0xff, 0xe0]);
    await camera.setInputFiles({ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: junk });
    await seeText(page.locator('[data-test="photo-refusal"]'), '这张照片有 6.0 MB，超过 5 MB');
    assert.equal(await page.locator('[data-test="photo-item"]').count(), 0);
    // A PDF renamed .jpg.
    await camera.setInputFiles({ name: 'scan.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n') });
    await seeText(page.locator('[data-test="photo-refusal"]'), '这个文件不是照片');
    assert.equal(await page.locator('[data-test="photo-item"]').count(), 0);

    // A PNG over 5 MB that the phone can open is redrawn at the size the server keeps (2048 px).
    const huge = await image(page, { width: 1700, height: 1300, type: 'image/png', name: 'huge.png' });
    assert.ok(huge.buffer.length > 5 * 1024 * 1024, `the PNG is over 5 MB (${huge.buffer.length})`);
    await camera.setInputFiles(huge);
    await seeText(page.locator('[data-test="photo-ready"]'), /照片较大（\d+\.\d MB），已自动缩小/);
    assert.equal(await page.locator('[data-test="photo-refusal"]').count(), 0, 'a good pick clears the last refusal');

    // A JPEG cut short: the phone cannot tell, the server can (its words at the photo).
    const whole = (await image(page, { width: 400, height: 300, name: 'cut.jpg' })).buffer;
    await camera.setInputFiles({ name: 'cut.jpg', mimeType: 'image/jpeg', buffer: whole.subarray(0, Math.floor(whole.length / 2)) });
    await page.locator('[data-test="photo-item"]').nth(1).waitFor();
    assert.deepEqual(uploads, [], 'nothing uploaded before the record is sent');

    await pickItem(page, '心理疏导');
    await page.locator('[data-test="serve-day"]').fill(chinaDay(6));
    await page.locator('[data-test="serve-time"]').fill('19:00');
    await page.locator('[data-test="minutes-other"]').click();
    await page.locator('[data-test="minutes-typed"] input').fill('45');
    await page.locator('[data-test="serve-submit"]').click();

    const pending = page.locator('[data-test="photos-pending"]');
    await seeText(pending, '服务记录已提交，有照片没有传上去');
    await seeText(page.locator('[data-test="photo-failed"]'), '照片文件不完整或已损坏，请重新拍摄或选择');
    await seeText(page.locator('[data-test="photo-done"]'), '已上传');
    await page.locator('[data-test="photos-skip"]').click();
    await page.waitForURL(/\/m\/records\/\d+$/);
    const id = Number(path(page).split('/').pop());
    const rec = (await (await member()).get(`/api/v1/records/${id}`)).json;
    assert.equal(rec.minutes, 45);
    assert.equal(rec.photo_list.length, 1, 'the shrunk photo is stored, the broken one is not');
    assert.ok(Math.max(rec.photo_list[0].width, rec.photo_list[0].height) <= 2048);
    await page.locator('[data-test="photos"] img').first().waitFor();
    await seeText(page.locator('[data-test="record-minutes"]'), '45 分钟');

    // Still pending: a photo can be added on the record itself, straight away.
    await page.locator('[data-test="photo-camera"]').setInputFiles(await image(page, { width: 300, height: 200 }));
    // The second stored photo (its thumbnail from the server, not the preview shown while it uploads).
    await page.locator('[data-test="photos"] img[loading="lazy"]').nth(1).waitFor();
    assert.equal((await (await member()).get(`/api/v1/records/${id}`)).json.photo_list.length, 2);
    await axe(t, page);

    // Withdrawn: it no longer counts.
    await page.locator('[data-test="withdraw"]').click();
    await page.getByRole('dialog').getByRole('button', { name: '撤回这条记录' }).click();
    await seeText(page.locator('[data-test="record-state"]'), '已撤回');
    assert.equal((await (await member()).get(`/api/v1/records/${id}`)).json.state, 'withdrawn');
  });
});

test('my records: the confirmed total and counts equal the API, the tabs filter by state, a rejected record shows its reason', async (t) => {
  if (await needs(t, RECORDS)) return;
  await withPage(t, env.browser, PHONE, async (page) => {
    await large(page);
    await loginMobile(page, env.srv.url, OTHER);
    await page.locator('[data-test="tile-records"]').click();
    await page.waitForURL(/\/m\/records$/);
    const c = await member(OTHER);
    const file = (await c.get('/api/v1/me/member')).json;
    await seeText(page.locator('[data-test="confirmed-minutes"]'), minutesText(file.service.confirmed_minutes));
    await seeText(page.locator('[data-test="service-summary"]'), `已确认 ${file.service.confirmed} 条，等待确认 ${file.service.pending} 条`);

    const ids = async () => page.locator('[data-test="records"] a').evaluateAll((as) => as.map((a) => Number(a.dataset.test.split('-')[1])));
    const all = (await c.get('/api/v1/me/records')).json.items.map((r) => r.id);
    await page.locator(`[data-test="record-${all[all.length - 1]}"]`).waitFor();
    assert.deepEqual(await ids(), all);

    await page.getByRole('button', { name: '已退回' }).click();
    await page.waitForURL(/state=rejected/);
    const rejected = (await c.get('/api/v1/me/records?state=rejected')).json.items;
    assert.ok(rejected.length >= 1, 'the demo has a rejected record');
    await page.waitForFunction((n) => document.querySelectorAll('[data-test="records"] a').length === n, rejected.length);
    assert.deepEqual(await ids(), rejected.map((r) => r.id));
    await seeText(page.locator('[data-test="records"]'), `退回原因：${rejected[0].reason}`);
    await axe(t, page);

    await page.locator(`[data-test="record-${rejected[0].id}"]`).click();
    await seeText(page.locator('[data-test="record-state"]'), '已退回');
    await seeText(page.locator('[data-test="record-reason"]'), rejected[0].reason);
    await seeText(page.locator('[data-test="record-timeline"]'), '社区退回');
    assert.equal(await page.locator('[data-test="ask"]').count(), 0, 'a rejected record is not corrected');
    assert.ok(await fits(page));
  });
});

test('asking for the correction of a confirmed record: the missing reason is named, the request waits for the community', async (t) => {
  if (await needs(t, RECORDS)) return;
  await withPage(t, env.browser, PHONE, async (page) => {
    await large(page);
    await loginMobile(page, env.srv.url, MEMBER);
    const c = await member();
    const rec = (await c.get('/api/v1/me/records?state=confirmed')).json.items.find((r) => !r.open_request_id);
    assert.ok(rec, 'a confirmed record without a request (demo)');
    await page.goto(`${env.srv.url}/m/records/${rec.id}`);
    await seeText(page.locator('[data-test="record-state"]'), '已确认');
    await page.locator('[data-test="ask"]').click();
    const form = page.locator('[data-test="ask-form"]');
    await form.waitFor();
    await axe(t, page);
    await form.locator('[data-test="ask-submit"]').click();
    await seeText(fieldError(page, '原因'), '请写明需要更正的原因');
    await page.locator('#rv-ask-reason').fill('实际服务了 3 小时，签退时忘记扫码');
    await page.locator('#rv-ask-minutes').fill('180');
    await form.locator('[data-test="ask-submit"]').click();
    await form.waitFor({ state: 'hidden' });
    await seeText(page.locator('[data-test="requests"]'), '待答复');
    await seeText(page.locator('[data-test="requests"]'), '申请记为 3 小时');
    await page.locator('[data-test="ask-waiting"]').waitFor();
    assert.equal(await page.locator('[data-test="ask"]').count(), 0, 'one request at a time');
    const after = (await c.get(`/api/v1/records/${rec.id}`)).json;
    assert.ok(after.open_request_id);
    assert.equal(after.requests[0].minutes, 180);
    assert.equal(after.requests[0].reason, '实际服务了 3 小时，签退时忘记扫码');
  });
});

test('a member who has not reported in is told to report first, on every serving page', async (t) => {
  await withPage(t, env.browser, PHONE, async (page) => {
    await loginMobile(page, env.srv.url, 'member');
    for (const p of ['/m/serve/new', '/m/records', '/m/activities']) {
      await page.goto(`${env.srv.url}${p}`);
      await seeText(page.locator('[data-test="report-first"]'), '报到、审核通过后，才能记录服务、报名活动');
    }
    await page.locator('[data-test="report-first"]').getByRole('button', { name: '去报到' }).click();
    await page.waitForURL(/\/m\/report\/new$/);
  });
});

test('the 记录服务 form with several choices and the list of records pass axe in 大字模式', async (t) => {
  if (await needs(t, RECORD_FORM)) return;
  await withPage(t, env.browser, PHONE, async (page) => {
    await large(page);
    await loginMobile(page, env.srv.url, MEMBER);
    await page.goto(`${env.srv.url}/m/serve/new`);
    await pickItem(page, '法律咨询'); // several choices
    await page.getByRole('checkbox', { name: '邻里纠纷' }).click();
    assert.equal(await page.getByRole('checkbox', { name: '邻里纠纷' }).getAttribute('aria-checked'), 'true');
    await axe(t, page);
    await page.goto(`${env.srv.url}/m/records`);
    await page.locator('[data-test="records"] a').first().waitFor();
    await axe(t, page);
  });
});

// --- Activities -----------------------------------------------------------------------------------

const SHILIUQIAO = '440111002011';
const HOUR = 3600;
let serial = 0;

async function staffClient(srv = env.srv) {
  const c = new Client(srv.url);
  await c.login('staff');
  return c;
}
const itemId = (code, srv = env.srv) => Number(execFileSync('/usr/bin/sqlite3', [srv.db,
  `SELECT id FROM catalog_item WHERE code = '${code}' AND region_code IS NULL`], { encoding: 'utf8' }).trim());

// A published activity of 石榴桥社区 (starting in two days unless told), made by its staff through the API.
async function publish(over = {}, srv = env.srv) {
  serial += 1;
  const start = Math.floor(Date.now() / 1000) + 2 * 24 * HOUR + serial * 3 * HOUR;
  const r = await (await staffClient(srv)).post('/api/v1/activities', {
    community_code: SHILIUQIAO, organiser: 'community', item_id: itemId('A01', srv), title: `楼道清理 ${serial}`,
    description: '清理楼道杂物，带好手套', place: '石榴桥社区 3 栋楼下', starts_at: start, ends_at: start + 2 * HOUR,
    signup_deadline: start - HOUR, capacity: 5, audience: 'community', publish: true, ...over,
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

test('in 大字模式 a member signs up from the home page in two taps, sees 已报名, cancels, signs up again and asks for leave (the missing reason named)', async (t) => {
  if (await needs(t, ACTIVITIES)) return;
  const a = await publish({ title: '周六楼道清理' });
  await withPage(t, env.browser, PHONE, async (page) => {
    await large(page);
    await loginMobile(page, env.srv.url, MEMBER);
    // Tap 1: the tile; tap 2: 我要报名 on the activity's card.
    await page.locator('[data-test="tile-activity"]').click();
    const card = page.locator(`[data-test="activity-${a.id}"]`);
    await card.waitFor();
    await seeText(card.locator('xpath=ancestor::section[1]'), '本社区的活动');
    await seeText(card, '还剩 5 个名额（共 5 个）');
    const join = card.getByRole('button', { name: '我要报名：周六楼道清理' });
    const box = await join.boundingBox();
    assert.ok(box.height >= 44, `a big button (${box.height}px)`);
    assert.ok(await fits(page), 'no sideways scrolling in 大字模式');
    await join.click();
    await seeText(card.locator('[data-test="my-standing"]'), '已报名');
    assert.equal(await card.getByRole('button', { name: /我要报名/ }).count(), 0, 'signed up once');
    const c = await member();
    assert.equal((await c.get(`/api/v1/activities/${a.id}`)).json.my_signup.state, 'signed');
    await axe(t, page);

    // The detail: what it means, cancel (asked first), again, then leave with a reason.
    await card.locator('a').first().click();
    await page.waitForURL(new RegExp(`/m/activities/${a.id}$`));
    await seeText(page.locator('[data-test="my-standing"]'), '已报名');
    await seeText(page.locator('[data-test="activity-places"]'), '还剩 4 个名额');
    assert.equal(await page.locator('[data-test="ics"]').getAttribute('href'), a.calendar_path);
    await page.locator('[data-test="cancel"]').click();
    await page.getByRole('dialog').getByRole('button', { name: '取消报名' }).click();
    await page.locator('[data-test="join"]').waitFor();
    assert.equal((await c.get(`/api/v1/activities/${a.id}`)).json.my_signup, null);
    await page.locator('[data-test="join"]').click();
    await seeText(page.locator('[data-test="my-standing"]'), '已报名');
    await seeText(page.locator('[data-test="signup-events"]'), '报名成功');
    await axe(t, page);

    await page.locator('[data-test="leave"]').click();
    const form = page.locator('[data-test="reason-form"]');
    await form.waitFor();
    await form.locator('[data-test="reason-submit"]').click();
    await seeText(fieldError(page, '原因'), '请写明请假的原因');
    await page.locator('#rsheet-text').fill('临时要去医院复查');
    await form.locator('[data-test="reason-submit"]').click();
    await form.waitFor({ state: 'hidden' });
    await seeText(page.locator('[data-test="my-standing"]'), '请假待批');
    await seeText(page.locator('[data-test="my-signup"]'), '请假原因：临时要去医院复查');
    const s = (await c.get(`/api/v1/activities/${a.id}`)).json.my_signup;
    assert.equal(s.leave.state, 'asked');
    assert.equal(s.leave.reason, '临时要去医院复查');
  });
});

test('the waiting list: full, the member queues as 候补第 1 位, moves up when a place is freed; a refusal is said in the server\'s words', async (t) => {
  if (await needs(t, ACTIVITIES)) return;
  const a = await publish({ title: '义诊帮手', capacity: 1 });
  const other = await member(OTHER);
  assert.equal((await other.post(`/api/v1/activities/${a.id}/signup`)).json.signup.state, 'signed');
  await withPage(t, env.browser, PHONE, async (page) => {
    await large(page);
    await loginMobile(page, env.srv.url, MEMBER);
    await page.goto(`${env.srv.url}/m/activities/${a.id}`);
    await seeText(page.locator('[data-test="activity-places"]'), '名额已满');
    await seeText(page.locator('[data-test="my-signup"]'), '报名后进入候补名单');
    await page.getByRole('button', { name: '排队候补' }).click();
    await seeText(page.locator('[data-test="my-standing"]'), '候补第 1 位');
    await page.locator('[data-test="cancel"]').waitFor(); // 取消候补

    assert.equal((await other.del(`/api/v1/activities/${a.id}/signup`)).status, 200);
    await page.reload();
    await seeText(page.locator('[data-test="my-standing"]'), '已报名');
    await seeText(page.locator('[data-test="signup-events"]'), '已从候补转为正式报名');
  });

  // Cancelled by the community while the list is open: the card's 我要报名 answers in words, at the card.
  const b = await publish({ title: '防汛巡逻' });
  await withPage(t, env.browser, PHONE, async (page) => {
    await loginMobile(page, env.srv.url, MEMBER);
    await page.goto(`${env.srv.url}/m/activities`);
    const card = page.locator(`[data-test="activity-${b.id}"]`);
    await card.waitFor();
    assert.equal((await (await staffClient()).post(`/api/v1/activities/${b.id}/cancel`, { reason: '台风预警，改期' })).status, 200);
    await card.locator('[data-test="join"]').click();
    const words = (await (await member()).post(`/api/v1/activities/${b.id}/signup`)).json.title;
    assert.match(words, /不能报名/);
    await seeText(card.getByRole('alert'), words);
    await page.locator(`[data-test="activity-${b.id}"] a`).first().click();
    await seeText(page.locator('[data-test="activity-cancelled"]'), '活动已取消。原因：台风预警，改期');
    assert.equal(await page.locator('[data-test="join"]').count(), 0);
  });
});

test('the QR code\'s link: log in first, straight back, one tap 签到; a reused, an expired, another activity\'s and a forged code refused in words; 签退 after the end', async (t) => {
  // Its own server with a fake clock: codes change every 30 s, and the test moves time instead of waiting.
  const now = Math.floor(Date.now() / 1000);
  const srv = await startServer({ demo: 'full', web: WEB, clock: now });
  t.after(() => srv.stop());
  if (await needs(t, CHECKIN, srv)) return;
  const staff = await staffClient(srv);
  const body = (title) => ({ title, starts_at: now + 10 * 60, ends_at: now + 70 * 60, signup_deadline: now + 5 * 60 });
  const a = await publish(body('社区清洁日'), srv);
  const b = await publish({ ...body('另一场活动'), place: '党群服务中心' }, srv);
  const me = new Client(srv.url);
  await me.login(MEMBER);
  for (const x of [a, b]) assert.equal((await me.post(`/api/v1/activities/${x.id}/signup`)).status, 201);
  const screen = async (x) => (await staff.get(`/api/v1/activities/${x.id}/checkin-code?kind=screen`)).json;
  const local = (url) => { const u = new URL(url); return `${srv.url}${u.pathname}${u.search}`; };

  await withPage(t, env.browser, PHONE, async (page) => {
    await large(page);
    const first = await screen(a);
    assert.match(new URL(first.url).pathname, new RegExp(`^/m/activities/${a.id}/checkin$`));
    // The phone's camera opens the link: not logged in yet, so the login page first, then straight back.
    await page.goto(local(first.url));
    await page.waitForURL(/\/m\/login/);
    await loginMobile(page, srv.url, MEMBER);
    assert.equal(path(page), `/m/activities/${a.id}/checkin?code=${encodeURIComponent(first.code)}`.replace(/%2E/g, '.'));
    await seeText(page.locator('[data-test="checkin-activity"]'), '社区清洁日');
    const tap = page.locator('[data-test="checkin-tap"]');
    await seeText(tap, '签到');
    const box = await tap.boundingBox();
    assert.ok(box.height >= 72, `one big button (${box.height}px)`);
    await axe(t, page);
    await tap.click(); // the one tap
    await seeText(page.locator('[data-test="checkin-done"]'), '签到成功');
    const s1 = (await me.get(`/api/v1/activities/${a.id}`)).json.my_signup;
    assert.equal(s1.checkin_at, now);
    assert.equal(s1.checkin_by, 'qr');

    // The same code cannot check out (a photo of it would let one leave without coming back).
    await page.reload();
    await seeText(page.locator('[data-test="checked-in"]'), '签到时间');
    await seeText(tap, '签退');
    await tap.click();
    await seeText(page.locator('[data-test="checkin-refusal"]'), '签到时用过的二维码不能再用来签退');
    await seeText(page.locator('[data-test="checkin-refusal"]'), '请扫描现场屏幕上正在显示的二维码再试一次');

    // Two minutes later the photo of that code is stale.
    srv.advance(120);
    await tap.click();
    await seeText(page.locator('[data-test="checkin-refusal"]'), '签到码已过期');
    // Another activity's code, and one this server never made.
    await page.goto(local((await screen(b)).url).replace(`/activities/${b.id}/`, `/activities/${a.id}/`));
    await page.locator('[data-test="checkin-tap"]').click();
    await seeText(page.locator('[data-test="checkin-refusal"]'), '这是另一个活动的签到码');
    await page.goto(`${srv.url}/m/activities/${a.id}/checkin?code=A${a.id}.r1.00ff`);
    await page.locator('[data-test="checkin-tap"]').click();
    await seeText(page.locator('[data-test="checkin-refusal"]'), '这不是本系统的签到码');
    assert.equal((await me.get(`/api/v1/activities/${a.id}`)).json.my_signup.checkout_at, null, 'no refused code checked out');

    // After the end, the screen's new code checks out. An hour has passed: the session has run out (30 minutes
    // idle), so the link asks to log in again, then comes straight back.
    srv.setClock(now + 72 * 60);
    await staff.login('staff');
    await me.login(MEMBER);
    await page.goto(local((await screen(a)).url));
    await page.waitForURL(/\/m\/login/);
    await loginMobile(page, srv.url, MEMBER);
    await seeText(page.locator('[data-test="checkin-tap"]'), '签退');
    await page.locator('[data-test="checkin-tap"]').click();
    await seeText(page.locator('[data-test="checkin-done"]'), '签退成功');
    assert.equal((await me.get(`/api/v1/activities/${a.id}`)).json.my_signup.checkout_at, now + 72 * 60);
    assert.ok(await fits(page));
  });
});

test('the share link from the WeChat group: details without logging in, 我要报名 logs in and comes straight back signed up; a resident is told why not', async (t) => {
  if (await needs(t, SHARE)) return;
  const a = await publish({ title: '敬老院探访', description: '陪老人聊天、读报' });
  await withPage(t, env.browser, PHONE, async (page) => {
    await large(page);
    await page.goto(`${env.srv.url}/m/activities/${a.id}`);
    await seeText(page.locator('[data-test="activity-title"]'), '敬老院探访');
    await seeText(page.locator('[data-test="activity-places"]'), '还剩 5 个名额');
    await seeText(page.locator('main'), '陪老人聊天、读报');
    const join = page.locator('[data-test="join-login"]');
    assert.ok((await join.boundingBox()).y + 40 < PHONE.height, '我要报名 is on the first screen');
    await axe(t, page);
    await join.click();
    await page.waitForURL(/\/m\/login/);
    await loginMobile(page, env.srv.url, MEMBER);
    await page.waitForURL(new RegExp(`/m/activities/${a.id}$`));
    await seeText(page.locator('[data-test="my-standing"]'), '已报名');
    assert.equal((await (await member()).get(`/api/v1/activities/${a.id}`)).json.my_signup.state, 'signed');
    // Back again later: nothing is done twice.
    await page.reload();
    await seeText(page.locator('[data-test="my-standing"]'), '已报名');
  });
  await withPage(t, env.browser, PHONE, async (page) => {
    await loginMobile(page, env.srv.url, 'resident');
    await page.goto(`${env.srv.url}/m/activities/${a.id}`);
    await seeText(page.locator('[data-test="why-not"]'), '报名活动需要在职党员账号');
    assert.equal(await page.locator('[data-test="join-login"]').count(), 0);
  });
});

test('after the activity: staff close it and confirm the records; the member\'s phone shows the activity\'s record 已确认 with the credited time', async (t) => {
  const now = Math.floor(Date.now() / 1000);
  const srv = await startServer({ demo: 'full', web: WEB, clock: now });
  t.after(() => srv.stop());
  if (await needs(t, CLOSING, srv)) return;
  const staff = await staffClient(srv);
  const a = await publish({ title: '垃圾分类督导', starts_at: now + 10 * 60, ends_at: now + 70 * 60, signup_deadline: now + 5 * 60 }, srv);
  const me = new Client(srv.url);
  await me.login(MEMBER);
  assert.equal((await me.post(`/api/v1/activities/${a.id}/signup`)).status, 201);
  // In at the start, out at the end, each with the screen's code of that moment.
  const scan = async (at, what) => {
    srv.setClock(at);
    await staff.login('staff');
    await me.login(MEMBER);
    const { code } = (await staff.get(`/api/v1/activities/${a.id}/checkin-code?kind=screen`)).json;
    assert.equal((await me.post(`/api/v1/activities/${a.id}/${what}`, { code })).status, 200);
  };
  await scan(now + 10 * 60, 'checkin');
  await scan(now + 70 * 60, 'checkout');
  srv.setClock(now + 80 * 60);
  await staff.login('staff');
  assert.equal((await staff.post(`/api/v1/activities/${a.id}/close`)).status, 200);
  const confirmed = await staff.post('/api/v1/records/confirm', { activity_id: a.id });
  assert.equal(confirmed.status, 200, confirmed.text);
  assert.equal(confirmed.json.confirmed, 1);

  await withPage(t, env.browser, PHONE, async (page) => {
    await large(page);
    await loginMobile(page, srv.url, MEMBER);
    await page.goto(`${srv.url}/m/activities/${a.id}`);
    await seeText(page.locator('[data-test="activity-state"]'), '已结束');
    await page.getByRole('link', { name: '查看服务记录（已确认）' }).click();
    await page.waitForURL(/\/m\/records\/\d+$/);
    await seeText(page.locator('[data-test="record-state"]'), '已确认');
    await seeText(page.locator('[data-test="record-facts"]'), '活动：垃圾分类督导');
    await seeText(page.locator('[data-test="record-minutes"]'), '1 小时');
    await page.goto(`${srv.url}/m/records?state=confirmed`);
    await seeText(page.locator('[data-test="records"]'), '垃圾分类督导');
  });
});

// --- Posts ----------------------------------------------------------------------------------------

test('my posts: claim an open post with a note, withdraw it; log a service on the post I hold (its item fixed); ask to leave it, the missing reason named', async (t) => {
  // Tomorrow noon in China: a service logged this morning lies after the day the demo's holder took the post.
  const noon = chinaUnix(chinaDay(-1), '12', '00');
  const srv = await startServer({ demo: 'full', web: WEB, clock: noon });
  t.after(() => srv.stop());
  if (await needs(t, POSTS, srv)) return;
  const me = new Client(srv.url);
  await me.login(MEMBER);
  const mine = (await me.get('/api/v1/me/posts')).json.items;
  const held = mine.find((c) => c.state === 'holding');
  const offer = (await me.get('/api/v1/me/posts/open')).json.items.find((p) => !p.full && !p.my_claim);
  assert.ok(held && offer, 'the demo: a post held, another open');

  await withPage(t, env.browser, PHONE, async (page) => {
    await large(page);
    await loginMobile(page, srv.url, MEMBER);
    await page.locator('.van-tabbar-item', { hasText: /^我的$/ }).click();
    await page.locator('[data-test="my-posts"]').click();
    await page.waitForURL(/\/m\/mine\/posts$/);
    const card = page.locator(`[data-test="claim-${held.id}"]`);
    await seeText(card, held.post_name);
    await seeText(card, '在岗');
    await seeText(card.locator('[data-test="post-service"]'), `已确认服务 ${minutesText(held.service.confirmed_minutes)}`);
    assert.ok(await fits(page), 'no sideways scrolling in 大字模式');
    await axe(t, page);

    // Claim with a note; it waits for the community; withdraw it.
    await page.getByRole('button', { name: `认领这个岗位：${offer.name}` }).click();
    await page.locator('#rsheet-text').fill('我每天早上都在小区散步');
    await page.locator('[data-test="reason-submit"]').click();
    await seeText(page.locator('[data-test="my-posts"]'), offer.name);
    const claim = (await me.get('/api/v1/me/posts')).json.items.find((c) => c.post_id === offer.id && c.state === 'applied');
    assert.ok(claim, 'the claim is there');
    assert.equal(claim.note, '我每天早上都在小区散步');
    const applied = page.locator(`[data-test="claim-${claim.id}"]`);
    await seeText(applied, '申请中');
    await applied.locator('[data-test="post-withdraw"]').click();
    await page.getByRole('dialog').getByRole('button', { name: '撤回申请' }).click();
    await applied.waitFor({ state: 'detached' });
    assert.equal((await me.get('/api/v1/me/posts')).json.items.find((c) => c.id === claim.id).state, 'withdrawn');

    // A service on the post I hold: the form knows the item.
    await card.locator('[data-test="post-log"]').click();
    await page.waitForURL(new RegExp(`/m/serve/new\\?post=${held.post_id}$`));
    await seeText(page.locator('[data-test="serve-post"]'), held.post_name);
    // The item comes with the post once it is read: wait for it to be filled in, then check it is the post's.
    await page.waitForFunction((want) => document.querySelector('[data-test="item-field"] input')?.value === want, held.item_name);
    assert.equal(await page.locator('[data-test="item-field"] input').inputValue(), held.item_name);
    await page.locator('[data-test="serve-day"]').fill(chinaDay(-1));
    await page.locator('[data-test="serve-time"]').fill('08:00');
    await page.getByRole('button', { name: '1 小时', exact: true }).click();
    await page.getByLabel('服务内容').fill('走访 1 栋 6 户，登记独居老人的需求');
    await page.locator('[data-test="serve-submit"]').click();
    await page.waitForURL(/\/m\/records\/\d+$/);
    await seeText(page.locator('[data-test="record-facts"]'), `岗位：${held.post_name}`);
    await seeText(page.locator('[data-test="record-state"]'), '待确认');
    const rec = (await me.get(`/api/v1/records/${path(page).split('/').pop()}`)).json;
    assert.equal(rec.post_id, held.post_id);
    assert.equal(rec.minutes, 60);
    assert.equal(rec.started_at, chinaUnix(chinaDay(-1), '08', '00'));

    // Ask to leave it: a reason is needed.
    await page.goto(`${srv.url}/m/mine/posts`);
    await card.locator('[data-test="post-leave"]').click();
    await page.locator('[data-test="reason-submit"]').click();
    await seeText(fieldError(page, '原因'), '请写明离岗的原因');
    await page.locator('#rsheet-text').fill('工作调动，时间不够');
    await page.locator('[data-test="reason-submit"]').click();
    await seeText(card, '申请离岗');
    await seeText(card, '工作调动，时间不够');
    assert.equal((await me.get('/api/v1/me/posts')).json.items.find((c) => c.id === held.id).state, 'leaving');
  });
});

// --- Teams ----------------------------------------------------------------------------------------

test('teams: the leader answers applications on the phone (agree; refuse with a reason, named when missing); a member applies with a note and withdraws', async (t) => {
  if (await needs(t, TEAMS)) return;
  const me = await member();
  const led = (await me.get('/api/v1/me/teams')).json.items.find((m) => m.leader);
  const other = (await me.get('/api/v1/me/teams/open')).json.items.find((x) => !x.my_membership);
  assert.ok(led && other, 'the demo: 陈建国 leads a team, another is open to him');
  const waiting = (await me.get(`/api/v1/teams/${led.team_id}`)).json.applications[0];
  assert.ok(waiting, 'the demo: an application waits');
  const applicant = await member(OTHER);
  assert.equal((await applicant.post(`/api/v1/teams/${led.team_id}/join`, { note: '会开车，可以接送' })).status, 201);

  await withPage(t, env.browser, PHONE, async (page) => {
    await large(page);
    await loginMobile(page, env.srv.url, MEMBER);
    await page.locator('.van-tabbar-item', { hasText: /^我的$/ }).click();
    await page.locator('[data-test="my-teams"]').click();
    await page.waitForURL(/\/m\/mine\/teams$/);
    const mine = page.locator(`[data-test="membership-${led.id}"]`);
    await seeText(mine, '队长');
    await axe(t, page);
    await mine.getByRole('link', { name: led.team_name }).click();
    await page.waitForURL(new RegExp(`/m/teams/${led.team_id}$`));
    await seeText(page.locator('[data-test="applications"]'), waiting.member_name);

    await page.getByRole('button', { name: `同意：${waiting.member_name}`, exact: true }).click();
    await seeText(page.locator('[data-test="team-members"]'), waiting.member_name);
    await page.getByRole('button', { name: '不同意：黄志强', exact: true }).click();
    await page.locator('[data-test="reason-submit"]').click();
    await seeText(fieldError(page, '原因'), '请写明原因，申请人会看到');
    await page.locator('#rsheet-text').fill('本队只收医护人员，欢迎参加义诊活动');
    await page.locator('[data-test="reason-submit"]').click();
    await page.locator('[data-test="applications"]').waitFor({ state: 'detached' });
    await axe(t, page);
    const team = (await me.get(`/api/v1/teams/${led.team_id}`)).json;
    assert.ok(team.team_members.some((m) => m.member_name === waiting.member_name && m.state === 'member'));
    const refused = (await applicant.get('/api/v1/me/teams')).json.items.find((m) => m.team_id === led.team_id);
    assert.equal(refused.state, 'refused');
    assert.equal(refused.reason, '本队只收医护人员，欢迎参加义诊活动');

    // Apply to another team, then think again.
    await page.goto(`${env.srv.url}/m/mine/teams`);
    await page.getByRole('button', { name: `申请加入：${other.name}` }).click();
    await page.locator('#rsheet-text').fill('家里有工具，周末有空');
    await page.locator('[data-test="reason-submit"]').click();
    await seeText(page.locator('[data-test="my-teams"]'), other.name);
    const applied = (await me.get('/api/v1/me/teams')).json.items.find((m) => m.team_id === other.id);
    assert.equal(applied.state, 'applied');
    assert.equal(applied.note, '家里有工具，周末有空');
    await page.locator(`[data-test="membership-${applied.id}"] [data-test="team-leave"]`).click();
    await page.locator('[data-test="reason-submit"]').click();
    await page.locator(`[data-test="membership-${applied.id}"]`).waitFor({ state: 'detached' });
    assert.notEqual((await me.get('/api/v1/me/teams')).json.items.find((m) => m.id === applied.id)?.state, 'applied');
  });
});
