// largeFont.js: 大字模式 (large-font mode) for elderly residents, kept in localStorage
import { ref, watch } from 'vue';

const KEY = 'baodao.largeFont';

function read() {
  try { return localStorage.getItem(KEY) === '1'; } catch { return false; }
}

export const largeFont = ref(read());

function apply(on) {
  document.documentElement.classList.toggle('bd-large', on);
}

apply(largeFont.value);
watch(largeFont, (on) => {
  apply(on);
  try { localStorage.setItem(KEY, on ? '1' : '0'); } catch { /* private mode: not kept */ }
});
// The account's default (staff set it for a resident over 60) while this phone has no choice of its own.
export function largeFontFromSession(me) {
  try {
    if (me?.large_font && localStorage.getItem(KEY) === null) largeFont.value = true;
  } catch { /* private mode: nothing kept, nothing read */ }
}
