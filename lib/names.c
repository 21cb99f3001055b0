// SPDX-License-Identifier: GPL-2.0-or-later
#include "lib/names.h"

#include <ctype.h>
#include <string.h>

bool name_is_ifname(const char *s)
{
	size_t len = strlen(s);

	if (!len || len > IFNAME_MAX || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	/* the kernel's dev_valid_name(): isspace() covers \t\n\v\f\r and ' ' */
	return !strpbrk(s, "/: \t\n\v\f\r");
}

bool obj_name_valid(const char *s)
{
	size_t len = strlen(s);

	if (!len || len > 64 || !isalnum((unsigned char)s[0]))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.-", *s))
			return false;
	return true;
}
