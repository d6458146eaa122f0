/* head.h: checks of a request's line and headers before its body is read (framing, syntax, sizes, Host) */
#ifndef HTTP_HEAD_H
#define HTTP_HEAD_H

#include <stddef.h>

#include <microhttpd.h>

#include "http/request.h"

#define HEAD_MAX (16 * 1024) /* request line and headers together */
#define HEAD_FIELD_MAX (8 * 1024) /* one header line */
#define HEAD_URI_MAX (8 * 1024) /* the request target with its query */
#define HEAD_PARAMS_MAX 100 /* query parameters */
#define HEAD_HOSTS_MAX 16 /* names in --public-host */

struct head_rules {
	char *hosts[HEAD_HOSTS_MAX]; /* the Host values served (owned), none: any */
	size_t nhosts;
};

/* Parses --public-host's "HOST[:PORT][,HOST...]"; 0, or -1 with err filled. */
int head_rules_init(struct head_rules *rules, const char *list, char *err, size_t errlen);
void head_rules_release(struct head_rules *rules);

/*
 * The request target as received (before decoding): 0 when fine, 414 when
 * longer than HEAD_URI_MAX or with more than HEAD_PARAMS_MAX parameters, 400
 * with a control character (a bare CR, say).
 */
int head_check_uri(const char *uri);
/*
 * The headers of r (on connection c): sets r->early_status and early_code
 * when they must be refused: 400 for a name that is no token (a space
 * before the colon), a control character in a value, two Host lines, or
 * framing that could be read two ways; 421 for a Host that rules does not
 * serve (except /healthz); 431 for a head over HEAD_MAX or a line over
 * HEAD_FIELD_MAX; 413 for an announced body over r's limit. *body_bytes gets
 * the most the body may bring (its Content-Length, or the limit when chunked).
 */
void head_check(struct request *r, struct MHD_Connection *c, const struct head_rules *rules, size_t *body_bytes);
/* The Chinese title of an early answer's status. */
const char *head_title(int status);

#endif
