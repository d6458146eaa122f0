/* notify_worker.c: the server's outbox delivery on a thread and a connection of its own, every few seconds */
#include "domain/notify_worker.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "db/db.h"
#include "domain/notify.h"

struct notify_worker {
	struct db *db;
	unsigned every;
	notify_send_fn send;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t wake; /* stop */
	int stopping;
};

static void *run(void *arg)
{
	struct notify_worker *w = arg;
	struct timespec at;
	int sent, failed;

	pthread_mutex_lock(&w->mu);
	while (!w->stopping) {
		pthread_mutex_unlock(&w->mu);
		if (notify_deliver(w->db, w->send, clock_now(), 0, &sent, &failed) < 0)
			log_info("notify: the outbox could not be read or updated; trying again later");
		else if (sent || failed)
			log_info("notify: %d sent, %d given up", sent, failed);
		pthread_mutex_lock(&w->mu);
		clock_gettime(CLOCK_MONOTONIC, &at);
		at.tv_sec += w->every;
		while (!w->stopping && pthread_cond_timedwait(&w->wake, &w->mu, &at) == 0)
			;
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

struct notify_worker *notify_worker_start(const char *path, unsigned every_sec, notify_send_fn send, char *err,
					  size_t errlen)
{
	struct notify_worker *w = xcalloc(1, sizeof(*w));
	pthread_condattr_t attr;

	if (db_open(path, &w->db, err, errlen) < 0) {
		free(w);
		return NULL;
	}
	w->every = every_sec ? every_sec : 1;
	w->send = send;
	pthread_mutex_init(&w->mu, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&w->wake, &attr);
	pthread_condattr_destroy(&attr);
	if (pthread_create(&w->thread, NULL, run, w) != 0)
		abort();
	return w;
}

void notify_worker_stop(struct notify_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stopping = 1;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->mu);
	db_close(w->db);
	free(w);
}
