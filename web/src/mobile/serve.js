// serve.js (mobile): what the serving pages share: may this member serve yet, service times, record events in words
import { reactive, ref } from 'vue';
import { api } from '../shared/api.js';
import { errorText } from '../shared/errors.js';
import { formatDate, shanghaiDayToUnix } from '../shared/format.js';

// The common lengths of a service, in minutes, offered as buttons (any other is typed in).
export const DURATIONS = [30, 60, 90, 120, 180, 240];
// How far back a member may record their own service (the server's RECORD_SELF_DAYS).
export const SELF_DAYS = 90;

export const todayInChina = () => formatDate(Math.floor(Date.now() / 1000));
export const daysAgoInChina = (n) => formatDate(Math.floor(Date.now() / 1000) - n * 86400);

// "2026-12-01" and "08:30" (Asia/Shanghai) → Unix seconds, or 0 when either is missing.
export function unixOf(day, time) {
  const m = /^(\d{1,2}):(\d{2})$/.exec(time || '');
  if (!day || !m) return 0;
  return shanghaiDayToUnix(day) + Number(m[1]) * 3600 + Number(m[2]) * 60;
}

/*
 * The member's file, for the pages a member may use once their report-in is approved: state is
 * 'loading', 'ok' (file: GET /me/member), 'none' (never reported in), 'waiting' (not approved yet)
 * or 'error' (error: the words). Reactive: gate.state, gate.file.
 */
export function useServingMember() {
  const state = ref('loading');
  const file = ref(null);
  const error = ref('');
  async function load() {
    state.value = 'loading';
    error.value = '';
    try {
      file.value = await api.get('/me/member');
      state.value = file.value?.registration?.state === 'approved' ? 'ok' : 'waiting';
    } catch (e) {
      if (e?.status === 404) state.value = 'none';
      else { state.value = 'error'; error.value = errorText(e); }
    }
  }
  return reactive({ state, file, error, load });
}

const dayParts = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', weekday: 'short' });
const clockText = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });
const day = (sec) => {
  const p = Object.fromEntries(dayParts.formatToParts(new Date(sec * 1000)).map((x) => [x.type, x.value]));
  return `${p.month}月${p.day}日${p.weekday}`;
};
const clock = (sec) => clockText.format(new Date(sec * 1000));

// When an activity runs, as people read it: "12月6日周六 08:00–10:00" (another day's end named too).
export function spanText(start, end) {
  if (!start) return '';
  const from = `${day(start)} ${clock(start)}`;
  if (!end) return from;
  return day(end) === day(start) ? `${from}–${clock(end)}` : `${from} – ${day(end)} ${clock(end)}`;
}
// A moment the same way: "12月5日周五 18:00".
export const momentText = (sec) => (sec ? `${day(sec)} ${clock(sec)}` : '');
