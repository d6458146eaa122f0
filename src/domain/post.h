/* post.h: posts (岗位) of a community: defined by its staff, claimed and left by members with approval, service logged */
#ifndef DOMAIN_POST_H
#define DOMAIN_POST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/json_spec.h"
#include "base/xalloc.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/catalog.h"
#include "domain/member.h"
#include "domain/record.h"
#include "domain/region.h"

/* The longest texts of a post and a claim, in characters; the most places; the most posts a list shows. */
enum { POST_NAME_MAX = 40, POST_DUTIES_MAX = 500, POST_NOTE_MAX = 200, POST_REASON_MAX = 200, POST_PLACES_MAX = 999,
       POST_LIST_MAX = 200 };
/* How many days back a holder may log a service: as far as a member may report their own. */
enum { POST_LOG_DAYS = RECORD_SELF_DAYS };

enum post_rc {
	POST_OK = 0,
	POST_ERROR = -1,
	POST_NOT_FOUND = -2,
	POST_INVALID = -3, /* faults in the caller's field_errors */
	POST_BAD_STATE = -4, /* the claim is not in a state that allows it (decided already, say) */
	POST_FULL = -5, /* every place is held */
	POST_CLAIMED = -6, /* the member has an open claim of that post already */
	POST_CLOSED = -7, /* the post is closed, or its term is over */
	POST_TOO_FEW = -8, /* fewer places than holders */
	POST_NOT_MEMBER = -9, /* the member has no approved report-in in the post's community */
	POST_OVERLAP = -10, /* service logged over another of the member's services */
};

/* What staff say of a post; strings borrowed, "" or NULL when absent. */
struct post_input {
	const char *community_code; /* read on create only */
	const char *place_code; /* a grid or building of the community; NULL/"" the whole community */
	int64_t item_id;
	const char *name, *duties;
	int64_t places;
	const char *starts_on, *ends_on; /* YYYY-MM-DD; ends_on "" open-ended */
};

struct post {
	int64_t id, item_id;
	char community_code[24];
	char community_name[REGION_TEXT];
	char community_path[PATH_MAX_LEN];
	char place_code[24]; /* "" the whole community */
	char place_name[REGION_TEXT];
	char place_level[12];
	char item_code[TEXT_BYTES(CATALOG_CODE_MAX)];
	char item_name[TEXT_BYTES(CATALOG_NAME_MAX)];
	char item_category[12];
	char name[TEXT_BYTES(POST_NAME_MAX)];
	char duties[TEXT_BYTES(POST_DUTIES_MAX)];
	int64_t places, holders, applied; /* holders: holding or leaving */
	char starts_on[11], ends_on[11];
	char state[8]; /* open, closed */
	char close_reason[TEXT_BYTES(POST_REASON_MAX)];
	int64_t created_at, updated_at;
};

/* A member's claim of a post: applied → holding (leaving) → left, or refused, withdrawn. */
struct post_claim {
	int64_t id, post_id, member_id;
	char post_name[TEXT_BYTES(POST_NAME_MAX)];
	char post_state[8];
	char item_name[TEXT_BYTES(CATALOG_NAME_MAX)];
	char place_name[REGION_TEXT];
	char community_code[24];
	char community_name[REGION_TEXT];
	char community_path[PATH_MAX_LEN];
	char member_name[TEXT_BYTES(MEMBER_NAME_MAX)];
	char member_phone[TEXT_BYTES(MEMBER_PHONE_MAX)];
	char state[12];
	char note[TEXT_BYTES(POST_NOTE_MAX)]; /* the member's, with the claim */
	char reason[TEXT_BYTES(POST_REASON_MAX)]; /* the member's, asking to leave */
	char answer[TEXT_BYTES(POST_REASON_MAX)]; /* the staff's, refusing or ending */
	int64_t applied_at, decided_at, leave_at, left_at;
	/* The service logged against the post, for a member's own lists: pending and confirmed records. */
	int64_t pending, pending_minutes, confirmed, confirmed_minutes;
};

/* The member who acts on their own behalf, as the account's file shows them. */
struct post_member {
	int64_t member_id;
	bool approved; /* a report-in approved: they may serve (one still waiting may only report in) */
	char community_code[24]; /* of the approved report-in, or "" */
	char community_path[PATH_MAX_LEN];
	char preferred_posts[TEXT_BYTES(MEMBER_TAGS_MAX)];
};
/* The file of account_id and where it serves; POST_NOT_FOUND when the account has no file. */
int post_acting_member(struct db *db, int64_t account_id, struct post_member *out);

/*
 * Whether a post is one the member named as preferred (意向岗位) when reporting
 * in: one of the tags in preferred (separated by ',', '，', '、', ';', '；', '/'
 * or spaces) is found in the post's name or in its catalogue item's name
 * ("楼栋长" matches "1栋楼栋长"). Tags of one character are too vague and ignored.
 */
bool post_preferred(const char *preferred, const char *post_name, const char *item_name);

/* An open post as a member sees it: whether they named it preferred, their own open claim of it. */
struct post_offer {
	struct post post;
	bool preferred;
	int64_t claim_id; /* 0 when none */
	char claim_state[12];
};
/* Puts the preferred offers first, keeping the order within each part (a stable partition). */
void post_offers_order(struct post_offer *items, size_t n);

/*
 * Checks in for a post of its community (the community a community, the
 * place a grid or building in it, the item offered there, places in
 * 1..POST_PLACES_MAX, the term real dates with the end not before the start),
 * adding field errors. -1 on a storage error.
 */
int post_check(struct db *db, const struct post_input *in, struct field_errors *errs);
/* Creates an open post, checked, audited post.create, in one transaction. */
int post_create(struct db *db, const struct actor *who, const struct post_input *in, struct field_errors *errs,
		int64_t *id);
/*
 * Edits open post id (its community stays; a closed one is POST_BAD_STATE);
 * never to fewer places than it has holders (POST_TOO_FEW). Audited post.update.
 */
int post_update(struct db *db, const struct actor *who, int64_t id, const struct post_input *in,
		struct field_errors *errs);
/* Closes post id: its holdings end and its claims are refused, with reason; audited post.close. */
int post_close(struct db *db, const struct actor *who, int64_t id, const char *reason);
int post_get(struct db *db, int64_t id, struct post *out);

struct post_filter {
	const char *community; /* a community's code, or NULL */
	const char *state; /* open, closed, or NULL */
	int64_t item_id; /* 0 any */
	int64_t page, per_page;
};
/* One page of the posts whose community is in scope, by community and id. *items: caller frees. */
int post_list(struct db *db, const struct scope *scope, const struct post_filter *f, struct post **items, size_t *n,
	      int64_t *total);
/*
 * The open posts of a community still in their term (at most POST_LIST_MAX),
 * as member_id sees them: those named in preferred first (post_offers_order),
 * then by place and id. *items: caller frees.
 */
int post_offers(struct db *db, const char *community_code, int64_t member_id, const char *preferred,
		struct post_offer **items, size_t *n);

/*
 * A claim of member_id for post_id (applied), with the member's note; audited
 * post.claim. The member serves in the post's community (POST_NOT_MEMBER);
 * the post takes claims (POST_CLOSED) and has a free place (POST_FULL); one
 * open claim per member and post (POST_CLAIMED).
 */
int post_claim(struct db *db, const struct actor *who, int64_t post_id, int64_t member_id, const char *note,
	       int64_t *claim_id);

enum post_decision {
	POST_APPROVE, /* applied → holding, if a place is free; leaving → left */
	POST_REFUSE, /* applied → refused; leaving → holding (the leave refused); answer required */
	POST_END, /* holding or leaving → left, ended by staff; answer required */
};
/*
 * Staff decide on claim id, in one transaction that counts the holders
 * itself; audited post.approve/refuse/end. An approval needs a free place
 * (POST_FULL), an open post (POST_CLOSED) and the member still serving in
 * its community (POST_NOT_MEMBER: moved away since they claimed it).
 */
int post_decide(struct db *db, const struct actor *who, int64_t claim_id, enum post_decision d, const char *answer);
/*
 * The member's own step back from post_id: an applied claim is withdrawn at
 * once; a holding asks to leave (leaving, reason required: POST_INVALID with
 * "reason" in errs), for staff to approve. *claim_id: the claim. Audited post.withdraw / post.leave.
 */
int post_leave(struct db *db, const struct actor *who, int64_t post_id, int64_t member_id, const char *reason,
	       struct field_errors *errs, int64_t *claim_id);
/*
 * A holder (holding or leaving) logs a service against post_id: a pending
 * record through record_add (source post, the post's item, its community's
 * staff confirm it), at a time post_check_service_time allows, in one
 * transaction. in's member, item, source and post are set here. POST_NOT_FOUND
 * when the member holds no such post (or serves in another community now);
 * POST_INVALID with errs; POST_OVERLAP.
 */
int post_log_service(struct db *db, const struct actor *who, int64_t post_id, int64_t member_id,
		     struct record_input *in, struct field_errors *errs, int64_t *record_id);
/*
 * When a holder's service may be: ended by now, begun within the last
 * POST_LOG_DAYS days, on a day of the post's term and not before the day the
 * holding began (holding_since). Faults under "started_at" in errs.
 */
void post_check_service_time(const struct post *p, int64_t holding_since, int64_t started_at, int64_t minutes,
			     int64_t now, struct field_errors *errs);

int post_claim_get(struct db *db, int64_t id, struct post_claim *out);

struct post_claim_filter {
	const char *community;
	int64_t post_id; /* 0 any */
	const char *states[6]; /* nstates 0: the queue, applied and leaving */
	size_t nstates;
	int64_t page, per_page;
};
/* One page of the claims of posts in scope, oldest first (the staff's queue). *items: caller frees. */
int post_claim_list(struct db *db, const struct scope *scope, const struct post_claim_filter *f,
		    struct post_claim **items, size_t *n, int64_t *total);
/* The open claims of post_id (applied, holding, leaving), holders first. *items: caller frees. */
int post_people(struct db *db, int64_t post_id, struct post_claim **items, size_t *n);
/*
 * The claims of member_id, with the service logged against each post: the
 * open ones (applied, holding, leaving), then, unless open_only, those that
 * ended; newest first, at most POST_LIST_MAX. *items: caller frees.
 */
int post_claims_of(struct db *db, int64_t member_id, bool open_only, struct post_claim **items, size_t *n);

/* Shared by post.c, post_claim.c, team.c and team_member.c. */
/* Binds who's account at i, or NULL for the command line. */
void post_bind_account(struct db_stmt *st, int i, const struct actor *who);
/* Ends a transaction: commits when rc is POST_OK, rolls back otherwise; returns the outcome. */
int post_finish(struct db *db, int rc);
/*
 * Steps st to its end (and db_done), reading each row with read (given arg)
 * into a growing array of at most max items of size bytes. *items: caller
 * frees. POST_OK or POST_ERROR (nothing allocated then).
 */
int post_rows(struct db_stmt *st, size_t size, size_t max, void (*read)(struct db_stmt *, void *, const void *),
	      const void *arg, void **items, size_t *n);

#endif
