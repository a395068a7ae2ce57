/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json.h - what the --json outputs share.
 */
#ifndef KLP_JSON_H
#define KLP_JSON_H

#include <stdio.h>

/* s as a JSON string: quotes, backslashes and control characters escaped. */
void klp_json_string(FILE *f, const char *s);

#endif /* KLP_JSON_H */
