// members.js: report-in states and timeline events as the pages show them (console and mobile)
export const STATES = ['pending', 'approved', 'rejected', 'withdrawn', 'left', 'transferred'];

// Element Plus tag types; the mobile pages map them to Vant's.
export const STATE_TAG = {
  pending: 'warning', approved: 'success', rejected: 'danger', withdrawn: 'info', left: 'info', transferred: 'info',
};

// The line under a timeline event: who did it and, for some events, why or where to.
// t: the i18n t(); e: {event, by, note}
export function eventNote(t, e) {
  const parts = [];
  if (e.event === 'submitted' && e.note) parts.push(t(`reg.channel.${e.note}`));
  if ((e.event === 'rejected' || e.event === 'left') && e.note) parts.push(t('reg.eventReason', { reason: e.note }));
  if (e.event === 'transferred' && e.note) parts.push(t('reg.transferredTo', { name: e.note }));
  if (e.by) parts.push(t('reg.eventBy', { by: e.by }));
  return parts.join('　');
}

// Newest first, for display.
export const newestFirst = (timeline) => [...(timeline || [])].reverse();

// The latest rejection's reason (a rejected report-in is no longer the file's registration).
export function lastRejection(timeline) {
  const list = timeline || [];
  for (let i = list.length - 1; i >= 0; i--) if (list[i].event === 'rejected') return list[i];
  return null;
}

export const specialtyList = (s) => (s ? String(s).split(',').map((x) => x.trim()).filter(Boolean) : []);

// /api/v1/specialties, asked once per page load.
let specialtiesPromise = null;
export function loadSpecialties(api) {
  if (!specialtiesPromise) {
    specialtiesPromise = api.get('/specialties').then((r) => r?.items || []).catch((e) => {
      specialtiesPromise = null;
      throw e;
    });
  }
  return specialtiesPromise;
}

// The buildings of a community (community → grids → buildings), named "网格 楼栋", for a 楼栋 select.
export async function communityBuildings(api, community) {
  const grids = (await api.get(`/regions/${community}/children`)).items || [];
  const lists = await Promise.all(grids.filter((g) => g.has_children).map((g) => api.get(`/regions/${g.code}/children`)
    .then((r) => (r.items || []).map((b) => ({ code: b.code, name: `${g.name} ${b.name}` })))));
  return lists.flat();
}
