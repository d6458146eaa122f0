/* out.c: JSON views of regions, units, audit entries and the signed-in account */
#include "api/out.h"
#include "domain/account_pref.h"

#include <stdlib.h>
#include <string.h>

json_t *region_json(const struct region *r)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s?, s:b}", "code", r->code, "name", r->name, "full_name",
			 r->full_name, "level", r->level, "parent", r->parent[0] ? r->parent : NULL, "has_children",
			 r->has_children);
}

json_t *region_path_names(struct db *db, const struct region *r)
{
	struct region *anc;
	size_t n;
	struct buf b = BUF_INIT;
	json_t *s;

	if (region_ancestors(db, r, &anc, &n) != REGION_OK)
		return NULL;
	for (size_t i = 0; i < n; i++)
		buf_addf(&b, "%s%s", i ? " › " : "", anc[i].name);
	free(anc);
	s = json_string(buf_str(&b));
	buf_release(&b);
	return s;
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
	return json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)r->id,
			 "at", (json_int_t)r->at, "account_id", (json_int_t)r->account_id, "account_login",
			 r->account_login, "account_name", r->account_name, "action", r->action, "target_type",
			 r->target_type, "target_id", r->target_id, "target_name", r->target_name, "outcome",
			 r->outcome, "client_addr", r->client, "detail", r->detail);
}

static void brief_write(struct jw *w, const struct region_brief *b)
{
	jw_object(w);
	jw_key(w, "code");
	jw_string(w, b->code);
	jw_key(w, "name");
	jw_string(w, b->name);
	jw_key(w, "level");
	jw_string(w, b->level);
	jw_end(w);
}

/* {role, region, region_path, unit}: the region with its path from the city down, or the unit. */
static int grant_write(struct jw *w, struct db *db, const struct grant *g)
{
	struct region_brief line[LINEAGE_MAX];
	size_t n = 0;
	struct unit u;

	if (g->region_path[0] && region_lineage(db, g->region_path, line, &n) == REGION_ERROR)
		return -1;
	jw_object(w);
	jw_key(w, "role");
	jw_string(w, role_name(g->role));
	jw_key(w, "pending");
	jw_bool(w, g->pending);
	jw_key(w, "region");
	if (n)
		brief_write(w, &line[n - 1]);
	else
		jw_null(w);
	jw_key(w, "region_path");
	if (g->region_path[0]) {
		jw_array(w);
		for (size_t i = 0; i < n; i++)
			brief_write(w, &line[i]);
		jw_end(w);
	} else {
		jw_null(w);
	}
	jw_key(w, "unit");
	if (g->unit_id && unit_get(db, g->unit_id, &u) == UNIT_OK) {
		jw_object(w);
		jw_key(w, "id");
		jw_int(w, u.id);
		jw_key(w, "name");
		jw_string(w, u.name);
		jw_end(w);
	} else {
		jw_null(w);
	}
	jw_end(w);
	return 0;
}

int me_write(struct jw *w, struct db *db, const struct account *a, const struct principal *p)
{
	jw_object(w);
	jw_key(w, "id");
	jw_int(w, a->id);
	jw_key(w, "login");
	jw_string(w, a->login);
	jw_key(w, "name");
	jw_string(w, a->name);
	jw_key(w, "phone");
	jw_string(w, a->phone);
	jw_key(w, "must_change_password");
	jw_bool(w, p->must_change_password);
	jw_key(w, "large_font"); /* staff's default for an elderly resident (account_pref) */
	jw_bool(w, account_large_font(db, a->id));
	jw_key(w, "roles");
	jw_array(w);
	for (size_t i = 0; i < p->ngrants; i++)
		if (grant_write(w, db, &p->grants[i]) < 0)
			return -1;
	jw_end(w);
	jw_end(w);
	return 0;
}

json_t *member_json(const struct member *m)
{
	char gender[2] = { m->gender, '\0' };
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)m->id,
			      "name", m->name, "gender", gender, "birth_date", m->birth_date, "phone", m->phone,
			      "id_number_masked", m->id_masked, "unit_id", (json_int_t)m->unit_id, "unit_name",
			      m->unit_name, "position", m->position, "party_branch", m->party_branch,
			      "joined_party_on", m->joined_party_on);

	json_t *rest = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:b, s:b, s:s, s:I, s:I}",
				 "community_code", m->community_code, "community_name", m->community_name,
				 "building_code", m->building_code, "building_name", m->building_name, "address",
				 m->address, "specialties", m->specialties, "preferred_posts", m->preferred_posts,
				 "plaque_hung", m->plaque_hung, "plaque_on", m->plaque_on, "roster_verified",
				 m->roster_verified, "has_account", m->account_id != 0, "state", m->state,
				 "created_at", (json_int_t)m->created_at, "updated_at", (json_int_t)m->updated_at);

	if (!o || !rest) {
		json_decref(o);
		json_decref(rest);
		return NULL;
	}
	if (json_object_update_new(o, rest) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *registration_json(const struct registration *r)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "id",
			 (json_int_t)r->id, "member_id", (json_int_t)r->member_id, "member_name", r->member_name,
			 "member_phone", r->member_phone, "id_number_masked", r->id_masked, "unit_name",
			 r->unit_name, "community_code", r->community_code, "community_name", r->community_name,
			 "state", r->state, "channel", r->channel, "from_community_name", r->from_community_name,
			 "reason", r->reason, "created_at", (json_int_t)r->created_at, "decided_at",
			 (json_int_t)r->decided_at);
}
