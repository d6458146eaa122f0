/* head.c: refusing request heads that could be read two ways, or that are too large, before any body is read */
#include "http/head.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/xalloc.h"

struct scan {
	int content_length, transfer_encoding, hosts, bad_syntax, bad_framing, too_large;
	unsigned long long length;
	const char *host;
};

/* RFC 9110 token characters: what a header name is made of. */
static int is_token(const char *s, size_t n)
{
	static const char extra[] = "!#$%&'*+-.^_`|~";

	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (!(ch >= '0' && ch <= '9') && !((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z') && !memchr(extra, ch, sizeof(extra) - 1))
			return 0;
	}
	return 1;
}

/* A field value may hold anything but control characters (a tab is fine). */
static int is_clean_value(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
			return 0;
	}
	return 1;
}

static enum MHD_Result scan_field(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size, const char *value,
				  size_t value_size)
{
	struct scan *f = cls;

	(void)kind;
	if (!value)
		value_size = 0;
	if (!is_token(key, key_size) || !is_clean_value(value, value_size))
		f->bad_syntax = 1;
	if (key_size + value_size + 4 > HEAD_FIELD_MAX)
		f->too_large = 1;
	if (!strcasecmp(key, "Host")) {
		f->hosts++;
		f->host = value;
	} else if (!strcasecmp(key, "Content-Length")) {
		f->content_length++;
		if (!value || !*value || strspn(value, "0123456789") != value_size || value_size > 18)
			f->bad_framing = 1;
		else
			f->length = strtoull(value, NULL, 10);
	} else if (!strcasecmp(key, "Transfer-Encoding")) {
		f->transfer_encoding++;
		if (!value || strcasecmp(value, "chunked"))
			f->bad_framing = 1;
	}
	return MHD_YES;
}

/* "name:port" or "[v6]:port", not "name" or "[v6]". */
static int has_port(const char *h)
{
	const char *close = h[0] == '[' ? strchr(h, ']') : NULL;

	return close ? close[1] == ':' : strchr(h, ':') != NULL;
}

static int host_served(const struct head_rules *rules, const char *host)
{
	const char *end;
	size_t n;

	if (!rules->nhosts)
		return 1;
	if (!host)
		return 0;
	/* Without a port in the rule, any port of the name: "[v6]:8080" and "name:8080" end before their last ':'. */
	end = host[0] == '[' ? strchr(host, ']') : strchr(host, ':');
	n = end ? (size_t)(end - host) + (host[0] == '[') : strlen(host);
	for (size_t i = 0; i < rules->nhosts; i++) {
		const char *h = rules->hosts[i];

		if (!strcasecmp(h, host) || (!has_port(h) && strlen(h) == n && !strncasecmp(h, host, n)))
			return 1;
	}
	return 0;
}

void head_check(struct request *r, struct MHD_Connection *c, const struct head_rules *rules, size_t *body_bytes)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
	struct scan f = { 0 };
	int status = 0;
	const char *code = NULL;

	MHD_get_connection_values_n(c, MHD_HEADER_KIND, scan_field, &f);
	if (f.bad_syntax || f.hosts > 1)
		status = 400, code = "bad_request";
	else if (!host_served(rules, f.host) && strcmp(r->path, "/healthz"))
		status = 421, code = "misdirected";
	else if (f.too_large || (ci && ci->header_size > HEAD_MAX))
		status = 431, code = "header_too_large";
	else if (f.bad_framing || f.content_length > 1 || f.transfer_encoding > 1 || (f.content_length && f.transfer_encoding))
		status = 400, code = "bad_request";
	else if (f.content_length && f.length > r->body.max)
		status = 413, code = "too_large";
	r->early_status = status;
	r->early_code = code;
	*body_bytes = f.content_length ? (size_t)f.length : f.transfer_encoding ? r->body.max : 0;
}

int head_check_uri(const char *uri)
{
	size_t params = 1;

	if (strlen(uri) > HEAD_URI_MAX)
		return 414;
	for (const char *p = uri; *p; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch < 0x20 || ch == 0x7f)
			return 400;
		if (ch == '&' && ++params > HEAD_PARAMS_MAX)
			return 414;
	}
	return 0;
}

const char *head_title(int status)
{
	switch (status) {
	case 413: return "请求内容太大";
	case 414: return "请求地址太长或参数太多";
	case 421: return "不接受该主机名的请求";
	case 431: return "请求头太大";
	default: return "请求格式有误";
	}
}

int head_rules_init(struct head_rules *rules, const char *list, char *err, size_t errlen)
{
	char *copy, *save = NULL;

	memset(rules, 0, sizeof(*rules));
	if (!list)
		return 0;
	copy = xstrdup(list);
	for (char *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		p += strspn(p, " \t");
		p[strcspn(p, " \t")] = '\0';
		if (!*p || !is_clean_value(p, strlen(p)) || strpbrk(p, "/@?#")) {
			snprintf(err, errlen, "--public-host: '%s' is not a host name (HOST or HOST:PORT)", p);
			goto fail;
		}
		if (rules->nhosts == HEAD_HOSTS_MAX) {
			snprintf(err, errlen, "--public-host: at most %d names", HEAD_HOSTS_MAX);
			goto fail;
		}
		rules->hosts[rules->nhosts++] = xstrdup(p);
	}
	free(copy);
	if (!rules->nhosts) {
		snprintf(err, errlen, "--public-host: no host name given");
		return -1;
	}
	return 0;
fail:
	free(copy);
	head_rules_release(rules);
	return -1;
}

void head_rules_release(struct head_rules *rules)
{
	for (size_t i = 0; i < rules->nhosts; i++)
		free(rules->hosts[i]);
	rules->nhosts = 0;
}
