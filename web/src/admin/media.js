// media.js: a reactive media query (narrow screens get one-column layouts)
import { onBeforeUnmount, ref } from 'vue';

export function useMedia(query) {
  const mql = window.matchMedia(query);
  const matches = ref(mql.matches);
  const update = (e) => { matches.value = e.matches; };
  mql.addEventListener('change', update);
  onBeforeUnmount(() => mql.removeEventListener('change', update));
  return matches;
}

export const useNarrow = () => useMedia('(max-width: 767px)');
