// need.js (mobile): how the needs pages (需求清单) name a need: its state in words and colour, when it is wanted
import { t, te } from '../shared/i18n.js';

// The states still going on (a resident may still act on them, a member still works on them).
export const OPEN_STATES = ['submitted', 'accepted', 'dispatched', 'taken', 'in_progress', 'done'];
export const PARTS = ['morning', 'afternoon', 'evening', 'any'];

const word = (group, v) => (te(`need.${group}.${v}`) ? t(`need.${group}.${v}`) : String(v ?? ''));
export const needState = (s) => word('state', s);
export const needPart = (p) => word('part', p);
export const needKind = (k) => word('kind', k);

// A Vant tag type for a state.
const TONES = {
  submitted: 'warning', accepted: 'primary', dispatched: 'primary', taken: 'primary', in_progress: 'primary',
  done: 'warning', closed: 'success', refused: 'danger', expired: 'default', withdrawn: 'default', converted: 'success',
};
export const needTone = (s) => TONES[s] || 'default';

// "2026-03-07 上午", "日期不限 都可以".
export function wantedText(n) {
  const day = n?.wanted_on || t('need.page.anyDay');
  return `${day} ${needPart(n?.wanted_part || 'any')}`;
}
