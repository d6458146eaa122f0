/* server.h: the HTTP server (libmicrohttpd): connections, limits, headers, access log, shutdown */
#ifndef HTTP_SERVER_H
#define HTTP_SERVER_H

#include <stddef.h>

#include "http/request.h"

struct server_config {
	const char *listen; /* "ADDR:PORT"; port 0 picks a free one */
	unsigned threads; /* worker threads; 0 = one per core */
	size_t body_limit; /* bytes; larger bodies get 413 */
	unsigned timeout; /* seconds a connection may stay idle (also while its answer is sent) */
	unsigned request_timeout; /* seconds for a request's head and body to arrive (see http/guard.h) */
	unsigned max_connections; /* open connections in all */
	unsigned per_ip_limit; /* open connections per client address (IPv6: per /64); the trusted proxy has none */
	/* "HOST[:PORT],...": the Host values served (others get 421); NULL serves any. */
	const char *public_hosts;
	int secure; /* behind TLS: add Strict-Transport-Security */
	/* A reverse proxy's address (canonical text): from it, the client is the last X-Forwarded-For entry. */
	const char *trusted_proxy;
	/* The body limit of one route, when it differs from body_limit (may be NULL). */
	size_t (*body_limit_for)(const char *method, const char *path, size_t body_limit);
	/* Answers one request; called once per request with the whole body read. */
	void (*dispatch)(struct request *req, struct response *resp);
};

struct server;

/* Starts listening; returns NULL with err filled on failure. */
struct server *server_start(const struct server_config *cfg, char *err, size_t errlen);
/* The port actually bound. */
unsigned server_port(const struct server *s);
/* Stops accepting, waits up to drain_ms for requests in flight, then closes everything. */
void server_stop(struct server *s, unsigned drain_ms);

#endif
