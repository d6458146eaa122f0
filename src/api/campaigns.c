/* campaigns.c: door-to-door campaigns (一户不落): staff define and follow them; members walk their buildings on the phone */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/records.h"
#include "base/valid.h"
#include "domain/campaign.h"
#include "domain/post.h"

static const char *const states[] = { "draft", "active", "closed", NULL };

static json_t *tally_json(const struct campaign_tally *t)
{
	const int64_t final = t->marked[MARK_VISITED] + t->marked[MARK_DECLINED] + t->marked[MARK_EMPTY];

	/* complete: every household has a final mark (nobody home is not one: they are to be visited again) */
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b}", "households", (json_int_t)t->households, "todo",
			 (json_int_t)t->todo, "visited", (json_int_t)t->marked[MARK_VISITED], "absent",
			 (json_int_t)t->marked[MARK_ABSENT], "declined", (json_int_t)t->marked[MARK_DECLINED], "empty",
			 (json_int_t)t->marked[MARK_EMPTY], "final", (json_int_t)final, "complete",
			 t->households > 0 && final == t->households);
}

static json_t *fields_json(const struct catalog_field *fields, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++) {
		json_t *choices = json_array();
		char *copy = xstrdup(fields[i].choices), *save = NULL;

		for (char *s = strtok_r(copy, "\n", &save); s; s = strtok_r(NULL, "\n", &save))
			choices = json_push(choices, json_string(s));
		free(copy);
		arr = json_push(arr, json_pack("{s:s, s:s, s:b, s:o}", "name", fields[i].name, "type",
					       catalog_field_type_name(fields[i].type), "required", fields[i].required,
					       "choices", choices));
	}
	return arr;
}

static json_t *campaign_json(const struct campaign *c)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:o, s:I, s:I, s:o, s:I, s:I}", "id",
			 (json_int_t)c->id, "region_code", c->region_code, "region_name", c->region_name, "title", c->title,
			 "description", c->description, "item_id", (json_int_t)c->item_id, "item_name", c->item_name,
			 "state", c->state, "starts_on", c->starts_on, "ends_on", c->ends_on, "fields",
			 fields_json(c->fields, c->nfields), "stretches", (json_int_t)c->stretches, "assigned",
			 (json_int_t)c->assigned, "tally", tally_json(&c->tally), "created_at", (json_int_t)c->created_at,
			 "updated_at", (json_int_t)c->updated_at);
}

static json_t *stretch_json(const struct campaign_stretch *s)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:I}", "id", (json_int_t)s->id,
			      "campaign_id", (json_int_t)s->campaign_id, "campaign_title", s->campaign_title,
			      "campaign_state", s->campaign_state, "building_code", s->building_code, "building_name",
			      s->building_name, "grid_name", s->grid_name, "community_name", s->community_name, "unit_no",
			      s->unit_no, "tally",
			      tally_json(&s->tally), "updated_at", (json_int_t)s->updated_at);

	if (o) {
		json_object_set_new(o, "member_id", s->member_id ? json_integer(s->member_id) : json_null());
		json_object_set_new(o, "member_name", s->member_id ? json_string(s->member_name) : json_null());
		json_object_set_new(o, "record_id", s->record_id ? json_integer(s->record_id) : json_null());
		json_object_set_new(o, "item_id", json_integer(s->item_id));
	}
	return o;
}

static void reply_campaign_error(struct call *c, int rc, const struct field_errors *errs)
{
	switch (rc) {
	case CAMPAIGN_INVALID:
		reply_errors(c, 422, errs);
		break;
	case CAMPAIGN_NOT_FOUND:
		reply_problem(c, 404, "not_found", "找不到该行动");
		break;
	case CAMPAIGN_BAD_STATE:
		reply_problem(c, 409, "state", "该行动现在不能这样做");
		break;
	case CAMPAIGN_NOT_YOURS:
		reply_problem(c, 403, "forbidden", "这不是分给你的楼栋");
		break;
	case CAMPAIGN_DUPLICATE:
		reply_problem(c, 409, "duplicate", "这栋楼的走访已经记过服务时长");
		break;
	case CAMPAIGN_OVERLAP:
		reply_field(c, 409, "minutes", "overlap", "这段时间你已有其他服务记录，请改一下用时");
		break;
	default:
		reply_internal(c, "writing a campaign");
	}
}

/* Whether the caller runs (manage) or follows campaigns of the region at path. */
static bool may(struct call *c, bool manage, const char *path)
{
	return authz_allows(&c->who, manage ? ACT_SERVE_MANAGE : ACT_SERVE_READ, &(struct target){ path, 0 });
}

/* Campaign {id} (path parameter 0) in the caller's reach (manage: to run it); 404 otherwise. */
static int campaign_or_reply(struct call *c, bool manage, struct campaign *out)
{
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = campaign_get(c->db, id, out);
	if (rc == CAMPAIGN_OK && !may(c, manage, out->region_path))
		rc = CAMPAIGN_NOT_FOUND;
	if (rc != CAMPAIGN_OK)
		reply_campaign_error(c, rc, NULL);
	return rc == CAMPAIGN_OK ? 0 : -1;
}

/* The caller's member file when they walk stretch s; 0 for anyone else. */
static int64_t walker_of(struct call *c, const struct campaign_stretch *s)
{
	struct post_member m;

	return s->member_id && post_acting_member(c->db, c->actor.account_id, &m) == POST_OK &&
			       m.member_id == s->member_id
		       ? m.member_id
		       : 0;
}

/*
 * Stretch {id} (path parameter 0) when the caller may see it: staff over its
 * campaign (manage: who run it), or, walker, the member walking it; 404
 * otherwise. *member: the caller walking it (0: staff).
 */
static int stretch_or_reply(struct call *c, bool manage, bool walker, struct campaign_stretch *s, struct campaign *cp,
			    int64_t *member)
{
	int64_t id;
	int rc;

	*member = 0;
	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = campaign_stretch_get(c->db, id, s);
	if (rc == CAMPAIGN_OK)
		rc = campaign_head(c->db, s->campaign_id, cp);
	if (rc == CAMPAIGN_OK && !may(c, manage, cp->region_path) && !(walker && (*member = walker_of(c, s))))
		rc = CAMPAIGN_NOT_FOUND;
	if (rc == CAMPAIGN_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该楼栋的走访");
	else if (rc != CAMPAIGN_OK)
		reply_internal(c, "reading a campaign stretch");
	return rc == CAMPAIGN_OK ? 0 : -1;
}

static void reply_campaign(struct call *c, int status, int64_t id)
{
	struct campaign *cp = xmalloc(sizeof(*cp));

	if (campaign_get(c->db, id, cp) != CAMPAIGN_OK)
		reply_internal(c, "reading a campaign");
	else
		reply_json(c, status, campaign_json(cp));
	free(cp);
}

/* GET /campaigns?region=&state=&page=&per_page=: the campaigns the caller follows, newest first. */
void campaigns_list(struct call *c)
{
	const char *region, *state;
	struct campaign_row *items;
	struct scope scope;
	int64_t page, per_page, total;
	size_t n;
	json_t *arr;

	if (call_query_or_reply(c, "region", 18, &region) < 0 || call_choice_or_reply(c, "state", states, &state) < 0 ||
	    call_page_or_reply(c, &page, &per_page) < 0)
		return;
	if (region && !valid_digits(region, 12, 18)) {
		reply_query(c, "region", "format", "应为区划代码");
		return;
	}
	authz_scope(&c->who, ACT_SERVE_READ, &scope);
	if (campaign_list(c->db, &scope, region, state, page, per_page, &items, &n, &total) != CAMPAIGN_OK) {
		reply_internal(c, "listing campaigns");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:o, s:I}", "id",
					       (json_int_t)items[i].id, "region_code", items[i].region_code,
					       "region_name", items[i].region_name, "title", items[i].title, "state",
					       items[i].state, "starts_on", items[i].starts_on, "ends_on",
					       items[i].ends_on, "stretches", (json_int_t)items[i].stretches, "assigned",
					       (json_int_t)items[i].assigned, "tally", tally_json(&items[i].tally),
					       "created_at", (json_int_t)items[i].created_at));
	free(items);
	reply_json(c, 200, page_json(arr, total, page, per_page));
}

struct campaign_body {
	char *region_code, *title, *description, *starts_on, *ends_on;
	long long item_id;
};

static const struct spec_field campaign_spec[] = {
	SPEC(struct campaign_body, region_code, SPEC_STR, SPEC_REQUIRED, 12, 18),
	SPEC(struct campaign_body, title, SPEC_STR, SPEC_REQUIRED, 1, CAMPAIGN_TITLE_MAX),
	SPEC(struct campaign_body, description, SPEC_STR, 0, 0, CAMPAIGN_TEXT_MAX),
	SPEC(struct campaign_body, item_id, SPEC_INT, SPEC_REQUIRED, 1, INT64_MAX),
	SPEC(struct campaign_body, starts_on, SPEC_STR, SPEC_REQUIRED, 10, 10),
	SPEC(struct campaign_body, ends_on, SPEC_STR, SPEC_REQUIRED, 10, 10),
	{ 0 },
};

/* POST /campaigns: a draft campaign of a community or street the caller runs, with its form asked at each door. */
void campaigns_create(struct call *c)
{
	struct field_errors errs = { 0 };
	struct campaign_body b = { 0 };
	struct campaign_input *in = xcalloc(1, sizeof(*in));
	struct region r;
	json_t *fields = NULL;
	int64_t id;
	int rc;

	if (call_body_read_or_reply(c, campaign_spec, &b, &errs) < 0)
		goto out;
	fields = serve_body_member(c, "fields", &errs);
	if (fields && (!json_is_array(fields) || json_array_size(fields) > CATALOG_FIELDS_MAX))
		field_errors_add(&errs, "fields", json_is_array(fields) ? "too_long" : "type",
				 json_is_array(fields) ? "最多 8 个登记项" : "应为列表");
	else if (fields)
		for (size_t i = 0; i < json_array_size(fields); i++)
			catalog_field_read(json_array_get(fields, i), i, &in->fields[in->nfields++], &errs);
	if (errs.n) {
		reply_errors(c, 422, &errs);
		goto out;
	}
	/* Out of the caller's reach reads as no such place: nothing tells them what lies beyond. */
	rc = region_get(c->db, b.region_code, &r);
	if (rc == REGION_OK && !may(c, true, r.path)) {
		reply_field(c, 422, "region_code", "not_found", "应为你所在的社区或街道");
		goto out;
	}
	in->region_code = b.region_code;
	in->title = b.title;
	in->description = b.description;
	in->starts_on = b.starts_on;
	in->ends_on = b.ends_on;
	in->item_id = b.item_id;
	rc = campaign_create(c->db, &c->actor, in, &errs, &id);
	if (rc != CAMPAIGN_OK)
		reply_campaign_error(c, rc, &errs);
	else
		reply_campaign(c, 201, id);
out:
	json_decref(fields);
	free(in);
	spec_release(campaign_spec, &b);
}

void campaigns_get(struct call *c)
{
	struct campaign *cp = xmalloc(sizeof(*cp));

	if (campaign_or_reply(c, false, cp) == 0)
		reply_json(c, 200, campaign_json(cp));
	free(cp);
}

static void move(struct call *c, int (*step)(struct db *, const struct actor *, int64_t))
{
	struct campaign *cp = xmalloc(sizeof(*cp));
	int rc;

	if (campaign_or_reply(c, true, cp) == 0) {
		rc = step(c->db, &c->actor, cp->id);
		if (rc != CAMPAIGN_OK)
			reply_campaign_error(c, rc, NULL);
		else
			reply_campaign(c, 200, cp->id);
	}
	free(cp);
}

void campaigns_publish(struct call *c)
{
	move(c, campaign_publish);
}

void campaigns_close(struct call *c)
{
	move(c, campaign_close);
}

struct buildings_body {
	struct str_list building_codes;
	bool by_unit;
};

static const struct spec_field buildings_spec[] = {
	SPEC_LIST(struct buildings_body, building_codes, SPEC_STRS, SPEC_REQUIRED, 12, 18, CAMPAIGN_BUILDINGS_MAX),
	SPEC(struct buildings_body, by_unit, SPEC_BOOL, 0, 0, 0),
	{ 0 },
};

/* POST /campaigns/{id}/buildings: buildings of its region walked, each by one member (by_unit: one a 单元). */
void campaigns_buildings(struct call *c)
{
	struct field_errors errs = { 0 };
	struct buildings_body b = { 0 };
	struct campaign *cp = xmalloc(sizeof(*cp));
	size_t added;
	int rc;

	if (campaign_or_reply(c, true, cp) == 0 && call_body_or_reply(c, buildings_spec, &b) == 0) {
		rc = campaign_add_buildings(c->db, &c->actor, cp->id, (const char *const *)b.building_codes.items,
					    b.building_codes.n, b.by_unit, &errs, &added);
		if (rc != CAMPAIGN_OK)
			reply_campaign_error(c, rc, &errs);
		else
			reply_json(c, 200, json_pack("{s:I}", "added", (json_int_t)added));
	}
	spec_release(buildings_spec, &b);
	free(cp);
}

/* Sums of stretches by a name (their grid's, their community's), in the order first met. */
struct sums {
	size_t n;
	const char **names;
	struct campaign_tally *tally;
};

static void sums_add(struct sums *s, const char *name, const struct campaign_tally *t)
{
	size_t g;

	for (g = 0; g < s->n && strcmp(s->names[g], name); g++)
		;
	if (g == s->n) {
		s->names[g] = name;
		memset(&s->tally[g], 0, sizeof(s->tally[g]));
		s->n++;
	}
	s->tally[g].households += t->households;
	s->tally[g].todo += t->todo;
	for (int k = 0; k < MARK_COUNT; k++)
		s->tally[g].marked[k] += t->marked[k];
}

static json_t *sums_json(const struct sums *s, const char *key)
{
	json_t *arr = json_array();

	for (size_t g = 0; g < s->n; g++)
		arr = json_push(arr, json_pack("{s:s, s:o}", key, s->names[g], "tally", tally_json(&s->tally[g])));
	return arr;
}

/*
 * GET /campaigns/{id}/coverage: the live page: the campaign's counts, each
 * grid's, and each stretch's (who walks it, how far they have come).
 */
void campaigns_coverage(struct call *c)
{
	struct campaign *cp = xmalloc(sizeof(*cp));
	struct campaign_stretch *items = NULL;
	struct sums grids = { 0 }, communities = { 0 };
	size_t n = 0;
	json_t *arr;

	if (campaign_or_reply(c, false, cp) < 0)
		goto out;
	if (campaign_stretches(c->db, cp->id, &items, &n) != CAMPAIGN_OK) {
		reply_internal(c, "reading a campaign's coverage");
		goto out;
	}
	grids = (struct sums){ 0, xcalloc(n + 1, sizeof(char *)), xcalloc(n + 1, sizeof(struct campaign_tally)) };
	communities = (struct sums){ 0, xcalloc(n + 1, sizeof(char *)), xcalloc(n + 1, sizeof(struct campaign_tally)) };
	arr = json_array();
	for (size_t i = 0; i < n; i++) {
		arr = json_push(arr, stretch_json(&items[i]));
		sums_add(&grids, items[i].grid_name, &items[i].tally);
		sums_add(&communities, items[i].community_name, &items[i].tally);
	}
	reply_json(c, 200, json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o}", "campaign_id", (json_int_t)cp->id, "title",
				     cp->title, "state", cp->state, "tally", tally_json(&cp->tally), "communities",
				     sums_json(&communities, "community_name"), "grids", sums_json(&grids, "grid_name"),
				     "stretches", arr));
out:
	free(grids.names);
	free(grids.tally);
	free(communities.names);
	free(communities.tally);
	free(items);
	free(cp);
}

/* GET /campaign-stretches/{id}/suggestions: who could walk it, those living in the building first, then its grid. */
void campaign_stretch_suggestions(struct call *c)
{
	struct campaign_suggestion out[CAMPAIGN_SUGGEST_MAX];
	struct campaign_stretch s;
	struct campaign *cp = xmalloc(sizeof(*cp));
	int64_t member;
	size_t n;
	json_t *arr;

	if (stretch_or_reply(c, true, false, &s, cp, &member) == 0) {
		if (campaign_suggest(c->db, s.id, out, &n) != CAMPAIGN_OK)
			reply_internal(c, "suggesting walkers");
		else {
			arr = json_array();
			for (size_t i = 0; i < n; i++)
				arr = json_push(arr, json_pack("{s:I, s:s, s:s, s:I}", "member_id",
							       (json_int_t)out[i].member_id, "name", out[i].name,
							       "near", out[i].near, "walking", (json_int_t)out[i].walking));
			reply_json(c, 200, json_pack("{s:o}", "items", arr));
		}
	}
	free(cp);
}

struct walker_body {
	long long member_id;
};

static const struct spec_field walker_spec[] = {
	SPEC(struct walker_body, member_id, SPEC_INT, SPEC_REQUIRED, 0, INT64_MAX),
	{ 0 },
};

/* PUT /campaign-stretches/{id}/member: who walks it (member_id 0: nobody). */
void campaign_stretch_member(struct call *c)
{
	struct field_errors errs = { 0 };
	struct walker_body b = { 0 };
	struct campaign_stretch s;
	struct campaign *cp = xmalloc(sizeof(*cp));
	int64_t member;
	int rc;

	if (stretch_or_reply(c, true, false, &s, cp, &member) == 0 && call_body_or_reply(c, walker_spec, &b) == 0) {
		rc = campaign_assign(c->db, &c->actor, s.id, b.member_id, &errs);
		if (rc != CAMPAIGN_OK)
			reply_campaign_error(c, rc, &errs);
		else if (campaign_stretch_get(c->db, s.id, &s) != CAMPAIGN_OK)
			reply_internal(c, "reading a campaign stretch");
		else
			reply_json(c, 200, stretch_json(&s));
	}
	free(cp);
}

/* GET /campaign-stretches/{id}/doors: its households and how each was found, for staff and for its walker. */
void campaign_stretch_doors(struct call *c)
{
	struct campaign_stretch s;
	struct campaign *cp = xmalloc(sizeof(*cp));
	struct campaign_door *items;
	int64_t member;
	size_t n;
	json_t *arr, *o;

	if (stretch_or_reply(c, false, true, &s, cp, &member) < 0)
		goto out;
	if (campaign_doors(c->db, s.id, &items, &n) != CAMPAIGN_OK) {
		reply_internal(c, "reading a stretch's doors");
		goto out;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++) {
		o = json_pack("{s:I, s:s, s:s, s:s, s:I, s:I}", "household_id", (json_int_t)items[i].household_id,
			      "unit_no", items[i].unit_no, "room", items[i].room, "state", items[i].state, "marks",
			      (json_int_t)items[i].marks, "updated_at", (json_int_t)items[i].updated_at);
		if (o)
			json_object_set_new(o, "floor", items[i].has_floor ? json_integer(items[i].floor) : json_null());
		arr = json_push(arr, o);
	}
	free(items);
	o = stretch_json(&s);
	if (o) {
		json_object_set_new(o, "fields", fields_json(cp->fields, cp->nfields));
		json_object_set_new(o, "doors", arr);
	} else
		json_decref(arr);
	reply_json(c, 200, o);
out:
	free(cp);
}

struct mark_body {
	char *mark, *note;
};

static const struct spec_field mark_spec[] = {
	SPEC_CHOICE(struct mark_body, mark, SPEC_REQUIRED, campaign_marks),
	SPEC(struct mark_body, note, SPEC_STR, 0, 0, CAMPAIGN_NOTE_MAX),
	{ 0 },
};

/*
 * POST /campaigns/{id}/households/{hid}/marks: how a household was found
 * (visited with the form's answers in "fields", nobody home, declined,
 * empty), by the member walking its stretch or by staff who run it.
 */
void campaigns_mark(struct call *c)
{
	struct field_errors errs = { 0 };
	struct mark_body b = { 0 };
	struct record_fields f = { 0 };
	struct campaign *cp = xmalloc(sizeof(*cp));
	struct post_member m;
	int64_t id, household, mark_id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0 || call_id_or_reply(c, 1, &household) < 0)
		goto out;
	rc = campaign_head(c->db, id, cp);
	if (rc == CAMPAIGN_ERROR) {
		reply_internal(c, "reading a campaign");
		goto out;
	}
	/* Staff who run it mark as the community; anyone else marks as their member file, or sees nothing. */
	bool staff = rc == CAMPAIGN_OK && may(c, true, cp->region_path);
	if (!staff && (rc != CAMPAIGN_OK || post_acting_member(c->db, c->actor.account_id, &m) != POST_OK ||
		       !m.approved)) {
		reply_campaign_error(c, CAMPAIGN_NOT_FOUND, NULL);
		goto out;
	}
	if (call_body_read_or_reply(c, mark_spec, &b, &errs) < 0)
		goto out;
	record_fields_read(c, &errs, &f);
	if (errs.n) {
		reply_errors(c, 422, &errs);
		goto out;
	}
	enum campaign_mark_kind kind = MARK_VISITED;

	while (strcmp(campaign_marks[kind], b.mark))
		kind++;
	struct campaign_mark_input in = { id, household, staff ? 0 : m.member_id, kind, b.note, f.n,
					  (const char *const *)f.names, (const char *const *)f.values };

	rc = campaign_mark(c->db, &c->actor, &in, &errs, &mark_id);
	/* A member's household that is not theirs to mark, or not in the campaign: nothing said about it. */
	if (rc == CAMPAIGN_NOT_YOURS || (rc == CAMPAIGN_NOT_FOUND && !staff))
		reply_problem(c, 404, "not_found", "你负责的楼栋里没有这一户");
	else if (rc == CAMPAIGN_NOT_FOUND)
		reply_problem(c, 404, "not_found", "本次行动里没有这一户");
	else if (rc != CAMPAIGN_OK)
		reply_campaign_error(c, rc, &errs);
	else
		reply_json(c, 201, json_pack("{s:I, s:I, s:s}", "id", (json_int_t)mark_id, "household_id",
					     (json_int_t)household, "state", b.mark));
out:
	record_fields_release(&f);
	spec_release(mark_spec, &b);
	free(cp);
}

struct done_body {
	long long minutes;
};

static const struct spec_field done_spec[] = {
	SPEC(struct done_body, minutes, SPEC_INT, SPEC_REQUIRED, 1, 24 * 60),
	{ 0 },
};

/*
 * POST /campaign-stretches/{id}/done: its walker has walked it; their
 * service record (the minutes, the item's extra fields) waits for the community.
 */
void campaign_stretch_done(struct call *c)
{
	struct field_errors errs = { 0 };
	struct record_fields f = { 0 };
	struct done_body b = { 0 };
	struct campaign_stretch s;
	struct campaign *cp = xmalloc(sizeof(*cp));
	int64_t member, record_id;
	int rc;

	if (stretch_or_reply(c, false, true, &s, cp, &member) < 0 || call_body_read_or_reply(c, done_spec, &b, &errs) < 0)
		goto out;
	if (!member) {
		reply_problem(c, 403, "forbidden", "只有负责这栋楼的党员可以提交走访");
		goto out;
	}
	record_fields_read(c, &errs, &f);
	if (errs.n) {
		reply_errors(c, 422, &errs);
		goto out;
	}
	struct campaign_walk w = { s.id, member, b.minutes, f.n, (const char *const *)f.names,
				   (const char *const *)f.values };

	rc = campaign_walk_done(c->db, &c->actor, &w, &errs, &record_id);
	if (rc == CAMPAIGN_BAD_STATE)
		reply_problem(c, 409, "state", "还有没走访的住户，全部标记后再提交");
	else if (rc != CAMPAIGN_OK)
		reply_campaign_error(c, rc, &errs);
	else if (campaign_stretch_get(c->db, s.id, &s) != CAMPAIGN_OK)
		reply_internal(c, "reading a campaign stretch");
	else
		reply_json(c, 200, stretch_json(&s));
out:
	record_fields_release(&f);
	free(cp);
}

/* GET /me/campaign-stretches: the buildings the caller walks in campaigns under way. */
void me_campaign_stretches(struct call *c)
{
	struct campaign_stretch *items;
	struct post_member m;
	size_t n = 0;
	json_t *arr = json_array();
	int rc = post_acting_member(c->db, c->actor.account_id, &m);

	if (rc == POST_ERROR) {
		reply_internal(c, "reading the member's file");
		json_decref(arr);
		return;
	}
	if (rc == POST_OK) {
		if (campaign_member_stretches(c->db, m.member_id, &items, &n) != CAMPAIGN_OK) {
			reply_internal(c, "reading the member's campaigns");
			json_decref(arr);
			return;
		}
		for (size_t i = 0; i < n; i++)
			arr = json_push(arr, stretch_json(&items[i]));
		free(items);
	}
	reply_json(c, 200, json_pack("{s:o}", "items", arr));
}
