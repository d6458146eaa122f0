/* server.c: libmicrohttpd glue: request lifecycle, body limits, connection limits, headers, access log */
#include "http/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "http/guard.h"
#include "http/head.h"

/*
 * Room for a head of HEAD_MAX in a few lines, a target of HEAD_URI_MAX with its parameters, and the
 * answer's headers. libmicrohttpd clears the whole pool for every request on a connection, so its
 * size is paid on every request (64 KiB cost /healthz a fifth of its rate): a head of many small
 * lines runs the pool out first and gets libmicrohttpd's own 431.
 */
#define CONNECTION_MEMORY ((size_t)24 * 1024)

struct server {
	struct MHD_Daemon *daemon;
	struct MHD_Response *health; /* the liveness answer, built once and shared by every probe */
	struct server_config cfg;
	struct guard *guard;
	struct head_rules rules;
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

struct cookie_find {
	const char *name, *value;
	int count;
};

static enum MHD_Result find_cookie(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct cookie_find *f = cls;

	(void)kind;
	if (!strcmp(key, f->name)) {
		f->value = value;
		f->count++;
	}
	return MHD_YES;
}

/*
 * The cookie named exactly name (libmicrohttpd's own look-up ignores case, so
 * "SID" would do for "sid"). Sent twice, it is nobody's: a second one can only
 * have been planted (by a sibling host, say), and neither is to be trusted.
 */
const char *req_cookie(const struct request *r, const char *name)
{
	struct cookie_find f = { name, NULL, 0 };

	MHD_get_connection_values(r->conn, MHD_COOKIE_KIND, find_cookie, &f);
	return f.count == 1 ? f.value : NULL;
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
	resp_problem(&resp, r->early_status, r->early_code, head_title(r->early_status), NULL);
	ret = send_response(s, r, &resp, 1);
	resp_release(&resp);
	return ret;
}

/*
 * What on_target hands on_request through the request's pointer: a target
 * to refuse (400), or one answered already. libmicrohttpd does not always
 * report the end of a request whose target it saw (one it then cannot parse
 * is dropped silently), so nothing is allocated this early.
 */
static char target_refused, target_answered;

/*
 * Answers before libmicrohttpd has parsed the target, by writing to the
 * socket and shutting it down. libmicrohttpd 0.9.75 gives no other way: a
 * target with too many parameters exhausts the connection's memory while it
 * parses them, and then it neither answers nor closes. Nothing was sent on
 * the connection for this request yet, and what earlier requests were
 * answered has been written out, so these are the next bytes the client
 * reads; the socket is non-blocking and empty enough for a short answer.
 */
static void answer_raw(struct server *s, struct MHD_Connection *c, int status, const char *code)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	struct response resp;
	struct buf out = BUF_INIT;
	char id[24];

	format_id(id, s->id_prefix, atomic_fetch_add(&s->next_id, 1) + 1);
	resp_init(&resp);
	resp_problem(&resp, status, code, head_title(status), NULL);
	buf_addf(&out, "HTTP/1.1 %d URI Too Long\r\nConnection: close\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
		       "Content-Security-Policy: %s\r\nX-Content-Type-Options: nosniff\r\n"
		       "Referrer-Policy: same-origin\r\nCache-Control: no-store\r\n%s\r\n",
		 status, resp.content_type, resp.body.len, data_csp,
		 s->cfg.secure ? "Strict-Transport-Security: max-age=31536000\r\n" : "");
	buf_add(&out, resp.body.data, resp.body.len);
	if (!ci || send(ci->connect_fd, out.data, out.len, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		log_info("request %s: the early %d answer could not be written", id, status);
	buf_release(&out);
	resp_release(&resp);
	guard_cut(c);
	if (log_access_enabled())
		log_info("- - %d 0us %s", status, id);
}

/* libmicrohttpd's own messages go through the log too (escaped like every line), one line each. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char text[512];
	size_t n;

	(void)cls;
	vsnprintf(text, sizeof(text), fmt, ap);
	n = strlen(text);
	while (n && text[n - 1] == '\n')
		text[--n] = '\0';
	log_error("libmicrohttpd: %s", text);
}

/* Called with the raw request target, before libmicrohttpd parses it. */
static void *on_target(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct server *s = cls;

	switch (head_check_uri(uri)) {
	case 0:
		return NULL;
	case 414:
		answer_raw(s, c, 414, "uri_too_long");
		return &target_answered;
	default:
		return &target_refused;
	}
}

/* First call: the head is in. A bad frame, a bad head or an announced oversize body is answered now. */
static enum MHD_Result on_head(struct server *s, struct request *r)
{
	size_t body_bytes = 0;

	if (!r->early_status)
		head_check(r, r->conn, &s->rules, &body_bytes);
	if (r->early_status) {
		guard_answered(s->guard, r->conn);
		return answer_early(s, r);
	}
	guard_head_done(s->guard, r->conn, body_bytes);
	/* Answer later so keep-alive survives. */
	return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct server *s = cls;
	struct request *r = *con_cls;
	struct response resp;
	enum MHD_Result ret;

	(void)version;
	if (r == (void *)&target_answered)
		return MHD_NO;
	if (!r || r == (void *)&target_refused) {
		int refused = r != NULL;

		*con_cls = r = request_new(s, c, method, url);
		if (refused) {
			r->early_status = 400;
			r->early_code = "bad_request";
		}
		return on_head(s, r);
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
	/* The whole request is in: from here on the idle timeout watches the answer, not the deadline. */
	guard_answered(s->guard, c);
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

	(void)toe;
	if (!r || r == (void *)&target_answered || r == (void *)&target_refused)
		return;
	if (!r->status) {
		/* Answered by libmicrohttpd itself (a head it could not parse), or not at all. */
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_HTTP_STATUS);

		r->status = ci ? (int)ci->http_status : 0;
	}
	if (log_access_enabled())
		log_info("%s %s %d %lldus %s", r->method ? r->method : "-", r->path ? r->path : "-", r->status,
			 (long long)(clock_mono_us() - r->started_us), r->id);
	request_free(r);
	*con_cls = NULL;
	guard_next(s->guard, c);
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

/*
 * Open files for max connections: a socket each, a static file each at most,
 * and a reserve for the database, logs and libmicrohttpd's own. The soft limit
 * is raised as far as the hard one allows; past that the connection limit
 * comes down, so that the server never runs out of descriptors and refuses
 * everybody.
 */
static unsigned fit_open_files(unsigned max)
{
	struct rlimit rl;
	rlim_t need = (rlim_t)max * 2 + 256;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return max;
	if (rl.rlim_cur < need) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need ? need : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
		unsigned fit = rl.rlim_cur > 512 ? (unsigned)((rl.rlim_cur - 256) / 2) : 128;

		log_error("only %llu open files allowed (ulimit -n): at most %u connections instead of %u",
			  (unsigned long long)rl.rlim_cur, fit, max);
		return fit;
	}
	return max;
}

static void server_free(struct server *s)
{
	if (s->health)
		MHD_destroy_response(s->health);
	if (s->guard)
		guard_free(s->guard);
	head_rules_release(&s->rules);
	free(s);
}

struct server *server_start(const struct server_config *cfg, char *err, size_t errlen)
{
	struct server *s = xcalloc(1, sizeof(*s));
	struct sockaddr_storage ss;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_USE_TURBO;
	unsigned threads = cfg->threads;
	struct guard_config gc;
	char token[CRYPTO_TOKEN_HEX];
	int v6;

	s->cfg = *cfg;
	if (parse_listen(cfg->listen, &ss, &v6) < 0) {
		snprintf(err, errlen, "--listen: expected ADDR:PORT such as 127.0.0.1:8080, got '%s'", cfg->listen);
		server_free(s);
		return NULL;
	}
	if (head_rules_init(&s->rules, cfg->public_hosts, err, errlen) < 0) {
		server_free(s);
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
		server_free(s);
		return NULL;
	}
	gc = (struct guard_config){ fit_open_files(cfg->max_connections), cfg->per_ip_limit, cfg->request_timeout,
				    cfg->trusted_proxy };
	s->guard = guard_new(&gc);
	s->daemon = MHD_start_daemon(flags, 0, guard_accept, s->guard, on_request, s,
				     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
				     MHD_OPTION_THREAD_POOL_SIZE, threads,
				     MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout,
				     MHD_OPTION_CONNECTION_LIMIT, gc.max_connections,
				     MHD_OPTION_CONNECTION_MEMORY_LIMIT, CONNECTION_MEMORY,
				     MHD_OPTION_NOTIFY_CONNECTION, guard_notify, s->guard,
				     MHD_OPTION_URI_LOG_CALLBACK, on_target, s,
				     MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
				     MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
				     MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
				     MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
				     MHD_OPTION_STRICT_FOR_CLIENT, 1,
				     MHD_OPTION_END);
	if (!s->daemon) {
		snprintf(err, errlen, "cannot listen on %s (address in use or not allowed?)", cfg->listen);
		server_free(s);
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
	server_free(s);
}
