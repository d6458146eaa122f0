/* authz.c: the policy table (action × role → scope rule) and the decision made from region paths */
#include "domain/authz.h"

#include <string.h>

#include "base/xalloc.h"

enum rule {
	NONE, /* never */
	ALL, /* everywhere */
	SUBTREE, /* the grant's node and everything under it */
	CITY, /* everything in the city of the grant's node */
	OWN_UNIT, /* the grant's unit */
};

static const char *const names[ROLE_COUNT] = { "admin", "org", "staff", "unit", "member", "resident" };

/* Read it as: row = action, column = role, in the order of enum role. */
static const enum rule policy[ACT_COUNT][ROLE_COUNT] = {
	/*                 admin  org      staff    unit      member resident */
	[ACT_REGION_EDIT] = { ALL, NONE, SUBTREE, NONE, NONE, NONE },
	[ACT_UNIT_READ] = { ALL, SUBTREE, CITY, OWN_UNIT, NONE, NONE },
	[ACT_UNIT_WRITE] = { ALL, SUBTREE, NONE, NONE, NONE, NONE },
	[ACT_AUDIT_READ] = { ALL, SUBTREE, NONE, NONE, NONE, NONE },
	[ACT_MEMBER_READ] = { ALL, SUBTREE, SUBTREE, OWN_UNIT, NONE, NONE },
	[ACT_MEMBER_ENTER] = { ALL, NONE, SUBTREE, OWN_UNIT, NONE, NONE },
	[ACT_MEMBER_REVEAL] = { ALL, SUBTREE, SUBTREE, NONE, NONE, NONE },
	[ACT_REG_DECIDE] = { ALL, NONE, SUBTREE, NONE, NONE, NONE },
	[ACT_AGREEMENT_READ] = { ALL, SUBTREE, SUBTREE, OWN_UNIT, NONE, NONE },
	[ACT_AGREEMENT_WRITE] = { ALL, SUBTREE, SUBTREE, NONE, NONE, NONE },
	[ACT_ROSTER] = { ALL, SUBTREE, NONE, OWN_UNIT, NONE, NONE },
	[ACT_UNIT_PICK] = { ALL, NONE, NONE, NONE, CITY, NONE },
	[ACT_ACCOUNT_MEMBER] = { ALL, NONE, SUBTREE, OWN_UNIT, NONE, NONE },
	[ACT_ACCOUNT_RESIDENT] = { ALL, NONE, SUBTREE, NONE, NONE, NONE },
	[ACT_ACCOUNT_STAFF] = { ALL, SUBTREE, NONE, NONE, NONE, NONE },
	[ACT_ACCOUNT_UNIT] = { ALL, SUBTREE, NONE, NONE, NONE, NONE },
	[ACT_ACCOUNT_ORG] = { ALL, NONE, NONE, NONE, NONE, NONE },
	[ACT_CATALOG_EDIT] = { ALL, SUBTREE, NONE, NONE, NONE, NONE },
	[ACT_SERVE_READ] = { ALL, SUBTREE, SUBTREE, OWN_UNIT, NONE, NONE },
	[ACT_SERVE_MANAGE] = { ALL, SUBTREE, SUBTREE, NONE, NONE, NONE },
	[ACT_RECORD_CONFIRM] = { ALL, NONE, SUBTREE, NONE, NONE, NONE },
	[ACT_ACTIVITY_UNIT] = { ALL, NONE, NONE, OWN_UNIT, NONE, NONE },
	[ACT_STANDING_READ] = { ALL, SUBTREE, SUBTREE, NONE, NONE, NONE },
	[ACT_RULE_EDIT] = { ALL, SUBTREE, NONE, NONE, NONE, NONE },
	[ACT_HOUSEHOLD] = { ALL, NONE, SUBTREE, NONE, NONE, NONE },
	[ACT_CARE] = { ALL, NONE, SUBTREE, NONE, NONE, NONE },
	[ACT_DUTY] = { ALL, NONE, SUBTREE, NONE, NONE, NONE },
	[ACT_DELIBERATION] = { ALL, NONE, SUBTREE, NONE, NONE, NONE },
};

const char *role_name(enum role r)
{
	return r < ROLE_COUNT ? names[r] : "?";
}

int role_parse(const char *s, enum role *out)
{
	for (int i = 0; i < ROLE_COUNT; i++) {
		if (!strcmp(s, names[i])) {
			*out = (enum role)i;
			return 0;
		}
	}
	return -1;
}

unsigned principal_roles(const struct principal *p)
{
	unsigned bits = 0;

	for (size_t i = 0; i < p->ngrants; i++)
		if (!p->grants[i].pending)
			bits |= ROLE_BIT(p->grants[i].role);
	return bits;
}

/* Adds a path unless one there covers it; paths it covers go (no path of a scope lies inside another). */
static void add_path(struct scope *s, const char *path, size_t len)
{
	if (len == 0 || len >= PATH_MAX_LEN)
		return;
	for (size_t i = 0; i < s->npaths; i++)
		if (!strncmp(path, s->paths[i], strlen(s->paths[i])))
			return;
	for (size_t i = 0; i < s->npaths;)
		if (strlen(s->paths[i]) > len && !strncmp(s->paths[i], path, len))
			memcpy(s->paths[i], s->paths[--s->npaths], PATH_MAX_LEN);
		else
			i++;
	if (s->npaths == SCOPE_MAX)
		return;
	memcpy(s->paths[s->npaths], path, len);
	s->paths[s->npaths][len] = '\0';
	s->npaths++;
}

void authz_scope(const struct principal *p, enum action a, struct scope *out)
{
	memset(out, 0, sizeof(*out));
	if (a >= ACT_COUNT)
		return;
	for (size_t i = 0; i < p->ngrants; i++) {
		const struct grant *g = &p->grants[i];

		if (g->pending)
			continue;
		switch (policy[a][g->role]) {
		case NONE:
			break;
		case ALL:
			out->all = true;
			break;
		case SUBTREE:
			add_path(out, g->region_path, strlen(g->region_path));
			break;
		case CITY: {
			/* "/440100000000/..." → "/440100000000/" */
			const char *end = g->region_path[0] == '/' ? strchr(g->region_path + 1, '/') : NULL;

			if (end)
				add_path(out, g->region_path, (size_t)(end - g->region_path) + 1);
			break;
		}
		case OWN_UNIT:
			if (g->unit_id && out->nunits < SCOPE_MAX)
				out->units[out->nunits++] = g->unit_id;
			break;
		}
	}
}

bool authz_allows(const struct principal *p, enum action a, const struct target *t)
{
	struct scope s;

	authz_scope(p, a, &s);
	if (s.all)
		return true;
	if (t->region_path && t->region_path[0])
		for (size_t i = 0; i < s.npaths; i++)
			if (!strncmp(t->region_path, s.paths[i], strlen(s.paths[i])))
				return true;
	if (t->unit_id)
		for (size_t i = 0; i < s.nunits; i++)
			if (s.units[i] == t->unit_id)
				return true;
	return false;
}
