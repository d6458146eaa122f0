/* notify_channel.c: a community's group robot (企业微信/钉钉 webhook), the deployment's settings, the outbox's state */
#include "domain/notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/crypto.h"

#define AD_CHANNEL "notify_channel.url"
#define AD_SMS "notify_setting.sms_url"

bool notify_url_ok(const char *url)
{
	const char *host;
	size_t n = url ? strlen(url) : 0;

	if (n == 0 || n > NOTIFY_URL_MAX)
		return false;
	if (!strncmp(url, "https://", 8))
		host = url + 8;
	else if (!strncmp(url, "http://", 7))
		host = url + 7;
	else
		return false;
	if (!*host || *host == '/' || *host == ':' || *host == '@')
		return false;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '\\')
			return false;
	/* No user:password@ before the host: the host is what it seems. */
	for (const char *p = host; *p && *p != '/' && *p != '?' && *p != '#'; p++)
		if (*p == '@')
			return false;
	return true;
}

void notify_url_mask(const char *url, char *out, size_t n)
{
	const char *host = strstr(url, "://");
	size_t len;

	host = host ? host + 3 : url;
	len = strcspn(host, "/?#");
	snprintf(out, n, "%.*s/***", (int)((size_t)(host - url) + len), url);
}

int notify_channel_get(struct db *db, const char *community_code, struct notify_channel *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT kind, url_masked, quiet_start, quiet_end, updated_at FROM "
					    "notify_channel WHERE community_code = ?");
	int rc;

	memset(out, 0, sizeof(*out));
	db_bind_text(st, 1, community_code);
	rc = db_step(st);
	if (rc == DB_ROW) {
		str_copy(out->community_code, sizeof(out->community_code), community_code);
		str_copy(out->kind, sizeof(out->kind), db_col_text(st, 0));
		str_copy(out->url_masked, sizeof(out->url_masked), db_col_text(st, 1));
		out->quiet_start = (int)db_col_int(st, 2);
		out->quiet_end = (int)db_col_int(st, 3);
		out->updated_at = db_col_int(st, 4);
	}
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

static int channel_write(struct db *db, const struct actor *who, const char *community_code, const char *kind,
			 const char *url, int quiet_start, int quiet_end)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM notify_channel WHERE community_code = ?");
	char masked[NOTIFY_URL_MAX + 8];
	char *sealed;
	int rc;

	db_bind_text(st, 1, community_code);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE || !url)
		return rc == DB_DONE ? 0 : -1;
	sealed = crypto_seal(AD_CHANNEL, url);
	notify_url_mask(url, masked, sizeof(masked));
	st = db_prepare(db, "INSERT INTO notify_channel (community_code, kind, url_sealed, url_masked, quiet_start, "
			    "quiet_end, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	db_bind_text(st, 1, community_code);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, sealed);
	db_bind_text(st, 4, masked);
	db_bind_int(st, 5, quiet_start);
	db_bind_int(st, 6, quiet_end);
	db_bind_int(st, 7, clock_now());
	if (who->account_id)
		db_bind_int(st, 8, who->account_id);
	else
		db_bind_null(st, 8);
	rc = db_step(st);
	db_done(st);
	free(sealed);
	return rc == DB_DONE ? 0 : -1;
}

int notify_channel_set(struct db *db, const struct actor *who, const char *community_code, const char *region_path,
		       const char *kind, const char *url, int quiet_start, int quiet_end)
{
	if (db_begin(db) < 0)
		return -1;
	if (channel_write(db, who, community_code, kind, url, quiet_start, quiet_end) < 0 ||
	    audit_append_detail(db, who, "notify.channel", "region", community_code, region_path, "ok",
				url ? kind : "removed") < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db) < 0 ? -1 : 0;
}

int notify_setting_set(struct db *db, const struct actor *who, const char *sms_url, const char *base_url)
{
	char *sealed = sms_url && sms_url[0] ? crypto_seal(AD_SMS, sms_url) : NULL;
	struct db_stmt *st;
	int rc;

	if (db_begin(db) < 0) {
		free(sealed);
		return -1;
	}
	st = db_prepare(db, "INSERT INTO notify_setting (id, sms_url_sealed, base_url, updated_at) VALUES (1, ?, ?, ?) "
			    "ON CONFLICT (id) DO UPDATE SET sms_url_sealed = excluded.sms_url_sealed, "
			    "base_url = excluded.base_url, updated_at = excluded.updated_at");
	db_bind_text(st, 1, sealed ? sealed : "");
	db_bind_text(st, 2, base_url ? base_url : "");
	db_bind_int(st, 3, clock_now());
	rc = db_step(st);
	db_done(st);
	free(sealed);
	if (rc != DB_DONE || audit_append(db, who, "notify.setting", "setting", "1", "", "ok") < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db) < 0 ? -1 : 0;
}

int notify_outbox_status(struct db *db, const char *community_code, size_t limit, int64_t counts[3],
			 struct outbox_row **rows, size_t *n)
{
	static const char *const states[3] = { "pending", "sent", "failed" };
	struct db_stmt *st;
	size_t cap = limit ? limit : 1;
	int rc;

	*rows = xcalloc(cap, sizeof(**rows));
	*n = 0;
	for (int i = 0; i < 3; i++) {
		st = db_prepare(db, "SELECT COUNT(*) FROM outbox WHERE state = ? AND (? = '' OR community_code = ?)");
		db_bind_text(st, 1, states[i]);
		db_bind_text(st, 2, community_code ? community_code : "");
		db_bind_text(st, 3, community_code ? community_code : "");
		rc = db_step(st);
		counts[i] = rc == DB_ROW ? db_col_int(st, 0) : 0;
		db_done(st);
		if (rc != DB_ROW)
			goto fail;
	}
	st = db_prepare(db, "SELECT id, channel, state, attempts, next_at, created_at, sent_at, last_error FROM outbox "
			    "WHERE (? = '' OR community_code = ?) ORDER BY id DESC LIMIT ?");
	db_bind_text(st, 1, community_code ? community_code : "");
	db_bind_text(st, 2, community_code ? community_code : "");
	db_bind_int(st, 3, (int64_t)limit);
	while ((rc = db_step(st)) == DB_ROW && *n < cap) {
		struct outbox_row *r = &(*rows)[(*n)++];

		r->id = db_col_int(st, 0);
		str_copy(r->channel, sizeof(r->channel), db_col_text(st, 1));
		str_copy(r->state, sizeof(r->state), db_col_text(st, 2));
		r->attempts = db_col_int(st, 3);
		r->next_at = db_col_int(st, 4);
		r->created_at = db_col_int(st, 5);
		r->sent_at = db_col_int(st, 6);
		str_excerpt(r->last_error, sizeof(r->last_error), db_col_text(st, 7), 100);
	}
	db_done(st);
	if (rc == DB_ERROR)
		goto fail;
	return 0;
fail:
	free(*rows);
	*rows = NULL;
	*n = 0;
	return -1;
}
