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
/* This thread's connection (opened on first call); NULL if it cannot be opened (logged). */
struct db *pool_thread(void);
/* Closes every connection the pool opened, then stops the checkpointer; no thread may use one afterwards. */
void pool_close_all(void);

#endif
