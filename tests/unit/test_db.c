/* test_db.c: the SQLite driver: the memo (forgotten after any commit), the fair write lock (every path gives it back), checkpoints elsewhere */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/checkpointer.h"
#include "db/db.h"
#include "db/wlock.h"

struct fixture {
	char dir[64];
	char path[96];
	struct db *a, *b; /* two connections to one file, as two worker threads have */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];

	snprintf(f->dir, sizeof(f->dir), "/tmp/baodao-unit-XXXXXX");
	if (!f || !mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	if (db_open(f->path, &f->a, err, sizeof(err)) < 0 || db_open(f->path, &f->b, err, sizeof(err)) < 0 ||
	    db_run(f->a, "CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)") != DB_OK ||
	    db_run(f->a, "INSERT INTO t VALUES ('x', 'one')") != DB_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	db_close(f->a);
	db_close(f->b);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* Starts a read on db and runs its first statement, as a request does before it asks the memo. */
static void begin_read(struct db *db)
{
	struct db_stmt *st;

	assert_int_equal(db_begin_read(db), 0);
	st = db_prepare(db, "SELECT v FROM t WHERE k = 'x'");
	assert_int_equal(db_step(st), DB_ROW);
	db_done(st);
}

/* A read that keeps "k" = "one" in the memo. */
static void keep_one(struct db *db)
{
	begin_read(db);
	db_memo_put(db, "k", "one", 4);
	db_rollback(db);
}

static void memo_keeps_values_while_nothing_changes(void **state)
{
	struct fixture *f = *state;
	char v[8] = "";
	long n = 0;

	begin_read(f->a);
	assert_false(db_memo_get(f->a, "k", v, sizeof(v)));
	db_memo_put(f->a, "k", "one", 4);
	assert_true(db_memo_get(f->a, "k", v, 4));
	assert_string_equal(v, "one");
	/* A value is given back only at the size it was kept with. */
	assert_false(db_memo_get(f->a, "k", &n, sizeof(n)));
	assert_false(db_memo_get(f->a, "other", v, 4));
	db_rollback(f->a);
	/* The next read of an unchanged file still has it. */
	begin_read(f->a);
	assert_true(db_memo_get(f->a, "k", v, 4));
	db_rollback(f->a);
}

static void memo_forgets_after_a_commit_by_another_connection(void **state)
{
	struct fixture *f = *state;
	char v[8];

	keep_one(f->a);
	assert_int_equal(db_run(f->b, "UPDATE t SET v = 'two'"), DB_OK);
	begin_read(f->a);
	assert_false(db_memo_get(f->a, "k", v, 4));
	db_rollback(f->a);
}

static void memo_forgets_after_its_own_commit(void **state)
{
	struct fixture *f = *state;
	char v[8];

	keep_one(f->a);
	assert_int_equal(db_begin(f->a), 0);
	assert_int_equal(db_run(f->a, "UPDATE t SET v = 'three'"), DB_OK);
	assert_int_equal(db_commit(f->a), 0);
	assert_false(db_memo_get(f->a, "k", v, 4));
}

static void memo_keeps_nothing_inside_a_write(void **state)
{
	struct fixture *f = *state;
	char v[8];

	keep_one(f->a);
	/* Inside a write: the committed value is not answered, and what is put is not kept. */
	assert_int_equal(db_begin(f->a), 0);
	assert_int_equal(db_run(f->a, "UPDATE t SET v = 'uncommitted'"), DB_OK);
	assert_false(db_memo_get(f->a, "k", v, 4));
	db_memo_put(f->a, "k", "unc", 4);
	db_rollback(f->a);
	begin_read(f->a);
	assert_true(db_memo_get(f->a, "k", v, 4));
	assert_string_equal(v, "one");
	db_rollback(f->a);
}

static void memo_skips_what_does_not_fit(void **state)
{
	struct fixture *f = *state;
	char big[DB_MEMO_VALUE_MAX + 1], key[DB_MEMO_KEY_MAX + 8];

	memset(big, 'v', sizeof(big));
	memset(key, 'k', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	begin_read(f->a);
	db_memo_put(f->a, "big", big, sizeof(big));
	assert_false(db_memo_get(f->a, "big", big, sizeof(big)));
	db_memo_put(f->a, key, "v", 2);
	assert_false(db_memo_get(f->a, key, big, 2));
	db_rollback(f->a);
}

/* The write lock. Threads report into these; cmocka asserts only on the main thread. */
#define WRITERS 8
#define WRITES 60

struct writer {
	const char *path;
	int id;
	int failed; /* writes that did not land */
};

/* Each writer: its own connection (as a worker thread has), transactions and single statements in turn. */
static void *write_many(void *arg)
{
	struct writer *w = arg;
	struct db *db;
	char err[256], sql[128];

	if (db_open(w->path, &db, err, sizeof(err)) < 0) {
		w->failed = WRITES;
		return NULL;
	}
	/* SQLite never waits here: a writer that met another one in SQLite would fail at once. */
	if (db_run(db, "PRAGMA busy_timeout=0") != DB_OK)
		w->failed = WRITES;
	for (int i = 0; i < WRITES && !w->failed; i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO w (writer, seq) VALUES (%d, %d)", w->id, i);
		if (i % 2) {
			if (db_run(db, sql) != DB_OK)
				w->failed++;
			continue;
		}
		if (db_begin(db) < 0 || db_run(db, sql) != DB_OK || db_commit(db) < 0) {
			db_rollback(db);
			w->failed++;
		}
	}
	db_close(db);
	return NULL;
}

static void writers_take_turns_and_every_write_lands(void **state)
{
	struct fixture *f = *state;
	struct writer w[WRITERS];
	pthread_t t[WRITERS];
	struct db_stmt *st;

	assert_int_equal(db_run(f->a, "CREATE TABLE w (writer INTEGER, seq INTEGER, PRIMARY KEY (writer, seq))"), DB_OK);
	for (int i = 0; i < WRITERS; i++) {
		w[i] = (struct writer){ f->path, i, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, write_many, &w[i]), 0);
	}
	for (int i = 0; i < WRITERS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].failed, 0);
	}
	st = db_prepare(f->b, "SELECT COUNT(*), COUNT(DISTINCT writer) FROM w");
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), WRITERS * WRITES);
	assert_int_equal(db_col_int(st, 1), WRITERS);
	db_done(st);
}

struct queued {
	struct wlock *lock;
	int id;
	int *order, *n; /* where each records its turn; written while holding the lock */
};

static void *take_turn(void *arg)
{
	struct queued *q = arg;

	if (wlock_acquire(q->lock, 60000) == 0) {
		q->order[(*q->n)++] = q->id;
		wlock_release(q->lock);
	}
	return NULL;
}

static void the_lock_goes_to_waiters_in_arrival_order(void **state)
{
	struct fixture *f = *state;
	struct wlock *l = wlock_get(f->path), *same = wlock_get(f->path);
	struct queued q[WRITERS];
	pthread_t t[WRITERS];
	int order[WRITERS], n = 0;

	assert_ptr_equal(l, same);
	assert_int_equal(wlock_acquire(l, 0), 0);
	/* One waiter after another, each queued before the next one starts. */
	for (int i = 0; i < WRITERS; i++) {
		q[i] = (struct queued){ l, i, order, &n };
		assert_int_equal(pthread_create(&t[i], NULL, take_turn, &q[i]), 0);
		while (wlock_waiters(l) != i + 1)
			sched_yield();
	}
	wlock_release(l);
	for (int i = 0; i < WRITERS; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(n, WRITERS);
	for (int i = 0; i < WRITERS; i++)
		assert_int_equal(order[i], i);
	wlock_put(same);
	wlock_put(l);
}

static void a_waiter_that_gives_up_leaves_the_queue(void **state)
{
	struct fixture *f = *state;
	struct wlock *l = wlock_get(f->path);

	assert_int_equal(wlock_acquire(l, 0), 0);
	assert_int_equal(wlock_acquire(l, 20), -1);
	assert_int_equal(wlock_waiters(l), 0);
	wlock_release(l);
	assert_int_equal(wlock_acquire(l, 0), 0);
	wlock_release(l);
	wlock_put(l);
}

/* b can write now, on this same thread: a holds no lock (else b would wait 5 s for it, then fail). */
static void assert_b_can_write(struct fixture *f)
{
	assert_false(db_in_write(f->a));
	assert_int_equal(db_begin(f->b), 0);
	assert_int_equal(db_run(f->b, "UPDATE t SET v = 'b'"), DB_OK);
	assert_int_equal(db_commit(f->b), 0);
}

static void a_failed_commit_gives_the_lock_back(void **state)
{
	struct fixture *f = *state;

	/* A deferred foreign key is checked at COMMIT, which fails and leaves the transaction open. */
	assert_int_equal(db_run(f->a, "CREATE TABLE child (k TEXT REFERENCES t (k) DEFERRABLE INITIALLY DEFERRED)"),
			 DB_OK);
	assert_int_equal(db_begin(f->a), 0);
	assert_true(db_in_write(f->a));
	assert_int_equal(db_run(f->a, "INSERT INTO child VALUES ('nowhere')"), DB_OK);
	assert_int_equal(db_commit(f->a), -1);
	assert_b_can_write(f);
}

static void every_other_ending_gives_the_lock_back(void **state)
{
	struct fixture *f = *state;
	struct db_stmt *st;

	/* Rolled back. */
	assert_int_equal(db_begin(f->a), 0);
	db_rollback(f->a);
	assert_b_can_write(f);
	/* A BEGIN refused inside a read (SQLite has taken the file's write lock all the same). */
	assert_int_equal(db_begin_read(f->a), 0);
	assert_int_equal(db_begin(f->a), -1);
	db_rollback(f->a);
	assert_b_can_write(f);
	/* A single statement that fails, and one that returns rows, once done. */
	assert_int_equal(db_run(f->a, "INSERT INTO t VALUES ('x', 'again')"), DB_UNIQUE);
	assert_b_can_write(f);
	st = db_prepare(f->a, "INSERT INTO t VALUES ('y', 'new') RETURNING k");
	assert_int_equal(db_step(st), DB_ROW);
	assert_true(db_in_write(f->a));
	db_done(st);
	assert_b_can_write(f);
}

static void reads_run_while_a_write_is_open(void **state)
{
	struct fixture *f = *state;
	struct db_stmt *st;

	assert_int_equal(db_begin(f->a), 0);
	assert_int_equal(db_run(f->a, "UPDATE t SET v = 'uncommitted'"), DB_OK);
	/* Same thread: a read that waited for the lock would never end. */
	assert_int_equal(db_begin_read(f->b), 0);
	st = db_prepare(f->b, "SELECT v FROM t WHERE k = 'x'");
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "one");
	db_done(st);
	db_rollback(f->b);
	assert_int_equal(db_commit(f->a), 0);
}

/* --- Checkpoints elsewhere ------------------------------------------------------------------ */

static void count_poke(void *arg)
{
	(*(int *)arg)++;
}

/* n commits of one row of 3,000 bytes each: two or three pages of the log per commit (the row's and its parents'). */
static void write_pages(struct db *db, int n)
{
	char *v = malloc(3001);

	assert_non_null(v);
	memset(v, 'p', 3000);
	v[3000] = '\0';
	for (int i = 0; i < n; i++) {
		struct db_stmt *st = db_prepare(db, "INSERT INTO p (v) VALUES (?)");

		db_bind_text(st, 1, v);
		assert_int_equal(db_step(st), DB_DONE);
		db_done(st);
	}
	free(v);
}

/* The log's file size in pages of 4 KiB (its frames are a little larger: a frame header each). */
static long wal_pages(const struct fixture *f)
{
	char wal[128];
	struct stat sb;

	snprintf(wal, sizeof(wal), "%s-wal", f->path);
	assert_int_equal(stat(wal, &sb), 0);
	return (long)(sb.st_size / 4096);
}

/* Frames in the log now, and how many of them the database already has, as SQLite counts them. */
static void log_frames(struct db *db, int64_t *frames, int64_t *copied)
{
	struct db_stmt *st = db_prepare(db, "PRAGMA wal_checkpoint(PASSIVE)");

	assert_int_equal(db_step(st), DB_ROW);
	*frames = db_col_int(st, 1);
	*copied = db_col_int(st, 2);
	db_done(st);
}

static void a_connection_that_checkpoints_elsewhere_never_checkpoints_itself(void **state)
{
	struct fixture *f = *state;
	int pokes = 0;
	int64_t frames, copied;

	assert_int_equal(db_run(f->a, "CREATE TABLE p (v TEXT)"), DB_OK);
	db_checkpoint_elsewhere(f->a, count_poke, &pokes);
	write_pages(f->a, DB_WAL_PAGES / 5);
	assert_int_equal(pokes, 0); /* a short log asks for nothing */
	write_pages(f->a, DB_WAL_PAGES);
	assert_true(pokes >= DB_WAL_PAGES / 2);
	/* SQLite's own checkpoint at 1,000 pages would have started the log afresh: it holds every commit. */
	assert_true(wal_pages(f) >= DB_WAL_PAGES * 3 / 2);
	/* Someone else copies it, and the next commit starts the log from its beginning. */
	assert_int_equal(db_checkpoint(f->b), 0);
	write_pages(f->a, 1);
	log_frames(f->b, &frames, &copied);
	assert_true(frames > 0 && frames < 10);
}

static void the_checkpointer_copies_the_log_behind_the_writers(void **state)
{
	struct fixture *f = *state;
	struct checkpointer *c;
	char err[256];
	int64_t frames, copied;
	struct db_stmt *st;

	assert_int_equal(db_run(f->a, "CREATE TABLE p (v TEXT)"), DB_OK);
	c = checkpointer_start(f->path, err, sizeof(err));
	assert_non_null(c);
	db_checkpoint_elsewhere(f->a, checkpointer_poke, c);
	/* Commits as fast as they come (no fsyncs): what the checkpointer does is what is checked here. */
	assert_int_equal(db_run(f->a, "PRAGMA synchronous=OFF"), DB_OK);
	write_pages(f->a, 3 * DB_WAL_PAGES);
	checkpointer_sync(c);
	/* Everything copied, its last pass while the writers waited: the next commit starts the log afresh. */
	log_frames(f->b, &frames, &copied);
	assert_int_equal(frames, copied);
	write_pages(f->a, 1);
	log_frames(f->b, &frames, &copied);
	assert_true(frames > 0 && frames < 10);
	checkpointer_stop(c);
	st = db_prepare(f->b, "SELECT COUNT(*) FROM p");
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 3 * DB_WAL_PAGES + 1);
	db_done(st);
}


/*
 * A VFS over the default one that counts the syncs of write-ahead logs: what a commit waits for.
 * Every method forwards to the real file, which lives right after the wrapper.
 */
struct counted_file {
	sqlite3_file base;
	sqlite3_file *real;
	int wal;
};

static sqlite3_vfs *real_vfs;
static int log_syncs;

static sqlite3_file *real_of(sqlite3_file *f)
{
	return ((struct counted_file *)f)->real;
}

static int c_close(sqlite3_file *f)
{
	return real_of(f)->pMethods ? real_of(f)->pMethods->xClose(real_of(f)) : SQLITE_OK;
}
static int c_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{
	return real_of(f)->pMethods->xRead(real_of(f), b, n, o);
}
static int c_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
	return real_of(f)->pMethods->xWrite(real_of(f), b, n, o);
}
static int c_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return real_of(f)->pMethods->xTruncate(real_of(f), size);
}
static int c_sync(sqlite3_file *f, int flags)
{
	log_syncs += ((struct counted_file *)f)->wal;
	return real_of(f)->pMethods->xSync(real_of(f), flags);
}
static int c_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return real_of(f)->pMethods->xFileSize(real_of(f), size);
}
static int c_lock(sqlite3_file *f, int l)
{
	return real_of(f)->pMethods->xLock(real_of(f), l);
}
static int c_unlock(sqlite3_file *f, int l)
{
	return real_of(f)->pMethods->xUnlock(real_of(f), l);
}
static int c_reserved(sqlite3_file *f, int *out)
{
	return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}
static int c_control(sqlite3_file *f, int op, void *arg)
{
	return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
static int c_sector(sqlite3_file *f)
{
	return real_of(f)->pMethods->xSectorSize(real_of(f));
}
static int c_caps(sqlite3_file *f)
{
	return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
}
static int c_shm_map(sqlite3_file *f, int pg, int sz, int extend, void volatile **pp)
{
	return real_of(f)->pMethods->xShmMap(real_of(f), pg, sz, extend, pp);
}
static int c_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
}
static void c_shm_barrier(sqlite3_file *f)
{
	real_of(f)->pMethods->xShmBarrier(real_of(f));
}
static int c_shm_unmap(sqlite3_file *f, int del)
{
	return real_of(f)->pMethods->xShmUnmap(real_of(f), del);
}

static const sqlite3_io_methods counted_methods = {
	.iVersion = 2, .xClose = c_close, .xRead = c_read, .xWrite = c_write, .xTruncate = c_truncate,
	.xSync = c_sync, .xFileSize = c_size, .xLock = c_lock, .xUnlock = c_unlock,
	.xCheckReservedLock = c_reserved, .xFileControl = c_control, .xSectorSize = c_sector,
	.xDeviceCharacteristics = c_caps, .xShmMap = c_shm_map, .xShmLock = c_shm_lock,
	.xShmBarrier = c_shm_barrier, .xShmUnmap = c_shm_unmap,
};

static int c_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
	struct counted_file *c = (struct counted_file *)f;
	int rc;

	(void)vfs;
	c->real = (sqlite3_file *)(c + 1);
	c->wal = (flags & SQLITE_OPEN_WAL) != 0;
	rc = real_vfs->xOpen(real_vfs, name, c->real, flags, out);
	c->base.pMethods = rc == SQLITE_OK ? &counted_methods : NULL;
	return rc;
}

static sqlite3_vfs counted_vfs;

/* Opens a connection to path over the counting VFS. */
static struct db *open_counted(const char *path)
{
	char err[256];
	struct db *db = NULL;

	real_vfs = sqlite3_vfs_find(NULL);
	counted_vfs = *real_vfs;
	counted_vfs.zName = "counted";
	counted_vfs.szOsFile = (int)sizeof(struct counted_file) + real_vfs->szOsFile;
	counted_vfs.xOpen = c_open;
	sqlite3_vfs_register(&counted_vfs, 1);
	assert_int_equal(db_open(path, &db, err, sizeof(err)), 0);
	sqlite3_vfs_register(real_vfs, 1);
	return db;
}

static void a_commit_waits_for_the_log_on_the_disk_and_a_lazy_one_does_not(void **state)
{
	struct fixture *f = *state;
	char path[128];
	struct db *c;

	snprintf(path, sizeof(path), "%s/counted.db", f->dir);
	c = open_counted(path);
	assert_int_equal(db_run(c, "CREATE TABLE n (v INTEGER)"), DB_OK);
	log_syncs = 0;
	assert_int_equal(db_begin(c), 0);
	assert_int_equal(db_run(c, "INSERT INTO n VALUES (1)"), DB_OK);
	assert_int_equal(log_syncs, 0); /* nothing waits inside the transaction */
	assert_int_equal(db_commit(c), 0);
	assert_int_equal(log_syncs, 1);
	assert_int_equal(db_run(c, "INSERT INTO n VALUES (2)"), DB_OK); /* a write outside a transaction too */
	assert_int_equal(log_syncs, 2);
	db_lazy(c, true);
	assert_int_equal(db_run(c, "INSERT INTO n VALUES (3)"), DB_OK);
	assert_int_equal(log_syncs, 2);
	db_lazy(c, false);
	assert_int_equal(db_begin(c), 0);
	assert_int_equal(db_run(c, "INSERT INTO n VALUES (4)"), DB_OK);
	db_rollback(c); /* nothing committed, nothing to wait for */
	assert_int_equal(db_run(c, "SELECT count(*) FROM n"), DB_OK);
	assert_int_equal(log_syncs, 2);
	db_close(c);
}

/*
 * Commits of many threads at once: each wlock_durable returns only after a sync that began once its
 * commit was numbered. The fake sync notes how many commits were numbered when it began (mirror,
 * counted under the write lock beside wlock_committed) and, when it ends, that they are durable.
 */
static pthread_mutex_t mirror_mu = PTHREAD_MUTEX_INITIALIZER;
static uint64_t mirror_committed, mirror_durable;

static int fake_sync(void *arg)
{
	uint64_t upto;

	(void)arg;
	pthread_mutex_lock(&mirror_mu);
	upto = mirror_committed;
	pthread_mutex_unlock(&mirror_mu);
	sched_yield(); /* the disk takes a while: others commit meanwhile */
	pthread_mutex_lock(&mirror_mu);
	if (upto > mirror_durable)
		mirror_durable = upto;
	pthread_mutex_unlock(&mirror_mu);
	return 0;
}

struct grouped {
	struct wlock *l;
	int uncovered; /* returns before a sync covered the commit */
};

static void *commit_many(void *arg)
{
	struct grouped *g = arg;

	for (int i = 0; i < 50; i++) {
		uint64_t seq, mine;

		if (wlock_acquire(g->l, 5000) != 0) {
			g->uncovered++;
			continue;
		}
		/* The mirror first: a sync that sees seq numbered began after mine was counted. */
		pthread_mutex_lock(&mirror_mu);
		mine = ++mirror_committed;
		pthread_mutex_unlock(&mirror_mu);
		seq = wlock_committed(g->l);
		wlock_release(g->l);
		if (wlock_durable(g->l, seq, fake_sync, NULL) != 0)
			g->uncovered++;
		pthread_mutex_lock(&mirror_mu);
		g->uncovered += mirror_durable < mine;
		pthread_mutex_unlock(&mirror_mu);
	}
	return NULL;
}

static void one_sync_covers_the_commits_before_it_for_every_writer(void **state)
{
	struct fixture *f = *state;
	struct grouped g[8];
	pthread_t t[8];
	struct wlock *l = wlock_get(f->path);
	uint64_t before = wlock_syncs(l);

	for (int i = 0; i < 8; i++) {
		g[i] = (struct grouped){ l, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, commit_many, &g[i]), 0);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(g[i].uncovered, 0);
	}
	/* At most one sync a commit (fewer when they overlap), and at least one. */
	assert_in_range(wlock_syncs(l) - before, 1, 400);
	wlock_put(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(memo_keeps_values_while_nothing_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(memo_forgets_after_a_commit_by_another_connection, setup, teardown),
		cmocka_unit_test_setup_teardown(memo_forgets_after_its_own_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(memo_keeps_nothing_inside_a_write, setup, teardown),
		cmocka_unit_test_setup_teardown(memo_skips_what_does_not_fit, setup, teardown),
		cmocka_unit_test_setup_teardown(writers_take_turns_and_every_write_lands, setup, teardown),
		cmocka_unit_test_setup_teardown(the_lock_goes_to_waiters_in_arrival_order, setup, teardown),
		cmocka_unit_test_setup_teardown(a_waiter_that_gives_up_leaves_the_queue, setup, teardown),
		cmocka_unit_test_setup_teardown(a_failed_commit_gives_the_lock_back, setup, teardown),
		cmocka_unit_test_setup_teardown(every_other_ending_gives_the_lock_back, setup, teardown),
		cmocka_unit_test_setup_teardown(reads_run_while_a_write_is_open, setup, teardown),
		cmocka_unit_test_setup_teardown(a_connection_that_checkpoints_elsewhere_never_checkpoints_itself, setup, teardown),
		cmocka_unit_test_setup_teardown(the_checkpointer_copies_the_log_behind_the_writers, setup, teardown),
		cmocka_unit_test_setup_teardown(a_commit_waits_for_the_log_on_the_disk_and_a_lazy_one_does_not, setup, teardown),
		cmocka_unit_test_setup_teardown(one_sync_covers_the_commits_before_it_for_every_writer, setup, teardown),
	};

	db_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
