/* visits.c: one visit as its staff, its author and the paired members see it; its photos (with consent); a need or a wish made of it */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "base/clock.h"
#include "base/valid.h"
#include "domain/care.h"
#include "domain/catalog.h"
#include "domain/member.h"
#include "domain/pairing.h"
#include "domain/visit.h"
#include "domain/visit_made.h"
#include "domain/visit_photo.h"

/* What the caller is to a visit. Nobody of these: the visit does not exist for them (404). */
struct visit_seat {
	bool keeper; /* staff of the entry's community, or the administrator (ACT_CARE) */
	bool author; /* logged it */
	bool paired; /* a member paired with the entry now (in person or through a team) */
};

struct visit_ctx {
	struct visit v;
	struct care e;
	struct visit_seat s;
};

static void seat_of(struct call *c, const struct visit_ctx *x, struct visit_seat *s)
{
	int64_t member_id;

	memset(s, 0, sizeof(*s));
	s->keeper = authz_allows(&c->who, ACT_CARE, &(struct target){ x->e.community_path, 0 });
	s->author = c->actor.account_id && x->v.account_id == c->actor.account_id;
	s->paired = (principal_roles(&c->who) & ROLE_BIT(ROLE_MEMBER)) && !strcmp(x->e.state, "active") &&
		    member_find_by_account(c->db, c->who.account_id, &member_id) == MEMBER_OK &&
		    pairing_member_has(c->db, member_id, x->e.id) == CARE_OK;
}

/* Visit {id} (path parameter 0) with its entry and the caller's seat; 404 for whoever has none. Caller frees *out. */
static int visit_or_reply(struct call *c, struct visit_ctx **out)
{
	struct visit_ctx *x = xmalloc(sizeof(*x));
	char today[11];
	int64_t id;
	int rc;

	*out = NULL;
	if (call_id_or_reply(c, 0, &id) < 0) {
		free(x);
		return -1;
	}
	clock_date(clock_now(), today);
	rc = visit_get(c->db, id, &x->v);
	if (rc == CARE_OK)
		rc = care_get(c->db, x->v.care_id, today, &x->e);
	if (rc == CARE_OK) {
		seat_of(c, x, &x->s);
		if (!x->s.keeper && !x->s.author && !x->s.paired)
			rc = CARE_NOT_FOUND;
	}
	if (rc != CARE_OK) {
		if (rc == CARE_NOT_FOUND)
			reply_problem(c, 404, "not_found", "找不到该走访记录");
		else
			reply_internal(c, "reading a visit");
		free(x);
		return -1;
	}
	*out = x;
	return 0;
}

/* Changing a visit's photos, or making a need or a wish of it: its staff and its author; a paired member reads only. */
static int writer_or_reply(struct call *c, const struct visit_ctx *x)
{
	if (x->s.keeper || x->s.author)
		return 0;
	reply_problem(c, 403, "forbidden", "只有社区工作人员或走访人可以操作");
	return -1;
}

static json_t *photo_json(int64_t visit_id, const struct visit_photo *p)
{
	char url[96];

	snprintf(url, sizeof(url), "/api/v1/visits/%" PRId64 "/photos/%" PRId64, visit_id, p->id);
	return json_pack("{s:I, s:i, s:i, s:I, s:I, s:s, s:s+}", "id", (json_int_t)p->id, "width", p->width, "height",
			 p->height, "bytes", (json_int_t)p->bytes, "created_at", (json_int_t)p->created_at, "url", url,
			 "thumb_url", url, "/thumb");
}

static json_t *made_json(const struct visit_made *m)
{
	return json_pack("{s:s, s:I, s:s, s:s, s:I}", "kind", m->need_id ? "need" : "wish", "id",
			 (json_int_t)(m->need_id ? m->need_id : m->wish_id), "state", m->state, "title", m->title,
			 "created_at", (json_int_t)m->created_at);
}

/* The visit whole: what care.c's list shows, its photos, and what it produced. */
static void reply_visit(struct call *c, int status, const struct visit_ctx *x)
{
	struct visit_photo *ps;
	struct visit_made *ms;
	size_t np, nm;
	json_t *o, *photos, *made;

	if (visit_photo_list(c->db, x->v.id, &ps, &np) != PHOTO_OK) {
		reply_internal(c, "listing a visit's photos");
		return;
	}
	if (visit_made_list(c->db, x->v.id, &ms, &nm) != CARE_OK) {
		free(ps);
		reply_internal(c, "listing what a visit produced");
		return;
	}
	photos = json_array();
	for (size_t i = 0; i < np; i++)
		photos = json_push(photos, photo_json(x->v.id, &ps[i]));
	made = json_array();
	for (size_t i = 0; i < nm; i++)
		made = json_push(made, made_json(&ms[i]));
	free(ps);
	free(ms);
	o = json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:b, s:I, s:o, s:o}", "id", (json_int_t)x->v.id,
		      "care_id", (json_int_t)x->v.care_id, "by", x->v.by_name, "visited_at", (json_int_t)x->v.visited_at,
		      "visited_on", x->v.visited_on, "how", x->v.how, "wellbeing", x->v.wellbeing, "done", x->v.done,
		      "needs", x->v.needs, "minutes", (json_int_t)x->v.minutes, "photo_consent", x->v.photo_consent,
		      "created_at", (json_int_t)x->v.created_at, "photos", photos, "made", made);
	if (o) {
		char name[16];

		/* Who was visited, as the register's list shows them: the staff and the paired know whom already. */
		care_mask_name(x->e.name, name, sizeof(name));
		json_object_set_new(o, "care_name_masked", json_string(name));
		json_object_set_new(o, "member_id", x->v.member_id ? json_integer(x->v.member_id) : json_null());
		json_object_set_new(o, "record_id", x->v.record_id ? json_integer(x->v.record_id) : json_null());
		json_object_set_new(o, "may_change", json_boolean(x->s.keeper || x->s.author));
	}
	reply_json(c, status, o);
}

/* GET /visits/{id} */
void visits_get(struct call *c)
{
	struct visit_ctx *x;

	if (visit_or_reply(c, &x) == 0)
		reply_visit(c, 200, x);
	free(x);
}

/* ---- photos ---- */

static void reply_visit_photo_error(struct call *c, int rc)
{
	char msg[64];

	if (rc == PHOTO_BAD_STATE)
		reply_field(c, 422, "photo_consent", "required", "走访时未征得本人同意拍照，不能上传照片");
	else if (rc == PHOTO_FULL) {
		snprintf(msg, sizeof(msg), "每次走访最多 %d 张照片", VISIT_PHOTOS_MAX);
		reply_field(c, 409, "file", "too_many", msg);
	} else
		reply_photo_error(c, rc);
}

/* POST /visits/{id}/photos: the body is the image itself; what it is comes from its bytes. */
void visits_photo_add(struct call *c)
{
	struct visit_ctx *x;
	struct visit_photo p;
	int rc;

	if (visit_or_reply(c, &x) < 0)
		return;
	if (writer_or_reply(c, x) == 0) {
		rc = visit_photo_add(c->db, &c->actor, x->v.id, c->req->body.data, c->req->body.len, &p);
		if (rc != PHOTO_OK)
			reply_visit_photo_error(c, rc);
		else
			reply_json(c, 201, photo_json(x->v.id, &p));
	}
	free(x);
}

void visits_photo_remove(struct call *c)
{
	struct visit_ctx *x;
	struct visit_photo p;
	int64_t photo_id;
	int rc;

	if (visit_or_reply(c, &x) < 0)
		return;
	if (call_id_or_reply(c, 1, &photo_id) < 0)
		;
	else if ((rc = visit_photo_get(c->db, x->v.id, photo_id, &p)) != PHOTO_OK)
		reply_visit_photo_error(c, rc);
	else if (writer_or_reply(c, x) < 0)
		;
	else if ((rc = visit_photo_remove(c->db, &c->actor, x->v.id, photo_id)) != PHOTO_OK)
		reply_visit_photo_error(c, rc);
	else
		reply_json(c, 204, NULL);
	free(x);
}

static void serve(struct call *c, bool thumb)
{
	struct visit_ctx *x;
	int64_t photo_id;
	uint64_t size = 0;
	int fd = -1, rc;

	if (visit_or_reply(c, &x) < 0)
		return;
	if (call_id_or_reply(c, 1, &photo_id) == 0) {
		rc = visit_photo_open(c->db, x->v.id, photo_id, thumb, &fd, &size);
		if (rc != PHOTO_OK)
			reply_photo_error(c, rc);
		else {
			c->resp->status = 200;
			c->resp->content_type = "image/jpeg";
			c->resp->fd = fd;
			c->resp->fd_size = size;
			/* The photo of a person in their home: kept by this browser only, never by a shared cache. */
			resp_header(c->resp, "Cache-Control", "private, max-age=3600");
		}
	}
	free(x);
}

void visits_photo_get(struct call *c)
{
	serve(c, false);
}

void visits_photo_thumb(struct call *c)
{
	serve(c, true);
}

/* ---- a need or a wish of what was found ---- */

static const char *const urgencies[] = { "normal", "urgent", NULL };

struct need_body {
	long long item_id;
	char *description, *urgency, *contact_name, *contact_phone;
};

static const struct spec_field need_spec[] = {
	SPEC(struct need_body, item_id, SPEC_INT, SPEC_REQUIRED, 1, INT64_MAX),
	SPEC(struct need_body, description, SPEC_STR, SPEC_REQUIRED, 1, NEED_TEXT_MAX),
	SPEC_CHOICE(struct need_body, urgency, 0, urgencies),
	SPEC(struct need_body, contact_name, SPEC_STR, 0, 1, NEED_NAME_MAX),
	SPEC(struct need_body, contact_phone, SPEC_STR, 0, 1, 20),
	{ 0 },
};

/* The entry's name when it fits in limit characters: the default contact or beneficiary. */
static const char *name_if_fits(const struct care *e, size_t limit)
{
	return utf8_chars(e->name) <= limit ? e->name : NULL;
}

/*
 * POST /visits/{id}/need: a need (需求清单) for the person visited, in the
 * visit's community: one of the welfare items offered there, what is needed,
 * the contact (the entry's name and phone unless given).
 */
void visits_need_create(struct call *c)
{
	struct field_errors errs = { 0 };
	struct need_body b = { 0 };
	struct catalog_item *it = NULL;
	struct visit_ctx *x;
	struct need_input in;
	int64_t need_id;
	int rc;

	if (visit_or_reply(c, &x) < 0)
		return;
	if (writer_or_reply(c, x) < 0 || call_body_or_reply(c, need_spec, &b) < 0)
		goto out;
	it = xmalloc(sizeof(*it));
	rc = catalog_item_get(c->db, b.item_id, it);
	if (rc == CATALOG_OK && (!catalog_offered(it, x->e.community_path) || strcmp(it->category, "welfare")))
		rc = CATALOG_NOT_FOUND;
	if (rc == CATALOG_NOT_FOUND)
		field_errors_add(&errs, "item_id", "not_found", "本社区没有这项服务");
	else if (rc != CATALOG_OK) {
		reply_internal(c, "reading a catalogue item");
		goto out;
	}
	if (!b.contact_name && !name_if_fits(&x->e, NEED_NAME_MAX))
		field_errors_add(&errs, "contact_name", "required", "请填写联系人（不超过 20 个字）");
	if (!b.contact_phone && !x->e.phone[0])
		field_errors_add(&errs, "contact_phone", "required", "请填写联系电话");
	else if (!valid_phone(b.contact_phone ? b.contact_phone : x->e.phone))
		field_errors_add(&errs, "contact_phone", "format", "应为手机号或固定电话");
	if (errs.n) {
		reply_errors(c, 422, &errs);
		goto out;
	}
	memset(&in, 0, sizeof(in));
	in.item_id = b.item_id;
	in.description = b.description;
	in.urgency = b.urgency ? b.urgency : "normal";
	in.wanted_part = "any";
	in.contact_name = b.contact_name ? b.contact_name : x->e.name;
	in.contact_phone = b.contact_phone ? b.contact_phone : x->e.phone;
	in.requester_account_id = x->e.account_id;
	rc = visit_made_need(c->db, &c->actor, x->v.id, &in, &need_id);
	if (rc != CARE_OK)
		reply_internal(c, "making a need of a visit");
	else
		reply_visit(c, 201, x);
out:
	free(it);
	free(x);
	spec_release(need_spec, &b);
}

struct wish_body {
	char *title, *description, *beneficiary_name;
	long long value_cap;
	bool consent;
};

static const struct spec_field wish_spec[] = {
	SPEC(struct wish_body, title, SPEC_STR, SPEC_REQUIRED, 1, WISH_TITLE_MAX),
	SPEC(struct wish_body, description, SPEC_STR, 0, 0, WISH_TEXT_MAX),
	SPEC(struct wish_body, beneficiary_name, SPEC_STR, 0, 1, WISH_NAME_MAX),
	SPEC(struct wish_body, value_cap, SPEC_INT, 0, 1, WISH_VALUE_MAX),
	SPEC(struct wish_body, consent, SPEC_BOOL, SPEC_REQUIRED, 0, 0),
	{ 0 },
};

/*
 * POST /visits/{id}/wish: a micro-wish (微心愿) for the person visited, with
 * their consent to it being registered and, once staff approve it, shown
 * (masked) on the wall; submitted, for the community's staff to approve.
 */
void visits_wish_create(struct call *c)
{
	struct wish_body b = { 0 };
	struct visit_ctx *x;
	struct wish_input in;
	int64_t wish_id;
	int rc;

	if (visit_or_reply(c, &x) < 0)
		return;
	if (writer_or_reply(c, x) < 0 || call_body_or_reply(c, wish_spec, &b) < 0)
		;
	else if (!b.consent)
		reply_field(c, 422, "consent", "required", "须经本人同意才能登记心愿");
	else if (!b.beneficiary_name && !name_if_fits(&x->e, WISH_NAME_MAX))
		reply_field(c, 422, "beneficiary_name", "required", "请填写心愿人（不超过 20 个字）");
	else {
		memset(&in, 0, sizeof(in));
		in.beneficiary_name = b.beneficiary_name ? b.beneficiary_name : x->e.name;
		in.title = b.title;
		in.description = b.description ? b.description : "";
		in.value_cap = b.value_cap;
		in.beneficiary_account_id = x->e.account_id;
		rc = visit_made_wish(c->db, &c->actor, x->v.id, &in, &wish_id);
		if (rc != CARE_OK)
			reply_internal(c, "making a wish of a visit");
		else
			reply_visit(c, 201, x);
	}
	free(x);
	spec_release(wish_spec, &b);
}
