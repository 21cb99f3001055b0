/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Named network namespaces, laid out as iproute2 lays them out so that boxnet
 * and "ip netns" share them: a named netns is an nsfs bind mount on the file
 * NS_RUN_DIR/NAME, and NS_ETC_DIR/NAME/ holds files that "exec" binds over
 * /etc. Every function returns 0 (or an fd / count >= 0) on success and
 * -errno on failure; none prints or exits. Functions that take several steps
 * say through an enum ns_step which one failed, so that an applet can word
 * the message the way iproute2 does.
 */
#ifndef BOXNET_NETNS_H
#define BOXNET_NETNS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "lib/nspaths.h"

/* the step of a multi-step operation that failed */
enum ns_step {
	NS_STEP_NONE,
	NS_STEP_MKDIR,     /* mkdir NS_RUN_DIR */
	NS_STEP_LOCK,      /* open NS_RUN_DIR for the lock */
	NS_STEP_SHARED,    /* mount --make-rshared NS_RUN_DIR */
	NS_STEP_BIND_DIR,  /* mount --rbind NS_RUN_DIR NS_RUN_DIR */
	NS_STEP_CREATE,    /* O_EXCL placeholder NS_RUN_DIR/NAME */
	NS_STEP_SAVE,      /* open /proc/self/ns/net to come back */
	NS_STEP_UNSHARE,   /* unshare(CLONE_NEWNET) */
	NS_STEP_BIND,      /* bind the namespace on its file */
	NS_STEP_RESTORE,   /* setns back to the saved namespace */
	NS_STEP_OPEN,      /* open NS_RUN_DIR/NAME or /proc/PID/ns/net */
	NS_STEP_STAT,      /* fstat of that */
	NS_STEP_OPENDIR,   /* opendir NS_RUN_DIR or /proc */
	NS_STEP_SETNS,     /* setns into the named namespace */
	NS_STEP_UNSHARE_MNT, /* unshare(CLONE_NEWNS) */
	NS_STEP_SLAVE,     /* mount --make-rslave / */
	NS_STEP_SYSFS,     /* mount the namespace's sysfs on /sys */
	NS_STEP_INOTIFY,   /* inotify_init */
	NS_STEP_WATCH,     /* inotify_add_watch */
	NS_STEP_READ,      /* read of the inotify fd */
};

/* What ns_add / ns_attach report besides their return value. */
struct ns_result {
	enum ns_step step; /* the failed step, NS_STEP_NONE on success */
	int lock_err;      /* errno of a failed flock: the add went on unlocked */
	int cleanup_err;   /* errno of a failed unlink of the placeholder, or 0 */
};

/*
 * ns_name_valid - iproute2's rule for a namespace name: not empty, not "."
 * or "..", no '/', at most NAME_MAX bytes. Pure.
 */
bool ns_name_valid(const char *name);

/* ns_is_pid - true when @s has only decimal digits (true for "" as well, as
 * in iproute2; callers have already refused empty names). Pure. */
bool ns_is_pid(const char *s);

/*
 * ns_parse_int - iproute2's get_integer: strtol with base 0 (so "0x10" and
 * "010" are accepted), the whole string, within int. 0, or -EINVAL. Pure.
 */
int ns_parse_int(const char *s, int *val);

/* ns_path - "NS_RUN_DIR/@name" into @buf; -ENAMETOOLONG if it does not fit. */
int ns_path(char *buf, size_t size, const char *name);

/*
 * ns_open - an O_RDONLY|O_CLOEXEC fd of the named namespace; when @name holds
 * a '/', it is taken as a path (as iproute2's netns_get_fd does). The caller
 * closes it.
 */
int ns_open(const char *name);

/* ns_open_pid - an O_RDONLY|O_CLOEXEC fd of the netns of process @pid
 * (/proc/PID/ns/net), to name it, compare it or setns into it. */
int ns_open_pid(pid_t pid);

/*
 * ns_foreach - call @fn for every name in NS_RUN_DIR, in readdir order ("."
 * and ".." skipped). Stops at the first non-zero return of @fn and returns
 * it; 0 when all were visited; -errno when the directory cannot be opened
 * (-ENOENT when there is none: callers usually treat that as empty).
 */
int ns_foreach(int (*fn)(const char *name, void *arg), void *arg);

/*
 * ns_add - create a network namespace and bind it on NS_RUN_DIR/@name, with
 * iproute2's exact recipe: mkdir, flock the directory, make it a shared
 * mount point, O_EXCL placeholder file, unshare(CLONE_NEWNET), bind
 * /proc/self/ns/net on it, setns back. On failure after the placeholder was
 * made, it is removed again. -EEXIST (step NS_STEP_CREATE) when the name is
 * taken. Changes the calling thread's netns for a moment: single-threaded
 * callers only.
 */
int ns_add(const char *name, struct ns_result *r);

/* ns_attach - the same, but bind /proc/@pid/ns/net (no new namespace). */
int ns_attach(const char *name, pid_t pid, struct ns_result *r);

/* ns_attach_path - the same, binding the namespace file at @src (a
 * /proc/PID/ns/net or a bind mount of one, as a CNI runtime names it). The
 * caller checks with ns_is_net that @src is a network namespace. */
int ns_attach_path(const char *name, const char *src, struct ns_result *r);

/* ns_is_net - 1 when @fd is a network namespace (nsfs, NS_GET_NSTYPE), 0 when
 * it is something else (a file, a directory, another kind of namespace), or
 * -errno when that cannot be told. */
int ns_is_net(int fd);

/*
 * ns_delete - detach the bind mount of NS_RUN_DIR/@name (failure ignored:
 * it may not be mounted) and remove the file. The namespace itself lives on
 * while a process or fd still uses it.
 */
int ns_delete(const char *name);

/*
 * ns_enter - what "ip netns exec" does before exec: setns into @name, a new
 * mount namespace, "/" made rslave, a sysfs of the new netns on /sys (its
 * source named @name), then every NS_ETC_DIR/@name/F bound on /etc/F; an F
 * of more than one link (shared: boxnet's hosts set files) read-only, so one
 * container cannot change another's, where iproute2 binds every F
 * read-write. A failed bind is passed to @bind_fail (may be NULL) and the
 * others go on.
 * The process keeps this netns and mount namespace: call it right before
 * exec, or in a child.
 */
int ns_enter(const char *name, void (*bind_fail)(const char *src, const char *dst, int err),
	     enum ns_step *step);

/*
 * ns_identify - the name bound to the netns of process @pid ("self" for the
 * caller): the last match in readdir order, "" when none (or when NS_RUN_DIR
 * does not exist). @name has room for @size bytes.
 */
int ns_identify(const char *pid, char *name, size_t size, enum ns_step *step);

/*
 * ns_pids - call @fn with the pid (as it appears in /proc) of every process
 * whose netns is the one bound on NS_RUN_DIR/@name, in /proc's readdir order.
 */
int ns_pids(const char *name, void (*fn)(const char *pid, void *arg), void *arg,
	    enum ns_step *step);

/*
 * ns_monitor - watch NS_RUN_DIR (created if missing) and call @fn with
 * true/false and the name for every file created/removed there. Returns
 * only on failure, or with @fn's value when @fn returns non-zero.
 */
int ns_monitor(int (*fn)(bool added, const char *name, void *arg), void *arg,
	       enum ns_step *step);

/* the entries of NS_RUN_DIR with the inode readdir reports for each (the
 * file's own inode: it changes when a namespace of that name is replaced) */
struct ns_inode {
	char name[65];
	unsigned long ino;
};

/* ns_inodes - the *@n entries of NS_RUN_DIR (names of 64 bytes at most), in
 * no order, in a malloc'd *@v that also holds an index for ns_inode_find;
 * a missing NS_RUN_DIR gives none. 0 or -errno. */
int ns_inodes(struct ns_inode **v, size_t *n);

/* ns_inode_find - the entry of @name in a list from ns_inodes, or NULL */
const struct ns_inode *ns_inode_find(const struct ns_inode *v, size_t n, const char *name);

#endif
