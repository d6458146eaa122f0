/* resource.c: resources of a community: availability slots parsed and checked, created, edited, retired, listed; agreements' commitments */
#include "domain/resource.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/valid.h"
#include "domain/catalog.h"
#include "domain/listing.h"
#include "domain/registration.h"

static int hhmm(const char *s, int *min)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' || s[2] != ':' || s[3] < '0' || s[3] > '9' ||
	    s[4] < '0' || s[4] > '9')
		return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && m))
		return -1;
	*min = h * 60 + m;
	return 0;
}

int resource_slot_parse(const char *s, struct resource_slot *out, const char **why)
{
	const char *t;

	memset(out, 0, sizeof(*out));
	*why = "format";
	if (!s)
		return -1;
	if (s[0] >= '0' && s[0] <= '9' && s[1] == ' ') {
		out->weekday = s[0] - '0';
		t = s + 2;
		if (out->weekday < 1 || out->weekday > 7) {
			*why = "weekday";
			return -1;
		}
	} else if (strlen(s) > 11 && s[10] == ' ') {
		memcpy(out->date, s, 10);
		out->date[10] = '\0';
		if (!valid_date(out->date)) {
			*why = "date";
			return -1;
		}
		t = s + 11;
	} else
		return -1;
	if (strlen(t) != 11 || t[5] != '-' || hhmm(t, &out->from_min) < 0 || hhmm(t + 6, &out->to_min) < 0 ||
	    out->from_min >= 1440)
		return -1;
	if (out->from_min >= out->to_min) {
		*why = "order";
		return -1;
	}
	return 0;
}

void resource_slot_text(const struct resource_slot *s, char out[RESOURCE_SLOT_TEXT])
{
	char head[11];

	if (s->weekday)
		snprintf(head, sizeof(head), "%d", s->weekday);
	else
		snprintf(head, sizeof(head), "%s", s->date);
	snprintf(out, RESOURCE_SLOT_TEXT, "%s %02u:%02u-%02u:%02u", head, (unsigned)(s->from_min / 60) % 100u,
		 (unsigned)(s->from_min % 60) % 100u, (unsigned)(s->to_min / 60) % 100u, (unsigned)(s->to_min % 60) % 100u);
}

int resource_weekday_of(const char *date)
{
	/* Sakamoto's method: 0 Sunday .. 6 Saturday, turned into 1 Monday .. 7 Sunday. */
	static const int t[] = { 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4 };
	int y, m, d, w;

	if (!date_split(date, &y, &m, &d))
		return 0;
	if (m < 3)
		y--;
	w = (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
	return w == 0 ? 7 : w;
}

bool resource_slot_on(const struct resource_slot *s, const char *date, int weekday)
{
	if (date)
		return s->weekday ? s->weekday == resource_weekday_of(date) : !strcmp(s->date, date);
	return s->weekday == weekday;
}

bool resource_slots_overlap(const struct resource_slot *a, const struct resource_slot *b)
{
	bool same_day;

	if (a->weekday && b->weekday)
		same_day = a->weekday == b->weekday;
	else if (!a->weekday && !b->weekday)
		same_day = !strcmp(a->date, b->date);
	else
		same_day = a->weekday ? resource_weekday_of(b->date) == a->weekday
				      : resource_weekday_of(a->date) == b->weekday;
	return same_day && a->from_min < b->to_min && b->from_min < a->to_min;
}

static bool given(const char *s)
{
	return s && *s;
}

static bool choice(const char *s, const char *const *choices)
{
	for (size_t i = 0; s && choices[i]; i++)
		if (!strcmp(s, choices[i]))
			return true;
	return false;
}

/* Whether the owner exists and may offer there: a unit, an active team of the community or its street, a member approved there. */
static int owner_check(struct db *db, const char *kind, int64_t id, const struct region *community,
		       struct field_errors *errs)
{
	struct db_stmt *st;
	int rc;

	if (!strcmp(kind, "community")) {
		if (id)
			field_errors_add(errs, "owner_id", "invalid", "社区自有资源不填所属");
		return 0;
	}
	if (!strcmp(kind, "unit"))
		st = db_prepare(db, "SELECT 1 FROM unit WHERE id = ?");
	else if (!strcmp(kind, "team"))
		st = db_prepare(db, "SELECT 1 FROM team t JOIN region r ON r.code = t.region_code WHERE t.id = ? AND "
				    "t.state = 'active' AND substr(?, 1, length(r.path)) = r.path");
	else
		st = db_prepare(db, "SELECT 1 FROM registration g WHERE g.member_id = ? AND g.state = 'approved' AND "
				    "g.community_code = ?");
	db_bind_int(st, 1, id);
	if (!strcmp(kind, "team"))
		db_bind_text(st, 2, community->path);
	else if (!strcmp(kind, "member"))
		db_bind_text(st, 2, community->code);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return -1;
	if (rc == DB_DONE)
		field_errors_add(errs, "owner_id", "not_found", "找不到该单位、服务队或本社区的党员");
	return 0;
}

/* Parses and checks in's slots into out (RESOURCE_SLOTS_MAX), errors under "slots[i]". */
static size_t slots_read(const struct resource_input *in, struct resource_slot *out, struct field_errors *errs)
{
	size_t n = 0;

	if (in->nslots > RESOURCE_SLOTS_MAX) {
		field_errors_add(errs, "slots", "too_long", "时段最多 20 个");
		return 0;
	}
	for (size_t i = 0; i < in->nslots; i++) {
		char field[32];
		const char *why;

		snprintf(field, sizeof(field), "slots[%zu]", i);
		if (resource_slot_parse(in->slots[i], &out[n], &why) < 0) {
			field_errors_add(errs, field, !strcmp(why, "order") ? "too_small" : "format",
					 !strcmp(why, "weekday") ? "星期应为 1 到 7"
					 : !strcmp(why, "date") ? "日期不对"
					 : !strcmp(why, "order") ? "开始时间应早于结束时间"
								 : "应写作 \"6 09:00-11:30\" 或 \"2026-12-05 09:00-11:30\"");
			continue;
		}
		for (size_t j = 0; j < n; j++)
			if (resource_slots_overlap(&out[j], &out[n])) {
				field_errors_add(errs, field, "overlap", "与另一个时段重叠");
				break;
			}
		n++;
	}
	return n;
}

int resource_check(struct db *db, const struct resource_input *in, bool create, struct field_errors *errs)
{
	static const char *const kinds[] = { "skill", "venue", "goods", "funds", "vehicle", NULL };
	static const char *const owners[] = { "community", "unit", "team", "member", NULL };
	struct resource_slot slots[RESOURCE_SLOTS_MAX];
	struct region community = { 0 };
	int rc;

	if (create) {
		rc = given(in->community_code) ? region_get(db, in->community_code, &community) : REGION_NOT_FOUND;
		if (rc == REGION_ERROR)
			return -1;
		if (rc != REGION_OK || strcmp(community.level, "community"))
			field_errors_add(errs, "community_code", "not_found", "应为一个社区");
		if (!choice(in->owner_kind, owners))
			field_errors_add(errs, "owner_kind", "invalid", "应为 community、unit、team 或 member");
		else if (rc == REGION_OK && !strcmp(community.level, "community") &&
			 owner_check(db, in->owner_kind, in->owner_id, &community, errs) < 0)
			return -1;
	}
	if (!choice(in->kind, kinds))
		field_errors_add(errs, "kind", "invalid", "应为 skill、venue、goods、funds 或 vehicle");
	if (!given(in->name))
		field_errors_add(errs, "name", "required", NULL);
	if (in->capacity < 0 || in->capacity > RESOURCE_CAPACITY_MAX)
		field_errors_add(errs, "capacity", "too_large", "容量应为 1 到 100000");
	if (in->item_id) {
		struct catalog_item item;

		rc = catalog_item_get(db, in->item_id, &item);
		if (rc == CATALOG_ERROR)
			return -1;
		if (rc != CATALOG_OK)
			field_errors_add(errs, "item_id", "not_found", "找不到该服务项目");
	}
	slots_read(in, slots, errs);
	return 0;
}

static int finish(struct db *db, int rc)
{
	if (rc != RESOURCE_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) < 0 ? RESOURCE_ERROR : RESOURCE_OK;
}

static void bind_opt(struct db_stmt *st, int i, int64_t v)
{
	if (v)
		db_bind_int(st, i, v);
	else
		db_bind_null(st, i);
}

static int slots_write(struct db *db, int64_t id, const struct resource_input *in)
{
	struct resource_slot slots[RESOURCE_SLOTS_MAX];
	struct field_errors errs = { 0 };
	struct db_stmt *st = db_prepare(db, "DELETE FROM resource_slot WHERE resource_id = ?");
	size_t n = slots_read(in, slots, &errs);
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	db_done(st);
	for (size_t i = 0; rc == DB_DONE && i < n; i++) {
		st = db_prepare(db, "INSERT INTO resource_slot (resource_id, weekday, on_date, from_min, to_min) "
				    "VALUES (?, ?, ?, ?, ?)");
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, slots[i].weekday);
		if (slots[i].weekday)
			db_bind_null(st, 3);
		else
			db_bind_text(st, 3, slots[i].date);
		db_bind_int(st, 4, slots[i].from_min);
		db_bind_int(st, 5, slots[i].to_min);
		rc = db_step(st);
		db_done(st);
	}
	return rc == DB_DONE ? 0 : -1;
}

static int audit_resource(struct db *db, const struct actor *who, const char *action, int64_t id,
			  const char *path, const char *detail)
{
	char idt[24];

	snprintf(idt, sizeof(idt), "%" PRId64, id);
	return audit_append_detail(db, who, action, "resource", idt, path, "ok", detail ? detail : "");
}

int resource_create(struct db *db, const struct actor *who, const struct resource_input *in,
		    struct field_errors *errs, int64_t *id)
{
	struct region community;
	struct db_stmt *st;
	int64_t now = clock_now();
	const char *ok = in->owner_kind;
	int rc;

	if (db_begin(db) < 0)
		return RESOURCE_ERROR;
	if (resource_check(db, in, true, errs) < 0)
		return finish(db, RESOURCE_ERROR);
	if (errs->n)
		return finish(db, RESOURCE_INVALID);
	if (region_get(db, in->community_code, &community) != REGION_OK)
		return finish(db, RESOURCE_ERROR);
	st = db_prepare(db, "INSERT INTO resource (community_code, owner_kind, unit_id, team_id, member_id, kind, "
			    "item_id, name, description, capacity, state, created_by, created_at, updated_at) VALUES "
			    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?) RETURNING id");
	db_bind_text(st, 1, in->community_code);
	db_bind_text(st, 2, ok);
	bind_opt(st, 3, !strcmp(ok, "unit") ? in->owner_id : 0);
	bind_opt(st, 4, !strcmp(ok, "team") ? in->owner_id : 0);
	bind_opt(st, 5, !strcmp(ok, "member") ? in->owner_id : 0);
	db_bind_text(st, 6, in->kind);
	bind_opt(st, 7, in->item_id);
	db_bind_text(st, 8, in->name);
	db_bind_text(st, 9, in->description ? in->description : "");
	bind_opt(st, 10, in->capacity);
	bind_opt(st, 11, who->account_id);
	db_bind_int(st, 12, now);
	db_bind_int(st, 13, now);
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	rc = rc == DB_ROW && slots_write(db, *id, in) == 0 &&
			     audit_resource(db, who, "resource.create", *id, community.path, in->name) == 0
		     ? RESOURCE_OK
		     : RESOURCE_ERROR;
	return finish(db, rc);
}

static int begin_active(struct db *db, int64_t id, struct resource *r)
{
	int rc;

	if (db_begin(db) < 0)
		return RESOURCE_ERROR;
	rc = resource_get(db, id, r);
	if (rc == RESOURCE_OK && strcmp(r->state, "active"))
		rc = RESOURCE_BAD_STATE;
	return rc == RESOURCE_OK ? RESOURCE_OK : finish(db, rc);
}

int resource_update(struct db *db, const struct actor *who, int64_t id, const struct resource_input *in,
		    struct field_errors *errs)
{
	struct resource *r = xmalloc(sizeof(*r));
	struct db_stmt *st;
	int rc = begin_active(db, id, r);

	if (rc != RESOURCE_OK)
		goto out;
	if (resource_check(db, in, false, errs) < 0) {
		rc = finish(db, RESOURCE_ERROR);
		goto out;
	}
	if (errs->n) {
		rc = finish(db, RESOURCE_INVALID);
		goto out;
	}
	st = db_prepare(db, "UPDATE resource SET kind = ?, item_id = ?, name = ?, description = ?, capacity = ?, "
			    "updated_at = ? WHERE id = ?");
	db_bind_text(st, 1, in->kind);
	bind_opt(st, 2, in->item_id);
	db_bind_text(st, 3, in->name);
	db_bind_text(st, 4, in->description ? in->description : "");
	bind_opt(st, 5, in->capacity);
	db_bind_int(st, 6, clock_now());
	db_bind_int(st, 7, id);
	rc = db_step(st);
	db_done(st);
	rc = rc == DB_DONE && slots_write(db, id, in) == 0 &&
			     audit_resource(db, who, "resource.update", id, r->community_path, in->name) == 0
		     ? RESOURCE_OK
		     : RESOURCE_ERROR;
	rc = finish(db, rc);
out:
	free(r);
	return rc;
}

int resource_retire(struct db *db, const struct actor *who, int64_t id, const char *reason)
{
	struct resource *r = xmalloc(sizeof(*r));
	struct db_stmt *st;
	int rc = begin_active(db, id, r);

	if (rc == RESOURCE_OK) {
		st = db_prepare(db, "UPDATE resource SET state = 'retired', retire_reason = ?, updated_at = ? WHERE id = ?");
		db_bind_text(st, 1, reason ? reason : "");
		db_bind_int(st, 2, clock_now());
		db_bind_int(st, 3, id);
		rc = db_step(st);
		db_done(st);
		rc = rc == DB_DONE && audit_resource(db, who, "resource.retire", id, r->community_path, reason) == 0
			     ? RESOURCE_OK
			     : RESOURCE_ERROR;
		rc = finish(db, rc);
	}
	free(r);
	return rc;
}

#define RESOURCE_COLUMNS                                                                                     \
	"s.id, s.community_code, c.name, c.path, s.owner_kind, COALESCE(s.unit_id, s.team_id, s.member_id, 0), " \
	"COALESCE(u.name, t.name, m.name, c.name), s.kind, COALESCE(s.item_id, 0), COALESCE(i.name, ''), "       \
	"s.name, s.description, COALESCE(s.capacity, 0), s.state, s.retire_reason, s.created_at, s.updated_at"
#define RESOURCE_FROM                                                                                            \
	" FROM resource s JOIN region c ON c.code = s.community_code LEFT JOIN unit u ON u.id = s.unit_id "         \
	"LEFT JOIN team t ON t.id = s.team_id LEFT JOIN member m ON m.id = s.member_id LEFT JOIN catalog_item i ON " \
	"i.id = s.item_id"

static void read_resource(struct db_stmt *st, struct resource *r)
{
	memset(r, 0, sizeof(*r));
	r->id = db_col_int(st, 0);
	str_copy(r->community_code, sizeof(r->community_code), db_col_text(st, 1));
	str_copy(r->community_name, sizeof(r->community_name), db_col_text(st, 2));
	str_copy(r->community_path, sizeof(r->community_path), db_col_text(st, 3));
	str_copy(r->owner_kind, sizeof(r->owner_kind), db_col_text(st, 4));
	r->owner_id = db_col_int(st, 5);
	str_copy(r->owner_name, sizeof(r->owner_name), db_col_text(st, 6));
	str_copy(r->kind, sizeof(r->kind), db_col_text(st, 7));
	r->item_id = db_col_int(st, 8);
	str_copy(r->item_name, sizeof(r->item_name), db_col_text(st, 9));
	str_copy(r->name, sizeof(r->name), db_col_text(st, 10));
	str_copy(r->description, sizeof(r->description), db_col_text(st, 11));
	r->capacity = db_col_int(st, 12);
	str_copy(r->state, sizeof(r->state), db_col_text(st, 13));
	str_copy(r->retire_reason, sizeof(r->retire_reason), db_col_text(st, 14));
	r->created_at = db_col_int(st, 15);
	r->updated_at = db_col_int(st, 16);
}

static int read_slots(struct db *db, struct resource *r)
{
	struct db_stmt *st = db_prepare(db, "SELECT weekday, COALESCE(on_date, ''), from_min, to_min FROM resource_slot "
					    "WHERE resource_id = ? ORDER BY weekday, on_date, from_min");
	int rc;

	db_bind_int(st, 1, r->id);
	r->nslots = 0;
	while ((rc = db_step(st)) == DB_ROW && r->nslots < RESOURCE_SLOTS_MAX) {
		struct resource_slot *s = &r->slots[r->nslots++];

		s->weekday = (int)db_col_int(st, 0);
		str_copy(s->date, sizeof(s->date), db_col_text(st, 1));
		s->from_min = (int)db_col_int(st, 2);
		s->to_min = (int)db_col_int(st, 3);
	}
	db_done(st);
	return rc == DB_DONE || rc == DB_ROW ? 0 : -1;
}

int resource_get(struct db *db, int64_t id, struct resource *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " RESOURCE_COLUMNS RESOURCE_FROM " WHERE s.id = ?");
	int rc;

	memset(out, 0, sizeof(*out));
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_resource(st, out);
	db_done(st);
	if (rc == DB_ROW)
		return read_slots(db, out) < 0 ? RESOURCE_ERROR : RESOURCE_OK;
	return rc == DB_DONE ? RESOURCE_NOT_FOUND : RESOURCE_ERROR;
}

static bool available(const struct resource *r, const struct resource_filter *f)
{
	if (!f->available_on && !f->weekday)
		return true;
	for (size_t i = 0; i < r->nslots; i++)
		if (resource_slot_on(&r->slots[i], f->available_on, f->weekday))
			return true;
	return false;
}

int resource_list(struct db *db, const struct resource_filter *f, struct resource **items, size_t *n)
{
	struct buf sql;
	struct db_stmt *st;
	size_t cap = 8;
	int i = 1, rc;

	buf_init(&sql, 8192);
	buf_addstr(&sql, "SELECT " RESOURCE_COLUMNS RESOURCE_FROM " WHERE 1 = 1");
	if (f->community)
		buf_addstr(&sql, " AND s.community_code = ?");
	if (f->scope || f->unit_id) {
		buf_addstr(&sql, " AND (1 = 0");
		if (f->unit_id)
			buf_addstr(&sql, " OR s.unit_id = ?");
		if (f->scope) {
			buf_addstr(&sql, " OR (1 = 1");
			listing_scope_sql(&sql, f->scope, "c.path", NULL);
			buf_addstr(&sql, ")");
		}
		buf_addstr(&sql, ")");
	}
	if (f->kind)
		buf_addstr(&sql, " AND s.kind = ?");
	if (f->owner_kind)
		buf_addstr(&sql, " AND s.owner_kind = ?");
	if (f->state)
		buf_addstr(&sql, " AND s.state = ?");
	if (f->item_id)
		buf_addstr(&sql, " AND s.item_id = ?");
	buf_addstr(&sql, " ORDER BY s.community_code, s.id");
	st = db_prepare(db, buf_str(&sql));
	buf_release(&sql);
	if (f->community)
		db_bind_text(st, i++, f->community);
	if (f->unit_id)
		db_bind_int(st, i++, f->unit_id);
	if (f->scope)
		i = listing_scope_bind(st, f->scope, 0, i);
	if (f->kind)
		db_bind_text(st, i++, f->kind);
	if (f->owner_kind)
		db_bind_text(st, i++, f->owner_kind);
	if (f->state)
		db_bind_text(st, i++, f->state);
	if (f->item_id)
		db_bind_int(st, i++, f->item_id);
	*n = 0;
	*items = xmalloc(cap * sizeof(**items));
	while ((rc = db_step(st)) == DB_ROW && *n < RESOURCE_LIST_MAX) {
		if (*n == cap)
			*items = xrealloc(*items, (cap *= 2) * sizeof(**items));
		read_resource(st, &(*items)[*n]);
		(*n)++;
	}
	db_done(st);
	for (size_t k = 0; rc != DB_ERROR && k < *n; k++)
		if (read_slots(db, &(*items)[k]) < 0)
			rc = DB_ERROR;
	if (rc != DB_DONE && rc != DB_ROW) {
		free(*items);
		*items = NULL;
		*n = 0;
		return RESOURCE_ERROR;
	}
	/* The availability filter reads the slots: drop those not open then. */
	size_t k = 0;
	for (size_t j = 0; j < *n; j++)
		if (available(&(*items)[j], f))
			(*items)[k++] = (*items)[j];
	*n = k;
	return RESOURCE_OK;
}

int resource_commitments(struct db *db, const char *community, int64_t unit_id, struct resource_commitment **items,
			 size_t *n)
{
	struct db_stmt *st;
	char today[11];
	size_t cap = 8;
	int rc;

	clock_date(clock_now(), today);
	st = db_prepare(db, community ? "SELECT a.id, a.unit_id, u.name, a.community_code, a.commitments, a.ends_on FROM "
					"agreement a JOIN unit u ON u.id = a.unit_id WHERE a.community_code = ? AND "
					"a.status = 'signed' AND a.ends_on >= ? ORDER BY a.id"
				      : "SELECT a.id, a.unit_id, u.name, a.community_code, a.commitments, a.ends_on FROM "
					"agreement a JOIN unit u ON u.id = a.unit_id WHERE a.unit_id = ? AND "
					"a.status = 'signed' AND a.ends_on >= ? ORDER BY a.id");
	if (community)
		db_bind_text(st, 1, community);
	else
		db_bind_int(st, 1, unit_id);
	db_bind_text(st, 2, today);
	*n = 0;
	*items = xmalloc(cap * sizeof(**items));
	while ((rc = db_step(st)) == DB_ROW) {
		const char *p = db_col_text(st, 4);

		while (*p && *n < RESOURCE_LIST_MAX) {
			size_t len = strcspn(p, "\n");
			struct resource_commitment *c;

			if (len && !(len == 1 && p[0] == '\r')) {
				if (*n == cap)
					*items = xrealloc(*items, (cap *= 2) * sizeof(**items));
				c = &(*items)[(*n)++];
				memset(c, 0, sizeof(*c));
				c->agreement_id = db_col_int(st, 0);
				c->unit_id = db_col_int(st, 1);
				str_copy(c->unit_name, sizeof(c->unit_name), db_col_text(st, 2));
				str_copy(c->community_code, sizeof(c->community_code), db_col_text(st, 3));
				str_copy(c->ends_on, sizeof(c->ends_on), db_col_text(st, 5));
				if (len < sizeof(c->text)) {
					memcpy(c->text, p, len);
					c->text[len] = '\0';
				} else
					str_copy(c->text, sizeof(c->text), p);
				c->text[strcspn(c->text, "\r\n")] = '\0';
			}
			p += len;
			if (*p == '\n')
				p++;
		}
	}
	db_done(st);
	if (rc != DB_DONE) {
		free(*items);
		*items = NULL;
		*n = 0;
		return RESOURCE_ERROR;
	}
	return RESOURCE_OK;
}
