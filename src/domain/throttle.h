/* throttle.h: growing waits after failed password checks, counted in the database per (who, from where) */
#ifndef DOMAIN_THROTTLE_H
#define DOMAIN_THROTTLE_H

#include <stdint.h>

#include "db/db.h"

#define THROTTLE_FREE 5 /* failures of one (subject, source) before the waits start */
#define THROTTLE_FIRST_WAIT 60 /* seconds; doubled at every further failure, up to the cap */
#define THROTTLE_FORGET (24 * 3600) /* a (subject, source) quiet this long starts again from zero */
#define THROTTLE_CEILING 20 /* failures of one subject from untrusted sources ... */
#define THROTTLE_CEILING_WINDOW 3600 /* ... within this window: sources that failed must wait */
#define THROTTLE_ADDRESS_FAILURES 20 /* failures from one address over every subject ... */
#define THROTTLE_ADDRESS_WINDOW (15 * 60) /* ... within this window stop that address */

#define THROTTLE_KEY_MAX 96

/*
 * What is counted. subject: "n:" + a keyed hash of the login name typed, or
 * "p:" + an account id for password changes. source: "a:" + the client
 * address (an IPv6 address by its /64) or "d:" + a known device. A trusted
 * source (a known device) has only its own count: the per-subject ceiling and
 * the per-address count are for the untrusted rest. ceiling says whether the
 * ceiling and per-address rows apply at all (logins: yes; password changes:
 * only the pair).
 */
struct throttle_key {
	char subject[THROTTLE_KEY_MAX];
	char source[THROTTLE_KEY_MAX];
	int trusted;
	int ceiling;
	int64_t cap; /* longest wait in seconds */
};

/* "a:ADDR" for a client address; IPv6 addresses count by their /64 (one host has them all). */
void throttle_source_address(const char *client, char out[THROTTLE_KEY_MAX]);
/* "n:" + a keyed hash of a login name (the name itself is personal data, a phone number say). */
void throttle_subject_name(const char *login, char out[THROTTLE_KEY_MAX]);

/*
 * 0 when the attempt may go on, or the seconds to wait (> 0); -1 on error.
 * *failed tells whether this (subject, source) has failures on record (a
 * success then clears them). Only reads.
 */
int64_t throttle_check(struct db *db, const struct throttle_key *k, int64_t now, int *failed);
/* Counts one failure; call inside the caller's write transaction. Returns 0 or -1. */
int throttle_fail(struct db *db, const struct throttle_key *k, int64_t now);
/* Forgets the failures of (subject, source) after a success. Returns 0 or -1. */
int throttle_clear(struct db *db, const struct throttle_key *k);

#endif
