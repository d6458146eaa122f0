/* case_row.h: what case.c and case_list.c share (internal): a case's row */
#ifndef DOMAIN_CASE_ROW_H
#define DOMAIN_CASE_ROW_H

#include "db/db.h"
#include "domain/case.h"

/* The columns case_read_row reads, over CASE_FROM (k the case, c its community, g its category, b its building). */
#define CASE_COLUMNS                                                                                               \
	"k.id, k.community_code, c.name, c.path, k.category_code, g.name, g.sla_days, k.title, k.description, "    \
	"COALESCE(k.building_code, ''), COALESCE(b.name, ''), COALESCE(b.path, c.path), k.place, "                \
	"COALESCE(k.point_x, -1), COALESCE(k.point_y, -1), k.priority, k.private, k.channel, "                    \
	"COALESCE(k.reporter_account_id, 0), k.contact_name, k.contact_phone, COALESCE(k.need_id, 0), k.state, "   \
	"k.state_reason, COALESCE(k.party_kind, ''), COALESCE(k.party_member_id, 0), COALESCE(k.party_team_id, 0), " \
	"COALESCE(k.party_unit_id, 0), k.party_name, COALESCE(k.due_at, 0), COALESCE(k.accepted_at, 0), "          \
	"COALESCE(k.assigned_at, 0), COALESCE(k.resolved_at, 0), COALESCE(k.follow_up_at, 0), "                    \
	"COALESCE(k.closed_at, 0), k.resolution, COALESCE(k.rating, 0), k.rating_comment, k.reopens, "            \
	"COALESCE(k.merged_into, 0), COALESCE(k.created_by, 0), k.created_at, k.updated_at"
#define CASE_FROM                                                                                                  \
	" FROM cases k JOIN region c ON c.code = k.community_code JOIN case_category g ON g.code = k.category_code " \
	"LEFT JOIN region b ON b.code = k.building_code"

/* Reads one row of CASE_COLUMNS into out. */
void case_read_row(struct db_stmt *st, struct case_file *out);

/* case_report inside the caller's transaction (open311.c reports a case and its request together). */
int case_report_in(struct db *db, const struct actor *who, const struct case_input *in, struct field_errors *errs,
		   int64_t *id);

#endif
