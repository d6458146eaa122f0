/* qrtoken.c: check-in codes signed with the installation key's KEY_QR subkey, and the rule of when one is good */
#include "base/qrtoken.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/crypto.h"

#define MAC_HEX 32 /* 128 bits of the MAC, as hex */

int64_t qrtoken_slot(int64_t now)
{
	return now >= 0 ? now / QRTOKEN_SLOT_SECONDS : (now - QRTOKEN_SLOT_SECONDS + 1) / QRTOKEN_SLOT_SECONDS;
}

static enum qrtoken_subject subject_of(const struct qrtoken *t)
{
	return t->subject == QRTOKEN_SHIFT ? QRTOKEN_SHIFT : QRTOKEN_ACTIVITY;
}

/* The MAC of the signed part ("A42.r59666666", "S7.p1767225600"), as MAC_HEX hex digits. */
static void sign(const char *body, size_t n, char out[MAC_HEX + 1])
{
	char msg[QRTOKEN_MAX + 16], mac[CRYPTO_HEX_HASH];
	int len = snprintf(msg, sizeof(msg), "checkin-code:%.*s", (int)n, body);

	crypto_mac_hex(KEY_QR, msg, (size_t)len, mac);
	memcpy(out, mac, MAC_HEX);
	out[MAC_HEX] = '\0';
}

void qrtoken_make(const struct qrtoken *t, char out[QRTOKEN_MAX])
{
	char mac[MAC_HEX + 1];
	int n = snprintf(out, QRTOKEN_MAX, "%c%" PRId64 ".%c%" PRId64, (char)subject_of(t), t->id, (char)t->kind,
			 t->slot);

	sign(out, (size_t)n, mac);
	snprintf(out + n, QRTOKEN_MAX - (size_t)n, ".%s", mac);
}

/* Reads 1 to 18 digits at *p into *v; moves *p past them. */
static int number(const char **p, int64_t *v)
{
	const char *s = *p;
	int64_t n = 0;
	size_t k = 0;

	while (s[k] >= '0' && s[k] <= '9' && k < 18)
		n = n * 10 + (s[k++] - '0');
	if (k == 0 || (s[k] >= '0' && s[k] <= '9') || (k > 1 && s[0] == '0'))
		return -1;
	*v = n;
	*p = s + k;
	return 0;
}

/* Parses text strictly and checks its MAC; -1 for anything this installation did not make. */
static int parse(const char *text, struct qrtoken *out)
{
	const char *p = text, *signed_end;
	char mac[MAC_HEX + 1];

	if (!text || strlen(text) >= QRTOKEN_MAX || (*p != QRTOKEN_ACTIVITY && *p != QRTOKEN_SHIFT))
		return -1;
	out->subject = (enum qrtoken_subject)*p++;
	if (number(&p, &out->id) < 0 || *p++ != '.')
		return -1;
	if (*p != QRTOKEN_SCREEN && *p != QRTOKEN_POSTER)
		return -1;
	out->kind = (enum qrtoken_kind)*p++;
	if (number(&p, &out->slot) < 0 || *p != '.')
		return -1;
	signed_end = p++;
	if (strlen(p) != MAC_HEX)
		return -1;
	sign(text, (size_t)(signed_end - text), mac);
	return crypto_equal_hex(mac, p) ? 0 : -1;
}

bool qrtoken_read(const char *text, struct qrtoken *out)
{
	struct qrtoken t;

	if (parse(text, &t) < 0)
		return false;
	*out = t;
	return true;
}

static enum qrtoken_verdict check(enum qrtoken_subject subject, const char *text, int64_t id, int64_t starts_at,
				  int64_t ends_at, bool checkout, int64_t now, struct qrtoken *out)
{
	struct qrtoken t;
	int64_t closes = ends_at;

	if (parse(text, &t) < 0)
		return QRTOKEN_FORGED;
	if (out)
		*out = t;
	if (t.subject != subject)
		return QRTOKEN_OTHER_SUBJECT;
	if (t.id != id)
		return QRTOKEN_OTHER_ACTIVITY;
	if (t.kind == QRTOKEN_SCREEN) {
		int64_t slot = qrtoken_slot(now);

		if (t.slot != slot && t.slot != slot - 1)
			return QRTOKEN_EXPIRED;
		if (checkout)
			closes = ends_at + QRTOKEN_CHECKOUT_LATE;
	} else if (t.slot != starts_at) {
		return QRTOKEN_STALE_POSTER;
	}
	if (now < starts_at - QRTOKEN_EARLY)
		return QRTOKEN_TOO_EARLY;
	if (now > closes)
		return QRTOKEN_TOO_LATE;
	return QRTOKEN_ACCEPTED;
}

enum qrtoken_verdict qrtoken_check(const char *text, int64_t activity_id, int64_t starts_at, int64_t ends_at,
				   bool checkout, int64_t now, struct qrtoken *out)
{
	return check(QRTOKEN_ACTIVITY, text, activity_id, starts_at, ends_at, checkout, now, out);
}

enum qrtoken_verdict qrtoken_check_shift(const char *text, int64_t shift_id, int64_t starts_at, int64_t ends_at,
					 int64_t now, struct qrtoken *out)
{
	return check(QRTOKEN_SHIFT, text, shift_id, starts_at, ends_at, false, now, out);
}
