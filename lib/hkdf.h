/* SPDX-License-Identifier: GPL-2.0-or-later */
/* HKDF with HMAC-SHA256 (RFC 5869): key material from a shared secret. */
#ifndef BOXNET_HKDF_H
#define BOXNET_HKDF_H

#include <stddef.h>
#include <stdint.h>

/* hkdf_sha256 - extract then expand: @outlen bytes (at most 255 * 32) of
 * output keying material from input keying material @ikm, optional @salt
 * (NULL/0: 32 zero bytes, as RFC 5869 says) and context @info. 0, or
 * -EINVAL for an @outlen too long. */
int hkdf_sha256(const uint8_t *salt, size_t saltlen, const uint8_t *ikm, size_t ikmlen,
		const uint8_t *info, size_t infolen, uint8_t *out, size_t outlen);

#endif
