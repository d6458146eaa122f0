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

// Why a login failed: wrong name or password, too many tries (and how long to wait), or the server's words.
export function loginFailure(err) {
  if (err?.status === 401) return t('login.wrong');
  if (err?.status === 429 && err.retryAfter) return t('login.throttled', { wait: waitText(err.retryAfter) });
  return errorText(err);
}

// The login page's state and submit. validate: async () => boolean, asked first (the console's
// el-form rules); next(session): a page to go to instead of the remembered one (or nothing).
export function useLogin({ validate, next } = {}) {
  const route = useRoute();
  const router = useRouter();
  const session = useSession();
  const form = reactive({ login: '', password: '' });
  const busy = ref(false);
  const failure = ref('');
  // Why the person is here: the server could not be reached, the session ran out, or they logged out.
  const notice = computed(() => {
    if (route.query.offline) return { text: t('errors.network'), type: 'warning' };
    if (route.query.expired) return { text: t('login.expired'), type: 'warning' };
    if (route.query.bye) return { text: t('login.loggedOut'), type: 'success' };
    return null;
  });

  async function submit() {
    failure.value = '';
    if (validate && !(await validate())) return;
    busy.value = true;
    try {
      await session.login(form.login.trim(), form.password);
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
