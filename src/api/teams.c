/* teams.c: teams (党员服务队/突击队): created by a community or a street, joined by members, approved by staff or the leader */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "base/valid.h"
#include "domain/post.h"
#include "domain/team.h"

static json_t *team_json(const struct team *t)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o?, s:s?, s:s, s:s, s:I, s:I, s:I, s:I}", "id",
			 (json_int_t)t->id, "region_code", t->region_code, "region_name", t->region_name,
			 "region_level", t->region_level, "name", t->name, "specialty", t->specialty, "description",
			 t->description, "leader_id", t->leader_id ? json_integer(t->leader_id) : NULL, "leader_name",
			 t->leader_id ? t->leader_name : NULL, "state", t->state, "reason", t->reason, "members",
			 (json_int_t)t->members, "applied", (json_int_t)t->applied, "created_at",
			 (json_int_t)t->created_at, "updated_at", (json_int_t)t->updated_at);
}

/* A membership; with_phone for staff; with_service on the team page. */
static json_t *membership_json(const struct team_member *m, bool with_phone, bool with_service)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:b, s:I, s:I, s:I}", "id",
			      (json_int_t)m->id, "team_id", (json_int_t)m->team_id, "team_name", m->team_name,
			      "team_state", m->team_state, "specialty", m->specialty, "region_name", m->region_name,
			      "member_id", (json_int_t)m->member_id, "member_name", m->member_name, "state", m->state,
			      "note", m->note, "reason", m->reason, "leader", m->leader, "applied_at",
			      (json_int_t)m->applied_at, "decided_at", (json_int_t)m->decided_at, "left_at",
			      (json_int_t)m->left_at);

	if (o && with_phone)
		json_object_set_new(o, "member_phone", json_string(m->member_phone));
	if (o && with_service)
		json_object_set_new(o, "service", json_pack("{s:I, s:I, s:I, s:I}", "team_records",
							    (json_int_t)m->team_records, "team_minutes",
							    (json_int_t)m->team_minutes, "records", (json_int_t)m->records,
							    "minutes", (json_int_t)m->minutes));
	return o;
}

static json_t *memberships_json(const struct team_member *items, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, membership_json(&items[i], false, false));
	return arr;
}

json_t *member_teams_json(struct db *db, int64_t member_id)
{
	struct team_member *items;
	size_t n;
	json_t *arr;

	if (team_memberships(db, member_id, true, &items, &n) != TEAM_OK)
		return NULL;
	arr = memberships_json(items, n);
	free(items);
	return arr;
}

/* How the caller sees a team: as staff (org, admin) in scope, as its leader, as a member who serves where it is. */
enum view { VIEW_NONE, VIEW_MEMBER, VIEW_LEADER, VIEW_STAFF };

static int view_of(struct call *c, const struct team *t, enum view *v)
{
	struct post_member m;
	int rc;

	*v = VIEW_NONE;
	if (authz_allows(&c->who, ACT_SERVE_READ, &(struct target){ t->region_path, 0 })) {
		*v = VIEW_STAFF;
		return 0;
	}
	rc = post_acting_member(c->db, c->actor.account_id, &m);
	if (rc == POST_ERROR)
		return -1;
	if (rc == POST_OK && m.approved && t->leader_id == m.member_id)
		*v = VIEW_LEADER;
	else if (rc == POST_OK && m.approved && !strncmp(m.community_path, t->region_path, strlen(t->region_path)))
		*v = VIEW_MEMBER;
	return 0;
}

/* Team id as the caller sees it (*v); 404 when it may not see it; 403 when managing and it may not manage it. */
static int team_or_reply(struct call *c, int64_t id, bool managing, struct team *t, enum view *v)
{
	int rc = team_get(c->db, id, t);

	if (rc == TEAM_OK && view_of(c, t, v) < 0)
		rc = TEAM_ERROR;
	if (rc == TEAM_OK && *v == VIEW_NONE)
		rc = TEAM_NOT_FOUND;
	if (rc == TEAM_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该服务队");
	else if (rc != TEAM_OK)
		reply_internal(c, "reading a team");
	else if (managing)
		return call_allow_or_reply(c, ACT_SERVE_MANAGE, &(struct target){ t->region_path, 0 });
	return rc == TEAM_OK ? 0 : -1;
}

void teams_list(struct call *c)
{
	static const char *const states[] = { "active", "disbanded", NULL };
	struct team_filter f = { 0 };
	struct scope scope;
	struct team *items;
	const char *code;
	struct region r;
	size_t n;
	int64_t total;
	json_t *arr;
	int rc;

	if (call_query_or_reply(c, "region", 18, &code) < 0 || call_choice_or_reply(c, "state", states, &f.state) < 0 ||
	    call_page_or_reply(c, &f.page, &f.per_page) < 0)
		return;
	rc = code ? (valid_digits(code, 12, 18) ? region_get(c->db, code, &r) : REGION_NOT_FOUND) : REGION_OK;
	if (rc == REGION_NOT_FOUND) {
		reply_query(c, "region", "not_found", "找不到该区划");
		return;
	}
	f.region = code ? r.path : NULL;
	authz_scope(&c->who, ACT_SERVE_READ, &scope);
	if (rc != REGION_OK || team_list(c->db, &scope, &f, &items, &n, &total) != TEAM_OK) {
		reply_internal(c, "listing teams");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, team_json(&items[i]));
	free(items);
	reply_json(c, 200, page_json(arr, total, f.page, f.per_page));
}

struct team_body {
	char *region_code, *name, *specialty, *description;
	long long leader_id;
};

/* A new team names its region first; an edit reads the spec from its second entry. */
static const struct spec_field team_spec[] = {
	SPEC(struct team_body, region_code, SPEC_STR, SPEC_REQUIRED, 1, 18),
	SPEC(struct team_body, name, SPEC_STR, SPEC_REQUIRED, 1, TEAM_NAME_MAX),
	SPEC(struct team_body, specialty, SPEC_STR, 0, 0, TEAM_SPECIALTY_MAX),
	SPEC(struct team_body, description, SPEC_STR, 0, 0, TEAM_TEXT_MAX),
	SPEC(struct team_body, leader_id, SPEC_INT, 0, 0, INT64_MAX),
	{ 0 },
};

static void reply_team_error(struct call *c, int rc, const struct field_errors *errs)
{
	switch (rc) {
	case TEAM_INVALID:
		reply_errors(c, 422, errs);
		break;
	case TEAM_NOT_FOUND:
		reply_problem(c, 404, "not_found", "找不到该服务队或申请");
		break;
	case TEAM_BAD_STATE:
		reply_problem(c, 409, "conflict", "该服务队已解散，或该申请已处理过");
		break;
	case TEAM_DUPLICATE:
		reply_field(c, 409, "name", "duplicate", "本辖区已有同名的服务队");
		break;
	case TEAM_JOINED:
		reply_problem(c, 409, "conflict", "已经申请过或已是该队队员");
		break;
	case TEAM_NOT_MEMBER:
		reply_problem(c, 404, "not_found", "找不到该服务队");
		break;
	case TEAM_FULL:
		reply_problem(c, 409, "full", "该服务队已满 1000 人");
		break;
	default:
		reply_internal(c, "writing a team");
	}
}

/* The team page: the team, its members with their service; applications for staff and the leader. */
static void reply_team(struct call *c, int status, const struct team *t, enum view v)
{
	struct team_member *items;
	json_t *o, *members, *applications;
	size_t n;

	if (team_members(c->db, t->id, &items, &n) != TEAM_OK) {
		reply_internal(c, "listing a team's members");
		return;
	}
	o = team_json(t);
	members = json_array();
	applications = json_array();
	for (size_t i = 0; i < n; i++) {
		bool applied = !strcmp(items[i].state, "applied");

		if (!applied)
			members = json_push(members, membership_json(&items[i], v == VIEW_STAFF, true));
		else if (v != VIEW_MEMBER)
			applications = json_push(applications, membership_json(&items[i], v == VIEW_STAFF, false));
	}
	free(items);
	if (o && members && applications) {
		json_object_set_new(o, "team_members", members);
		json_object_set_new(o, "applications", applications);
	} else {
		json_decref(o);
		json_decref(members);
		json_decref(applications);
		o = NULL;
	}
	reply_json(c, status, o);
}

/* Reloads team id and replies with its page as staff see it. */
static void reply_team_id(struct call *c, int status, int64_t id)
{
	struct team t;

	if (team_get(c->db, id, &t) != TEAM_OK)
		reply_internal(c, "reading a team");
	else
		reply_team(c, status, &t, VIEW_STAFF);
}

void teams_create(struct call *c)
{
	struct field_errors errs = { 0 };
	struct team_body b = { 0 };
	struct team_input in;
	struct region r;
	int64_t id;
	int rc;

	if (call_body_or_reply(c, team_spec, &b) < 0)
		return;
	in = (struct team_input){ b.region_code, b.name, b.specialty, b.description, b.leader_id };
	rc = valid_digits(b.region_code, 12, 18) ? region_get(c->db, b.region_code, &r) : REGION_NOT_FOUND;
	if (rc == REGION_NOT_FOUND || (rc == REGION_OK && strcmp(r.level, "community") && strcmp(r.level, "street")))
		reply_field(c, 422, "region_code", "not_found", "应为一个社区或街道");
	else if (rc != REGION_OK)
		reply_internal(c, "reading a region");
	else if (call_allow_or_reply(c, ACT_SERVE_MANAGE, &(struct target){ r.path, 0 }) == 0) {
		rc = team_create(c->db, &c->actor, &in, &errs, &id);
		if (rc == TEAM_OK)
			reply_team_id(c, 201, id);
		else
			reply_team_error(c, rc, &errs);
	}
	spec_release(team_spec, &b);
}

void teams_get(struct call *c)
{
	struct team t;
	enum view v;
	int64_t id;

	if (call_id_or_reply(c, 0, &id) == 0 && team_or_reply(c, id, false, &t, &v) == 0)
		reply_team(c, 200, &t, v);
}

void teams_update(struct call *c)
{
	struct field_errors errs = { 0 };
	struct team_body b = { 0 };
	struct team_input in;
	struct team t;
	enum view v;
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0 || team_or_reply(c, id, true, &t, &v) < 0 ||
	    call_body_or_reply(c, team_spec + 1, &b) < 0)
		return;
	in = (struct team_input){ NULL, b.name, b.specialty, b.description, b.leader_id };
	rc = team_update(c->db, &c->actor, id, &in, &errs);
	if (rc == TEAM_OK)
		reply_team_id(c, 200, id);
	else
		reply_team_error(c, rc, &errs);
	spec_release(team_spec + 1, &b);
}

struct reason_body {
	char *reason;
};

/* A reason from staff or the leader: why an application is refused, a member removed, the team disbanded. */
static const struct spec_field reason_spec[] = {
	SPEC(struct reason_body, reason, SPEC_STR, SPEC_REQUIRED, 2, TEAM_NOTE_MAX),
	{ 0 },
};

struct note_body {
	char *note;
};

/* A member's own word, optional: why they join, why they leave. */
static const struct spec_field note_spec[] = {
	SPEC(struct note_body, note, SPEC_STR, 0, 0, TEAM_NOTE_MAX),
	{ 0 },
};

void teams_disband(struct call *c)
{
	struct reason_body b = { 0 };
	struct team t;
	enum view v;
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0 || team_or_reply(c, id, true, &t, &v) < 0 ||
	    serve_optional_body_or_reply(c, reason_spec, &b) < 0)
		return;
	rc = team_disband(c->db, &c->actor, id, b.reason);
	if (rc == TEAM_OK)
		reply_team_id(c, 200, id);
	else
		reply_team_error(c, rc, NULL);
	spec_release(reason_spec, &b);
}

/* Replies with membership id as it is now; staff see the phone. */
static void reply_membership(struct call *c, int status, int64_t id, bool staff)
{
	struct team_member m;

	if (team_member_get(c->db, id, &m) != TEAM_OK)
		reply_internal(c, "reading a membership");
	else
		reply_json(c, status, membership_json(&m, staff, false));
}

void teams_join(struct call *c)
{
	struct note_body b = { 0 };
	struct post_member m;
	struct team t;
	enum view v;
	int64_t id, membership;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0 || serve_member_or_reply(c, &m) < 0 ||
	    team_or_reply(c, id, false, &t, &v) < 0 || serve_optional_body_or_reply(c, note_spec, &b) < 0)
		return;
	rc = team_join(c->db, &c->actor, id, m.member_id, b.note, &membership);
	if (rc == TEAM_OK)
		reply_membership(c, 201, membership, false);
	else
		reply_team_error(c, rc, NULL);
	spec_release(note_spec, &b);
}

enum team_step { STEP_APPROVE, STEP_REFUSE, STEP_REMOVE };

/* Staff (or, for applications, the team's leader) act on membership {id}: 404 unless they may see the team. */
static void step(struct call *c, enum team_step s)
{
	struct reason_body b = { 0 };
	struct team_member m;
	struct team t;
	enum view v = VIEW_NONE;
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return;
	rc = team_member_get(c->db, id, &m);
	if (rc == TEAM_OK)
		rc = team_get(c->db, m.team_id, &t);
	if (rc == TEAM_OK && view_of(c, &t, &v) < 0)
		rc = TEAM_ERROR;
	if (rc == TEAM_OK && v == VIEW_NONE)
		rc = TEAM_NOT_FOUND;
	if (rc != TEAM_OK) {
		reply_team_error(c, rc, NULL);
		return;
	}
	if ((v == VIEW_MEMBER || (v == VIEW_LEADER && s == STEP_REMOVE)) ||
	    (v == VIEW_STAFF && !authz_allows(&c->who, ACT_SERVE_MANAGE, &(struct target){ t.region_path, 0 }))) {
		reply_problem(c, 403, "forbidden", s == STEP_REMOVE ? "只有社区或街道工作人员可以移出队员"
								    : "只有工作人员或队长可以审核入队申请");
		return;
	}
	if (s != STEP_APPROVE && serve_optional_body_or_reply(c, reason_spec, &b) < 0)
		return;
	rc = s == STEP_REMOVE ? team_remove(c->db, &c->actor, id, b.reason)
			      : team_decide(c->db, &c->actor, id, s == STEP_APPROVE, b.reason);
	if (rc == TEAM_OK)
		reply_membership(c, 200, id, v == VIEW_STAFF);
	else
		reply_team_error(c, rc, NULL);
	spec_release(reason_spec, &b);
}

void team_members_approve(struct call *c)
{
	step(c, STEP_APPROVE);
}

void team_members_refuse(struct call *c)
{
	step(c, STEP_REFUSE);
}

void team_members_remove(struct call *c)
{
	step(c, STEP_REMOVE);
}

/* The member's teams and applications, those that ended too. */
static void reply_my_teams(struct call *c, int64_t member_id)
{
	struct team_member *items = NULL;
	size_t n = 0;

	if (member_id && team_memberships(c->db, member_id, false, &items, &n) != TEAM_OK) {
		reply_internal(c, "listing my teams");
		return;
	}
	reply_json(c, 200, json_pack("{s:o}", "items", memberships_json(items, n)));
	free(items);
}

void me_teams_leave(struct call *c)
{
	struct note_body b = { 0 };
	struct post_member m;
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0 || serve_optional_body_or_reply(c, note_spec, &b) < 0)
		return;
	rc = post_acting_member(c->db, c->actor.account_id, &m);
	if (rc == POST_OK)
		rc = team_leave(c->db, &c->actor, id, m.member_id, b.note);
	if (rc == POST_NOT_FOUND || rc == TEAM_NOT_FOUND)
		reply_problem(c, 404, "not_found", "您不在该服务队，也没有申请");
	else if (rc != TEAM_OK)
		reply_team_error(c, rc, NULL);
	else
		reply_my_teams(c, m.member_id);
	spec_release(note_spec, &b);
}

void me_teams_get(struct call *c)
{
	struct post_member m;
	int rc = post_acting_member(c->db, c->actor.account_id, &m);

	if (rc == POST_ERROR)
		reply_internal(c, "reading my file");
	else
		reply_my_teams(c, rc == POST_OK ? m.member_id : 0);
}
void me_teams_open(struct call *c)
{
	struct team_offer *items;
	struct post_member m;
	size_t n;
	json_t *arr;

	if (serve_member_or_reply(c, &m) < 0)
		return;
	if (team_offers(c->db, m.community_code, m.member_id, &items, &n) != TEAM_OK) {
		reply_internal(c, "listing teams to join");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = team_json(&items[i].team);

		if (o)
			json_object_set_new(o, "my_membership", items[i].my_id ? json_pack("{s:I, s:s}", "id",
											    (json_int_t)items[i].my_id,
											    "state", items[i].my_state)
									       : json_null());
		arr = json_push(arr, o);
	}
	free(items);
	reply_json(c, 200, json_pack("{s:o}", "items", arr));
}
