/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lookup.h - `klp-fixup lookup`: the target symbol and position of local
 * symbols named as an object being diffed names them.
 */
#ifndef KLP_LOOKUP_H
#define KLP_LOOKUP_H

#include "../base/cli.h"

/* `klp-fixup lookup` */
extern const struct klp_command klp_cmd_lookup;

#endif /* KLP_LOOKUP_H */
