/* crypto.h: randomness, hashing, password hashing and the installation's secret key (libsodium) */
#ifndef BASE_CRYPTO_H
#define BASE_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define CRYPTO_KEY_BYTES 32
#define CRYPTO_HEX_HASH 65 /* 32-byte hash as hex, with NUL */
#define CRYPTO_TOKEN_HEX 65 /* 256-bit token as hex, with NUL */

/* Which subkey of the installation's secret key a use gets. */
enum key_use {
	KEY_AUDIT = 1, /* MAC of the audit chain */
	KEY_LOOKUP = 2, /* keyed hash for finding sensitive values */
	KEY_FIELD = 3, /* AEAD encryption of sensitive fields */
	KEY_QR = 4, /* MAC of the check-in codes of activities and duty shifts (base/qrtoken.h) */
};

/* Aborts if libsodium cannot start. */
void crypto_init(void);

/* A random number in [0, upper), every value equally likely (upper > 0). */
uint32_t crypto_uniform(uint32_t upper);
/* Fills out with a fresh 256-bit random token in lowercase hex. */
void crypto_token(char out[CRYPTO_TOKEN_HEX]);
/* Unkeyed 256-bit hash of p as hex (for stored session tokens). */
void crypto_hash_hex(const void *p, size_t n, char out[CRYPTO_HEX_HASH]);
/* Keyed 256-bit hash with the subkey for use, as hex. */
void crypto_mac_hex(enum key_use use, const void *p, size_t n, char out[CRYPTO_HEX_HASH]);
int crypto_equal_hex(const char *a, const char *b);

/*
 * Encrypts a sensitive field value (XChaCha20-Poly1305 with the field subkey,
 * a random nonce, and ad binding it to its place, e.g. "member.id_number").
 * Returns hex text (caller frees).
 */
char *crypto_seal(const char *ad, const char *plain);
/* Decrypts what crypto_seal made with the same ad; NULL if it was altered. Caller frees. */
char *crypto_open(const char *ad, const char *sealed);

/* Argon2id; the result is a NUL-terminated string the caller frees. */
char *crypto_password_hash(const char *password);
/* 0 when password matches stored; -1 otherwise. */
int crypto_password_verify(const char *stored, const char *password);
/* A strong random password of 20 characters (caller frees). */
char *crypto_password_generate(void);

/*
 * The secret key file (32 random bytes, mode 0600). crypto_key_create writes a
 * new one and fails if the file exists; crypto_key_load reads it and checks
 * its mode. Both return 0 or -1 with a message in err.
 */
int crypto_key_create(const char *path, char *err, size_t errlen);
int crypto_key_load(const char *path, char *err, size_t errlen);
/* For tests and tools: sets the key directly. */
void crypto_key_set(const uint8_t key[CRYPTO_KEY_BYTES]);

#endif
