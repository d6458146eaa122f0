/* api.h: the JSON API behind /api/v1 and the static front end: one entry point for the server */
#ifndef API_API_H
#define API_API_H

#include <stddef.h>
#include <stdint.h>

#include "http/request.h"

struct api_config {
	const char *web_root; /* built front end, or NULL */
	int64_t session_idle; /* seconds */
	int64_t session_max;
	int64_t lockout; /* seconds an account stays locked after too many failures */
	int secure_cookies;
};

/* Copies cfg; call once before the server starts. */
void api_init(const struct api_config *cfg);
/* The body limit of the route for method and path (spreadsheet uploads take more). */
size_t api_body_limit(const char *method, const char *path, size_t dflt);
/* Answers one request (the server's dispatch callback). */
void api_dispatch(struct request *req, struct response *resp);

#endif
