/* account_prefs.c: staff set a resident's large-font default (大字模式), reported in the session */
#include <string.h>

#include "api/handlers.h"
#include "domain/account_admin.h"
#include "domain/account_pref.h"

struct large_font_body {
	bool large_font;
};

static const struct spec_field large_font_spec[] = {
	SPEC(struct large_font_body, large_font, SPEC_BOOL, SPEC_REQUIRED, 0, 0),
	{ 0 },
};

/* POST /accounts/{id}/large-font: staff with ACT_ACCOUNT_RESIDENT where the account is a resident; others 404. */
void accounts_large_font(struct call *c)
{
	struct large_font_body b = { 0 };
	struct account_place a;
	const char *path = NULL;
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return;
	rc = account_place_get(c->db, id, &a);
	if (rc == ADMIN_ERROR) {
		reply_internal(c, "reading an account");
		return;
	}
	for (size_t i = 0; rc == ADMIN_OK && !path && i < a.ngrants; i++)
		if (a.grants[i].role == ROLE_RESIDENT &&
		    authz_allows(&c->who, ACT_ACCOUNT_RESIDENT, &(struct target){ a.grants[i].region_path, 0 }))
			path = a.grants[i].region_path;
	if (!path) {
		reply_problem(c, 404, "not_found", "找不到该居民账号");
		return;
	}
	if (call_body_or_reply(c, large_font_spec, &b) < 0)
		return;
	if (account_large_font_set(c->db, &c->actor, id, b.large_font, path) < 0)
		reply_internal(c, "setting large font");
	else
		reply_json(c, 200, json_pack("{s:I, s:b}", "id", (json_int_t)id, "large_font", b.large_font));
}
