// password.js: changing one's password (console and mobile, the first change after a one-time code included)
import { reactive, ref } from 'vue';
import { api } from './api.js';
import { t } from './i18n.js';
import { useSession } from './session.js';
import { useFormErrors } from './formErrors.js';
import { codeInput } from './login.js';

// What is wrong with a new password that only the page can tell ('' when nothing): digits with spaces or
// hyphens that a login would take for a one-time code, and so never match. Its length is the server's to
// check (its 422 lands under the field).
export function newPasswordProblem(password) {
  const v = String(password ?? '');
  return codeInput(v) !== v ? t('password.likeCode') : '';
}

// The form, its refusal on the fields and submit() → true when changed. The current password may be
// the one-time code, typed with spaces or hyphens. After the change the session's account no longer
// must change it (the server has done with the code), so the pages open.
export function usePasswordChange({ labels } = {}) {
  const session = useSession();
  const form = reactive({ old_password: '', new_password: '', confirm: '' });
  const refusal = useFormErrors(['old_password', 'new_password'], {
    labels: labels || (() => ({ old_password: t('password.old'), new_password: t('password.new') })),
  });
  refusal.watchForm(form);
  const busy = ref(false);

  async function submit() {
    refusal.clear();
    busy.value = true;
    try {
      await api.put('/me/password', { old_password: codeInput(form.old_password), new_password: form.new_password });
      if (session.me) session.me.must_change_password = false;
      Object.assign(form, { old_password: '', new_password: '', confirm: '' });
      return true;
    } catch (e) {
      refusal.show(e);
      return false;
    } finally {
      busy.value = false;
    }
  }

  return { form, busy, errors: refusal.errors, formError: refusal.formError, submit };
}
