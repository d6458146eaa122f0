// feedback.js: what the feedback pages share: the periods they offer (half-years and years, China time) and hours as a sheet writes them
// (web/src/shared/earning.js, w10-pages', will hold period names for every earning page: these move there once it lands.)

// Today's date in China (UTC+8), YYYY-MM-DD.
export function chinaToday(now = Date.now()) {
  return new Date(now + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

// The half-year of a day: '2026H2'.
export function halfOf(day = chinaToday()) {
  return `${day.slice(0, 4)}H${day.slice(5, 7) < '07' ? 1 : 2}`;
}

// A period's name: 2026年下半年, 2026年全年.
export function periodLabel(t, period) {
  const year = period.slice(0, 4);
  if (period.length === 4) return t('feedback.wholeYear', { year });
  return t(period[5] === '1' ? 'feedback.firstHalf' : 'feedback.secondHalf', { year });
}

// This half-year and the three before it, then this year and the last.
export function periodOptions(t, day = chinaToday()) {
  let year = Number(day.slice(0, 4));
  let half = day.slice(5, 7) < '07' ? 1 : 2;
  const out = [];
  for (let i = 0; i < 4; i++) {
    out.push(`${year}H${half}`);
    if (half === 2) half = 1;
    else { half = 2; year -= 1; }
  }
  const now = Number(day.slice(0, 4));
  out.push(String(now), String(now - 1));
  return out.map((value) => ({ value, label: periodLabel(t, value) }));
}

// Minutes as hours with one decimal, rounded down to the tenth (as the .xlsx has them): 150 → '2.5'.
export function hoursText(minutes) {
  const m = Math.max(0, minutes || 0);
  return `${Math.floor(m / 60)}.${Math.floor((m % 60) / 6)}`;
}
