/* rules.c: point rules: the versions that govern a region, a new version by an org (the default by admin), its preview */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "base/clock.h"
#include "base/valid.h"
#include "domain/catalog.h"
#include "domain/earning.h"
#include "domain/region.h"

static json_t *terms_json(const struct rule_terms *t)
{
	json_t *o = json_object();
	char key[32];

	for (int i = 0; i < RULE_CATEGORIES; i++) {
		snprintf(key, sizeof(key), "%s_per_service", catalog_categories[i]);
		json_object_set_new(o, key, json_integer((json_int_t)t->per_service[i]));
		snprintf(key, sizeof(key), "%s_per_hour", catalog_categories[i]);
		json_object_set_new(o, key, json_integer((json_int_t)t->per_hour[i]));
	}
	json_object_set_new(o, "cap_record", json_integer((json_int_t)t->cap_record));
	json_object_set_new(o, "cap_day", json_integer((json_int_t)t->cap_day));
	json_object_set_new(o, "bonus_wish", json_integer((json_int_t)t->bonus_wish));
	json_object_set_new(o, "bonus_post", json_integer((json_int_t)t->bonus_post));
	json_object_set_new(o, "bonus_lead", json_integer((json_int_t)t->bonus_lead));
	json_object_set_new(o, "qualified_points", json_integer((json_int_t)t->tier_points[0]));
	json_object_set_new(o, "qualified_services", json_integer((json_int_t)t->tier_services[0]));
	json_object_set_new(o, "excellent_points", json_integer((json_int_t)t->tier_points[1]));
	json_object_set_new(o, "excellent_services", json_integer((json_int_t)t->tier_services[1]));
	json_object_set_new(o, "pioneer_points", json_integer((json_int_t)t->tier_points[2]));
	json_object_set_new(o, "pioneer_services", json_integer((json_int_t)t->tier_services[2]));
	json_object_set_new(o, "year_min_services", json_integer((json_int_t)t->year_min_services));
	json_object_set_new(o, "quiet_days", json_integer((json_int_t)t->quiet_days));
	json_object_set_new(o, "star_mode", json_string(t->star_mode == STARS_THRESHOLDS ? "thresholds" : "shares"));
	for (int k = 1; k <= 5; k++) {
		snprintf(key, sizeof(key), "star%d", k);
		json_object_set_new(o, key, json_integer((json_int_t)t->stars[k - 1]));
	}
	return o;
}

static json_t *rule_json(const struct rule *r)
{
	return json_pack("{s:I, s:s?, s:s?, s:s, s:s, s:I, s:o}", "id", (json_int_t)r->id, "region_code",
			 r->region_code[0] ? r->region_code : NULL, "region_name",
			 r->region_code[0] ? r->region_name : NULL, "effective_on", r->effective_on, "note", r->note,
			 "created_at", (json_int_t)r->created_at, "terms", terms_json(&r->t));
}

/* The region of the query or body: a code in the caller's reach (for rule reading), or "" for the default. */
static int region_or_reply(struct call *c, const char *code, enum action a, struct region *r, bool body)
{
	int rc = valid_digits(code, 12, 18) ? region_get(c->db, code, r) : REGION_NOT_FOUND;

	if (rc == REGION_OK && !authz_allows(&c->who, a, &(struct target){ r->path, 0 }))
		rc = REGION_NOT_FOUND; /* outside the reach is told as not there */
	if (rc == REGION_OK && strcmp(r->level, "city") && strcmp(r->level, "district") && strcmp(r->level, "street") &&
	    (body || strcmp(r->level, "community")))
		rc = REGION_BAD_LEVEL;
	if (rc == REGION_NOT_FOUND) {
		if (body)
			reply_field(c, 422, "region_code", "not_found", "找不到该区划");
		else
			reply_query(c, "region", "not_found", "找不到该区划");
	} else if (rc == REGION_BAD_LEVEL) {
		if (body)
			reply_field(c, 422, "region_code", "level", "积分规则由市、区或街道制定");
		else
			reply_query(c, "region", "level", "积分规则按市、区、街道或社区查看");
	} else if (rc != REGION_OK) {
		reply_internal(c, "reading a region");
	}
	return rc == REGION_OK ? 0 : -1;
}

/* GET /rules?region=: the version in force there today, and every version of the region and those above it. */
void rules_list(struct call *c)
{
	const char *code;
	char today[11];
	struct region r, *above = NULL;
	struct rule now, *items = NULL;
	size_t nabove = 0, n;
	json_t *levels;

	if (call_query_or_reply(c, "region", 18, &code) < 0)
		return;
	if (!code && !(principal_roles(&c->who) & ROLE_BIT(ROLE_ADMIN))) {
		reply_query(c, "region", "required", "请指定区划");
		return;
	}
	if (code && region_or_reply(c, code, ACT_STANDING_READ, &r, false) < 0)
		return;
	clock_date(clock_now(), today);
	if ((code && region_ancestors(c->db, &r, &above, &nabove) < 0) ||
	    rule_for(c->db, code ? r.path : "/", today, &now) != RULE_OK) {
		free(above);
		reply_internal(c, "reading rules");
		return;
	}
	/* The default first, then each region from the city down to the one asked, with its versions. */
	levels = json_array();
	for (size_t i = 0; i <= nabove + (code != NULL) && levels; i++) {
		const struct region *at = i == 0 ? NULL : i <= nabove ? &above[i - 1] : &r;
		json_t *versions;

		if (at && !strcmp(at->level, "community"))
			break;
		versions = json_array();
		if (rule_list(c->db, at ? at->code : "", &items, &n) != RULE_OK) {
			json_decref(versions);
			json_decref(levels);
			levels = NULL;
		} else {
			for (size_t k = 0; k < n; k++)
				versions = json_push(versions, rule_json(&items[k]));
			levels = json_push(levels, json_pack("{s:s?, s:s?, s:s?, s:o, s:b}", "region_code",
							     at ? at->code : NULL, "region_name", at ? at->name : NULL,
							     "level", at ? at->level : NULL, "versions", versions,
							     "editable",
							     at ? authz_allows(&c->who, ACT_RULE_EDIT,
									       &(struct target){ at->path, 0 })
								: authz_allows(&c->who, ACT_RULE_EDIT,
									       &(struct target){ NULL, 0 })));
		}
		free(items);
	}
	free(above);
	reply_json(c, 200, levels ? json_pack("{s:s, s:o, s:o}", "today", today, "in_force", rule_json(&now), "levels",
					      levels)
				  : NULL);
}

struct rule_body {
	char *region_code, *effective_on, *note, *star_mode;
	long long welfare_per_service, welfare_per_hour, post_per_service, post_per_hour, activity_per_service,
		activity_per_hour, affairs_per_service, affairs_per_hour, cap_record, cap_day, bonus_wish, bonus_post,
		bonus_lead, qualified_points, qualified_services, excellent_points, excellent_services, pioneer_points,
		pioneer_services, year_min_services, star1, star2, star3, star4, star5, quiet_days;
};

#define RULE_INT(m) SPEC(struct rule_body, m, SPEC_INT, SPEC_REQUIRED, 0, RULE_VALUE_MAX)
static const struct spec_field rule_spec[] = {
	SPEC(struct rule_body, region_code, SPEC_STR, 0, 0, 18),
	SPEC(struct rule_body, effective_on, SPEC_STR, SPEC_REQUIRED, 10, 10),
	SPEC(struct rule_body, note, SPEC_STR, 0, 0, RULE_NOTE_MAX),
	SPEC_CHOICE(struct rule_body, star_mode, SPEC_REQUIRED, ((const char *const[]){ "thresholds", "shares", NULL })),
	RULE_INT(welfare_per_service), RULE_INT(welfare_per_hour), RULE_INT(post_per_service), RULE_INT(post_per_hour),
	RULE_INT(activity_per_service), RULE_INT(activity_per_hour), RULE_INT(affairs_per_service),
	RULE_INT(affairs_per_hour), RULE_INT(cap_record), RULE_INT(cap_day), RULE_INT(bonus_wish), RULE_INT(bonus_post),
	RULE_INT(bonus_lead), RULE_INT(qualified_points), RULE_INT(qualified_services), RULE_INT(excellent_points),
	RULE_INT(excellent_services), RULE_INT(pioneer_points), RULE_INT(pioneer_services),
	RULE_INT(year_min_services), RULE_INT(star1), RULE_INT(star2), RULE_INT(star3), RULE_INT(star4),
	RULE_INT(star5),
	/* Optional, for clients written before it: RULE_QUIET_DEFAULT when absent. */
	SPEC(struct rule_body, quiet_days, SPEC_INT, 0, RULE_QUIET_MIN, RULE_QUIET_MAX),
	{ 0 },
};

static struct rule_terms body_terms(const struct rule_body *b)
{
	return (struct rule_terms){
		.per_service = { b->welfare_per_service, b->post_per_service, b->activity_per_service,
				 b->affairs_per_service },
		.per_hour = { b->welfare_per_hour, b->post_per_hour, b->activity_per_hour, b->affairs_per_hour },
		.cap_record = b->cap_record,
		.cap_day = b->cap_day,
		.bonus_wish = b->bonus_wish,
		.bonus_post = b->bonus_post,
		.bonus_lead = b->bonus_lead,
		.tier_points = { b->qualified_points, b->excellent_points, b->pioneer_points },
		.tier_services = { b->qualified_services, b->excellent_services, b->pioneer_services },
		.year_min_services = b->year_min_services,
		.star_mode = b->star_mode && !strcmp(b->star_mode, "thresholds") ? STARS_THRESHOLDS : STARS_SHARES,
		.stars = { b->star1, b->star2, b->star3, b->star4, b->star5 },
		.quiet_days = b->quiet_days,
	};
}

static void rule_write(struct call *c, bool preview)
{
	struct rule_body b = { .quiet_days = RULE_QUIET_DEFAULT };
	struct field_errors errs = { 0 };
	struct rule_terms t;
	struct region r;
	bool dflt;
	int64_t id = 0, changed = 0;
	int rc;

	if (call_body_read_or_reply(c, rule_spec, &b, &errs) < 0)
		goto out;
	dflt = !b.region_code || !*b.region_code;
	if (errs.n) {
		reply_errors(c, 422, &errs);
		goto out;
	}
	if (dflt && call_allow_or_reply(c, ACT_RULE_EDIT, &(struct target){ NULL, 0 }) < 0)
		goto out;
	if (!dflt && region_or_reply(c, b.region_code, ACT_RULE_EDIT, &r, true) < 0)
		goto out;
	t = body_terms(&b);
	if (preview) {
		struct rule_preview p;

		rc = earning_rule_preview(c->db, &c->actor, dflt ? NULL : r.code, dflt ? NULL : r.path, b.effective_on, &t,
					  &errs, &p);
		if (rc == EARNING_OK)
			reply_json(c, 200,
				   json_pack("{s:s, s:I, s:I, s:{s:I, s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:I}}", "period",
					     p.period, "total", (json_int_t)p.total, "changed", (json_int_t)p.changed,
					     "before", "none", (json_int_t)p.before[0], "qualified",
					     (json_int_t)p.before[1], "excellent", (json_int_t)p.before[2], "pioneer",
					     (json_int_t)p.before[3], "after", "none", (json_int_t)p.after[0], "qualified",
					     (json_int_t)p.after[1], "excellent", (json_int_t)p.after[2], "pioneer",
					     (json_int_t)p.after[3]));
	} else {
		rc = earning_rule_add(c->db, &c->actor, dflt ? NULL : r.code, dflt ? NULL : r.path, b.effective_on, &t,
				      b.note, &errs, &id, &changed);
		if (rc == EARNING_OK) {
			struct rule saved;

			if (rule_get(c->db, id, &saved) != RULE_OK)
				reply_internal(c, "reading the new rule");
			else
				reply_json(c, 201, json_pack("{s:o, s:I}", "rule", rule_json(&saved), "retiered",
							     (json_int_t)changed));
		}
	}
	if (rc == EARNING_INVALID)
		reply_errors(c, 422, &errs);
	else if (rc != EARNING_OK)
		reply_internal(c, preview ? "previewing a rule" : "adding a rule");
out:
	spec_release(rule_spec, &b);
}

void rules_create(struct call *c)
{
	rule_write(c, false);
}

void rules_preview(struct call *c)
{
	rule_write(c, true);
}
