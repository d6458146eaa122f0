/* db.h: the storage driver interface: open, prepare with ? placeholders, bind, step, column, transaction */
#ifndef DB_DB_H
#define DB_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct db_stmt;

enum db_rc {
	DB_OK = 0,
	DB_ROW = 1, /* db_step: a row is ready */
	DB_DONE = 2, /* db_step: no more rows */
	DB_ERROR = -1, /* anything unexpected: logged, answer 500 */
	DB_UNIQUE = -2, /* a UNIQUE or PRIMARY KEY constraint refused the write */
	DB_FOREIGN = -3, /* a FOREIGN KEY constraint refused the write (still referenced) */
};

/* Which engine a connection talks to: some SQL (PRAGMA, catalogues) is one engine's only. */
enum db_engine { DB_SQLITE, DB_POSTGRES };

/* Process-wide setup; call once, before any other db_ function and before threads start. */
void db_init(void);

/*
 * Opens a connection. path "postgres://…" or "postgresql://…" (a libpq
 * connection URI) is a PostgreSQL server (src/db/db_pg.c); anything else is a
 * SQLite file, opened (created if needed) with WAL, foreign keys and a busy
 * timeout. Every commit is on the disk before db_commit returns (and before
 * db_done returns for a write outside a transaction): on SQLite the
 * connection gives the file's write lock to the next writer first and then
 * waits for a sync of the log that one of them runs for all commits made by
 * then (group commit, src/db/wlock.h). Returns 0, or -1 with err filled.
 * Caller frees with db_close.
 */
int db_open(const char *path, struct db **out, char *err, size_t errlen);
void db_close(struct db *db);
enum db_engine db_engine(const struct db *db);
/* The engine db_open would pick for path. */
enum db_engine db_engine_of(const char *path);
/* PostgreSQL: every later connection's statement_timeout in ms (0: none). Call before threads start. */
void db_set_statement_timeout(int ms);

/*
 * Whether the connection can serve a request now: 0 when it can, else the
 * whole seconds (1 to 5) after which to ask again, for a Retry-After header.
 * SQLite: always 0, at no cost. PostgreSQL: 0 while its session is up; a lost
 * one is opened again here (PQreset: every host of the address is tried, and
 * target_session_attrs picks among them), at once the first time, then at most
 * once per back-off step (0.25 s after a failed try, doubling up to 5 s:
 * base/backoff.h); between steps it answers at once without trying. Logs one
 * line when the connection is lost and one when it is back, none per try.
 */
int db_unavailable(struct db *db);
/*
 * Whether the database failed this connection since the last db_unavailable:
 * 0 when not, else seconds for a Retry-After as db_unavailable's. PostgreSQL:
 * the session broke (even if it was opened again since), or a COMMIT came back
 * with a warning (a synchronous standby's confirmation given up on when
 * statement_timeout ran out: committed here, maybe not on the standby, and
 * reported as failed). A failure in between is the outage's, not a bug, and a
 * write whose COMMIT was under way may or may not be committed: say "retry"
 * (503), never that it succeeded.
 */
int db_outage(struct db *db);

/*
 * Prepares sql (with ? placeholders). Never NULL: a statement that failed to
 * prepare is logged and makes db_step return DB_ERROR. Statements are cached
 * per connection by their text. The statement is borrowed until db_done.
 */
struct db_stmt *db_prepare(struct db *db, const char *sql);
void db_bind_int(struct db_stmt *st, int idx, int64_t v);
/* Binds a copy of s; NULL binds SQL NULL. */
void db_bind_text(struct db_stmt *st, int idx, const char *s);
void db_bind_null(struct db_stmt *st, int idx);
int db_step(struct db_stmt *st);
int64_t db_col_int(struct db_stmt *st, int col);
/* The column as text, "" for NULL; borrowed until the next db_step or db_done. */
const char *db_col_text(struct db_stmt *st, int col);
bool db_col_null(struct db_stmt *st, int col);
/* Resets the statement and gives it back to the cache. */
void db_done(struct db_stmt *st);

/* Runs one statement that returns no rows: prepare, step to the end, done. Returns a db_rc. */
int db_run(struct db *db, const char *sql);
/* Runs a script of several statements (migrations). */
int db_exec_script(struct db *db, const char *sql, char *err, size_t errlen);

/*
 * Transactions: writes start with BEGIN IMMEDIATE; db_begin_read takes one snapshot for many reads.
 *
 * Writers of one file in this process take turns in arrival order: db_begin,
 * and the step of a writing statement outside a transaction, first wait for
 * the file's write lock (at most 5 s, then they fail as SQLite's busy timeout
 * would), and the connection gives it back as soon as its write is over
 * (db_commit, db_rollback, db_done of that statement), a failed COMMIT
 * included. Reads never take it. Other processes meet SQLite's busy timeout.
 * Not recursive: one thread holding two write transactions at once on two
 * connections to one file waits for itself, and its second one fails after 5 s.
 */
int db_begin(struct db *db);
int db_begin_read(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);
/* True while the connection holds a write transaction (or the write lock). */
bool db_in_write(struct db *db);
/*
 * Between db_lazy(db, true) and db_lazy(db, false), this connection's
 * commits do not wait for the disk: for writes whose loss in a power cut
 * harms no one (a session's last-seen time). They survive a crash of the
 * process, and the next durable commit's sync carries them to the disk.
 */
void db_lazy(struct db *db, bool on);
/* Rows changed by the last statement. */
int64_t db_changes(struct db *db);

/*
 * A per-connection memo of small values read from the database (a key of
 * fewer than DB_MEMO_KEY_MAX bytes, a value of at most DB_MEMO_VALUE_MAX),
 * forgotten as soon as the database file has changed: a commit by this
 * connection or by any other, in this process or another. A get answers
 * only what is still true as of the connection's latest look at the file,
 * so use it after the transaction's first statement (or right after a
 * commit). Inside a write transaction it keeps and answers nothing (a
 * rollback would leave uncommitted values standing). A value too large is
 * not kept; a get then misses.
 */
#define DB_MEMO_KEY_MAX 32
#define DB_MEMO_VALUE_MAX 2048
bool db_memo_get(struct db *db, const char *key, void *value, size_t len);
void db_memo_put(struct db *db, const char *key, const void *value, size_t len);

/*
 * Online backup of the live database into path, created here (mode 0600; a
 * file already there is refused). One consistent snapshot, taken at the start,
 * copied in one pass that the writers of other connections neither wait for
 * nor restart. On failure nothing is left at path.
 */
int db_backup(struct db *db, const char *path, char *err, size_t errlen);

/*
 * Checkpoints (copying the write-ahead log back into the database file) done
 * by someone else (src/db/checkpointer.c): this connection's commits never
 * checkpoint themselves, which would keep the file's write lock for the whole
 * copy and its fsyncs; instead, a commit that leaves DB_WAL_PAGES pages or
 * more in the log calls poke(arg), which must return at once.
 */
#define DB_WAL_PAGES 1000
void db_checkpoint_elsewhere(struct db *db, void (*poke)(void *arg), void *arg);
/*
 * Copies the write-ahead log into the database (SQLite's PASSIVE checkpoint):
 * the bulk while writers go on, then, when a few frames are left, the rest
 * while this process's writers wait for their turn, so that the next writer
 * starts the log from its beginning and it never grows without end under a
 * steady write load. Returns the frames not copied (readers still use them;
 * 0: all), -1 on error (logged).
 */
int db_checkpoint(struct db *db);

#endif
