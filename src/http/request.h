/* request.h: one HTTP request and the response being built for it, as the api layer sees them */
#ifndef HTTP_REQUEST_H
#define HTTP_REQUEST_H

#include <jansson.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/json_spec.h"

#define REQ_MAX_PARAMS 4
#define RESP_MAX_HEADERS 8

struct request {
	void *conn; /* the server's connection handle; only the accessors below use it */
	const char *method; /* borrowed from the server for the request's life */
	const char *path; /* decoded path without the query */
	char *params[REQ_MAX_PARAMS]; /* path parameters matched by the router (owned) */
	size_t nparams;
	struct buf body;
	char client[48]; /* client address as text */
	char id[24]; /* request id, shown to the client only on a 500 */
	int64_t started_us;
	int early_status; /* set while reading headers or body: answer this without dispatching */
	const char *early_code;
	int status; /* what was answered, for the access log */
};

struct response {
	int status;
	const char *content_type;
	struct buf body;
	int document; /* a file of the web folder: it gets the page policy, not the API's */
	int fd; /* a file to send instead of body (the server closes it), or -1 */
	uint64_t fd_size;
	size_t nheaders;
	struct {
		char name[32];
		char value[320];
	} headers[RESP_MAX_HEADERS];
};

/* Header, query argument and cookie values; borrowed for the request's life, NULL when absent. */
const char *req_header(const struct request *r, const char *name);
const char *req_query(const struct request *r, const char *name);
const char *req_cookie(const struct request *r, const char *name);

void resp_init(struct response *resp);
void resp_release(struct response *resp);
/* Sets a header (replacing one of the same name, except that every Set-Cookie is added). */
void resp_header(struct response *resp, const char *name, const char *value);
/* Answers JSON written by the caller into the returned (emptied) body. */
struct buf *resp_json_body(struct response *resp, int status);
/* Answers v as JSON; takes ownership of v (may be NULL for an empty 204). */
void resp_json(struct response *resp, int status, json_t *v);
/*
 * Answers an RFC 9457 problem: type urn:baodao:problem:CODE, title in Chinese,
 * and, when errs is given and not empty, the per-field errors array.
 */
void resp_problem(struct response *resp, int status, const char *code, const char *title,
		  const struct field_errors *errs);
/* The same with the members of extra (taken) added to the problem object. */
void resp_problem_extra(struct response *resp, int status, const char *code, const char *title,
			const struct field_errors *errs, json_t *extra);
/* 500 with only the request id; the cause is logged with the same id by the caller. */
void resp_internal(struct response *resp, const struct request *req);

#endif
