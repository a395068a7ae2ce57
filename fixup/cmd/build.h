/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KLP_BUILD_CMD_H
#define KLP_BUILD_CMD_H

#include "../base/cli.h"

/* `klp-fixup build` */
extern const struct klp_command klp_cmd_build;

#endif /* KLP_BUILD_CMD_H */
