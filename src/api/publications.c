/* publications.c: 公示: freezing a half-year's ranking, its versions and check, members' objections and their answers, the public page */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/activity_api.h"
#include "api/handlers.h"
#include "base/clock.h"
#include "base/qr.h"
#include "base/valid.h"
#include "domain/publication.h"

/* Rows a page gives unless asked for fewer or more. */
enum { ROWS_PAGE = 100 };

/*
 * Who publishes where: a community's staff, who stamp its service (ACT_RECORD_CONFIRM), publish its
 * points; an org, who sets the rules of its street or district (ACT_RULE_EDIT), publishes theirs; an
 * administrator anywhere. Reading is for those who read the region's rankings (ACT_STANDING_READ).
 */
static bool may_publish(const struct call *c, const char *level, const char *path)
{
	struct target t = { path, 0 };

	return authz_allows(&c->who, !strcmp(level, "community") ? ACT_RECORD_CONFIRM : ACT_RULE_EDIT, &t);
}

static bool may_read(const struct call *c, const char *path)
{
	return authz_allows(&c->who, ACT_STANDING_READ, &(struct target){ path, 0 });
}

static void reply_error(struct call *c, int rc, const struct field_errors *errs)
{
	switch (rc) {
	case PUB_INVALID:
		reply_errors(c, 422, errs);
		break;
	case PUB_NOT_FOUND:
		reply_problem(c, 404, "not_found", "找不到该公示");
		break;
	case PUB_OPEN:
		reply_problem(c, 409, "open", "该区划这个半年已有一份公示正在公示期内");
		break;
	case PUB_CLOSED:
		reply_problem(c, 409, "closed", "公示期已结束");
		break;
	case PUB_NOT_LISTED:
		reply_problem(c, 403, "not_listed", "你不在本次公示名单中");
		break;
	case PUB_ASKED:
		reply_problem(c, 409, "asked", "你已有一条异议在等待社区答复");
		break;
	case PUB_ANSWERED:
		reply_problem(c, 409, "answered", "该异议已答复");
		break;
	case PUB_OWN:
		reply_problem(c, 403, "own", "不能答复本人的异议，请由社区其他工作人员办理");
		break;
	default:
		reply_internal(c, "a publication");
	}
}

/* Publication {id} (path parameter 0), whatever the caller may do; 404 when there is none. */
static int publication_or_reply(struct call *c, struct publication *p)
{
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = publication_get(c->db, id, p);
	if (rc != PUB_OK)
		reply_error(c, rc, NULL);
	return rc == PUB_OK ? 0 : -1;
}

/* The same if the caller may read it in the console: 404 outside their reach. */
static int readable_or_reply(struct call *c, struct publication *p)
{
	if (publication_or_reply(c, p) < 0)
		return -1;
	if (may_read(c, p->region_path))
		return 0;
	reply_error(c, PUB_NOT_FOUND, NULL);
	return -1;
}

static json_t *id_or_null(int64_t id)
{
	return id ? json_integer((json_int_t)id) : json_null();
}

static json_t *publication_json(const struct call *c, const struct publication *p)
{
	char public_path[64];

	snprintf(public_path, sizeof(public_path), "/m/public/publications/%" PRId64, p->id);
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:I, s:I, s:I, s:{s:I, s:I, s:I}, s:I, "
			 "s:s, s:{s:b}}",
			 "id", (json_int_t)p->id, "region_code", p->region_code, "region_name", p->region_name,
			 "region_level", p->region_level, "period", p->period, "title", p->title, "days",
			 (json_int_t)p->days, "opened_at", (json_int_t)p->opened_at, "closes_at",
			 (json_int_t)p->closes_at, "state", p->open ? "open" : "final", "version",
			 (json_int_t)p->version, "ledger_mark", (json_int_t)p->ledger_mark, "rows", (json_int_t)p->rows,
			 "objections", "total", (json_int_t)p->objections, "waiting", (json_int_t)p->objections_waiting,
			 "upheld", (json_int_t)p->objections_upheld, "created_at", (json_int_t)p->created_at,
			 "public_path", public_path, "can", "republish",
			 p->republishable && may_publish(c, p->region_level, p->region_path));
}

/* A row with what changed since the version before; the console's has the member in clear. */
static json_t *row_json(const struct publication_row *r, int64_t version, bool console)
{
	bool changed = r->has_prev && (r->prev_points != r->points || r->prev_tier != r->tier);
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:o, s:o, s:b, s:b}", "rank",
			      (json_int_t)r->rank, "name", r->masked_name, "unit_name", r->unit_name,
			      "community_name", r->community_name, "points", (json_int_t)r->points, "minutes",
			      (json_int_t)r->minutes, "services", (json_int_t)r->services, "tier", tier_names[r->tier],
			      "tier_label", tier_labels[r->tier], "prev_points",
			      r->has_prev ? json_integer((json_int_t)r->prev_points) : json_null(), "prev_tier",
			      r->has_prev ? json_string(tier_names[r->prev_tier]) : json_null(), "changed", changed,
			      "new", version > 1 && !r->has_prev);

	if (o && console && json_object_update_missing_new(o, json_pack("{s:I, s:I, s:s, s:s}", "pos",
									   (json_int_t)r->pos, "member_id",
									   (json_int_t)r->member_id, "member_name",
									   r->member_name, "community_code",
									   r->community_code)) < 0) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

/* Rows of version after ?after, at most ?limit, as {"items", "next_after"}; NULL (answered) on a fault. */
static json_t *rows_page_or_reply(struct call *c, const struct publication *p, int64_t version, bool console)
{
	int64_t after = 0, limit = ROWS_PAGE;
	struct publication_row *rows;
	size_t n;
	json_t *arr, *page;

	if (call_int_or_reply(c, "after", 0, INT64_MAX, &after) < 0 ||
	    call_int_or_reply(c, "limit", 1, PUBLICATION_ROWS_MAX, &limit) < 0)
		return NULL;
	if (publication_rows(c->db, p, version, after, (size_t)limit, &rows, &n) != PUB_OK) {
		free(rows);
		reply_internal(c, "reading a publication's rows");
		return NULL;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, row_json(&rows[i], version ? version : p->version, console));
	page = arr ? json_pack("{s:o, s:o}", "items", arr, "next_after",
			       id_or_null((int64_t)n == limit ? rows[n - 1].pos : 0))
		   : NULL;
	free(rows);
	if (!page)
		reply_internal(c, "writing a publication's rows");
	return page;
}

static json_t *objection_json(const struct call *c, const struct objection *o, bool console)
{
	struct target t = { o->community_path, 0 };
	json_t *v = json_pack("{s:I, s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:s?, s:o, s:o, s:I, s:o, s:s, s:s, s:I}",
			      "id", (json_int_t)o->id, "publication_id", (json_int_t)o->publication_id, "title",
			      o->title, "period", o->period, "version", (json_int_t)o->version, "community_name",
			      o->community_name, "reason", o->reason, "state", o->state, "outcome", o->outcome[0] ? o->outcome : NULL,
			      "points", o->movement_id ? json_integer((json_int_t)o->points) : json_null(),
			      "movement_id", id_or_null(o->movement_id), "created_at", (json_int_t)o->created_at,
			      "answered_at", id_or_null(o->answered_at), "answer", o->answer, "name", o->masked_name,
			      "closes_at", (json_int_t)o->closes_at);
	bool answer = !strcmp(o->state, "asked") && authz_allows(&c->who, ACT_RECORD_CONFIRM, &t) &&
		      o->member_account_id != c->actor.account_id;

	if (v && console && json_object_update_missing_new(v, json_pack("{s:I, s:s, s:s, s:{s:b}}", "member_id",
									   (json_int_t)o->member_id, "member_name",
									   o->member_name, "answered_by", o->answered_by,
									   "can", "answer", answer)) < 0) {
		json_decref(v);
		v = NULL;
	}
	return v;
}

static json_t *objections_json(const struct call *c, const struct objection *items, size_t n, bool console)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, objection_json(c, &items[i], console));
	return arr;
}

static void reply_publication(struct call *c, int status, const struct publication *p)
{
	struct publication_version *versions = NULL;
	struct objection *objections = NULL;
	size_t nv = 0, no = 0;
	int64_t version = 0;
	json_t *o, *rows, *arr;

	if (call_int_or_reply(c, "version", 1, p->version, &version) < 0)
		return;
	if (publication_versions(c->db, p->id, &versions, &nv) != PUB_OK ||
	    objection_list(c->db, p->id, 0, &objections, &no) != PUB_OK) {
		free(versions);
		free(objections);
		reply_internal(c, "reading a publication");
		return;
	}
	if (!(rows = rows_page_or_reply(c, p, version, true))) {
		free(versions);
		free(objections);
		return;
	}
	o = publication_json(c, p);
	arr = json_array();
	for (size_t i = 0; i < nv; i++)
		arr = json_push(arr, json_pack("{s:I, s:I, s:I, s:I, s:s}", "version", (json_int_t)versions[i].version,
					       "ledger_mark", (json_int_t)versions[i].ledger_mark, "rows",
					       (json_int_t)versions[i].rows, "created_at",
					       (json_int_t)versions[i].created_at, "note", versions[i].note));
	if (o) {
		json_object_set_new(o, "shown_version", json_integer((json_int_t)(version ? version : p->version)));
		json_object_set_new(o, "versions", arr ? arr : json_null());
		json_object_set_new(o, "objection_list", objections_json(c, objections, no, true));
		json_object_set_new(o, "items", json_incref(json_object_get(rows, "items")));
		json_object_set_new(o, "next_after", json_incref(json_object_get(rows, "next_after")));
	} else {
		json_decref(arr);
	}
	json_decref(rows);
	free(versions);
	free(objections);
	reply_json(c, status, o);
}

struct freeze_body {
	char *region_code, *period, *title;
	long long days;
};

static const struct spec_field freeze_spec[] = {
	SPEC(struct freeze_body, region_code, SPEC_STR, SPEC_REQUIRED, 1, 18),
	SPEC(struct freeze_body, period, SPEC_STR, SPEC_REQUIRED, 1, PERIOD_LEN - 1),
	SPEC(struct freeze_body, title, SPEC_STR, 0, 0, PUBLICATION_TITLE_MAX),
	SPEC(struct freeze_body, days, SPEC_INT, 0, 1, PUBLICATION_DAYS_MAX),
	{ 0 },
};

/* POST /publications: freezes a half-year at a community (its staff), a street or district (an org). */
void publications_create(struct call *c)
{
	struct freeze_body b = { .days = PUBLICATION_DAYS_DEFAULT };
	struct field_errors errs = { 0 };
	struct publication p;
	struct region r;
	int64_t id;
	int rc;

	if (call_body_or_reply(c, freeze_spec, &b) < 0)
		return;
	rc = valid_digits(b.region_code, 12, 18) ? region_get(c->db, b.region_code, &r) : REGION_NOT_FOUND;
	if (rc == REGION_OK && !may_read(c, r.path))
		rc = REGION_NOT_FOUND; /* outside the reach is told as not there */
	if (rc == REGION_NOT_FOUND)
		reply_field(c, 422, "region_code", "not_found", "找不到该区划");
	else if (rc != REGION_OK)
		reply_internal(c, "reading a region");
	else if (strcmp(r.level, "community") && strcmp(r.level, "street") && strcmp(r.level, "district"))
		reply_field(c, 422, "region_code", "level", "公示按社区、街道或区进行");
	else if (!may_publish(c, r.level, r.path))
		reply_problem(c, 403, "forbidden", "社区的公示由社区工作人员发布，街道、区的公示由组织部门发布");
	else if ((rc = publication_freeze(c->db, &c->actor, &r, b.period, b.title ? b.title : "", b.days, &errs,
					  &id)) != PUB_OK)
		reply_error(c, rc, &errs);
	else if (publication_get(c->db, id, &p) != PUB_OK)
		reply_internal(c, "reading a new publication");
	else
		reply_publication(c, 201, &p);
	spec_release(freeze_spec, &b);
}

/* GET /publications?region=&period=: the publications in the caller's reach, newest first. */
void publications_list(struct call *c)
{
	struct scope scope;
	struct publication_filter f = { .scope = &scope };
	struct publication *items = NULL;
	const char *code;
	struct region r;
	int64_t total;
	size_t n;
	int rc;
	json_t *arr;

	if (call_query_or_reply(c, "region", 18, &code) < 0 || call_query_or_reply(c, "period", 8, &f.period) < 0 ||
	    call_page_or_reply(c, &f.page, &f.per_page) < 0)
		return;
	if (f.period && (!period_valid(f.period) || strlen(f.period) != 6)) {
		reply_query(c, "period", "format", "应为半年，如 2026H2");
		return;
	}
	if (code) {
		rc = valid_digits(code, 12, 18) ? region_get(c->db, code, &r) : REGION_NOT_FOUND;
		if (rc == REGION_OK && !may_read(c, r.path))
			rc = REGION_NOT_FOUND;
		if (rc != REGION_OK) {
			if (rc == REGION_NOT_FOUND)
				reply_query(c, "region", "not_found", "找不到该区划");
			else
				reply_internal(c, "reading a region");
			return;
		}
		f.region_path = r.path;
	}
	authz_scope(&c->who, ACT_STANDING_READ, &scope);
	if (publication_list(c->db, &f, &items, &n, &total) != PUB_OK) {
		reply_internal(c, "listing publications");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, publication_json(c, &items[i]));
	free(items);
	reply_json(c, 200, arr ? page_json(arr, total, f.page, f.per_page) : NULL);
}

/* GET /publications/{id}?version=&after=&limit=: the publication, a page of a version's rows, its objections. */
void publications_get(struct call *c)
{
	struct publication p;

	if (readable_or_reply(c, &p) == 0)
		reply_publication(c, 200, &p);
}

struct republish_body {
	char *note;
};

static const struct spec_field republish_spec[] = {
	SPEC(struct republish_body, note, SPEC_STR, 0, 0, PUBLICATION_NOTE_MAX),
	{ 0 },
};

/* POST /publications/{id}/republish {note}: the standings published again as the next version. */
void publications_republish(struct call *c)
{
	struct republish_body b = { 0 };
	struct publication p;
	int64_t version;
	int rc;

	if (readable_or_reply(c, &p) < 0)
		return;
	if (!may_publish(c, p.region_level, p.region_path)) {
		reply_problem(c, 403, "forbidden", "没有权限重新发布该公示");
		return;
	}
	/* The note is optional, and so is a body. */
	if (c->req->body.len && call_body_or_reply(c, republish_spec, &b) < 0)
		return;
	rc = publication_republish(c->db, &c->actor, p.id, b.note ? b.note : "", &version);
	if (rc == PUB_CLOSED)
		reply_problem(c, 409, "closed", "公示期已结束，且没有需要重新公示的更正");
	else if (rc != PUB_OK)
		reply_error(c, rc, NULL);
	else if (publication_get(c->db, p.id, &p) != PUB_OK)
		reply_internal(c, "reading a publication");
	else
		reply_publication(c, 200, &p);
	spec_release(republish_spec, &b);
}

/* GET /publications/{id}/verify?version=: the version's rows recomputed from the ledger. */
void publications_verify(struct call *c)
{
	struct publication_check *k;
	struct publication p;
	int64_t version = 0;
	json_t *arr;

	if (readable_or_reply(c, &p) < 0 || call_int_or_reply(c, "version", 1, p.version, &version) < 0)
		return;
	k = xcalloc(1, sizeof(*k));
	if (publication_verify(c->db, &p, version, k) != PUB_OK) {
		free(k);
		reply_internal(c, "verifying a publication");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < k->n; i++)
		arr = json_push(arr, json_pack("{s:I, s:I, s:s, s:I, s:I}", "pos", (json_int_t)k->items[i].pos,
					       "member_id", (json_int_t)k->items[i].member_id, "name",
					       k->items[i].masked_name, "published", (json_int_t)k->items[i].published,
					       "ledger", (json_int_t)k->items[i].ledger));
	reply_json(c, 200,
		   arr ? json_pack("{s:b, s:I, s:I, s:I, s:I, s:o}", "ok", k->mismatches == 0, "version",
				   (json_int_t)k->version, "ledger_mark", (json_int_t)k->ledger_mark, "rows",
				   (json_int_t)k->rows, "mismatches", (json_int_t)k->mismatches, "items", arr)
		       : NULL);
	free(k);
}

/* The caller's member file id, 0 when the account has none; -1 answered on a storage error. */
static int my_member_or_reply(struct call *c, int64_t *id)
{
	int rc = member_find_by_account(c->db, c->actor.account_id, id);

	if (rc == MEMBER_NOT_FOUND)
		*id = 0;
	else if (rc != MEMBER_OK) {
		reply_internal(c, "reading my file");
		return -1;
	}
	return 0;
}

struct objection_body {
	char *reason;
};

static const struct spec_field objection_spec[] = {
	SPEC(struct objection_body, reason, SPEC_STR, SPEC_REQUIRED, OBJECTION_REASON_MIN, OBJECTION_REASON_MAX),
	{ 0 },
};

/* POST /publications/{id}/objections {reason}: a member listed in it objects, during the window. */
void publications_object(struct call *c)
{
	struct objection_body b = { 0 };
	struct field_errors errs = { 0 };
	struct publication p;
	struct objection o;
	int64_t member, id;
	int rc;

	if (publication_or_reply(c, &p) < 0 || my_member_or_reply(c, &member) < 0 ||
	    call_body_or_reply(c, objection_spec, &b) < 0)
		return;
	rc = member ? publication_object(c->db, &c->actor, p.id, member, b.reason, &errs, &id) : PUB_NOT_LISTED;
	if (rc != PUB_OK)
		reply_error(c, rc, &errs);
	else if (objection_get(c->db, id, &o) != PUB_OK)
		reply_internal(c, "reading an objection");
	else
		reply_json(c, 201, objection_json(c, &o, false));
	spec_release(objection_spec, &b);
}

/* What the member's phone needs on a publication's page: whether they are listed, their row, whether they may object. */
static json_t *mine_on_json(struct call *c, const struct publication *p, int64_t member, bool waiting)
{
	struct publication_row row;
	int rc = member ? publication_row_of(c->db, p, member, &row) : PUB_NOT_LISTED;

	if (rc == PUB_ERROR)
		return NULL;
	return json_pack("{s:I, s:b, s:o, s:b}", "id", (json_int_t)p->id, "listed", rc == PUB_OK, "row",
			 rc == PUB_OK ? row_json(&row, p->version, false) : json_null(), "can_object",
			 rc == PUB_OK && p->open && !waiting);
}

/* GET /me/objections?publication=: the member's objections; with a publication, where they stand in it. */
void me_objections(struct call *c)
{
	struct objection *items = NULL;
	struct publication p;
	int64_t member, pid = 0;
	bool waiting = false;
	size_t n = 0;
	json_t *mine = json_null(), *o;
	int rc;

	if (call_int_or_reply(c, "publication", 1, INT64_MAX, &pid) < 0 || my_member_or_reply(c, &member) < 0)
		return;
	if (pid && (rc = publication_get(c->db, pid, &p)) != PUB_OK) {
		reply_error(c, rc, NULL);
		return;
	}
	if (member && objection_list(c->db, pid, member, &items, &n) != PUB_OK) {
		free(items);
		reply_internal(c, "reading my objections");
		return;
	}
	for (size_t i = 0; i < n; i++)
		waiting = waiting || !strcmp(items[i].state, "asked");
	if (pid)
		mine = mine_on_json(c, &p, member, waiting);
	o = json_pack("{s:o, s:o}", "items", objections_json(c, items, n, false), "publication", mine);
	free(items);
	reply_json(c, 200, o);
}

struct answer_body {
	bool uphold;
	char *answer;
	long long points;
};

static const struct spec_field answer_spec[] = {
	SPEC(struct answer_body, uphold, SPEC_BOOL, SPEC_REQUIRED, 0, 0),
	SPEC(struct answer_body, answer, SPEC_STR, SPEC_REQUIRED, 1, OBJECTION_ANSWER_MAX),
	SPEC(struct answer_body, points, SPEC_INT, 0, -OBJECTION_POINTS_MAX, OBJECTION_POINTS_MAX),
	{ 0 },
};

/* POST /objections/{id}/answer {uphold, answer, points}: the staff of the member's community answer it. */
void objections_answer(struct call *c)
{
	struct answer_body b = { 0 };
	struct field_errors errs = { 0 };
	struct objection o;
	int64_t id, movement;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return;
	rc = objection_get(c->db, id, &o);
	if (rc == PUB_OK && !may_read(c, o.region_path) && !may_read(c, o.community_path))
		rc = PUB_NOT_FOUND;
	if (rc == PUB_NOT_FOUND) {
		reply_problem(c, 404, "not_found", "找不到该异议");
		return;
	}
	if (rc != PUB_OK) {
		reply_internal(c, "reading an objection");
		return;
	}
	if (call_allow_or_reply(c, ACT_RECORD_CONFIRM, &(struct target){ o.community_path, 0 }) < 0 ||
	    call_body_read_or_reply(c, answer_spec, &b, &errs) < 0)
		goto out;
	if (!b.uphold && b.points)
		field_errors_add(&errs, "points", "unexpected", "不予更正时不改积分");
	if (errs.n)
		reply_errors(c, 422, &errs);
	else if ((rc = publication_answer(c->db, &c->actor, id, b.uphold, b.answer, b.points, &errs, &movement)) !=
		 PUB_OK)
		reply_error(c, rc, &errs);
	else if (objection_get(c->db, id, &o) != PUB_OK)
		reply_internal(c, "reading an objection");
	else
		reply_json(c, 200, objection_json(c, &o, true));
out:
	spec_release(answer_spec, &b);
}

/*
 * GET /public/publications/{id}?after=&limit= (no login): the latest version as the 党务公开栏 shows it:
 * masked names, units, points, hours, tiers and what changed; never a member's id, full name or phone.
 */
void public_publication_get(struct call *c)
{
	struct publication p;
	json_t *rows, *o;

	if (publication_or_reply(c, &p) < 0 || !(rows = rows_page_or_reply(c, &p, 0, false)))
		return;
	o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:I, s:I, s:{s:I, s:I, s:I}, s:O, s:O}", "id",
		      (json_int_t)p.id, "title", p.title, "region_name", p.region_name, "region_level", p.region_level,
		      "period", p.period, "days", (json_int_t)p.days, "opened_at", (json_int_t)p.opened_at, "closes_at",
		      (json_int_t)p.closes_at, "state", p.open ? "open" : "final", "version", (json_int_t)p.version,
		      "rows", (json_int_t)p.rows, "objections", "total", (json_int_t)p.objections, "waiting",
		      (json_int_t)p.objections_waiting, "upheld", (json_int_t)p.objections_upheld, "items",
		      json_object_get(rows, "items"), "next_after", json_object_get(rows, "next_after"));
	json_decref(rows);
	reply_json(c, 200, o);
}

/* GET /public/publications/{id}/qr.svg (no login): the poster's QR code, the public page on this server's origin. */
void public_publication_qr(struct call *c)
{
	char origin[300], url[360];
	struct publication p;
	struct buf *body;

	if (publication_or_reply(c, &p) < 0)
		return;
	if (activity_origin(c, origin, sizeof(origin)) < 0) {
		reply_problem(c, 400, "bad_request", "请求缺少有效的 Host");
		return;
	}
	snprintf(url, sizeof(url), "%s/m/public/publications/%" PRId64, origin, p.id);
	body = resp_json_body(c->resp, 200);
	c->resp->content_type = "image/svg+xml";
	if (qr_svg(url, body) < 0)
		reply_internal(c, "drawing a publication's code");
}
