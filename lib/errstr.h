/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef BOXNET_ERRSTR_H
#define BOXNET_ERRSTR_H

/* errstr - glibc's text for errno @err (sign ignored), e.g. "File exists". */
const char *errstr(int err);

#endif
