// earning.js: how every page names and shows what service earns (issue #10) — tiers, hours, periods, ledger sources, stars
import { t, te } from './i18n.js';

// The half-year tiers, lowest first, as the server names them ('' is 未达标); the keys of its tier counts.
export const TIERS = ['', 'qualified', 'excellent', 'pioneer'];
export const TIER_KEYS = ['none', 'qualified', 'excellent', 'pioneer'];
export const tierKey = (tier) => (tier ? String(tier) : 'none');

// A tier in words ('qualified' → 合格; '' or 'none' → 未达标).
export function tierLabel(tier) {
  const key = `earn.tier.${tierKey(tier)}`;
  return te(key) ? t(key) : String(tier ?? '');
}

// A tier's colour, for tags, bars and charts: white text on it reads at 4.5:1 or better.
const TIER_COLORS = { none: '#5c6370', qualified: '#1d7a3a', excellent: '#1d5fa8', pioneer: '#b5121b' };
export const tierColor = (tier) => TIER_COLORS[tierKey(tier)] || TIER_COLORS.none;

// Minutes as hours, as a time bank says them: 90 → "1.5 小时", 60 → "1 小时", 20 → "0.3 小时".
const oneDecimal = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 });
export function hoursText(minutes) {
  const n = Math.round((Number(minutes) || 0) / 6) / 10;
  return t('earn.hours', { n: oneDecimal.format(n === 0 ? 0 : n) });
}

// A movement's amount with its sign: points (+3 分) or, for the hours book, hours (−1.5 小时).
export function amountText(amount, book = 'points') {
  const n = Number(amount) || 0;
  const sign = n > 0 ? '+' : n < 0 ? '−' : '';
  const abs = Math.abs(n);
  return sign + (book === 'hours' ? hoursText(abs) : t('earn.points', { n: abs }));
}

// A ranking or publication period: '2026H2' → 2026年下半年, '2026' → 2026年.
export function periodName(period) {
  const m = /^(\d{4})(?:H([12]))?$/.exec(String(period || ''));
  if (!m) return String(period || '');
  return m[2] ? t('earn.periodHalf', { year: m[1], half: t(`earn.half.H${m[2]}`) }) : t('earn.periodYear', { year: m[1] });
}

// The half-year of a day ('2026-12-02' → '2026H2').
export const halfOf = (day) => `${String(day).slice(0, 4)}H${String(day).slice(5, 7) < '07' ? 1 : 2}`;

// The periods a ranking is read for on day: this half-year, the one before, this year (value, label).
export function periodChoices(day) {
  const now = halfOf(day);
  const year = Number(now.slice(0, 4));
  const last = now.endsWith('H2') ? `${year}H1` : `${year - 1}H2`;
  return [
    { value: now, label: t('earn.thisHalf', { name: periodName(now) }) },
    { value: last, label: t('earn.lastHalf', { name: periodName(last) }) },
    { value: String(year), label: t('earn.thisYear', { name: periodName(String(year)) }) },
  ];
}

// Where a movement came from (record, bonus, redemption, gift, correction), in words.
export function sourceLabel(source) {
  const key = `earn.source.${source}`;
  return te(key) ? t(key) : String(source ?? '');
}

// A year's stars: 3 → "★★★☆☆" to look at, "3 星" to be read aloud; 0 → 暂无星级.
export const starGlyphs = (n) => '★'.repeat(Math.max(0, Math.min(5, n | 0))) + '☆'.repeat(5 - Math.max(0, Math.min(5, n | 0)));
export const starsText = (n) => (n > 0 ? t('earn.stars', { n }) : t('earn.noStars'));

// "第 3 名 / 共 120 人", or 暂无排名 when the member has no standing there.
export const rankText = (rank, of) => (rank ? t('earn.rank', { rank, of }) : t('earn.noRank'));
