/* resource.h: resources (资源清单) units, teams, members and the community offer, with weekly or dated availability */
#ifndef DOMAIN_RESOURCE_H
#define DOMAIN_RESOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/json_spec.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/record.h"
#include "domain/region.h"

enum { RESOURCE_NAME_MAX = 50, RESOURCE_DESC_MAX = 300, RESOURCE_REASON_MAX = 200, RESOURCE_SLOTS_MAX = 20,
       RESOURCE_SLOT_TEXT = 40, RESOURCE_CAPACITY_MAX = 100000, RESOURCE_LIST_MAX = 200 };

enum resource_rc {
	RESOURCE_OK = 0,
	RESOURCE_ERROR = -1,
	RESOURCE_NOT_FOUND = -2,
	RESOURCE_INVALID = -3, /* faults in errs */
	RESOURCE_BAD_STATE = -4, /* retired already */
};

/* One availability slot: weekly (weekday 1..7, Monday 1) or on one date (weekday 0, date set). */
struct resource_slot {
	int weekday;
	char date[11]; /* "" when weekly */
	int from_min, to_min;
};

/*
 * Reads a slot written "6 09:00-11:30" (weekday 1..7) or "2026-12-05 09:00-11:30".
 * 0, or -1 with *why one of "format", "weekday", "date", "order" (from not before to).
 */
int resource_slot_parse(const char *s, struct resource_slot *out, const char **why);
/* Writes slot s back as text (the same form resource_slot_parse reads). */
void resource_slot_text(const struct resource_slot *s, char out[RESOURCE_SLOT_TEXT]);
/* Whether two slots share a minute: same weekday, same date, or a date falling on the weekday. */
bool resource_slots_overlap(const struct resource_slot *a, const struct resource_slot *b);
/* Whether a slot is open on date (YYYY-MM-DD) or, when date is NULL, on weekday. */
bool resource_slot_on(const struct resource_slot *s, const char *date, int weekday);
/* The weekday (1 Monday .. 7 Sunday) of a date; 0 when it is not one. */
int resource_weekday_of(const char *date);

struct resource_input {
	const char *community_code; /* create only */
	const char *owner_kind; /* create only: community, unit, team, member */
	int64_t owner_id; /* the unit's, team's or member's id; 0 for the community */
	const char *kind, *name, *description;
	int64_t item_id, capacity; /* 0 when none */
	const char *const *slots;
	size_t nslots;
};

struct resource {
	int64_t id;
	char community_code[24];
	char community_name[REGION_TEXT];
	char community_path[PATH_MAX_LEN];
	char owner_kind[12];
	int64_t owner_id;
	char owner_name[TEXT_BYTES(64)];
	char kind[12];
	int64_t item_id;
	char item_name[TEXT_BYTES(64)];
	char name[TEXT_BYTES(RESOURCE_NAME_MAX)];
	char description[TEXT_BYTES(RESOURCE_DESC_MAX)];
	int64_t capacity;
	char state[10];
	char retire_reason[TEXT_BYTES(RESOURCE_REASON_MAX)];
	int64_t created_at, updated_at;
	size_t nslots;
	struct resource_slot slots[RESOURCE_SLOTS_MAX];
};

/* Checks in (and its slots: field "slots[i]"), adding field errors; -1 on a storage error. */
int resource_check(struct db *db, const struct resource_input *in, bool create, struct field_errors *errs);
int resource_create(struct db *db, const struct actor *who, const struct resource_input *in,
		    struct field_errors *errs, int64_t *id);
/* Replaces an active resource's kind, item, name, description, capacity and slots; audited resource.update. */
int resource_update(struct db *db, const struct actor *who, int64_t id, const struct resource_input *in,
		    struct field_errors *errs);
int resource_retire(struct db *db, const struct actor *who, int64_t id, const char *reason);
int resource_get(struct db *db, int64_t id, struct resource *out);

struct resource_filter {
	const struct scope *scope; /* communities in scope (NULL: only community below) */
	const char *community; /* one community, or NULL */
	int64_t unit_id; /* also the resources of this unit (a unit's administrator), 0 none */
	const char *kind, *owner_kind, *state;
	int64_t item_id;
	const char *available_on; /* YYYY-MM-DD, or NULL */
	int weekday; /* 1..7, or 0 */
};
/* At most RESOURCE_LIST_MAX resources, by community and id. *items: caller frees. */
int resource_list(struct db *db, const struct resource_filter *f, struct resource **items, size_t *n);

/* A commitment of a signed co-building agreement, shown as a read-only resource of its unit. */
struct resource_commitment {
	int64_t agreement_id, unit_id;
	char unit_name[TEXT_BYTES(64)];
	char community_code[24];
	char text[TEXT_BYTES(200)];
	char ends_on[11];
};
/* The commitments of the signed, unexpired agreements of community (or of unit_id when community is NULL). */
int resource_commitments(struct db *db, const char *community, int64_t unit_id, struct resource_commitment **items,
			 size_t *n);

#endif
