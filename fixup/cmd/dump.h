/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KLP_DUMP_H
#define KLP_DUMP_H

#include <stdbool.h>

#include "../base/cli.h"

/* `klp-fixup dump`: print the notes of path.  Returns the exit status. */
int klp_dump(const char *path, bool json);

extern const struct klp_command klp_cmd_dump;

#endif /* KLP_DUMP_H */
