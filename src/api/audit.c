/* audit.c: reading the audit log (admin everywhere, org within its subtree) */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/out.h"
#include "base/xalloc.h"
#include "domain/audit.h"

static int time_or_reply(struct call *c, const char *name, int64_t *out)
{
	const char *v = req_query(c->req, name);
	long long t;

	*out = 0;
	if (!v)
		return 0;
	if (str_to_ll(v, 0, 32503680000LL, &t) < 0) {
		reply_field(c, 400, name, "format", "应为 Unix 时间（秒）");
		return -1;
	}
	*out = t;
	return 0;
}

void audit_list_get(struct call *c)
{
	struct audit_filter f = { 0 };
	struct audit_row *rows;
	struct scope scope;
	size_t n;
	int64_t total;
	json_t *arr;

	if (call_query_or_reply(c, "action", 48, &f.action) < 0 || call_query_or_reply(c, "account", 64, &f.account) < 0 ||
	    call_query_or_reply(c, "target_type", 32, &f.target_type) < 0 || time_or_reply(c, "from", &f.from) < 0 ||
	    time_or_reply(c, "to", &f.to) < 0 || call_page_or_reply(c, &f.page, &f.per_page) < 0)
		return;
	authz_scope(&c->who, ACT_AUDIT_READ, &scope);
	if (audit_list(c->db, &scope, &f, &rows, &n, &total) < 0) {
		reply_internal(c, "listing the audit log");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, audit_row_json(&rows[i]));
	free(rows);
	reply_json(c, 200, page_json(arr, total, f.page, f.per_page));
}
