// notify.js: the inbox and notification preferences, shared by the mobile 消息 tab and the console's bell
import { reactive } from 'vue';
import { api } from './api.js';

// The unread count both apps show on their badge; refresh() asks the server again (one cheap GET).
export const inbox = reactive({ unread: 0, items: [], next: null, loading: false });

export async function refreshUnread() {
  const r = await api.get('/me/notifications', { limit: 1 });
  inbox.unread = r.unread;
  return r.unread;
}

// The first page (more = false) or the next one after what is shown.
export async function loadInbox(more = false, limit = 20) {
  inbox.loading = true;
  try {
    const r = await api.get('/me/notifications', { limit, before: more ? inbox.next || undefined : undefined });
    inbox.items = more ? [...inbox.items, ...r.items] : r.items;
    inbox.next = r.next_before;
    inbox.unread = r.unread;
  } finally {
    inbox.loading = false;
  }
}

export async function markRead(n) {
  if (n.read) return;
  await api.post(`/me/notifications/${n.id}/read`, {});
  n.read = true;
  inbox.unread = Math.max(0, inbox.unread - 1);
}

export async function readAll() {
  await api.post('/me/notifications/read-all', {});
  for (const n of inbox.items) n.read = true;
  inbox.unread = 0;
}

// Where a notification's link leads inside the app it is opened in: { route } for the app's router (the part
// after its base, /m or /admin), else { href } for the other app.
export function linkTarget(link, base) {
  if (!link) return null;
  if (link === base || link.startsWith(`${base}/`) || link.startsWith(`${base}?`)) return { route: link.slice(base.length) || '/' };
  return { href: link };
}

// Minutes of the day as HH:MM and back.
export const hhmm = (min) => `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
export const minutesOf = (text) => {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text || '');
  return m && Number(m[1]) < 24 && Number(m[2]) < 60 ? Number(m[1]) * 60 + Number(m[2]) : null;
};

export const loadPrefs = () => api.get('/me/notify-prefs');
export const savePrefs = (p) => api.put('/me/notify-prefs',
  { in_app: p.in_app, outside: p.outside, quiet_start: p.quiet_start, quiet_end: p.quiet_end });
