// audit.test.mjs: every action and outcome the server writes has its words in the console; the log shows them and the detail (a reveal's reason)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, ROOT } from '../lib/server.mjs';
import { serverAndBrowser, withPage, loginConsole, seeText, idNumber, ADMIN_PASSWORD } from './helpers.mjs';
import admin from '../../web/src/locales/zh-CN/admin.js';

// --- What the server writes, read from src/ ----------------------------------------------

const sources = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
  const p = join(dir, e.name);
  if (e.isDirectory()) return sources(p);
  return e.name.endsWith('.c') ? [{ path: p, text: readFileSync(p, 'utf8') }] : [];
});
const SRC = sources(join(ROOT, 'src'));
const literal = (arg) => /^"([^"]*)"$/.exec(arg.trim())?.[1];
// Every string literal of an argument: one value, or the choices of a `?:` ("ok" : "duplicate").
const literals = (arg) => [...(arg || '').matchAll(/"([a-z][a-z0-9_]*)"/g)].map((m) => m[1]);

// Functions of a file that hand a parameter named `outcome` on (login.c's record()): name → its index.
function outcomeForwarders(text) {
  const found = new Map();
  for (const m of text.matchAll(/^(?:static\s+)?\w+\s+\**(\w+)\(([^)]*)\)\s*\{/gm)) {
    const i = m[2].split(',').findIndex((p) => /\*\s*outcome\s*$/.test(p.trim()));
    if (i >= 0) found.set(m[1], i);
  }
  return found;
}

// Where the string or character literal starting at i ends.
function literalEnd(text, i) {
  const q = text[i];
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === q) return j;
  }
  return text.length;
}

// The arguments of the call whose '(' is at open (top-level commas only).
function callArgs(text, open) {
  const args = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'") { i = literalEnd(text, i); continue; }
    if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) { args.push(text.slice(start, i)); return args; }
    else if (ch === ',' && depth === 1) { args.push(text.slice(start, i)); start = i + 1; }
  }
  return args;
}

// Actions: the audited routes' (a refused write is audited under them), every "x.y" literal
// passed to a call that also passes the actor (who, &cli, &c->actor: audit_append, finish,
// grant_audit, audit_id …), and the report-in events written as "registration.%s".
// Outcomes and target types: the literal arguments of the audit_* calls (each choice of a `?:`), and the
// outcomes passed to a function of the same file that hands its `outcome` parameter on.
function serverVocabulary() {
  const actions = new Set();
  const outcomes = new Set();
  const targets = new Set();
  for (const { text } of SRC) {
    const forwarders = outcomeForwarders(text);
    for (const m of text.matchAll(/\{\s*"(?:GET|POST|PUT|PATCH|DELETE)",\s*"[^"]*",\s*\w+,\s*[^,{}]+,\s*"([a-z][a-z0-9_]*\.[a-z_]+)"/g)) {
      actions.add(m[1]);
      targets.add(m[1].split('.')[0]); // record_denied's target type
    }
    for (const m of text.matchAll(/\b\w+\(/g)) {
      const args = callArgs(text, m.index + m[0].length - 1);
      const forward = forwarders.get(m[0].slice(0, -1));
      if (forward !== undefined) for (const o of literals(args[forward])) outcomes.add(o);
      if (!args.some((a) => /^\s*(who|&cli|&c->actor)\s*$/.test(a))) continue;
      for (const a of args) {
        const v = literal(a);
        if (v && /^[a-z][a-z0-9_]*\.[a-z_]+$/.test(v)) actions.add(v); // open311.report has digits
      }
      if (/^audit_(append|append_detail|record)\($/.test(m[0])) {
        for (const x of literals(args[3])) targets.add(x);
        for (const o of literals(args[6])) outcomes.add(o);
      }
    }
    if (text.includes('"registration.%s"')) {
      for (const m of text.matchAll(/\brecord\(db, who, [^,]+, "([a-z_]+)"/g)) actions.add(`registration.${m[1]}`);
    }
  }
  return { actions: [...actions].sort(), outcomes: [...outcomes].sort(), targets: [...targets].sort() };
}

test('every audit action, outcome and target type the server writes is translated in the console', () => {
  const { actions, outcomes, targets } = serverVocabulary();
  // The scan itself works: it finds actions of each kind of source.
  for (const a of ['session.login', 'unit.update', 'member.update', 'member.reveal', 'registration.transferred', 'demo.load', 'roster.upload']) {
    assert.ok(actions.includes(a), `the scan finds ${a} (found ${actions.join(', ')})`);
  }
  assert.deepEqual(outcomes, ['denied', 'duplicate', 'expired', 'failed', 'ok', 'throttled']);
  for (const a of ['account.create', 'account.reset', 'account.disable', 'account.enable', 'account.confirm', 'account.refuse',
    'account.signup', 'signup.code']) {
    assert.ok(actions.includes(a), `the scan finds ${a}`);
  }
  const words = admin.audit;
  const missing = actions.filter((a) => !words.actions[a.replaceAll('.', '_')]);
  assert.deepEqual(missing, [], 'each action has words in web/src/locales/zh-CN/admin.js audit.actions');
  assert.deepEqual(outcomes.filter((o) => !words.outcomes[o]), [], 'each outcome has words (audit.outcomes)');
  assert.deepEqual(targets.filter((x) => !words.targetTypes[x]), [], 'each target type has words (audit.targetTypes)');
  // And the console offers no action the server never writes.
  const extra = Object.keys(words.actions).filter((k) => !actions.some((a) => a.replaceAll('.', '_') === k));
  assert.deepEqual(extra, [], 'no audit.actions entry without a server action');
});

// --- The audit page ------------------------------------------------------------------------

const REASON = '核对报到信息：与单位名册比对身份证号';
const env = serverAndBrowser({}, async (srv) => {
  const staff = new Client(srv.url);
  await staff.login('staff');
  const made = await staff.post('/api/v1/members', {
    name: '审计测试', phone: '13900004001', id_number: idNumber('440111', '19850610', '031'), community_code: '440111002011',
  });
  assert.equal(made.status, 201, made.text);
  const memberId = made.json.member.id;
  const fixed = await staff.put(`/api/v1/members/${memberId}`, { ...editable(made.json.member), address: '华兴苑 2 栋 101' });
  assert.equal(fixed.status, 200, fixed.text);
  const shown = await staff.post(`/api/v1/members/${memberId}/reveal`, { reason: REASON });
  assert.equal(shown.status, 200, shown.text);
  const refused = new Client(srv.url);
  await refused.login('unit');
  assert.equal((await refused.post(`/api/v1/members/${memberId}/reveal`, { reason: '试一下' })).status, 403);
  // An account opened from the file, and someone signing up again with a phone that has one.
  assert.equal((await staff.post(`/api/v1/members/${memberId}/account`)).status, 201);
  const again = await new Client(srv.url).post('/api/v1/signup', {
    kind: 'member', phone: '13900004001', name: '冒名', password: 'Someone-else-2026', community_code: '440111002011',
  });
  assert.equal(again.status, 202, again.text);
  env.memberId = memberId;
});

// The fields PUT /members/{id} takes, from a file's member part.
function editable(m) {
  const keys = ['phone', 'unit_id', 'position', 'party_branch', 'joined_party_on', 'building_code', 'address',
    'specialties', 'preferred_posts', 'plaque_hung', 'plaque_on'];
  return Object.fromEntries(keys.map((k) => [k, m[k] ?? '']));
}

test('the audit log names every action in Chinese and shows the reveal reason in its row', async (t) => {
  await withPage(t, env.browser, { width: 1440, height: 900 }, async (page) => {
    await loginConsole(page, env.srv.url, 'admin', ADMIN_PASSWORD);
    await page.goto(`${env.srv.url}/admin/audit?per_page=100`);
    const table = page.locator('[data-test="audit-table"]');
    await table.locator('.el-table__row').first().waitFor();

    // No row shows a bare action code as its name.
    const names = await table.locator('.el-table__row td:nth-child(3) .cell > span').allTextContents();
    assert.ok(names.length >= 10, `rows listed (${names.length})`);
    for (const n of names) assert.match(n, /^[\u4e00-\u9fff]/, `a Chinese action name, not ${n}`);

    const reveal = table.locator('.el-table__row', { hasText: '查看身份证号' }).filter({ hasText: '成功' });
    await seeText(reveal.locator('[data-test="audit-detail"]'), REASON);
    const box = await reveal.locator('[data-test="audit-detail"]').boundingBox();
    const cell = await reveal.locator('td', { has: page.locator('[data-test="audit-detail"]') }).boundingBox();
    assert.ok(box.width <= cell.width && box.x >= cell.x, 'the whole reason is inside its cell, wrapped');
    const denied = table.locator('.el-table__row', { hasText: '查看身份证号' }).filter({ hasText: '拒绝' });
    await seeText(denied, 'unit');
    const update = table.locator('.el-table__row', { hasText: '修改档案' }).first();
    await seeText(update.locator('[data-test="audit-detail"]'), '工作人员更正');
    // Who and what by name: the staff account's name, the file's name with its kind and number.
    await seeText(update.locator('[data-test="audit-who"]'), '石榴桥社区党委 李社工');
    await seeText(update.locator('[data-test="audit-target"]'), `审计测试（党员档案 ${env.memberId}）`);
    const opened = table.locator('.el-table__row', { hasText: '开通账号' }).first();
    await seeText(opened.locator('[data-test="audit-detail"]'), `从党员档案 ${env.memberId} 开通`);
    await seeText(opened.locator('[data-test="audit-target"]'), /^审计测试（账号 \d+）$/);
    const dup = table.locator('.el-table__row', { hasText: '手机注册' }).first();
    await seeText(dup, '重复注册');
    await seeText(dup.locator('[data-test="audit-who"]'), '未登录用户');

    // The filter offers the new actions too, and filters by them.
    await page.locator('[data-test="audit-action"]').click();
    await page.getByRole('option', { name: '修改档案' }).click();
    await page.getByRole('button', { name: '搜索' }).click();
    await page.waitForURL(/action=member\.update/);
    await seeText(table.locator('.el-table__row').first(), '修改档案');
    assert.equal(await table.locator('.el-table__row', { hasText: '登录' }).count(), 0);
  });
});
