// checkin.js (mobile): what the scan-to-check-in pages share (an activity's, a duty shift's): the code the QR link
// carries, one tap that posts it, and a refusal put in words with what to do next
import { ref } from 'vue';
import { errorText, fieldMessage } from '../shared/errors.js';
import { formatTime } from '../shared/format.js';
import './checkin.css';

// What to do after a refusal, by its code (the field error's or the problem's).
const HINTS = {
  expired: 'scanAgain', forged: 'scanAgain', other_activity: 'scanAgain', other_shift: 'scanAgain', other_subject: 'scanAgain',
  stale_poster: 'scanAgain', replayed: 'scanAgain', too_early: 'comeBack', too_late: 'askStaff', not_signed_up: 'askStaff',
  not_approved: 'askStaff', not_on_shift: 'askStaff', state: 'askStaff',
};

// The refusal of a failed tap: { text, hint, code }. field: the body's field that carries the code.
export function refusalOf(e, field, t, hintKeys = 'mobile.checkin.hint') {
  const onCode = (e?.errors || []).find((x) => x.field === field);
  const code = onCode?.code || e?.code || '';
  return { code, text: onCode ? fieldMessage(onCode) : errorText(e), hint: HINTS[code] ? t(`${hintKeys}.${HINTS[code]}`) : '' };
}

// The code in the page's address (?code=…), '' without one.
export const codeOf = (route) => (typeof route.query.code === 'string' ? route.query.code : '');

// One tap: post(code) resolves to the server's answer, kept in done; a refusal in refusal. busy while it runs.
// hintKeys: where the hints' words are (scanAgain, comeBack, askStaff).
export function useCheckinTap(post, field, t, hintKeys = 'mobile.checkin.hint') {
  const busy = ref(false);
  const done = ref(null);
  const refusal = ref(null);
  async function tap(code, extra = {}) {
    busy.value = true;
    refusal.value = null;
    try {
      done.value = { ...(await post(code)), ...extra };
      return done.value;
    } catch (e) {
      refusal.value = refusalOf(e, field, t, hintKeys);
      return null;
    } finally {
      busy.value = false;
    }
  }
  return { busy, done, refusal, tap };
}

// "08:05" of a time in seconds, China time.
export const hm = (sec) => formatTime(sec).slice(11, 16);
