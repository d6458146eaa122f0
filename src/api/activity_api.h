/* activity_api.h: what the activity API files share: loading an activity with the caller's rights, its JSON, the answers to refusals */
#ifndef API_ACTIVITY_API_H
#define API_ACTIVITY_API_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "api/call.h"
#include "domain/activity.h"
#include "domain/activity_signup.h"

/* An activity as the caller may see it: whether they run it or read it in the console, the member behind the account. */
struct activity_view {
	struct activity a;
	bool manage; /* may edit, publish, cancel, take attendance, close (activity_may_manage) */
	bool reads; /* sees the place's serving in the console (ACT_SERVE_READ), or runs it */
	bool member; /* the caller has a member file */
	struct activity_member me;
};

/*
 * Loads activity {id} (path parameter 0) into v if the caller may see it:
 * those who run it, staff, org and units reading serving in its place
 * (ACT_SERVE_READ), and an approved member for a published (or cancelled,
 * closed) one they may sign up for or did. 404 otherwise.
 */
int activity_view_or_reply(struct call *c, struct activity_view *v);
/* The same for activity id. */
int activity_view_id_or_reply(struct call *c, int64_t id, struct activity_view *v);
/* The same, and 403 unless the caller runs it. */
int activity_manage_or_reply(struct call *c, struct activity_view *v);
/* The same, and 403 unless the caller runs it or reads the place's serving (the sheet, the sign-ups). */
int activity_reader_or_reply(struct call *c, struct activity_view *v);
/* The caller's member file with an approved report-in: 403 not_approved otherwise (404 without a file). */
int activity_member_or_reply(struct call *c, struct activity_member *m);

/*
 * Answers a refusal of the activity functions in words (what tells which:
 * "signup", "cancel", "leave", "checkin", …, for the messages that depend on
 * it). ACTIVITY_ERROR is a logged 500.
 */
void activity_reply_rc(struct call *c, int rc, const char *what);

json_t *activity_json(const struct activity *a);
/* The specialties wanted (joined by ',') as a list. */
json_t *activity_tags_json(const char *tags);
/* A sign-up; with contact, the member's phone and unit (for those who run the activity). */
json_t *activity_signup_json(const struct activity_signup *s, bool contact);

/* "https://HOST" (http without --secure-cookies) into out; -1 when the request has no usable Host. */
int activity_origin(struct call *c, char *out, size_t n);

/* When a runs, in China time, as people write it: "2026年3月7日（星期六）09:00–11:00" (a second date when it ends on another day). */
void activity_when(const struct activity *a, char *out, size_t n);
/* t as "09:05" in China time ("" for 0). */
void activity_clock(int64_t t, char out[6]);
/* Who organises a, by name: the community, its team, or the unit with the community. */
void activity_organiser_name(const struct activity *a, char *out, size_t n);

/* Appends the printable A4 check-in poster of a (an SVG document) with the QR code of url; -1 when url cannot be encoded. */
int activity_poster_svg(const struct activity *a, const char *url, struct buf *out);

#endif
