/* serve.c: what the catalogue, posts and teams handlers share: the acting member, bodies with free-form members, query faults */
#include <string.h>

#include "api/handlers.h"
#include "base/buf.h"
#include "domain/post.h"

int serve_member_or_reply(struct call *c, struct post_member *m)
{
	int rc = post_acting_member(c->db, c->actor.account_id, m);

	if (rc == POST_ERROR) {
		reply_internal(c, "reading the member's file");
		return -1;
	}
	if (rc == POST_NOT_FOUND || !m->approved) {
		reply_problem(c, 403, "forbidden", rc == POST_NOT_FOUND ? "请先到居住地社区报到" : "报到审核通过后才能参加服务");
		return -1;
	}
	return 0;
}

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

int serve_optional_body_or_reply(struct call *c, const struct spec_field *spec, void *dst)
{
	struct field_errors errs = { 0 };
	json_t *none;
	int rc;

	if (c->req->body.len)
		return call_body_or_reply(c, spec, dst);
	none = json_object();
	rc = none ? spec_read(spec, none, dst, &errs) : -1;
	json_decref(none);
	if (rc == 0)
		return 0;
	spec_release(spec, dst);
	if (errs.n)
		reply_errors(c, 422, &errs);
	else
		reply_internal(c, "reading an empty body");
	return -1;
}
