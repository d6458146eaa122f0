/* throttle.c: failed password checks per (subject, source), per subject and per address, in table login_throttle */
#include "domain/throttle.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "base/xalloc.h"

/* One row as it counts now: a row past its forget time or window counts as none. */
struct count {
	int64_t failures, first_at, blocked_until;
};

void throttle_source_address(const char *client, char out[THROTTLE_KEY_MAX])
{
	unsigned char a[16];
	char text[INET6_ADDRSTRLEN];

	if (inet_pton(AF_INET6, client, a) == 1) {
		memset(a + 8, 0, 8);
		if (inet_ntop(AF_INET6, a, text, sizeof(text))) {
			snprintf(out, THROTTLE_KEY_MAX, "a:%s/64", text);
			return;
		}
	}
	snprintf(out, THROTTLE_KEY_MAX, "a:%s", client);
}

void throttle_subject_name(const char *login, char out[THROTTLE_KEY_MAX])
{
	static const char domain[] = "baodao login name\x1f";
	size_t n = strlen(login);
	char *text = xmalloc(sizeof(domain) + n), mac[CRYPTO_HEX_HASH];

	memcpy(text, domain, sizeof(domain) - 1);
	memcpy(text + sizeof(domain) - 1, login, n + 1);
	crypto_mac_hex(KEY_LOOKUP, text, sizeof(domain) - 1 + n, mac);
	free(text);
	snprintf(out, THROTTLE_KEY_MAX, "n:%.32s", mac);
}

/* The pair, the subject's ceiling and the address's count, each as it counts at now. */
static int read_counts(struct db *db, const struct throttle_key *k, int64_t now, struct count *pair,
		       struct count *ceiling, struct count *address)
{
	struct db_stmt *st = db_prepare(db, "SELECT subject, source, failures, first_at, last_at, blocked_until "
					    "FROM login_throttle WHERE (subject = ? AND (source = ? OR source = '*')) "
					    "OR (subject = '*' AND source = ?)");
	int rc;

	memset(pair, 0, sizeof(*pair));
	memset(ceiling, 0, sizeof(*ceiling));
	memset(address, 0, sizeof(*address));
	db_bind_text(st, 1, k->subject);
	db_bind_text(st, 2, k->source);
	db_bind_text(st, 3, k->source);
	while ((rc = db_step(st)) == DB_ROW) {
		int is_ceiling = !strcmp(db_col_text(st, 1), "*"), is_address = !strcmp(db_col_text(st, 0), "*");
		int64_t first = db_col_int(st, 3), last = db_col_int(st, 4);
		struct count c = { db_col_int(st, 2), first, db_col_int(st, 5) };

		if (is_address && now - first < THROTTLE_ADDRESS_WINDOW)
			*address = c;
		else if (is_ceiling && now - first < THROTTLE_CEILING_WINDOW)
			*ceiling = c;
		else if (!is_address && !is_ceiling && now - last < THROTTLE_FORGET)
			*pair = c;
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int64_t later(int64_t wait, int64_t until, int64_t now)
{
	return until - now > wait ? until - now : wait;
}

int64_t throttle_check(struct db *db, const struct throttle_key *k, int64_t now, int *failed)
{
	struct count pair, ceiling, address;
	int64_t wait = 0;

	if (read_counts(db, k, now, &pair, &ceiling, &address) < 0)
		return -1;
	*failed = pair.failures > 0;
	wait = later(wait, pair.blocked_until, now);
	if (!k->trusted && k->ceiling) {
		if (address.failures >= THROTTLE_ADDRESS_FAILURES)
			wait = later(wait, address.first_at + THROTTLE_ADDRESS_WINDOW, now);
		/* Past the ceiling a source that has failed waits; one that has not may still try. */
		if (ceiling.failures >= THROTTLE_CEILING && pair.failures > 0)
			wait = later(wait, ceiling.first_at + THROTTLE_CEILING_WINDOW, now);
	}
	return wait;
}

static int put(struct db *db, const char *subject, const char *source, const struct count *c, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO login_throttle (subject, source, failures, first_at, last_at, "
					    "blocked_until) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (subject, source) DO UPDATE "
					    "SET failures = excluded.failures, first_at = excluded.first_at, "
					    "last_at = excluded.last_at, blocked_until = excluded.blocked_until");
	int rc;

	db_bind_text(st, 1, subject);
	db_bind_text(st, 2, source);
	db_bind_int(st, 3, c->failures);
	db_bind_int(st, 4, c->first_at);
	db_bind_int(st, 5, now);
	db_bind_int(st, 6, c->blocked_until);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* One more failure on a count: a count that had lapsed starts at now. */
static void count_one(struct count *c, int64_t now)
{
	if (!c->failures)
		c->first_at = now;
	c->failures++;
}

/* The wait after failure number n: none while free, then the first wait doubled per failure, up to cap. */
static int64_t wait_after(int64_t n, int64_t cap)
{
	int64_t wait = THROTTLE_FIRST_WAIT;

	if (n < THROTTLE_FREE)
		return 0;
	for (int64_t i = THROTTLE_FREE; i < n && wait < cap; i++)
		wait *= 2;
	return wait < cap ? wait : cap;
}

int throttle_fail(struct db *db, const struct throttle_key *k, int64_t now)
{
	struct count pair, ceiling, address;
	struct db_stmt *st;
	int rc;

	if (read_counts(db, k, now, &pair, &ceiling, &address) < 0)
		return -1;
	count_one(&pair, now);
	pair.blocked_until = now + wait_after(pair.failures, k->cap);
	if (put(db, k->subject, k->source, &pair, now) < 0)
		return -1;
	if (!k->trusted && k->ceiling) {
		count_one(&ceiling, now);
		count_one(&address, now);
		if (put(db, k->subject, "*", &ceiling, now) < 0 || put(db, "*", k->source, &address, now) < 0)
			return -1;
	}
	/* Rows quiet for a day are forgotten: the table holds only what still counts. */
	st = db_prepare(db, "DELETE FROM login_throttle WHERE last_at < ?");
	db_bind_int(st, 1, now - THROTTLE_FORGET);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int throttle_clear(struct db *db, const struct throttle_key *k)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM login_throttle WHERE subject = ? AND source = ?");
	int rc;

	db_bind_text(st, 1, k->subject);
	db_bind_text(st, 2, k->source);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}
