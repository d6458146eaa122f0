/* activity_view.c: what the activity API files share: who sees and runs an activity, its JSON, refusals in words */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/activity_api.h"
#include "base/clock.h"

int activity_origin(struct call *c, char *out, size_t n)
{
	const char *host = req_header(c->req, "Host");

	if (!host || !*host || strlen(host) > 255 ||
	    strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") != strlen(host))
		return -1;
	snprintf(out, n, "%s://%s", api_cfg.secure_cookies ? "https" : "http", host);
	return 0;
}

/* t's calendar day and time of day in China (UTC+8 all year). */
static void china_tm(int64_t t, struct tm *tm)
{
	time_t s = (time_t)(t + 8 * 3600);

	gmtime_r(&s, tm);
}

void activity_when(const struct activity *a, char *out, size_t n)
{
	static const char *const weekdays[] = { "日", "一", "二", "三", "四", "五", "六" };
	struct tm s, e;

	china_tm(a->starts_at, &s);
	china_tm(a->ends_at, &e);
	if (s.tm_year == e.tm_year && s.tm_yday == e.tm_yday)
		snprintf(out, n, "%d年%d月%d日（星期%s）%02d:%02d–%02d:%02d", s.tm_year + 1900, s.tm_mon + 1, s.tm_mday,
			 weekdays[s.tm_wday], s.tm_hour, s.tm_min, e.tm_hour, e.tm_min);
	else
		snprintf(out, n, "%d年%d月%d日（星期%s）%02d:%02d – %d月%d日 %02d:%02d", s.tm_year + 1900, s.tm_mon + 1,
			 s.tm_mday, weekdays[s.tm_wday], s.tm_hour, s.tm_min, e.tm_mon + 1, e.tm_mday, e.tm_hour, e.tm_min);
}

void activity_clock(int64_t t, char out[6])
{
	struct tm tm;

	out[0] = '\0';
	if (!t)
		return;
	china_tm(t, &tm);
	snprintf(out, 6, "%02u:%02u", (unsigned)tm.tm_hour % 24u, (unsigned)tm.tm_min % 60u);
}

void activity_organiser_name(const struct activity *a, char *out, size_t n)
{
	if (!strcmp(a->organiser, "team"))
		snprintf(out, n, "%s（%s）", a->team_name, a->community_name);
	else if (!strcmp(a->organiser, "unit"))
		snprintf(out, n, "%s、%s", a->unit_name, a->community_name);
	else
		snprintf(out, n, "%s", a->community_name);
}

int activity_member_or_reply(struct call *c, struct activity_member *m)
{
	int rc = activity_member_of(c->db, c->actor.account_id, m);

	if (rc == ACTIVITY_ERROR) {
		reply_internal(c, "reading the member");
		return -1;
	}
	if (rc == ACTIVITY_NOT_FOUND) {
		reply_problem(c, 403, "not_approved", "请先到社区报到，审核通过后才能报名参加活动");
		return -1;
	}
	if (!m->approved) {
		reply_problem(c, 403, "not_approved", "报到审核通过后才能报名参加活动");
		return -1;
	}
	return 0;
}

/* Whether an approved member may see a: not a draft, and open to them or signed up already. */
static int member_sees(struct call *c, const struct activity_view *v)
{
	struct activity_signup s;
	int rc;

	if (!v->member || !v->me.approved || !strcmp(v->a.state, "draft"))
		return 0;
	if (activity_open_to(&v->a, v->me.community_code))
		return 1;
	rc = activity_signup_find(c->db, v->a.id, v->me.id, &s);
	return rc == ACTIVITY_OK ? 1 : rc == ACTIVITY_NOT_FOUND ? 0 : -1;
}

int activity_view_or_reply(struct call *c, struct activity_view *v)
{
	int64_t id;

	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	return activity_view_id_or_reply(c, id, v);
}

int activity_view_id_or_reply(struct call *c, int64_t id, struct activity_view *v)
{
	struct target t;
	int rc, sees = 0;

	memset(v, 0, sizeof(*v));
	rc = activity_get(c->db, id, &v->a);
	if (rc == ACTIVITY_NOT_FOUND)
		goto not_found;
	if (rc != ACTIVITY_OK)
		goto fail;
	if ((rc = activity_may_manage(c->db, &c->who, c->actor.account_id, &v->a, clock_now())) < 0)
		goto fail;
	v->manage = rc == 1;
	t = (struct target){ v->a.community_path, v->a.unit_id };
	v->reads = v->manage || authz_allows(&c->who, ACT_SERVE_READ, &t);
	rc = activity_member_of(c->db, c->actor.account_id, &v->me);
	if (rc == ACTIVITY_ERROR)
		goto fail;
	v->member = rc == ACTIVITY_OK;
	if (v->reads)
		return 0;
	if ((sees = member_sees(c, v)) < 0)
		goto fail;
	if (sees)
		return 0;
not_found:
	reply_problem(c, 404, "not_found", "找不到该活动");
	return -1;
fail:
	reply_internal(c, "reading an activity");
	return -1;
}

int activity_manage_or_reply(struct call *c, struct activity_view *v)
{
	if (activity_view_or_reply(c, v) < 0)
		return -1;
	if (v->manage)
		return 0;
	reply_problem(c, 403, "forbidden", "只有活动的组织者可以进行此操作");
	return -1;
}

int activity_reader_or_reply(struct call *c, struct activity_view *v)
{
	if (activity_view_or_reply(c, v) < 0)
		return -1;
	if (v->reads)
		return 0;
	reply_problem(c, 403, "forbidden", "只有活动的组织者和社区工作人员可以查看");
	return -1;
}

static const struct {
	int rc;
	int status;
	const char *code, *message;
} refusals[] = {
	{ ACTIVITY_NOT_FOUND, 404, "not_found", "找不到该活动或报名" },
	{ ACTIVITY_BAD_STATE, 409, "bad_state", "活动当前的状态不允许这样做（草稿、已取消或已结束）" },
	{ ACTIVITY_NOT_ENDED, 409, "not_ended", "活动结束后才能结束活动并生成服务记录" },
	{ ACTIVITY_ENDED, 409, "ended", "活动已经结束" },
	{ ACTIVITY_DEADLINE, 409, "deadline", "报名已截止" },
	{ ACTIVITY_NOT_OPEN, 403, "not_open", "该活动不面向您所在的社区或街道" },
	{ ACTIVITY_NOT_APPROVED, 409, "not_approved", "该党员的报到还没有审核通过，不能报名" },
	{ ACTIVITY_ALREADY, 409, "already", "已经报名了" },
	{ ACTIVITY_FULL, 409, "full", "名额和候补都已满" },
	{ ACTIVITY_NOT_SIGNED, 409, "not_signed_up", "没有报名这个活动（或仍在候补）" },
	{ ACTIVITY_LEAVE_STATE, 409, "leave_state", "请假已提交或已处理" },
	{ ACTIVITY_WINDOW, 409, "window", "时间不在活动的签到时段内（开始前 30 分钟到结束后 30 分钟），也不能晚于现在" },
	{ ACTIVITY_NOT_IN, 409, "not_checked_in", "还没有签到" },
};

/* Words that depend on what was asked: cancelling after the deadline is different from signing up after it. */
static const struct {
	const char *what;
	int rc;
	const char *message;
} contextual[] = {
	{ "cancel", ACTIVITY_DEADLINE, "报名已截止，不能取消；如不能参加，请请假" },
	{ "leave", ACTIVITY_NOT_SIGNED, "只有已报名（不是候补）的活动才需要请假" },
	{ "leave", ACTIVITY_LEAVE_STATE, "已经请过假了，请等待社区审批" },
	{ "decide", ACTIVITY_LEAVE_STATE, "该报名没有待审批的请假" },
	{ "checkin", ACTIVITY_NOT_SIGNED, "您没有报名这个活动，或仍在候补名单中，不能签到" },
	{ "checkin", ACTIVITY_BAD_STATE, "活动已取消或已结束，不能签到" },
	{ "signup", ACTIVITY_BAD_STATE, "活动已取消、已结束或尚未发布，不能报名" },
	{ "signup", ACTIVITY_ALREADY, "已经报名了这个活动" },
	{ "publish", ACTIVITY_BAD_STATE, "只有草稿可以发布" },
	{ "cancel", ACTIVITY_BAD_STATE, "活动已取消或已结束" },
	{ "update", ACTIVITY_BAD_STATE, "已取消或已结束的活动不能修改" },
};

void activity_reply_rc(struct call *c, int rc, const char *what)
{
	const char *message = NULL;

	for (size_t i = 0; !message && i < sizeof(contextual) / sizeof(contextual[0]); i++)
		if (contextual[i].rc == rc && what && !strcmp(contextual[i].what, what))
			message = contextual[i].message;
	for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++)
		if (refusals[i].rc == rc) {
			reply_problem(c, refusals[i].status, refusals[i].code, message ? message : refusals[i].message);
			return;
		}
	reply_internal(c, what ? what : "an activity");
}

json_t *activity_tags_json(const char *tags)
{
	json_t *arr = json_array();

	for (const char *p = tags; *p;) {
		size_t len = strcspn(p, ",");

		if (len)
			arr = json_push(arr, json_stringn(p, len));
		p += len + (p[len] == ',');
	}
	return arr;
}

/* {id, name} of a team or unit, or null. */
static json_t *named(int64_t id, const char *name)
{
	return id ? json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", name) : json_null();
}

json_t *activity_json(const struct activity *a)
{
	char share[64], ics[96];
	json_t *o;

	snprintf(share, sizeof(share), "/m/activities/%lld", (long long)a->id);
	snprintf(ics, sizeof(ics), "/api/v1/activities/%lld/calendar.ics", (long long)a->id);
	o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:{s:s, s:o, s:o}, s:{s:I, s:s, s:s, s:s}, s:s, s:o}",
		      "id", (json_int_t)a->id, "title", a->title, "description", a->description, "state", a->state,
		      "cancel_reason", a->cancel_reason, "community", "code", a->community_code, "name",
		      a->community_name, "organiser", "kind", a->organiser, "team", named(a->team_id, a->team_name),
		      "unit", named(a->unit_id, a->unit_name), "item", "id", (json_int_t)a->item_id, "code",
		      a->item_code, "name", a->item_name, "category", a->category, "place", a->place, "building",
		      a->building_code[0] ? json_pack("{s:s, s:s}", "code", a->building_code, "name", a->building_name)
					  : json_null());
	if (o && json_object_update_new(
			 o, json_pack("{s:I, s:I, s:I, s:I, s:I, s:s, s:o, s:o, s:I, s:I, s:I, s:o, s:I, s:I, s:I, "
				      "s:s, s:s}",
				      "starts_at", (json_int_t)a->starts_at, "ends_at", (json_int_t)a->ends_at,
				      "signup_deadline", (json_int_t)a->signup_deadline, "capacity",
				      (json_int_t)a->capacity, "minutes_cap", (json_int_t)a->minutes_cap, "audience",
				      a->audience, "specialties", activity_tags_json(a->specialties), "series_id",
				      a->series_id ? json_integer(a->series_id) : json_null(), "version",
				      (json_int_t)a->version, "created_at", (json_int_t)a->created_at, "updated_at",
				      (json_int_t)a->updated_at, "closed_at",
				      a->closed_at ? json_integer(a->closed_at) : json_null(), "signed",
				      (json_int_t)a->signed_count, "waiting", (json_int_t)a->waiting_count,
				      "places_left",
				      (json_int_t)(a->capacity > a->signed_count ? a->capacity - a->signed_count : 0),
				      "share_path", share, "calendar_path", ics)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *activity_signup_json(const struct activity_signup *s, bool contact)
{
	json_t *member = json_pack("{s:I, s:s}", "id", (json_int_t)s->member_id, "name", s->member_name);

	if (member && contact &&
	    json_object_update_new(member, json_pack("{s:s, s:s}", "phone", s->member_phone, "unit_name",
						     s->unit_name)) < 0) {
		json_decref(member);
		return NULL;
	}
	return json_pack("{s:I, s:I, s:o, s:s, s:I, s:I, s:{s:s, s:s, s:s}, s:o, s:o, s:o, s:o, s:b, s:I, s:I, s:o}",
			 "id", (json_int_t)s->id, "activity_id", (json_int_t)s->activity_id, "member", member, "state",
			 s->state, "seq", (json_int_t)s->seq, "position", (json_int_t)s->position, "leave", "state",
			 s->leave, "reason", s->leave_reason, "answer", s->leave_answer, "checkin_at",
			 s->checkin_at ? json_integer(s->checkin_at) : json_null(), "checkin_by",
			 s->checkin_by[0] ? json_string(s->checkin_by) : json_null(), "checkout_at",
			 s->checkout_at ? json_integer(s->checkout_at) : json_null(), "checkout_by",
			 s->checkout_by[0] ? json_string(s->checkout_by) : json_null(), "until_end", s->until_end,
			 "created_at", (json_int_t)s->created_at, "updated_at", (json_int_t)s->updated_at, "record",
			 s->record_id ? json_pack("{s:I, s:I, s:s}", "id", (json_int_t)s->record_id, "minutes",
						  (json_int_t)s->record_minutes, "state", s->record_state)
				      : json_null());
}
