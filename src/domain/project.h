/* project.h: a community's service projects (项目清单): links to activities, posts, resources; notes; results computed */
#ifndef DOMAIN_PROJECT_H
#define DOMAIN_PROJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/json_spec.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/record.h"
#include "domain/region.h"

enum { PROJECT_NAME_MAX = 50, PROJECT_GOAL_MAX = 500, PROJECT_NOTE_MAX = 300, PROJECT_REASON_MAX = 200,
       PROJECT_LINKS_MAX = 200 };

enum project_rc {
	PROJECT_OK = 0,
	PROJECT_ERROR = -1,
	PROJECT_NOT_FOUND = -2,
	PROJECT_INVALID = -3,
	PROJECT_BAD_STATE = -4, /* a move its state does not allow */
	PROJECT_DUPLICATE = -5, /* linked already */
};

struct project_input {
	const char *community_code; /* create only */
	const char *name, *goal, *starts_on, *ends_on;
};

struct project {
	int64_t id;
	char community_code[24];
	char community_name[REGION_TEXT];
	char community_path[PATH_MAX_LEN];
	char name[TEXT_BYTES(PROJECT_NAME_MAX)];
	char goal[TEXT_BYTES(PROJECT_GOAL_MAX)];
	char starts_on[11], ends_on[11];
	char state[12];
	char state_reason[TEXT_BYTES(PROJECT_REASON_MAX)];
	int64_t created_at, updated_at;
};

/* Results, computed from the confirmed records of the linked activities and posts, never typed. */
struct project_results {
	int64_t people_served; /* distinct members */
	int64_t minutes;
	int64_t activities_held; /* linked activities not cancelled that have ended */
	int64_t needs_closed; /* linked needs closed, and converted ones once it finished */
};

int project_create(struct db *db, const struct actor *who, const struct project_input *in,
		   struct field_errors *errs, int64_t *id);
int project_get(struct db *db, int64_t id, struct project *out);

/* The projects of communities in scope (the first PROJECT_LIST_MAX, newest first); caller frees *items. */
enum { PROJECT_LIST_MAX = 200 };
struct project_filter {
	const struct scope *scope;
	const char *community, *state; /* NULL: any */
};
int project_list(struct db *db, const struct project_filter *f, struct project **items, size_t *n);

/* What a project is linked to, and its dated notes (caller frees *items). */
struct project_link {
	int64_t id;
	char kind[12];
	int64_t ref_id;
};
int project_links(struct db *db, int64_t id, struct project_link **items, size_t *n);
struct project_note {
	int64_t id;
	char on_date[11];
	char body[TEXT_BYTES(PROJECT_NOTE_MAX)];
	char by[TEXT_BYTES(64)];
	int64_t created_at;
};
int project_notes(struct db *db, int64_t id, struct project_note **items, size_t *n);
/* Links ref_id of kind (an activity, post, resource or need of the project's community). */
int project_link(struct db *db, const struct actor *who, int64_t id, const char *kind, int64_t ref_id,
		 struct field_errors *errs, int64_t *link_id);
/* planning → running → finished; planning or running → cancelled (reason required). */
int project_set_state(struct db *db, const struct actor *who, int64_t id, const char *state, const char *reason,
		      struct field_errors *errs);
int project_note(struct db *db, const struct actor *who, int64_t id, const char *on_date, const char *body,
		 struct field_errors *errs);
int project_results(struct db *db, int64_t id, struct project_results *out);
/* Removes link link_id of project id (PROJECT_NOT_FOUND when it is not one of its links). */
int project_unlink(struct db *db, const struct actor *who, int64_t id, int64_t link_id);

#endif
