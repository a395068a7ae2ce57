/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KLP_VERIFY_H
#define KLP_VERIFY_H

/* `klp-fixup verify`: returns the exit status. */
int klp_verify_main(int argc, char **argv);

#endif /* KLP_VERIFY_H */
