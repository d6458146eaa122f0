// redirect.js: the page to return to after login, accepted only if it is a path inside the app
export function safeRedirect(value, fallback = '/') {
  const v = Array.isArray(value) ? value[0] : value;
  if (typeof v !== 'string' || !v.startsWith('/') || v.startsWith('//') || v.includes('\\')) {
    return fallback;
  }
  if (v.startsWith('/login')) return fallback;
  return v;
}
