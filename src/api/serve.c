/* serve.c: what the catalogue, posts and teams handlers share: bodies with free-form members */
#include <string.h>

#include "api/handlers.h"
#include "base/buf.h"

json_t *serve_body_member(struct call *c, const char *name, struct field_errors *errs)
{
	const char *code;
	json_t *obj = json_parse_object(buf_str(&c->req->body), c->req->body.len, &code), *v;

	for (size_t i = 0; i < errs->n;)
		if (!strcmp(errs->items[i].field, name) && !strcmp(errs->items[i].code, "unknown"))
			memmove(&errs->items[i], &errs->items[i + 1], (--errs->n - i) * sizeof(errs->items[0]));
		else
			i++;
	v = obj ? json_object_get(obj, name) : NULL;
	v = v && !json_is_null(v) ? json_incref(v) : NULL;
	json_decref(obj);
	return v;
}
