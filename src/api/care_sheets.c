/* care_sheets.c: the care register as an .xlsx workbook: names and addresses for staff; categories and health only with a reason */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/xlsx.h"
#include "base/clock.h"
#include "base/valid.h"
#include "domain/care.h"

/* The console's words (web/src/locales/zh-CN/admin.js, care.frequencies and care.bases). */
static const char *frequency_words(const char *f)
{
	static const char *const from[] = { "daily_phone", "weekly", "fortnightly", "monthly", "quarterly" };
	static const char *const words[] = { "每日电话", "每周", "每两周", "每月", "每季度" };

	for (size_t i = 0; i < sizeof(from) / sizeof(from[0]); i++)
		if (!strcmp(from[i], f))
			return words[i];
	return f;
}

/* The community of path parameter 0 whose register the caller keeps (ACT_CARE: the same who may reveal); 404 otherwise. */
static int community_or_reply(struct call *c, struct region *r)
{
	const char *code = c->req->params[0];
	int rc = valid_digits(code, 12, 18) ? region_get(c->db, code, r) : REGION_NOT_FOUND;

	if (rc == REGION_OK && (strcmp(r->level, "community") ||
				!authz_allows(&c->who, ACT_CARE, &(struct target){ r->path, 0 })))
		rc = REGION_NOT_FOUND;
	if (rc == REGION_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该社区");
	else if (rc != REGION_OK)
		reply_internal(c, "reading a community");
	return rc == REGION_OK ? 0 : -1;
}

enum { PLAIN_COLUMNS = 12, SENSITIVE_COLUMNS = 2 };

struct export_body {
	bool sensitive;
	char *reason;
};

static const struct spec_field export_spec[] = {
	SPEC(struct export_body, sensitive, SPEC_BOOL, 0, 0, 0),
	SPEC(struct export_body, reason, SPEC_STR, 0, CARE_REASON_MIN, CARE_REASON_MAX),
	{ 0 },
};

/*
 * POST /communities/{code}/care/export: the community's staff (and the
 * administrator) export the active register as .xlsx; a POST, as it writes
 * its audit entry. Without "sensitive": no categories, health or disability
 * facts (the phone masked). With it, a reason (2 to 100 characters) is
 * required; the columns 帮扶类别 and 健康/残疾情况 are added. Every export is
 * audited (care.export, the reason its detail) before anything is read.
 */
void community_care_export(struct call *c)
{
	static const char *const header[PLAIN_COLUMNS + SENSITIVE_COLUMNS + 1] = {
		"编号", "姓名", "电话", "地址", "帮扶内容", "帮扶人", "帮扶频次", "走访频率", "最近走访", "下次应访", "是否逾期",
		"结对数", "帮扶类别", "健康/残疾情况", NULL
	};
	const char *head[PLAIN_COLUMNS + SENSITIVE_COLUMNS + 1];
	struct care_export_row *rows = NULL;
	struct export_body b = { 0 };
	struct region r;
	struct xlsx *x;
	char today[11], name[64];
	bool sensitive;
	size_t n = 0;

	if (community_or_reply(c, &r) < 0 || call_body_or_reply(c, export_spec, &b) < 0)
		return;
	sensitive = b.sensitive;
	if (sensitive && !b.reason) {
		reply_field(c, 422, "reason", "required", "导出敏感信息须填写理由");
		goto out;
	}
	if (!sensitive && b.reason) {
		reply_field(c, 422, "reason", "unexpected", "只有导出敏感信息时才填写理由");
		goto out;
	}
	clock_date(clock_now(), today);
	if (care_export(c->db, &c->actor, &r, sensitive, b.reason, today, &rows, &n) != CARE_OK) {
		reply_internal(c, "exporting the care register");
		goto out;
	}
	for (size_t i = 0; i <= PLAIN_COLUMNS + SENSITIVE_COLUMNS; i++)
		head[i] = header[i];
	if (!sensitive)
		head[PLAIN_COLUMNS] = NULL;
	if (!(x = xlsx_start(c, "帮扶对象", head))) {
		care_export_free(rows, n);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct care *e = &rows[i].c;
		char id[24], phone[TEXT_BYTES(CARE_PHONE_MAX)], pairings[24];
		const char *cells[PLAIN_COLUMNS + SENSITIVE_COLUMNS];

		snprintf(id, sizeof(id), "%lld", (long long)e->id);
		snprintf(pairings, sizeof(pairings), "%lld", (long long)e->npairings);
		if (sensitive)
			str_copy(phone, sizeof(phone), e->phone);
		else
			care_mask_phone(e->phone, phone, sizeof(phone));
		cells[0] = id;
		cells[1] = e->name;
		cells[2] = phone;
		cells[3] = e->address;
		cells[4] = e->help_what;
		cells[5] = e->help_who;
		cells[6] = e->help_often;
		cells[7] = frequency_words(e->frequency);
		cells[8] = e->last_visit;
		cells[9] = e->next_due;
		cells[10] = e->overdue ? "是" : "否";
		cells[11] = pairings;
		cells[12] = sensitive ? rows[i].categories : NULL;
		cells[13] = sensitive ? rows[i].health : NULL;
		xlsx_row(x, cells);
	}
	care_export_free(rows, n);
	snprintf(name, sizeof(name), "care-%s%s.xlsx", r.code, sensitive ? "-sensitive" : "");
	xlsx_send(x, name);
out:
	spec_release(export_spec, &b);
}
