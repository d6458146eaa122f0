/* project.c: projects of a community: created, linked, noted, moved through their states; results from confirmed records */
#include "domain/project.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/valid.h"

static bool given(const char *s)
{
	return s && *s;
}

static int finish(struct db *db, int rc)
{
	if (rc != PROJECT_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) < 0 ? PROJECT_ERROR : PROJECT_OK;
}

static int audit_project(struct db *db, const struct actor *who, const char *action, int64_t id, const char *path,
			 const char *detail)
{
	char idt[24];

	snprintf(idt, sizeof(idt), "%" PRId64, id);
	return audit_append_detail(db, who, action, "project", idt, path, "ok", detail ? detail : "");
}

static void bind_account(struct db_stmt *st, int i, const struct actor *who)
{
	if (who->account_id)
		db_bind_int(st, i, who->account_id);
	else
		db_bind_null(st, i);
}

int project_create(struct db *db, const struct actor *who, const struct project_input *in,
		   struct field_errors *errs, int64_t *id)
{
	struct region community;
	struct db_stmt *st;
	int64_t now = clock_now();
	int rc;

	if (db_begin(db) < 0)
		return PROJECT_ERROR;
	rc = given(in->community_code) ? region_get(db, in->community_code, &community) : REGION_NOT_FOUND;
	if (rc == REGION_ERROR)
		return finish(db, PROJECT_ERROR);
	if (rc != REGION_OK || strcmp(community.level, "community"))
		field_errors_add(errs, "community_code", "not_found", "应为一个社区");
	if (!given(in->name))
		field_errors_add(errs, "name", "required", NULL);
	if (!given(in->starts_on) || !valid_date(in->starts_on))
		field_errors_add(errs, "starts_on", "format", "应为日期，如 2026-03-01");
	if (given(in->ends_on) && !valid_date(in->ends_on))
		field_errors_add(errs, "ends_on", "format", "应为日期，如 2026-12-31");
	else if (given(in->ends_on) && given(in->starts_on) && strcmp(in->ends_on, in->starts_on) < 0)
		field_errors_add(errs, "ends_on", "too_small", "结束日期不能早于开始日期");
	if (errs->n)
		return finish(db, PROJECT_INVALID);
	st = db_prepare(db, "INSERT INTO project (community_code, name, goal, starts_on, ends_on, state, created_by, "
			    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'planning', ?, ?, ?) RETURNING id");
	db_bind_text(st, 1, in->community_code);
	db_bind_text(st, 2, in->name);
	db_bind_text(st, 3, in->goal ? in->goal : "");
	db_bind_text(st, 4, in->starts_on);
	db_bind_text(st, 5, in->ends_on ? in->ends_on : "");
	bind_account(st, 6, who);
	db_bind_int(st, 7, now);
	db_bind_int(st, 8, now);
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	return finish(db, rc == DB_ROW && audit_project(db, who, "project.create", *id, community.path, in->name) == 0
				  ? PROJECT_OK
				  : PROJECT_ERROR);
}


/* Whether ref of kind belongs to community: 1 yes, 0 no, -1 error. */
static int ref_in(struct db *db, const char *kind, int64_t ref, const char *community)
{
	const char *sql = !strcmp(kind, "activity") ? "SELECT 1 FROM activity WHERE id = ? AND community_code = ?"
			  : !strcmp(kind, "post")   ? "SELECT 1 FROM post WHERE id = ? AND community_code = ?"
			  : !strcmp(kind, "need")   ? "SELECT 1 FROM need WHERE id = ? AND community_code = ?"
						    : "SELECT 1 FROM resource WHERE id = ? AND community_code = ?";
	struct db_stmt *st = db_prepare(db, sql);
	int rc;

	db_bind_int(st, 1, ref);
	db_bind_text(st, 2, community);
	rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int project_link(struct db *db, const struct actor *who, int64_t id, const char *kind, int64_t ref_id,
		 struct field_errors *errs, int64_t *link_id)
{
	struct project p;
	struct db_stmt *st;
	int rc;

	if (db_begin(db) < 0)
		return PROJECT_ERROR;
	rc = project_get(db, id, &p);
	if (rc != PROJECT_OK)
		return finish(db, rc);
	rc = ref_in(db, kind, ref_id, p.community_code);
	if (rc < 0)
		return finish(db, PROJECT_ERROR);
	if (!rc) {
		field_errors_add(errs, "ref_id", "not_found", "本社区没有该活动、岗位、资源或需求");
		return finish(db, PROJECT_INVALID);
	}
	st = db_prepare(db, "SELECT 1 FROM project_link WHERE project_id = ? AND kind = ? AND ref_id = ?");
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, kind);
	db_bind_int(st, 3, ref_id);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return finish(db, rc == DB_ROW ? PROJECT_DUPLICATE : PROJECT_ERROR);
	st = db_prepare(db, "INSERT INTO project_link (project_id, kind, ref_id, created_at) VALUES (?, ?, ?, ?) "
			    "RETURNING id");
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, kind);
	db_bind_int(st, 3, ref_id);
	db_bind_int(st, 4, clock_now());
	rc = db_step(st);
	if (rc == DB_ROW)
		*link_id = db_col_int(st, 0);
	db_done(st);
	return finish(db, rc == DB_ROW && audit_project(db, who, "project.link", id, p.community_path, kind) == 0
				  ? PROJECT_OK
				  : PROJECT_ERROR);
}

int project_set_state(struct db *db, const struct actor *who, int64_t id, const char *state, const char *reason,
		      struct field_errors *errs)
{
	struct project p;
	struct db_stmt *st;
	bool ok;
	int rc;

	if (db_begin(db) < 0)
		return PROJECT_ERROR;
	rc = project_get(db, id, &p);
	if (rc != PROJECT_OK)
		return finish(db, rc);
	ok = (!strcmp(p.state, "planning") && (!strcmp(state, "running") || !strcmp(state, "cancelled"))) ||
	     (!strcmp(p.state, "running") && (!strcmp(state, "finished") || !strcmp(state, "cancelled")));
	if (!ok)
		return finish(db, PROJECT_BAD_STATE);
	if (!strcmp(state, "cancelled") && !given(reason)) {
		field_errors_add(errs, "reason", "required", "取消项目需说明原因");
		return finish(db, PROJECT_INVALID);
	}
	st = db_prepare(db, "UPDATE project SET state = ?, state_reason = ?, updated_at = ? WHERE id = ?");
	db_bind_text(st, 1, state);
	db_bind_text(st, 2, reason ? reason : "");
	db_bind_int(st, 3, clock_now());
	db_bind_int(st, 4, id);
	rc = db_step(st);
	db_done(st);
	return finish(db, rc == DB_DONE && audit_project(db, who, "project.state", id, p.community_path, state) == 0
				  ? PROJECT_OK
				  : PROJECT_ERROR);
}

int project_note(struct db *db, const struct actor *who, int64_t id, const char *on_date, const char *body,
		 struct field_errors *errs)
{
	struct project p;
	struct db_stmt *st;
	int rc;

	if (db_begin(db) < 0)
		return PROJECT_ERROR;
	rc = project_get(db, id, &p);
	if (rc != PROJECT_OK)
		return finish(db, rc);
	if (!given(on_date) || !valid_date(on_date))
		field_errors_add(errs, "on_date", "format", "应为日期，如 2026-03-01");
	if (!given(body))
		field_errors_add(errs, "body", "required", NULL);
	if (errs->n)
		return finish(db, PROJECT_INVALID);
	st = db_prepare(db, "INSERT INTO project_note (project_id, on_date, body, created_by, created_at) VALUES "
			    "(?, ?, ?, ?, ?)");
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, on_date);
	db_bind_text(st, 3, body);
	bind_account(st, 4, who);
	db_bind_int(st, 5, clock_now());
	rc = db_step(st);
	db_done(st);
	return finish(db, rc == DB_DONE && audit_project(db, who, "project.note", id, p.community_path, on_date) == 0
				  ? PROJECT_OK
				  : PROJECT_ERROR);
}

int project_results(struct db *db, int64_t id, struct project_results *out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT COUNT(DISTINCT r.member_id), COALESCE(SUM(r.minutes), 0) FROM record r WHERE r.state = 'confirmed' "
		"AND ((r.activity_id IS NOT NULL AND r.activity_id IN (SELECT l.ref_id FROM project_link l WHERE "
		"l.project_id = ? AND l.kind = 'activity')) OR (r.post_id IS NOT NULL AND r.post_id IN (SELECT l.ref_id FROM "
		"project_link l WHERE l.project_id = ? AND l.kind = 'post')) OR (r.source = 'need' AND r.origin_id IN "
		"(SELECT l.ref_id FROM project_link l WHERE l.project_id = ? AND l.kind = 'need')))");
	int rc;

	memset(out, 0, sizeof(*out));
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, id);
	db_bind_int(st, 3, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->people_served = db_col_int(st, 0);
		out->minutes = db_col_int(st, 1);
	}
	db_done(st);
	if (rc != DB_ROW)
		return PROJECT_ERROR;
	st = db_prepare(db, "SELECT COUNT(*) FROM activity a JOIN project_link l ON l.ref_id = a.id AND l.kind = 'activity' "
			    "WHERE l.project_id = ? AND a.state <> 'cancelled' AND a.state <> 'draft' AND a.ends_at <= ?");
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, clock_now());
	rc = db_step(st);
	if (rc == DB_ROW)
		out->activities_held = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return PROJECT_ERROR;
	/* Needs closed: linked ones confirmed by their residents, and those converted into it once it has finished. */
	st = db_prepare(db, "SELECT COUNT(*) FROM need n JOIN project_link l ON l.ref_id = n.id AND l.kind = 'need' "
			    "JOIN project p ON p.id = l.project_id WHERE l.project_id = ? AND (n.state = 'closed' OR "
			    "(n.state = 'converted' AND p.state = 'finished'))");
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		out->needs_closed = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? PROJECT_OK : PROJECT_ERROR;
}

int project_unlink(struct db *db, const struct actor *who, int64_t id, int64_t link_id)
{
	struct project p;
	struct db_stmt *st;
	int rc;

	if (db_begin(db) < 0)
		return PROJECT_ERROR;
	rc = project_get(db, id, &p);
	if (rc != PROJECT_OK)
		return finish(db, rc);
	st = db_prepare(db, "DELETE FROM project_link WHERE id = ? AND project_id = ? RETURNING kind");
	db_bind_int(st, 1, link_id);
	db_bind_int(st, 2, id);
	rc = db_step(st);
	db_done(st);
	if (rc == DB_DONE)
		return finish(db, PROJECT_NOT_FOUND);
	return finish(db, rc == DB_ROW && audit_project(db, who, "project.unlink", id, p.community_path, "") == 0
				  ? PROJECT_OK
				  : PROJECT_ERROR);
}
