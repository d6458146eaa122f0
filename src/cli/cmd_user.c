/* cmd_user.c: baodao user add|passwd|role|list */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "base/valid.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "domain/account.h"
#include "domain/region.h"
#include "domain/unit.h"

static const char usage[] =
	"usage: baodao user add LOGIN --role ROLE [--region CODE | --unit ID] [--name NAME]\n"
	"                       [--phone PHONE] [--password-file FILE]\n"
	"       baodao user passwd LOGIN [--password-file FILE]\n"
	"       baodao user role LOGIN (--add ROLE | --remove ROLE) [--region CODE | --unit ID]\n"
	"       baodao user list\n\n"
	"Roles: admin (no scope), org and staff (--region: a city, district, street or\n"
	"community code; staff usually a community), unit (--unit ID), member and resident\n"
	"(--region: their community). Without --password-file a strong password is\n"
	"generated and printed once. passwd ends the account's sessions.\n\n"
	"  --db PATH   database file, or postgres://… (default $BAODAO_DB or var/baodao.db)\n";

struct user_opts {
	const char *db, *role, *add, *remove, *region, *name, *phone, *password_file;
	long long unit;
	int bad;
};

static int on_opt(int opt, const char *val, void *arg)
{
	struct user_opts *o = arg;

	switch (opt) {
	case 'd': o->db = val; break;
	case 'r': o->role = val; break;
	case 'a': o->add = val; break;
	case 'x': o->remove = val; break;
	case 'g': o->region = val; break;
	case 'n': o->name = val; break;
	case 'p': o->phone = val; break;
	case 'f': o->password_file = val; break;
	case 'u':
		if (str_to_ll(val, 1, INT64_MAX, &o->unit) < 0) {
			fprintf(stderr, "baodao user: --unit must be a unit id, not '%s'\n", val);
			return -1;
		}
		break;
	}
	return 0;
}

/* Checks the scope a role needs and that it exists. */
static int check_scope(struct db *db, enum role role, const struct user_opts *o)
{
	struct region r;
	struct unit u;

	if (role == ROLE_ADMIN) {
		if (o->region || o->unit)
			return cli_usage_error("user", "admin has no scope: drop --region/--unit");
		return 0;
	}
	if (role == ROLE_UNIT) {
		if (!o->unit || o->region)
			return cli_usage_error("user", "role unit needs --unit ID (and no --region)");
		if (unit_get(db, o->unit, &u) != UNIT_OK)
			return cli_fail("user", "no unit with id %lld", o->unit);
		return 0;
	}
	if (!o->region || o->unit)
		return cli_usage_error("user", "role %s needs --region CODE (and no --unit)", role_name(role));
	if (region_get(db, o->region, &r) != REGION_OK)
		return cli_fail("user", "no region with code %s (run 'baodao regions import' first?)", o->region);
	return 0;
}

static char *password_or_generate(const struct user_opts *o, int *generated)
{
	*generated = !o->password_file;
	return o->password_file ? cli_read_password(o->password_file) : crypto_password_generate();
}

static int user_add(struct db *db, const char *login, const struct user_opts *o)
{
	const struct actor cli = { 0, "cli" };
	enum role role;
	int64_t id;
	int generated, rc;
	char *password;

	if (!o->role || role_parse(o->role, &role) < 0)
		return cli_usage_error("user", "--role must be one of admin, org, staff, unit, member, resident");
	if (!valid_utf8_text(login, strlen(login)) || utf8_chars(login) < 2 || utf8_chars(login) > ACCOUNT_LOGIN_MAX ||
	    strpbrk(login, " \t\r\n"))
		return cli_usage_error("user", "LOGIN must be 2 to %d characters without spaces", ACCOUNT_LOGIN_MAX);
	if (o->name && (!valid_utf8_text(o->name, strlen(o->name)) || !*o->name || utf8_chars(o->name) > ACCOUNT_NAME_MAX))
		return cli_usage_error("user", "--name must be 1 to %d characters", ACCOUNT_NAME_MAX);
	if (o->phone && !valid_mobile(o->phone))
		return cli_usage_error("user", "--phone must be a mainland mobile number (11 digits)");
	if ((rc = check_scope(db, role, o)) != 0)
		return rc;
	if (!(password = password_or_generate(o, &generated)))
		return 1;
	rc = account_create(db, &cli, login, o->name ? o->name : login, o->phone, password, &id);
	if (rc == ACCOUNT_DUPLICATE)
		rc = cli_fail("user", "login or phone already taken: %s", login);
	else if (rc != ACCOUNT_OK || account_grant(db, &cli, id, role, o->region, o->unit) != ACCOUNT_OK)
		rc = cli_fail("user", "cannot create %s", login);
	else {
		printf("created account %s (id %" PRId64 ") with role %s\n", login, id, role_name(role));
		if (generated)
			printf("password (shown once): %s\n", password);
		rc = 0;
	}
	free(password);
	return rc;
}

static int user_passwd(struct db *db, const char *login, const struct user_opts *o)
{
	const struct actor cli = { 0, "cli" };
	struct account a;
	int generated, rc = 0;
	char *password;

	if (account_find(db, login, &a) != ACCOUNT_OK)
		return cli_fail("user", "no account %s", login);
	if (!(password = password_or_generate(o, &generated)))
		return 1;
	if (account_set_password(db, &cli, a.id, password, NULL) != ACCOUNT_OK)
		rc = cli_fail("user", "cannot set the password of %s", login);
	else if (generated)
		printf("new password for %s (shown once): %s\n", login, password);
	else
		printf("password of %s changed; its sessions are ended\n", login);
	free(password);
	return rc;
}

static int user_role(struct db *db, const char *login, const struct user_opts *o)
{
	const struct actor cli = { 0, "cli" };
	const char *name = o->add ? o->add : o->remove;
	struct account a;
	enum role role;
	int rc;

	if (!name || (o->add && o->remove) || role_parse(name, &role) < 0)
		return cli_usage_error("user", "give one of --add ROLE or --remove ROLE with a valid role");
	if (account_find(db, login, &a) != ACCOUNT_OK)
		return cli_fail("user", "no account %s", login);
	if (o->add) {
		if ((rc = check_scope(db, role, o)) != 0)
			return rc;
		if (account_grant(db, &cli, a.id, role, o->region, o->unit) != ACCOUNT_OK)
			return cli_fail("user", "cannot grant %s", name);
		printf("granted %s to %s\n", name, login);
		return 0;
	}
	rc = account_revoke(db, &cli, a.id, role, o->region, o->unit);
	if (rc < 0)
		return cli_fail("user", "cannot remove %s", name);
	printf("removed %d grant(s) of %s from %s\n", rc, name, login);
	return 0;
}

static void print_account(const struct account *a, const char *roles, void *arg)
{
	(void)arg;
	printf("%-6" PRId64 " %-16s %-12s %s\n", a->id, a->login, a->phone[0] ? a->phone : "-", roles);
}

int cmd_user(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },	    { "role", required_argument, NULL, 'r' },
		{ "add", required_argument, NULL, 'a' },    { "remove", required_argument, NULL, 'x' },
		{ "region", required_argument, NULL, 'g' }, { "unit", required_argument, NULL, 'u' },
		{ "name", required_argument, NULL, 'n' },   { "phone", required_argument, NULL, 'p' },
		{ "password-file", required_argument, NULL, 'f' }, { "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct user_opts o = { .db = cli_default_db() };
	const char *verb, *login = NULL;
	struct db *db;
	int rc;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	verb = argv[1];
	rc = cli_parse(argc - 1, argv + 1, opts, usage, on_opt, &o);
	if (rc)
		return rc > 0 ? 0 : 2;
	argc--;
	argv++;
	if (strcmp(verb, "list")) {
		if (optind != argc - 1)
			return cli_usage_error("user", "%s needs exactly one LOGIN", verb);
		login = argv[optind];
	} else if (optind != argc) {
		return cli_usage_error("user", "list takes no arguments");
	}
	if (strcmp(verb, "add") && strcmp(verb, "passwd") && strcmp(verb, "role") && strcmp(verb, "list"))
		return cli_usage_error("user", "unknown action '%s' (add, passwd, role, list)", verb);
	if (cli_open(o.db, &db) < 0)
		return 1;
	if (!strcmp(verb, "add"))
		rc = user_add(db, login, &o);
	else if (!strcmp(verb, "passwd"))
		rc = user_passwd(db, login, &o);
	else if (!strcmp(verb, "role"))
		rc = user_role(db, login, &o);
	else
		rc = account_each(db, print_account, NULL) < 0 ? cli_fail("user", "cannot list accounts") : 0;
	db_close(db);
	return rc;
}
