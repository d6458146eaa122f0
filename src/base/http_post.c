/* http_post.c: one JSON POST with libcurl: bounded in time, never redirected, the answer's body read and dropped */
#include "base/http_post.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

void http_post_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

void http_post_cleanup(void)
{
	curl_global_cleanup();
}

struct answer {
	char *p;
	size_t size, len, seen;
};

/* Keeps what fits of the answer's body; reads up to 64 KiB of it, then stops the transfer. */
static size_t keep(char *p, size_t size, size_t n, void *arg)
{
	struct answer *a = arg;
	size_t got = size * n;

	if (a->p && a->len + 1 < a->size) {
		size_t room = a->size - 1 - a->len, take = got < room ? got : room;

		memcpy(a->p + a->len, p, take);
		a->len += take;
		a->p[a->len] = '\0';
	}
	a->seen += got;
	return a->seen > 65536 ? 0 : got;
}

int http_post_json(const char *url, const char *json, long timeout_ms, char *answer, size_t answer_size, char *err,
		   size_t errlen)
{
	struct answer a = { answer, answer_size, 0, 0 };
	char curl_err[CURL_ERROR_SIZE] = "";
	struct curl_slist *head = NULL;
	CURL *c = curl_easy_init();
	long status = 0;
	CURLcode rc;

	if (answer && answer_size)
		answer[0] = '\0';
	if (!c) {
		snprintf(err, errlen, "curl_easy_init failed");
		return -1;
	}
	head = curl_slist_append(head, "Content-Type: application/json; charset=utf-8");
	head = curl_slist_append(head, "Expect:");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, head);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, json);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(json));
	curl_easy_setopt(c, CURLOPT_USERAGENT, "baodao-notify/1");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
	rc = curl_easy_perform(c);
	if (rc == CURLE_WRITE_ERROR && a.seen > 65536)
		rc = CURLE_OK; /* a long answer: its status came before it */
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	else
		snprintf(err, errlen, "%s", curl_err[0] ? curl_err : curl_easy_strerror(rc));
	curl_slist_free_all(head);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK)
		return -1;
	if (status < 100 || status > 599) {
		snprintf(err, errlen, "no HTTP status");
		return -1;
	}
	return (int)status;
}

int http_post_send(const char *url, const char *json, char *err, size_t errlen)
{
	char answer[4096];
	int status = http_post_json(url, json, HTTP_POST_TIMEOUT_MS, answer, sizeof(answer), err, errlen);
	json_t *doc, *code;
	int rc = 0;

	if (status < 0)
		return -1;
	if (status < 200 || status >= 300) {
		snprintf(err, errlen, "HTTP %d", status);
		return -1;
	}
	/* The robots answer 200 to a refused message too, with a non-zero errcode. */
	doc = json_loads(answer, JSON_REJECT_DUPLICATES, NULL);
	code = doc ? json_object_get(doc, "errcode") : NULL;
	if (code && (!json_is_integer(code) || json_integer_value(code) != 0)) {
		snprintf(err, errlen, "errcode %lld", json_is_integer(code) ? (long long)json_integer_value(code) : -1LL);
		rc = -1;
	}
	json_decref(doc);
	return rc;
}
