// errors.js: a failed API call in words for the person (problem title, detail, field errors), for every app
import { t, te } from './i18n.js';

// Nothing to say: the call was cancelled, or the 401 handler has already sent the person to login.
export const quiet = (err) => !err || err.name === 'AbortError' || !!err.handled;

// One problem error's words: the server's message, else its code's.
export function fieldMessage(e) {
  if (e.message) return e.message;
  const key = `errors.field.${e.code}`;
  return te(key) ? t(key) : t('errors.unknown');
}

// The text to show for err ('' when quiet). labels: { field: 'label' }; only: the errors to name
// (default all of them).
export function errorText(err, labels = {}, only = undefined) {
  if (quiet(err)) return '';
  return typeof err.describe === 'function' ? err.describe(labels, only) : t('errors.unknown');
}
