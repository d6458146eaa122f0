/* pool.c: per-thread connections, remembered so shutdown can close them all */
#include "db/pool.h"

#include <pthread.h>

#include "base/log.h"
#include "base/xalloc.h"

#define POOL_MAX 256

static const char *db_path;
static _Thread_local struct db *mine;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct db *opened[POOL_MAX];
static size_t nopened;

void pool_init(const char *path)
{
	db_path = path;
}

struct db *pool_thread(void)
{
	char err[512];

	if (mine)
		return mine;
	if (db_open(db_path, &mine, err, sizeof(err)) < 0) {
		log_error("db: %s", err);
		return NULL;
	}
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
}
