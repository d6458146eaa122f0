/* router.h: matching a request against one static route table with {param} path segments */
#ifndef HTTP_ROUTER_H
#define HTTP_ROUTER_H

#include <stddef.h>

#include "http/request.h"

struct call; /* what a handler works on: defined by the api layer */

struct route {
	const char *method;
	const char *pattern; /* "/api/v1/regions/{code}/children" */
	void (*handler)(struct call *c);
	unsigned roles; /* who may call it at all (a bit per role; 0 = no session needed) */
	const char *action; /* audit action of a write, recorded when refused; NULL for reads */
	size_t body_limit; /* bytes this route accepts (a spreadsheet upload); 0: the server's default */
};

enum route_match { ROUTE_FOUND, ROUTE_NOT_FOUND, ROUTE_BAD_METHOD };

/*
 * Finds the route for req->method and req->path. On ROUTE_FOUND *out is set
 * and req->params holds the path parameters; on ROUTE_BAD_METHOD allow holds
 * the methods the path does answer ("GET, POST").
 */
enum route_match router_match(const struct route *table, size_t n, struct request *req,
			      const struct route **out, char *allow, size_t allowlen);

/* The route for method and path without taking its parameters, or NULL. */
const struct route *router_find(const struct route *table, size_t n, const char *method, const char *path);

#endif
