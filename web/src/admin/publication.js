// publication.js (console): what the 公示 pages share: half-years by name, the ones that may be frozen, the window's days
import { t } from '../shared/i18n.js';
import { formatDate } from '../shared/format.js';

// "2026H2" → "2026年下半年"
export function periodLabel(p) {
  const m = /^(\d{4})H([12])$/.exec(p || '');
  return m ? t('publication.periodName', { year: m[1], half: t(`publication.half${m[2]}`) }) : p || '';
}

// The half-year of a moment in China (Unix seconds), and the one before it.
export function halfOf(sec) {
  const d = formatDate(sec);
  return `${d.slice(0, 4)}H${d.slice(5, 7) < '07' ? 1 : 2}`;
}
export function halfBefore(p) {
  const y = Number(p.slice(0, 4));
  return p.endsWith('H2') ? `${y}H1` : `${y - 1}H2`;
}

// What may be frozen now: this half-year and the last one.
export function freezable(now = Math.floor(Date.now() / 1000)) {
  const here = halfOf(now);
  return [here, halfBefore(here)];
}

// "2026-12-02 至 2026-12-09"
export function windowText(p) {
  return t('publication.window', { from: formatDate(p.opened_at), to: formatDate(p.closes_at) });
}

// Minutes as hours with one decimal: 90 → "1.5".
export const hours = (minutes) => (Math.round((minutes || 0) / 6) / 10).toString();
