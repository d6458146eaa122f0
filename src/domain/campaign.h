/* campaign.h: door-to-door campaigns (入户宣传/走访/排查): stretches of buildings walked by one member each, every household marked */
#ifndef DOMAIN_CAMPAIGN_H
#define DOMAIN_CAMPAIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/json_spec.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/catalog.h"
#include "domain/region.h"

/* Characters, not bytes. */
enum { CAMPAIGN_TITLE_MAX = 50, CAMPAIGN_TEXT_MAX = 500, CAMPAIGN_NOTE_MAX = 200, CAMPAIGN_DAYS_MAX = 366,
       CAMPAIGN_BUILDINGS_MAX = 1000, CAMPAIGN_HOUSEHOLDS_MAX = 50000, CAMPAIGN_SUGGEST_MAX = 10 };

enum campaign_rc {
	CAMPAIGN_OK = 0,
	CAMPAIGN_ERROR = -1,
	CAMPAIGN_NOT_FOUND = -2,
	CAMPAIGN_INVALID = -3, /* faults in errs */
	CAMPAIGN_BAD_STATE = -4, /* not in the state the change needs */
	CAMPAIGN_NOT_YOURS = -5, /* a member marking a household of a stretch they do not walk */
	CAMPAIGN_DUPLICATE = -6, /* the walk's record exists already */
	CAMPAIGN_OVERLAP = -7, /* the walk's record: the member has another service in that time */
};

/* How a household was found: visited (the form filled), nobody home (to revisit), declined, empty. */
enum campaign_mark_kind { MARK_VISITED, MARK_ABSENT, MARK_DECLINED, MARK_EMPTY, MARK_COUNT };
extern const char *const campaign_marks[]; /* "visited", "absent", "declined", "empty", NULL */
/* Whether a household's state is final: "一户不落" asks every household to have one. */
bool campaign_mark_final(enum campaign_mark_kind k);

struct campaign_input {
	const char *region_code; /* create only: a community or a street */
	const char *title, *description, *starts_on, *ends_on;
	int64_t item_id; /* a catalogue item offered there: the walks' records are of it */
	size_t nfields;
	struct catalog_field fields[CATALOG_FIELDS_MAX]; /* asked at each door */
};

/* The counts of households by state: of a stretch, or summed over a campaign. */
struct campaign_tally {
	int64_t households, todo, marked[MARK_COUNT];
};

struct campaign {
	int64_t id;
	char region_code[24];
	char region_path[PATH_MAX_LEN];
	char region_name[REGION_TEXT];
	char title[TEXT_BYTES(CAMPAIGN_TITLE_MAX)];
	char description[TEXT_BYTES(CAMPAIGN_TEXT_MAX)];
	int64_t item_id;
	char item_name[TEXT_BYTES(CATALOG_NAME_MAX)];
	char state[8]; /* draft, active, closed */
	char starts_on[11], ends_on[11];
	size_t nfields;
	struct catalog_field fields[CATALOG_FIELDS_MAX];
	int64_t stretches, assigned;
	struct campaign_tally tally;
	int64_t created_at, updated_at;
};

/* Checks in into errs (texts, dates in order and at most a year apart, the form's fields): whether clean. */
bool campaign_check(const struct campaign_input *in, struct field_errors *errs);
/* A draft campaign of region in->region_code (audited campaign.create). */
int campaign_create(struct db *db, const struct actor *who, const struct campaign_input *in,
		    struct field_errors *errs, int64_t *id);
int campaign_get(struct db *db, int64_t id, struct campaign *out);
/* The same without the counts (stretches, assigned, tally left 0): what a mark needs. */
int campaign_head(struct db *db, int64_t id, struct campaign *out);

/* A campaign in a list: what it is and how far it has come. */
struct campaign_row {
	int64_t id;
	char region_code[24];
	char region_name[REGION_TEXT];
	char title[TEXT_BYTES(CAMPAIGN_TITLE_MAX)];
	char state[8];
	char starts_on[11], ends_on[11];
	int64_t stretches, assigned;
	struct campaign_tally tally;
	int64_t created_at;
};
/*
 * One page of the campaigns in scope (region: its code, or NULL; state: one
 * state, or NULL), newest first. *items: caller frees.
 */
int campaign_list(struct db *db, const struct scope *scope, const char *region, const char *state, int64_t page,
		  int64_t per_page, struct campaign_row **items, size_t *n, int64_t *total);
/* draft → active (campaign.publish), active → closed (campaign.close): CAMPAIGN_BAD_STATE otherwise. */
int campaign_publish(struct db *db, const struct actor *who, int64_t id);
int campaign_close(struct db *db, const struct actor *who, int64_t id);

/*
 * Adds buildings of the campaign's region to it, in draft or active: each
 * building one stretch, or with by_unit one stretch a 单元, and each of
 * their households to do (campaign.buildings). Buildings there already are
 * left as they are; *added counts the new stretches.
 */
int campaign_add_buildings(struct db *db, const struct actor *who, int64_t id, const char *const *codes, size_t n,
			   bool by_unit, struct field_errors *errs, size_t *added);

/* One stretch: its place, who walks it, its counts. */
struct campaign_stretch {
	int64_t id, campaign_id;
	char building_code[24];
	char building_name[REGION_TEXT];
	char grid_name[REGION_TEXT]; /* "" for a building straight under its community */
	char community_name[REGION_TEXT];
	char unit_no[TEXT_BYTES(10)];
	int64_t member_id; /* 0: nobody yet */
	char member_name[TEXT_BYTES(50)];
	struct campaign_tally tally;
	int64_t record_id;
	int64_t updated_at;
	char campaign_title[TEXT_BYTES(CAMPAIGN_TITLE_MAX)];
	char campaign_state[8];
	int64_t item_id; /* the campaign's: what the walk's record is of */
};
/* The campaign's stretches in tree order (the coverage page). *items: caller frees. */
int campaign_stretches(struct db *db, int64_t campaign_id, struct campaign_stretch **items, size_t *n);
int campaign_stretch_get(struct db *db, int64_t stretch_id, struct campaign_stretch *out);

/*
 * Gives stretch_id to member_id (0: takes it back), who must be approved in
 * the building's community (campaign.assign). CAMPAIGN_INVALID (member_id in
 * errs) otherwise.
 */
int campaign_assign(struct db *db, const struct actor *who, int64_t stretch_id, int64_t member_id,
		    struct field_errors *errs);

/* A door of a stretch: the household and its state. */
struct campaign_door {
	int64_t household_id;
	char unit_no[TEXT_BYTES(10)];
	char room[TEXT_BYTES(20)];
	bool has_floor;
	int64_t floor;
	char state[12]; /* todo or a mark */
	int64_t marks, updated_at;
};
int campaign_doors(struct db *db, int64_t stretch_id, struct campaign_door **items, size_t *n);

/*
 * Marks a household of an active campaign: member_id the member walking its
 * stretch (CAMPAIGN_NOT_YOURS for anyone else), 0 for staff. A visit answers
 * the form (names[i] = values[i], checked as a catalogue item's fields); the
 * other marks answer nothing. The mark is kept, the household takes its
 * state, the stretch's counts move, in one transaction (campaign.mark).
 */
struct campaign_mark_input {
	int64_t campaign_id, household_id, member_id;
	enum campaign_mark_kind kind;
	const char *note;
	size_t nanswers;
	const char *const *names;
	const char *const *values;
};
int campaign_mark(struct db *db, const struct actor *who, const struct campaign_mark_input *in,
		  struct field_errors *errs, int64_t *mark_id);

/* The walk as its walker hands it in: how long it took, the item's extra fields (names[i] = values[i]). */
struct campaign_walk {
	int64_t stretch_id, member_id, minutes;
	size_t nfields;
	const char *const *names;
	const char *const *values;
};
/*
 * The member walking w->stretch_id has walked it: every door marked at
 * least once (CAMPAIGN_BAD_STATE while one is to do). Their service record
 * of the walk (source campaign, the campaign's item with w's fields,
 * minutes long, ending now) is written pending the community's
 * confirmation, once (CAMPAIGN_DUPLICATE); campaign.walk audited. A record
 * refused goes to errs (CAMPAIGN_INVALID), or CAMPAIGN_OVERLAP.
 */
int campaign_walk_done(struct db *db, const struct actor *who, const struct campaign_walk *w,
		       struct field_errors *errs, int64_t *record_id);
/* The stretches member_id walks in active campaigns, newest campaign first. *items: caller frees. */
int campaign_member_stretches(struct db *db, int64_t member_id, struct campaign_stretch **items, size_t *n);

/* Who could walk a stretch: members approved in its community, those living in the building first, then its grid. */
struct campaign_suggestion {
	int64_t member_id;
	char name[TEXT_BYTES(50)];
	char near[12]; /* building, grid or community */
	int64_t walking; /* stretches of this campaign they walk already */
};
int campaign_suggest(struct db *db, int64_t stretch_id, struct campaign_suggestion *out, size_t *n);

/* One household of a campaign for the export: where, its state, its latest visit's answers (by field). */
struct campaign_export_row {
	const char *building_name, *grid_name, *unit_no, *room, *state, *member_name;
	bool has_floor;
	int64_t floor, marks, updated_at;
	const char *answers[CATALOG_FIELDS_MAX]; /* "" when not answered */
};
/* Calls each for every household of campaign id in tree order; stops at the first nonzero answer. */
int campaign_export(struct db *db, int64_t id, int (*each)(const struct campaign_export_row *r, void *arg), void *arg);

#endif
