/* open311.c: the Open311 GeoReport v2 interface (/open311/v2/): services, requests, tokens; admin's client keys */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/handlers.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/valid.h"
#include "domain/case.h"
#include "domain/open311.h"

/* China time, as every datetime of this interface is written (W3C, +08:00). */
enum { CHINA_OFFSET = 8 * 3600, DEFAULT_WINDOW = 90 * 86400, FORM_FIELDS_MAX = 64, IDS_MAX = 100,
       EMAIL_MAX = 100, MEDIA_URL_MAX = 2000, PHONE_MAX = 20 };

/* --- answers: errors are arrays of {code, description} ------------------------------------------------- */

static void xml_text(struct buf *b, const char *s);

/* In the format asked for: JSON, or XML when the path ends in .xml. */
static void o311_error(struct call *c, int status, const char *description)
{
	const char *path = c->req->path;
	size_t n = strlen(path);
	struct buf *b;

	if (n < 4 || strcmp(path + n - 4, ".xml")) {
		reply_json(c, status, json_pack("[{s:i, s:s}]", "code", status, "description", description));
		return;
	}
	b = resp_json_body(c->resp, status);
	c->resp->content_type = "text/xml; charset=utf-8";
	buf_addf(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<errors><error><code>%d</code><description>", status);
	xml_text(b, description);
	buf_addstr(b, "</description></error></errors>\n");
}

/* --- W3C datetimes --------------------------------------------------------------------------------------- */

static int64_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const int64_t yoe = y - era * 400;
	const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

/*
 * YYYY-MM-DD, or YYYY-MM-DDThh:mm[:ss[.s…]]TZD with TZD Z or ±hh:mm (a date alone: 00:00 China time).
 * -1 when s is not one.
 */
static int64_t w3c_parse(const char *s)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, off = CHINA_OFFSET;
	const char *p = s + 10;

	if (strlen(s) < 10 || s[4] != '-' || s[7] != '-' || (y = digits_value(s, 4)) < 0 ||
	    (mo = digits_value(s + 5, 2)) < 0 || (d = digits_value(s + 8, 2)) < 0 || !valid_ymd(y, mo, d))
		return -1;
	if (*p) {
		if (*p++ != 'T' || strlen(p) < 5 || p[2] != ':' || (h = digits_value(p, 2)) < 0 ||
		    (mi = digits_value(p + 3, 2)) < 0 || h > 23 || mi > 59)
			return -1;
		p += 5;
		if (*p == ':') {
			if ((sec = digits_value(p + 1, 2)) < 0 || sec > 59)
				return -1;
			p += 3;
			if (*p == '.') {
				if (!isdigit((unsigned char)p[1]))
					return -1;
				for (p++; isdigit((unsigned char)*p); p++)
					;
			}
		}
		if (*p == 'Z' && !p[1])
			off = 0;
		else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
			int oh = digits_value(p + 1, 2), om = digits_value(p + 4, 2);

			if (oh < 0 || om < 0 || oh > 14 || om > 59)
				return -1;
			off = (*p == '+' ? 1 : -1) * (oh * 3600 + om * 60);
		} else
			return -1;
	}
	return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
}

static json_t *w3c_json(int64_t t)
{
	char out[112];
	int64_t z = t + CHINA_OFFSET, days = z >= 0 ? z / 86400 : (z - 86399) / 86400, rem = z - days * 86400;
	/* civil_from_days */
	int64_t zz = days + 719468, era = (zz >= 0 ? zz : zz - 146096) / 146097, doe = zz - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365, y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;

	if (!t)
		return json_null();
	y += m <= 2;
	snprintf(out, sizeof(out), "%04" PRId64 "-%02" PRId64 "-%02" PRId64 "T%02" PRId64 ":%02" PRId64 ":%02" PRId64
		 "+08:00", y, m, d, rem / 3600, rem / 60 % 60, rem % 60);
	return json_string(out);
}

/* --- the form of POST requests.json ---------------------------------------------------------------------- */

struct form {
	char *name[FORM_FIELDS_MAX], *value[FORM_FIELDS_MAX];
	size_t n;
};

static int hexval(char ch)
{
	return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

/* Percent-decodes s[0..n) ('+' a space); NULL when an escape is broken or makes a NUL. */
static char *form_decode(const char *s, size_t n)
{
	char *out = xmalloc(n + 1);
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+')
			out[k++] = ' ';
		else if (s[i] == '%') {
			int a, b;

			if (i + 2 >= n) {
				free(out);
				return NULL;
			}
			a = hexval(s[i + 1]);
			b = hexval(s[i + 2]);
			if (a < 0 || b < 0 || (a == 0 && b == 0)) {
				free(out);
				return NULL;
			}
			out[k++] = (char)(a * 16 + b);
			i += 2;
		} else
			out[k++] = s[i];
	}
	out[k] = '\0';
	return out;
}

static void form_release(struct form *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->name[i]);
		free(f->value[i]);
	}
	f->n = 0;
}

/* Reads an application/x-www-form-urlencoded body; -1 when it is not one (or has too many fields). */
static int form_read(const char *body, size_t len, struct form *f)
{
	const char *p = body, *end = body + len;

	f->n = 0;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p)), *e = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(e - p));

		if (e > p) {
			if (f->n == FORM_FIELDS_MAX)
				goto fail;
			f->name[f->n] = form_decode(p, (size_t)((eq ? eq : e) - p));
			f->value[f->n] = eq ? form_decode(eq + 1, (size_t)(e - eq - 1)) : xstrdup("");
			f->n++;
			if (!f->name[f->n - 1] || !f->value[f->n - 1])
				goto fail;
		}
		p = e + 1;
	}
	return 0;
fail:
	form_release(f);
	return -1;
}

/* The first value of name, or NULL. */
static const char *form_get(const struct form *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->name[i] && !strcmp(f->name[i], name))
			return f->value[i];
	return NULL;
}

/* A decimal degree ([-+]d+[.d+]) in [-limit, limit] as millionths (digits past the sixth dropped); -1 otherwise. */
static int degrees(const char *s, int64_t limit, int64_t *out)
{
	int64_t whole = 0, frac = 0;
	int sign = 1, nfrac = 0;
	bool beyond = false; /* a digit past the sixth that is not 0 */

	if (*s == '-' || *s == '+')
		sign = *s++ == '-' ? -1 : 1;
	if (!isdigit((unsigned char)*s))
		return -1;
	for (; isdigit((unsigned char)*s); s++)
		if ((whole = whole * 10 + (*s - '0')) > limit)
			return -1;
	if (*s == '.') {
		if (!isdigit((unsigned char)*++s))
			return -1;
		for (; isdigit((unsigned char)*s); s++, nfrac++)
			if (nfrac < 6)
				frac = frac * 10 + (*s - '0');
			else if (nfrac > 30)
				return -1;
			else
				beyond |= *s != '0';
	}
	if (*s)
		return -1;
	for (int i = nfrac; i < 6; i++)
		frac *= 10;
	*out = sign * (whole * 1000000 + frac);
	return *out < -limit * 1000000 || *out > limit * 1000000 || ((*out == limit * 1000000 || *out == -limit * 1000000) && beyond)
		       ? -1
		       : 0;
}

/* Millionths of a degree to about 100 m (three decimals), as a number. */
static json_t *coarse(int64_t e6)
{
	int64_t k = (e6 >= 0 ? e6 + 500 : e6 - 500) / 1000;

	return json_real((double)k / 1000.0);
}

/* --- services -------------------------------------------------------------------------------------------- */

static void service_text(const struct case_category *g, char *out, size_t n)
{
	snprintf(out, n, "%s（受理后 %d 个工作日内解决）", g->name, g->sla_days);
}

static json_t *service_json(const struct case_category *g)
{
	char desc[TEXT_BYTES(CASE_CATEGORY_NAME_MAX) + 64];

	service_text(g, desc, sizeof(desc));
	return json_pack("{s:s, s:s, s:s, s:b, s:s, s:s, s:s}", "service_code", g->code, "service_name", g->name,
			 "description", desc, "metadata", 0, "type", "realtime", "keywords", "", "group", "问题/诉求");
}

void open311_services(struct call *c)
{
	struct case_category *g;
	size_t n;
	json_t *arr;

	if (case_categories(c->db, &g, &n) != CASE_OK)
		return reply_internal(c, "reading the services");
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, service_json(&g[i]));
	free(g);
	reply_json(c, 200, arr);
}

static void xml_text(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			buf_addstr(b, "&lt;");
		else if (*s == '>')
			buf_addstr(b, "&gt;");
		else if (*s == '&')
			buf_addstr(b, "&amp;");
		else if (*s == '"')
			buf_addstr(b, "&quot;");
		else
			buf_addch(b, *s);
	}
}

static void xml_elem(struct buf *b, const char *name, const char *text)
{
	buf_addf(b, "<%s>", name);
	xml_text(b, text);
	buf_addf(b, "</%s>", name);
}

void open311_services_xml(struct call *c)
{
	struct case_category *g;
	struct buf *b;
	size_t n;

	if (case_categories(c->db, &g, &n) != CASE_OK)
		return reply_internal(c, "reading the services");
	b = resp_json_body(c->resp, 200);
	c->resp->content_type = "text/xml; charset=utf-8";
	buf_addstr(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<services>");
	for (size_t i = 0; i < n; i++) {
		char desc[TEXT_BYTES(CASE_CATEGORY_NAME_MAX) + 64];

		service_text(&g[i], desc, sizeof(desc));
		buf_addstr(b, "<service>");
		xml_elem(b, "service_code", g[i].code);
		xml_elem(b, "service_name", g[i].name);
		xml_elem(b, "description", desc);
		xml_elem(b, "metadata", "false");
		xml_elem(b, "type", "realtime");
		xml_elem(b, "keywords", "");
		xml_elem(b, "group", "问题/诉求");
		buf_addstr(b, "</service>");
	}
	buf_addstr(b, "</services>\n");
	free(g);
}

/*
 * Path parameter 0 without its ".json" (or ".xml" when xml is given: *xml says which); NULL (404 answered)
 * when it has neither or is not clean.
 */
static const char *format_param(struct call *c, size_t max, bool *xml)
{
	char *p = c->req->nparams ? c->req->params[0] : NULL;
	size_t n = p ? strlen(p) : 0, ext = 0;

	if (n > 5 && !strcmp(p + n - 5, ".json"))
		ext = 5;
	else if (xml && n > 4 && !strcmp(p + n - 4, ".xml"))
		ext = 4;
	if (xml)
		*xml = ext == 4;
	if (!ext || n - ext > max) {
		o311_error(c, 404, "not found");
		return NULL;
	}
	p[n - ext] = '\0';
	for (size_t i = 0; i < n - ext; i++)
		if (!isalnum((unsigned char)p[i]) && p[i] != '_' && p[i] != '-') {
			o311_error(c, 404, "not found");
			return NULL;
		}
	return p;
}

static const char *json_param(struct call *c, size_t max)
{
	return format_param(c, max, NULL);
}

void open311_service(struct call *c)
{
	const char *code = json_param(c, 15);
	struct case_category *g;
	size_t n;

	if (!code)
		return;
	if (case_categories(c->db, &g, &n) != CASE_OK)
		return reply_internal(c, "reading the services");
	for (size_t i = 0; i < n; i++)
		if (!strcmp(g[i].code, code)) {
			reply_json(c, 200, json_pack("{s:s, s:[]}", "service_code", g[i].code, "attributes"));
			free(g);
			return;
		}
	free(g);
	o311_error(c, 404, "service_code not found");
}

/* --- requests -------------------------------------------------------------------------------------------- */

/* A text field: NULL when absent; 400 answered (-1) when not clean UTF-8 or longer than max characters. */
static int text_field(struct call *c, const struct form *f, const char *name, size_t max, const char **out)
{
	const char *v = form_get(f, name);
	char msg[96];

	*out = NULL;
	if (!v || !v[0])
		return 0;
	if (!valid_utf8_text(v, strlen(v)) || utf8_chars(v) > max) {
		snprintf(msg, sizeof(msg), "%s: at most %zu characters of text", name, max);
		o311_error(c, 400, msg);
		return -1;
	}
	*out = v;
	return 0;
}

static bool form_type(const struct call *c)
{
	const char *t = req_header(c->req, "Content-Type");
	const char *want = "application/x-www-form-urlencoded";

	return t && !strncasecmp(t, want, strlen(want)) && (!t[strlen(want)] || t[strlen(want)] == ';');
}

void open311_requests_post(struct call *c)
{
	struct form f = { 0 };
	struct open311_key key;
	struct open311_where where = { 0 };
	struct case_input in = { 0 };
	struct field_errors errs = { 0 };
	const char *api_key, *code, *lat, *lon, *address, *description, *email, *first, *last, *phone, *media;
	char name[TEXT_BYTES(CASE_NAME_MAX * 2) + 2] = "", token[CRYPTO_TOKEN_HEX], idt[24];
	struct case_category *g = NULL;
	const struct case_category *service = NULL;
	struct actor who = { 0, c->actor.client };
	int64_t id;
	size_t n = 0;
	int rc;

	if (!form_type(c) || form_read(buf_str(&c->req->body), c->req->body.len, &f) < 0)
		return o311_error(c, 400, "the body must be application/x-www-form-urlencoded");
	api_key = form_get(&f, "api_key");
	if (!api_key || !api_key[0] || strlen(api_key) > 128 || (rc = open311_key_find(c->db, api_key, &key)) ==
									       OPEN311_NOT_FOUND) {
		form_release(&f);
		return o311_error(c, 403, "api_key is missing or not valid");
	}
	if (rc != OPEN311_OK) {
		form_release(&f);
		return reply_internal(c, "finding an Open311 key");
	}
	code = form_get(&f, "service_code");
	lat = form_get(&f, "lat");
	lon = form_get(&f, "long");
	if (text_field(c, &f, "address_string", OPEN311_ADDRESS_MAX, &address) < 0 ||
	    text_field(c, &f, "description", CASE_TEXT_MAX, &description) < 0 ||
	    text_field(c, &f, "email", EMAIL_MAX, &email) < 0 || text_field(c, &f, "first_name", CASE_NAME_MAX, &first) < 0 ||
	    text_field(c, &f, "last_name", CASE_NAME_MAX, &last) < 0 || text_field(c, &f, "phone", PHONE_MAX, &phone) < 0 ||
	    text_field(c, &f, "media_url", MEDIA_URL_MAX, &media) < 0)
		goto out;
	(void)email; /* accepted, not kept: no contact but the client's is needed */
	(void)media; /* photos come through the platform's own pages, not by URL */
	if (!code || !code[0] || strlen(code) > 15) {
		o311_error(c, 400, "service_code is required");
		goto out;
	}
	if (case_categories(c->db, &g, &n) != CASE_OK) {
		reply_internal(c, "reading the services");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (!strcmp(g[i].code, code))
			service = &g[i];
	if (!service) {
		o311_error(c, 400, "service_code not found");
		goto out;
	}
	if ((lat && lat[0]) || (lon && lon[0])) {
		if (!lat || !lon || degrees(lat, 90, &where.lat_e6) < 0 || degrees(lon, 180, &where.lon_e6) < 0) {
			o311_error(c, 400, "lat and long must both be decimal degrees (lat -90..90, long -180..180)");
			goto out;
		}
		where.has_point = true;
	}
	if (!where.has_point && !address) {
		o311_error(c, 400, "a location is required: lat and long, or address_string");
		goto out;
	}
	if (!description || utf8_chars(description) < 2) {
		o311_error(c, 400, "description is required (2 to 500 characters)");
		goto out;
	}
	if (first || last) {
		/* The family name first, as a Chinese name is written (张 + 阿姨: 张阿姨). */
		snprintf(name, sizeof(name), "%s%s", last ? last : "", first ? first : "");
		if (utf8_chars(name) > CASE_NAME_MAX) {
			o311_error(c, 400, "first_name and last_name: at most 20 characters together");
			goto out;
		}
	}
	where.address = address;
	in.community_code = key.community_code;
	in.category_code = service->code;
	in.title = service->name;
	in.description = description;
	in.place = address ? address : "";
	in.point_x = in.point_y = -1;
	in.priority = "normal";
	in.channel = "open311";
	in.contact_name = name;
	in.contact_phone = phone ? phone : "";
	rc = open311_report(c->db, &who, &key, &in, &where, &errs, &id, token);
	if (rc != OPEN311_OK) {
		reply_internal(c, "reporting an Open311 request");
		goto out;
	}
	snprintf(idt, sizeof(idt), "%" PRId64, id);
	reply_json(c, 200, json_pack("[{s:s, s:s, s:s, s:n}]", "service_request_id", idt, "token", token,
				     "service_notice", "社区将在 1 个工作日内受理", "account_id"));
out:
	free(g);
	form_release(&f);
}

static json_t *request_json(const struct open311_item *it)
{
	const struct case_file *k = &it->k;
	const bool open = !strcmp(k->state, "reported") || !strcmp(k->state, "accepted") ||
			  !strcmp(k->state, "assigned") || !strcmp(k->state, "in_progress");
	char idt[24];
	json_t *o;

	snprintf(idt, sizeof(idt), "%" PRId64, k->id);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "service_request_id", idt, "status",
		      open ? "open" : "closed", "status_notes", "", "service_name", k->category_name, "service_code",
		      k->category_code, "description", k->description, "agency_responsible", k->community_name,
		      "service_notice", "", "address", k->building_name, "address_id", "", "zipcode", "");
	if (!o)
		return NULL;
	/* The client's point, to about 100 m: never the exact door. */
	json_object_set_new(o, "lat", it->has_point ? coarse(it->lat_e6) : json_null());
	json_object_set_new(o, "long", it->has_point ? coarse(it->lon_e6) : json_null());
	json_object_set_new(o, "media_url", json_string(""));
	json_object_set_new(o, "requested_datetime", w3c_json(k->created_at));
	json_object_set_new(o, "updated_datetime", w3c_json(k->updated_at));
	json_object_set_new(o, "expected_datetime", k->accepted_at ? w3c_json(k->due_at) : json_null());
	return o;
}

/* arr (taken: an array of flat objects) as XML: <root><item><key>value</key>…</item>…</root>; nulls empty. */
static void xml_reply(struct call *c, json_t *arr, const char *root, const char *item)
{
	struct buf *b;
	size_t i;
	json_t *o;

	if (!arr)
		return reply_internal(c, "an Open311 answer");
	b = resp_json_body(c->resp, 200);
	c->resp->content_type = "text/xml; charset=utf-8";
	buf_addf(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<%s>", root);
	json_array_foreach(arr, i, o) {
		const char *key;
		json_t *v;

		buf_addf(b, "<%s>", item);
		json_object_foreach(o, key, v) {
			char num[40];

			if (json_is_string(v))
				xml_elem(b, key, json_string_value(v));
			else if (json_is_integer(v)) {
				snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
				xml_elem(b, key, num);
			} else if (json_is_real(v)) {
				snprintf(num, sizeof(num), "%.3f", json_real_value(v));
				xml_elem(b, key, num);
			} else if (json_is_boolean(v))
				xml_elem(b, key, json_is_true(v) ? "true" : "false");
			else
				xml_elem(b, key, "");
		}
		buf_addf(b, "</%s>", item);
	}
	buf_addf(b, "</%s>\n", root);
	json_decref(arr);
}

static void list_reply(struct call *c, const struct open311_filter *f, bool xml)
{
	struct open311_item *items;
	size_t n;
	json_t *arr;

	if (open311_list(c->db, f, &items, &n) != OPEN311_OK)
		return reply_internal(c, "listing Open311 requests");
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, request_json(&items[i]));
	free(items);
	if (xml)
		xml_reply(c, arr, "service_requests", "request");
	else
		reply_json(c, 200, arr);
}

static void requests_get(struct call *c, bool xml)
{
	const char *ids = req_query(c->req, "service_request_id"), *code = req_query(c->req, "service_code");
	const char *start = req_query(c->req, "start_date"), *end = req_query(c->req, "end_date");
	const char *status = req_query(c->req, "status");
	struct open311_filter f = { .limit = OPEN311_LIST_MAX };
	int64_t list[IDS_MAX];

	if (ids && ids[0]) {
		/* A list of ids: the other arguments do not apply (as the specification says). */
		const char *p = ids;

		while (*p) {
			size_t len = strcspn(p, ",");
			char one[24];

			if (f.nids == IDS_MAX || len == 0 || len > 18) {
				o311_error(c, 400, "service_request_id: up to 100 ids, separated by commas");
				return;
			}
			memcpy(one, p, len);
			one[len] = '\0';
			if (!valid_digits(one, 1, 18)) {
				o311_error(c, 400, "service_request_id: up to 100 ids, separated by commas");
				return;
			}
			list[f.nids++] = strtoll(one, NULL, 10);
			p += len;
			if (*p == ',' && !*++p) {
				o311_error(c, 400, "service_request_id: up to 100 ids, separated by commas");
				return;
			}
		}
		f.ids = list;
		return list_reply(c, &f, xml);
	}
	if (code && code[0]) {
		if (strlen(code) > 15 || case_category_exists(c->db, code) != 1)
			return o311_error(c, 400, "service_code not found");
		f.category = code;
	}
	if (start && start[0] && (f.start = w3c_parse(start)) < 0)
		return o311_error(c, 400, "start_date must be a W3C datetime (2026-03-02T10:00:00+08:00)");
	if (end && end[0] && (f.end = w3c_parse(end)) < 0)
		return o311_error(c, 400, "end_date must be a W3C datetime (2026-03-02T10:00:00+08:00)");
	if (f.start && f.end && f.end < f.start)
		return o311_error(c, 400, "end_date is before start_date");
	if (!f.start && !f.end)
		f.start = clock_now() - DEFAULT_WINDOW;
	if (status && status[0]) {
		if (!strcmp(status, "open"))
			f.status = 1;
		else if (!strcmp(status, "closed"))
			f.status = 2;
		else
			return o311_error(c, 400, "status must be open or closed");
	}
	list_reply(c, &f, xml);
}

void open311_requests_get(struct call *c)
{
	requests_get(c, false);
}

void open311_requests_xml(struct call *c)
{
	requests_get(c, true);
}

void open311_request_get(struct call *c)
{
	bool xml;
	const char *p = format_param(c, 18, &xml);
	struct open311_filter f = { .limit = 1 };
	struct open311_item *items;
	int64_t id;
	size_t n;

	if (!p)
		return;
	if (!valid_digits(p, 1, 18))
		return o311_error(c, 404, "service_request_id not found");
	id = strtoll(p, NULL, 10);
	f.ids = &id;
	f.nids = 1;
	if (open311_list(c->db, &f, &items, &n) != OPEN311_OK)
		return reply_internal(c, "reading an Open311 request");
	if (!n) {
		free(items);
		return o311_error(c, 404, "service_request_id not found");
	}
	if (xml)
		xml_reply(c, json_push(json_array(), request_json(&items[0])), "service_requests", "request");
	else
		reply_json(c, 200, json_push(json_array(), request_json(&items[0])));
	free(items);
}

void open311_token_get(struct call *c)
{
	const char *token = json_param(c, CRYPTO_TOKEN_HEX - 1);
	int64_t id;
	char idt[24];
	int rc;

	if (!token)
		return;
	rc = open311_token(c->db, token, &id);
	if (rc == OPEN311_NOT_FOUND)
		return o311_error(c, 404, "token not found");
	if (rc != OPEN311_OK)
		return reply_internal(c, "reading an Open311 token");
	snprintf(idt, sizeof(idt), "%" PRId64, id);
	reply_json(c, 200, json_pack("[{s:s, s:s}]", "service_request_id", idt, "token", token));
}

/* --- admin: client keys ---------------------------------------------------------------------------------- */

struct key_body {
	char *name, *community_code;
};

static const struct spec_field key_spec[] = {
	SPEC(struct key_body, name, SPEC_STR, SPEC_REQUIRED, 2, OPEN311_NAME_MAX),
	SPEC(struct key_body, community_code, SPEC_STR, SPEC_REQUIRED, 1, 18),
	{ 0 },
};

static json_t *key_json(const struct open311_key *k)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:I}", "id", (json_int_t)k->id, "name", k->name, "community_code",
			      k->community_code, "community_name", k->community_name, "created_at",
			      (json_int_t)k->created_at);

	if (o)
		json_object_set_new(o, "revoked_at", k->revoked_at ? json_integer(k->revoked_at) : json_null());
	return o;
}

void open311_keys_create(struct call *c)
{
	struct key_body b = { 0 };
	struct region r;
	char key[CRYPTO_TOKEN_HEX];
	int64_t id;

	if (call_body_or_reply(c, key_spec, &b) < 0)
		return;
	if (region_get(c->db, b.community_code, &r) != REGION_OK || strcmp(r.level, "community"))
		reply_field(c, 422, "community_code", "not_found", "应为一个社区");
	else if (open311_key_issue(c->db, &c->actor, b.name, r.code, key, &id) != OPEN311_OK)
		reply_internal(c, "issuing an Open311 key");
	else
		reply_json(c, 201, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)id, "name", b.name,
					     "community_code", r.code, "community_name", r.name, "api_key", key));
	spec_release(key_spec, &b);
}

void open311_keys_list(struct call *c)
{
	struct open311_key *items;
	size_t n;
	json_t *arr;

	if (open311_keys(c->db, &items, &n) != OPEN311_OK)
		return reply_internal(c, "listing Open311 keys");
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, key_json(&items[i]));
	free(items);
	reply_json(c, 200, json_pack("{s:o}", "items", arr));
}

void open311_keys_revoke(struct call *c)
{
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return;
	rc = open311_key_revoke(c->db, &c->actor, id);
	if (rc == OPEN311_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该密钥，或已吊销");
	else if (rc != OPEN311_OK)
		reply_internal(c, "revoking an Open311 key");
	else
		reply_json(c, 204, NULL);
}
