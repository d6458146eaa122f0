/* campaign_row.h: what campaign.c, campaign_walk.c and campaign_list.c share (internal) */
#ifndef DOMAIN_CAMPAIGN_ROW_H
#define DOMAIN_CAMPAIGN_ROW_H

#include "db/db.h"
#include "domain/campaign.h"

/* The counts of a stretch s, in the order campaign_tally_add reads them. */
#define TALLY_COLUMNS "s.households, s.todo, s.visited, s.absent, s.declined, s.empty"
#define STRETCH_COLUMNS                                                                                            \
	"s.id, s.campaign_id, s.building_code, b.name, CASE WHEN g.level = 'grid' THEN g.name ELSE '' END, s.unit_no, " \
	"COALESCE(s.member_id, 0), COALESCE(m.name, ''), COALESCE(s.record_id, 0), s.updated_at, " TALLY_COLUMNS ", c.title, c.state, "  \
	"CASE WHEN g.level = 'grid' THEN (SELECT p.name FROM region p WHERE p.code = g.parent) ELSE g.name END, " \
	"c.item_id"
#define STRETCH_FROM                                                                                             \
	" FROM campaign_stretch s JOIN campaign c ON c.id = s.campaign_id JOIN region b ON b.code = s.building_code JOIN region g ON g.code = b.parent LEFT " \
	"JOIN member m ON m.id = s.member_id"


/* Commits when rc is CAMPAIGN_OK (an error if the commit fails), else rolls back: rc. */
int campaign_finish(struct db *db, int rc);
/* A text field of min..max characters, valid UTF-8: faults into errs. */
void campaign_check_text(const char *s, const char *field, size_t min, size_t max, struct field_errors *errs);
/* The audit entry of action on campaign id at path. */
int campaign_audit(struct db *db, const struct actor *who, const char *action, int64_t id, const char *path);
/* Adds the six counts from column col of st to t. */
void campaign_tally_add(struct campaign_tally *t, struct db_stmt *st, int col);
/* Reads one row of STRETCH_COLUMNS. */
void campaign_stretch_row(struct db_stmt *st, struct campaign_stretch *s);

#endif
