/* import_lookup.c: names in a members sheet to regions and units, as a community worker writes them, each answer cached */
#include "domain/import_lookup.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/valid.h"
#include "base/xalloc.h"
#include "domain/import.h"
#include "domain/listing.h"

#define SUGGEST_MAX 3
#define SUGGEST_NAMES 200   /* distinct unknown unit names given suggestions in one import */
#define SUGGEST_CHARS 100   /* longest name compared */
#define NAMES_SHOWN 5       /* grids, streets listed in a message */

/* One answer, kept for the rows that ask the same again. */
struct answer {
	int rc;
	char code[LOOKUP_CODE];
	int64_t id;
	char *text;  /* the message (NOT_FOUND, AMBIGUOUS), or a label */
	char *text2; /* a second label (a building's grid) */
};

struct unit_name {
	char *name;
	unsigned *cp;
	size_t n;
};

struct lookup {
	struct db *db;
	const char *places;
	const struct scope *units;
	struct import_seen index; /* key (the kind of look-up and its text) → 1 + its place in answers */
	struct answer *answers;
	size_t nanswers, cap;
	struct unit_name *names; /* the units in reach, loaded at the first unknown name */
	size_t nnames;
	bool names_loaded;
	size_t suggested;
};

struct lookup *lookup_new(struct db *db, const char *places, const struct scope *units)
{
	struct lookup *l = xcalloc(1, sizeof(*l));

	l->db = db;
	l->places = places ? places : "";
	l->units = units;
	return l;
}

void lookup_free(struct lookup *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->nanswers; i++) {
		free(l->answers[i].text);
		free(l->answers[i].text2);
	}
	free(l->answers);
	import_seen_release(&l->index);
	for (size_t i = 0; i < l->nnames; i++) {
		free(l->names[i].name);
		free(l->names[i].cp);
	}
	free(l->names);
	free(l);
}

/* The answer kept for key (which the caller frees), or NULL: then the next answer_keep is key's. */
static struct answer *answer_find(struct lookup *l, char *key)
{
	size_t at = import_seen_put(&l->index, key, l->nanswers + 1);

	free(key);
	return at ? &l->answers[at - 1] : NULL;
}

/* Keeps the answer of the key answer_find did not know; returns it (valid until the next one). */
static struct answer *answer_keep(struct lookup *l, int rc, const char *code, int64_t id, char *text)
{
	struct answer *a;

	if (l->nanswers == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->answers = xrealloc(l->answers, l->cap * sizeof(*l->answers));
	}
	a = &l->answers[l->nanswers++];
	*a = (struct answer){ rc, "", id, text, NULL };
	str_copy(a->code, sizeof(a->code), code ? code : "");
	return a;
}

static int answer_give(const struct answer *a, char code[LOOKUP_CODE], const char **why)
{
	if (code)
		str_copy(code, LOOKUP_CODE, a->code);
	*why = a->rc == LOOKUP_OK || a->rc == LOOKUP_ERROR ? "" : a->text;
	return a->rc;
}

static char *key_of(const char *kind, const char *a, const char *b, const char *c)
{
	struct buf k = BUF_INIT;

	buf_addf(&k, "%s\x1f%s\x1f%s\x1f%s", kind, a ? a : "", b ? b : "", c ? c : "");
	return buf_detach(&k, NULL);
}

/* The text without the spaces and separators people put between a street and a community. */
static char *squeezed(const char *text)
{
	static const char *const drop[] = { " ", "\t", "/", "-", "、", "\xe3\x80\x80" };
	struct buf b = BUF_INIT;

	for (const char *p = text; *p;) {
		size_t n = import_prefix(p, drop, sizeof(drop) / sizeof(drop[0]));

		if (n)
			p += n;
		else
			buf_addch(&b, *p++);
	}
	return buf_detach(&b, NULL);
}

static bool all_digits(const char *s, size_t n)
{
	return strlen(s) == n && strspn(s, "0123456789") == n;
}

/* "a、b、c" of names (at most NAMES_SHOWN, then "等 n 个"), appended to m. */
static void names_list(struct buf *m, char **names, size_t n)
{
	for (size_t i = 0; i < n && i < NAMES_SHOWN; i++)
		buf_addf(m, "%s%s", i ? "、" : "", names[i]);
	if (n > NAMES_SHOWN)
		buf_addf(m, " 等 %zu 个", n);
}

static void names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static void names_push(char ***names, size_t *n, const char *s)
{
	if (*n % 16 == 0)
		*names = xrealloc(*names, (*n + 16) * sizeof(**names));
	(*names)[(*n)++] = xstrdup(s);
}

/* Whether community code lies under the look-up's places. */
static int community_in_reach(struct lookup *l, const char *code, bool *ok)
{
	struct db_stmt *st = db_prepare(l->db, "SELECT path FROM region WHERE code = ? AND level = 'community'");
	int rc;

	*ok = false;
	db_bind_text(st, 1, code);
	rc = db_step(st);
	if (rc == DB_ROW)
		*ok = !strncmp(db_col_text(st, 0), l->places, strlen(l->places));
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

/* A community named text under the places: LOOKUP_OK with its code, or a message in *msg (caller frees). */
static int community_find(struct lookup *l, const char *text, char found[LOOKUP_CODE], char **msg)
{
	char *name = squeezed(text), pattern[PATH_MAX_LEN + 2];
	char **where = NULL, street[256] = "";
	size_t n = 0;
	struct buf m = BUF_INIT;
	struct db_stmt *st;
	int rc;

	snprintf(pattern, sizeof(pattern), "%s%%", l->places);
	st = db_prepare(l->db, "SELECT c.code, d.name || s.name, s.name FROM region c JOIN region s ON s.code = c.parent "
			       "JOIN region d ON d.code = s.parent WHERE c.level = 'community' AND c.path LIKE ?1 "
			       "AND (c.name = ?2 OR c.full_name = ?2 OR s.name || c.name = ?2 OR s.name || c.full_name = ?2 "
			       "OR d.name || s.name || c.name = ?2 OR d.name || s.name || c.full_name = ?2) ORDER BY c.code");
	db_bind_text(st, 1, pattern);
	db_bind_text(st, 2, name);
	while ((rc = db_step(st)) == DB_ROW) {
		if (!n) {
			str_copy(found, LOOKUP_CODE, db_col_text(st, 0));
			str_copy(street, sizeof(street), db_col_text(st, 2));
		}
		names_push(&where, &n, db_col_text(st, 1));
	}
	db_done(st);
	if (rc != DB_DONE) {
		rc = LOOKUP_ERROR;
	} else if (n == 1) {
		rc = LOOKUP_OK;
	} else if (n == 0) {
		buf_addf(&m, "找不到社区“%s”（在您可以导入的范围内）；请写社区的名称，如“石榴桥社区”，"
			     "或写 12 位区划代码", text);
		rc = LOOKUP_NOT_FOUND;
	} else {
		buf_addf(&m, "有 %zu 个社区叫“%s”，在 ", n, text);
		names_list(&m, where, n);
		buf_addf(&m, "；请在前面加上街道，如“%s%s”", street, name);
		rc = LOOKUP_AMBIGUOUS;
	}
	*msg = rc == LOOKUP_OK || rc == LOOKUP_ERROR ? NULL : buf_detach(&m, NULL);
	buf_release(&m);
	names_free(where, n);
	free(name);
	return rc;
}

int lookup_community(struct lookup *l, const char *text, char code[LOOKUP_CODE], const char **why)
{
	struct answer *a = answer_find(l, key_of("community", text, NULL, NULL));

	if (!a) {
		char found[LOOKUP_CODE] = "", *msg = NULL;
		int rc;

		if (all_digits(text, 12)) {
			bool ok;

			rc = community_in_reach(l, text, &ok) < 0 ? LOOKUP_ERROR : ok ? LOOKUP_OK : LOOKUP_NOT_FOUND;
			if (rc == LOOKUP_OK)
				str_copy(found, sizeof(found), text);
			else if (rc == LOOKUP_NOT_FOUND)
				msg = xstrdup("这个区划代码不是您可以导入的范围内的社区；请核对代码，或改写社区的名称");
		} else {
			rc = community_find(l, text, found, &msg);
		}
		a = answer_keep(l, rc, found, 0, msg);
	}
	return answer_give(a, code, why);
}

/* The names of the children of parent at level, for a message. */
static int children_names(struct db *db, const char *parent, const char *level, char ***names, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT name FROM region WHERE parent = ? AND level = ? ORDER BY code");
	int rc;

	*names = NULL;
	*n = 0;
	db_bind_text(st, 1, parent);
	db_bind_text(st, 2, level);
	while ((rc = db_step(st)) == DB_ROW)
		names_push(names, n, db_col_text(st, 0));
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* The region at level named text (or coded text) under parent (direct child) or under path (anywhere). */
static int region_named(struct db *db, const char *parent, const char *level, const char *text, char code[LOOKUP_CODE])
{
	struct db_stmt *st = db_prepare(db, "SELECT code FROM region WHERE parent = ? AND level = ? AND (name = ? OR code = ?)");
	int rc;

	db_bind_text(st, 1, parent);
	db_bind_text(st, 2, level);
	db_bind_text(st, 3, text);
	db_bind_text(st, 4, text);
	rc = db_step(st);
	if (rc == DB_ROW)
		str_copy(code, LOOKUP_CODE, db_col_text(st, 0));
	db_done(st);
	return rc == DB_ROW ? LOOKUP_OK : rc == DB_DONE ? LOOKUP_NOT_FOUND : LOOKUP_ERROR;
}

int lookup_grid(struct lookup *l, const char *community, const char *text, char code[LOOKUP_CODE], const char **why)
{
	struct answer *a = answer_find(l, key_of("grid", community, text, NULL));
	char found[LOOKUP_CODE] = "";

	if (!a) {
		int rc = region_named(l->db, community, "grid", text, found);
		struct buf m = BUF_INIT;
		char **names = NULL;
		size_t n = 0;

		if (rc == LOOKUP_NOT_FOUND) {
			if (children_names(l->db, community, "grid", &names, &n) < 0)
				rc = LOOKUP_ERROR;
			buf_addf(&m, "社区里没有叫“%s”的网格；", text);
			if (n) {
				buf_addstr(&m, "现有网格：");
				names_list(&m, names, n);
			} else {
				buf_addstr(&m, "社区还没有建网格，请先在“区划管理”中添加，或把这一格留空");
			}
			names_free(names, n);
		}
		a = answer_keep(l, rc, found, 0, rc == LOOKUP_NOT_FOUND ? buf_detach(&m, NULL) : NULL);
		buf_release(&m);
	}
	return answer_give(a, code, why);
}

/* A building named (or coded) text in some grid of community: how many, the first's code, their grids. */
static int building_in_grids(struct lookup *l, const char *community, const char *text, char found[LOOKUP_CODE],
			     char ***grids, size_t *n)
{
	struct db_stmt *st = db_prepare(l->db, "SELECT b.code, g.name FROM region g JOIN region b ON b.parent = g.code "
					       "WHERE g.parent = ? AND g.level = 'grid' AND b.level = 'building' "
					       "AND (b.name = ? OR b.code = ?) ORDER BY g.code");
	int rc;

	*grids = NULL;
	*n = 0;
	db_bind_text(st, 1, community);
	db_bind_text(st, 2, text);
	db_bind_text(st, 3, text);
	while ((rc = db_step(st)) == DB_ROW) {
		if (!*n)
			str_copy(found, LOOKUP_CODE, db_col_text(st, 0));
		names_push(grids, n, db_col_text(st, 1));
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int lookup_building(struct lookup *l, const char *community, const char *grid, const char *text,
		    char code[LOOKUP_CODE], const char **why)
{
	struct answer *a = answer_find(l, key_of("building", community, grid, text));
	char found[LOOKUP_CODE] = "";

	if (!a) {
		struct buf m = BUF_INIT;
		char **grids = NULL;
		size_t n = 0;
		int rc;

		if (grid && *grid) {
			rc = region_named(l->db, grid, "building", text, found);
			if (rc == LOOKUP_NOT_FOUND)
				buf_addf(&m, "这个网格里没有叫“%s”的楼栋；请核对楼栋名称，或先在“区划管理”中添加", text);
		} else if (building_in_grids(l, community, text, found, &grids, &n) < 0) {
			rc = LOOKUP_ERROR;
		} else if (n == 1) {
			rc = LOOKUP_OK;
		} else if (n == 0) {
			rc = LOOKUP_NOT_FOUND;
			buf_addf(&m, "社区里没有叫“%s”的楼栋；请核对楼栋名称，或先在“区划管理”中添加", text);
		} else {
			rc = LOOKUP_AMBIGUOUS;
			buf_addf(&m, "“%s”在 %zu 个网格里都有（", text, n);
			names_list(&m, grids, n);
			buf_addstr(&m, "）；请在“网格”一列写明是哪个网格");
		}
		names_free(grids, n);
		a = answer_keep(l, rc, rc == LOOKUP_OK ? found : "", 0,
				rc == LOOKUP_OK || rc == LOOKUP_ERROR ? NULL : buf_detach(&m, NULL));
		buf_release(&m);
	}
	return answer_give(a, code, why);
}

/* Code points of valid UTF-8 s, at most max of them (caller frees *out). */
static size_t code_points(const char *s, size_t max, unsigned **out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	*out = xmalloc((max ? max : 1) * sizeof(**out));
	while (*p && n < max) {
		unsigned c = *p++;
		int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;

		c &= more == 3 ? 0x07 : more == 2 ? 0x0f : more == 1 ? 0x1f : 0x7f;
		for (; more && *p; more--)
			c = c << 6 | (*p++ & 0x3f);
		(*out)[n++] = c;
	}
	return n;
}

/*
 * Edit distance (insert, delete, replace one character) between a and b, or limit + 1 as soon
 * as it is known to pass limit: most names of a city are far from the one typed, and cost little.
 */
static size_t distance(const unsigned *a, size_t na, const unsigned *b, size_t nb, size_t limit)
{
	size_t prev[SUGGEST_CHARS + 1], cur[SUGGEST_CHARS + 1];

	if ((na > nb ? na - nb : nb - na) > limit)
		return limit + 1;
	for (size_t j = 0; j <= nb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= na; i++) {
		size_t best = cur[0] = i;

		for (size_t j = 1; j <= nb; j++) {
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1, sub = prev[j - 1] + (a[i - 1] != b[j - 1]);

			cur[j] = del < ins ? (del < sub ? del : sub) : (ins < sub ? ins : sub);
			if (cur[j] < best)
				best = cur[j];
		}
		if (best > limit)
			return limit + 1;
		memcpy(prev, cur, (nb + 1) * sizeof(prev[0]));
	}
	return prev[nb];
}

static int names_load(struct lookup *l)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *st;
	size_t cap = 0;
	int rc;

	l->names_loaded = true;
	buf_addstr(&sql, "SELECT u.name FROM unit u JOIN region r ON r.code = u.region_code WHERE 1=1");
	listing_scope_sql(&sql, l->units, "r.path", "u.id");
	st = db_prepare(l->db, buf_str(&sql));
	listing_scope_bind(st, l->units, 1, 1);
	while ((rc = db_step(st)) == DB_ROW) {
		struct unit_name *u;

		if (l->nnames == cap) {
			cap = cap ? cap * 2 : 64;
			l->names = xrealloc(l->names, cap * sizeof(*l->names));
		}
		u = &l->names[l->nnames++];
		u->name = xstrdup(db_col_text(st, 0));
		u->n = code_points(u->name, SUGGEST_CHARS, &u->cp);
	}
	db_done(st);
	buf_release(&sql);
	return rc == DB_DONE ? 0 : -1;
}

/* Up to SUGGEST_MAX unit names nearest to name (within half its length), nearest first, into m. */
static int suggest(struct lookup *l, const char *name, struct buf *m)
{
	size_t best[SUGGEST_MAX], dist[SUGGEST_MAX], found = 0, n;
	unsigned *cp;

	if ((!l->names_loaded && names_load(l) < 0))
		return -1;
	if (l->suggested++ >= SUGGEST_NAMES || utf8_chars(name) > SUGGEST_CHARS)
		return 0;
	n = code_points(name, SUGGEST_CHARS, &cp);
	for (size_t i = 0; i < l->nnames; i++) {
		const struct unit_name *u = &l->names[i];
		size_t longer = u->n > n ? u->n : n, limit = longer / 2, d, k;

		if (found == SUGGEST_MAX && dist[found - 1] <= limit)
			limit = dist[found - 1] - 1; /* only a nearer one takes a place */
		if ((d = distance(cp, n, u->cp, u->n, limit)) > limit || d == 0)
			continue;
		for (k = found < SUGGEST_MAX ? found++ : SUGGEST_MAX - 1; k > 0 && dist[k - 1] > d; k--) {
			best[k] = best[k - 1];
			dist[k] = dist[k - 1];
		}
		best[k] = i;
		dist[k] = d;
	}
	free(cp);
	for (size_t k = 0; k < found; k++)
		buf_addf(m, "%s“%s”", k ? "、" : "是不是 ", l->names[best[k]].name);
	if (found)
		buf_addstr(m, "？");
	return 0;
}

int lookup_unit(struct lookup *l, const char *name, int64_t *id, const char **why)
{
	struct answer *a = answer_find(l, key_of("unit", name, NULL, NULL));

	if (!a) {
		struct buf sql = BUF_INIT, m = BUF_INIT;
		struct db_stmt *st;
		int64_t found = 0;
		int rc;

		buf_addstr(&sql, "SELECT u.id FROM unit u JOIN region r ON r.code = u.region_code WHERE u.name = ?");
		listing_scope_sql(&sql, l->units, "r.path", "u.id");
		st = db_prepare(l->db, buf_str(&sql));
		db_bind_text(st, 1, name);
		listing_scope_bind(st, l->units, 1, 2);
		rc = db_step(st);
		if (rc == DB_ROW)
			found = db_col_int(st, 0);
		db_done(st);
		buf_release(&sql);
		rc = rc == DB_ROW ? LOOKUP_OK : rc == DB_DONE ? LOOKUP_NOT_FOUND : LOOKUP_ERROR;
		if (rc == LOOKUP_NOT_FOUND) {
			buf_addf(&m, "系统中没有叫“%s”的单位；", name);
			if (suggest(l, name, &m) < 0)
				rc = LOOKUP_ERROR;
			buf_addstr(&m, "请写“单位管理”中的全称；如是新单位，请组织部先在“单位管理”中添加");
		}
		a = answer_keep(l, rc, "", found, rc == LOOKUP_NOT_FOUND ? buf_detach(&m, NULL) : NULL);
		buf_release(&m);
	}
	*id = a->id;
	return answer_give(a, NULL, why);
}

int lookup_community_label(struct lookup *l, const char *code, const char **label)
{
	struct answer *a = answer_find(l, key_of("label", code, NULL, NULL));

	if (!a) {
		/* How many communities of the city share the name, and the name and street. */
		static const char sql[] =
			"SELECT c.name, s.name, d.name, (SELECT COUNT(*) FROM region o WHERE o.level = 'community' "
			"AND o.name = c.name AND o.path LIKE substr(c.path, 1, 14) || '%'), (SELECT COUNT(*) FROM region o "
			"JOIN region os ON os.code = o.parent WHERE o.level = 'community' AND o.name = c.name "
			"AND os.name = s.name AND o.path LIKE substr(c.path, 1, 14) || '%') FROM region c "
			"JOIN region s ON s.code = c.parent JOIN region d ON d.code = s.parent WHERE c.code = ?";
		struct db_stmt *st = db_prepare(l->db, sql);
		struct buf b = BUF_INIT;
		int rc;

		db_bind_text(st, 1, code);
		rc = db_step(st);
		if (rc == DB_ROW) {
			bool same_name = db_col_int(st, 3) > 1, same_street = db_col_int(st, 4) > 1;

			buf_addf(&b, "%s%s%s", same_street ? db_col_text(st, 2) : "", same_name ? db_col_text(st, 1) : "",
				 db_col_text(st, 0));
		}
		db_done(st);
		a = answer_keep(l, rc == DB_ERROR ? LOOKUP_ERROR : LOOKUP_OK, "", 0, buf_detach(&b, NULL));
	}
	*label = a->text;
	return a->rc == LOOKUP_ERROR ? -1 : 0;
}

int lookup_building_names(struct lookup *l, const char *code, const char **grid, const char **building)
{
	struct answer *a = answer_find(l, key_of("names", code, NULL, NULL));

	if (!a) {
		struct db_stmt *st = db_prepare(l->db, "SELECT b.name, g.name FROM region b JOIN region g ON g.code = b.parent "
						       "WHERE b.code = ? AND b.level = 'building'");
		char *names[2] = { NULL, NULL };
		int rc;

		db_bind_text(st, 1, code);
		rc = db_step(st);
		names[0] = xstrdup(rc == DB_ROW ? db_col_text(st, 0) : "");
		names[1] = xstrdup(rc == DB_ROW ? db_col_text(st, 1) : "");
		db_done(st);
		a = answer_keep(l, rc == DB_ERROR ? LOOKUP_ERROR : LOOKUP_OK, "", 0, names[0]);
		a->text2 = names[1];
	}
	*building = a->text;
	*grid = a->text2;
	return a->rc == LOOKUP_ERROR ? -1 : 0;
}
