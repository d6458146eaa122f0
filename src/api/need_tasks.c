/* need_tasks.c: who serves a need: suggestions and dispatch (派单), taking it (接单), a member's tasks and open needs */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/needs.h"
#include "base/clock.h"
#include "domain/agreement.h"
#include "domain/member.h"
#include "domain/post.h"
#include "domain/project.h"
#include "domain/resource.h"
#include "domain/team.h"
#include "domain/unit.h"

static const char *const holder_kinds[] = { "member", "team", "unit", NULL };

/* The region name of the common ancestor a nearness reason names: the last code of path's first len bytes. */
static void near_name(struct db *db, const char *path, size_t len, char *out, size_t size)
{
	char code[24] = "";
	struct region r;
	size_t end = len, start;

	out[0] = '\0';
	if (len < 2)
		return;
	end = len - 1; /* before the closing '/' */
	for (start = end; start > 0 && path[start - 1] != '/'; start--)
		;
	if (end - start >= sizeof(code))
		return;
	memcpy(code, path + start, end - start);
	code[end - start] = '\0';
	if (region_get(db, code, &r) == REGION_OK)
		str_copy(out, size, r.name);
}

static json_t *reasons_json(struct db *db, const struct need *n, const struct need_suggestion *s)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < s->score.nreasons; i++) {
		const struct match_reason *r = &s->score.reasons[i];
		char text[TEXT_BYTES(80)], name[REGION_TEXT];

		switch (r->kind) {
		case REASON_SPECIALTY:
			snprintf(text, sizeof(text), "有「%.*s」特长", (int)r->tag_len, s->specialties + r->tag_off);
			break;
		case REASON_NEAR:
			near_name(db, n->place_path, s->score.near_len, name, sizeof(name));
			if (r->steps == 0)
				snprintf(text, sizeof(text), "同住一栋楼");
			else
				snprintf(text, sizeof(text), "同在「%s」", name);
			break;
		case REASON_FREE:
			snprintf(text, sizeof(text), "那时有空");
			break;
		case REASON_BUSY:
			snprintf(text, sizeof(text), "那时没有空");
			break;
		case REASON_IDLE:
			snprintf(text, sizeof(text), "手头没有任务");
			break;
		case REASON_LOAD:
			snprintf(text, sizeof(text), "手头有 %d 项任务", r->tasks);
			break;
		}
		arr = json_push(arr, json_pack("{s:s, s:i, s:s}", "kind",
					       (const char *[]){ "specialty", "near", "free", "busy", "idle", "load" }[r->kind],
					       "points", r->points, "text", text));
	}
	return arr;
}

/*
 * The community's active resources that serve the need's item (the unit's
 * doctors for 义诊, the member's haircuts for 义务理发), each with whom to
 * dispatch to for it: its unit, team or member (none for the community's own).
 */
static json_t *resources_json(struct db *db, const struct need *n)
{
	const struct resource_filter f = { .community = n->community_code, .state = "active", .item_id = n->item_id };
	struct resource *items;
	size_t count;
	json_t *arr;

	if (resource_list(db, &f, &items, &count) != RESOURCE_OK)
		return NULL;
	arr = json_array();
	for (size_t i = 0; i < count; i++) {
		const bool to = strcmp(items[i].owner_kind, "community") != 0;

		arr = json_push(arr, json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)items[i].id, "name",
					       items[i].name, "owner_kind", items[i].owner_kind, "owner_name",
					       items[i].owner_name, "dispatch",
					       to ? json_pack("{s:s, s:I}", "kind", items[i].owner_kind, "id",
							      (json_int_t)items[i].owner_id)
						  : json_null()));
	}
	free(items);
	return arr;
}

/* GET /needs/{id}/suggestions: who could take it, best first, each with why, and the resources that fit (staff who run it). */
void needs_suggestions(struct call *c)
{
	struct need_suggestion *items;
	struct need_seat s;
	struct need *n;
	size_t count;
	json_t *arr;

	if (need_or_reply(c, &n, &s) < 0)
		return;
	if (!s.manages) {
		reply_problem(c, 403, "forbidden", "无权派单");
		free(n);
		return;
	}
	if (need_suggest(c->db, n, &items, &count) != NEED_OK) {
		reply_internal(c, "suggesting who could take a need");
		free(n);
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < count; i++)
		arr = json_push(arr, json_pack("{s:s, s:I, s:o, s:s, s:i, s:i, s:o}", "kind",
					       items[i].team_id ? "team" : "member", "member_id",
					       (json_int_t)items[i].member_id, "team_id",
					       items[i].team_id ? json_integer(items[i].team_id) : json_null(), "name",
					       items[i].name, "score", items[i].score.score, "open_tasks",
					       items[i].open_tasks, "reasons", reasons_json(c->db, n, &items[i])));
	free(items);
	reply_json(c, 200, json_pack("{s:o, s:o}", "items", arr, "resources", resources_json(c->db, n)));
	free(n);
}

/* Whether the caller may reach community path too (a street's staff dispatching across its communities). */
static bool manages(struct call *c, const char *path)
{
	return authz_allows(&c->who, ACT_SERVE_MANAGE, &(struct target){ path, 0 });
}

/*
 * Resolves who a need of n's community is dispatched to (kind and id): a
 * member with an account and an approved report-in there (elsewhere only
 * when the caller runs that community as well: a street organising it); an
 * active team of the community or its street with a leader who has an
 * account; a unit. 422 naming the field otherwise.
 */
static int holder_or_reply(struct call *c, const struct need *n, const char *kind, int64_t id, struct need_holder *h,
			   char *name, size_t size)
{
	memset(h, 0, sizeof(*h));
	h->kind = kind;
	h->name = name;
	if (!strcmp(kind, "member")) {
		struct member *m = xmalloc(sizeof(*m));
		struct post_member pm;
		int ok = member_get(c->db, id, m) == MEMBER_OK && m->account_id &&
			 post_acting_member(c->db, m->account_id, &pm) == POST_OK && pm.approved &&
			 pm.member_id == m->id && (!strcmp(pm.community_code, n->community_code) || manages(c, pm.community_path));

		if (ok) {
			h->member_id = m->id;
			h->account_id = m->account_id;
			str_copy(name, size, m->name);
		}
		free(m);
		if (!ok) {
			reply_field(c, 422, "id", "not_found", "应为本社区已报到并开通账号的党员");
			return -1;
		}
	} else if (!strcmp(kind, "team")) {
		struct team *t = xmalloc(sizeof(*t));
		struct member *l = xmalloc(sizeof(*l));
		int ok = team_get(c->db, id, t) == TEAM_OK && !strcmp(t->state, "active") && t->leader_id &&
			 (!strncmp(n->community_path, t->region_path, strlen(t->region_path)) || manages(c, t->region_path)) &&
			 member_get(c->db, t->leader_id, l) == MEMBER_OK && l->account_id;

		if (ok) {
			h->member_id = t->leader_id;
			h->team_id = t->id;
			h->account_id = l->account_id;
			str_copy(name, size, t->name);
		}
		free(t);
		free(l);
		if (!ok) {
			reply_field(c, 422, "id", "not_found", "应为本社区或本街道有队长的服务队");
			return -1;
		}
	} else {
		struct unit *u = xmalloc(sizeof(*u));
		int ok = unit_get(c->db, id, u) == UNIT_OK;

		if (ok) {
			h->unit_id = u->id;
			str_copy(name, size, u->name);
		}
		free(u);
		if (!ok) {
			reply_field(c, 422, "id", "not_found", "找不到该单位");
			return -1;
		}
	}
	return 0;
}

struct dispatch_body {
	char *kind;
	long long id;
};

static const struct spec_field dispatch_spec[] = {
	SPEC_CHOICE(struct dispatch_body, kind, SPEC_REQUIRED, holder_kinds),
	SPEC(struct dispatch_body, id, SPEC_INT, SPEC_REQUIRED, 1, INT64_MAX),
	{ 0 },
};

/* POST /needs/{id}/dispatch: staff send it to a member, a team or a unit (派单), who answer on their phones. */
void needs_dispatch(struct call *c)
{
	struct dispatch_body b = { 0 };
	char name[TEXT_BYTES(NEED_HOLDER_MAX)];
	struct need_holder h;
	struct need_seat s;
	struct need *n;
	int rc;

	if (need_or_reply(c, &n, &s) < 0)
		return;
	if (!s.manages)
		reply_problem(c, 403, "forbidden", "无权派单");
	else if (call_body_or_reply(c, dispatch_spec, &b) == 0) {
		if (holder_or_reply(c, n, b.kind, b.id, &h, name, sizeof(name)) == 0) {
			rc = need_dispatch(c->db, &c->actor, n->id, &h);
			if (rc != NEED_OK)
				need_reply_error(c, rc, NULL, NULL);
			else
				need_reply(c, 200, n->id);
		}
		spec_release(dispatch_spec, &b);
	}
	free(n);
}

struct take_body {
	char *as;
	long long team_id, unit_id;
};

static const char *const take_as[] = { "member", "team", "unit", NULL };

static const struct spec_field take_spec[] = {
	SPEC_CHOICE(struct take_body, as, 0, take_as),
	SPEC(struct take_body, team_id, SPEC_INT, 0, 1, INT64_MAX),
	SPEC(struct take_body, unit_id, SPEC_INT, 0, 1, INT64_MAX),
	{ 0 },
};

/* The first unit the caller administers (unit_id: that one only), or 0. */
static int64_t caller_unit(const struct call *c, int64_t unit_id)
{
	for (size_t i = 0; i < c->who.ngrants; i++)
		if (c->who.grants[i].role == ROLE_UNIT && !c->who.grants[i].pending &&
		    (!unit_id || c->who.grants[i].unit_id == unit_id))
			return c->who.grants[i].unit_id;
	return 0;
}

/*
 * POST /needs/{id}/take as a unit: its administrator takes an open need of
 * a partner community (a signed agreement running today) for the unit.
 * Needs of other communities answer 404.
 */
static void take_as_unit(struct call *c, int64_t id, const struct take_body *b)
{
	char name[TEXT_BYTES(NEED_HOLDER_MAX)], taken_by[TEXT_BYTES(NEED_HOLDER_MAX)], today[11];
	struct need *n = xmalloc(sizeof(*n));
	struct need_holder h;
	int rc;

	if (b->team_id) {
		reply_field(c, 422, "team_id", "unexpected", "以单位接单时不写服务队");
		goto out;
	}
	if (!b->unit_id) {
		reply_field(c, 422, "unit_id", "required", "请选择单位");
		goto out;
	}
	if (!caller_unit(c, b->unit_id)) {
		reply_problem(c, 403, "forbidden", "只有该单位的管理员能以单位接单");
		goto out;
	}
	clock_date(clock_now(), today);
	rc = need_get(c->db, id, n);
	if (rc == NEED_OK) {
		int p = agreement_partner(c->db, b->unit_id, n->community_code, today);

		if (p < 0) {
			reply_internal(c, "reading agreements");
			goto out;
		}
		if (p == 0)
			rc = NEED_NOT_FOUND;
	}
	if (rc != NEED_OK)
		need_reply_error(c, rc, NULL, NULL);
	else if (holder_or_reply(c, n, "unit", b->unit_id, &h, name, sizeof(name)) == 0) {
		if ((rc = need_take(c->db, &c->actor, n->id, &h, taken_by, sizeof(taken_by))) != NEED_OK)
			need_reply_error(c, rc, taken_by, NULL);
		else
			need_reply(c, 200, n->id);
	}
out:
	free(n);
}

/*
 * POST /needs/{id}/take: a member of its community takes an open need for
 * themselves (抢单), or, as a team's leader, for the team. Of takers at the
 * same moment one wins; the others get 409 naming who has it.
 */
void needs_take(struct call *c)
{
	char name[TEXT_BYTES(NEED_HOLDER_MAX)], taken_by[TEXT_BYTES(NEED_HOLDER_MAX)];
	struct need *n = xmalloc(sizeof(*n));
	struct take_body b = { 0 };
	struct post_member pm;
	struct need_holder h;
	int64_t id;
	int rc;

	/* Any approved member of its community reaches it here, whatever its state: a loser learns who won. */
	if (call_id_or_reply(c, 0, &id) < 0 || call_body_or_reply(c, take_spec, &b) < 0)
		goto out;
	if (b.as && !strcmp(b.as, "unit")) {
		take_as_unit(c, id, &b);
		goto out;
	}
	if (b.unit_id) {
		reply_field(c, 422, "unit_id", "unexpected", "以个人或服务队接单时不写单位");
		goto out;
	}
	rc = need_get(c->db, id, n);
	if (rc == NEED_OK && (post_acting_member(c->db, c->actor.account_id, &pm) != POST_OK || !pm.approved ||
			      strcmp(pm.community_code, n->community_code)))
		rc = NEED_NOT_FOUND;
	if (rc != NEED_OK)
		need_reply_error(c, rc, NULL, NULL);
	else if (b.as && !strcmp(b.as, "team") && !b.team_id)
		reply_field(c, 422, "team_id", "required", "请选择服务队");
	else if (holder_or_reply(c, n, b.as && !strcmp(b.as, "team") ? "team" : "member",
				 b.as && !strcmp(b.as, "team") ? b.team_id : pm.member_id, &h, name, sizeof(name)) == 0) {
		if (h.account_id != c->actor.account_id)
			reply_field(c, 403, "team_id", "forbidden", "只有队长可以代表服务队接单");
		else if ((rc = need_take(c->db, &c->actor, n->id, &h, taken_by, sizeof(taken_by))) != NEED_OK)
			need_reply_error(c, rc, taken_by, NULL);
		else
			need_reply(c, 200, n->id);
	}
out:
	spec_release(take_spec, &b);
	free(n);
}

struct convert_body {
	long long project_id;
};

static const struct spec_field convert_spec[] = {
	SPEC(struct convert_body, project_id, SPEC_INT, SPEC_REQUIRED, 1, INT64_MAX),
	{ 0 },
};

/* POST /needs/{id}/convert: staff answer it with a project of its community (planning or running); history kept. */
void needs_convert(struct call *c)
{
	struct convert_body b = { 0 };
	struct project *p = xmalloc(sizeof(*p));
	struct need_seat s;
	struct need *n;
	int rc;

	if (need_or_reply(c, &n, &s) < 0) {
		free(p);
		return;
	}
	if (!s.manages)
		reply_problem(c, 403, "forbidden", "无权处理该需求");
	else if (call_body_or_reply(c, convert_spec, &b) == 0) {
		rc = project_get(c->db, b.project_id, p);
		if (rc == PROJECT_OK && (strcmp(p->community_code, n->community_code) ||
					 (strcmp(p->state, "planning") && strcmp(p->state, "running"))))
			rc = PROJECT_NOT_FOUND;
		if (rc == PROJECT_NOT_FOUND)
			reply_field(c, 422, "project_id", "not_found", "应为本社区筹备中或进行中的项目");
		else if (rc != PROJECT_OK)
			reply_internal(c, "reading a project");
		else if ((rc = need_convert(c->db, &c->actor, n->id, p->id)) != NEED_OK)
			need_reply_error(c, rc, NULL, NULL);
		else
			need_reply(c, 200, n->id);
		spec_release(convert_spec, &b);
	}
	free(p);
	free(n);
}

/* A page of the needs f selects, each as the caller sees it. */
static void reply_needs(struct call *c, const struct need_filter *f)
{
	struct need *items;
	int64_t page, per_page, total;
	size_t n;
	json_t *arr;

	if (call_page_or_reply(c, &page, &per_page) < 0)
		return;
	if (need_list(c->db, f, page, per_page, &items, &n, &total) != NEED_OK) {
		reply_internal(c, "listing needs");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++) {
		struct need_seat s;

		need_seat_of(c, &items[i], &s);
		arr = json_push(arr, need_json(c, &items[i], &s, false));
	}
	free(items);
	reply_json(c, 200, page_json(arr, total, page, per_page));
}

/* GET /me/tasks (我的任务): needs dispatched to the caller (or their unit) or taken by them, not yet closed. */
void me_tasks(struct call *c)
{
	struct need_filter f = { .holder_account_id = c->actor.account_id };

	for (size_t i = 0; i < c->who.ngrants && !f.holder_unit_id; i++)
		if (c->who.grants[i].role == ROLE_UNIT)
			f.holder_unit_id = c->who.grants[i].unit_id;
	reply_needs(c, &f);
}

static const char *const open_as[] = { "member", "unit", NULL };

/*
 * GET /me/open-needs?as=member|unit: the accepted needs of the caller's
 * community that nobody holds, to take (抢单); for a unit's administrator
 * (as=unit, or not a member), those of the unit's partner communities.
 */
void me_open_needs(struct call *c)
{
	struct need_filter f = { .state = "accepted" };
	struct post_member pm;
	const char *as = NULL;
	char today[11];
	bool member = false;

	if (call_choice_or_reply(c, "as", open_as, &as) < 0)
		return;
	for (size_t i = 0; i < c->who.ngrants; i++)
		member = member || (c->who.grants[i].role == ROLE_MEMBER && !c->who.grants[i].pending);
	if (as && !strcmp(as, "unit") && !caller_unit(c, 0)) {
		reply_field(c, 422, "as", "forbidden", "你不是单位管理员");
		return;
	}
	if ((!as || !strcmp(as, "unit")) && caller_unit(c, 0) && (as || !member)) {
		clock_date(clock_now(), today);
		f.partner_unit_id = caller_unit(c, 0);
		f.partner_today = today;
		reply_needs(c, &f);
		return;
	}
	if (post_acting_member(c->db, c->actor.account_id, &pm) != POST_OK || !pm.approved) {
		reply_json(c, 200, page_json(json_array(), 0, 1, 20));
		return;
	}
	f.community = pm.community_code;
	reply_needs(c, &f);
}
