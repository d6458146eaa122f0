/* campaign.c: campaigns created, published, closed; buildings added as stretches; households marked with their counts kept */
#include "domain/campaign.h"
#include "domain/campaign_row.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/valid.h"
#include "domain/household.h"

const char *const campaign_marks[] = { "visited", "absent", "declined", "empty", NULL };

bool campaign_mark_final(enum campaign_mark_kind k)
{
	return k != MARK_ABSENT;
}

int campaign_finish(struct db *db, int rc)
{
	if (rc == CAMPAIGN_OK && db_commit(db) < 0)
		rc = CAMPAIGN_ERROR;
	if (rc != CAMPAIGN_OK)
		db_rollback(db);
	return rc;
}

void campaign_check_text(const char *s, const char *field, size_t min, size_t max, struct field_errors *errs)
{
	size_t n = s ? utf8_chars(s) : 0;

	if (s && !valid_utf8_text(s, strlen(s)))
		field_errors_add(errs, field, "invalid", "含有无法识别的字符");
	else if (n < min)
		field_errors_add(errs, field, "required", "不能为空");
	else if (n > max)
		field_errors_add(errs, field, "too_long", "太长了");
}

/* Days from 1970-01-01 of a valid date (civil-from-days, inverted). */
static int64_t day_number(const char *date)
{
	int y, m, d;

	date_split(date, &y, &m, &d);
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

bool campaign_check(const struct campaign_input *in, struct field_errors *errs)
{
	size_t before = errs->n;
	bool dates = true;

	campaign_check_text(in->title, "title", 1, CAMPAIGN_TITLE_MAX, errs);
	campaign_check_text(in->description, "description", 0, CAMPAIGN_TEXT_MAX, errs);
	if (!in->starts_on || !valid_date(in->starts_on)) {
		field_errors_add(errs, "starts_on", "format", "应为日期，如 2026-12-05");
		dates = false;
	}
	if (!in->ends_on || !valid_date(in->ends_on)) {
		field_errors_add(errs, "ends_on", "format", "应为日期，如 2026-12-31");
		dates = false;
	}
	if (dates && strcmp(in->ends_on, in->starts_on) < 0)
		field_errors_add(errs, "ends_on", "too_small", "结束日期不能早于开始日期");
	else if (dates && day_number(in->ends_on) - day_number(in->starts_on) >= CAMPAIGN_DAYS_MAX)
		field_errors_add(errs, "ends_on", "too_large", "一次行动最长一年");
	catalog_check_fields(in->fields, in->nfields, errs);
	return errs->n == before;
}

/* The region of a new campaign: a community or a street. */
static int region_of(struct db *db, const char *code, struct region *r, struct field_errors *errs)
{
	int rc = code && valid_digits(code, 12, 18) ? region_get(db, code, r) : REGION_NOT_FOUND;

	if (rc == REGION_OK && strcmp(r->level, "community") && strcmp(r->level, "street"))
		rc = REGION_NOT_FOUND;
	if (rc == REGION_NOT_FOUND) {
		field_errors_add(errs, "region_code", "not_found", "应为一个社区或街道");
		return CAMPAIGN_INVALID;
	}
	return rc == REGION_OK ? CAMPAIGN_OK : CAMPAIGN_ERROR;
}

static int write_fields(struct db *db, int64_t id, const struct campaign_input *in)
{
	int rc = DB_DONE;

	for (size_t i = 0; rc == DB_DONE && i < in->nfields; i++) {
		const struct catalog_field *f = &in->fields[i];
		struct db_stmt *st = db_prepare(db, "INSERT INTO campaign_field (campaign_id, position, name, type, "
						    "required, choices) VALUES (?, ?, ?, ?, ?, ?)");

		db_bind_int(st, 1, id);
		db_bind_int(st, 2, (int64_t)i + 1);
		db_bind_text(st, 3, f->name);
		db_bind_text(st, 4, catalog_field_type_name(f->type));
		db_bind_int(st, 5, f->required);
		db_bind_text(st, 6, f->type == FIELD_CHOICE || f->type == FIELD_CHOICES ? f->choices : "");
		rc = db_step(st);
		db_done(st);
	}
	return rc == DB_DONE ? CAMPAIGN_OK : CAMPAIGN_ERROR;
}

int campaign_audit(struct db *db, const struct actor *who, const char *action, int64_t id, const char *path)
{
	char idt[24];

	snprintf(idt, sizeof(idt), "%" PRId64, id);
	return audit_append(db, who, action, "campaign", idt, path, "ok") < 0 ? CAMPAIGN_ERROR : CAMPAIGN_OK;
}

int campaign_create(struct db *db, const struct actor *who, const struct campaign_input *in,
		    struct field_errors *errs, int64_t *id)
{
	const int64_t now = clock_now();
	struct catalog_item *item;
	struct region r;
	struct db_stmt *st;
	int rc;

	if (!campaign_check(in, errs))
		return CAMPAIGN_INVALID;
	if (db_begin(db) < 0)
		return CAMPAIGN_ERROR;
	rc = region_of(db, in->region_code, &r, errs);
	item = xmalloc(sizeof(*item));
	if (rc == CAMPAIGN_OK) {
		int got = catalog_item_get(db, in->item_id, item);

		if (got == CATALOG_ERROR)
			rc = CAMPAIGN_ERROR;
		else if (got != CATALOG_OK || !catalog_offered(item, r.path)) {
			field_errors_add(errs, "item_id", "not_found", "应为本地提供的服务项目");
			rc = CAMPAIGN_INVALID;
		}
	}
	free(item);
	if (rc == CAMPAIGN_OK) {
		st = db_prepare(db, "INSERT INTO campaign (region_code, title, description, item_id, state, starts_on, "
				    "ends_on, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, 'draft', ?, ?, ?, ?, "
				    "?) RETURNING id");
		db_bind_text(st, 1, r.code);
		db_bind_text(st, 2, in->title);
		db_bind_text(st, 3, in->description ? in->description : "");
		db_bind_int(st, 4, in->item_id);
		db_bind_text(st, 5, in->starts_on);
		db_bind_text(st, 6, in->ends_on);
		if (who->account_id)
			db_bind_int(st, 7, who->account_id);
		else
			db_bind_null(st, 7);
		db_bind_int(st, 8, now);
		db_bind_int(st, 9, now);
		rc = db_step(st) == DB_ROW ? CAMPAIGN_OK : CAMPAIGN_ERROR;
		if (rc == CAMPAIGN_OK)
			*id = db_col_int(st, 0);
		db_done(st);
	}
	if (rc == CAMPAIGN_OK)
		rc = write_fields(db, *id, in);
	if (rc == CAMPAIGN_OK)
		rc = campaign_audit(db, who, "campaign.create", *id, r.path);
	return campaign_finish(db, rc);
}

void campaign_tally_add(struct campaign_tally *t, struct db_stmt *st, int col)
{
	t->households += db_col_int(st, col);
	t->todo += db_col_int(st, col + 1);
	for (int k = 0; k < MARK_COUNT; k++)
		t->marked[k] += db_col_int(st, col + 2 + k);
}

int campaign_head(struct db *db, int64_t id, struct campaign *out)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT c.id, c.region_code, r.path, r.name, c.title, c.description, c.item_id, i.name, c.state, "
		    "c.starts_on, c.ends_on, c.created_at, c.updated_at FROM campaign c JOIN region r ON r.code = "
		    "c.region_code JOIN catalog_item i ON i.id = c.item_id WHERE c.id = ?");
	int rc;

	memset(out, 0, offsetof(struct campaign, fields));
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = db_col_int(st, 0);
		str_copy(out->region_code, sizeof(out->region_code), db_col_text(st, 1));
		str_copy(out->region_path, sizeof(out->region_path), db_col_text(st, 2));
		str_copy(out->region_name, sizeof(out->region_name), db_col_text(st, 3));
		str_copy(out->title, sizeof(out->title), db_col_text(st, 4));
		str_copy(out->description, sizeof(out->description), db_col_text(st, 5));
		out->item_id = db_col_int(st, 6);
		str_copy(out->item_name, sizeof(out->item_name), db_col_text(st, 7));
		str_copy(out->state, sizeof(out->state), db_col_text(st, 8));
		str_copy(out->starts_on, sizeof(out->starts_on), db_col_text(st, 9));
		str_copy(out->ends_on, sizeof(out->ends_on), db_col_text(st, 10));
		out->created_at = db_col_int(st, 11);
		out->updated_at = db_col_int(st, 12);
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? CAMPAIGN_NOT_FOUND : CAMPAIGN_ERROR;
	memset(&out->tally, 0, sizeof(out->tally));
	out->nfields = 0;
	st = db_prepare(db, "SELECT name, type, required, choices FROM campaign_field WHERE campaign_id = ? ORDER BY "
			    "position");
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW && out->nfields < CATALOG_FIELDS_MAX) {
		struct catalog_field *f = &out->fields[out->nfields++];

		str_copy(f->name, sizeof(f->name), db_col_text(st, 0));
		catalog_field_type_parse(db_col_text(st, 1), &f->type);
		f->required = db_col_int(st, 2) != 0;
		str_copy(f->choices, sizeof(f->choices), db_col_text(st, 3));
	}
	db_done(st);
	if (rc != DB_DONE && rc != DB_ROW)
		return CAMPAIGN_ERROR;
	return CAMPAIGN_OK;
}

int campaign_get(struct db *db, int64_t id, struct campaign *out)
{
	struct db_stmt *st;
	int rc = campaign_head(db, id, out);

	if (rc != CAMPAIGN_OK)
		return rc;
	st = db_prepare(db, "SELECT COUNT(*), COUNT(s.member_id), COALESCE(SUM(s.households), 0), "
			    "COALESCE(SUM(s.todo), 0), COALESCE(SUM(s.visited), 0), COALESCE(SUM(s.absent), 0), "
			    "COALESCE(SUM(s.declined), 0), COALESCE(SUM(s.empty), 0) FROM campaign_stretch s WHERE "
			    "s.campaign_id = ?");
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->stretches = db_col_int(st, 0);
		out->assigned = db_col_int(st, 1);
		campaign_tally_add(&out->tally, st, 2);
	}
	db_done(st);
	return rc == DB_ROW ? CAMPAIGN_OK : CAMPAIGN_ERROR;
}

static int move_state(struct db *db, const struct actor *who, int64_t id, const char *from, const char *to,
		      const char *action)
{
	struct campaign *c = xmalloc(sizeof(*c));
	struct db_stmt *st;
	int rc;

	if (db_begin(db) < 0) {
		free(c);
		return CAMPAIGN_ERROR;
	}
	rc = campaign_get(db, id, c);
	if (rc == CAMPAIGN_OK && strcmp(c->state, from))
		rc = CAMPAIGN_BAD_STATE;
	if (rc == CAMPAIGN_OK) {
		st = db_prepare(db, "UPDATE campaign SET state = ?, updated_at = ? WHERE id = ? AND state = ?");
		db_bind_text(st, 1, to);
		db_bind_int(st, 2, clock_now());
		db_bind_int(st, 3, id);
		db_bind_text(st, 4, from);
		rc = db_step(st) == DB_DONE ? CAMPAIGN_OK : CAMPAIGN_ERROR;
		db_done(st);
	}
	if (rc == CAMPAIGN_OK)
		rc = campaign_audit(db, who, action, id, c->region_path);
	free(c);
	return campaign_finish(db, rc);
}

int campaign_publish(struct db *db, const struct actor *who, int64_t id)
{
	return move_state(db, who, id, "draft", "active", "campaign.publish");
}

int campaign_close(struct db *db, const struct actor *who, int64_t id)
{
	return move_state(db, who, id, "active", "closed", "campaign.close");
}

/* One stretch of building (unit_no: its 单元, NULL the whole building) with its households to do. */
static int add_stretch(struct db *db, int64_t campaign_id, const char *building, const char *unit_no, int64_t now,
		       bool *added)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO campaign_stretch (campaign_id, building_code, unit_no, "
					    "updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (campaign_id, building_code, unit_no) "
					    "DO NOTHING RETURNING id");
	int64_t sid = 0, n = 0;
	int rc;

	db_bind_int(st, 1, campaign_id);
	db_bind_text(st, 2, building);
	db_bind_text(st, 3, unit_no ? unit_no : "");
	db_bind_int(st, 4, now);
	rc = db_step(st);
	if (rc == DB_ROW)
		sid = db_col_int(st, 0);
	db_done(st);
	*added = rc == DB_ROW;
	/* There already (no row returned): left as it is. A failed statement would abort PostgreSQL's transaction. */
	if (rc == DB_DONE)
		return CAMPAIGN_OK;
	if (rc != DB_ROW)
		return CAMPAIGN_ERROR;
	st = db_prepare(db, unit_no ? "INSERT INTO campaign_household (campaign_id, household_id, stretch_id, state, "
				      "updated_at) SELECT ?1, id, ?2, 'todo', ?3 FROM household WHERE building_code = ?4 "
				      "AND unit_no = ?5"
				    : "INSERT INTO campaign_household (campaign_id, household_id, stretch_id, state, "
				      "updated_at) SELECT ?1, id, ?2, 'todo', ?3 FROM household WHERE building_code = ?4");
	db_bind_int(st, 1, campaign_id);
	db_bind_int(st, 2, sid);
	db_bind_int(st, 3, now);
	db_bind_text(st, 4, building);
	if (unit_no)
		db_bind_text(st, 5, unit_no);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return CAMPAIGN_ERROR;
	n = db_changes(db);
	st = db_prepare(db, "UPDATE campaign_stretch SET households = ?, todo = ? WHERE id = ?");
	db_bind_int(st, 1, n);
	db_bind_int(st, 2, n);
	db_bind_int(st, 3, sid);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? CAMPAIGN_OK : CAMPAIGN_ERROR;
}

/* The 单元 of a building's households, each once. *units: caller frees each and the array. */
static int units_of(struct db *db, const char *building, char ***units, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT DISTINCT unit_no FROM household WHERE building_code = ? ORDER BY "
					    "unit_no");
	int rc;

	*units = NULL;
	*n = 0;
	db_bind_text(st, 1, building);
	while ((rc = db_step(st)) == DB_ROW) {
		*units = xrealloc(*units, (*n + 1) * sizeof(**units));
		(*units)[(*n)++] = xstrdup(db_col_text(st, 0));
	}
	db_done(st);
	return rc == DB_DONE ? CAMPAIGN_OK : CAMPAIGN_ERROR;
}

int campaign_add_buildings(struct db *db, const struct actor *who, int64_t id, const char *const *codes, size_t n,
			   bool by_unit, struct field_errors *errs, size_t *added)
{
	const int64_t now = clock_now();
	struct campaign *c = xmalloc(sizeof(*c));
	int rc;

	*added = 0;
	if (n == 0 || n > CAMPAIGN_BUILDINGS_MAX) {
		field_errors_add(errs, "building_codes", n ? "too_long" : "required", "一次添加 1 到 1000 栋楼");
		free(c);
		return CAMPAIGN_INVALID;
	}
	if (db_begin(db) < 0) {
		free(c);
		return CAMPAIGN_ERROR;
	}
	rc = campaign_get(db, id, c);
	if (rc == CAMPAIGN_OK && !strcmp(c->state, "closed"))
		rc = CAMPAIGN_BAD_STATE;
	for (size_t i = 0; i < n && rc == CAMPAIGN_OK; i++) {
		struct region b, community;
		char key[40];
		int got = household_building(db, codes[i], &b, &community);

		snprintf(key, sizeof(key), "building_codes[%zu]", i);
		if (got == HOUSEHOLD_ERROR)
			rc = CAMPAIGN_ERROR;
		else if (got != HOUSEHOLD_OK || strncmp(b.path, c->region_path, strlen(c->region_path))) {
			field_errors_add(errs, key, "not_found", "应为本次行动所在区域的一栋楼");
			rc = CAMPAIGN_INVALID;
		} else if (!by_unit) {
			bool fresh;

			rc = add_stretch(db, id, b.code, NULL, now, &fresh);
			*added += fresh;
		} else {
			char **units;
			size_t nu;

			rc = units_of(db, b.code, &units, &nu);
			for (size_t u = 0; u < nu; u++) {
				bool fresh;

				if (rc == CAMPAIGN_OK)
					rc = add_stretch(db, id, b.code, units[u], now, &fresh), *added += fresh;
				free(units[u]);
			}
			free(units);
		}
	}
	if (rc == CAMPAIGN_OK)
		rc = campaign_audit(db, who, "campaign.buildings", id, c->region_path);
	free(c);
	return campaign_finish(db, rc);
}

int campaign_assign(struct db *db, const struct actor *who, int64_t stretch_id, int64_t member_id,
		    struct field_errors *errs)
{
	struct campaign_stretch s;
	struct region b, community;
	struct db_stmt *st;
	int rc;

	if (db_begin(db) < 0)
		return CAMPAIGN_ERROR;
	rc = campaign_stretch_get(db, stretch_id, &s);
	if (rc == CAMPAIGN_OK)
		rc = household_building(db, s.building_code, &b, &community) == HOUSEHOLD_OK ? CAMPAIGN_OK
											  : CAMPAIGN_ERROR;
	if (rc == CAMPAIGN_OK && member_id) {
		st = db_prepare(db, "SELECT 1 FROM member WHERE id = ? AND state = 'approved' AND community_code = ?");
		db_bind_int(st, 1, member_id);
		db_bind_text(st, 2, community.code);
		int got = db_step(st);

		db_done(st);
		if (got == DB_DONE) {
			field_errors_add(errs, "member_id", "not_found", "应为在本社区报到的党员");
			rc = CAMPAIGN_INVALID;
		} else if (got != DB_ROW)
			rc = CAMPAIGN_ERROR;
	}
	if (rc == CAMPAIGN_OK) {
		st = db_prepare(db, "UPDATE campaign_stretch SET member_id = ?, updated_at = ? WHERE id = ?");
		if (member_id)
			db_bind_int(st, 1, member_id);
		else
			db_bind_null(st, 1);
		db_bind_int(st, 2, clock_now());
		db_bind_int(st, 3, stretch_id);
		rc = db_step(st) == DB_DONE ? CAMPAIGN_OK : CAMPAIGN_ERROR;
		db_done(st);
	}
	if (rc == CAMPAIGN_OK)
		rc = campaign_audit(db, who, "campaign.assign", s.campaign_id, b.path);
	return campaign_finish(db, rc);
}

