/* signup.c: self sign-up on the phone (public), the communities to choose from, and the codes and QR of posters */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/out.h"
#include "base/qr.h"
#include "base/valid.h"
#include "domain/account.h"
#include "domain/signup.h"

static json_t *place_json(struct call *c, const struct signup_place *p)
{
	json_t *community = json_null();

	if (p->community.code[0]) {
		json_t *names = region_path_names(c->db, &p->community);

		if (!names)
			return NULL;
		community = json_pack("{s:s, s:s, s:o}", "code", p->community.code, "name", p->community.name,
				      "path_names", names);
	}
	return json_pack("{s:s, s:o, s:o}", "code", p->code, "community", community, "unit",
			 p->unit_id ? json_pack("{s:I, s:s}", "id", (json_int_t)p->unit_id, "name", p->unit_name)
				    : json_null());
}

/* Communities by name, for choosing where to sign up: public, names only (the division table is public data). */
void signup_communities(struct call *c)
{
	struct region *items;
	const char *q;
	size_t n;
	json_t *arr;

	if (call_query_or_reply(c, "q", 20, &q) < 0)
		return;
	if (!q) {
		reply_problem(c, 400, "bad_query", "请输入社区名称的一部分");
		return;
	}
	if (region_search(c->db, q, "community", 20, &items, &n) != REGION_OK) {
		reply_internal(c, "searching communities");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, json_pack("{s:s, s:s, s:o*}", "code", items[i].code, "name", items[i].name,
					       "path_names", region_path_names(c->db, &items[i])));
	free(items);
	reply_json(c, 200, json_pack("{s:o}", "items", arr));
}

/* What a poster's code names (public): the sign-up page shows it before anyone types. */
void signup_code_show(struct call *c)
{
	struct signup_place p;
	const char *code = c->req->params[0];
	int rc = strlen(code) == SIGNUP_CODE_LEN ? signup_code_get(c->db, code, &p) : SIGNUP_NOT_FOUND;

	if (rc == SIGNUP_NOT_FOUND)
		reply_problem(c, 404, "not_found", "二维码已失效，请向社区索取新的");
	else if (rc != SIGNUP_OK)
		reply_internal(c, "reading a sign-up code");
	else
		reply_json(c, 200, place_json(c, &p));
}

/* The poster's QR code (public): the sign-up page's address with the code, on this server's own origin. */
void signup_code_qr(struct call *c)
{
	struct signup_place p;
	const char *code = c->req->params[0], *host = req_header(c->req, "Host");
	struct buf url = BUF_INIT, *body;
	int rc = strlen(code) == SIGNUP_CODE_LEN ? signup_code_get(c->db, code, &p) : SIGNUP_NOT_FOUND;

	if (rc == SIGNUP_NOT_FOUND) {
		reply_problem(c, 404, "not_found", "二维码已失效");
		return;
	}
	if (rc != SIGNUP_OK || !host) {
		reply_internal(c, "drawing a sign-up code");
		return;
	}
	buf_addf(&url, "%s://%s/m/signup?code=%s", api_cfg.secure_cookies ? "https" : "http", host, p.code);
	body = resp_json_body(c->resp, 200);
	c->resp->content_type = "image/svg+xml";
	if (qr_svg(buf_str(&url), body) < 0)
		reply_internal(c, "drawing a sign-up code");
	buf_release(&url);
}

struct signup_body {
	char *kind, *phone, *name, *password, *community_code, *code;
};

static const struct spec_field signup_spec[] = {
	SPEC_CHOICE(struct signup_body, kind, SPEC_REQUIRED, ((const char *const[]){ "member", "resident", NULL })),
	SPEC(struct signup_body, phone, SPEC_STR, SPEC_REQUIRED, 1, 11),
	SPEC(struct signup_body, name, SPEC_STR, SPEC_REQUIRED, 1, ACCOUNT_NAME_MAX),
	SPEC(struct signup_body, password, SPEC_STR, SPEC_REQUIRED | SPEC_NOTRIM, PASSWORD_MIN, PASSWORD_MAX),
	SPEC(struct signup_body, community_code, SPEC_STR, 0, 0, 18),
	SPEC(struct signup_body, code, SPEC_STR, 0, 0, SIGNUP_CODE_LEN),
	{ 0 },
};

/* The community a sign-up goes to: named, or the one of a community's poster code. */
static int community_of(struct call *c, const struct signup_body *b, struct region *out, struct field_errors *errs)
{
	struct signup_place p;
	int rc;

	if (b->code && *b->code) {
		rc = signup_code_get(c->db, b->code, &p);
		if (rc == SIGNUP_ERROR)
			return -1;
		if (rc == SIGNUP_NOT_FOUND) {
			field_errors_add(errs, "code", "not_found", "二维码已失效，请向社区索取新的，或直接选择社区");
			return 0;
		}
		if (p.community.code[0] && !(b->community_code && *b->community_code)) {
			*out = p.community;
			return 0;
		}
	}
	if (!b->community_code || !*b->community_code) {
		field_errors_add(errs, "community_code", "required", "请选择您居住的社区");
		return 0;
	}
	rc = region_get(c->db, b->community_code, out);
	if (rc == REGION_ERROR)
		return -1;
	if (rc != REGION_OK || strcmp(out->level, "community"))
		field_errors_add(errs, "community_code", "not_found", "应为存在的社区");
	return 0;
}

/*
 * POST /api/v1/signup: 202 whether or not the phone had an account already
 * (see signup_submit); the person then logs in with the phone and password.
 */
void signup_create(struct call *c)
{
	struct field_errors errs = { 0 };
	struct signup_body b = { 0 };
	struct signup_input in = { 0 };
	struct region community;
	int64_t wait = 0;
	char s[24];
	int rc;

	if (call_body_read_or_reply(c, signup_spec, &b, &errs) < 0)
		goto out;
	if (b.phone && !field_errors_has(&errs, "phone") && !valid_mobile(b.phone))
		field_errors_add(&errs, "phone", "format", "应为 11 位手机号");
	if (community_of(c, &b, &community, &errs) < 0) {
		reply_internal(c, "checking a sign-up");
		goto out;
	}
	if (errs.n) {
		reply_errors(c, 422, &errs);
		goto out;
	}
	in = (struct signup_input){ !strcmp(b.kind, "resident"), b.phone, b.name, b.password, community.code,
				    c->req->client };
	rc = signup_submit(c->db, &c->actor, &in, &wait);
	if (rc == SIGNUP_THROTTLED) {
		snprintf(s, sizeof(s), "%lld", (long long)(wait > 0 ? wait : 1));
		resp_header(c->resp, "Retry-After", s);
		reply_problem(c, 429, "throttled", "注册太频繁，请稍后再试");
	} else if (rc != SIGNUP_OK) {
		reply_internal(c, "signing up");
	} else {
		reply_json(c, 202, json_pack("{s:s, s:s}", "status", "received", "message",
					     in.resident ? "已提交。请用手机号和密码登录；社区确认后即可使用。"
							 : "已提交。请用手机号和密码登录，然后到社区报到。"));
	}
out:
	spec_release(signup_spec, &b);
}

struct place_body {
	char *region_code;
	long long unit_id;
	bool renew;
};

static const struct spec_field place_spec[] = {
	SPEC(struct place_body, region_code, SPEC_STR, 0, 0, 18),
	SPEC(struct place_body, unit_id, SPEC_INT, 0, 0, INT64_MAX),
	SPEC(struct place_body, renew, SPEC_BOOL, 0, 0, 0),
	{ 0 },
};

/*
 * POST /api/v1/signup/codes {region_code | unit_id, renew}: the live poster
 * code of a community (its staff) or of a unit (its administrator, an org
 * over it), made when there is none; renew revokes it and makes a new one.
 */
void signup_codes_take(struct call *c)
{
	struct place_body b = { 0 };
	struct signup_place p;
	struct region r;
	struct unit u;
	struct target t;
	int rc;

	if (call_body_or_reply(c, place_spec, &b) < 0)
		return;
	if (!b.region_code == !b.unit_id) {
		reply_field(c, 422, "region_code", "required", "请指明社区（region_code）或单位（unit_id）之一");
		goto out;
	}
	rc = b.region_code ? (region_get(c->db, b.region_code, &r) == REGION_OK && !strcmp(r.level, "community") ? 0 : 1)
			   : (unit_get(c->db, b.unit_id, &u) == UNIT_OK ? 0 : 1);
	t = b.region_code ? (struct target){ rc ? NULL : r.path, 0 } : (struct target){ rc ? NULL : u.region_path, b.unit_id };
	if (rc || !authz_allows(&c->who, b.region_code ? ACT_ACCOUNT_RESIDENT : ACT_ROSTER, &t)) {
		reply_problem(c, 404, "not_found", b.region_code ? "找不到该社区" : "找不到该单位");
		goto out;
	}
	rc = (b.renew ? signup_code_renew : signup_code_for)(c->db, &c->actor, b.region_code, b.unit_id, &p);
	if (rc != SIGNUP_OK)
		reply_internal(c, "making a sign-up code");
	else
		reply_json(c, 200, place_json(c, &p));
out:
	spec_release(place_spec, &b);
}
