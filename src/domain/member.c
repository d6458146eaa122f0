/* member.c: member files: checking, creating with the ID number sealed, reading, listing by scope, revealing */
#include "domain/member.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/valid.h"
#include "base/xalloc.h"
#include "domain/region.h"
#include "domain/roster.h"
#include "domain/member_row.h"
#include "domain/unit.h"

#define ID_AD "member.id_number"
#define SPECIALTIES_MAX 8

/* An audit entry about member id, placed at its community. */
static int audit_id(struct db *db, const struct actor *who, const char *action, int64_t id, const char *detail)
{
	struct db_stmt *st = db_prepare(db, "SELECT COALESCE(r.path, '') FROM member m LEFT JOIN region r "
					    "ON r.code = m.community_code WHERE m.id = ?");
	char path[PATH_MAX_LEN] = "", idt[24];

	db_bind_int(st, 1, id);
	if (db_step(st) == DB_ROW)
		str_copy(path, sizeof(path), db_col_text(st, 0));
	db_done(st);
	snprintf(idt, sizeof(idt), "%" PRId64, id);
	return audit_append_detail(db, who, action, "member", idt, path, "ok", detail);
}

static int given(const char *s)
{
	return s && *s;
}

int member_check_specialties(struct db *db, const char *list, struct field_errors *errs)
{
	char *copy = xstrdup(list), *save = NULL;
	int n = 0, rc = 0;

	for (char *tag = strtok_r(copy, ",", &save); tag && rc == 0; tag = strtok_r(NULL, ",", &save)) {
		struct db_stmt *st = db_prepare(db, "SELECT 1 FROM specialty WHERE name = ?");
		int found;

		db_bind_text(st, 1, tag);
		found = db_step(st);
		db_done(st);
		if (found == DB_ERROR)
			rc = -1;
		else if (found != DB_ROW) {
			char msg[256], quoted[TEXT_BYTES(20)];

			str_excerpt(quoted, sizeof(quoted), tag, 16);
			snprintf(msg, sizeof(msg), "“%s”不在特长列表中", quoted);
			field_errors_add(errs, "specialties", "enum", msg);
			break;
		}
		n++;
	}
	if (n > SPECIALTIES_MAX)
		field_errors_add(errs, "specialties", "too_long", "特长最多选 8 项");
	free(copy);
	return rc;
}

static int check_places(struct db *db, const struct member_input *in, struct field_errors *errs)
{
	struct region community, building;
	struct unit u;
	int rc;

	if (in->unit_id) {
		rc = unit_get(db, in->unit_id, &u);
		if (rc == UNIT_ERROR)
			return -1;
		if (rc != UNIT_OK)
			field_errors_add(errs, "unit_id", "not_found", "单位不存在");
	}
	if (!given(in->community_code))
		return 0;
	rc = region_get(db, in->community_code, &community);
	if (rc == REGION_ERROR)
		return -1;
	if (rc != REGION_OK || strcmp(community.level, "community")) {
		field_errors_add(errs, "community_code", "not_found", "应为存在的社区");
		return 0;
	}
	if (!given(in->building_code))
		return 0;
	rc = region_get(db, in->building_code, &building);
	if (rc == REGION_ERROR)
		return -1;
	if (rc != REGION_OK || strcmp(building.level, "building") ||
	    strncmp(building.path, community.path, strlen(community.path)))
		field_errors_add(errs, "building_code", "not_found", "应为该社区内的楼栋");
	return 0;
}

int member_check(struct db *db, const struct member_input *in, int64_t today, struct field_errors *errs)
{
	char date[11];
	struct idcard id;
	int rc = IDCARD_LENGTH;

	clock_date(today, date);
	if (given(in->id_number) && !field_errors_has(errs, "id_number")) {
		rc = idcard_parse(in->id_number, today, &id);
		if (rc != IDCARD_OK)
			field_errors_add(errs, "id_number", rc == IDCARD_CHECK ? "check_digit" : "format",
					 idcard_message(rc));
	}
	if (rc == IDCARD_OK && given(in->gender)) {
		char g = !strcmp(in->gender, "M") || !strcmp(in->gender, "男") ? 'M'
			 : !strcmp(in->gender, "F") || !strcmp(in->gender, "女") ? 'F'
										: '?';
		if (g == '?')
			field_errors_add(errs, "gender", "enum", "应为“男”或“女”");
		else if (g != id.gender)
			field_errors_add(errs, "gender", "mismatch", "与身份证号中的性别不符");
	}
	if (given(in->phone) && !field_errors_has(errs, "phone") && !valid_mobile(in->phone))
		field_errors_add(errs, "phone", "format", "应为 11 位手机号");
	if (given(in->joined_party_on) && !field_errors_has(errs, "joined_party_on")) {
		char adult[40];

		if (!valid_date(in->joined_party_on) || strcmp(in->joined_party_on, date) > 0)
			field_errors_add(errs, "joined_party_on", "format", "应为不晚于今天的日期，如 2010-07-01");
		else if (rc == IDCARD_OK) {
			snprintf(adult, sizeof(adult), "%04d-%02d-%02d", id.year + 18, id.month, id.day);
			if (strcmp(in->joined_party_on, adult) < 0)
				field_errors_add(errs, "joined_party_on", "too_small", "入党时应年满 18 岁");
		}
	}
	if (given(in->plaque_on) && (!valid_date(in->plaque_on) || strcmp(in->plaque_on, date) > 0))
		field_errors_add(errs, "plaque_on", "format", "应为不晚于今天的日期");
	if (given(in->specialties) && member_check_specialties(db, in->specialties, errs) < 0)
		return -1;
	return check_places(db, in, errs);
}

/* The file's specialties as member_tag rows, one per tag (what a list filtered by one reads). */
static int write_tags(struct db *db, int64_t id, const char *specialties)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM member_tag WHERE member_id = ?");
	char *copy = xstrdup(specialties ? specialties : ""), *save = NULL;
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	db_done(st);
	for (char *tag = strtok_r(copy, ",", &save); tag && rc == DB_DONE; tag = strtok_r(NULL, ",", &save)) {
		st = db_prepare(db, "INSERT INTO member_tag (tag, name, member_id, community_code) SELECT ?, name, id, "
				    "COALESCE(community_code, '') FROM member WHERE id = ? ON CONFLICT DO NOTHING");
		db_bind_text(st, 1, tag);
		db_bind_int(st, 2, id);
		rc = db_step(st);
		db_done(st);
	}
	free(copy);
	return rc == DB_DONE ? 0 : -1;
}

static void bind_text_or_empty(struct db_stmt *st, int i, const char *s)
{
	db_bind_text(st, i, s ? s : "");
}

int member_find_by_id_number(struct db *db, const char *number, int64_t *id)
{
	char hash[CRYPTO_HEX_HASH];
	struct db_stmt *st;
	int rc;

	crypto_mac_hex(KEY_LOOKUP, number, strlen(number), hash);
	st = db_prepare(db, "SELECT id FROM member WHERE id_number_hash = ?");
	db_bind_text(st, 1, hash);
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? MEMBER_OK : rc == DB_DONE ? MEMBER_NOT_FOUND : MEMBER_ERROR;
}

int member_find_by_account(struct db *db, int64_t account_id, int64_t *id)
{
	struct db_stmt *st = db_prepare(db, "SELECT id FROM member WHERE account_id = ?");
	int rc;

	db_bind_int(st, 1, account_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? MEMBER_OK : rc == DB_DONE ? MEMBER_NOT_FOUND : MEMBER_ERROR;
}

int member_insert(struct db *db, const struct actor *who, const struct member_input *in, int64_t account_id,
		  int64_t *id)
{
	struct idcard card;
	char hash[CRYPTO_HEX_HASH], masked[IDCARD_LEN + 1], birth[11], gender[2];
	char *sealed;
	struct db_stmt *st;
	int64_t now = clock_now();
	int rc;

	if (idcard_parse(in->id_number, now, &card) != IDCARD_OK)
		return MEMBER_ERROR;
	if (member_find_by_id_number(db, card.number, id) == MEMBER_OK)
		return MEMBER_DUPLICATE;
	crypto_mac_hex(KEY_LOOKUP, card.number, strlen(card.number), hash);
	idcard_mask(card.number, masked);
	snprintf(birth, sizeof(birth), "%04d-%02d-%02d", card.year, card.month, card.day);
	gender[0] = card.gender;
	gender[1] = '\0';
	sealed = crypto_seal(ID_AD, card.number);
	st = db_prepare(db, "INSERT INTO member (name, gender, birth_date, phone, id_number_sealed, id_number_hash, "
			    "id_number_masked, unit_id, position, party_branch, joined_party_on, community_code, "
			    "building_code, address, specialties, preferred_posts, plaque_hung, plaque_on, account_id, "
			    "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
	db_bind_text(st, 1, in->name);
	db_bind_text(st, 2, gender);
	db_bind_text(st, 3, birth);
	db_bind_text(st, 4, in->phone);
	db_bind_text(st, 5, sealed);
	db_bind_text(st, 6, hash);
	db_bind_text(st, 7, masked);
	if (in->unit_id)
		db_bind_int(st, 8, in->unit_id);
	else
		db_bind_null(st, 8);
	bind_text_or_empty(st, 9, in->position);
	bind_text_or_empty(st, 10, in->party_branch);
	bind_text_or_empty(st, 11, in->joined_party_on);
	db_bind_text(st, 12, given(in->community_code) ? in->community_code : NULL);
	db_bind_text(st, 13, given(in->building_code) ? in->building_code : NULL);
	bind_text_or_empty(st, 14, in->address);
	bind_text_or_empty(st, 15, in->specialties);
	bind_text_or_empty(st, 16, in->preferred_posts);
	db_bind_int(st, 17, in->plaque_hung);
	bind_text_or_empty(st, 18, in->plaque_on);
	if (account_id)
		db_bind_int(st, 19, account_id);
	else
		db_bind_null(st, 19);
	db_bind_int(st, 20, now);
	db_bind_int(st, 21, now);
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	free(sealed);
	if (rc == DB_UNIQUE && member_find_by_id_number(db, card.number, id) == MEMBER_OK)
		return MEMBER_DUPLICATE;
	if (rc != DB_ROW || roster_verify_member(db, *id) < 0 || write_tags(db, *id, in->specialties) < 0)
		return MEMBER_ERROR;
	return audit_id(db, who, "member.create", *id, "") < 0 ? MEMBER_ERROR : MEMBER_OK;
}

int member_check_edit(struct db *db, const struct member *m, const struct member_input *in, int64_t today,
		      struct field_errors *errs)
{
	struct member_input scoped = *in;

	scoped.name = scoped.id_number = scoped.gender = NULL;
	scoped.community_code = m->community_code;
	if (member_check(db, &scoped, today, errs) < 0)
		return -1;
	if (given(in->joined_party_on) && !field_errors_has(errs, "joined_party_on")) {
		char adult[40];
		int y, mo, d;

		/* The birth date is YYYY-MM-DD, taken from the ID number when the file was made. */
		if (date_split(m->birth_date, &y, &mo, &d)) {
			snprintf(adult, sizeof(adult), "%04d-%02d-%02d", y + 18, mo, d);
			if (strcmp(in->joined_party_on, adult) < 0)
				field_errors_add(errs, "joined_party_on", "too_small", "入党时应年满 18 岁");
		}
	}
	return 0;
}

int member_update(struct db *db, const struct actor *who, int64_t id, const struct member_input *in,
		  const char *detail)
{
	struct db_stmt *st = db_prepare(db, "UPDATE member SET phone = ?, unit_id = ?, position = ?, party_branch = ?, "
					    "joined_party_on = ?, building_code = ?, address = ?, specialties = ?, "
					    "preferred_posts = ?, plaque_hung = ?, plaque_on = ?, updated_at = ? WHERE id = ?");
	int rc;

	db_bind_text(st, 1, in->phone);
	if (in->unit_id)
		db_bind_int(st, 2, in->unit_id);
	else
		db_bind_null(st, 2);
	bind_text_or_empty(st, 3, in->position);
	bind_text_or_empty(st, 4, in->party_branch);
	bind_text_or_empty(st, 5, in->joined_party_on);
	db_bind_text(st, 6, given(in->building_code) ? in->building_code : NULL);
	bind_text_or_empty(st, 7, in->address);
	bind_text_or_empty(st, 8, in->specialties);
	bind_text_or_empty(st, 9, in->preferred_posts);
	db_bind_int(st, 10, in->plaque_hung);
	bind_text_or_empty(st, 11, in->plaque_hung ? in->plaque_on : "");
	db_bind_int(st, 12, clock_now());
	db_bind_int(st, 13, id);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return MEMBER_ERROR;
	if (!db_changes(db))
		return MEMBER_NOT_FOUND;
	if (roster_verify_member(db, id) < 0 || write_tags(db, id, in->specialties) < 0)
		return MEMBER_ERROR;
	return audit_id(db, who, "member.update", id, detail) < 0 ? MEMBER_ERROR : MEMBER_OK;
}

int member_refresh(struct db *db, const struct actor *who, int64_t id, const struct member_input *in)
{
	struct member_input merged = *in;
	struct idcard card;
	char hash[CRYPTO_HEX_HASH];
	struct member m;
	struct db_stmt *st;
	int rc, same = 0;

	if (idcard_parse(in->id_number, clock_now(), &card) != IDCARD_OK)
		return MEMBER_MISMATCH;
	crypto_mac_hex(KEY_LOOKUP, card.number, strlen(card.number), hash);
	st = db_prepare(db, "SELECT name = ? AND id_number_hash = ? FROM member WHERE id = ?");
	db_bind_text(st, 1, in->name);
	db_bind_text(st, 2, hash);
	db_bind_int(st, 3, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		same = (int)db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? MEMBER_NOT_FOUND : MEMBER_ERROR;
	if (!same)
		return MEMBER_MISMATCH;
	if ((rc = member_get(db, id, &m)) != MEMBER_OK)
		return rc;
	merged.position = m.position;
	merged.party_branch = m.party_branch;
	/* The building is the community's: it goes when the member moves to another. */
	merged.building_code = in->community_code && !strcmp(in->community_code, m.community_code) ? m.building_code : NULL;
	merged.preferred_posts = m.preferred_posts;
	merged.plaque_on = m.plaque_on;
	return member_update(db, who, id, &merged, "report-in");
}

int member_correct(struct db *db, const struct actor *who, int64_t id, const struct member_input *in,
		   struct field_errors *errs)
{
	struct member m;
	int rc;

	if (db_begin(db) < 0)
		return MEMBER_ERROR;
	rc = member_get(db, id, &m);
	if (rc == MEMBER_OK && member_check_edit(db, &m, in, clock_now(), errs) < 0)
		rc = MEMBER_ERROR;
	if (rc == MEMBER_OK && errs->n)
		rc = MEMBER_INVALID;
	if (rc == MEMBER_OK)
		rc = member_update(db, who, id, in, "corrected");
	if (rc != MEMBER_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) < 0 ? MEMBER_ERROR : MEMBER_OK;
}

int member_claim(struct db *db, const struct actor *who, int64_t id, int64_t account_id)
{
	struct db_stmt *st = db_prepare(db, "UPDATE member SET account_id = ?, updated_at = ? WHERE id = ? AND "
					    "account_id IS NULL");
	int rc;

	db_bind_int(st, 1, account_id);
	db_bind_int(st, 2, clock_now());
	db_bind_int(st, 3, id);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE || db_changes(db) != 1)
		return MEMBER_ERROR;
	return audit_id(db, who, "member.claim", id, "") < 0 ? MEMBER_ERROR : MEMBER_OK;
}

int member_specialties(struct db *db, char ***tags, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT name FROM specialty ORDER BY sort, name");
	size_t cap = 0;
	int rc;

	*tags = NULL;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*tags = xrealloc(*tags, cap * sizeof(**tags));
		}
		(*tags)[(*n)++] = xstrdup(db_col_text(st, 0));
	}
	db_done(st);
	if (rc == DB_DONE)
		return MEMBER_OK;
	while (*n)
		free((*tags)[--*n]);
	free(*tags);
	*tags = NULL;
	return MEMBER_ERROR;
}

int member_get(struct db *db, int64_t id, struct member *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " MEMBER_COLUMNS MEMBER_FROM " WHERE m.id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		member_read_row(st, out);
	db_done(st);
	return rc == DB_ROW ? MEMBER_OK : rc == DB_DONE ? MEMBER_NOT_FOUND : MEMBER_ERROR;
}

int member_place(struct db *db, int64_t id, struct member_place *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT r.path, g.state IN ('pending', 'approved') FROM registration g "
					    "JOIN region r ON r.code = g.community_code WHERE g.member_id = ? ORDER BY g.id DESC");
	int rc;

	memset(out, 0, sizeof(*out));
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (out->npaths < sizeof(out->paths) / sizeof(out->paths[0]))
			str_copy(out->paths[out->npaths++], PATH_MAX_LEN, db_col_text(st, 0));
		if (db_col_int(st, 1) && out->nopen < sizeof(out->open_paths) / sizeof(out->open_paths[0]))
			str_copy(out->open_paths[out->nopen++], PATH_MAX_LEN, db_col_text(st, 0));
	}
	db_done(st);
	if (rc != DB_DONE)
		return MEMBER_ERROR;
	st = db_prepare(db, "SELECT COALESCE(unit_id, 0), COALESCE(account_id, 0) FROM member WHERE id = ?");
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->unit_id = db_col_int(st, 0);
		out->account_id = db_col_int(st, 1);
	}
	db_done(st);
	return rc == DB_ROW ? MEMBER_OK : rc == DB_DONE ? MEMBER_NOT_FOUND : MEMBER_ERROR;
}

int member_reveal(struct db *db, const struct actor *who, int64_t id, const char *reason, char **number)
{
	struct db_stmt *st = db_prepare(db, "SELECT id_number_sealed FROM member WHERE id = ?");
	char *sealed = NULL;
	int rc;

	*number = NULL;
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		sealed = xstrdup(db_col_text(st, 0));
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? MEMBER_NOT_FOUND : MEMBER_ERROR;
	*number = crypto_open(ID_AD, sealed);
	free(sealed);
	if (!*number || db_begin(db) < 0)
		goto fail;
	if (audit_id(db, who, "member.reveal", id, reason) < 0 || db_commit(db) < 0) {
		db_rollback(db);
		goto fail;
	}
	return MEMBER_OK;
fail:
	free(*number);
	*number = NULL;
	return MEMBER_ERROR;
}
