/* record_row.h: what record.c, record_fix.c, record_list.c and photo.c share (internal): a record's row, its events */
#ifndef DOMAIN_RECORD_ROW_H
#define DOMAIN_RECORD_ROW_H

#include "db/db.h"
#include "domain/record.h"

/* The minutes of record g with its confirmed corrections. */
#define RECORD_TOTAL_SQL \
	"(g.minutes + COALESCE((SELECT SUM(c.minutes) FROM record c WHERE c.corrects_id = g.id AND c.state = 'confirmed'), 0))"

/* The columns record_read_row reads, over RECORD_FROM (g the record, m its member, i its item, r its community). */
#define RECORD_COLUMNS                                                                                                 \
	"g.id, g.member_id, g.item_id, COALESCE(g.activity_id, 0), COALESCE(g.post_id, 0), "                     \
	"COALESCE(g.corrects_id, 0), m.name, i.name, i.category, g.community_code, r.path, g.source, "          \
	"g.started_at, g.minutes, g.place, g.content, g.state, g.reason, g.created_at, COALESCE(g.decided_at, 0), " \
	"(SELECT COUNT(*) FROM record_photo p WHERE p.record_id = g.id), COALESCE(m.account_id, 0), "            \
	"COALESCE(m.unit_id, 0), i.code, r.name, COALESCE(a.title, ''), COALESCE(po.name, ''), " RECORD_TOTAL_SQL \
	", (SELECT COUNT(*) FROM record c WHERE c.corrects_id = g.id), "                                          \
	"COALESCE((SELECT q.id FROM record_request q WHERE q.record_id = g.id AND q.state = 'asked'), 0), "        \
	"COALESCE(g.origin_id, 0)"
#define RECORD_FROM " FROM record g" RECORD_JOINS
#define RECORD_JOINS                                                                                                 \
	" JOIN member m ON m.id = g.member_id JOIN catalog_item i ON i.id = g.item_id "                          \
	"JOIN region r ON r.code = g.community_code LEFT JOIN activity a ON a.id = g.activity_id "             \
	"LEFT JOIN post po ON po.id = g.post_id"

/* Reads one row of RECORD_COLUMNS into out. */
void record_read_row(struct db_stmt *st, struct record *out);

/*
 * An event of record id's timeline and the audit entry that goes with it
 * (action record.EVENT, over the community at path), inside the caller's transaction.
 */
int record_event_add(struct db *db, const struct actor *who, int64_t id, const char *path, const char *event,
		     const char *note);

/*
 * Whether the member has another pending or confirmed service (with its
 * corrections) in [from, to), record except_id aside: 1, 0, or -1 on a storage error.
 */
int record_overlaps(struct db *db, int64_t member_id, int64_t from, int64_t to, int64_t except_id);

/* pending → to (confirmed or rejected) by who, inside the caller's transaction; reason NULL keeps the record's. */
int record_set_state(struct db *db, const struct actor *who, int64_t id, const char *to, const char *reason);

/* Ends a change's transaction: commits when rc is RECORD_OK, rolls back otherwise. Returns rc, or RECORD_ERROR. */
int record_finish(struct db *db, int rc);

#endif
