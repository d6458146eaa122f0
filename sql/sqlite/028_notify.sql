-- 028_notify.sql: notifications: the in-app inbox, what each account wants, quiet hours, the outbox of outside
-- messages with retries, and each community's group-robot channel. The same schema as sql/postgres/028_notify.sql
-- (docs/notify.md).

-- One message in an account's inbox: kind (signup_confirmed, signup_promoted, activity_cancelled,
-- registration_approved, registration_rejected, wish_claimed), a title, a body, a link into the app to act on
-- it; read_at 0 while unread.
CREATE TABLE notification (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES account(id),
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  link TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  read_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX notification_account ON notification (account_id, id);
CREATE INDEX notification_unread ON notification (account_id, read_at);

-- What an account receives of one kind: in the inbox (in_app) and outside (SMS). No row: in-app on, outside off.
CREATE TABLE notify_pref (
  account_id INTEGER NOT NULL REFERENCES account(id),
  kind TEXT NOT NULL,
  in_app INTEGER NOT NULL CHECK (in_app IN (0, 1)),
  outside INTEGER NOT NULL CHECK (outside IN (0, 1)),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, kind)
);

-- An account's quiet hours, minutes of the day in China time: no outside message from start_min to end_min
-- (which may pass midnight: 1320 to 480 is 22:00 to 08:00). start_min = end_min: none.
CREATE TABLE notify_quiet (
  account_id INTEGER PRIMARY KEY REFERENCES account(id),
  start_min INTEGER NOT NULL CHECK (start_min >= 0 AND start_min < 1440),
  end_min INTEGER NOT NULL CHECK (end_min >= 0 AND end_min < 1440),
  updated_at INTEGER NOT NULL
);

-- A community's group robot (企业微信 or 钉钉 webhook): the URL sealed (it holds the robot's key) and masked for
-- reading; quiet hours as notify_quiet's.
CREATE TABLE notify_channel (
  community_code TEXT PRIMARY KEY REFERENCES region(code),
  kind TEXT NOT NULL CHECK (kind = 'wecom' OR kind = 'dingtalk'),
  url_sealed TEXT NOT NULL,
  url_masked TEXT NOT NULL,
  quiet_start INTEGER NOT NULL DEFAULT 0 CHECK (quiet_start >= 0 AND quiet_start < 1440),
  quiet_end INTEGER NOT NULL DEFAULT 0 CHECK (quiet_end >= 0 AND quiet_end < 1440),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES account(id)
);

-- The deployment's settings (one row, id 1): its SMS gateway's URL sealed ("": none), and the public address
-- (https://baodao.example.cn) the links of outside messages start with ("": links stay paths).
CREATE TABLE notify_setting (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  sms_url_sealed TEXT NOT NULL DEFAULT '',
  base_url TEXT NOT NULL DEFAULT '',
  updated_at INTEGER NOT NULL
);

-- An outside message waiting to go: channel wecom/dingtalk (target: the community code) or sms (target: the
-- account id; the phone is read when it goes). payload: the text (a title and a link, nothing personal).
-- pending → sent, or failed after too many attempts; next_at: not before (Unix seconds).
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  channel TEXT NOT NULL CHECK (channel = 'wecom' OR channel = 'dingtalk' OR channel = 'sms'),
  target TEXT NOT NULL,
  community_code TEXT REFERENCES region(code),
  payload TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state = 'pending' OR state = 'sent' OR state = 'failed'),
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  sent_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_due ON outbox (state, next_at);
CREATE INDEX outbox_community ON outbox (community_code, id);
