// api.js: the one way the front end talks to the baodao server (/api/v1, problem+json errors)
import { ref } from 'vue';
import { t, te } from './i18n.js';
import { fieldMessage } from './errors.js';

// Number of requests in flight; TopProgress.vue shows a bar while it is above zero.
export const pending = ref(0);

let unauthorizedHandler = null;

// Called with the ApiError when any call but the login itself answers 401.
export function onUnauthorized(fn) {
  unauthorizedHandler = fn;
}

// A 401 of any call but the login (also of a call made without api(), such as an upload) goes to the
// handler, which sends the person to the login page; the error is then marked handled.
export function passUnauthorized(err) {
  if (err.status !== 401 || !unauthorizedHandler) return;
  err.handled = true;
  unauthorizedHandler(err);
}

export class ApiError extends Error {
  constructor(status, problem = null, headers = null) {
    const title = problem?.title || fallbackTitle(status);
    super(title);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem?.code || '';
    this.title = title;
    this.detail = problem?.detail || '';
    this.requestId = problem?.request_id || '';
    this.errors = Array.isArray(problem?.errors) ? problem.errors : [];
    this.retryAfter = Number(headers?.get?.('Retry-After')) || 0;
    this.problem = problem || {}; // the whole answer, for extra members such as existing_member_id
  }

  // One line for a toast: title, detail, and field errors (with labels when given; only the
  // errors in `only` when given, e.g. those no field of the form shows).
  describe(labels = {}, only = this.errors) {
    const parts = [this.title];
    if (this.detail && this.detail !== this.title) parts.push(this.detail);
    const fields = only.map((e) => {
      const label = labels[e.field] || e.field;
      return label ? `${label}：${fieldMessage(e)}` : fieldMessage(e);
    });
    if (fields.length) parts.push(fields.join('；'));
    if (this.requestId) parts.push(t('errors.requestId', { id: this.requestId }));
    return parts.join(' — ');
  }
}

function fallbackTitle(status) {
  if (status === 0) return t('errors.network');
  const key = `errors.status.${status}`;
  return te(key) ? t(key) : t('errors.unknown');
}

function queryString(query) {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    p.append(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

// request('GET', '/units', { query: {page: 1} }) → parsed JSON (null for 204).
// Options: body (JSON), query, signal, login (true for POST /session: a 401 is then a
// wrong password, not an expired session; also for GET /me in the router guard, which
// sends the person to login itself).
// Option raw: a Blob or File sent as it is (its own type, or application/octet-stream),
// for spreadsheet uploads.
export async function request(method, path, { body, raw, query, signal, login = false, blob = false } = {}) {
  const headers = { 'X-Requested-With': 'baodao', Accept: blob ? '*/*' : 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store', signal };
  if (raw !== undefined) {
    headers['Content-Type'] = raw.type || 'application/octet-stream';
    init.body = raw;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  pending.value++;
  try {
    let res;
    try {
      res = await fetch(`/api/v1${path}${queryString(query)}`, init);
    } catch (e) {
      if (e?.name === 'AbortError') throw e;
      throw new ApiError(0);
    }
    if (blob && res.ok) return { blob: await res.blob(), filename: attachmentName(res.headers) };
    const text = await res.text().catch(() => '');
    let json = null;
    if (text) {
      try { json = JSON.parse(text); } catch { json = null; }
    }
    if (res.ok) return json;
    const err = new ApiError(res.status, json && typeof json === 'object' ? json : null, res.headers);
    if (!login) passUnauthorized(err);
    throw err;
  } finally {
    pending.value--;
  }
}

// The file name of a Content-Disposition: attachment answer (filename* first).
function attachmentName(headers) {
  const cd = headers.get('Content-Disposition') || '';
  const star = cd.match(/filename\*=UTF-8''([^;]+)/i);
  if (star) {
    try { return decodeURIComponent(star[1]); } catch { /* fall through */ }
  }
  const plain = cd.match(/filename="?([^";]+)"?/i);
  return plain ? plain[1] : '';
}

// GETs a file (an .xlsx export or template) and hands it to the browser as a download.
// Errors are thrown as ApiError, like any other call.
export async function download(path, query, fallbackName = 'download') {
  return save(await request('GET', path, { query, blob: true }), fallbackName);
}

// POSTs body and hands the file answered to the browser (an export that writes its audit entry: the care register's).
export async function downloadPost(path, body, fallbackName = 'download') {
  return save(await request('POST', path, { body, blob: true }), fallbackName);
}

function save({ blob, filename }, fallbackName) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename || fallbackName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return filename || fallbackName;
}

export const api = {
  upload: (path, file, query, opts) => request('POST', path, { ...opts, raw: file, query }),
  get: (path, query, opts) => request('GET', path, { ...opts, query }),
  post: (path, body, opts) => request('POST', path, { ...opts, body }),
  put: (path, body, opts) => request('PUT', path, { ...opts, body }),
  patch: (path, body, opts) => request('PATCH', path, { ...opts, body }),
  del: (path, opts) => request('DELETE', path, opts),
};
