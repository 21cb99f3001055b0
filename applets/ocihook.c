// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ocihook - the OCI runtime hook. runc, crun, podman and CRI-O run it with the
 * container's state JSON on stdin: `create` as a createRuntime (or prestart)
 * hook, `delete` as a poststop hook. The container's annotations say what it
 * joins; the hook translates them into rt_hook_add / rt_hook_del
 * (core/ops/runtime.h). A container without boxnet.network is not boxnet's.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "applets/err.h"
#include "core/ops/runtime.h"
#include "lib/errstr.h"
#include "lib/json.h"
#include "lib/names.h"

const char ocihook_usage[] =
	"Usage: ocihook [create|delete] <STATE.json\n"
	"\n"
	"The OCI runtime hook. create (a createRuntime or prestart hook) connects the\n"
	"network namespace of the state's pid and writes etc/hosts and resolv.conf\n"
	"into the rootfs of the bundle's config.json; delete (poststop) removes every\n"
	"endpoint of the container. No verb: delete when the status is \"stopped\".\n"
	"Annotations (a container without boxnet.network is left alone):\n"
	"  boxnet.network=NET[,NET]...    the networks to join, in order\n"
	"  boxnet.name=NAME               default: the first 12 characters of the ID\n"
	"  boxnet.ip=IP                   the address on the first network\n"
	"  boxnet.ip6=IP                  its IPv6 address there\n"
	"  boxnet.alias=NAME[,NAME]...    more names, on every network\n"
	"  boxnet.publish=SPEC[,SPEC]...  ports to publish, as portfwd add\n"
	"\n"
	"Exit status: 0 done, 1 failed (one line on stderr), 2 bad usage.\n";

enum { NETS, ALIASES, PORTS };
static const char *const keys[] = { "boxnet.network", "boxnet.alias", "boxnet.publish",
				    "boxnet.name", "boxnet.ip", "boxnet.ip6" };

struct hook {
	struct jv *state;
	const struct jv *ann;
	const char *bundle;
	char *buf[3], **v[3]; /* the lists, split at commas */
	size_t n[3];
	char rootfs[PATH_MAX];
};

/* annotation @key, or NULL */
static const char *ann(const struct hook *h, const char *key)
{
	return jv_strval(jv_get(h->ann, key));
}

/* the annotations: strings, boxnet's all known */
static int check_annotations(const struct hook *h)
{
	for (size_t i = 0; i < jv_len(h->ann); i++) {
		const char *k = jv_key(h->ann, i);
		bool known = false;

		for (size_t j = 0; j < sizeof(keys) / sizeof(*keys); j++)
			known |= !strcmp(k, keys[j]);
		if (!strncmp(k, "boxnet.", 7) && !known)
			return msg("unknown annotation %s", k), -1;
		if (jv_type(jv_at(h->ann, i)) != JV_STR)
			return msg("annotation %s is not a string", k), -1;
	}
	return 0;
}

/* list @i of annotation keys[@i] (absent: empty), split at commas */
static int split(struct hook *h, int i)
{
	const char *val = ann(h, keys[i]);
	char *p;

	if (!val)
		return 0;
	if (!(h->buf[i] = strdup(val)) || !(h->v[i] = calloc(strlen(val) + 1, sizeof(char *))))
		return msg("out of memory"), -1;
	for (p = h->buf[i];; *p++ = 0) {
		h->v[i][h->n[i]++] = p;
		p += strcspn(p, ",");
		if (p == h->v[i][h->n[i] - 1])
			return msg("annotation %s=%s: an empty element", keys[i], val), -1;
		if (!*p)
			return 0;
	}
}

/* the rootfs of the bundle's config.json (root.path, maybe relative to the
 * bundle) into h->rootfs; @quiet: say nothing when that fails */
static int find_rootfs(struct hook *h, bool quiet)
{
	const struct jv *root, *p;
	struct jv *conf = NULL;
	char path[PATH_MAX], *text, err[128] = "";
	size_t len;
	struct stat sb;
	int fd, r = 0, ret = -1;

	if (!h->bundle || *h->bundle != '/') {
		if (!quiet)
			msg("the state has no bundle (an absolute path)");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/config.json", h->bundle);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || (r = jv_read_fd(fd, &text, &len))) {
		snprintf(err, sizeof(err), "%s", errstr(fd < 0 ? errno : r));
	} else {
		jv_parse(text, len, &conf, err, sizeof(err));
		free(text);
	}
	if (fd >= 0)
		close(fd);
	if (!err[0] && (jv_member(conf, "root", JV_OBJECT, &root) ||
			jv_member(root, "path", JV_STR, &p) || !*jv_strval(p)))
		snprintf(err, sizeof(err), "no root.path");
	if (!err[0]) {
		const char *r = jv_strval(p);

		snprintf(h->rootfs, sizeof(h->rootfs), "%s%s%s", *r == '/' ? "" : h->bundle,
			 *r == '/' ? "" : "/", r);
		if (strchr(h->rootfs, '\n') || stat(h->rootfs, &sb) || !S_ISDIR(sb.st_mode))
			snprintf(err, sizeof(err), "the rootfs %s is not a directory", h->rootfs);
		else
			ret = 0;
	}
	if (ret && !quiet)
		msg("cannot read %s: %s", path, err);
	jv_free(conf);
	return ret;
}

static int run(struct hook *h, int argc, char **argv)
{
	const struct jv *v;
	const char *id, *name, *status;
	char *text, err[128], defname[13];
	struct session s;
	size_t len;
	long long pid;
	int ret;

	if ((ret = jv_read_fd(0, &text, &len)))
		return msg_err(-ret, NULL, "cannot read the state"), EXIT_FAIL;
	ret = jv_parse(text, len, &h->state, err, sizeof(err));
	free(text);
	if (ret)
		return msg("invalid state JSON: %s", err), EXIT_FAIL;
	if (jv_member(h->state, "id", JV_STR, &v) || !*(id = jv_strval(v)))
		return msg("the state has no container id"), EXIT_FAIL;
	status = jv_member(h->state, "status", JV_STR, &v) ? "" : jv_strval(v);
	/* "bundlePath" before runtime-spec 1.0 */
	if (jv_member(h->state, "bundle", JV_STR, &v) == 0 ||
	    jv_member(h->state, "bundlePath", JV_STR, &v) == 0)
		h->bundle = jv_strval(v);
	if (jv_member(h->state, "annotations", JV_OBJECT, &h->ann) == -EINVAL)
		return msg("the state's annotations are not an object"), EXIT_FAIL;
	if (check_annotations(h))
		return EXIT_FAIL;
	if (!ann(h, keys[NETS]))
		return 0; /* not boxnet's */
	snprintf(defname, sizeof(defname), "%s", id);
	name = ann(h, "boxnet.name") ? ann(h, "boxnet.name") : defname;
	if (!obj_name_valid(name))
		return msg("invalid container name \"%s\": set annotation boxnet.name", name), EXIT_FAIL;
	if (argc == 2 ? argv[1][0] == 'd' : !strcmp(status, "stopped")) {
		/* with the rootfs known, only the container attached with it goes */
		bool known = find_rootfs(h, true) == 0;

		if (applet_open(&s, true))
			return EXIT_FAIL;
		return applet_close(&s, rt_hook_del(&s, name, known ? h->rootfs : NULL) != 0);
	}
	pid = jv_member(h->state, "pid", JV_INT, &v) ? 0 : jv_intval(v);
	if (pid <= 0 || pid > INT_MAX)
		return msg("the state has no pid: run create as a createRuntime or prestart hook"),
		       EXIT_FAIL;
	if (split(h, NETS) || split(h, ALIASES) || split(h, PORTS) || find_rootfs(h, false))
		return EXIT_FAIL;
	if (applet_open(&s, true))
		return EXIT_FAIL;
	{
		struct rt_hook rh = { .container = name, .pid = pid, .rootfs = h->rootfs,
				      .networks = h->v[NETS], .nnetworks = h->n[NETS],
				      .ip = ann(h, "boxnet.ip"), .ip6 = ann(h, "boxnet.ip6"),
				      .aliases = (const char *const *)h->v[ALIASES],
				      .naliases = h->n[ALIASES], .ports = h->v[PORTS], .nports = h->n[PORTS] };

		return applet_close(&s, rt_hook_add(&s, &rh) != 0);
	}
}

int ocihook_main(int argc, char **argv)
{
	struct hook h = { 0 };
	int ret;

	if (argc > 2 || (argc == 2 && strcmp(argv[1], "create") && strcmp(argv[1], "delete")))
		return usage_err(ocihook_usage);
	ret = run(&h, argc, argv);
	for (int i = 0; i < 3; i++)
		free(h.buf[i]), free(h.v[i]);
	jv_free(h.state);
	return ret;
}
