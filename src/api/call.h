/* call.h: what an API handler works on, and the ..._or_reply helpers that answer on failure */
#ifndef API_CALL_H
#define API_CALL_H

#include <jansson.h>
#include <stdint.h>

#include "api/api.h"
#include "base/json_spec.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/region.h"
#include "domain/unit.h"
#include "http/request.h"

struct call {
	struct request *req;
	struct response *resp;
	struct db *db; /* this thread's connection */
	struct principal who; /* empty for routes without a session */
	struct actor actor;
	const char *token; /* the session token from the cookie, or NULL */
};

extern struct api_config api_cfg;

/* Answers v (taken) as JSON; NULL (a build that failed) is a logged 500, except for an empty 204. */
void reply_json(struct call *c, int status, json_t *v);
void reply_problem(struct call *c, int status, const char *code, const char *title);
/* One field at fault (409 answers code conflict, others code validation). */
void reply_field(struct call *c, int status, const char *field, const char *code, const char *message);
void reply_errors(struct call *c, int status, const struct field_errors *errs);
/* A query argument at fault: 400 bad_query naming it (code: format, enum, not_found, …). */
void reply_query(struct call *c, const char *name, const char *code, const char *message);
/*
 * 503 unavailable with Retry-After: retry_after seconds: the database cannot be reached now (a failover).
 * Nothing is logged: the connection logs its loss and its return once.
 */
void reply_unavailable(struct call *c, int retry_after);
/*
 * Logs what went wrong with the request id and answers 500 with the id only; but when the database failed
 * the connection meanwhile (db_outage), answers 503 as reply_unavailable, without a line of its own.
 */
void reply_internal(struct call *c, const char *what);

/*
 * Reads the JSON body into dst by spec. On any problem answers (415, 400 or
 * 422 with every field error) and returns -1; dst's strings are freed then.
 */
int call_body_or_reply(struct call *c, const struct spec_field *spec, void *dst);
/*
 * Like call_body_or_reply, but leaves the field errors in errs for the
 * handler to add its own checks to before answering them all at once. It
 * answers (and returns -1) only for a body that is not a JSON object. dst's
 * strings are the caller's to release either way.
 */
int call_body_read_or_reply(struct call *c, const struct spec_field *spec, void *dst, struct field_errors *errs);
/* An integer query argument in [min, max]; *out untouched when absent; 400 bad_query otherwise. */
int call_int_or_reply(struct call *c, const char *name, long long min, long long max, int64_t *out);
/* page and per_page from the query (defaults 1 and 20, per_page at most 100). */
int call_page_or_reply(struct call *c, int64_t *page, int64_t *per_page);
/* A text query argument: NULL when absent or empty; -1 (answered) when not clean UTF-8 or longer than max chars. */
int call_query_or_reply(struct call *c, const char *name, size_t max, const char **out);
/* A query argument that must be one of choices (NULL-terminated): NULL when absent; 400 bad_query otherwise. */
int call_choice_or_reply(struct call *c, const char *name, const char *const *choices, const char **out);
/* Path parameter idx as a positive integer id; 404 otherwise. */
int call_id_or_reply(struct call *c, size_t idx, int64_t *id);
/* 403 unless the principal may do a to t. */
int call_allow_or_reply(struct call *c, enum action a, const struct target *t);
/* The unit of path parameter 0 if the principal may do a to it; 404 otherwise (out of reach too). */
int call_unit_or_reply(struct call *c, enum action a, struct unit *u);
/*
 * The region of path parameter 0 (of level, or any level when NULL) if the
 * principal may do a under it; 404 otherwise (out of reach too: its numbers
 * are not told).
 */
int call_region_or_reply(struct call *c, enum action a, const char *level, struct region *r);

/*
 * Appends v to arr and returns arr; both are taken. When either is NULL (a
 * build failed: text that was not UTF-8, say) both are freed and NULL comes
 * back, so the failure reaches reply_json, which answers a logged 500
 * instead of a list with a hole in it.
 */
json_t *json_push(json_t *arr, json_t *v);
/* A page of items as {"items", "total", "page", "per_page"}; takes items. */
json_t *page_json(json_t *items, int64_t total, int64_t page, int64_t per_page);

#endif
