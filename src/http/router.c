/* router.c: path-pattern matching for the route table */
#include "http/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

/* Matches path against pattern; fills params (owned copies) when out is given. */
static int match(const char *pattern, const char *path, char **params, size_t *nparams)
{
	const char *p = pattern, *s = path;
	size_t n = 0;

	while (*p && *s) {
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			size_t len = strcspn(s, "/");

			if (!pe || len == 0 || n == REQ_MAX_PARAMS)
				goto fail;
			if (params)
				params[n] = xstrndup(s, len);
			n++;
			p = pe + 1;
			s += len;
		} else if (*p++ != *s++) {
			goto fail;
		}
	}
	if (*p || *s)
		goto fail;
	if (nparams)
		*nparams = n;
	return 1;
fail:
	if (params)
		for (size_t i = 0; i < n; i++) {
			free(params[i]);
			params[i] = NULL;
		}
	return 0;
}

enum route_match router_match(const struct route *table, size_t n, struct request *req,
			      const struct route **out, char *allow, size_t allowlen)
{
	const char *method = strcmp(req->method, "HEAD") ? req->method : "GET";
	int path_known = 0;

	allow[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (!match(table[i].pattern, req->path, NULL, NULL))
			continue;
		if (!strcmp(table[i].method, method)) {
			match(table[i].pattern, req->path, req->params, &req->nparams);
			*out = &table[i];
			return ROUTE_FOUND;
		}
		if (!strstr(allow, table[i].method)) {
			size_t len = strlen(allow);

			snprintf(allow + len, allowlen - len, "%s%s", len ? ", " : "", table[i].method);
		}
		path_known = 1;
	}
	return path_known ? ROUTE_BAD_METHOD : ROUTE_NOT_FOUND;
}

const struct route *router_find(const struct route *table, size_t n, const char *method, const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(table[i].method, method) && match(table[i].pattern, path, NULL, NULL))
			return &table[i];
	return NULL;
}
