// sheet.js (console): the attendance sheet kept live: polled with ?since=VERSION every few seconds while the page is open
import { onBeforeUnmount, ref } from 'vue';
import { api } from '../shared/api.js';
import { errorText } from '../shared/errors.js';

export const POLL_MS = 3000; // a check-in shows within 5 s

// The sheet of activity id: { sheet, error, load (now, whole), stop }. The sheet answers only {changed: false} while
// its version stands still, so a poll costs next to nothing.
export function useLiveSheet(id) {
  const sheet = ref(null);
  const error = ref('');
  let timer = 0;
  let busy = false;

  async function poll(whole = false) {
    if (busy) return;
    busy = true;
    try {
      const since = !whole && sheet.value ? sheet.value.version : undefined;
      const res = await api.get(`/activities/${id()}/sheet`, { since });
      if (res.changed !== false) sheet.value = res;
      error.value = '';
    } catch (e) {
      error.value = errorText(e);
    } finally {
      busy = false;
    }
  }
  function start() {
    stop();
    poll(true);
    timer = window.setInterval(() => poll(false), POLL_MS);
  }
  function stop() {
    if (timer) window.clearInterval(timer);
    timer = 0;
  }
  onBeforeUnmount(stop);
  return { sheet, error, start, stop, load: () => poll(true) };
}

// A row's state on the sheet in one word: 已到, 迟到, 早退, 请假, 未到 (still to come) or 缺勤 (after the end).
export function rowStatus(row, sheet) {
  const s = row.attendance?.status || 'absent';
  if (s === 'absent' && sheet && sheet.server_time < sheet.activity.ends_at) return 'not_yet';
  return s;
}
