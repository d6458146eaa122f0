/* activity.h: activities (活动): drafts, publishing, recurring series, cancelling, who organises and who may sign up */
#ifndef DOMAIN_ACTIVITY_H
#define DOMAIN_ACTIVITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/json_spec.h"
#include "base/xalloc.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/catalog.h"
#include "domain/region.h"
#include "domain/unit.h"

/* The longest texts of an activity, in characters, and its other bounds. */
enum {
	ACTIVITY_TITLE_MAX = 60,
	ACTIVITY_TEXT_MAX = 1000, /* the description */
	ACTIVITY_PLACE_MAX = 100,
	ACTIVITY_REASON_MAX = 200, /* a cancellation's, a leave's and its answer */
	ACTIVITY_TAG_MAX = 20, /* one specialty wanted */
	ACTIVITY_TAGS_N = 5,
	ACTIVITY_CAPACITY_MAX = 2000,
	ACTIVITY_WAITING_MAX = 200, /* the longest waiting list */
	ACTIVITY_SERIES_MAX = 52, /* occurrences of one series: a year of Saturdays */
	ACTIVITY_HOURS_MAX = 24, /* the longest one occurrence lasts */
	ACTIVITY_TEAM_NAME = 60, /* bytes kept of a team's name, in characters */
};

/* Every result of the activity, sign-up and attendance functions (the API says each in its words). */
enum activity_rc {
	ACTIVITY_OK = 0,
	ACTIVITY_ERROR = -1,
	ACTIVITY_NOT_FOUND = -2,
	ACTIVITY_INVALID = -3, /* faults in the caller's field_errors */
	ACTIVITY_BAD_STATE = -4, /* not in a state that allows it (a draft, cancelled, closed) */
	ACTIVITY_NOT_ENDED = -5, /* closing before the end */
	ACTIVITY_ENDED = -6, /* signing up, asking leave after the end */
	ACTIVITY_DEADLINE = -7, /* signing up or cancelling after the sign-up deadline */
	ACTIVITY_NOT_OPEN = -8, /* the member lives outside the activity's audience */
	ACTIVITY_NOT_APPROVED = -9, /* the member has no approved report-in */
	ACTIVITY_ALREADY = -10, /* signed up (or waiting) already */
	ACTIVITY_FULL = -11, /* places and waiting list are full */
	ACTIVITY_NOT_SIGNED = -12, /* no live sign-up of this member (or a waiting one, for attendance) */
	ACTIVITY_CAPACITY = -13, /* fewer places than members signed up */
	ACTIVITY_LEAVE_STATE = -14, /* no leave asked to answer, or one answered already */
	ACTIVITY_TOKEN = -15, /* a check-in code refused: the verdict says why */
	ACTIVITY_WINDOW = -16, /* staff ticking outside the activity's time, a time in the future */
	ACTIVITY_NOT_IN = -17, /* checking out without having checked in */
};

enum activity_organiser { ORGANISER_COMMUNITY, ORGANISER_TEAM, ORGANISER_UNIT };
extern const char *const activity_organisers[]; /* "community", "team", "unit" */
extern const char *const activity_audiences[]; /* "community", "street", "city" */
extern const char *const activity_states[]; /* "draft", "published", "cancelled", "closed" */

/* What a form gives for an occurrence; strings borrowed, "" or NULL when absent. */
struct activity_input {
	const char *community_code;
	enum activity_organiser organiser;
	int64_t team_id, unit_id; /* for a team's, a unit's */
	int64_t item_id;
	const char *title, *description, *place;
	const char *building_code; /* a building of the community, optional */
	int64_t starts_at, ends_at;
	int64_t signup_deadline; /* 0: the start */
	int64_t capacity;
	const char *audience;
	const char *specialties; /* tags joined by ',' */
	int64_t minutes_cap; /* 0: the activity's length */
};

/* A recurring series: every chosen weekday (bit 0 Monday … bit 6 Sunday, China time) until a date or n times. */
struct activity_repeat {
	unsigned weekdays;
	int64_t until; /* Unix time of the last day's end (inclusive), or 0 */
	int64_t count; /* occurrences, or 0 */
};

struct activity {
	int64_t id;
	char community_code[24];
	char community_name[REGION_TEXT];
	char community_path[PATH_MAX_LEN];
	char organiser[12];
	int64_t team_id, unit_id, item_id;
	char team_name[TEXT_BYTES(ACTIVITY_TEAM_NAME)];
	char unit_name[TEXT_BYTES(UNIT_NAME_MAX)];
	char item_code[TEXT_BYTES(CATALOG_CODE_MAX)];
	char item_name[TEXT_BYTES(CATALOG_NAME_MAX)];
	char category[12];
	char title[TEXT_BYTES(ACTIVITY_TITLE_MAX)];
	char description[TEXT_BYTES(ACTIVITY_TEXT_MAX)];
	char place[TEXT_BYTES(ACTIVITY_PLACE_MAX)];
	char building_code[24];
	char building_name[REGION_TEXT];
	int64_t starts_at, ends_at, signup_deadline, capacity;
	char audience[12];
	char specialties[TEXT_BYTES(ACTIVITY_TAGS_N * (ACTIVITY_TAG_MAX + 1))];
	int64_t minutes_cap, series_id;
	char state[12];
	char cancel_reason[TEXT_BYTES(ACTIVITY_REASON_MAX)];
	int64_t version, created_by, created_at, updated_at, closed_at;
	int64_t signed_count, waiting_count; /* live sign-ups: with a place, on the waiting list */
};

/*
 * The day offsets (from starts_at's day, in days) of a series' occurrences: the
 * days from starts_at's own (China time) on whose weekday is in r->weekdays,
 * until r->until or r->count of them, at most max. *n may be 0 (none matched).
 */
void activity_series_expand(int64_t starts_at, const struct activity_repeat *r, size_t max, int64_t *days, size_t *n);

/*
 * Checks an occurrence's input as a create or an edit would store it:
 * texts, times (the end after the start, at most ACTIVITY_HOURS_MAX; the
 * deadline at or before the end), capacity, audience, specialties, the cap,
 * that the community, building, item (offered there), team (active, of the
 * community or its street) and unit exist. Faults in errs by API field name.
 * Fills out's community, organiser, team, unit and item from what it found
 * (for activity_may_manage before anything is written). -1 on a storage error.
 */
int activity_check(struct db *db, const struct activity_input *in, struct field_errors *errs, struct activity *out);

/*
 * Whether the account (principal p) may run activity a (edit, publish,
 * cancel, take attendance, close): staff over its community
 * (ACT_SERVE_MANAGE); for a team's, its leader or staff over the team's
 * place; for a unit's, the unit (ACT_ACTIVITY_UNIT) while it has a signed
 * agreement with the community in force on now's date. -1 on a storage error.
 */
int activity_may_manage(struct db *db, const struct principal *p, int64_t account_id, const struct activity *a,
			int64_t now);
/* Whether the account leads team_id (an active team): 1, 0, or -1 on a storage error. */
int activity_team_led(struct db *db, int64_t team_id, int64_t account_id);
/* Whether a member living in community member_code may sign up for a (its audience). */
bool activity_open_to(const struct activity *a, const char *member_code);

/*
 * Creates a draft (or, with publish, a published occurrence) from in, and for
 * a repeat (NULL: none) one occurrence per day of activity_series_expand, the
 * first one's id their series_id; own transaction, audited activity.create.
 * *first is the first occurrence's id, *n how many were made.
 */
int activity_create(struct db *db, const struct actor *who, const struct activity_input *in,
		    const struct activity_repeat *repeat, bool publish, struct field_errors *errs, int64_t *first,
		    size_t *n);
/*
 * Replaces what a draft or published occurrence says (activity.update). Fewer
 * places than members signed is ACTIVITY_CAPACITY; more places move the
 * waiting list up; a new time or place is told to each member signed up.
 */
int activity_update(struct db *db, const struct actor *who, int64_t id, const struct activity_input *in, int64_t now,
		    struct field_errors *errs);
/* draft → published; with series, this occurrence's later drafts too. *n: how many. */
int activity_publish(struct db *db, const struct actor *who, int64_t id, bool series, int64_t now, size_t *n);
/*
 * draft or published → cancelled with reason; each member signed up or
 * waiting is told (an activity_cancelled event with the reason). With series,
 * this occurrence and the series' later ones not yet over. *n: how many.
 */
int activity_cancel(struct db *db, const struct actor *who, int64_t id, const char *reason, bool series,
		    int64_t now, size_t *n);

int activity_get(struct db *db, int64_t id, struct activity *out);

struct activity_filter {
	const char *community; /* a code in scope, or NULL */
	const char *state;
	int64_t team_id, unit_id; /* 0: any */
	int64_t from, to; /* starts in [from, to); 0: open */
	int64_t page, per_page;
};
/*
 * The activities whose community lies in scope or whose unit is one of the
 * scope's, by start time (a calendar's page). A narrow scope reads its
 * communities' calendars; a wide one the start-time index. *items: caller frees.
 */
int activity_list(struct db *db, const struct scope *scope, const struct activity_filter *f, struct activity **items,
		  size_t *n, int64_t *total);
/* A team leader's: the activities of team_id. */
int activity_list_team(struct db *db, int64_t team_id, const struct activity_filter *f, struct activity **items,
		       size_t *n, int64_t *total);

/*
 * What a member living in community member_code may sign up for, not yet
 * over at now: their community's first, then their street's open to the
 * street or the city, then the city's open to the city; each by start time.
 * *items: caller frees.
 */
int activity_near(struct db *db, const char *member_code, int64_t now, int64_t page, int64_t per_page,
		  struct activity **items, size_t *n, int64_t *total);

/* For the module's own files (activity_list.c): the SELECT … FROM of a whole row, and reading one. */
const char *activity_columns_sql(void);
void activity_read_row(struct db_stmt *st, struct activity *a);

/* Adds one to the activity's version (inside the caller's transaction): its sheet has changed. */
int activity_touch(struct db *db, int64_t id, int64_t now);

#endif
