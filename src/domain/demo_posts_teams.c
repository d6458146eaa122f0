/* demo_posts_teams.c: the demo's posts and teams of 石榴桥社区: 楼栋长 and other posts with holders and claims, two teams */
#include "domain/demo.h"

#include <stdio.h>
#include <string.h>

#include "domain/account.h"
#include "domain/catalog.h"
#include "domain/region.h"

#define STREET "440111002000" /* 三元里街道 */
#define COMMUNITY "440111002011" /* 石榴桥社区 */

struct demo {
	struct db *db;
	struct actor staff, org;
	char *err;
	size_t errlen;
};

static int fail(struct demo *d, const char *what)
{
	snprintf(d->err, d->errlen, "demo: cannot %s", what);
	return -1;
}

/* 三元里街道 adds an item of its own: the memorial of the 1841 resistance is in its streets. */
static int street_item(struct demo *d)
{
	struct catalog_input in = { .category = "activity", .code = "SY01", .name = "红色故事宣讲",
				    .description = "在三元里人民抗英斗争纪念馆为居民、学生讲解红色历史", .sort = 7,
				    .nfields = 1 };
	struct field_errors errs = { 0 };
	struct region street;
	int64_t id;

	str_copy(in.fields[0].name, sizeof(in.fields[0].name), "听众人数");
	in.fields[0].type = FIELD_NUMBER;
	in.fields[0].required = true;
	if (region_get(d->db, STREET, &street) != REGION_OK ||
	    catalog_create(d->db, &d->org, &street, &in, &errs, &id) != CATALOG_OK)
		return fail(d, "add the street's catalogue item");
	return 0;
}

int demo_posts_teams(struct db *db, char *err, size_t errlen)
{
	struct demo d = { .db = db, .err = err, .errlen = errlen };
	struct account staff, org;

	if (account_find(db, "staff", &staff) != ACCOUNT_OK || account_find(db, "org", &org) != ACCOUNT_OK)
		return fail(&d, "find the demo accounts");
	d.staff = (struct actor){ staff.id, "demo" };
	d.org = (struct actor){ org.id, "demo" };
	return street_item(&d);
}
