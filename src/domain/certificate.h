/* certificate.h: service certificates (志愿服务证明): asked by a member, issued by their community with a number never reused, verified in public */
#ifndef DOMAIN_CERTIFICATE_H
#define DOMAIN_CERTIFICATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/json_spec.h"
#include "base/xalloc.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/catalog.h"
#include "domain/member.h"
#include "domain/record.h"
#include "domain/region.h"

/*
 * The longest texts, in characters; the longest period a certificate covers,
 * in days (three years); the most services one lists; the verification
 * code's length (128 random bits in hex).
 */
enum { CERT_NOTE_MAX = 200, CERT_ANSWER_MAX = 200, CERT_REASON_MAX = 200, CERT_PERSON_MAX = 50, CERT_CONTACT_MAX = 50,
       CERT_DAYS_MAX = 3 * 366, CERT_LINES_MAX = 2000, CERT_CODE_LEN = 32 };
/* The only kind of ID number a member file holds. */
#define CERT_ID_TYPE "居民身份证"

enum cert_rc {
	CERT_OK = 0,
	CERT_ERROR = -1,
	CERT_NOT_FOUND = -2,
	CERT_INVALID = -3, /* faults in the caller's field_errors */
	CERT_BAD_STATE = -4, /* a request already answered; a certificate already revoked */
	CERT_ASKED = -5, /* the member has a request waiting already */
	CERT_OWN = -6, /* staff never issue or decline their own certificate */
	CERT_EMPTY = -7, /* no confirmed service in the period: nothing to certify */
	CERT_TOO_MANY = -8, /* more than CERT_LINES_MAX services: a shorter period */
	CERT_NOT_SERVING = -9, /* the member has no approved report-in: no community to ask */
};

/*
 * A member asks for a certificate of their service from from_on to to_on
 * (YYYY-MM-DD, China time, both included; not after today, at most
 * CERT_DAYS_MAX days) at the community of their approved report-in, with a
 * note (may be ""). One request waits at a time (CERT_ASKED). Audited
 * certificate.ask. Own transaction. *id is the new request.
 */
int certificate_ask(struct db *db, const struct actor *who, int64_t member_id, const char *from_on, const char *to_on,
		    const char *note, struct field_errors *errs, int64_t *id);

/* Who signs a certificate, as the issuing staff fill it in; strings borrowed. */
struct cert_signers {
	const char *person_in_charge; /* 负责人 */
	const char *handler; /* 经办人 */
	const char *contact; /* 联系方式 */
};

/*
 * Staff issue the certificate a request asks for, in one transaction: the
 * next number of the community and the year of issue (its counter moves up,
 * never to be given again), a snapshot of the member's confirmed records of
 * the period confirmed by that community, each with its corrections (records
 * corrected to nothing are left out), their total, the member's name and
 * masked ID number, a random verification code; the request marked issued;
 * audited certificate.issue. CERT_EMPTY when there is no service to list,
 * CERT_OWN for the staff's own. *id is the certificate.
 */
int certificate_issue(struct db *db, const struct actor *who, int64_t request_id, const struct cert_signers *s,
		      int64_t *id);
/* Staff decline a request with an answer (audited certificate.decline). Own transaction. */
int certificate_decline(struct db *db, const struct actor *who, int64_t request_id, const char *answer);
/* Revokes a certificate with a reason, once (audited certificate.revoke). Own transaction. */
int certificate_revoke(struct db *db, const struct actor *who, int64_t id, const char *reason);

struct cert_request {
	int64_t id, member_id;
	char member_name[TEXT_BYTES(MEMBER_NAME_MAX)];
	char community_code[24];
	char community_name[REGION_TEXT];
	char community_path[PATH_MAX_LEN];
	char from_on[11], to_on[11];
	char note[TEXT_BYTES(CERT_NOTE_MAX)];
	char state[12]; /* asked, issued, declined */
	char answer[TEXT_BYTES(CERT_ANSWER_MAX)];
	int64_t certificate_id; /* 0 until issued */
	int64_t created_at, decided_at;
	int64_t member_account_id; /* 0: none */
};
int certificate_request_get(struct db *db, int64_t id, struct cert_request *out);

struct cert_request_filter {
	const char *community; /* a region code: requests of the communities under it */
	const char *state;
	int64_t member_id;
	bool newest_first; /* a member's own list; else the queue, oldest first */
	int64_t page, per_page;
};
/* Requests in scope (by community), oldest first or newest first. *items: caller frees. */
int certificate_request_list(struct db *db, const struct scope *scope, const struct cert_request_filter *f,
			     struct cert_request **items, size_t *n, int64_t *total);

struct certificate {
	int64_t id, request_id, member_id;
	char number[48];
	char issuer_code[24];
	char issuer_path[PATH_MAX_LEN];
	int year;
	int64_t seq; /* the issuer's seq-th certificate of year */
	char name[TEXT_BYTES(MEMBER_NAME_MAX)];
	char id_type[TEXT_BYTES(16)];
	char id_number_masked[IDCARD_LEN + 1];
	char from_on[11], to_on[11];
	int64_t total_minutes, services;
	char issuer_name[REGION_TEXT];
	char person_in_charge[TEXT_BYTES(CERT_PERSON_MAX)];
	char handler[TEXT_BYTES(CERT_PERSON_MAX)];
	char contact[TEXT_BYTES(CERT_CONTACT_MAX)];
	int64_t issued_at;
	char code[CERT_CODE_LEN + 1];
	int64_t revoked_at; /* 0: valid */
	char revoke_reason[TEXT_BYTES(CERT_REASON_MAX)];
	int64_t member_account_id; /* who the member is now: their account (0: none) */
};

/* One service a certificate lists. */
struct cert_line {
	int64_t record_id;
	char served_on[11];
	char item_name[TEXT_BYTES(CATALOG_NAME_MAX)];
	char content[TEXT_BYTES(RECORD_CONTENT_MAX)];
	int64_t minutes;
};

int certificate_get(struct db *db, int64_t id, struct certificate *out);
/* The services it lists, in their order. *items: caller frees. */
int certificate_lines(struct db *db, int64_t id, struct cert_line **items, size_t *n);

struct cert_filter {
	const char *community; /* a region code: certificates issued under it */
	const char *q; /* the start of a number, or of a name */
	const char *state; /* "valid", "revoked", or NULL */
	int64_t member_id;
	int64_t page, per_page;
};
/* The register: certificates in scope (by issuer), newest first. *items: caller frees. */
int certificate_list(struct db *db, const struct scope *scope, const struct cert_filter *f,
		     struct certificate **items, size_t *n, int64_t *total);

/* What the public verification page shows of a certificate, and nothing else. */
struct cert_public {
	char name_masked[TEXT_BYTES(MEMBER_NAME_MAX)]; /* 张*元 */
	int64_t total_minutes;
	char issuer_name[REGION_TEXT];
	int64_t issued_at;
	int64_t revoked_at; /* 0: valid */
};
/* The certificate whose verification code is code; CERT_NOT_FOUND for any other text. */
int certificate_verify(struct db *db, const char *code, struct cert_public *out);

/* The certificate number of an issuer's seq-th certificate of year: 440111002011-2026-00001. */
void certificate_number(const char *issuer_code, int year, int64_t seq, char *out, size_t n);

#endif
