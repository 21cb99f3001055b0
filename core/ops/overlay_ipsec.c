// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Encrypted overlays (--opt encrypted): VXLAN between this host and each
 * peer is ESP in transport mode. Per peer: two states (to it, from it), and
 * two policies for UDP to the VXLAN port between the two underlay addresses,
 * out (encrypt) and in (accept it only decrypted: plain VXLAN from the peer
 * is dropped by the kernel). The keys come from the pre-shared key file
 * through HKDF-SHA256, per pair of hosts, per direction and per VNI, so that
 * both ends derive the same state without talking to each other.
 *
 * The policies are per pair of hosts, not per network: two encrypted
 * overlays with the same peer share them (and any VXLAN between the two
 * hosts on that port is then ESP), and they go with the last such overlay.
 */
#include "core/ops/overlay.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/errstr.h"
#include "lib/hkdf.h"
#include "netlink/xfrm.h"

#define OPT_KEYFILE "boxnet.overlay.keyfile"
#define KEY_MIN 32
#define KEY_MAX 4096

struct ikm {
	uint8_t b[KEY_MAX];
	size_t n;
};

/* the pre-shared key: the whole file named by @opts (or the default) */
static int read_key(struct session *s, const struct pairs *opts, struct ikm *k)
{
	const char *path = pairs_get(opts, OPT_KEYFILE);
	bool given = path != NULL;
	ssize_t r = 1;
	int fd;

	if (!given)
		path = OVERLAY_KEYFILE;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 && !given && errno == ENOENT)
		return session_fail(s, -ENOKEY, "an encrypted overlay needs a pre-shared key: "
						"-o %s=PATH, or the file %s", OPT_KEYFILE, OVERLAY_KEYFILE);
	if (fd < 0)
		return session_fail(s, -errno, "cannot read key file %s: %s", path, errstr(errno));
	for (k->n = 0; k->n < sizeof(k->b) && (r = read(fd, k->b + k->n, sizeof(k->b) - k->n)) > 0;)
		k->n += r;
	r = r < 0 ? -errno : 0;
	if (!r && k->n == sizeof(k->b)) {
		char c;

		r = read(fd, &c, 1) > 0 ? -EFBIG : 0;
	}
	close(fd);
	if (r)
		return session_fail(s, r, "cannot read key file %s: %s", path,
				    r == -EFBIG ? "larger than 4096 bytes" : errstr(r));
	if (k->n < KEY_MIN)
		return session_fail(s, -EINVAL, "key file %s is too short: %zu bytes, want at least %d",
				    path, k->n, KEY_MIN);
	return 0;
}

static int xfrm_open(struct session *s, struct nl **x)
{
	int ret = nl_open(x, NETLINK_XFRM);

	return ret ? session_fail(s, ret, "cannot open XFRM netlink: %s", errstr(ret)) : 0;
}

int ipsec_check(struct session *s, const struct pairs *opts)
{
	struct ikm *k = malloc(sizeof(*k));
	struct nl *x;
	int ret;

	if (!k)
		return session_fail(s, -ENOMEM, "out of memory");
	ret = read_key(s, opts, k);
	memset(k, 0, sizeof(*k));
	free(k);
	if (ret || (ret = xfrm_open(s, &x)))
		return ret;
	/* a state the kernel takes, added and deleted again: nothing stays */
	if ((ret = nl_xfrm_esp_probe(x)))
		session_fail(s, ret, "encrypted overlays need IPsec ESP with rfc4106(gcm(aes)) in the "
				     "kernel: CONFIG_INET_ESP and CONFIG_CRYPTO_GCM");
	nl_close(x);
	return ret;
}

/* the state for ESP from @from to @to on VNI @vni: key and SPI from
 * HKDF(key file, info = label | from | to | VNI); the order of the two
 * addresses is the direction */
static void derive(const struct ikm *k, const struct ipaddr *from, const struct ipaddr *to,
		   uint32_t vni, struct nl_xfrm_sa *sa)
{
	static const char label[] = "boxnet overlay esp v1";
	uint8_t info[sizeof(label) - 1 + 12], out[NL_XFRM_KEYLEN + 4];
	uint32_t w[3] = { htonl(from->v4), htonl(to->v4), htonl(vni) };

	memcpy(info, label, sizeof(label) - 1);
	memcpy(info + sizeof(label) - 1, w, sizeof(w));
	hkdf_sha256(NULL, 0, k->b, k->n, info, sizeof(info), out, sizeof(out));
	memset(sa, 0, sizeof(*sa));
	sa->src = *from;
	sa->dst = *to;
	memcpy(sa->key, out, NL_XFRM_KEYLEN);
	/* SPIs 0-255 are reserved (RFC 4303) */
	sa->spi = (uint32_t)out[20] << 24 | out[21] << 16 | out[22] << 8 | out[23];
	if (sa->spi < 256)
		sa->spi += 256;
	sa->reqid = vni;
	memset(out, 0, sizeof(out));
}

/* the policies between this host and @peer, in both directions */
static int policies(struct nl *x, const struct vxlan *v, const struct ipaddr *peer, bool add)
{
	struct nl_xfrm_policy out = { .src = v->local, .dst = *peer, .proto = 17, .dport = v->port },
			      in = { .src = *peer, .dst = v->local, .proto = 17, .dport = v->port,
				     .in = true };
	int ret = nl_xfrm_policy(x, &out, add);

	if (ret == -EEXIST || (!add && ret == -ENOENT))
		ret = 0;
	if (!ret) {
		ret = nl_xfrm_policy(x, &in, add);
		if (ret == -EEXIST || (!add && ret == -ENOENT))
			ret = 0;
	}
	return ret;
}

/* another encrypted overlay than @v's network also has @peer on @v's port */
static bool peer_shared(struct session *s, const struct vxlan *v, const struct ipaddr *peer)
{
	struct vxlan *all;
	size_t n;
	bool shared = false;

	if (vxlan_list(&s->st, &all, &n))
		return true; /* when in doubt, a policy stays */
	for (size_t i = 0; i < n && !shared; i++) {
		if (!all[i].encrypted || all[i].port != v->port || !strcmp(all[i].network, v->network))
			continue;
		for (size_t j = 0; j < all[i].npeers && !shared; j++)
			shared = ip_eq(&all[i].peers[j], peer);
	}
	free(all);
	return shared;
}

/* the states of peer @i of @v go (those its SPIs name), and its policies
 * unless another encrypted overlay has the peer too */
static void peer_down(struct session *s, struct nl *x, struct vxlan *v, size_t i)
{
	struct nl_xfrm_sa out = { .src = v->local, .dst = v->peers[i], .spi = v->spi_out[i] },
			  in = { .src = v->peers[i], .dst = v->local, .spi = v->spi_in[i] };

	if (out.spi)
		nl_xfrm_sa(x, &out, false);
	if (in.spi)
		nl_xfrm_sa(x, &in, false);
	v->spi_out[i] = v->spi_in[i] = 0;
	if (!peer_shared(s, v, &v->peers[i]))
		policies(x, v, &v->peers[i], false);
}

/* states (from key @k) and policies for peer @i of @v; on failure none */
static int peer_up(struct session *s, struct nl *x, struct vxlan *v, size_t i, const struct ikm *k)
{
	struct nl_xfrm_sa out, in;
	char a[IP_STRLEN];
	int ret;

	derive(k, &v->local, &v->peers[i], v->vni, &out);
	derive(k, &v->peers[i], &v->local, v->vni, &in);
	ret = nl_xfrm_sa(x, &out, true);
	if (!ret) {
		v->spi_out[i] = out.spi;
		ret = nl_xfrm_sa(x, &in, true);
	}
	if (!ret) {
		v->spi_in[i] = in.spi;
		ret = policies(x, v, &v->peers[i], true);
	}
	memset(&out, 0, sizeof(out));
	memset(&in, 0, sizeof(in));
	if (ret) {
		session_fail(s, ret, "cannot set up IPsec with peer %s: %s", ip_format(&v->peers[i], a),
			     errstr(ret));
		peer_down(s, x, v, i);
	}
	return ret;
}

/* the key of the network of @v (its options name the file) into *@k, an
 * XFRM socket into *@x; both for key_free, also after a failure */
static int with_key(struct session *s, const char *name, struct vxlan *v, struct ikm **k, struct nl **x)
{
	struct network n;
	int ret;

	*k = NULL;
	*x = NULL;
	if ((ret = net_load(&s->st, name, &n)))
		return session_fail(s, ret, "network %s: %s", name, errstr(ret));
	if (!(*k = malloc(sizeof(**k))))
		ret = session_fail(s, -ENOMEM, "out of memory");
	else if (!(ret = read_key(s, &n.opts, *k)))
		ret = xfrm_open(s, x);
	net_free(&n);
	if (!ret && !ip_is_set(&v->local))
		ret = session_fail(s, -EDESTADDRREQ, "an encrypted overlay needs its local address: "
						     "-o boxnet.overlay.local=IP");
	return ret;
}

static void key_free(struct ikm *k, struct nl *x)
{
	if (k)
		memset(k, 0, sizeof(*k));
	free(k);
	nl_close(x);
}

int ipsec_up(struct session *s, struct vxlan *v)
{
	struct ikm *k;
	struct nl *x;
	int ret = with_key(s, v->network, v, &k, &x);

	v->encrypted = true;
	for (size_t i = 0; i < v->npeers && !ret; i++)
		if ((ret = peer_up(s, x, v, i, k)))
			while (i-- > 0)
				peer_down(s, x, v, i);
	key_free(k, x);
	return ret;
}

int ipsec_peer(struct session *s, struct vxlan *v, size_t i, bool add)
{
	struct ikm *k = NULL;
	struct nl *x = NULL;
	int ret;

	if (!v->encrypted)
		return 0;
	if (!add) {
		if (!(ret = xfrm_open(s, &x)))
			peer_down(s, x, v, i);
		nl_close(x);
		return ret;
	}
	if (!(ret = with_key(s, v->network, v, &k, &x)))
		ret = peer_up(s, x, v, i, k);
	key_free(k, x);
	return ret;
}

void ipsec_down(struct session *s, struct vxlan *v)
{
	struct nl *x;

	if (!v->encrypted || nl_open(&x, NETLINK_XFRM))
		return;
	for (size_t i = 0; i < v->npeers; i++)
		peer_down(s, x, v, i);
	nl_close(x);
}

int ipsec_rekey(struct session *s, struct vxlan *v)
{
	struct ikm *k;
	struct nl *x;
	int ret = with_key(s, v->network, v, &k, &x);

	/* per peer: the new states first, then the old ones go, so traffic
	 * only waits for the peer to do the same */
	for (size_t i = 0; i < v->npeers && !ret; i++) {
		struct nl_xfrm_sa out, in,
			old_out = { .src = v->local, .dst = v->peers[i], .spi = v->spi_out[i] },
			old_in = { .src = v->peers[i], .dst = v->local, .spi = v->spi_in[i] };

		derive(k, &v->local, &v->peers[i], v->vni, &out);
		derive(k, &v->peers[i], &v->local, v->vni, &in);
		if (out.spi == old_out.spi && in.spi == old_in.spi)
			continue; /* the same key */
		if (!(ret = nl_xfrm_sa(x, &out, true)) && (ret = nl_xfrm_sa(x, &in, true)))
			nl_xfrm_sa(x, &out, false);
		if (ret) {
			session_fail(s, ret, "cannot re-key: %s", errstr(ret));
			break;
		}
		if (old_out.spi)
			nl_xfrm_sa(x, &old_out, false);
		if (old_in.spi)
			nl_xfrm_sa(x, &old_in, false);
		v->spi_out[i] = out.spi;
		v->spi_in[i] = in.spi;
	}
	key_free(k, x);
	return ret;
}
