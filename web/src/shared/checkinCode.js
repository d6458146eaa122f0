// checkinCode.js: a check-in code that rotates (an activity's screen, a duty shift's): asked again when the server says
// (refresh_at; at most maxWait seconds later), shown as a QR image; stops when the page or dialog goes
import { computed, onBeforeUnmount, ref } from 'vue';
import { errorText } from './errors.js';

// fetchCode(): resolves to the server's answer ({ code, svg, refresh_at, server_time, … }).
export function useRotatingCode(fetchCode, { maxWait = Infinity } = {}) {
  const code = ref(null);
  const error = ref('');
  let timer = 0;
  let running = false;
  async function load() {
    window.clearTimeout(timer);
    if (!running) return;
    try {
      const c = await fetchCode();
      if (!running) return;
      code.value = c;
      error.value = '';
      const wait = Math.min(maxWait, Math.max(2, (c.refresh_at || c.server_time + 30) - c.server_time));
      timer = window.setTimeout(load, wait * 1000 + 300);
    } catch (e) {
      if (!running) return;
      error.value = errorText(e);
      timer = window.setTimeout(load, 5000);
    }
  }
  function start() {
    running = true;
    load();
  }
  function stop() {
    running = false;
    window.clearTimeout(timer);
  }
  onBeforeUnmount(stop);
  const qr = computed(() => (code.value?.svg ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(code.value.svg)}` : ''));
  return { code, error, qr, start, stop };
}
