/* demo.c: the demo data set: Guangzhou, units in 白云区, one account per role in 三元里街道 */
#include "domain/demo.h"
#include "domain/demo_care.h"

#include <stdio.h>
#include <string.h>

#include "domain/account.h"
#include "domain/region.h"
#include "domain/unit.h"

#define STREET "440111002000" /* 三元里街道 */
#define COMMUNITY "440111002011" /* 石榴桥社区 */

static const struct {
	const char *name, *org, *type, *region, *contact, *phone;
} units[] = {
	{ "白云区教育局", "中共白云区教育局机关委员会", "organ", "440111000000", "陈主任", "020-86000001" },
	{ "三元里街社区卫生服务中心", "中共三元里街社区卫生服务中心支部委员会", "institution", STREET, "黄医生",
	  "13800001001" },
	{ "广州白云供电服务中心", "中共广州白云供电服务中心委员会", "soe", "440111000000", "林书记",
	  "13800001002" },
	{ "穗云科技有限公司", "中共穗云科技有限公司支部委员会", "nonpublic", STREET, "周经理", "13800001003" },
};

static const struct {
	const char *login, *name, *phone, *role, *region;
	int unit; /* index into units + 1, for role unit */
} accounts[] = {
	{ "org", "三元里街道党工委组织委员", "13800000002", "org", STREET, 0 },
	{ "staff", "石榴桥社区党委 李社工", "13800000003", "staff", COMMUNITY, 0 },
	{ "unit", "三元里街社区卫生服务中心 党务专干", "13800000004", "unit", NULL, 2 },
	{ "member", "王党员", "13800000005", "member", COMMUNITY, 0 },
	{ "resident", "张阿姨", "13800000006", "resident", COMMUNITY, 0 },
};

static int already_loaded(struct db *db)
{
	struct account a;

	return account_find(db, "staff", &a) == ACCOUNT_OK;
}

int demo_load(struct db *db, const char *regions_dir, bool base_only, char *err, size_t errlen)
{
	const struct actor cli = { 0, "cli" };
	struct region_counts counts;
	int64_t unit_ids[sizeof(units) / sizeof(units[0])];

	if (already_loaded(db))
		return 1;
	if (region_import(db, &cli, regions_dir, "4401", &counts, err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		struct unit u = { 0 };
		struct region r;

		if (region_get(db, units[i].region, &r) != REGION_OK) {
			snprintf(err, errlen, "region %s missing", units[i].region);
			return -1;
		}
		snprintf(u.name, sizeof(u.name), "%s", units[i].name);
		snprintf(u.party_org_name, sizeof(u.party_org_name), "%s", units[i].org);
		snprintf(u.type, sizeof(u.type), "%s", units[i].type);
		snprintf(u.region_code, sizeof(u.region_code), "%s", r.code);
		snprintf(u.region_path, sizeof(u.region_path), "%s", r.path);
		snprintf(u.contact_name, sizeof(u.contact_name), "%s", units[i].contact);
		snprintf(u.contact_phone, sizeof(u.contact_phone), "%s", units[i].phone);
		if (unit_create(db, &cli, &u) != UNIT_OK) {
			snprintf(err, errlen, "cannot create unit %s", units[i].name);
			return -1;
		}
		unit_ids[i] = u.id;
	}
	for (size_t i = 0; i < sizeof(accounts) / sizeof(accounts[0]); i++) {
		enum role role;
		int64_t id;

		role_parse(accounts[i].role, &role);
		if (account_create(db, &cli, accounts[i].login, accounts[i].name, accounts[i].phone, DEMO_PASSWORD,
				   &id) != ACCOUNT_OK ||
		    account_grant(db, &cli, id, role, accounts[i].region,
				  accounts[i].unit ? unit_ids[accounts[i].unit - 1] : 0) != ACCOUNT_OK) {
			snprintf(err, errlen, "cannot create account %s (does it exist already?)", accounts[i].login);
			return -1;
		}
	}
	if (!base_only && (demo_community(db, unit_ids, err, errlen) < 0 || demo_posts_teams(db, err, errlen) < 0 ||
			   demo_activities(db, err, errlen) < 0 || demo_records(db, err, errlen) < 0 ||
			   demo_earning(db, err, errlen) < 0 ||
			   demo_certificates(db, err, errlen) < 0 ||
			   demo_publication(db, err, errlen) < 0 ||
			   demo_timebank(db, err, errlen) < 0 || demo_feedback(db, err, errlen) < 0 ||
			   demo_lists(db, err, errlen) < 0 || demo_needs(db, err, errlen) < 0 ||
			   demo_households(db, err, errlen) < 0 || demo_care(db, err, errlen) < 0 ||
			   demo_campaigns(db, err, errlen) < 0 || demo_cases(db, err, errlen) < 0 ||
			   demo_deliberations(db, err, errlen) < 0))
		return -1;
	if (audit_record(db, &cli, "demo.load", "region", "440100000000", "", "ok") < 0) {
		snprintf(err, errlen, "cannot write the audit log");
		return -1;
	}
	return 0;
}
