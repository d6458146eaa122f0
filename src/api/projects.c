/* projects.c: a community's service projects (项目清单): run by staff, read by members and residents once running */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "base/valid.h"
#include "domain/post.h"
#include "domain/project.h"

static json_t *links_json(struct db *db, int64_t id)
{
	struct project_link *items;
	size_t n;
	json_t *arr;

	if (project_links(db, id, &items, &n) != PROJECT_OK)
		return NULL;
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, json_pack("{s:I, s:s, s:I}", "id", (json_int_t)items[i].id, "kind", items[i].kind,
					       "ref_id", (json_int_t)items[i].ref_id));
	free(items);
	return arr;
}

static json_t *notes_json(struct db *db, int64_t id)
{
	struct project_note *items;
	size_t n;
	json_t *arr;

	if (project_notes(db, id, &items, &n) != PROJECT_OK)
		return NULL;
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, json_pack("{s:I, s:s, s:s, s:s, s:I}", "id", (json_int_t)items[i].id, "on_date",
					       items[i].on_date, "body", items[i].body, "by", items[i].by, "created_at",
					       (json_int_t)items[i].created_at));
	free(items);
	return arr;
}

static void reply_project(struct call *c, int status, int64_t id)
{
	struct project p;
	struct project_results r;
	json_t *o;

	if (project_get(c->db, id, &p) != PROJECT_OK || project_results(c->db, id, &r) != PROJECT_OK) {
		reply_internal(c, "reading a project");
		return;
	}
	o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s?, s:s, s:s, s:o, s:o, s:{s:I, s:I, s:f, s:I, s:I}}", "id",
		      (json_int_t)p.id, "community_code", p.community_code, "community_name", p.community_name, "name",
		      p.name, "goal", p.goal, "starts_on", p.starts_on, "ends_on", p.ends_on[0] ? p.ends_on : NULL,
		      "state", p.state, "state_reason", p.state_reason, "links", links_json(c->db, id), "notes",
		      notes_json(c->db, id), "results", "people_served", (json_int_t)r.people_served, "minutes",
		      (json_int_t)r.minutes, "hours", (double)r.minutes / 60.0, "activities_held",
		      (json_int_t)r.activities_held, "needs_closed", (json_int_t)r.needs_closed);
	reply_json(c, status, o);
}

/* Project {id} for the caller: staff in scope (allowed a), or (reading a running one) a member or resident of its community. */
static int project_or_reply(struct call *c, enum action a, struct project *p)
{
	struct post_member m;
	int64_t id;
	int rc;
	bool ok = false;

	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = project_get(c->db, id, p);
	if (rc == PROJECT_OK) {
		ok = authz_allows(&c->who, ACT_SERVE_READ, &(struct target){ p->community_path, 0 });
		if (!ok && a == ACT_SERVE_READ && !strcmp(p->state, "running")) {
			for (size_t i = 0; !ok && i < c->who.ngrants; i++)
				ok = c->who.grants[i].role == ROLE_RESIDENT && !c->who.grants[i].pending &&
				     !strcmp(c->who.grants[i].region_code, p->community_code);
			if (!ok && post_acting_member(c->db, c->actor.account_id, &m) == POST_OK)
				ok = m.approved && !strcmp(m.community_code, p->community_code);
			if (ok)
				return 0;
		}
		if (!ok)
			rc = PROJECT_NOT_FOUND;
	}
	if (rc == PROJECT_NOT_FOUND) {
		reply_problem(c, 404, "not_found", "找不到该项目");
		return -1;
	}
	if (rc != PROJECT_OK) {
		reply_internal(c, "reading a project");
		return -1;
	}
	return call_allow_or_reply(c, a, &(struct target){ p->community_path, 0 });
}

static void reply_project_error(struct call *c, int rc, const struct field_errors *errs)
{
	if (rc == PROJECT_INVALID)
		reply_errors(c, 422, errs);
	else if (rc == PROJECT_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该项目");
	else if (rc == PROJECT_BAD_STATE)
		reply_field(c, 409, "state", "conflict", "项目当前状态不能这样变更");
	else if (rc == PROJECT_DUPLICATE)
		reply_field(c, 409, "ref_id", "conflict", "已经关联过");
	else
		reply_internal(c, "writing a project");
}

struct project_body {
	char *community_code, *name, *goal, *starts_on, *ends_on;
};

static const struct spec_field project_spec[] = {
	SPEC(struct project_body, community_code, SPEC_STR, SPEC_REQUIRED, 1, 18),
	SPEC(struct project_body, name, SPEC_STR, SPEC_REQUIRED, 1, PROJECT_NAME_MAX),
	SPEC(struct project_body, goal, SPEC_STR, 0, 0, PROJECT_GOAL_MAX),
	SPEC(struct project_body, starts_on, SPEC_STR, SPEC_REQUIRED, 1, 10),
	SPEC(struct project_body, ends_on, SPEC_STR, 0, 0, 10),
	{ 0 },
};

void projects_create(struct call *c)
{
	struct field_errors errs = { 0 };
	struct project_body b = { 0 };
	struct region r;
	int64_t id;
	int rc;

	if (call_body_or_reply(c, project_spec, &b) < 0)
		return;
	rc = valid_digits(b.community_code, 12, 18) ? region_get(c->db, b.community_code, &r) : REGION_NOT_FOUND;
	if (rc == REGION_NOT_FOUND || (rc == REGION_OK && strcmp(r.level, "community")))
		reply_field(c, 422, "community_code", "not_found", "应为一个社区");
	else if (rc != REGION_OK)
		reply_internal(c, "reading a community");
	else if (call_allow_or_reply(c, ACT_SERVE_MANAGE, &(struct target){ r.path, 0 }) == 0) {
		struct project_input in = { b.community_code, b.name, b.goal, b.starts_on, b.ends_on };

		rc = project_create(c->db, &c->actor, &in, &errs, &id);
		if (rc != PROJECT_OK)
			reply_project_error(c, rc, &errs);
		else
			reply_project(c, 201, id);
	}
	spec_release(project_spec, &b);
}

void projects_get(struct call *c)
{
	struct project p;

	if (project_or_reply(c, ACT_SERVE_READ, &p) == 0)
		reply_project(c, 200, p.id);
}

struct link_body {
	char *kind;
	long long ref_id;
};

static const char *const link_kinds[] = { "activity", "post", "resource", "need", NULL };
static const struct spec_field link_spec[] = {
	SPEC_CHOICE(struct link_body, kind, SPEC_REQUIRED, link_kinds),
	SPEC(struct link_body, ref_id, SPEC_INT, SPEC_REQUIRED, 1, INT64_MAX),
	{ 0 },
};

void projects_link(struct call *c)
{
	struct field_errors errs = { 0 };
	struct link_body b = { 0 };
	struct project p;
	int64_t link_id;
	int rc;

	if (project_or_reply(c, ACT_SERVE_MANAGE, &p) < 0 || call_body_or_reply(c, link_spec, &b) < 0)
		return;
	rc = project_link(c->db, &c->actor, p.id, b.kind, b.ref_id, &errs, &link_id);
	if (rc != PROJECT_OK)
		reply_project_error(c, rc, &errs);
	else
		reply_project(c, 201, p.id);
	spec_release(link_spec, &b);
}

struct note_body {
	char *on_date, *body;
};

static const struct spec_field note_spec[] = {
	SPEC(struct note_body, on_date, SPEC_STR, SPEC_REQUIRED, 1, 10),
	SPEC(struct note_body, body, SPEC_STR, SPEC_REQUIRED, 1, PROJECT_NOTE_MAX),
	{ 0 },
};

void projects_note(struct call *c)
{
	struct field_errors errs = { 0 };
	struct note_body b = { 0 };
	struct project p;
	int rc;

	if (project_or_reply(c, ACT_SERVE_MANAGE, &p) < 0 || call_body_or_reply(c, note_spec, &b) < 0)
		return;
	rc = project_note(c->db, &c->actor, p.id, b.on_date, b.body, &errs);
	if (rc != PROJECT_OK)
		reply_project_error(c, rc, &errs);
	else
		reply_project(c, 201, p.id);
	spec_release(note_spec, &b);
}

struct state_body {
	char *state, *reason;
};

static const char *const states[] = { "running", "finished", "cancelled", NULL };
static const struct spec_field state_spec[] = {
	SPEC_CHOICE(struct state_body, state, SPEC_REQUIRED, states),
	SPEC(struct state_body, reason, SPEC_STR, 0, 0, PROJECT_REASON_MAX),
	{ 0 },
};

void projects_state(struct call *c)
{
	struct field_errors errs = { 0 };
	struct state_body b = { 0 };
	struct project p;
	int rc;

	if (project_or_reply(c, ACT_SERVE_MANAGE, &p) < 0 || call_body_or_reply(c, state_spec, &b) < 0)
		return;
	rc = project_set_state(c->db, &c->actor, p.id, b.state, b.reason, &errs);
	if (rc != PROJECT_OK)
		reply_project_error(c, rc, &errs);
	else
		reply_project(c, 200, p.id);
	spec_release(state_spec, &b);
}

void projects_unlink(struct call *c)
{
	struct project p;
	int64_t link_id;
	int rc;

	if (project_or_reply(c, ACT_SERVE_MANAGE, &p) < 0 || call_id_or_reply(c, 1, &link_id) < 0)
		return;
	rc = project_unlink(c->db, &c->actor, p.id, link_id);
	if (rc != PROJECT_OK)
		reply_project_error(c, rc, NULL);
	else
		reply_project(c, 200, p.id);
}

/* GET /projects?community=&state=: the projects of communities in scope (at most 200), newest first. */
void projects_list(struct call *c)
{
	static const char *const all_states[] = { "planning", "running", "finished", "cancelled", NULL };
	struct project_filter f = { 0 };
	struct project *items;
	struct scope scope;
	size_t n;
	json_t *arr;

	if (call_query_or_reply(c, "community", 18, &f.community) < 0 ||
	    call_choice_or_reply(c, "state", all_states, &f.state) < 0)
		return;
	authz_scope(&c->who, ACT_SERVE_READ, &scope);
	f.scope = &scope;
	if (project_list(c->db, &f, &items, &n) != PROJECT_OK) {
		reply_internal(c, "listing projects");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)items[i].id, "name",
					       items[i].name, "state", items[i].state, "starts_on", items[i].starts_on,
					       "ends_on", items[i].ends_on, "community_code", items[i].community_code,
					       "community_name", items[i].community_name));
	free(items);
	reply_json(c, 200, json_pack("{s:o}", "items", arr));
}
