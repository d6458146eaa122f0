/* stats_keeper.c: the monthly figures rolled up now and then while the server runs, the quiet reminded daily */
#include "domain/stats_keeper.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "db/db.h"
#include "domain/quiet.h"
#include "domain/stats_rollup.h"

struct stats_keeper {
	struct db *db;
	char reminded[11]; /* the China day the quiet members were last reminded on */
	int every_sec;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t wake; /* stop */
	int stopping;
};

/* Once a day, from 09:00 China time: people are reminded in the morning, not at night. */
static void reminders(struct stats_keeper *k, int64_t t)
{
	char today[11];
	int64_t sent;

	clock_date(t, today);
	if (!strcmp(today, k->reminded) || (t + 8 * 3600) % 86400 < 9 * 3600)
		return;
	if (quiet_remind(k->db, t, &sent) == 0)
		memcpy(k->reminded, today, sizeof(today));
}

/* The previous month too: a record confirmed early in a month often began in the one before. */
static void roll(struct stats_keeper *k)
{
	struct stats_rollup_result res;
	char now[STATS_MONTH_BYTES], from[STATS_MONTH_BYTES];
	int64_t t = clock_now();

	stats_month_of(t, now);
	stats_month_add(now, -1, from);
	stats_rollup(k->db, from, t, &res);
	reminders(k, t);
}

static void *run(void *arg)
{
	struct stats_keeper *k = arg;
	struct timespec until;

	pthread_mutex_lock(&k->mu);
	while (!k->stopping) {
		pthread_mutex_unlock(&k->mu);
		roll(k);
		pthread_mutex_lock(&k->mu);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += k->every_sec;
		while (!k->stopping && pthread_cond_timedwait(&k->wake, &k->mu, &until) == 0)
			;
	}
	pthread_mutex_unlock(&k->mu);
	return NULL;
}

struct stats_keeper *stats_keeper_start(const char *path, int every_sec, char *err, size_t errlen)
{
	struct stats_keeper *k = xcalloc(1, sizeof(*k));

	if (db_open(path, &k->db, err, errlen) < 0) {
		free(k);
		return NULL;
	}
	k->every_sec = every_sec;
	pthread_mutex_init(&k->mu, NULL);
	pthread_cond_init(&k->wake, NULL);
	if (pthread_create(&k->thread, NULL, run, k) != 0)
		abort();
	return k;
}

void stats_keeper_stop(struct stats_keeper *k)
{
	if (!k)
		return;
	pthread_mutex_lock(&k->mu);
	k->stopping = 1;
	pthread_cond_signal(&k->wake);
	pthread_mutex_unlock(&k->mu);
	pthread_join(k->thread, NULL);
	db_close(k->db);
	pthread_cond_destroy(&k->wake);
	pthread_mutex_destroy(&k->mu);
	free(k);
}
