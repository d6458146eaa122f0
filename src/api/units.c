/* units.c: employer units: listed within the caller's scope, created and edited by admin and org */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/out.h"
#include "base/valid.h"
#include "base/xalloc.h"
#include "domain/region.h"
#include "domain/unit.h"

struct unit_body {
	char *name;
	char *party_org_name;
	char *type;
	char *region_code;
	char *contact_name;
	char *contact_phone;
};

static const struct spec_field unit_spec[] = {
	SPEC(struct unit_body, name, SPEC_STR, SPEC_REQUIRED, 1, UNIT_NAME_MAX),
	SPEC(struct unit_body, party_org_name, SPEC_STR, SPEC_REQUIRED, 1, UNIT_NAME_MAX),
	SPEC_CHOICE(struct unit_body, type, SPEC_REQUIRED, unit_types),
	SPEC(struct unit_body, region_code, SPEC_STR, SPEC_REQUIRED, 1, 18),
	SPEC(struct unit_body, contact_name, SPEC_STR, 0, 0, UNIT_CONTACT_MAX),
	SPEC(struct unit_body, contact_phone, SPEC_STR, 0, 0, UNIT_PHONE_MAX),
	{ 0 },
};

static const char *const region_levels[] = { "city", "district", "street", "community" };

/*
 * Reads and checks the body into u: the phone's format and the region (which
 * must exist at city to community level); every field error in one answer.
 */
static int read_unit_or_reply(struct call *c, struct unit *u)
{
	struct unit_body b = { 0 };
	struct field_errors errs = { 0 };
	struct region r;
	int rc, level_ok = 0;

	if (call_body_read_or_reply(c, unit_spec, &b, &errs) < 0) {
		spec_release(unit_spec, &b);
		return -1;
	}
	if (b.contact_phone && *b.contact_phone && !field_errors_has(&errs, "contact_phone") &&
	    !valid_phone(b.contact_phone))
		field_errors_add(&errs, "contact_phone", "format", "应为手机号（11 位）或固定电话（如 020-12345678）");
	rc = b.region_code && !field_errors_has(&errs, "region_code") && valid_digits(b.region_code, 12, 12) ? region_get(c->db, b.region_code, &r)
								  : REGION_NOT_FOUND;
	if (rc == REGION_OK)
		for (size_t i = 0; i < sizeof(region_levels) / sizeof(region_levels[0]); i++)
			level_ok |= !strcmp(r.level, region_levels[i]);
	if (b.region_code && !field_errors_has(&errs, "region_code") && (rc == REGION_NOT_FOUND || (rc == REGION_OK && !level_ok)))
		field_errors_add(&errs, "region_code", "not_found", "应为存在的市、区、街道或社区代码");
	if (rc == REGION_ERROR) {
		reply_internal(c, "reading a region");
	} else if (errs.n) {
		reply_errors(c, 422, &errs);
	} else {
		str_copy(u->name, sizeof(u->name), b.name);
		str_copy(u->party_org_name, sizeof(u->party_org_name), b.party_org_name);
		str_copy(u->type, sizeof(u->type), b.type);
		str_copy(u->region_code, sizeof(u->region_code), r.code);
		str_copy(u->region_name, sizeof(u->region_name), r.name);
		str_copy(u->region_path, sizeof(u->region_path), r.path);
		str_copy(u->contact_name, sizeof(u->contact_name), b.contact_name ? b.contact_name : "");
		str_copy(u->contact_phone, sizeof(u->contact_phone), b.contact_phone ? b.contact_phone : "");
	}
	spec_release(unit_spec, &b);
	return rc == REGION_OK && !errs.n ? 0 : -1;
}

static struct target unit_target(const struct unit *u)
{
	return (struct target){ u->region_path, u->id };
}

/* The unit of path parameter 0, if the caller may read it; 404 otherwise (its existence is not told). */
static int readable_or_reply(struct call *c, struct unit *u)
{
	int64_t id;
	struct target t;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = unit_get(c->db, id, u);
	if (rc == UNIT_OK) {
		t = unit_target(u);
		if (authz_allows(&c->who, ACT_UNIT_READ, &t))
			return 0;
	}
	if (rc == UNIT_ERROR)
		reply_internal(c, "reading a unit");
	else
		reply_problem(c, 404, "not_found", "找不到该单位");
	return -1;
}

void units_list(struct call *c)
{
	struct unit_filter f = { 0 };
	struct scope scope;
	struct unit *items;
	size_t n;
	int64_t total;
	json_t *arr;

	if (call_query_or_reply(c, "q", 50, &f.q) < 0 || call_query_or_reply(c, "type", 16, &f.type) < 0 ||
	    call_query_or_reply(c, "region", 18, &f.region) < 0 || call_page_or_reply(c, &f.page, &f.per_page) < 0)
		return;
	authz_scope(&c->who, ACT_UNIT_READ, &scope);
	if (unit_list(c->db, &scope, &f, &items, &n, &total) != UNIT_OK) {
		reply_internal(c, "listing units");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, unit_json(&items[i]));
	free(items);
	reply_json(c, 200, page_json(arr, total, f.page, f.per_page));
}

/*
 * The units of the city a member may name as their employer: id, name and where it is
 * registered, nothing of its contact. At most 20, by name; q narrows by name.
 */
void units_directory(struct call *c)
{
	struct unit_filter f = { .page = 1, .per_page = 20 };
	struct scope scope;
	struct unit *items;
	size_t n;
	int64_t total;
	json_t *arr;

	if (call_query_or_reply(c, "q", 50, &f.q) < 0)
		return;
	authz_scope(&c->who, ACT_UNIT_PICK, &scope);
	if (unit_list(c->db, &scope, &f, &items, &n, &total) != UNIT_OK) {
		reply_internal(c, "listing the unit directory");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)items[i].id, "name",
						     items[i].name, "region_name", items[i].region_name));
	free(items);
	reply_json(c, 200, json_pack("{s:o, s:I}", "items", arr, "total", (json_int_t)total));
}

void units_get(struct call *c)
{
	struct unit u;

	if (readable_or_reply(c, &u) == 0)
		reply_json(c, 200, unit_json(&u));
}

static void reply_write(struct call *c, int rc, int status, const struct unit *u)
{
	if (rc == UNIT_OK)
		reply_json(c, status, unit_json(u));
	else if (rc == UNIT_DUPLICATE)
		reply_field(c, 409, "name", "duplicate", "已有同名的单位");
	else if (rc == UNIT_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该单位");
	else
		reply_internal(c, "writing a unit");
}

void units_create(struct call *c)
{
	struct unit u = { 0 };
	struct target t;

	if (read_unit_or_reply(c, &u) < 0)
		return;
	t = (struct target){ u.region_path, 0 };
	if (call_allow_or_reply(c, ACT_UNIT_WRITE, &t) < 0)
		return;
	reply_write(c, unit_create(c->db, &c->actor, &u), 201, &u);
}

void units_update(struct call *c)
{
	struct unit old, u = { 0 };
	struct target t;

	if (readable_or_reply(c, &old) < 0)
		return;
	t = unit_target(&old);
	if (call_allow_or_reply(c, ACT_UNIT_WRITE, &t) < 0 || read_unit_or_reply(c, &u) < 0)
		return;
	/* Moving a unit needs the right at its new place too. */
	t = (struct target){ u.region_path, 0 };
	if (call_allow_or_reply(c, ACT_UNIT_WRITE, &t) < 0)
		return;
	u.id = old.id;
	u.created_at = old.created_at;
	reply_write(c, unit_update(c->db, &c->actor, &u), 200, &u);
}
