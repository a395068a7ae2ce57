/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * special.c - the special sections of Linux 6.12 per architecture, and
 * the size of one entry of each, from the structure or the assembler
 * macro that writes it.
 */
#include "special.h"

#include <elf.h>
#include <string.h>

static const struct klp_special x86_64[] = {
	/* struct bug_entry (asm-generic/bug.h, GENERIC_BUG_RELATIVE_POINTERS):
	 * bug_addr_disp, file_disp and line with DEBUG_BUGVERBOSE, flags */
	{ "__bug_table", 0, 0, NULL, 0, NULL, 0 },
	/* struct jump_entry: s32 code, s32 target, long key */
	{ "__jump_table", 16, 0, NULL, 0, NULL, 0 },
	/* struct exception_table_entry: int insn, fixup, data */
	{ "__ex_table", 12, 0, NULL, 0, NULL, 0 },
	/* struct alt_instr (__packed): s32 instr_offset, s32 repl_offset,
	 * u32 ft_flags, u8 instrlen, u8 replacementlen */
	{ ".altinstructions", 14, 0, NULL, 0, ".altinstr_replacement", 13 },
	/* struct static_call_site: s32 addr, s32 key */
	{ ".static_call_sites", 8, 0, NULL, 0, NULL, 0 },
	/* objtool: one s32 per site */
	{ ".return_sites", 4, 0, NULL, 0, NULL, 0 },
	{ ".call_sites", 4, 0, NULL, 0, NULL, 0 },
	{ ".retpoline_sites", 4, 0, NULL, 0, NULL, 0 },
	{ ".ibt_endbr_seal", 4, 0, NULL, 0, NULL, 0 },
	/* LOCK_PREFIX: .long 671f - . */
	{ ".smp_locks", 4, 0, NULL, 0, NULL, 0 },
	/* ORC: s32 ip per entry, struct orc_entry (6 bytes) beside it */
	{ ".orc_unwind_ip", 4, 0, ".orc_unwind", 6, NULL, 0 },
	/* -mrecord-mcount, objtool --mcount: the call's address */
	{ "__mcount_loc", 8, 0, NULL, 0, NULL, 0 },
	/* -fpatchable-function-entry: the padding's address */
	{ "__patchable_function_entries", 8, 0, NULL, 0, NULL, 0 },
	{ NULL, 0, 0, NULL, 0, NULL, 0 }
};

const struct klp_special *klp_special_table(unsigned machine)
{
	return machine == EM_X86_64 ? x86_64 : NULL;
}

const struct klp_special *klp_special_find(const struct klp_special *table, const char *name)
{
	for (; table && table->name; table++)
		if (!strcmp(table->name, name))
			return table;
	return NULL;
}

bool klp_special_is_companion(const struct klp_special *table, const char *name)
{
	for (; table && table->name; table++)
		if ((table->parallel && !strcmp(table->parallel, name)) ||
		    (table->replacement && !strcmp(table->replacement, name)))
			return true;
	return false;
}

bool klp_section_is_dropped(const char *name)
{
	static const char *const prefixes[] = {
		".discard", ".note", ".comment", ".debug", ".rela", ".rel.", ".symtab",
		".strtab", ".shstrtab", ".llvm_addrsig", ".group",
	};

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}
