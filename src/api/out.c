/* out.c: JSON views of regions, units, audit entries and the signed-in account */
#include "api/out.h"

#include <stdlib.h>
#include <string.h>

json_t *region_json(const struct region *r)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s?, s:b}", "code", r->code, "name", r->name, "full_name",
			 r->full_name, "level", r->level, "parent", r->parent[0] ? r->parent : NULL, "has_children",
			 r->has_children);
}

json_t *region_brief_json(const struct region *r)
{
	return json_pack("{s:s, s:s, s:s}", "code", r->code, "name", r->name, "level", r->level);
}

json_t *unit_json(const struct unit *u)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "id", (json_int_t)u->id, "name",
			 u->name, "party_org_name", u->party_org_name, "type", u->type, "region_code",
			 u->region_code, "region_name", u->region_name, "contact_name", u->contact_name,
			 "contact_phone", u->contact_phone, "created_at", (json_int_t)u->created_at, "updated_at",
			 (json_int_t)u->updated_at);
}

json_t *audit_row_json(const struct audit_row *r)
{
	return json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)r->id, "at",
			 (json_int_t)r->at, "account_id", (json_int_t)r->account_id, "account_login",
			 r->account_login, "action", r->action, "target_type", r->target_type, "target_id",
			 r->target_id, "outcome", r->outcome, "client_addr", r->client);
}

static json_t *grant_json(struct db *db, const struct grant *g)
{
	json_t *o = json_pack("{s:s, s:n, s:n, s:n}", "role", role_name(g->role), "region", "region_path", "unit");
	struct region r;

	if (g->region_code[0] && region_get(db, g->region_code, &r) == REGION_OK) {
		struct region *anc;
		size_t n;
		json_t *path = json_array();

		if (region_ancestors(db, &r, &anc, &n) != REGION_OK) {
			json_decref(path);
			json_decref(o);
			return NULL;
		}
		for (size_t i = 0; i < n; i++)
			json_array_append_new(path, region_brief_json(&anc[i]));
		json_array_append_new(path, region_brief_json(&r));
		free(anc);
		json_object_set_new(o, "region", region_brief_json(&r));
		json_object_set_new(o, "region_path", path);
	}
	if (g->unit_id) {
		struct unit u;

		if (unit_get(db, g->unit_id, &u) == UNIT_OK)
			json_object_set_new(o, "unit", json_pack("{s:I, s:s}", "id", (json_int_t)u.id, "name", u.name));
	}
	return o;
}

json_t *me_json(struct db *db, const struct account *a, const struct principal *p)
{
	json_t *roles = json_array();

	for (size_t i = 0; i < p->ngrants; i++) {
		json_t *g = grant_json(db, &p->grants[i]);

		if (!g) {
			json_decref(roles);
			return NULL;
		}
		json_array_append_new(roles, g);
	}
	return json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)a->id, "login", a->login, "name", a->name,
			 "phone", a->phone, "roles", roles);
}
