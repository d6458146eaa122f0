/* wlock.h: one first-come, first-served write lock per database file, shared by this process's connections, and its group commit */
#ifndef DB_WLOCK_H
#define DB_WLOCK_H

#include <stdint.h>

struct wlock;

/*
 * The lock of the database file at path (opened already), shared by every
 * caller that names the same file (same device and inode, whatever the path
 * spelling). Never NULL. Give it back with wlock_put.
 */
struct wlock *wlock_get(const char *path);
void wlock_put(struct wlock *l);

/*
 * Waits for the lock in arrival order, at most wait_ms milliseconds. Returns 0
 * when this caller holds it, -1 when the wait timed out (nothing held). Not
 * recursive: a holder that asks again waits for itself until the time is up.
 */
int wlock_acquire(struct wlock *l, int wait_ms);
/* Hands the lock to the longest waiting caller, if any. Only its holder may call it. */
void wlock_release(struct wlock *l);
/* How many callers are waiting now (for tests). */
int wlock_waiters(struct wlock *l);

/*
 * Group commit. A connection commits without waiting for the disk, numbers
 * its commit with wlock_committed while it still holds the lock (so numbers
 * follow commit order), gives the lock back, then calls wlock_durable before
 * it answers: the next writer's work overlaps this one's wait for the disk,
 * and one sync covers every commit numbered before it started.
 */
uint64_t wlock_committed(struct wlock *l);
/*
 * Returns 0 once every commit up to seq is on the disk: the first caller to
 * find it is not runs sync(arg) (which must make every commit numbered so far
 * durable), the others wait for that one. -1 when sync failed (each waiter
 * then tries its own).
 */
int wlock_durable(struct wlock *l, uint64_t seq, int (*sync)(void *arg), void *arg);
/* How many syncs have run (for tests). */
uint64_t wlock_syncs(struct wlock *l);

#endif
