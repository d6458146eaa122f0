/* cmd_init.c: baodao init: database, secret key and the admin account */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/crypto.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "db/migrate.h"
#include "domain/account.h"

static const char usage[] =
	"usage: baodao init [--db PATH] [--admin-password-file FILE]\n\n"
	"Creates the database (schema at the latest version), writes the secret key\n"
	"file PATH.key (mode 0600) beside it, and creates the account 'admin'.\n"
	"Without --admin-password-file a strong password is generated and printed\n"
	"once. Refuses to touch an existing database.\n\n"
	"  --db PATH                   database file, or postgres://… (default $BAODAO_DB or var/baodao.db)\n"
	"  --admin-password-file FILE  first line: the admin password (12+ characters)\n";

struct init_opts {
	const char *db;
	const char *password_file;
};

static int on_opt(int opt, const char *val, void *arg)
{
	struct init_opts *o = arg;

	if (opt == 'd')
		o->db = val;
	else if (opt == 'p')
		o->password_file = val;
	return 0;
}

/* Creates the folder holding path if it is missing (one level, as var/ is). */
static void make_parent(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');

	if (slash && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0750);
	}
	free(dir);
}

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "admin-password-file", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct init_opts o = { cli_default_db(), NULL };
	const struct actor cli = { 0, "cli" };
	char err[512], *key, *password;
	struct db *db;
	int64_t id;
	bool pg;
	int rc = cli_parse(argc, argv, opts, usage, on_opt, &o);

	if (rc)
		return rc > 0 ? 0 : 2;
	if (optind < argc)
		return cli_usage_error("init", "unexpected argument '%s'", argv[optind]);
	pg = db_engine_of(o.db) == DB_POSTGRES;
	if (!pg && access(o.db, F_OK) == 0)
		return cli_fail("init", "%s exists already; baodao init never overwrites a database", o.db);
	password = o.password_file ? cli_read_password(o.password_file) : crypto_password_generate();
	if (!password)
		return 1;
	key = cli_key_path(o.db);
	make_parent(pg ? key : o.db);
	rc = crypto_key_create(key, err, sizeof(err));
	if (rc < 0) {
		free(key);
		free(password);
		return cli_fail("init", "%s", err);
	}
	if (pg && db_open(o.db, &db, err, sizeof(err)) == 0) {
		/* A server's database exists before init: it must hold no baodao yet. */
		int current = migrate_current(db);

		db_close(db);
		if (current != 0) {
			unlink(key);
			free(key);
			free(password);
			return cli_fail("init", "%s holds a baodao database already; baodao init never overwrites one", o.db);
		}
	}
	if (db_open(o.db, &db, err, sizeof(err)) < 0 || migrate_apply(db, err, sizeof(err)) < 0) {
		fprintf(stderr, "baodao init: %s\n", err);
		unlink(key);
		free(key);
		free(password);
		return 1;
	}
	rc = account_create(db, &cli, "admin", "系统管理员", NULL, password, &id) == ACCOUNT_OK &&
	     account_grant(db, &cli, id, ROLE_ADMIN, NULL, 0) == ACCOUNT_OK;
	db_close(db);
	if (!rc) {
		free(key);
		free(password);
		return cli_fail("init", "cannot create the admin account");
	}
	printf("created %s (schema version %d) and its key %s\n", o.db, migrate_latest(), key);
	if (!o.password_file)
		printf("admin password (shown once, keep it safe): %s\n", password);
	free(key);
	free(password);
	return 0;
}
