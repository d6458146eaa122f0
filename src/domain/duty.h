/* duty.h: duty rosters (值守/值班): posts, shifts by week pattern, sign-up and assignment, swaps, check-in, closing into records, units' rotas */
#ifndef DOMAIN_DUTY_H
#define DOMAIN_DUTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/json_spec.h"
#include "base/qrtoken.h"
#include "base/xalloc.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/member.h"
#include "domain/region.h"
#include "domain/unit.h"

/* Characters, not bytes; minutes of the day; how many shifts one pattern makes; places of a shift. */
enum { DUTY_NAME_MAX = 40, DUTY_PLACE_MAX = 100, DUTY_PLACES_MAX = 50, DUTY_PATTERN_DAYS = 62,
       DUTY_DAY_MIN = 1440, DUTY_PER_DAY_MAX = 10 };

enum duty_rc {
	DUTY_OK = 0,
	DUTY_ERROR = -1,
	DUTY_NOT_FOUND = -2,
	DUTY_INVALID = -3, /* faults in errs */
	DUTY_FULL = -4, /* every place of the shift is taken */
	DUTY_ALREADY = -5, /* the member is on that shift already */
	DUTY_STARTED = -6, /* the shift has begun (or is over): no sign-up, cancel or swap */
	DUTY_CLASH = -7, /* the member is on another shift at that time */
	DUTY_STATE = -8, /* not in a state that allows it (a closed post, a shift closed, a swap answered) */
	DUTY_NOT_ENDED = -9, /* closing before the end */
	DUTY_NOT_MEMBER = -10, /* not an approved member of the post's community */
	DUTY_NO_AGREEMENT = -11, /* the unit has no signed agreement in force with the community */
	DUTY_WINDOW = -12, /* check-in outside an hour before the start .. the end */
	DUTY_SWAP_RULE = -13, /* the swap rules refuse it: *verdict says why */
	DUTY_TOKEN = -14, /* a check-in code refused: *verdict says why (base/qrtoken.h) */
	DUTY_NOT_ON_SHIFT = -15, /* a genuine code of the shift, scanned by a member holding no place on it */
};

extern const char *const duty_post_states[]; /* "open", "closed", NULL */
/* "signed", "assigned", "checked_in", "worked", "no_show", "cancelled", NULL */
extern const char *const duty_assignment_states[];

/* --- pure rules (duty_rules.c) ------------------------------------------------------------------------ */

/* Unix seconds of 00:00 China time (UTC+8) of YYYY-MM-DD day; false unless day is a valid date. */
bool duty_day_start(const char *day, int64_t *out);
/* ISO weekday of day, 1 (Monday) .. 7 (Sunday); 0 unless a valid date. */
int duty_weekday(const char *day);
/* The day n days after day (n may be negative), into out. */
void duty_day_add(const char *day, int n, char out[11]);

struct duty_slot {
	int64_t starts_at, ends_at;
};
bool duty_overlap(const struct duty_slot *a, const struct duty_slot *b);

/* What a swap or a gift decides on: the asker gives mine and takes theirs (give: nothing). */
struct duty_swap_case {
	int64_t asker_id, other_id; /* member ids */
	bool asker_in_community, other_in_community; /* approved members of the posts' community */
	bool give;
	struct duty_slot mine, theirs; /* theirs unused when give */
	const struct duty_slot *asker_busy; /* the asker's other live shifts (not mine) */
	size_t n_asker_busy;
	const struct duty_slot *other_busy; /* the other's live shifts (not theirs) */
	size_t n_other_busy;
	bool same_community; /* both shifts of one community (a gift: true) */
};
enum duty_swap_verdict {
	SWAP_OK,
	SWAP_SELF, /* with oneself */
	SWAP_STARTED, /* a shift has begun or is past */
	SWAP_NOT_MEMBER, /* either member not of the community, or the shifts of two communities */
	SWAP_ASKER_CLASH, /* the asker has another shift at the time of theirs */
	SWAP_OTHER_CLASH, /* the other has another shift at the time of mine (or is on it already) */
};
extern const char *const duty_swap_verdicts[]; /* "ok", "self", "started", "not_member", "asker_clash", "other_clash" */
enum duty_swap_verdict duty_swap_check(const struct duty_swap_case *c, int64_t now);

/* --- posts and shifts -------------------------------------------------------------------------------- */

struct duty_post {
	int64_t id;
	char community_code[24];
	char community_name[REGION_TEXT];
	char community_path[PATH_MAX_LEN];
	char name[TEXT_BYTES(DUTY_NAME_MAX)];
	char place[TEXT_BYTES(DUTY_PLACE_MAX)];
	int64_t item_id;
	char item_name[TEXT_BYTES(40)];
	char state[8];
	int64_t created_at, updated_at;
};

struct duty_post_input {
	const char *name, *place, *state; /* NULL place: ""; NULL state: "open" */
	int64_t item_id; /* a catalogue item offered in the community, asking no extra field */
};

/* Adds a post to community code (a community); audited duty.post_create. */
int duty_post_add(struct db *db, const struct actor *who, const char *community_code, const struct duty_post_input *in,
		  struct field_errors *errs, int64_t *id);
/* Changes name, place, item and state; audited duty.post_update. */
int duty_post_update(struct db *db, const struct actor *who, int64_t id, const struct duty_post_input *in,
		     struct field_errors *errs);
int duty_post_get(struct db *db, int64_t id, struct duty_post *out);

struct duty_pattern {
	const char *from, *to; /* YYYY-MM-DD, at most DUTY_PATTERN_DAYS days */
	unsigned weekdays; /* bit w for ISO weekday w (1..7) */
	int64_t start, end; /* minutes of the day: 0 <= start < 1440, start < end <= start + 1440 */
	int64_t places;
};
/*
 * Makes a shift of post id on each day from..to whose weekday is in the
 * pattern (an open post); days having a shift at that start already are
 * kept. One transaction, audited duty.shifts_create.
 */
int duty_shifts_create(struct db *db, const struct actor *who, int64_t post_id, const struct duty_pattern *p,
		       struct field_errors *errs, size_t *added, size_t *kept);

struct duty_shift {
	int64_t id, post_id;
	char post_name[TEXT_BYTES(DUTY_NAME_MAX)];
	char place[TEXT_BYTES(DUTY_PLACE_MAX)];
	char community_code[24];
	char community_path[PATH_MAX_LEN];
	char day[11];
	int64_t start_min, end_min, places, filled;
	int64_t starts_at, ends_at, closed_at;
	int64_t item_id;
	char post_state[8];
};
int duty_shift_get(struct db *db, int64_t id, struct duty_shift *out);

struct duty_assignment {
	int64_t id, shift_id, member_id;
	char member_name[TEXT_BYTES(MEMBER_NAME_MAX)];
	int64_t unit_id;
	char state[12];
	int64_t checked_in_at, record_id;
	char record_state[12];
	int64_t created_at, updated_at;
};
int duty_assignment_get(struct db *db, int64_t id, struct duty_assignment *out);
/* The live (not cancelled) assignments of a shift, in order of arrival; all of them when all. *items: caller frees. */
int duty_shift_people(struct db *db, int64_t shift_id, bool all, struct duty_assignment **items, size_t *n);

/* The week of a community from monday (a Monday): its posts, and the shifts of those seven days. */
struct duty_week {
	struct duty_post *posts;
	size_t nposts;
	struct duty_shift *shifts; /* by post, day, start */
	size_t nshifts;
};
int duty_week_read(struct db *db, const char *community_code, const char *monday, struct duty_week *out);
void duty_week_release(struct duty_week *w);

/* --- sign-up and assignment ------------------------------------------------------------------------- */

/* The member behind an account, as duty needs it. DUTY_NOT_FOUND without a file. */
struct duty_member {
	int64_t id, unit_id;
	char name[TEXT_BYTES(MEMBER_NAME_MAX)];
	char community_code[24];
	bool approved;
};
int duty_member_of_account(struct db *db, int64_t account_id, struct duty_member *out);
int duty_member_get(struct db *db, int64_t member_id, struct duty_member *out);
/* The approved member of community code with mobile phone: DUTY_NOT_FOUND when none (the lowest id when several). */
int duty_member_by_phone(struct db *db, const char *community_code, const char *phone, struct duty_member *out);

/*
 * Puts member_id on shift_id (by_staff: assigned, else signed), one write
 * transaction: the post open and the shift not begun (DUTY_STARTED), the
 * member approved in the post's community (DUTY_NOT_MEMBER), not on it
 * (DUTY_ALREADY) nor on another shift then (DUTY_CLASH), a place free
 * (DUTY_FULL). Audited duty.signup or duty.assign. *id: the assignment.
 */
int duty_assign(struct db *db, const struct actor *who, int64_t shift_id, int64_t member_id, bool by_staff, int64_t now,
		int64_t *id);
/* Cancels a live assignment before its shift begins (DUTY_STARTED, DUTY_STATE); audited duty.cancel. Open swaps of it end. */
int duty_cancel(struct db *db, const struct actor *who, int64_t assignment_id, int64_t now);

/* A member's assignment with its shift. */
/* A place on a shift with its shift: a member's list, the no-shows. */
struct duty_place {
	struct duty_assignment a;
	struct duty_shift s;
};
/* The member's shifts: upcoming first (soonest first), then past ones (latest first); cancelled ones not. *items: caller frees. */
int duty_mine(struct db *db, int64_t member_id, int64_t now, size_t max, struct duty_place **items, size_t *n);

/* --- swaps ---------------------------------------------------------------------------------------- */

struct duty_swap {
	int64_t id, assignment_id, to_member_id, other_assignment_id; /* other 0: a gift */
	char state[12];
	int64_t asker_id;
	char asker_name[TEXT_BYTES(MEMBER_NAME_MAX)];
	char to_name[TEXT_BYTES(MEMBER_NAME_MAX)];
	struct duty_shift mine, theirs; /* theirs.id 0 for a gift */
	int64_t created_at, updated_at;
};

/*
 * The asker (member asker_id, holder of assignment_id) asks to give it to
 * to_member_id, taking their assignment on other_shift_id in exchange (0: a
 * gift). The rules of duty_swap_check (SWAP_* in *verdict, DUTY_INVALID);
 * DUTY_NOT_FOUND when the other member holds no live place on that shift.
 * Audited duty.swap_ask.
 */
int duty_swap_ask(struct db *db, const struct actor *who, int64_t asker_id, int64_t assignment_id, int64_t to_member_id,
		  int64_t other_shift_id, int64_t now, enum duty_swap_verdict *verdict, int64_t *id);
enum duty_swap_step {
	SWAP_ACCEPT, /* the other member: asked → accepted */
	SWAP_DECLINE, /* the other member: asked → declined */
	SWAP_WITHDRAW, /* the asker: asked or accepted → withdrawn */
	SWAP_APPROVE, /* staff: accepted → approved, the assignments change hands */
	SWAP_REFUSE, /* staff: accepted → refused */
};
/*
 * Moves swap id one step (DUTY_STATE when its state does not allow it).
 * Accepting and approving check the rules again as things are now
 * (*verdict); approving changes both assignments in the same transaction.
 * Audited duty.swap_accept, _decline, _withdraw, _approve, _refuse.
 */
int duty_swap_step(struct db *db, const struct actor *who, int64_t id, enum duty_swap_step step, int64_t now,
		   enum duty_swap_verdict *verdict);
int duty_swap_get(struct db *db, int64_t id, struct duty_swap *out);
/* Swaps of a community in state (NULL: open ones, asked and accepted), oldest first. *items: caller frees. */
int duty_swap_list(struct db *db, const char *community_code, const char *state, struct duty_swap **items, size_t *n);
/* Swaps a member asked or was asked, newest first (at most 50). *items: caller frees. */
int duty_swap_mine(struct db *db, int64_t member_id, struct duty_swap **items, size_t *n);

/* --- check-in, closing ------------------------------------------------------------------------------- */

/* Staff check in a live assignment of a shift not closed, from 1 hour before its start to its end; twice: *already. */
int duty_checkin(struct db *db, const struct actor *who, int64_t assignment_id, int64_t now, bool *already);

/*
 * Member member_id scanned token, a shift's check-in code (base/qrtoken.h:
 * the screen's 30-second code or the shift's poster, good from QRTOKEN_EARLY
 * before the start to the end): DUTY_TOKEN with *verdict when the code is
 * refused (forged, an activity's, another shift's, expired, outside the
 * window); DUTY_NOT_ON_SHIFT when the member holds no live place on it;
 * DUTY_STATE when their place is past checking in (worked, no-show, the shift
 * closed). Sets the state staff's duty_checkin sets (closing then makes the
 * record), in one write transaction audited duty.checkin_qr; twice: *already,
 * nothing written. *out: the place and its shift as they are now.
 */
int duty_scan(struct db *db, const struct actor *who, int64_t member_id, const char *token, int64_t now,
	      enum qrtoken_verdict *verdict, bool *already, struct duty_place *out);

struct duty_closing {
	int64_t worked, no_show, records, skipped; /* skipped: worked, but the record was refused (another service then) */
};
/*
 * Closes shift id after its end (DUTY_NOT_ENDED), once (DUTY_STATE): each
 * checked-in member worked, with a pending record (SOURCE_DUTY, origin the
 * assignment, minutes the shift's length) in the same transaction; everyone
 * else on it no_show. Audited duty.close.
 */
int duty_close(struct db *db, const struct actor *who, int64_t shift_id, int64_t now, struct duty_closing *out);

/* The no-shows of a community's shifts on days from..to (YYYY-MM-DD), latest first (at most 500). *items: caller frees. */
int duty_no_shows(struct db *db, const char *community_code, const char *from, const char *to,
		  struct duty_place **items, size_t *n);

/* --- units ---------------------------------------------------------------------------------------- */

/*
 * Unit unit_id commits per_day members a day to post_id (again: per_day
 * changes); DUTY_NO_AGREEMENT without a signed agreement in force with the
 * post's community. Audited duty.commit.
 */
int duty_commit(struct db *db, const struct actor *who, int64_t unit_id, int64_t post_id, int64_t per_day,
		const char *today, int64_t *id);

/* A unit's rota: one row per commitment and day of the week. */
struct duty_rota_day {
	int64_t commitment_id, post_id;
	char post_name[TEXT_BYTES(DUTY_NAME_MAX)];
	char community_name[REGION_TEXT];
	char day[11];
	int64_t per_day, filled; /* filled: the unit's own members on a shift of that post that day */
	char *names; /* the unit's own members on it, joined by "、" (owned: duty_rota_release) */
};
int duty_rota(struct db *db, int64_t unit_id, const char *monday, struct duty_rota_day **items, size_t *n);
void duty_rota_release(struct duty_rota_day *items, size_t n);

#endif
