/* case_photos.c: photos of a case (list_photo.c's, as a need's): with the report by its reporter or staff, of the work by staff */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/cases.h"
#include "api/handlers.h"
#include "domain/list_photo.h"

/* Who may add or remove the case's photos of stage: with the report, its reporter and staff; of the work, staff. */
static bool photo_writer(const struct case_seat *s, const char *stage)
{
	return !strcmp(stage, "ask") ? s->reporter || s->manages : s->manages;
}

static const char *const stages[] = { "ask", "done", NULL };

static void photo_error(struct call *c, const char *stage, int rc)
{
	char msg[64];

	if (rc == PHOTO_FULL) {
		snprintf(msg, sizeof(msg), "最多 %d 张照片",
			 stage && !strcmp(stage, "done") ? LIST_PHOTO_CASE_DONE : LIST_PHOTO_CASE_ASK);
		reply_field(c, 409, "file", "too_many", msg);
	} else if (rc == PHOTO_BAD_STATE)
		reply_field(c, 409, "stage", "conflict", "问题当前的状态不能再改这类照片，请刷新后再看");
	else
		reply_photo_error(c, rc);
}

/* POST /cases/{id}/photos?stage=ask|done: the image's bytes as the body. */
void cases_photo_add(struct call *c)
{
	struct case_file *k;
	struct case_seat s;
	struct list_photo p;
	const char *stage;
	char url[96];
	int rc;

	if (case_or_reply(c, &k, &s) < 0)
		return;
	if (call_choice_or_reply(c, "stage", stages, &stage) < 0)
		;
	else if (!stage)
		reply_query(c, "stage", "required", "请注明照片类别：ask（反映时）或 done（处理中）");
	else if (!photo_writer(&s, stage))
		reply_problem(c, 403, "forbidden", "没有权限进行此操作");
	else if ((rc = list_photo_add(c->db, &c->actor, LIST_PHOTO_CASE, k->id, stage, c->req->body.data,
				      c->req->body.len, &p)) != PHOTO_OK)
		photo_error(c, stage, rc);
	else {
		snprintf(url, sizeof(url), "/api/v1/cases/%" PRId64 "/photos/%" PRId64, k->id, p.id);
		reply_json(c, 201, json_pack("{s:I, s:s, s:i, s:i, s:s, s:s+}", "id", (json_int_t)p.id, "stage", p.stage,
					     "width", p.width, "height", p.height, "url", url, "thumb_url", url, "/thumb"));
	}
	free(k);
}

void cases_photo_remove(struct call *c)
{
	struct case_file *k;
	struct case_seat s;
	struct list_photo p;
	int64_t photo_id;
	int rc;

	if (case_or_reply(c, &k, &s) < 0)
		return;
	if (call_id_or_reply(c, 1, &photo_id) < 0)
		;
	else if ((rc = list_photo_get(c->db, LIST_PHOTO_CASE, k->id, photo_id, &p)) != PHOTO_OK)
		photo_error(c, NULL, rc);
	else if (!photo_writer(&s, p.stage))
		reply_problem(c, 403, "forbidden", "没有权限进行此操作");
	else if ((rc = list_photo_remove(c->db, &c->actor, LIST_PHOTO_CASE, k->id, photo_id)) != PHOTO_OK)
		photo_error(c, p.stage, rc);
	else
		reply_json(c, 204, NULL);
	free(k);
}

static void photo_serve(struct call *c, bool thumb)
{
	struct case_file *k;
	struct case_seat s;
	int64_t photo_id;
	uint64_t size = 0;
	int fd = -1, rc;

	if (case_or_reply(c, &k, &s) < 0)
		return;
	if (call_id_or_reply(c, 1, &photo_id) == 0) {
		rc = list_photo_open(c->db, LIST_PHOTO_CASE, k->id, photo_id, thumb, &fd, &size);
		if (rc != PHOTO_OK)
			reply_photo_error(c, rc);
		else {
			c->resp->status = 200;
			c->resp->content_type = "image/jpeg";
			c->resp->fd = fd;
			c->resp->fd_size = size;
			resp_header(c->resp, "Cache-Control", "private, max-age=86400");
		}
	}
	free(k);
}

void cases_photo_get(struct call *c)
{
	photo_serve(c, false);
}

void cases_photo_thumb(struct call *c)
{
	photo_serve(c, true);
}

