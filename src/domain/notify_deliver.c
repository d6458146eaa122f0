/* notify_deliver.c: the outbox's outside messages sent, retried with back-off, deferred by quiet hours, given up */
#include "domain/notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/json_write.h"

#define AD_CHANNEL "notify_channel.url"
#define AD_SMS "notify_setting.sms_url"
#define ROUND_MAX 100 /* messages one round looks at */

struct due {
	int64_t id, attempts;
	char channel[12];
	char target[24];
	char *payload;
};

/* Up to limit pending messages due at now, oldest first. */
static int due_rows(struct db *db, int64_t now, size_t limit, struct due *out, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT id, channel, target, payload, attempts FROM outbox WHERE "
					    "state = 'pending' AND next_at <= ? ORDER BY next_at, id LIMIT ?");
	int rc;

	*n = 0;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, (int64_t)limit);
	while ((rc = db_step(st)) == DB_ROW && *n < limit) {
		struct due *d = &out[(*n)++];

		d->id = db_col_int(st, 0);
		str_copy(d->channel, sizeof(d->channel), db_col_text(st, 1));
		str_copy(d->target, sizeof(d->target), db_col_text(st, 2));
		d->payload = xstrdup(db_col_text(st, 3));
		d->attempts = db_col_int(st, 4);
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

/*
 * Where d goes and when it may: the URL (caller frees), the SMS's phone, the
 * quiet hours. NULL when the channel is gone (why in err).
 */
static char *where_to(struct db *db, const struct due *d, char *phone, size_t plen, int *qs, int *qe, char *err,
		      size_t errlen)
{
	struct db_stmt *st;
	char *url = NULL;
	int rc;

	*qs = *qe = 0;
	phone[0] = '\0';
	if (strcmp(d->channel, "sms")) {
		st = db_prepare(db, "SELECT url_sealed, quiet_start, quiet_end FROM notify_channel WHERE "
				    "community_code = ? AND kind = ?");
		db_bind_text(st, 1, d->target);
		db_bind_text(st, 2, d->channel);
		if ((rc = db_step(st)) == DB_ROW) {
			url = crypto_open(AD_CHANNEL, db_col_text(st, 0));
			*qs = (int)db_col_int(st, 1);
			*qe = (int)db_col_int(st, 2);
		}
		db_done(st);
		if (!url)
			snprintf(err, errlen, "%s", rc == DB_ERROR ? "database" : "the community's robot is gone");
		return url;
	}
	st = db_prepare(db, "SELECT s.sms_url_sealed, COALESCE(a.phone, ''), COALESCE(q.start_min, 0), "
			    "COALESCE(q.end_min, 0) FROM notify_setting s JOIN account a ON a.id = ? "
			    "LEFT JOIN notify_quiet q ON q.account_id = a.id WHERE s.id = 1");
	db_bind_int(st, 1, strtoll(d->target, NULL, 10));
	if ((rc = db_step(st)) == DB_ROW && db_col_text(st, 0)[0] && db_col_text(st, 1)[0]) {
		url = crypto_open(AD_SMS, db_col_text(st, 0));
		str_copy(phone, plen, db_col_text(st, 1));
		*qs = (int)db_col_int(st, 2);
		*qe = (int)db_col_int(st, 3);
	}
	db_done(st);
	if (!url)
		snprintf(err, errlen, "%s", rc == DB_ERROR ? "database" : "no SMS gateway or no phone");
	return url;
}

/* The JSON the receiver takes: a robot's text message, or the SMS gateway's {to, text}. */
static void body_of(const struct due *d, const char *phone, struct buf *out)
{
	struct jw w;

	jw_init(&w, out);
	jw_object(&w);
	if (!strcmp(d->channel, "sms")) {
		jw_key(&w, "to");
		jw_string(&w, phone);
		jw_key(&w, "text");
		jw_string(&w, d->payload);
	} else {
		/* 企业微信 and 钉钉 group robots take the same text message. */
		jw_key(&w, "msgtype");
		jw_string(&w, "text");
		jw_key(&w, "text");
		jw_object(&w);
		jw_key(&w, "content");
		jw_string(&w, d->payload);
		jw_end(&w);
	}
	jw_end(&w);
}

/* Records one try's outcome: sent, or a retry at now + the delay, or failed; only if nobody else did meanwhile. */
static int settle(struct db *db, const struct due *d, int ok, bool give_up, const char *err, int64_t now, int *sent,
		  int *failed)
{
	int64_t attempts = d->attempts + 1;
	const char *state = ok ? "sent" : give_up || attempts >= NOTIFY_ATTEMPTS_MAX ? "failed" : "pending";
	struct db_stmt *st;
	int rc;

	if (db_begin(db) < 0)
		return -1;
	st = db_prepare(db, "UPDATE outbox SET state = ?, attempts = ?, next_at = ?, last_error = ?, sent_at = ? "
			    "WHERE id = ? AND state = 'pending' AND attempts = ?");
	db_bind_text(st, 1, state);
	db_bind_int(st, 2, attempts);
	db_bind_int(st, 3, ok ? now : now + notify_retry_delay((unsigned)attempts));
	db_bind_text(st, 4, ok ? "" : err);
	db_bind_int(st, 5, ok ? now : 0);
	db_bind_int(st, 6, d->id);
	db_bind_int(st, 7, d->attempts);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE) {
		db_rollback(db);
		return -1;
	}
	if (db_changes(db) == 1) {
		*sent += ok;
		*failed += !ok && !strcmp(state, "failed");
	}
	return db_commit(db) < 0 ? -1 : 0;
}

/* Moves d to later (quiet hours) without counting a try. */
static int defer(struct db *db, const struct due *d, int64_t until)
{
	struct db_stmt *st = db_prepare(db, "UPDATE outbox SET next_at = ? WHERE id = ? AND state = 'pending'");
	int rc;

	db_bind_int(st, 1, until);
	db_bind_int(st, 2, d->id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int notify_deliver(struct db *db, notify_send_fn send, int64_t now, size_t limit, int *sent, int *failed)
{
	struct due rows[ROUND_MAX];
	size_t n = 0;
	int rc = 0;

	*sent = *failed = 0;
	if (limit == 0 || limit > ROUND_MAX)
		limit = ROUND_MAX;
	if (due_rows(db, now, limit, rows, &n) < 0)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char phone[64], err[256] = "";
		int qs, qe, ok;
		int64_t until;
		char *url = where_to(db, &rows[i], phone, sizeof(phone), &qs, &qe, err, sizeof(err));
		struct buf body;

		if (!url) {
			/* Nowhere to send it: given up on at once, it can never go. */
			rc = settle(db, &rows[i], 0, true, err, now, sent, failed);
			continue;
		}
		until = notify_quiet_until(now, qs, qe);
		if (until > now) {
			free(url);
			rc = defer(db, &rows[i], until);
			continue;
		}
		buf_init(&body, 64 * 1024);
		body_of(&rows[i], phone, &body);
		ok = send(url, buf_str(&body), err, sizeof(err)) == 0;
		buf_release(&body);
		free(url);
		rc = settle(db, &rows[i], ok, false, err, now, sent, failed);
	}
	for (size_t i = 0; i < n; i++)
		free(rows[i].payload);
	return rc;
}
