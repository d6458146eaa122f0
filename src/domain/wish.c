/* wish.c: the state machine of a micro-wish (寻梦 → 揽梦 → 圆梦) and the masked name of its beneficiary */
#include "domain/wish.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/xalloc.h"


const char *const wish_steps[] = { "approve", "refuse", "publish", "expire", "claim", "release", "fulfil", "confirm",
				   NULL };

/* Each step: the state it leaves (two for publish) and the state it reaches. */
static const struct {
	const char *from, *also, *to;
} moves[] = {
	[WISH_APPROVE] = { "submitted", NULL, "approved" },  [WISH_REFUSE] = { "submitted", NULL, "refused" },
	[WISH_PUBLISH] = { "approved", "expired", "published" }, [WISH_EXPIRE] = { "published", NULL, "expired" },
	[WISH_CLAIM] = { "published", NULL, "claimed" },     [WISH_RELEASE] = { "claimed", NULL, "published" },
	[WISH_FULFIL] = { "claimed", NULL, "fulfilled" },    [WISH_CONFIRM] = { "fulfilled", NULL, "closed" },
};

const char *wish_next(const char *state, enum wish_step step)
{
	if ((unsigned)step >= sizeof(moves) / sizeof(moves[0]) || !state)
		return NULL;
	if (!strcmp(state, moves[step].from) || (moves[step].also && !strcmp(state, moves[step].also)))
		return moves[step].to;
	return NULL;
}

void wish_mask_name(const char *name, char *out, size_t size)
{
	size_t n = 1;

	if (!size)
		return;
	out[0] = '\0';
	if (!name || !name[0])
		return;
	/* The first character's bytes: a lead byte and its continuation bytes (10xxxxxx). */
	while (name[n] && ((unsigned char)name[n] & 0xC0) == 0x80)
		n++;
	if (n + 2 > size)
		return;
	memcpy(out, name, n);
	out[n] = '*';
	out[n + 1] = '\0';
}

static int event(struct db *db, const struct actor *who, int64_t id, const char *kind, const char *state, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO wish_event (wish_id, kind, state, note, account_id, created_at) "
					    "VALUES (?, ?, ?, '', ?, ?)");
	int rc;

	db_bind_int(st, 1, id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, state);
	if (who->account_id)
		db_bind_int(st, 4, who->account_id);
	else
		db_bind_null(st, 4);
	db_bind_int(st, 5, now);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int finish(struct db *db, int rc)
{
	if (rc != WISH_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) < 0 ? WISH_ERROR : WISH_OK;
}

static int insert(struct db *db, const struct actor *who, const struct wish_input *in, int64_t now, int64_t *id)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO wish (community_code, beneficiary_name, consent, title, "
					    "description, value_cap, state, publish_until, created_by, created_at, "
					    "updated_at) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	int rc;

	db_bind_text(st, 1, in->community_code);
	db_bind_text(st, 2, in->beneficiary_name);
	db_bind_text(st, 3, in->title);
	db_bind_text(st, 4, in->description ? in->description : "");
	if (in->value_cap)
		db_bind_int(st, 5, in->value_cap);
	else
		db_bind_null(st, 5);
	db_bind_text(st, 6, in->state);
	if (in->publish_until)
		db_bind_int(st, 7, in->publish_until);
	else
		db_bind_null(st, 7);
	if (who->account_id)
		db_bind_int(st, 8, who->account_id);
	else
		db_bind_null(st, 8);
	db_bind_int(st, 9, now);
	db_bind_int(st, 10, now);
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? WISH_OK : WISH_ERROR;
}

int wish_create(struct db *db, const struct actor *who, const struct wish_input *in, int64_t *id)
{
	const int64_t now = clock_now();
	bool published = !strcmp(in->state, "published");
	char idt[24];
	int rc;

	if (db_begin(db) < 0)
		return WISH_ERROR;
	rc = insert(db, who, in, now, id);
	if (rc == WISH_OK) {
		snprintf(idt, sizeof(idt), "%" PRId64, *id);
		if (event(db, who, *id, "submit", "submitted", now) < 0 ||
		    (published && (event(db, who, *id, "approve", "approved", now) < 0 ||
				   event(db, who, *id, "publish", "published", now) < 0)) ||
		    audit_append(db, who, "wish.create", "wish", idt, in->community_path, "ok") < 0)
			rc = WISH_ERROR;
	}
	return finish(db, rc);
}

/* The name of whoever holds wish id now, into out. */
static int holder(struct db *db, int64_t id, char *out, size_t size, char *path, size_t psize)
{
	struct db_stmt *st = db_prepare(db, "SELECT w.state, w.claimer_name, r.path FROM wish w "
					    "JOIN region r ON r.code = w.community_code WHERE w.id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		str_copy(out, size, db_col_text(st, 1));
		str_copy(path, psize, db_col_text(st, 2));
	}
	db_done(st);
	return rc == DB_ROW ? WISH_OK : rc == DB_DONE ? WISH_NOT_FOUND : WISH_ERROR;
}

static void bind_id(struct db_stmt *st, int i, int64_t v)
{
	if (v)
		db_bind_int(st, i, v);
	else
		db_bind_null(st, i);
}

int wish_claim(struct db *db, const struct actor *who, int64_t id, const struct wish_claimer *c, char *taken_by,
	       size_t size)
{
	const int64_t now = clock_now();
	char path[512], idt[24];
	struct db_stmt *st;
	int rc;

	taken_by[0] = '\0';
	if (db_begin(db) < 0)
		return WISH_ERROR;
	st = db_prepare(db, "UPDATE wish SET state = 'claimed', claimer_kind = ?, claimer_member_id = ?, "
			    "claimer_team_id = ?, claimer_unit_id = ?, claimer_account_id = ?, claimer_name = ?, "
			    "claimed_at = ?, claim_until = ?, updated_at = ? WHERE id = ? AND state = 'published'");
	db_bind_text(st, 1, c->kind);
	bind_id(st, 2, c->member_id);
	bind_id(st, 3, c->team_id);
	bind_id(st, 4, c->unit_id);
	bind_id(st, 5, who->account_id);
	db_bind_text(st, 6, c->name);
	db_bind_int(st, 7, now);
	db_bind_int(st, 8, now + (int64_t)WISH_CLAIM_DAYS * 86400);
	db_bind_int(st, 9, now);
	db_bind_int(st, 10, id);
	rc = db_step(st) == DB_DONE ? WISH_OK : WISH_ERROR;
	db_done(st);
	if (rc == WISH_OK && db_changes(db) != 1) {
		/* Not published: claimed by someone else (the loser learns who), or never published. */
		char name[256];

		rc = holder(db, id, name, sizeof(name), path, sizeof(path));
		if (rc == WISH_OK && name[0]) {
			str_copy(taken_by, size, name);
			rc = WISH_TAKEN;
		} else if (rc == WISH_OK)
			rc = WISH_NOT_FOUND;
		return finish(db, rc);
	}
	snprintf(idt, sizeof(idt), "%" PRId64, id);
	if (rc == WISH_OK && ((rc = holder(db, id, (char[256]){ 0 }, 256, path, sizeof(path))) != WISH_OK ||
			      event(db, who, id, "claim", "claimed", now) < 0 ||
			      audit_append(db, who, "wish.claim", "wish", idt, path, "ok") < 0))
		rc = WISH_ERROR;
	return finish(db, rc);
}

int wish_release(struct db *db, const struct actor *who, int64_t id, bool by_staff)
{
	const int64_t now = clock_now();
	char path[512], name[256], idt[24];
	struct db_stmt *st;
	int64_t changed;
	int rc;

	if (db_begin(db) < 0)
		return WISH_ERROR;
	st = db_prepare(db, "UPDATE wish SET state = 'published', claimer_kind = NULL, claimer_member_id = NULL, "
			    "claimer_team_id = NULL, claimer_unit_id = NULL, claimer_account_id = NULL, claimer_name = '', "
			    "claimed_at = NULL, claim_until = NULL, updated_at = ? WHERE id = ? AND state = 'claimed' AND "
			    "((? = 1 AND claim_until <= ?) OR (? = 0 AND claimer_account_id = ? AND claim_until > ?))");
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, id);
	db_bind_int(st, 3, by_staff);
	db_bind_int(st, 4, now);
	db_bind_int(st, 5, by_staff);
	db_bind_int(st, 6, who->account_id);
	db_bind_int(st, 7, now);
	rc = db_step(st) == DB_DONE ? WISH_OK : WISH_ERROR;
	db_done(st);
	changed = rc == WISH_OK ? db_changes(db) : 0; /* read before the SELECT that follows */
	if (rc == WISH_OK && (rc = holder(db, id, name, sizeof(name), path, sizeof(path))) == WISH_OK) {
		snprintf(idt, sizeof(idt), "%" PRId64, id);
		if (changed != 1)
			rc = WISH_BAD_STATE;
		else if (event(db, who, id, "release", "published", now) < 0 ||
			 audit_append(db, who, "wish.release", "wish", idt, path, "ok") < 0)
			rc = WISH_ERROR;
	}
	return finish(db, rc);
}

int wish_fulfil(struct db *db, const struct actor *who, int64_t id, const char *note, int64_t value_spent,
		int64_t minutes)
{
	const int64_t now = clock_now();
	char path[512], name[256], idt[24];
	struct db_stmt *st;
	int64_t cap = 0, claimer = 0;
	int rc;

	if (db_begin(db) < 0)
		return WISH_ERROR;
	st = db_prepare(db, "SELECT state, COALESCE(value_cap, 0), COALESCE(claimer_account_id, 0) FROM wish WHERE id = ?");
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		rc = strcmp(db_col_text(st, 0), "claimed") ? WISH_BAD_STATE : WISH_OK;
		cap = db_col_int(st, 1);
		claimer = db_col_int(st, 2);
	} else
		rc = rc == DB_DONE ? WISH_NOT_FOUND : WISH_ERROR;
	db_done(st);
	if (rc == WISH_OK && (!who->account_id || claimer != who->account_id))
		rc = WISH_BAD_STATE;
	if (rc == WISH_OK && cap && value_spent > cap)
		rc = WISH_OVER_CAP;
	if (rc == WISH_OK) {
		st = db_prepare(db, "UPDATE wish SET state = 'fulfilled', fulfil_note = ?, value_spent = ?, minutes = ?, "
				    "fulfilled_at = ?, updated_at = ? WHERE id = ? AND state = 'claimed'");
		db_bind_text(st, 1, note ? note : "");
		db_bind_int(st, 2, value_spent);
		db_bind_int(st, 3, minutes);
		db_bind_int(st, 4, now);
		db_bind_int(st, 5, now);
		db_bind_int(st, 6, id);
		rc = db_step(st) == DB_DONE && db_changes(db) == 1 ? WISH_OK : WISH_ERROR;
		db_done(st);
	}
	if (rc == WISH_OK) {
		snprintf(idt, sizeof(idt), "%" PRId64, id);
		if (holder(db, id, name, sizeof(name), path, sizeof(path)) != WISH_OK ||
		    event(db, who, id, "fulfil", "fulfilled", now) < 0 ||
		    audit_append(db, who, "wish.fulfil", "wish", idt, path, "ok") < 0)
			rc = WISH_ERROR;
	}
	return finish(db, rc);
}
