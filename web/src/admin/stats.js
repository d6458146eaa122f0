// stats.js: the staff's community numbers (one GET /stats/regions/{code}), shared by the menu badge and the workbench
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api } from '../shared/api.js';

export const useCommunityStats = defineStore('communityStats', () => {
  const answer = ref(null); // {region, files}
  let inflight = null;
  let inflightCode = '';

  // Asks again (at most one request at a time per code); resolves to the answer, throws on failure.
  function refresh(code) {
    if (inflight && inflightCode === code) return inflight;
    inflightCode = code;
    inflight = api.get(`/stats/regions/${code}`).then((r) => {
      answer.value = r;
      return r;
    }).finally(() => { inflight = null; });
    return inflight;
  }

  return { answer, refresh };
});

// The region whose numbers a staff account sees: its community (or grid).
export const staffRegion = (session) => session.roleEntry('staff')?.region || null;
