/* member_row.h: the SELECT of a whole member file and its reader, shared by member.c and member_list.c (internal) */
#ifndef DOMAIN_MEMBER_ROW_H
#define DOMAIN_MEMBER_ROW_H

#include "db/db.h"
#include "domain/member.h"

/* The columns member_read_row reads, over MEMBER_FROM (m the file, u its unit, r its community, b its building). */
#define MEMBER_COLUMNS                                                                                               \
	"m.id, m.name, m.gender, m.birth_date, m.phone, m.id_number_masked, COALESCE(m.unit_id, 0), "         \
	"COALESCE(u.name, ''), m.position, m.party_branch, m.joined_party_on, COALESCE(m.community_code, ''), " \
	"COALESCE(r.name, ''), COALESCE(r.path, ''), COALESCE(m.building_code, ''), m.address, m.specialties, "  \
	"m.preferred_posts, m.plaque_hung, m.plaque_on, m.roster_verified, COALESCE(m.account_id, 0), "          \
	"m.state, m.created_at, m.updated_at, COALESCE(b.name, '')"
#define MEMBER_FROM                                                                                                   \
	" FROM member m LEFT JOIN unit u ON u.id = m.unit_id LEFT JOIN region r ON r.code = m.community_code " \
	"LEFT JOIN region b ON b.code = m.building_code"

/* Reads one row of MEMBER_COLUMNS into m. */
void member_read_row(struct db_stmt *st, struct member *m);

#endif
