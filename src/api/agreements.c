/* agreements.c: co-building agreements: a community sees its partner units, a unit its partner communities */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/valid.h"
#include "base/xalloc.h"
#include "domain/agreement.h"
#include "domain/region.h"
#include "domain/unit.h"

static const char *const statuses[] = { "draft", "signed", NULL };

struct agreement_body {
	long long unit_id;
	char *community_code, *starts_on, *ends_on, *status, *signed_doc;
	struct str_list commitments;
};

static const struct spec_field agreement_spec[] = {
	SPEC(struct agreement_body, unit_id, SPEC_INT, SPEC_REQUIRED, 1, INT64_MAX),
	SPEC(struct agreement_body, community_code, SPEC_STR, SPEC_REQUIRED, 1, 18),
	SPEC(struct agreement_body, starts_on, SPEC_STR, SPEC_REQUIRED, 1, 10),
	SPEC(struct agreement_body, ends_on, SPEC_STR, SPEC_REQUIRED, 1, 10),
	SPEC_CHOICE(struct agreement_body, status, SPEC_REQUIRED, statuses),
	SPEC(struct agreement_body, signed_doc, SPEC_STR, 0, 0, AGREEMENT_DOC_MAX),
	SPEC_LIST(struct agreement_body, commitments, SPEC_STRS, SPEC_REQUIRED, 1, AGREEMENT_COMMITMENT_MAX,
		  AGREEMENT_COMMITMENTS_N),
	{ 0 },
};

static json_t *agreement_json(const struct agreement *a)
{
	json_t *list = json_array();
	char *copy = xstrdup(a->commitments), *save = NULL;

	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		list = json_push(list, json_string(line));
	free(copy);
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:I, s:I}", "id", (json_int_t)a->id,
			 "unit_id", (json_int_t)a->unit_id, "unit_name", a->unit_name, "community_code",
			 a->community_code, "community_name", a->community_name, "starts_on", a->starts_on, "ends_on",
			 a->ends_on, "commitments", list, "status", a->status, "signed_doc", a->signed_doc,
			 "created_at", (json_int_t)a->created_at, "updated_at", (json_int_t)a->updated_at);
}

static void today(char out[11])
{
	clock_date(clock_now(), out);
}

/* Reads the body into a, checking dates, the unit and the community; every error in one answer. */
static int read_or_reply(struct call *c, struct agreement *a)
{
	struct agreement_body b = { 0 };
	struct field_errors errs = { 0 };
	struct region r;
	struct unit u;
	struct buf lines = BUF_INIT;
	int rc = -1;

	if (call_body_read_or_reply(c, agreement_spec, &b, &errs) < 0)
		goto out;
	if (b.starts_on && !field_errors_has(&errs, "starts_on") && !valid_date(b.starts_on))
		field_errors_add(&errs, "starts_on", "format", "应为日期，如 2026-01-01");
	if (b.ends_on && !field_errors_has(&errs, "ends_on") && !valid_date(b.ends_on))
		field_errors_add(&errs, "ends_on", "format", "应为日期，如 2027-12-31");
	else if (b.starts_on && b.ends_on && valid_date(b.starts_on) && strcmp(b.ends_on, b.starts_on) < 0)
		field_errors_add(&errs, "ends_on", "too_small", "结束日期不能早于开始日期");
	if (b.unit_id && unit_get(c->db, b.unit_id, &u) != UNIT_OK)
		field_errors_add(&errs, "unit_id", "not_found", "单位不存在");
	if (b.community_code && !field_errors_has(&errs, "community_code") &&
	    (region_get(c->db, b.community_code, &r) != REGION_OK || strcmp(r.level, "community")))
		field_errors_add(&errs, "community_code", "not_found", "应为存在的社区");
	if (!field_errors_has(&errs, "commitments") && b.commitments.n == 0 && !errs.n)
		field_errors_add(&errs, "commitments", "required", "至少写一项共建承诺");
	if (errs.n) {
		reply_errors(c, 422, &errs);
		goto out;
	}
	for (size_t i = 0; i < b.commitments.n; i++) {
		/* One commitment per line: a line break inside one would split it. */
		for (char *p = b.commitments.items[i]; *p; p++)
			if (*p == '\n' || *p == '\r')
				*p = ' ';
		buf_addf(&lines, "%s%s", i ? "\n" : "", b.commitments.items[i]);
	}
	a->unit_id = b.unit_id;
	str_copy(a->community_code, sizeof(a->community_code), r.code);
	str_copy(a->community_path, sizeof(a->community_path), r.path);
	str_copy(a->starts_on, sizeof(a->starts_on), b.starts_on);
	str_copy(a->ends_on, sizeof(a->ends_on), b.ends_on);
	str_copy(a->status, sizeof(a->status), b.status);
	str_copy(a->signed_doc, sizeof(a->signed_doc), b.signed_doc ? b.signed_doc : "");
	a->commitments = buf_detach(&lines, NULL);
	rc = 0;
out:
	buf_release(&lines);
	spec_release(agreement_spec, &b);
	return rc;
}

/* The agreement {id} if the caller may read it; 404 otherwise. */
static int readable_or_reply(struct call *c, struct agreement *a)
{
	char date[11];
	struct target t;
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	today(date);
	rc = agreement_get(c->db, id, date, a);
	if (rc == 0) {
		t = (struct target){ a->community_path, a->unit_id };
		if (authz_allows(&c->who, ACT_AGREEMENT_READ, &t))
			return 0;
		agreement_release(a);
		rc = 1;
	}
	if (rc > 0)
		reply_problem(c, 404, "not_found", "找不到该共建协议");
	else
		reply_internal(c, "reading an agreement");
	return -1;
}

void agreements_list(struct call *c)
{
	struct agreement *items;
	struct scope scope;
	const char *community;
	int64_t unit_id = 0, page, per_page, total;
	char date[11];
	size_t n;
	json_t *arr;

	if (call_query_or_reply(c, "community", 18, &community) < 0 ||
	    call_int_or_reply(c, "unit_id", 1, INT64_MAX, &unit_id) < 0 || call_page_or_reply(c, &page, &per_page) < 0)
		return;
	authz_scope(&c->who, ACT_AGREEMENT_READ, &scope);
	today(date);
	if (agreement_list(c->db, &scope, community, unit_id, date, page, per_page, &items, &n, &total) < 0) {
		reply_internal(c, "listing agreements");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++) {
		arr = json_push(arr, agreement_json(&items[i]));
		agreement_release(&items[i]);
	}
	free(items);
	reply_json(c, 200, page_json(arr, total, page, per_page));
}

void agreements_get(struct call *c)
{
	struct agreement a;

	if (readable_or_reply(c, &a) < 0)
		return;
	reply_json(c, 200, agreement_json(&a));
	agreement_release(&a);
}

/* Saves a (new when id is 0), if the caller may write at its community; answers status with it. */
static void save(struct call *c, struct agreement *a, int status)
{
	struct target t = { a->community_path, 0 };
	char date[11];

	if (call_allow_or_reply(c, ACT_AGREEMENT_WRITE, &t) < 0)
		return;
	if (agreement_save(c->db, &c->actor, a) < 0) {
		reply_internal(c, "saving an agreement");
		return;
	}
	today(date);
	agreement_release(a);
	if (agreement_get(c->db, a->id, date, a) != 0) {
		reply_internal(c, "reading an agreement");
		return;
	}
	reply_json(c, status, agreement_json(a));
}

void agreements_create(struct call *c)
{
	struct agreement a = { 0 };

	if (read_or_reply(c, &a) == 0)
		save(c, &a, 201);
	agreement_release(&a);
}

void agreements_update(struct call *c)
{
	struct agreement old, a = { 0 };
	struct target t;

	if (readable_or_reply(c, &old) < 0)
		return;
	t = (struct target){ old.community_path, 0 };
	if (call_allow_or_reply(c, ACT_AGREEMENT_WRITE, &t) == 0 && read_or_reply(c, &a) == 0) {
		a.id = old.id;
		save(c, &a, 200);
	}
	agreement_release(&old);
	agreement_release(&a);
}
