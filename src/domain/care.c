/* care.c: the care register: checked, sealed, added, edited, closed, listed with visits due, revealed with a reason */
#include "domain/care.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/valid.h"
#include "domain/care_due.h"
#include "domain/care_row.h"

#define AD_CATEGORIES "care.categories"
#define AD_HEALTH "care.health"

const char *const care_bases[] = { "consent", "statutory", NULL };

int care_finish(struct db *db, int rc)
{
	if (rc == CARE_OK && db_commit(db) < 0)
		rc = CARE_ERROR;
	if (rc != CARE_OK)
		db_rollback(db);
	return rc;
}

int care_audit(struct db *db, const struct actor *who, const char *action, const char *type, int64_t id,
	       const char *path, const char *detail)
{
	char idt[24];

	snprintf(idt, sizeof(idt), "%" PRId64, id);
	return audit_append_detail(db, who, action, type, idt, path, "ok", detail) < 0 ? CARE_ERROR : CARE_OK;
}

static void check_text(const char *s, const char *field, size_t min, size_t max, struct field_errors *errs)
{
	size_t n = s ? utf8_chars(s) : 0;

	if (field_errors_has(errs, field))
		return;
	if (s && !valid_utf8_text(s, strlen(s)))
		field_errors_add(errs, field, "invalid", "含有无法识别的字符");
	else if (n < min)
		field_errors_add(errs, field, n ? "too_short" : "required", n ? "太短了" : "不能为空");
	else if (n > max)
		field_errors_add(errs, field, "too_long", "太长了");
}

static bool given(const char *s)
{
	return s && *s;
}

/* ---- categories ---- */

static void category_row(struct db_stmt *st, struct care_category *c)
{
	str_copy(c->code, sizeof(c->code), db_col_text(st, 0));
	str_copy(c->name, sizeof(c->name), db_col_text(st, 1));
	c->sensitive = db_col_int(st, 2) != 0;
	str_copy(c->frequency, sizeof(c->frequency), db_col_text(st, 3));
}

int care_categories(struct db *db, struct care_category **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT code, name, sensitive, frequency FROM care_category ORDER BY sort, code");
	int rc;

	*items = NULL;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		*items = xrealloc(*items, (*n + 1) * sizeof(**items));
		category_row(st, &(*items)[(*n)++]);
	}
	db_done(st);
	if (rc == DB_DONE)
		return CARE_OK;
	free(*items);
	*items = NULL;
	*n = 0;
	return CARE_ERROR;
}

/* Codes are lowercase letters, digits and '_' (never ',': the sealed list is "a,b"). */
static bool valid_code(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > CARE_CODE_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

int care_category_add(struct db *db, const struct actor *who, const struct care_category *c, struct field_errors *errs)
{
	struct db_stmt *st;
	size_t before = errs->n;
	int rc;

	if (!valid_code(c->code))
		field_errors_add(errs, "code", "format", "代码应为 1 到 32 个小写字母、数字或下划线");
	check_text(c->name, "name", 1, CARE_CATEGORY_NAME_MAX, errs);
	if (care_frequency_parse(c->frequency) < 0)
		field_errors_add(errs, "frequency", "enum", "走访频次不在列表中");
	if (errs->n != before)
		return CARE_INVALID;
	if (db_begin(db) < 0)
		return CARE_ERROR;
	st = db_prepare(db, "SELECT 1 FROM care_category WHERE code = ? OR name = ?");
	db_bind_text(st, 1, c->code);
	db_bind_text(st, 2, c->name);
	rc = db_step(st);
	db_done(st);
	rc = rc == DB_ROW ? CARE_DUPLICATE : rc == DB_DONE ? CARE_OK : CARE_ERROR;
	if (rc == CARE_OK) {
		st = db_prepare(db, "INSERT INTO care_category (code, name, sensitive, frequency, sort, created_at) "
				    "SELECT ?, ?, ?, ?, COALESCE(MAX(sort), 0) + 1, ? FROM care_category");
		db_bind_text(st, 1, c->code);
		db_bind_text(st, 2, c->name);
		db_bind_int(st, 3, c->sensitive);
		db_bind_text(st, 4, c->frequency);
		db_bind_int(st, 5, clock_now());
		rc = db_step(st);
		db_done(st);
		rc = rc == DB_DONE ? CARE_OK : rc == DB_UNIQUE ? CARE_DUPLICATE : CARE_ERROR;
	}
	if (rc == CARE_OK &&
	    audit_append(db, who, "care_category.create", "care_category", c->code, "", "ok") < 0)
		rc = CARE_ERROR;
	return care_finish(db, rc);
}

/*
 * Checks codes against the list: known, each once. Appends them to out as
 * "a,b" and gives the most frequent default of theirs in *freq (FREQ_COUNT: none).
 */
static int check_categories(struct db *db, const char *const *codes, size_t n, const char *field, struct buf *out,
			    int *freq, struct field_errors *errs)
{
	*freq = FREQ_COUNT;
	if (n == 0 || n > CARE_CATEGORIES_MAX) {
		field_errors_add(errs, field, n ? "too_long" : "required", n ? "类别最多 14 项" : "至少选择一个类别");
		return CARE_OK;
	}
	for (size_t i = 0; i < n; i++) {
		struct db_stmt *st;
		int rc, f;

		for (size_t j = 0; j < i; j++)
			if (!strcmp(codes[i], codes[j])) {
				field_errors_add(errs, field, "duplicate", "类别重复");
				return CARE_OK;
			}
		st = db_prepare(db, "SELECT frequency FROM care_category WHERE code = ?");
		db_bind_text(st, 1, codes[i]);
		rc = db_step(st);
		f = rc == DB_ROW ? care_frequency_parse(db_col_text(st, 0)) : -1;
		db_done(st);
		if (rc == DB_ERROR)
			return CARE_ERROR;
		if (rc != DB_ROW) {
			field_errors_add(errs, field, "enum", "类别不在列表中");
			return CARE_OK;
		}
		if (f >= 0 && f < *freq)
			*freq = f;
		if (i)
			buf_addch(out, ',');
		buf_addstr(out, codes[i]);
	}
	return CARE_OK;
}

/* Whether a row answers q bound to (text a, int b): CARE_OK, CARE_NOT_FOUND, CARE_ERROR. */
static int exists(struct db *db, const char *q, const char *a, int64_t b)
{
	struct db_stmt *st = db_prepare(db, q);
	int rc;

	db_bind_text(st, 1, a);
	db_bind_int(st, 2, b);
	rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? CARE_OK : rc == DB_DONE ? CARE_NOT_FOUND : CARE_ERROR;
}

/* Checks in for community (its code) into errs; the sealed category text into cats; the frequency into *freq. */
static int check_input(struct db *db, const struct care_input *in, const char *community, bool edit, struct buf *cats,
		       int *freq, struct field_errors *errs)
{
	char today[11];
	int rc, deflt = FREQ_COUNT;

	clock_date(clock_now(), today);
	check_text(in->name, "name", 1, CARE_NAME_MAX, errs);
	check_text(in->phone, "phone", 0, CARE_PHONE_MAX, errs);
	if (given(in->phone) && !field_errors_has(errs, "phone") && !valid_phone(in->phone))
		field_errors_add(errs, "phone", "format", "应为手机号或固定电话");
	check_text(in->address, "address", 0, CARE_ADDRESS_MAX, errs);
	check_text(in->help_what, "help_what", 1, CARE_HELP_WHAT_MAX, errs);
	check_text(in->help_who, "help_who", 0, CARE_HELP_WHO_MAX, errs);
	check_text(in->help_often, "help_often", 0, CARE_HELP_OFTEN_MAX, errs);
	check_text(in->health_note, "health_note", 0, CARE_HEALTH_MAX, errs);
	if (!in->basis || (strcmp(in->basis, "consent") && strcmp(in->basis, "statutory"))) {
		if (!field_errors_has(errs, "basis"))
			field_errors_add(errs, "basis", in->basis ? "enum" : "required", "应为 本人单独同意 或 法定职责");
	} else if (!strcmp(in->basis, "consent")) {
		if (!given(in->consented_on))
			field_errors_add(errs, "consented_on", "required", "请填写本人同意的日期");
		else if (!field_errors_has(errs, "consented_on") &&
			 (!valid_date(in->consented_on) || strcmp(in->consented_on, today) > 0))
			field_errors_add(errs, "consented_on", "format", "应为不晚于今天的日期，如 2026-03-01");
	} else
		check_text(in->law, "law", CARE_LAW_MIN, CARE_LAW_MAX, errs);
	if (in->frequency && care_frequency_parse(in->frequency) < 0 && !field_errors_has(errs, "frequency"))
		field_errors_add(errs, "frequency", "enum", "走访频次不在列表中");
	*freq = in->frequency ? care_frequency_parse(in->frequency) : -1;
	if ((!edit || in->ncategories) && !field_errors_has(errs, "categories") &&
	    check_categories(db, in->categories, in->ncategories, "categories", cats, &deflt, errs) != CARE_OK)
		return CARE_ERROR;
	if (*freq < 0)
		*freq = deflt;
	if (in->household_id) {
		rc = exists(db, "SELECT 1 FROM household WHERE community_code = ? AND id = ?", community, in->household_id);
		if (rc == CARE_ERROR)
			return rc;
		if (rc != CARE_OK)
			field_errors_add(errs, "household_id", "not_found", "应为本社区登记的一户");
	}
	if (in->account_id) {
		rc = exists(db, "SELECT 1 FROM role_grant WHERE region_code = ? AND account_id = ? AND role = 'resident'",
			    community, in->account_id);
		if (rc == CARE_ERROR)
			return rc;
		if (rc != CARE_OK)
			field_errors_add(errs, "account_id", "not_found", "应为本社区居民的账号");
	}
	return errs->n ? CARE_INVALID : CARE_OK;
}

static void bind_id_or_null(struct db_stmt *st, int i, int64_t id)
{
	if (id)
		db_bind_int(st, i, id);
	else
		db_bind_null(st, i);
}

static const char *text_or_empty(const char *s)
{
	return s ? s : "";
}

/* Binds the plain fields from i on: name … frequency (14 values). */
static void bind_plain(struct db_stmt *st, int i, const struct care_input *in, int freq)
{
	const bool consent = !strcmp(in->basis, "consent");

	db_bind_text(st, i, in->name);
	bind_id_or_null(st, i + 1, in->household_id);
	bind_id_or_null(st, i + 2, in->account_id);
	db_bind_text(st, i + 3, text_or_empty(in->phone));
	db_bind_text(st, i + 4, text_or_empty(in->address));
	db_bind_text(st, i + 5, in->basis);
	db_bind_text(st, i + 6, consent ? in->consented_on : "");
	db_bind_text(st, i + 7, consent ? "" : in->law);
	db_bind_text(st, i + 8, in->help_what);
	db_bind_text(st, i + 9, text_or_empty(in->help_who));
	db_bind_text(st, i + 10, text_or_empty(in->help_often));
	db_bind_text(st, i + 11, care_frequencies[freq]);
}

/* A sealed note, "" for none (so that whether one is held shows without opening it). */
static char *seal_health(const char *note)
{
	return given(note) ? crypto_seal(AD_HEALTH, note) : xstrdup("");
}

int care_add(struct db *db, const struct actor *who, const struct care_input *in, struct field_errors *errs,
	     int64_t *id)
{
	const int64_t now = clock_now();
	struct region community;
	struct buf cats = { 0 };
	struct db_stmt *st;
	char *sealed = NULL, *health = NULL;
	int rc, freq = FREQ_COUNT;

	if (db_begin(db) < 0)
		return CARE_ERROR;
	rc = in->community_code && valid_digits(in->community_code, 12, 18) ? region_get(db, in->community_code, &community)
									  : REGION_NOT_FOUND;
	if (rc == REGION_OK && strcmp(community.level, "community"))
		rc = REGION_NOT_FOUND;
	if (rc == REGION_NOT_FOUND) {
		field_errors_add(errs, "community_code", "not_found", "应为本社区");
		rc = CARE_INVALID;
	} else
		rc = rc == REGION_OK ? CARE_OK : CARE_ERROR;
	if (rc == CARE_OK)
		rc = check_input(db, in, community.code, false, &cats, &freq, errs);
	else if (rc == CARE_INVALID)
		check_input(db, in, "", false, &cats, &freq, errs);
	if (rc == CARE_OK) {
		sealed = crypto_seal(AD_CATEGORIES, buf_str(&cats));
		health = seal_health(in->health_note);
		st = db_prepare(db, "INSERT INTO care (community_code, name, household_id, account_id, phone, address, "
				    "basis, consented_on, law, help_what, help_who, help_often, frequency, categories_sealed, "
				    "ncategories, health_sealed, consent_by, state, created_by, created_at, updated_at) "
				    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?) RETURNING id");
		db_bind_text(st, 1, community.code);
		bind_plain(st, 2, in, freq);
		db_bind_text(st, 14, sealed);
		db_bind_int(st, 15, (int64_t)in->ncategories);
		db_bind_text(st, 16, health);
		bind_id_or_null(st, 17, !strcmp(in->basis, "consent") ? who->account_id : 0);
		bind_id_or_null(st, 18, who->account_id);
		db_bind_int(st, 19, now);
		db_bind_int(st, 20, now);
		rc = db_step(st);
		if (rc == DB_ROW)
			*id = db_col_int(st, 0);
		db_done(st);
		rc = rc == DB_ROW ? CARE_OK : CARE_ERROR;
	}
	if (rc == CARE_OK)
		rc = care_audit(db, who, "care.create", "care", *id, community.path, "");
	free(sealed);
	free(health);
	buf_release(&cats);
	return care_finish(db, rc);
}

int care_update(struct db *db, const struct actor *who, int64_t id, const struct care_input *in,
		struct field_errors *errs)
{
	char today[11];
	struct care *c = xmalloc(sizeof(*c));
	struct buf cats = { 0 };
	struct db_stmt *st;
	char *sealed = NULL, *health = NULL;
	int rc, freq = FREQ_COUNT;

	clock_date(clock_now(), today);
	if (db_begin(db) < 0) {
		free(c);
		return CARE_ERROR;
	}
	rc = care_get(db, id, today, c);
	if (rc == CARE_OK && strcmp(c->state, "active"))
		rc = CARE_BAD_STATE;
	if (rc == CARE_OK)
		rc = check_input(db, in, c->community_code, true, &cats, &freq, errs);
	if (rc == CARE_OK && freq == FREQ_COUNT)
		freq = care_frequency_parse(c->frequency);
	if (rc == CARE_OK) {
		/* The sealed fields change only when sent; consent_by follows whoever records a new consent. */
		sealed = in->ncategories ? crypto_seal(AD_CATEGORIES, buf_str(&cats)) : NULL;
		health = in->health_note ? seal_health(in->health_note) : NULL;
		st = db_prepare(db, "UPDATE care SET name = ?1, household_id = ?2, account_id = ?3, phone = ?4, "
				    "address = ?5, basis = ?6, consented_on = ?7, law = ?8, help_what = ?9, help_who = ?10, "
				    "help_often = ?11, frequency = ?12, categories_sealed = COALESCE(?13, categories_sealed), "
				    "ncategories = CASE WHEN ?14 > 0 THEN ?15 ELSE ncategories END, "
				    "health_sealed = COALESCE(?16, health_sealed), "
				    "consent_by = CASE WHEN ?6 <> 'consent' THEN NULL WHEN basis = ?6 AND consented_on = ?7 "
				    "THEN consent_by ELSE ?17 END, updated_at = ?18 WHERE id = ?19");
		bind_plain(st, 1, in, freq);
		db_bind_text(st, 13, sealed);
		db_bind_int(st, 14, (int64_t)in->ncategories);
		db_bind_int(st, 15, (int64_t)in->ncategories);
		db_bind_text(st, 16, health);
		bind_id_or_null(st, 17, who->account_id);
		db_bind_int(st, 18, clock_now());
		db_bind_int(st, 19, id);
		rc = db_step(st) == DB_DONE ? CARE_OK : CARE_ERROR;
		db_done(st);
	}
	if (rc == CARE_OK)
		rc = care_audit(db, who, "care.update", "care", id, c->community_path, "");
	free(sealed);
	free(health);
	buf_release(&cats);
	free(c);
	return care_finish(db, rc);
}

int care_close(struct db *db, const struct actor *who, int64_t id, const char *reason, struct field_errors *errs)
{
	const int64_t now = clock_now();
	char today[11];
	struct care *c;
	struct db_stmt *st;
	int rc;

	check_text(reason, "reason", CARE_REASON_MIN, CARE_CLOSE_MAX, errs);
	if (errs->n)
		return CARE_INVALID;
	clock_date(now, today);
	c = xmalloc(sizeof(*c));
	if (db_begin(db) < 0) {
		free(c);
		return CARE_ERROR;
	}
	rc = care_get(db, id, today, c);
	if (rc == CARE_OK && strcmp(c->state, "active"))
		rc = CARE_BAD_STATE;
	if (rc == CARE_OK) {
		st = db_prepare(db, "UPDATE care SET state = 'closed', close_reason = ?, closed_at = ?, updated_at = ? "
				    "WHERE id = ?");
		db_bind_text(st, 1, reason);
		db_bind_int(st, 2, now);
		db_bind_int(st, 3, now);
		db_bind_int(st, 4, id);
		rc = db_step(st) == DB_DONE ? CARE_OK : CARE_ERROR;
		db_done(st);
	}
	if (rc == CARE_OK) {
		st = db_prepare(db, "UPDATE pairing SET state = 'ended', end_reason = '帮扶对象已销号', decided_by = ?, "
				    "decided_at = ? WHERE care_id = ? AND state = 'active'");
		bind_id_or_null(st, 1, who->account_id);
		db_bind_int(st, 2, now);
		db_bind_int(st, 3, id);
		rc = db_step(st) == DB_DONE ? CARE_OK : CARE_ERROR;
		db_done(st);
	}
	if (rc == CARE_OK)
		rc = care_audit(db, who, "care.close", "care", id, c->community_path, reason);
	free(c);
	return care_finish(db, rc);
}

#define CARE_COLUMNS                                                                                             \
	"c.id, c.community_code, r.name, r.path, c.name, c.household_id, c.account_id, c.phone, c.address, "        \
	"c.ncategories, CASE WHEN c.health_sealed = '' THEN 0 ELSE 1 END, c.basis, c.consented_on, c.consent_by, " \
	"COALESCE((SELECT a.name FROM account a WHERE a.id = c.consent_by), ''), c.law, c.help_what, c.help_who, "   \
	"c.help_often, c.frequency, c.state, c.close_reason, c.closed_at, c.created_by, c.created_at, c.updated_at, " \
	"COALESCE((SELECT MAX(v.visited_on) FROM visit v WHERE v.care_id = c.id), ''), "                            \
	"(SELECT COUNT(*) FROM pairing p WHERE p.care_id = c.id AND p.state = 'active') "
#define CARE_FROM " FROM care c JOIN region r ON r.code = c.community_code "

static void row(struct db_stmt *st, const char *today, struct care *c)
{
	char from[11];
	int f;

	memset(c, 0, sizeof(*c));
	c->id = db_col_int(st, 0);
	str_copy(c->community_code, sizeof(c->community_code), db_col_text(st, 1));
	str_copy(c->community_name, sizeof(c->community_name), db_col_text(st, 2));
	str_copy(c->community_path, sizeof(c->community_path), db_col_text(st, 3));
	str_copy(c->name, sizeof(c->name), db_col_text(st, 4));
	c->household_id = db_col_null(st, 5) ? 0 : db_col_int(st, 5);
	c->account_id = db_col_null(st, 6) ? 0 : db_col_int(st, 6);
	str_copy(c->phone, sizeof(c->phone), db_col_text(st, 7));
	str_copy(c->address, sizeof(c->address), db_col_text(st, 8));
	c->ncategories = db_col_int(st, 9);
	c->has_health = db_col_int(st, 10) != 0;
	str_copy(c->basis, sizeof(c->basis), db_col_text(st, 11));
	str_copy(c->consented_on, sizeof(c->consented_on), db_col_text(st, 12));
	c->consent_by = db_col_null(st, 13) ? 0 : db_col_int(st, 13);
	str_copy(c->consent_by_name, sizeof(c->consent_by_name), db_col_text(st, 14));
	str_copy(c->law, sizeof(c->law), db_col_text(st, 15));
	str_copy(c->help_what, sizeof(c->help_what), db_col_text(st, 16));
	str_copy(c->help_who, sizeof(c->help_who), db_col_text(st, 17));
	str_copy(c->help_often, sizeof(c->help_often), db_col_text(st, 18));
	str_copy(c->frequency, sizeof(c->frequency), db_col_text(st, 19));
	str_copy(c->state, sizeof(c->state), db_col_text(st, 20));
	str_copy(c->close_reason, sizeof(c->close_reason), db_col_text(st, 21));
	c->closed_at = db_col_null(st, 22) ? 0 : db_col_int(st, 22);
	c->created_by = db_col_null(st, 23) ? 0 : db_col_int(st, 23);
	c->created_at = db_col_int(st, 24);
	c->updated_at = db_col_int(st, 25);
	str_copy(c->last_visit, sizeof(c->last_visit), db_col_text(st, 26));
	c->npairings = db_col_int(st, 27);
	/* Never visited: the plan runs from the day the entry was made. */
	if (c->last_visit[0])
		str_copy(from, sizeof(from), c->last_visit);
	else
		clock_date(c->created_at, from);
	f = care_frequency_parse(c->frequency);
	if (f < 0 || !care_next_due(from, (enum care_frequency)f, c->next_due))
		c->next_due[0] = '\0';
	c->overdue = !strcmp(c->state, "active") && c->next_due[0] && care_overdue(c->next_due, today);
	c->reached_today = !strcmp(c->last_visit, today);
}

int care_get(struct db *db, int64_t id, const char *today, struct care *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " CARE_COLUMNS CARE_FROM "WHERE c.id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		row(st, today, out);
	db_done(st);
	return rc == DB_ROW ? CARE_OK : rc == DB_DONE ? CARE_NOT_FOUND : CARE_ERROR;
}

/* Whether the sealed list text holds code. */
static bool list_has(const char *list, const char *code)
{
	size_t n = strlen(code);

	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == n && !strncmp(p, code, n))
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

/* Whether the lists "a,b" share a code. */
static bool any_of(const char *list, const char *wanted)
{
	char code[TEXT_BYTES(CARE_CODE_MAX)];

	for (const char *p = wanted; p && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len < sizeof(code)) {
			memcpy(code, p, len);
			code[len] = '\0';
			if (list_has(list, code))
				return true;
		}
		p = end ? end + 1 : NULL;
	}
	return false;
}

int care_list(struct db *db, const char *community_code, const struct care_filter *f, const char *today,
	      struct care **items, size_t *n)
{
	const char *state = f->state ? f->state : "active";
	struct db_stmt *st = db_prepare(db, "SELECT " CARE_COLUMNS ", c.categories_sealed" CARE_FROM
					    "WHERE c.community_code = ? AND (? = 'all' OR c.state = ?) "
					    "AND (? = '' OR c.frequency = ?) ORDER BY c.id");
	size_t cap = 0;
	int rc;

	*items = NULL;
	*n = 0;
	db_bind_text(st, 1, community_code);
	db_bind_text(st, 2, state);
	db_bind_text(st, 3, state);
	db_bind_text(st, 4, text_or_empty(f->frequency));
	db_bind_text(st, 5, text_or_empty(f->frequency));
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			*items = xrealloc(*items, cap * sizeof(**items));
		}
		row(st, today, &(*items)[*n]);
		if (f->overdue_only && !(*items)[*n].overdue)
			continue;
		if (f->in_categories) {
			char *list = crypto_open(AD_CATEGORIES, db_col_text(st, 28));
			bool in = any_of(list, f->in_categories);

			free(list);
			if (!in)
				continue;
		}
		++*n;
	}
	db_done(st);
	if (rc == DB_DONE)
		return CARE_OK;
	free(*items);
	*items = NULL;
	*n = 0;
	return CARE_ERROR;
}

int care_unseal(struct db *db, int64_t id, char **categories, char **health, char path[PATH_MAX_LEN])
{
	struct db_stmt *st = db_prepare(db, "SELECT c.categories_sealed, c.health_sealed, r.path FROM care c "
					    "JOIN region r ON r.code = c.community_code WHERE c.id = ?");
	char *sc = NULL, *sh = NULL;
	int rc;

	*categories = *health = NULL;
	path[0] = '\0';
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		sc = xstrdup(db_col_text(st, 0));
		sh = xstrdup(db_col_text(st, 1));
		str_copy(path, PATH_MAX_LEN, db_col_text(st, 2));
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? CARE_NOT_FOUND : CARE_ERROR;
	*categories = crypto_open(AD_CATEGORIES, sc);
	*health = sh[0] ? crypto_open(AD_HEALTH, sh) : xstrdup("");
	free(sc);
	free(sh);
	if (*categories && *health)
		return CARE_OK;
	free(*categories);
	free(*health);
	*categories = *health = NULL;
	return CARE_ERROR;
}

int care_reveal(struct db *db, const struct actor *who, int64_t id, const char *reason, char **categories,
		char **health)
{
	char path[PATH_MAX_LEN];
	int rc = care_unseal(db, id, categories, health, path);

	if (rc != CARE_OK)
		return rc;
	if (db_begin(db) < 0)
		rc = CARE_ERROR;
	else if (rc == CARE_OK)
		rc = care_finish(db, care_audit(db, who, "care.reveal", "care", id, path, reason));
	if (rc != CARE_OK) {
		free(*categories);
		free(*health);
		*categories = *health = NULL;
	}
	return rc;
}

/* The length in bytes of the UTF-8 character s starts with (1 for a stray byte). */
static size_t char_len(const unsigned char *s)
{
	return *s >= 0xf0 ? 4 : *s >= 0xe0 ? 3 : *s >= 0xc0 ? 2 : 1;
}

void care_mask_name(const char *name, char *out, size_t size)
{
	size_t k = name[0] ? char_len((const unsigned char *)name) : 0;

	if (size < k + 2) {
		if (size)
			out[0] = '\0';
		return;
	}
	memcpy(out, name, k);
	out[k] = '*';
	out[k + 1] = '\0';
	if (!k)
		out[0] = '\0';
}

void care_mask_phone(const char *phone, char *out, size_t size)
{
	size_t n = strlen(phone);

	if (!n)
		snprintf(out, size, "%s", "");
	else if (valid_mobile(phone))
		snprintf(out, size, "%.3s****%s", phone, phone + 7);
	else
		snprintf(out, size, "****%s", n > 4 ? phone + n - 4 : "");
}

int care_emergency_get(struct db *db, const char *community_code, char *categories, size_t size, int64_t *since)
{
	struct db_stmt *st = db_prepare(db, "SELECT categories, started_at FROM care_emergency WHERE community_code = ?");
	int rc;

	categories[0] = '\0';
	*since = 0;
	db_bind_text(st, 1, community_code);
	rc = db_step(st);
	if (rc == DB_ROW) {
		str_copy(categories, size, db_col_text(st, 0));
		*since = db_col_int(st, 1);
	}
	db_done(st);
	return rc == DB_ERROR ? CARE_ERROR : CARE_OK;
}

int care_emergency_set(struct db *db, const struct actor *who, const struct region *community,
		       const char *const *categories, size_t n, bool on, struct field_errors *errs)
{
	struct buf cats = { 0 };
	struct db_stmt *st;
	int rc, freq;

	if (db_begin(db) < 0)
		return CARE_ERROR;
	rc = on ? check_categories(db, categories, n, "categories", &cats, &freq, errs) : CARE_OK;
	if (rc == CARE_OK && errs->n)
		rc = CARE_INVALID;
	if (rc == CARE_OK) {
		st = db_prepare(db, "DELETE FROM care_emergency WHERE community_code = ?");
		db_bind_text(st, 1, community->code);
		rc = db_step(st) == DB_DONE ? CARE_OK : CARE_ERROR;
		db_done(st);
	}
	if (rc == CARE_OK && on) {
		st = db_prepare(db, "INSERT INTO care_emergency (community_code, categories, started_at, started_by) "
				    "VALUES (?, ?, ?, ?)");
		db_bind_text(st, 1, community->code);
		db_bind_text(st, 2, buf_str(&cats));
		db_bind_int(st, 3, clock_now());
		bind_id_or_null(st, 4, who->account_id);
		rc = db_step(st) == DB_DONE ? CARE_OK : CARE_ERROR;
		db_done(st);
	}
	if (rc == CARE_OK && on &&
	    audit_append_detail(db, who, "care.emergency_on", "region", community->code, community->path, "ok",
				buf_str(&cats)) < 0)
		rc = CARE_ERROR;
	if (rc == CARE_OK && !on &&
	    audit_append(db, who, "care.emergency_off", "region", community->code, community->path, "ok") < 0)
		rc = CARE_ERROR;
	buf_release(&cats);
	return care_finish(db, rc);
}
