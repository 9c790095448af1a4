/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/seal — one byte buffer sealed into a file and opened again (issue 13 item 7: the
 * gateway's key table survives a restart).  The caller serialises what it wants into the
 * buffer; this library only builds and checks the container.
 *
 * Cryptography: AES-256-GCM through OpenSSL EVP, with a 96-bit nonce from RAND_bytes() for
 * every write, under a key-encryption key (KEK) of 32 octets read from a file.  The whole
 * header is authenticated as additional data, so no octet of the file can change unnoticed.
 * A KEK is good for 2^32 writes (random-nonce GCM bound): at one write per second, 136 years.
 *
 * File format (version 1, all integers big-endian):
 *
 *   off     len  field
 *   0       8    magic "FMIPSEAL"
 *   8       2    format version (1)
 *   10      2    flags (0; any other value is an unknown version)
 *   12      8    created: seconds since 1970 (UTC) when the file was written
 *   20      8    KEK id: the first 8 octets of HMAC-SHA-256(KEK, "fmipgw-seal kek-id v1"),
 *                which tells "another KEK" apart from "modified" without revealing the KEK
 *   28      1    label length L (1..SEAL_LABEL_MAX)
 *   29      L    label: the context the file belongs to (e.g. the gateway's identity and
 *                configuration); opening with another label is refused as foreign
 *   29+L    12   nonce
 *   41+L    8    plaintext length N (at most SEAL_MAX_LEN)
 *   49+L    N    ciphertext
 *   49+L+N  16   GCM tag over the ciphertext, with octets 0 .. 49+L as additional data
 *
 * Opening checks, in this order, each with its own code: magic (SEAL_E_NOT_SEALED), version
 * and flags (SEAL_E_VERSION), length (SEAL_E_TRUNCATED), label (SEAL_E_FOREIGN), KEK id
 * (SEAL_E_WRONG_KEK), exact length (SEAL_E_TRUNCATED; octets after the tag: SEAL_E_TAMPERED),
 * then the tag (SEAL_E_TAMPERED).  A file shorter than it should be is always
 * SEAL_E_TRUNCATED, whatever length it was cut at.
 *
 * Writing is atomic: a temporary file in the same directory (mode 0600, O_EXCL), the whole
 * file written and fsync()ed, rename() over the target, then fsync() of the directory.  On
 * any failure the temporary file is removed and the previous file is left as it was.
 * A caller that limits file sizes with RLIMIT_FSIZE must ignore SIGXFSZ to get an error
 * instead of a signal.
 *
 * KEK file: exactly 32 raw octets, a regular file with no permission bits beyond 0600 (0600
 * or 0400); anything else is refused with a message naming the file and the fix.  Make one:
 *     (umask 077; openssl rand -out /etc/fmipgw/seal.kek 32)
 * A file of 64 hex characters is refused as such (it would otherwise be a weaker key).
 *
 * Secrets: the KEK lives in OpenSSL's secure heap when the process initialised one
 * (CRYPTO_secure_malloc_init: locked, excluded from core dumps), else in ordinary OpenSSL
 * memory, and is cleansed when freed; the plaintext handed back by seal_open() is ordinary
 * memory (the caller may madvise it) and must be released with seal_buf_free(), which
 * cleanses it.  Nothing here logs; errors are codes (seal_strerror) and one-line messages in the
 * caller's buffer, never with key material.  Not thread-safe per object; distinct objects
 * may be used from different threads.
 */
#ifndef FMIPGW_SEAL_H
#define FMIPGW_SEAL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* X-macro: name, text.  The order is the ABI of seal_strerror(). */
#define SEAL_ERRORS(X)                                                          \
	X(OK, "ok")                                                             \
	X(ARG, "invalid argument")                                              \
	X(NOMEM, "out of memory")                                               \
	X(CRYPTO, "openssl failure")                                            \
	X(IO, "cannot read or write the file")                                  \
	X(KEK_FILE, "key-encryption key is not a regular file")                 \
	X(KEK_MODE, "key-encryption key file is accessible by group or others") \
	X(KEK_FORMAT, "key-encryption key file does not hold 32 raw octets")    \
	X(NOT_SEALED, "not a sealed file")                                      \
	X(VERSION, "unknown sealed-file version")                               \
	X(TRUNCATED, "sealed file is truncated")                                \
	X(FOREIGN, "sealed file belongs to another context")                    \
	X(WRONG_KEK, "sealed file was written with another key-encryption key") \
	X(TAMPERED, "sealed file was modified (authentication failed)")         \
	X(TOO_LARGE, "sealed file or buffer too large")

enum seal_err {
#define SEAL_ERR_ENUM(n, s) SEAL_E_##n,
	SEAL_ERRORS(SEAL_ERR_ENUM)
#undef SEAL_ERR_ENUM
	    SEAL_E__COUNT
};
#define SEAL_OK SEAL_E_OK

/* Stable lower-case text; never NULL. */
const char *seal_strerror(int err);

enum {
	SEAL_VERSION = 1,
	SEAL_KEK_LEN = 32,
	SEAL_LABEL_MAX = 255,
	SEAL_HDR_FIXED = 49, /* header octets besides the label */
	SEAL_TAG_LEN = 16,
	SEAL_MAX_LEN = 256 * 1024 * 1024, /* largest plaintext */
};

/* A key-encryption key (opaque; OpenSSL-allocated, cleansed when freed). */
struct seal_kek;

/*
 * Read a KEK file (see above).  On failure *kek is NULL and errbuf (may be NULL) receives one
 * line naming the path and what to do, e.g. "kek: mode 0644 lets group or others read it;
 * run: chmod 600 kek".
 */
int seal_kek_load(const char *path, struct seal_kek **kek, char *errbuf, size_t errlen);
/* A KEK from 32 octets in memory (tests, fuzzing, a KEK obtained otherwise). */
int seal_kek_from_bytes(const uint8_t key[SEAL_KEK_LEN], struct seal_kek **kek);
void seal_kek_free(struct seal_kek *kek);

/* What an opened file said about itself. */
struct seal_info {
	unsigned version;
	uint64_t created; /* seconds since 1970 */
};

/*
 * Seal len octets (len <= SEAL_MAX_LEN; 0 is allowed) under label (1..SEAL_LABEL_MAX octets,
 * a C string) into path, atomically (see above), with creation time `created` (0: now).
 * Returns SEAL_OK or a code, with a message naming the path and the failing step.
 */
int seal_write(const struct seal_kek *kek, const char *path, const char *label, const uint8_t *buf,
	       size_t len, uint64_t created, char *errbuf, size_t errlen);

/*
 * Open path sealed under label with kek.  On SEAL_OK *buf holds *len octets of plaintext
 * (free it with seal_buf_free) and *info (may be NULL) the header's version and time; on
 * failure *buf is NULL and nothing of the plaintext remains in memory.
 */
int seal_open(const struct seal_kek *kek, const char *path, const char *label, uint8_t **buf,
	      size_t *len, struct seal_info *info, char *errbuf, size_t errlen);

/* The same checks on a file already in memory (file_len octets). */
int seal_unseal(const struct seal_kek *kek, const char *label, const uint8_t *file, size_t file_len,
		uint8_t **buf, size_t *len, struct seal_info *info);
/* The file seal_write() would write, in memory (*file freed with seal_buf_free). */
int seal_seal(const struct seal_kek *kek, const char *label, const uint8_t *buf, size_t len,
	      uint64_t created, uint8_t **file, size_t *file_len);

/* Cleanse and free a buffer from seal_open/seal_unseal/seal_seal (NULL is allowed). */
void seal_buf_free(uint8_t *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* FMIPGW_SEAL_H */
