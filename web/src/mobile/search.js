// search.js (mobile): a search as people type (a pause of 250 ms, the latest answer wins), for SearchSheet.vue
import { reactive, watch } from 'vue';
import { toastError } from './toast.js';

// find(text) → [{ key, name, sub, item }]. Returns the state the sheet shows and edits.
export function useSearch(find) {
  const st = reactive({ q: '', results: [], searching: false, searched: false });
  let seq = 0;
  let timer = 0;
  watch(() => st.q, (v) => {
    clearTimeout(timer);
    timer = setTimeout(() => run(v), 250);
  });
  async function run(v) {
    const my = ++seq;
    const text = (v || '').trim();
    if (!text) { st.results = []; st.searched = false; st.searching = false; return; }
    st.searching = true;
    try {
      const items = await find(text);
      if (my === seq) st.results = items;
    } catch (e) {
      if (my === seq) { st.results = []; toastError(e); }
    } finally {
      if (my === seq) { st.searching = false; st.searched = true; }
    }
  }
  return st;
}
