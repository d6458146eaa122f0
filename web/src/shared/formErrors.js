// formErrors.js: a refused form's problem errors placed on its fields (Element Plus `el-form-item :error`,
// Vant `van-field :error-message`); what no field shows becomes one form-level message
import { nextTick, reactive, ref, unref, watch } from 'vue';
import { errorText, fieldMessage, quiet } from './errors.js';

// fields: the server's field names the form shows, or { server_field: 'prop' } where they differ.
// An error on "list[3]" goes to lines.list[3] when "list" is one of them (a list of lines).
// Options: labels ({ server_field: label }, or a ref / function giving them) name the fields in
// the form-level message; message(e) gives the words for one error (falsy: the server's);
// notify(err) is called by show() when every error found its field (e.g. a "please fix" toast).
export function useFormErrors(fields, { labels = {}, message, notify } = {}) {
  const map = Array.isArray(fields) ? Object.fromEntries(fields.map((f) => [f, f])) : { ...fields };
  const errors = reactive({}); // prop → message
  const lines = reactive({}); // prop → { index: message }
  const formError = ref(''); // what no field shows (other fields, 403, 409, network…)

  function clear() {
    for (const k of Object.keys(errors)) delete errors[k];
    for (const k of Object.keys(lines)) delete lines[k];
    formError.value = '';
  }

  // Shows err on the form; returns how many of its errors landed on a field.
  function apply(err) {
    clear();
    if (quiet(err)) return 0;
    const rest = [];
    let placed = 0;
    for (const e of err.errors || []) {
      const item = /^(.+)\[(\d+)\]$/.exec(e.field || '');
      const prop = map[item ? item[1] : e.field || ''];
      if (!prop) { rest.push(e); continue; }
      const text = message?.(e) || fieldMessage(e);
      if (item) {
        lines[prop] ||= {};
        lines[prop][Number(item[2])] ??= text;
      } else if (!errors[prop]) {
        errors[prop] = text;
      }
      placed++;
    }
    const names = typeof labels === 'function' ? labels() : unref(labels);
    if (!placed) formError.value = errorText(err, names);
    else if (rest.length) formError.value = errorText(err, names, rest);
    return placed;
  }

  // apply(), then the app's notice and, once the page shows it, the first error scrolled into
  // view (after the caller's `finally` has enabled the form again); returns apply()'s count.
  function show(err) {
    const placed = apply(err);
    if (placed && !formError.value) notify?.(err);
    scrollToFirstError();
    return placed;
  }

  // Editing a field takes back what the server said about it (for a list: about the changed lines).
  function watchForm(form) {
    for (const prop of Object.values(map)) {
      watch(() => (Array.isArray(form[prop]) ? [...form[prop]] : form[prop]), (now, old) => {
        delete errors[prop];
        if (!lines[prop]) return;
        if (!Array.isArray(now)) { delete lines[prop]; return; }
        now.forEach((v, i) => { if (!old || v !== old[i]) delete lines[prop][i]; });
      });
    }
  }

  return { errors, lines, formError, clear, apply, show, watchForm };
}

const HIT = '.el-form-item.is-error, .van-field__error-message, [data-form-error]';
const BOX = '[data-error-box], .el-form-item, .van-field';
const FOCUSABLE = 'input:not([type="hidden"]), textarea, select, [tabindex]:not([tabindex="-1"]), button';

// After the page shows a refusal: scrolls the first error under root (an element or a component;
// default the whole page) into view and focuses its input, so a long form never hides it.
export async function scrollToFirstError(root) {
  await nextTick();
  const scope = root?.$el || root || document;
  const hit = scope.querySelector?.(HIT);
  if (!hit) return false;
  const box = hit.closest(BOX) || hit;
  box.scrollIntoView({ block: 'center' });
  const target = box.matches(FOCUSABLE) ? box : box.querySelector(FOCUSABLE);
  target?.focus({ preventScroll: true });
  return true;
}
