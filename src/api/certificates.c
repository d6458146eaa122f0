/* certificates.c: service certificates (志愿服务证明): members ask, staff issue or decline, the register, revocation, the QR code, public verification */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/activity_api.h"
#include "api/handlers.h"
#include "base/clock.h"
#include "base/qr.h"
#include "base/valid.h"
#include "domain/certificate.h"
#include "domain/listing.h"

/* Pixels a module of the QR code: about 4 cm at 150 dpi on paper for a code of 41 modules. */
enum { QR_SCALE = 6 };

static void reply_error(struct call *c, int rc, const struct field_errors *errs)
{
	switch (rc) {
	case CERT_INVALID:
		reply_errors(c, 422, errs);
		break;
	case CERT_NOT_FOUND:
		reply_problem(c, 404, "not_found", "找不到该证明或申请");
		break;
	case CERT_BAD_STATE:
		reply_problem(c, 409, "conflict", "已处理过了，不能再改");
		break;
	case CERT_ASKED:
		reply_problem(c, 409, "conflict", "已有一份证明申请在等待社区办理");
		break;
	case CERT_OWN:
		reply_problem(c, 403, "forbidden", "不能办理本人的证明，请由社区其他工作人员办理");
		break;
	case CERT_EMPTY:
		reply_problem(c, 409, "empty", "该时段在本社区没有已确认的服务，无法出具证明");
		break;
	case CERT_TOO_MANY:
		reply_problem(c, 409, "too_many", "该时段的服务超过 2000 条，请缩短时段后另行申请");
		break;
	case CERT_NOT_SERVING:
		reply_problem(c, 403, "forbidden", "报到通过后才能申请证明");
		break;
	default:
		reply_internal(c, "changing a certificate");
	}
}

/* The public verification page's address, without the origin. */
static void verify_path(const struct certificate *x, char *out, size_t n)
{
	snprintf(out, n, "/m/verify/certificates/%s", x->code);
}

static json_t *request_json(const struct cert_request *q)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:I, s:o}", "id", (json_int_t)q->id,
			 "member_id", (json_int_t)q->member_id, "member_name", q->member_name, "community_code",
			 q->community_code, "community_name", q->community_name, "from", q->from_on, "to", q->to_on,
			 "note", q->note, "state", q->state, "answer", q->answer, "certificate_id",
			 q->certificate_id ? json_integer((json_int_t)q->certificate_id) : json_null(), "created_at",
			 (json_int_t)q->created_at, "decided_at",
			 q->decided_at ? json_integer((json_int_t)q->decided_at) : json_null());
}

static json_t *certificate_json(const struct certificate *x)
{
	char path[96], qr[64], issued_on[11];
	json_t *o, *rest;

	verify_path(x, path, sizeof(path));
	snprintf(qr, sizeof(qr), "/api/v1/certificates/%" PRId64 "/qr.png", x->id);
	clock_date(x->issued_at, issued_on);
	o = json_pack("{s:I, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:s}", "id", (json_int_t)x->id,
		      "number", x->number, "request_id", (json_int_t)x->request_id, "member_id",
		      (json_int_t)x->member_id, "name", x->name, "id_type", x->id_type, "id_number_masked",
		      x->id_number_masked, "from", x->from_on, "to", x->to_on, "total_minutes",
		      (json_int_t)x->total_minutes, "services", (json_int_t)x->services, "issuer_code", x->issuer_code,
		      "issuer_name", x->issuer_name);
	rest = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:s}", "person_in_charge",
			 x->person_in_charge, "handler", x->handler, "contact", x->contact, "issued_at",
			 (json_int_t)x->issued_at, "issued_on", issued_on, "code", x->code, "verify_path", path,
			 "qr_url", qr, "state", x->revoked_at ? "revoked" : "valid", "revoked_at",
			 x->revoked_at ? json_integer((json_int_t)x->revoked_at) : json_null(), "revoke_reason",
			 x->revoke_reason);
	if (!o || !rest || json_object_update(o, rest) < 0) {
		json_decref(o);
		o = NULL;
	}
	json_decref(rest);
	return o;
}

/* Whether the caller may read the register where x was issued (admin, org, staff over it). */
static bool in_scope(const struct call *c, const char *path)
{
	struct target t = { path, 0 };

	return authz_allows(&c->who, ACT_STANDING_READ, &t);
}

static bool is_mine(const struct call *c, int64_t member_account_id)
{
	return c->actor.account_id && member_account_id == c->actor.account_id;
}

/* Certificate {id} if the caller is its member or reads the register there; 404 otherwise. */
static int certificate_or_reply(struct call *c, struct certificate *x)
{
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = certificate_get(c->db, id, x);
	if (rc == CERT_OK && !is_mine(c, x->member_account_id) && !in_scope(c, x->issuer_path))
		rc = CERT_NOT_FOUND;
	if (rc != CERT_OK)
		reply_error(c, rc, NULL);
	return rc == CERT_OK ? 0 : -1;
}

/* Request {id} if the caller may answer it for the community; 404 when it may not see it, 403 when only read. */
static int request_or_reply(struct call *c, struct cert_request *q)
{
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = certificate_request_get(c->db, id, q);
	if (rc == CERT_OK && !in_scope(c, q->community_path))
		rc = CERT_NOT_FOUND;
	if (rc != CERT_OK) {
		reply_error(c, rc, NULL);
		return -1;
	}
	return call_allow_or_reply(c, ACT_RECORD_CONFIRM, &(struct target){ q->community_path, 0 });
}

static void reply_certificate(struct call *c, int status, const struct certificate *x)
{
	struct cert_line *lines;
	size_t n;
	json_t *o, *arr;

	if (certificate_lines(c->db, x->id, &lines, &n) != CERT_OK) {
		free(lines);
		reply_internal(c, "reading a certificate's services");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, json_pack("{s:I, s:s, s:s, s:s, s:I}", "record_id", (json_int_t)lines[i].record_id,
					       "date", lines[i].served_on, "item_name", lines[i].item_name, "content",
					       lines[i].content, "minutes", (json_int_t)lines[i].minutes));
	free(lines);
	o = certificate_json(x);
	if (o && arr) {
		json_object_set_new(o, "lines", arr);
		json_object_set_new(o, "can", json_pack("{s:b}", "revoke",
							!x->revoked_at && authz_allows(&c->who, ACT_RECORD_CONFIRM,
										       &(struct target){ x->issuer_path, 0 })));
	} else {
		json_decref(o);
		json_decref(arr);
		o = NULL;
	}
	reply_json(c, status, o);
}

static void reply_certificate_id(struct call *c, int status, int64_t id)
{
	struct certificate x;

	if (certificate_get(c->db, id, &x) != CERT_OK)
		reply_internal(c, "reading a certificate");
	else
		reply_certificate(c, status, &x);
}

static void reply_request_id(struct call *c, int status, int64_t id)
{
	struct cert_request q;

	if (certificate_request_get(c->db, id, &q) != CERT_OK)
		reply_internal(c, "reading a certificate request");
	else
		reply_json(c, status, request_json(&q));
}

struct ask_body {
	char *from, *to, *note;
};

static const struct spec_field ask_spec[] = {
	SPEC(struct ask_body, from, SPEC_STR, SPEC_REQUIRED, 10, 10),
	SPEC(struct ask_body, to, SPEC_STR, SPEC_REQUIRED, 10, 10),
	SPEC(struct ask_body, note, SPEC_STR, 0, 0, CERT_NOTE_MAX),
	{ 0 },
};

/* The caller's member file; 403 without one. */
static int my_member_or_reply(struct call *c, int64_t *member_id)
{
	int rc = member_find_by_account(c->db, c->actor.account_id, member_id);

	if (rc == MEMBER_NOT_FOUND)
		reply_error(c, CERT_NOT_SERVING, NULL);
	else if (rc != MEMBER_OK)
		reply_internal(c, "finding my file");
	return rc == MEMBER_OK ? 0 : -1;
}

void me_certificate_requests_create(struct call *c)
{
	struct field_errors errs = { 0 };
	struct ask_body b = { 0 };
	int64_t member_id, id;
	int rc;

	if (my_member_or_reply(c, &member_id) < 0 || call_body_read_or_reply(c, ask_spec, &b, &errs) < 0)
		goto out;
	rc = errs.n ? CERT_INVALID : certificate_ask(c->db, &c->actor, member_id, b.from, b.to, b.note, &errs, &id);
	if (rc == CERT_OK)
		reply_request_id(c, 201, id);
	else
		reply_error(c, rc, &errs);
out:
	spec_release(ask_spec, &b);
}

static json_t *requests_json(const struct cert_request *items, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, request_json(&items[i]));
	return arr;
}

static json_t *certificates_json(const struct certificate *items, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, certificate_json(&items[i]));
	return arr;
}

void me_certificates_list(struct call *c)
{
	struct scope all = { .all = true };
	struct cert_request_filter rf = { .newest_first = true, .page = 1, .per_page = PAGE_SIZE_MAX };
	struct cert_filter cf = { .page = 1, .per_page = PAGE_SIZE_MAX };
	struct cert_request *requests = NULL;
	struct certificate *certificates = NULL;
	size_t nr = 0, nc = 0;
	int64_t tr, tc;
	int rc = member_find_by_account(c->db, c->actor.account_id, &rf.member_id);

	/* A member without a file has asked for nothing yet. */
	if (rc == MEMBER_NOT_FOUND) {
		reply_json(c, 200, json_pack("{s:[], s:[]}", "requests", "certificates"));
		return;
	}
	cf.member_id = rf.member_id;
	if (rc != MEMBER_OK || certificate_request_list(c->db, &all, &rf, &requests, &nr, &tr) != CERT_OK ||
	    certificate_list(c->db, &all, &cf, &certificates, &nc, &tc) != CERT_OK) {
		reply_internal(c, "listing my certificates");
		goto out;
	}
	reply_json(c, 200, json_pack("{s:o, s:o}", "requests", requests_json(requests, nr), "certificates",
				     certificates_json(certificates, nc)));
out:
	free(requests);
	free(certificates);
}

/* ?community= as a 12-digit code, or NULL; -1 answered. */
static int community_or_reply(struct call *c, const char **out)
{
	if (call_query_or_reply(c, "community", 12, out) < 0)
		return -1;
	if (*out && !valid_digits(*out, 12, 12)) {
		reply_query(c, "community", "format", "community 应为 12 位区划代码");
		return -1;
	}
	return 0;
}

void certificate_requests_list(struct call *c)
{
	static const char *const states[] = { "asked", "issued", "declined", NULL };
	struct cert_request_filter f = { 0 };
	struct cert_request *items;
	struct scope scope;
	size_t n;
	int64_t total;

	if (community_or_reply(c, &f.community) < 0 || call_choice_or_reply(c, "state", states, &f.state) < 0 ||
	    call_page_or_reply(c, &f.page, &f.per_page) < 0)
		return;
	authz_scope(&c->who, ACT_RECORD_CONFIRM, &scope);
	if (certificate_request_list(c->db, &scope, &f, &items, &n, &total) != CERT_OK) {
		reply_internal(c, "listing certificate requests");
		return;
	}
	reply_json(c, 200, page_json(requests_json(items, n), total, f.page, f.per_page));
	free(items);
}

struct issue_body {
	char *person_in_charge, *handler, *contact;
};

static const struct spec_field issue_spec[] = {
	SPEC(struct issue_body, person_in_charge, SPEC_STR, SPEC_REQUIRED, 1, CERT_PERSON_MAX),
	SPEC(struct issue_body, handler, SPEC_STR, SPEC_REQUIRED, 1, CERT_PERSON_MAX),
	SPEC(struct issue_body, contact, SPEC_STR, SPEC_REQUIRED, 1, CERT_CONTACT_MAX),
	{ 0 },
};

void certificate_requests_issue(struct call *c)
{
	struct issue_body b = { 0 };
	struct cert_request q;
	struct cert_signers s;
	int64_t id;
	int rc;

	if (request_or_reply(c, &q) < 0 || call_body_or_reply(c, issue_spec, &b) < 0)
		return;
	s = (struct cert_signers){ b.person_in_charge, b.handler, b.contact };
	rc = certificate_issue(c->db, &c->actor, q.id, &s, &id);
	if (rc == CERT_OK)
		reply_certificate_id(c, 201, id);
	else
		reply_error(c, rc, NULL);
	spec_release(issue_spec, &b);
}

struct answer_body {
	char *answer, *reason;
};

static const struct spec_field decline_spec[] = {
	SPEC(struct answer_body, answer, SPEC_STR, SPEC_REQUIRED, 2, CERT_ANSWER_MAX),
	{ 0 },
};

void certificate_requests_decline(struct call *c)
{
	struct answer_body b = { 0 };
	struct cert_request q;
	int rc;

	if (request_or_reply(c, &q) < 0 || call_body_or_reply(c, decline_spec, &b) < 0)
		return;
	rc = certificate_decline(c->db, &c->actor, q.id, b.answer);
	if (rc == CERT_OK)
		reply_request_id(c, 200, q.id);
	else
		reply_error(c, rc, NULL);
	spec_release(decline_spec, &b);
}

void certificates_list(struct call *c)
{
	static const char *const states[] = { "valid", "revoked", NULL };
	struct cert_filter f = { 0 };
	struct certificate *items;
	struct scope scope;
	size_t n;
	int64_t total;

	if (community_or_reply(c, &f.community) < 0 || call_query_or_reply(c, "q", MEMBER_NAME_MAX, &f.q) < 0 ||
	    call_choice_or_reply(c, "state", states, &f.state) < 0 || call_page_or_reply(c, &f.page, &f.per_page) < 0)
		return;
	authz_scope(&c->who, ACT_STANDING_READ, &scope);
	if (certificate_list(c->db, &scope, &f, &items, &n, &total) != CERT_OK) {
		reply_internal(c, "listing certificates");
		return;
	}
	reply_json(c, 200, page_json(certificates_json(items, n), total, f.page, f.per_page));
	free(items);
}

void certificates_get(struct call *c)
{
	struct certificate x;

	if (certificate_or_reply(c, &x) == 0)
		reply_certificate(c, 200, &x);
}

static const struct spec_field revoke_spec[] = {
	SPEC(struct answer_body, reason, SPEC_STR, SPEC_REQUIRED, 2, CERT_REASON_MAX),
	{ 0 },
};

void certificates_revoke(struct call *c)
{
	struct answer_body b = { 0 };
	struct certificate x;
	int rc;

	if (certificate_or_reply(c, &x) < 0 ||
	    call_allow_or_reply(c, ACT_RECORD_CONFIRM, &(struct target){ x.issuer_path, 0 }) < 0 ||
	    call_body_or_reply(c, revoke_spec, &b) < 0)
		return;
	rc = certificate_revoke(c->db, &c->actor, x.id, b.reason);
	if (rc == CERT_OK)
		reply_certificate_id(c, 200, x.id);
	else
		reply_error(c, rc, NULL);
	spec_release(revoke_spec, &b);
}

void certificates_qr(struct call *c)
{
	struct certificate x;
	char origin[300], path[96];
	struct buf url = BUF_INIT, *body;

	if (certificate_or_reply(c, &x) < 0)
		return;
	if (activity_origin(c, origin, sizeof(origin)) < 0) {
		reply_problem(c, 400, "bad_request", "请求缺少有效的 Host");
		return;
	}
	verify_path(&x, path, sizeof(path));
	buf_addf(&url, "%s%s", origin, path);
	body = resp_json_body(c->resp, 200);
	c->resp->content_type = "image/png";
	if (qr_png(buf_str(&url), QR_SCALE, body) < 0)
		reply_internal(c, "drawing a certificate's code");
	buf_release(&url);
}

void public_certificates_get(struct call *c)
{
	struct cert_public p;
	char issued_on[11], revoked_on[11] = "";
	int rc = certificate_verify(c->db, c->req->params[0], &p);

	if (rc == CERT_NOT_FOUND) {
		reply_problem(c, 404, "not_found", "查无此证明");
		return;
	}
	if (rc != CERT_OK) {
		reply_internal(c, "verifying a certificate");
		return;
	}
	clock_date(p.issued_at, issued_on);
	if (p.revoked_at)
		clock_date(p.revoked_at, revoked_on);
	/* Only this: never the full name, the ID number, a phone or the services. */
	reply_json(c, 200, json_pack("{s:s, s:I, s:s, s:s, s:s, s:o}", "name_masked", p.name_masked, "total_minutes",
				     (json_int_t)p.total_minutes, "issuer_name", p.issuer_name, "issued_on", issued_on,
				     "state", p.revoked_at ? "revoked" : "valid", "revoked_on",
				     p.revoked_at ? json_string(revoked_on) : json_null()));
}
