/* guard.h: connection guard: open connections per client address, and a deadline for every request */
#ifndef HTTP_GUARD_H
#define HTTP_GUARD_H

#include <stdint.h>
#include <sys/socket.h>

#include <microhttpd.h>

/* The slowest body rate a deadline allows for: 16 KiB/s. */
#define GUARD_BODY_RATE (16 * 1024)

struct guard_config {
	unsigned max_connections; /* slots kept: the server's global connection limit */
	unsigned per_address; /* open connections per client address (IPv6: per /64) */
	unsigned request_timeout; /* seconds for a request's head and body to arrive */
	const char *exempt; /* an address with no per-address limit (the trusted proxy), or NULL */
};

struct guard;

/* Starts the guard and its watchdog thread. Caller frees with guard_free. */
struct guard *guard_new(const struct guard_config *cfg);
/* Stops the watchdog and frees; call after the server has stopped. */
void guard_free(struct guard *g);

/*
 * libmicrohttpd's hooks. guard_accept refuses a connection from an address
 * that already holds per_address of them; guard_notify keeps one slot per
 * open connection, with the connection's socket and its deadline, which
 * starts at request_timeout from the connection's start.
 */
enum MHD_Result guard_accept(void *cls, const struct sockaddr *addr, socklen_t len);
void guard_notify(void *cls, struct MHD_Connection *c, void **socket_context, enum MHD_ConnectionNotificationCode toe);

/*
 * The request on c has its head: its body (body_bytes at most) must arrive
 * by request_timeout from now plus body_bytes at GUARD_BODY_RATE.
 */
void guard_head_done(struct guard *g, struct MHD_Connection *c, uint64_t body_bytes);
/* The request is answered: no deadline while the answer is being sent. */
void guard_answered(struct guard *g, struct MHD_Connection *c);
/* The request is over: the next one on the connection has request_timeout from now. */
void guard_next(struct guard *g, struct MHD_Connection *c);
/*
 * Ends the connection now (its socket is shut down; libmicrohttpd then
 * closes it): for an answer written past libmicrohttpd, or a deadline missed.
 */
void guard_cut(struct MHD_Connection *c);

#endif
