/* guard.c: one slot per open connection (address, socket, deadline) and a watchdog that ends late requests */
#include "http/guard.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/xalloc.h"

#define TICK_MS 200
#define KEY_BYTES 8

struct slot {
	struct MHD_Connection *conn; /* NULL: free */
	int fd;
	unsigned char key[KEY_BYTES]; /* the address as it counts: IPv4, or an IPv6 /64 */
	int exempt;
	int64_t deadline_us; /* 0: none */
};

struct guard {
	struct guard_config cfg;
	unsigned char exempt_key[KEY_BYTES];
	int has_exempt;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	int stop;
	size_t nslots;
	struct slot *slots;
};

/* The per-address key: an IPv4 address (also when mapped into IPv6), or the first 64 bits of an IPv6 one. */
static int address_key(const struct sockaddr *sa, unsigned char key[KEY_BYTES])
{
	memset(key, 0, KEY_BYTES);
	if (sa && sa->sa_family == AF_INET) {
		memcpy(key, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
		return 0;
	}
	if (sa && sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;

		if (IN6_IS_ADDR_V4MAPPED(a))
			memcpy(key, a->s6_addr + 12, 4);
		else
			memcpy(key, a->s6_addr, KEY_BYTES);
		return 0;
	}
	return -1;
}

static int text_key(const char *text, unsigned char key[KEY_BYTES])
{
	struct sockaddr_in in4 = { .sin_family = AF_INET };
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6 };

	if (inet_pton(AF_INET, text, &in4.sin_addr) == 1)
		return address_key((const struct sockaddr *)&in4, key);
	if (inet_pton(AF_INET6, text, &in6.sin6_addr) == 1)
		return address_key((const struct sockaddr *)&in6, key);
	return -1;
}

static int64_t after(unsigned seconds)
{
	return clock_mono_us() + (int64_t)seconds * 1000000;
}

static void *watchdog(void *arg)
{
	struct guard *g = arg;

	pthread_mutex_lock(&g->lock);
	while (!g->stop) {
		struct timespec ts;
		int64_t now;
		unsigned cut = 0;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += TICK_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&g->wake, &g->lock, &ts);
		now = clock_mono_us();
		for (size_t i = 0; i < g->nslots; i++) {
			struct slot *s = &g->slots[i];

			/* Shutting the socket down (not closing it) makes libmicrohttpd see the end and close it itself. */
			if (s->conn && s->deadline_us && s->deadline_us <= now) {
				shutdown(s->fd, SHUT_RDWR);
				s->deadline_us = 0;
				cut++;
			}
		}
		if (cut)
			log_info("cut %u connection(s) whose request did not arrive within %u s", cut,
				 g->cfg.request_timeout);
	}
	pthread_mutex_unlock(&g->lock);
	return NULL;
}

struct guard *guard_new(const struct guard_config *cfg)
{
	struct guard *g = xcalloc(1, sizeof(*g));
	pthread_condattr_t attr;

	g->cfg = *cfg;
	g->has_exempt = cfg->exempt && text_key(cfg->exempt, g->exempt_key) == 0;
	/* A little more than the server's limit: its worker threads each count their own share. */
	g->nslots = cfg->max_connections + 64;
	g->slots = xcalloc(g->nslots, sizeof(*g->slots));
	pthread_mutex_init(&g->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&g->wake, &attr);
	pthread_condattr_destroy(&attr);
	if (pthread_create(&g->thread, NULL, watchdog, g) != 0) {
		log_error("cannot start the connection watchdog");
		abort();
	}
	return g;
}

void guard_free(struct guard *g)
{
	pthread_mutex_lock(&g->lock);
	g->stop = 1;
	pthread_cond_signal(&g->wake);
	pthread_mutex_unlock(&g->lock);
	pthread_join(g->thread, NULL);
	pthread_cond_destroy(&g->wake);
	pthread_mutex_destroy(&g->lock);
	free(g->slots);
	free(g);
}

enum MHD_Result guard_accept(void *cls, const struct sockaddr *addr, socklen_t len)
{
	struct guard *g = cls;
	unsigned char key[KEY_BYTES];
	unsigned n = 0;

	(void)len;
	if (address_key(addr, key) < 0)
		return MHD_YES;
	if (g->has_exempt && !memcmp(key, g->exempt_key, KEY_BYTES))
		return MHD_YES;
	pthread_mutex_lock(&g->lock);
	for (size_t i = 0; i < g->nslots; i++)
		if (g->slots[i].conn && !memcmp(g->slots[i].key, key, KEY_BYTES))
			n++;
	pthread_mutex_unlock(&g->lock);
	return n < g->cfg.per_address ? MHD_YES : MHD_NO;
}

static struct slot *slot_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

static int socket_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);

	return ci ? ci->connect_fd : -1;
}

static void started(struct guard *g, struct MHD_Connection *c, void **socket_context)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	int fd = socket_of(c);
	struct slot *free_slot = NULL;

	pthread_mutex_lock(&g->lock);
	for (size_t i = 0; i < g->nslots && !free_slot; i++)
		if (!g->slots[i].conn)
			free_slot = &g->slots[i];
	if (free_slot) {
		free_slot->conn = c;
		free_slot->fd = fd;
		address_key(ci ? ci->client_addr : NULL, free_slot->key);
		free_slot->deadline_us = after(g->cfg.request_timeout);
	}
	pthread_mutex_unlock(&g->lock);
	*socket_context = free_slot;
	/* No slot (cannot happen while the server's own limit holds): nothing would watch it, so it ends. */
	if (!free_slot && fd >= 0)
		shutdown(fd, SHUT_RDWR);
}

void guard_notify(void *cls, struct MHD_Connection *c, void **socket_context, enum MHD_ConnectionNotificationCode toe)
{
	struct guard *g = cls;
	struct slot *s = *socket_context;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		started(g, c, socket_context);
		return;
	}
	/* Closed: libmicrohttpd closes the socket only after this, so the watchdog never sees a reused one. */
	if (s) {
		pthread_mutex_lock(&g->lock);
		s->conn = NULL;
		s->deadline_us = 0;
		pthread_mutex_unlock(&g->lock);
		*socket_context = NULL;
	}
}

static void set_deadline(struct guard *g, struct MHD_Connection *c, int64_t deadline_us)
{
	struct slot *s = slot_of(c);

	if (!s)
		return;
	pthread_mutex_lock(&g->lock);
	if (s->conn == c)
		s->deadline_us = deadline_us;
	pthread_mutex_unlock(&g->lock);
}

void guard_head_done(struct guard *g, struct MHD_Connection *c, uint64_t body_bytes)
{
	set_deadline(g, c, after(g->cfg.request_timeout) + (int64_t)(body_bytes * 1000000 / GUARD_BODY_RATE));
}

void guard_answered(struct guard *g, struct MHD_Connection *c)
{
	set_deadline(g, c, 0);
}

void guard_next(struct guard *g, struct MHD_Connection *c)
{
	set_deadline(g, c, after(g->cfg.request_timeout));
}

void guard_cut(struct MHD_Connection *c)
{
	int fd = socket_of(c);

	if (fd >= 0)
		shutdown(fd, SHUT_RDWR);
}
