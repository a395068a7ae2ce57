/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * affected.h - `klp-fixup affected`: the functions a livepatch has to
 * replace when some functions of one source file change, from the
 * inlining and clone records of the notes.
 */
#ifndef KLP_AFFECTED_H
#define KLP_AFFECTED_H

#include "../base/cli.h"

/* `klp-fixup affected` */
extern const struct klp_command klp_cmd_affected;

#endif /* KLP_AFFECTED_H */
