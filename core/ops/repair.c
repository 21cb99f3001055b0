// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/ops/repair.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "core/ops/endpoint.h"
#include "core/ops/firewall.h"
#include "core/ops/network.h"
#include "core/ops/overlay.h"
#include "core/state/hosts.h"
#include "core/state/journal.h"
#include "lib/errstr.h"

/* every journaled operation and its undo; a new operation adds its line */
static const struct journal_undo undos[] = {
	{ "create", net_undo_create },
	{ "remove", net_undo_remove },
	{ "overlay", net_undo_overlay },
	{ "vxlan", vxlan_undo_add },
	{ "vxlan-peer", vxlan_undo_peer },
	{ "vxlan-del", vxlan_undo_del },
	{ "connect", ep_undo },
	{ "disconnect", ep_undo },
};

int ops_repair(struct session *s)
{
	int ret = journal_replay(&s->st, undos, sizeof(undos) / sizeof(*undos), s);

	if (ret && !s->err[0])
		return session_fail(s, ret, "cannot repair the journal: %s", errstr(ret));
	if (ret)
		return ret;
	/* a command killed at a rename leaves its temporary whether or not it
	 * journaled (netfw apply, the firewall file of any command) */
	state_sweep(&s->st);
	if (!state_has(&s->st, "journal"))
		return 0;
	/* a connect or disconnect killed between the steps of its names
	 * leaves a temporary or a set file nobody links (the undo above moved
	 * the links back) */
	hosts_sweep(&s->st, false);
	if (!(ret = fw_sync(s)) && (ret = journal_end(&s->st)))
		session_fail(s, ret, "cannot remove the journal: %s", errstr(ret));
	return ret;
}

static int open_with(struct session *s, bool drop_damaged)
{
	int ret = session_open(s, true);

	if (ret)
		return ret;
	if ((drop_damaged && (ret = net_drop_damaged(s))) || (ret = ops_repair(s)) ||
	    (ret = net_predefined(s)))
		session_close(s);
	return ret;
}

int ops_open(struct session *s)
{
	return open_with(s, false);
}

int ops_open_prune(struct session *s)
{
	return open_with(s, true);
}
