/* household_sheets.c: a community's households from Excel: the template, and the import checked row by row (dry run) or written all at once */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/sheet_reply.h"
#include "api/xlsx.h"
#include "base/sheet.h"
#include "base/valid.h"
#include "base/xalloc.h"
#include "domain/household_import.h"
#include "domain/region.h"

void households_template(struct call *c)
{
	struct xlsx *x = xlsx_start(c, "住户", household_import_columns);

	if (!x)
		return;
	xlsx_row(x, household_import_example);
	xlsx_send(x, "household-import-template.xlsx");
}

static bool query_yes(struct call *c, const char *name)
{
	const char *v = req_query(c->req, name);

	return v && (!strcmp(v, "1") || !strcmp(v, "true"));
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

static const char *verdict_word(char v)
{
	return v == HV_CREATE ? "create" : v == HV_UPDATE ? "update" : v == HV_SAME ? "unchanged" : "invalid";
}

/* The import's answer, with each data row's verdict: {"row","verdict","id","building_name","unit_no","room"}. */
static json_t *answer(const struct import_result *res, const struct household_import_rows *v, bool committed)
{
	json_t *o = import_result_json(res, committed), *arr = json_array();

	for (size_t i = 0; arr && i < v->n; i++) {
		const struct household_import_row *x = &v->items[i];
		json_t *row = json_pack("{s:I, s:s, s:s, s:s, s:s}", "row", (json_int_t)x->row, "verdict",
					verdict_word(x->verdict), "building_name", x->building_name, "unit_no",
					x->unit_no, "room", x->room);

		if (row)
			json_object_set_new(row, "id", x->id ? json_integer(x->id) : json_null());
		arr = json_push(arr, row);
	}
	if (!o || !arr || json_object_set_new(o, "verdicts", arr) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/*
 * POST /communities/{code}/households/import: the file itself as the body. With ?dry_run=1
 * nothing is written and every row's verdict comes back; without it every row is written in
 * one transaction, or none when any row is bad. ?update=1: a room the building has already
 * is changed to its row (else it is a fault). A community out of the caller's reach answers 404.
 */
void community_households_import(struct call *c)
{
	const char *code = c->req->params[0];
	bool dry = query_yes(c, "dry_run");
	struct household_import_rows verdicts = { 0, NULL };
	struct import_result res;
	struct region r;
	struct sheet sh;
	int rc = valid_digits(code, 12, 18) ? region_get(c->db, code, &r) : REGION_NOT_FOUND;

	if (rc == REGION_OK && (strcmp(r.level, "community") ||
				!authz_allows(&c->who, ACT_HOUSEHOLD, &(struct target){ r.path, 0 })))
		rc = REGION_NOT_FOUND;
	if (rc == REGION_NOT_FOUND) {
		reply_problem(c, 404, "not_found", "找不到该社区");
		return;
	}
	if (rc != REGION_OK) {
		reply_internal(c, "reading a community");
		return;
	}
	if (sheet_body_or_reply(c, &sh, "请选择要导入的表格文件") < 0)
		return;
	if (household_import(c->db, &c->actor, &sh, r.code, r.path, query_yes(c, "update"), !dry, &res, &verdicts) < 0)
		reply_internal(c, "importing households");
	else if (!dry && res.nerrors)
		reply_rows(c, &res);
	else
		reply_json(c, 200, answer(&res, &verdicts, !dry));
	free(verdicts.items);
	import_result_release(&res);
	sheet_release(&sh);
}
