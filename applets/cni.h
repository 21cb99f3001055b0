/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The CNI plugin's two halves: applets/cni.c reads what the runtime gives and
 * calls core/ops/runtime.h; applets/cni_result.c writes what the runtime
 * reads back (results and errors, in the shape of each spec version).
 */
#ifndef BOXNET_CNI_H
#define BOXNET_CNI_H

#include <stdbool.h>

#include "core/ops/runtime.h"
#include "lib/json.h"

/* the spec's well-known error codes (SPEC.md, "Error codes") */
enum cni_code {
	CNI_EVERSION = 1,  /* incompatible CNI version */
	CNI_EFIELD = 2,    /* unsupported field in the network configuration */
	CNI_ENOCTR = 3,    /* container unknown or does not exist */
	CNI_EENV = 4,      /* invalid necessary environment variables */
	CNI_EIO = 5,       /* I/O failure */
	CNI_EDECODE = 6,   /* failed to decode content */
	CNI_ECONFIG = 7,   /* invalid network config */
	CNI_EAGAIN = 11,   /* try again later */
	CNI_EUNAVAIL = 50, /* STATUS: the plugin cannot serve ADD */
	CNI_EOTHER = 999,  /* anything else (libcni's "internal") */
};

/* the versions answered, oldest first; cni_version_index: its place, or -1 */
extern const char *const cni_versions[];
int cni_version_index(const char *v);

/*
 * cni_fail - the error JSON {"cniVersion","code","msg","details"} on stdout
 * (@version NULL: the newest), the message on stderr; returns EXIT_FAIL.
 */
int cni_fail(const char *version, int code, const char *details, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* cni_version_reply - VERSION's answer on stdout; 0 or EXIT_FAIL */
int cni_version_reply(void);

/*
 * cni_result - ADD's result in the shape of @version: the interfaces, ips and
 * routes of @prev (a chained prevResult, NULL allowed) followed by the host
 * end, the container's interface (sandbox @nspath), its address and default
 * route; dns from @prev or empty. Printed on stdout; 0 or EXIT_FAIL.
 */
int cni_result(const char *version, const struct rt_result *r, const char *nspath,
	       const struct jv *prev);

#endif
