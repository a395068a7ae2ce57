/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * warn.h - every message klp-fixup prints goes through these, so each one
 * names the tool, the file and, where there is one, the symbol.
 */
#ifndef KLP_WARN_H
#define KLP_WARN_H

#include <stdio.h>

/*
 * "klp-fixup: LEVEL: FILE: message\n" on stderr.  Names and paths in a
 * message may come from the notes of a hostile file: control bytes are
 * written as \xNN, so that no message can move the cursor, clear the
 * screen or forge a line of its own (warn.c).
 */
void klp_report(const char *level, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A further line of the message above (a list it announces), escaped
 * the same way; fmt has no newline of its own. */
void klp_report_more(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define KLP_ERR(file, fmt, ...)		klp_report("error", (file), fmt, ##__VA_ARGS__)
#define KLP_WARN(file, fmt, ...)	klp_report("warning", (file), fmt, ##__VA_ARGS__)

/* libelf's own reason, appended to the message. */
#define KLP_ERR_ELF(file, fmt, ...) \
	klp_report("error", (file), fmt ": %s", ##__VA_ARGS__, elf_errmsg(-1))

#endif /* KLP_WARN_H */
