/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104): what HKDF (lib/hkdf.h)
 * needs to derive the overlay's IPsec keys, small rather than fast.
 */
#ifndef BOXNET_SHA256_H
#define BOXNET_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32
#define SHA256_BLOCK 64

struct sha256 {
	uint32_t h[8];
	uint64_t len;             /* bytes hashed so far */
	uint8_t buf[SHA256_BLOCK]; /* len % 64 bytes waiting for a whole block */
};

/* sha256_init, sha256_update, sha256_final - the digest of every byte
 * given to update, written to @out by final */
void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t n);
void sha256_final(struct sha256 *c, uint8_t out[SHA256_LEN]);

/* hmac_sha256 - HMAC-SHA256 of the @nparts pieces at @part/@plen (one
 * message, concatenated) under @key */
void hmac_sha256(const uint8_t *key, size_t keylen, const void *const *part, const size_t *plen,
		 size_t nparts, uint8_t out[SHA256_LEN]);

#endif
