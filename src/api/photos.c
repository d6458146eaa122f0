/* photos.c: a record's photos: uploaded one per request as the image's bytes, served only to who may see the record */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "api/records.h"
#include "domain/photo.h"

/* Who may add or remove a photo: the member (their own record), staff over its community. */
static int photo_writer_or_reply(struct call *c, struct record *r)
{
	if (record_or_reply(c, r) < 0)
		return -1;
	if (record_is_mine(c, r) || record_is_staffs(c, r))
		return 0;
	reply_problem(c, 403, "forbidden", "没有权限进行此操作");
	return -1;
}

void reply_photo_error(struct call *c, int rc)
{
	switch (rc) {
	case PHOTO_EMPTY:
		reply_field(c, 422, "file", "required", "请选择一张照片");
		break;
	case PHOTO_TOO_LARGE:
		resp_problem(c->resp, 413, "too_large", "照片不能超过 5 MB", NULL);
		break;
	case PHOTO_NOT_IMAGE: {
		struct field_errors errs = { 0 };

		field_errors_add(&errs, "file", "type", "只能上传 JPEG 或 PNG 照片");
		resp_problem(c->resp, 415, "unsupported_media_type", "只能上传 JPEG 或 PNG 照片", &errs);
		break;
	}
	case PHOTO_TOO_MANY_PIXELS:
		reply_field(c, 422, "file", "too_large", "照片尺寸太大：最多 4000 万像素，每边最多 16384 像素");
		break;
	case PHOTO_BROKEN:
		reply_field(c, 422, "file", "format", "照片文件不完整或已损坏，请重新拍摄或选择");
		break;
	case PHOTO_FULL:
		reply_field(c, 409, "file", "too_many", "每条记录最多 3 张照片");
		break;
	case PHOTO_BAD_STATE:
		reply_problem(c, 409, "conflict", "该记录已处理，不能再改照片");
		break;
	case PHOTO_NOT_FOUND:
		reply_problem(c, 404, "not_found", "找不到该照片");
		break;
	case PHOTO_BUSY:
		resp_header(c->resp, "Retry-After", "2");
		reply_problem(c, 503, "busy", "正在处理其他照片，请稍后再试");
		break;
	default:
		reply_internal(c, "storing a photo");
	}
}

void records_photo_add(struct call *c)
{
	struct record r;
	struct photo p;
	char url[96];
	int rc;

	/* The body is the image itself; what it is comes from its bytes, never its name or Content-Type. */
	if (photo_writer_or_reply(c, &r) < 0)
		return;
	rc = photo_add(c->db, &c->actor, r.id, c->req->body.data, c->req->body.len, &p);
	if (rc != PHOTO_OK) {
		reply_photo_error(c, rc);
		return;
	}
	snprintf(url, sizeof(url), "/api/v1/records/%" PRId64 "/photos/%" PRId64, r.id, p.id);
	reply_json(c, 201, json_pack("{s:I, s:i, s:i, s:I, s:I, s:s, s:s+}", "id", (json_int_t)p.id, "width", p.width,
				     "height", p.height, "bytes", (json_int_t)p.bytes, "created_at",
				     (json_int_t)p.created_at, "url", url, "thumb_url", url, "/thumb"));
}

void records_photo_remove(struct call *c)
{
	struct record r;
	int64_t photo_id;
	int rc;

	if (photo_writer_or_reply(c, &r) < 0 || call_id_or_reply(c, 1, &photo_id) < 0)
		return;
	rc = photo_remove(c->db, &c->actor, r.id, photo_id);
	if (rc == PHOTO_OK)
		reply_json(c, 204, NULL);
	else
		reply_photo_error(c, rc);
}

static void serve(struct call *c, bool thumb)
{
	struct record r;
	int64_t photo_id;
	uint64_t size;
	int fd, rc;

	if (record_or_reply(c, &r) < 0 || call_id_or_reply(c, 1, &photo_id) < 0)
		return;
	rc = photo_open(c->db, r.id, photo_id, thumb, &fd, &size);
	if (rc != PHOTO_OK) {
		reply_photo_error(c, rc);
		return;
	}
	/* A photo's bytes never change under its id: the browser may keep it, for this user only. */
	c->resp->status = 200;
	c->resp->content_type = "image/jpeg";
	c->resp->fd = fd;
	c->resp->fd_size = size;
	resp_header(c->resp, "Cache-Control", "private, max-age=86400");
}

void records_photo_get(struct call *c)
{
	serve(c, false);
}

void records_photo_thumb(struct call *c)
{
	serve(c, true);
}
