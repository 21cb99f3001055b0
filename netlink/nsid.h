/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RTM_NEWNSID / RTM_GETNSID: the ids by which one network namespace names
 * another ("nsid"). Requests carry a struct rtgenmsg (AF_UNSPEC) and NETNSA_*
 * attributes. Functions return 0 on success and -errno on failure, with the
 * kernel's explanation in nl_errmsg().
 */
#ifndef BOXNET_NL_NSID_H
#define BOXNET_NL_NSID_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "netlink/nl.h"

#define NL_NSID_NONE INT_MIN /* in struct nl_nsid_req: leave the attribute out */

/* the attributes of a request; NL_NSID_NONE (or fd < 0) leaves one out */
struct nl_nsid_req {
	int fd;     /* NETNSA_FD: an fd of the namespace asked about */
	int nsid;   /* NETNSA_NSID: -1 in RTM_NEWNSID lets the kernel choose */
	int target; /* NETNSA_TARGET_NSID: answer from this namespace's view */
};

/* one RTM_NEWNSID (or RTM_DELNSID) message */
struct nl_nsid {
	int type;         /* RTM_NEWNSID or RTM_DELNSID */
	int nsid;         /* -1 (NETNSA_NSID_NOT_ASSIGNED) when there is none */
	int current;      /* NETNSA_CURRENT_NSID, when has_current */
	bool has_current; /* the request named a target namespace */
};

/*
 * nl_nsid_put_req - append the attributes of @q to @n (a request already
 * holding its rtgenmsg) in the order NETNSA_FD, NETNSA_NSID,
 * NETNSA_TARGET_NSID, never growing it past @cap bytes. Pure; 0 or -EMSGSIZE.
 */
int nl_nsid_put_req(struct nlmsghdr *n, size_t cap, const struct nl_nsid_req *q);

/*
 * nl_nsid_parse - fill @out from an RTM_NEWNSID/RTM_DELNSID message. Pure;
 * -EPROTO for another type, -EBADMSG when short or when NETNSA_NSID is
 * missing or malformed.
 */
int nl_nsid_parse(const struct nlmsghdr *n, struct nl_nsid *out);

/* nl_nsid_get_fd - the nsid the caller's namespace has given to the namespace
 * of @fd, -1 in *nsid when none. */
int nl_nsid_get_fd(struct nl *nl, int fd, int *nsid);

/* nl_nsid_get_id - what the kernel says about @nsid, from the view of
 * namespace @target when it is not NL_NSID_NONE. */
int nl_nsid_get_id(struct nl *nl, int nsid, int target, struct nl_nsid *out);

/* nl_nsid_set - give the namespace of @fd the id @nsid (-1: the lowest free
 * one). -EEXIST when it has one already or @nsid is taken. */
int nl_nsid_set(struct nl *nl, int fd, int nsid);

/* nl_nsid_list - every nsid known to the caller's namespace (or to @target's
 * when not NL_NSID_NONE), in the kernel's order. The caller frees *out. */
int nl_nsid_list(struct nl *nl, int target, struct nl_nsid **out, size_t *n);

#endif
