/* enrol.c: a member file's way in: typed in with its first report-in, or the member's own report-in, each one transaction */
#include "domain/enrol.h"

#include <string.h>

#include "base/clock.h"

/* Ends a transaction: commits when rc is REG_OK, rolls back otherwise; returns the outcome. */
static int finish(struct db *db, int rc)
{
	if (rc != REG_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) < 0 ? REG_ERROR : REG_OK;
}

/* Checks the form inside the transaction, so what it found still holds when the write lands. */
static int check(struct db *db, const struct member_input *in, struct field_errors *errs)
{
	if (member_check(db, in, clock_now(), errs) < 0)
		return REG_ERROR;
	return errs->n ? REG_INVALID : REG_OK;
}

/* A new file with its first report-in, inside the caller's transaction. */
static int create(struct db *db, const struct actor *who, const struct member_input *in, int64_t account_id,
		  enum reg_channel channel, int64_t *id)
{
	int64_t reg;
	int rc = member_insert(db, who, in, account_id, id);

	if (rc == MEMBER_DUPLICATE)
		return REG_DUPLICATE;
	if (rc != MEMBER_OK)
		return REG_ERROR;
	return registration_submit(db, who, *id, in->community_code, channel, &reg);
}

int member_enrol(struct db *db, const struct actor *who, const struct member_input *in, enum reg_channel channel,
		 struct field_errors *errs, int64_t *id)
{
	int rc;

	if (db_begin(db) < 0)
		return REG_ERROR;
	rc = check(db, in, errs);
	if (rc == REG_OK)
		rc = create(db, who, in, 0, channel, id);
	return finish(db, rc);
}

/*
 * The file the member reports in with: their own, or one the unit or the
 * community typed in, linked to the account now when its name is the form's.
 * *fresh: none existed and a new one must be made.
 */
static int own_file(struct db *db, const struct actor *who, const struct member_input *in, int64_t *id, bool *fresh)
{
	struct member m;
	int rc = member_find_by_account(db, who->account_id, id);

	*fresh = false;
	if (rc != MEMBER_NOT_FOUND)
		return rc == MEMBER_OK ? REG_OK : REG_ERROR;
	rc = member_find_by_id_number(db, in->id_number, id);
	if (rc == MEMBER_NOT_FOUND) {
		*fresh = true;
		return REG_OK;
	}
	if (rc != MEMBER_OK || member_get(db, *id, &m) != MEMBER_OK)
		return REG_ERROR;
	if (m.account_id || strcmp(m.name, in->name))
		return REG_TAKEN;
	return member_claim(db, who, *id, who->account_id) == MEMBER_OK ? REG_OK : REG_ERROR;
}

int member_report_in(struct db *db, const struct actor *who, const struct member_input *in,
		     struct field_errors *errs, int64_t *id, bool *filed)
{
	struct registration cur;
	int64_t reg;
	bool fresh;
	int rc;

	*filed = true;
	if (db_begin(db) < 0)
		return REG_ERROR;
	rc = check(db, in, errs);
	if (rc == REG_OK)
		rc = own_file(db, who, in, id, &fresh);
	if (rc == REG_OK && fresh)
		return finish(db, create(db, who, in, who->account_id, CHANNEL_SELF, id));
	if (rc == REG_OK) {
		/* The form is the member's own word on their file: it is brought up to date with the report-in. */
		rc = member_refresh(db, who, *id, in);
		rc = rc == MEMBER_OK ? REG_OK : rc == MEMBER_MISMATCH ? REG_MISMATCH : REG_ERROR;
	}
	if (rc == REG_OK) {
		rc = registration_current(db, *id, &cur);
		if (rc == REG_OK && !strcmp(cur.community_code, in->community_code))
			*filed = false; /* already waiting or reported there: nothing new to file */
		else if (rc == REG_OK || rc == REG_NOT_FOUND)
			rc = registration_submit(db, who, *id, in->community_code, CHANNEL_SELF, &reg);
	}
	return finish(db, rc);
}
