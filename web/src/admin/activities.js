// activities.js (console): the calendar's days and weeks in China time, and an activity's time as people read it
import { formatTime } from '../shared/format.js';

const CN = 8 * 3600; // China time is UTC+8 all year
const DAY = 86400;

// "2026-12-05" ↔ the Unix second its day starts in China.
export function dayStart(day) {
  const [y, m, d] = day.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / 1000 - CN;
}
export const dayOf = (sec) => formatTime(sec).slice(0, 10);
export const today = () => dayOf(Math.floor(Date.now() / 1000));
export const addDays = (day, n) => dayOf(dayStart(day) + n * DAY + 1);
// 1 Monday … 7 Sunday
export const weekday = (day) => new Date(dayStart(day) * 1000 + CN * 1000).getUTCDay() || 7;

// "2026-12-05 09:30" (a picker's text, China time) ↔ Unix seconds.
export function wallToUnix(text) {
  if (!text) return 0;
  const [d, hm] = text.split(' ');
  const [h, mi] = (hm || '0:0').split(':').map(Number);
  return dayStart(d) + h * 3600 + mi * 60;
}
export const unixToWall = (sec) => (sec ? formatTime(sec).slice(0, 16) : '');
export const clock = (sec) => formatTime(sec).slice(11, 16);

// The days a calendar shows: a month's weeks, Monday first (with the days of the months around it), or one week.
export function monthDays(day) {
  const first = `${day.slice(0, 7)}-01`;
  const start = addDays(first, 1 - weekday(first));
  const nextMonth = addDays(first, 32).slice(0, 7);
  const days = [];
  for (let d = start; days.length < 42; d = addDays(d, 1)) {
    if (days.length % 7 === 0 && days.length && d.slice(0, 7) === nextMonth) break;
    days.push(d);
  }
  return days;
}
export function weekDays(day) {
  const start = addDays(day, 1 - weekday(day));
  return Array.from({ length: 7 }, (_, i) => addDays(start, i));
}

// "12月5日 周六 09:00–11:30" (the end's date too when it is another day).
export function spanText(t, a) {
  const from = dayOf(a.starts_at);
  const to = dayOf(a.ends_at);
  const date = (d) => t('activities.dayShort', { m: Number(d.slice(5, 7)), d: Number(d.slice(8, 10)), w: t(`activities.weekday.${weekday(d)}`) });
  return from === to ? `${date(from)} ${clock(a.starts_at)}–${clock(a.ends_at)}`
    : `${date(from)} ${clock(a.starts_at)} – ${date(to)} ${clock(a.ends_at)}`;
}
