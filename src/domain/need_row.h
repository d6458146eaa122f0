/* need_row.h: what need.c and need_list.c share (internal): a need's row */
#ifndef DOMAIN_NEED_ROW_H
#define DOMAIN_NEED_ROW_H

#include "db/db.h"
#include "domain/need.h"

/* The columns need_read_row reads, over NEED_FROM (n the need, c its community, i its item, b its building). */
#define NEED_COLUMNS                                                                                               \
	"n.id, n.community_code, c.name, c.path, n.item_id, i.name, i.specialties, n.description, "               \
	"COALESCE(n.building_code, ''), COALESCE(b.name, ''), COALESCE(b.path, c.path), n.place, "                \
	"COALESCE(n.wanted_on, ''), n.wanted_part, n.urgency, n.contact_name, n.contact_phone, n.channel, "        \
	"COALESCE(n.requester_account_id, 0), n.state, n.state_reason, COALESCE(n.assignee_kind, ''), "            \
	"COALESCE(n.assignee_member_id, 0), COALESCE(n.assignee_team_id, 0), COALESCE(n.assignee_unit_id, 0), "    \
	"COALESCE(n.assignee_account_id, 0), n.assignee_name, n.done_note, n.rating_comment, "                     \
	"COALESCE(n.minutes, 0), COALESCE(n.rating, 0), n.expires_at, COALESCE(n.accepted_at, 0), "                \
	"COALESCE(n.dispatched_at, 0), COALESCE(n.taken_at, 0), COALESCE(n.done_at, 0), COALESCE(n.closed_at, 0), " \
	"COALESCE(n.record_id, 0), COALESCE(n.project_id, 0), COALESCE(n.created_by, 0), n.created_at, "           \
	"n.updated_at"
#define NEED_FROM                                                                                                  \
	" FROM need n JOIN region c ON c.code = n.community_code JOIN catalog_item i ON i.id = n.item_id "         \
	"LEFT JOIN region b ON b.code = n.building_code"

/* Reads one row of NEED_COLUMNS into out. */
void need_read_row(struct db_stmt *st, struct need *out);

#endif
