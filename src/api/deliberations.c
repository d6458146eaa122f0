/* deliberations.c: residents' deliberations (居民议事): staff run them and type in paper votes; a resident votes for their household */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "base/clock.h"
#include "domain/deliberation.h"
#include "domain/household.h"
#include "domain/photo.h"

static bool may_run(struct call *c, const char *path)
{
	return authz_allows(&c->who, ACT_DELIBERATION, &(struct target){ path, 0 });
}

/* The deliberation of path parameter 0 in the caller's reach (staff); 404 otherwise. d: caller's. */
static int deliberation_or_reply(struct call *c, struct deliberation *d)
{
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = deliberation_get(c->db, id, d);
	if (rc == DELIB_OK && !may_run(c, d->community_path))
		rc = DELIB_NOT_FOUND;
	if (rc == DELIB_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该议题");
	else if (rc != DELIB_OK)
		reply_internal(c, "reading a deliberation");
	return rc == DELIB_OK ? 0 : -1;
}

static void reply_error(struct call *c, int rc, const struct field_errors *errs)
{
	if (rc == DELIB_INVALID)
		reply_errors(c, 422, errs);
	else if (rc == DELIB_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该议题");
	else if (rc == DELIB_BAD_STATE)
		reply_problem(c, 409, "bad_state", "议题当前的状态不允许这样做");
	else if (rc == DELIB_TOO_EARLY)
		reply_problem(c, 409, "too_early", "还没到截止时间，表决仍在进行");
	else if (rc == DELIB_TOO_LATE)
		reply_problem(c, 409, "too_late", "已过截止时间");
	else if (rc == DELIB_AREA_MISSING)
		reply_problem(c, 409, "area_missing", "按面积表决：还有住户没有填写建筑面积");
	else if (rc == DELIB_NOT_COVERED)
		reply_field(c, 422, "household_id", "not_covered", "该户不在本次议事的范围内");
	else
		reply_internal(c, "writing a deliberation");
}

static json_t *fraction_json(const struct delib_fraction *f)
{
	return json_pack("{s:I, s:I, s:b}", "num", (json_int_t)f->num, "den", (json_int_t)f->den, "strict", f->strict);
}

static json_t *tally_json(const struct deliberation_count *c, size_t noptions, const struct delib_rule *r)
{
	const struct delib_tally *t = &c->tally;
	const int64_t hh = r->of_voting ? t->voted : t->households, area = r->of_voting ? t->voted_area : t->area;
	json_t *by = json_array();

	for (size_t k = 0; k < noptions; k++)
		by = json_push(by, json_integer(c->by_option[k]));
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:I, s:I, s:I, s:I}", "households",
			 (json_int_t)t->households, "area", (json_int_t)t->area, "area_missing",
			 (json_int_t)t->area_missing, "voted", (json_int_t)t->voted, "voted_area",
			 (json_int_t)t->voted_area, "agree", (json_int_t)t->agree, "agree_area", (json_int_t)t->agree_area,
			 "by_option", by, "needed", (json_int_t)delib_needed(&r->threshold, hh), "needed_area",
			 (json_int_t)delib_needed(&r->threshold, area), "quorum_needed",
			 (json_int_t)delib_needed(&r->quorum, t->households), "quorum_needed_area",
			 (json_int_t)delib_needed(&r->quorum, t->area));
}

/* The deliberation with its rule, options, live tally (per building with per_building) and outcome. */
static json_t *deliberation_json(struct call *c, const struct deliberation *d, bool per_building)
{
	struct deliberation_count all, *items;
	size_t n;
	json_t *o, *opts = json_array(), *bs = json_array();

	if (deliberation_tally(c->db, d->id, &all, &items, &n) != DELIB_OK) {
		json_decref(opts);
		json_decref(bs);
		return NULL;
	}
	for (size_t k = 0; k < d->noptions; k++)
		opts = json_push(opts, json_string(d->options[k]));
	for (size_t i = 0; per_building && i < n; i++)
		bs = json_push(bs, json_pack("{s:s, s:s, s:o}", "code", items[i].building_code, "name",
					     items[i].building_name, "tally",
					     tally_json(&items[i], d->noptions, &d->rule)));
	free(items);
	const bool final = !strcmp(d->state, "closed") || clock_now() >= d->deadline;
	const char *now = !strcmp(d->state, "cancelled") ? "open"
						 : delib_outcomes[delib_outcome_of(&d->rule, &all.tally, final)];
	o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:o, s:I, s:s, s:o, s:s, s:b, s:b, s:o, "
		      "s:I, s:I}",
		      "id", (json_int_t)d->id, "community_code", d->community_code, "community_name", d->community_name,
		      "title", d->title, "question", d->question, "minutes", d->minutes, "basis",
		      delib_bases[d->rule.basis], "threshold", fraction_json(&d->rule.threshold), "of_voting",
		      d->rule.of_voting, "quorum", fraction_json(&d->rule.quorum), "deadline", (json_int_t)d->deadline,
		      "state", d->state, "outcome", *d->outcome ? json_string(d->outcome) : json_null(), "outcome_now",
		      now, "threshold_met", delib_threshold_met(&d->rule, &all.tally), "quorum_met",
		      delib_quorum_met(&d->rule, &all.tally), "options", opts, "created_at", (json_int_t)d->created_at,
		      "updated_at", (json_int_t)d->updated_at);
	if (o) {
		json_object_set_new(o, "case_id", d->has_case ? json_integer(d->case_id) : json_null());
		char url[80];
		snprintf(url, sizeof(url), "/api/v1/deliberations/%lld/minutes/photo", (long long)d->id);
		json_object_set_new(o, "minutes_photo", d->has_photo ? json_string(url) : json_null());
		json_object_set_new(o, "opened_at", d->opened_at ? json_integer(d->opened_at) : json_null());
		json_object_set_new(o, "closed_at", d->closed_at ? json_integer(d->closed_at) : json_null());
		json_object_set_new(o, "tally", tally_json(&all, d->noptions, &d->rule));
		if (per_building)
			json_object_set_new(o, "buildings", bs);
		else
			json_decref(bs);
	} else
		json_decref(bs);
	return o;
}

static void reply_one(struct call *c, int status, int64_t id)
{
	struct deliberation *d = xmalloc(sizeof(*d));

	if (deliberation_get(c->db, id, d) != DELIB_OK)
		reply_internal(c, "reading a deliberation");
	else
		reply_json(c, status, deliberation_json(c, d, true));
	free(d);
}

struct deliberation_body {
	struct str_list building_codes;
	char *title, *question, *basis, *minutes;
	struct str_list options;
	long long threshold_num, threshold_den, quorum_num, quorum_den, deadline;
	bool threshold_strict, of_voting;
};

/* A new deliberation names its buildings first; an edit reads the spec from its second entry. */
static const struct spec_field deliberation_spec[] = {
	SPEC_LIST(struct deliberation_body, building_codes, SPEC_STRS, SPEC_REQUIRED, 12, 18, DELIB_BUILDINGS_MAX),
	SPEC(struct deliberation_body, title, SPEC_STR, SPEC_REQUIRED, 1, DELIB_TITLE_MAX),
	SPEC(struct deliberation_body, question, SPEC_STR, 0, 0, DELIB_QUESTION_MAX),
	SPEC(struct deliberation_body, minutes, SPEC_STR, 0, 0, DELIB_MINUTES_MAX),
	SPEC_LIST(struct deliberation_body, options, SPEC_STRS, 0, 1, DELIB_OPTION_MAX, DELIB_OPTIONS_MAX),
	SPEC_CHOICE(struct deliberation_body, basis, 0, delib_bases),
	SPEC(struct deliberation_body, threshold_num, SPEC_INT, 0, 1, DELIB_DEN_MAX),
	SPEC(struct deliberation_body, threshold_den, SPEC_INT, 0, 1, DELIB_DEN_MAX),
	SPEC(struct deliberation_body, threshold_strict, SPEC_BOOL, 0, 0, 0),
	SPEC(struct deliberation_body, of_voting, SPEC_BOOL, 0, 0, 0),
	SPEC(struct deliberation_body, quorum_num, SPEC_INT, 0, 0, DELIB_DEN_MAX),
	SPEC(struct deliberation_body, quorum_den, SPEC_INT, 0, 1, DELIB_DEN_MAX),
	SPEC(struct deliberation_body, deadline, SPEC_INT, SPEC_REQUIRED, 0, 4102444800LL),
	{ 0 },
};

/* Unset: households, two thirds (三分之二以上), no quorum, 同意/不同意/弃权. */
static struct deliberation_input input_of(const struct deliberation_body *b)
{
	struct deliberation_input in = { 0 };

	in.building_codes = (const char *const *)b->building_codes.items;
	in.nbuildings = b->building_codes.n;
	in.title = b->title;
	in.question = b->question;
	in.minutes = b->minutes;
	in.options = b->options.n ? (const char *const *)b->options.items : NULL;
	in.noptions = b->options.n;
	in.rule.basis = DELIB_HOUSEHOLDS;
	for (int k = 0; b->basis && k < DELIB_BASIS_COUNT; k++)
		if (!strcmp(b->basis, delib_bases[k]))
			in.rule.basis = (enum delib_basis)k;
	in.rule.threshold = b->threshold_den ? (struct delib_fraction){ b->threshold_num, b->threshold_den,
									 b->threshold_strict }
					     : (struct delib_fraction){ 2, 3, b->threshold_strict };
	in.rule.of_voting = b->of_voting;
	in.rule.quorum = (struct delib_fraction){ b->quorum_num, b->quorum_den ? b->quorum_den : 1, false };
	in.deadline = b->deadline;
	return in;
}

void deliberations_create(struct call *c)
{
	struct field_errors errs = { 0 };
	struct deliberation_body b = { 0 };
	struct region building, community;
	int64_t id;
	int rc;

	if (call_body_or_reply(c, deliberation_spec, &b) < 0)
		return;
	/* The community is the first building's; the caller must run it; the domain checks the others are in it. */
	rc = household_building(c->db, b.building_codes.n ? b.building_codes.items[0] : NULL, &building, &community);
	if (rc == HOUSEHOLD_OK && !may_run(c, community.path))
		rc = HOUSEHOLD_NOT_FOUND;
	if (rc == HOUSEHOLD_NOT_FOUND)
		reply_field(c, 422, "building_codes", "not_found", "应为本社区的楼栋");
	else if (rc != HOUSEHOLD_OK)
		reply_internal(c, "reading a building");
	else {
		struct deliberation_input in = input_of(&b);

		in.community_code = community.code;
		rc = deliberation_create(c->db, &c->actor, &in, &errs, &id);
		if (rc != DELIB_OK)
			reply_error(c, rc, &errs);
		else
			reply_one(c, 201, id);
	}
	spec_release(deliberation_spec, &b);
}

void deliberations_update(struct call *c)
{
	struct field_errors errs = { 0 };
	struct deliberation_body b = { 0 };
	struct deliberation *d = xmalloc(sizeof(*d));
	int rc;

	if (deliberation_or_reply(c, d) == 0 && call_body_or_reply(c, deliberation_spec + 1, &b) == 0) {
		struct deliberation_input in = input_of(&b);

		rc = deliberation_update(c->db, &c->actor, d->id, &in, &errs);
		if (rc != DELIB_OK)
			reply_error(c, rc, &errs);
		else
			reply_one(c, 200, d->id);
	}
	spec_release(deliberation_spec + 1, &b);
	free(d);
}

void deliberations_get(struct call *c)
{
	struct deliberation *d = xmalloc(sizeof(*d));

	if (deliberation_or_reply(c, d) == 0)
		reply_json(c, 200, deliberation_json(c, d, true));
	free(d);
}

void deliberations_remove(struct call *c)
{
	struct deliberation *d = xmalloc(sizeof(*d));
	int rc;

	if (deliberation_or_reply(c, d) == 0) {
		rc = deliberation_remove(c->db, &c->actor, d->id);
		if (rc != DELIB_OK)
			reply_error(c, rc, NULL);
		else
			reply_json(c, 204, NULL);
	}
	free(d);
}

static void change(struct call *c, int (*fn)(struct db *, const struct actor *, int64_t))
{
	struct deliberation *d = xmalloc(sizeof(*d));
	int rc;

	if (deliberation_or_reply(c, d) == 0) {
		rc = fn(c->db, &c->actor, d->id);
		if (rc != DELIB_OK)
			reply_error(c, rc, NULL);
		else
			reply_one(c, 200, d->id);
	}
	free(d);
}

void deliberations_open(struct call *c)
{
	change(c, deliberation_open);
}

void deliberations_close(struct call *c)
{
	change(c, deliberation_close);
}

void deliberations_cancel(struct call *c)
{
	change(c, deliberation_cancel);
}

struct minutes_body {
	char *minutes;
};
static const struct spec_field minutes_spec[] = {
	SPEC(struct minutes_body, minutes, SPEC_STR, SPEC_REQUIRED, 0, DELIB_MINUTES_MAX),
	{ 0 },
};

void deliberations_minutes(struct call *c)
{
	struct field_errors errs = { 0 };
	struct minutes_body b = { 0 };
	struct deliberation *d = xmalloc(sizeof(*d));
	int rc;

	if (deliberation_or_reply(c, d) == 0 && call_body_or_reply(c, minutes_spec, &b) == 0) {
		rc = deliberation_set_minutes(c->db, &c->actor, d->id, b.minutes, &errs);
		if (rc != DELIB_OK)
			reply_error(c, rc, &errs);
		else
			reply_one(c, 200, d->id);
	}
	spec_release(minutes_spec, &b);
	free(d);
}

struct area_body {
	long long area;
};
static const struct spec_field area_spec[] = {
	SPEC(struct area_body, area, SPEC_INT, SPEC_REQUIRED, 0, DELIB_AREA_MAX),
	{ 0 },
};

void deliberations_area(struct call *c)
{
	struct area_body b = { 0 };
	struct deliberation *d = xmalloc(sizeof(*d));
	int64_t hid;
	int rc;

	if (deliberation_or_reply(c, d) == 0 && call_id_or_reply(c, 1, &hid) == 0 &&
	    call_body_or_reply(c, area_spec, &b) == 0) {
		rc = deliberation_set_area(c->db, &c->actor, d->id, hid, b.area);
		if (rc == DELIB_NOT_COVERED)
			reply_problem(c, 404, "not_found", "该户不在本次议事的范围内");
		else if (rc != DELIB_OK)
			reply_error(c, rc, NULL);
		else
			reply_one(c, 200, d->id);
	}
	spec_release(area_spec, &b);
	free(d);
}

void deliberations_votes(struct call *c)
{
	struct deliberation *d = xmalloc(sizeof(*d));
	struct deliberation_ballot *items;
	size_t n;

	if (deliberation_or_reply(c, d) == 0) {
		if (deliberation_ballots(c->db, d->id, &items, &n) != DELIB_OK)
			reply_internal(c, "reading a deliberation's votes");
		else {
			json_t *arr = json_array();

			for (size_t i = 0; i < n; i++) {
				const struct deliberation_ballot *v = &items[i];
				json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:I}", "household_id",
						      (json_int_t)v->household_id, "building_code", v->building_code,
						      "building_name", v->building_name, "unit_no", v->unit_no, "room",
						      v->room, "votes", (json_int_t)v->votes, "recorded_by",
						      v->recorded_by, "note", v->note, "voted_at", (json_int_t)v->voted_at);
				if (o) {
					json_object_set_new(o, "area", v->has_area ? json_integer(v->area) : json_null());
					json_object_set_new(o, "choice", v->choice ? json_integer(v->choice) : json_null());
					json_object_set_new(o, "channel", *v->channel ? json_string(v->channel) : json_null());
				}
				arr = json_push(arr, o);
			}
			free(items);
			reply_json(c, 200, arr ? json_pack("{s:o}", "items", arr) : NULL);
		}
	}
	free(d);
}

struct vote_body {
	long long household_id, choice;
	char *note;
};
static const struct spec_field paper_spec[] = {
	SPEC(struct vote_body, household_id, SPEC_INT, SPEC_REQUIRED, 1, INT64_MAX),
	SPEC(struct vote_body, choice, SPEC_INT, SPEC_REQUIRED, 1, DELIB_OPTIONS_MAX),
	SPEC(struct vote_body, note, SPEC_STR, 0, 0, DELIB_NOTE_MAX),
	{ 0 },
};

void deliberations_paper_vote(struct call *c)
{
	struct field_errors errs = { 0 };
	struct vote_body b = { 0 };
	struct deliberation *d = xmalloc(sizeof(*d));
	int64_t vote_id;
	int rc;

	if (deliberation_or_reply(c, d) == 0 && call_body_or_reply(c, paper_spec, &b) == 0) {
		struct deliberation_vote_input in = { d->id, b.household_id, b.choice, "paper", b.note };

		rc = deliberation_vote(c->db, &c->actor, &in, &errs, &vote_id);
		if (rc != DELIB_OK)
			reply_error(c, rc, &errs);
		else
			reply_one(c, 201, d->id);
	}
	spec_release(paper_spec, &b);
	free(d);
}

void community_deliberations(struct call *c)
{
	struct region r;
	const char *state;
	struct deliberation_row *items;
	size_t n;

	if (call_region_or_reply(c, ACT_DELIBERATION, "community", &r) < 0 ||
	    call_choice_or_reply(c, "state", deliberation_states, &state) < 0)
		return;
	if (deliberation_list(c->db, r.code, state, &items, &n) != DELIB_OK) {
		reply_internal(c, "listing deliberations");
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct deliberation_row *d = &items[i];
		json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "id", (json_int_t)d->id,
				      "community_code", d->community_code, "title", d->title, "state", d->state,
				      "deadline", (json_int_t)d->deadline, "households", (json_int_t)d->households,
				      "voted", (json_int_t)d->voted, "agree", (json_int_t)d->agree, "created_at",
				      (json_int_t)d->created_at);
		if (o)
			json_object_set_new(o, "outcome", *d->outcome ? json_string(d->outcome) : json_null());
		arr = json_push(arr, o);
	}
	free(items);
	reply_json(c, 200, arr ? json_pack("{s:o}", "items", arr) : NULL);
}

/* A resident's view: the deliberation and its tally (no one's vote but their own household's). */
static json_t *mine_json(struct call *c, const struct deliberation_mine *m)
{
	struct deliberation *d = xmalloc(sizeof(*d));
	json_t *o = NULL;

	if (deliberation_get(c->db, m->id, d) == DELIB_OK) {
		o = deliberation_json(c, d, false);
		if (o) {
			json_object_del(o, "minutes_photo"); /* staff's: residents read the minutes' text */
			json_object_set_new(o, "my_choice", m->choice ? json_integer(m->choice) : json_null());
			json_object_set_new(o, "my_voted_at", m->choice ? json_integer(m->voted_at) : json_null());
		}
	}
	free(d);
	return o;
}

void me_deliberations(struct call *c)
{
	struct deliberation_mine *items = NULL;
	int64_t household;
	size_t n = 0;
	json_t *arr;

	if (deliberation_resident_household(c->db, c->who.account_id, &household) != DELIB_OK ||
	    (household && deliberation_of_household(c->db, household, &items, &n) != DELIB_OK)) {
		reply_internal(c, "reading a resident's deliberations");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, mine_json(c, &items[i]));
	free(items);
	reply_json(c, 200, arr ? json_pack("{s:o}", "items", arr) : NULL);
}

static const struct spec_field my_vote_spec[] = {
	SPEC(struct vote_body, choice, SPEC_INT, SPEC_REQUIRED, 1, DELIB_OPTIONS_MAX),
	{ 0 },
};

/* The resident's household's vote; a deliberation that does not cover it is not found. */
void me_deliberations_vote(struct call *c)
{
	struct field_errors errs = { 0 };
	struct vote_body b = { 0 };
	struct deliberation_mine *items = NULL;
	int64_t id, household, vote_id;
	size_t n = 0, i;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return;
	if (deliberation_resident_household(c->db, c->who.account_id, &household) != DELIB_OK ||
	    (household && deliberation_of_household(c->db, household, &items, &n) != DELIB_OK)) {
		reply_internal(c, "reading a resident's deliberations");
		return;
	}
	for (i = 0; i < n && items[i].id != id; i++)
		;
	if (i == n) {
		free(items);
		reply_problem(c, 404, "not_found", "找不到该议题");
		return;
	}
	if (call_body_or_reply(c, my_vote_spec, &b) == 0) {
		struct deliberation_vote_input in = { id, 0, b.choice, "phone", NULL };

		rc = deliberation_vote(c->db, &c->actor, &in, &errs, &vote_id);
		if (rc != DELIB_OK)
			reply_error(c, rc, &errs);
		else {
			struct deliberation_mine m = { id, b.choice, clock_now() };
			reply_json(c, 201, mine_json(c, &m));
		}
	}
	spec_release(my_vote_spec, &b);
	free(items);
}

/* POST /deliberations/{id}/minutes/photo: the body is the image itself (JPEG or PNG by its bytes). */
void deliberations_minutes_photo(struct call *c)
{
	struct deliberation *d = xmalloc(sizeof(*d));
	int photo_rc, rc;

	if (deliberation_or_reply(c, d) == 0) {
		rc = deliberation_minutes_photo(c->db, &c->actor, d->id, c->req->body.data, c->req->body.len, &photo_rc);
		if (rc == DELIB_INVALID)
			reply_photo_error(c, photo_rc);
		else if (rc != DELIB_OK)
			reply_error(c, rc, NULL);
		else
			reply_one(c, 201, d->id);
	}
	free(d);
}

static void serve_photo(struct call *c, bool thumb)
{
	struct deliberation *d = xmalloc(sizeof(*d));
	uint64_t size = 0;
	int fd = -1, rc;

	if (deliberation_or_reply(c, d) == 0) {
		rc = deliberation_minutes_photo_open(c->db, d->id, thumb, &fd, &size);
		if (rc == DELIB_NOT_FOUND)
			reply_problem(c, 404, "not_found", "还没有上传会议纪要照片");
		else if (rc != DELIB_OK)
			reply_internal(c, "opening a minutes photo");
		else {
			c->resp->status = 200;
			c->resp->content_type = "image/jpeg";
			c->resp->fd = fd;
			c->resp->fd_size = size;
			resp_header(c->resp, "Cache-Control", "private, max-age=3600");
		}
	}
	free(d);
}

void deliberations_minutes_photo_get(struct call *c)
{
	serve_photo(c, false);
}
