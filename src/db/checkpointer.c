/* checkpointer.c: the server's checkpoints on a thread and a connection of their own, woken by commits */
#include "db/checkpointer.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/xalloc.h"
#include "db/db.h"

struct checkpointer {
	struct db *db;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t wake; /* a poke, or stop */
	pthread_cond_t done; /* a checkpoint ended */
	uint64_t asked; /* pokes so far */
	uint64_t served; /* the pokes that a finished checkpoint started after */
	int stopping;
};

static void *run(void *arg)
{
	struct checkpointer *c = arg;

	pthread_mutex_lock(&c->mu);
	for (;;) {
		while (c->served == c->asked && !c->stopping)
			pthread_cond_wait(&c->wake, &c->mu);
		uint64_t asked = c->asked;
		int stopping = c->stopping;

		/* Pokes that arrive while it copies ask for the next round. */
		pthread_mutex_unlock(&c->mu);
		db_checkpoint(c->db);
		pthread_mutex_lock(&c->mu);
		c->served = asked;
		pthread_cond_broadcast(&c->done);
		if (stopping)
			break;
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

struct checkpointer *checkpointer_start(const char *path, char *err, size_t errlen)
{
	struct checkpointer *c = xcalloc(1, sizeof(*c));

	if (db_open(path, &c->db, err, errlen) < 0) {
		free(c);
		return NULL;
	}
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->wake, NULL);
	pthread_cond_init(&c->done, NULL);
	if (pthread_create(&c->thread, NULL, run, c) != 0)
		abort();
	return c;
}

void checkpointer_poke(void *checkpointer)
{
	struct checkpointer *c = checkpointer;

	pthread_mutex_lock(&c->mu);
	c->asked++;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->mu);
}

void checkpointer_sync(struct checkpointer *c)
{
	pthread_mutex_lock(&c->mu);
	uint64_t asked = c->asked;

	while (c->served < asked)
		pthread_cond_wait(&c->done, &c->mu);
	pthread_mutex_unlock(&c->mu);
}

void checkpointer_stop(struct checkpointer *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->mu);
	c->stopping = 1;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->mu);
	pthread_join(c->thread, NULL);
	pthread_cond_destroy(&c->done);
	pthread_cond_destroy(&c->wake);
	pthread_mutex_destroy(&c->mu);
	db_close(c->db);
	free(c);
}
