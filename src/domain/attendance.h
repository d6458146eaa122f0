/* attendance.h: check-in and check-out (签到/签退) by code or by staff, the live sheet (签到表), closing into records */
#ifndef DOMAIN_ATTENDANCE_H
#define DOMAIN_ATTENDANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/qrtoken.h"
#include "domain/activity.h"
#include "domain/activity_signup.h"
#include "domain/minutes.h"

/*
 * A member checks in (checkout false) or out of activity_id with a code
 * they scanned (base/qrtoken.h): the activity published, the code accepted
 * for it now (ACTIVITY_TOKEN with *verdict otherwise), the member holding a
 * place (ACTIVITY_NOT_SIGNED; on the waiting list too), checked in before
 * checking out (ACTIVITY_NOT_IN). Doing it twice changes nothing and sets
 * *already: the first time counts. A screen's code that checked the member
 * in does not check them out (ACTIVITY_TOKEN, QRTOKEN_REPLAYED): leaving
 * takes a code of a later slot. *out is the sign-up after it.
 */
int attendance_scan(struct db *db, const struct actor *who, int64_t activity_id, int64_t member_id,
		    const char *token, bool checkout, int64_t now, enum qrtoken_verdict *verdict, bool *already,
		    struct activity_signup *out);

enum attendance_tick {
	TICK_CHECKIN, /* staff tick one who came without a phone: at the time given */
	TICK_CHECKOUT,
	TICK_CLEAR, /* un-tick a mistake: no check-in, no check-out, no confirmation */
	TICK_CLEAR_CHECKOUT,
	TICK_UNTIL_END, /* confirm that one who did not check out stayed to the end */
	TICK_NOT_UNTIL_END,
};
extern const char *const attendance_ticks[]; /* "checkin", "checkout", "clear", "clear_checkout", "until_end", "not_until_end" */

/*
 * Staff change the attendance of sign-up id (one with a place) of a published
 * activity; at (for a check-in or out) lies between QRTOKEN_EARLY before the
 * start and QRTOKEN_CHECKOUT_LATE after the end, never after now, a check-out
 * not before the check-in (ACTIVITY_WINDOW); a check-out or a confirmation
 * needs a check-in (ACTIVITY_NOT_IN). Audited activity.attendance.
 */
int attendance_tick(struct db *db, const struct actor *who, int64_t id, enum attendance_tick what, int64_t at,
		    int64_t now, struct activity_signup *out);

/* One line of the sheet: the sign-up and what the minutes rule makes of it so far. */
struct attendance_row {
	struct activity_signup signup;
	struct minutes_result result; /* minutes are what closing would credit now */
	bool arrived;
};

struct attendance_counts {
	int64_t signed_up, waiting, arrived, present, late, left_early, absent, on_leave, leave_asked, checked_out,
		unconfirmed;
};

/* The sheet of an activity: its counts and one row per member with a place, in order of arrival. */
struct attendance_sheet {
	struct activity activity;
	struct attendance_counts counts;
	struct attendance_row *rows; /* owned: attendance_sheet_release */
	size_t nrows;
};
int attendance_sheet_read(struct db *db, int64_t activity_id, struct attendance_sheet *out);
void attendance_sheet_release(struct attendance_sheet *s);
/* The minutes rule's input for sign-up s of activity a. */
void attendance_input(const struct activity *a, const struct activity_signup *s, struct minutes_input *in);

/* One member closing made no record for, and why. */
struct attendance_skip {
	int64_t signup_id, member_id;
	char member_name[TEXT_BYTES(MEMBER_NAME_MAX)];
	char why[16]; /* unconfirmed (no check-out), no_minutes, overlap (another service then), refused */
	char message[128];
};

struct attendance_closing {
	int64_t records, absent, on_leave;
	struct attendance_skip *skipped; /* owned: attendance_closing_release */
	size_t nskipped;
};

/*
 * Closes a published activity after its end (ACTIVITY_NOT_ENDED before): each
 * member with a place gets a pending record (record_add, source activity) of
 * the minutes the rule credits; absent and on leave make none, nor do those
 * listed in out->skipped: checked in but neither checked out nor confirmed,
 * no whole minute, another service overlapping (RECORD_OVERLAP), or refused
 * by record_add. One transaction; each member is told (recorded or
 * not_recorded), audited activity.close.
 */
int attendance_close(struct db *db, const struct actor *who, int64_t activity_id, int64_t now,
		     struct attendance_closing *out);
void attendance_closing_release(struct attendance_closing *c);

#endif
