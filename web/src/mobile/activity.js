// activity.js (mobile): an activity and the member's sign-up in words (what they may do now), and the sign-up calls
import { api } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { formatTime } from '../shared/format.js';
import { formatMinutes, serveLabel } from '../shared/serving.js';

const now = () => Math.floor(Date.now() / 1000);

// Who runs it: the community, a team of it, or a unit with it.
export function organiserText(a) {
  const o = a?.organiser;
  if (!o || typeof o === 'string') return o || a?.community_name || a?.community?.name || '';
  if (o.kind === 'team' && o.team) return o.team.name;
  if (o.kind === 'unit' && o.unit) return `${o.unit.name}、${a.community?.name || ''}`;
  return a.community?.name || '';
}

// How many places: "还剩 3 个名额（共 10 个）", or full with the waiting list.
export function placesText(a) {
  if (!a) return '';
  if (a.places_left > 0) return t('mobile.activity.placesLeft', { n: a.places_left, capacity: a.capacity });
  return a.waiting ? t('mobile.activity.fullWaiting', { n: a.waiting }) : t('mobile.activity.full');
}

/*
 * Where the member stands and what they may do: { tag, tone, note, canSignup, canCancel, canLeave, live }.
 * a: the activity (with signup_deadline, ends_at, state); s: their live sign-up or null. The server decides
 * again; this only chooses the buttons and the words.
 */
export function standing(a, s) {
  const t0 = now();
  const live = a?.state === 'published' && t0 < a.ends_at;
  const beforeDeadline = t0 < (a?.signup_deadline || a?.starts_at || 0);
  const out = { tag: '', tone: 'default', note: '', canSignup: false, canCancel: false, canLeave: false, live };
  if (!s || s.state === 'cancelled') {
    out.canSignup = live && beforeDeadline;
    if (a?.state === 'cancelled') out.note = t('mobile.activity.cancelledNote', { reason: a.cancel_reason || '' });
    else if (a?.state === 'closed' || (a && t0 >= a.ends_at)) out.note = t('mobile.activity.over');
    else if (!beforeDeadline) out.note = t('mobile.activity.deadlinePassed');
    return out;
  }
  if (s.state === 'waiting') {
    Object.assign(out, { tag: t('mobile.activity.waitingNo', { n: s.position }), tone: 'warning', canCancel: live });
    out.note = t('mobile.activity.waitingNote');
    return out;
  }
  const leave = s.leave?.state || '';
  out.tag = serveLabel('signupState', 'signed');
  out.tone = 'success';
  if (s.checkout_at) out.note = t('mobile.activity.checkedOut', { in: formatTime(s.checkin_at).slice(11, 16), out: formatTime(s.checkout_at).slice(11, 16) });
  else if (s.checkin_at) out.note = t('mobile.activity.checkedIn', { at: formatTime(s.checkin_at).slice(11, 16) });
  if (leave === 'asked') Object.assign(out, { tag: serveLabel('leave', 'asked'), tone: 'warning' });
  else if (leave === 'approved') Object.assign(out, { tag: serveLabel('leave', 'approved'), tone: 'default' });
  out.canCancel = live && beforeDeadline && !s.checkin_at;
  out.canLeave = live && !s.checkin_at && (leave === '' || leave === 'refused');
  return out;
}

// The member's own calls; each answers { signup, activity }.
export const signUp = (id) => api.post(`/activities/${id}/signup`);
export const cancelSignup = (id) => api.del(`/activities/${id}/signup`);
export const askLeave = (id, reason) => api.post(`/activities/${id}/leave`, { reason });

// What a sign-up's event told the member, with its note in words ("请假未批准：人手不够").
export function eventText(e) {
  if (!e?.event) return '';
  const label = t(`mobile.activity.event.${e.event}`);
  let note = e.note || '';
  if (e.event === 'recorded' && /^\d+$/.test(note)) note = formatMinutes(Number(note));
  else if (['checked_in', 'checked_out', 'signed', 'waiting'].includes(e.event)) note = '';
  return note ? `${label}：${note}` : label;
}
