/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IPsec over XFRM netlink (NETLINK_XFRM), the little an encrypted overlay
 * needs: ESP transport-mode states with rfc4106(gcm(aes)) (AES-128-GCM,
 * 16-byte ICV) and the in/out policies that send one UDP port between two
 * hosts through them. Requests are laid out as iproute2's `ip xfrm` lays
 * them out (tests/integration/xfrm.sh compares the bytes). IPv4 only.
 * 0 or -errno, the kernel's words in nl_errmsg().
 */
#ifndef BOXNET_NL_XFRM_H
#define BOXNET_NL_XFRM_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"
#include "netlink/nl.h"

/* rfc4106: a 128-bit AES key followed by the 32-bit salt of the nonce */
#define NL_XFRM_KEYLEN 20

/* one security association: ESP from @src to @dst under @spi */
struct nl_xfrm_sa {
	struct ipaddr src, dst;
	uint32_t spi;	/* host order; the kernel gets it big-endian */
	uint32_t reqid; /* ties it to the policies' template */
	uint8_t key[NL_XFRM_KEYLEN];
};

/* one policy: @proto/@dport traffic from @src to @dst (hosts) in direction
 * @in (else out) must be ESP in transport mode with @reqid */
struct nl_xfrm_policy {
	struct ipaddr src, dst;
	uint8_t proto;
	uint16_t dport;
	bool in;
	uint32_t reqid;
};

/* nl_xfrm_sa_req - build XFRM_MSG_NEWSA (@add) or XFRM_MSG_DELSA for @sa in
 * nl->req, ready for nl_talk (which adds NLM_F_ACK) */
struct nlmsghdr *nl_xfrm_sa_req(struct nl *nl, const struct nl_xfrm_sa *sa, bool add);
/* nl_xfrm_policy_req - XFRM_MSG_NEWPOLICY (@add) or XFRM_MSG_DELPOLICY */
struct nlmsghdr *nl_xfrm_policy_req(struct nl *nl, const struct nl_xfrm_policy *p, bool add);

/* nl_xfrm_sa, nl_xfrm_policy - send those requests; @nl is a NETLINK_XFRM
 * socket. Deleting what is not there is -ESRCH (SA) or -ENOENT (policy). */
int nl_xfrm_sa(struct nl *nl, const struct nl_xfrm_sa *sa, bool add);
int nl_xfrm_policy(struct nl *nl, const struct nl_xfrm_policy *p, bool add);

/* nl_xfrm_esp_probe - 0 when the kernel takes an ESP state with the AEAD
 * above: it adds one between two TEST-NET-1 addresses and deletes it again.
 * Else -errno (-ENOSYS: no such AEAD, -EPROTONOSUPPORT: no ESP) and the
 * kernel's words in nl_errmsg(). */
int nl_xfrm_esp_probe(struct nl *nl);

#endif
