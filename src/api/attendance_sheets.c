/* attendance_sheets.c: the attendance sheet (签到表) to keep and to print: an .xlsx workbook, and a page for the printer */
#include <stdio.h>
#include <string.h>

#include "api/activity_api.h"
#include "api/handlers.h"
#include "api/xlsx.h"
#include "base/clock.h"
#include "base/xml.h"
#include "domain/attendance.h"

/* The row's status in the console's words (web/src/locales/zh-CN/common.js, serve.attendance), into out. */
static const char *status_words(const struct attendance_row *r, char *out, size_t n)
{
	static const char *const words[] = { "出勤", "迟到", "早退", "缺勤", "请假" };

	snprintf(out, n, "%s%s", r->result.late && r->result.left_early ? "迟到、早退" : words[r->result.status],
		 r->result.unconfirmed ? "（未签退）" : "");
	return out;
}

static const char *by_words(const char *by)
{
	return !strcmp(by, "qr") ? "扫码" : !strcmp(by, "poster") ? "海报码" : !strcmp(by, "staff") ? "工作人员代签" : "";
}

static const char *leave_words(const char *leave)
{
	return !strcmp(leave, "asked") ? "请假待批" : !strcmp(leave, "approved") ? "已请假" : !strcmp(leave, "refused") ? "请假未批" : "";
}

static const char *record_words(const char *state)
{
	return !strcmp(state, "pending") ? "待确认" : !strcmp(state, "confirmed") ? "已确认" : !strcmp(state, "rejected") ? "已退回" : "";
}

/* The cells of one row (text in the caller's buffers). */
struct sheet_cells {
	char seq[24], in[6], out[6], minutes[24], status[48];
};

static void cells_of(const struct attendance_row *r, size_t i, struct sheet_cells *k)
{
	snprintf(k->seq, sizeof(k->seq), "%zu", i + 1);
	activity_clock(r->signup.checkin_at, k->in);
	activity_clock(r->signup.checkout_at, k->out);
	status_words(r, k->status, sizeof(k->status));
	if (r->signup.record_id)
		snprintf(k->minutes, sizeof(k->minutes), "%lld", (long long)r->signup.record_minutes);
	else if (r->arrived && !r->result.unconfirmed)
		snprintf(k->minutes, sizeof(k->minutes), "%lld", (long long)r->result.minutes);
	else
		k->minutes[0] = '\0';
}

/* The sheet of the activity {id} for who runs or reads it; 0, or -1 answered. */
static int sheet_or_reply(struct call *c, struct activity_view *v, struct attendance_sheet *sheet)
{
	if (activity_reader_or_reply(c, v) < 0)
		return -1;
	if (attendance_sheet_read(c->db, v->a.id, sheet) != ACTIVITY_OK) {
		reply_internal(c, "reading an attendance sheet");
		return -1;
	}
	return 0;
}

/* GET /activities/{id}/sheet.xlsx: one row per member with a place; phones only for who runs the activity. */
void attendance_sheet_xlsx(struct call *c)
{
	static const char *const with_phone[] = { "序号", "姓名", "手机号", "工作单位", "签到时间", "签到方式", "签退时间",
						  "签退方式", "出勤情况", "请假", "计入时长（分钟）", "服务记录", NULL };
	static const char *const without[] = { "序号", "姓名", "工作单位", "签到时间", "签到方式", "签退时间", "签退方式",
					       "出勤情况", "请假", "计入时长（分钟）", "服务记录", NULL };
	struct attendance_sheet sheet;
	struct activity_view v;
	struct xlsx *x;
	char name[64];

	if (sheet_or_reply(c, &v, &sheet) < 0)
		return;
	if (!(x = xlsx_start(c, "签到表", v.manage ? with_phone : without))) {
		attendance_sheet_release(&sheet);
		return;
	}
	for (size_t i = 0; i < sheet.nrows; i++) {
		const struct attendance_row *r = &sheet.rows[i];
		const struct activity_signup *s = &r->signup;
		struct sheet_cells k;

		cells_of(r, i, &k);
		const char *row[] = { k.seq, s->member_name, s->member_phone, s->unit_name, k.in, by_words(s->checkin_by),
				      k.out, by_words(s->checkout_by), k.status, leave_words(s->leave), k.minutes,
				      record_words(s->record_state) };

		if (v.manage) {
			xlsx_row(x, row);
		} else {
			const char *brief[] = { row[0], row[1], row[3], row[4], row[5], row[6],
						row[7], row[8], row[9], row[10], row[11] };

			xlsx_row(x, brief);
		}
	}
	attendance_sheet_release(&sheet);
	snprintf(name, sizeof(name), "activity-%lld-attendance.xlsx", (long long)v.a.id);
	xlsx_send(x, name);
}

static void cell(struct buf *out, const char *text)
{
	buf_addstr(out, "<td>");
	xml_text(out, text);
	buf_addstr(out, "</td>");
}

/*
 * GET /activities/{id}/sheet.html: the sheet as a page to print (A4, no script, no style of its own): who
 * came, when, and an empty column to sign in by hand, so it also serves as the paper sheet at the door.
 */
void attendance_sheet_print(struct call *c)
{
	struct attendance_sheet sheet;
	struct activity_view v;
	struct buf *out;
	char when[160], organiser[TEXT_BYTES(UNIT_NAME_MAX) + 2 * REGION_TEXT + 16], printed[11], now_clock[6];
	const struct attendance_counts *k = &sheet.counts;
	bool ended;

	if (sheet_or_reply(c, &v, &sheet) < 0)
		return;
	ended = clock_now() >= sheet.activity.ends_at;
	activity_when(&sheet.activity, when, sizeof(when));
	activity_organiser_name(&sheet.activity, organiser, sizeof(organiser));
	clock_date(clock_now(), printed);
	activity_clock(clock_now(), now_clock);
	out = resp_json_body(c->resp, 200);
	c->resp->content_type = "text/html; charset=utf-8";
	buf_addstr(out, "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>签到表 ");
	xml_text(out, sheet.activity.title);
	buf_addstr(out, "</title></head>\n<body><h2>");
	xml_text(out, sheet.activity.title);
	buf_addstr(out, " 签到表</h2>\n<p>时间：");
	xml_text(out, when);
	buf_addstr(out, "<br>地点：");
	xml_text(out, sheet.activity.place);
	buf_addstr(out, "<br>主办：");
	xml_text(out, organiser);
	buf_addf(out, "</p>\n<p>报名 %lld 人（候补 %lld 人）：出勤 %lld，迟到 %lld，早退 %lld，缺勤 %lld，请假 %lld</p>\n",
		 (long long)k->signed_up, (long long)k->waiting, (long long)k->present, (long long)k->late,
		 (long long)k->left_early, (long long)k->absent, (long long)k->on_leave);
	buf_addstr(out, "<table border=\"1\" cellspacing=\"0\" cellpadding=\"6\" width=\"100%\">\n<thead><tr><th>序号</th>"
			"<th>姓名</th><th>工作单位</th><th>签到</th><th>签退</th><th>出勤情况</th><th>请假</th>"
			"<th>时长（分钟）</th><th width=\"18%\">签名</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < sheet.nrows; i++) {
		const struct attendance_row *r = &sheet.rows[i];
		struct sheet_cells cells;

		cells_of(r, i, &cells);
		buf_addstr(out, "<tr>");
		cell(out, cells.seq);
		cell(out, r->signup.member_name);
		cell(out, r->signup.unit_name);
		cell(out, cells.in);
		cell(out, cells.out);
		/* Nobody is absent before the end: until then an empty cell waits for a tick or a signature. */
		cell(out, r->arrived || r->result.status == ATT_ON_LEAVE || ended ? cells.status : "");
		cell(out, leave_words(r->signup.leave));
		cell(out, cells.minutes);
		buf_addstr(out, "<td></td></tr>\n");
	}
	buf_addf(out, "</tbody></table>\n<p>打印时间：%s %s</p>\n</body></html>\n", printed, now_clock);
	attendance_sheet_release(&sheet);
}
