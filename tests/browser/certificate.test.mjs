// certificate.test.mjs: 志愿服务证明 in the browser: staff issue one, its A4 page prints to PDF through chromium and the
// PDF's QR code (pdftoppm, zbarimg) opens the public verification page without login (有效); revoked, it says 已撤销;
// a member asks on the phone
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { Client } from '../lib/server.mjs';
import { serverAndBrowser, withPage, loginConsole, loginMobile, seeText, path, OUT } from './helpers.mjs';

const PHONE = { width: 390, height: 844, isMobile: true };
const ISSUED = '13800001011'; // 陈建国: the demo issued him a certificate
const ASKING = '13800001013'; // 黄志强: his request waits (demo)
const env = serverAndBrowser({ demo: 'full' });

async function staffApi() {
  const c = new Client(env.srv.url);
  await c.login('staff');
  return c;
}

// The critical accessibility violations of the page (as a11y.test.mjs), the others as diagnostics.
async function axe(t, page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  for (const v of violations) t.diagnostic(`${v.impact} ${v.id}: ${v.help} (${v.nodes.length})`);
  assert.deepEqual(violations.filter((v) => v.impact === 'critical').map((v) => v.id), [], 'no critical accessibility violations');
}

// The fonts chromium drew the Chinese text of the element with (the platform's, not what the CSS asked for).
async function fontsOf(page, selector) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument');
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  await cdp.detach();
  return [...new Set(fonts.filter((f) => f.glyphCount > 1).map((f) => f.familyName))];
}

// Opens url in a context of its own (no session: nobody logged in): the verdict it shows and the page's whole text.
async function verify(t, url) {
  const seen = {};
  await withPage(t, env.browser, PHONE, async (page) => {
    await page.goto(url);
    seen.verdict = (await seeText(page.locator('[data-test=verdict-text]'), /有效|已撤销/)).trim();
    assert.equal(path(page), new URL(url).pathname, 'no login asked for');
    seen.text = await page.locator('main').textContent();
    await axe(t, page);
  });
  return seen;
}

test('staff issue a waiting request; the A4 page prints to PDF, and its QR code opens the verification page: 有效', async (t) => {
  const staff = await staffApi();
  let id;
  await withPage(t, env.browser, {}, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.goto(`${env.srv.url}/admin/certificates`);
    const row = page.locator('[data-test=certificate-requests] tr', { hasText: '黄志强' });
    await row.locator('[data-test=issue]').click();
    const dialog = page.locator('[data-test=issue-dialog]');
    await dialog.locator('[data-test=issue-person]').fill('石榴桥社区党委书记 陈立华');
    await dialog.locator('[data-test=issue-handler]').fill('李社工');
    await dialog.locator('[data-test=issue-contact]').fill('020-86000311');
    await dialog.getByRole('button', { name: '开具并打印' }).click();
    await page.waitForURL(/\/admin\/certificates\/\d+\/print$/);
    id = Number(/certificates\/(\d+)\/print/.exec(page.url())[1]);
    await page.locator('[data-test=certificate][data-qr-ready="1"]').waitFor();
    const cert = (await staff.get(`/api/v1/certificates/${id}`)).json;
    assert.equal(cert.name, '黄志强');
    assert.equal(await page.locator('[data-test=certificate-no]').textContent(), cert.number);
    await seeText(page.locator('[data-test=certificate-body]'), cert.id_number_masked);
    assert.equal(await page.locator('[data-test=certificate-lines] tbody tr').count(), cert.lines.length);
    await seeText(page.locator('[data-test=seal]'), '盖章处');
    await axe(t, page);

    // Printed by chromium: one A4 page, the Chinese text in Noto CJK, the QR code readable on the image of the page.
    mkdirSync(OUT, { recursive: true });
    const pdf = join(OUT, 'certificate.pdf');
    writeFileSync(pdf, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    assert.match(info, /Pages:\s+1\n/);
    assert.match(info, /Page size:\s+[\d.]+ x [\d.]+ pts \(A4\)/);
    // Its words are text in the PDF (chromium embeds the CJK fonts as Type 3, so their names are not there to read).
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    for (const words of ['志愿服务证明', cert.number, '黄志强', cert.id_number_masked, '盖章处', '石榴桥社区']) assert.ok(text.includes(words), words);
    assert.deepEqual((await fontsOf(page, '[data-test=certificate-body]')).sort(), ['Noto Sans CJK SC', 'Noto Serif CJK SC']);
    assert.deepEqual(await fontsOf(page, '[data-test=certificate-lines] tbody td:nth-child(3)'), ['Noto Sans CJK SC']);
    const png = join(OUT, 'certificate-page');
    execFileSync('pdftoppm', ['-r', '200', '-png', '-singlefile', '-f', '1', '-l', '1', pdf, png]);
    const url = execFileSync('zbarimg', ['--raw', '-q', `${png}.png`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    assert.equal(url, `${env.srv.url}/m/verify/certificates/${cert.code}`);

    // Anyone who scans it, logged in or not, sees it valid, with the name partly hidden.
    const seen = await verify(t, url);
    assert.equal(seen.verdict, '有效');
    assert.match(seen.text, /黄\*强/);
    assert.ok(!seen.text.includes('黄志强'), 'never the full name');
    assert.ok(!seen.text.includes(cert.id_number_masked), 'never the ID number');
  });
  assert.ok(id);
});

test('revoked from the register: the verification page says 已撤销 and since when', async (t) => {
  const staff = await staffApi();
  const cert = (await staff.get('/api/v1/certificates?q=陈建国')).json.items[0];
  assert.equal(cert.state, 'valid');
  const url = `${env.srv.url}${cert.verify_path}`;
  assert.equal((await verify(t, url)).verdict, '有效');
  await withPage(t, env.browser, {}, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.goto(`${env.srv.url}/admin/certificates?tab=register`);
    const row = page.locator('[data-test=certificate-register] tr', { hasText: cert.number });
    await row.locator('[data-test=revoke]').click();
    await page.locator('[data-test=reason-text]').fill('服务时段填写有误，已重新开具');
    await page.locator('[data-test=reason-submit]').click();
    await seeText(page.locator('[data-test=certificate-register] tr', { hasText: cert.number }), '已撤销');
    // Its page says so too.
    await page.goto(`${env.srv.url}/admin/certificates/${cert.id}/print`);
    await seeText(page.locator('[data-test=revoked]'), '服务时段填写有误');
  });
  const seen = await verify(t, url);
  assert.equal(seen.verdict, '已撤销');
  assert.match(seen.text, /已于 \d{4}-\d\d-\d\d 撤销/);
  // A made-up code is not there.
  await withPage(t, env.browser, PHONE, async (page) => {
    await page.goto(`${env.srv.url}/m/verify/certificates/0123456789abcdef0123456789abcdef`);
    await seeText(page.locator('[data-test=not-found]'), '查无此证明');
  });
});

test('a member asks for one on the phone, from 我的, and sees their certificates and requests', async (t) => {
  await withPage(t, env.browser, PHONE, async (page) => {
    await page.addInitScript(() => localStorage.setItem('baodao.largeFont', '1'));
    await loginMobile(page, env.srv.url, ISSUED);
    await page.goto(`${env.srv.url}/m/mine`);
    await page.locator('[data-test=my-certificates]').click();
    await page.waitForURL(/\/m\/mine\/certificates$/);
    await seeText(page.locator('[data-test=my-certificates]'), /编号 440111002011-\d{4}-\d{5}/);
    await page.locator('[data-test=preset-half]').click();
    await page.locator('[data-test=note] textarea').fill('单位评先评优');
    await page.locator('[data-test=ask]').click();
    await seeText(page.locator('[data-test=my-requests]'), '待办理');
    await seeText(page.locator('[data-test=request-waiting]'), '等待社区办理');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'fits the phone in large font');
    await axe(t, page);
  });
  // The staff see it in the queue.
  const staff = await staffApi();
  const queue = (await staff.get('/api/v1/certificate-requests?state=asked')).json.items;
  assert.ok(queue.some((q) => q.member_name === '陈建国' && q.note === '单位评先评优'));
  assert.ok(!queue.some((q) => q.member_name === '黄志强'), `${ASKING}'s request was issued in the first test`);
});
