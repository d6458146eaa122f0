/* deliberation.h: residents' deliberations (居民议事): a question put to the households of a building or a 小区, one vote a household, a threshold */
#ifndef DOMAIN_DELIBERATION_H
#define DOMAIN_DELIBERATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/json_spec.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/deliberation_rules.h"
#include "domain/region.h"

/* Characters, not bytes; area in hundredths of a m² (at most 10,000 m² a household). */
enum { DELIB_TITLE_MAX = 50, DELIB_QUESTION_MAX = 1000, DELIB_MINUTES_MAX = 2000, DELIB_OPTION_MAX = 20,
       DELIB_NOTE_MAX = 100, DELIB_OPTIONS_MIN = 2, DELIB_OPTIONS_MAX = 6, DELIB_BUILDINGS_MAX = 50,
       DELIB_AREA_MAX = 1000000 };

enum deliberation_rc {
	DELIB_OK = 0,
	DELIB_ERROR = -1,
	DELIB_NOT_FOUND = -2,
	DELIB_INVALID = -3, /* faults in errs */
	DELIB_BAD_STATE = -4, /* not in the state the change needs */
	DELIB_TOO_EARLY = -5, /* closing before the deadline */
	DELIB_TOO_LATE = -6, /* voting or opening past the deadline */
	DELIB_AREA_MISSING = -7, /* opening an area rule while some household's area is not known */
	DELIB_NOT_COVERED = -8, /* the household is not one the deliberation covers (or the resident lives nowhere) */
};

extern const char *const deliberation_states[]; /* "draft", "open", "closed", "cancelled", NULL */
extern const char *const deliberation_channels[]; /* "phone", "paper", NULL */

struct deliberation_input {
	const char *community_code; /* create only: the community its buildings are in */
	const char *const *building_codes; /* create only */
	size_t nbuildings;
	const char *title, *question;
	const char *const *options; /* NULL: 同意, 不同意, 弃权 */
	size_t noptions;
	struct delib_rule rule;
	int64_t deadline;
	const char *minutes; /* NULL: "" */
};

struct deliberation {
	int64_t id;
	char community_code[24];
	char community_path[PATH_MAX_LEN];
	char community_name[REGION_TEXT];
	char title[TEXT_BYTES(DELIB_TITLE_MAX)];
	char question[TEXT_BYTES(DELIB_QUESTION_MAX)];
	char minutes[TEXT_BYTES(DELIB_MINUTES_MAX)];
	struct delib_rule rule;
	int64_t deadline;
	char state[12];
	char outcome[8]; /* "" until closed */
	bool has_case, has_photo;
	int64_t case_id;
	size_t noptions;
	char options[DELIB_OPTIONS_MAX][TEXT_BYTES(DELIB_OPTION_MAX)];
	int64_t created_at, updated_at, opened_at, closed_at;
};

/* Checks in into errs (texts in characters, options, the rule's fractions, the deadline after now). */
bool deliberation_check(const struct deliberation_input *in, int64_t now, struct field_errors *errs);
/*
 * A draft over the buildings in->building_codes of community in->community_code,
 * covering each of their households as they are now (deliberation.create).
 */
int deliberation_create(struct db *db, const struct actor *who, const struct deliberation_input *in,
			struct field_errors *errs, int64_t *id);
/* Changes a draft's title, question, options, rule, deadline, minutes (deliberation.update). */
int deliberation_update(struct db *db, const struct actor *who, int64_t id, const struct deliberation_input *in,
			struct field_errors *errs);
/* Removes a draft with its households (deliberation.remove). */
int deliberation_remove(struct db *db, const struct actor *who, int64_t id);
/* The minutes of the meeting (会议纪要), in any state but cancelled (deliberation.minutes). */
int deliberation_set_minutes(struct db *db, const struct actor *who, int64_t id, const char *minutes,
			     struct field_errors *errs);
/*
 * A photo of the signed minutes, replacing any before (checked and
 * re-encoded as a record's photo: photo_encode), in any state but cancelled
 * (deliberation.minutes_photo). DELIB_INVALID when the photo is refused,
 * *photo_rc saying why (a PHOTO_* code of domain/photo.h); DELIB_NOT_FOUND,
 * DELIB_BAD_STATE. Opening it: *fd (caller closes); DELIB_NOT_FOUND: none.
 */
int deliberation_minutes_photo(struct db *db, const struct actor *who, int64_t id, const void *buf, size_t len,
			       int *photo_rc);
int deliberation_minutes_photo_open(struct db *db, int64_t id, bool thumb, int *fd, uint64_t *size);
/* A covered household's floor area in a draft (0: not known) (deliberation.area). */
int deliberation_set_area(struct db *db, const struct actor *who, int64_t id, int64_t household_id, int64_t area);
/*
 * draft → open (deliberation.open: DELIB_TOO_LATE past the deadline,
 * DELIB_AREA_MISSING when the rule counts area and a household's is not
 * known); open → closed with its outcome, once the deadline is past
 * (deliberation.close: DELIB_TOO_EARLY before); draft or open → cancelled
 * (deliberation.cancel).
 */
int deliberation_open(struct db *db, const struct actor *who, int64_t id);
int deliberation_close(struct db *db, const struct actor *who, int64_t id);
int deliberation_cancel(struct db *db, const struct actor *who, int64_t id);

int deliberation_get(struct db *db, int64_t id, struct deliberation *out);

/* A list row: what it is, where, and its count so far. */
struct deliberation_row {
	int64_t id;
	char community_code[24];
	char title[TEXT_BYTES(DELIB_TITLE_MAX)];
	char state[12];
	char outcome[8];
	int64_t deadline, households, voted, agree, created_at;
};
/* The deliberations of community (state: one, or NULL), newest first. *items: caller frees. */
int deliberation_list(struct db *db, const char *community_code, const char *state, struct deliberation_row **items,
		      size_t *n);

/* The count of a building (or of all, building_code ""), by option too. */
struct deliberation_count {
	char building_code[24];
	char building_name[REGION_TEXT];
	struct delib_tally tally;
	int64_t by_option[DELIB_OPTIONS_MAX];
};
/*
 * The live tally: *all summed, *items one a building in tree order (caller
 * frees). The outcome follows from all.tally and the rule (delib_outcome_of).
 */
int deliberation_tally(struct db *db, int64_t id, struct deliberation_count *all, struct deliberation_count **items,
		       size_t *n);

/*
 * A vote for household_id (channel paper: typed by staff from the signed
 * form, note 纸质表决票 unless given) or, with channel phone, for the household
 * the resident account who->account_id lives in (household_id ignored).
 * The household's vote becomes choice (1-based); every vote is kept
 * (deliberation.vote). DELIB_BAD_STATE unless open, DELIB_TOO_LATE past the
 * deadline, DELIB_NOT_COVERED for a household it does not cover, DELIB_INVALID
 * (choice, note in errs).
 */
struct deliberation_vote_input {
	int64_t deliberation_id, household_id, choice;
	const char *channel, *note;
};
int deliberation_vote(struct db *db, const struct actor *who, const struct deliberation_vote_input *in,
		      struct field_errors *errs, int64_t *vote_id);

/* A household's vote as staff see it: where, what now, how recorded, by whom, how many votes it cast. */
struct deliberation_ballot {
	int64_t household_id;
	char building_code[24];
	char building_name[REGION_TEXT];
	char unit_no[TEXT_BYTES(10)];
	char room[TEXT_BYTES(20)];
	bool has_area;
	int64_t area;
	int64_t choice; /* 0: none yet */
	char channel[8];
	char recorded_by[TEXT_BYTES(50)];
	char note[TEXT_BYTES(DELIB_NOTE_MAX)];
	int64_t voted_at, votes;
};
/* Every covered household with its vote, in tree order. *items: caller frees. */
int deliberation_ballots(struct db *db, int64_t id, struct deliberation_ballot **items, size_t *n);

/* The household resident account_id lives in (0: none) and its community's path. */
int deliberation_resident_household(struct db *db, int64_t account_id, int64_t *household_id);
/* The open deliberations covering household_id, newest first, with its vote (choice, 0: none). *items: caller frees. */
struct deliberation_mine {
	int64_t id, choice, voted_at;
};
int deliberation_of_household(struct db *db, int64_t household_id, struct deliberation_mine **items, size_t *n);

#endif
