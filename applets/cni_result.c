// SPDX-License-Identifier: GPL-2.0-or-later
/* What the CNI plugin prints: results and errors per spec version. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applets/cni.h"
#include "applets/err.h"

const char *const cni_versions[] = { "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0", NULL };
#define NEWEST "1.1.0"

int cni_version_index(const char *v)
{
	for (int i = 0; v && cni_versions[i]; i++)
		if (!strcmp(v, cni_versions[i]))
			return i;
	return -1;
}

/* @v and a newline on stdout, in one write */
static int emit(struct jv *v)
{
	char *text;
	size_t n;
	int ret = jv_dump(v, 0, JV_NOHTML, &text, &n);

	jv_free(v);
	if (ret) {
		msg("cannot build the reply: out of memory");
		return EXIT_FAIL;
	}
	text[n] = '\n'; /* jv_dump's NUL becomes the newline */
	ret = fwrite(text, 1, n + 1, stdout) == n + 1 && fflush(stdout) == 0 ? 0 : EXIT_FAIL;
	free(text);
	return ret;
}

int cni_fail(const char *version, int code, const char *details, const char *fmt, ...)
{
	struct jv *e = jv_object();
	char text[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	msg("%s", text); /* the log, for whoever reads the runtime's stderr */
	jv_set(e, "cniVersion", jv_str(cni_version_index(version) >= 0 ? version : NEWEST));
	jv_set(e, "code", jv_int(code));
	jv_set(e, "msg", jv_str(text));
	if (details && *details)
		jv_set(e, "details", jv_str(details));
	emit(e);
	return EXIT_FAIL;
}

int cni_version_reply(void)
{
	struct jv *v = jv_object(), *list = jv_array();

	for (int i = 0; cni_versions[i]; i++)
		jv_push(list, jv_str(cni_versions[i]));
	jv_set(v, "cniVersion", jv_str(NEWEST));
	jv_set(v, "supportedVersions", list);
	return emit(v) ? EXIT_FAIL : 0;
}

/* the elements of @prev's array @key, shared into @into; their count */
static size_t take(struct jv *into, const struct jv *prev, const char *key)
{
	const struct jv *a;

	if (jv_member(prev, key, JV_ARRAY, &a))
		return 0;
	for (size_t i = 0; i < jv_len(a); i++)
		jv_push(into, jv_ref(jv_at(a, i)));
	return jv_len(a);
}

int cni_result(const char *version, const struct rt_result *r, const char *nspath,
	       const struct jv *prev)
{
	struct jv *res = jv_object(), *ifs = jv_array(), *ips = jv_array(), *routes = jv_array();
	struct jv *host = jv_object(), *ctr = jv_object();
	const struct jv *dns;
	char mac[MAC_STRLEN], a[PFX_STRLEN], gw[IP_STRLEN];
	bool v1 = cni_version_index(version) >= cni_version_index("1.0.0");
	size_t first = take(ifs, prev, "interfaces");

	/* ours come after what the plugins before us made, as the spec chains them */
	jv_set(host, "name", jv_str(r->ep.veth));
	jv_set(host, "mac", jv_str(mac_format(r->host_mac, mac)));
	jv_push(ifs, host);
	jv_set(ctr, "name", jv_str(r->ep.ifname));
	jv_set(ctr, "mac", jv_str(mac_format(r->ep.mac, mac)));
	if (!strcmp(version, "1.1.0"))
		jv_set(ctr, "mtu", jv_int(r->net.mtu));
	jv_set(ctr, "sandbox", jv_str(nspath));
	jv_push(ifs, ctr);

	take(ips, prev, "ips");
	take(routes, prev, "routes");
	/* one address per family the container has, and its default route */
	for (int v6 = 0; v6 < 2; v6++) {
		const struct ipaddr *addr = v6 ? &r->ep.ip6 : &r->ep.ip;
		const struct ipaddr *gwa = v6 ? &r->net.gateway6 : &r->net.gateway;
		struct jv *ip;

		if (!ip_is_set(addr))
			continue;
		ip = jv_object();
		if (!v1)
			jv_set(ip, "version", jv_str(v6 ? "6" : "4")); /* dropped in 1.0.0 */
		jv_set(ip, "address", jv_str(pfx_format(&(struct ipprefix){
			*addr, v6 ? r->net.subnet6.len : r->net.subnet.len }, a)));
		jv_set(ip, "gateway", jv_str(ip_format(gwa, gw)));
		jv_set(ip, "interface", jv_int(first + 1));
		jv_push(ips, ip);
		if (!r->net.internal) {
			struct jv *def = jv_object();

			jv_set(def, "dst", jv_str(v6 ? "::/0" : "0.0.0.0/0"));
			jv_set(def, "gw", jv_str(gw));
			jv_push(routes, def);
		}
	}

	jv_set(res, "cniVersion", jv_str(version));
	jv_set(res, "interfaces", ifs);
	jv_set(res, "ips", ips);
	jv_set(res, "routes", routes);
	jv_set(res, "dns", jv_member(prev, "dns", JV_OBJECT, &dns) ? jv_object()
								     : jv_ref((struct jv *)dns));
	return emit(res);
}
