/* catalog.c: the service catalogue: read by everyone signed in, extended by an org for its region, the default by admin */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "base/buf.h"
#include "base/valid.h"
#include "domain/catalog.h"
#include "domain/region.h"

static json_t *choices_json(const struct catalog_field *f)
{
	json_t *arr = json_array();

	for (const char *p = f->choices; *p;) {
		size_t n = strcspn(p, "\n");

		arr = json_push(arr, json_stringn(p, n));
		p += n + (p[n] == '\n');
	}
	return arr;
}

static json_t *item_json(struct call *c, const struct catalog_item *it)
{
	struct target t = { it->region_path[0] ? it->region_path : NULL, 0 };
	json_t *fields = json_array();
	bool region = it->region_code[0] != '\0';

	for (size_t i = 0; i < it->nfields; i++)
		fields = json_push(fields, json_pack("{s:s, s:s, s:b, s:o}", "name", it->fields[i].name, "type",
						     catalog_field_type_name(it->fields[i].type), "required",
						     it->fields[i].required, "choices", choices_json(&it->fields[i])));
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:s?, s:s?, s:s?, s:b, s:I, s:I, s:I, s:o, s:b}", "id",
			 (json_int_t)it->id, "category", it->category, "code", it->code, "name", it->name, "description",
			 it->description, "specialties", it->specialties, "sort", (json_int_t)it->sort, "region_code", region ? it->region_code : NULL,
			 "region_name", region ? it->region_name : NULL, "region_level", region ? it->region_level : NULL,
			 "retired", it->retired_at != 0, "retired_at", (json_int_t)it->retired_at, "created_at",
			 (json_int_t)it->created_at, "updated_at", (json_int_t)it->updated_at, "fields", fields,
			 "editable", authz_allows(&c->who, ACT_CATALOG_EDIT, &t));
}

void catalog_list_get(struct call *c)
{
	static const char *const truth[] = { "true", "false", NULL };
	const char *code, *category, *retired;
	struct catalog_item it;
	struct region r;
	int64_t *ids = NULL;
	size_t n = 0;
	json_t *arr;
	int rc;

	if (call_query_or_reply(c, "region", 18, &code) < 0 ||
	    call_choice_or_reply(c, "category", catalog_categories, &category) < 0 ||
	    call_choice_or_reply(c, "retired", truth, &retired) < 0)
		return;
	rc = code ? (valid_digits(code, 12, 18) ? region_get(c->db, code, &r) : REGION_NOT_FOUND) : REGION_OK;
	if (rc == REGION_NOT_FOUND) {
		reply_query(c, "region", "not_found", "找不到该区划");
		return;
	}
	if (rc != REGION_OK ||
	    catalog_list(c->db, code ? r.path : NULL, category, retired && !strcmp(retired, "true"), &ids, &n) < 0) {
		reply_internal(c, "listing the catalogue");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n && arr; i++) {
		if (catalog_item_get(c->db, ids[i], &it) != CATALOG_OK) {
			json_decref(arr);
			arr = NULL;
		} else {
			arr = json_push(arr, item_json(c, &it));
		}
	}
	free(ids);
	reply_json(c, 200, arr ? json_pack("{s:o}", "items", arr) : NULL);
}

/* Item {id}; 404 when there is none. */
static int item_or_reply(struct call *c, struct catalog_item *it)
{
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = catalog_item_get(c->db, id, it);
	if (rc == CATALOG_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该服务项目");
	else if (rc != CATALOG_OK)
		reply_internal(c, "reading a catalogue item");
	return rc == CATALOG_OK ? 0 : -1;
}

void catalog_get(struct call *c)
{
	struct catalog_item it;

	if (item_or_reply(c, &it) == 0)
		reply_json(c, 200, item_json(c, &it));
}

struct item_body {
	char *region_code, *category, *code, *name, *description, *specialties;
	long long sort;
};

/* The item's members; a new one names its region first (PUT reads the spec from its second entry). */
static const struct spec_field item_spec[] = {
	SPEC(struct item_body, region_code, SPEC_STR, 0, 0, 18),
	SPEC(struct item_body, category, SPEC_STR, SPEC_REQUIRED, 1, 16),
	SPEC(struct item_body, code, SPEC_STR, SPEC_REQUIRED, 1, CATALOG_CODE_MAX),
	SPEC(struct item_body, name, SPEC_STR, SPEC_REQUIRED, 1, CATALOG_NAME_MAX),
	SPEC(struct item_body, description, SPEC_STR, 0, 0, CATALOG_TEXT_MAX),
	SPEC(struct item_body, specialties, SPEC_STR, 0, 0, MEMBER_TAGS_MAX),
	SPEC(struct item_body, sort, SPEC_INT, 0, 0, CATALOG_SORT_MAX),
	{ 0 },
};

struct field_body {
	char *name, *type;
	bool required;
	struct str_list choices;
};

static const struct spec_field field_spec[] = {
	SPEC(struct field_body, name, SPEC_STR, SPEC_REQUIRED, 1, CATALOG_NAME_MAX),
	SPEC_CHOICE(struct field_body, type, SPEC_REQUIRED, ((const char *const[]){ "text", "number", "date", "choice",
										      "choices", NULL })),
	SPEC(struct field_body, required, SPEC_BOOL, 0, 0, 0),
	SPEC_LIST(struct field_body, choices, SPEC_STRS, 0, 1, CATALOG_CHOICE_MAX, 20),
	{ 0 },
};

void catalog_field_read(json_t *v, size_t i, struct catalog_field *out, struct field_errors *errs)
{
	struct field_errors mine = { 0 };
	struct field_body b = { 0 };
	struct buf joined = BUF_INIT;
	char key[sizeof(errs->items[0].field)];

	if (!json_is_object(v))
		field_errors_add(&mine, "", "type", "应为一个对象：{name, type, required, choices}");
	else {
		/* What was read even when some of it is at fault: the domain's checks then name only what is wrong. */
		spec_read(field_spec, v, &b, &mine);
		str_copy(out->name, sizeof(out->name), b.name ? b.name : "");
		if (b.type)
			catalog_field_type_parse(b.type, &out->type);
		out->required = b.required;
		for (size_t k = 0; k < b.choices.n; k++) {
			if (strpbrk(b.choices.items[k], "\r\n"))
				field_errors_add(&mine, "choices", "format", "选项不能换行");
			buf_addf(&joined, "%s%s", k ? "\n" : "", b.choices.items[k]);
		}
		if (utf8_chars(buf_str(&joined)) > CATALOG_CHOICES_MAX)
			field_errors_add(&mine, "choices", "too_long", "选项合计最多 400 个字");
		else
			str_copy(out->choices, sizeof(out->choices), buf_str(&joined));
	}
	for (size_t k = 0; k < mine.n; k++) {
		snprintf(key, sizeof(key), "fields[%zu]%s%s", i, mine.items[k].field[0] ? "." : "", mine.items[k].field);
		field_errors_add(errs, key, mine.items[k].code, mine.items[k].message);
	}
	buf_release(&joined);
	spec_release(field_spec, &b);
}

/* Whether field, or a part of it (fields[0].choices[1] of fields[0].choices), is at fault in errs. */
static bool faulted(const struct field_errors *errs, const char *field)
{
	size_t n = strlen(field);

	for (size_t i = 0; i < errs->n; i++)
		if (!strncmp(errs->items[i].field, field, n) && strchr("[.", errs->items[i].field[n]))
			return true;
	return false;
}

/*
 * Reads the item body (spec from spec) into b and in: an edit of old, or a new
 * item (old NULL); 422 with every fault, or 4xx for a body that is not JSON.
 */
static int item_body_or_reply(struct call *c, const struct spec_field *spec, const struct catalog_item *old,
			      struct item_body *b, struct catalog_input *in)
{
	struct field_errors errs = { 0 }, more = { 0 };
	json_t *fields;

	memset(in, 0, sizeof(*in));
	if (call_body_read_or_reply(c, spec, b, &errs) < 0)
		return -1;
	fields = serve_body_member(c, "fields", &errs);
	if (fields && (!json_is_array(fields) || json_array_size(fields) > CATALOG_FIELDS_MAX))
		field_errors_add(&errs, "fields", json_is_array(fields) ? "too_long" : "type",
				 json_is_array(fields) ? "最多 8 个附加项" : "应为列表");
	else if (fields)
		for (size_t i = 0; i < json_array_size(fields); i++)
			catalog_field_read(json_array_get(fields, i), i, &in->fields[in->nfields++], &errs);
	json_decref(fields);
	in->category = b->category;
	in->code = b->code;
	in->name = b->name;
	in->description = b->description;
	in->specialties = b->specialties;
	in->sort = b->sort;
	/* The rules of the domain too, but for fields already at fault (or in part): one answer with every fault. */
	if (old)
		catalog_check_fixed(old, in, &more);
	catalog_check_input(in, &more);
	for (size_t i = 0; i < more.n; i++)
		if (!faulted(&errs, more.items[i].field))
			field_errors_add(&errs, more.items[i].field, more.items[i].code, more.items[i].message);
	if (errs.n) {
		reply_errors(c, 422, &errs);
		return -1;
	}
	return 0;
}

/* Answers a write of the catalogue that did not succeed. */
static void reply_catalog_error(struct call *c, int rc, const struct field_errors *errs, int64_t users)
{
	char msg[160];

	switch (rc) {
	case CATALOG_INVALID:
		reply_errors(c, 422, errs);
		break;
	case CATALOG_DUPLICATE:
		reply_errors(c, 409, errs);
		break;
	case CATALOG_NOT_FOUND:
		reply_problem(c, 404, "not_found", "找不到该服务项目");
		break;
	case CATALOG_FULL:
		reply_problem(c, 409, "conflict", "本辖区的服务项目已满 100 个，请先整理（停用的也计在内）");
		break;
	case CATALOG_IN_USE:
		snprintf(msg, sizeof(msg), "还有 %lld 个开放的岗位或未结束的活动使用该服务项目，请先关闭它们再停用",
			 (long long)users);
		reply_problem(c, 409, "conflict", msg);
		break;
	default:
		reply_internal(c, "writing the catalogue");
	}
}

/* 403 unless the caller may edit items of the region at path ("" or NULL: the default list, admin only). */
static int edit_allowed_or_reply(struct call *c, const char *path)
{
	struct target t = { path && *path ? path : NULL, 0 };

	if (authz_allows(&c->who, ACT_CATALOG_EDIT, &t))
		return 0;
	reply_problem(c, 403, "forbidden", t.region_path ? "只能修改本辖区添加的服务项目"
							 : "默认目录只有系统管理员可以修改；请在本辖区添加服务项目");
	return -1;
}

/* Replies with item id as it is now. */
static void reply_item(struct call *c, int status, int64_t id)
{
	struct catalog_item it;

	if (catalog_item_get(c->db, id, &it) != CATALOG_OK)
		reply_internal(c, "reading a catalogue item");
	else
		reply_json(c, status, item_json(c, &it));
}

void catalog_create_post(struct call *c)
{
	struct field_errors errs = { 0 };
	struct item_body b = { 0 };
	struct catalog_input in;
	struct region r;
	bool region = false;
	int64_t id;
	int rc;

	if (item_body_or_reply(c, item_spec, NULL, &b, &in) < 0)
		goto out;
	if (b.region_code && *b.region_code) {
		rc = valid_digits(b.region_code, 12, 18) ? region_get(c->db, b.region_code, &r) : REGION_NOT_FOUND;
		if (rc == REGION_NOT_FOUND) {
			reply_field(c, 422, "region_code", "not_found", "找不到该区划");
			goto out;
		}
		if (rc != REGION_OK) {
			reply_internal(c, "reading a region");
			goto out;
		}
		region = true;
	}
	if (edit_allowed_or_reply(c, region ? r.path : NULL) < 0)
		goto out;
	rc = catalog_create(c->db, &c->actor, region ? &r : NULL, &in, &errs, &id);
	if (rc == CATALOG_OK)
		reply_item(c, 201, id);
	else
		reply_catalog_error(c, rc, &errs, 0);
out:
	spec_release(item_spec, &b);
}

void catalog_update_put(struct call *c)
{
	struct field_errors errs = { 0 };
	struct item_body b = { 0 };
	struct catalog_input in;
	struct catalog_item it;
	int rc;

	if (item_or_reply(c, &it) < 0 || edit_allowed_or_reply(c, it.region_path) < 0 ||
	    item_body_or_reply(c, item_spec + 1, &it, &b, &in) < 0)
		goto out;
	rc = catalog_update(c->db, &c->actor, it.id, &in, &errs);
	if (rc == CATALOG_OK)
		reply_item(c, 200, it.id);
	else
		reply_catalog_error(c, rc, &errs, 0);
out:
	spec_release(item_spec, &b);
}

static void retire(struct call *c, bool retire_it)
{
	struct catalog_item it;
	int64_t users;
	int rc;

	if (item_or_reply(c, &it) < 0 || edit_allowed_or_reply(c, it.region_path) < 0)
		return;
	rc = catalog_retire(c->db, &c->actor, it.id, retire_it, &users);
	if (rc == CATALOG_OK)
		reply_item(c, 200, it.id);
	else
		reply_catalog_error(c, rc, NULL, users);
}

void catalog_retire_post(struct call *c)
{
	retire(c, true);
}

void catalog_restore_post(struct call *c)
{
	retire(c, false);
}
