/*
 * db_pg.c: the PostgreSQL driver on libpq: ? placeholders numbered $N once per statement text, statements
 * prepared lazily (at the first step, when the binds' types are known) and cached per connection, parameters
 * and results as text, one global writer at a time (an advisory lock), errors mapped like SQLite's; a lost
 * session is opened again with back-off (a failover: docs/postgres.md, Replica and failover).
 */
#include <ctype.h>
#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/backoff.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "db/db_driver.h"
#include "db/db_pg.h"

#define CACHE_SLOTS 1024
/* The advisory lock every write transaction takes: 'baod'. */
#define WRITE_LOCK_KEY 1650552676
/* How long a writer waits for its turn, as SQLite's busy timeout. */
#define LOCK_WAIT_MS 5000
/* PostgreSQL's type numbers (pg_type.oid) for the binds' types. */
#define OID_INT8 20
#define OID_TEXT 25
/* execute's answer when the connection broke before anything was committed. */
#define LOST 100

struct pg_stmt {
	struct db_stmt base; /* first: db.c reaches the table through it */
	struct pg *db;
	char *sql; /* as the caller wrote it: the cache's key */
	char *text; /* with $N placeholders */
	int nparams;
	char **vals; /* nparams binds as text; NULL: SQL NULL */
	unsigned *types; /* the type of each parameter's first non-NULL binding (0: none yet) */
	char name[24]; /* its prepared name on the server: bN cached, uN not (deallocated after use) */
	unsigned gen; /* the connection's generation it was prepared in; 0: not prepared */
	unsigned used; /* the connection's tick of its last use: the cache drops the least recent */
	int writes; /* outside a transaction it needs the write lock */
	PGresult *res; /* the buffered result, from the first step to done */
	int row; /* the current row of res */
	int failed, busy, cached;
};

struct pg {
	struct db base; /* first: db.c reaches the table through it */
	PGconn *conn;
	struct pg_stmt *cache[CACHE_SLOTS];
	struct pg_stmt broken; /* what a failed prepare hands out */
	unsigned gen; /* grows at every reconnection: the server forgot the prepared statements */
	unsigned names; /* prepared statements named so far */
	unsigned tick; /* statements handed out so far */
	struct buf dealloc; /* DEALLOCATEs of statements dropped, sent outside a transaction */
	int txn; /* 0: none, 1: read, 2: write */
	int dead; /* the transaction died with its session: every statement fails until it is ended */
	int lazy;
	int64_t changes;
	unsigned id; /* this connection's number in the process, for the log */
	int down; /* the session is lost and not yet back (logged once each way) */
	int64_t down_since_us;
	struct backoff retry; /* when PQreset may be tried again */
	int outage; /* the session broke, or a COMMIT warned, since the last db_unavailable */
	int warned; /* the server sent a WARNING since this was cleared */
};

static const struct db_ops pg_ops;
static int statement_timeout_ms;
static atomic_uint connections;

void db_set_statement_timeout(int ms)
{
	statement_timeout_ms = ms;
}

/*
 * The server's NOTICEs ("already exists, skipping") are not errors: they stay out of the log. A WARNING is
 * remembered: one during a COMMIT means the wait for a synchronous standby was given up (statement_timeout).
 */
static void notice(void *arg, const PGresult *res)
{
	struct pg *db = arg;
	const char *severity = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);

	if (severity && !strcmp(severity, "WARNING"))
		db->warned = 1;
}

/* What every session starts with; after a reset too. */
static int session_setup(struct pg *db)
{
	char sql[128];
	PGresult *res;
	int ok;

	if (PQsetClientEncoding(db->conn, "UTF8") != 0)
		return -1;
	snprintf(sql, sizeof(sql), "SET statement_timeout = %d", statement_timeout_ms);
	res = PQexec(db->conn, sql);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	return ok ? 0 : -1;
}

int db_pg_open(const char *url, struct db **out, char *err, size_t errlen)
{
	struct pg *db = xcalloc(1, sizeof(*db));

	/*
	 * libpq settings unless the address (or PGCONNECT_TIMEOUT) says otherwise, so that a server gone never
	 * holds a worker long: a host that does not answer holds a (re)connection 5 s at most (per host); over
	 * TCP a dead idle session is found in about 20 s, and a request whose data a dead host never
	 * acknowledges ends in 15 s. The address comes last: its own values win.
	 */
	const char *keys[] = { "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout",
			       "connect_timeout", "dbname", NULL };
	const char *vals[] = { "10", "3", "3", "15000", "5", url, NULL };

	if (getenv("PGCONNECT_TIMEOUT")) {
		keys[4] = "dbname";
		vals[4] = url;
		keys[5] = vals[5] = NULL;
	}
	db->conn = PQconnectdbParams(keys, vals, 1);
	if (!db->conn || PQstatus(db->conn) != CONNECTION_OK) {
		/* libpq's message names the host and the reason, never the password. */
		snprintf(err, errlen, "cannot connect to PostgreSQL: %s",
			 db->conn ? PQerrorMessage(db->conn) : "out of memory");
		PQfinish(db->conn);
		free(db);
		return -1;
	}
	PQsetNoticeReceiver(db->conn, notice, db);
	if (session_setup(db) < 0) {
		snprintf(err, errlen, "cannot set up the PostgreSQL session: %s", PQerrorMessage(db->conn));
		PQfinish(db->conn);
		free(db);
		return -1;
	}
	db->base.ops = &pg_ops;
	db->gen = 1;
	db->id = atomic_fetch_add(&connections, 1) + 1;
	db->broken.base.ops = &pg_ops;
	db->broken.db = db;
	db->broken.failed = 1;
	*out = &db->base;
	return 0;
}

static void stmt_free(struct pg_stmt *st)
{
	for (int i = 0; i < st->nparams; i++)
		free(st->vals[i]);
	PQclear(st->res);
	free(st->vals);
	free(st->types);
	free(st->text);
	free(st->sql);
	free(st);
}

/*
 * Drops a statement no longer wanted; its server-side twin is deallocated by
 * flush, outside a transaction: inside one, a failed statement leaves every
 * later one refused until the rollback.
 */
static void forget(struct pg *db, struct pg_stmt *st)
{
	if (st->gen == db->gen)
		buf_addf(&db->dealloc, "DEALLOCATE %s;", st->name);
	stmt_free(st);
}

static void flush(struct pg *db)
{
	if (db->txn || !db->dealloc.len)
		return;
	PQclear(PQexec(db->conn, db->dealloc.data));
	buf_reset(&db->dealloc);
}

static void pg_close(struct db *d)
{
	struct pg *db = (struct pg *)d;

	for (int i = 0; i < CACHE_SLOTS; i++)
		if (db->cache[i])
			stmt_free(db->cache[i]);
	buf_release(&db->dealloc);
	PQfinish(db->conn);
	free(db);
}

static unsigned hash(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Appends n's digits to out at *o (out has room: see db_pg_translate). */
static void put_param(char *out, size_t *o, long n)
{
	*o += (size_t)snprintf(out + *o, 24, "%ld", n);
}

/*
 * Whether a + at out[o] is unary: after an opening parenthesis, a comma, a
 * comparison or a keyword (AND +m.state: SQLite's way to keep an index out
 * of a plan). Unary + changes no value, and PostgreSQL has none for text.
 */
static int unary_plus(const char *out, size_t o)
{
	static const char *const words[] = { "AND", "OR", "NOT", "WHERE", "ON", "BY", "SELECT", "WHEN",
					     "THEN", "ELSE", "IN", "IS", "SET", "HAVING" };
	size_t end = o, start;

	while (end > 0 && isspace((unsigned char)out[end - 1]))
		end--;
	if (end == 0 || strchr("(,=<>", out[end - 1]))
		return 1;
	for (start = end; start > 0 && isalpha((unsigned char)out[start - 1]); start--)
		;
	if (start > 0 && (isalnum((unsigned char)out[start - 1]) || out[start - 1] == '_' || out[start - 1] == '.'))
		return 0;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (end - start == strlen(words[i]) && !strncasecmp(out + start, words[i], end - start))
			return 1;
	return 0;
}

char *db_pg_translate(const char *sql, int *nparams)
{
	/* Each ? grows to at most $ and 20 digits. */
	size_t len = strlen(sql), o = 0;
	char *out = xmalloc(len * 21 + 32);
	long max = 0;

	for (const char *p = sql; *p;) {
		if (*p == '\'' || *p == '"') {
			/* A literal or an identifier, to its closing quote (a doubled quote closes and reopens). */
			const char *end = strchr(p + 1, *p);
			size_t n = end ? (size_t)(end + 1 - p) : strlen(p);

			memcpy(out + o, p, n);
			o += n;
			p += n;
		} else if (p[0] == '-' && p[1] == '-') {
			size_t n = strcspn(p, "\n");

			memcpy(out + o, p, n);
			o += n;
			p += n;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");
			size_t n = end ? (size_t)(end + 2 - p) : strlen(p);

			memcpy(out + o, p, n);
			o += n;
			p += n;
		} else if (*p == '?') {
			long n;

			if (isdigit((unsigned char)p[1])) {
				char *end;

				n = strtol(p + 1, &end, 10);
				p = end;
			} else {
				n = max + 1;
				p++;
			}
			if (n > max)
				max = n;
			out[o++] = '$';
			put_param(out, &o, n);
		} else if (*p == '+' && unary_plus(out, o)) {
			p++;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
	*nparams = (int)max;
	return out;
}

/* Whether a statement writes: anything but a read, a transaction's own statements and settings. */
static int writes(const char *sql)
{
	static const char *const reads[] = { "SELECT", "VALUES", "SHOW", "EXPLAIN", "BEGIN", "START", "COMMIT",
					     "END", "ROLLBACK", "SAVEPOINT", "RELEASE", "SET" };
	size_t n;

	while (isspace((unsigned char)*sql) || *sql == '(')
		sql++;
	n = strspn(sql, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
	/* What PostgreSQL runs outside any transaction only: it serialises itself. */
	if (n == 6 && !strncasecmp(sql, "VACUUM", 6))
		return 0;
	if (((n == 6 && !strncasecmp(sql, "CREATE", 6)) || (n == 4 && !strncasecmp(sql, "DROP", 4))) &&
	    !strncasecmp(sql + n + strspn(sql + n, " \t\n"), "DATABASE", 8))
		return 0;
	if (n == 4 && !strncasecmp(sql, "WITH", 4))
		return strcasestr(sql, "INSERT ") || strcasestr(sql, "UPDATE ") || strcasestr(sql, "DELETE ");
	for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++)
		if (n == strlen(reads[i]) && !strncasecmp(sql, reads[i], n))
			return 0;
	return 1;
}

static struct db_stmt *pg_prepare(struct db *d, const char *sql)
{
	struct pg *db = (struct pg *)d;
	unsigned h = hash(sql);
	struct pg_stmt *st;
	int slot = -1, old = -1;

	db->tick++;
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
			st->row = -1;
			st->used = db->tick;
			return &st->base;
		}
		if (!st->busy && (old < 0 || st->used < db->cache[old]->used))
			old = k;
	}
	/* No room among its slots: the least recently used statement there makes way. */
	if (slot < 0 && old >= 0) {
		forget(db, db->cache[old]);
		db->cache[old] = NULL;
		slot = old;
	}
	st = xcalloc(1, sizeof(*st));
	st->base.ops = &pg_ops;
	st->db = db;
	st->sql = xstrdup(sql);
	st->text = db_pg_translate(sql, &st->nparams);
	st->vals = xcalloc((size_t)st->nparams + 1, sizeof(*st->vals));
	st->types = xcalloc((size_t)st->nparams + 1, sizeof(*st->types));
	st->writes = writes(sql);
	st->busy = 1;
	st->row = -1;
	st->used = db->tick;
	st->cached = slot >= 0;
	/* Named even when not cached: the unnamed one would not outlive the savepoint's release (prepare). */
	snprintf(st->name, sizeof(st->name), "%c%u", st->cached ? 'b' : 'u', ++db->names);
	if (st->cached)
		db->cache[slot] = st;
	return &st->base;
}

static void bind(struct pg_stmt *st, int idx, char *v, unsigned type)
{
	if (st->failed || idx < 1 || idx > st->nparams) {
		free(v);
		return;
	}
	free(st->vals[idx - 1]);
	st->vals[idx - 1] = v;
	if (!st->types[idx - 1])
		st->types[idx - 1] = type;
}

static void pg_bind_int(struct db_stmt *stmt, int idx, int64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	bind((struct pg_stmt *)stmt, idx, xstrdup(buf), OID_INT8);
}

static void pg_bind_text(struct db_stmt *stmt, int idx, const char *s)
{
	bind((struct pg_stmt *)stmt, idx, s ? xstrdup(s) : NULL, s ? OID_TEXT : 0);
}

static void pg_bind_null(struct db_stmt *stmt, int idx)
{
	bind((struct pg_stmt *)stmt, idx, NULL, 0);
}

/* The first line of libpq's message: where and why, never a password or a row's values. */
static void log_lost(struct pg *db)
{
	const char *m = PQerrorMessage(db->conn);
	int n = (int)strcspn(m, "\n");

	log_error("db: connection %u to PostgreSQL lost (%.*s); reconnecting with back-off", db->id, n > 200 ? 200 : n,
		  n ? m : "no message");
}

/* Whether the session is gone; the first time, it is marked down (one log line) and the request's outage. */
static int lost(struct pg *db)
{
	if (PQstatus(db->conn) == CONNECTION_OK)
		return 0;
	db->outage = 1;
	if (!db->down) {
		db->down = 1;
		db->down_since_us = clock_mono_us();
		log_lost(db);
	}
	return 1;
}

/* The db_rc of a failed result; logs what is unexpected (the statement's start, never its values). */
static int failure(struct pg *db, PGresult *res, const char *sql)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	if (state && !strcmp(state, "23505"))
		return DB_UNIQUE;
	if (state && !strcmp(state, "23503"))
		return DB_FOREIGN;
	/* A lost session is logged once, when it goes (lost), not at each statement that meets it. */
	if (lost(db))
		return DB_ERROR;
	/* The primary message only: PostgreSQL's DETAIL quotes the row's values ("Failing row contains …"). */
	log_error("db: %.80s: %s (%s)", sql,
		  res && PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
									  : PQerrorMessage(db->conn),
		  state ? state : "no state");
	return DB_ERROR;
}

/* Runs sql (no parameters) and keeps nothing: 0, or a db_rc (logged). */
static int simple(struct pg *db, const char *sql)
{
	PGresult *res = PQexec(db->conn, sql);
	int rc = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK
			 ? 0
			 : failure(db, res, sql);

	PQclear(res);
	return rc;
}

/*
 * A connection that broke outside a transaction gets a new start (the server forgot our statements): at once
 * the first time, then as the back-off allows; a try that fails is not logged (the loss was, once).
 */
static int reconnect(struct pg *db)
{
	if (!backoff_ready(&db->retry, clock_mono_us()))
		return -1;
	PQreset(db->conn);
	if (PQstatus(db->conn) != CONNECTION_OK || session_setup(db) < 0) {
		backoff_failed(&db->retry, clock_mono_us());
		lost(db);
		return -1;
	}
	backoff_succeeded(&db->retry);
	db->gen++;
	db->txn = 0;
	buf_reset(&db->dealloc);
	db->dead = 0;
	if (db->down)
		log_info("db: connection %u to PostgreSQL back after %.1f s", db->id,
			 (double)(clock_mono_us() - db->down_since_us) / 1e6);
	db->down = 0;
	return 0;
}

/*
 * The write transaction: one writer at a time across every app server, as
 * SQLite's BEGIN IMMEDIATE (docs/architecture.md, Storage). The lock goes
 * with the transaction's end, whichever way it ends. Its COMMIT does not wait
 * for the disk (synchronous_commit off): the lock goes at once to the next
 * writer, and durable() then waits for the flush, shared with the commits
 * made meanwhile (group commit, as the SQLite driver's).
 */
static int begin_write(struct pg *db)
{
	char sql[256];

	snprintf(sql, sizeof(sql),
		 "BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL lock_timeout = %d; SET LOCAL synchronous_commit = off; "
		 "SELECT pg_advisory_xact_lock(%d)",
		 LOCK_WAIT_MS, WRITE_LOCK_KEY);
	if (simple(db, sql) < 0) {
		if (!lost(db))
			simple(db, "ROLLBACK");
		return lost(db) ? LOST : DB_ERROR;
	}
	db->txn = 2;
	return 0;
}

/*
 * A commit (sql), given up on after statement_timeout: PostgreSQL's own timeout ends before a commit's wait
 * for a synchronous standby, which lasts until one answers. Past it a cancel goes to the server, which then
 * commits here, warns and answers (see durable). Returns the last result (NULL: the session broke).
 */
static PGresult *exec_commit(struct pg *db, const char *sql, int *first_true)
{
	int64_t deadline;
	int cancelled = 0, first = 1;
	PGresult *res, *last = NULL;

	if (!PQsendQuery(db->conn, sql))
		return NULL;
	deadline = clock_mono_us() + (int64_t)statement_timeout_ms * 1000;
	while (statement_timeout_ms > 0 && PQisBusy(db->conn)) {
		struct pollfd pfd = { .fd = PQsocket(db->conn), .events = POLLIN };
		int64_t left = deadline - clock_mono_us();
		int n = poll(&pfd, 1, cancelled ? -1 : left > 0 ? (int)((left + 999) / 1000) : 0);

		if (n < 0 && errno != EINTR)
			break;
		if (n > 0 && !PQconsumeInput(db->conn))
			break;
		if (n == 0 && !cancelled) {
			PGcancel *cancel = PQgetCancel(db->conn);
			char err[256];

			if (cancel && !PQcancel(cancel, err, sizeof(err)))
				log_error("db: cannot cancel a COMMIT that waits: %s", err);
			PQfreeCancel(cancel);
			cancelled = 1;
		}
	}
	while ((res = PQgetResult(db->conn))) {
		/* Of a script: whether its first statement answered true. */
		if (first && first_true)
			*first_true = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
				      !strcmp(PQgetvalue(res, 0, 0), "t");
		first = 0;
		PQclear(last);
		last = res;
	}
	return last;
}

/*
 * Waits until every commit of this session is on the disk (and on a synchronous standby): a transaction of its
 * own that writes to the log (a logical message, which any role may emit and nothing reads) commits with
 * synchronous_commit on, and its flush carries the log up to its commit record, past the write's; writers
 * flushing at once share one fsync. (A transaction that only took an id would commit without a flush.) A flush that warned gave up waiting for
 * a synchronous standby (statement_timeout ran out): committed here but maybe not there, so reported as
 * failed, as an outage (a SIGKILL of this server now would lose it); so is a session lost before the answer.
 */
static int durable(struct pg *db, const char *what)
{
	PGresult *res;
	int rc = 0;

	db->warned = 0;
	res = exec_commit(db, "SELECT pg_logical_emit_message(true, 'baodao', '')", NULL);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		rc = failure(db, res, what);
		db->outage = 1;
	} else if (db->warned) {
		log_error("db: %.80s: COMMIT warned (no synchronous standby confirmed it in time): reported as failed",
			  what);
		db->outage = 1;
		rc = DB_ERROR;
	}
	PQclear(res);
	return rc;
}

/*
 * Ends the write transaction with COMMIT, on the disk unless lazy or it wrote nothing (took no transaction id):
 * 0, or a db_rc when it did not commit or may not have.
 */
static int commit(struct pg *db, const char *what)
{
	PGresult *res;
	int rc = 0, wrote = 0;

	/* The COMMIT of a transaction a statement failed in is its rollback. */
	if (PQtransactionStatus(db->conn) == PQTRANS_INERROR) {
		simple(db, "ROLLBACK");
		db->txn = 0;
		return DB_ERROR;
	}
	res = exec_commit(db, "SELECT pg_current_xact_id_if_assigned() IS NOT NULL; COMMIT", &wrote);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = failure(db, res, what);
	else if (strcmp(PQcmdStatus(res), "COMMIT"))
		rc = DB_ERROR; /* COMMIT of a transaction that failed answers ROLLBACK */
	PQclear(res);
	/* A script stopped before its COMMIT leaves the transaction open. */
	if (PQtransactionStatus(db->conn) == PQTRANS_INTRANS || PQtransactionStatus(db->conn) == PQTRANS_INERROR)
		simple(db, "ROLLBACK");
	db->txn = 0;
	return rc == 0 && wrote && !db->lazy ? durable(db, what) : rc;
}

/* Prepares st on the server: the server infers the types; if it cannot, the first binds' types say. */
static int prepare(struct pg_stmt *st)
{
	struct pg *db = st->db;
	int in_txn = db->txn != 0;
	PGresult *res;
	int rc = 0;

	/* A failed prepare would abort the transaction around it: a savepoint keeps it. */
	if (in_txn && simple(db, "SAVEPOINT baodao_prepare") < 0)
		return lost(db) ? LOST : DB_ERROR;
	res = PQprepare(db->conn, st->name, st->text, st->nparams, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

		if (state && !strcmp(state, "42P18")) {
			/* A parameter only ever bound to NULL so far: text, the type SQLite's NULL tests mostly meet. */
			for (int i = 0; i < st->nparams; i++)
				if (!st->types[i])
					st->types[i] = OID_TEXT;
			PQclear(res);
			if (in_txn)
				simple(db, "ROLLBACK TO SAVEPOINT baodao_prepare");
			res = PQprepare(db->conn, st->name, st->text, st->nparams, (const Oid *)st->types);
		}
	}
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = lost(db) ? LOST : failure(db, res, st->sql);
	PQclear(res);
	if (in_txn && !lost(db))
		simple(db, rc ? "ROLLBACK TO SAVEPOINT baodao_prepare" : "RELEASE SAVEPOINT baodao_prepare");
	if (rc == 0)
		st->gen = db->gen;
	return rc;
}

/* One attempt: prepares if needed, runs, buffers the rows. LOST when the connection broke before a commit. */
static int execute_once(struct pg_stmt *st)
{
	struct pg *db = st->db;
	int own = 0, rc;
	PGresult *res;

	flush(db);
	if (!db->txn && st->writes) {
		if ((rc = begin_write(db)) != 0)
			return rc;
		own = 1;
	}
	if (st->gen != db->gen && (rc = prepare(st)) != 0)
		goto fail;
	res = PQexecPrepared(db->conn, st->name, st->nparams, (const char *const *)st->vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
		rc = lost(db) ? LOST : failure(db, res, st->sql);
		PQclear(res);
		goto fail;
	}
	st->res = res;
	db->changes = strtoll(PQcmdTuples(res), NULL, 10);
	/* Lost at COMMIT, its outcome is unknown: an error, never tried again. */
	return own ? commit(db, st->sql) : 0;
fail:
	if (own) {
		if (!lost(db))
			simple(db, "ROLLBACK");
		db->txn = 0;
	}
	return rc;
}

static int execute(struct pg_stmt *st)
{
	struct pg *db = st->db;
	int rc = LOST;

	if (db->dead)
		return DB_ERROR;
	if (!db->txn && lost(db) && reconnect(db) < 0)
		return DB_ERROR;
	for (int attempt = 0; rc == LOST && attempt < 2; attempt++) {
		if (attempt && (db->txn || reconnect(db) < 0))
			break;
		rc = execute_once(st);
	}
	if (rc == LOST) {
		/* Logged once, by lost(). A caller's transaction stays open, dead, until it ends it. */
		if (db->txn)
			db->dead = 1;
		return DB_ERROR;
	}
	return rc;
}

static int pg_step(struct db_stmt *stmt)
{
	struct pg_stmt *st = (struct pg_stmt *)stmt;
	int rc;

	if (st->failed)
		return DB_ERROR;
	if (!st->res && (rc = execute(st)) != 0)
		return rc;
	if (!st->res)
		return DB_ERROR;
	return ++st->row < PQntuples(st->res) ? DB_ROW : DB_DONE;
}

/* The current row's value of col, NULL when there is none (or it is SQL NULL). */
static const char *value(struct pg_stmt *st, int col)
{
	if (st->failed || !st->res || st->row < 0 || st->row >= PQntuples(st->res) || col < 0 ||
	    col >= PQnfields(st->res) || PQgetisnull(st->res, st->row, col))
		return NULL;
	return PQgetvalue(st->res, st->row, col);
}

static int64_t pg_col_int(struct db_stmt *stmt, int col)
{
	const char *v = value((struct pg_stmt *)stmt, col);

	if (!v)
		return 0;
	if (v[0] == 't' && !v[1])
		return 1;
	/* numeric (a SUM of bigints) reads as its integer part, "f" as 0. */
	return strtoll(v, NULL, 10);
}

static const char *pg_col_text(struct db_stmt *stmt, int col)
{
	const char *v = value((struct pg_stmt *)stmt, col);

	return v ? v : "";
}

static bool pg_col_null(struct db_stmt *stmt, int col)
{
	return !value((struct pg_stmt *)stmt, col);
}

static void pg_done(struct db_stmt *stmt)
{
	struct pg_stmt *st = (struct pg_stmt *)stmt;

	if (st->failed)
		return;
	PQclear(st->res);
	st->res = NULL;
	for (int i = 0; i < st->nparams; i++) {
		free(st->vals[i]);
		st->vals[i] = NULL;
	}
	st->busy = 0;
	if (!st->cached)
		forget(st->db, st);
}

static int pg_run(struct db *d, const char *sql)
{
	struct db_stmt *st = pg_prepare(d, sql);
	int rc = pg_step(st);

	pg_done(st);
	return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

static int pg_exec_script(struct db *d, const char *sql, char *err, size_t errlen)
{
	struct pg *db = (struct pg *)d;
	PGresult *res = PQexec(db->conn, sql);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;

	if (!ok)
		snprintf(err, errlen, "%s", res ? PQresultErrorMessage(res) : PQerrorMessage(db->conn));
	PQclear(res);
	return ok ? 0 : -1;
}

static int pg_begin(struct db *d)
{
	struct pg *db = (struct pg *)d;
	int rc;

	if (db->txn) {
		log_error("db: begin inside a transaction");
		return -1;
	}
	if (lost(db) && reconnect(db) < 0)
		return -1;
	flush(db);
	rc = begin_write(db);
	if (rc == LOST && reconnect(db) == 0)
		rc = begin_write(db);
	return rc == 0 ? 0 : -1;
}

static int pg_begin_read(struct db *d)
{
	struct pg *db = (struct pg *)d;
	/*
	 * Its statements planned for their own values: a generic plan guesses a range's rows (a scope's community
	 * codes: one community for staff, every file for the city) and for the city's search by a phone's last
	 * digits read every file by the community index. Writes keep the cached plans: their lookups are by key,
	 * and planning them each time under the write lock halved the writes per second.
	 */
	const char *sql = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL plan_cache_mode = force_custom_plan";
	int rc;

	if (db->txn) {
		log_error("db: begin inside a transaction");
		return -1;
	}
	if (lost(db) && reconnect(db) < 0)
		return -1;
	flush(db);
	rc = simple(db, sql);
	if (rc && lost(db) && reconnect(db) == 0)
		rc = simple(db, sql);
	if (rc == 0)
		db->txn = 1;
	return rc == 0 ? 0 : -1;
}

static int pg_commit(struct db *d)
{
	struct pg *db = (struct pg *)d;

	if (db->dead) {
		db->dead = 0;
		db->txn = 0;
		return -1;
	}
	return commit(db, "COMMIT") == 0 ? 0 : -1;
}

static void pg_rollback(struct db *d)
{
	struct pg *db = (struct pg *)d;

	if (db->txn && !db->dead && !lost(db))
		simple(db, "ROLLBACK");
	db->txn = 0;
	db->dead = 0;
}

static bool pg_in_write(struct db *d)
{
	return ((struct pg *)d)->txn == 2;
}

static void pg_lazy(struct db *d, bool on)
{
	struct pg *db = (struct pg *)d;

	db->lazy = on;
}

static int64_t pg_changes(struct db *d)
{
	return ((struct pg *)d)->changes;
}

/* Off: a value cached here could not see another app server's commit (docs/architecture.md, Storage). */
static bool pg_memo_get(struct db *d, const char *key, void *value_, size_t len)
{
	(void)d;
	(void)key;
	(void)value_;
	(void)len;
	return false;
}

static void pg_memo_put(struct db *d, const char *key, const void *value_, size_t len)
{
	(void)d;
	(void)key;
	(void)value_;
	(void)len;
}

static int pg_backup(struct db *d, const char *path, char *err, size_t errlen)
{
	return db_pg_dump(((struct pg *)d)->conn, path, err, errlen);
}

static int pg_unavailable(struct db *d)
{
	struct pg *db = (struct pg *)d;

	db->outage = 0;
	if (!lost(db) || reconnect(db) == 0) {
		db->outage = 0;
		return 0;
	}
	return backoff_retry_after(&db->retry, clock_mono_us());
}

static int pg_outage(struct db *d)
{
	struct pg *db = (struct pg *)d;

	return db->outage ? backoff_retry_after(&db->retry, clock_mono_us()) : 0;
}

/* PostgreSQL checkpoints itself. */
static void pg_checkpoint_elsewhere(struct db *d, void (*poke)(void *arg), void *arg)
{
	(void)d;
	(void)poke;
	(void)arg;
}

static int pg_checkpoint(struct db *d)
{
	(void)d;
	return 0;
}

static const struct db_ops pg_ops = {
	.engine = DB_POSTGRES,
	.close = pg_close,
	.prepare = pg_prepare,
	.bind_int = pg_bind_int,
	.bind_text = pg_bind_text,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.col_int = pg_col_int,
	.col_text = pg_col_text,
	.col_null = pg_col_null,
	.done = pg_done,
	.run = pg_run,
	.exec_script = pg_exec_script,
	.begin = pg_begin,
	.begin_read = pg_begin_read,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.in_write = pg_in_write,
	.lazy = pg_lazy,
	.changes = pg_changes,
	.memo_get = pg_memo_get,
	.memo_put = pg_memo_put,
	.backup = pg_backup,
	.checkpoint_elsewhere = pg_checkpoint_elsewhere,
	.checkpoint = pg_checkpoint,
	.unavailable = pg_unavailable,
	.outage = pg_outage,
};
