/* crypto.c: libsodium behind the few calls baodao needs */
#include "base/crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/xalloc.h"

static uint8_t master_key[CRYPTO_KEY_BYTES];
static int have_key;

void crypto_init(void)
{
	if (sodium_init() < 0) {
		fprintf(stderr, "baodao: libsodium failed to start\n");
		abort();
	}
}

static void to_hex(const uint8_t *p, size_t n, char *out)
{
	sodium_bin2hex(out, n * 2 + 1, p, n);
}

uint32_t crypto_uniform(uint32_t upper)
{
	return randombytes_uniform(upper);
}

void crypto_token(char out[CRYPTO_TOKEN_HEX])
{
	uint8_t raw[32];

	randombytes_buf(raw, sizeof(raw));
	to_hex(raw, sizeof(raw), out);
	sodium_memzero(raw, sizeof(raw));
}

void crypto_hash_hex(const void *p, size_t n, char out[CRYPTO_HEX_HASH])
{
	uint8_t h[32];

	crypto_generichash(h, sizeof(h), p, n, NULL, 0);
	to_hex(h, sizeof(h), out);
}

static void subkey(enum key_use use, uint8_t out[CRYPTO_KEY_BYTES])
{
	if (!have_key) {
		fprintf(stderr, "baodao: secret key not loaded\n");
		abort();
	}
	crypto_kdf_derive_from_key(out, CRYPTO_KEY_BYTES, (uint64_t)use, "baodao__", master_key);
}

void crypto_mac_hex(enum key_use use, const void *p, size_t n, char out[CRYPTO_HEX_HASH])
{
	uint8_t k[CRYPTO_KEY_BYTES], h[32];

	subkey(use, k);
	crypto_generichash(h, sizeof(h), p, n, k, sizeof(k));
	sodium_memzero(k, sizeof(k));
	to_hex(h, sizeof(h), out);
}

int crypto_equal_hex(const char *a, const char *b)
{
	size_t n = strlen(a);

	return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}

char *crypto_seal(const char *ad, const char *plain)
{
	uint8_t k[CRYPTO_KEY_BYTES], nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
	size_t n = strlen(plain), clen = n + crypto_aead_xchacha20poly1305_ietf_ABYTES;
	uint8_t *box = xmalloc(sizeof(nonce) + clen);
	char *hex = xmalloc((sizeof(nonce) + clen) * 2 + 1);
	unsigned long long outlen;

	subkey(KEY_FIELD, k);
	randombytes_buf(nonce, sizeof(nonce));
	memcpy(box, nonce, sizeof(nonce));
	crypto_aead_xchacha20poly1305_ietf_encrypt(box + sizeof(nonce), &outlen, (const uint8_t *)plain, n,
						   (const uint8_t *)ad, strlen(ad), NULL, nonce, k);
	sodium_memzero(k, sizeof(k));
	to_hex(box, sizeof(nonce) + (size_t)outlen, hex);
	free(box);
	return hex;
}

char *crypto_open(const char *ad, const char *sealed)
{
	const size_t nb = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
	size_t hexlen = strlen(sealed), len;
	uint8_t k[CRYPTO_KEY_BYTES], *box = xmalloc(hexlen / 2 + 1);
	char *plain = NULL;
	unsigned long long outlen;

	if (sodium_hex2bin(box, hexlen / 2 + 1, sealed, hexlen, NULL, &len, NULL) != 0 ||
	    len < nb + crypto_aead_xchacha20poly1305_ietf_ABYTES)
		goto out;
	plain = xmalloc(len);
	subkey(KEY_FIELD, k);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt((uint8_t *)plain, &outlen, NULL, box + nb, len - nb,
						       (const uint8_t *)ad, strlen(ad), box, k) != 0) {
		free(plain);
		plain = NULL;
	} else {
		plain[outlen] = '\0';
	}
	sodium_memzero(k, sizeof(k));
out:
	free(box);
	return plain;
}

char *crypto_password_hash(const char *password)
{
	char *out = xmalloc(crypto_pwhash_STRBYTES);

	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		fprintf(stderr, "baodao: out of memory hashing a password\n");
		abort();
	}
	return out;
}

int crypto_password_verify(const char *stored, const char *password)
{
	return crypto_pwhash_str_verify(stored, password, strlen(password)) == 0 ? 0 : -1;
}

char *crypto_password_generate(void)
{
	/* No look-alike characters (0/O, 1/l/I); four classes so 等保 mode accepts it. */
	static const char sets[4][40] = { "ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz",
					  "23456789", "-_.+=@#%" };
	char *p = xmalloc(21);

	for (int i = 0; i < 20; i++) {
		const char *set = sets[i < 4 ? (uint32_t)i : randombytes_uniform(3)];
		p[i] = set[randombytes_uniform((uint32_t)strlen(set))];
	}
	/* Shuffle so the class-guaranteed characters are not always first. */
	for (int i = 19; i > 0; i--) {
		uint32_t j = randombytes_uniform((uint32_t)i + 1);
		char t = p[i];
		p[i] = p[j];
		p[j] = t;
	}
	p[20] = '\0';
	return p;
}

int crypto_key_create(const char *path, char *err, size_t errlen)
{
	uint8_t key[CRYPTO_KEY_BYTES];
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);

	if (fd < 0) {
		snprintf(err, errlen, "cannot create key file %s: %s", path, strerror(errno));
		return -1;
	}
	randombytes_buf(key, sizeof(key));
	if (write(fd, key, sizeof(key)) != (ssize_t)sizeof(key) || fsync(fd) != 0) {
		snprintf(err, errlen, "cannot write key file %s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	crypto_key_set(key);
	sodium_memzero(key, sizeof(key));
	return 0;
}

int crypto_key_load(const char *path, char *err, size_t errlen)
{
	uint8_t key[CRYPTO_KEY_BYTES];
	struct stat st;
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0) {
		snprintf(err, errlen, "cannot open key file %s: %s (run 'baodao init' first)", path,
			 strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || (st.st_mode & 077)) {
		snprintf(err, errlen, "key file %s must have mode 0600", path);
		close(fd);
		return -1;
	}
	n = read(fd, key, sizeof(key));
	close(fd);
	if (n != (ssize_t)sizeof(key)) {
		snprintf(err, errlen, "key file %s is damaged", path);
		return -1;
	}
	crypto_key_set(key);
	sodium_memzero(key, sizeof(key));
	return 0;
}

void crypto_key_set(const uint8_t key[CRYPTO_KEY_BYTES])
{
	memcpy(master_key, key, CRYPTO_KEY_BYTES);
	have_key = 1;
}
