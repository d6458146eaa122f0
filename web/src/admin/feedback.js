// feedback.js: the periods the feedback pages offer (this half-year and the three before it, this year and the last), named by shared/earning.js
import { formatDate } from '../shared/format.js';
import { halfOf, periodName } from '../shared/earning.js';

// The half-year of today in China.
export const thisHalf = () => halfOf(formatDate(Math.floor(Date.now() / 1000)));

export function periodOptions(now = thisHalf()) {
  let year = Number(now.slice(0, 4));
  let half = Number(now[5]);
  const out = [];
  for (let i = 0; i < 4; i++) {
    out.push(`${year}H${half}`);
    if (half === 2) half = 1;
    else { half = 2; year -= 1; }
  }
  out.push(now.slice(0, 4), String(Number(now.slice(0, 4)) - 1));
  return out.map((value) => ({ value, label: periodName(value) }));
}
