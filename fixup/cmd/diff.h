/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * diff.h - `klp-fixup diff`: changed, new and removed functions and
 * objects of a unit, by checksum.
 */
#ifndef KLP_DIFF_H
#define KLP_DIFF_H

#include "../base/cli.h"

/* `klp-fixup diff` */
extern const struct klp_command klp_cmd_diff;

#endif /* KLP_DIFF_H */
