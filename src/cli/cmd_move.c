/* cmd_move.c: baodao move-to-postgres: copies a SQLite install into a new PostgreSQL database and verifies it */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/crypto.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "db/copy.h"
#include "db/migrate.h"
#include "domain/audit.h"
#include "domain/ledger.h"

static const char usage[] =
	"usage: baodao move-to-postgres --from FILE.db --to postgres://USER@HOST/NAME [--batch N]\n\n"
	"Copies a SQLite install into a NEW PostgreSQL database, in one transaction, and\n"
	"verifies the copy before it commits: every table holds as many rows as in the\n"
	"source, the audit log's hash chain is intact and the points and hours ledgers\n"
	"balance (as 'baodao audit verify' and 'baodao ledger verify'). Stop the server\n"
	"first: rows written to FILE.db during the move are not copied.\n\n"
	"The source must be at this baodao's schema version (run 'baodao migrate --db\n"
	"FILE.db' first); it is only read. The target must be an empty database (it is\n"
	"migrated here) or one only migrated, holding nothing but the migrations' seeded\n"
	"rows (specialties, catalogue, default rule), which the source's rows replace;\n"
	"anything else is refused and nothing is written. The source's key (FILE.db.key,\n"
	"or --from-key) is copied to the PostgreSQL key file ($BAODAO_KEY, else\n"
	"var/baodao-postgres.key); a different key already there is refused.\n"
	"Progress goes to stderr, a summary to stdout.\n\n"
	"  --from FILE.db  the SQLite database to copy\n"
	"  --from-key KEY  the source's key file, when it is not FILE.db.key beside it\n"
	"  --to URL        the PostgreSQL database, postgres://USER@HOST/NAME (its owner)\n"
	"  --batch N       rows per INSERT statement, 1 to 1000 (default 1000)\n";

struct move_opts {
	const char *from, *from_key, *to;
	long long batch;
};

static int on_opt(int opt, const char *val, void *arg)
{
	struct move_opts *o = arg;

	if (opt == 'f')
		o->from = val;
	else if (opt == 'k')
		o->from_key = val;
	else if (opt == 't')
		o->to = val;
	else if (opt == 'b' && str_to_ll(val, 1, 1000, &o->batch) < 0) {
		fprintf(stderr, "baodao move-to-postgres: --batch must be a number from 1 to 1000\n");
		return -1;
	}
	return 0;
}

static void progress(const char *table, int64_t done, int64_t total)
{
	fprintf(stderr, "\rcopying %s: %" PRId64 " / %" PRId64 "%s", table, done, total, done >= total ? "\n" : "");
}

/* Reads the key file's bytes into key (CRYPTO_KEY_BYTES); 1 when there is no file, -1 when unreadable. */
static int read_key(const char *path, unsigned char *key)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return errno == ENOENT ? 1 : -1;
	n = read(fd, key, CRYPTO_KEY_BYTES);
	close(fd);
	return n == CRYPTO_KEY_BYTES ? 0 : -1;
}

/* Writes key to path (mode 0600, a new file only) and syncs it: 0 or -1. */
static int write_key(const char *path, const unsigned char *key)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int fd, rc = -1;

	if (slash && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0750);
	}
	free(dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return -1;
	if (write(fd, key, CRYPTO_KEY_BYTES) == CRYPTO_KEY_BYTES && fsync(fd) == 0)
		rc = 0;
	close(fd);
	if (rc < 0)
		unlink(path);
	return rc;
}

/* Prints "baodao move-to-postgres: message" on stderr; returns -1. */
static int say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int say(const char *fmt, ...)
{
	va_list ap;

	fputs("baodao move-to-postgres: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The source's key is loaded and the target's key file agrees with it (*write_it: it must be written). */
static int check_keys(const struct move_opts *o, unsigned char *key, int *write_it)
{
	size_t n = strlen(o->from) + 5;
	char err[512], *src_path = o->from_key ? xstrdup(o->from_key) : xmalloc(n), *dst_path = cli_key_path(o->to);
	unsigned char there[CRYPTO_KEY_BYTES];
	int rc = -1, have;

	/* Beside the file, whatever $BAODAO_KEY says: that one names the target's. */
	if (!o->from_key)
		snprintf(src_path, n, "%s.key", o->from);
	if (crypto_key_load(src_path, err, sizeof(err)) < 0) {
		say("the source's key: %s", err);
		goto out;
	}
	if (read_key(src_path, key) != 0) {
		say("cannot read the source's key %s", src_path);
		goto out;
	}
	have = read_key(dst_path, there);
	if (have < 0) {
		say("cannot read the key file %s already there", dst_path);
		goto out;
	}
	if (have == 0 && memcmp(there, key, sizeof(there))) {
		say(
			 "%s holds another key than the source's %s: the copied data could not be read with it; "
			 "move it away or set BAODAO_KEY to another path",
			 dst_path, src_path);
		goto out;
	}
	*write_it = have == 1;
	rc = 0;
out:
	free(src_path);
	free(dst_path);
	return rc;
}

/* Opens src and checks its schema is this binary's; prints why not. */
static int open_source(const char *from, struct db **src)
{
	char err[512];
	int v;

	if (access(from, R_OK) != 0)
		return say("cannot read the source %s: %s", from, strerror(errno));
	if (db_open(from, src, err, sizeof(err)) < 0)
		return say("%s", err);
	v = migrate_current(*src);
	if (v != migrate_latest()) {
		if (v <= 0)
			say("%s is not a baodao database (no schema version)", from);
		else if (v < migrate_latest())
			say(
				 "%s is at schema version %d, this baodao writes %d: run 'baodao migrate --db %s' first", from,
				 v, migrate_latest(), from);
		else
			say(
				 "%s is at schema version %d, written by a newer baodao (this one knows up to %d): "
				 "move it with that one",
				 from, v, migrate_latest());
		db_close(*src);
		*src = NULL;
		return -1;
	}
	return 0;
}

/* Opens dst: a new database is migrated; one at another version than this binary's is refused. */
static int open_target(const char *to, struct db **dst)
{
	char err[512];
	int v;

	if (db_open(to, dst, err, sizeof(err)) < 0)
		return say("%s", err);
	v = migrate_current(*dst);
	if (v == 0 && migrate_apply(*dst, err, sizeof(err)) >= 0)
		return 0;
	if (v == migrate_latest())
		return 0;
	if (v == 0)
		say("cannot migrate the target: %s", err);
	else
		say(
			 "the target is at schema version %d (this baodao writes %d): it is not a new database", v,
			 migrate_latest());
	db_close(*dst);
	*dst = NULL;
	return -1;
}

/* Checks and copies inside both transactions, then verifies the copy before the caller commits. */
static int copy_and_verify(struct db *src, struct db *dst, struct copy_plan *p, int batch, int64_t *entries,
			   struct ledger_check *k, double *copy_secs)
{
	struct timespec t0;
	char err[512];
	int rc;

	if (copy_plan_read(src, p, err, sizeof(err)) < 0)
		return say("%s", err);
	if (copy_check_target(dst, p, err, sizeof(err)) < 0)
		return say("refused: %s; nothing was written", err);
	fprintf(stderr, "copying %zu tables, %" PRId64 " rows\n", p->n, p->rows);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (copy_run(src, dst, p, batch, progress, err, sizeof(err)) < 0)
		return say("%s; nothing was written", err);
	*copy_secs = seconds_since(&t0);
	fprintf(stderr, "verifying the copy\n");
	if (audit_verify(dst, entries, err, sizeof(err)) < 0)
		return say("the audit chain does not verify on the copy: %s (check the source with "
				"'baodao audit verify'); nothing was written",
				err);
	rc = ledger_verify(dst, k);
	if (rc != 0)
		return say("%s", rc < 0 ? "cannot read the copy's ledgers; nothing was written"
				       : "the ledgers do not balance on the copy (check the source with 'baodao ledger "
					 "verify'); nothing was written");
	return 0;
}

int cmd_move(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "from-key", required_argument, NULL, 'k' },
		{ "to", required_argument, NULL, 't' },
		{ "batch", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct move_opts o = { NULL, NULL, NULL, 1000 };
	struct db *src = NULL, *dst = NULL;
	struct copy_plan p = { 0 };
	struct ledger_check k;
	struct timespec t0;
	unsigned char key[CRYPTO_KEY_BYTES];
	char *key_path = NULL;
	int64_t entries = 0;
	int rc = cli_parse(argc, argv, opts, usage, on_opt, &o), write_it = 0, wrote = 0, reading = 0;
	double secs, copy_secs = 0;

	if (rc)
		return rc > 0 ? 0 : 2;
	if (optind != argc)
		return cli_usage_error("move-to-postgres", "no arguments expected (see --help)");
	if (!o.from || !o.to)
		return cli_usage_error("move-to-postgres", "both --from FILE.db and --to postgres://… are needed");
	if (db_engine_of(o.from) != DB_SQLITE)
		return cli_usage_error("move-to-postgres", "--from must be a SQLite file");
	if (db_engine_of(o.to) != DB_POSTGRES)
		return cli_usage_error("move-to-postgres", "--to must be a PostgreSQL address, postgres://USER@HOST/NAME");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = 1;
	if (open_source(o.from, &src) < 0 || check_keys(&o, key, &write_it) < 0 || open_target(o.to, &dst) < 0)
		goto out;
	if (db_begin_read(src) < 0) {
		say("cannot read the source");
		goto out;
	}
	reading = 1;
	if (db_begin(dst) < 0) {
		say("cannot start the transactions");
		goto out;
	}
	if (copy_and_verify(src, dst, &p, (int)o.batch, &entries, &k, &copy_secs) < 0) {
		db_rollback(dst);
		goto out;
	}
	key_path = cli_key_path(o.to);
	if (write_it && write_key(key_path, key) < 0) {
		db_rollback(dst);
		say("cannot write the key file %s: %s; nothing was written", key_path,
			 strerror(errno));
		goto out;
	}
	wrote = write_it;
	if (db_commit(dst) < 0) {
		say("the commit failed; nothing was written");
		goto out;
	}
	wrote = 0;
	secs = seconds_since(&t0);
	printf("moved %zu tables, %" PRId64 " rows from %s to PostgreSQL in %.1f s (copy %.1f s, %.0f rows/s)\n", p.n,
	       p.rows, o.from, secs, copy_secs, copy_secs > 0 ? (double)p.rows / copy_secs : 0.0);
	printf("verified: row counts equal; audit chain intact (%" PRId64 " entries); ledgers balanced (%" PRId64
	       " movements over %" PRId64 " accounts); key %s\n",
	       entries, k.movements, k.accounts, key_path);
	rc = 0;
out:
	if (wrote)
		unlink(key_path);
	memset(key, 0, sizeof(key));
	free(key_path);
	copy_plan_release(&p);
	if (reading)
		db_rollback(src);
	db_close(src);
	db_close(dst);
	return rc;
}
