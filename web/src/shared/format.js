// format.js: dates and numbers as people in China read them (times shown in Asia/Shanghai)
const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
});
const dateOnly = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
});

// Unix seconds → "2026-11-21 13:05:09"
export function formatTime(sec) {
  if (sec === null || sec === undefined || sec === '') return '';
  const parts = Object.fromEntries(
    dateTime.formatToParts(new Date(Number(sec) * 1000)).map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

export function formatDate(sec) {
  if (sec === null || sec === undefined || sec === '') return '';
  return dateOnly.format(new Date(Number(sec) * 1000)).replaceAll('/', '-');
}

// A day in Asia/Shanghai ("2026-11-21") → Unix seconds of its start (or of its end).
export function shanghaiDayToUnix(day, endOfDay = false) {
  const [y, m, d] = day.split('-').map(Number);
  const start = Date.UTC(y, m - 1, d) / 1000 - 8 * 3600;
  return endOfDay ? start + 86400 - 1 : start;
}

export function formatNumber(n) {
  return new Intl.NumberFormat('zh-CN').format(n);
}

// A share in permille (the server's rate_permille) as a percentage: 857 → "85.7%".
export function formatRate(permille) {
  return `${(Number(permille || 0) / 10).toFixed(1)}%`;
}

// A code read aloud or copied from paper, in groups of four: "411388426815" → "4113 8842 6815".
export function groupCode(code, size = 4) {
  return String(code || '').replace(new RegExp(`(.{${size}})(?=.)`, 'g'), '$1 ');
}
