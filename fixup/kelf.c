/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kelf.c - load an ELF file's sections, symbols and relocations into
 * plain structs.  The file is only read: inputs are never modified.
 * Every size and index read from the file is checked before use, so a
 * truncated or hostile file gives an error, not a crash.
 */
#include "kelf.h"
#include "warn.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

uint16_t kelf_u16(const struct kelf *k, const unsigned char *p)
{
	return k->big_endian ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

uint32_t kelf_u32(const struct kelf *k, const unsigned char *p)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v |= (uint32_t)p[k->big_endian ? 3 - i : i] << (8 * i);
	return v;
}

uint64_t kelf_u64(const struct kelf *k, const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v |= (uint64_t)p[k->big_endian ? 7 - i : i] << (8 * i);
	return v;
}

static int load_section(struct kelf *k, Elf_Scn *scn, size_t shstrndx)
{
	struct kelf_section *s = &k->secs[elf_ndxscn(scn)];
	Elf_Data *data;

	s->index = elf_ndxscn(scn);
	if (!gelf_getshdr(scn, &s->sh)) {
		KLP_ERR_ELF(k->path, "section %zu: bad header", s->index);
		return -1;
	}
	s->name = elf_strptr(k->elf, shstrndx, s->sh.sh_name);
	if (!s->name) {
		KLP_ERR_ELF(k->path, "section %zu: bad name", s->index);
		return -1;
	}
	if (s->sh.sh_type == SHT_NOBITS || s->sh.sh_type == SHT_NULL)
		return 0;
	/* Linkers may compress .debug_* (SHF_COMPRESSED): read it inflated. */
	if ((s->sh.sh_flags & SHF_COMPRESSED) && elf_compress(scn, 0, 0) < 0) {
		KLP_ERR_ELF(k->path, "section %s: cannot decompress", s->name);
		return -1;
	}
	data = elf_getdata(scn, NULL);
	if (!data && s->sh.sh_size) {
		KLP_ERR_ELF(k->path, "section %s: cannot read %llu bytes", s->name,
			    (unsigned long long)s->sh.sh_size);
		return -1;
	}
	s->data = data ? data->d_buf : NULL;
	s->size = data ? data->d_size : 0;
	return 0;
}

static int load_symbols(struct kelf *k)
{
	struct kelf_section *symtab = NULL;
	Elf_Data *data;
	Elf_Scn *scn;

	for (size_t i = 1; i < k->nsecs; i++)
		if (k->secs[i].sh.sh_type == SHT_SYMTAB)
			symtab = &k->secs[i];
	if (!symtab)
		return 0;	/* a stripped file: callers say what they miss */
	if (symtab->sh.sh_entsize != sizeof(Elf64_Sym) && symtab->sh.sh_entsize != sizeof(Elf32_Sym)) {
		KLP_ERR(k->path, ".symtab: bad entry size %llu",
			(unsigned long long)symtab->sh.sh_entsize);
		return -1;
	}
	scn = elf_getscn(k->elf, symtab->index);
	data = scn ? elf_getdata(scn, NULL) : NULL;
	if (!data) {
		KLP_ERR_ELF(k->path, ".symtab: cannot read");
		return -1;
	}
	k->nsyms = data->d_size / symtab->sh.sh_entsize;
	k->syms = calloc(k->nsyms ? k->nsyms : 1, sizeof(*k->syms));
	if (!k->syms) {
		KLP_ERR(k->path, "out of memory for %zu symbols", k->nsyms);
		return -1;
	}
	for (size_t i = 0; i < k->nsyms; i++) {
		struct kelf_symbol *s = &k->syms[i];

		if (!gelf_getsym(data, (int)i, &s->sym)) {
			KLP_ERR_ELF(k->path, ".symtab: bad symbol %zu", i);
			return -1;
		}
		s->index = i;
		s->bind = GELF_ST_BIND(s->sym.st_info);
		s->type = GELF_ST_TYPE(s->sym.st_info);
		s->name = elf_strptr(k->elf, symtab->sh.sh_link, s->sym.st_name);
		if (!s->name) {
			KLP_ERR_ELF(k->path, ".symtab: symbol %zu has a bad name", i);
			return -1;
		}
	}
	return 0;
}

int kelf_open(struct kelf *k, const char *path)
{
	size_t shstrndx, nsecs;
	Elf_Scn *scn = NULL;

	memset(k, 0, sizeof(*k));
	k->path = path;
	k->fd = -1;
	elf_version(EV_CURRENT);
	k->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (k->fd < 0) {
		KLP_ERR(path, "cannot open: %s", strerror(errno));
		return -1;
	}
	k->elf = elf_begin(k->fd, ELF_C_READ_MMAP, NULL);
	if (!k->elf || elf_kind(k->elf) != ELF_K_ELF) {
		KLP_ERR(path, "not an ELF file");
		goto fail;
	}
	if (!gelf_getehdr(k->elf, &k->ehdr)) {
		KLP_ERR_ELF(path, "bad ELF header");
		goto fail;
	}
	if (k->ehdr.e_ident[EI_CLASS] != ELFCLASS64) {
		KLP_ERR(path, "only 64-bit ELF files are supported");
		goto fail;
	}
	k->big_endian = k->ehdr.e_ident[EI_DATA] == ELFDATA2MSB;
	if (elf_getshdrnum(k->elf, &nsecs) || elf_getshdrstrndx(k->elf, &shstrndx)) {
		KLP_ERR_ELF(path, "bad section headers");
		goto fail;
	}
	k->nsecs = nsecs;
	k->secs = calloc(nsecs ? nsecs : 1, sizeof(*k->secs));
	if (!k->secs) {
		KLP_ERR(path, "out of memory for %zu sections", nsecs);
		goto fail;
	}
	while ((scn = elf_nextscn(k->elf, scn))) {
		if (elf_ndxscn(scn) >= nsecs) {
			KLP_ERR(path, "section index out of range");
			goto fail;
		}
		if (load_section(k, scn, shstrndx))
			goto fail;
	}
	if (load_symbols(k))
		goto fail;
	return 0;
fail:
	kelf_close(k);
	return -1;
}

void kelf_close(struct kelf *k)
{
	free(k->syms);
	free(k->secs);
	if (k->elf)
		elf_end(k->elf);
	if (k->fd >= 0)
		close(k->fd);
	k->syms = NULL;
	k->secs = NULL;
	k->elf = NULL;
	k->fd = -1;
}

struct kelf_section *kelf_find_section(struct kelf *k, const char *name)
{
	for (size_t i = 1; i < k->nsecs; i++)
		if (k->secs[i].name && !strcmp(k->secs[i].name, name))
			return &k->secs[i];
	return NULL;
}

struct kelf_section *kelf_section(struct kelf *k, size_t index)
{
	return index && index < k->nsecs && k->secs[index].name ? &k->secs[index] : NULL;
}

struct kelf_section *kelf_relocs_for(struct kelf *k, const struct kelf_section *sec)
{
	for (size_t i = 1; i < k->nsecs; i++) {
		const GElf_Shdr *sh = &k->secs[i].sh;

		if ((sh->sh_type == SHT_RELA || sh->sh_type == SHT_REL) && sh->sh_info == sec->index)
			return &k->secs[i];
	}
	return NULL;
}

static int by_offset(const void *a, const void *b)
{
	const struct kelf_reloc *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

long kelf_read_relocs(struct kelf *k, const struct kelf_section *rsec, struct kelf_reloc **out)
{
	Elf_Scn *scn = elf_getscn(k->elf, rsec->index);
	Elf_Data *data = scn ? elf_getdata(scn, NULL) : NULL;
	bool rela = rsec->sh.sh_type == SHT_RELA;
	size_t n, entsize = rela ? sizeof(Elf64_Rela) : sizeof(Elf64_Rel);
	struct kelf_reloc *r;

	*out = NULL;
	if (!data) {
		KLP_ERR_ELF(k->path, "%s: cannot read relocations", rsec->name);
		return -1;
	}
	n = data->d_size / entsize;
	r = calloc(n ? n : 1, sizeof(*r));
	if (!r) {
		KLP_ERR(k->path, "%s: out of memory for %zu relocations", rsec->name, n);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		GElf_Rela ra;
		GElf_Rel rl;

		if (rela ? !gelf_getrela(data, (int)i, &ra) : !gelf_getrel(data, (int)i, &rl)) {
			KLP_ERR_ELF(k->path, "%s: bad relocation %zu", rsec->name, i);
			free(r);
			return -1;
		}
		if (!rela) {
			ra.r_offset = rl.r_offset;
			ra.r_info = rl.r_info;
			ra.r_addend = 0;
		}
		r[i].offset = ra.r_offset;
		r[i].addend = ra.r_addend;
		r[i].type = (uint32_t)GELF_R_TYPE(ra.r_info);
		r[i].symndx = (uint32_t)GELF_R_SYM(ra.r_info);
		if (r[i].symndx >= k->nsyms && r[i].symndx) {
			KLP_ERR(k->path, "%s: relocation %zu refers to symbol %u of %zu",
				rsec->name, i, r[i].symndx, k->nsyms);
			free(r);
			return -1;
		}
	}
	qsort(r, n, sizeof(*r), by_offset);
	*out = r;
	return (long)n;
}
