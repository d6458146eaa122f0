/* sheet_reply.c: reading an uploaded spreadsheet or answering why not, and writing an import's answer */
#include "api/sheet_reply.h"

#include <string.h>

int sheet_body_or_reply(struct call *c, struct sheet *sh, const char *empty_msg)
{
	char err[256];
	int rc;

	*sh = (struct sheet)SHEET_INIT;
	if (!c->req->body.len) {
		reply_field(c, 422, "file", "required", empty_msg);
		return -1;
	}
	rc = sheet_read(c->req->body.data, c->req->body.len, SHEET_ROWS_MAX + 1, SHEET_COLS_MAX, sh, err, sizeof(err));
	if (rc == SHEET_OK)
		return 0;
	reply_field(c, rc == SHEET_TOO_LARGE ? 413 : 422, "file", rc == SHEET_TOO_LARGE ? "too_large" : "format", err);
	return -1;
}

/* "a,b" → ["a", "b"]. */
static json_t *fields_json(const char *list)
{
	json_t *arr = json_array();

	for (const char *p = list; *p;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);

		json_array_append_new(arr, json_stringn(p, n));
		p += n + (comma != NULL);
	}
	return arr;
}

json_t *import_result_json(const struct import_result *r, bool committed)
{
	json_t *errors = json_array(), *changes = json_array(), *same = json_array();

	for (size_t i = 0; i < r->nerrors; i++) {
		const struct import_error *e = &r->errors[i];

		json_array_append_new(errors, json_pack("{s:I, s:s, s:s, s:s, s:s}", "row", (json_int_t)e->row, "column",
							e->column, "field", e->field, "code", e->code, "message",
							e->message));
	}
	for (size_t i = 0; i < r->nchanges; i++)
		json_array_append_new(changes, json_pack("{s:I, s:I, s:o}", "row", (json_int_t)r->changes[i].row, "id",
							 (json_int_t)r->changes[i].id, "fields",
							 fields_json(r->changes[i].fields)));
	for (size_t i = 0; i < r->nsame; i++)
		json_array_append_new(same, json_integer((json_int_t)r->same_rows[i]));
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:o, s:o, s:o}", "rows", (json_int_t)r->rows, "valid",
			 (json_int_t)r->valid, "invalid", (json_int_t)(r->rows - r->valid), "create",
			 (json_int_t)r->create, "update", (json_int_t)r->update, "unchanged", (json_int_t)r->unchanged,
			 "written", (json_int_t)r->written, "committed", committed, "errors", errors, "changes",
			 changes, "unchanged_rows", same);
}
