/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Validation of the names users give: device names, object names. Pure. */
#ifndef BOXNET_NAMES_H
#define BOXNET_NAMES_H

#include <stdbool.h>

#define IFNAME_MAX 15 /* IFNAMSIZ - 1 */
#define OBJNAME_MAX 64 /* network, container and alias names (obj_name_valid) */

/* name_is_ifname - would the kernel accept @s as a device name? 1 to 15
 * characters, not "." or "..", no '/', ':' or white space. */
bool name_is_ifname(const char *s);

/* obj_name_valid - a network, container or alias name: 1 to 64 characters
 * from [A-Za-z0-9_.-], starting with a letter or digit (Docker's rule for
 * container names). Such a name is safe as a file name and in a hosts file. */
bool obj_name_valid(const char *s);

#endif
