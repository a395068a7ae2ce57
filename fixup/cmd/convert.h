/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KLP_CONVERT_H
#define KLP_CONVERT_H

#include "../base/cli.h"

/* `klp-fixup convert` */
extern const struct klp_command klp_cmd_convert;

#endif /* KLP_CONVERT_H */
