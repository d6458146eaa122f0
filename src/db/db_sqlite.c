/* db_sqlite.c: the SQLite driver: a statement cache and a memo per connection, one fair write lock and group commit per file */
#include "db/db_driver.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "db/wlock.h"

#define CACHE_SLOTS 256
#define MEMO_SLOTS 128
/* How long a writer waits: for another process (SQLite's busy timeout), or for its turn in this one. */
#define BUSY_MS 5000
/* db_checkpoint copies the last frames of the log while the writers wait once fewer remain than this. */
#define CHECKPOINT_TAIL 200

struct memo_slot {
	uint64_t epoch; /* kept in this epoch of the connection's memo; 0: empty */
	size_t len;
	char key[DB_MEMO_KEY_MAX];
	unsigned char value[DB_MEMO_VALUE_MAX];
};

struct sq_stmt {
	struct db_stmt base; /* first: db.c reaches the table through it */
	struct sq *db;
	sqlite3_stmt *st;
	char *sql;
	int failed; /* prepare failed: step answers DB_ERROR */
	int busy; /* handed out and not yet done */
	int cached;
};

struct sq {
	struct db base; /* first: db.c reaches the table through it */
	sqlite3 *conn;
	struct sq_stmt *cache[CACHE_SLOTS];
	unsigned data_version; /* SQLite's count of changes to the file, as the memo last saw it */
	uint64_t memo_epoch; /* grows whenever data_version moved: older slots are stale */
	struct memo_slot *memo; /* MEMO_SLOTS, allocated at first use */
	struct sq_stmt broken; /* what a failed prepare hands out */
	struct wlock *wlock; /* the file's write lock in this process */
	int writing; /* this connection holds it */
	int committed; /* SQLite committed a write of this connection since it took the lock */
	bool lazy; /* db_lazy: commits need not wait for the disk */
	int sync_failed; /* the last commit's wait for the disk failed */
	void (*poke)(void *arg); /* db_checkpoint_elsewhere */
	void *poke_arg;
};

static const struct db_ops sqlite_ops;
static void sq_rollback(struct db *d);

static int configure(struct sq *db, char *err, size_t errlen)
{
	static const char *const pragmas[] = {
		"PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON",
		/* A commit writes the log without an fsync; db_commit then waits for the group's (write_over). */
		"PRAGMA synchronous=NORMAL",
		"PRAGMA trusted_schema=OFF",
	};

	for (size_t i = 0; i < sizeof(pragmas) / sizeof(pragmas[0]); i++) {
		if (sqlite3_exec(db->conn, pragmas[i], NULL, NULL, NULL) != SQLITE_OK) {
			snprintf(err, errlen, "%s: %s", pragmas[i], sqlite3_errmsg(db->conn));
			return -1;
		}
	}
	sqlite3_busy_timeout(db->conn, BUSY_MS);
	return 0;
}

/* SQLite calls this as a write of the connection commits. */
static int on_commit(void *arg)
{
	((struct sq *)arg)->committed = 1;
	return 0;
}

void db_sqlite_init(void)
{
	/* No global memory statistics: they take a process-wide mutex on every allocation. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	/*
	 * Statement journals in memory, never spilled to a file in /var/tmp: in a long transaction (a bulk
	 * confirmation, an activity's closing) nearly every write keeps one (foreign keys, upserts), and once
	 * one grew past the default 64 KiB every later statement of the transaction wrote its pages to that file
	 * (bench/jianghan.sh: some 300,000 pwrites). Each holds only its statement's pages and is freed after it.
	 */
	sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, -1);
	sqlite3_initialize();
}

int db_sqlite_open(const char *path, struct db **out, char *err, size_t errlen)
{
	struct sq *db = xcalloc(1, sizeof(*db));
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;

	if (sqlite3_open_v2(path, &db->conn, flags, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open database %s: %s", path,
			 db->conn ? sqlite3_errmsg(db->conn) : "out of memory");
		sqlite3_close(db->conn);
		free(db);
		return -1;
	}
	sqlite3_extended_result_codes(db->conn, 1);
	if (configure(db, err, errlen) < 0) {
		sqlite3_close(db->conn);
		free(db);
		return -1;
	}
	db->base.ops = &sqlite_ops;
	db->broken.base.ops = &sqlite_ops;
	db->broken.db = db;
	db->broken.failed = 1;
	db->wlock = wlock_get(path);
	sqlite3_commit_hook(db->conn, on_commit, db);
	*out = &db->base;
	return 0;
}

static void stmt_free(struct sq_stmt *st)
{
	sqlite3_finalize(st->st);
	free(st->sql);
	free(st);
}

static void sq_close(struct db *d)
{
	struct sq *db = (struct sq *)d;

	if (!db)
		return;
	for (int i = 0; i < CACHE_SLOTS; i++)
		if (db->cache[i])
			stmt_free(db->cache[i]);
	free(db->memo);
	sqlite3_close(db->conn);
	if (db->writing)
		wlock_release(db->wlock);
	wlock_put(db->wlock);
	free(db);
}

static unsigned hash(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct db_stmt *sq_prepare(struct db *d, const char *sql)
{
	struct sq *db = (struct sq *)d;
	unsigned h = hash(sql);
	struct sq_stmt *st;
	int slot = -1;

	for (int i = 0; i < 8; i++) {
		int k = (int)((h + (unsigned)i) % CACHE_SLOTS);

		st = db->cache[k];
		if (!st) {
			if (slot < 0)
				slot = k;
			continue;
		}
		if (!st->busy && !strcmp(st->sql, sql)) {
			st->busy = 1;
			return &st->base;
		}
	}
	st = xcalloc(1, sizeof(*st));
	st->base.ops = &sqlite_ops;
	st->db = db;
	if (sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->st, NULL) != SQLITE_OK) {
		log_error("db: prepare failed: %s", sqlite3_errmsg(db->conn));
		sqlite3_finalize(st->st);
		free(st);
		return &db->broken.base;
	}
	st->sql = xstrdup(sql);
	st->busy = 1;
	if (slot >= 0) {
		st->cached = 1;
		db->cache[slot] = st;
	}
	return &st->base;
}

/*
 * The memo's current epoch: a new one whenever the file changed since the last look.
 * 0 (no memo) inside a write: what it reads may be rolled back, which moves no version.
 */
static uint64_t memo_epoch(struct sq *db)
{
	unsigned v = 0;

	if (sqlite3_txn_state(db->conn, "main") == SQLITE_TXN_WRITE ||
	    sqlite3_file_control(db->conn, "main", SQLITE_FCNTL_DATA_VERSION, &v) != SQLITE_OK)
		return 0;
	if (!db->memo_epoch || v != db->data_version) {
		db->data_version = v;
		db->memo_epoch++;
	}
	return db->memo_epoch;
}

static struct memo_slot *memo_slot(struct sq *db, const char *key)
{
	if (!db->memo)
		db->memo = xcalloc(MEMO_SLOTS, sizeof(*db->memo));
	return &db->memo[hash(key) % MEMO_SLOTS];
}

static bool sq_memo_get(struct db *d, const char *key, void *value, size_t len)
{
	struct sq *db = (struct sq *)d;
	uint64_t epoch = memo_epoch(db);
	struct memo_slot *m = memo_slot(db, key);

	if (!epoch || m->epoch != epoch || m->len != len || strcmp(m->key, key))
		return false;
	memcpy(value, m->value, len);
	return true;
}

static void sq_memo_put(struct db *d, const char *key, const void *value, size_t len)
{
	struct sq *db = (struct sq *)d;
	uint64_t epoch = memo_epoch(db);
	struct memo_slot *m;

	if (!epoch || strlen(key) >= sizeof(m->key) || len > sizeof(m->value))
		return;
	m = memo_slot(db, key);
	m->epoch = epoch;
	m->len = len;
	str_copy(m->key, sizeof(m->key), key);
	memcpy(m->value, value, len);
}

/*
 * The write lock: a connection takes it before it can write (db_begin, or the
 * step of a writing statement outside a transaction) and gives it back as soon
 * as it has no write transaction left, whichever way that ended.
 */
static int write_lock(struct sq *db)
{
	if (db->writing)
		return 0;
	if (wlock_acquire(db->wlock, BUSY_MS) < 0) {
		log_error("db: no turn to write within %d ms", BUSY_MS);
		return -1;
	}
	db->writing = 1;
	return 0;
}

/* Syncs the log of db's file: every commit written to it so far is on the disk. */
static int sync_log(void *arg)
{
	struct sq *db = arg;
	sqlite3_file *log = NULL;

	if (sqlite3_file_control(db->conn, "main", SQLITE_FCNTL_JOURNAL_POINTER, &log) != SQLITE_OK)
		return -1;
	/* No log open (a database without one, such as :memory:): nothing waits for the disk. */
	if (!log || !log->pMethods)
		return 0;
	return log->pMethods->xSync(log, SQLITE_SYNC_NORMAL) == SQLITE_OK ? 0 : -1;
}

/*
 * The end of a write: the lock goes to the next writer, then a commit waits for the disk (group
 * commit, src/db/wlock.h), unless lazy. The answer that follows is sent once the write is durable.
 */
static void write_over(struct sq *db)
{
	uint64_t seq = 0;

	if (!db->writing || sqlite3_txn_state(db->conn, NULL) == SQLITE_TXN_WRITE)
		return;
	if (db->committed)
		seq = wlock_committed(db->wlock);
	db->committed = 0;
	db->writing = 0;
	wlock_release(db->wlock);
	db->sync_failed = seq && !db->lazy && wlock_durable(db->wlock, seq, sync_log, db) < 0;
	if (db->sync_failed)
		log_error("db: cannot sync the log: %s", sqlite3_errmsg(db->conn));
}

static bool sq_in_write(struct db *d)
{
	struct sq *db = (struct sq *)d;

	return db->writing || sqlite3_txn_state(db->conn, NULL) == SQLITE_TXN_WRITE;
}

static void sq_bind_int(struct db_stmt *stmt, int idx, int64_t v)
{
	struct sq_stmt *st = (struct sq_stmt *)stmt;

	if (!st->failed)
		sqlite3_bind_int64(st->st, idx, v);
}

static void sq_bind_text(struct db_stmt *stmt, int idx, const char *s)
{
	struct sq_stmt *st = (struct sq_stmt *)stmt;

	if (st->failed)
		return;
	if (s)
		sqlite3_bind_text(st->st, idx, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st->st, idx);
}

static void sq_bind_null(struct db_stmt *stmt, int idx)
{
	struct sq_stmt *st = (struct sq_stmt *)stmt;

	if (!st->failed)
		sqlite3_bind_null(st->st, idx);
}

static int sq_step(struct db_stmt *stmt)
{
	struct sq_stmt *st = (struct sq_stmt *)stmt;
	int rc;

	if (st->failed)
		return DB_ERROR;
	if (!sqlite3_stmt_readonly(st->st) && write_lock(st->db) < 0)
		return DB_ERROR;
	rc = sqlite3_step(st->st);
	switch (rc) {
	case SQLITE_ROW:
		return DB_ROW;
	case SQLITE_DONE:
		return DB_DONE;
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return DB_UNIQUE;
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return DB_FOREIGN;
	default:
		log_error("db: step failed (%d): %s", rc, sqlite3_errmsg(st->db->conn));
		return DB_ERROR;
	}
}

static int64_t sq_col_int(struct db_stmt *stmt, int col)
{
	struct sq_stmt *st = (struct sq_stmt *)stmt;

	return st->failed ? 0 : sqlite3_column_int64(st->st, col);
}

static const char *sq_col_text(struct db_stmt *stmt, int col)
{
	struct sq_stmt *st = (struct sq_stmt *)stmt;
	const unsigned char *s = st->failed ? NULL : sqlite3_column_text(st->st, col);

	return s ? (const char *)s : "";
}

static bool sq_col_null(struct db_stmt *stmt, int col)
{
	struct sq_stmt *st = (struct sq_stmt *)stmt;

	return st->failed || sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

static void sq_done(struct db_stmt *stmt)
{
	struct sq_stmt *st = (struct sq_stmt *)stmt;
	struct sq *db = st->db;

	if (st->failed)
		return;
	sqlite3_reset(st->st);
	sqlite3_clear_bindings(st->st);
	st->busy = 0;
	if (!st->cached)
		stmt_free(st);
	write_over(db);
}

static int sq_run(struct db *d, const char *sql)
{
	struct db_stmt *st = sq_prepare(d, sql);
	int rc = sq_step(st);

	sq_done(st);
	return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

static int sq_exec_script(struct db *d, const char *sql, char *err, size_t errlen)
{
	struct sq *db = (struct sq *)d;
	char *msg = NULL;

	if (sqlite3_exec(db->conn, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "%s", msg ? msg : "unknown error");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int sq_begin(struct db *d)
{
	struct sq *db = (struct sq *)d;

	/* Our turn first, so BEGIN IMMEDIATE meets no writer of this process; if it fails, db_done gives the turn back. */
	if (write_lock(db) < 0)
		return -1;
	return sq_run(d, "BEGIN IMMEDIATE") == DB_OK ? 0 : -1;
}

static int sq_begin_read(struct db *d)
{
	return sq_run(d, "BEGIN") == DB_OK ? 0 : -1;
}

static int sq_commit(struct db *d)
{
	struct sq *db = (struct sq *)d;

	if (sq_run(d, "COMMIT") == DB_OK)
		return db->sync_failed ? -1 : 0;
	sq_rollback(d);
	return -1;
}

static void sq_rollback(struct db *d)
{
	struct sq *db = (struct sq *)d;

	if (!sqlite3_get_autocommit(db->conn))
		sq_run(d, "ROLLBACK");
	write_over(db);
}

static void sq_lazy(struct db *d, bool on)
{
	/* Its commits stay in the log without a sync: the next durable commit's sync covers them. */
	((struct sq *)d)->lazy = on;
}

static int64_t sq_changes(struct db *d)
{
	struct sq *db = (struct sq *)d;

	return sqlite3_changes64(db->conn);
}

static int sq_backup(struct db *d, const char *path, char *err, size_t errlen)
{
	struct sq *db = (struct sq *)d;
	sqlite3 *dst = NULL;
	sqlite3_backup *b;
	int fd, rc = SQLITE_ERROR, tries = 0;

	/* The copy holds what the database holds: readable by its owner only, and never over another file. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	close(fd);
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", path, dst ? sqlite3_errmsg(dst) : "out of memory");
		goto out;
	}
	b = sqlite3_backup_init(dst, "main", db->conn, "main");
	if (!b) {
		snprintf(err, errlen, "backup failed: %s", sqlite3_errmsg(dst));
		goto out;
	}
	/*
	 * Every page in one step, inside one read transaction of the source: in WAL mode that
	 * snapshot blocks no writer, and what they commit meanwhile cannot touch the copy. SQLite
	 * restarts a backup from its first page when another connection wrote between two steps,
	 * so copying a few pages per step never ends under a steady write load once a step takes
	 * longer than the gap between writes. Busy only while the file cannot be read at all.
	 */
	do {
		rc = sqlite3_backup_step(b, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && ++tries < BUSY_MS / 20);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		snprintf(err, errlen, "backup failed: %s", sqlite3_errstr(rc));
out:
	if (sqlite3_close(dst) != SQLITE_OK && rc == SQLITE_DONE) {
		snprintf(err, errlen, "cannot finish %s", path);
		rc = SQLITE_ERROR;
	}
	if (rc != SQLITE_DONE)
		unlink(path);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* SQLite calls this after each commit of the connection, with the log's size in pages. */
static int wal_committed(void *arg, sqlite3 *conn, const char *name, int pages)
{
	struct sq *db = arg;

	(void)conn;
	(void)name;
	if (pages >= DB_WAL_PAGES)
		db->poke(db->poke_arg);
	return SQLITE_OK;
}

static void sq_checkpoint_elsewhere(struct db *d, void (*poke)(void *arg), void *arg)
{
	struct sq *db = (struct sq *)d;

	db->poke = poke;
	db->poke_arg = arg;
	/* Replaces SQLite's own hook, which is what runs the automatic checkpoint. */
	sqlite3_wal_hook(db->conn, wal_committed, db);
}

/*
 * One checkpoint pass: the frames of the log not yet copied afterwards, -1 on
 * error (logged). RESTART also starts the log afresh if no reader is still in it;
 * the connection has no busy handler (db_checkpoint_elsewhere's
 * checkpointer), so a pass waits for no one.
 */
static int checkpoint_pass(struct sq *db, int mode)
{
	int frames = 0, copied = 0;
	int rc = sqlite3_wal_checkpoint_v2(db->conn, NULL, mode, &frames, &copied);

	if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
		log_error("db: checkpoint: %s", sqlite3_errmsg(db->conn));
		return -1;
	}
	return frames > copied ? frames - copied : 0;
}

static int sq_checkpoint(struct db *d)
{
	struct sq *db = (struct sq *)d;
	int left;

	sqlite3_busy_timeout(db->conn, 0);
	left = checkpoint_pass(db, SQLITE_CHECKPOINT_PASSIVE);
	for (int pass = 1; left > CHECKPOINT_TAIL && pass < 3; pass++)
		left = checkpoint_pass(db, SQLITE_CHECKPOINT_PASSIVE);
	/* What the writers added meanwhile, while they wait: SQLite's write lock is then free for the restart. */
	if (left >= 0 && write_lock(db) == 0) {
		left = checkpoint_pass(db, SQLITE_CHECKPOINT_RESTART);
		db->writing = 0;
		wlock_release(db->wlock);
	}
	sqlite3_busy_timeout(db->conn, BUSY_MS);
	return left;
}

static const struct db_ops sqlite_ops = {
	.engine = DB_SQLITE,
	.close = sq_close,
	.prepare = sq_prepare,
	.bind_int = sq_bind_int,
	.bind_text = sq_bind_text,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.col_int = sq_col_int,
	.col_text = sq_col_text,
	.col_null = sq_col_null,
	.done = sq_done,
	.run = sq_run,
	.exec_script = sq_exec_script,
	.begin = sq_begin,
	.begin_read = sq_begin_read,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.in_write = sq_in_write,
	.lazy = sq_lazy,
	.changes = sq_changes,
	.memo_get = sq_memo_get,
	.memo_put = sq_memo_put,
	.backup = sq_backup,
	.checkpoint_elsewhere = sq_checkpoint_elsewhere,
	.checkpoint = sq_checkpoint,
};
