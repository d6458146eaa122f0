/* cmd_serve.c: baodao serve: the web server, until SIGTERM or SIGINT */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api.h"
#include "base/http_post.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "db/migrate.h"
#include "db/pool.h"
#include "domain/stats_keeper.h"
#include "domain/notify_worker.h"
#include "http/server.h"

static const char usage[] =
	"usage: baodao serve [--db PATH] [--listen ADDR:PORT] [--web DIR] [options]\n\n"
	"Serves the API under /api/v1/ and the built front end from --web. Applies\n"
	"pending migrations first and refuses a database written by a newer baodao.\n"
	"Logs one line per request (method, path, status, microseconds) on stderr.\n"
	"Stops cleanly on SIGTERM or SIGINT, finishing requests in flight.\n\n"
	"  --db PATH             database file, or postgres://… (default $BAODAO_DB or var/baodao.db)\n"
	"  --listen ADDR:PORT    address to listen on (default 127.0.0.1:8080; port 0 = any free)\n"
	"  --web DIR             folder of the built front end; by default $BAODAO_DATA/web if set,\n"
	"                        else PREFIX/share/baodao/web beside an installed PREFIX/bin/baodao,\n"
	"                        else web/dist of the checkout it was built in; none: the API only\n"
	"  --photos DIR          folder of the records' photos (default $BAODAO_PHOTOS, else photos/\n"
	"                        beside a SQLite database, else var/photos); made if missing. Several\n"
	"                        servers of one database must share it (docs/postgres.md)\n"
	"  --threads N           worker threads (default: one per core), each with its own\n"
	"                        database connection: the pool's size\n"
	"  --statement-timeout MS PostgreSQL: cancel a statement running longer (default 0: none)\n"
	"  --body-limit BYTES    largest request body (default 1048576)\n"
	"  --timeout SEC         idle connection timeout, also while an answer is sent (default 30)\n"
	"  --request-timeout SEC a request's head and body must arrive within SEC of the\n"
	"                        connection's start or of the previous answer, plus a second per\n"
	"                        16 KiB of announced body; else the connection is closed (default 20)\n"
	"  --max-connections N   open connections in all (default 4096; fewer if ulimit -n is low)\n"
	"  --per-ip-limit N      open connections per client address, IPv6 per /64 (default 256;\n"
	"                        the --trusted-proxy has none)\n"
	"  --public-host H[,H]   serve only requests whose Host is one of these (HOST or HOST:PORT);\n"
	"                        others get 421, /healthz excepted (against DNS rebinding)\n"
	"  --session-idle SEC    session idle timeout (default 1800)\n"
	"  --session-max SEC     session absolute lifetime (default 43200)\n"
	"  --lockout SEC         longest wait after failed logins from one address (default 900):\n"
	"                        5 failures are free, then 60 s, doubling up to SEC\n"
	"  --secure-cookies      mark cookies Secure and send HSTS (behind TLS)\n"
	"  --trusted-proxy ADDR  a reverse proxy's address: for its requests the client is the\n"
	"                        last X-Forwarded-For entry (throttling, audit)\n"
	"  --stats-every SEC     roll up this and last month's figures at start and every SEC\n"
	"                        seconds (default 300; 0: never, run `baodao stats rollup`)\n"
	"  --notify-every SEC    send the outbox's outside messages (group robots, SMS) every SEC\n"
	"                        seconds on a thread of its own (default 30; 0: never, use\n"
	"                        `baodao notify deliver --once` from cron instead)\n"
	"  --quiet               no access log lines (for benchmarks)\n";

struct serve_opts {
	struct server_config server;
	struct api_config api;
	const char *db, *photos;
	int stats_every; /* seconds between rollups of the monthly figures; 0: none */
	char proxy[INET6_ADDRSTRLEN];
	long long notify_every;
};

/* The proxy's address in the form the server compares with: inet_ntop's. */
static int proxy_address(const char *val, char out[INET6_ADDRSTRLEN])
{
	unsigned char addr[sizeof(struct in6_addr)];
	int family = strchr(val, ':') ? AF_INET6 : AF_INET;

	if (inet_pton(family, val, addr) != 1 || !inet_ntop(family, addr, out, INET6_ADDRSTRLEN)) {
		fprintf(stderr, "baodao serve: --trusted-proxy must be an IPv4 or IPv6 address, not '%s'\n", val);
		return -1;
	}
	return 0;
}

/* mkdir -p: each missing folder of path made (mode 0700). */
static int make_folders(const char *path)
{
	char *p = xstrdup(path);
	int rc = 0;

	for (char *s = strchr(p + 1, '/'); s && rc == 0; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (rc == 0 && mkdir(p, 0700) < 0 && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

/* A given photo folder is there (made if missing, var/ too) and writable before requests come. */
static int photos_ready(const char *dir)
{
	struct stat sb;

	if (!dir)
		return 0; /* photos/ beside the SQLite file, made with the first photo */
	if (make_folders(dir) < 0) {
		fprintf(stderr, "baodao serve: cannot make the photo folder %s: %s\n", dir, strerror(errno));
		return -1;
	}
	if (stat(dir, &sb) < 0 || !S_ISDIR(sb.st_mode) || access(dir, W_OK | X_OK) < 0) {
		fprintf(stderr, "baodao serve: the photo folder %s is not a folder this process may write in\n", dir);
		return -1;
	}
	log_info("photos in %s", dir);
	return 0;
}

static int number(const char *name, const char *val, long long min, long long max, long long *out)
{
	if (str_to_ll(val, min, max, out) == 0)
		return 0;
	fprintf(stderr, "baodao serve: %s must be a whole number from %lld to %lld, not '%s'\n", name, min, max, val);
	return -1;
}

static int on_opt(int opt, const char *val, void *arg)
{
	struct serve_opts *o = arg;
	long long n;

	switch (opt) {
	case 'd': o->db = val; return 0;
	case 'l': o->server.listen = val; return 0;
	case 'w': o->api.web_root = val; return 0;
	case 'p': o->photos = val; return 0;
	case 's': o->api.secure_cookies = o->server.secure = 1; return 0;
	case 'x': if (proxy_address(val, o->proxy) < 0) return -1; o->server.trusted_proxy = o->proxy; return 0;
	case 'q': log_set_access(0); return 0;
	case 't': if (number("--threads", val, 1, 256, &n) < 0) return -1; o->server.threads = (unsigned)n; return 0;
	case 'b': if (number("--body-limit", val, 1024, 64LL << 20, &n) < 0) return -1; o->server.body_limit = (size_t)n; return 0;
	case 'T': if (number("--timeout", val, 1, 3600, &n) < 0) return -1; o->server.timeout = (unsigned)n; return 0;
	case 'P': if (number("--per-ip-limit", val, 1, 65535, &n) < 0) return -1; o->server.per_ip_limit = (unsigned)n; return 0;
	case 'R': if (number("--request-timeout", val, 1, 3600, &n) < 0) return -1; o->server.request_timeout = (unsigned)n; return 0;
	case 'C': if (number("--max-connections", val, 16, 1000000, &n) < 0) return -1; o->server.max_connections = (unsigned)n; return 0;
	case 'H': o->server.public_hosts = val; return 0;
	case 'i': if (number("--session-idle", val, 1, 86400, &n) < 0) return -1; o->api.session_idle = n; return 0;
	case 'm': if (number("--session-max", val, 1, 30 * 86400, &n) < 0) return -1; o->api.session_max = n; return 0;
	case 'S': if (number("--statement-timeout", val, 0, 86400000, &n) < 0) return -1; db_set_statement_timeout((int)n); return 0;
	case 'k': if (number("--lockout", val, 1, 86400, &n) < 0) return -1; o->api.lockout = n; return 0;
	case 'E': if (number("--stats-every", val, 0, 86400, &n) < 0) return -1; o->stats_every = (int)n; return 0;
	case 'N': return number("--notify-every", val, 0, 86400, &o->notify_every);
	}
	return -1;
}

int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },	     { "listen", required_argument, NULL, 'l' },
		{ "web", required_argument, NULL, 'w' },     { "threads", required_argument, NULL, 't' },
		{ "body-limit", required_argument, NULL, 'b' }, { "timeout", required_argument, NULL, 'T' },
		{ "per-ip-limit", required_argument, NULL, 'P' }, { "session-idle", required_argument, NULL, 'i' },
		{ "session-max", required_argument, NULL, 'm' }, { "lockout", required_argument, NULL, 'k' },
		{ "secure-cookies", no_argument, NULL, 's' }, { "quiet", no_argument, NULL, 'q' },
		{ "trusted-proxy", required_argument, NULL, 'x' }, { "request-timeout", required_argument, NULL, 'R' },
		{ "max-connections", required_argument, NULL, 'C' }, { "public-host", required_argument, NULL, 'H' },
		{ "statement-timeout", required_argument, NULL, 'S' }, { "photos", required_argument, NULL, 'p' },
		{ "stats-every", required_argument, NULL, 'E' },
		{ "notify-every", required_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },	     { 0 },
	};
	struct serve_opts o = {
		.server = { .listen = "127.0.0.1:8080", .body_limit = 1 << 20, .timeout = 30, .request_timeout = 20,
			    .max_connections = 4096, .per_ip_limit = 256,
			    .body_limit_for = api_body_limit, .dispatch = api_dispatch },
		.api = { .session_idle = 1800, .session_max = 43200, .lockout = 900 },
		.db = cli_default_db(),
		.stats_every = 300,
		.notify_every = 30,
	};
	struct stats_keeper *keeper = NULL;
	struct notify_worker *notifier = NULL;
	struct server *srv;
	struct db *db;
	sigset_t sigs;
	char err[512], looked[2048], *web = NULL;
	int rc = cli_parse(argc, argv, opts, usage, on_opt, &o), sig;

	if (rc)
		return rc > 0 ? 0 : 2;
	if (optind < argc)
		return cli_usage_error("serve", "unexpected argument '%s'", argv[optind]);
	if (!o.api.web_root && (web = cli_data_dir(CLI_DATA_WEB, looked, sizeof(looked))))
		o.api.web_root = web;
	else if (!o.api.web_root)
		log_info("no built front end in %s: serving the API only (give --web DIR)", looked);
	if ((rc = cli_use_photo_dir("serve", o.db, o.photos)) != 0) {
		free(web);
		return rc;
	}
	if (cli_open(o.db, &db) < 0) {
		free(web);
		return 1;
	}
	db_close(db);
	if (photos_ready(cli_photo_dir(o.db, o.photos)) < 0) {
		free(web);
		return 1;
	}
	pool_init(o.db);
	api_init(&o.api);

	/* Block the stop signals before the server's threads start, so only sigwait below sees them. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	http_post_init();
	if (o.notify_every &&
	    !(notifier = notify_worker_start(o.db, (unsigned)o.notify_every, http_post_send, err, sizeof(err)))) {
		pool_close_all();
		free(web);
		return cli_fail("serve", "notify: %s", err);
	}
	srv = server_start(&o.server, err, sizeof(err));
	if (!srv) {
		notify_worker_stop(notifier);
		pool_close_all();
		free(web);
		return cli_fail("serve", "%s", err);
	}
	{
		char host[64];
		const char *colon = strrchr(o.server.listen, ':');
		size_t hl = (size_t)(colon - o.server.listen);

		snprintf(host, sizeof(host), "%.*s", (int)(hl < sizeof(host) ? hl : 0), o.server.listen);
		printf("baodao: listening on http://%s:%u (schema version %d)\n", hl ? host : "0.0.0.0",
		       server_port(srv), migrate_latest());
		fflush(stdout);
	}
	if (o.stats_every && !(keeper = stats_keeper_start(o.db, o.stats_every, err, sizeof(err))))
		log_error("no rollup of the monthly figures: %s", err);
	sigwait(&sigs, &sig);
	log_info("signal %d: finishing requests in flight and stopping", sig);
	stats_keeper_stop(keeper);
	server_stop(srv, 10000);
	notify_worker_stop(notifier);
	http_post_cleanup();
	pool_close_all();
	free(web);
	log_info("stopped");
	return 0;
}
