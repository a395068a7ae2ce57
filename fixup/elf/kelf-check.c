/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kelf-check.c - hostile input: the header tables, the section layout
 * and the relocation links of a file checked against its size and each
 * other before libelf's view of it is used, and the bound on what its
 * notes may inflate to.
 */
#include "kelf.h"
#include "kelf-internal.h"
#include "../base/warn.h"

#include <stddef.h>
#include <stdlib.h>

/*
 * The header tables against the file size, before libelf's view of the
 * file is used: libelf takes a section header table past the end of the
 * file for no sections at all (a cut module would convert into a bare ELF
 * header, a cut target would read as one without notes), and its
 * elf_update() crashes on a table that lies on the ELF header.  These are
 * the checks of the kernel's module loader (elf_validity_check()).
 * *nsecs gets the section count the header gives.
 */
int kelf_check_tables(struct kelf *k, uint64_t *nsecs)
{
	const GElf_Ehdr *eh = &k->ehdr;
	uint64_t size = k->file_size, n = eh->e_shnum, pn = eh->e_phnum;
	unsigned char raw[8];

	if (!eh->e_shoff && !eh->e_shnum) {
		KLP_ERR(k->path, "no section header table (e_shoff 0): klp-fixup needs the "
			"sections and symbols; use the file as the linker wrote it");
		return -1;
	}
	if (eh->e_shentsize != sizeof(Elf64_Shdr)) {
		KLP_ERR(k->path, "section header entries of %u bytes, expected %zu: the ELF "
			"header is corrupt; rebuild the file", eh->e_shentsize, sizeof(Elf64_Shdr));
		return -1;
	}
	if (eh->e_shoff < sizeof(Elf64_Ehdr)) {
		KLP_ERR(k->path, "section header table at 0x%llx overlaps the ELF header (%zu "
			"bytes): the file is corrupt; rebuild it", (unsigned long long)eh->e_shoff,
			sizeof(Elf64_Ehdr));
		return -1;
	}
	/* e_shnum 0: more than SHN_LORESERVE sections, the count is the first
	 * section header's sh_size (extended numbering). */
	if (!n && eh->e_shoff <= size && size - eh->e_shoff >= sizeof(Elf64_Shdr)) {
		if (k->editing) {
			KLP_ERR(k->path, "e_shnum is 0 (extended section numbering): the kernel's "
				"module loader reads e_shnum as the section count and cannot load "
				"this module; link it with fewer than %d sections", SHN_LORESERVE);
			return -1;
		}
		if (kelf_pread(k, NULL, eh->e_shoff + offsetof(Elf64_Shdr, sh_size), raw, 8))
			return -1;
		n = kelf_u64(k, raw);
		if (!n) {
			KLP_ERR(k->path, "e_shnum is 0 and the first section header gives no "
				"count either: the file has no sections; use the file as the linker "
				"wrote it");
			return -1;
		}
	}
	if (eh->e_shoff > size || (n ? n : 1) > (size - eh->e_shoff) / sizeof(Elf64_Shdr)) {
		KLP_ERR(k->path, "section header table (%llu entries of %zu bytes at 0x%llx) runs "
			"past the end of the file (%llu bytes): the file is truncated; use the "
			"complete file", (unsigned long long)(n ? n : 1), sizeof(Elf64_Shdr),
			(unsigned long long)eh->e_shoff, (unsigned long long)size);
		return -1;
	}
	/* e_phnum PN_XNUM: the count is the first section header's sh_info. */
	if (pn == PN_XNUM) {
		if (kelf_pread(k, NULL, eh->e_shoff + offsetof(Elf64_Shdr, sh_info), raw, 4))
			return -1;
		pn = kelf_u32(k, raw);
	}
	if (pn && eh->e_phentsize != sizeof(Elf64_Phdr)) {
		KLP_ERR(k->path, "program header entries of %u bytes, expected %zu: the ELF "
			"header is corrupt; rebuild the file", eh->e_phentsize, sizeof(Elf64_Phdr));
		return -1;
	}
	if (pn && (eh->e_phoff > size || pn > (size - eh->e_phoff) / sizeof(Elf64_Phdr))) {
		KLP_ERR(k->path, "program header table (%llu entries of %zu bytes at 0x%llx) runs "
			"past the end of the file (%llu bytes): the file is truncated; use the "
			"complete file", (unsigned long long)pn, sizeof(Elf64_Phdr),
			(unsigned long long)eh->e_phoff, (unsigned long long)size);
		return -1;
	}
	*nsecs = n;
	return 0;
}

/*
 * A relocation section must name the symbol table its entries index
 * (sh_link) and, in a relocatable file, the section it applies to
 * (sh_info).  One that names neither applies to nothing: convert would
 * skip it, rename its klp references and leave their relocations behind.
 * A linked file's dynamic relocations apply to no one section (sh_info 0).
 */
int kelf_check_reloc_links(struct kelf *k)
{
	bool rel = kelf_is_relocatable(k);

	for (size_t i = 1; i < k->nsecs; i++) {
		const struct kelf_section *s = &k->secs[i];
		const GElf_Shdr *sh = &s->sh;

		if (sh->sh_type != SHT_RELA && sh->sh_type != SHT_REL)
			continue;
		if (sh->sh_link >= k->nsecs ||
		    (rel && k->secs[sh->sh_link].sh.sh_type != SHT_SYMTAB)) {
			KLP_ERR(k->path, "relocation section %s: sh_link %u is not a symbol table "
				"(the file has %zu sections): the relocation section is corrupt; "
				"rebuild the object", s->name, sh->sh_link, k->nsecs);
			return -1;
		}
		if (sh->sh_info >= k->nsecs || (rel && !sh->sh_info)) {
			KLP_ERR(k->path, "relocation section %s: sh_info %u is not a section (the "
				"file has %zu): its relocations apply to nothing; the relocation "
				"section is corrupt: rebuild the object", s->name, sh->sh_info,
				k->nsecs);
			return -1;
		}
	}
	return 0;
}

/* Largest section alignment of a file to edit: a huge page. */
#define KELF_MAX_ALIGN	(2 * 1024 * 1024)

struct extent {
	uint64_t start, end;
	const char *name;	/* a section's name, or NULL for what */
	const char *what;
};

static int by_start(const void *a, const void *b)
{
	const struct extent *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static void describe(char *buf, size_t len, const struct extent *e)
{
	snprintf(buf, len, "%s%s (0x%llx-0x%llx)", e->name ? "section " : e->what,
		 e->name ? e->name : "", (unsigned long long)e->start,
		 (unsigned long long)e->end);
}

/*
 * An edited copy is written back by libelf's elf_update(), which crashes
 * on layouts no linker makes.  Before anything is edited, no section may
 * lie on the ELF header, on a header table or on another section (all of
 * them already known to lie inside the file).
 */
int kelf_check_layout(struct kelf *k)
{
	const GElf_Ehdr *eh = &k->ehdr;
	struct extent *e = calloc(k->nsecs + 3, sizeof(*e)), *last;
	size_t n = 0, phnum = 0;
	char a[192], b[192];
	int ret = 0;

	if (!e) {
		KLP_ERR(k->path, "out of memory for %zu sections", k->nsecs);
		return -1;
	}
	/*
	 * libelf's elf_update() crashes on a file whose section names have
	 * no string table (one NULL section only, say); a module always has
	 * one.
	 */
	{
		size_t shstrndx = 0;

		if (elf_getshdrstrndx(k->elf, &shstrndx) || shstrndx == 0 ||
		    shstrndx >= k->nsecs || k->secs[shstrndx].sh.sh_type != SHT_STRTAB) {
			KLP_ERR(k->path, "no section name string table (e_shstrndx %zu of %zu "
				"sections): not a kernel module; rebuild it", shstrndx, k->nsecs);
			free(e);
			return -1;
		}
	}
	e[n++] = (struct extent){ 0, sizeof(Elf64_Ehdr), NULL, "the ELF header" };
	e[n++] = (struct extent){ eh->e_shoff, eh->e_shoff + k->nsecs * sizeof(Elf64_Shdr),
				  NULL, "the section header table" };
	if (!elf_getphdrnum(k->elf, &phnum) && phnum)
		e[n++] = (struct extent){ eh->e_phoff, eh->e_phoff + phnum * sizeof(Elf64_Phdr),
					  NULL, "the program header table" };
	for (size_t i = 1; i < k->nsecs; i++) {
		const GElf_Shdr *sh = &k->secs[i].sh;

		if (sh->sh_type != SHT_NOBITS && sh->sh_type != SHT_NULL && sh->sh_size)
			e[n++] = (struct extent){ sh->sh_offset, sh->sh_offset + sh->sh_size,
						  k->secs[i].name, NULL };
	}
	/* elf_update() pads each section to its alignment: a corrupt one of
	 * 2^43 has it write terabytes.  Modules align to pages at most. */
	for (size_t i = 0; i < k->nsecs && !ret; i++) {
		uint64_t align = k->secs[i].sh.sh_addralign;

		if (align & (align - 1) || align > KELF_MAX_ALIGN) {
			KLP_ERR(k->path, "section %zu (%s): alignment %llu is not a power of two "
				"of at most %d: the section header is corrupt; rebuild the object", i,
				i ? k->secs[i].name : "null", (unsigned long long)align, KELF_MAX_ALIGN);
			ret = -1;
		}
	}
	qsort(e, n, sizeof(*e), by_start);
	last = &e[0];	/* of those before i, the one that ends last */
	for (size_t i = 1; i < n && !ret; i++) {
		if (e[i].start < last->end) {
			describe(a, sizeof(a), &e[i]);
			describe(b, sizeof(b), last);
			KLP_ERR(k->path, "%s overlaps %s: the file is corrupt; rebuild it", a, b);
			ret = -1;
		}
		if (e[i].end > last->end)
			last = &e[i];
	}
	free(e);
	return ret;
}

/* KELF_NOTES_PER_TABLE_BYTE times the symbol table and its strings (as
 * their headers give them, at most the file), plus KELF_NOTES_FLOOR. */
uint64_t kelf_notes_budget(struct kelf *k)
{
	uint64_t tables = 0;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh, link;

	while ((scn = elf_nextscn(k->elf, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB) {
			tables = sh.sh_size;
			if (gelf_getshdr(elf_getscn(k->elf, sh.sh_link), &link))
				tables += link.sh_size;
			break;
		}
	if (tables > k->file_size)
		tables = k->file_size;
	tables = tables * KELF_NOTES_PER_TABLE_BYTE + KELF_NOTES_FLOOR;
	return tables < KELF_INFLATE_MAX ? tables : KELF_INFLATE_MAX;
}
