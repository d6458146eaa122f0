/* throttle.c: a fixed table of recent failed logins per address (oldest slot reused when full) */
#include "domain/throttle.h"

#include <pthread.h>
#include <string.h>

#include "base/xalloc.h"

#define SLOTS 4096

struct slot {
	char addr[48];
	int64_t start; /* window start */
	int count;
};

static struct slot slots[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static unsigned hash(const char *s)
{
	unsigned h = 5381;

	for (; *s; s++)
		h = h * 33 + (unsigned char)*s;
	return h;
}

/* The slot of addr, or a free/stale one to take over; lock held. */
static struct slot *find(const char *addr, int64_t now)
{
	unsigned h = hash(addr);
	struct slot *take = NULL;

	for (unsigned i = 0; i < 16; i++) {
		struct slot *s = &slots[(h + i) % SLOTS];

		if (!strcmp(s->addr, addr))
			return s;
		if (!take || s->start + THROTTLE_WINDOW <= now || s->start < take->start)
			if (!take || take->start + THROTTLE_WINDOW > now)
				take = s;
	}
	str_copy(take->addr, sizeof(take->addr), addr);
	take->start = now;
	take->count = 0;
	return take;
}

int64_t throttle_wait(const char *addr, int64_t now)
{
	int64_t wait = 0;
	struct slot *s;

	pthread_mutex_lock(&lock);
	s = find(addr, now);
	if (s->start + THROTTLE_WINDOW <= now) {
		s->start = now;
		s->count = 0;
	}
	if (s->count >= THROTTLE_FAILURES)
		wait = s->start + THROTTLE_WINDOW - now;
	pthread_mutex_unlock(&lock);
	return wait;
}

void throttle_fail(const char *addr, int64_t now)
{
	struct slot *s;

	pthread_mutex_lock(&lock);
	s = find(addr, now);
	if (s->start + THROTTLE_WINDOW <= now) {
		s->start = now;
		s->count = 0;
	}
	s->count++;
	pthread_mutex_unlock(&lock);
}
