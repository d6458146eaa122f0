/* household_import.c: rows of a households spreadsheet to a community's dwellings, faults named by row and column, all or nothing */
#include "domain/household_import.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/valid.h"
#include "base/xalloc.h"

enum col { C_BUILDING, C_UNIT, C_FLOOR, C_ROOM, C_OCC, C_PEOPLE, C_NOTE, C_COUNT };

_Static_assert(C_COUNT == HOUSEHOLD_SHEET_COLUMNS, "the header says how many columns a row has");

/* Field names as POST /households names them; lengths as it allows them, in characters. */
static const struct import_column cols[C_COUNT] = {
	[C_BUILDING] = { "楼栋", "building_code", 0, "楼栋名称|楼栋编号|楼号|楼宇|楼栋号" },
	[C_UNIT] = { "单元", "unit_no", HOUSEHOLD_UNIT_MAX, "单元号" },
	[C_FLOOR] = { "楼层", "floor", 0, "层|所在楼层" },
	[C_ROOM] = { "房号", "room", HOUSEHOLD_ROOM_MAX, "房间号|门牌号|户号|房号名称" },
	[C_OCC] = { "住人情况", "occupancy", 0, "居住情况|住户情况|入住情况" },
	[C_PEOPLE] = { "人数", "people", 0, "居住人数|住户人数|人口" },
	[C_NOTE] = { "备注", "note", HOUSEHOLD_NOTE_MAX, "说明" },
};

const char *const household_import_columns[] = { "楼栋", "单元", "楼层", "房号", "住人情况", "人数", "备注", NULL };
const char *const household_import_example[] = { "1栋", "1", "3", "301", "住人", "3", "老两口带孙子", NULL };

/* 住人情况 as the sheet writes it, and the stored word. */
static const struct {
	const char *word, *code;
} occupancies[] = {
	{ "住人", "lived" }, { "空置", "vacant" }, { "未核实", "unknown" },
	{ "lived", "lived" }, { "vacant", "vacant" }, { "unknown", "unknown" },
};

/* A building of the community, and how many dwellings it has and the sheet adds. */
struct building {
	char code[24];
	char name[REGION_TEXT];
	int64_t have, adding;
};

/* A checked row, kept until every row is checked. */
struct plan {
	size_t building; /* index into run.buildings */
	char *unit_no, *room, *note;
	const char *occupancy; /* static */
	bool has_floor;
	int64_t floor, people;
	int64_t id; /* the household updated; 0: a new one */
	bool changes; /* an update that changes something */
};

struct run {
	struct db *db;
	struct import_result *res;
	struct household_import_rows *verdicts;
	bool update;
	struct import_map map;
	struct building *buildings;
	size_t nbuildings;
	struct import_seen places; /* building, unit and room of the rows seen */
	struct plan *plans;
	size_t nplans, cap;
};

#define ERR(run, r, c, code, ...) import_row_error((run)->res, (r), cols, (c), (code), __VA_ARGS__)

static bool given(const struct import_row *r, int c)
{
	return *r->v[c] && !r->bad[c];
}

/* The community's buildings (straight under it or under its grids) with their dwellings counted. */
static int load_buildings(struct run *run, const char *community_code)
{
	struct db_stmt *st = db_prepare(
		run->db, "SELECT b.code, b.name, (SELECT COUNT(*) FROM household h WHERE h.building_code = b.code) "
			 "FROM region b WHERE b.level = 'building' AND (b.parent = ?1 OR b.parent IN "
			 "(SELECT code FROM region WHERE parent = ?1 AND level = 'grid')) ORDER BY b.path");
	size_t cap = 0;
	int rc;

	db_bind_text(st, 1, community_code);
	while ((rc = db_step(st)) == DB_ROW) {
		struct building *b;

		if (run->nbuildings == cap) {
			cap = cap ? cap * 2 : 32;
			run->buildings = xrealloc(run->buildings, cap * sizeof(*run->buildings));
		}
		b = &run->buildings[run->nbuildings++];
		str_copy(b->code, sizeof(b->code), db_col_text(st, 0));
		str_copy(b->name, sizeof(b->name), db_col_text(st, 1));
		b->have = db_col_int(st, 2);
		b->adding = 0;
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* 楼栋: a building of the community by its code or its name (a name two buildings share must be a code). -1: none. */
static long find_building(struct run *run, struct import_row *r)
{
	const char *s = r->v[C_BUILDING];
	long found = -1;
	size_t named = 0;

	if (r->bad[C_BUILDING])
		return -1;
	if (!*s) {
		ERR(run, r, C_BUILDING, "required", "必须填写楼栋（本社区楼栋的名称或编号）");
		return -1;
	}
	for (size_t i = 0; i < run->nbuildings; i++)
		if (!strcmp(run->buildings[i].code, s))
			return (long)i;
	for (size_t i = 0; i < run->nbuildings; i++)
		if (!strcmp(run->buildings[i].name, s)) {
			found = (long)i;
			named++;
		}
	if (named > 1) {
		ERR(run, r, C_BUILDING, "ambiguous", "本社区有 %zu 栋楼都叫“%s”，请改填楼栋编号", named, s);
		return -1;
	}
	if (found < 0)
		ERR(run, r, C_BUILDING, "not_found", "本社区没有这栋楼；请填区划里本社区楼栋的名称或编号，或先在区划中添加这栋楼");
	return found;
}

/* Drops a word people write after a number ("3单元", "1801室", "3层", "3人", "A单元"): only after ASCII letters, digits and '-'. */
static void drop_suffix(char *s, const char *const *words, size_t n)
{
	static const char plain[] = "0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	size_t len = strlen(s);

	for (size_t i = 0; i < n; i++) {
		size_t w = strlen(words[i]);

		if (len > w && !strcmp(s + len - w, words[i]) && strspn(s, plain) >= len - w) {
			s[len - w] = '\0';
			return;
		}
	}
}

/* A whole number as a number cell or text writes it ("3", "-1", "3.0", "3层"); false if it is none. */
static bool whole_number(char *s, const char *const *words, size_t nwords, int64_t *out)
{
	const char *digits = s + (*s == '-');
	size_t n;
	long long v;

	drop_suffix(s, words, nwords);
	n = strspn(digits, "0123456789");
	if (digits[n] == '.' && strspn(digits + n + 1, "0") == strlen(digits + n + 1))
		s[digits - s + n] = '\0';
	if (!n || n > 6 || digits[n] || str_to_ll(s, -999999, 999999, &v) < 0)
		return false;
	*out = v;
	return true;
}

/* The cells read into in (pointing into r); faults of form (not of range) reported. */
static void read_cells(struct run *run, struct import_row *r, struct household_input *in)
{
	static const char *const unit_words[] = { "单元" }, *const room_words[] = { "室", "房" },
				 *const floor_words[] = { "层", "楼", "F", "f" }, *const people_words[] = { "人" };

	memset(in, 0, sizeof(*in));
	if (given(r, C_UNIT))
		drop_suffix(r->v[C_UNIT], unit_words, 1);
	if (given(r, C_ROOM))
		drop_suffix(r->v[C_ROOM], room_words, 2);
	in->unit_no = r->v[C_UNIT];
	in->room = r->v[C_ROOM];
	in->note = r->v[C_NOTE];
	in->occupancy = "unknown";
	if (given(r, C_FLOOR)) {
		if (whole_number(r->v[C_FLOOR], floor_words, 4, &in->floor))
			in->has_floor = true;
		else
			ERR(run, r, C_FLOOR, "format", "应为 -5 到 120 之间的整数（地下一层写 -1）；不知道可留空");
	}
	if (given(r, C_PEOPLE) && !whole_number(r->v[C_PEOPLE], people_words, 1, &in->people))
		ERR(run, r, C_PEOPLE, "format", "应为 0 到 %d 之间的整数；不知道可留空", HOUSEHOLD_PEOPLE_MAX);
	if (given(r, C_OCC)) {
		in->occupancy = NULL;
		for (size_t i = 0; i < sizeof(occupancies) / sizeof(occupancies[0]) && !in->occupancy; i++)
			if (!strcmp(r->v[C_OCC], occupancies[i].word))
				in->occupancy = occupancies[i].code;
		if (!in->occupancy) {
			in->occupancy = "unknown";
			ERR(run, r, C_OCC, "invalid", "应为 住人、空置 或 未核实；不知道可留空（记为未核实）");
		}
	}
}

/* household_check's faults, each on its column unless that cell was named already. */
static void check_input(struct run *run, struct import_row *r, const struct household_input *in)
{
	struct field_errors *errs = xcalloc(1, sizeof(*errs));

	household_check(in, errs);
	for (size_t i = 0; i < errs->n; i++)
		for (int c = 0; c < C_COUNT; c++)
			if (!strcmp(errs->items[i].field, cols[c].field) && !r->bad[c]) {
				if (c == C_ROOM && !strcmp(errs->items[i].code, "required"))
					ERR(run, r, c, "required", "必须填写房号");
				else if (!strcmp(errs->items[i].code, "too_long"))
					ERR(run, r, c, "too_long", "最多 %zu 个字", cols[c].max);
				else
					ERR(run, r, c, errs->items[i].code, "%s", errs->items[i].message);
			}
	free(errs);
}

/* The household at building, unit and room (*id, 0 if none) and which fields the row changes in it (','-joined). -1 on a storage error. */
static int existing(struct run *run, const struct building *b, const struct household_input *in, int64_t *id,
		    char *fields, size_t n)
{
	struct db_stmt *st = db_prepare(run->db, "SELECT id, floor, occupancy, people, note FROM household "
						 "WHERE building_code = ? AND unit_no = ? AND room = ?");
	int rc;

	*id = 0;
	*fields = '\0';
	db_bind_text(st, 1, b->code);
	db_bind_text(st, 2, in->unit_no);
	db_bind_text(st, 3, in->room);
	rc = db_step(st);
	if (rc == DB_ROW) {
		bool had_floor = !db_col_null(st, 1);
		const char *names[4];
		size_t k = 0;

		*id = db_col_int(st, 0);
		if (had_floor != in->has_floor || (had_floor && db_col_int(st, 1) != in->floor))
			names[k++] = "floor";
		if (strcmp(db_col_text(st, 2), in->occupancy))
			names[k++] = "occupancy";
		if (db_col_int(st, 3) != in->people)
			names[k++] = "people";
		if (strcmp(db_col_text(st, 4), in->note))
			names[k++] = "note";
		for (size_t i = 0; i < k; i++)
			snprintf(fields + strlen(fields), n - strlen(fields), "%s%s", i ? "," : "", names[i]);
	}
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

static void plan_add(struct run *run, size_t building, const struct household_input *in, int64_t id, bool changes)
{
	struct plan *p;

	if (run->nplans == run->cap) {
		run->cap = run->cap ? run->cap * 2 : 64;
		run->plans = xrealloc(run->plans, run->cap * sizeof(*run->plans));
	}
	p = &run->plans[run->nplans++];
	*p = (struct plan){ building,     xstrdup(in->unit_no), xstrdup(in->room), xstrdup(in->note), in->occupancy,
			    in->has_floor, in->floor,	      in->people,	 id,		     changes };
}

static void plans_free(struct run *run)
{
	for (size_t i = 0; i < run->nplans; i++) {
		free(run->plans[i].unit_no);
		free(run->plans[i].room);
		free(run->plans[i].note);
	}
	free(run->plans);
}

static void copy_fitting(char *dst, size_t n, const char *s)
{
	if (strlen(s) < n)
		memcpy(dst, s, strlen(s) + 1);
}

static void verdict_add(struct run *run, const struct import_row *r, long b, const struct household_input *in,
			char verdict, int64_t id)
{
	struct household_import_rows *v = run->verdicts;
	struct household_import_row *x;

	if (!v)
		return;
	if (v->n % 256 == 0)
		v->items = xrealloc(v->items, (v->n + 256) * sizeof(*v->items));
	x = &v->items[v->n++];
	memset(x, 0, sizeof(*x));
	x->row = r->row;
	x->verdict = verdict;
	x->id = id;
	/* The cells as written when they fit (a cell too long is shown by its fault, not cut mid-character). */
	copy_fitting(x->building_name, sizeof(x->building_name), b >= 0 ? run->buildings[b].name : r->v[C_BUILDING]);
	copy_fitting(x->unit_no, sizeof(x->unit_no), in->unit_no);
	copy_fitting(x->room, sizeof(x->room), in->room);
}

/* One data row checked; planned when valid. -1 on a storage error. */
static int check_row(struct run *run, struct import_row *r)
{
	struct household_input in;
	long b = find_building(run, r);
	int64_t id = 0;
	char key[256], fields[64] = "";
	size_t first;

	read_cells(run, r, &in);
	check_input(run, r, &in);
	if (b >= 0 && !r->bad[C_UNIT] && !r->bad[C_ROOM]) {
		struct building *bd = &run->buildings[b];

		snprintf(key, sizeof(key), "%s|%s|%s", bd->code, in.unit_no, in.room);
		if ((first = import_seen_put(&run->places, key, r->row)))
			ERR(run, r, C_ROOM, "duplicate", "与第 %zu 行是同一户（同一楼栋、单元和房号）；每户只写一行", first);
		else if (existing(run, bd, &in, &id, fields, sizeof(fields)) < 0)
			return -1;
		else if (id && !run->update)
			ERR(run, r, C_ROOM, "exists",
			    "%s%s%s的 %s 已经登记过；要按表格修改已登记的户，请勾选“更新已登记的户”后再导入", bd->name,
			    in.unit_no, *in.unit_no ? "单元" : "", in.room);
		else if (!id && !r->any_error && bd->have + bd->adding >= HOUSEHOLD_BUILDING_MAX)
			ERR(run, r, C_ROOM, "full", "一栋楼最多登记 %d 户，%s 已有 %" PRId64 " 户，表格又新增了 %" PRId64 " 户",
			    HOUSEHOLD_BUILDING_MAX, bd->name, bd->have, bd->adding);
		else if (!id && !r->any_error)
			bd->adding++;
	}
	if (r->any_error) {
		verdict_add(run, r, b, &in, HV_INVALID, 0);
		return 0;
	}
	run->res->valid++;
	if (!id)
		run->res->create++;
	else
		import_note_change(run->res, r->row, id, fields);
	verdict_add(run, r, b, &in, !id ? HV_CREATE : *fields ? HV_UPDATE : HV_SAME, id);
	plan_add(run, (size_t)b, &in, id, *fields != '\0');
	return 0;
}

/* Every data row checked; the valid ones planned. -1 on a storage error. */
static int check_rows(struct run *run, const struct sheet *sh)
{
	struct import_result *res = run->res;
	int rc = 0;

	for (size_t i = 1; i < sh->nrows && rc >= 0; i++) {
		struct import_row r;

		import_row_read(res, cols, C_COUNT, &run->map, sh, i, &r);
		if (r.filled) {
			res->rows++;
			if (res->rows > HOUSEHOLD_IMPORT_MAX) {
				import_row_release(&r, C_COUNT);
				break;
			}
			rc = check_row(run, &r);
		}
		import_row_release(&r, C_COUNT);
	}
	return rc;
}

/* Writes one planned row: a new household, or the changes of one. -1 on a storage error. */
static int write_plan(struct db *db, const struct actor *who, const char *community, const struct run *run,
		      const struct plan *p, int64_t now)
{
	struct db_stmt *st;
	int rc;

	if (p->id && !p->changes)
		return 0;
	if (p->id) {
		st = db_prepare(db, "UPDATE household SET floor = ?, occupancy = ?, people = ?, note = ?, updated_at = ? "
				    "WHERE id = ?");
		db_bind_int(st, 6, p->id);
	} else {
		st = db_prepare(db, "INSERT INTO household (floor, occupancy, people, note, updated_at, created_at, "
				    "community_code, building_code, unit_no, room, created_by) "
				    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
		db_bind_int(st, 6, now);
		db_bind_text(st, 7, community);
		db_bind_text(st, 8, run->buildings[p->building].code);
		db_bind_text(st, 9, p->unit_no);
		db_bind_text(st, 10, p->room);
		if (who->account_id)
			db_bind_int(st, 11, who->account_id);
		else
			db_bind_null(st, 11);
	}
	if (p->has_floor)
		db_bind_int(st, 1, p->floor);
	else
		db_bind_null(st, 1);
	db_bind_text(st, 2, p->occupancy);
	db_bind_int(st, 3, p->people);
	db_bind_text(st, 4, p->note);
	db_bind_int(st, 5, now);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int household_import(struct db *db, const struct actor *who, const struct sheet *sh, const char *community_code,
		     const char *community_path, bool update, bool commit, struct import_result *out,
		     struct household_import_rows *verdicts)
{
	struct run run = { .db = db, .res = out, .verdicts = verdicts, .update = update };
	const int64_t now = clock_now();
	size_t written = 0;
	char detail[32];
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (verdicts)
		*verdicts = (struct household_import_rows){ 0, NULL };
	if (sh->nrows)
		import_map_header(&run.map, cols, C_COUNT, &sh->rows[0]);
	if (!run.map.have[C_BUILDING] || !run.map.have[C_ROOM]) {
		import_error_add(out, 1, NULL, "missing_column", "第一行缺少“%s”列，请使用导入模板",
				 run.map.have[C_BUILDING] ? cols[C_ROOM].header : cols[C_BUILDING].header);
		return 0;
	}
	/* Checked and written in one transaction: what the check saw is what is written. */
	if (commit && db_begin(db) < 0)
		return -1;
	rc = load_buildings(&run, community_code);
	if (rc >= 0)
		rc = check_rows(&run, sh);
	if (rc >= 0 && out->rows > HOUSEHOLD_IMPORT_MAX) {
		/* The sheet must be split anyway: its one fault, not those of its first rows. */
		import_result_release(out);
		out->rows = HOUSEHOLD_IMPORT_MAX + 1;
		if (verdicts) {
			free(verdicts->items);
			*verdicts = (struct household_import_rows){ 0, NULL };
		}
		import_error_add(out, 1, NULL, "too_many", "一次最多导入 %d 户，这个表格超过了；请分成几个表格导入",
				 HOUSEHOLD_IMPORT_MAX);
	}
	if (rc >= 0 && !out->rows)
		import_error_add(out, 2, NULL, "required", "表格里没有住户：第一行是列名，从第二行起每行一户");
	if (commit) {
		if (rc >= 0 && !out->nerrors) {
			for (size_t i = 0; i < run.nplans && rc >= 0; i++) {
				const struct plan *p = &run.plans[i];

				rc = write_plan(db, who, community_code, &run, p, now);
				written += !p->id || p->changes;
			}
			snprintf(detail, sizeof(detail), "count %zu", written);
			if (rc >= 0 && audit_append_detail(db, who, "household.import", "region", community_code,
							   community_path, "ok", detail) < 0)
				rc = -1;
			if (rc >= 0 && db_commit(db) < 0)
				rc = -1;
			else if (rc >= 0)
				out->written = written;
			if (rc < 0)
				db_rollback(db);
		} else {
			db_rollback(db);
		}
	}
	plans_free(&run);
	free(run.buildings);
	import_seen_release(&run.places);
	if (rc < 0 && verdicts) {
		free(verdicts->items);
		*verdicts = (struct household_import_rows){ 0, NULL };
	}
	return rc < 0 ? -1 : 0;
}
