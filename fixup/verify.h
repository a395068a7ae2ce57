/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KLP_VERIFY_H
#define KLP_VERIFY_H

#include "cli.h"

/* `klp-fixup verify`: returns the exit status. */
extern const struct klp_command klp_cmd_verify;

#endif /* KLP_VERIFY_H */
