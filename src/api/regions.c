/* regions.c: the region tree: read by everyone signed in, grids and buildings edited by their community */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/out.h"
#include "base/valid.h"
#include "domain/region.h"

static json_t *items_json(const struct region *items, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, region_json(&items[i]));
	return json_pack("{s:o}", "items", arr);
}

/* The node named by path parameter 0; 404 when there is none. */
static int node_or_reply(struct call *c, struct region *out)
{
	const char *code = c->req->params[0];
	int rc = valid_digits(code, 12, 18) ? region_get(c->db, code, out) : REGION_NOT_FOUND;

	if (rc == REGION_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该区划");
	else if (rc != REGION_OK)
		reply_internal(c, "reading a region");
	return rc == REGION_OK ? 0 : -1;
}

static void reply_list(struct call *c, int rc, struct region *items, size_t n)
{
	if (rc != REGION_OK)
		reply_internal(c, "listing regions");
	else
		reply_json(c, 200, items_json(items, n));
	free(items);
}

void regions_list(struct call *c)
{
	struct region *items = NULL;
	const char *q;
	int64_t limit = 20;
	size_t n;
	json_t *arr;

	if (call_query_or_reply(c, "q", 40, &q) < 0)
		return;
	if (!q) {
		int rc = region_roots(c->db, &items, &n);

		reply_list(c, rc, items, n);
		return;
	}
	if (call_int_or_reply(c, "limit", 1, 50, &limit) < 0)
		return;
	if (region_search(c->db, q, NULL, (int)limit, &items, &n) != REGION_OK) {
		reply_internal(c, "searching regions");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = region_json(&items[i]), *names = region_path_names(c->db, &items[i]);

		if (!names) {
			json_decref(o);
			json_decref(arr);
			free(items);
			reply_internal(c, "reading ancestors");
			return;
		}
		json_object_set_new(o, "path_names", names);
		arr = json_push(arr, o);
	}
	free(items);
	reply_json(c, 200, json_pack("{s:o}", "items", arr));
}

void regions_get(struct call *c)
{
	struct region r;

	if (node_or_reply(c, &r) == 0)
		reply_json(c, 200, region_json(&r));
}

void regions_children(struct call *c)
{
	struct region r, *items = NULL;
	size_t n = 0;

	if (node_or_reply(c, &r) < 0)
		return;
	int rc = region_children(c->db, r.code, &items, &n);
	reply_list(c, rc, items, n);
}

void regions_ancestors(struct call *c)
{
	struct region r, *items = NULL;
	size_t n = 0;

	if (node_or_reply(c, &r) < 0)
		return;
	int rc = region_ancestors(c->db, &r, &items, &n);
	reply_list(c, rc, items, n);
}

struct name_body {
	char *name;
};

static const struct spec_field name_spec[] = {
	SPEC(struct name_body, name, SPEC_STR, SPEC_REQUIRED, 1, REGION_NAME_MAX),
	{ 0 },
};

/* Answers the outcome of an edit that did not succeed. */
static void reply_edit_error(struct call *c, int rc)
{
	switch (rc) {
	case REGION_BAD_LEVEL:
		reply_problem(c, 422, "validation", "只能在社区下建网格、在网格下建楼栋，也只能改名或删除网格和楼栋");
		break;
	case REGION_DUPLICATE:
		reply_field(c, 409, "name", "duplicate", "同级已有同名的网格或楼栋");
		break;
	case REGION_IN_USE:
		reply_problem(c, 409, "conflict", "还有下级区划或其他数据引用它，不能删除");
		break;
	case REGION_FULL:
		reply_problem(c, 409, "conflict", "下级区划已满 999 个");
		break;
	default:
		reply_internal(c, "editing a region");
	}
}

/* Loads the node, checks the caller may edit there, and reads the name body when wanted. */
static int edit_or_reply(struct call *c, struct region *r, struct name_body *b)
{
	struct target t;

	if (node_or_reply(c, r) < 0)
		return -1;
	t = (struct target){ r->path, 0 };
	if (call_allow_or_reply(c, ACT_REGION_EDIT, &t) < 0)
		return -1;
	return b ? call_body_or_reply(c, name_spec, b) : 0;
}

void regions_create(struct call *c)
{
	struct region parent, child;
	struct name_body b = { 0 };
	int rc;

	if (edit_or_reply(c, &parent, &b) < 0)
		return;
	rc = region_create_child(c->db, &c->actor, &parent, b.name, &child);
	if (rc == REGION_OK)
		reply_json(c, 201, region_json(&child));
	else
		reply_edit_error(c, rc);
	spec_release(name_spec, &b);
}

void regions_rename(struct call *c)
{
	struct region node, renamed;
	struct name_body b = { 0 };
	int rc;

	if (edit_or_reply(c, &node, &b) < 0)
		return;
	rc = region_rename(c->db, &c->actor, &node, b.name, &renamed);
	if (rc == REGION_OK)
		reply_json(c, 200, region_json(&renamed));
	else
		reply_edit_error(c, rc);
	spec_release(name_spec, &b);
}

void regions_delete(struct call *c)
{
	struct region node;
	int rc;

	if (edit_or_reply(c, &node, NULL) < 0)
		return;
	rc = region_delete(c->db, &c->actor, &node);
	if (rc == REGION_OK)
		reply_json(c, 204, NULL);
	else
		reply_edit_error(c, rc);
}
