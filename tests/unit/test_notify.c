/* test_notify.c: the retry schedule, quiet-hours arithmetic, and the outbox's sent / retried / given-up states */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/notify.h"
#include "testdb.h"

/* 2026-12-04 00:00 China time (UTC+8) as Unix seconds. */
#define DAY0 1796313600LL
#define AT(h, m) (DAY0 + (h) * 3600LL + (m) * 60LL)

static void retries_follow_backoff_stretched_to_minutes(void **state)
{
	(void)state;
	assert_int_equal(notify_retry_delay(1), 15);
	assert_int_equal(notify_retry_delay(2), 30);
	assert_int_equal(notify_retry_delay(3), 60);
	assert_int_equal(notify_retry_delay(4), 120);
	assert_int_equal(notify_retry_delay(5), 240);
	assert_int_equal(notify_retry_delay(6), 300);
	assert_int_equal(notify_retry_delay(7), 300);
	assert_int_equal(notify_retry_delay(100), 300);
	assert_int_equal(notify_retry_delay(0), 15);
}

static void quiet_hours_inside_one_day(void **state)
{
	(void)state;
	/* 12:00 to 14:00 quiet */
	assert_int_equal(notify_quiet_until(AT(11, 59), 720, 840), AT(11, 59));
	assert_int_equal(notify_quiet_until(AT(12, 0), 720, 840), AT(14, 0));
	assert_int_equal(notify_quiet_until(AT(13, 59) + 59, 720, 840), AT(14, 0));
	assert_int_equal(notify_quiet_until(AT(14, 0), 720, 840), AT(14, 0));
}

static void quiet_hours_across_midnight(void **state)
{
	(void)state;
	/* 22:00 to 08:00 quiet */
	assert_int_equal(notify_quiet_until(AT(21, 59), 1320, 480), AT(21, 59));
	assert_int_equal(notify_quiet_until(AT(22, 0), 1320, 480), AT(24 + 8, 0));
	assert_int_equal(notify_quiet_until(AT(23, 30), 1320, 480), AT(24 + 8, 0));
	assert_int_equal(notify_quiet_until(AT(3, 0), 1320, 480), AT(8, 0));
	assert_int_equal(notify_quiet_until(AT(8, 0), 1320, 480), AT(8, 0));
	/* China time, not UTC: 23:00 UTC is 07:00 the next morning in China, still quiet. */
	assert_int_equal(notify_quiet_until(DAY0 - 16 * 3600 + 23 * 3600, 1320, 480), AT(8, 0)); /* 23:00 UTC, Dec 3 */
}

static void equal_ends_mean_no_quiet_hours(void **state)
{
	(void)state;
	assert_int_equal(notify_quiet_until(AT(3, 0), 0, 0), AT(3, 0));
	assert_int_equal(notify_quiet_until(AT(3, 0), 600, 600), AT(3, 0));
}

/* --- the outbox against a fake receiver ------------------------------------------------------------------- */

static int receiver_up, received;
static char last_body[1024];

static int fake_send(const char *url, const char *json, char *err, size_t errlen)
{
	assert_string_equal(url, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1");
	if (!receiver_up) {
		snprintf(err, errlen, "connection refused");
		return -1;
	}
	received++;
	snprintf(last_body, sizeof(last_body), "%s", json);
	return 0;
}

static void outbox_row(struct testdb *t, const char *state, int64_t *attempts, int64_t *next_at)
{
	struct db_stmt *st = db_prepare(t->db, "SELECT state, attempts, next_at FROM outbox ORDER BY id DESC LIMIT 1");

	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), state);
	*attempts = db_col_int(st, 1);
	*next_at = db_col_int(st, 2);
	db_done(st);
}

static void post_one(struct testdb *t, int64_t now)
{
	struct notify_msg m = { NOTIFY_ACTIVITY_CANCELLED, "活动取消：测试", NULL, "/m/activities/1", "【活动取消】测试" };

	assert_int_equal(db_begin(t->db), 0);
	assert_int_equal(notify_post_group(t->db, TESTDB_COMMUNITY, &m, now), 0);
	assert_int_equal(db_commit(t->db), 0);
}

static void a_message_is_retried_then_sent_once_the_receiver_is_up(void **state)
{
	static const struct actor cli = { 0, "test" };
	struct testdb t;
	int64_t attempts, next_at, now = AT(10, 0);
	int sent, failed;

	(void)state;
	assert_int_equal(testdb_open(&t, "notify"), 0);
	post_one(&t, now); /* no robot yet: nothing */
	assert_int_equal(db_run(t.db, "SELECT 1 FROM outbox"), DB_OK);
	assert_int_equal(notify_channel_set(t.db, &cli, TESTDB_COMMUNITY, TESTDB_PATH, "wecom",
					    "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1", 0, 0),
			 0);
	post_one(&t, now);
	receiver_up = 0;
	received = 0;
	assert_int_equal(notify_deliver(t.db, fake_send, now, 0, &sent, &failed), 0);
	outbox_row(&t, "pending", &attempts, &next_at);
	assert_int_equal(attempts, 1);
	assert_int_equal(next_at, now + 15);
	/* Not due yet: untouched. */
	assert_int_equal(notify_deliver(t.db, fake_send, now + 14, 0, &sent, &failed), 0);
	outbox_row(&t, "pending", &attempts, &next_at);
	assert_int_equal(attempts, 1);
	assert_int_equal(notify_deliver(t.db, fake_send, now + 15, 0, &sent, &failed), 0);
	outbox_row(&t, "pending", &attempts, &next_at);
	assert_int_equal(attempts, 2);
	assert_int_equal(next_at, now + 15 + 30);
	receiver_up = 1;
	assert_int_equal(notify_deliver(t.db, fake_send, next_at, 0, &sent, &failed), 0);
	assert_int_equal(sent, 1);
	assert_int_equal(received, 1);
	outbox_row(&t, "sent", &attempts, &next_at);
	assert_int_equal(attempts, 3);
	assert_string_equal(last_body, "{\"msgtype\":\"text\",\"text\":{\"content\":\"【活动取消】测试\\n/m/activities/1\"}}");
	/* Sent once: another round sends nothing. */
	assert_int_equal(notify_deliver(t.db, fake_send, next_at + 1000, 0, &sent, &failed), 0);
	assert_int_equal(received, 1);
	testdb_close(&t);
}

static void a_message_is_given_up_after_the_last_try_and_waits_out_quiet_hours(void **state)
{
	static const struct actor cli = { 0, "test" };
	struct testdb t;
	int64_t attempts, next_at, now = AT(23, 0);
	int sent, failed, total = 0;

	(void)state;
	assert_int_equal(testdb_open(&t, "notify2"), 0);
	assert_int_equal(notify_channel_set(t.db, &cli, TESTDB_COMMUNITY, TESTDB_PATH, "wecom",
					    "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1", 1320, 480),
			 0);
	post_one(&t, now);
	receiver_up = 0;
	/* 23:00 is quiet: moved to 08:00 without a try. */
	assert_int_equal(notify_deliver(t.db, fake_send, now, 0, &sent, &failed), 0);
	outbox_row(&t, "pending", &attempts, &next_at);
	assert_int_equal(attempts, 0);
	assert_int_equal(next_at, AT(24 + 8, 0));
	for (int i = 0; i < NOTIFY_ATTEMPTS_MAX; i++) {
		assert_int_equal(notify_deliver(t.db, fake_send, next_at, 0, &sent, &failed), 0);
		total += failed;
		outbox_row(&t, i + 1 < NOTIFY_ATTEMPTS_MAX ? "pending" : "failed", &attempts, &next_at);
		assert_int_equal(attempts, i + 1);
	}
	assert_int_equal(total, 1);
	receiver_up = 1;
	received = 0;
	assert_int_equal(notify_deliver(t.db, fake_send, next_at + 86400, 0, &sent, &failed), 0);
	assert_int_equal(received, 0);
	testdb_close(&t);
}

static void urls_are_checked_and_masked(void **state)
{
	char out[128];

	(void)state;
	assert_true(notify_url_ok("https://oapi.dingtalk.com/robot/send?access_token=abc"));
	assert_true(notify_url_ok("http://127.0.0.1:8080/hook"));
	assert_false(notify_url_ok("ftp://x/y"));
	assert_false(notify_url_ok("https://"));
	assert_false(notify_url_ok("https://a b/"));
	assert_false(notify_url_ok("https://user:pw@evil.example/"));
	assert_false(notify_url_ok("javascript:alert(1)"));
	notify_url_mask("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret", out, sizeof(out));
	assert_string_equal(out, "https://qyapi.weixin.qq.com/***");
	notify_url_mask("http://127.0.0.1:9/x?y", out, sizeof(out));
	assert_string_equal(out, "http://127.0.0.1:9/***");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(retries_follow_backoff_stretched_to_minutes),
		cmocka_unit_test(quiet_hours_inside_one_day),
		cmocka_unit_test(quiet_hours_across_midnight),
		cmocka_unit_test(equal_ends_mean_no_quiet_hours),
		cmocka_unit_test(a_message_is_retried_then_sent_once_the_receiver_is_up),
		cmocka_unit_test(a_message_is_given_up_after_the_last_try_and_waits_out_quiet_hours),
		cmocka_unit_test(urls_are_checked_and_masked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
