/* cmd_notify.c: baodao notify deliver (the outbox, once, for cron and tests) and notify setup (SMS gateway, address) */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/http_post.h"
#include "cli/cli.h"
#include "domain/notify.h"

static const char usage[] =
	"usage: baodao notify deliver --once [--db PATH]\n"
	"       baodao notify setup [--sms-url URL] [--base-url URL] [--db PATH]\n\n"
	"Notifications (docs/notify.md). Every notification goes to the member's in-app inbox;\n"
	"outside messages (a community's 企业微信 or 钉钉 group robot, SMS) wait in the outbox\n"
	"until they are sent. `baodao serve` sends them every --notify-every seconds itself.\n\n"
	"  deliver --once   send what is due now, once: each message that fails is tried again\n"
	"                   after 15 s, 30 s, 1 min, 2 min, 4 min, then every 5 min, and given up\n"
	"                   (failed) after 8 tries; during quiet hours it waits for their end.\n"
	"                   Prints how many were sent and given up. For cron, or a server run\n"
	"                   with --notify-every 0\n"
	"  setup            the deployment's settings: --sms-url the SMS gateway (POST\n"
	"                   {\"to\": phone, \"text\": …}; \"\" removes it) and --base-url the public\n"
	"                   address (https://baodao.example.cn) outside messages' links start with.\n"
	"                   Each not given is emptied\n";

struct notify_opts {
	const char *db, *sms, *base;
	bool once;
};

static int on_opt(int opt, const char *val, void *arg)
{
	struct notify_opts *o = arg;

	switch (opt) {
	case 'd': o->db = val; return 0;
	case 'o': o->once = true; return 0;
	case 's': o->sms = val; return 0;
	case 'b': o->base = val; return 0;
	}
	return -1;
}

static int deliver(struct db *db)
{
	int sent, failed, rc;

	http_post_init();
	rc = notify_deliver(db, http_post_send, clock_now(), 0, &sent, &failed);
	http_post_cleanup();
	if (rc < 0)
		return cli_fail("notify", "cannot read or update the outbox");
	printf("notify: %d sent, %d given up\n", sent, failed);
	return 0;
}

static int setup(struct db *db, const struct notify_opts *o)
{
	const struct actor cli = { 0, "cli" };

	if (o->sms && o->sms[0] && !notify_url_ok(o->sms))
		return cli_usage_error("notify", "--sms-url must be an http:// or https:// address");
	if (o->base && o->base[0] && (!notify_url_ok(o->base) || o->base[strlen(o->base) - 1] == '/'))
		return cli_usage_error("notify", "--base-url must be an http:// or https:// address without a final /");
	if (notify_setting_set(db, &cli, o->sms, o->base) < 0)
		return cli_fail("notify", "cannot save the settings");
	printf("notify: settings saved\n");
	return 0;
}

int cmd_notify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },	     { "once", no_argument, NULL, 'o' },
		{ "sms-url", required_argument, NULL, 's' }, { "base-url", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },	     { 0 },
	};
	struct notify_opts o = { .db = cli_default_db() };
	const char *verb = argc >= 2 && argv[1][0] != '-' ? argv[1] : NULL;
	struct db *db;
	int rc = cli_parse(argc - (verb ? 1 : 0), argv + (verb ? 1 : 0), opts, usage, on_opt, &o);

	if (rc)
		return rc > 0 ? 0 : 2;
	if (!verb || (strcmp(verb, "deliver") && strcmp(verb, "setup")))
		return cli_usage_error("notify", "give deliver --once or setup (see --help)");
	if (optind < argc - 1)
		return cli_usage_error("notify", "unexpected argument '%s'", argv[optind + 1]);
	if (!strcmp(verb, "deliver") && !o.once)
		return cli_usage_error("notify", "deliver needs --once (the server delivers continuously)");
	if (cli_open(o.db, &db) < 0)
		return 1;
	rc = !strcmp(verb, "deliver") ? deliver(db) : setup(db, &o);
	db_close(db);
	return rc;
}
