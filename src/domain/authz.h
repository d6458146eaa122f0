/* authz.h: roles, scopes, and the one function that decides every access */
#ifndef DOMAIN_AUTHZ_H
#define DOMAIN_AUTHZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum role { ROLE_ADMIN, ROLE_ORG, ROLE_STAFF, ROLE_UNIT, ROLE_MEMBER, ROLE_RESIDENT, ROLE_COUNT };

#define ROLE_BIT(r) (1u << (r))
#define ROLES_ANY ((1u << ROLE_COUNT) - 1)

#define PATH_MAX_LEN 160
#define GRANTS_MAX 8

const char *role_name(enum role r);
/* 0 and *out set when s names a role; -1 otherwise. */
int role_parse(const char *s, enum role *out);

/* One role assignment: a region node for org/staff/member/resident, a unit for unit, nothing for admin. */
struct grant {
	enum role role;
	char region_code[24];
	char region_path[PATH_MAX_LEN]; /* "/440100000000/440111000000/.../" */
	int64_t unit_id;
	bool pending; /* waiting for its community to confirm it: shown, but it gives no rights yet */
};

/* Who is asking: the account and all its grants. */
struct principal {
	int64_t account_id;
	bool must_change_password; /* signed in with a one-time code: nothing else until it is changed */
	size_t ngrants;
	struct grant grants[GRANTS_MAX];
};

enum action {
	ACT_REGION_EDIT, /* create, rename, remove grids and buildings */
	ACT_UNIT_READ,
	ACT_UNIT_WRITE,
	ACT_AUDIT_READ,
	ACT_MEMBER_READ, /* member files and their report-ins */
	ACT_MEMBER_ENTER, /* type in a member's report-in (代录) or register a unit's members (整建制报到) */
	ACT_MEMBER_REVEAL, /* see a member's ID number in clear, with a reason */
	ACT_REG_DECIDE, /* approve, reject, record a leave */
	ACT_AGREEMENT_READ,
	ACT_AGREEMENT_WRITE,
	ACT_ROSTER, /* read and upload a unit's roster */
	ACT_UNIT_PICK, /* find one's own employer among the city's units, by name only */
	ACT_ACCOUNT_MEMBER, /* open, reset, disable a member's account (at its community, or of its unit) */
	ACT_ACCOUNT_RESIDENT, /* the same for a resident's, and confirm a resident who signed up */
	ACT_ACCOUNT_STAFF, /* the same for community staff */
	ACT_ACCOUNT_UNIT, /* the same for a unit's administrator (at the unit's place) */
	ACT_ACCOUNT_ORG, /* the same for an organisation department's or an administrator's */
	ACT_CATALOG_EDIT, /* add, edit, retire the catalogue items of a district or street (the default list: admin) */
	ACT_SERVE_READ, /* see a place's posts, teams, activities and records in the console */
	ACT_SERVE_MANAGE, /* run them: define posts, teams, activities; approve claims, sign-ups' leaves; take attendance */
	ACT_RECORD_CONFIRM, /* confirm (盖章), reject or correct the community's service records */
	ACT_ACTIVITY_UNIT, /* a unit organises an activity with a partner community (共驻共建) */
	ACT_STANDING_READ, /* see a region's rankings and the point rules that govern it */
	ACT_RULE_EDIT, /* add a version of the point rules of a city, district or street (the default: admin) */
	ACT_HOUSEHOLD, /* keep the households of a community's buildings and who lives there (its staff) */
	ACT_CARE, /* keep the care register of a community, its pairings and visits, reveal its sealed fields (its staff) */
	ACT_DUTY, /* run a community's duty rosters: posts, shifts, assignments, swaps, closing (its staff) */
	ACT_DELIBERATION, /* run a community's deliberations (居民议事): create, open, close, paper votes, who voted what (its staff) */
	ACT_COUNT,
};

/* What is touched: its place in the region tree, and/or the unit it belongs to. */
struct target {
	const char *region_path; /* NULL when the target has no place */
	int64_t unit_id; /* 0 when none */
};

#define SCOPE_MAX 8

/* Where an action is allowed: everywhere, under some region paths (none inside another), for some units. */
struct scope {
	bool all;
	size_t npaths;
	char paths[SCOPE_MAX][PATH_MAX_LEN];
	size_t nunits;
	int64_t units[SCOPE_MAX];
};

/* The scope p has for action a (lists filter by it). */
void authz_scope(const struct principal *p, enum action a, struct scope *out);
/* Whether p may do a to t: the single decision every route goes through. */
bool authz_allows(const struct principal *p, enum action a, const struct target *t);
/* Bit set of the roles p holds (not counting grants still pending). */
unsigned principal_roles(const struct principal *p);

#endif
