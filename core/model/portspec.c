// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/model/portspec.h"
#include "lib/addr.h"
#include "lib/ipproto.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

const char *port_proto_name(uint8_t p)
{
	const char *n = ipproto_name(p);

	return n ? n : "?";
}

/* "LO" or "LO-HI", 1..65535 each, LO <= HI */
static int parse_range(const char *s, size_t len, uint16_t *lo, uint16_t *hi)
{
	char buf[16], *end;
	unsigned long a, b;

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = 0;
	if (buf[0] < '0' || buf[0] > '9')
		return -EINVAL;
	a = strtoul(buf, &end, 10);
	b = a;
	if (*end == '-') {
		if (end[1] < '0' || end[1] > '9')
			return -EINVAL;
		b = strtoul(end + 1, &end, 10);
	}
	if (*end || !a || a > 65535 || !b || b > 65535 || b < a)
		return -ERANGE;
	*lo = a;
	*hi = b;
	return 0;
}

int port_spec_parse(const char *spec, struct port_map *m, char *why, size_t size)
{
	const char *slash = strchr(spec, '/'), *end = slash ? slash : spec + strlen(spec);
	const char *colon2 = NULL, *colon1 = NULL;
	int ret;

	memset(m, 0, sizeof(*m));
	m->p.proto = 6;
	if (slash && !(m->p.proto = ipproto_parse(slash + 1)))
		return snprintf(why, size, "invalid proto: %s", slash + 1), -EINVAL;
	/* the last two colons split host address, host ports, container ports */
	for (const char *p = spec; p < end; p++)
		if (*p == ':')
			colon1 = colon2, colon2 = p;
	if (!colon2)
		return snprintf(why, size, "invalid port mapping %s: want [HOSTIP:]HOSTPORT:CONTAINERPORT",
				spec), -EINVAL;
	if (spec[0] == '[') {
		/* "[IPV6]:": the address's colons are not the SPEC's */
		const char *close = strchr(spec, ']');
		char ip[IP_STRLEN];
		size_t len = close ? (size_t)(close - spec - 1) : 0;

		if (!close || close[1] != ':' || close + 1 != colon1 || !len || len >= sizeof(ip))
			return snprintf(why, size, "invalid IP address in %s: want [IPV6]:HOSTPORT:"
					"CONTAINERPORT", spec), -EINVAL;
		memcpy(ip, spec + 1, len);
		ip[len] = 0;
		if (ip_parse(ip, AF_INET6, &m->p.host_ip))
			return snprintf(why, size, "invalid IPv6 address %s in %s", ip, spec), -EINVAL;
		if (!memcmp(m->p.host_ip.v6, (uint8_t[16]){ [15] = 1 }, 16))
			return snprintf(why, size, "cannot publish on [::1]: IPv6 has no route_localnet, "
					"so the kernel has no path from ::1 to a container (Docker uses "
					"its userland proxy); use a host address"), -EINVAL;
	} else if (strpbrk(spec, "[]")) {
		return snprintf(why, size, "invalid IP address in %s: an IPv6 address is written "
				"[IPV6]:HOSTPORT:CONTAINERPORT", spec), -EINVAL;
	} else if (colon1) {
		char ip[16]; /* dotted quad and NUL: longer text is refused as a whole */
		size_t len = colon1 - spec;

		if (len >= sizeof(ip))
			return snprintf(why, size, "invalid IP address in %s", spec), -EINVAL;
		memcpy(ip, spec, len);
		ip[len] = 0;
		if (ip_parse(ip, AF_INET, &m->p.host_ip))
			return snprintf(why, size, "invalid IP address %s in %s", ip, spec), -EINVAL;
		if (!m->p.host_ip.v4)
			m->p.host_ip = (struct ipaddr){ 0 };
	} else {
		m->any_ip = true;
	}
	ret = parse_range(colon1 ? colon1 + 1 : spec, colon2 - (colon1 ? colon1 + 1 : spec),
			  &m->p.host_lo, &m->p.host_hi);
	if (!ret)
		ret = parse_range(colon2 + 1, end - colon2 - 1, &m->p.ctr_lo, &m->p.ctr_hi);
	if (ret == -EINVAL)
		return snprintf(why, size, "invalid port in %s: want a number or a range LO-HI", spec), ret;
	if (ret)
		return snprintf(why, size, "invalid port in %s: ports are 1 to 65535, LO <= HI", spec), ret;
	if (m->p.host_hi - m->p.host_lo != m->p.ctr_hi - m->p.ctr_lo)
		return snprintf(why, size, "invalid ranges in %s: host and container ranges differ in length",
				spec), -EINVAL;
	return 0;
}

void port_spec_format(const struct port_map *m, char *buf, size_t size)
{
	char ip[IP_STRLEN];

	bool v6 = m->p.host_ip.family == AF_INET6;

	snprintf(buf, size, "%s%s%s:%u-%u:%u-%u/%s", v6 ? "[" : "", port_ip_format(&m->p.host_ip, ip),
		 v6 ? "]" : "", m->p.host_lo, m->p.host_hi, m->p.ctr_lo, m->p.ctr_hi,
		 port_proto_name(m->p.proto));
}

/* every address: unset, or "::" (every IPv6 address) */
static bool any_ip(const struct ipaddr *a)
{
	return !ip_is_set(a) || (a->family == AF_INET6 && !memcmp(a->v6, (uint8_t[16]){ 0 }, 16));
}

bool ports_overlap(const struct fw_port *a, const struct fw_port *b)
{
	return a->proto == b->proto && a->host_lo <= b->host_hi && b->host_lo <= a->host_hi &&
	       (any_ip(&a->host_ip) || any_ip(&b->host_ip) || ip_eq(&a->host_ip, &b->host_ip));
}

int port_ip_parse(const char *s, struct ipaddr *out)
{
	int ret = ip_parse(s, AF_UNSPEC, out);

	if (!ret && out->family == AF_INET && !out->v4)
		*out = (struct ipaddr){ 0 };
	return ret;
}

char *port_ip_format(const struct ipaddr *a, char buf[IP_STRLEN])
{
	if (!ip_is_set(a))
		return strcpy(buf, "0.0.0.0");
	return ip_format(a, buf);
}
