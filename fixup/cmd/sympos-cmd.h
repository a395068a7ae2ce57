/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KLP_SYMPOS_CMD_H
#define KLP_SYMPOS_CMD_H

#include "../base/cli.h"

/* `klp-fixup sympos` */
extern const struct klp_command klp_cmd_sympos;

#endif /* KLP_SYMPOS_CMD_H */
