/* http_post.h: one JSON POST to a webhook (libcurl): a timeout, http and https only, no redirects followed */
#ifndef BASE_HTTP_POST_H
#define BASE_HTTP_POST_H

#include <stddef.h>

#define HTTP_POST_TIMEOUT_MS 10000

/* Call once before threads start (curl_global_init); http_post_cleanup at exit. */
void http_post_init(void);
void http_post_cleanup(void);

/*
 * POSTs json (Content-Type: application/json; charset=utf-8) to url, waiting
 * at most timeout_ms for all of it. A redirect is not followed (a webhook that
 * answers 3xx failed: it may not send the message elsewhere). The answer's
 * first answer_size - 1 bytes go to answer (NUL-ended; NULL: dropped).
 * Returns the HTTP status (100…599), or -1 with the reason in err when none came.
 */
int http_post_json(const char *url, const char *json, long timeout_ms, char *answer, size_t answer_size, char *err,
		   size_t errlen);
/*
 * The notify worker's sender: 0 when a 2xx came back whose JSON body, if it
 * has an "errcode" (企业微信, 钉钉), has 0 there; else -1 with "HTTP 500",
 * "errcode 310000" or the reason in err.
 */
int http_post_send(const char *url, const char *json, char *err, size_t errlen);

#endif
