/* open311.h: the Open311 GeoReport v2 interface over cases: client keys, requests reported through it, the public list */
#ifndef DOMAIN_OPEN311_H
#define DOMAIN_OPEN311_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/crypto.h"
#include "base/json_spec.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/case.h"
#include "domain/region.h"

/* The longest texts, in characters: a client application's name, an address, a request's description. */
enum { OPEN311_NAME_MAX = 40, OPEN311_ADDRESS_MAX = CASE_PLACE_MAX, OPEN311_LIST_MAX = 1000 };

enum open311_rc { OPEN311_OK = 0, OPEN311_ERROR = -1, OPEN311_NOT_FOUND = -2, OPEN311_INVALID = -3 };

/* A client application's key (the key itself is never stored: only its hash). */
struct open311_key {
	int64_t id;
	char name[TEXT_BYTES(OPEN311_NAME_MAX)];
	char community_code[24];
	char community_name[REGION_TEXT];
	char community_path[PATH_MAX_LEN];
	int64_t created_at, revoked_at; /* 0 when not revoked */
};

/* Issues a key for client name reporting into community (checked by the caller); key: shown once. Audited. */
int open311_key_issue(struct db *db, const struct actor *who, const char *name, const char *community_code,
		      char key[CRYPTO_TOKEN_HEX], int64_t *id);
/* Every key, newest first (caller frees *items). */
int open311_keys(struct db *db, struct open311_key **items, size_t *n);
/* Revokes key id (OPEN311_NOT_FOUND when there is none or it is revoked already). Audited. */
int open311_key_revoke(struct db *db, const struct actor *who, int64_t id);
/* The key that key is, when issued and not revoked (OPEN311_NOT_FOUND otherwise). */
int open311_key_find(struct db *db, const char *key, struct open311_key *out);

/* Where a request is: a point (WGS84, millionths of a degree) and/or an address. */
struct open311_where {
	bool has_point;
	int64_t lat_e6, lon_e6;
	const char *address; /* "" or NULL when none */
};

/*
 * Reports case in (community and channel set by the caller from the key) and
 * what the request came with, one transaction: the case, its report event and
 * audit entry, the request row. token: for GET tokens/{token}.
 */
int open311_report(struct db *db, const struct actor *who, const struct open311_key *key, const struct case_input *in,
		   const struct open311_where *where, struct field_errors *errs, int64_t *case_id,
		   char token[CRYPTO_TOKEN_HEX]);
/* The case token stands for (OPEN311_NOT_FOUND when none). */
int open311_token(struct db *db, const char *token, int64_t *case_id);

/* A case as the public list shows it, with the point the client sent if any. */
struct open311_item {
	struct case_file k;
	bool has_point;
	int64_t lat_e6, lon_e6;
};
/* Which public cases (not private, merged or refused): 0 / NULL / empty for any. */
struct open311_filter {
	const int64_t *ids;
	size_t nids;
	const char *category;
	int64_t start, end; /* created at or after start, before or at end */
	int status; /* 0 any, 1 open (reported … in_progress), 2 closed (resolved, follow_up, closed) */
	int64_t limit;
};
int open311_list(struct db *db, const struct open311_filter *f, struct open311_item **items, size_t *n);

#endif
