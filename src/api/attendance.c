/* attendance.c: check-in and check-out (签到/签退) by the screen's rotating code or the poster's, staff's ticks, the live sheet, closing */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/activity_api.h"
#include "api/handlers.h"
#include "base/clock.h"
#include "base/qr.h"
#include "domain/attendance.h"

/* --- The codes ---------------------------------------------------------------------------------- */

/* The code of activity a of kind at now, the mobile page's address with it, and when it is good. */
struct code_view {
	enum qrtoken_kind kind;
	char code[QRTOKEN_MAX];
	char url[400];
	int64_t valid_from, valid_until, refresh_at; /* refresh_at: when the screen shows the next one (0: a poster's) */
};

static int code_view_or_reply(struct call *c, const struct activity *a, enum qrtoken_kind kind, int64_t now,
			      struct code_view *v)
{
	struct qrtoken t = { a->id, kind, kind == QRTOKEN_SCREEN ? qrtoken_slot(now) : a->starts_at,
			     QRTOKEN_ACTIVITY };
	char origin[300];

	if (activity_origin(c, origin, sizeof(origin)) < 0) {
		reply_problem(c, 400, "bad_request", "请求缺少有效的 Host");
		return -1;
	}
	memset(v, 0, sizeof(*v));
	v->kind = kind;
	qrtoken_make(&t, v->code);
	snprintf(v->url, sizeof(v->url), "%s/m/activities/%lld/checkin?code=%s", origin, (long long)a->id, v->code);
	if (kind == QRTOKEN_SCREEN) {
		/* Good in its own slot and the next: for 30 to 60 seconds after it appears. */
		v->valid_from = t.slot * QRTOKEN_SLOT_SECONDS;
		v->refresh_at = v->valid_from + QRTOKEN_SLOT_SECONDS;
		v->valid_until = v->valid_from + 2 * QRTOKEN_SLOT_SECONDS - 1;
	} else {
		v->valid_from = a->starts_at - QRTOKEN_EARLY;
		v->valid_until = a->ends_at;
	}
	return 0;
}

/* The activity {id} run by the caller, while its codes can still be used (a draft's work once it is published). */
static int open_activity_or_reply(struct call *c, struct activity_view *v)
{
	if (activity_manage_or_reply(c, v) < 0)
		return -1;
	if (!strcmp(v->a.state, "cancelled") || !strcmp(v->a.state, "closed")) {
		reply_problem(c, 409, "bad_state", "活动已取消或已结束，不再需要签到码");
		return -1;
	}
	return 0;
}

/*
 * GET /activities/{id}/checkin-code?kind=screen|poster: for a screen (签到大屏, the organiser's phone) the code
 * of this 30-second slot with its QR as SVG; the screen asks again at refresh_at. A poster's lasts.
 */
void attendance_code(struct call *c)
{
	static const char *const kinds[] = { "screen", "poster", NULL };
	struct activity_view v;
	struct code_view code;
	struct buf svg = BUF_INIT;
	const char *kind;
	int64_t now = clock_now();

	if (call_choice_or_reply(c, "kind", kinds, &kind) < 0 || open_activity_or_reply(c, &v) < 0 ||
	    code_view_or_reply(c, &v.a, kind && !strcmp(kind, "poster") ? QRTOKEN_POSTER : QRTOKEN_SCREEN, now,
			       &code) < 0)
		return;
	if (qr_svg(code.url, &svg) < 0) {
		reply_internal(c, "drawing a check-in code");
		return;
	}
	reply_json(c, 200,
		   json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:o, s:I, s:{s:I, s:I, s:I}}", "kind",
			     code.kind == QRTOKEN_SCREEN ? "screen" : "poster", "code", code.code, "url", code.url, "svg",
			     buf_str(&svg), "valid_from", (json_int_t)code.valid_from, "valid_until",
			     (json_int_t)code.valid_until, "refresh_at",
			     code.refresh_at ? json_integer(code.refresh_at) : json_null(), "server_time", (json_int_t)now,
			     "window", "opens_at", (json_int_t)(v.a.starts_at - QRTOKEN_EARLY), "closes_at",
			     (json_int_t)v.a.ends_at, "checkout_closes_at",
			     (json_int_t)(v.a.ends_at + QRTOKEN_CHECKOUT_LATE)));
	buf_release(&svg);
}

/* GET /activities/{id}/poster.svg: the A4 poster to print and put up at the door (activity_poster.c draws it). */
void attendance_poster(struct call *c)
{
	struct activity_view v;
	struct code_view code;
	struct buf *out;

	if (open_activity_or_reply(c, &v) < 0 || code_view_or_reply(c, &v.a, QRTOKEN_POSTER, clock_now(), &code) < 0)
		return;
	out = resp_json_body(c->resp, 200);
	c->resp->content_type = "image/svg+xml; charset=utf-8";
	if (activity_poster_svg(&v.a, code.url, out) < 0) {
		reply_internal(c, "drawing a poster");
		return;
	}
	resp_header(c->resp, "Content-Disposition", "inline; filename=\"checkin-poster.svg\"");
}

/* --- A member scans --------------------------------------------------------------------------- */

static const struct {
	enum qrtoken_verdict verdict;
	const char *code, *message;
} verdicts[] = {
	{ QRTOKEN_FORGED, "forged", "这不是本系统的签到码：可能扫错了，或二维码被改动过" },
	{ QRTOKEN_OTHER_ACTIVITY, "other_activity", "这是另一个活动的签到码，请扫描本活动现场的二维码" },
	{ QRTOKEN_OTHER_SUBJECT, "other_subject", "这是值班的签到码，不是活动的签到码，请扫描本活动现场的二维码" },
	{ QRTOKEN_EXPIRED, "expired",
	  "签到码已过期：现场的二维码每 30 秒更换一次，照片和截图都不能用，请扫描现场屏幕上最新的二维码" },
	{ QRTOKEN_STALE_POSTER, "stale_poster", "活动时间已调整，这张海报已作废，请扫描现场最新的二维码" },
	{ QRTOKEN_TOO_EARLY, "too_early", "还没到签到时间：活动开始前 30 分钟起才能签到" },
	{ QRTOKEN_TOO_LATE, "too_late", "签到时间已过：活动结束后不能再签到，签退在结束后 30 分钟内扫现场屏幕的二维码" },
	{ QRTOKEN_REPLAYED, "replayed", "签退请扫描现场屏幕上新的二维码：签到时用过的二维码不能再用来签退" },
};

struct scan_body {
	char *code;
};

static const struct spec_field scan_spec[] = {
	SPEC(struct scan_body, code, SPEC_STR, SPEC_REQUIRED, 1, QRTOKEN_MAX - 1),
	{ 0 },
};

/* POST /activities/{id}/checkin or /checkout {"code"}: the member scanned the screen or the poster. */
static void scan(struct call *c, bool checkout)
{
	struct scan_body b = { 0 };
	struct activity_signup s;
	struct activity_member m;
	struct activity_view v;
	enum qrtoken_verdict verdict;
	bool already;
	int rc;

	if (activity_member_or_reply(c, &m) < 0 || activity_view_or_reply(c, &v) < 0 ||
	    call_body_or_reply(c, scan_spec, &b) < 0)
		return;
	rc = attendance_scan(c->db, &c->actor, v.a.id, m.id, b.code, checkout, clock_now(), &verdict, &already, &s);
	if (rc == ACTIVITY_TOKEN) {
		for (size_t i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++)
			if (verdicts[i].verdict == verdict)
				reply_field(c, 422, "code", verdicts[i].code,
					    verdict == QRTOKEN_TOO_LATE && checkout
						    ? "签退时间已过：活动结束 30 分钟后不能再签退，请联系工作人员"
						    : verdicts[i].message);
	} else if (rc != ACTIVITY_OK) {
		activity_reply_rc(c, rc, "checkin");
	} else {
		reply_json(c, 200, json_pack("{s:o, s:b, s:s}", "signup", activity_signup_json(&s, true), "already",
					     already,
					     "message", already ? (checkout ? "已经签退过了，以第一次为准" : "已经签到过了，以第一次为准")
							: (checkout ? "签退成功" : "签到成功")));
	}
	spec_release(scan_spec, &b);
}

void attendance_checkin(struct call *c)
{
	scan(c, false);
}

void attendance_checkout(struct call *c)
{
	scan(c, true);
}

/* --- Staff tick, the sheet, closing ----------------------------------------------------------- */

/* What the minutes rule makes of one row so far. */
static json_t *result_json(const struct minutes_result *r)
{
	return json_pack("{s:s, s:b, s:b, s:b, s:I}", "status", attendance_statuses[r->status], "late", r->late,
			 "left_early", r->left_early, "unconfirmed", r->unconfirmed, "minutes", (json_int_t)r->minutes);
}

/* A row of the sheet: the sign-up with its "attendance". */
static json_t *row_json(const struct attendance_row *r, bool contact)
{
	json_t *o = activity_signup_json(&r->signup, contact);

	if (o && json_object_set_new(o, "attendance", result_json(&r->result)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

struct tick_body {
	char *action;
	long long at;
};

static const struct spec_field tick_spec[] = {
	SPEC_CHOICE(struct tick_body, action, SPEC_REQUIRED, attendance_ticks),
	SPEC(struct tick_body, at, SPEC_INT, 0, 1, 4102444800LL),
	{ 0 },
};

/*
 * POST /signups/{id}/attendance {"action", "at"}: staff tick one on the sheet (a member without a phone):
 * checkin or checkout at a time (now when not given), clear a mistake, confirm one stayed to the end.
 */
void attendance_mark(struct call *c)
{
	struct tick_body b = { 0 };
	struct activity_signup s;
	struct activity_view v;
	struct attendance_row row;
	struct minutes_input in;
	enum attendance_tick what = TICK_CHECKIN;
	int64_t id, now = clock_now();
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return;
	rc = activity_signup_get(c->db, id, &s);
	if (rc != ACTIVITY_OK) {
		activity_reply_rc(c, rc, "tick");
		return;
	}
	if (activity_view_id_or_reply(c, s.activity_id, &v) < 0)
		return;
	if (!v.manage) {
		reply_problem(c, 403, "forbidden", "只有活动的组织者可以签到");
		return;
	}
	if (call_body_or_reply(c, tick_spec, &b) < 0)
		return;
	for (int i = 0; attendance_ticks[i]; i++)
		if (!strcmp(attendance_ticks[i], b.action))
			what = (enum attendance_tick)i;
	rc = attendance_tick(c->db, &c->actor, s.id, what, b.at ? b.at : now, now, &row.signup);
	if (rc == ACTIVITY_NOT_SIGNED) {
		reply_problem(c, 409, "not_signed_up", "候补或已取消的报名不能签到");
	} else if (rc != ACTIVITY_OK) {
		activity_reply_rc(c, rc, "tick");
	} else {
		if (activity_get(c->db, s.activity_id, &v.a) != ACTIVITY_OK) {
			reply_internal(c, "reading an activity");
			goto out;
		}
		attendance_input(&v.a, &row.signup, &in);
		minutes_credit(&in, &row.result);
		reply_json(c, 200, row_json(&row, true));
	}
out:
	spec_release(tick_spec, &b);
}

static json_t *counts_json(const struct attendance_counts *k)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "signed_up", (json_int_t)k->signed_up,
			 "waiting", (json_int_t)k->waiting, "arrived", (json_int_t)k->arrived, "present",
			 (json_int_t)k->present, "late", (json_int_t)k->late, "left_early", (json_int_t)k->left_early,
			 "absent", (json_int_t)k->absent, "leave", (json_int_t)k->on_leave, "leave_asked",
			 (json_int_t)k->leave_asked, "checked_out", (json_int_t)k->checked_out, "unconfirmed",
			 (json_int_t)k->unconfirmed);
}

/*
 * GET /activities/{id}/sheet?since=VERSION: the attendance sheet (签到表): counts and a row per member with a
 * place. A page polling it passes the version it has: unchanged, the answer is {"version", "changed": false}.
 */
void attendance_sheet(struct call *c)
{
	struct attendance_sheet sheet;
	struct activity_view v;
	int64_t since = -1;
	json_t *rows;

	if (call_int_or_reply(c, "since", 0, INT64_MAX, &since) < 0 || activity_reader_or_reply(c, &v) < 0)
		return;
	if (since == v.a.version) {
		reply_json(c, 200, json_pack("{s:I, s:b}", "version", (json_int_t)v.a.version, "changed", 0));
		return;
	}
	if (attendance_sheet_read(c->db, v.a.id, &sheet) != ACTIVITY_OK) {
		reply_internal(c, "reading an attendance sheet");
		return;
	}
	rows = json_array();
	for (size_t i = 0; i < sheet.nrows; i++)
		rows = json_push(rows, row_json(&sheet.rows[i], v.manage));
	reply_json(c, 200,
		   json_pack("{s:I, s:b, s:I, s:o, s:o, s:o}", "version", (json_int_t)sheet.activity.version, "changed", 1,
			     "server_time", (json_int_t)clock_now(), "activity", activity_json(&sheet.activity), "counts",
			     counts_json(&sheet.counts), "rows", rows));
	attendance_sheet_release(&sheet);
}

/* POST /activities/{id}/close: after the end, each member with a place and credited minutes gets a pending record. */
void attendance_close_route(struct call *c)
{
	struct attendance_closing out;
	struct activity_view v;
	json_t *skipped;
	int rc;

	if (activity_manage_or_reply(c, &v) < 0)
		return;
	rc = attendance_close(c->db, &c->actor, v.a.id, clock_now(), &out);
	if (rc != ACTIVITY_OK) {
		activity_reply_rc(c, rc, "close");
		attendance_closing_release(&out);
		return;
	}
	skipped = json_array();
	for (size_t i = 0; i < out.nskipped; i++) {
		const struct attendance_skip *k = &out.skipped[i];

		skipped = json_push(skipped, json_pack("{s:I, s:I, s:s, s:s, s:s}", "signup_id", (json_int_t)k->signup_id,
						       "member_id", (json_int_t)k->member_id, "member_name",
						       k->member_name, "why", k->why, "message", k->message));
	}
	attendance_closing_release(&out);
	if (activity_get(c->db, v.a.id, &v.a) != ACTIVITY_OK) {
		json_decref(skipped);
		reply_internal(c, "reading an activity");
		return;
	}
	reply_json(c, 200, json_pack("{s:I, s:I, s:I, s:o, s:o}", "records", (json_int_t)out.records, "absent",
				     (json_int_t)out.absent, "leave", (json_int_t)out.on_leave, "skipped", skipped,
				     "activity", activity_json(&v.a)));
}
