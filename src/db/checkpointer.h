/* checkpointer.h: one thread that copies the write-ahead log back into the database, so commits never do */
#ifndef DB_CHECKPOINTER_H
#define DB_CHECKPOINTER_H

#include <stddef.h>

struct checkpointer;

/*
 * Opens its own connection to the database at path and starts the thread.
 * Returns NULL with err filled if the database cannot be opened.
 */
struct checkpointer *checkpointer_start(const char *path, char *err, size_t errlen);
/*
 * Asks for a checkpoint soon; returns at once. Its signature is the poke of
 * db_checkpoint_elsewhere: pass the checkpointer as arg.
 */
void checkpointer_poke(void *checkpointer);
/* Waits until a checkpoint has started and ended since every poke made before this call (tests). */
void checkpointer_sync(struct checkpointer *c);
/* Checkpoints a last time, stops the thread, closes its connection and frees c. NULL is fine. */
void checkpointer_stop(struct checkpointer *c);

#endif
