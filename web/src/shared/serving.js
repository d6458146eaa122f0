// serving.js: how the console and the phone name and show serving (issue #9) — states, categories, minutes
import { t, te } from './i18n.js';

// A state or kind as words ('recordState', 'pending' → '待确认'); an unknown value shows as itself.
export function serveLabel(group, value) {
  const key = `serve.${group}.${value}`;
  return te(key) ? t(key) : String(value ?? '');
}

// The Element Plus / Vant tag colour of a state, so a queue reads at a glance.
const TONES = {
  pending: 'warning', confirmed: 'success', rejected: 'danger', withdrawn: 'info',
  draft: 'info', published: 'primary', cancelled: 'info', closed: 'success',
  signed: 'success', waiting: 'warning',
  present: 'success', late: 'warning', left_early: 'warning', absent: 'danger', leave: 'info',
  applied: 'warning', holding: 'success', member: 'success', refused: 'danger', leaving: 'warning', left: 'info',
  asked: 'warning', accepted: 'success', declined: 'danger',
};
export function stateTone(state) {
  return TONES[state] || 'info';
}

// Credited minutes as people say them: 150 → "2 小时 30 分钟", 60 → "1 小时", 45 → "45 分钟".
export function formatMinutes(total) {
  const n = Math.max(0, Math.round(Number(total) || 0));
  const h = Math.floor(n / 60);
  const m = n % 60;
  if (h && m) return t('serve.minutes', { h, m });
  if (h) return t('serve.hours', { h });
  return t('serve.mins', { m });
}
