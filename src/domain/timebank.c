/* timebank.c: gifts of hours from a member's earned balance to a person's time-bank account, and the balances and gifts an account sees */
#include "domain/timebank.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/ledger.h"

/* The account of a resident or a member (its role given, not waiting) with that phone and that name; 0 when none. */
static int recipient(struct db *db, const char *phone, const char *name, int64_t *account_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT a.id FROM account a WHERE a.phone = ? AND a.name = ? AND "
					    "a.disabled = 0 AND EXISTS (SELECT 1 FROM role_grant g WHERE "
					    "g.account_id = a.id AND g.role IN ('resident', 'member') AND g.pending = 0)");
	int rc;

	db_bind_text(st, 1, phone);
	db_bind_text(st, 2, name);
	rc = db_step(st);
	*account_id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

/* Every rule of a gift, inside the caller's transaction; the movement and the gift's row when they hold. */
static int give_in(struct db *db, const struct actor *who, const struct member *m, const struct gift_input *in,
		   struct field_errors *errs, int64_t *id)
{
	struct ledger_owner from = { KIND_MEMBER, m->id, NULL }, to = { KIND_PERSON, 0, NULL };
	struct movement mv = { .book = BOOK_HOURS, .source = MOVE_GIFT, .nentries = 2 };
	char note[TEXT_BYTES(MEMBER_NAME_MAX) + 24], text[64];
	struct db_stmt *st;
	int64_t balance, movement;
	int rc;

	if (recipient(db, in->phone, in->name, &to.id) < 0 || ledger_balance(db, BOOK_HOURS, &from, &balance) < 0)
		return TIMEBANK_ERROR;
	/* Whether the phone is known or not, the answer is the same: it tells nobody who has an account. */
	if (!to.id)
		field_errors_add(errs, "phone", "not_found", "找不到该手机号和姓名对应的账号");
	else if (to.id == m->account_id || to.id == who->account_id)
		field_errors_add(errs, "phone", "self", "不能赠送给自己");
	if (in->minutes < 1 || in->minutes > balance) {
		snprintf(text, sizeof(text), "可赠送 1 到 %" PRId64 " 分钟（现有时长）", balance > 0 ? balance : 0);
		field_errors_add(errs, "minutes", in->minutes < 1 ? "too_small" : "too_large",
				 balance > 0 ? text : "还没有可赠送的服务时长");
	}
	if (errs->n)
		return TIMEBANK_INVALID;
	snprintf(note, sizeof(note), "赠送时长给 %s", in->name);
	mv.note = note;
	clock_date(clock_now(), mv.day);
	/* No member_id: a gift spends a balance, it moves no standing. */
	if (ledger_account(db, BOOK_HOURS, &from, &mv.entries[0].account_id) < 0 ||
	    ledger_account(db, BOOK_HOURS, &to, &mv.entries[1].account_id) < 0)
		return TIMEBANK_ERROR;
	mv.entries[0].amount = -in->minutes;
	mv.entries[1].amount = in->minutes;
	if (ledger_post(db, who, &mv, &movement) < 0)
		return TIMEBANK_ERROR;
	st = db_prepare(db, "INSERT INTO gift (from_member_id, to_account_id, minutes, note, movement_id, created_by, "
			    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
	db_bind_int(st, 1, m->id);
	db_bind_int(st, 2, to.id);
	db_bind_int(st, 3, in->minutes);
	db_bind_text(st, 4, in->note ? in->note : "");
	db_bind_int(st, 5, movement);
	if (who->account_id)
		db_bind_int(st, 6, who->account_id);
	else
		db_bind_null(st, 6);
	db_bind_int(st, 7, clock_now());
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return TIMEBANK_ERROR;
	snprintf(text, sizeof(text), "%" PRId64, *id);
	snprintf(note, sizeof(note), "%" PRId64 " 分钟", in->minutes);
	return audit_append_detail(db, who, "gift.create", "gift", text, m->community_path, "ok", note) < 0
		       ? TIMEBANK_ERROR
		       : TIMEBANK_OK;
}

int timebank_give(struct db *db, const struct actor *who, int64_t member_id, const struct gift_input *in,
		  struct field_errors *errs, int64_t *id)
{
	struct member m;
	int rc;

	if (db_begin(db) < 0)
		return TIMEBANK_ERROR;
	rc = member_get(db, member_id, &m);
	rc = rc == MEMBER_OK ? give_in(db, who, &m, in, errs, id) : rc == MEMBER_NOT_FOUND ? TIMEBANK_NOT_FOUND
											    : TIMEBANK_ERROR;
	if (rc != TIMEBANK_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) < 0 ? TIMEBANK_ERROR : TIMEBANK_OK;
}

int timebank_balances(struct db *db, int64_t account_id, struct timebank_balances *out)
{
	struct ledger_owner person = { KIND_PERSON, account_id, NULL }, member = { KIND_MEMBER, 0, NULL };
	int rc = member_find_by_account(db, account_id, &member.id);

	memset(out, 0, sizeof(*out));
	if (rc == MEMBER_ERROR)
		return TIMEBANK_ERROR;
	if (rc == MEMBER_OK) {
		out->member_id = member.id;
		if (ledger_balance(db, BOOK_HOURS, &member, &out->minutes) < 0)
			return TIMEBANK_ERROR;
	}
	return ledger_balance(db, BOOK_HOURS, &person, &out->received_minutes) < 0 ? TIMEBANK_ERROR : TIMEBANK_OK;
}

/* 13800000006 → 138****0006; anything else keeps its last four. */
static void mask_phone(const char *phone, char out[16])
{
	size_t n = strlen(phone);

	if (n == 11)
		snprintf(out, 16, "%.3s****%s", phone, phone + 7);
	else
		snprintf(out, 16, "****%s", n > 4 ? phone + n - 4 : "");
}

int timebank_gifts(struct db *db, int64_t account_id, int64_t member_id, int64_t before, size_t max,
		   struct gift **items, size_t *n)
{
	/* Each side by its own index, newest first. */
	struct db_stmt *st = db_prepare(db, "SELECT g.id, g.minutes, g.movement_id, g.created_at, g.from_member_id = ?1, "
					    "m.name, a.name, COALESCE(a.phone, ''), g.note FROM gift g "
					    "JOIN member m ON m.id = g.from_member_id JOIN account a ON a.id = g.to_account_id "
					    "WHERE g.id IN (SELECT id FROM (SELECT id FROM gift WHERE from_member_id = ?1 "
					    "AND (?3 = 0 OR id < ?3) ORDER BY id DESC LIMIT ?4) AS sent UNION "
					    "SELECT id FROM (SELECT id FROM gift WHERE to_account_id = ?2 "
					    "AND (?3 = 0 OR id < ?3) ORDER BY id DESC LIMIT ?4) AS received) "
					    "ORDER BY g.id DESC LIMIT ?4");
	int rc;

	*items = xcalloc(max ? max : 1, sizeof(**items));
	*n = 0;
	db_bind_int(st, 1, member_id);
	db_bind_int(st, 2, account_id);
	db_bind_int(st, 3, before);
	db_bind_int(st, 4, (int64_t)max);
	while ((rc = db_step(st)) == DB_ROW && *n < max) {
		struct gift *g = &(*items)[(*n)++];

		g->id = db_col_int(st, 0);
		g->minutes = db_col_int(st, 1);
		g->movement_id = db_col_int(st, 2);
		g->created_at = db_col_int(st, 3);
		g->given = member_id && db_col_int(st, 4);
		str_copy(g->from_name, sizeof(g->from_name), db_col_text(st, 5));
		str_copy(g->to_name, sizeof(g->to_name), db_col_text(st, 6));
		mask_phone(db_col_text(st, 7), g->to_phone);
		str_copy(g->note, sizeof(g->note), db_col_text(st, 8));
	}
	db_done(st);
	if (rc == DB_DONE || rc == DB_ROW)
		return TIMEBANK_OK;
	free(*items);
	*items = NULL;
	*n = 0;
	return TIMEBANK_ERROR;
}
