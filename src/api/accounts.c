/* accounts.c: accounts opened and kept by others: from a member file, for staff and units, resets, disabling, confirming */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/out.h"
#include "base/valid.h"
#include "domain/account_admin.h"
#include "domain/member.h"

static const char *const role_names[] = { "admin", "org", "staff", "unit", "member", "resident", NULL };

static json_t *code_json(int64_t account_id, const char *login, const char *code)
{
	return json_pack("{s:{s:I, s:s}, s:s, s:i}", "account", "id", (json_int_t)account_id, "login", login, "code",
			 code, "code_valid_days", ACCOUNT_CODE_DAYS);
}

static void reply_admin_error(struct call *c, int rc)
{
	switch (rc) {
	case ADMIN_NOT_FOUND:
		reply_problem(c, 404, "not_found", "找不到该账号");
		break;
	case ADMIN_HAS_ACCOUNT:
		reply_problem(c, 409, "conflict", "该党员已有账号");
		break;
	case ADMIN_PHONE_TAKEN:
		reply_field(c, 409, "phone", "taken", "该手机号（或登录名）已被另一个账号使用，请核对");
		break;
	case ADMIN_NO_PHONE:
		reply_field(c, 422, "phone", "format", "档案中没有手机号，请先在档案中填写 11 位手机号");
		break;
	case ADMIN_NOT_PENDING:
		reply_problem(c, 409, "conflict", "该账号没有待确认的社区");
		break;
	default:
		reply_internal(c, "keeping an account");
	}
}

/* The member file {id}, if the caller may open its account: 404 when it may not see it, 403 when it may not act. */
void members_open_account(struct call *c)
{
	struct member_place place;
	struct target t;
	char code[ACCOUNT_CODE_BUF];
	struct member m;
	int64_t id, account;
	bool may = false;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return;
	rc = member_place(c->db, id, &place);
	if (rc == MEMBER_OK) {
		bool sees = false;

		for (size_t i = 0; i < place.npaths; i++)
			sees = sees || authz_allows(&c->who, ACT_MEMBER_READ, &(struct target){ place.paths[i], 0 });
		sees = sees || (place.unit_id && authz_allows(&c->who, ACT_MEMBER_READ, &(struct target){ NULL, place.unit_id }));
		for (size_t i = 0; i < place.nopen; i++)
			may = may || authz_allows(&c->who, ACT_ACCOUNT_MEMBER, &(struct target){ place.open_paths[i], 0 });
		t = (struct target){ NULL, place.unit_id };
		may = may || (place.unit_id && authz_allows(&c->who, ACT_ACCOUNT_MEMBER, &t));
		if (!sees)
			rc = MEMBER_NOT_FOUND;
	}
	if (rc == MEMBER_NOT_FOUND) {
		reply_problem(c, 404, "not_found", "找不到该党员档案");
		return;
	}
	if (rc != MEMBER_OK) {
		reply_internal(c, "placing a member");
		return;
	}
	if (!may) {
		reply_problem(c, 403, "forbidden", "没有权限为该党员开通账号");
		return;
	}
	rc = account_open_for_member(c->db, &c->actor, id, code, &account);
	if (rc != ADMIN_OK) {
		reply_admin_error(c, rc);
		return;
	}
	if (member_get(c->db, id, &m) != MEMBER_OK) {
		reply_internal(c, "reading a member");
		return;
	}
	resp_header(c->resp, "Cache-Control", "no-store");
	reply_json(c, 201, code_json(account, m.phone, code));
}

/* Account {id} if the caller may keep it; 404 otherwise, so that others' accounts are not told. */
static int managed_or_reply(struct call *c, struct account_place *a)
{
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = account_place_get(c->db, id, a);
	if (rc == ADMIN_OK && !account_may_manage(&c->who, a))
		rc = ADMIN_NOT_FOUND;
	if (rc != ADMIN_OK)
		reply_admin_error(c, rc);
	return rc == ADMIN_OK ? 0 : -1;
}

static json_t *row_json(const struct account_row *r)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:b, s:b, s:I, s:I, s:I, s:s, s:s, s:s, s:I, s:s, s:b}", "id",
			 (json_int_t)r->id, "login", r->login, "name", r->name, "phone", r->phone, "disabled",
			 r->disabled, "must_change_password", r->must_change_password, "code_expires_at",
			 (json_int_t)(r->must_change_password ? r->password_expires_at : 0), "created_at",
			 (json_int_t)r->created_at, "member_id", (json_int_t)r->member_id, "role", role_name(r->role),
			 "region_code", r->region_code, "region_name", r->region_name, "unit_id", (json_int_t)r->unit_id,
			 "unit_name", r->unit_name, "pending", r->pending);
}

void accounts_list(struct call *c)
{
	struct account_filter f = { .pending = -1 };
	struct account_row *items;
	const char *role, *pending;
	size_t n;
	int64_t total;
	json_t *arr;

	if (call_choice_or_reply(c, "role", role_names, &role) < 0 || call_query_or_reply(c, "q", 32, &f.q) < 0 ||
	    call_choice_or_reply(c, "pending", (const char *const[]){ "true", "false", NULL }, &pending) < 0 ||
	    call_page_or_reply(c, &f.page, &f.per_page) < 0)
		return;
	if (!role) {
		reply_problem(c, 400, "bad_query", "请指明要列出哪类账号（role）");
		return;
	}
	role_parse(role, &f.role);
	if (pending)
		f.pending = !strcmp(pending, "true");
	if (account_list(c->db, &c->who, &f, &items, &n, &total) != ADMIN_OK) {
		reply_internal(c, "listing accounts");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, row_json(&items[i]));
	free(items);
	reply_json(c, 200, page_json(arr, total, f.page, f.per_page));
}

struct open_body {
	char *login, *name, *phone, *role, *region_code;
	long long unit_id;
};

static const struct spec_field open_spec[] = {
	SPEC(struct open_body, login, SPEC_STR, 0, 2, ACCOUNT_LOGIN_MAX),
	SPEC(struct open_body, name, SPEC_STR, SPEC_REQUIRED, 1, ACCOUNT_NAME_MAX),
	SPEC(struct open_body, phone, SPEC_STR, 0, 0, 11),
	SPEC_CHOICE(struct open_body, role, SPEC_REQUIRED, ((const char *const[]){ "admin", "org", "staff", "unit", "resident", NULL })),
	SPEC(struct open_body, region_code, SPEC_STR, 0, 0, 18),
	SPEC(struct open_body, unit_id, SPEC_INT, 0, 0, INT64_MAX),
	{ 0 },
};

/* Checks the body's place for the role; fills in; adds field errors. -1 on a storage error. */
static int place_check(struct call *c, const struct open_body *b, struct account_new *in, struct region *r,
		       struct unit *u, struct field_errors *errs)
{
	bool regional = in->role == ROLE_ORG || in->role == ROLE_STAFF || in->role == ROLE_RESIDENT;
	int rc;

	if (regional) {
		rc = b->region_code && *b->region_code ? region_get(c->db, b->region_code, r) : REGION_NOT_FOUND;
		if (rc == REGION_ERROR)
			return -1;
		if (rc != REGION_OK || (in->role == ROLE_RESIDENT && strcmp(r->level, "community")) ||
		    (in->role == ROLE_STAFF && strcmp(r->level, "community") && strcmp(r->level, "grid")))
			field_errors_add(errs, "region_code", "not_found",
					 in->role == ROLE_ORG ? "应为存在的市、区或街道" : "应为存在的社区（工作人员也可以是网格）");
		else
			in->region_code = r->code;
	} else if (in->role == ROLE_UNIT) {
		rc = b->unit_id ? unit_get(c->db, b->unit_id, u) : UNIT_NOT_FOUND;
		if (rc == UNIT_ERROR)
			return -1;
		if (rc != UNIT_OK)
			field_errors_add(errs, "unit_id", "not_found", "单位不存在");
		else
			in->unit_id = u->id;
	}
	return 0;
}

/* An account for staff, a unit's administrator, an org, an administrator or a resident (代录), with a one-time code. */
void accounts_create(struct call *c)
{
	struct field_errors errs = { 0 };
	struct open_body b = { 0 };
	struct account_new in = { 0 };
	char code[ACCOUNT_CODE_BUF];
	struct region r;
	struct unit u;
	int64_t id;
	int rc;

	if (call_body_read_or_reply(c, open_spec, &b, &errs) < 0)
		goto out;
	if (b.phone && *b.phone && !field_errors_has(&errs, "phone") && !valid_mobile(b.phone))
		field_errors_add(&errs, "phone", "format", "应为 11 位手机号");
	if (!b.login && (!b.phone || !*b.phone))
		field_errors_add(&errs, "login", "required", "请填写登录名或手机号（手机号即可作登录名）");
	if (b.login && strpbrk(b.login, " \t\r\n"))
		field_errors_add(&errs, "login", "format", "登录名不能有空格");
	if (b.role && !field_errors_has(&errs, "role")) {
		role_parse(b.role, &in.role);
		if (place_check(c, &b, &in, &r, &u, &errs) < 0) {
			reply_internal(c, "checking an account");
			goto out;
		}
	}
	if (errs.n) {
		reply_errors(c, 422, &errs);
		goto out;
	}
	if (!account_may_open(&c->who, in.role, in.region_code ? r.path : NULL, in.unit_id, in.unit_id ? u.region_path : NULL)) {
		reply_problem(c, 403, "forbidden", "没有权限开通这类账号");
		goto out;
	}
	in.login = b.login ? b.login : b.phone;
	in.name = b.name;
	in.phone = b.phone;
	rc = account_open(c->db, &c->actor, &in, code, &id);
	if (rc != ADMIN_OK) {
		reply_admin_error(c, rc);
		goto out;
	}
	resp_header(c->resp, "Cache-Control", "no-store");
	reply_json(c, 201, code_json(id, in.login, code));
out:
	spec_release(open_spec, &b);
}

void accounts_reset(struct call *c)
{
	struct account_place a;
	struct account acc;
	char code[ACCOUNT_CODE_BUF];
	int rc;

	if (managed_or_reply(c, &a) < 0)
		return;
	rc = account_reset(c->db, &c->actor, a.id, code);
	if (rc == ADMIN_OK && (rc = account_get(c->db, a.id, &acc)) != ACCOUNT_OK)
		rc = ADMIN_ERROR;
	if (rc != ADMIN_OK) {
		reply_admin_error(c, rc);
		return;
	}
	resp_header(c->resp, "Cache-Control", "no-store");
	reply_json(c, 200, code_json(a.id, acc.login, code));
}

static void set_disabled(struct call *c, bool disabled)
{
	struct account_place a;
	int rc;

	if (managed_or_reply(c, &a) < 0)
		return;
	rc = account_set_disabled(c->db, &c->actor, a.id, disabled);
	if (rc != ADMIN_OK)
		reply_admin_error(c, rc);
	else
		reply_json(c, 200, json_pack("{s:I, s:b}", "id", (json_int_t)a.id, "disabled", disabled));
}

void accounts_disable(struct call *c)
{
	set_disabled(c, true);
}

void accounts_enable(struct call *c)
{
	set_disabled(c, false);
}

/* A resident's sign-up: every grant waiting in the caller's reach is confirmed, or refused. */
static void decide(struct call *c, bool confirm)
{
	struct account_place a;
	int rc = ADMIN_NOT_PENDING;

	if (managed_or_reply(c, &a) < 0)
		return;
	for (size_t i = 0; i < a.ngrants; i++) {
		const struct grant *g = &a.grants[i];
		struct target t = { g->region_path, 0 };

		if (g->pending && authz_allows(&c->who, ACT_ACCOUNT_RESIDENT, &t)) {
			rc = account_confirm(c->db, &c->actor, a.id, g->region_code, confirm);
			if (rc != ADMIN_OK)
				break;
		}
	}
	if (rc != ADMIN_OK)
		reply_admin_error(c, rc);
	else
		reply_json(c, 200, json_pack("{s:I, s:s}", "id", (json_int_t)a.id, "outcome",
					     confirm ? "confirmed" : "refused"));
}

void accounts_confirm(struct call *c)
{
	decide(c, true);
}

void accounts_refuse(struct call *c)
{
	decide(c, false);
}
