/* minutes.h: the minutes rule: how one person's attendance at an activity becomes a status and credited minutes */
#ifndef DOMAIN_MINUTES_H
#define DOMAIN_MINUTES_H

#include <stdbool.h>
#include <stdint.h>

/* Arriving more than this after the start is late; leaving more than this before the end is leaving early. */
#define MINUTES_GRACE (10 * 60)

enum attendance_status { ATT_PRESENT, ATT_LATE, ATT_LEFT_EARLY, ATT_ABSENT, ATT_ON_LEAVE };
extern const char *const attendance_statuses[]; /* "present", "late", "left_early", "absent", "leave" (the console's words: serve.attendance) */

/* One person's attendance; times are Unix seconds, 0 when there is none. */
struct minutes_input {
	int64_t starts_at, ends_at; /* as scheduled */
	int64_t checkin_at, checkout_at;
	bool until_end; /* staff confirm that one who did not check out stayed to the end */
	bool on_leave; /* their leave was approved */
	int64_t cap; /* the most minutes the activity credits one person (its minutes_cap); 0: no cap */
};

struct minutes_result {
	enum attendance_status status;
	bool late, left_early; /* both can hold: status then says left_early */
	bool unconfirmed; /* checked in, neither checked out nor confirmed by staff: no minutes until they are */
	int64_t minutes; /* credited, whole minutes, never negative */
};

/*
 * The rule (docs/serving.md, "The minutes rule"):
 * - no check-in: absent, or on leave when the leave was approved; 0 minutes;
 * - the time counts from the later of the start and the check-in (arriving
 *   early counts from the start), until the earlier of the end and the
 *   check-out (staying on counts until the end); with no check-out it counts
 *   until the end only when staff confirm it (until_end), otherwise nothing
 *   (unconfirmed);
 * - late: checked in more than MINUTES_GRACE after the start; left early:
 *   checked out more than MINUTES_GRACE before the end; status left_early
 *   before late before present;
 * - whole minutes, rounded down, at most cap; a check-out before the
 *   check-in counts nothing.
 * A check-in counts over an approved leave: the person came after all.
 */
void minutes_credit(const struct minutes_input *in, struct minutes_result *out);

#endif
