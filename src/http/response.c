/* response.c: building JSON and problem+json responses */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json_write.h"
#include "base/xalloc.h"
#include "http/request.h"

void resp_init(struct response *resp)
{
	/* Field by field: the header slots are written before they are read, so they need no clearing. */
	resp->status = 0;
	resp->content_type = NULL;
	buf_init(&resp->body, 0);
	resp->document = 0;
	resp->fd = -1;
	resp->fd_size = 0;
	resp->nheaders = 0;
}

void resp_release(struct response *resp)
{
	buf_release(&resp->body);
}

void resp_header(struct response *resp, const char *name, const char *value)
{
	/* Each cookie has a Set-Cookie of its own (they are never joined); any other name is set once. */
	for (size_t i = 0; strcmp(name, "Set-Cookie") && i < resp->nheaders; i++) {
		if (!strcmp(resp->headers[i].name, name)) {
			str_copy(resp->headers[i].value, sizeof(resp->headers[i].value), value);
			return;
		}
	}
	if (resp->nheaders == RESP_MAX_HEADERS)
		abort();
	str_copy(resp->headers[resp->nheaders].name, sizeof(resp->headers[0].name), name);
	str_copy(resp->headers[resp->nheaders].value, sizeof(resp->headers[0].value), value);
	resp->nheaders++;
}

static void set_body(struct response *resp, int status, const char *type, json_t *v)
{
	struct jw w;

	jw_init(&w, resp_json_body(resp, status));
	resp->content_type = type;
	jw_value(&w, v);
	if (jw_finish(&w) < 0)
		buf_reset(&resp->body);
	json_decref(v);
}

struct buf *resp_json_body(struct response *resp, int status)
{
	resp->status = status;
	resp->content_type = "application/json";
	buf_reset(&resp->body);
	/* Most answers fit this at once; a larger one grows as it is written. */
	buf_reserve(&resp->body, 1024);
	return &resp->body;
}

void resp_json(struct response *resp, int status, json_t *v)
{
	if (!v) {
		resp->status = status;
		resp->content_type = NULL;
		buf_reset(&resp->body);
		return;
	}
	set_body(resp, status, "application/json", v);
}

void resp_problem(struct response *resp, int status, const char *code, const char *title,
		  const struct field_errors *errs)
{
	resp_problem_extra(resp, status, code, title, errs, NULL);
}

void resp_problem_extra(struct response *resp, int status, const char *code, const char *title,
			const struct field_errors *errs, json_t *extra)
{
	char type[96];
	json_t *p;

	snprintf(type, sizeof(type), "urn:baodao:problem:%s", code);
	p = json_pack("{s:s, s:s, s:i, s:s}", "type", type, "title", title, "status", status, "code", code);
	if (errs && errs->n) {
		json_t *arr = json_array();

		for (size_t i = 0; i < errs->n; i++)
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "field", errs->items[i].field,
							     "code", errs->items[i].code, "message",
							     errs->items[i].message));
		json_object_set_new(p, "errors", arr);
	}
	if (extra) {
		json_object_update(p, extra);
		json_decref(extra);
	}
	set_body(resp, status, "application/problem+json", p);
}

void resp_internal(struct response *resp, const struct request *req)
{
	json_t *p = json_pack("{s:s, s:s, s:i, s:s, s:s}", "type", "urn:baodao:problem:internal", "title",
			      "服务器内部错误，请稍后再试", "status", 500, "code", "internal", "request_id", req->id);

	set_body(resp, 500, "application/problem+json", p);
}
