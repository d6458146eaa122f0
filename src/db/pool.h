/* pool.h: one database connection per thread, opened on first use */
#ifndef DB_POOL_H
#define DB_POOL_H

#include "db/db.h"

/*
 * Sets the database path for every later pool_thread() and starts the thread
 * that checkpoints for the pool's connections (src/db/checkpointer.h); call
 * once, before threads start.
 */
void pool_init(const char *path);
/*
 * This thread's connection (opened on first call); NULL if it cannot be opened (logged once until it can):
 * then it is not tried again before a back-off step (base/backoff.h) has passed, and NULL comes back at once.
 */
struct db *pool_thread(void);
/* After pool_thread gave NULL: whole seconds (at least 1) until it tries again, for a Retry-After header. */
int pool_retry_after(void);
/* Closes every connection the pool opened, then stops the checkpointer; no thread may use one afterwards. */
void pool_close_all(void);

#endif
