/* records.c: service records: members report, staff enter, correct the minutes, confirm (盖章) or reject, one or many */
#include "api/records.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "base/valid.h"
#include "base/xalloc.h"
#include "domain/photo.h"
#include "domain/registration.h"

bool record_is_mine(const struct call *c, const struct record *r)
{
	return c->actor.account_id && r->member_account_id == c->actor.account_id;
}

bool record_is_staffs(const struct call *c, const struct record *r)
{
	struct target t = { r->community_path, 0 };

	return authz_allows(&c->who, ACT_RECORD_CONFIRM, &t);
}

static bool may_read(const struct call *c, const struct record *r)
{
	struct target t = { r->community_path, r->member_unit_id };

	return record_is_mine(c, r) || authz_allows(&c->who, ACT_SERVE_READ, &t);
}

static void reply_error(struct call *c, int rc, const struct field_errors *errs)
{
	switch (rc) {
	case RECORD_INVALID:
		reply_errors(c, 422, errs);
		break;
	case RECORD_NOT_FOUND:
		reply_problem(c, 404, "not_found", "找不到该服务记录");
		break;
	case RECORD_BAD_STATE:
		reply_problem(c, 409, "conflict", "该记录已处理，不能再改（已确认的记录可申请更正）");
		break;
	case RECORD_DUPLICATE:
		reply_problem(c, 409, "conflict", "该服务已有记录");
		break;
	case RECORD_OVERLAP:
		reply_field(c, 409, "started_at", "overlap", "这段时间已有该党员的其他服务记录");
		break;
	case RECORD_OWN:
		reply_problem(c, 403, "forbidden", "不能处理本人的服务记录，请由社区其他工作人员办理");
		break;
	case RECORD_ASKED:
		reply_problem(c, 409, "conflict", "已有一条更正申请在等待社区答复");
		break;
	default:
		reply_internal(c, "changing a service record");
	}
}

int record_or_reply(struct call *c, struct record *r)
{
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = record_get(c->db, id, r);
	if (rc == RECORD_OK && !may_read(c, r))
		rc = RECORD_NOT_FOUND;
	if (rc != RECORD_OK)
		reply_error(c, rc, NULL);
	return rc == RECORD_OK ? 0 : -1;
}

/* Record {id} if the caller may act on it for the community; 403 when it may only read it. */
static int staff_record_or_reply(struct call *c, struct record *r)
{
	struct target t;

	if (record_or_reply(c, r) < 0)
		return -1;
	t = (struct target){ r->community_path, 0 };
	return call_allow_or_reply(c, ACT_RECORD_CONFIRM, &t);
}

/* Record {id} if it is the caller's own service; 403 when it is someone else's they may read. */
static int own_record_or_reply(struct call *c, struct record *r)
{
	if (record_or_reply(c, r) < 0)
		return -1;
	if (record_is_mine(c, r))
		return 0;
	reply_problem(c, 403, "forbidden", "只能处理本人的服务记录");
	return -1;
}

static json_t *id_or_null(int64_t id)
{
	return id ? json_integer((json_int_t)id) : json_null();
}

static json_t *record_json(const struct record *r)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:s, s:o}", "id",
			      (json_int_t)r->id, "member_id", (json_int_t)r->member_id, "member_name", r->member_name,
			      "item_id", (json_int_t)r->item_id, "item_code", r->item_code, "item_name", r->item_name,
			      "category", r->category, "community_code", r->community_code, "community_name",
			      r->community_name, "source", r->source, "activity_id", id_or_null(r->activity_id),
			      "activity_title", r->activity_title, "post_id", id_or_null(r->post_id), "post_name",
			      r->post_name, "corrects_id", id_or_null(r->corrects_id));
	json_t *rest = json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:o, s:I, s:o, s:o}", "started_at",
				 (json_int_t)r->started_at, "minutes", (json_int_t)r->minutes, "total_minutes",
				 (json_int_t)r->total_minutes, "corrections", (json_int_t)r->ncorrections, "place",
				 r->place, "content", r->content, "state", r->state, "reason", r->reason, "photos",
				 (json_int_t)r->nphotos, "open_request_id", id_or_null(r->open_request_id), "created_at",
				 (json_int_t)r->created_at, "decided_at", id_or_null(r->decided_at), "origin_id",
				 id_or_null(r->origin_id));

	if (!o || !rest || json_object_update(o, rest) < 0) {
		json_decref(o);
		o = NULL;
	}
	json_decref(rest);
	return o;
}

static json_t *request_json(const struct record_request *q)
{
	return json_pack("{s:I, s:I, s:I, s:s, s:s, s:o, s:s, s:s, s:o, s:I, s:o, s:s, s:s, s:I, s:I}", "id",
			 (json_int_t)q->id, "record_id", (json_int_t)q->record_id, "member_id", (json_int_t)q->member_id,
			 "member_name", q->member_name, "reason", q->reason, "minutes",
			 q->minutes >= 0 ? json_integer((json_int_t)q->minutes) : json_null(), "state", q->state,
			 "answer", q->answer, "correction_id", id_or_null(q->correction_id), "created_at",
			 (json_int_t)q->created_at, "decided_at", id_or_null(q->decided_at), "community_code",
			 q->community_code, "item_name", q->item_name, "record_started_at",
			 (json_int_t)q->record_started_at, "record_total_minutes", (json_int_t)q->record_total);
}

static json_t *photos_json(const struct record *r, const struct photo *p, size_t n)
{
	json_t *arr = json_array();
	char url[96];

	for (size_t i = 0; i < n; i++) {
		snprintf(url, sizeof(url), "/api/v1/records/%" PRId64 "/photos/%" PRId64, r->id, p[i].id);
		arr = json_push(arr, json_pack("{s:I, s:i, s:i, s:I, s:I, s:s, s:s+}", "id", (json_int_t)p[i].id,
					       "width", p[i].width, "height", p[i].height, "bytes", (json_int_t)p[i].bytes,
					       "created_at", (json_int_t)p[i].created_at, "url", url, "thumb_url", url,
					       "/thumb"));
	}
	return arr;
}

/* What the caller may do to the record now, for the pages' buttons (the routes decide again). */
static json_t *can_json(const struct call *c, const struct record *r)
{
	bool staff = record_is_staffs(c, r) && !record_is_mine(c, r), mine = record_is_mine(c, r);

	return json_pack("{s:b, s:b, s:b, s:b, s:b, s:b, s:b}", "confirm",
			 staff && record_may(r->state, r->source, CHANGE_CONFIRM), "reject",
			 staff && record_may(r->state, r->source, CHANGE_REJECT), "minutes",
			 staff && record_may(r->state, r->source, CHANGE_MINUTES), "correct",
			 staff && record_may(r->state, r->source, CHANGE_CORRECT), "withdraw",
			 mine && record_may(r->state, r->source, CHANGE_WITHDRAW), "photo",
			 (mine || record_is_staffs(c, r)) && record_may(r->state, r->source, CHANGE_PHOTO) &&
				 r->nphotos < RECORD_PHOTOS_MAX,
			 "ask", mine && record_may(r->state, r->source, CHANGE_REQUEST) && !r->open_request_id);
}

static json_t *list_json(const struct record *items, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, record_json(&items[i]));
	return arr;
}

/* The whole record: fields, photos, timeline, corrections, requests, and what the caller may do. NULL on an error. */
static json_t *detail_json(struct call *c, const struct record *r)
{
	struct scope all = { .all = true };
	struct record_filter f = { .corrects_id = r->id, .page = 1, .per_page = 100 };
	struct request_filter qf = { .record_id = r->id, .page = 1, .per_page = 100 };
	struct record_value *values = NULL;
	struct record_event *events = NULL;
	struct record *corrections = NULL;
	struct record_request *requests = NULL;
	struct photo *photos = NULL;
	size_t nv, ne, nc, nq, np;
	int64_t total;
	json_t *o = NULL, *arr;

	if (record_values(c->db, r->id, &values, &nv) != RECORD_OK ||
	    record_events(c->db, r->id, &events, &ne) != RECORD_OK ||
	    record_list(c->db, &all, &f, &corrections, &nc, &total) != RECORD_OK ||
	    record_request_list(c->db, &all, &qf, &requests, &nq, &total) != RECORD_OK ||
	    photo_list(c->db, r->id, &photos, &np) != PHOTO_OK)
		goto out;
	o = record_json(r);
	arr = json_array();
	for (size_t i = 0; i < nv; i++)
		arr = json_push(arr, json_pack("{s:s, s:s}", "name", values[i].name, "value", values[i].value));
	if (o)
		json_object_set_new(o, "fields", arr ? arr : json_null());
	arr = json_array();
	for (size_t i = 0; i < ne; i++)
		arr = json_push(arr, json_pack("{s:I, s:s, s:s, s:s}", "at", (json_int_t)events[i].at, "event",
					       events[i].event, "by", events[i].by, "note", events[i].note));
	if (o)
		json_object_set_new(o, "timeline", arr ? arr : json_null());
	arr = json_array();
	for (size_t i = 0; i < nq; i++)
		arr = json_push(arr, request_json(&requests[i]));
	if (o) {
		json_object_set_new(o, "requests", arr ? arr : json_null());
		json_object_set_new(o, "corrections", list_json(corrections, nc));
		json_object_set_new(o, "photo_list", photos_json(r, photos, np));
		json_object_set_new(o, "can", can_json(c, r));
	}
out:
	free(values);
	free(events);
	free(corrections);
	free(requests);
	free(photos);
	return o;
}

void record_reply(struct call *c, int status, int64_t id)
{
	struct record r;

	if (record_get(c->db, id, &r) != RECORD_OK)
		reply_internal(c, "reading a service record");
	else
		reply_json(c, status, detail_json(c, &r));
}

void records_get(struct call *c)
{
	struct record r;

	if (record_or_reply(c, &r) == 0)
		reply_json(c, 200, detail_json(c, &r));
}

/* A member's own report (记录服务) and a staff entry: what both forms say. */
struct report_body {
	long long member_id, item_id, started_at, minutes;
	char *place, *content;
	bool confirm;
};

#define F(name, type, flags, min, max) SPEC(struct report_body, name, type, flags, min, max)
#define REPORT_FIELDS                                                                          \
	F(item_id, SPEC_INT, SPEC_REQUIRED, 1, INT64_MAX),                                       \
	F(started_at, SPEC_INT, SPEC_REQUIRED, 1, 4102444800LL), /* before 2100 */                \
	F(minutes, SPEC_INT, SPEC_REQUIRED, 1, RECORD_MINUTES_MAX),                               \
	F(place, SPEC_STR, 0, 0, RECORD_PLACE_MAX), F(content, SPEC_STR, 0, 0, RECORD_CONTENT_MAX)
static const struct spec_field self_spec[] = { REPORT_FIELDS, { 0 } };
static const struct spec_field staff_spec[] = {
	F(member_id, SPEC_INT, SPEC_REQUIRED, 1, INT64_MAX), REPORT_FIELDS, F(confirm, SPEC_BOOL, 0, 0, 0), { 0 },
};
#undef F

void record_fields_release(struct record_fields *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->names[i]);
		free(f->values[i]);
	}
	f->n = 0;
}

/* A value as text: a string, a whole number, or a list of strings (several choices, joined by ','). NULL otherwise. */
static char *value_text(json_t *v)
{
	struct buf b = BUF_INIT;
	size_t i;
	json_t *item;

	if (json_is_string(v))
		return xstrndup(json_string_value(v), json_string_length(v));
	if (json_is_integer(v)) {
		buf_addf(&b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return buf_detach(&b, &i);
	}
	if (!json_is_array(v))
		return NULL;
	json_array_foreach(v, i, item) {
		if (!json_is_string(item) || strchr(json_string_value(item), ',')) {
			buf_release(&b);
			return NULL;
		}
		buf_addf(&b, "%s%s", i ? "," : "", json_string_value(item));
	}
	return buf_detach(&b, &i);
}

void record_fields_read(struct call *c, struct field_errors *errs, struct record_fields *out)
{
	const char *code, *name;
	json_t *obj = json_parse_object(buf_str(&c->req->body), c->req->body.len, &code), *v, *fields;
	char key[TEXT_BYTES(CATALOG_NAME_MAX) + 8];

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < errs->n; i++)
		if (!strcmp(errs->items[i].field, "fields") && !strcmp(errs->items[i].code, "unknown"))
			errs->items[i--] = errs->items[--errs->n];
	fields = obj ? json_object_get(obj, "fields") : NULL;
	if (fields && !json_is_null(fields) && !json_is_object(fields))
		field_errors_add(errs, "fields", "type", "应为 {项目名: 值}");
	else if (json_object_size(fields) > CATALOG_FIELDS_MAX)
		field_errors_add(errs, "fields", "too_long", "最多 8 项");
	else if (fields)
		json_object_foreach(fields, name, v) {
			char *text = value_text(v);

			if (!valid_utf8_text(name, strlen(name)) || utf8_chars(name) > CATALOG_NAME_MAX) {
				field_errors_add(errs, "fields", "format", "项目名应为 1 到 40 个字");
			} else if (!text || !valid_utf8_text(text, strlen(text)) || utf8_chars(text) > RECORD_VALUE_MAX) {
				snprintf(key, sizeof(key), "fields.%s", name);
				field_errors_add(errs, key, text ? "too_long" : "type", text ? "最多 200 个字" : "应为文字、整数或文字列表");
			} else {
				out->names[out->n] = xstrdup(name);
				out->values[out->n++] = text;
				text = NULL;
			}
			free(text);
		}
	json_decref(obj);
}

/* The form as a record_input (strings borrowed from b and f). */
static struct record_input input_of(const struct report_body *b, const struct record_fields *f, enum record_source source)
{
	return (struct record_input){ .member_id = b->member_id, .item_id = b->item_id, .source = source,
				      .started_at = b->started_at, .minutes = b->minutes, .place = b->place,
				      .content = b->content, .nfields = f->n,
				      .field_names = (const char *const *)f->names,
				      .field_values = (const char *const *)f->values };
}

/* The caller's member file, with a report-in approved; 403 when they may not serve yet. */
static int serving_member_or_reply(struct call *c, int64_t *member_id)
{
	struct registration reg;
	int rc = member_find_by_account(c->db, c->actor.account_id, member_id);

	if (rc == MEMBER_OK)
		rc = registration_current(c->db, *member_id, &reg) == REG_OK && !strcmp(reg.state, "approved")
			     ? MEMBER_OK
			     : MEMBER_NOT_FOUND;
	if (rc == MEMBER_NOT_FOUND) {
		reply_problem(c, 403, "forbidden", "报到通过后才能记录服务");
		return -1;
	}
	if (rc != MEMBER_OK) {
		reply_internal(c, "finding my file");
		return -1;
	}
	return 0;
}

void me_records_create(struct call *c)
{
	struct field_errors errs = { 0 };
	struct report_body b = { 0 };
	struct record_input in;
	struct record_fields f = { 0 };
	int64_t member_id, id;
	int rc;

	if (serving_member_or_reply(c, &member_id) < 0 || call_body_read_or_reply(c, self_spec, &b, &errs) < 0)
		goto out;
	record_fields_read(c, &errs, &f);
	b.member_id = member_id;
	in = input_of(&b, &f, SOURCE_SELF);
	rc = errs.n ? RECORD_INVALID : record_create(c->db, &c->actor, &in, false, &errs, &id);
	if (rc == RECORD_OK)
		record_reply(c, 201, id);
	else
		reply_error(c, rc, &errs);
out:
	record_fields_release(&f);
	spec_release(self_spec, &b);
}

/* The member's community must be the caller's to confirm: else the member is not one they may enter for. */
static bool member_in_reach(struct call *c, int64_t member_id)
{
	struct registration reg;
	struct target t;

	if (registration_current(c->db, member_id, &reg) != REG_OK || strcmp(reg.state, "approved"))
		return false;
	t = (struct target){ reg.community_path, 0 };
	return authz_allows(&c->who, ACT_RECORD_CONFIRM, &t);
}

void records_create(struct call *c)
{
	struct field_errors errs = { 0 };
	struct report_body b = { 0 };
	struct record_input in;
	struct record_fields f = { 0 };
	int64_t id;
	int rc;

	if (call_body_read_or_reply(c, staff_spec, &b, &errs) < 0)
		goto out;
	record_fields_read(c, &errs, &f);
	if (b.member_id && !member_in_reach(c, b.member_id))
		field_errors_add(&errs, "member_id", "not_found", "应为本社区已报到的党员");
	in = input_of(&b, &f, SOURCE_STAFF);
	rc = errs.n ? RECORD_INVALID : record_create(c->db, &c->actor, &in, b.confirm, &errs, &id);
	if (rc == RECORD_OK)
		record_reply(c, 201, id);
	else
		reply_error(c, rc, &errs);
out:
	record_fields_release(&f);
	spec_release(staff_spec, &b);
}

/* The list filters of the queue and of a member's own records. */
static int filter_or_reply(struct call *c, struct record_filter *f)
{
	const char *community;

	memset(f, 0, sizeof(*f));
	if (call_query_or_reply(c, "community", 12, &community) < 0 ||
	    call_choice_or_reply(c, "state", record_states, &f->state) < 0 ||
	    call_choice_or_reply(c, "source", record_sources, &f->source) < 0 ||
	    call_int_or_reply(c, "activity_id", 1, INT64_MAX, &f->activity_id) < 0 ||
	    call_int_or_reply(c, "post_id", 1, INT64_MAX, &f->post_id) < 0 ||
	    call_int_or_reply(c, "team_id", 1, INT64_MAX, &f->team_id) < 0 ||
	    call_int_or_reply(c, "member_id", 1, INT64_MAX, &f->member_id) < 0 ||
	    call_int_or_reply(c, "from", 0, INT64_MAX, &f->from) < 0 || call_int_or_reply(c, "to", 0, INT64_MAX, &f->to) < 0 ||
	    call_int_or_reply(c, "after", 1, INT64_MAX, &f->after) < 0 || call_page_or_reply(c, &f->page, &f->per_page) < 0)
		return -1;
	if (community && !valid_digits(community, 12, 12)) {
		reply_problem(c, 400, "bad_query", "community 应为 12 位区划代码");
		return -1;
	}
	f->community = community;
	return 0;
}

static void reply_page(struct call *c, const struct record_filter *f, const struct scope *scope)
{
	struct record *items;
	size_t n;
	int64_t total;
	json_t *page;

	if (record_list(c->db, scope, f, &items, &n, &total) != RECORD_OK) {
		reply_internal(c, "listing service records");
		return;
	}
	page = page_json(list_json(items, n), total > RECORD_COUNT_CAP ? RECORD_COUNT_CAP : total, f->page, f->per_page);
	if (page && total > RECORD_COUNT_CAP)
		json_object_set_new(page, "total_capped", json_true());
	/* The next page starts after the last record of this one: cheap however deep the queue. */
	if (page && n == (size_t)f->per_page)
		json_object_set_new(page, "next_after", json_integer(items[n - 1].id));
	free(items);
	reply_json(c, 200, page);
}

void records_list(struct call *c)
{
	struct record_filter f;
	struct scope scope;

	if (filter_or_reply(c, &f) < 0)
		return;
	authz_scope(&c->who, ACT_SERVE_READ, &scope);
	reply_page(c, &f, &scope);
}

void me_records_list(struct call *c)
{
	struct scope all = { .all = true };
	struct record_filter f;
	int rc;

	if (filter_or_reply(c, &f) < 0)
		return;
	rc = member_find_by_account(c->db, c->actor.account_id, &f.member_id);
	if (rc == MEMBER_NOT_FOUND) {
		reply_json(c, 200, page_json(json_array(), 0, f.page, f.per_page));
		return;
	}
	if (rc != MEMBER_OK) {
		reply_internal(c, "finding my file");
		return;
	}
	reply_page(c, &f, &all);
}

json_t *records_in_file(struct call *c, const struct member *m, json_t *file)
{
	struct record_filter f = { .member_id = m->id, .page = 1, .per_page = 5 };
	struct scope scope = { .all = true };
	struct record_summary sum;
	struct record *items;
	size_t n;
	int64_t total;
	json_t *records;

	/* The member sees all their service; anyone else what they may read of it. */
	if (!file)
		return NULL;
	if (!c->actor.account_id || m->account_id != c->actor.account_id)
		authz_scope(&c->who, ACT_SERVE_READ, &scope);
	if (record_summary(c->db, m->id, &sum) != RECORD_OK ||
	    record_list(c->db, &scope, &f, &items, &n, &total) != RECORD_OK) {
		json_decref(file);
		return NULL;
	}
	records = json_pack("{s:o, s:I}", "items", list_json(items, n), "total", (json_int_t)total);
	free(items);
	if (!records || json_object_set_new(file, "records", records) < 0 ||
	    json_object_set_new(file, "service", json_pack("{s:I, s:I, s:I, s:I}", "records", (json_int_t)sum.total,
							    "pending", (json_int_t)sum.pending, "confirmed",
							    (json_int_t)sum.confirmed, "confirmed_minutes",
							    (json_int_t)sum.confirmed_minutes)) < 0) {
		json_decref(file);
		return NULL;
	}
	return file;
}

struct minutes_body {
	long long minutes;
	char *reason;
};

static const struct spec_field minutes_spec[] = {
	SPEC(struct minutes_body, minutes, SPEC_INT, SPEC_REQUIRED, 0, RECORD_MINUTES_MAX),
	SPEC(struct minutes_body, reason, SPEC_STR, SPEC_REQUIRED, 2, RECORD_REASON_MAX),
	{ 0 },
};

void records_minutes(struct call *c)
{
	struct field_errors errs = { 0 };
	struct minutes_body b = { 0 };
	struct record r;
	int rc;

	if (staff_record_or_reply(c, &r) < 0 || call_body_or_reply(c, minutes_spec, &b) < 0)
		return;
	rc = record_set_minutes(c->db, &c->actor, r.id, b.minutes, b.reason, &errs);
	if (rc == RECORD_OK)
		record_reply(c, 200, r.id);
	else
		reply_error(c, rc, &errs);
	spec_release(minutes_spec, &b);
}

void records_confirm(struct call *c)
{
	struct record r;
	int rc;

	if (staff_record_or_reply(c, &r) < 0)
		return;
	rc = record_decide(c->db, &c->actor, r.id, true, NULL);
	if (rc == RECORD_OK)
		record_reply(c, 200, r.id);
	else
		reply_error(c, rc, NULL);
}

struct reason_body {
	char *reason;
};

static const struct spec_field reason_spec[] = {
	SPEC(struct reason_body, reason, SPEC_STR, SPEC_REQUIRED, 2, RECORD_REASON_MAX),
	{ 0 },
};

void records_reject(struct call *c)
{
	struct reason_body b = { 0 };
	struct record r;
	int rc;

	if (staff_record_or_reply(c, &r) < 0 || call_body_or_reply(c, reason_spec, &b) < 0)
		return;
	rc = record_decide(c->db, &c->actor, r.id, false, b.reason);
	if (rc == RECORD_OK)
		record_reply(c, 200, r.id);
	else
		reply_error(c, rc, NULL);
	spec_release(reason_spec, &b);
}

struct bulk_body {
	struct int_list ids;
	long long activity_id;
};

static const struct spec_field bulk_spec[] = {
	SPEC_LIST(struct bulk_body, ids, SPEC_INTS, 0, 1, INT64_MAX, RECORD_BULK_MAX),
	SPEC(struct bulk_body, activity_id, SPEC_INT, 0, 1, INT64_MAX),
	{ 0 },
};

/*
 * Bulk confirmation from the queue: the ids of a page (or any ids, up to
 * RECORD_BULK_MAX), or every pending record of an activity; one transaction,
 * each record on its own rules, the answer says how each went.
 */
void records_confirm_many(struct call *c)
{
	struct bulk_body b = { 0 };
	enum record_outcome *outcomes = NULL;
	int64_t *ids = NULL, confirmed = 0;
	size_t n = 0;
	json_t *results;

	if (call_body_or_reply(c, bulk_spec, &b) < 0)
		return;
	if (!b.ids.n == !b.activity_id) {
		reply_field(c, 422, "ids", "required", "请给出要确认的记录（ids），或一个活动（activity_id），二者选一");
		goto out;
	}
	if (b.activity_id && record_pending_of_activity(c->db, b.activity_id, RECORD_BULK_MAX, &ids, &n) != RECORD_OK) {
		reply_internal(c, "listing an activity's records");
		goto out;
	}
	if (!b.activity_id) {
		n = b.ids.n;
		ids = xcalloc(n, sizeof(*ids));
		for (size_t i = 0; i < n; i++)
			ids[i] = b.ids.items[i];
	}
	outcomes = xcalloc(n ? n : 1, sizeof(*outcomes));
	if (record_confirm_many(c->db, &c->actor, &c->who, ids, n, outcomes) != RECORD_OK) {
		reply_internal(c, "confirming records");
		goto out;
	}
	results = json_array();
	for (size_t i = 0; i < n; i++) {
		confirmed += outcomes[i] == OUTCOME_CONFIRMED;
		/* An activity's records out of the caller's reach are not named. */
		if (!b.activity_id || outcomes[i] != OUTCOME_NOT_FOUND)
			results = json_push(results, json_pack("{s:I, s:s}", "id", (json_int_t)ids[i], "outcome",
							       record_outcomes[outcomes[i]]));
	}
	reply_json(c, 200, json_pack("{s:o, s:I}", "results", results, "confirmed", (json_int_t)confirmed));
out:
	free(ids);
	free(outcomes);
	spec_release(bulk_spec, &b);
}

void records_withdraw(struct call *c)
{
	struct record r;
	int rc;

	if (own_record_or_reply(c, &r) < 0)
		return;
	rc = record_withdraw(c->db, &c->actor, r.id);
	if (rc == RECORD_OK)
		record_reply(c, 200, r.id);
	else
		reply_error(c, rc, NULL);
}

struct fix_body {
	long long minutes;
	char *reason, *answer;
};

static const struct spec_field correction_spec[] = {
	SPEC(struct fix_body, minutes, SPEC_INT, SPEC_REQUIRED, 0, RECORD_MINUTES_MAX),
	SPEC(struct fix_body, reason, SPEC_STR, SPEC_REQUIRED, 2, RECORD_REASON_MAX),
	{ 0 },
};

void records_correct(struct call *c)
{
	struct field_errors errs = { 0 };
	struct fix_body b = { 0 };
	struct record r;
	int64_t correction;
	int rc;

	if (staff_record_or_reply(c, &r) < 0 || call_body_or_reply(c, correction_spec, &b) < 0)
		return;
	rc = record_correct(c->db, &c->actor, r.id, b.minutes, b.reason, &errs, &correction);
	if (rc == RECORD_OK)
		record_reply(c, 201, r.id);
	else
		reply_error(c, rc, &errs);
	spec_release(correction_spec, &b);
}

static const struct spec_field ask_spec[] = {
	SPEC(struct fix_body, reason, SPEC_STR, SPEC_REQUIRED, 2, RECORD_REASON_MAX),
	SPEC(struct fix_body, minutes, SPEC_INT, 0, 0, RECORD_MINUTES_MAX),
	{ 0 },
};

static void reply_request(struct call *c, int status, int64_t id)
{
	struct record_request q;

	if (record_request_get(c->db, id, &q) != RECORD_OK)
		reply_internal(c, "reading a request");
	else
		reply_json(c, status, request_json(&q));
}

void records_ask(struct call *c)
{
	struct field_errors errs = { 0 };
	struct fix_body b = { .minutes = -1 };
	struct record r;
	int64_t id;
	int rc;

	if (own_record_or_reply(c, &r) < 0 || call_body_or_reply(c, ask_spec, &b) < 0)
		return;
	rc = record_ask(c->db, &c->actor, r.id, b.reason, b.minutes, &errs, &id);
	if (rc == RECORD_OK)
		reply_request(c, 201, id);
	else
		reply_error(c, rc, &errs);
	spec_release(ask_spec, &b);
}

/* Request {id} if the caller may answer it for the community; 404 when it may not see it, 403 when only read. */
static int request_or_reply(struct call *c, struct record_request *q)
{
	struct record r;
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = record_request_get(c->db, id, q);
	if (rc == RECORD_OK)
		rc = record_get(c->db, q->record_id, &r);
	if (rc == RECORD_OK && !may_read(c, &r))
		rc = RECORD_NOT_FOUND;
	if (rc == RECORD_NOT_FOUND) {
		reply_problem(c, 404, "not_found", "找不到该更正申请");
		return -1;
	}
	if (rc != RECORD_OK) {
		reply_internal(c, "reading a request");
		return -1;
	}
	return call_allow_or_reply(c, ACT_RECORD_CONFIRM, &(struct target){ r.community_path, 0 });
}

static const struct spec_field accept_spec[] = {
	SPEC(struct fix_body, minutes, SPEC_INT, 0, 0, RECORD_MINUTES_MAX),
	SPEC(struct fix_body, answer, SPEC_STR, 0, 0, RECORD_REASON_MAX),
	{ 0 },
};

static const struct spec_field decline_spec[] = {
	SPEC(struct fix_body, answer, SPEC_STR, SPEC_REQUIRED, 2, RECORD_REASON_MAX),
	{ 0 },
};

static void answer(struct call *c, bool accept)
{
	const struct spec_field *spec = accept ? accept_spec : decline_spec;
	struct field_errors errs = { 0 };
	struct fix_body b = { .minutes = -1 };
	struct record_request q;
	int64_t correction;
	int rc;

	if (request_or_reply(c, &q) < 0 || call_body_or_reply(c, spec, &b) < 0)
		return;
	rc = record_answer(c->db, &c->actor, q.id, accept, b.minutes, b.answer, &errs, &correction);
	if (rc == RECORD_OK)
		reply_request(c, 200, q.id);
	else
		reply_error(c, rc, &errs);
	spec_release(spec, &b);
}

void record_requests_accept(struct call *c)
{
	answer(c, true);
}

void record_requests_decline(struct call *c)
{
	answer(c, false);
}

void record_requests_list(struct call *c)
{
	static const char *const states[] = { "asked", "accepted", "declined", NULL };
	struct request_filter f = { 0 };
	struct record_request *items;
	struct scope scope;
	size_t n;
	int64_t total;
	json_t *arr;

	if (call_choice_or_reply(c, "state", states, &f.state) < 0 ||
	    call_query_or_reply(c, "community", 12, &f.community) < 0 || call_page_or_reply(c, &f.page, &f.per_page) < 0)
		return;
	if (f.community && !valid_digits(f.community, 12, 12)) {
		reply_problem(c, 400, "bad_query", "community 应为 12 位区划代码");
		return;
	}
	authz_scope(&c->who, ACT_SERVE_READ, &scope);
	if (record_request_list(c->db, &scope, &f, &items, &n, &total) != RECORD_OK) {
		reply_internal(c, "listing requests");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, request_json(&items[i]));
	free(items);
	reply_json(c, 200, page_json(arr, total, f.page, f.per_page));
}
