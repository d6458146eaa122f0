/* ledger.h: the points and hours ledgers: double-entry, append-only; balances kept with their entries */
#ifndef DOMAIN_LEDGER_H
#define DOMAIN_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/xalloc.h"
#include "db/db.h"
#include "domain/audit.h"

enum book { BOOK_POINTS, BOOK_HOURS }; /* hours are kept in minutes */
extern const char *const book_names[]; /* "points", "hours", NULL */

enum ledger_kind { KIND_MEMBER, KIND_PERSON, KIND_ISSUE, KIND_SHELF };

enum ledger_source { MOVE_RECORD, MOVE_BONUS, MOVE_REDEMPTION, MOVE_GIFT, MOVE_CORRECTION };
extern const char *const ledger_sources[]; /* "record", "bonus", "redemption", "gift", "correction", NULL */

enum { LEDGER_NOTE_MAX = 200, LEDGER_ENTRIES_MAX = 4 };

/* Whose account: a member (file id), a person (login account id), a community (issue, shelf). */
struct ledger_owner {
	enum ledger_kind kind;
	int64_t id; /* member or account id */
	const char *region_code; /* issue and shelf */
};

struct ledger_entry {
	int64_t account_id, amount;
};

struct movement {
	enum book book;
	enum ledger_source source;
	int64_t member_id, record_id, rule_id, corrects_id; /* 0: none */
	char day[11]; /* YYYY-MM-DD it counts for */
	const char *note;
	size_t nentries;
	struct ledger_entry entries[LEDGER_ENTRIES_MAX];
};

/* The account of owner in book, made on first use, inside the caller's transaction. 0 or -1. */
int ledger_account(struct db *db, enum book book, const struct ledger_owner *owner, int64_t *account_id);
/* Its balance, 0 for an account not yet made. */
int ledger_balance(struct db *db, enum book book, const struct ledger_owner *owner, int64_t *balance);

/*
 * Appends m inside the caller's transaction: its entries must sum to zero
 * (-1 otherwise, nothing written), and each account's balance moves with its
 * entry. *id: the movement.
 */
int ledger_post(struct db *db, const struct actor *who, const struct movement *m, int64_t *id);

struct ledger_check {
	int64_t movements, accounts;
	int64_t unbalanced, wrong_balances; /* faults found */
	int64_t first_movement, first_account; /* the first of each fault, 0 when none */
};
/* Walks both ledgers: every movement sums to zero and every balance equals its entries. 0 when sound. */
int ledger_verify(struct db *db, struct ledger_check *out);

/* One line of an account's history: a movement and what it did to the account. */
struct ledger_line {
	int64_t movement_id, amount, record_id, corrects_id, rule_id, created_at;
	char source[12];
	char day[11];
	char note[TEXT_BYTES(LEDGER_NOTE_MAX)];
	char item_name[TEXT_BYTES(40)]; /* the record's catalogue item, "" for none */
};
/* The movements of a member's account in book, newest first, ids below before (0: from the newest). *items: caller frees. */
int ledger_history(struct db *db, enum book book, int64_t member_id, int64_t before, size_t max,
		   struct ledger_line **items, size_t *n);

#endif
