/* post.c: posts of a community: checked, created, edited, closed and listed; the open ones offered to a member, preferred first */
#include "domain/post.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/valid.h"
#include "domain/listing.h"
#include "domain/registration.h"

int post_finish(struct db *db, int rc)
{
	if (rc != POST_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) < 0 ? POST_ERROR : POST_OK;
}

void post_bind_account(struct db_stmt *st, int i, const struct actor *who)
{
	if (who->account_id)
		db_bind_int(st, i, who->account_id);
	else
		db_bind_null(st, i);
}

int post_rows(struct db_stmt *st, size_t size, size_t max, void (*read)(struct db_stmt *, void *, const void *),
	      const void *arg, void **items, size_t *n)
{
	size_t cap = 8;
	int rc;

	*n = 0;
	*items = xmalloc(cap * size);
	while ((rc = db_step(st)) == DB_ROW && *n < max) {
		if (*n == cap)
			*items = xrealloc(*items, (cap *= 2) * size);
		read(st, (char *)*items + *n * size, arg);
		(*n)++;
	}
	db_done(st);
	if (rc == DB_DONE || rc == DB_ROW)
		return POST_OK;
	free(*items);
	*items = NULL;
	*n = 0;
	return POST_ERROR;
}

int post_acting_member(struct db *db, int64_t account_id, struct post_member *out)
{
	struct registration r;
	struct db_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = member_find_by_account(db, account_id, &out->member_id);
	if (rc != MEMBER_OK)
		return rc == MEMBER_NOT_FOUND ? POST_NOT_FOUND : POST_ERROR;
	rc = registration_current(db, out->member_id, &r);
	if (rc == REG_ERROR)
		return POST_ERROR;
	if (rc == REG_OK && !strcmp(r.state, "approved")) {
		out->approved = true;
		str_copy(out->community_code, sizeof(out->community_code), r.community_code);
		str_copy(out->community_path, sizeof(out->community_path), r.community_path);
	}
	st = db_prepare(db, "SELECT preferred_posts FROM member WHERE id = ?");
	db_bind_int(st, 1, out->member_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		str_copy(out->preferred_posts, sizeof(out->preferred_posts), db_col_text(st, 0));
	db_done(st);
	return rc == DB_ROW ? POST_OK : POST_ERROR;
}

/* The length of the tag separator at s, 0 when there is none. */
static size_t separator_at(const char *s)
{
	static const char *const seps[] = { ",", "，", "、", ";", "；", "/", " ", "\t", NULL };

	for (size_t i = 0; seps[i]; i++)
		if (!strncmp(s, seps[i], strlen(seps[i])))
			return strlen(seps[i]);
	return 0;
}

bool post_preferred(const char *preferred, const char *post_name, const char *item_name)
{
	char tag[TEXT_BYTES(MEMBER_TAGS_MAX)];

	for (const char *p = preferred ? preferred : ""; *p;) {
		size_t len = 0, sep;

		while (p[len] && !separator_at(p + len))
			len++;
		if (len && len < sizeof(tag)) {
			memcpy(tag, p, len);
			tag[len] = '\0';
			if (utf8_chars(tag) >= 2 && ((post_name && strstr(post_name, tag)) || (item_name && strstr(item_name, tag))))
				return true;
		}
		p += len;
		sep = separator_at(p);
		p += sep;
	}
	return false;
}

void post_offers_order(struct post_offer *items, size_t n)
{
	struct post_offer *tmp;
	size_t k = 0;

	if (n < 2)
		return;
	tmp = xmalloc(n * sizeof(*tmp));
	for (int pass = 1; pass >= 0; pass--)
		for (size_t i = 0; i < n; i++)
			if (items[i].preferred == (pass == 1))
				tmp[k++] = items[i];
	memcpy(items, tmp, n * sizeof(*tmp));
	free(tmp);
}

/* A post's columns, read by read_post; POST_NCOLS of them. */
#define POST_COLUMNS                                                                                           \
	"p.id, p.item_id, p.community_code, c.name, c.path, COALESCE(p.place_code, ''), COALESCE(pl.name, ''), " \
	"COALESCE(pl.level, ''), i.code, i.name, i.category, p.name, p.duties, p.places, "                        \
	"(SELECT COUNT(*) FROM post_holder h WHERE h.post_id = p.id AND h.state IN ('holding', 'leaving')), "     \
	"(SELECT COUNT(*) FROM post_holder h WHERE h.post_id = p.id AND h.state = 'applied'), p.starts_on, "      \
	"p.ends_on, p.state, p.close_reason, p.created_at, p.updated_at"
#define POST_NCOLS 22
#define POST_FROM                                                                                      \
	" FROM post p JOIN region c ON c.code = p.community_code LEFT JOIN region pl ON pl.code = p.place_code " \
	"JOIN catalog_item i ON i.id = p.item_id"

static void read_post(struct db_stmt *st, void *item, const void *arg)
{
	struct post *p = item;

	(void)arg;
	p->id = db_col_int(st, 0);
	p->item_id = db_col_int(st, 1);
	str_copy(p->community_code, sizeof(p->community_code), db_col_text(st, 2));
	str_copy(p->community_name, sizeof(p->community_name), db_col_text(st, 3));
	str_copy(p->community_path, sizeof(p->community_path), db_col_text(st, 4));
	str_copy(p->place_code, sizeof(p->place_code), db_col_text(st, 5));
	str_copy(p->place_name, sizeof(p->place_name), db_col_text(st, 6));
	str_copy(p->place_level, sizeof(p->place_level), db_col_text(st, 7));
	str_copy(p->item_code, sizeof(p->item_code), db_col_text(st, 8));
	str_copy(p->item_name, sizeof(p->item_name), db_col_text(st, 9));
	str_copy(p->item_category, sizeof(p->item_category), db_col_text(st, 10));
	str_copy(p->name, sizeof(p->name), db_col_text(st, 11));
	str_copy(p->duties, sizeof(p->duties), db_col_text(st, 12));
	p->places = db_col_int(st, 13);
	p->holders = db_col_int(st, 14);
	p->applied = db_col_int(st, 15);
	str_copy(p->starts_on, sizeof(p->starts_on), db_col_text(st, 16));
	str_copy(p->ends_on, sizeof(p->ends_on), db_col_text(st, 17));
	str_copy(p->state, sizeof(p->state), db_col_text(st, 18));
	str_copy(p->close_reason, sizeof(p->close_reason), db_col_text(st, 19));
	p->created_at = db_col_int(st, 20);
	p->updated_at = db_col_int(st, 21);
}

int post_get(struct db *db, int64_t id, struct post *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " POST_COLUMNS POST_FROM " WHERE p.id = ?");
	int rc;

	memset(out, 0, sizeof(*out));
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_post(st, out, NULL);
	db_done(st);
	return rc == DB_ROW ? POST_OK : rc == DB_DONE ? POST_NOT_FOUND : POST_ERROR;
}

static int given(const char *s)
{
	return s && *s;
}

int post_check(struct db *db, const struct post_input *in, struct field_errors *errs)
{
	struct region community = { 0 }, place;
	struct catalog_item item;
	int rc = given(in->community_code) ? region_get(db, in->community_code, &community) : REGION_NOT_FOUND;

	if (rc == REGION_ERROR)
		return -1;
	if (rc != REGION_OK || strcmp(community.level, "community")) {
		field_errors_add(errs, "community_code", "not_found", "应为一个社区");
		return 0;
	}
	if (given(in->place_code)) {
		rc = region_get(db, in->place_code, &place);
		if (rc == REGION_ERROR)
			return -1;
		if (rc != REGION_OK || (strcmp(place.level, "grid") && strcmp(place.level, "building")) ||
		    strncmp(place.path, community.path, strlen(community.path)))
			field_errors_add(errs, "place_code", "not_found", "应为本社区的网格或楼栋");
	}
	rc = catalog_item_get(db, in->item_id, &item);
	if (rc == CATALOG_ERROR)
		return -1;
	if (rc != CATALOG_OK || !catalog_offered(&item, community.path))
		field_errors_add(errs, "item_id", "not_found", "应为本社区可选的服务项目");
	if (!given(in->name))
		field_errors_add(errs, "name", "required", NULL);
	if (in->places < 1 || in->places > POST_PLACES_MAX)
		field_errors_add(errs, "places", "too_large", "名额应为 1 到 999");
	if (!given(in->starts_on) || !valid_date(in->starts_on))
		field_errors_add(errs, "starts_on", "format", "应为日期，如 2026-03-01");
	if (given(in->ends_on) && !valid_date(in->ends_on))
		field_errors_add(errs, "ends_on", "format", "应为日期，如 2026-12-31");
	else if (given(in->ends_on) && given(in->starts_on) && strcmp(in->ends_on, in->starts_on) < 0)
		field_errors_add(errs, "ends_on", "too_small", "结束日期不能早于开始日期");
	return 0;
}

static int audit_post(struct db *db, const struct actor *who, const char *action, int64_t id, const char *path,
		      const char *detail)
{
	char idt[24];

	snprintf(idt, sizeof(idt), "%" PRId64, id);
	return audit_append_detail(db, who, action, "post", idt, path, "ok", detail ? detail : "");
}

static void bind_place(struct db_stmt *st, int i, const char *place)
{
	if (given(place))
		db_bind_text(st, i, place);
	else
		db_bind_null(st, i);
}

int post_create(struct db *db, const struct actor *who, const struct post_input *in, struct field_errors *errs,
		int64_t *id)
{
	struct region community;
	struct db_stmt *st;
	int64_t now = clock_now();
	int rc;

	if (db_begin(db) < 0)
		return POST_ERROR;
	if (post_check(db, in, errs) < 0 || (!errs->n && region_get(db, in->community_code, &community) != REGION_OK))
		return post_finish(db, POST_ERROR);
	if (errs->n)
		return post_finish(db, POST_INVALID);
	st = db_prepare(db, "INSERT INTO post (community_code, place_code, item_id, name, duties, places, starts_on, "
			    "ends_on, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?) "
			    "RETURNING id");
	db_bind_text(st, 1, in->community_code);
	bind_place(st, 2, in->place_code);
	db_bind_int(st, 3, in->item_id);
	db_bind_text(st, 4, in->name);
	db_bind_text(st, 5, in->duties ? in->duties : "");
	db_bind_int(st, 6, in->places);
	db_bind_text(st, 7, in->starts_on);
	db_bind_text(st, 8, in->ends_on ? in->ends_on : "");
	db_bind_int(st, 9, now);
	db_bind_int(st, 10, now);
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	rc = rc == DB_ROW && audit_post(db, who, "post.create", *id, community.path, in->name) == 0 ? POST_OK
												: POST_ERROR;
	return post_finish(db, rc);
}

/* Begins a write transaction on post id, open, read into p; otherwise ends it again and says why (POST_BAD_STATE). */
static int begin_on_open(struct db *db, int64_t id, struct post *p)
{
	int rc;

	if (db_begin(db) < 0)
		return POST_ERROR;
	rc = post_get(db, id, p);
	if (rc == POST_OK && strcmp(p->state, "open"))
		rc = POST_BAD_STATE;
	return rc == POST_OK ? POST_OK : post_finish(db, rc);
}

int post_update(struct db *db, const struct actor *who, int64_t id, const struct post_input *in,
		struct field_errors *errs)
{
	struct post_input checked = *in;
	struct db_stmt *st;
	struct post p;
	int rc = begin_on_open(db, id, &p);

	if (rc != POST_OK)
		return rc;
	checked.community_code = p.community_code;
	if (post_check(db, &checked, errs) < 0)
		return post_finish(db, POST_ERROR);
	if (errs->n)
		return post_finish(db, POST_INVALID);
	if (in->places < p.holders)
		return post_finish(db, POST_TOO_FEW);
	st = db_prepare(db, "UPDATE post SET place_code = ?, item_id = ?, name = ?, duties = ?, places = ?, "
			    "starts_on = ?, ends_on = ?, updated_at = ? WHERE id = ?");
	bind_place(st, 1, in->place_code);
	db_bind_int(st, 2, in->item_id);
	db_bind_text(st, 3, in->name);
	db_bind_text(st, 4, in->duties ? in->duties : "");
	db_bind_int(st, 5, in->places);
	db_bind_text(st, 6, in->starts_on);
	db_bind_text(st, 7, in->ends_on ? in->ends_on : "");
	db_bind_int(st, 8, clock_now());
	db_bind_int(st, 9, id);
	rc = db_step(st);
	db_done(st);
	rc = rc == DB_DONE && audit_post(db, who, "post.update", id, p.community_path, in->name) == 0 ? POST_OK
												: POST_ERROR;
	return post_finish(db, rc);
}

/* Runs one of post_close's updates of the claims of post id: answer, time, who, id bound in that order. */
static int end_claims(struct db *db, const char *sql, const struct actor *who, int64_t id, const char *answer)
{
	struct db_stmt *st = db_prepare(db, sql);
	int rc;

	db_bind_text(st, 1, answer);
	db_bind_int(st, 2, clock_now());
	post_bind_account(st, 3, who);
	db_bind_int(st, 4, id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int post_close(struct db *db, const struct actor *who, int64_t id, const char *reason)
{
	struct db_stmt *st;
	struct post p;
	int rc = begin_on_open(db, id, &p);

	if (rc != POST_OK)
		return rc;
	st = db_prepare(db, "UPDATE post SET state = 'closed', close_reason = ?, updated_at = ? WHERE id = ?");
	db_bind_text(st, 1, reason);
	db_bind_int(st, 2, clock_now());
	db_bind_int(st, 3, id);
	rc = db_step(st) == DB_DONE ? POST_OK : POST_ERROR;
	db_done(st);
	if (rc == POST_OK &&
	    (end_claims(db, "UPDATE post_holder SET state = 'left', answer = ?, left_at = ?, decided_by = ? "
			    "WHERE post_id = ? AND state IN ('holding', 'leaving')", who, id, reason) < 0 ||
	     end_claims(db, "UPDATE post_holder SET state = 'refused', answer = ?, decided_at = ?, decided_by = ? "
			    "WHERE post_id = ? AND state = 'applied'", who, id, reason) < 0 ||
	     audit_post(db, who, "post.close", id, p.community_path, reason) < 0))
		rc = POST_ERROR;
	return post_finish(db, rc);
}

struct post_query {
	const struct scope *scope;
	const struct post_filter *f;
};

static void post_filters(struct buf *sql, const void *arg)
{
	const struct post_query *q = arg;

	buf_addstr(sql, POST_FROM " WHERE 1=1");
	listing_codes_sql(sql, q->scope, "p.community_code", NULL, false);
	if (q->f->community)
		buf_addstr(sql, " AND p.community_code = ?");
	if (q->f->state)
		buf_addstr(sql, " AND p.state = ?");
	if (q->f->item_id)
		buf_addstr(sql, " AND p.item_id = ?");
}

static int post_bind(struct db_stmt *st, const void *arg)
{
	const struct post_query *q = arg;
	int i = listing_codes_bind(st, q->scope, 0, 1);

	if (q->f->community)
		db_bind_text(st, i++, q->f->community);
	if (q->f->state)
		db_bind_text(st, i++, q->f->state);
	if (q->f->item_id)
		db_bind_int(st, i++, q->f->item_id);
	return i;
}

int post_list(struct db *db, const struct scope *scope, const struct post_filter *f, struct post **items, size_t *n,
	      int64_t *total)
{
	static const struct listing l = { POST_COLUMNS, post_filters, post_bind,
					  " ORDER BY p.community_code, p.state DESC, COALESCE(pl.path, ''), p.id",
					  sizeof(struct post), read_post };
	struct post_query q = { scope, f };

	return listing_page(db, &l, &q, f->page, f->per_page, (void **)items, n, total) < 0 ? POST_ERROR : POST_OK;
}

static void read_offer(struct db_stmt *st, void *item, const void *arg)
{
	struct post_offer *o = item;
	const char *preferred = arg;

	read_post(st, &o->post, NULL);
	o->claim_id = db_col_int(st, POST_NCOLS);
	str_copy(o->claim_state, sizeof(o->claim_state), db_col_text(st, POST_NCOLS + 1));
	o->preferred = post_preferred(preferred, o->post.name, o->post.item_name);
}

int post_offers(struct db *db, const char *community_code, int64_t member_id, const char *preferred,
		struct post_offer **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " POST_COLUMNS ", COALESCE(h.id, 0), COALESCE(h.state, '')" POST_FROM
					    " LEFT JOIN post_holder h ON h.post_id = p.id AND h.member_id = ? AND "
					    "h.state IN ('applied', 'holding', 'leaving') WHERE p.community_code = ? AND "
					    "p.state = 'open' AND (p.ends_on = '' OR p.ends_on >= ?) "
					    "ORDER BY COALESCE(pl.path, ''), p.id LIMIT ?");
	char today[11];
	int rc;

	clock_date(clock_now(), today);
	db_bind_int(st, 1, member_id);
	db_bind_text(st, 2, community_code);
	db_bind_text(st, 3, today);
	db_bind_int(st, 4, POST_LIST_MAX);
	rc = post_rows(st, sizeof(**items), POST_LIST_MAX, read_offer, preferred, (void **)items, n);
	if (rc == POST_OK)
		post_offers_order(*items, *n);
	return rc;
}
