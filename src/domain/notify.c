/* notify.c: notifications posted inside the caller's transaction, the inbox, preferences and quiet hours */
#include "domain/notify.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/backoff.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/crypto.h"

const char *const notify_kind_names[NOTIFY_KIND_COUNT] = {
	[NOTIFY_SIGNUP_CONFIRMED] = "signup_confirmed",
	[NOTIFY_SIGNUP_PROMOTED] = "signup_promoted",
	[NOTIFY_ACTIVITY_CANCELLED] = "activity_cancelled",
	[NOTIFY_REGISTRATION_APPROVED] = "registration_approved",
	[NOTIFY_REGISTRATION_REJECTED] = "registration_rejected",
	[NOTIFY_WISH_CLAIMED] = "wish_claimed",
	[NOTIFY_TASK_DISPATCHED] = "task_dispatched",
	[NOTIFY_QUIET_REMINDER] = "quiet_reminder",
};

int notify_kind_of(const char *name)
{
	for (int k = 0; k < NOTIFY_KIND_COUNT; k++)
		if (name && !strcmp(name, notify_kind_names[k]))
			return k;
	return -1;
}

/* --- quiet hours and retries -------------------------------------------------------------------------------- */

#define CHINA_OFFSET (8 * 3600)

int64_t notify_quiet_until(int64_t now, int start_min, int end_min)
{
	int64_t local = now + CHINA_OFFSET, day = local - (local % 86400 + 86400) % 86400;
	int64_t minute = (local - day) / 60, end;
	bool quiet;

	if (start_min == end_min)
		return now;
	if (start_min < end_min)
		quiet = minute >= start_min && minute < end_min;
	else
		quiet = minute >= start_min || minute < end_min;
	if (!quiet)
		return now;
	end = day + (int64_t)end_min * 60;
	if (end <= local)
		end += 86400;
	return end - CHINA_OFFSET;
}

int64_t notify_retry_delay(unsigned attempts)
{
	struct backoff b = { .fails = attempts ? attempts - 1 : 0 };

	backoff_failed(&b, 0);
	return b.next_us * 60 / 1000000;
}

/* --- posting ------------------------------------------------------------------------------------------------ */

/* The stored text of s: at most chars characters, cut at a character with "…". */
static void fit(char *dst, size_t n, const char *s, size_t chars)
{
	str_excerpt(dst, n, s ? s : "", chars);
}

/* account_id's in-app and outside choice for kind: defaults on, off. */
static int pref_of(struct db *db, int64_t account_id, enum notify_kind kind, bool *in_app, bool *outside)
{
	struct db_stmt *st = db_prepare(db, "SELECT in_app, outside FROM notify_pref WHERE account_id = ? AND kind = ?");
	int rc;

	*in_app = true;
	*outside = false;
	db_bind_int(st, 1, account_id);
	db_bind_text(st, 2, notify_kind_names[kind]);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*in_app = db_col_int(st, 0) == 1;
		*outside = db_col_int(st, 1) == 1;
	}
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

/* The deployment's public address ("" if none) and whether it has an SMS gateway. */
static int settings(struct db *db, char *base, size_t n, bool *sms)
{
	struct db_stmt *st = db_prepare(db, "SELECT sms_url_sealed, base_url FROM notify_setting WHERE id = 1");
	int rc = db_step(st);

	base[0] = '\0';
	*sms = false;
	if (rc == DB_ROW) {
		*sms = db_col_text(st, 0)[0] != '\0';
		str_copy(base, n, db_col_text(st, 1));
	}
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

/* The text of an outside message: its phrase and the link, absolute when the deployment has an address. */
static int outside_text(struct db *db, const struct notify_msg *m, struct buf *out, bool *sms)
{
	char base[NOTIFY_URL_MAX + 1];

	if (settings(db, base, sizeof(base), sms) < 0)
		return -1;
	buf_addstr(out, m->outside ? m->outside : "您有一条新消息");
	if (m->link && m->link[0]) {
		buf_addstr(out, "\n");
		buf_addstr(out, base);
		buf_addstr(out, m->link);
	}
	return 0;
}

static int outbox_add(struct db *db, const char *channel, const char *target, const char *community,
		      const char *payload, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO outbox (channel, target, community_code, payload, next_at, "
					    "state, created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?)");
	int rc;

	db_bind_text(st, 1, channel);
	db_bind_text(st, 2, target);
	db_bind_text(st, 3, community);
	db_bind_text(st, 4, payload);
	db_bind_int(st, 5, now);
	db_bind_int(st, 6, now);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int notify_post(struct db *db, int64_t account_id, const struct notify_msg *m, int64_t now)
{
	char title[TEXT_BYTES(NOTIFY_TITLE_MAX)], body[TEXT_BYTES(NOTIFY_BODY_MAX)], link[NOTIFY_LINK_MAX + 1];
	bool in_app, outside, sms;
	struct db_stmt *st;
	int rc = 0;

	if (!account_id)
		return 0;
	if (pref_of(db, account_id, m->kind, &in_app, &outside) < 0)
		return -1;
	if (in_app) {
		fit(title, sizeof(title), m->title, NOTIFY_TITLE_MAX);
		fit(body, sizeof(body), m->body, NOTIFY_BODY_MAX);
		str_copy(link, sizeof(link), m->link ? m->link : "");
		st = db_prepare(db, "INSERT INTO notification (account_id, kind, title, body, link, created_at) "
				    "VALUES (?, ?, ?, ?, ?, ?)");
		db_bind_int(st, 1, account_id);
		db_bind_text(st, 2, notify_kind_names[m->kind]);
		db_bind_text(st, 3, title);
		db_bind_text(st, 4, body);
		db_bind_text(st, 5, link);
		db_bind_int(st, 6, now);
		rc = db_step(st) == DB_DONE ? 0 : -1;
		db_done(st);
	}
	if (rc == 0 && outside) {
		struct buf text;
		char target[24];

		buf_init(&text, 4096);
		snprintf(target, sizeof(target), "%" PRId64, account_id);
		rc = outside_text(db, m, &text, &sms);
		if (rc == 0 && sms)
			rc = outbox_add(db, "sms", target, NULL, buf_str(&text), now);
		buf_release(&text);
	}
	return rc;
}

int notify_post_member(struct db *db, int64_t member_id, const struct notify_msg *m, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "SELECT COALESCE(account_id, 0) FROM member WHERE id = ?");
	int64_t account = 0;
	int rc;

	db_bind_int(st, 1, member_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		account = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return -1;
	return notify_post(db, account, m, now);
}

int notify_ids(struct db_stmt *st, int64_t **ids, size_t *n)
{
	size_t cap = 16;
	int rc;

	*ids = xmalloc(cap * sizeof(**ids));
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap)
			*ids = xrealloc(*ids, (cap *= 2) * sizeof(**ids));
		(*ids)[(*n)++] = db_col_int(st, 0);
	}
	db_done(st);
	if (rc == DB_DONE)
		return 0;
	free(*ids);
	*ids = NULL;
	*n = 0;
	return -1;
}

int notify_post_staff(struct db *db, const char *community_code, int64_t skip, const struct notify_msg *m,
		      int64_t now)
{
	struct db_stmt *st = db_prepare(db, "SELECT DISTINCT g.account_id FROM role_grant g JOIN account a ON "
					    "a.id = g.account_id WHERE g.role = 'staff' AND g.region_code = ? AND "
					    "a.disabled = 0 ORDER BY g.account_id");
	int64_t *ids;
	size_t n;
	int rc = 0;

	db_bind_text(st, 1, community_code);
	if (notify_ids(st, &ids, &n) < 0)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++)
		if (ids[i] != skip)
			rc = notify_post(db, ids[i], m, now);
	free(ids);
	return rc;
}

int notify_post_group(struct db *db, const char *community_code, const struct notify_msg *m, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "SELECT kind FROM notify_channel WHERE community_code = ?");
	char kind[12] = "";
	struct buf text;
	bool sms;
	int rc;

	db_bind_text(st, 1, community_code);
	rc = db_step(st);
	if (rc == DB_ROW)
		str_copy(kind, sizeof(kind), db_col_text(st, 0));
	db_done(st);
	if (rc == DB_DONE)
		return 0;
	if (rc != DB_ROW)
		return -1;
	buf_init(&text, 4096);
	rc = outside_text(db, m, &text, &sms);
	if (rc == 0)
		rc = outbox_add(db, kind, community_code, community_code, buf_str(&text), now);
	buf_release(&text);
	return rc;
}

/* --- the inbox ---------------------------------------------------------------------------------------------- */

int notify_inbox(struct db *db, int64_t account_id, int64_t before, size_t limit, bool unread_only,
		 struct notification **items, size_t *n, int64_t *unread)
{
	struct db_stmt *st;
	size_t cap = limit ? limit : 1;
	int rc;

	*items = xcalloc(cap, sizeof(**items));
	*n = 0;
	*unread = 0;
	st = db_prepare(db, "SELECT COUNT(*) FROM notification WHERE account_id = ? AND read_at = 0");
	db_bind_int(st, 1, account_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		*unread = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		goto fail;
	st = db_prepare(db, "SELECT id, kind, title, body, link, created_at, read_at FROM notification WHERE "
			    "account_id = ? AND (? = 0 OR id < ?) AND (? = 0 OR read_at = 0) ORDER BY id DESC LIMIT ?");
	db_bind_int(st, 1, account_id);
	db_bind_int(st, 2, before);
	db_bind_int(st, 3, before);
	db_bind_int(st, 4, unread_only ? 1 : 0);
	db_bind_int(st, 5, (int64_t)limit);
	while ((rc = db_step(st)) == DB_ROW && *n < cap) {
		struct notification *x = &(*items)[(*n)++];

		x->id = db_col_int(st, 0);
		str_copy(x->kind, sizeof(x->kind), db_col_text(st, 1));
		str_copy(x->title, sizeof(x->title), db_col_text(st, 2));
		str_copy(x->body, sizeof(x->body), db_col_text(st, 3));
		str_copy(x->link, sizeof(x->link), db_col_text(st, 4));
		x->created_at = db_col_int(st, 5);
		x->read_at = db_col_int(st, 6);
	}
	db_done(st);
	if (rc == DB_ERROR)
		goto fail;
	return 0;
fail:
	free(*items);
	*items = NULL;
	*n = 0;
	return -1;
}

int notify_read(struct db *db, int64_t account_id, int64_t id, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "SELECT read_at FROM notification WHERE id = ? AND account_id = ?");
	int rc;

	db_bind_int(st, 1, id);
	db_bind_int(st, 2, account_id);
	rc = db_step(st);
	db_done(st);
	if (rc == DB_DONE)
		return 1;
	if (rc != DB_ROW)
		return -1;
	st = db_prepare(db, "UPDATE notification SET read_at = ? WHERE id = ? AND account_id = ? AND read_at = 0");
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, id);
	db_bind_int(st, 3, account_id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int notify_read_all(struct db *db, int64_t account_id, int64_t now, int64_t *n)
{
	struct db_stmt *st = db_prepare(db, "UPDATE notification SET read_at = ? WHERE account_id = ? AND read_at = 0");
	int rc;

	db_bind_int(st, 1, now);
	db_bind_int(st, 2, account_id);
	rc = db_step(st);
	db_done(st);
	*n = rc == DB_DONE ? db_changes(db) : 0;
	return rc == DB_DONE ? 0 : -1;
}

/* --- preferences -------------------------------------------------------------------------------------------- */

int notify_prefs_get(struct db *db, int64_t account_id, struct notify_prefs *out)
{
	struct db_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	for (int k = 0; k < NOTIFY_KIND_COUNT; k++)
		out->in_app[k] = true;
	st = db_prepare(db, "SELECT kind, in_app, outside FROM notify_pref WHERE account_id = ?");
	db_bind_int(st, 1, account_id);
	while ((rc = db_step(st)) == DB_ROW) {
		int k = notify_kind_of(db_col_text(st, 0));

		if (k < 0)
			continue;
		out->in_app[k] = db_col_int(st, 1) == 1;
		out->outside[k] = db_col_int(st, 2) == 1;
	}
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	st = db_prepare(db, "SELECT start_min, end_min FROM notify_quiet WHERE account_id = ?");
	db_bind_int(st, 1, account_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->quiet_start = (int)db_col_int(st, 0);
		out->quiet_end = (int)db_col_int(st, 1);
	}
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

static int prefs_write(struct db *db, int64_t account_id, const struct notify_prefs *p, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM notify_pref WHERE account_id = ?");
	int rc;

	db_bind_int(st, 1, account_id);
	rc = db_step(st);
	db_done(st);
	for (int k = 0; rc == DB_DONE && k < NOTIFY_KIND_COUNT; k++) {
		st = db_prepare(db, "INSERT INTO notify_pref (account_id, kind, in_app, outside, updated_at) "
				    "VALUES (?, ?, ?, ?, ?)");
		db_bind_int(st, 1, account_id);
		db_bind_text(st, 2, notify_kind_names[k]);
		db_bind_int(st, 3, p->in_app[k] ? 1 : 0);
		db_bind_int(st, 4, p->outside[k] ? 1 : 0);
		db_bind_int(st, 5, now);
		rc = db_step(st);
		db_done(st);
	}
	if (rc != DB_DONE)
		return -1;
	st = db_prepare(db, "DELETE FROM notify_quiet WHERE account_id = ?");
	db_bind_int(st, 1, account_id);
	rc = db_step(st);
	db_done(st);
	if (rc == DB_DONE) {
		st = db_prepare(db, "INSERT INTO notify_quiet (account_id, start_min, end_min, updated_at) VALUES "
				    "(?, ?, ?, ?)");
		db_bind_int(st, 1, account_id);
		db_bind_int(st, 2, p->quiet_start);
		db_bind_int(st, 3, p->quiet_end);
		db_bind_int(st, 4, now);
		rc = db_step(st);
		db_done(st);
	}
	return rc == DB_DONE ? 0 : -1;
}

int notify_prefs_set(struct db *db, const struct actor *who, int64_t account_id, const struct notify_prefs *p)
{
	char idt[24];

	if (db_begin(db) < 0)
		return -1;
	snprintf(idt, sizeof(idt), "%" PRId64, account_id);
	if (prefs_write(db, account_id, p, clock_now()) < 0 ||
	    audit_append(db, who, "notify.prefs", "account", idt, "", "ok") < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db) < 0 ? -1 : 0;
}
