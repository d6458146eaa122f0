/* test_authz.c: the access decision for every role against targets in and out of scope */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/xalloc.h"
#include "domain/authz.h"

#define CITY "/440100000000/"
#define BAIYUN CITY "440111000000/"
#define SANYUANLI BAIYUN "440111002000/"
#define SHILIUQIAO SANYUANLI "440111002011/"
#define FEIE SANYUANLI "440111002001/"
#define YUEXIU CITY "440104000000/"
#define SHENZHEN "/440300000000/440304000000/"

static struct principal one(enum role role, const char *path, int64_t unit)
{
	struct principal p;

	memset(&p, 0, sizeof(p));
	p.account_id = 1;
	p.ngrants = 1;
	p.grants[0].role = role;
	str_copy(p.grants[0].region_path, sizeof(p.grants[0].region_path), path);
	p.grants[0].unit_id = unit;
	return p;
}

static bool at(const struct principal *p, enum action a, const char *path)
{
	struct target t = { path, 0 };

	return authz_allows(p, a, &t);
}

static void admin_everywhere(void **state)
{
	struct principal p = one(ROLE_ADMIN, "", 0);

	(void)state;
	for (int a = 0; a < ACT_COUNT; a++) {
		assert_true(at(&p, (enum action)a, SHILIUQIAO));
		assert_true(at(&p, (enum action)a, SHENZHEN));
	}
}

static void org_sees_its_subtree_only(void **state)
{
	struct principal p = one(ROLE_ORG, SANYUANLI, 0);

	(void)state;
	assert_true(at(&p, ACT_UNIT_WRITE, SANYUANLI));
	assert_true(at(&p, ACT_UNIT_WRITE, SHILIUQIAO));
	assert_false(at(&p, ACT_UNIT_WRITE, BAIYUN)); /* its parent */
	assert_false(at(&p, ACT_UNIT_WRITE, YUEXIU));
	assert_true(at(&p, ACT_AUDIT_READ, FEIE));
	assert_false(at(&p, ACT_AUDIT_READ, YUEXIU));
	assert_false(at(&p, ACT_REGION_EDIT, SHILIUQIAO)); /* grids are the community's */
	assert_false(at(&p, ACT_HOUSEHOLD, SHILIUQIAO)); /* who lives where: the community's staff only */
}

static void staff_edits_its_community_and_reads_units_of_its_city(void **state)
{
	struct principal p = one(ROLE_STAFF, SHILIUQIAO, 0);

	(void)state;
	assert_true(at(&p, ACT_REGION_EDIT, SHILIUQIAO));
	assert_true(at(&p, ACT_REGION_EDIT, SHILIUQIAO "440111002011001/"));
	assert_false(at(&p, ACT_REGION_EDIT, FEIE));
	assert_false(at(&p, ACT_REGION_EDIT, SANYUANLI));
	assert_true(at(&p, ACT_UNIT_READ, YUEXIU));
	assert_false(at(&p, ACT_UNIT_READ, SHENZHEN));
	assert_false(at(&p, ACT_UNIT_WRITE, SHILIUQIAO));
	assert_false(at(&p, ACT_AUDIT_READ, SHILIUQIAO));
	assert_true(at(&p, ACT_HOUSEHOLD, SHILIUQIAO "440111002011001/"));
	assert_false(at(&p, ACT_HOUSEHOLD, FEIE));
}

static void unit_reads_only_itself(void **state)
{
	struct principal p = one(ROLE_UNIT, "", 7);
	struct target mine = { BAIYUN, 7 }, other = { BAIYUN, 8 };

	(void)state;
	assert_true(authz_allows(&p, ACT_UNIT_READ, &mine));
	assert_false(authz_allows(&p, ACT_UNIT_READ, &other));
	assert_false(authz_allows(&p, ACT_UNIT_WRITE, &mine));
	assert_false(at(&p, ACT_AUDIT_READ, BAIYUN));
}

static void members_and_residents_get_no_admin_action(void **state)
{
	struct principal m = one(ROLE_MEMBER, SHILIUQIAO, 0), r = one(ROLE_RESIDENT, SHILIUQIAO, 0);

	(void)state;
	for (int a = 0; a < ACT_COUNT; a++) {
		/* The one thing a member does with others' data: pick an employer from the city's units. */
		if (a != ACT_UNIT_PICK)
			assert_false(at(&m, (enum action)a, SHILIUQIAO));
		assert_false(at(&r, (enum action)a, SHILIUQIAO));
	}
	assert_true(at(&m, ACT_UNIT_PICK, YUEXIU));
	assert_false(at(&m, ACT_UNIT_PICK, SHENZHEN));
}

static void prefix_is_by_whole_codes(void **state)
{
	/* "/4401000000001/" must not pass as inside "/440100000000/" by a loose prefix. */
	struct principal p = one(ROLE_ORG, SANYUANLI, 0);

	(void)state;
	assert_false(at(&p, ACT_UNIT_READ, BAIYUN "4401110020001/"));
	assert_false(at(&p, ACT_UNIT_READ, ""));
	assert_false(at(&p, ACT_UNIT_READ, NULL));
}

static void grants_add_up_and_scope_lists_them(void **state)
{
	struct principal p = one(ROLE_STAFF, SHILIUQIAO, 0);
	struct scope s;

	(void)state;
	p.grants[1] = p.grants[0];
	p.grants[1].role = ROLE_ORG;
	str_copy(p.grants[1].region_path, PATH_MAX_LEN, YUEXIU);
	p.ngrants = 2;
	assert_int_equal(principal_roles(&p), ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_ORG));
	authz_scope(&p, ACT_UNIT_READ, &s);
	assert_false(s.all);
	/* Staff read the city's units, org those of 越秀区 inside it: one path covers both. */
	assert_int_equal(s.npaths, 1);
	assert_string_equal(s.paths[0], CITY);
	authz_scope(&p, ACT_UNIT_WRITE, &s);
	assert_int_equal(s.npaths, 1);
	assert_string_equal(s.paths[0], YUEXIU);
	assert_true(at(&p, ACT_UNIT_WRITE, YUEXIU "440104001000/"));
	assert_false(at(&p, ACT_UNIT_WRITE, SHILIUQIAO));
}

static void role_names_round_trip(void **state)
{
	enum role r;

	(void)state;
	for (int i = 0; i < ROLE_COUNT; i++) {
		assert_int_equal(role_parse(role_name((enum role)i), &r), 0);
		assert_int_equal(r, i);
	}
	assert_int_equal(role_parse("root", &r), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(admin_everywhere),
		cmocka_unit_test(org_sees_its_subtree_only),
		cmocka_unit_test(staff_edits_its_community_and_reads_units_of_its_city),
		cmocka_unit_test(unit_reads_only_itself),
		cmocka_unit_test(members_and_residents_get_no_admin_action),
		cmocka_unit_test(prefix_is_by_whole_codes),
		cmocka_unit_test(grants_add_up_and_scope_lists_them),
		cmocka_unit_test(role_names_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
