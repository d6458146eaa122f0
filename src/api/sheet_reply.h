/* sheet_reply.h: spreadsheet uploads at the API edge: the body read as a sheet (or answered), an import's answer as JSON */
#ifndef API_SHEET_REPLY_H
#define API_SHEET_REPLY_H

#include <jansson.h>
#include <stdbool.h>

#include "api/call.h"
#include "base/sheet.h"
#include "domain/import.h"

#define SHEET_ROWS_MAX 20000 /* data rows of one upload */
#define SHEET_COLS_MAX 40

/*
 * Reads the request body as a spreadsheet into *sh (caller releases it with sheet_release).
 * Answers 422 naming the field file (empty_msg for an empty body, the reader's message for a
 * file it cannot read) or 413 (too large) and returns -1 otherwise.
 */
int sheet_body_or_reply(struct call *c, struct sheet *sh, const char *empty_msg);

/*
 * {"rows","valid","invalid","create","update","unchanged","written","committed",
 *  "errors":[{"row","column","field","code","message"}], "changes":[{"row","id","fields":[…]}],
 *  "unchanged_rows":[…]}: the answer of both imports.
 */
json_t *import_result_json(const struct import_result *r, bool committed);

#endif
