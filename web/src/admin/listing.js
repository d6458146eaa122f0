// listing.js: a server-paged table whose filters and page live in the URL (back/forward, reload)
import { computed, reactive, ref, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { errorText } from '../shared/errors.js';

// name: the route's name; keys: filter names kept in the URL; fetch(query) → {items,total}
// with query = the filters + page + per_page; perPageDefault: rows per page when the URL names none.
export function useUrlList({ name, keys, fetch, perPageDefault = 20 }) {
  const route = useRoute();
  const router = useRouter();
  const filters = reactive(Object.fromEntries(keys.map((k) => [k, ''])));
  const rows = ref([]);
  const total = ref(0);
  const capped = ref(false); // the server stopped counting: total is a lower bound
  const loading = ref(false);
  const error = ref('');
  const page = computed(() => Math.max(1, parseInt(route.query.page, 10) || 1));
  const perPage = computed(() => {
    const n = parseInt(route.query.per_page, 10);
    return [10, 20, 50, 100].includes(n) ? n : perPageDefault;
  });
  // The filters as the server wants them (from the URL, not from the form being edited).
  const query = computed(() => {
    const q = {};
    for (const k of keys) if (typeof route.query[k] === 'string' && route.query[k] !== '') q[k] = route.query[k];
    return q;
  });
  let seq = 0;

  async function load() {
    const my = ++seq;
    loading.value = true;
    error.value = '';
    try {
      const res = await fetch({ ...query.value, page: page.value, per_page: perPage.value });
      if (my !== seq) return;
      rows.value = res?.items || [];
      total.value = res?.total || 0;
      capped.value = !!res?.total_capped;
    } catch (e) {
      if (my !== seq) return;
      rows.value = [];
      total.value = 0;
      error.value = errorText(e);
    } finally {
      if (my === seq) loading.value = false;
    }
  }

  watch(() => route.query, (q) => {
    if (route.name !== name) return;
    for (const k of keys) filters[k] = typeof q[k] === 'string' ? q[k] : '';
    load();
  }, { immediate: true });

  function go(changes) {
    const q = { ...route.query, ...changes };
    for (const k of Object.keys(q)) if (q[k] === '' || q[k] === undefined || q[k] === null) delete q[k];
    if (q.page === 1 || q.page === '1') delete q.page;
    if (String(q.per_page) === String(perPageDefault)) delete q.per_page;
    for (const k of Object.keys(q)) q[k] = String(q[k]);
    if (JSON.stringify(q) === JSON.stringify(route.query)) load();
    else router.push({ query: q });
  }
  const search = () => go({ ...Object.fromEntries(keys.map((k) => [k, String(filters[k] ?? '').trim()])), page: 1 });
  const reset = () => router.push({ query: {} });

  return { filters, rows, total, capped, loading, error, page, perPage, query, load, go, search, reset };
}
