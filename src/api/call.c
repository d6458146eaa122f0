/* call.c: reading requests and answering them, shared by every API handler */
#include "api/call.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/log.h"
#include "base/valid.h"
#include "base/xalloc.h"

void reply_json(struct call *c, int status, json_t *v)
{
	if (!v && status != 204) {
		reply_internal(c, "building the answer");
		return;
	}
	resp_json(c->resp, status, v);
}

json_t *json_push(json_t *arr, json_t *v)
{
	if (arr && v && json_array_append_new(arr, v) == 0)
		return arr;
	json_decref(arr);
	json_decref(v);
	return NULL;
}

void reply_problem(struct call *c, int status, const char *code, const char *title)
{
	resp_problem(c->resp, status, code, title, NULL);
}

void reply_field(struct call *c, int status, const char *field, const char *code, const char *message)
{
	struct field_errors errs = { 0 };

	field_errors_add(&errs, field, code, message);
	reply_errors(c, status, &errs);
}

void reply_errors(struct call *c, int status, const struct field_errors *errs)
{
	if (status == 409)
		resp_problem(c->resp, 409, "conflict", "与已有数据冲突", errs);
	else
		resp_problem(c->resp, status, "validation", "请求内容有误", errs);
}

void reply_query(struct call *c, const char *name, const char *code, const char *message)
{
	struct field_errors errs = { 0 };

	field_errors_add(&errs, name, code, message);
	resp_problem(c->resp, 400, "bad_query", "查询参数有误", &errs);
}

void reply_unavailable(struct call *c, int retry_after)
{
	char secs[16];

	snprintf(secs, sizeof(secs), "%d", retry_after > 0 ? retry_after : 1);
	resp_header(c->resp, "Retry-After", secs);
	resp_problem(c->resp, 503, "unavailable", "服务暂时不可用，请稍后再试", NULL);
}

void reply_internal(struct call *c, const char *what)
{
	int wait;

	/* The database went away under the request: the outage's failure, logged once by the connection. */
	if (c->db && (wait = db_outage(c->db)) != 0) {
		reply_unavailable(c, wait);
		return;
	}
	log_error("request %s %s %s failed: %s", c->req->id, c->req->method, c->req->path, what);
	resp_internal(c->resp, c->req);
}

static int is_json(const char *type)
{
	size_t n = strlen("application/json");

	return type && !strncasecmp(type, "application/json", n) && (type[n] == '\0' || type[n] == ';');
}

int call_body_or_reply(struct call *c, const struct spec_field *spec, void *dst)
{
	struct field_errors errs = { 0 };

	if (call_body_read_or_reply(c, spec, dst, &errs) < 0)
		return -1;
	if (errs.n) {
		spec_release(spec, dst);
		reply_errors(c, 422, &errs);
		return -1;
	}
	return 0;
}

int call_body_read_or_reply(struct call *c, const struct spec_field *spec, void *dst, struct field_errors *errs)
{
	const char *code = NULL;
	json_t *obj;

	if (!is_json(req_header(c->req, "Content-Type"))) {
		reply_problem(c, 415, "unsupported_media_type", "请求内容必须是 JSON（application/json）");
		return -1;
	}
	obj = json_parse_object(buf_str(&c->req->body), c->req->body.len, &code);
	if (!obj) {
		if (!strcmp(code, "too_deep"))
			reply_problem(c, 400, "too_deep", "JSON 嵌套太深");
		else if (!strcmp(code, "not_object"))
			reply_problem(c, 400, "bad_json", "请求内容必须是一个 JSON 对象");
		else
			reply_problem(c, 400, "bad_json", "请求内容不是有效的 JSON");
		return -1;
	}
	spec_read(spec, obj, dst, errs);
	json_decref(obj);
	return 0;
}

int call_int_or_reply(struct call *c, const char *name, long long min, long long max, int64_t *out)
{
	const char *v = req_query(c->req, name);
	long long n;

	if (!v)
		return 0;
	if (str_to_ll(v, min, max, &n) < 0) {
		char msg[96];

		snprintf(msg, sizeof(msg), "应为 %lld 到 %lld 之间的整数", min, max);
		reply_query(c, name, "format", msg);
		return -1;
	}
	*out = n;
	return 0;
}

int call_page_or_reply(struct call *c, int64_t *page, int64_t *per_page)
{
	*page = 1;
	*per_page = 20;
	if (call_int_or_reply(c, "page", 1, 1000000, page) < 0 || call_int_or_reply(c, "per_page", 1, 100, per_page) < 0)
		return -1;
	return 0;
}

int call_query_or_reply(struct call *c, const char *name, size_t max, const char **out)
{
	const char *v = req_query(c->req, name);

	*out = NULL;
	if (!v || !*v)
		return 0;
	if (!valid_utf8_text(v, strlen(v))) {
		reply_query(c, name, "utf8", NULL);
		return -1;
	}
	if (utf8_chars(v) > max) {
		reply_query(c, name, "too_long", NULL);
		return -1;
	}
	*out = v;
	return 0;
}

int call_choice_or_reply(struct call *c, const char *name, const char *const *choices, const char **out)
{
	const char *v = req_query(c->req, name);

	*out = NULL;
	if (!v || !*v)
		return 0;
	for (size_t i = 0; choices[i]; i++)
		if (!strcmp(v, choices[i])) {
			*out = choices[i];
			return 0;
		}
	reply_query(c, name, "enum", "不是可选的值");
	return -1;
}

int call_id_or_reply(struct call *c, size_t idx, int64_t *id)
{
	long long v;

	if (idx >= c->req->nparams || str_to_ll(c->req->params[idx], 1, INT64_MAX, &v) < 0) {
		reply_problem(c, 404, "not_found", "找不到该对象");
		return -1;
	}
	*id = v;
	return 0;
}

int call_allow_or_reply(struct call *c, enum action a, const struct target *t)
{
	if (authz_allows(&c->who, a, t))
		return 0;
	reply_problem(c, 403, "forbidden", "没有权限进行此操作");
	return -1;
}

int call_unit_or_reply(struct call *c, enum action a, struct unit *u)
{
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = unit_get(c->db, id, u);
	if (rc == UNIT_OK && !authz_allows(&c->who, a, &(struct target){ u->region_path, u->id }))
		rc = UNIT_NOT_FOUND;
	if (rc == UNIT_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该单位");
	else if (rc != UNIT_OK)
		reply_internal(c, "reading a unit");
	return rc == UNIT_OK ? 0 : -1;
}

int call_region_or_reply(struct call *c, enum action a, const char *level, struct region *r)
{
	const char *code = c->req->params[0];
	int rc = valid_digits(code, 12, 18) ? region_get(c->db, code, r) : REGION_NOT_FOUND;

	if (rc == REGION_OK && ((level && strcmp(r->level, level)) ||
				!authz_allows(&c->who, a, &(struct target){ r->path, 0 })))
		rc = REGION_NOT_FOUND;
	if (rc == REGION_NOT_FOUND)
		reply_problem(c, 404, "not_found", level && !strcmp(level, "community") ? "找不到该社区" : "找不到该区划");
	else if (rc != REGION_OK)
		reply_internal(c, "reading a region");
	return rc == REGION_OK ? 0 : -1;
}

json_t *page_json(json_t *items, int64_t total, int64_t page, int64_t per_page)
{
	return json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)total, "page",
			 (json_int_t)page, "per_page", (json_int_t)per_page);
}
