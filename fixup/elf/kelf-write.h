/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kelf-write.h - a new relocatable object, assembled section by section
 * and written atomically (kelf_open_output()/kelf_publish()).  The
 * builder puts what it extracts from a compile here: sections with their
 * bytes, symbols and relocations named by index into these tables.
 */
#ifndef KLP_KELF_WRITE_H
#define KLP_KELF_WRITE_H

#include "kelf.h"

struct kelf_wsection {
	char *name;
	uint32_t type;
	uint64_t flags, align, entsize;
	unsigned char *data;		/* NULL for SHT_NOBITS */
	uint64_t size;
	size_t link;			/* SHF_LINK_ORDER: the section it goes with (index + 1) */
	struct kelf_reloc *relocs;	/* symndx: index into the writer's symbols */
	size_t nrelocs, relocs_cap;
};

struct kelf_wsymbol {
	char *name;
	unsigned char bind, type, other;
	size_t section;			/* writer section index + 1; 0 undefined */
	uint64_t value, size;
};

struct kelf_writer {
	uint16_t machine;
	unsigned char elf_class, data_encoding;
	struct kelf_wsection *secs;
	size_t nsecs;
	struct kelf_wsymbol *syms;	/* [0] is the null symbol */
	size_t nsyms;
};

/* An empty object for the machine, class and byte order of like. */
int kelf_writer_init(struct kelf_writer *w, const struct kelf *like);
void kelf_writer_free(struct kelf_writer *w);

/* Append a section with a copy of size bytes of data (NULL: zeros, or
 * none for SHT_NOBITS).  Its index + 1, as kelf_wsymbol.section wants, or
 * 0 when out of memory. */
size_t kelf_writer_section(struct kelf_writer *w, const char *name, uint32_t type,
			   uint64_t flags, uint64_t align, uint64_t entsize,
			   const void *data, uint64_t size);

/* Append a symbol; its index, or 0 when out of memory. */
size_t kelf_writer_symbol(struct kelf_writer *w, const char *name, unsigned char bind,
			  unsigned char type, size_t section, uint64_t value, uint64_t size);

/* Add a relocation to section (index + 1).  0, or -1 when out of memory. */
int kelf_writer_reloc(struct kelf_writer *w, size_t section, uint64_t offset, uint32_t type,
		      size_t symbol, int64_t addend);

/*
 * Write the object to out (with like_path's mode), atomically: a temp
 * file next to it renamed
 * over it when complete.  Locals come first in .symtab, as ELF wants;
 * a section with relocations gets its .rela section.  0, or -1 after
 * printing why (nothing is left behind).
 */
int kelf_writer_write(struct kelf_writer *w, const char *like_path, const char *out);

#endif /* KLP_KELF_WRITE_H */
