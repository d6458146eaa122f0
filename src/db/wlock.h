/* wlock.h: one first-come, first-served write lock per database file, shared by this process's connections */
#ifndef DB_WLOCK_H
#define DB_WLOCK_H

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

#endif
