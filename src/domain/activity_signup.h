/* activity_signup.h: signing up for an activity (报名): places, the waiting list, cancelling, leave (请假), what members are told */
#ifndef DOMAIN_ACTIVITY_SIGNUP_H
#define DOMAIN_ACTIVITY_SIGNUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/activity.h"
#include "domain/member.h"
#include "domain/record.h"

/* The member behind an account, as signing up needs it: MEMBER_NOT_FOUND-like ACTIVITY_NOT_FOUND without a file. */
struct activity_member {
	int64_t id;
	char name[TEXT_BYTES(MEMBER_NAME_MAX)];
	char community_code[24]; /* where the member lives: the approved report-in's community */
	bool approved;
};
int activity_member_of(struct db *db, int64_t account_id, struct activity_member *out);

struct activity_signup {
	int64_t id, activity_id, member_id;
	char member_name[TEXT_BYTES(MEMBER_NAME_MAX)];
	char member_phone[TEXT_BYTES(MEMBER_PHONE_MAX)];
	char unit_name[TEXT_BYTES(UNIT_NAME_MAX)];
	char state[12]; /* signed, waiting, cancelled */
	int64_t seq; /* order of arrival */
	int64_t position; /* on the waiting list, from 1; 0 when not waiting */
	char leave[12]; /* "", asked, approved, refused */
	char leave_reason[TEXT_BYTES(ACTIVITY_REASON_MAX)];
	char leave_answer[TEXT_BYTES(ACTIVITY_REASON_MAX)];
	int64_t checkin_at, checkout_at; /* 0: none */
	char checkin_by[8], checkout_by[8]; /* qr, poster, staff */
	bool until_end;
	int64_t created_at, updated_at;
	int64_t record_id, record_minutes; /* the record made on closing, 0 when none */
	char record_state[12];
};

/*
 * Signs member_id up for activity_id, in one write transaction: a place while
 * fewer members than the capacity have one, else the waiting list (at most
 * ACTIVITY_WAITING_MAX, then ACTIVITY_FULL). The activity must be published
 * and not over (ACTIVITY_ENDED), the member approved (ACTIVITY_NOT_APPROVED)
 * and living in its audience (ACTIVITY_NOT_OPEN), not signed up already
 * (ACTIVITY_ALREADY). A member signs up until the deadline (ACTIVITY_DEADLINE);
 * staff (by_staff: 代报名) until the end. Audited activity.signup; *out is the sign-up.
 */
int activity_signup_add(struct db *db, const struct actor *who, int64_t activity_id, int64_t member_id,
			bool by_staff, int64_t now, struct activity_signup *out);
/*
 * The member cancels their own sign-up: a place until the deadline (after it,
 * they ask for leave: ACTIVITY_DEADLINE), a waiting one until the end. The
 * first on the waiting list moves up into a freed place.
 */
int activity_signup_cancel(struct db *db, const struct actor *who, int64_t activity_id, int64_t member_id,
			   int64_t now);
/* Staff take sign-up id off the list (with reason), at any time before the activity is closed; the list moves up. */
int activity_signup_remove(struct db *db, const struct actor *who, int64_t id, const char *reason, int64_t now);
/*
 * The member asks for leave with reason: a sign-up with a place, before the
 * end, no leave asked or approved yet (ACTIVITY_LEAVE_STATE); asking again
 * after a refusal is allowed. Leave keeps the place: the list does not move.
 */
int activity_signup_leave(struct db *db, const struct actor *who, int64_t activity_id, int64_t member_id,
			  const char *reason, int64_t now);
/* Staff approve or refuse the leave asked on sign-up id, with an answer (a refusal needs one: the API asks). */
int activity_signup_decide(struct db *db, const struct actor *who, int64_t id, bool approve, const char *answer,
			   int64_t now);

/* Sign-up id. */
int activity_signup_get(struct db *db, int64_t id, struct activity_signup *out);
/* The member's live (signed or waiting) sign-up for the activity: ACTIVITY_NOT_FOUND when none. */
int activity_signup_find(struct db *db, int64_t activity_id, int64_t member_id, struct activity_signup *out);
/*
 * The activity's sign-ups in state (NULL: signed then waiting, then
 * cancelled), each in order of arrival; a page, or all of them when per_page
 * is 0 (at most capacity + ACTIVITY_WAITING_MAX live ones). *items: caller frees.
 */
int activity_signup_list(struct db *db, int64_t activity_id, const char *state, int64_t page, int64_t per_page,
			 struct activity_signup **items, size_t *n, int64_t *total);

/* What happened to a sign-up: an entry of its timeline, what the member is told. */
struct activity_signup_event {
	int64_t id, signup_id, at;
	char event[24];
	char note[TEXT_BYTES(ACTIVITY_REASON_MAX)];
};
/* The sign-up's timeline, oldest first (at most 100 entries). *items: caller frees. */
int activity_signup_events(struct db *db, int64_t signup_id, struct activity_signup_event **items, size_t *n);

/* A member's sign-up with its activity and the latest thing they were told. */
struct activity_signup_mine {
	struct activity activity;
	struct activity_signup signup;
	struct activity_signup_event latest;
};
/* The member's sign-ups, the newest first, cancelled ones too. *items: caller frees. */
int activity_signup_mine(struct db *db, int64_t member_id, int64_t page, int64_t per_page,
			 struct activity_signup_mine **items, size_t *n, int64_t *total);

/* For the module's neighbours, inside the caller's transaction. */
/* Writes an event of sign-up id (of member_id) at now. */
int activity_signup_event(struct db *db, const struct actor *who, int64_t signup_id, int64_t member_id,
			  const char *event, const char *note, int64_t now);
/* Tells every live sign-up of the activity event with note (the activity was cancelled, moved). */
int activity_signup_tell_all(struct db *db, const struct actor *who, int64_t activity_id, const char *event,
			     const char *note, int64_t now);
/* Moves the first on the waiting list up while the activity has free places; each is told (promoted). */
int activity_signup_promote(struct db *db, const struct actor *who, int64_t activity_id, int64_t now);
/* The audit entry of a change of sign-up s of an activity at path. */
int activity_signup_audit(struct db *db, const struct actor *who, const char *action, int64_t signup_id,
			  const char *path, const char *detail);

#endif
