// deliberation.js: residents' deliberations (居民议事) shared by the console and the phone: a rule in words, how far the
// agreeing households have come towards the threshold, the outcome's colour. The server decides; these only show.
const NAMED = { '1/2': '半数', '2/3': '三分之二', '3/4': '四分之三', '1/1': '全体' };

// "三分之二以上" (at least) or "超过半数" (more than) of a fraction {num, den, strict}.
export function fractionText(f) {
  if (!f || !f.den) return '';
  const name = NAMED[`${f.num}/${f.den}`] || `${f.num}/${f.den}`;
  return f.strict ? `超过${name}` : `${name}以上`;
}

const BASIS = { households: '户数', area: '建筑面积', both: '户数和建筑面积' };
export const basisText = (b) => BASIS[b] || b;

// The rule of a deliberation in one sentence: "参与表决的户数四分之三以上同意（须三分之二以上户参与）".
export function ruleText(d) {
  if (!d) return '';
  const whole = d.of_voting ? `参与表决的${basisText(d.basis)}` : `全部${basisText(d.basis)}`;
  let s = `${whole}${fractionText(d.threshold)}同意`;
  if (d.quorum?.num) s += `（须${fractionText(d.quorum)}参与表决）`;
  return s;
}

// Percent (0–100) of the agreeing count towards what is needed on the households side.
export function progressOf(tally) {
  if (!tally || !tally.needed) return 0;
  return Math.min(100, Math.floor((tally.agree * 100) / tally.needed));
}

// Percent (0–100) of the area side, for area rules.
export function areaProgressOf(tally) {
  if (!tally || !tally.needed_area) return 0;
  return Math.min(100, Math.floor((tally.agree_area * 100) / tally.needed_area));
}

// m² with two decimals from hundredths (8937 → "89.37").
export const areaText = (a) => (a == null ? '' : (a / 100).toFixed(2));
// Hundredths of a m² from what was typed ("89.37" → 8937); null when not a positive number.
export function areaValue(text) {
  const n = Number(String(text ?? '').trim());
  return Number.isFinite(n) && n > 0 ? Math.round(n * 100) : null;
}

export const DELIBERATION_STATES = ['draft', 'open', 'closed', 'cancelled'];
export const STATE_WORDS = { draft: '草稿', open: '表决中', closed: '已结束', cancelled: '已取消' };
export const OUTCOME_WORDS = { open: '未达到通过线', passed: '通过', failed: '未通过' };
export const stateTone = (s) => ({ draft: 'info', open: 'success', closed: 'warning', cancelled: 'danger' }[s] || 'info');
export const outcomeTone = (o) => ({ passed: 'success', failed: 'danger' }[o] || 'warning');

// The threshold presets a form offers; the first is the default (as the API's).
export const THRESHOLDS = [
  { key: '2/3', num: 2, den: 3, strict: false },
  { key: '3/4', num: 3, den: 4, strict: false },
  { key: '>1/2', num: 1, den: 2, strict: true },
  { key: '1/2', num: 1, den: 2, strict: false },
];
