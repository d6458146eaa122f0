/* duty_checkin.c: QR check-in at a duty shift: the shift's rotating code and its poster for staff, a member's scan */
#include <stdio.h>
#include <string.h>

#include "api/activity_api.h"
#include "api/duty_api.h"
#include "api/handlers.h"
#include "api/poster.h"
#include "base/clock.h"
#include "base/qr.h"
#include "base/qrtoken.h"
#include "domain/duty.h"

/* --- The codes ---------------------------------------------------------------------------------- */

struct shift_code {
	enum qrtoken_kind kind;
	char code[QRTOKEN_MAX];
	char url[400];
	int64_t valid_from, valid_until, refresh_at; /* refresh_at: when the screen shows the next one (0: a poster's) */
};

/* The code of shift s of kind at now, the mobile page's address with it (/m/shifts/checkin?code=…), when it is good. */
static int code_or_reply(struct call *c, const struct duty_shift *s, enum qrtoken_kind kind, int64_t now,
			 struct shift_code *v)
{
	struct qrtoken t = { s->id, kind, kind == QRTOKEN_SCREEN ? qrtoken_slot(now) : s->starts_at, QRTOKEN_SHIFT };
	char origin[300];

	if (activity_origin(c, origin, sizeof(origin)) < 0) {
		reply_problem(c, 400, "bad_request", "请求缺少有效的 Host");
		return -1;
	}
	memset(v, 0, sizeof(*v));
	v->kind = kind;
	qrtoken_make(&t, v->code);
	snprintf(v->url, sizeof(v->url), "%s/m/shifts/checkin?code=%s", origin, v->code);
	if (kind == QRTOKEN_SCREEN) {
		/* Good in its own slot and the next: for 30 to 60 seconds after it appears. */
		v->valid_from = t.slot * QRTOKEN_SLOT_SECONDS;
		v->refresh_at = v->valid_from + QRTOKEN_SLOT_SECONDS;
		v->valid_until = v->valid_from + 2 * QRTOKEN_SLOT_SECONDS - 1;
	} else {
		v->valid_from = s->starts_at - QRTOKEN_EARLY;
		v->valid_until = s->ends_at;
	}
	return 0;
}

/* The shift {id} run by the caller (staff of its community), while it is not closed. */
static int open_shift_or_reply(struct call *c, struct duty_shift *s)
{
	struct duty_member m;
	bool staff;

	if (duty_shift_or_reply(c, false, s, &staff, &m) < 0)
		return -1;
	if (s->closed_at) {
		reply_problem(c, 409, "state", "该班次已收班，不再需要签到码");
		return -1;
	}
	return 0;
}

/* GET /duty-shifts/{id}/code?kind=screen|poster: the code of this 30-second slot (or the poster's) with its QR as SVG */
void duty_shifts_code(struct call *c)
{
	static const char *const kinds[] = { "screen", "poster", NULL };
	struct duty_shift s;
	struct shift_code code;
	struct buf svg = BUF_INIT;
	const char *kind;
	int64_t now = clock_now();

	if (call_choice_or_reply(c, "kind", kinds, &kind) < 0 || open_shift_or_reply(c, &s) < 0 ||
	    code_or_reply(c, &s, kind && !strcmp(kind, "poster") ? QRTOKEN_POSTER : QRTOKEN_SCREEN, now, &code) < 0)
		return;
	if (qr_svg(code.url, &svg) < 0) {
		reply_internal(c, "drawing a shift's check-in code");
		return;
	}
	reply_json(c, 200,
		   json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:o, s:I, s:{s:I, s:I}, s:o}", "kind",
			     code.kind == QRTOKEN_SCREEN ? "screen" : "poster", "code", code.code, "url", code.url, "svg",
			     buf_str(&svg), "valid_from", (json_int_t)code.valid_from, "valid_until",
			     (json_int_t)code.valid_until, "refresh_at",
			     code.refresh_at ? json_integer(code.refresh_at) : json_null(), "server_time", (json_int_t)now,
			     "window", "opens_at", (json_int_t)(s.starts_at - QRTOKEN_EARLY), "closes_at",
			     (json_int_t)s.ends_at, "shift", duty_shift_json(&s)));
	buf_release(&svg);
}

/* The A4 poster of shift s: the post, the day and time, the place, the QR code, how to use it. */
static int poster_svg(const struct duty_shift *s, const char *url, struct buf *out)
{
	char when[80], window[64], opens[6], starts[6], ends[6], place[TEXT_BYTES(DUTY_PLACE_MAX) + 16];
	double y = 46;

	activity_clock(s->starts_at - QRTOKEN_EARLY, opens);
	activity_clock(s->starts_at, starts);
	activity_clock(s->ends_at, ends);
	snprintf(when, sizeof(when), "%s %s–%s%s", s->day, starts, ends, s->end_min > DUTY_DAY_MIN ? "（次日）" : "");
	snprintf(window, sizeof(window), "签到时间：%s 至 %s", opens, ends);
	snprintf(place, sizeof(place), "地点：%s", s->place);
	poster_begin(out, "值班扫码签到");
	poster_lines(out, s->post_name, 11, 16, 3, "bold", &y);
	y += 4;
	poster_lines(out, when, 7, 25, 1, "normal", &y);
	if (s->place[0])
		poster_lines(out, place, 6.5, 26, 3, "normal", &y);
	y += 5;
	if (poster_qr(out, url, &y) < 0)
		return -1;
	poster_lines(out, "值班党员用手机相机或微信「扫一扫」扫码，登录后点「签到」", 6, 30, 1, "normal", &y);
	poster_lines(out, window, 6, 30, 1, "bold", &y);
	poster_lines(out, "此码仅用于本班次，不能用于其他班次或活动。", 4.2, 40, 1, "normal", &y);
	buf_addstr(out, "</svg>\n");
	return 0;
}

/* GET /duty-shifts/{id}/poster.svg: the shift's poster to print and put up at the post */
void duty_shifts_poster(struct call *c)
{
	struct duty_shift s;
	struct shift_code code;
	struct buf *out;

	if (open_shift_or_reply(c, &s) < 0 || code_or_reply(c, &s, QRTOKEN_POSTER, clock_now(), &code) < 0)
		return;
	out = resp_json_body(c->resp, 200);
	c->resp->content_type = "image/svg+xml; charset=utf-8";
	if (poster_svg(&s, code.url, out) < 0) {
		reply_internal(c, "drawing a shift's poster");
		return;
	}
	resp_header(c->resp, "Content-Disposition", "inline; filename=\"duty-checkin-poster.svg\"");
}

/* --- A member scans --------------------------------------------------------------------------- */

static const struct {
	enum qrtoken_verdict verdict;
	const char *code, *message;
} verdicts[] = {
	{ QRTOKEN_FORGED, "forged", "这不是本系统的值班签到码：可能扫错了，或二维码被改动过" },
	{ QRTOKEN_OTHER_SUBJECT, "other_subject", "这是活动的签到码，不是值班的签到码，请扫描值班岗位上的二维码" },
	{ QRTOKEN_OTHER_ACTIVITY, "other_shift", "这是另一个班次的签到码，请扫描本班次的二维码" },
	{ QRTOKEN_EXPIRED, "expired",
	  "签到码已过期：值班签到码每 30 秒更换一次，照片和截图都不能用，请扫描工作人员屏幕上最新的二维码" },
	{ QRTOKEN_STALE_POSTER, "stale_poster", "班次时间已调整，这张签到码已作废，请扫描最新的二维码" },
	{ QRTOKEN_TOO_EARLY, "too_early", "还没到签到时间：班次开始前 30 分钟起才能签到" },
	{ QRTOKEN_TOO_LATE, "too_late", "签到时间已过：班次结束后不能再扫码签到，请联系社区工作人员" },
};

struct scan_body {
	char *token;
};

static const struct spec_field scan_spec[] = {
	SPEC(struct scan_body, token, SPEC_STR, SPEC_REQUIRED, 1, QRTOKEN_MAX - 1),
	{ 0 },
};

/* POST /me/shifts/check-in {"token"}: the member on the shift scanned its code */
void me_shifts_checkin(struct call *c)
{
	struct scan_body b = { 0 };
	struct duty_member m = { 0 };
	struct duty_place p;
	enum qrtoken_verdict verdict;
	bool already;
	int rc;

	if (call_body_or_reply(c, scan_spec, &b) < 0)
		return;
	rc = duty_member_of_account(c->db, c->actor.account_id, &m);
	if (rc != DUTY_OK && rc != DUTY_NOT_FOUND) {
		reply_internal(c, "reading a member");
		spec_release(scan_spec, &b);
		return;
	}
	/* Without a member file (m.id 0) nobody holds a place: the code is still judged first. */
	rc = duty_scan(c->db, &c->actor, m.id, b.token, clock_now(), &verdict, &already, &p);
	if (rc == DUTY_TOKEN) {
		for (size_t i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++)
			if (verdicts[i].verdict == verdict)
				reply_field(c, 422, "token", verdicts[i].code, verdicts[i].message);
	} else if (rc == DUTY_NOT_ON_SHIFT) {
		reply_problem(c, 409, "not_on_shift",
			      "你不在这个班次的值班名单上：请先在「我的值班」报名，或请社区工作人员安排");
	} else if (rc == DUTY_STATE) {
		reply_problem(c, 409, "state", "该班次已收班，不能再签到；如有疑问请联系社区工作人员");
	} else if (rc != DUTY_OK) {
		duty_reply_error(c, rc, NULL, NULL);
	} else {
		reply_json(c, 200,
			   json_pack("{s:{s:I, s:s, s:I}, s:o, s:b, s:s}", "assignment", "id", (json_int_t)p.a.id, "state",
				     p.a.state, "checked_in_at", (json_int_t)p.a.checked_in_at, "shift",
				     duty_shift_json(&p.s), "already", already, "message",
				     already ? "已经签到过了，以第一次为准" : "值班签到成功"));
	}
	spec_release(scan_spec, &b);
}
