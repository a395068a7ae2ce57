/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * notes.h - the .debug_klp notes of one ELF file, decoded and checked.
 */
#ifndef KLP_NOTES_READ_H
#define KLP_NOTES_READ_H

#include "../elf/kelf.h"
#include "../../include/klp-notes.h"

struct klp_unit;
struct klp_symaddr;

struct klp_sym {
	const char *name;
	const char *origin;		/* or NULL */
	const char **inlined;		/* ninlined names */
	unsigned ninlined;
	uint16_t kind, flags, site_kind;
	int32_t site;
	uint64_t size;			/* an object may pass 4 GiB (ELF's st_size) */
	uint32_t prefix;
	bool has_checksum;
	uint64_t checksum;		/* of the code or data (docs/note-format.md) */
	/*
	 * Where the symbol is.  Linked file: addr is its address (0 when the
	 * link discarded it: has_addr false).  Relocatable file: shndx and
	 * addr give section and offset, reloc_sym the symbol the relocation
	 * names (NULL when the assembler used a section symbol).
	 */
	bool has_addr;
	uint64_t addr;
	size_t shndx;
	const char *reloc_sym;
	struct klp_unit *unit;
	size_t note_offset;		/* in .debug_klp, for messages */
};

struct klp_unit {
	uint32_t version, flags;
	uint64_t id;
	uint16_t machine;
	const char *path, *producer, *plugin;
	size_t path_len;		/* strlen(path): units are looked up by path */
	struct klp_sym *syms;
	size_t nsyms;
	/* Records the link discarded and that no table names: kept apart,
	 * for diff (an object's symbol the link dropped is no new one). */
	struct klp_sym *discarded;
	size_t ndiscarded;
	size_t note_offset;
};

struct klp_notes {
	struct klp_unit *units;
	size_t nunits;
	size_t nsyms;			/* over all units */
	struct klp_symaddr *symaddr;	/* klp_notes_read(): owns names from the symbol table */
};

/*
 * Read and check every note.  Returns 0, 1 when the file has no
 * .debug_klp section, or -1 after printing what is wrong (file, offset,
 * record) for malformed notes.
 */
int klp_notes_read(struct kelf *k, struct klp_notes *notes);
void klp_notes_free(struct klp_notes *notes);

/* Open path (kelf_open()) and read its notes; a file without them is an
 * error that says to compile it with the plugin.  0, or -1 after printing
 * why (k closed). */
int klp_notes_open(struct kelf *k, const char *path, struct klp_notes *notes);

/*
 * The units of a file without their symbols, for a reader that needs
 * only a few units of a large file (a vmlinux).  klp_notes_index() reads
 * the section once in bounded chunks and checks every note as
 * klp_notes_read() does, but keeps only the units: notes->units[i] has
 * syms NULL and nsyms the count, and strings owned by the index.
 * klp_notes_read_unit() then decodes one unit again from the file.
 */
struct klp_notes_spans {
	uint64_t *ends;			/* per unit: offset just past its last note */
	struct kelf_reloc *relocs;	/* relocatable file: .rela.debug_klp by offset */
	long nrelocs;
	struct klp_symaddr *symaddr;	/* symbols by place, for records without names */
};

/* One unit with its symbols; their strings point into bytes. */
struct klp_unit_notes {
	struct klp_unit unit;
	unsigned char *bytes;
};

/* Returns 0, 1 without .debug_klp, or -1 after printing what is wrong.
 * A relocatable file needs its symbols (kelf_load_symbols()) first. */
int klp_notes_index(struct kelf *k, struct klp_notes *notes, struct klp_notes_spans *spans);
void klp_notes_index_free(struct klp_notes *notes, struct klp_notes_spans *spans);

/* Decode unit i of an index.  Returns 0, or -1 after printing why. */
int klp_notes_read_unit(struct kelf *k, const struct klp_notes *notes,
			struct klp_notes_spans *spans, size_t i, struct klp_unit_notes *un);
void klp_unit_notes_free(struct klp_unit_notes *un);

const char *klp_kind_name(unsigned kind);
const char *klp_site_kind_name(unsigned site_kind);

/* Every flag of a KLP_UNIT_* or KLP_SYM_* set, by its dump name, from
 * klp-notes.h's tables. */
struct klp_flag_name {
	unsigned flag;
	const char *name;
};
extern const struct klp_flag_name klp_unit_flag_names[];
extern const struct klp_flag_name klp_sym_flag_names[];

#endif /* KLP_NOTES_READ_H */
