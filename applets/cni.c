// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cni - the CNI plugin (spec 1.1): boxnet run as "boxnet" with CNI_COMMAND set
 * and the network configuration on stdin. It translates the runtime's input
 * into core/ops/runtime.h calls: what it makes is what netconnect and portfwd
 * make. Results and errors go to stdout as JSON, logs to stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/errstr.h"
#include "applets/cni.h"
#include "applets/err.h"
#include "core/ops/repair.h"
#include "lib/addr.h"
#include "lib/names.h"

struct cni {
	const char *cmd, *ctr, *netns, *ifname, *version;
	struct jv *conf;
	struct net_spec net;
	const char *ip, *ip6, *mac;
	char **ports;
	size_t nports;
	const char **aliases;
	size_t naliases;
	char ipbuf[IP_STRLEN], ip6buf[IP_STRLEN], podname[65];
};

/* the variables @cmd needs, in the spec's order; the error names the missing */
static int need_env(struct cni *c, bool netns)
{
	char missing[64] = "";

	if (!c->ctr || !*c->ctr)
		strcat(missing, " CNI_CONTAINERID");
	if (netns && (!c->netns || !*c->netns))
		strcat(missing, " CNI_NETNS");
	if (!c->ifname || !*c->ifname)
		strcat(missing, " CNI_IFNAME");
	if (missing[0])
		return cni_fail(c->version, CNI_EENV, NULL, "required environment variables missing:%s",
				missing);
	if (!obj_name_valid(c->ctr))
		return cni_fail(c->version, CNI_EENV, NULL, "invalid CNI_CONTAINERID \"%s\": letters, "
				"digits, '_', '.' and '-', starting with a letter or digit, 64 at most",
				c->ctr);
	if (!name_is_ifname(c->ifname))
		return cni_fail(c->version, CNI_EENV, NULL, "invalid CNI_IFNAME \"%s\"", c->ifname);
	return 0;
}

/* member @key of @o with type @t; absent is fine, another type is not */
static int opt(struct cni *c, const struct jv *o, const char *key, enum jv_type t,
	       const struct jv **v)
{
	static const char *const names[] = { "null", "a boolean", "an integer", "a string",
					     "an array", "an object" };
	int ret = jv_member(o, key, t, v);

	if (ret == -EINVAL)
		return cni_fail(c->version, CNI_ECONFIG, NULL, "invalid network config: \"%s\" must be %s",
				key, names[t]);
	return 0;
}

/* runtimeConfig.portMappings into portfwd SPECs */
static int port_mappings(struct cni *c, const struct jv *list)
{
	if (!(c->ports = calloc(jv_len(list) + 1, sizeof(char *))))
		return cni_fail(c->version, CNI_EOTHER, NULL, "out of memory");
	for (size_t i = 0; i < jv_len(list); i++) {
		const struct jv *m = jv_at(list, i), *hp, *cp, *proto = NULL, *hip = NULL;
		const char *p, *h;
		char spec[128];

		if (jv_type(m) != JV_OBJECT || jv_member(m, "hostPort", JV_INT, &hp) ||
		    jv_member(m, "containerPort", JV_INT, &cp) ||
		    jv_member(m, "protocol", JV_STR, &proto) == -EINVAL ||
		    jv_member(m, "hostIP", JV_STR, &hip) == -EINVAL ||
		    jv_intval(hp) < 1 || jv_intval(hp) > 65535 || jv_intval(cp) < 1 ||
		    jv_intval(cp) > 65535)
			return cni_fail(c->version, CNI_ECONFIG, NULL, "invalid portMappings[%zu]: want "
					"{\"hostPort\": 1-65535, \"containerPort\": 1-65535, "
					"\"protocol\": \"tcp|udp|sctp\", \"hostIP\": \"IP\"}", i);
		p = proto ? jv_strval(proto) : "tcp";
		h = hip ? jv_strval(hip) : "";
		if (strcmp(p, "tcp") && strcmp(p, "udp") && strcmp(p, "sctp"))
			return cni_fail(c->version, CNI_ECONFIG, NULL,
					"invalid portMappings[%zu]: unknown protocol \"%s\"", i, p);
		if (strlen(h) > IP_STRLEN)
			return cni_fail(c->version, CNI_ECONFIG, NULL,
					"invalid portMappings[%zu]: bad hostIP", i);
		snprintf(spec, sizeof(spec), "%s%s%s%s%lld:%lld/%s", strchr(h, ':') ? "[" : "", h,
			 strchr(h, ':') ? "]" : "", *h ? ":" : "", jv_intval(hp), jv_intval(cp), p);
		if (!(c->ports[c->nports++] = strdup(spec)))
			return cni_fail(c->version, CNI_EOTHER, NULL, "out of memory");
	}
	return 0;
}

/* @name as one more name of the container, once */
static void add_name(struct cni *c, const char *name)
{
	for (size_t i = 0; i < c->naliases; i++)
		if (!strcmp(c->aliases[i], name))
			return;
	if (strcmp(name, c->ctr))
		c->aliases[c->naliases++] = name;
}

/*
 * The names a runtime gives the container, for the hosts files: podman, as
 * it tells its dnsname plugin, puts the container's name in CNI_ARGS
 * (K8S_POD_NAME, also the pod's name under kubelet) and its network aliases
 * in runtimeConfig.aliases under the CNI network's name. A K8S_POD_NAME
 * that is no valid name is left out (an optional argument, not the
 * configuration's fault); a bad alias is refused like netconnect --alias.
 */
static int aliases(struct cni *c, const struct jv *rc)
{
	const char *args = getenv("CNI_ARGS"), *p;
	const struct jv *map = NULL, *list = NULL;
	int ret;

	if (rc && ((ret = opt(c, rc, "aliases", JV_OBJECT, &map)) ||
		   (map && (ret = opt(c, map, jv_strval(jv_get(c->conf, "name")), JV_ARRAY, &list)))))
		return ret;
	if (!(c->aliases = calloc(jv_len(list) + 1, sizeof(char *))))
		return cni_fail(c->version, CNI_EOTHER, NULL, "out of memory");
	for (p = args; p && (p = strstr(p, "K8S_POD_NAME=")); p++) {
		size_t n = strcspn(p + 13, ";");

		if (p != args && p[-1] != ';')
			continue;
		if (n < sizeof(c->podname)) {
			memcpy(c->podname, p + 13, n);
			c->podname[n] = 0;
			if (obj_name_valid(c->podname))
				add_name(c, c->podname);
		}
		break;
	}
	for (size_t i = 0; i < jv_len(list); i++) {
		const char *a = jv_strval(jv_at(list, i));

		if (!a || strlen(a) != jv_len(jv_at(list, i)))
			return cni_fail(c->version, CNI_ECONFIG, NULL,
					"invalid runtimeConfig.aliases: names must be strings");
		add_name(c, a);
	}
	return 0;
}

/* runtimeConfig: the capabilities boxnet honours */
static int capabilities(struct cni *c)
{
	const struct jv *rc, *v;
	int ret;

	if ((ret = opt(c, c->conf, "runtimeConfig", JV_OBJECT, &rc)) || (ret = aliases(c, rc)) || !rc)
		return ret;
	if ((ret = opt(c, rc, "portMappings", JV_ARRAY, &v)) || (v && (ret = port_mappings(c, v))))
		return ret;
	if ((ret = opt(c, rc, "mac", JV_STR, &v)))
		return ret;
	c->mac = v ? jv_strval(v) : NULL;
	if ((ret = opt(c, rc, "ips", JV_ARRAY, &v)) || !v)
		return ret;
	for (size_t i = 0; i < jv_len(v); i++) {
		const char *s = jv_strval(jv_at(v, i));
		struct ipprefix p;
		struct ipaddr a;

		/* "10.1.2.3/24" by the convention, a bare address from some runtimes */
		if (!s || (pfx_parse(s, AF_UNSPEC, &p) && ip_parse(s, AF_UNSPEC, &p.a)))
			return cni_fail(c->version, CNI_ECONFIG, NULL, "invalid ips[%zu]: want an "
					"address as \"IP/LEN\"", i);
		a = p.a;
		/* one address of each family: an interface's, as netconnect --ip/--ip6 */
		if (a.family == AF_INET ? c->ip != NULL : c->ip6 != NULL)
			return cni_fail(c->version, CNI_ECONFIG, NULL, "ips: one IPv%c address at most",
					a.family == AF_INET ? '4' : '6');
		if (a.family == AF_INET)
			c->ip = ip_format(&a, c->ipbuf);
		else
			c->ip6 = ip_format(&a, c->ip6buf);
	}
	return 0;
}

/* the plugin's own keys: the boxnet network and how to make it */
static int network_config(struct cni *c)
{
	const struct jv *name, *v, *type;
	int ret;

	if (jv_member(c->conf, "name", JV_STR, &name) || !obj_name_valid(jv_strval(name)))
		return cni_fail(c->version, CNI_ECONFIG, NULL,
				"invalid network config: \"name\" must be a valid network name");
	if (jv_member(c->conf, "type", JV_STR, &type))
		return cni_fail(c->version, CNI_ECONFIG, NULL,
				"invalid network config: \"type\" is required");
	if ((ret = opt(c, c->conf, "network", JV_STR, &v)))
		return ret;
	c->net.name = jv_strval(v ? v : name);
	if (!obj_name_valid(c->net.name))
		return cni_fail(c->version, CNI_ECONFIG, NULL, "invalid network config: bad \"network\" "
				"name \"%s\"", c->net.name);
	/* subnet, gateway, ipRange: a string, or one per family in an array,
	 * sorted by family as netcreate sorts its options */
	for (int k = 0; k < 3; k++) {
		static const char *const key[] = { "subnet", "gateway", "ipRange" };
		const char **v4 = k == 0 ? &c->net.subnet : k == 1 ? &c->net.gateway : &c->net.ip_range;
		const char **v6 = k == 0 ? &c->net.subnet6 : k == 1 ? &c->net.gateway6 : &c->net.ip_range6;

		if (jv_member(c->conf, key[k], JV_ARRAY, &v) && (ret = opt(c, c->conf, key[k], JV_STR, &v)))
			return ret;
		for (size_t i = 0; v && i < (jv_type(v) == JV_ARRAY ? jv_len(v) : 1); i++) {
			const char *t = jv_strval(jv_type(v) == JV_ARRAY ? jv_at(v, i) : v);
			const char **to = t && strchr(t, ':') ? v6 : v4;

			if (!t || *to)
				return cni_fail(c->version, CNI_ECONFIG, NULL, "invalid network config: "
						"\"%s\" takes one string per address family", key[k]);
			*to = t;
		}
	}
	if ((ret = opt(c, c->conf, "internal", JV_BOOL, &v)))
		return ret;
	c->net.internal = jv_boolval(v);
	if ((ret = opt(c, c->conf, "ipv6", JV_BOOL, &v)))
		return ret;
	c->net.ipv6 = jv_boolval(v);
	if ((ret = opt(c, c->conf, "mtu", JV_INT, &v)))
		return ret;
	if (v && (jv_intval(v) < 68 || jv_intval(v) > 65535))
		return cni_fail(c->version, CNI_ECONFIG, NULL,
				"invalid network config: \"mtu\" must be 68 to 65535");
	c->net.mtu = v ? jv_intval(v) : 0;
	if ((ret = opt(c, c->conf, "options", JV_OBJECT, &v)) || !v)
		return ret;
	for (size_t i = 0; i < jv_len(v); i++) {
		const char *s = jv_strval(jv_at(v, i));

		if (!s || strlen(s) != jv_len(jv_at(v, i)))
			return cni_fail(c->version, CNI_ECONFIG, NULL, "invalid network config: "
					"option \"%s\" must be a string", jv_key(v, i));
		if (pairs_add(&c->net.opts, jv_key(v, i), s))
			return cni_fail(c->version, CNI_EOTHER, NULL, "out of memory");
	}
	return 0;
}

/* a core failure as the spec's code: the configuration's fault, busy, or other */
static int ops_fail(struct cni *c, struct session *s, int ret, const char *what)
{
	int code = ret == -EINVAL ? CNI_ECONFIG : ret == -EAGAIN || ret == -EBUSY ? CNI_EAGAIN
										    : CNI_EOTHER;

	return cni_fail(c->version, code, s->err, "%s: %s", what, s->err[0] ? s->err : "failed");
}

static int cmd_add(struct cni *c)
{
	const struct jv *prev;
	struct rt_attach a;
	struct rt_result r;
	struct session s;
	int ret;

	if ((ret = need_env(c, true)) || (ret = network_config(c)) || (ret = capabilities(c)) ||
	    (ret = opt(c, c->conf, "prevResult", JV_OBJECT, &prev)))
		return ret;
	a = (struct rt_attach){ .create = &c->net, .container = c->ctr, .nspath = c->netns,
				.ifname = c->ifname, .ip = c->ip, .ip6 = c->ip6, .mac = c->mac,
				.aliases = c->aliases, .naliases = c->naliases,
				.ports = c->ports, .nports = c->nports };
	if ((ret = ops_open(&s)))
		return cni_fail(c->version, ret == -EAGAIN ? CNI_EAGAIN : CNI_EIO, NULL, "%s", s.err);
	if ((ret = rt_nspath_check(&s, c->netns))) {
		ret = cni_fail(c->version, CNI_EENV, NULL, "invalid CNI_NETNS: %s", s.err);
		session_close(&s);
		return ret;
	}
	if ((ret = rt_add(&s, &a, &r))) {
		ret = ops_fail(c, &s, ret, "cannot add the container");
		session_close(&s);
		return ret;
	}
	session_close(&s);
	ret = cni_result(c->version, &r, c->netns, prev);
	rt_result_free(&r);
	return ret;
}

static int cmd_del(struct cni *c)
{
	struct session s;
	int ret;

	if ((ret = need_env(c, false)) || (ret = network_config(c)))
		return ret;
	if ((ret = ops_open(&s)))
		return cni_fail(c->version, ret == -EAGAIN ? CNI_EAGAIN : CNI_EIO, NULL, "%s", s.err);
	ret = rt_del(&s, c->net.name, c->ctr) ? ops_fail(c, &s, ret, "cannot delete the container") : 0;
	session_close(&s);
	return ret;
}

static int cmd_check(struct cni *c)
{
	const struct jv *prev;
	struct session s;
	int ret;

	if (cni_version_index(c->version) < cni_version_index("0.4.0"))
		return cni_fail(c->version, CNI_EVERSION, NULL, "config version does not allow CHECK");
	if ((ret = need_env(c, true)) || (ret = network_config(c)) ||
	    (ret = opt(c, c->conf, "prevResult", JV_OBJECT, &prev)))
		return ret;
	if (!prev)
		return cni_fail(c->version, CNI_ECONFIG, NULL, "CHECK needs the prevResult of the ADD");
	if ((ret = session_open(&s, false)))
		return cni_fail(c->version, CNI_EIO, NULL, "%s", s.err);
	ret = rt_check(&s, c->net.name, c->ctr, c->ifname, c->netns);
	if (ret)
		ret = cni_fail(c->version, ret == -ENOENT ? CNI_ENOCTR : CNI_EOTHER, NULL, "%s", s.err);
	session_close(&s);
	return ret;
}

/* cni.dev/valid-attachments: is (@ctr, @ifname) one of them? */
static bool valid_attachment(const char *ctr, const char *ifname, void *arg)
{
	const struct jv *list = arg;

	for (size_t i = 0; i < jv_len(list); i++) {
		const char *id = jv_strval(jv_get(jv_at(list, i), "containerID"));
		const char *ifn = jv_strval(jv_get(jv_at(list, i), "ifname"));

		if (id && ifn && !strcmp(id, ctr) && !strcmp(ifn, ifname))
			return true;
	}
	return false;
}

static int cmd_gc(struct cni *c)
{
	const struct jv *list;
	struct session s;
	int ret;

	if (cni_version_index(c->version) < cni_version_index("1.1.0"))
		return cni_fail(c->version, CNI_EVERSION, NULL, "config version does not allow GC");
	if ((ret = network_config(c)) ||
	    (ret = opt(c, c->conf, "cni.dev/valid-attachments", JV_ARRAY, &list)))
		return ret;
	for (size_t i = 0; i < jv_len(list); i++)
		if (jv_type(jv_at(list, i)) != JV_OBJECT)
			return cni_fail(c->version, CNI_ECONFIG, NULL,
					"cni.dev/valid-attachments[%zu] must be an object", i);
	if ((ret = ops_open(&s)))
		return cni_fail(c->version, ret == -EAGAIN ? CNI_EAGAIN : CNI_EIO, NULL, "%s", s.err);
	ret = rt_gc(&s, c->net.name, valid_attachment, (void *)list);
	ret = ret ? ops_fail(c, &s, ret, "garbage collection failed") : 0;
	session_close(&s);
	return ret;
}

static int cmd_status(struct cni *c)
{
	struct session s;
	int ret;

	if (cni_version_index(c->version) < cni_version_index("1.1.0"))
		return cni_fail(c->version, CNI_EVERSION, NULL, "config version does not allow STATUS");
	if ((ret = network_config(c)))
		return ret;
	if ((ret = session_open(&s, false)))
		return cni_fail(c->version, CNI_EUNAVAIL, NULL, "%s", s.err);
	if (!(ret = rt_status(&s, c->net.name)) && access(s.st.dir, W_OK) < 0 && errno != ENOENT)
		ret = session_fail(&s, -errno, "cannot write %s", s.st.dir);
	if (ret)
		ret = cni_fail(c->version, CNI_EUNAVAIL, NULL, "%s", s.err);
	session_close(&s);
	return ret;
}

int cni_main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(struct cni *c);
	} cmds[] = { { "ADD", cmd_add }, { "DEL", cmd_del }, { "CHECK", cmd_check },
		     { "GC", cmd_gc }, { "STATUS", cmd_status } };
	struct cni c = { .cmd = getenv("CNI_COMMAND"), .ctr = getenv("CNI_CONTAINERID"),
			 .netns = getenv("CNI_NETNS"), .ifname = getenv("CNI_IFNAME") };
	const struct jv *v;
	char *text = NULL, err[128];
	size_t len = 0;
	int ret;

	if (!strcmp(c.cmd, "VERSION"))
		return cni_version_reply();
	if ((ret = jv_read_fd(0, &text, &len)))
		return cni_fail(NULL, CNI_EIO, NULL, "cannot read the network configuration: %s",
				errstr(-ret));
	ret = jv_parse(text, len, &c.conf, err, sizeof(err));
	free(text);
	if (ret)
		return cni_fail(NULL, CNI_EDECODE, NULL, "cannot decode the network configuration: %s",
				err);
	if (jv_type(c.conf) != JV_OBJECT) {
		ret = cni_fail(NULL, CNI_EDECODE, NULL, "the network configuration is not an object");
		goto out;
	}
	/* an absent version is 0.1.0 to libcni, which boxnet does not speak */
	c.version = jv_member(c.conf, "cniVersion", JV_STR, &v) ? "0.1.0" : jv_strval(v);
	if (cni_version_index(c.version) < 0) {
		ret = cni_fail(NULL, CNI_EVERSION, NULL, "incompatible CNI version \"%s\": boxnet "
			       "supports 0.3.0, 0.3.1, 0.4.0, 1.0.0 and 1.1.0", c.version);
		goto out;
	}
	ret = -1;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(*cmds); i++)
		if (!strcmp(c.cmd, cmds[i].name))
			ret = cmds[i].run(&c);
	if (ret < 0)
		ret = cni_fail(c.version, CNI_EENV, NULL, "unknown CNI_COMMAND \"%s\"", c.cmd);
out:
	for (size_t i = 0; i < c.nports; i++)
		free(c.ports[i]);
	free(c.ports);
	free(c.aliases);
	pairs_free(&c.net.opts);
	jv_free(c.conf);
	return ret;
}
