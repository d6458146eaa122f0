// list-photos.test.mjs: photos of needs and micro-wishes on a phone (390×844): the resident picks a photo in the need form
// and it is the need's once posted; its holder adds a photo of what was done; the console's need drawer shows both,
// read-only. A wish's ask photo is on the member's wall and the public wall; the claimer adds a 圆梦 photo in the fulfil
// sheet, and the beneficiary sees it in 我的心愿.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '../lib/server.mjs';
import { png } from '../api/images.mjs';
import { serverAndBrowser, withPage, loginMobile, loginConsole, seeText } from './helpers.mjs';

const PHONE = { width: 390, height: 844, isMobile: true };
const WIDE = { width: 1280, height: 900 };
const MEMBER = '13800001011'; // 陈建国, 石榴桥社区, report-in approved (demo)
const OTHER = '13800001013'; // 黄志强, the same community
const SHILIUQIAO = '440111002011';
const env = serverAndBrowser({ demo: 'full' });

async function client(login) {
  const c = new Client(env.srv.url);
  await c.login(login);
  return c;
}
const picture = (name, w = 320, h = 240) => ({ name, mimeType: 'image/png', buffer: png(w, h) });
// Whether every image in loc loads, with pixels (decode() waits for it; a thumbnail the server refused does not decode).
const loaded = (loc) => loc.evaluateAll((imgs) => Promise.all(imgs.map((i) => i.decode().then(() => i.naturalWidth > 0, () => false)))
  .then((ok) => ok.length > 0 && ok.every(Boolean)));

test('a need: the photo picked in the form is the need\'s once posted; its holder adds one of what was done; staff see both in the drawer', async (t) => {
  const resident = await client('resident');
  const menu = (await resident.get(`/api/v1/communities/${SHILIUQIAO}/menu`)).json;
  const item = menu.items[0];
  assert.ok(item, 'the community has a menu');
  let needId = 0;

  await withPage(t, env.browser, PHONE, async (page) => {
    await loginMobile(page, env.srv.url, 'resident');
    await page.goto(`${env.srv.url}/m/needs/new`);
    await page.locator(`[data-test="menu-${item.item_id}"]`).click();
    await page.getByLabel('需要什么帮助').fill('水管漏水，照片里是漏的地方');
    await page.locator('[data-test="need-next"]').click();
    await seeText(page.locator('[data-test="need-step"]'), '第 3 步');
    await page.getByLabel('联系人').fill('张阿姨');
    await page.getByLabel('联系电话').fill('13800000006');
    const ask = page.locator('[data-test="list-photos-ask"]');
    await ask.locator('[data-test="photo-album"]').setInputFiles(picture('leak.png'));
    await seeText(ask.locator('[data-test="photo-ready"]'), '提交时上传');
    await page.locator('[data-test="need-submit"]').click();
    await page.waitForURL(/\/m\/needs\/\d+$/);
    needId = Number(new URL(page.url()).pathname.split('/').pop());
    const kept = page.locator('[data-test="list-photos-ask"] button.pp-thumb img');
    await kept.first().waitFor();
    assert.equal(await kept.count(), 1, 'the need has the one photo picked');
    assert.ok(await loaded(kept), 'its thumbnail shows');
    // Still waiting to be accepted: the resident may take it away again (and add up to 3).
    await page.locator('[data-test="list-photos-ask"] [data-test="photo-remove-kept"]').waitFor();
    assert.equal(await page.locator('[data-test="list-photos-done"]').count(), 0, 'no done photos before anyone holds it');
  });

  const posted = (await resident.get(`/api/v1/needs/${needId}`)).json;
  assert.deepEqual(posted.photos.map((p) => p.stage), ['ask']);
  assert.deepEqual([posted.photos[0].width, posted.photos[0].height], [320, 240]);

  const staff = await client('staff');
  const member = await client(MEMBER);
  const memberId = (await member.get('/api/v1/me/member')).json.member?.id;
  assert.equal((await staff.post(`/api/v1/needs/${needId}/accept`)).status, 200);
  assert.equal((await staff.post(`/api/v1/needs/${needId}/dispatch`, { kind: 'member', id: memberId })).status, 200);
  assert.equal((await member.post(`/api/v1/needs/${needId}/answer`)).status, 200);

  // The holder: sees what was asked (not removable: not theirs), adds a photo of the work.
  await withPage(t, env.browser, PHONE, async (page) => {
    await loginMobile(page, env.srv.url, MEMBER);
    await page.goto(`${env.srv.url}/m/needs/${needId}`);
    await seeText(page.locator('[data-test="need-state"]'), '已接单');
    const ask = page.locator('[data-test="list-photos-ask"]');
    await ask.locator('button.pp-thumb img').first().waitFor();
    assert.equal(await ask.locator('[data-test="photo-remove-kept"]').count(), 0, 'the holder cannot remove the resident\'s photo');
    assert.equal(await ask.locator('[data-test="photo-album"]').count(), 0, 'nor add one');
    const done = page.locator('[data-test="list-photos-done"]');
    await done.locator('[data-test="photo-album"]').setInputFiles(picture('fixed.png', 400, 300));
    await done.locator('button.pp-thumb img').first().waitFor();
    assert.ok(await loaded(done.locator('button.pp-thumb img')), 'the done photo shows once sent');
  });

  // The holder's session ends elsewhere before the next photo: the upload's 401 sends the phone to the login page,
  // which returns to the need afterwards (as every other call's 401 does), and nothing is stored.
  await withPage(t, env.browser, PHONE, async (page) => {
    await loginMobile(page, env.srv.url, MEMBER);
    await page.goto(`${env.srv.url}/m/needs/${needId}`);
    const done = page.locator('[data-test="list-photos-done"]');
    await done.locator('button.pp-thumb img').first().waitFor();
    await page.context().clearCookies();
    await done.locator('[data-test="photo-album"]').setInputFiles(picture('late.png'));
    await page.waitForURL((u) => u.pathname.endsWith('/login') && u.searchParams.get('redirect') === `/needs/${needId}`);
  });

  const held = (await member.get(`/api/v1/needs/${needId}`)).json;
  assert.deepEqual(held.photos.map((p) => [p.stage, p.width, p.height]), [['ask', 320, 240], ['done', 400, 300]]);

  // The console: both groups in the drawer, as links to the photos, nothing to change them with.
  await withPage(t, env.browser, WIDE, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.goto(`${env.srv.url}/admin/needs`);
    await page.locator(`[data-test="need-${needId}"]`).click();
    const drawer = page.locator('[data-test="need-drawer"]');
    await drawer.locator('[data-test="need-photos-done"] img').waitFor();
    await seeText(drawer.locator('[data-test="need-photos-ask"]'), '居民的照片（1 张）');
    await seeText(drawer.locator('[data-test="need-photos-done"]'), '完成照片（1 张）');
    assert.ok(await loaded(drawer.locator('[data-test^="need-photos-"] img')), 'both thumbnails show');
    assert.equal(await drawer.locator('[data-test^="need-photos-"] input[type="file"]').count(), 0, 'read-only');
  });
});

test('a wish: its photo is on the walls; the claimer adds a 圆梦 photo while fulfilling; the beneficiary sees it', async (t) => {
  const staff = await client('staff');
  const resident = await client('resident');
  const me = (await resident.get('/api/v1/me')).json;
  const w = await staff.post('/api/v1/wishes', { community_code: SHILIUQIAO, beneficiary_name: '李奶奶', title: '一台收音机',
    value_cap: 100, consent: true, publish: true, beneficiary_account_id: me.id });
  assert.equal(w.status, 201, w.text);
  const id = w.json.id;
  const up = await staff.post(`/api/v1/wishes/${id}/photos?stage=ask`, png(300, 200), { 'Content-Type': 'image/png' });
  assert.equal(up.status, 201, up.text);

  await withPage(t, env.browser, PHONE, async (page) => {
    await page.goto(`${env.srv.url}/m/wishes/wall/${SHILIUQIAO}`);
    const photo = page.locator('[data-test="wall-wish"]', { hasText: '一台收音机' }).locator('[data-test="wish-photo"]');
    await photo.waitFor();
    assert.ok(await loaded(photo), 'the public wall shows the wish\'s photo, without a login');
  });

  await withPage(t, env.browser, PHONE, async (page) => {
    await loginMobile(page, env.srv.url, OTHER);
    await page.goto(`${env.srv.url}/m/wishes`);
    const card = page.locator(`[data-test="open-wishes"] [data-test="wish-${id}"]`);
    await card.locator('[data-test="wish-photo"]').waitFor();
    assert.ok(await loaded(card.locator('[data-test="wish-photo"]')), 'the member\'s wall shows the wish\'s photo');
    await card.locator('[data-test="wish-claim"]').click();
    await page.locator('[data-test="act-as-member"]').click(); // 黄志强 leads the street's team (demo): for himself
    const mine = page.locator(`[data-test="my-wish-${id}"]`);
    await mine.locator('[data-test="wish-fulfil"]').click();
    const form = page.locator('[data-test="fulfil-form"]');
    const done = form.locator('[data-test="list-photos-done"]');
    await done.locator('[data-test="photo-album"]').setInputFiles(picture('radio.png'));
    await done.locator('button.pp-thumb img').first().waitFor();
    await form.locator('#wf-spent').fill('80');
    await form.locator('#wf-minutes').fill('40');
    await form.locator('[data-test="fulfil-submit"]').click();
    await form.waitFor({ state: 'hidden' });
    await seeText(mine.locator('[data-test="my-wish-state"]'), '待确认');
  });

  const fulfilled = (await staff.get(`/api/v1/wishes/${id}`)).json;
  assert.deepEqual(fulfilled.photos.map((p) => p.stage), ['ask', 'done']);

  await withPage(t, env.browser, PHONE, async (page) => {
    await loginMobile(page, env.srv.url, 'resident');
    await page.goto(`${env.srv.url}/m/mine/wishes`);
    const card = page.locator(`[data-test="wish-${id}"]`);
    await card.locator('[data-test="wish-photos"]').click();
    const done = card.locator('[data-test="list-photos-done"] button.pp-thumb img');
    await done.first().waitFor();
    assert.equal(await done.count(), 1);
    assert.ok(await loaded(done), 'the beneficiary sees the 圆梦 photo');
    assert.equal(await card.locator('[data-test="photo-album"], [data-test="photo-remove-kept"]').count(), 0, 'read-only for the beneficiary');
  });
});
