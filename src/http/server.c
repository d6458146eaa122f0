/* server.c: libmicrohttpd glue: request lifecycle, body limits, smuggling checks, headers, access log */
#include "http/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/log.h"
#include "base/xalloc.h"

struct server {
	struct MHD_Daemon *daemon;
	struct MHD_Response *health; /* the liveness answer, built once and shared by every probe */
	struct server_config cfg;
	atomic_int in_flight;
	atomic_ulong next_id;
	char id_prefix[9];
};

/* Pages of the web folder may use the origin's scripts, styles and images, and nothing else. */
static const char page_csp[] = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
			       "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
			       "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";
/* Any other answer is data: opened as a page, it may load and run nothing. */
static const char data_csp[] = "default-src 'none'; frame-ancestors 'none'";

const char *req_header(const struct request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_query(const struct request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_cookie(const struct request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

struct framing {
	int content_length;
	int transfer_encoding;
	int bad;
	unsigned long long length;
};

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct framing *f = cls;

	(void)kind;
	if (!strcasecmp(key, "Content-Length")) {
		char *end;

		f->content_length++;
		if (!value || !*value || strspn(value, "0123456789") != strlen(value))
			f->bad = 1;
		else
			f->length = strtoull(value, &end, 10);
	} else if (!strcasecmp(key, "Transfer-Encoding")) {
		f->transfer_encoding++;
		if (!value || strcasecmp(value, "chunked"))
			f->bad = 1;
	}
	return MHD_YES;
}

/* The checks that must happen before any body is read. */
static void check_headers(struct request *r)
{
	struct framing f = { 0 };

	MHD_get_connection_values(r->conn, MHD_HEADER_KIND, count_framing, &f);
	if (f.bad || f.content_length > 1 || f.transfer_encoding > 1 ||
	    (f.content_length && f.transfer_encoding)) {
		r->early_status = 400;
		r->early_code = "bad_request";
	} else if (f.content_length && f.length > r->body.max) {
		r->early_status = 413;
		r->early_code = "too_large";
	}
}

static void client_address(struct MHD_Connection *c, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	str_copy(out, n, "-");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)n);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
			  (socklen_t)n);
}

/* "PREFIX-000042": the process's random prefix and a sequence number of at least six digits. */
static void format_id(char out[24], const char prefix[9], unsigned long seq)
{
	char digits[21];
	size_t n = 0;

	do {
		digits[n++] = (char)('0' + seq % 10);
		seq /= 10;
	} while (seq || n < 6);
	memcpy(out, prefix, 8);
	out[8] = '-';
	for (size_t i = 0; i < n && i < 14; i++)
		out[9 + i] = digits[n - 1 - i];
	out[9 + (n < 14 ? n : 14)] = '\0';
}

static enum MHD_Result last_forwarded(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	if (!strcasecmp(key, "X-Forwarded-For") && value)
		*(const char **)cls = value;
	return MHD_YES;
}

/*
 * Behind the trusted proxy the client is the address the proxy appended: the
 * last entry of the last X-Forwarded-For line (entries before it are whatever
 * the client sent). Anything that is not one clean address leaves the proxy's.
 */
static void forwarded_client(struct MHD_Connection *c, char *out, size_t n)
{
	const char *xff = NULL, *last;
	unsigned char addr[sizeof(struct in6_addr)];
	char text[64];
	size_t len;

	MHD_get_connection_values(c, MHD_HEADER_KIND, last_forwarded, &xff);
	if (!xff)
		return;
	last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	last += strspn(last, " \t");
	len = strcspn(last, " \t");
	if (len >= sizeof(text) || last[len + strspn(last + len, " \t")])
		return;
	memcpy(text, last, len);
	text[len] = '\0';
	if (inet_pton(AF_INET, text, addr) == 1)
		inet_ntop(AF_INET, addr, out, (socklen_t)n);
	else if (inet_pton(AF_INET6, text, addr) == 1)
		inet_ntop(AF_INET6, addr, out, (socklen_t)n);
}

static struct request *request_new(struct server *s, struct MHD_Connection *c, const char *method,
				   const char *url)
{
	struct request *r = xcalloc(1, sizeof(*r));

	r->conn = c;
	r->method = method;
	r->path = url;
	r->started_us = clock_mono_us();
	buf_init(&r->body, s->cfg.body_limit_for ? s->cfg.body_limit_for(method, url, s->cfg.body_limit)
						  : s->cfg.body_limit);
	client_address(c, r->client, sizeof(r->client));
	if (s->cfg.trusted_proxy && !strcmp(r->client, s->cfg.trusted_proxy))
		forwarded_client(c, r->client, sizeof(r->client));
	format_id(r->id, s->id_prefix, atomic_fetch_add(&s->next_id, 1) + 1);
	atomic_fetch_add(&s->in_flight, 1);
	return r;
}

static void request_free(struct request *r)
{
	for (size_t i = 0; i < r->nparams; i++)
		free(r->params[i]);
	buf_release(&r->body);
	free(r);
}

static void add_security_headers(struct server *s, struct MHD_Response *m, int document)
{
	MHD_add_response_header(m, "Content-Security-Policy", document ? page_csp : data_csp);
	MHD_add_response_header(m, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(m, "Referrer-Policy", "same-origin");
	if (document) {
		MHD_add_response_header(m, "X-Frame-Options", "DENY");
		MHD_add_response_header(m, "Cross-Origin-Opener-Policy", "same-origin");
	}
	if (s->cfg.secure)
		MHD_add_response_header(m, "Strict-Transport-Security", "max-age=31536000");
}

static enum MHD_Result send_response(struct server *s, struct request *r, struct response *resp, int close)
{
	struct MHD_Response *m;
	enum MHD_Result ret;

	if (resp->fd >= 0) {
		m = MHD_create_response_from_fd((uint64_t)resp->fd_size, resp->fd);
	} else {
		size_t len;
		char *body = buf_detach(&resp->body, &len);

		m = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	}
	if (!m)
		return MHD_NO;
	add_security_headers(s, m, resp->document);
	if (resp->content_type)
		MHD_add_response_header(m, "Content-Type", resp->content_type);
	for (size_t i = 0; i < resp->nheaders; i++)
		MHD_add_response_header(m, resp->headers[i].name, resp->headers[i].value);
	if (close)
		MHD_add_response_header(m, "Connection", "close");
	r->status = resp->status;
	ret = MHD_queue_response(r->conn, (unsigned)resp->status, m);
	MHD_destroy_response(m);
	return ret;
}

/* The liveness probe: the same bytes every time, so one response serves every probe. */
static struct MHD_Response *health_response(struct server *s)
{
	static const char ok[] = "{\"status\":\"ok\"}";
	struct MHD_Response *m = MHD_create_response_from_buffer(sizeof(ok) - 1, (void *)ok, MHD_RESPMEM_PERSISTENT);

	if (m) {
		add_security_headers(s, m, 0);
		MHD_add_response_header(m, "Content-Type", "application/json");
		MHD_add_response_header(m, "Cache-Control", "no-store");
	}
	return m;
}

static enum MHD_Result answer_health(struct server *s, struct request *r)
{
	struct response resp;
	enum MHD_Result ret;

	if (!strcmp(r->method, "GET") || !strcmp(r->method, "HEAD")) {
		r->status = 200;
		return MHD_queue_response(r->conn, 200, s->health);
	}
	resp_init(&resp);
	resp_header(&resp, "Allow", "GET, HEAD");
	resp_problem(&resp, 405, "method_not_allowed", "不支持该请求方法", NULL);
	ret = send_response(s, r, &resp, 0);
	resp_release(&resp);
	return ret;
}

static enum MHD_Result answer_early(struct server *s, struct request *r)
{
	struct response resp;
	enum MHD_Result ret;

	resp_init(&resp);
	resp_problem(&resp, r->early_status, r->early_code,
		     r->early_status == 413 ? "请求内容太大" : "请求格式有误", NULL);
	ret = send_response(s, r, &resp, 1);
	resp_release(&resp);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct server *s = cls;
	struct request *r = *con_cls;
	struct response resp;
	enum MHD_Result ret;

	(void)version;
	if (!r) {
		/* First call: headers only. Answer later so keep-alive survives. */
		r = request_new(s, c, method, url);
		*con_cls = r;
		check_headers(r);
		/* A bad frame or an announced oversize body is answered now, and the connection closed. */
		return r->early_status ? answer_early(s, r) : MHD_YES;
	}
	if (*upload_size) {
		if (!r->early_status && buf_add(&r->body, upload, *upload_size) < 0) {
			r->early_status = 413;
			r->early_code = "too_large";
			buf_release(&r->body);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->early_status)
		return answer_early(s, r);
	if (!strcmp(r->path, "/healthz"))
		return answer_health(s, r);
	resp_init(&resp);
	s->cfg.dispatch(r, &resp);
	ret = send_response(s, r, &resp, 0);
	resp_release(&resp);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct server *s = cls;
	struct request *r = *con_cls;

	(void)c;
	(void)toe;
	if (!r)
		return;
	if (log_access_enabled())
		log_info("%s %s %d %lldus %s", r->method, r->path, r->status,
			 (long long)(clock_mono_us() - r->started_us), r->id);
	request_free(r);
	*con_cls = NULL;
	atomic_fetch_sub(&s->in_flight, 1);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decoding that keeps %00 as it is, so a NUL can never cut a path short. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
	char *w = s;

	(void)cls;
	(void)c;
	for (char *p = s; *p; p++) {
		int hi, lo;

		if (*p == '%' && (hi = hexval(p[1])) >= 0 && (lo = hexval(p[2])) >= 0 && (hi || lo)) {
			*w++ = (char)(hi * 16 + lo);
			p += 2;
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss, int *v6)
{
	const char *colon = strrchr(listen, ':');
	char host[64];
	long long port;
	size_t hl;

	if (!colon || str_to_ll(colon + 1, 0, 65535, &port) < 0)
		return -1;
	hl = (size_t)(colon - listen);
	if (hl >= sizeof(host))
		return -1;
	memcpy(host, listen, hl);
	host[hl] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (hl > 2 && host[0] == '[' && host[hl - 1] == ']') {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		host[hl - 1] = '\0';
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		*v6 = 1;
		return inet_pton(AF_INET6, host + 1, &a->sin6_addr) == 1 ? 0 : -1;
	}
	struct sockaddr_in *a = (struct sockaddr_in *)ss;

	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	*v6 = 0;
	return inet_pton(AF_INET, hl ? host : "0.0.0.0", &a->sin_addr) == 1 ? 0 : -1;
}

struct server *server_start(const struct server_config *cfg, char *err, size_t errlen)
{
	struct server *s = xcalloc(1, sizeof(*s));
	struct sockaddr_storage ss;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_USE_TURBO;
	unsigned threads = cfg->threads;
	char token[CRYPTO_TOKEN_HEX];
	int v6;

	s->cfg = *cfg;
	if (parse_listen(cfg->listen, &ss, &v6) < 0) {
		snprintf(err, errlen, "--listen: expected ADDR:PORT such as 127.0.0.1:8080, got '%s'", cfg->listen);
		free(s);
		return NULL;
	}
	if (v6)
		flags |= MHD_USE_IPv6;
	if (!threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 ? (unsigned)n : 1;
	}
	crypto_token(token);
	memcpy(s->id_prefix, token, 8);
	s->id_prefix[8] = '\0';
	s->health = health_response(s);
	if (!s->health) {
		snprintf(err, errlen, "out of memory");
		free(s);
		return NULL;
	}
	s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
				     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
				     MHD_OPTION_THREAD_POOL_SIZE, threads,
				     MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout,
				     MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_limit,
				     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)16 * 1024,
				     MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
				     MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
				     MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
				     MHD_OPTION_STRICT_FOR_CLIENT, 1,
				     MHD_OPTION_END);
	if (!s->daemon) {
		snprintf(err, errlen, "cannot listen on %s (address in use or not allowed?)", cfg->listen);
		MHD_destroy_response(s->health);
		free(s);
		return NULL;
	}
	return s;
}

unsigned server_port(const struct server *s)
{
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);

	return di ? di->port : 0;
}

void server_stop(struct server *s, unsigned drain_ms)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };

	MHD_quiesce_daemon(s->daemon);
	for (unsigned waited = 0; atomic_load(&s->in_flight) > 0 && waited < drain_ms; waited += 10)
		nanosleep(&tick, NULL);
	MHD_stop_daemon(s->daemon);
	MHD_destroy_response(s->health);
	free(s);
}
