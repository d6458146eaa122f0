/* audit.c: reading the audit log (admin everywhere, org within its subtree) */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/out.h"
#include "domain/audit.h"

void audit_list_get(struct call *c)
{
	struct audit_filter f = { 0 };
	struct audit_row *rows;
	struct scope scope;
	size_t n;
	int64_t total;
	json_t *arr;

	if (call_query_or_reply(c, "action", 48, &f.action) < 0 || call_query_or_reply(c, "account", 64, &f.account) < 0 ||
	    call_int_or_reply(c, "account_id", 1, INT64_MAX, &f.account_id) < 0 ||
	    call_query_or_reply(c, "target_id", 64, &f.target_id) < 0 ||
	    call_query_or_reply(c, "target_type", 32, &f.target_type) < 0 || call_int_or_reply(c, "from", 0, 32503680000LL, &f.from) < 0 ||
	    call_int_or_reply(c, "to", 0, 32503680000LL, &f.to) < 0 || call_page_or_reply(c, &f.page, &f.per_page) < 0)
		return;
	authz_scope(&c->who, ACT_AUDIT_READ, &scope);
	if (audit_list(c->db, &scope, &f, &rows, &n, &total) < 0) {
		reply_internal(c, "listing the audit log");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, audit_row_json(&rows[i]));
	free(rows);
	reply_json(c, 200, page_json(arr, total, f.page, f.per_page));
}
