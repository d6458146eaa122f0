/* wish.c: the state machine of a micro-wish (寻梦 → 揽梦 → 圆梦) and the masked name of its beneficiary */
#include "domain/wish.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "domain/bonus.h"
#include "domain/catalog.h"
#include "domain/earning.h"
#include "domain/notify.h"
#include "domain/record.h"


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

static int event_note(struct db *db, const struct actor *who, int64_t id, const char *kind, const char *state,
		      const char *note, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO wish_event (wish_id, kind, state, note, account_id, created_at) "
					    "VALUES (?, ?, ?, ?, ?, ?)");
	int rc;

	db_bind_int(st, 1, id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, state);
	db_bind_text(st, 4, note ? note : "");
	if (who->account_id)
		db_bind_int(st, 5, who->account_id);
	else
		db_bind_null(st, 5);
	db_bind_int(st, 6, now);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int event(struct db *db, const struct actor *who, int64_t id, const char *kind, const char *state, int64_t now)
{
	return event_note(db, who, id, kind, state, NULL, now);
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
					    "updated_at, beneficiary_account_id) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
					    "RETURNING id");
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
	if (in->beneficiary_account_id)
		db_bind_int(st, 11, in->beneficiary_account_id);
	else
		db_bind_null(st, 11);
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? WISH_OK : WISH_ERROR;
}

int wish_insert(struct db *db, const struct actor *who, const struct wish_input *in, int64_t *id)
{
	const int64_t now = clock_now();
	bool published = !strcmp(in->state, "published");
	char idt[24];
	int rc;

	rc = insert(db, who, in, now, id);
	if (rc == WISH_OK) {
		snprintf(idt, sizeof(idt), "%" PRId64, *id);
		if (event(db, who, *id, "submit", "submitted", now) < 0 ||
		    (published && (event(db, who, *id, "approve", "approved", now) < 0 ||
				   event(db, who, *id, "publish", "published", now) < 0)) ||
		    audit_append(db, who, "wish.create", "wish", idt, in->community_path, "ok") < 0)
			rc = WISH_ERROR;
	}
	return rc;
}

int wish_create(struct db *db, const struct actor *who, const struct wish_input *in, int64_t *id)
{
	if (db_begin(db) < 0)
		return WISH_ERROR;
	return finish(db, wish_insert(db, who, in, id));
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
	char path[PATH_MAX_LEN], idt[24];
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
		char name[TEXT_BYTES(100)];

		rc = holder(db, id, name, sizeof(name), path, sizeof(path));
		if (rc == WISH_OK && name[0]) {
			str_copy(taken_by, size, name);
			rc = WISH_TAKEN;
		} else if (rc == WISH_OK)
			rc = WISH_NOT_FOUND;
		return finish(db, rc);
	}
	snprintf(idt, sizeof(idt), "%" PRId64, id);
	if (rc == WISH_OK && ((rc = holder(db, id, (char[TEXT_BYTES(100)]){ 0 }, TEXT_BYTES(100), path, sizeof(path))) != WISH_OK ||
			      event(db, who, id, "claim", "claimed", now) < 0 ||
			      audit_append(db, who, "wish.claim", "wish", idt, path, "ok") < 0 ||
			      notify_wish_claimed(db, id, who->account_id, now) < 0))
		rc = WISH_ERROR;
	return finish(db, rc);
}

int wish_release(struct db *db, const struct actor *who, int64_t id, bool by_staff)
{
	const int64_t now = clock_now();
	char path[PATH_MAX_LEN], name[TEXT_BYTES(100)], idt[24];
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
	char path[PATH_MAX_LEN], name[TEXT_BYTES(100)], idt[24];
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

/* The state and community path of wish id, inside the caller's transaction. */
static int state_of(struct db *db, int64_t id, char *state, size_t size, char *path, size_t psize)
{
	struct db_stmt *st = db_prepare(db, "SELECT w.state, r.path FROM wish w JOIN region r ON r.code = w.community_code "
					    "WHERE w.id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		str_copy(state, size, db_col_text(st, 0));
		str_copy(path, psize, db_col_text(st, 1));
	}
	db_done(st);
	return rc == DB_ROW ? WISH_OK : rc == DB_DONE ? WISH_NOT_FOUND : WISH_ERROR;
}

/*
 * One staff step of wish id inside the caller's transaction: from its state
 * by s (refuse keeps reason, publish sets publish_until), its event and
 * audit entry action.
 */
static int step_in(struct db *db, const struct actor *who, int64_t id, enum wish_step s, const char *action,
		   const char *reason, int64_t publish_until, int64_t now)
{
	char state[12], path[PATH_MAX_LEN], idt[24];
	const char *to;
	struct db_stmt *st;
	int rc = state_of(db, id, state, sizeof(state), path, sizeof(path));

	if (rc != WISH_OK)
		return rc;
	if (!(to = wish_next(state, s)))
		return WISH_BAD_STATE;
	st = db_prepare(db, "UPDATE wish SET state = ?, updated_at = ?, "
			    "refuse_reason = CASE WHEN ? = 1 THEN ? ELSE refuse_reason END, "
			    "publish_until = CASE WHEN ? = 1 THEN ? ELSE publish_until END WHERE id = ? AND state = ?");
	db_bind_text(st, 1, to);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, s == WISH_REFUSE);
	db_bind_text(st, 4, reason ? reason : "");
	db_bind_int(st, 5, s == WISH_PUBLISH);
	if (publish_until)
		db_bind_int(st, 6, publish_until);
	else
		db_bind_null(st, 6);
	db_bind_int(st, 7, id);
	db_bind_text(st, 8, state);
	rc = db_step(st) == DB_DONE ? WISH_OK : WISH_ERROR;
	db_done(st);
	if (rc == WISH_OK && db_changes(db) != 1)
		return WISH_BAD_STATE;
	snprintf(idt, sizeof(idt), "%" PRId64, id);
	if (rc == WISH_OK && (event_note(db, who, id, wish_steps[s], to, reason, now) < 0 ||
			      audit_append(db, who, action, "wish", idt, path, "ok") < 0))
		rc = WISH_ERROR;
	return rc;
}

static int step(struct db *db, const struct actor *who, int64_t id, enum wish_step s, const char *action,
		const char *reason, int64_t publish_until)
{
	if (db_begin(db) < 0)
		return WISH_ERROR;
	return finish(db, step_in(db, who, id, s, action, reason, publish_until, clock_now()));
}

int wish_approve(struct db *db, const struct actor *who, int64_t id)
{
	return step(db, who, id, WISH_APPROVE, "wish.approve", NULL, 0);
}

int wish_refuse(struct db *db, const struct actor *who, int64_t id, const char *reason)
{
	return step(db, who, id, WISH_REFUSE, "wish.refuse", reason, 0);
}

int wish_publish(struct db *db, const struct actor *who, int64_t id, int64_t publish_until)
{
	return step(db, who, id, WISH_PUBLISH, "wish.publish", NULL, publish_until);
}

int wish_approve_many(struct db *db, const struct actor *who, const int64_t *ids, size_t n, int64_t publish_until,
		      int64_t *failed)
{
	const int64_t now = clock_now();
	int rc = WISH_OK;

	*failed = 0;
	if (db_begin(db) < 0)
		return WISH_ERROR;
	for (size_t i = 0; rc == WISH_OK && i < n; i++) {
		rc = step_in(db, who, ids[i], WISH_APPROVE, "wish.approve", NULL, 0, now);
		if (rc == WISH_OK)
			rc = step_in(db, who, ids[i], WISH_PUBLISH, "wish.publish", NULL, publish_until, now);
		if (rc != WISH_OK)
			*failed = ids[i];
	}
	return finish(db, rc);
}

/* The catalogue item with code offered at the community at path (the most local first), or 0. */
static int item_at(struct db *db, const char *code, const char *path, int64_t *item_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT c.id FROM catalog_item c LEFT JOIN region r ON r.code = c.region_code "
					    "WHERE c.code = ? ORDER BY LENGTH(COALESCE(r.path, '')) DESC, c.id LIMIT 20");
	int64_t ids[20];
	size_t n = 0;
	int rc;

	*item_id = 0;
	db_bind_text(st, 1, code);
	while (n < 20 && (rc = db_step(st)) == DB_ROW)
		ids[n++] = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return WISH_ERROR;
	for (size_t i = 0; i < n && !*item_id; i++) {
		struct catalog_item *it = xmalloc(sizeof(*it));

		rc = catalog_item_get(db, ids[i], it);
		if (rc == CATALOG_OK && catalog_offered(it, path))
			*item_id = it->id;
		free(it);
		if (rc == CATALOG_ERROR)
			return WISH_ERROR;
	}
	return WISH_OK;
}

/* earn within b. */
static int earn_in(struct db *db, const struct actor *who, struct earning_batch *b, const struct wish *w,
		   const char *item_code, struct field_errors *errs, int64_t *record_id, int64_t *bonus_id)
{
	struct record_input in = { 0 };
	char reason[TEXT_BYTES(WISH_TITLE_MAX + 8)];
	int rc = item_at(db, item_code ? item_code : w->item_code[0] ? w->item_code : WISH_ITEM_DEFAULT,
			 w->community_path, &in.item_id);

	if (rc != WISH_OK)
		return rc;
	if (!in.item_id) {
		field_errors_add(errs, "item_code", "not_found", "应为本社区提供的服务项目");
		return WISH_INVALID;
	}
	in.member_id = w->claimer_member_id;
	in.source = SOURCE_WISH;
	in.origin_id = w->id;
	in.minutes = w->minutes;
	in.started_at = w->fulfilled_at - w->minutes * 60;
	in.content = w->title;
	rc = record_add(db, who, &in, errs, record_id);
	if (rc == RECORD_OK)
		rc = record_confirm_in(db, who, *record_id, b);
	if (rc == RECORD_OVERLAP)
		field_errors_add(errs, "minutes", "overlap", "该党员这段时间已有其他服务记录");
	if (rc == RECORD_OWN)
		return WISH_OWN;
	if (rc == RECORD_INVALID || rc == RECORD_OVERLAP || rc == RECORD_NOT_FOUND)
		return WISH_INVALID;
	if (rc == RECORD_DUPLICATE || rc == RECORD_BAD_STATE)
		return WISH_BAD_STATE;
	if (rc != RECORD_OK)
		return WISH_ERROR;
	snprintf(reason, sizeof(reason), "微心愿：%s", w->title);
	rc = bonus_give_in(db, who, b, w->claimer_member_id, BONUS_WISH, w->id, reason, errs, bonus_id);
	if (rc == BONUS_NO_POINTS) {
		*bonus_id = 0;
		return WISH_OK;
	}
	if (rc == BONUS_OWN)
		return WISH_OWN;
	if (rc == BONUS_INVALID)
		return WISH_INVALID;
	if (rc == BONUS_DUPLICATE)
		return WISH_BAD_STATE;
	return rc == BONUS_OK ? WISH_OK : WISH_ERROR;
}

/*
 * The fulfilling member's record of wish w, confirmed, and the wish bonus, inside the caller's transaction: priced
 * together (one earning batch: the rules and accounts looked up once, the member's standings moved once).
 */
static int earn(struct db *db, const struct actor *who, const struct wish *w, const char *item_code,
		struct field_errors *errs, int64_t *record_id, int64_t *bonus_id)
{
	struct earning_batch batch = { 0 };
	int rc = earn_in(db, who, &batch, w, item_code, errs, record_id, bonus_id);

	if (rc == WISH_OK && earning_batch_flush(db, &batch) != EARNING_OK)
		rc = WISH_ERROR;
	earning_batch_release(&batch);
	return rc;
}

int wish_confirm(struct db *db, const struct actor *who, int64_t id, const char *item_code, struct field_errors *errs)
{
	const int64_t now = clock_now();
	struct wish *w = xmalloc(sizeof(*w));
	int64_t record_id = 0, bonus_id = 0;
	char idt[24];
	struct db_stmt *st;
	int rc;

	if (db_begin(db) < 0) {
		free(w);
		return WISH_ERROR;
	}
	rc = wish_get(db, id, w);
	if (rc == WISH_OK && !wish_next(w->state, WISH_CONFIRM))
		rc = WISH_BAD_STATE;
	if (rc == WISH_OK && w->claimer_member_id)
		rc = earn(db, who, w, item_code, errs, &record_id, &bonus_id);
	if (rc == WISH_OK) {
		st = db_prepare(db, "UPDATE wish SET state = 'closed', confirmed_at = ?, confirmed_by = ?, record_id = ?, "
				    "bonus_id = ?, updated_at = ? WHERE id = ? AND state = 'fulfilled'");
		db_bind_int(st, 1, now);
		bind_id(st, 2, who->account_id);
		bind_id(st, 3, record_id);
		bind_id(st, 4, bonus_id);
		db_bind_int(st, 5, now);
		db_bind_int(st, 6, id);
		rc = db_step(st) == DB_DONE ? WISH_OK : WISH_ERROR;
		db_done(st);
		if (rc == WISH_OK && db_changes(db) != 1)
			rc = WISH_BAD_STATE;
	}
	snprintf(idt, sizeof(idt), "%" PRId64, id);
	if (rc == WISH_OK && (event(db, who, id, "confirm", "closed", now) < 0 ||
			      audit_append(db, who, "wish.confirm", "wish", idt, w->community_path, "ok") < 0))
		rc = WISH_ERROR;
	free(w);
	return finish(db, rc);
}

int wish_expire_due(struct db *db, const struct actor *who, int64_t now, size_t *n)
{
	struct db_stmt *st;
	int64_t *ids = NULL;
	size_t count = 0, cap = 0;
	int rc;

	if (n)
		*n = 0;
	if (db_begin(db) < 0)
		return WISH_ERROR;
	st = db_prepare(db, "SELECT id FROM wish WHERE state = 'published' AND publish_until IS NOT NULL AND "
			    "publish_until < ? ORDER BY id");
	db_bind_int(st, 1, now);
	while ((rc = db_step(st)) == DB_ROW) {
		if (count == cap) {
			cap = cap ? cap * 2 : 16;
			ids = xrealloc(ids, cap * sizeof(*ids));
		}
		ids[count++] = db_col_int(st, 0);
	}
	db_done(st);
	rc = rc == DB_DONE ? WISH_OK : WISH_ERROR;
	for (size_t i = 0; rc == WISH_OK && i < count; i++) {
		rc = step_in(db, who, ids[i], WISH_EXPIRE, "wish.expire", NULL, 0, now);
		if (rc == WISH_BAD_STATE) /* claimed meanwhile: not expired */
			rc = WISH_OK;
	}
	free(ids);
	rc = finish(db, rc);
	if (rc == WISH_OK && n)
		*n = count;
	return rc;
}

