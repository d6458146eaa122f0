/* care.h: the care register (帮扶对象): people a community looks after, their sealed categories and health note, consent, help plan */
#ifndef DOMAIN_CARE_H
#define DOMAIN_CARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/json_spec.h"
#include "base/xalloc.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/region.h"

/* Lengths in characters, never bytes. */
enum { CARE_NAME_MAX = 50, CARE_PHONE_MAX = 20, CARE_ADDRESS_MAX = 200, CARE_LAW_MIN = 2, CARE_LAW_MAX = 100,
       CARE_HELP_WHAT_MAX = 200, CARE_HELP_WHO_MAX = 100, CARE_HELP_OFTEN_MAX = 50, CARE_HEALTH_MAX = 500,
       CARE_CATEGORIES_MAX = 14, CARE_CODE_MAX = 32, CARE_CATEGORY_NAME_MAX = 20, CARE_REASON_MIN = 2,
       CARE_REASON_MAX = 100, CARE_CLOSE_MAX = 200, CARE_CATEGORY_LIST_MAX = 100 };

enum care_rc {
	CARE_OK = 0,
	CARE_ERROR = -1,
	CARE_NOT_FOUND = -2,
	CARE_INVALID = -3, /* faults in errs */
	CARE_BAD_STATE = -4, /* closed already, or (pairings) no longer open */
	CARE_DUPLICATE = -5, /* that category code or name; that pairing or offer, already */
	CARE_RECORD = -6, /* the visit's service record was refused: errs says why */
};

extern const char *const care_bases[]; /* "consent", "statutory", NULL */

/* One category of the configurable list. */
struct care_category {
	char code[TEXT_BYTES(CARE_CODE_MAX)];
	char name[TEXT_BYTES(CARE_CATEGORY_NAME_MAX)];
	bool sensitive;
	char frequency[16];
};
/* The list, in its order. *items: caller frees. */
int care_categories(struct db *db, struct care_category **items, size_t *n);
/* The administrator adds one (audited care_category.create); CARE_DUPLICATE for a code or name in use. */
int care_category_add(struct db *db, const struct actor *who, const struct care_category *c, struct field_errors *errs);

/* What an entry says; strings borrowed. */
struct care_input {
	const char *community_code; /* add only */
	const char *name, *phone, *address;
	int64_t household_id, account_id; /* 0: none */
	const char *const *categories; /* codes; an edit with none keeps them as they are */
	size_t ncategories;
	const char *basis, *consented_on, *law;
	const char *help_what, *help_who, *help_often;
	const char *frequency; /* NULL: the most frequent default of its categories */
	const char *health_note; /* an edit with NULL keeps it */
};

struct care {
	int64_t id;
	char community_code[24];
	char community_name[REGION_TEXT];
	char community_path[PATH_MAX_LEN];
	char name[TEXT_BYTES(CARE_NAME_MAX)];
	int64_t household_id, account_id;
	char phone[TEXT_BYTES(CARE_PHONE_MAX)];
	char address[TEXT_BYTES(CARE_ADDRESS_MAX)];
	int64_t ncategories;
	bool has_health; /* a health or disability note is held (sealed) */
	char basis[12];
	char consented_on[11];
	int64_t consent_by;
	char consent_by_name[TEXT_BYTES(64)];
	char law[TEXT_BYTES(CARE_LAW_MAX)];
	char help_what[TEXT_BYTES(CARE_HELP_WHAT_MAX)];
	char help_who[TEXT_BYTES(CARE_HELP_WHO_MAX)];
	char help_often[TEXT_BYTES(CARE_HELP_OFTEN_MAX)];
	char frequency[16];
	char state[8]; /* active, closed */
	char close_reason[TEXT_BYTES(CARE_CLOSE_MAX)];
	int64_t closed_at, created_by, created_at, updated_at;
	char last_visit[11]; /* the day of the latest visit, "" when none */
	char next_due[11]; /* last visit (else the day registered) + frequency */
	bool overdue; /* active and today is past next_due */
	int64_t npairings; /* active ones */
	bool reached_today; /* a visit of any kind today */
};

/* Adds an entry (audited care.create); categories and the health note sealed. */
int care_add(struct db *db, const struct actor *who, const struct care_input *in, struct field_errors *errs,
	     int64_t *id);
/* Changes an active entry (audited care.update); in->community_code unused. */
int care_update(struct db *db, const struct actor *who, int64_t id, const struct care_input *in,
		struct field_errors *errs);
/* active → closed with a reason (audited care.close); its active pairings end. */
int care_close(struct db *db, const struct actor *who, int64_t id, const char *reason, struct field_errors *errs);
/* The entry, with its visits' dates worked out for today (YYYY-MM-DD). */
int care_get(struct db *db, int64_t id, const char *today, struct care *out);

struct care_filter {
	const char *state; /* active (NULL), closed, all */
	const char *frequency; /* NULL: any */
	bool overdue_only;
	const char *in_categories; /* only entries in one of these ("a,b"; opens the sealed lists); NULL: any */
};
/* The entries of a community by id. *items: caller frees. */
int care_list(struct db *db, const char *community_code, const struct care_filter *f, const char *today,
	      struct care **items, size_t *n);

/*
 * The sealed fields of entry id in clear, for a reason (audited care.reveal with it, in its own
 * transaction): its category codes (*categories, "a,b") and health note. Caller frees both.
 */
int care_reveal(struct db *db, const struct actor *who, int64_t id, const char *reason, char **categories,
		char **health);

/* One row of the register's export: the entry, and with sensitive columns its categories' names ("低保、残疾") and health note. */
struct care_export_row {
	struct care c;
	char *categories, *health; /* NULL without sensitive columns */
};
/*
 * The active entries of community for a spreadsheet, by id. First the audit
 * entry care.export at the community (target the region, detail: the reason when sensitive, ""
 * otherwise) in its own transaction: nothing is read when it cannot be
 * written. sensitive: each entry's sealed fields opened (the caller checked
 * that the caller may reveal them and that reason is given). Free with
 * care_export_free.
 */
int care_export(struct db *db, const struct actor *who, const struct region *community, bool sensitive,
		const char *reason, const char *today, struct care_export_row **rows, size_t *n);
void care_export_free(struct care_export_row *rows, size_t n);

/* "张*": the first character and one star (nothing said about the length). */
void care_mask_name(const char *name, char *out, size_t size);
/* "138****5678" for a mobile; "****" and its last 4 digits otherwise; "" for none. */
void care_mask_phone(const char *phone, char *out, size_t size);

/* Emergency mode: the categories of a community checked daily ("" when off). */
int care_emergency_get(struct db *db, const char *community_code, char *categories, size_t size, int64_t *since);
/* Turns it on for categories (1..CARE_CATEGORIES_MAX codes) or off (audited care.emergency_on, care.emergency_off). */
int care_emergency_set(struct db *db, const struct actor *who, const struct region *community,
		       const char *const *categories, size_t n, bool on, struct field_errors *errs);

#endif
