// login.js: the login flow of both apps: submit, the failure in words, back to the remembered page
import { computed, reactive, ref } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { t } from './i18n.js';
import { useSession } from './session.js';
import { safeRedirect } from './redirect.js';
import { errorText } from './errors.js';
import { scrollToFirstError } from './formErrors.js';

// Retry-After seconds as people say them: "40 秒", "5 分钟".
export function waitText(seconds) {
  const s = Math.max(1, Math.ceil(seconds));
  return s < 60 ? t('login.waitSeconds', { n: s }) : t('login.waitMinutes', { n: Math.ceil(s / 60) });
}

// A 429 in words with how long to wait (Retry-After); key: the sentence, with {wait}. '' for other errors.
export function throttledText(err, key = 'errors.throttled') {
  if (err?.status !== 429) return '';
  return err.retryAfter ? t(key, { wait: waitText(err.retryAfter) }) : t('errors.status.429');
}

// A one-time code as people type it from paper ("4113 8842 6815", "4113-8842-6815") → its 12 digits;
// any other password exactly as typed.
export function codeInput(password) {
  const typed = String(password ?? '');
  const bare = typed.replace(/[\s-]/g, '');
  return /^\d{12}$/.test(bare) && /^[\d\s-]+$/.test(typed) ? bare : typed;
}

// Why a login failed: wrong name or password, an expired one-time code, too many tries (and how long
// to wait), or the server's words.
export function loginFailure(err) {
  if (err?.status === 401) return err.code === 'code_expired' ? t('login.codeExpired') : t('login.wrong');
  return throttledText(err, 'login.throttled') || errorText(err);
}

// The login page's state and submit. validate: async () => boolean, asked first (the console's
// el-form rules); next(session): a page to go to instead of the remembered one (or nothing).
// A page that sends the person here may put { login, notice } in the history state (the sign-up
// page: the phone and the server's words), never in the URL.
export function useLogin({ validate, next } = {}) {
  const route = useRoute();
  const router = useRouter();
  const session = useSession();
  const handed = window.history.state || {};
  const form = reactive({ login: typeof handed.login === 'string' ? handed.login : '', password: '' });
  const busy = ref(false);
  const failure = ref('');
  // Why the person is here: the server could not be reached, the session ran out, or they logged out.
  const notice = computed(() => {
    if (route.query.offline) return { text: t('errors.network'), type: 'warning' };
    if (route.query.expired) return { text: t('login.expired'), type: 'warning' };
    if (route.query.bye) return { text: t('login.loggedOut'), type: 'success' };
    if (typeof handed.notice === 'string' && handed.notice) return { text: handed.notice, type: 'success' };
    return null;
  });

  async function submit() {
    failure.value = '';
    if (validate && !(await validate())) return;
    busy.value = true;
    try {
      await session.login(form.login.trim(), codeInput(form.password));
      form.password = '';
      router.replace(next?.(session) || safeRedirect(route.query.redirect, '/'));
    } catch (e) {
      failure.value = loginFailure(e);
    } finally {
      busy.value = false;
    }
    if (failure.value) await scrollToFirstError();
  }

  return { form, busy, failure, notice, submit };
}

// Logging out from any page of either app; the login page then says 已安全退出. onError(err): the app's
// way of showing a failure (a message or a toast).
export function useLogout(onError) {
  const router = useRouter();
  const session = useSession();
  const leaving = ref(false);
  async function logout() {
    leaving.value = true;
    try {
      await session.logout();
      router.replace({ name: 'login', query: { bye: '1' } });
    } catch (e) {
      onError(e);
    } finally {
      leaving.value = false;
    }
  }
  return { leaving, logout };
}
