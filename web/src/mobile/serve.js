// serve.js (mobile): what the serving pages share: may this member serve yet, times in words, lists read once or page by page
import { computed, reactive, ref, watch } from 'vue';
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

/*
 * A list read page by page (加载更多): fetch(page) answers { items, total }; load() reads the first page again,
 * load(true) the next one after those shown. Reactive: list.items, list.total, list.loading, list.error.
 */
export function usePaged(fetch) {
  const list = reactive({ items: [], total: 0, page: 1, loading: false, error: '', load });
  async function load(more = false) {
    list.loading = true;
    list.error = '';
    try {
      const next = more ? list.page + 1 : 1;
      const res = await fetch(next);
      list.items = more ? list.items.concat(res.items || []) : res.items || [];
      list.total = res.total || 0;
      list.page = next;
    } catch (e) {
      list.error = errorText(e);
    } finally {
      list.loading = false;
    }
  }
  return list;
}

// What a page reads once (and again after a change): get() answers it. Reactive: one.data, loading, missing (404), error.
export function useOne(get) {
  const one = reactive({ data: null, loading: true, missing: false, error: '', load });
  async function load() {
    one.error = '';
    try {
      one.data = await get();
    } catch (e) {
      if (e?.status === 404) one.missing = true;
      else one.error = errorText(e);
    } finally {
      one.loading = false;
    }
  }
  return one;
}

/*
 * 我的岗位, 我的服务队: the member's own list (mineUrl) and what is open to them (openUrl), read together once the
 * member may serve (gate) and again by load() after each change. live: the states still going on; mark: the
 * member's own claim on an open item ('my_claim', 'my_membership'). Gives current and past (mine, by live),
 * offers (the open ones without a live claim of mine), and lists (useOne: loading, error).
 */
export function useMineAndOpen(gate, mineUrl, openUrl, live, mark) {
  const lists = useOne(async () => {
    const [m, o] = await Promise.all([api.get(mineUrl), api.get(openUrl)]);
    return { mine: m.items || [], open: o.items || [] };
  });
  watch(() => gate.state, (s) => { if (s === 'ok') lists.load(); });
  const mine = computed(() => lists.data?.mine || []);
  return {
    lists,
    load: lists.load,
    current: computed(() => mine.value.filter((x) => live.includes(x.state))),
    past: computed(() => mine.value.filter((x) => !live.includes(x.state))),
    offers: computed(() => (lists.data?.open || []).filter((x) => !x[mark] || !live.includes(x[mark].state))),
  };
}
