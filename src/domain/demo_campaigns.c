/* demo_campaigns.c: the demo's door-to-door campaign: 垃圾分类入户宣传 over 石榴桥社区's 1栋–3栋, 陈建国 half way up 1栋 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/account.h"
#include "domain/campaign.h"
#include "domain/demo.h"

#define SHILIUQIAO "440111002011"

static int fail(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "demo: cannot %s", what);
	return -1;
}

/* One id from sql binding text a (NULL: none), or 0. */
static int64_t one_id(struct db *db, const char *sql, const char *a)
{
	struct db_stmt *st = db_prepare(db, sql);
	int64_t id = 0;

	if (a)
		db_bind_text(st, 1, a);
	if (db_step(st) == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	return id;
}

/* The building called name in 石榴桥社区, into code. */
static int building(struct db *db, const char *name, char code[24])
{
	struct db_stmt *st = db_prepare(db, "SELECT b.code FROM region b JOIN region g ON g.code = b.parent WHERE "
					    "g.parent = '" SHILIUQIAO "' AND b.level = 'building' AND b.name = ?");
	int rc;

	db_bind_text(st, 1, name);
	rc = db_step(st);
	if (rc == DB_ROW)
		snprintf(code, 24, "%s", db_col_text(st, 0));
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

int demo_campaigns(struct db *db, char *err, size_t errlen)
{
	static const char *const names[] = { "1栋", "2栋", "3栋" };
	struct campaign_stretch *stretches = NULL;
	struct campaign_door *doors = NULL;
	struct field_errors errs = { 0 };
	struct campaign_input in = { 0 };
	struct account staff, chen;
	char codes[3][24], from[11], to[11];
	const char *list[3] = { codes[0], codes[1], codes[2] };
	size_t added, n = 0, nd = 0;
	int64_t id, walker;
	int rc = 0;

	if (account_find(db, "staff", &staff) != ACCOUNT_OK || account_find(db, "13800001011", &chen) != ACCOUNT_OK)
		return fail(err, errlen, "find the demo staff and 陈建国");
	const struct actor who = { staff.id, "cli" }, member = { chen.id, "cli" };
	for (size_t i = 0; i < 3; i++)
		if (building(db, names[i], codes[i]) < 0)
			return fail(err, errlen, "find 1栋–3栋");
	walker = one_id(db, "SELECT m.id FROM member m JOIN account a ON a.id = m.account_id WHERE a.login = ?",
			"13800001011");
	in.item_id = one_id(db, "SELECT id FROM catalog_item WHERE code = 'A03' AND region_code IS NULL", NULL);
	if (!walker || !in.item_id)
		return fail(err, errlen, "find 陈建国 and the item 入户宣传");
	clock_date(clock_now() - 3 * 86400, from);
	clock_date(clock_now() + 27 * 86400, to);
	in.region_code = SHILIUQIAO;
	in.title = "垃圾分类入户宣传";
	in.description = "每户发放垃圾分类宣传册，讲清四分类和定时定点投放，了解家里常住几口人。";
	in.starts_on = from;
	in.ends_on = to;
	in.nfields = 2;
	snprintf(in.fields[0].name, sizeof(in.fields[0].name), "常住人数");
	in.fields[0].type = FIELD_NUMBER;
	in.fields[0].required = true;
	snprintf(in.fields[1].name, sizeof(in.fields[1].name), "是否知晓分类");
	in.fields[1].type = FIELD_CHOICE;
	snprintf(in.fields[1].choices, sizeof(in.fields[1].choices), "知晓\n不知晓");
	if (campaign_create(db, &who, &in, &errs, &id) != CAMPAIGN_OK ||
	    campaign_add_buildings(db, &who, id, list, 3, false, &errs, &added) != CAMPAIGN_OK ||
	    campaign_publish(db, &who, id) != CAMPAIGN_OK || campaign_stretches(db, id, &stretches, &n) != CAMPAIGN_OK ||
	    n != 3)
		return fail(err, errlen, "start the campaign");
	/* 陈建国 walks 1栋 (he lives there): the top two floors done, one door nobody home. */
	rc = campaign_assign(db, &who, stretches[0].id, walker, &errs) != CAMPAIGN_OK ||
	     campaign_doors(db, stretches[0].id, &doors, &nd) != CAMPAIGN_OK;
	for (size_t i = 0; i < nd && i < 8 && !rc; i++) {
		const char *names2[] = { "常住人数", "是否知晓分类" };
		const char *values[] = { i % 3 ? "3" : "2", i % 4 ? "知晓" : "不知晓" };
		const struct campaign_mark_input m = { id, doors[i].household_id, walker, i == 5 ? MARK_ABSENT : MARK_VISITED,
						      "", i == 5 ? 0 : 2, names2, values };
		int64_t mark_id;

		rc = campaign_mark(db, &member, &m, &errs, &mark_id) != CAMPAIGN_OK;
	}
	free(doors);
	free(stretches);
	return rc ? fail(err, errlen, "walk 1栋") : 0;
}
