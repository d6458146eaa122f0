/* notify.h: notifications: the in-app inbox, what each account receives, quiet hours, the outbox of outside messages */
#ifndef DOMAIN_NOTIFY_H
#define DOMAIN_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/xalloc.h"
#include "db/db.h"
#include "domain/audit.h"

/* What a notification is about; the names are kept in notification.kind and notify_pref.kind. */
enum notify_kind {
	NOTIFY_SIGNUP_CONFIRMED, /* a sign-up got a place */
	NOTIFY_SIGNUP_PROMOTED, /* moved up from the waiting list */
	NOTIFY_ACTIVITY_CANCELLED, /* an activity one signed up for was cancelled */
	NOTIFY_REGISTRATION_APPROVED, /* a report-in approved */
	NOTIFY_REGISTRATION_REJECTED, /* a report-in refused */
	NOTIFY_WISH_CLAIMED, /* a micro-wish claimed (its beneficiary, the community's staff) */
	NOTIFY_TASK_DISPATCHED, /* a resident's need sent by staff to whoever does it (派单) */
	NOTIFY_QUIET_REMINDER, /* a member gone quiet, told what is open near them (quiet.h) */
	NOTIFY_KIND_COUNT
};
extern const char *const notify_kind_names[NOTIFY_KIND_COUNT];
/* The kind called name, or -1. */
int notify_kind_of(const char *name);

#define NOTIFY_TITLE_MAX 60 /* characters; longer titles are cut at a character, with "…" */
#define NOTIFY_BODY_MAX 200
#define NOTIFY_LINK_MAX 200 /* bytes: a path into the app, written by the domain */
#define NOTIFY_URL_MAX 500 /* a robot's webhook URL, bytes */
#define NOTIFY_ATTEMPTS_MAX 8 /* an outside message is given up (failed) after this many tries */

/* One notification to post. Strings borrowed for the call. */
struct notify_msg {
	enum notify_kind kind;
	const char *title; /* for the inbox: may name the activity or the wish */
	const char *body; /* for the inbox only, or NULL */
	const char *link; /* a path into the app: "/m/activities/12" */
	/* What an outside message says (SMS, group robot): a fixed phrase and, for public objects, their name; never a person. */
	const char *outside;
};

/*
 * Posts m to account_id inside the caller's write transaction (so a refused
 * write notifies no one): an inbox entry unless the account turned the kind's
 * in-app messages off, and an SMS in the outbox when it turned outside
 * messages on and the deployment has an SMS gateway. 0 or -1.
 */
int notify_post(struct db *db, int64_t account_id, const struct notify_msg *m, int64_t now);
/* The same for a member's account; nothing when the member has none. */
int notify_post_member(struct db *db, int64_t member_id, const struct notify_msg *m, int64_t now);
/* The ids the query st gives in its first column (st bound; done here): *ids caller frees. 0 or -1. */
int notify_ids(struct db_stmt *st, int64_t **ids, size_t *n);
/* To every account with a staff grant at community_code (but skip, 0 for none). */
int notify_post_staff(struct db *db, const char *community_code, int64_t skip, const struct notify_msg *m,
		      int64_t now);
/* The community's group robot: one outbox row with m->outside and the link when the community set one up. */
int notify_post_group(struct db *db, const char *community_code, const struct notify_msg *m, int64_t now);

/* --- the events that notify (notify_events.c), each inside its write's transaction ------------------------- */

/* A member's sign-up got a place (kind NOTIFY_SIGNUP_CONFIRMED) or moved up from the waiting list (PROMOTED). */
int notify_signup(struct db *db, enum notify_kind kind, int64_t member_id, int64_t activity_id, const char *title,
		  int64_t now);
/* Activity activity_id was cancelled: everyone signed up or waiting, and the community's robot when group is set. */
int notify_activity_cancelled(struct db *db, int64_t activity_id, const char *title, const char *community_code,
			      bool group, int64_t now);
/* A member's report-in at community_name was approved or refused (reason, or NULL). */
int notify_registration(struct db *db, int64_t member_id, bool approved, const char *community_name,
			const char *reason, int64_t now);
/* Need need_id was dispatched to account_id (a member, a team's leader; 0: nobody to tell). */
int notify_task_dispatched(struct db *db, int64_t need_id, int64_t account_id, int64_t now);
/* Wish wish_id was claimed by claimer: its beneficiary, the community's staff, and the community's robot. */
int notify_wish_claimed(struct db *db, int64_t wish_id, int64_t claimer, int64_t now);

/* --- the inbox ------------------------------------------------------------------------------------------ */

struct notification {
	int64_t id, created_at, read_at;
	char kind[32];
	char title[TEXT_BYTES(NOTIFY_TITLE_MAX)];
	char body[TEXT_BYTES(NOTIFY_BODY_MAX)];
	char link[NOTIFY_LINK_MAX + 1];
};

/*
 * account_id's notifications newest first, ids below before (0: from the
 * newest), at most limit; *unread counts all unread. *items: caller frees. 0 or -1.
 */
int notify_inbox(struct db *db, int64_t account_id, int64_t before, size_t limit, bool unread_only,
		 struct notification **items, size_t *n, int64_t *unread);
/* Marks id read when it is account_id's: 0, 1 when it is not theirs (or not there), -1 on error. */
int notify_read(struct db *db, int64_t account_id, int64_t id, int64_t now);
/* Marks every unread one of account_id read; *n how many. 0 or -1. */
int notify_read_all(struct db *db, int64_t account_id, int64_t now, int64_t *n);

/* --- preferences and quiet hours ------------------------------------------------------------------------ */

struct notify_prefs {
	bool in_app[NOTIFY_KIND_COUNT], outside[NOTIFY_KIND_COUNT];
	int quiet_start, quiet_end; /* minutes of the day, China time; equal: no quiet hours */
};

/* account_id's preferences, the defaults (in-app on, outside off, no quiet hours) where none are set. 0 or -1. */
int notify_prefs_get(struct db *db, int64_t account_id, struct notify_prefs *out);
/* Replaces them all, audited notify.prefs. 0 or -1. */
int notify_prefs_set(struct db *db, const struct actor *who, int64_t account_id, const struct notify_prefs *p);

/*
 * Quiet hours arithmetic: the first moment at or after now (Unix seconds)
 * outside the quiet span [start, end) minutes of the China day (UTC+8; end <
 * start passes midnight; start == end: no quiet hours, now itself).
 */
int64_t notify_quiet_until(int64_t now, int start_min, int end_min);
/* Seconds to wait after the attempts-th failed try (1, 2, …): base/backoff's schedule stretched 60 times: 15 s, 30 s, 1 min … 5 min. */
int64_t notify_retry_delay(unsigned attempts);

/* --- a community's group robot -------------------------------------------------------------------------- */

struct notify_channel {
	char community_code[24];
	char kind[12]; /* wecom or dingtalk */
	char url_masked[NOTIFY_URL_MAX + 1];
	int quiet_start, quiet_end;
	int64_t updated_at;
};

/* The community's channel: 0, 1 when none is set, -1 on error. */
int notify_channel_get(struct db *db, const char *community_code, struct notify_channel *out);
/*
 * Sets (url not NULL) or removes (url NULL) the community's robot, the URL
 * sealed, audited notify.channel with region_path. 0 or -1.
 */
int notify_channel_set(struct db *db, const struct actor *who, const char *community_code, const char *region_path,
		       const char *kind, const char *url, int quiet_start, int quiet_end);
/* Whether url may be a robot's webhook: http:// or https://, a host, no spaces or controls, at most NOTIFY_URL_MAX. */
bool notify_url_ok(const char *url);
/* url with everything after its host hidden (the robot's key is there): https://qyapi.weixin.qq.com/ then three stars */
void notify_url_mask(const char *url, char *out, size_t n);

/* The deployment's settings: the SMS gateway (NULL or "" removes it) and the public address links start with. */
int notify_setting_set(struct db *db, const struct actor *who, const char *sms_url, const char *base_url);

/* --- the outbox ----------------------------------------------------------------------------------------- */

struct outbox_row {
	int64_t id, attempts, next_at, created_at, sent_at;
	char channel[12];
	char state[12];
	char last_error[TEXT_BYTES(100)];
};

/* Counts of the community's outbox (NULL: all) by state, and its newest rows (at most limit). *rows: caller frees. */
int notify_outbox_status(struct db *db, const char *community_code, size_t limit, int64_t counts[3],
			 struct outbox_row **rows, size_t *n);

/*
 * How the worker sends one message: POST body (JSON) to url; 0 when the
 * receiver took it (2xx), -1 with the reason in err.
 */
typedef int (*notify_send_fn)(const char *url, const char *json, char *err, size_t errlen);

/*
 * Tries every pending outside message due at now (at most limit): sent, or
 * retried later (notify_retry_delay), or failed after NOTIFY_ATTEMPTS_MAX
 * tries; a message due in quiet hours waits for their end. *sent, *failed
 * count this round's. 0 or -1.
 */
int notify_deliver(struct db *db, notify_send_fn send, int64_t now, size_t limit, int *sent, int *failed);

#endif
