/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * affected.h - `klp-fixup affected`: the functions a livepatch has to
 * replace when some functions of one source file change, from the
 * inlining and clone records of the notes.
 */
#ifndef KLP_AFFECTED_H
#define KLP_AFFECTED_H

/* `klp-fixup affected`: returns the exit status. */
int klp_affected_main(int argc, char **argv);

#endif /* KLP_AFFECTED_H */
