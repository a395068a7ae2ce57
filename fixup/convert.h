/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KLP_CONVERT_H
#define KLP_CONVERT_H

/* `klp-fixup convert`: returns the exit status. */
int klp_convert_main(int argc, char **argv);

#endif /* KLP_CONVERT_H */
