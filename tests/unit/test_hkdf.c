// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/sha256 and lib/hkdf against the published vectors: FIPS 180-2's
 * SHA-256 examples, RFC 4231's HMAC-SHA256 cases 1 and 6, RFC 5869's
 * HKDF-SHA256 cases 1-3. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/hkdf.h"
#include "lib/sha256.h"

static void hex(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static void check_sha(const void *m, size_t n, const char *want)
{
	struct sha256 c;
	uint8_t d[SHA256_LEN];
	char h[2 * SHA256_LEN + 1];

	sha256_init(&c);
	sha256_update(&c, m, n);
	sha256_final(&c, d);
	hex(d, sizeof(d), h);
	assert_string_equal(h, want);
}

static void test_sha256_fips(void **state)
{
	check_sha("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check_sha("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check_sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	check_sha("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
		  "klmnopqrlmnopqrsmnopqrstnopqrstu", 112,
		  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

/* one million 'a', given in uneven pieces so that blocks straddle updates */
static void test_sha256_million(void **state)
{
	struct sha256 c;
	uint8_t d[SHA256_LEN], a[997];
	char h[2 * SHA256_LEN + 1];
	size_t left = 1000000;

	memset(a, 'a', sizeof(a));
	sha256_init(&c);
	for (size_t k = 1; left; k = k % (sizeof(a) - 7) + 7) {
		size_t n = k < left ? k : left;

		sha256_update(&c, a, n);
		left -= n;
	}
	sha256_final(&c, d);
	hex(d, sizeof(d), h);
	assert_string_equal(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void test_hmac(void **state)
{
	uint8_t k1[20], k6[131], d[SHA256_LEN];
	const char *m1 = "Hi There", *m6 = "Test Using Larger Than Block-Size Key - Hash Key First";
	char h[2 * SHA256_LEN + 1];

	memset(k1, 0x0b, sizeof(k1));
	memset(k6, 0xaa, sizeof(k6));
	hmac_sha256(k1, sizeof(k1), (const void *const[]){ m1 }, (const size_t[]){ strlen(m1) }, 1, d);
	hex(d, sizeof(d), h);
	assert_string_equal(h, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	/* the message in two parts hashes as one */
	hmac_sha256(k6, sizeof(k6), (const void *const[]){ m6, m6 + 10 },
		    (const size_t[]){ 10, strlen(m6) - 10 }, 2, d);
	hex(d, sizeof(d), h);
	assert_string_equal(h, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

static void check_hkdf(const uint8_t *salt, size_t sl, const uint8_t *ikm, size_t il,
		       const uint8_t *info, size_t nl, size_t L, const char *want)
{
	uint8_t okm[128];
	char h[257];

	assert_int_equal(hkdf_sha256(salt, sl, ikm, il, info, nl, okm, L), 0);
	hex(okm, L, h);
	assert_string_equal(h, want);
}

static void test_hkdf_rfc5869(void **state)
{
	uint8_t ikm[80], salt[80], info[80];

	/* case 1: basic */
	memset(ikm, 0x0b, 22);
	for (int i = 0; i < 13; i++)
		salt[i] = i;
	for (int i = 0; i < 10; i++)
		info[i] = 0xf0 + i;
	check_hkdf(salt, 13, ikm, 22, info, 10, 42,
		   "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
	/* case 2: longer inputs and outputs */
	for (int i = 0; i < 80; i++)
		ikm[i] = i, salt[i] = 0x60 + i, info[i] = 0xb0 + i;
	check_hkdf(salt, 80, ikm, 80, info, 80, 82,
		   "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
		   "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
		   "cc30c58179ec3e87c14c01d5c1f3434f1d87");
	/* case 3: no salt, no info */
	memset(ikm, 0x0b, 22);
	check_hkdf(NULL, 0, ikm, 22, NULL, 0, 42,
		   "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
}

static void test_hkdf_too_long(void **state)
{
	uint8_t ikm[1] = { 1 }, out[1];

	assert_int_equal(hkdf_sha256(NULL, 0, ikm, 1, NULL, 0, out, 255 * 32 + 1), -22);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_fips),  cmocka_unit_test(test_sha256_million),
		cmocka_unit_test(test_hmac),	     cmocka_unit_test(test_hkdf_rfc5869),
		cmocka_unit_test(test_hkdf_too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
