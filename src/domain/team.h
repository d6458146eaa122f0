/* team.h: teams (党员服务队/突击队) of a community or a street: a specialty, a leader, members who apply and leave */
#ifndef DOMAIN_TEAM_H
#define DOMAIN_TEAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/json_spec.h"
#include "base/xalloc.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/member.h"
#include "domain/region.h"

/* The longest texts of a team, in characters; the most teams a member's list holds; the most members of a team. */
enum { TEAM_NAME_MAX = 40, TEAM_SPECIALTY_MAX = 20, TEAM_TEXT_MAX = 500, TEAM_NOTE_MAX = 200, TEAM_LIST_MAX = 200,
       TEAM_MEMBERS_MAX = 1000 };

enum team_rc {
	TEAM_OK = 0,
	TEAM_ERROR = -1,
	TEAM_NOT_FOUND = -2,
	TEAM_INVALID = -3, /* faults in the caller's field_errors */
	TEAM_BAD_STATE = -4, /* not in a state that allows it (decided already, a disbanded team) */
	TEAM_DUPLICATE = -5, /* an active team of that name in that region */
	TEAM_JOINED = -6, /* the member has applied or belongs already */
	TEAM_NOT_MEMBER = -7, /* the member has no approved report-in where the team is */
	TEAM_FULL = -8, /* the team has TEAM_MEMBERS_MAX members */
};

/* What staff say of a team; strings borrowed. */
struct team_input {
	const char *region_code; /* a community or a street; read on create only */
	const char *name, *specialty, *description; /* specialty: "" or one of the specialty list */
	int64_t leader_id; /* a member who may join it (they join at once), or 0 */
};

struct team {
	int64_t id;
	char region_code[24];
	char region_name[REGION_TEXT];
	char region_level[12]; /* community or street */
	char region_path[PATH_MAX_LEN];
	char name[TEXT_BYTES(TEAM_NAME_MAX)];
	char specialty[TEXT_BYTES(TEAM_SPECIALTY_MAX)];
	char description[TEXT_BYTES(TEAM_TEXT_MAX)];
	int64_t leader_id; /* 0 when none */
	char leader_name[TEXT_BYTES(MEMBER_NAME_MAX)];
	char state[12]; /* active, disbanded */
	char reason[TEXT_BYTES(TEAM_NOTE_MAX)];
	int64_t members, applied;
	int64_t created_at, updated_at;
};

/* A member of a team, or one who applied; with their service (confirmed records) when listed for the team page. */
struct team_member {
	int64_t id, team_id, member_id;
	char team_name[TEXT_BYTES(TEAM_NAME_MAX)];
	char team_state[12];
	char specialty[TEXT_BYTES(TEAM_SPECIALTY_MAX)];
	char region_name[REGION_TEXT];
	char region_path[PATH_MAX_LEN];
	char member_name[TEXT_BYTES(MEMBER_NAME_MAX)];
	char member_phone[TEXT_BYTES(MEMBER_PHONE_MAX)];
	char state[12]; /* applied, member, refused, withdrawn, left, removed */
	char note[TEXT_BYTES(TEAM_NOTE_MAX)]; /* the member's */
	char reason[TEXT_BYTES(TEAM_NOTE_MAX)]; /* the staff's or the leader's */
	bool leader;
	int64_t applied_at, decided_at, left_at;
	int64_t team_records, team_minutes; /* in the team's activities */
	int64_t records, minutes; /* everywhere */
};

/*
 * Checks in (the region a community or a street, the specialty one of the
 * list, the leader a member with an approved report-in there), adding field
 * errors. -1 on a storage error.
 */
int team_check(struct db *db, const struct team_input *in, struct field_errors *errs);
/* Creates an active team with its leader as its first member; audited team.create. */
int team_create(struct db *db, const struct actor *who, const struct team_input *in, struct field_errors *errs,
		int64_t *id);
/* Edits team id (its region stays); a new leader joins at once if not a member. Audited team.update. */
int team_update(struct db *db, const struct actor *who, int64_t id, const struct team_input *in,
		struct field_errors *errs);
/* Disbands team id with reason: it takes no one more, its waiting applications are refused. Audited team.disband. */
int team_disband(struct db *db, const struct actor *who, int64_t id, const char *reason);
int team_get(struct db *db, int64_t id, struct team *out);

struct team_filter {
	const char *region; /* the path of a node: teams at it and under it */
	const char *state; /* active, disbanded, or NULL */
	int64_t page, per_page;
};
/* One page of the teams whose region is in scope, by region and name. *items: caller frees. */
int team_list(struct db *db, const struct scope *scope, const struct team_filter *f, struct team **items, size_t *n,
	      int64_t *total);
/* An active team as a member sees it, with their own open membership. */
struct team_offer {
	struct team team;
	int64_t my_id; /* 0 when none */
	char my_state[12]; /* applied, member, or "" */
};
/*
 * The active teams a member of community_code may join: the community's, then
 * its street's, by name (at most TEAM_LIST_MAX), as member_id sees them.
 * *items: caller frees.
 */
int team_offers(struct db *db, const char *community_code, int64_t member_id, struct team_offer **items, size_t *n);

/* member_id applies to join team_id, with a note; audited team.join. */
int team_join(struct db *db, const struct actor *who, int64_t team_id, int64_t member_id, const char *note,
	      int64_t *id);
/*
 * Staff or the leader decide on application id: applied → member (TEAM_FULL
 * at TEAM_MEMBERS_MAX, counted in the same transaction), or → refused with reason.
 */
int team_decide(struct db *db, const struct actor *who, int64_t id, bool approve, const char *reason);
/* Staff remove member id with reason (member → removed); a leader removed leaves the team without one. */
int team_remove(struct db *db, const struct actor *who, int64_t id, const char *reason);
/* The member leaves team_id: an application is withdrawn, a membership ends (left), note kept. */
int team_leave(struct db *db, const struct actor *who, int64_t team_id, int64_t member_id, const char *note);

int team_member_get(struct db *db, int64_t id, struct team_member *out);
/*
 * The team's members (state member, the leader first, then by name) with
 * their service, then its open applications. *items: caller frees.
 */
int team_members(struct db *db, int64_t team_id, struct team_member **items, size_t *n);
/*
 * The member's memberships and applications, newest first: the open ones of
 * active teams, then (unless open_only) those that ended or whose team was
 * disbanded. *items: caller frees.
 */
int team_memberships(struct db *db, int64_t member_id, bool open_only, struct team_member **items, size_t *n);
/* TEAM_OK while team_id has room for one more member, TEAM_FULL at TEAM_MEMBERS_MAX; inside the caller's transaction. */
int team_room(struct db *db, int64_t team_id);

/*
 * For activities a team organises (activity.c), inside or outside a
 * transaction. Whether team_id may organise an activity in the community at
 * community_path: an active team of that community or of its street. 1 yes,
 * 0 no (no such team, disbanded, elsewhere), -1 on a storage error; *out
 * (may be NULL) is the team when it exists.
 */
int team_may_organise(struct db *db, int64_t team_id, const char *community_path, struct team *out);
/*
 * Whether account_id is the leader of active team_id, who runs the team's
 * activities with the community's staff (and decides on its applications):
 * 1, 0, -1 on a storage error.
 */
int team_led_by(struct db *db, int64_t team_id, int64_t account_id);

#endif
