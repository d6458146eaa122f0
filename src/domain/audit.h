/* audit.h: the append-only, hash-chained audit log of every write and every sensitive read */
#ifndef DOMAIN_AUDIT_H
#define DOMAIN_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "base/xalloc.h"
#include "db/db.h"

struct scope;

/* Who acts: an account (0 for the command line) from an address. */
struct actor {
	int64_t account_id;
	const char *client; /* "127.0.0.1", or "cli" */
};

/*
 * Appends one entry. Call inside the transaction of the write it records, so
 * both land or neither does. region_path ("" if none) lets an org see entries
 * of its subtree. Returns 0 or -1.
 */
int audit_append(struct db *db, const struct actor *who, const char *action, const char *target_type,
		 const char *target_id, const char *region_path, const char *outcome);
/* The same with a free-text detail (the reason given for revealing sensitive data, say). */
int audit_append_detail(struct db *db, const struct actor *who, const char *action, const char *target_type,
			const char *target_id, const char *region_path, const char *outcome, const char *detail);
/* Appends in a transaction of its own (for refusals and failures). */
int audit_record(struct db *db, const struct actor *who, const char *action, const char *target_type,
		 const char *target_id, const char *region_path, const char *outcome);

/* The longest detail an entry keeps, in characters (a reason given for a reveal, say). */
#define AUDIT_DETAIL_MAX 200

struct audit_row {
	int64_t id, at, account_id;
	char account_login[TEXT_BYTES(64)];
	char action[48];
	char target_type[32];
	char target_id[64];
	char outcome[16];
	char client[48];
	char detail[TEXT_BYTES(AUDIT_DETAIL_MAX)];
	char account_name[TEXT_BYTES(64)]; /* who acted, by name */
	char target_name[TEXT_BYTES(100)]; /* what was touched, by name: the member, unit, region… ("" when gone) */
};

struct audit_filter {
	const char *action; /* exact, or NULL */
	const char *account; /* login, or NULL */
	int64_t account_id; /* 0 = any */
	const char *target_id; /* exact, or NULL */
	const char *target_type;
	int64_t from, to; /* 0 = open */
	int64_t page, per_page;
};

/* One page, newest first, within scope. *rows: caller frees. Returns 0 or -1. */
int audit_list(struct db *db, const struct scope *scope, const struct audit_filter *f, struct audit_row **rows,
	       size_t *n, int64_t *total);

/*
 * Walks the whole chain. Returns 0 if intact; -1 with the first broken entry
 * described in err otherwise.
 */
int audit_verify(struct db *db, int64_t *entries, char *err, size_t errlen);

#endif
