// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netcreate -d overlay: a bridge network whose bridge has the VXLAN device
 * `vxlan add` makes, its VNI, peers and underlay read from -o options. The
 * same name and subnet on every host give one L2 segment: without an explicit
 * VNI the name decides it, the same way everywhere.
 */
#include "core/ops/overlay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/errstr.h"

#define OPT_VNI "com.docker.network.driver.overlay.vxlanid_list"
#define OPT_DOCKER "com.docker.network.driver.overlay."
#define OPT_BOXNET "boxnet.overlay."
#define OPT_ENCRYPTED "encrypted"

/* the -o options of an overlay, as a vxlan_spec (peers split at commas) */
struct ovl {
	struct vxlan_spec sp;
	char vni[12];
	char *peerbuf;
	const char *remotes[VXLAN_MAX_PEERS + 1];
};

/* the VNI of a network without vxlanid_list: FNV-1a of its name, folded
 * into 4096-16777215 (below 4096 is where hand-picked VNIs live) */
static uint32_t vni_of_name(const char *name)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 16777619u;
	return 4096 + h % (16777216 - 4096);
}

static bool is_overlay_key(const char *k)
{
	return !strncmp(k, OPT_DOCKER, strlen(OPT_DOCKER)) || !strncmp(k, OPT_BOXNET, strlen(OPT_BOXNET)) ||
	       !strcmp(k, OPT_ENCRYPTED);
}

static void ovl_free(struct ovl *o)
{
	free(o->peerbuf);
}

/* @opts into @o; unknown overlay keys refused */
static int ovl_read(struct session *s, const char *name, const struct pairs *opts, struct ovl *o)
{
	static const char *const known[] = { OPT_VNI, OPT_BOXNET "peers", OPT_BOXNET "dev",
					     OPT_BOXNET "local", OPT_BOXNET "keyfile", OPT_BOXNET "control",
					     OPT_BOXNET "port", OPT_ENCRYPTED };
	const char *v;

	memset(o, 0, sizeof(*o));
	for (size_t i = 0; i < opts->n; i++) {
		size_t j = 0;

		while (j < sizeof(known) / sizeof(*known) && strcmp(opts->key[i], known[j]))
			j++;
		if (is_overlay_key(opts->key[i]) && j == sizeof(known) / sizeof(*known))
			return session_fail(s, -EINVAL, "unknown overlay option %s", opts->key[i]);
	}
	if ((v = pairs_get(opts, OPT_VNI)))
		o->sp.vni = v;
	else
		snprintf(o->vni, sizeof(o->vni), "%u", vni_of_name(name)), o->sp.vni = o->vni;
	o->sp.dev = pairs_get(opts, OPT_BOXNET "dev");
	o->sp.local = pairs_get(opts, OPT_BOXNET "local");
	o->sp.port = pairs_get(opts, OPT_BOXNET "port");
	o->sp.remotes = o->remotes;
	if ((v = pairs_get(opts, OPT_BOXNET "peers")) && *v) {
		char *save = NULL;

		if (!(o->peerbuf = strdup(v)))
			return session_fail(s, -ENOMEM, "out of memory");
		for (char *p = strtok_r(o->peerbuf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
			if (o->sp.nremotes == VXLAN_MAX_PEERS)
				return session_fail(s, -E2BIG, "too many peers (%d at most)", VXLAN_MAX_PEERS);
			o->remotes[o->sp.nremotes++] = p;
		}
	}
	o->sp.encrypted = pairs_get(opts, OPT_ENCRYPTED) != NULL;
	/* EVPN: as vxlan add --control evpn (evpn_plan), worded for -o */
	o->sp.control = pairs_get(opts, OPT_BOXNET "control");
	if (o->sp.control && !strcmp(o->sp.control, "evpn")) {
		if (o->sp.nremotes || o->sp.encrypted)
			return session_fail(s, -EINVAL, "an EVPN overlay takes no %speers nor encrypted: "
							"BGP EVPN finds the peers", OPT_BOXNET);
		if (!o->sp.local)
			return session_fail(s, -EINVAL, "an EVPN overlay needs -o %slocal=IP: the VTEP "
							"address BGP announces", OPT_BOXNET);
		return 0;
	}
	if (!o->sp.nremotes && !o->sp.dev)
		return session_fail(s, -EINVAL, "an overlay network needs -o %speers=IP[,IP]... or "
						"-o %sdev=IFACE", OPT_BOXNET, OPT_BOXNET);
	return 0;
}

int overlay_net_check(struct session *s, const char *name, bool overlay, const struct pairs *opts,
		      bool has_subnet)
{
	struct ovl o;
	int ret;

	if (!overlay) {
		for (size_t i = 0; i < opts->n; i++)
			if (is_overlay_key(opts->key[i]))
				return session_fail(s, -EINVAL, "option %s is for the overlay driver only",
						    opts->key[i]);
		return 0;
	}
	if (!has_subnet)
		return session_fail(s, -EINVAL, "an overlay network needs --subnet: every host must use "
						"the same one");
	if (!(ret = ovl_read(s, name, opts, &o)))
		ret = vxlan_check(s, name, &o.sp);
	if (!ret && pairs_get(opts, OPT_ENCRYPTED) && !o.sp.nremotes && !o.sp.local)
		ret = session_fail(s, -EINVAL, "an encrypted overlay without peers needs "
					       "-o %slocal=IP", OPT_BOXNET);
	if (!ret && pairs_get(opts, OPT_ENCRYPTED))
		ret = ipsec_check(s, opts);
	else if (!ret && pairs_get(opts, OPT_BOXNET "keyfile"))
		ret = session_fail(s, -EINVAL, "option %skeyfile needs --opt encrypted", OPT_BOXNET);
	ovl_free(&o);
	return ret;
}

int overlay_net_attach(struct session *s, const char *name, const struct pairs *opts)
{
	struct ovl o;
	int ret = ovl_read(s, name, opts, &o);

	if (!ret)
		ret = vxlan_attach(s, name, &o.sp);
	ovl_free(&o);
	if (!ret && pairs_get(opts, OPT_ENCRYPTED)) {
		struct vxlan v;

		/* the caller removes the network, overlay and all, on a failure */
		if ((ret = vxlan_load(&s->st, name, &v)))
			return session_fail(s, ret, "cannot read the overlay: %s", errstr(ret));
		if (!(ret = ipsec_up(s, &v)) && (ret = vxlan_save(&s->st, &v)))
			session_fail(s, ret, "cannot save the overlay: %s", errstr(ret));
	}
	return ret;
}
