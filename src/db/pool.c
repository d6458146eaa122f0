/* pool.c: per-thread connections, remembered so shutdown can close them all, and their checkpointer */
#include "db/pool.h"

#include <pthread.h>

#include "base/backoff.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "db/checkpointer.h"

#define POOL_MAX 256

static const char *db_path;
static _Thread_local struct db *mine;
static _Thread_local struct backoff opening; /* a connection that could not be opened is tried again later */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct db *opened[POOL_MAX];
static size_t nopened;
static struct checkpointer *checkpointer;

void pool_init(const char *path)
{
	char err[512];

	db_path = path;
	if (db_engine_of(path) != DB_SQLITE)
		return;
	checkpointer = checkpointer_start(path, err, sizeof(err));
	if (!checkpointer)
		log_error("db: no checkpointer, commits checkpoint themselves: %s", err);
}

struct db *pool_thread(void)
{
	char err[512];

	if (mine)
		return mine;
	if (!backoff_ready(&opening, clock_mono_us()))
		return NULL;
	if (db_open(db_path, &mine, err, sizeof(err)) < 0) {
		/* Once until it opens: the tries that follow fail the same way. */
		if (!opening.fails)
			log_error("db: %s; trying again with back-off", err);
		backoff_failed(&opening, clock_mono_us());
		mine = NULL;
		return NULL;
	}
	if (opening.fails)
		log_info("db: the database is open again");
	backoff_succeeded(&opening);
	if (checkpointer)
		db_checkpoint_elsewhere(mine, checkpointer_poke, checkpointer);
	pthread_mutex_lock(&lock);
	if (nopened < POOL_MAX)
		opened[nopened++] = mine;
	pthread_mutex_unlock(&lock);
	return mine;
}

void pool_close_all(void)
{
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < nopened; i++)
		db_close(opened[i]);
	nopened = 0;
	pthread_mutex_unlock(&lock);
	checkpointer_stop(checkpointer);
	checkpointer = NULL;
}

int pool_retry_after(void)
{
	return backoff_retry_after(&opening, clock_mono_us());
}
