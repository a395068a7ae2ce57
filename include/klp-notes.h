/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * klp-notes.h - the .debug_klp note format.
 *
 * This header is the single definition of the format shared by the GCC
 * plugin (gcc-plugin/klp.c), the LLVM pass plugin (clang-pass/) and the
 * reader/fixer (fixup/).  docs/note-format.md explains every field; keep
 * the two in step and bump KLP_NOTES_VERSION on any incompatible change.
 *
 * Layout: the section is a sequence of ELF notes (Elf_Nhdr framing, owner
 * "KLP"), every note padded to KLP_NOTES_ALIGN bytes.  Each translation
 * unit contributes one KLP_NT_UNIT note followed by exactly unit.nsyms
 * KLP_NT_SYM notes.  Relocatable links concatenate the units of their
 * inputs; a reader groups symbol notes under the unit note before them.
 * Integers are in the byte order of the target.  Strings live inside the
 * note descriptor and are referred to by byte offset from the start of
 * the descriptor, so a reader bounds-checks them against n_descsz.
 *
 * The section name starts with ".debug" on purpose: the linker then treats
 * a relocation against a symbol in a discarded section as a debug
 * reference (it writes 0 instead of failing the link), objtool's IBT
 * check and modpost's section-mismatch check leave it alone, and strip
 * tools put it with the rest of the debug data.  It is never allocated,
 * so the kernel loads none of it.
 */
#ifndef KLP_NOTES_H
#define KLP_NOTES_H

#include <stdint.h>

#define KLP_NOTES_SECTION	".debug_klp"
#define KLP_NOTES_OWNER		"KLP"	/* n_namesz == 4, with its NUL */
#define KLP_NOTES_OWNER_SIZE	4
#define KLP_NOTES_VERSION	1
#define KLP_NOTES_ALIGN		8	/* every note starts and ends 8-aligned */

/* Elf_Nhdr plus the padded owner name: every note starts with this. */
struct klp_note_header {
	uint32_t namesz;	/* KLP_NOTES_OWNER_SIZE */
	uint32_t descsz;	/* bytes of descriptor, a multiple of 8 */
	uint32_t type;		/* enum klp_note_type */
	char	 name[4];	/* "KLP" */
};

enum klp_note_type {
	KLP_NT_UNIT = 1,	/* struct klp_note_unit: starts a translation unit */
	KLP_NT_SYM  = 2,	/* struct klp_note_sym: one symbol of that unit */
};

/* Descriptor of KLP_NT_UNIT.  Strings follow the fixed part. */
struct klp_note_unit {
	uint32_t version;	/* KLP_NOTES_VERSION */
	uint32_t flags;		/* KLP_UNIT_* */
	uint64_t id;		/* stable TU id: FNV-1a 64 over path, source, producer, symbols */
	uint32_t nsyms;		/* KLP_NT_SYM notes that follow for this unit */
	uint16_t machine;	/* ELF e_machine the unit was compiled for */
	uint16_t reserved0;	/* 0 */
	uint32_t path;		/* string: source path as the compiler saw it, prefix maps applied */
	uint32_t producer;	/* string: compiler, e.g. "gcc 12.2.0" */
	uint32_t plugin;	/* string: plugin and its version, e.g. "klp.so 0.1.0" */
	uint32_t reserved1;	/* 0 */
};

/* KLP_NT_UNIT flags */
#define KLP_UNIT_FUNCTION_SECTIONS	0x0001	/* -ffunction-sections */
#define KLP_UNIT_DATA_SECTIONS		0x0002	/* -fdata-sections */
#define KLP_UNIT_PPC_CALLS_STATIC	0x0010	/* ppc64: calls to static functions keep their nop */
#define KLP_UNIT_PPC_CALLS_LOCAL	0x0020	/* ppc64: calls to every locally-binding function do */
#define KLP_UNIT_CLANG_ALIASES		0x0040	/* clang ppc64: local callees reached through aliases */
#define KLP_UNIT_INLINED_PARTIAL	0x0080	/* inlined lists may miss functions (docs/note-format.md) */

/* Descriptor of KLP_NT_SYM.  Strings follow the fixed part. */
struct klp_note_sym {
	uint64_t addr;		/* R_X86_64_64 / R_PPC64_ADDR64 against the symbol
				 * itself: the final link writes its address; 0 with
				 * KLP_SYM_NOADDR or when the link discarded it */
	uint32_t size;		/* bytes (functions: measured by the assembler) */
	uint16_t kind;		/* enum klp_sym_kind */
	uint16_t flags;		/* KLP_SYM_* */
	int32_t	 site;		/* patch site minus symbol address (KLP_SYM_SITE) */
	uint32_t prefix;	/* padding bytes right before the symbol (__pfx_ area) */
	uint16_t site_kind;	/* enum klp_site_kind */
	uint16_t ninlined;	/* names at `inlined` */
	uint32_t name;		/* string: the symbol name as in the object's symtab */
	uint32_t origin;	/* string: clone's / cold part's original function, or 0 */
	uint32_t inlined;	/* first of ninlined consecutive strings: functions
				 * whose bodies were inlined into this one, or 0 */
};

enum klp_sym_kind {
	KLP_KIND_FUNC	= 1,
	KLP_KIND_OBJECT	= 2,
};

/* KLP_NT_SYM flags */
#define KLP_SYM_LOCAL		0x0001	/* STB_LOCAL: static, clone, function-local static */
#define KLP_SYM_WEAK		0x0002	/* STB_WEAK */
#define KLP_SYM_SITE		0x0004	/* function has a patch site; see site, site_kind */
#define KLP_SYM_CLONE		0x0008	/* IPA clone (.constprop/.isra/.part); origin set */
#define KLP_SYM_COLD		0x0010	/* .cold part of a function; origin set */
#define KLP_SYM_NOTRACE		0x0020	/* no_instrument_function: cannot be patched itself */
#define KLP_SYM_FUNC_STATIC	0x0040	/* static variable declared inside a function */
#define KLP_SYM_NOADDR		0x0080	/* no address recorded (no relocation emitted) */
#define KLP_SYM_ALIAS		0x0100	/* another name for origin (ICF, alias attribute, clang ppc64 call alias) */

enum klp_site_kind {
	KLP_SITE_NONE		 = 0,
	KLP_SITE_FENTRY		 = 1,	/* x86 -mfentry: call __fentry__ */
	KLP_SITE_MCOUNT		 = 2,	/* -pg without fentry: call mcount after the prologue */
	KLP_SITE_MPROFILE_KERNEL = 3,	/* ppc64 -mprofile-kernel: bl _mcount */
	KLP_SITE_PATCHABLE	 = 4,	/* -fpatchable-function-entry nops */
};

/* Sizes fixed by the format; the reader and the emitters rely on them. */
#define KLP_NOTE_HEADER_SIZE	16
#define KLP_NOTE_UNIT_SIZE	40
#define KLP_NOTE_SYM_SIZE	40

/* The TU id hash: 64-bit FNV-1a.  Producers feed it, in this order, the
 * recorded path, the main source file's bytes, the producer string and,
 * per symbol note, its kind and name (each string with its NUL). */
#define KLP_FNV64_OFFSET	0xcbf29ce484222325ULL
#define KLP_FNV64_PRIME		0x100000001b3ULL

static inline uint64_t klp_fnv64(uint64_t h, const void *data, unsigned long len)
{
	const unsigned char *p = (const unsigned char *)data;

	while (len--) {
		h ^= *p++;
		h *= KLP_FNV64_PRIME;
	}
	return h;
}

#endif /* KLP_NOTES_H */
