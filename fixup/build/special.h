/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * special.h - the kernel's tables of entries about code (special
 * sections): which entries go with the functions a livepatch carries.
 * The list per architecture is read from Linux 6.12's sources;
 * docs/builder.md says where each size comes from.
 */
#ifndef KLP_SPECIAL_H
#define KLP_SPECIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct klp_special {
	const char *name;
	uint32_t entsize;	/* bytes per entry; 0: the bug entry size (config) */
	uint32_t anchor;	/* offset of the field that names the code */
	const char *parallel;	/* a table whose entry i goes with entry i, or NULL */
	uint32_t parallel_entsize;
	/* .altinstructions: the replacement's section and where its length is */
	const char *replacement;
	uint32_t replacement_len_at;
};

/* The table for an ELF machine, NULL-name terminated, or NULL when the
 * builder does not know the machine. */
const struct klp_special *klp_special_table(unsigned machine);

/* The table named name, or NULL. */
const struct klp_special *klp_special_find(const struct klp_special *table, const char *name);

/* Is name a table that is only entered, never named by code: .orc_unwind
 * beside .orc_unwind_ip, .altinstr_replacement beside .altinstructions? */
bool klp_special_is_companion(const struct klp_special *table, const char *name);

/* Sections that carry no code nor data of the module (annotations objtool
 * read, notes, debug information): never copied. */
bool klp_section_is_dropped(const char *name);

#endif /* KLP_SPECIAL_H */
