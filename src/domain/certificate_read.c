/* certificate_read.c: service certificates read: requests and their queue, a certificate with its lines, the register, public verification */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/mask.h"
#include "domain/certificate.h"
#include "domain/listing.h"

#define REQUEST_COLUMNS                                                                                           \
	"q.id, q.member_id, m.name, q.community_code, r.name, r.path, q.from_on, q.to_on, q.note, q.state, q.answer, " \
	"COALESCE((SELECT c.id FROM certificate c WHERE c.request_id = q.id), 0), q.created_at, "                    \
	"COALESCE(q.decided_at, 0), COALESCE(m.account_id, 0)"
#define REQUEST_FROM                                                                                    \
	" FROM certificate_request q JOIN member m ON m.id = q.member_id JOIN region r ON r.code = q.community_code"

static void request_read(struct db_stmt *st, struct cert_request *out)
{
	memset(out, 0, sizeof(*out));
	out->id = db_col_int(st, 0);
	out->member_id = db_col_int(st, 1);
	str_copy(out->member_name, sizeof(out->member_name), db_col_text(st, 2));
	str_copy(out->community_code, sizeof(out->community_code), db_col_text(st, 3));
	str_copy(out->community_name, sizeof(out->community_name), db_col_text(st, 4));
	str_copy(out->community_path, sizeof(out->community_path), db_col_text(st, 5));
	str_copy(out->from_on, sizeof(out->from_on), db_col_text(st, 6));
	str_copy(out->to_on, sizeof(out->to_on), db_col_text(st, 7));
	str_copy(out->note, sizeof(out->note), db_col_text(st, 8));
	str_copy(out->state, sizeof(out->state), db_col_text(st, 9));
	str_copy(out->answer, sizeof(out->answer), db_col_text(st, 10));
	out->certificate_id = db_col_int(st, 11);
	out->created_at = db_col_int(st, 12);
	out->decided_at = db_col_int(st, 13);
	out->member_account_id = db_col_int(st, 14);
}

int certificate_request_get(struct db *db, int64_t id, struct cert_request *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " REQUEST_COLUMNS REQUEST_FROM " WHERE q.id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		request_read(st, out);
	db_done(st);
	return rc == DB_ROW ? CERT_OK : rc == DB_DONE ? CERT_NOT_FOUND : CERT_ERROR;
}

/* A list's arguments: the scope, the filters, the community filter's code range. */
struct query {
	const struct scope *scope;
	const void *f;
	char lo[24], hi[26];
};

static void community_range(struct query *q, const char *community)
{
	char path[32];

	if (!community)
		return;
	snprintf(path, sizeof(path), "/%s/", community);
	listing_code_range(path, q->lo, q->hi);
}

static void request_filters(struct buf *sql, const void *arg)
{
	const struct query *q = arg;
	const struct cert_request_filter *f = q->f;

	buf_addstr(sql, REQUEST_FROM " WHERE 1=1");
	listing_codes_sql(sql, q->scope, "q.community_code", NULL, false);
	if (f->community)
		buf_addstr(sql, " AND q.community_code >= ? AND q.community_code < ?");
	if (f->state)
		buf_addstr(sql, " AND q.state = ?");
	if (f->member_id)
		buf_addstr(sql, " AND q.member_id = ?");
}

static int request_bind(struct db_stmt *st, const void *arg)
{
	const struct query *q = arg;
	const struct cert_request_filter *f = q->f;
	int i = listing_codes_bind(st, q->scope, 0, 1);

	if (f->community) {
		db_bind_text(st, i++, q->lo);
		db_bind_text(st, i++, q->hi);
	}
	if (f->state)
		db_bind_text(st, i++, f->state);
	if (f->member_id)
		db_bind_int(st, i++, f->member_id);
	return i;
}

static void request_row(struct db_stmt *st, void *item, const void *arg)
{
	(void)arg;
	request_read(st, item);
}

int certificate_request_list(struct db *db, const struct scope *scope, const struct cert_request_filter *f,
			     struct cert_request **items, size_t *n, int64_t *total)
{
	static const struct listing oldest = { REQUEST_COLUMNS, request_filters, request_bind, " ORDER BY q.id",
					       sizeof(struct cert_request), request_row };
	static const struct listing newest = { REQUEST_COLUMNS, request_filters, request_bind, " ORDER BY q.id DESC",
					       sizeof(struct cert_request), request_row };
	struct query q = { .scope = scope, .f = f };
	void *out;
	int rc;

	community_range(&q, f->community);
	rc = listing_page(db, f->newest_first ? &newest : &oldest, &q, f->page, f->per_page, &out, n, total);
	*items = out;
	return rc < 0 ? CERT_ERROR : CERT_OK;
}

#define CERT_COLUMNS                                                                                               \
	"c.id, c.request_id, c.member_id, c.number, c.issuer_code, r.path, c.year, c.seq, c.name, c.id_type, "      \
	"c.id_number_masked, c.from_on, c.to_on, c.total_minutes, c.services, c.issuer_name, c.person_in_charge, " \
	"c.handler, c.contact, c.issued_at, c.code, COALESCE(c.revoked_at, 0), c.revoke_reason, "                  \
	"COALESCE(m.account_id, 0)"
#define CERT_FROM " FROM certificate c JOIN region r ON r.code = c.issuer_code JOIN member m ON m.id = c.member_id"

static void cert_read(struct db_stmt *st, struct certificate *out)
{
	int i = 0;

	memset(out, 0, sizeof(*out));
	out->id = db_col_int(st, i++);
	out->request_id = db_col_int(st, i++);
	out->member_id = db_col_int(st, i++);
	str_copy(out->number, sizeof(out->number), db_col_text(st, i++));
	str_copy(out->issuer_code, sizeof(out->issuer_code), db_col_text(st, i++));
	str_copy(out->issuer_path, sizeof(out->issuer_path), db_col_text(st, i++));
	out->year = (int)db_col_int(st, i++);
	out->seq = db_col_int(st, i++);
	str_copy(out->name, sizeof(out->name), db_col_text(st, i++));
	str_copy(out->id_type, sizeof(out->id_type), db_col_text(st, i++));
	str_copy(out->id_number_masked, sizeof(out->id_number_masked), db_col_text(st, i++));
	str_copy(out->from_on, sizeof(out->from_on), db_col_text(st, i++));
	str_copy(out->to_on, sizeof(out->to_on), db_col_text(st, i++));
	out->total_minutes = db_col_int(st, i++);
	out->services = db_col_int(st, i++);
	str_copy(out->issuer_name, sizeof(out->issuer_name), db_col_text(st, i++));
	str_copy(out->person_in_charge, sizeof(out->person_in_charge), db_col_text(st, i++));
	str_copy(out->handler, sizeof(out->handler), db_col_text(st, i++));
	str_copy(out->contact, sizeof(out->contact), db_col_text(st, i++));
	out->issued_at = db_col_int(st, i++);
	str_copy(out->code, sizeof(out->code), db_col_text(st, i++));
	out->revoked_at = db_col_int(st, i++);
	str_copy(out->revoke_reason, sizeof(out->revoke_reason), db_col_text(st, i++));
	out->member_account_id = db_col_int(st, i);
}

int certificate_get(struct db *db, int64_t id, struct certificate *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " CERT_COLUMNS CERT_FROM " WHERE c.id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		cert_read(st, out);
	db_done(st);
	return rc == DB_ROW ? CERT_OK : rc == DB_DONE ? CERT_NOT_FOUND : CERT_ERROR;
}

int certificate_lines(struct db *db, int64_t id, struct cert_line **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT record_id, served_on, item_name, content, minutes FROM "
					    "certificate_line WHERE certificate_id = ? ORDER BY position");
	size_t cap = 16;
	int rc;

	*items = xcalloc(cap, sizeof(**items));
	*n = 0;
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct cert_line *l;

		if (*n == cap)
			*items = xrealloc(*items, (cap *= 2) * sizeof(**items));
		l = &(*items)[(*n)++];
		l->record_id = db_col_int(st, 0);
		str_copy(l->served_on, sizeof(l->served_on), db_col_text(st, 1));
		str_copy(l->item_name, sizeof(l->item_name), db_col_text(st, 2));
		str_copy(l->content, sizeof(l->content), db_col_text(st, 3));
		l->minutes = db_col_int(st, 4);
	}
	db_done(st);
	return rc == DB_DONE ? CERT_OK : CERT_ERROR;
}

/* Whether q reads as (a part of) a certificate number: digits and '-' only. */
static bool number_like(const char *q)
{
	return *q && strspn(q, "0123456789-") == strlen(q);
}

static void cert_filters(struct buf *sql, const void *arg)
{
	const struct query *q = arg;
	const struct cert_filter *f = q->f;

	buf_addstr(sql, CERT_FROM " WHERE 1=1");
	listing_codes_sql(sql, q->scope, "c.issuer_code", NULL, false);
	if (f->community)
		buf_addstr(sql, " AND c.issuer_code >= ? AND c.issuer_code < ?");
	if (f->q)
		buf_addstr(sql, number_like(f->q) ? " AND c.number LIKE ? ESCAPE '\\'" : " AND c.name LIKE ? ESCAPE '\\'");
	if (f->state)
		buf_addstr(sql, strcmp(f->state, "revoked") ? " AND c.revoked_at IS NULL" : " AND c.revoked_at IS NOT NULL");
	if (f->member_id)
		buf_addstr(sql, " AND c.member_id = ?");
}

static int cert_bind(struct db_stmt *st, const void *arg)
{
	const struct query *q = arg;
	const struct cert_filter *f = q->f;
	int i = listing_codes_bind(st, q->scope, 0, 1);

	if (f->community) {
		db_bind_text(st, i++, q->lo);
		db_bind_text(st, i++, q->hi);
	}
	if (f->q) {
		struct buf like = BUF_INIT;

		/* A number anywhere in it (the sequence alone, say); a name from its start. */
		listing_like(&like, f->q, !number_like(f->q));
		db_bind_text(st, i++, buf_str(&like));
		buf_release(&like);
	}
	if (f->member_id)
		db_bind_int(st, i++, f->member_id);
	return i;
}

static void cert_row(struct db_stmt *st, void *item, const void *arg)
{
	(void)arg;
	cert_read(st, item);
}

int certificate_list(struct db *db, const struct scope *scope, const struct cert_filter *f,
		     struct certificate **items, size_t *n, int64_t *total)
{
	static const struct listing l = { CERT_COLUMNS, cert_filters, cert_bind, " ORDER BY c.issued_at DESC, c.id DESC",
					  sizeof(struct certificate), cert_row };
	struct query q = { .scope = scope, .f = f };
	void *out;
	int rc;

	community_range(&q, f->community);
	rc = listing_page(db, &l, &q, f->page, f->per_page, &out, n, total);
	*items = out;
	return rc < 0 ? CERT_ERROR : CERT_OK;
}

int certificate_verify(struct db *db, const char *code, struct cert_public *out)
{
	struct db_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	/* Only what a code can be is looked up: 32 lowercase hex digits. */
	if (strlen(code) != CERT_CODE_LEN || strspn(code, "0123456789abcdef") != CERT_CODE_LEN)
		return CERT_NOT_FOUND;
	st = db_prepare(db, "SELECT name, total_minutes, issuer_name, issued_at, COALESCE(revoked_at, 0) "
			    "FROM certificate WHERE code = ?");
	db_bind_text(st, 1, code);
	rc = db_step(st);
	if (rc == DB_ROW) {
		mask_name(db_col_text(st, 0), out->name_masked, sizeof(out->name_masked));
		out->total_minutes = db_col_int(st, 1);
		str_copy(out->issuer_name, sizeof(out->issuer_name), db_col_text(st, 2));
		out->issued_at = db_col_int(st, 3);
		out->revoked_at = db_col_int(st, 4);
	}
	db_done(st);
	return rc == DB_ROW ? CERT_OK : rc == DB_DONE ? CERT_NOT_FOUND : CERT_ERROR;
}
