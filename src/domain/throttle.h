/* throttle.h: per-address limit on failed logins, kept in memory */
#ifndef DOMAIN_THROTTLE_H
#define DOMAIN_THROTTLE_H

#include <stdint.h>

#define THROTTLE_FAILURES 20
#define THROTTLE_WINDOW (15 * 60)

/* 0 when addr may try to log in now; otherwise the seconds to wait. */
int64_t throttle_wait(const char *addr, int64_t now);
/* Counts one failed login from addr. */
void throttle_fail(const char *addr, int64_t now);

#endif
