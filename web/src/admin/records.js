// records.js (console): service records as the confirmation queue and the member file show them
import './records.css';
import { formatTime, shanghaiDayToUnix } from '../shared/format.js';
import { formatMinutes } from '../shared/serving.js';

// Unix seconds → "2026-11-21 07:00" (a service's start: to the minute).
export const formatWhen = (sec) => formatTime(sec).slice(0, 16);

// The queue's date filter (days in Asia/Shanghai, "2026-11-21") as the server's [from, to) in Unix seconds.
export function dayBounds(from, to) {
  return {
    from: from ? shanghaiDayToUnix(from) : undefined,
    to: to ? shanghaiDayToUnix(to, true) + 1 : undefined,
  };
}

// A record's minutes as the page shows them: the service's total with its confirmed corrections.
export const recordTotal = (r) => (r.total_minutes ?? r.minutes);

// A correction carries a difference: "+30 分钟", "−1 小时".
export const signedMinutes = (n) => `${n < 0 ? '−' : '+'}${formatMinutes(Math.abs(n))}`;

// What the duration cell says: a service's total, a correction's difference.
export const recordMinutesText = (r) => (r.source === 'correction' ? signedMinutes(r.minutes) : formatMinutes(recordTotal(r)));
