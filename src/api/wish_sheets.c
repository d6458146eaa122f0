/* wish_sheets.c: micro-wishes from Excel: the template, and the import checked row by row (dry run) or written all at once */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/sheet_reply.h"
#include "api/xlsx.h"
#include "base/sheet.h"
#include "base/valid.h"
#include "base/xalloc.h"
#include "domain/region.h"
#include "domain/wish_import.h"

void wishes_template(struct call *c)
{
	struct xlsx *x = xlsx_start(c, "微心愿", wish_import_columns);

	if (!x)
		return;
	xlsx_row(x, wish_import_example);
	xlsx_send(x, "wish-import-template.xlsx");
}

static bool query_is(struct call *c, const char *name, const char *value)
{
	const char *v = req_query(c->req, name);

	return v && !strcmp(v, value);
}

/* A real run refused: 422 naming each bad cell as rows[N].field (N as in Excel), the first FIELD_ERRORS_MAX of them. */
static void reply_rows(struct call *c, const struct import_result *res)
{
	struct field_errors *errs = xcalloc(1, sizeof(*errs));
	char field[64], msg[512];

	for (size_t i = 0; i < res->nerrors && errs->n < FIELD_ERRORS_MAX; i++) {
		const struct import_error *e = &res->errors[i];

		snprintf(field, sizeof(field), "rows[%zu]%s%s", e->row, *e->field ? "." : "", e->field);
		if (*e->column)
			snprintf(msg, sizeof(msg), "第 %zu 行“%s”：%s", e->row, e->column, e->message);
		else
			snprintf(msg, sizeof(msg), "第 %zu 行：%s", e->row, e->message);
		field_errors_add(errs, field, e->code, msg);
	}
	reply_errors(c, 422, errs);
	free(errs);
}

/*
 * POST the file itself as the body, ?community=CODE. With ?dry_run=1 nothing is written and
 * every row's verdict comes back; without it (and with ?consent=1: the beneficiaries agreed
 * to be published), every row is written in one transaction, or none when any row is bad.
 * A community out of the caller's sight answers 404.
 */
void wishes_import(struct call *c)
{
	const char *code = req_query(c->req, "community");
	bool dry = query_is(c, "dry_run", "1") || query_is(c, "dry_run", "true");
	struct import_result res;
	struct region r;
	struct sheet sh;
	int rc;

	if (!code || !*code) {
		reply_field(c, 422, "community", "required", "请选择社区");
		return;
	}
	rc = valid_digits(code, 12, 18) ? region_get(c->db, code, &r) : REGION_NOT_FOUND;
	if (rc == REGION_OK && (strcmp(r.level, "community") ||
				!authz_allows(&c->who, ACT_SERVE_READ, &(struct target){ r.path, 0 })))
		rc = REGION_NOT_FOUND;
	if (rc == REGION_NOT_FOUND) {
		reply_problem(c, 404, "not_found", "找不到该社区");
		return;
	}
	if (rc != REGION_OK) {
		reply_internal(c, "reading a community");
		return;
	}
	if (call_allow_or_reply(c, ACT_SERVE_MANAGE, &(struct target){ r.path, 0 }) < 0)
		return;
	if (!dry && !query_is(c, "consent", "1") && !query_is(c, "consent", "true")) {
		reply_field(c, 422, "consent", "required", "须经受益人同意才能登记和公开心愿");
		return;
	}
	if (sheet_body_or_reply(c, &sh, "请选择要导入的表格文件") < 0)
		return;
	if (wish_import(c->db, &c->actor, &sh, r.code, r.path, !dry, &res) < 0)
		reply_internal(c, "importing wishes");
	else if (!dry && res.nerrors)
		reply_rows(c, &res);
	else
		reply_json(c, 200, import_result_json(&res, !dry));
	import_result_release(&res);
	sheet_release(&sh);
}
