// shared.test.mjs: the front end's shared helpers on their own (node, no browser): level names, gender from an
// ID number, login failures in words, and a problem's errors placed on a form's fields
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setupI18n } from '../../web/src/shared/i18n.js';
import { ApiError } from '../../web/src/shared/api.js';
import { levelLabel } from '../../web/src/shared/regions.js';
import { genderFromId } from '../../web/src/shared/idcard.js';
import { codeInput, loginFailure, throttledText, waitText } from '../../web/src/shared/login.js';
import { newPasswordProblem } from '../../web/src/shared/password.js';
import { formatRate, groupCode } from '../../web/src/shared/format.js';
import { formatMinutes, serveLabel, stateTone } from '../../web/src/shared/serving.js';
import { accountState, keptRoles, openedRoles } from '../../web/src/admin/accounts.js';
import { errorText } from '../../web/src/shared/errors.js';
import { useFormErrors } from '../../web/src/shared/formErrors.js';
import { idNumber } from './helpers.mjs';

setupI18n();
const headers = (h) => ({ get: (k) => h[k] ?? null });
const problem = (status, body, h = {}) => new ApiError(status, { title: '请求内容有误', ...body }, headers(h));

test('a street-level division is named by its name: 镇, 乡, else 街道; the other levels by their level', () => {
  assert.equal(levelLabel({ level: 'street', name: '人和镇' }), '镇');
  assert.equal(levelLabel({ level: 'street', name: '大山乡' }), '乡');
  assert.equal(levelLabel({ level: 'street', name: '三元里街道' }), '街道');
  assert.equal(levelLabel({ level: 'street', name: '镇南街道' }), '街道');
  assert.equal(levelLabel({ level: 'community', name: '新镇' }), '社区', 'only streets go by their name');
  assert.equal(levelLabel({ level: 'grid' }), '网格');
  assert.equal(levelLabel({}), '');
});

test('gender from the 17th digit of a complete 18-character ID number, nothing before', () => {
  assert.equal(genderFromId(idNumber('440111', '19900307', '123')), 'M');
  assert.equal(genderFromId(idNumber('440111', '19920815', '246')), 'F');
  assert.equal(genderFromId('44011119900307123X'), 'M');
  assert.equal(genderFromId(' 440111199208152461 '), 'F');
  assert.equal(genderFromId('44011119900307123'), '', '17 characters: not yet');
  assert.equal(genderFromId('4401111990030712A4'), '');
  assert.equal(genderFromId(''), '');
});

test('a failed login in words: wrong password, the wait in seconds or minutes, else the server', () => {
  assert.equal(loginFailure(problem(401, { title: 'bad credentials' })), '账号或密码错误');
  assert.equal(loginFailure(problem(429, {}, { 'Retry-After': '40' })), '登录失败次数过多，请 40 秒后再试');
  assert.equal(loginFailure(problem(429, {}, { 'Retry-After': '61' })), '登录失败次数过多，请 2 分钟后再试');
  assert.equal(loginFailure(problem(429, {}, { 'Retry-After': '900' })), '登录失败次数过多，请 15 分钟后再试');
  assert.equal(waitText(0.2), '1 秒');
  assert.equal(loginFailure(new ApiError(0)), '无法连接服务器，请检查网络后重试');
  assert.equal(loginFailure(new ApiError(503, { title: '服务暂时不可用', request_id: 'r1' })), '服务暂时不可用 — （请求编号 r1）');
});

test('errorText: nothing for a cancelled or already handled call, the unknown message for a non-API error', () => {
  const handled = problem(401, {});
  handled.handled = true;
  assert.equal(errorText(handled), '');
  assert.equal(errorText(Object.assign(new Error('x'), { name: 'AbortError' })), '');
  assert.equal(errorText(new TypeError('oops')), '操作失败，请稍后重试');
  assert.equal(errorText(problem(403, { title: '没有权限进行此操作' })), '没有权限进行此操作');
});

test('useFormErrors: field errors on their props, list errors on their lines, the rest in one form-level message', () => {
  const f = useFormErrors({ phone: 'phone', commitments: 'lines', community_code: 'community' }, {
    labels: { extra: '附加' },
    message: (e) => (e.code === 'required' ? '请选择社区' : ''),
  });
  const placed = f.apply(problem(422, {
    errors: [
      { field: 'phone', code: 'format', message: '应为 11 位手机号' },
      { field: 'phone', code: 'too_long', message: '第二条不显示' },
      { field: 'commitments[1]', code: 'too_long', message: '最多 200 个字' },
      { field: 'community_code', code: 'required', message: '必须填写' },
      { field: 'extra', code: 'unknown' },
    ],
  }));
  assert.equal(placed, 4);
  assert.deepEqual({ ...f.errors }, { phone: '应为 11 位手机号', community: '请选择社区' });
  assert.deepEqual({ ...f.lines.lines }, { 1: '最多 200 个字' });
  assert.equal(f.formError.value, '请求内容有误 — 附加：不支持的字段');

  // Everything placed: no form-level message; nothing placed: the whole problem there.
  f.apply(problem(422, { errors: [{ field: 'phone', code: 'format' }] }));
  assert.deepEqual({ ...f.errors }, { phone: '格式不正确' });
  assert.equal(f.formError.value, '');
  f.apply(problem(409, { title: '已有一条待审核的报到' }));
  assert.deepEqual({ ...f.errors }, {});
  assert.equal(f.formError.value, '已有一条待审核的报到');
  f.clear();
  assert.equal(f.formError.value, '');
});

test('a one-time code typed from paper: spaces and hyphens dropped from 12 digits, any other password as typed', () => {
  assert.equal(codeInput('4113 8842 6815'), '411388426815');
  assert.equal(codeInput(' 4113-8842-6815 '), '411388426815');
  assert.equal(codeInput('411388426815'), '411388426815');
  assert.equal(codeInput('4113 8842 681'), '4113 8842 681', 'eleven digits: not a code');
  assert.equal(codeInput('my pass-word 2026'), 'my pass-word 2026', 'a password keeps its spaces');
  assert.equal(codeInput('4113 8842 6815a'), '4113 8842 6815a');
  // A new password that a login would take for a code is refused before it is set.
  assert.match(newPasswordProblem('4113 8842 6815'), /12 位数字/);
  assert.equal(newPasswordProblem('4113884268151'), '');
  assert.equal(newPasswordProblem('a-long-enough-password'), '');
});

test('a 429 in words with the wait, for sign-up as for login; codes in fours; rates in percent', () => {
  assert.equal(throttledText(problem(429, {}, { 'Retry-After': '90' }), 'mobile.signup.throttled'), 'mobile.signup.throttled');
  assert.equal(throttledText(problem(429, {}, { 'Retry-After': '90' })), '操作太频繁，请 2 分钟后再试');
  assert.equal(throttledText(problem(429, {})), '操作过于频繁，请稍后再试');
  assert.equal(throttledText(problem(422, {})), '');
  assert.equal(loginFailure(problem(401, { code: 'code_expired' })), '初始密码已过期（发放后 14 天内有效），请联系社区或单位重新发放');
  assert.equal(groupCode('411388426815'), '4113 8842 6815');
  assert.equal(groupCode('5KRVBV36'), '5KRV BV36');
  assert.equal(formatRate(857), '85.7%');
  assert.equal(formatRate(1000), '100.0%');
  assert.equal(formatRate(0), '0.0%');
});

test('账号管理: the roles each console role keeps and opens; an account\'s state, most telling first', () => {
  assert.deepEqual(keptRoles(['staff']), ['member', 'resident']);
  assert.deepEqual(keptRoles(['unit']), ['member']);
  assert.deepEqual(keptRoles(['org']), ['staff', 'unit']);
  assert.deepEqual(keptRoles(['admin']), ['admin', 'org', 'staff', 'unit', 'member', 'resident']);
  assert.deepEqual(openedRoles(['admin']), ['admin', 'org', 'staff', 'unit']);
  assert.deepEqual(openedRoles(['org']), ['staff', 'unit']);
  assert.deepEqual(openedRoles(['staff']), ['resident']);
  assert.deepEqual(openedRoles(['unit']), []);
  const now = 1000;
  assert.equal(accountState({ disabled: true, pending: true }, now).key, 'disabled');
  assert.equal(accountState({ pending: true, must_change_password: true }, now).key, 'pending');
  assert.deepEqual(accountState({ must_change_password: true, code_expires_at: 2000 }, now), { key: 'mustChange', tag: 'warning', until: 2000 });
  assert.equal(accountState({ must_change_password: true, code_expires_at: 999 }, now).key, 'codeExpired');
  assert.equal(accountState({}, now).key, 'active');
});

test('serving reads as people say it: minutes in hours and minutes, states in words, an unknown state as itself', () => {
  assert.equal(formatMinutes(150), '2 小时 30 分钟');
  assert.equal(formatMinutes(60), '1 小时');
  assert.equal(formatMinutes(45), '45 分钟');
  assert.equal(formatMinutes(0), '0 分钟');
  assert.equal(formatMinutes(-5), '0 分钟', 'never a negative duration on the screen');
  assert.equal(serveLabel('recordState', 'pending'), '待确认');
  assert.equal(serveLabel('attendance', 'left_early'), '早退');
  assert.equal(serveLabel('category', 'welfare'), '公益类');
  assert.equal(serveLabel('recordState', 'archived'), 'archived');
  assert.equal(stateTone('confirmed'), 'success');
  assert.equal(stateTone('rejected'), 'danger');
  assert.equal(stateTone('nonsense'), 'info');
});
