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
	{ .name = "__bug_table", .entsize = 0 },
	/* struct jump_entry: s32 code, s32 target, long key */
	{ .name = "__jump_table", .entsize = 16 },
	/* struct exception_table_entry: int insn, fixup, data */
	{ .name = "__ex_table", .entsize = 12 },
	/* struct alt_instr (__packed): s32 instr_offset, s32 repl_offset,
	 * u32 ft_flags, u8 instrlen, u8 replacementlen */
	{ .name = ".altinstructions", .entsize = 14, .replacement = ".altinstr_replacement",
	  .repl_at = 4, .repl_len_at = 13 },
	/* struct static_call_site: s32 addr, s32 key */
	{ .name = ".static_call_sites", .entsize = 8 },
	/* objtool: one s32 per site */
	{ .name = ".return_sites", .entsize = 4 },
	{ .name = ".call_sites", .entsize = 4 },
	{ .name = ".retpoline_sites", .entsize = 4 },
	{ .name = ".ibt_endbr_seal", .entsize = 4 },
	/* LOCK_PREFIX: .long 671f - . */
	{ .name = ".smp_locks", .entsize = 4 },
	/* ORC: s32 ip per entry, struct orc_entry (6 bytes) beside it */
	{ .name = ".orc_unwind_ip", .entsize = 4, .parallel = ".orc_unwind",
	  .parallel_entsize = 6 },
	/* -mrecord-mcount, objtool --mcount: the call's address */
	{ .name = "__mcount_loc", .entsize = 8 },
	/* -fpatchable-function-entry: the padding's address */
	{ .name = "__patchable_function_entries", .entsize = 8 },
	{ .name = NULL }
};

/*
 * ppc64 (asm/feature-fixups.h with FTR_ENTRY_OFFSET .8byte): struct
 * fixup_entry is mask, value, then four offsets from the entry's start:
 * the code's start and end, the alternative's start and end (in
 * __ftr_alt_LABEL).  The one-offset fixups (barriers, flushes, lwsync)
 * are a single FTR_ENTRY_OFFSET 953b-954b each.
 */
#define PPC64_FEATURE_FIXUP(section)                                                   \
	{ .name = section, .entsize = 48, .anchor = 16, .replacement = "__ftr_alt_",    \
	  .repl_at = 32, .repl_end_at = 40, .from_entry = true }
#define PPC64_SITE_FIXUP(section) { .name = section, .entsize = 8, .from_entry = true }

static const struct klp_special ppc64[] = {
	{ .name = "__bug_table", .entsize = 0 },
	/* struct exception_table_entry: int insn, fixup */
	{ .name = "__ex_table", .entsize = 8 },
	/* HAVE_ARCH_JUMP_LABEL_RELATIVE: s32 code, s32 target, long key */
	{ .name = "__jump_table", .entsize = 16 },
	{ .name = "__mcount_loc", .entsize = 8 },
	{ .name = "__patchable_function_entries", .entsize = 8 },
	PPC64_FEATURE_FIXUP("__ftr_fixup"),
	PPC64_FEATURE_FIXUP("__mmu_ftr_fixup"),
	PPC64_FEATURE_FIXUP("__fw_ftr_fixup"),
	PPC64_SITE_FIXUP("__lwsync_fixup"),
	PPC64_SITE_FIXUP("__barrier_nospec_fixup"),
	PPC64_SITE_FIXUP("__stf_entry_barrier_fixup"),
	PPC64_SITE_FIXUP("__stf_exit_barrier_fixup"),
	PPC64_SITE_FIXUP("__rfi_flush_fixup"),
	PPC64_SITE_FIXUP("__entry_flush_fixup"),
	PPC64_SITE_FIXUP("__scv_entry_flush_fixup"),
	PPC64_SITE_FIXUP("__uaccess_flush_fixup"),
	{ .name = NULL }
};

static const struct klp_special s390x[] = {
	/* GENERIC_BUG_RELATIVE_POINTERS, as x86_64 */
	{ .name = "__bug_table", .entsize = 0 },
	/* struct exception_table_entry: int insn, fixup; short type, data */
	{ .name = "__ex_table", .entsize = 12 },
	/* HAVE_ARCH_JUMP_LABEL_RELATIVE: s32 code, s32 target, long key */
	{ .name = "__jump_table", .entsize = 16 },
	/* struct alt_instr (__packed): s32 instr_offset, s32 repl_offset,
	 * u32 feature, u8 instrlen; the replacement is as long as the
	 * original (asm/alternative.h checks it) */
	{ .name = ".altinstructions", .entsize = 13, .replacement = ".altinstr_replacement",
	  .repl_at = 4, .repl_len_at = 12 },
	/* -mfentry -mrecord-mcount: the nop's address */
	{ .name = "__mcount_loc", .entsize = 8 },
	/* -mindirect-branch-table (expolines): .long LABEL - . per branch */
	{ .name = ".s390_indirect_jump", .entsize = 4 },
	{ .name = ".s390_indirect_call", .entsize = 4 },
	{ .name = ".s390_indirect_branches", .entsize = 4 },
	{ .name = ".s390_return_reg", .entsize = 4 },
	{ .name = ".s390_return_mem", .entsize = 4 },
	{ .name = NULL }
};

const struct klp_special *klp_special_table(unsigned machine)
{
	switch (machine) {
	case EM_X86_64:	return x86_64;
	case EM_PPC64:	return ppc64;
	case EM_S390:	return s390x;
	default:	return NULL;
	}
}

bool klp_link_provides(unsigned machine, const char *name)
{
	/* GCC's out-of-line register saves and restores (-Os): the module
	 * link makes them (arch/powerpc/Makefile: --save-restore-funcs) */
	static const char *const ppc64_sfpr[] = {
		"_savegpr0_", "_restgpr0_", "_savegpr1_", "_restgpr1_",
		"_savefpr_", "_restfpr_", "_savevr_", "_restvr_",
	};

	if (machine == EM_PPC64) {
		if (!strcmp(name, ".TOC."))
			return true;	/* the module loader sets it to the module's TOC */
		for (size_t i = 0; i < sizeof(ppc64_sfpr) / sizeof(ppc64_sfpr[0]); i++)
			if (!strncmp(name, ppc64_sfpr[i], strlen(ppc64_sfpr[i])))
				return true;
	}
	return false;
}

bool klp_section_is_pool(unsigned machine, const char *name)
{
	return machine == EM_PPC64 && !strcmp(name, ".toc");
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
		    (table->replacement &&
		     !strncmp(table->replacement, name, strlen(table->replacement))))
			return true;
	return false;
}

bool klp_section_is_line_record(const char *name)
{
	return !strcmp(name, "__dyndbg");
}

bool klp_section_is_dropped(const char *name)
{
	static const char *const prefixes[] = {
		".discard", ".note", ".comment", ".debug", ".rela", ".rel.", ".symtab",
		".strtab", ".shstrtab", ".llvm_addrsig", ".group",
		/* EXPORT_SYMBOL's entries for modpost: a livepatch exports nothing */
		".export_symbol",
	};

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}
