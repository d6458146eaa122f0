/* list_photos.c: photos of needs and micro-wishes: uploaded one per request as the image's bytes, read as the need or wish is */
#include "api/list_photos.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/needs.h"
#include "api/wishes.h"

static const char *const stages[] = { "ask", "done", NULL };

static const char *base_of(enum list_photo_of of)
{
	return of == LIST_PHOTO_NEED ? "/api/v1/needs" : of == LIST_PHOTO_WISH ? "/api/v1/wishes" : "/api/v1/cases";
}

static json_t *photo_json(enum list_photo_of of, int64_t id, const struct list_photo *p)
{
	char url[96];

	snprintf(url, sizeof(url), "%s/%" PRId64 "/photos/%" PRId64, base_of(of), id, p->id);
	return json_pack("{s:I, s:s, s:i, s:i, s:I, s:I, s:s, s:s+}", "id", (json_int_t)p->id, "stage", p->stage, "width",
			 p->width, "height", p->height, "bytes", (json_int_t)p->bytes, "created_at",
			 (json_int_t)p->created_at, "url", url, "thumb_url", url, "/thumb");
}

json_t *list_photos_json(struct db *db, enum list_photo_of of, int64_t id, bool with_done)
{
	struct list_photo *items;
	size_t n;
	json_t *arr;

	if (list_photo_list(db, of, id, &items, &n) != PHOTO_OK)
		return NULL;
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		if (with_done || !strcmp(items[i].stage, "ask"))
			arr = json_push(arr, photo_json(of, id, &items[i]));
	free(items);
	return arr;
}

static void reply_error(struct call *c, enum list_photo_of of, const char *stage, int rc)
{
	char msg[96];

	switch (rc) {
	case PHOTO_FULL:
		if (stage && !strcmp(stage, "done"))
			snprintf(msg, sizeof(msg), "完成时最多 %d 张照片", LIST_PHOTO_DONE);
		else if (of == LIST_PHOTO_NEED)
			snprintf(msg, sizeof(msg), "每个需求最多 %d 张照片", LIST_PHOTO_NEED_ASK);
		else
			snprintf(msg, sizeof(msg), "每个心愿最多 %d 张照片", LIST_PHOTO_WISH_ASK);
		reply_field(c, 409, "file", "too_many", msg);
		break;
	case PHOTO_BAD_STATE:
		reply_field(c, 409, "stage", "conflict",
			    of == LIST_PHOTO_NEED ? "需求当前的状态不能再改这类照片，请刷新后再看"
						  : "心愿当前的状态不能再改这类照片，请刷新后再看");
		break;
	default:
		reply_photo_error(c, rc);
	}
}

/* ?stage=ask|done, required. */
static int stage_or_reply(struct call *c, const char **stage)
{
	if (call_choice_or_reply(c, "stage", stages, stage) < 0)
		return -1;
	if (!*stage) {
		reply_query(c, "stage", "required", "请注明照片类别：ask（提出时）或 done（完成时）");
		return -1;
	}
	return 0;
}

/* Serves an opened photo: its bytes never change under its id, the browser may keep it (for this user, or public). */
static void serve_fd(struct call *c, int rc, int fd, uint64_t size, bool public)
{
	if (rc != PHOTO_OK) {
		reply_photo_error(c, rc);
		return;
	}
	c->resp->status = 200;
	c->resp->content_type = "image/jpeg";
	c->resp->fd = fd;
	c->resp->fd_size = size;
	resp_header(c->resp, "Cache-Control", public ? "public, max-age=300" : "private, max-age=86400");
}

static void reply_added(struct call *c, enum list_photo_of of, int64_t id, const struct list_photo *p)
{
	reply_json(c, 201, photo_json(of, id, p));
}

/* --- needs ------------------------------------------------------------------------------------------------ */

/* Whether the caller sees the inside of the need (its photos): staff in scope, the resident, its holder. */
static bool need_inside(const struct need_seat *s)
{
	return s->staff || s->manages || s->requester || s->holder;
}

/*
 * Who may change the need's photos of stage: what is asked for, the staff who
 * run it and the resident who posted it; what was done, whoever holds it.
 */
static bool need_writer(const struct need_seat *s, const char *stage)
{
	return !strcmp(stage, "ask") ? s->manages || s->requester : s->holder;
}

static int need_seen_or_reply(struct call *c, struct need **n, struct need_seat *s)
{
	if (need_or_reply(c, n, s) < 0)
		return -1;
	if (!need_inside(s)) {
		free(*n);
		*n = NULL;
		reply_problem(c, 404, "not_found", "找不到该照片");
		return -1;
	}
	return 0;
}

void needs_photo_add(struct call *c)
{
	struct need *n;
	struct need_seat s;
	struct list_photo p;
	const char *stage;
	int rc;

	/* The body is the image itself; what it is comes from its bytes, never its name or Content-Type. */
	if (need_seen_or_reply(c, &n, &s) < 0)
		return;
	if (stage_or_reply(c, &stage) == 0) {
		if (!need_writer(&s, stage))
			reply_problem(c, 403, "forbidden", "没有权限进行此操作");
		else if ((rc = list_photo_add(c->db, &c->actor, LIST_PHOTO_NEED, n->id, stage, c->req->body.data,
					      c->req->body.len, &p)) != PHOTO_OK)
			reply_error(c, LIST_PHOTO_NEED, stage, rc);
		else
			reply_added(c, LIST_PHOTO_NEED, n->id, &p);
	}
	free(n);
}

void needs_photo_remove(struct call *c)
{
	struct need *n;
	struct need_seat s;
	struct list_photo p;
	int64_t photo_id;
	int rc;

	if (need_seen_or_reply(c, &n, &s) < 0)
		return;
	if (call_id_or_reply(c, 1, &photo_id) < 0)
		;
	else if ((rc = list_photo_get(c->db, LIST_PHOTO_NEED, n->id, photo_id, &p)) != PHOTO_OK)
		reply_error(c, LIST_PHOTO_NEED, NULL, rc);
	else if (!need_writer(&s, p.stage))
		reply_problem(c, 403, "forbidden", "没有权限进行此操作");
	else if ((rc = list_photo_remove(c->db, &c->actor, LIST_PHOTO_NEED, n->id, photo_id)) != PHOTO_OK)
		reply_error(c, LIST_PHOTO_NEED, p.stage, rc);
	else
		reply_json(c, 204, NULL);
	free(n);
}

static void need_serve(struct call *c, bool thumb)
{
	struct need *n;
	struct need_seat s;
	int64_t photo_id;
	uint64_t size = 0;
	int fd = -1, rc;

	if (need_seen_or_reply(c, &n, &s) < 0)
		return;
	if (call_id_or_reply(c, 1, &photo_id) == 0) {
		rc = list_photo_open(c->db, LIST_PHOTO_NEED, n->id, photo_id, thumb, &fd, &size);
		serve_fd(c, rc, fd, size, false);
	}
	free(n);
}

void needs_photo_get(struct call *c)
{
	need_serve(c, false);
}

void needs_photo_thumb(struct call *c)
{
	need_serve(c, true);
}

/* --- wishes ----------------------------------------------------------------------------------------------- */

/* What is wanted: the staff who run the wish's community; what was done (圆梦): its claimer. */
static bool wish_writer(struct call *c, const struct wish *w, const char *stage)
{
	if (!strcmp(stage, "ask"))
		return authz_allows(&c->who, ACT_SERVE_MANAGE, &(struct target){ w->community_path, 0 });
	return c->actor.account_id && w->claimer_account_id == c->actor.account_id;
}

void wishes_photo_add(struct call *c)
{
	struct wish *w = xmalloc(sizeof(*w));
	struct list_photo p;
	const char *stage;
	int rc;

	if (wish_or_reply(c, false, w) < 0 || stage_or_reply(c, &stage) < 0)
		;
	else if (!wish_writer(c, w, stage))
		reply_problem(c, 403, "forbidden", "没有权限进行此操作");
	else if ((rc = list_photo_add(c->db, &c->actor, LIST_PHOTO_WISH, w->id, stage, c->req->body.data,
				      c->req->body.len, &p)) != PHOTO_OK)
		reply_error(c, LIST_PHOTO_WISH, stage, rc);
	else
		reply_added(c, LIST_PHOTO_WISH, w->id, &p);
	free(w);
}

void wishes_photo_remove(struct call *c)
{
	struct wish *w = xmalloc(sizeof(*w));
	struct list_photo p;
	int64_t photo_id;
	int rc;

	if (wish_or_reply(c, false, w) < 0 || call_id_or_reply(c, 1, &photo_id) < 0)
		;
	else if ((rc = list_photo_get(c->db, LIST_PHOTO_WISH, w->id, photo_id, &p)) != PHOTO_OK)
		reply_error(c, LIST_PHOTO_WISH, NULL, rc);
	else if (!wish_writer(c, w, p.stage))
		reply_problem(c, 403, "forbidden", "没有权限进行此操作");
	else if ((rc = list_photo_remove(c->db, &c->actor, LIST_PHOTO_WISH, w->id, photo_id)) != PHOTO_OK)
		reply_error(c, LIST_PHOTO_WISH, p.stage, rc);
	else
		reply_json(c, 204, NULL);
	free(w);
}

/*
 * A wish's photo: what is wanted, to whoever may see the wish (a member of
 * its city browsing the wall too); what was done, only to those who read it
 * in full (wish_may_read).
 */
static void wish_serve(struct call *c, bool thumb)
{
	struct wish *w = xmalloc(sizeof(*w));
	struct list_photo p;
	int64_t photo_id;
	uint64_t size = 0;
	int fd = -1, rc;

	if (wish_or_reply(c, true, w) < 0 || call_id_or_reply(c, 1, &photo_id) < 0)
		;
	else if ((rc = list_photo_get(c->db, LIST_PHOTO_WISH, w->id, photo_id, &p)) != PHOTO_OK)
		reply_error(c, LIST_PHOTO_WISH, NULL, rc);
	else if (strcmp(p.stage, "ask") && !wish_may_read(c, w))
		reply_problem(c, 404, "not_found", "找不到该照片");
	else {
		rc = list_photo_open(c->db, LIST_PHOTO_WISH, w->id, photo_id, thumb, &fd, &size);
		serve_fd(c, rc, fd, size, false);
	}
	free(w);
}

void wishes_photo_get(struct call *c)
{
	wish_serve(c, false);
}

void wishes_photo_thumb(struct call *c)
{
	wish_serve(c, true);
}

/* GET /public/wishes/{id}/photos/{pid}/thumb: the wall's thumbnail of what is wanted, while the wish is on the wall. */
void public_wish_photo_thumb(struct call *c)
{
	struct wish *w = xmalloc(sizeof(*w));
	struct list_photo p;
	int64_t id, photo_id;
	uint64_t size = 0;
	int fd = -1, rc;

	if (call_id_or_reply(c, 0, &id) < 0 || call_id_or_reply(c, 1, &photo_id) < 0) {
		free(w);
		return;
	}
	rc = wish_get(c->db, id, w);
	if (rc == WISH_OK && strcmp(w->state, "published"))
		rc = WISH_NOT_FOUND;
	if (rc == WISH_OK) {
		rc = list_photo_get(c->db, LIST_PHOTO_WISH, id, photo_id, &p);
		if (rc == PHOTO_OK && strcmp(p.stage, "ask"))
			rc = PHOTO_NOT_FOUND;
		if (rc == PHOTO_OK)
			rc = list_photo_open(c->db, LIST_PHOTO_WISH, id, photo_id, true, &fd, &size);
		serve_fd(c, rc, fd, size, true);
	} else if (rc == WISH_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该照片");
	else
		reply_internal(c, "reading a wish");
	free(w);
}
