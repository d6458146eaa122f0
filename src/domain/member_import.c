/* member_import.c: rows of a members spreadsheet to new or corrected member files, faults named by row and column */
#include "domain/member_import.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/idcard.h"
#include "base/valid.h"
#include "base/xalloc.h"
#include "domain/import_lookup.h"
#include "domain/region.h"

enum col { C_FILE, C_NAME, C_GENDER, C_BIRTH, C_PHONE, C_ID, C_UNIT, C_POSITION, C_BRANCH, C_JOINED, C_COMMUNITY,
	   C_GRID, C_BUILDING, C_ADDRESS, C_SPECIALTIES, C_POSTS, C_PLAQUE, C_PLAQUE_ON, C_STATE, C_COUNT };

_Static_assert(C_COUNT == MEMBER_SHEET_COLUMNS, "the header says how many columns a row has");

/* Lengths as the API's member form allows them, in characters; the old template's headers still found. */
static const struct import_column cols[C_COUNT] = {
	[C_FILE] = { "档案编号", "id", 0, "档案号" },
	[C_NAME] = { "姓名", "name", 50, NULL },
	[C_GENDER] = { "性别", "gender", 0, NULL },
	[C_BIRTH] = { "出生日期", "birth_date", 0, NULL },
	[C_PHONE] = { "手机号", "phone", 0, "手机|手机号码|联系电话" },
	[C_ID] = { "身份证号", "id_number", 0, "身份证|身份证号码|公民身份号码" },
	[C_UNIT] = { "工作单位", "unit_id", 100, "单位" },
	[C_POSITION] = { "职务", "position", 50, NULL },
	[C_BRANCH] = { "所在党支部", "party_branch", 100, "党支部" },
	[C_JOINED] = { "入党日期", "joined_party_on", 0, "入党时间" },
	[C_COMMUNITY] = { "报到社区", "community_code", 100, "社区代码|社区" },
	[C_GRID] = { "网格", "grid_code", REGION_NAME_MAX, "网格代码" },
	[C_BUILDING] = { "楼栋", "building_code", REGION_NAME_MAX, "楼栋代码" },
	[C_ADDRESS] = { "详细地址", "address", 100, "地址|居住地址" },
	[C_SPECIALTIES] = { "特长", "specialties", 200, NULL },
	[C_POSTS] = { "意向岗位", "preferred_posts", 200, NULL },
	[C_PLAQUE] = { "党员户挂牌", "plaque_hung", 0, NULL },
	[C_PLAQUE_ON] = { "挂牌日期", "plaque_on", 0, NULL },
	[C_STATE] = { "状态", "state", 0, "报到状态" },
};

const char *const import_columns[] = { "档案编号", "姓名", "性别", "出生日期", "手机号", "身份证号", "工作单位",
					"职务", "所在党支部", "入党日期", "报到社区", "网格", "楼栋", "详细地址",
					"特长", "意向岗位", "党员户挂牌", "挂牌日期", "状态", NULL };
const char *const import_example[] = { "", "王小明", "男", "1990-03-07", "13800138000", "440111199003071232",
				       "白云区教育局", "科员", "第一党支部", "2012-07-01", "石榴桥社区", "", "",
				       "石榴桥路 1 号 3 栋 201", "医疗、摄影", "", "是", "2024-03-01", "", NULL };

/* The console's words for report-in states (web/src/locales/zh-CN/common.js, reg.state). */
static const char *const state_labels[][2] = {
	{ "pending", "待审核" }, { "approved", "已报到" }, { "rejected", "未通过" },
	{ "withdrawn", "已撤回" }, { "left", "已退出" }, { "transferred", "已转出" },
};

const char *member_state_label(const char *state)
{
	for (size_t i = 0; i < sizeof(state_labels) / sizeof(state_labels[0]); i++)
		if (!strcmp(state, state_labels[i][0]))
			return state_labels[i][1];
	return "";
}

/* One import's state. */
struct run {
	struct db *db;
	const struct actor *who;
	const struct import_defaults *d;
	struct import_result *res;
	struct import_map map;
	struct lookup *lk;
	struct import_seen ids, files;
	int64_t now;
	char today[11];
};

/* What a checked row does. */
struct plan {
	struct member_input in;
	int64_t file_id; /* 0: a new file */
	struct member file; /* the file it corrects */
	char community[LOOKUP_CODE], grid[LOOKUP_CODE], building[LOOKUP_CODE];
	struct buf changed; /* the API names of the fields it changes, ','-joined */
};

#define ERR(run, r, c, code, ...) import_row_error((run)->res, (r), cols, (c), (code), __VA_ARGS__)

static bool given(const struct import_row *r, int c)
{
	return *r->v[c] && !r->bad[c];
}

/* Specialties separated by 、，,；; or spaces become one ','-joined list (in place, never longer). */
static void normalise_tags(char *s)
{
	static const char *const seps[] = { "、", "，", "；", ";", " ", "　" };
	char *w = s;

	for (char *p = s; *p;) {
		size_t len = import_prefix(p, seps, sizeof(seps) / sizeof(seps[0]));

		if (len) {
			*w++ = ',';
			p += len;
		} else {
			*w++ = *p++;
		}
	}
	*w = '\0';
	w = s;
	for (char *p = s; *p; p++)
		if (*p != ',' || (w > s && w[-1] != ','))
			*w++ = *p;
	if (w > s && w[-1] == ',')
		w--;
	*w = '\0';
}

/* Drops the spaces and dashes people group phone digits with: 138-0013-8000, 138 0013 8000. */
static void normalise_phone(char *s)
{
	char *w = s;

	for (char *p = s; *p; p++)
		if (*p != ' ' && *p != '-')
			*w++ = *p;
	*w = '\0';
}

/* Phone faults named as people make them: full-width digits, letters for 0 and 1. */
static void check_phone(struct run *run, struct import_row *r)
{
	const char *s = r->v[C_PHONE];
	size_t n = strlen(s);

	for (const char *p = s; *p; p++) {
		if (!strncmp(p, "\xef\xbc", 2) && (unsigned char)p[2] >= 0x90 && (unsigned char)p[2] <= 0x99) {
			char digit[4] = { p[0], p[1], p[2], '\0' }; /* one whole character: Ｕ+FF10..FF19 */

			ERR(run, r, C_PHONE, "format", "手机号里有全角数字（如“%s”），请改成半角数字 0-9", digit);
			return;
		}
		if (*p == 'O' || *p == 'o') {
			ERR(run, r, C_PHONE, "format", "手机号里有字母“%c”，应为数字 0", *p);
			return;
		}
		if (*p == 'l' || *p == 'I') {
			ERR(run, r, C_PHONE, "format", "手机号里有字母“%c”，应为数字 1", *p);
			return;
		}
	}
	if (strspn(s, "0123456789") != n)
		ERR(run, r, C_PHONE, "format", "手机号只能有数字，应为 11 位手机号，如 13800138000");
	else if (n != 11)
		ERR(run, r, C_PHONE, "format", "应为 11 位手机号，这一格有 %zu 位", n);
	else if (!valid_mobile(s))
		ERR(run, r, C_PHONE, "format", "不是有效的手机号（应以 13-19 开头），如 13800138000");
}

static void check_date(struct run *run, struct import_row *r, int c)
{
	if (!given(r, c))
		return;
	if (!valid_date(r->v[c]))
		ERR(run, r, c, "format", "不是日期；请写成 2010-07-01（也可写 2010/7/1 或 2010年7月1日）");
	else if (strcmp(r->v[c], run->today) > 0)
		ERR(run, r, c, "future", "不能晚于今天（%s）", run->today);
}

/* 'M', 'F', '\0' for an empty cell, '?' for anything else. */
static char gender_of(const char *s)
{
	if (!*s)
		return '\0';
	if (!strcmp(s, "男") || !strcmp(s, "男性") || !strcmp(s, "M"))
		return 'M';
	if (!strcmp(s, "女") || !strcmp(s, "女性") || !strcmp(s, "F"))
		return 'F';
	return '?';
}

/* 1 hung, 0 not (or empty), -1 anything else. */
static int plaque_of(const char *s)
{
	if (!*s || !strcmp(s, "否") || !strcmp(s, "未挂") || !strcmp(s, "无"))
		return 0;
	if (!strcmp(s, "是") || !strcmp(s, "已挂") || !strcmp(s, "有"))
		return 1;
	return -1;
}

/* Whether scope covers a file placed so: reading by any community it reported to or its unit, editing by an open one. */
static bool scope_covers(const struct scope *s, const struct member_place *p, bool editing)
{
	size_t n = editing ? p->nopen : p->npaths;

	if (s->all)
		return true;
	for (size_t i = 0; !editing && i < s->nunits; i++)
		if (p->unit_id && s->units[i] == p->unit_id)
			return true;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < s->npaths; k++)
			if (!strncmp(editing ? p->open_paths[i] : p->paths[i], s->paths[k], strlen(s->paths[k])))
				return true;
	return false;
}

/* 档案编号: the file this row corrects, if the caller may see it. -1 on a storage error. */
static int check_file(struct run *run, struct import_row *r, struct plan *pl)
{
	struct member_place place;
	long long id;
	size_t earlier;
	int rc;

	if (!given(r, C_FILE))
		return 0;
	if (str_to_ll(r->v[C_FILE], 1, INT64_MAX, &id) < 0) {
		ERR(run, r, C_FILE, "format", "档案编号应为数字（导出的表格里有）；新建档案请把这一格留空");
		return 0;
	}
	if ((earlier = import_seen_put(&run->files, r->v[C_FILE], r->row))) {
		ERR(run, r, C_FILE, "duplicate", "与第 %zu 行重复：同一份档案只能有一行", earlier);
		return 0;
	}
	rc = member_place(run->db, id, &place);
	if (rc == MEMBER_ERROR)
		return -1;
	if (rc != MEMBER_OK || !scope_covers(&run->d->read, &place, false)) {
		ERR(run, r, C_FILE, "not_found", "没有编号为 %lld 的档案；新建档案请把这一格留空", id);
		return 0;
	}
	if (member_get(run->db, id, &pl->file) != MEMBER_OK)
		return -1;
	pl->file_id = id;
	return 0;
}

/* Who the member is stays as the file says: a row naming someone else is refused, cell by cell. */
static void check_identity(struct run *run, struct import_row *r, const struct plan *pl)
{
	const struct member *f = &pl->file;
	struct idcard card;

	if (given(r, C_NAME) && strcmp(r->v[C_NAME], f->name))
		ERR(run, r, C_NAME, "immutable", "与档案（编号 %" PRId64 "）的姓名“%s”不同：导入不能改姓名；"
			 "如果档案编号填错了，请改正档案编号", f->id, f->name);
	if (given(r, C_GENDER) && gender_of(r->v[C_GENDER]) != f->gender)
		ERR(run, r, C_GENDER, "immutable", "与档案的性别（%s）不同：性别由身份证号决定，导入不能修改",
		    f->gender == 'M' ? "男" : "女");
	if (given(r, C_BIRTH) && strcmp(r->v[C_BIRTH], f->birth_date))
		ERR(run, r, C_BIRTH, "immutable", "与档案的出生日期（%s）不同：出生日期由身份证号决定，导入不能修改",
		    f->birth_date);
	if (!given(r, C_ID) || !strcmp(r->v[C_ID], f->id_masked))
		return;
	if (idcard_parse(r->v[C_ID], run->now, &card) == IDCARD_OK) {
		int64_t owner;
		int rc = member_find_by_id_number(run->db, card.number, &owner);

		if (rc == MEMBER_OK && owner == f->id)
			return;
	}
	ERR(run, r, C_ID, "immutable", "与档案（编号 %" PRId64 "，身份证号 %s）不符：导入不能改身份证号；"
		 "导出时打码的号码可以原样保留", f->id, f->id_masked);
}

/* 报到社区: a new file's community (staff: their own), or the corrected file's, which stays. */
static int check_community(struct run *run, struct import_row *r, struct plan *pl)
{
	const char *why, *own = run->d->community_code;
	char code[LOOKUP_CODE] = "";
	int rc = LOOKUP_NOT_FOUND;

	if (given(r, C_COMMUNITY) && (rc = lookup_community(run->lk, r->v[C_COMMUNITY], code, &why)) == LOOKUP_ERROR)
		return -1;
	if (pl->file_id) {
		str_copy(pl->community, sizeof(pl->community), pl->file.community_code);
		if (given(r, C_COMMUNITY) && (rc != LOOKUP_OK || strcmp(code, pl->file.community_code)))
			ERR(run, r, C_COMMUNITY, "immutable", "与档案的报到社区（%s）不同：导入不能转社区；"
				 "搬家的党员请本人在手机上向新社区报到，这一格请保留原样", pl->file.community_name);
		return 0;
	}
	if (own) {
		if (given(r, C_COMMUNITY) && (rc != LOOKUP_OK || strcmp(code, own)))
			ERR(run, r, C_COMMUNITY, "forbidden", "只能导入本社区的党员；这一格可以留空");
		else
			str_copy(pl->community, sizeof(pl->community), own);
	} else if (r->bad[C_COMMUNITY]) {
		return 0;
	} else if (!*r->v[C_COMMUNITY]) {
		ERR(run, r, C_COMMUNITY, "required", "必须填写报到社区（社区名称如“石榴桥社区”，或 12 位区划代码）");
	} else if (rc != LOOKUP_OK) {
		ERR(run, r, C_COMMUNITY, rc == LOOKUP_AMBIGUOUS ? "ambiguous" : "not_found", "%s", why);
	} else {
		str_copy(pl->community, sizeof(pl->community), code);
	}
	return 0;
}

/* 网格 and 楼栋 by name (or code) within the row's community. */
static int check_building(struct run *run, struct import_row *r, struct plan *pl)
{
	const char *why;
	int rc;

	if (pl->file_id && !run->map.have[C_BUILDING]) {
		str_copy(pl->building, sizeof(pl->building), pl->file.building_code);
		return 0;
	}
	if (!*pl->community || r->bad[C_GRID] || r->bad[C_BUILDING])
		return 0;
	if (*r->v[C_GRID]) {
		if ((rc = lookup_grid(run->lk, pl->community, r->v[C_GRID], pl->grid, &why)) == LOOKUP_ERROR)
			return -1;
		if (rc != LOOKUP_OK) {
			ERR(run, r, C_GRID, "not_found", "%s", why);
			return 0;
		}
		if (!*r->v[C_BUILDING]) {
			ERR(run, r, C_BUILDING, "required", "填了网格也请填写楼栋（档案记录到楼栋）；不知道楼栋时把网格也留空");
			return 0;
		}
	}
	if (!*r->v[C_BUILDING])
		return 0;
	rc = lookup_building(run->lk, pl->community, pl->grid, r->v[C_BUILDING], pl->building, &why);
	if (rc == LOOKUP_ERROR)
		return -1;
	if (rc != LOOKUP_OK)
		ERR(run, r, C_BUILDING, rc == LOOKUP_AMBIGUOUS ? "ambiguous" : "not_found", "%s", why);
	return 0;
}

/* 工作单位 by name; a unit's own import is always its own. */
static int check_unit(struct run *run, struct import_row *r, struct plan *pl, int64_t *unit_id)
{
	const char *why;
	int rc;

	*unit_id = 0;
	if (run->d->unit_id || (pl->file_id && !run->map.have[C_UNIT])) {
		*unit_id = pl->file_id ? pl->file.unit_id : run->d->unit_id;
		return 0;
	}
	if (!given(r, C_UNIT))
		return 0;
	if ((rc = lookup_unit(run->lk, r->v[C_UNIT], unit_id, &why)) == LOOKUP_ERROR)
		return -1;
	if (rc != LOOKUP_OK)
		ERR(run, r, C_UNIT, "not_found", "%s", why);
	return 0;
}

/* The cell of column c, or the file's value when the sheet has no such column and the row corrects a file. */
static const char *value(const struct run *run, const struct import_row *r, const struct plan *pl, int c,
			 const char *file_value)
{
	return pl->file_id && !run->map.have[c] ? file_value : r->v[c];
}

/* The member form of the row, ready for member_check or member_check_edit. */
static void plan_input(struct run *run, const struct import_row *r, struct plan *pl, int64_t unit_id)
{
	const struct member *f = &pl->file;
	struct member_input *in = &pl->in;
	int hung = plaque_of(value(run, r, pl, C_PLAQUE, f->plaque_hung ? "是" : "否"));

	*in = (struct member_input){
		.name = r->v[C_NAME],
		.gender = gender_of(r->v[C_GENDER]) == 'M' ? "M" : gender_of(r->v[C_GENDER]) == 'F' ? "F" : NULL,
		.phone = r->v[C_PHONE],
		.id_number = r->v[C_ID],
		.unit_id = unit_id,
		.position = value(run, r, pl, C_POSITION, f->position),
		.party_branch = value(run, r, pl, C_BRANCH, f->party_branch),
		.joined_party_on = value(run, r, pl, C_JOINED, f->joined_party_on),
		.community_code = *pl->community ? pl->community : NULL,
		.building_code = *pl->building ? pl->building : NULL,
		.address = value(run, r, pl, C_ADDRESS, f->address),
		.specialties = value(run, r, pl, C_SPECIALTIES, f->specialties),
		.preferred_posts = value(run, r, pl, C_POSTS, f->preferred_posts),
		.plaque_hung = hung == 1,
		.plaque_on = hung == 1 ? value(run, r, pl, C_PLAQUE_ON, f->plaque_on) : "",
	};
}

/* The domain's own rules (member_check, or member_check_edit for a file), for the cells not faulted yet. */
static int check_rules(struct run *run, struct import_row *r, struct plan *pl)
{
	struct field_errors errs = { 0 };
	size_t seeded;
	int rc;

	/* Cells named already are left out: member_check skips a field with an error. */
	for (int c = 0; c < C_COUNT; c++)
		if (r->bad[c])
			field_errors_add(&errs, cols[c].field, "named", "");
	seeded = errs.n;
	rc = pl->file_id ? member_check_edit(run->db, &pl->file, &pl->in, run->now, &errs)
			 : member_check(run->db, &pl->in, run->now, &errs);
	if (rc < 0)
		return -1;
	for (size_t i = seeded; i < errs.n; i++)
		for (int c = 0; c < C_COUNT; c++)
			if (!strcmp(errs.items[i].field, cols[c].field) && !r->bad[c])
				ERR(run, r, c, errs.items[i].code, "%s", errs.items[i].message);
	return 0;
}

/* A new file's ID number: not twice in the sheet, not a file already (named only when the caller may see it). */
static int check_new_person(struct run *run, struct import_row *r)
{
	struct member_place place;
	struct idcard card;
	int64_t existing;
	size_t earlier;
	int rc;

	if (!given(r, C_ID) || idcard_parse(r->v[C_ID], run->now, &card) != IDCARD_OK)
		return 0;
	if ((earlier = import_seen_put(&run->ids, card.number, r->row))) {
		ERR(run, r, C_ID, "duplicate", "与第 %zu 行重复：同一个人只能有一行", earlier);
		return 0;
	}
	rc = member_find_by_id_number(run->db, card.number, &existing);
	if (rc == MEMBER_ERROR)
		return -1;
	if (rc != MEMBER_OK)
		return 0;
	if ((rc = member_place(run->db, existing, &place)) == MEMBER_ERROR)
		return -1;
	if (rc == MEMBER_OK && scope_covers(&run->d->read, &place, false))
		ERR(run, r, C_ID, "duplicate",
		    "此人已有档案（档案编号 %" PRId64 "）；要修改这份档案，请在“档案编号”一列填 %" PRId64, existing, existing);
	else
		ERR(run, r, C_ID, "duplicate", "此人已在其他社区或单位建档，请让本人在手机上报到（或办理转社区）");
	return 0;
}

static void change(struct plan *pl, bool differs, const char *field)
{
	if (differs)
		buf_addf(&pl->changed, "%s%s", pl->changed.len ? "," : "", field);
}

static bool text_differs(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* What a correction changes in the file, as member_update would write it. */
static void plan_changes(struct plan *pl)
{
	const struct member *f = &pl->file;
	const struct member_input *in = &pl->in;

	change(pl, text_differs(in->phone, f->phone), "phone");
	change(pl, in->unit_id != f->unit_id, "unit_id");
	change(pl, text_differs(in->position, f->position), "position");
	change(pl, text_differs(in->party_branch, f->party_branch), "party_branch");
	change(pl, text_differs(in->joined_party_on, f->joined_party_on), "joined_party_on");
	change(pl, text_differs(in->building_code, f->building_code), "building_code");
	change(pl, text_differs(in->address, f->address), "address");
	change(pl, text_differs(in->specialties, f->specialties), "specialties");
	change(pl, text_differs(in->preferred_posts, f->preferred_posts), "preferred_posts");
	change(pl, in->plaque_hung != f->plaque_hung, "plaque_hung");
	change(pl, in->plaque_hung && text_differs(in->plaque_on, f->plaque_on), "plaque_on");
}

/* Normalises what people write differently: dates, tag lists, phone groups, a lower-case x. */
static void row_normalise(struct import_row *r)
{
	import_normalise_date(r->v[C_JOINED]);
	import_normalise_date(r->v[C_PLAQUE_ON]);
	import_normalise_date(r->v[C_BIRTH]);
	normalise_tags(r->v[C_SPECIALTIES]);
	normalise_phone(r->v[C_PHONE]);
	for (char *p = r->v[C_ID]; *p; p++)
		if (*p == 'x')
			*p = 'X';
}

/* The checks of single cells that need nothing stored. */
static void check_cells(struct run *run, struct import_row *r, const struct plan *pl)
{
	for (int c = C_NAME; c <= C_ID; c++)
		if (c != C_GENDER && c != C_BIRTH && !*r->v[c] && !r->bad[c])
			ERR(run, r, c, "required", "必须填写");
	if (given(r, C_PHONE))
		check_phone(run, r);
	check_date(run, r, C_JOINED);
	check_date(run, r, C_PLAQUE_ON);
	check_date(run, r, C_BIRTH);
	if (given(r, C_GENDER) && gender_of(r->v[C_GENDER]) == '?')
		ERR(run, r, C_GENDER, "enum", "应为“男”或“女”");
	if (given(r, C_PLAQUE) && plaque_of(r->v[C_PLAQUE]) < 0)
		ERR(run, r, C_PLAQUE, "enum", "应为“是”或“否”");
	if (pl->file_id || !given(r, C_ID))
		return;
	if (strchr(r->v[C_ID], '*'))
		ERR(run, r, C_ID, "format", "这是打码的身份证号（导出表格里的）；新建档案要填完整的 18 位号码，"
			 "修改已有档案请填“档案编号”");
	else if (strchr(r->v[C_ID], 'E') && strchr(r->v[C_ID], '+'))
		ERR(run, r, C_ID, "format",
		    "身份证号被 Excel 当成了数字（%s），后几位已经丢失；请把这一列设为“文本”后重新输入号码", r->v[C_ID]);
}

/* A new file's birth date, when the sheet gives one, is the ID number's. */
static void check_birth(struct run *run, struct import_row *r, const struct plan *pl)
{
	struct idcard card;
	char birth[11];

	if (pl->file_id || !given(r, C_BIRTH) || !given(r, C_ID) || idcard_parse(r->v[C_ID], run->now, &card) != IDCARD_OK)
		return;
	snprintf(birth, sizeof(birth), "%04d-%02d-%02d", card.year, card.month, card.day);
	if (strcmp(birth, r->v[C_BIRTH]))
		ERR(run, r, C_BIRTH, "mismatch", "与身份证号中的出生日期（%s）不符；出生日期可以留空", birth);
}

/* Checks one row into pl. Returns 1 when it is valid, 0 when not, -1 on a storage error. */
static int check_row(struct run *run, struct import_row *r, struct plan *pl)
{
	int64_t unit_id;

	if (check_file(run, r, pl) < 0)
		return -1;
	row_normalise(r);
	check_cells(run, r, pl);
	if (pl->file_id)
		check_identity(run, r, pl);
	else
		check_birth(run, r, pl);
	if (check_community(run, r, pl) < 0 || check_building(run, r, pl) < 0 || check_unit(run, r, pl, &unit_id) < 0)
		return -1;
	plan_input(run, r, pl, unit_id);
	if (check_rules(run, r, pl) < 0)
		return -1;
	if (!pl->file_id && !r->bad[C_FILE] && check_new_person(run, r) < 0)
		return -1;
	if (r->any_error || !pl->file_id)
		return !r->any_error;
	plan_changes(pl);
	if (pl->changed.len) {
		struct member_place place;

		if (member_place(run->db, pl->file_id, &place) != MEMBER_OK)
			return -1;
		if (!scope_covers(&run->d->edit, &place, true))
			ERR(run, r, C_FILE, "forbidden",
			    "这份档案只能由党员报到社区的工作人员修改；请把这一行改回导出时的样子，或删去这一行");
	}
	return !r->any_error;
}

/* Writes a checked row: a new file with its report-in, or the correction. -1 on a storage error. */
static int write_row(struct run *run, struct plan *pl)
{
	int64_t id, reg;

	if (pl->file_id)
		return pl->changed.len ? member_update(run->db, run->who, pl->file_id, &pl->in, "import") : 0;
	if (member_insert(run->db, run->who, &pl->in, 0, &id) != MEMBER_OK ||
	    registration_submit(run->db, run->who, id, pl->in.community_code, run->d->channel, &reg) != REG_OK)
		return -1;
	return 0;
}

/* Every data row: checked, and with commit written as it passes. -1 on a storage error. */
static int import_rows(struct run *run, const struct sheet *sh, bool commit)
{
	struct import_result *res = run->res;
	struct plan *pl = xcalloc(1, sizeof(*pl));
	int rc = 0;

	for (size_t i = 1; i < sh->nrows && rc >= 0; i++) {
		struct import_row r;

		import_row_read(res, cols, C_COUNT, &run->map, sh, i, &r);
		if (r.filled) {
			buf_release(&pl->changed);
			memset(pl, 0, sizeof(*pl));
			res->rows++;
			rc = check_row(run, &r, pl);
			if (rc > 0) {
				res->valid++;
				if (pl->file_id)
					import_note_change(res, r.row, pl->file_id, buf_str(&pl->changed));
				else
					res->create++;
				if (commit && (pl->changed.len || !pl->file_id)) {
					rc = write_row(run, pl);
					res->written += rc == 0;
				}
			}
		}
		import_row_release(&r, C_COUNT);
	}
	buf_release(&pl->changed);
	free(pl);
	return rc < 0 ? -1 : 0;
}

int member_import(struct db *db, const struct actor *who, const struct sheet *sh, const struct import_defaults *d,
		  bool commit, struct import_result *out)
{
	struct run run = { db, who, d, out, { 0 }, NULL, { 0 }, { 0 }, clock_now(), "" };
	int rc = 0;

	memset(out, 0, sizeof(*out));
	clock_date(run.now, run.today);
	if (sh->nrows)
		import_map_header(&run.map, cols, C_COUNT, &sh->rows[0]);
	for (int c = C_NAME; c <= C_ID; c++)
		if (c != C_GENDER && c != C_BIRTH && !run.map.have[c])
			import_error_add(out, 1, NULL, "missing_column", "第一行缺少“%s”列，请使用导入模板", cols[c].header);
	if (out->nerrors)
		return 0;
	run.lk = lookup_new(db, d->places, &d->units);
	/* Checked and written in one transaction: what the check saw is what is written. */
	if (commit && db_begin(db) < 0) {
		rc = -1;
		goto out;
	}
	rc = import_rows(&run, sh, commit);
	if (commit && (rc < 0 || db_commit(db) < 0)) {
		db_rollback(db);
		out->written = 0;
		rc = -1;
	}
out:
	lookup_free(run.lk);
	import_seen_release(&run.ids);
	import_seen_release(&run.files);
	return rc;
}

struct member_export {
	struct lookup *lk;
	char id[24];
	char specialties[3 * sizeof(((struct member *)0)->specialties)];
};

struct member_export *member_export_new(struct db *db)
{
	struct member_export *x = xcalloc(1, sizeof(*x));

	x->lk = lookup_new(db, "", NULL);
	return x;
}

void member_export_free(struct member_export *x)
{
	if (!x)
		return;
	lookup_free(x->lk);
	free(x);
}

int member_export_row(struct member_export *x, const struct member *m, const char *cells[])
{
	const char *grid = "", *building = "", *community = "";
	char *w = x->specialties;

	if ((*m->community_code && lookup_community_label(x->lk, m->community_code, &community) < 0) ||
	    (*m->building_code && lookup_building_names(x->lk, m->building_code, &grid, &building) < 0))
		return -1;
	snprintf(x->id, sizeof(x->id), "%" PRId64, m->id);
	/* Tags as people list them: 医疗、摄影. */
	for (const char *p = m->specialties; *p; p++) {
		if (*p == ',') {
			memcpy(w, "、", 3);
			w += 3;
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
	cells[C_FILE] = x->id;
	cells[C_NAME] = m->name;
	cells[C_GENDER] = m->gender == 'M' ? "男" : "女";
	cells[C_BIRTH] = m->birth_date;
	cells[C_PHONE] = m->phone;
	cells[C_ID] = m->id_masked;
	cells[C_UNIT] = m->unit_name;
	cells[C_POSITION] = m->position;
	cells[C_BRANCH] = m->party_branch;
	cells[C_JOINED] = m->joined_party_on;
	cells[C_COMMUNITY] = community;
	cells[C_GRID] = grid;
	cells[C_BUILDING] = building;
	cells[C_ADDRESS] = m->address;
	cells[C_SPECIALTIES] = x->specialties;
	cells[C_POSTS] = m->preferred_posts;
	cells[C_PLAQUE] = m->plaque_hung ? "是" : "否";
	cells[C_PLAQUE_ON] = m->plaque_hung ? m->plaque_on : "";
	cells[C_STATE] = member_state_label(m->state);
	return 0;
}
