// case.js (mobile): how the cases pages (我要反映, 我的反映) name a case: its state in words and colour, its steps
import { t, te } from '../shared/i18n.js';

const word = (group, v) => (te(`kase.${group}.${v}`) ? t(`kase.${group}.${v}`) : String(v ?? ''));
export const caseState = (s) => word('state', s);
export const caseKind = (k) => word('kind', k);

// A Vant tag type for a state.
const TONES = {
  reported: 'warning', accepted: 'primary', assigned: 'primary', in_progress: 'primary', resolved: 'warning',
  follow_up: 'warning', closed: 'success', refused: 'danger', merged: 'default',
};
export const caseTone = (s) => TONES[s] || 'default';
// Whether the reporter is asked 解决了吗? now.
export const asksAnswer = (k) => ['resolved', 'follow_up'].includes(k?.state);
