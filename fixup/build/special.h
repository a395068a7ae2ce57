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
	/*
	 * Alternative code the entry names (.altinstructions, ppc64's feature
	 * fixups): its section's name (a prefix: __ftr_alt_ then a label
	 * number), the field that points at its start, and where its end is:
	 * a u8 length at repl_len_at, else a field at repl_end_at.
	 */
	const char *replacement;
	uint32_t repl_at, repl_len_at, repl_end_at;
	/* ppc64's FTR_ENTRY_OFFSET: a field holds label minus the entry's
	 * start, so the relocation at field f carries f in its addend */
	bool from_entry;
};

/* The table for an ELF machine, NULL-name terminated, or NULL when the
 * builder does not know the machine. */
const struct klp_special *klp_special_table(unsigned machine);

/* The table named name, or NULL. */
const struct klp_special *klp_special_find(const struct klp_special *table, const char *name);

/* Is name a table that is only entered, never named by code: .orc_unwind
 * beside .orc_unwind_ip, .altinstr_replacement beside .altinstructions? */
bool klp_special_is_companion(const struct klp_special *table, const char *name);

/* A name every module of the machine has from its link or its loader,
 * never the running kernel's: ppc64's .TOC. and _savegpr0_N and kin. */
bool klp_link_provides(unsigned machine, const char *name);

/* A pool of addresses the code loads from (ppc64's .toc): entries are
 * copied one by one, as the code names them. */
bool klp_section_is_pool(unsigned machine, const char *name);

/*
 * Records about a place in the source, one per use (dynamic debug's
 * struct _ddebug in __dyndbg): two compiles of one function differ in the
 * line it holds, and the running kernel's record keeps serving the
 * patched code (a new record is copied as new data).
 */
bool klp_section_is_line_record(const char *name);

/* Sections that carry no code nor data of the module (annotations objtool
 * read, notes, debug information): never copied. */
bool klp_section_is_dropped(const char *name);

#endif /* KLP_SPECIAL_H */
