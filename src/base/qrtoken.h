/* qrtoken.h: the signed, short-lived check-in codes of activities and duty shifts: a screen's code that changes every 30 s, a poster's */
#ifndef BASE_QRTOKEN_H
#define BASE_QRTOKEN_H

#include <stdbool.h>
#include <stdint.h>

/*
 * A code reads "<subject><id>.<kind><slot>.<mac>", e.g. "A42.r59666666.3f9c…":
 * what it belongs to ('A' an activity, 'S' a duty shift) and its id, its kind ('r' the rotating code of a screen,
 * 'p' a printed poster's), its slot (a screen code's 30-second period,
 * now / 30; a poster's, the activity's start time, so that moving the
 * activity retires the posters printed before), and the first 128 bits of a
 * keyed BLAKE2b (the installation key's KEY_QR subkey) over the rest, the
 * subject letter included. Nothing in it is secret; what cannot be made
 * without the key is a code for another activity or shift, subject, kind or
 * slot: an activity's code never checks anyone in to a shift, nor a shift's
 * to an activity, whatever their ids.
 */
#define QRTOKEN_MAX 72 /* bytes of a code, with its NUL */
#define QRTOKEN_SLOT_SECONDS 30 /* a screen's code changes this often */
#define QRTOKEN_EARLY (30 * 60) /* codes work from this long before the start */
#define QRTOKEN_CHECKOUT_LATE (30 * 60) /* a screen's code checks out until this long after the end */

enum qrtoken_kind { QRTOKEN_SCREEN = 'r', QRTOKEN_POSTER = 'p' };
/* What a code checks in to; 0 in a struct qrtoken means an activity. */
enum qrtoken_subject { QRTOKEN_ACTIVITY = 'A', QRTOKEN_SHIFT = 'S' };

struct qrtoken {
	int64_t id; /* the activity's or the shift's */
	enum qrtoken_kind kind;
	int64_t slot;
	enum qrtoken_subject subject; /* 0: QRTOKEN_ACTIVITY */
};

/* The slot of a screen's code at time now. */
int64_t qrtoken_slot(int64_t now);
/* Writes the signed code of t. Needs the installation key (crypto_key_load). */
void qrtoken_make(const struct qrtoken *t, char out[QRTOKEN_MAX]);

enum qrtoken_verdict {
	QRTOKEN_ACCEPTED = 0,
	QRTOKEN_FORGED = 1, /* not a code this installation made: altered, invented, cut short, or not a code at all */
	QRTOKEN_OTHER_ACTIVITY = 2, /* a genuine code, of another activity */
	QRTOKEN_EXPIRED = 3, /* a screen's code older than its slot and the one before (a photo of an old code) */
	QRTOKEN_STALE_POSTER = 4, /* a poster printed before the activity was moved to another time */
	QRTOKEN_TOO_EARLY = 5, /* more than QRTOKEN_EARLY before the start */
	QRTOKEN_TOO_LATE = 6, /* after the end (a screen's check-out: QRTOKEN_CHECKOUT_LATE after it) */
	/* Not qrtoken_check's: attendance_scan's, for a screen's code that checked this person in, offered again to check out. */
	QRTOKEN_REPLAYED = 7,
	/* A genuine code of the other subject: a shift's offered to an activity, or an activity's to a shift. */
	QRTOKEN_OTHER_SUBJECT = 8,
};

/* Whether text is a code this installation made (its signature holds); *out gets what it says. */
bool qrtoken_read(const char *text, struct qrtoken *out);

/*
 * Whether text is a code that lets someone check in (checkout false) or out
 * of activity activity_id, which runs from starts_at to ends_at, at time now.
 * A screen's code is good in its slot and the one after (so for 30 to 60
 * seconds); a poster's, for its activity's current start. Both only from
 * QRTOKEN_EARLY before the start to the end; a screen's code checks out
 * until QRTOKEN_CHECKOUT_LATE after the end. *out, when given, gets what the
 * code says once its signature holds. The checks run in the order of the
 * verdicts above, so a forged code is never told anything about its activity.
 * A shift's code: QRTOKEN_OTHER_SUBJECT, before anything else is looked at.
 */
enum qrtoken_verdict qrtoken_check(const char *text, int64_t activity_id, int64_t starts_at, int64_t ends_at,
				   bool checkout, int64_t now, struct qrtoken *out);
/*
 * The same rule for a code of duty shift shift_id (starts_at .. ends_at): a
 * code of an activity is QRTOKEN_OTHER_SUBJECT; QRTOKEN_OTHER_ACTIVITY means
 * a genuine code of another shift. Check-in only (shifts have no check-out).
 */
enum qrtoken_verdict qrtoken_check_shift(const char *text, int64_t shift_id, int64_t starts_at, int64_t ends_at,
					 int64_t now, struct qrtoken *out);

#endif
