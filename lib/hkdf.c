// SPDX-License-Identifier: GPL-2.0-or-later
#include "lib/hkdf.h"

#include <errno.h>
#include <string.h>

#include "lib/sha256.h"

int hkdf_sha256(const uint8_t *salt, size_t saltlen, const uint8_t *ikm, size_t ikmlen,
		const uint8_t *info, size_t infolen, uint8_t *out, size_t outlen)
{
	static const uint8_t zeros[SHA256_LEN];
	uint8_t prk[SHA256_LEN], t[SHA256_LEN];
	size_t tlen = 0;

	if (outlen > 255 * SHA256_LEN)
		return -EINVAL;
	if (!salt || !saltlen)
		salt = zeros, saltlen = sizeof(zeros);
	/* extract: PRK = HMAC(salt, IKM) */
	hmac_sha256(salt, saltlen, (const void *const[]){ ikm }, (const size_t[]){ ikmlen }, 1, prk);
	/* expand: T(i) = HMAC(PRK, T(i-1) | info | i) */
	for (uint8_t i = 1; outlen; i++) {
		size_t k = outlen < SHA256_LEN ? outlen : SHA256_LEN;

		hmac_sha256(prk, sizeof(prk), (const void *const[]){ t, info, &i },
			    (const size_t[]){ tlen, infolen, 1 }, 3, t);
		tlen = SHA256_LEN;
		memcpy(out, t, k);
		out += k, outlen -= k;
	}
	memset(prk, 0, sizeof(prk));
	memset(t, 0, sizeof(t));
	return 0;
}
