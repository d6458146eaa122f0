/*
 * log.h: one-line log records on stderr; never pass personal data or secrets here. What a
 * client sent may be passed: control characters, backslashes and bytes that are not UTF-8
 * are written as \xNN, so nothing can start or fake a line.
 */
#ifndef BASE_LOG_H
#define BASE_LOG_H

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Access log records can be switched off (serve --quiet) for benchmarks. */
void log_set_access(int on);
int log_access_enabled(void);

#endif
