// session.js: the logged-in account (/api/v1/me) as a pinia store, shared by console and mobile
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, onUnauthorized } from './api.js';

const CONSOLE_ROLES = ['admin', 'org', 'staff', 'unit'];
const PRIORITY = ['admin', 'org', 'staff', 'unit', 'member', 'resident'];

export const useSession = defineStore('session', () => {
  const me = ref(null);
  const checked = ref(false); // /me has been asked at least once

  const roles = computed(() => (me.value?.roles || []).map((r) => r.role));
  const hasRole = (...names) => names.some((n) => roles.value.includes(n));
  const roleEntry = (name) => (me.value?.roles || []).find((r) => r.role === name) || null;
  const isConsoleUser = computed(() => CONSOLE_ROLES.some((r) => roles.value.includes(r)));

  // The role whose scope the header shows: the broadest one the account has.
  const primary = computed(() => {
    for (const name of PRIORITY) {
      const r = roleEntry(name);
      if (r) return r;
    }
    return null;
  });
  const regionPath = computed(() => primary.value?.region_path || []);

  // The community (or grid) of a member or resident, for the mobile home page.
  const community = computed(() => {
    for (const name of ['member', 'resident', 'staff']) {
      const r = roleEntry(name);
      if (r?.region) return r;
    }
    return null;
  });

  // Region codes where the account may manage grids and buildings: admin anywhere (''),
  // staff within its community (or grid).
  const editableRegionPrefixes = computed(() => {
    if (hasRole('admin')) return [''];
    return (me.value?.roles || [])
      .filter((r) => r.role === 'staff' && r.region?.code)
      .map((r) => r.region.code);
  });
  const canEditRegion = (code) => editableRegionPrefixes.value.some((p) => code.startsWith(p));

  async function load() {
    try {
      me.value = await api.get('/me', undefined, { login: true });
    } catch (e) {
      if (e?.status === 401) me.value = null;
      else throw e;
    } finally {
      checked.value = true;
    }
    return me.value;
  }

  async function login(loginName, password) {
    const res = await api.post('/session', { login: loginName, password }, { login: true });
    me.value = res?.account || null;
    checked.value = true;
    if (!me.value) await load();
    return me.value;
  }

  async function logout() {
    try {
      await api.del('/session');
    } catch (e) {
      if (e?.status !== 401) throw e;
    } finally {
      me.value = null;
    }
  }

  function clear() {
    me.value = null;
  }

  return {
    me, checked, roles, hasRole, roleEntry, isConsoleUser, primary, regionPath, community,
    editableRegionPrefixes, canEditRegion, load, login, logout, clear,
  };
});

// Both apps: any 401 but the login call (the session ran out or was ended elsewhere) forgets the
// account and goes to the login page, which returns to this page afterwards.
export function installSessionExpiry(router, pinia) {
  onUnauthorized(() => {
    useSession(pinia).clear();
    const current = router.currentRoute.value;
    if (current.name === 'login') return;
    router.push({ name: 'login', query: { redirect: current.fullPath, expired: '1' } });
  });
}
