// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/ops/lookup.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/errstr.h"
#include "lib/names.h"

int net_find(struct session *s, const char *ref, struct network *out)
{
	char **names;
	size_t n, hits = 0, rlen = strlen(ref);
	int ret;

	if (obj_name_valid(ref) && (ret = net_load(&s->st, ref, out)) != -ENOENT) {
		if (!ret)
			return 0;
		return session_fail(s, ret, "network %s: %s %s/networks/%s%s", ref,
				    ret == -EBADMSG ? "damaged state file" : errstr(ret), s->st.dir, ref,
				    ret == -EBADMSG ? " (netrm -f removes it)" : "");
	}
	/* a full ID or a unique prefix of one, as docker accepts */
	if ((ret = state_list(&s->st, "networks", &names, &n)))
		return session_fail(s, ret, "cannot list networks: %s", errstr(ret));
	for (size_t i = 0; i < n && rlen; i++) {
		struct network c;

		if (net_load(&s->st, names[i], &c))
			continue;
		if (!strncmp(c.id, ref, rlen) && ++hits == 1)
			*out = c;
		else
			net_free(&c);
	}
	state_list_free(names, n);
	if (hits == 1)
		return 0;
	if (hits > 1)
		net_free(out);
	return session_fail(s, -ENOENT, "network %s not found", ref);
}

/* a network that does not load is left out of the listing: net_find names
 * it when it is asked for, netrm -f and netprune remove it */
static int load_one(const struct state *st, const char *name, void *out)
{
	return net_load(st, name, out) ? 1 : 0;
}

int net_list(struct session *s, struct network **out, size_t *n)
{
	/* file names are network names: the listing comes sorted by name */
	int ret = state_load_all(&s->st, "networks", sizeof(**out), load_one, (void **)out, n);

	return ret ? session_fail(s, ret, "cannot list networks: %s", errstr(ret)) : 0;
}

void net_list_free(struct network *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		net_free(&v[i]);
	free(v);
}
