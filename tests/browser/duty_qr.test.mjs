// duty_qr.test.mjs: QR check-in at a duty shift: staff open the shift's code in the console (a QR that changes); a member
// on the shift opens its link on the phone, logs in, comes straight back and checks in with one tap; a member not on it
// is told so in words; a photo of the code a minute later is refused
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '../lib/server.mjs';
import { serverAndBrowser, withPage, loginConsole, loginMobile, seeText, path } from './helpers.mjs';
import { reportedMember } from '../api/serving-people.mjs';

const SHILIUQIAO = '440111002011';
const MON = 1796572800; // 2026-12-07 00:00 China time, a Monday
const WIDE = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844, isMobile: true };
const env = serverAndBrowser({ clock: MON + 6 * 3600 });

test('staff show the shift\'s code; the member on the shift scans it, logs in, taps once: checked in', async (t) => {
  const { srv } = env;
  const staff = new Client(srv.url);
  await staff.login('staff');
  const item = (await staff.get(`/api/v1/catalog?region=${SHILIUQIAO}`)).json.items.find((i) => i.category === 'post' && !(i.fields || []).length);
  const post = (await staff.post(`/api/v1/communities/${SHILIUQIAO}/duty-posts`, { name: '防汛巡逻', place: '河堤', item_id: item.id })).json;
  await staff.post(`/api/v1/duty-posts/${post.id}/shifts`, { from: '2026-12-07', to: '2026-12-07', weekdays: [1], start: 480, end: 720, places: 2 });
  const shift = (await staff.get(`/api/v1/communities/${SHILIUQIAO}/duty?week=2026-12-07`)).json.posts.find((p) => p.id === post.id).shifts[0];
  const onIt = await reportedMember(srv, 'dqr_phone', SHILIUQIAO, staff);
  const notOnIt = await reportedMember(srv, 'dqr_other', SHILIUQIAO, staff);
  assert.equal((await onIt.client.post(`/api/v1/duty-shifts/${shift.id}/signup`)).status, 201);
  srv.setClock(MON + 7 * 3600 + 45 * 60); // 07:45, a quarter before the start
  let url = '';
  await withPage(t, env.browser, WIDE, async (page) => {
    await loginConsole(page, srv.url, 'staff');
    await page.goto(`${srv.url}/admin/duty?week=2026-12-07`);
    await page.locator('[data-test="dv-shift"]', { hasText: '08:00' }).last().click();
    await seeText(page.locator('[data-test="dv-people"]'), onIt.name);
    await page.locator('[data-test="dv-code"]').click();
    const qr = page.locator('[data-test="dv-qr"]');
    await qr.waitFor();
    url = await qr.getAttribute('data-url');
    assert.match(new URL(url).pathname, /^\/m\/shifts\/checkin$/);
    assert.match(await qr.getAttribute('data-code'), new RegExp(`^S${shift.id}\\.r\\d+\\.`));
    await seeText(page.locator('[data-test="dv-code-dialog"]'), '07:30 至 12:00');
    assert.match(await page.locator('[data-test="dv-poster"]').getAttribute('href'), new RegExp(`/api/v1/duty-shifts/${shift.id}/poster.svg$`));
  });
  await onIt.client.login('dqr_phone');
  const place0 = (await onIt.client.get('/api/v1/me/shifts')).json.items[0];
  const local = (u) => { const x = new URL(u); return `${srv.url}${x.pathname}${x.search}`; };
  await withPage(t, env.browser, PHONE, async (page) => {
    // The phone's camera opens the link: the login page first, then straight back to the shift.
    await page.goto(local(url));
    await page.waitForURL(/\/m\/login/);
    await loginMobile(page, srv.url, 'dqr_phone');
    assert.match(path(page), /^\/m\/shifts\/checkin\?code=S/);
    await seeText(page.locator('[data-test="shift-checkin-post"]'), '防汛巡逻');
    const tap = page.locator('[data-test="shift-checkin-tap"]');
    await seeText(tap, '签到');
    const box = await tap.boundingBox();
    assert.ok(box.height >= 72, `one big button (${box.height}px)`);
    await tap.click();
    await seeText(page.locator('[data-test="shift-checkin-done"]'), '值班签到成功');
    await seeText(page.locator('[data-test="shift-checkin-done"]'), '签到时间 07:45');
    // Opened again: already checked in, no button.
    await page.reload();
    await seeText(page.locator('[data-test="shift-checked-in"]'), '您已签到（07:45）');
    assert.equal(await page.locator('[data-test="shift-checkin-tap"]').count(), 0);
    // 我的值班 shows the place checked in.
    await page.locator('a', { hasText: '查看我的值班' }).click();
    await seeText(page.locator(`[data-test="shift-${place0.id}"]`), '已签到');
  });
  await staff.login('staff'); // the session of 06:00 has idled out
  const place = (await staff.get(`/api/v1/duty-shifts/${shift.id}`)).json.people.find((x) => x.member_id === onIt.id);
  assert.deepEqual([place.state, place.checked_in_at], ['checked_in', MON + 7 * 3600 + 45 * 60]);

  await withPage(t, env.browser, PHONE, async (page) => {
    await loginMobile(page, srv.url, 'dqr_other');
    await page.goto(local(url));
    await page.locator('[data-test="shift-checkin-tap"]').click();
    await seeText(page.locator('[data-test="shift-checkin-refusal"]'), '不在这个班次的值班名单上');
    await seeText(page.locator('[data-test="shift-checkin-refusal"]'), '请联系社区工作人员');
    // A photo of the code, a minute later.
    srv.setClock(MON + 7 * 3600 + 47 * 60);
    await page.locator('[data-test="shift-checkin-tap"]').click();
    await seeText(page.locator('[data-test="shift-checkin-refusal"]'), '签到码已过期');
    await seeText(page.locator('[data-test="shift-checkin-refusal"]'), '请扫描值班岗位上正在显示的二维码');
  });
  await staff.login('staff');
  assert.equal((await staff.get(`/api/v1/duty-shifts/${shift.id}`)).json.people.filter((x) => x.member_id === notOnIt.id).length, 0);
});
