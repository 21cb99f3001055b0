/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ipnetns' subcommand table is the applet's own (its grammar is iproute2's,
 * not the netns layer's); this header shows it only so that its unit test
 * (tests/unit/test_netns.c) can check the abbreviations without a kernel.
 */
#ifndef BOXNET_APPLETS_IPNETNS_H
#define BOXNET_APPLETS_IPNETNS_H

/* a subcommand: its keyword and what runs it on the words after it */
struct ipnetns_verb {
	const char *keyword;
	int (*fn)(int argc, char **argv);
};

/*
 * ipnetns_verb - the subcommand @word names, resolved as "ip netns" resolves
 * it: @word must be a non-empty prefix of a keyword, and the keywords are
 * tried in iproute2's order (list, show, lst, list-id, help, add, set,
 * delete, identify, pids, exec, monitor, attach), so "l" is list, "s" is
 * show and "se" is set; list, show and lst share one handler. Returns the
 * entry of the applet's static table (never to be freed), or NULL when no
 * keyword starts with @word. Pure.
 */
const struct ipnetns_verb *ipnetns_verb(const char *word);

#endif
