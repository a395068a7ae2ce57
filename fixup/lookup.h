/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lookup.h - `klp-fixup lookup`: the target symbol and position of local
 * symbols named as an object being diffed names them.
 */
#ifndef KLP_LOOKUP_H
#define KLP_LOOKUP_H

/* `klp-fixup lookup`: returns the exit status. */
int klp_lookup_main(int argc, char **argv);

#endif /* KLP_LOOKUP_H */
