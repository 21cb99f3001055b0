/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The state directory (BOXNET_RUN_DIR, default /run/boxnet): flat files of
 * key=value lines, one per object, written to a temporary name and renamed
 * into place so that a reader never sees half a file. Mutating commands hold
 * one flock on DIR/lock for their whole run. Functions return 0 or -errno.
 *
 *   lock                          the flock
 *   networks/NAME                 a network
 *   endpoints/NETWORK/CONTAINER   an endpoint
 *   containers/CONTAINER          a container: its id and networks in join order
 *   names/NETWORK                 "IP<TAB>name alias…" per endpoint of a network
 *                                 (each container's own hosts file is built from
 *                                 these: core/state/hosts.h)
 *   ports/PROTO-HOSTIP-LO-HI      a published port (core/state/ports.h), indexed
 *                                 by container (portsby/) and host port (portsat/)
 *   vxlan/NETWORK                 the overlay of a network (core/state/overlays.h)
 *   firewall                      the backend in use and the sysctls to give back
 *   journal                       the intent of a command in progress (core/state/journal.h)
 */
#ifndef BOXNET_STATE_H
#define BOXNET_STATE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define STATE_DEFAULT_DIR "/run/boxnet"

struct state {
	char dir[PATH_MAX];
	int dirfd;  /* the state directory, for the *at() calls */
	int lockfd; /* -1 when not locked */
};

/* state_open - open the state directory. With @lock, create the tree if
 * needed and take the lock (blocking); without, create nothing: a missing
 * directory then reads as empty (state_read -ENOENT, state_list nothing). */
int state_open(struct state *st, bool lock);
void state_close(struct state *st);

/* state_read - the whole file @rel (relative to the state dir) in a malloc'd,
 * NUL-terminated buffer; -ENOENT if absent. */
int state_read(const struct state *st, const char *rel, char **data);

/* state_write - replace @rel atomically with @len bytes of @data. */
int state_write(const struct state *st, const char *rel, const char *data, size_t len);

/* state_unlink - remove @rel; an absent file is not an error. */
int state_unlink(const struct state *st, const char *rel);

/* state_has - whether @rel exists (what faccessat F_OK says; musl's
 * faccessat brings a clone for AT_EACCESS along). */
bool state_has(const struct state *st, const char *rel);

/* state_list - names in directory @rel, sorted; the caller frees each and the
 * array (state_list_free). An absent directory is an empty list. */
int state_list(const struct state *st, const char *rel, char ***names, size_t *n);
void state_list_free(char **names, size_t n);

/* state_load_all - @load every file of folder @rel, in name order, into a
 * malloc'd array of @size-byte elements (*@v, the caller frees it; never
 * NULL on success). @load returns 0 (kept), > 0 (left out) or -errno: then
 * the load stops and fails with it, and state_load_failed() names the file
 * (a damaged file is never skipped silently where its loss would change
 * what boxnet does). 0 or -errno. */
int state_load_all(const struct state *st, const char *rel, size_t size,
		   int (*load)(const struct state *st, const char *name, void *out), void **v,
		   size_t *n);

/* state_load_failed - "FOLDER/NAME", the file the last failed state_load_all
 * stopped at (or a reader noted, state_note_failed); "" when it failed
 * otherwise (listing, memory) */
const char *state_load_failed(void);
void state_note_failed(const char *folder, const char *name);

/* state_has_files - the folder @rel holds a file or folder (dot files
 * aside): one look, however many it holds; a missing folder holds none */
bool state_has_files(const struct state *st, const char *rel);

/* state_sweep - remove the temporaries of writes a killed command never
 * renamed (state_write makes them in the top folder, so that is the one
 * folder read, however many files the others hold). Only under the lock:
 * then no live writer owns one. */
void state_sweep(const struct state *st);

/* kv_whole - @buf is whole lines of KEY=VALUE, each with its newline, as
 * every writer of the state writes them: false for a file cut short or
 * garbled (a line without '=', a NUL before the end is not seen) */
bool kv_whole(const char *buf);

/* key=value parsing, in place: keys and values point into the buffer */
struct kv {
	char *key, *val;
};
struct kvs {
	struct kv *v;
	size_t n;
};
/* kv_parse - split @buf into lines "key=value"; lines without '=' and blank
 * lines are skipped. The caller frees out->v (not the strings). */
int kv_parse(char *buf, struct kvs *out);
/* kv_get - the value of the last line with @key, or NULL */
const char *kv_get(const struct kvs *k, const char *key);

#endif
