/* member.h: member files (一人一档): one per person, the ID number sealed, hashed and masked */
#ifndef DOMAIN_MEMBER_H
#define DOMAIN_MEMBER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/idcard.h"
#include "base/json_spec.h"
#include "base/xalloc.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/region.h"
#include "domain/unit.h"

/* The longest texts a file holds, in characters: the form's and the import's limits. */
enum {
	MEMBER_NAME_MAX = 50,
	MEMBER_PHONE_MAX = 11,
	MEMBER_POSITION_MAX = 50,
	MEMBER_BRANCH_MAX = 100,
	MEMBER_ADDRESS_MAX = 100,
	MEMBER_TAGS_MAX = 200, /* specialties and preferred posts, joined by ',' */
};

/* What a form or a spreadsheet row gives; strings borrowed, NULL or "" when absent. */
struct member_input {
	const char *name;
	const char *gender; /* "M"/"F"/"男"/"女", optional: checked against the ID number */
	const char *phone;
	const char *id_number;
	int64_t unit_id; /* 0: none */
	const char *position;
	const char *party_branch;
	const char *joined_party_on; /* YYYY-MM-DD */
	const char *community_code; /* where the member lives and reports in */
	const char *building_code;
	const char *address;
	const char *specialties; /* tags joined by ',' */
	const char *preferred_posts;
	bool plaque_hung;
	const char *plaque_on;
};

struct member {
	int64_t id;
	char name[TEXT_BYTES(MEMBER_NAME_MAX)];
	char gender; /* 'M' or 'F' */
	char birth_date[11];
	char phone[TEXT_BYTES(MEMBER_PHONE_MAX)];
	char id_masked[IDCARD_LEN + 1];
	int64_t unit_id;
	char unit_name[TEXT_BYTES(UNIT_NAME_MAX)];
	char position[TEXT_BYTES(MEMBER_POSITION_MAX)];
	char party_branch[TEXT_BYTES(MEMBER_BRANCH_MAX)];
	char joined_party_on[11];
	char community_code[24];
	char community_name[REGION_TEXT];
	char community_path[PATH_MAX_LEN];
	char building_code[24];
	char building_name[REGION_TEXT];
	char address[TEXT_BYTES(MEMBER_ADDRESS_MAX)];
	char specialties[TEXT_BYTES(MEMBER_TAGS_MAX)];
	char preferred_posts[TEXT_BYTES(MEMBER_TAGS_MAX)];
	bool plaque_hung;
	char plaque_on[11];
	bool roster_verified;
	int64_t account_id;
	char state[16]; /* the latest report-in's state, "" when none */
	int64_t created_at, updated_at;
};

/*
 * The state a file shows, in SQL over member m: approved while a report-in
 * is active (a transfer waiting elsewhere does not change that), else
 * pending while one waits, else how the last decided one ended.
 */
#define MEMBER_STATE_SQL                                                                                     \
	"(SELECT g.state FROM registration g WHERE g.member_id = m.id ORDER BY CASE g.state "                  \
	"WHEN 'approved' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END, COALESCE(g.decided_at, g.created_at) DESC, " \
	"g.id DESC LIMIT 1)"

enum member_rc {
	MEMBER_OK = 0,
	MEMBER_ERROR = -1,
	MEMBER_NOT_FOUND = -2,
	MEMBER_DUPLICATE = -3,
	MEMBER_MISMATCH = -4, /* the input names another person than the file */
	MEMBER_INVALID = -5, /* the input has faults: they are in the caller's field_errors */
};

/*
 * Checks in against the rules (ID number, phone, dates, specialties, that the
 * unit, community and building exist and fit together), adding field errors
 * named by their API field names. today is Unix seconds. -1 on a storage error.
 */
int member_check(struct db *db, const struct member_input *in, int64_t today, struct field_errors *errs);

/*
 * Creates the file of a checked input inside the caller's transaction. When
 * the ID number has a file already: MEMBER_DUPLICATE with *id set to it.
 */
int member_insert(struct db *db, const struct actor *who, const struct member_input *in, int64_t account_id,
		  int64_t *id);
/*
 * Checks an edit of file m (see member_update) as member_check does, the
 * building within m's community and the joined date at 18 or later by m's
 * birth date. in's name, ID number, gender and community are not read.
 */
int member_check_edit(struct db *db, const struct member *m, const struct member_input *in, int64_t today,
		      struct field_errors *errs);
/*
 * Replaces what a file says beyond who the member is, inside the caller's
 * transaction (audited member.update with detail): phone, unit (none when 0;
 * roster check again), position, branch, joined date, building, address,
 * specialties, preferred posts, plaque. Name, ID number, gender and community
 * are not touched (the community moves only with report-ins). in must be checked.
 */
int member_update(struct db *db, const struct actor *who, int64_t id, const struct member_input *in,
		  const char *detail);
/*
 * A member's own report-in brings their file up to date with what the phone
 * form asks (phone, unit, joined date, address, specialties, plaque) through
 * member_update; what the unit or the community filed and the form does not
 * ask (position, branch, building, preferred posts, plaque date) stays.
 * MEMBER_MISMATCH when in's name or ID number is not the file's.
 */
int member_refresh(struct db *db, const struct actor *who, int64_t id, const struct member_input *in);
/*
 * Staff correct file id: in is checked as member_check_edit does and written
 * by member_update, in one transaction. MEMBER_INVALID with every fault in errs.
 */
int member_correct(struct db *db, const struct actor *who, int64_t id, const struct member_input *in,
		   struct field_errors *errs);
/* Links file id, which no account has yet, to account_id (inside the caller's transaction, audited). */
int member_claim(struct db *db, const struct actor *who, int64_t id, int64_t account_id);
/* Every tag of list (joined by ',') is on the specialty list, at most 8 (faults: field "specialties"); -1 on a storage error. */
int member_check_specialties(struct db *db, const char *list, struct field_errors *errs);
/* The specialty tags, in their order (caller frees each and the array). */
int member_specialties(struct db *db, char ***tags, size_t *n);
/* The file with the latest report-in state; MEMBER_NOT_FOUND. */
int member_get(struct db *db, int64_t id, struct member *out);
/* The file whose ID number is number, if any (by keyed hash). */
int member_find_by_id_number(struct db *db, const char *number, int64_t *id);
int member_find_by_account(struct db *db, int64_t account_id, int64_t *id);

/* Who may see a member: the communities of its report-ins (past ones too: their history is theirs) and its unit. */
struct member_place {
	char paths[4][PATH_MAX_LEN]; /* communities of its latest report-ins (reading its file) */
	size_t npaths;
	char open_paths[2][PATH_MAX_LEN]; /* of its pending and approved ones (acting on it) */
	size_t nopen;
	int64_t unit_id;
	int64_t account_id;
};
int member_place(struct db *db, int64_t id, struct member_place *out);

struct member_filter {
	const char *community; /* code of the community the member lives in now */
	int64_t unit_id;
	const char *states[6]; /* the file's state (member.state) is one of these; nstates 0: any */
	size_t nstates;
	const char *specialty;
	const char *q; /* the start of a name; or digits: the start of a phone number, or its last four */
	int has_account; /* -1 either, 0 without an account, 1 with one */
	int64_t after; /* 0, or the last file of the page before: the page starts after it (by name, id) */
	bool no_total; /* *total is not wanted (an export reading page after page) */
	int64_t page, per_page; /* page counts from 1; with after, page is not used */
};
/*
 * Counts of a list's files stop past this (the tallies' exact counts excepted): the answer says "more".
 * A search counts at most this many index entries, a page number skips at most this many: both cost
 * what they read, and under 20 users at once 10,000 of them missed a p99 of 20 ms (bench/RESULTS.md).
 */
#define MEMBER_COUNT_MAX 2000
/* The deepest page of a wide scope by page number (its offset); past it, pages go by `after`. */
#define MEMBER_OFFSET_MAX 2000

/*
 * One page of the files in scope, ordered by name and id: the files whose
 * community (where the member lives now, or first asked to report in) lies
 * under one of the scope's paths, and the files of the scope's units. Files
 * of members who moved away stay readable by id (member_place) and in the
 * report-in history, not in this list. *total counts them all; a count that
 * stopped at MEMBER_COUNT_MAX + 1 (there are more) sets *capped (an exact
 * count of a wide scope comes from the tallies when the filters allow). A page costs
 * what it holds, not what the city holds (see docs/members.md, Lists at city
 * scale): MEMBER_INVALID for a page number of a wide scope past
 * MEMBER_OFFSET_MAX files (use after). *items: caller frees.
 */
int member_list(struct db *db, const struct scope *scope, const struct member_filter *f, struct member **items,
		size_t *n, int64_t *total, bool *capped);

/* The ID number in clear, audited as member.reveal with the reason. Caller frees. */
int member_reveal(struct db *db, const struct actor *who, int64_t id, const char *reason, char **number);

#endif
