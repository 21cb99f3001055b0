/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where named network namespaces live, as iproute2 lays them out (so that
 * boxnet and `ip netns` share them): the nsfs bind mounts in NS_RUN_DIR, and
 * in NS_ETC_DIR/NAME/ the files `ip netns exec` binds over /etc.
 */
#ifndef BOXNET_NSPATHS_H
#define BOXNET_NSPATHS_H

#ifndef NS_RUN_DIR
#define NS_RUN_DIR "/run/netns" /* Debian's NETNS_RUN_DIR */
#endif
#ifndef NS_ETC_DIR
#define NS_ETC_DIR "/etc/netns"
#endif

#endif
