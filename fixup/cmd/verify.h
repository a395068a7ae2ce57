/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KLP_VERIFY_H
#define KLP_VERIFY_H

#include "../base/cli.h"

/* `klp-fixup verify` */
extern const struct klp_command klp_cmd_verify;

#endif /* KLP_VERIFY_H */
