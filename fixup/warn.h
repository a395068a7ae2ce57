/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * warn.h - every message klp-fixup prints goes through these, so each one
 * names the tool, the file and, where there is one, the symbol.
 */
#ifndef KLP_WARN_H
#define KLP_WARN_H

#include <stdio.h>

#define KLP_ERR(file, fmt, ...) \
	fprintf(stderr, "klp-fixup: error: %s: " fmt "\n", (file), ##__VA_ARGS__)

#define KLP_WARN(file, fmt, ...) \
	fprintf(stderr, "klp-fixup: warning: %s: " fmt "\n", (file), ##__VA_ARGS__)

/* libelf's own reason, appended to the message. */
#define KLP_ERR_ELF(file, fmt, ...) \
	fprintf(stderr, "klp-fixup: error: %s: " fmt ": %s\n", (file), ##__VA_ARGS__, \
		elf_errmsg(-1))

#endif /* KLP_WARN_H */
