/* notify.c: the caller's inbox and preferences, a community's group robot, the outbox's state (docs/notify.md) */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "base/clock.h"
#include "base/valid.h"
#include "domain/notify.h"
#include "domain/region.h"

#define PAGE_MAX 100

/* --- the inbox ---------------------------------------------------------------------------------------------- */

static json_t *notification_json(const struct notification *x)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:b, s:I}", "id", (json_int_t)x->id, "kind", x->kind, "title",
			 x->title, "body", x->body, "link", x->link, "created_at", (json_int_t)x->created_at, "read",
			 x->read_at != 0, "read_at", (json_int_t)x->read_at);
}

/* GET /me/notifications?before=ID&limit=N&unread=1: newest first, keyset paged by id; the unread count. */
void me_notifications(struct call *c)
{
	int64_t before = 0, limit = 20, unread_only = 0, unread;
	struct notification *items;
	size_t n;
	json_t *arr;

	if (call_int_or_reply(c, "before", 1, INT64_MAX, &before) < 0 ||
	    call_int_or_reply(c, "limit", 1, PAGE_MAX, &limit) < 0 ||
	    call_int_or_reply(c, "unread", 0, 1, &unread_only) < 0)
		return;
	if (notify_inbox(c->db, c->actor.account_id, before, (size_t)limit, unread_only, &items, &n, &unread) < 0) {
		reply_internal(c, "reading the inbox");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, notification_json(&items[i]));
	reply_json(c, 200, json_pack("{s:o, s:I, s:o}", "items", arr, "unread", (json_int_t)unread, "next_before",
				     n == (size_t)limit ? json_integer(items[n - 1].id) : json_null()));
	free(items);
}

/* POST /me/notifications/{id}/read: one's own only; another's is 404, as one that is not there. */
void me_notifications_read(struct call *c)
{
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return;
	rc = notify_read(c->db, c->actor.account_id, id, clock_now());
	if (rc == 1)
		reply_problem(c, 404, "not_found", "找不到该消息");
	else if (rc < 0)
		reply_internal(c, "marking a notification read");
	else
		reply_json(c, 200, json_pack("{s:I, s:b}", "id", (json_int_t)id, "read", 1));
}

/* POST /me/notifications/read-all */
void me_notifications_read_all(struct call *c)
{
	int64_t n;

	if (notify_read_all(c->db, c->actor.account_id, clock_now(), &n) < 0)
		reply_internal(c, "marking notifications read");
	else
		reply_json(c, 200, json_pack("{s:I, s:I}", "read", (json_int_t)n, "unread", (json_int_t)0));
}

/* --- preferences -------------------------------------------------------------------------------------------- */

static json_t *kinds_json(const bool on[NOTIFY_KIND_COUNT])
{
	json_t *arr = json_array();

	for (int k = 0; k < NOTIFY_KIND_COUNT; k++)
		if (on[k])
			arr = json_push(arr, json_string(notify_kind_names[k]));
	return arr;
}

static json_t *prefs_json(const struct notify_prefs *p)
{
	json_t *all = json_array();

	for (int k = 0; k < NOTIFY_KIND_COUNT; k++)
		all = json_push(all, json_string(notify_kind_names[k]));
	return json_pack("{s:o, s:o, s:o, s:i, s:i}", "kinds", all, "in_app", kinds_json(p->in_app), "outside",
			 kinds_json(p->outside), "quiet_start", p->quiet_start, "quiet_end", p->quiet_end);
}

/* GET /me/notify-prefs */
void me_notify_prefs_get(struct call *c)
{
	struct notify_prefs p;

	if (notify_prefs_get(c->db, c->actor.account_id, &p) < 0)
		reply_internal(c, "reading notification preferences");
	else
		reply_json(c, 200, prefs_json(&p));
}

struct prefs_body {
	struct str_list in_app, outside;
	long long quiet_start, quiet_end;
};

static const struct spec_field prefs_spec[] = {
	SPEC_LIST(struct prefs_body, in_app, SPEC_STRS, SPEC_REQUIRED, 1, 32, NOTIFY_KIND_COUNT),
	SPEC_LIST(struct prefs_body, outside, SPEC_STRS, SPEC_REQUIRED, 1, 32, NOTIFY_KIND_COUNT),
	SPEC(struct prefs_body, quiet_start, SPEC_INT, SPEC_REQUIRED, 0, 1439),
	SPEC(struct prefs_body, quiet_end, SPEC_INT, SPEC_REQUIRED, 0, 1439),
	{ 0 },
};

/* Sets on[] from the kinds named in list; an unknown name is an error of field. */
static void kinds_read(const struct str_list *list, bool on[NOTIFY_KIND_COUNT], const char *field,
		       struct field_errors *errs)
{
	for (size_t i = 0; i < list->n; i++) {
		int k = notify_kind_of(list->items[i]);

		if (k < 0)
			field_errors_add(errs, field, "enum", "没有这种消息");
		else
			on[k] = true;
	}
}

/* PUT /me/notify-prefs: {in_app: [kind…], outside: [kind…], quiet_start, quiet_end} replaces them all. */
void me_notify_prefs_put(struct call *c)
{
	struct prefs_body b = { 0 };
	struct field_errors errs = { 0 };
	struct notify_prefs p = { 0 };

	if (call_body_read_or_reply(c, prefs_spec, &b, &errs) < 0)
		goto out;
	kinds_read(&b.in_app, p.in_app, "in_app", &errs);
	kinds_read(&b.outside, p.outside, "outside", &errs);
	if (errs.n) {
		reply_errors(c, 422, &errs);
		goto out;
	}
	p.quiet_start = (int)b.quiet_start;
	p.quiet_end = (int)b.quiet_end;
	if (notify_prefs_set(c->db, &c->actor, c->actor.account_id, &p) < 0)
		reply_internal(c, "saving notification preferences");
	else
		reply_json(c, 200, prefs_json(&p));
out:
	spec_release(prefs_spec, &b);
}

/* --- a community's group robot ------------------------------------------------------------------------------ */

/* The community of path parameter 0 that the caller runs (ACT_SERVE_MANAGE); 404 otherwise. */
static int community_or_reply(struct call *c, struct region *r)
{
	const char *code = c->req->params[0];
	int rc = valid_digits(code, 12, 18) ? region_get(c->db, code, r) : REGION_NOT_FOUND;

	if (rc == REGION_OK && (strcmp(r->level, "community") ||
				!authz_allows(&c->who, ACT_SERVE_MANAGE, &(struct target){ r->path, 0 })))
		rc = REGION_NOT_FOUND;
	if (rc == REGION_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该社区");
	else if (rc != REGION_OK)
		reply_internal(c, "reading a community");
	return rc == REGION_OK ? 0 : -1;
}

static json_t *channel_json(const char *code, const struct notify_channel *ch, bool set)
{
	if (!set)
		return json_pack("{s:s, s:b}", "community_code", code, "configured", 0);
	return json_pack("{s:s, s:b, s:s, s:s, s:i, s:i, s:I}", "community_code", code, "configured", 1, "kind", ch->kind,
			 "url_masked", ch->url_masked, "quiet_start", ch->quiet_start, "quiet_end", ch->quiet_end,
			 "updated_at", (json_int_t)ch->updated_at);
}

/* GET /communities/{code}/notify-channel: the URL masked (it holds the robot's key). */
void community_notify_channel_get(struct call *c)
{
	struct notify_channel ch;
	struct region r;
	int rc;

	if (community_or_reply(c, &r) < 0)
		return;
	rc = notify_channel_get(c->db, r.code, &ch);
	if (rc < 0)
		reply_internal(c, "reading a community's robot");
	else
		reply_json(c, 200, channel_json(r.code, &ch, rc == 0));
}

static const char *const channel_kinds[] = { "wecom", "dingtalk", NULL };

struct channel_body {
	char *kind, *url;
	long long quiet_start, quiet_end;
	bool enabled;
};

static const struct spec_field channel_spec[] = {
	SPEC(struct channel_body, enabled, SPEC_BOOL, SPEC_REQUIRED, 0, 0),
	SPEC_CHOICE(struct channel_body, kind, 0, channel_kinds),
	SPEC(struct channel_body, url, SPEC_STR, 0, 1, NOTIFY_URL_MAX),
	SPEC(struct channel_body, quiet_start, SPEC_INT, 0, 0, 1439),
	SPEC(struct channel_body, quiet_end, SPEC_INT, 0, 0, 1439),
	{ 0 },
};

/* PUT /communities/{code}/notify-channel: {enabled, kind, url, quiet_start, quiet_end}; enabled false removes it. */
void community_notify_channel_put(struct call *c)
{
	struct channel_body b = { 0 };
	struct field_errors errs = { 0 };
	struct notify_channel ch;
	struct region r;
	int rc;

	if (community_or_reply(c, &r) < 0 || call_body_read_or_reply(c, channel_spec, &b, &errs) < 0)
		goto out;
	if (b.enabled && !b.kind && !field_errors_has(&errs, "kind"))
		field_errors_add(&errs, "kind", "required", NULL);
	if (b.enabled && !b.url && !field_errors_has(&errs, "url"))
		field_errors_add(&errs, "url", "required", NULL);
	else if (b.enabled && b.url && !notify_url_ok(b.url))
		field_errors_add(&errs, "url", "format", "须为 http:// 或 https:// 开头的机器人地址");
	if (errs.n) {
		reply_errors(c, 422, &errs);
		goto out;
	}
	if (notify_channel_set(c->db, &c->actor, r.code, r.path, b.kind, b.enabled ? b.url : NULL, (int)b.quiet_start,
			       (int)b.quiet_end) < 0) {
		reply_internal(c, "saving a community's robot");
		goto out;
	}
	rc = notify_channel_get(c->db, r.code, &ch);
	if (rc < 0)
		reply_internal(c, "reading a community's robot");
	else
		reply_json(c, 200, channel_json(r.code, &ch, rc == 0));
out:
	spec_release(channel_spec, &b);
}

/* --- the outbox --------------------------------------------------------------------------------------------- */

static void outbox_reply(struct call *c, const char *community)
{
	struct outbox_row *rows;
	int64_t counts[3], limit = 20;
	size_t n;
	json_t *arr;

	if (call_int_or_reply(c, "limit", 1, PAGE_MAX, &limit) < 0)
		return;
	if (notify_outbox_status(c->db, community, (size_t)limit, counts, &rows, &n) < 0) {
		reply_internal(c, "reading the outbox");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:s}", "id", (json_int_t)rows[i].id,
					       "channel", rows[i].channel, "state", rows[i].state, "attempts",
					       (json_int_t)rows[i].attempts, "next_at", (json_int_t)rows[i].next_at,
					       "created_at", (json_int_t)rows[i].created_at, "sent_at",
					       (json_int_t)rows[i].sent_at, "last_error", rows[i].last_error));
	free(rows);
	reply_json(c, 200, json_pack("{s:I, s:I, s:I, s:o}", "pending", (json_int_t)counts[0], "sent",
				     (json_int_t)counts[1], "failed", (json_int_t)counts[2], "items", arr));
}

/* GET /communities/{code}/outbox: its staff (and admin): what its robot was sent; never the text. */
void community_outbox(struct call *c)
{
	struct region r;

	if (community_or_reply(c, &r) == 0)
		outbox_reply(c, r.code);
}

/* GET /outbox: admin: every outside message's state. */
void outbox_list(struct call *c)
{
	outbox_reply(c, NULL);
}
