/* wlock.c: a FIFO write lock with direct hand-off (waiters queue in order, release wakes exactly the next one), and group commit */
#include "db/wlock.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "base/xalloc.h"

/* A caller waiting for the lock: on its own stack, woken alone when the lock is handed to it. */
struct waiter {
	pthread_cond_t cond;
	int granted;
	struct waiter *next;
};

struct wlock {
	pthread_mutex_t mu;
	int held;
	struct waiter *head, *tail; /* waiters in arrival order */
	/* Group commit, under its own mutex: a sync runs without the write lock. */
	pthread_mutex_t smu;
	pthread_cond_t synced;
	uint64_t committed, durable, syncs;
	int syncing;
	/* The registry: one lock per file. */
	dev_t dev;
	ino_t ino;
	int refs;
	struct wlock *next;
};

static pthread_mutex_t registry_mu = PTHREAD_MUTEX_INITIALIZER;
static struct wlock *registry;

struct wlock *wlock_get(const char *path)
{
	struct stat sb;
	struct wlock *l;
	int known = stat(path, &sb) == 0;

	pthread_mutex_lock(&registry_mu);
	for (l = registry; known && l; l = l->next)
		if (l->dev == sb.st_dev && l->ino == sb.st_ino)
			break;
	if (!l) {
		l = xcalloc(1, sizeof(*l));
		pthread_mutex_init(&l->mu, NULL);
		pthread_mutex_init(&l->smu, NULL);
		pthread_cond_init(&l->synced, NULL);
		/* A file that cannot be looked at gets a lock of its own, never shared. */
		if (known) {
			l->dev = sb.st_dev;
			l->ino = sb.st_ino;
			l->next = registry;
			registry = l;
		}
	}
	l->refs++;
	pthread_mutex_unlock(&registry_mu);
	return l;
}

void wlock_put(struct wlock *l)
{
	struct wlock **p;

	if (!l)
		return;
	pthread_mutex_lock(&registry_mu);
	if (--l->refs == 0) {
		for (p = &registry; *p && *p != l; p = &(*p)->next)
			;
		if (*p)
			*p = l->next;
		pthread_mutex_destroy(&l->mu);
		pthread_mutex_destroy(&l->smu);
		pthread_cond_destroy(&l->synced);
		free(l);
	}
	pthread_mutex_unlock(&registry_mu);
}

static void deadline_in(struct timespec *ts, int ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* Takes w out of the queue (it gave up waiting). */
static void unqueue(struct wlock *l, struct waiter *w)
{
	struct waiter *prev = NULL;

	for (struct waiter *p = l->head; p; prev = p, p = p->next) {
		if (p != w)
			continue;
		if (prev)
			prev->next = w->next;
		else
			l->head = w->next;
		if (l->tail == w)
			l->tail = prev;
		return;
	}
}

int wlock_acquire(struct wlock *l, int wait_ms)
{
	struct waiter w = { .granted = 0, .next = NULL };
	pthread_condattr_t attr;
	struct timespec deadline;
	int rc = 0;

	pthread_mutex_lock(&l->mu);
	if (!l->held && !l->head) {
		l->held = 1;
		pthread_mutex_unlock(&l->mu);
		return 0;
	}
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&w.cond, &attr);
	pthread_condattr_destroy(&attr);
	if (l->tail)
		l->tail->next = &w;
	else
		l->head = &w;
	l->tail = &w;
	deadline_in(&deadline, wait_ms);
	while (!w.granted && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&w.cond, &l->mu, &deadline);
	/* Granted at the last moment counts as granted: release has taken w out of the queue. */
	if (!w.granted)
		unqueue(l, &w);
	pthread_mutex_unlock(&l->mu);
	pthread_cond_destroy(&w.cond);
	return w.granted ? 0 : -1;
}

void wlock_release(struct wlock *l)
{
	struct waiter *w;

	pthread_mutex_lock(&l->mu);
	w = l->head;
	if (w) {
		/* Handed over: held stays set, so no newcomer can slip in between. */
		l->head = w->next;
		if (!l->head)
			l->tail = NULL;
		w->granted = 1;
		pthread_cond_signal(&w->cond);
	} else {
		l->held = 0;
	}
	pthread_mutex_unlock(&l->mu);
}

int wlock_waiters(struct wlock *l)
{
	int n = 0;

	pthread_mutex_lock(&l->mu);
	for (struct waiter *w = l->head; w; w = w->next)
		n++;
	pthread_mutex_unlock(&l->mu);
	return n;
}

uint64_t wlock_committed(struct wlock *l)
{
	uint64_t seq;

	pthread_mutex_lock(&l->smu);
	seq = ++l->committed;
	pthread_mutex_unlock(&l->smu);
	return seq;
}

int wlock_durable(struct wlock *l, uint64_t seq, int (*sync)(void *arg), void *arg)
{
	int rc = 0;

	pthread_mutex_lock(&l->smu);
	while (l->durable < seq && rc == 0) {
		uint64_t upto = l->committed;

		if (l->syncing) {
			pthread_cond_wait(&l->synced, &l->smu);
			continue;
		}
		/* Every commit numbered by now has written its log: one sync makes them all durable. */
		l->syncing = 1;
		pthread_mutex_unlock(&l->smu);
		rc = sync(arg);
		pthread_mutex_lock(&l->smu);
		l->syncing = 0;
		l->syncs++;
		if (rc == 0 && upto > l->durable)
			l->durable = upto;
		pthread_cond_broadcast(&l->synced);
	}
	pthread_mutex_unlock(&l->smu);
	return rc;
}

uint64_t wlock_syncs(struct wlock *l)
{
	uint64_t n;

	pthread_mutex_lock(&l->smu);
	n = l->syncs;
	pthread_mutex_unlock(&l->smu);
	return n;
}
