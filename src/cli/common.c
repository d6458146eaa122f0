/* common.c: what the subcommands share: database and key opening, option parsing, errors */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "db/migrate.h"
#include "domain/account.h"

const char *cli_default_db(void)
{
	const char *env = getenv("BAODAO_DB");

	return env && *env ? env : "var/baodao.db";
}

char *cli_key_path(const char *db_path)
{
	size_t n = strlen(db_path) + 5;
	char *p = xmalloc(n);

	snprintf(p, n, "%s.key", db_path);
	return p;
}

int cli_open(const char *db_path, struct db **out)
{
	char err[512], *key = cli_key_path(db_path);
	int rc = crypto_key_load(key, err, sizeof(err));

	free(key);
	if (rc < 0) {
		fprintf(stderr, "baodao: %s\n", err);
		return -1;
	}
	if (db_open(db_path, out, err, sizeof(err)) < 0) {
		fprintf(stderr, "baodao: %s\n", err);
		return -1;
	}
	if (migrate_apply(*out, err, sizeof(err)) < 0) {
		fprintf(stderr, "baodao: %s\n", err);
		db_close(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

char *cli_read_password(const char *file)
{
	char line[PASSWORD_MAX + 2];
	FILE *f = fopen(file, "r");
	size_t n;

	if (!f) {
		fprintf(stderr, "baodao: cannot read password file %s: %s\n", file, strerror(errno));
		return NULL;
	}
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	n = strlen(line);
	if (n < PASSWORD_MIN || n > PASSWORD_MAX) {
		fprintf(stderr, "baodao: the password in %s must have %d to %d characters\n", file, PASSWORD_MIN,
			PASSWORD_MAX);
		return NULL;
	}
	return xstrdup(line);
}

int cli_parse(int argc, char **argv, const struct option *opts, const char *usage,
	      int (*on_opt)(int opt, const char *val, void *arg), void *arg)
{
	const char *shorts = "h";
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(usage, stdout);
			return 1;
		}
		if (opt == '?' || opt == ':') {
			fprintf(stderr, "baodao %s: unknown option or missing value: %s\n\n%s", argv[0],
				argv[optind - 1], usage);
			return -1;
		}
		if (on_opt(opt, optarg, arg) < 0) {
			fprintf(stderr, "\n%s", usage);
			return -1;
		}
	}
	return 0;
}

static int vsay(const char *name, int code, const char *fmt, va_list ap)
{
	fprintf(stderr, "baodao %s: ", name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	return code;
}

int cli_usage_error(const char *name, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vsay(name, 2, fmt, ap);
	va_end(ap);
	return rc;
}

int cli_fail(const char *name, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vsay(name, 1, fmt, ap);
	va_end(ap);
	return rc;
}
