/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * diff.h - `klp-fixup diff`: changed, new and removed functions and
 * objects of a unit, by checksum.
 */
#ifndef KLP_DIFF_H
#define KLP_DIFF_H

/* Returns the exit status. */
int klp_diff_main(int argc, char **argv);

#endif /* KLP_DIFF_H */
