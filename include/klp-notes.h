/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * klp-notes.h - the .debug_klp note format, version 2: the one
 * description of it.  The compiler plugins write it through
 * lib/note-builder.c, klp-fixup reads it in fixup/notes/notes.c, and
 * tests/tools/klp-malform reads the tables below out of this file; all
 * of them go through the X-macro tables here, so a field or a flag is
 * named, numbered and documented once.  docs/note-format.md explains the
 * format for people.
 *
 * Layout: the section is a sequence of ELF notes (Elf_Nhdr framing, owner
 * "KLP"), each starting 8-aligned.  Each translation unit writes exactly
 * one KLP_NT_UNIT note; relocatable links concatenate them.  Its
 * descriptor holds, in order, each part in a column of its own (so that
 * a compressor finds like next to like):
 *   struct klp_note_unit      the fixed part (KLP_UNIT_FIELDS)
 *   uint64_t addr[nsyms]      each symbol's address, relocated by the link
 *   checksums                of the records that have one, in order:
 *                            8 bytes a function's, 4 an object's
 *                            (checksum_size bytes in all)
 *   char strtab[strtab_size]  nstrings NUL-terminated strings, each once
 *   records[nsyms]            one per symbol: KLP_SYM_RECORD, compact
 *   inlined lists             per record with KLP_SYM_INLINED: a count, then
 *                             that many string indices, sorted, each as the
 *                             difference from the one before
 *   zero padding to 8 bytes
 * Fixed-width integers are in the target's byte order; ULEB128 is DWARF's
 * encoding; a string is referred to by its index in strtab (0: the first).
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

#include <stddef.h>
#include <stdint.h>

#define KLP_NOTES_SECTION	".debug_klp"
#define KLP_NOTES_OWNER		"KLP"	/* n_namesz == 4, with its NUL */
#define KLP_NOTES_OWNER_SIZE	4
#define KLP_NOTES_VERSION	2
#define KLP_NOTES_ALIGN		8	/* every note starts and ends 8-aligned */

/* The release of every component: klp.so, klp-clang.so and klp-fixup. */
#define KLP_RELEASE		"0.3.0"

/* Elf_Nhdr plus the padded owner name: every note starts with this. */
struct klp_note_header {
	uint32_t namesz;	/* KLP_NOTES_OWNER_SIZE */
	uint32_t descsz;	/* bytes of descriptor, a multiple of 8 */
	uint32_t type;		/* enum klp_note_type */
	char	 name[4];	/* "KLP" */
};

enum klp_note_type {
	KLP_NT_UNIT = 1,	/* one translation unit, all its symbols */
};

/*
 * The fixed part of a unit descriptor: X(type, field, comment), in order.
 * Strings (path, producer, plugin) are offsets in the unit's strtab.
 */
#define KLP_UNIT_FIELDS(X)							\
	X(uint32_t, version,	 "KLP_NOTES_VERSION")				\
	X(uint32_t, flags,	 "KLP_UNIT_* flags")				\
	X(uint64_t, id,		 "stable unit id (docs/note-format.md)")		\
	X(uint32_t, nsyms,	 "symbols: addresses and records")		\
	X(uint16_t, machine,	 "ELF e_machine the unit was compiled for")	\
	X(uint16_t, reserved,	 "0")						\
	X(uint32_t, checksum_size, "bytes of the checksum column")		\
	X(uint32_t, nstrings,	 "strings in strtab")				\
	X(uint32_t, strtab_size, "bytes of strtab")				\
	X(uint32_t, path,	 "string: source path, prefix maps applied")	\
	X(uint32_t, producer,	 "string: compiler, e.g. \"gcc 12.2.0\"")	\
	X(uint32_t, plugin,	 "string: plugin and release")

struct klp_note_unit {
#define KLP_FIELD_DECLARE(type, field, comment) type field;
	KLP_UNIT_FIELDS(KLP_FIELD_DECLARE)
#undef KLP_FIELD_DECLARE
};

/* Sizes and offsets fixed by the format. */
#define KLP_NOTE_HEADER_SIZE	16
#define KLP_NOTE_UNIT_SIZE	48
/*
 * A function's checksum is 64 bits: it proves a compile equal to the
 * running kernel's, function by function, over some 20,000 functions.
 * An object's is 32 bits, the 64-bit hash folded (KLP_FOLD32): it only
 * tells whether a patch changed one of the few objects of the units it
 * touches, and objects are a third of the records, whose checksums no
 * compressor can shrink.
 */
#define KLP_NOTE_FUNC_CHECKSUM_SIZE	8
#define KLP_NOTE_OBJECT_CHECKSUM_SIZE	4
#define KLP_CHECKSUM_SIZE(kind)							\
	((kind) == KLP_KIND_FUNC ? KLP_NOTE_FUNC_CHECKSUM_SIZE : KLP_NOTE_OBJECT_CHECKSUM_SIZE)
#define KLP_FOLD32(h)		((uint32_t)((h) ^ ((h) >> 32)))
#define KLP_NOTE_ADDR_SIZE	8

#ifdef __cplusplus
#define KLP_STATIC_ASSERT static_assert
#else
#define KLP_STATIC_ASSERT _Static_assert
#endif
KLP_STATIC_ASSERT(sizeof(struct klp_note_header) == KLP_NOTE_HEADER_SIZE, "note header");
KLP_STATIC_ASSERT(sizeof(struct klp_note_unit) == KLP_NOTE_UNIT_SIZE, "unit fixed part");
KLP_STATIC_ASSERT(offsetof(struct klp_note_unit, id) == 8, "id is 8-aligned");
KLP_STATIC_ASSERT(offsetof(struct klp_note_unit, machine) == 20, "machine");
KLP_STATIC_ASSERT(offsetof(struct klp_note_unit, plugin) == 44, "plugin");
/* addr[] starts right after the fixed part, 8-aligned in the section */
KLP_STATIC_ASSERT((KLP_NOTE_HEADER_SIZE + KLP_NOTE_UNIT_SIZE) % 8 == 0, "addr[] aligned");

/*
 * Unit flags: X(NAME, value, dump name, meaning).  klp-fixup dump prints
 * every flag by its dump name.
 */
#define KLP_UNIT_FLAGS(X)							\
	X(FUNCTION_SECTIONS, 0x0001, "function-sections", "-ffunction-sections")	\
	X(DATA_SECTIONS,     0x0002, "data-sections", "-fdata-sections")		\
	X(PPC_CALLS_STATIC,  0x0010, "ppc-calls-static",				\
	  "ppc64: calls to static functions keep their nop")			\
	X(PPC_CALLS_LOCAL,   0x0020, "ppc-calls-local",				\
	  "ppc64: calls to every locally-binding function keep their nop")	\
	X(CLANG_ALIASES,     0x0040, "clang-aliases",				\
	  "clang ppc64: local callees reached through aliases")		\
	X(INLINED_PARTIAL,   0x0080, "inlined-partial",				\
	  "inlined lists may miss functions (docs/note-format.md)")		\
	X(LEFT_OUT,          0x0100, "left-out",					\
	  "32- or 16-bit code (-m32, -m16): never livepatched, no records")

/*
 * Symbol flags: X(NAME, value, dump name, meaning).  The common ones have
 * the low bits (a record's info field stays short); PREFIX, ORIGIN and
 * INLINED say which optional record fields are present, and the note
 * builder sets them.
 */
#define KLP_SYM_FLAGS(X)							\
	X(LOCAL,       0x0001, "local", "STB_LOCAL: static, clone, function-local static") \
	X(SITE,        0x0002, "site", "has a patch site: site_kind, site")	\
	X(PREFIX,      0x0004, "prefix", "record has prefix: padding before the symbol") \
	X(INLINED,     0x0008, "inlined", "record has an inlined list")		\
	X(WEAK,        0x0010, "weak", "STB_WEAK")				\
	X(CLONE,       0x0020, "clone", "IPA clone (.constprop/.isra/.part)")	\
	X(NOTRACE,     0x0040, "notrace", "no_instrument_function")		\
	X(COLD,        0x0080, "cold", ".cold part of a function")		\
	X(FUNC_STATIC, 0x0100, "function-static", "static declared in a function") \
	X(NOADDR,      0x0200, "noaddr", "no address recorded (no relocation)")	\
	X(ALIAS,       0x0400, "alias", "another name for origin (ICF, alias attribute)") \
	X(ORIGIN,      0x0800, "origin", "record has origin")			\
	X(ZERO,        0x1000, "zero", "object all zero: no checksum, size says all") \
	X(NAMED,       0x2000, "named", "record has its name (else the symbol table has it)")

enum klp_unit_flag {
#define KLP_FLAG_ENUM(name, value, dump, meaning) KLP_UNIT_##name = value,
	KLP_UNIT_FLAGS(KLP_FLAG_ENUM)
#undef KLP_FLAG_ENUM
};

enum klp_sym_flag {
#define KLP_FLAG_ENUM(name, value, dump, meaning) KLP_SYM_##name = value,
	KLP_SYM_FLAGS(KLP_FLAG_ENUM)
#undef KLP_FLAG_ENUM
};

/* Flags that only say which record fields follow. */
#define KLP_SYM_PRESENCE_FLAGS \
	(KLP_SYM_PREFIX | KLP_SYM_ORIGIN | KLP_SYM_INLINED | KLP_SYM_NAMED)

/* A record's info field: flags, site kind and kind in one ULEB128. */
#define KLP_INFO(flags, site_kind, kind) (((flags) << 5) | ((site_kind) << 2) | (kind))
#define KLP_INFO_FLAGS(info)		((info) >> 5)
#define KLP_INFO_SITE_KIND(info)	(((info) >> 2) & 7)
#define KLP_INFO_KIND(info)		((info) & 3)

/* Does a record of this kind and these flags carry a checksum? */
#define KLP_HAS_CHECKSUM(kind, flags)	(!((flags) & KLP_SYM_ZERO))

enum klp_sym_kind {
	KLP_KIND_FUNC	= 1,
	KLP_KIND_OBJECT	= 2,
};

/* X(NAME, value, dump name) */
#define KLP_SITE_KINDS(X)							\
	X(NONE,		   0, "none")						\
	X(FENTRY,	   1, "fentry")		/* x86 -mfentry: call __fentry__ */ \
	X(MCOUNT,	   2, "mcount")		/* -pg without fentry */	\
	X(MPROFILE_KERNEL, 3, "mprofile-kernel") /* ppc64: bl _mcount */	\
	X(PATCHABLE,	   4, "patchable-entry") /* -fpatchable-function-entry */

enum klp_site_kind {
#define KLP_SITE_ENUM(name, value, dump) KLP_SITE_##name = value,
	KLP_SITE_KINDS(KLP_SITE_ENUM)
#undef KLP_SITE_ENUM
};

/* Record field encodings. */
enum klp_enc {
	KLP_ENC_ULEB,	/* ULEB128 */
	KLP_ENC_STR,	/* ULEB128 index of a string in the unit's strtab */
};

/*
 * One symbol's record: X(field, encoding, present), written in this order;
 * `present` is an expression over the record's `flags` (already read,
 * from info).  The address is addr[i] of the unit, where a relocation can
 * reach it; the checksum is the next entry of checksum[] when
 * KLP_HAS_CHECKSUM(); the inlined list is in the unit's inlined part.
 * site counts from the start of the padding before the symbol (prefix
 * bytes before it; the symbol itself without padding), so it is never
 * negative: the patch site is at symbol + site - prefix.  (An unsigned
 * field also keeps clear of gas 2.40, which mis-encodes .sleb128 of a
 * label difference for ppc64.)
 *
 * A record has no name when the symbol table of the object, module or
 * vmlinux names the symbol at its address without doubt: one symbol of
 * its kind and binding there.  The builder keeps the name of every symbol
 * that could share its address or lose it: aliases and their targets,
 * weak definitions, empty objects, constants in sections the linker
 * merges (SHF_MERGE), symbols without an address.  (Names
 * are most of the notes' bytes, and the symbol table has them already.)
 */
#define KLP_SYM_RECORD(X)							\
	X(info,	     KLP_ENC_ULEB, 1)						\
	X(name,	     KLP_ENC_STR,  (flags) & KLP_SYM_NAMED)			\
	X(size,	     KLP_ENC_ULEB, 1)						\
	X(site,	     KLP_ENC_ULEB, (flags) & KLP_SYM_SITE)			\
	X(prefix,    KLP_ENC_ULEB, (flags) & KLP_SYM_PREFIX)			\
	X(origin,    KLP_ENC_STR,  (flags) & KLP_SYM_ORIGIN)

/* A record as decoded: every field as a 64-bit value. */
struct klp_note_record {
#define KLP_RECORD_DECLARE(field, enc, present) uint64_t field;
	KLP_SYM_RECORD(KLP_RECORD_DECLARE)
#undef KLP_RECORD_DECLARE
};

/* The smallest record: info and size, one byte each. */
#define KLP_RECORD_MIN_SIZE	2

/*
 * The id and checksum hash: 64-bit FNV-1a (docs/note-format.md says what
 * each producer feeds it).
 */
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
