/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kelf.h - the one ELF abstraction of klp-fixup.  kelf*.c are the only
 * files that call libelf; everything else works on these structs.
 */
#ifndef KLP_KELF_H
#define KLP_KELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <gelf.h>

struct kelf_section {
	const char *name;
	GElf_Shdr sh;
	size_t index;
	const unsigned char *data;	/* section bytes (decompressed), or NULL */
	size_t size;			/* bytes at data */
	uint64_t edit_size;		/* kelf-edit.c: size with appended strings */
};

struct kelf_symbol {
	const char *name;
	GElf_Sym sym;
	size_t index;
	unsigned char bind, type;
};

struct kelf_reloc {
	uint64_t offset;
	int64_t addend;
	uint32_t type;
	uint32_t symndx;
};

struct kelf {
	const char *path;
	int fd;
	Elf *elf;
	/* Set by kelf_open_copy(): the private copy being edited (an
	 * unnamed O_TMPFILE, or the named tmp_path where the file system has
	 * none), where it goes on kelf_commit(), and buffers libelf points
	 * into until then. */
	bool editing;
	char *tmp_path;
	const char *out_path;
	void **owned;
	size_t nowned, owned_cap;
	GElf_Ehdr ehdr;
	bool big_endian;
	struct kelf_section *secs;
	size_t nsecs;
	/* section indexes sorted by name, for kelf_find_section(); built on
	 * the first lookup, dropped when a section is added */
	size_t *by_name;
	struct kelf_symbol *syms;	/* .symtab, in table order */
	size_t nsyms;
	/* kelf_open_lazy(): section contents stay in the file until read
	 * through a kelf_stream, and syms is empty until kelf_load_symbols(). */
	bool lazy;
	uint64_t file_size;
	uint64_t notes_budget;		/* see KELF_NOTES_PER_TABLE_BYTE */
};

/*
 * A bounded window onto one section: kelf_stream_at() returns its bytes
 * [off, off + len), reading them with pread() into a buffer of about
 * KELF_STREAM_CHUNK bytes (more only for a larger len), or pointing into
 * the section when it is in memory.  The pointer is valid until the next
 * call.  A whole vmlinux section is never held.
 */
#define KELF_STREAM_CHUNK	(64 * 1024)

struct kelf_stream {
	struct kelf *k;
	const struct kelf_section *sec;
	unsigned char *buf;
	size_t cap, len;		/* buf holds len bytes from section offset start */
	uint64_t start;
};

/* Open read-only.  Returns 0, or -1 after printing why. */
int kelf_open(struct kelf *k, const char *path);
void kelf_close(struct kelf *k);

/*
 * Open read-only with section headers and names only: no section's
 * contents and no symbol is read (a compressed .debug_klp is inflated,
 * since it cannot be read in place).  For files too large to hold:
 * read with kelf_stream, or load parts with kelf_load_symbols() and
 * kelf_load_section().  Returns 0, or -1 after printing why.
 */
int kelf_open_lazy(struct kelf *k, const char *path);

/* Decode .symtab into k->syms as kelf_open() does.  0 or -1. */
int kelf_load_symbols(struct kelf *k);

/* Bring a section's contents into memory (sec->data).  0 or -1. */
int kelf_load_section(struct kelf *k, struct kelf_section *sec);

/* The SHT_SYMTAB section, or NULL for a stripped file. */
struct kelf_section *kelf_symtab(struct kelf *k);

/* Returns 0, or -1 after printing why (compressed, past the file's end). */
int kelf_stream_open(struct kelf_stream *st, struct kelf *k, const struct kelf_section *sec);
/* NULL after printing why (outside the section, read error). */
const unsigned char *kelf_stream_at(struct kelf_stream *st, uint64_t off, size_t len);
void kelf_stream_close(struct kelf_stream *st);

/*
 * Compressed sections (SHF_COMPRESSED, kelf-inflate.c).  zlib data is
 * inflated by libelf; zstd data, which elfutils knows only from 0.189 on,
 * by libzstd.  bookworm's <elf.h> (glibc 2.36) has no name for it.
 */
#ifndef ELFCOMPRESS_ZSTD
#define ELFCOMPRESS_ZSTD	2
#endif

/* The most bytes a section is inflated to in memory.  Notes that large are
 * read from a file decompressed with objcopy --decompress-debug-sections,
 * where a target's notes are read in bounded chunks. */
#define KELF_INFLATE_MAX	(1ull << 30)

/*
 * The most bytes the notes of one file may take, inflated or not: what its
 * symbol and string tables can justify.  Each record describes a symbol of
 * the unit (or one the link discarded), so real notes stay near the size of
 * the tables (0.7 of them in the test kernels); the constant covers small
 * objects whose inlined lists outgrow a short symbol table.  Anything past
 * that is a decompression bomb or a sparse hole, refused before it costs
 * memory or a scan (kelf_begin() sets k->notes_budget).
 */
#define KELF_NOTES_PER_TABLE_BYTE	64u
#define KELF_NOTES_FLOOR		(16ull << 20)

/* 0 when size bytes of notes fit k->notes_budget, -1 after saying so. */
int kelf_check_notes_size(const struct kelf *k, const struct kelf_section *s, uint64_t size);

/* An Elf32_Chdr or Elf64_Chdr, decoded. */
struct kelf_chdr {
	uint32_t type;
	uint64_t size;			/* inflated bytes */
	uint64_t addralign;
	size_t len;			/* bytes of the header itself */
};

/* The compression header at the start of raw, the n stored bytes of
 * section sec, in the file's class and byte order.  0, or -1 after
 * printing why (too short, unknown class, more than KELF_INFLATE_MAX
 * inflated bytes, whatever the compression). */
int kelf_chdr_decode(const struct kelf *k, const struct kelf_section *sec,
		     const unsigned char *raw, size_t n, struct kelf_chdr *ch);

/* Inflate the zstd data after the header ch that kelf_chdr_decode() read
 * from raw.  Returns ch->size bytes to free(), or NULL after printing why
 * (corrupt data, sizes that disagree, more than KELF_INFLATE_MAX). */
unsigned char *kelf_inflate_zstd(const struct kelf *k, const struct kelf_section *sec,
				 const unsigned char *raw, size_t n, const struct kelf_chdr *ch);

/* An Elf64_Sym in the file's byte order, as gelf_getsym() gives it. */
void kelf_decode_sym(const struct kelf *k, const unsigned char *p, GElf_Sym *sym);

struct kelf_section *kelf_find_section(struct kelf *k, const char *name);
struct kelf_section *kelf_section(struct kelf *k, size_t index);

/* The SHT_RELA/SHT_REL section that applies to sec, or NULL. */
struct kelf_section *kelf_relocs_for(struct kelf *k, const struct kelf_section *sec);

/* Decode all relocations of a relocation section in table order.
 * Returns the count (0 is fine) or -1 after printing why. */
long kelf_read_relocs_in_order(struct kelf *k, const struct kelf_section *rsec,
			       struct kelf_reloc **out);

/* Decode all relocations of a relocation section, sorted by offset.
 * Returns the count (0 is fine) or -1 after printing why. */
long kelf_read_relocs(struct kelf *k, const struct kelf_section *rsec,
		      struct kelf_reloc **out);

/*
 * Editing.  kelf_open_copy() copies `in` to a temporary file in the
 * directory of `out` and opens that copy for writing, so `in` is never
 * touched and `out` appears only when kelf_commit() renames the finished
 * copy over it; kelf_close() without a commit removes the copy.  The copy
 * is an unnamed O_TMPFILE, named only at commit, so a killed run leaves
 * nothing; where the file system has no O_TMPFILE it is a named
 * .klp-fixup.XXXXXX that SIGINT, SIGTERM and SIGHUP remove (SIGKILL
 * cannot be caught).  A file whose layout libelf cannot safely rewrite
 * (sections on the headers or on each other) is refused here.  Section
 * pointers are invalidated by kelf_add_rela_section(): keep indices.
 */
int kelf_open_copy(struct kelf *k, const char *in, const char *out);

/* Rename symbol index to name and move it to section index shndx. */
int kelf_set_symbol(struct kelf *k, size_t index, const char *name, uint16_t shndx);

/* Move the symbols i with first[i] (first has k->nsyms entries) to
 * indices 1..n as local symbols, the other locals after them and the
 * global ones last, each group in its old order; renumber the relocation
 * sections, groups and SHT_SYMTAB_SHNDX (kelf-symorder.c says why).
 * Symbol indices held before the call are stale after it. */
int kelf_symbols_first(struct kelf *k, const bool *first);

/* Replace the entries of RELA section rsec_index by relocs[0..n). */
int kelf_set_relocs(struct kelf *k, size_t rsec_index, const struct kelf_reloc *relocs,
		    size_t n);

/* Append a RELA section applying relocs to section target_index.
 * Returns its index, or 0 after printing why. */
size_t kelf_add_rela_section(struct kelf *k, const char *name, size_t target_index,
			     uint64_t flags, const struct kelf_reloc *relocs, size_t n);

/* Append a non-allocated SHT_PROGBITS section holding a copy of bytes.
 * Returns its index, or 0 after printing why. */
size_t kelf_add_bytes_section(struct kelf *k, const char *name, const void *bytes, size_t n);

/* Write the edited copy and rename it to the output path. */
int kelf_commit(struct kelf *k);

/* s390x: rewrite the `lgrl %rN,sym@GOTENT` relocation r of section
 * sec_index applies to into `larl %rN,sym` (R_390_PC32DBL), as a linker
 * does for a local symbol (kelf-relax.c).  False, and nothing changed,
 * when r is not that. */
bool kelf_s390_relax_gotent(struct kelf *k, size_t sec_index, struct kelf_reloc *r);

/*
 * Output written by the caller, not by libelf: an empty temporary file
 * next to out (k->fd, with in's mode), under the same rules and cleanup
 * as kelf_open_copy(); kelf_publish() names it out once complete, and
 * kelf_close() without it leaves nothing.  k holds no ELF.
 */
int kelf_open_output(struct kelf *k, const char *in, const char *out);
int kelf_publish(struct kelf *k);

/* Copy file in to out whole, under the same rules: out appears complete
 * or not at all.  0, or -1 after printing why. */
int kelf_copy_file(const char *in, const char *out);

/* Integers in the file's byte order; the caller has bounds-checked. */
/* Integers in the file's byte order, from any alignment.  Inline, with
 * one load and at most one byte swap: every symbol and note field read
 * goes through them, in loops over a vmlinux's whole symbol table. */
#define KELF_HOST_BIG_ENDIAN	(__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)

static inline uint16_t kelf_u16(const struct kelf *k, const unsigned char *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return k->big_endian == KELF_HOST_BIG_ENDIAN ? v : __builtin_bswap16(v);
}

static inline uint32_t kelf_u32(const struct kelf *k, const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return k->big_endian == KELF_HOST_BIG_ENDIAN ? v : __builtin_bswap32(v);
}

static inline uint64_t kelf_u64(const struct kelf *k, const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return k->big_endian == KELF_HOST_BIG_ENDIAN ? v : __builtin_bswap64(v);
}

/* "x86_64", "ppc64", "s390x" or "unknown" (kelf-machine.c). */
const char *kelf_machine_name(unsigned machine);

/* 0 when module and target are for the same machine and byte order; -1
 * after naming both otherwise. */
int kelf_check_same_machine(const struct kelf *module, const struct kelf *target);

/* Is this ELF file a relocatable object (.o, .ko) rather than a linked one? */
static inline bool kelf_is_relocatable(const struct kelf *k)
{
	return k->ehdr.e_type == ET_REL;
}

#endif /* KLP_KELF_H */
