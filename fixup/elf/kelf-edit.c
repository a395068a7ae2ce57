/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kelf-edit.c - changes to an opened copy: symbol names and sections,
 * relocations, new sections and strings.  Memory that libelf points into
 * until the end is kept by the kelf (kelf_own()).
 */
#include "kelf.h"
#include "kelf-internal.h"
#include "../base/warn.h"

#include <stdlib.h>
#include <string.h>

/* Keep p alive until kelf_close(): libelf points into it until elf_end. */
void *kelf_own(struct kelf *k, void *p)
{
	if (!p)
		return NULL;
	if (k->nowned == k->owned_cap) {
		size_t cap = k->owned_cap ? 2 * k->owned_cap : 64;
		void **grown = realloc(k->owned, cap * sizeof(*grown));

		if (!grown) {
			free(p);
			return NULL;
		}
		k->owned = grown;
		k->owned_cap = cap;
	}
	k->owned[k->nowned++] = p;
	return p;
}

/* Append s to string table section index; its offset goes to *offset.
 * Returns the kelf's copy of s, which lives until kelf_close(); NULL
 * after an error. */
static const char *add_string(struct kelf *k, size_t index, const char *s, size_t *offset)
{
	struct kelf_section *sec = kelf_section(k, index);
	Elf_Scn *scn = elf_getscn(k->elf, index);
	size_t len = strlen(s) + 1;
	char *copy = kelf_own(k, malloc(len));
	Elf_Data *data;

	if (!sec || !scn || sec->sh.sh_type != SHT_STRTAB) {
		KLP_ERR(k->path, "section %zu is not a string table", index);
		return NULL;
	}
	if (!copy || !(data = elf_newdata(scn))) {
		KLP_ERR(k->path, "out of memory adding string %s", s);
		return NULL;
	}
	memcpy(copy, s, len);
	if (!sec->edit_size)
		sec->edit_size = sec->sh.sh_size;
	data->d_buf = copy;
	data->d_size = len;
	data->d_type = ELF_T_BYTE;
	data->d_align = 1;
	data->d_off = (int64_t)sec->edit_size;
	data->d_version = EV_CURRENT;
	*offset = sec->edit_size;
	sec->edit_size += len;
	return copy;
}

struct kelf_section *kelf_symtab(struct kelf *k)
{
	struct kelf_section *symtab = NULL;

	for (size_t i = 1; i < k->nsecs; i++)
		if (k->secs[i].sh.sh_type == SHT_SYMTAB)
			symtab = &k->secs[i];
	return symtab;
}

int kelf_set_symbol(struct kelf *k, size_t index, const char *name, uint16_t shndx)
{
	struct kelf_section *symtab = kelf_symtab(k);
	size_t symtab_index, link, offset;
	const char *name_copy;
	Elf_Scn *scn;
	Elf_Data *data;
	GElf_Sym sym;

	if (!symtab || index >= k->nsyms) {
		KLP_ERR(k->path, "no symbol %zu to rename to %s", index, name);
		return -1;
	}
	symtab_index = symtab->index;
	link = symtab->sh.sh_link;
	name_copy = add_string(k, link, name, &offset);
	if (!name_copy)
		return -1;
	scn = elf_getscn(k->elf, symtab_index);
	data = scn ? elf_getdata(scn, NULL) : NULL;
	if (!data || !gelf_getsym(data, (int)index, &sym)) {
		KLP_ERR_ELF(k->path, ".symtab: cannot read symbol %zu", index);
		return -1;
	}
	sym.st_name = (Elf64_Word)offset;
	sym.st_shndx = shndx;
	if (!gelf_update_sym(data, (int)index, &sym)) {
		KLP_ERR_ELF(k->path, ".symtab: cannot update symbol %zu", index);
		return -1;
	}
	elf_flagdata(data, ELF_C_SET, ELF_F_DIRTY);
	k->syms[index].sym = sym;
	k->syms[index].name = name_copy;
	return 0;
}

/* A RELA data buffer in memory (host) representation for libelf. */
static Elf64_Rela *rela_buffer(struct kelf *k, const struct kelf_reloc *r, size_t n)
{
	Elf64_Rela *buf = kelf_own(k, calloc(n ? n : 1, sizeof(*buf)));

	if (!buf) {
		KLP_ERR(k->path, "out of memory for %zu relocations", n);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		buf[i].r_offset = r[i].offset;
		buf[i].r_addend = r[i].addend;
		buf[i].r_info = ELF64_R_INFO(r[i].symndx, r[i].type);
	}
	return buf;
}

int kelf_set_relocs(struct kelf *k, size_t rsec_index, const struct kelf_reloc *relocs,
		    size_t n)
{
	Elf_Scn *scn = elf_getscn(k->elf, rsec_index);
	Elf_Data *data = scn ? elf_getdata(scn, NULL) : NULL;
	Elf64_Rela *buf;

	if (!data || k->secs[rsec_index].sh.sh_type != SHT_RELA) {
		KLP_ERR(k->path, "section %zu is not a RELA section", rsec_index);
		return -1;
	}
	buf = rela_buffer(k, relocs, n);
	if (!buf)
		return -1;
	data->d_buf = buf;
	data->d_size = n * sizeof(*buf);
	elf_flagdata(data, ELF_C_SET, ELF_F_DIRTY);
	return 0;
}

/* Append a section holding buf (owned, n bytes, libelf type dtype);
 * sh gives type, flags, link, info, alignment and entry size. */
static size_t add_section(struct kelf *k, const char *name, GElf_Shdr *want, void *buf,
			  size_t n, Elf_Type dtype)
{
	struct kelf_section *grown, *s;
	size_t shstrndx, name_offset, index;
	const char *name_copy;
	Elf_Data *data;
	Elf_Scn *scn;
	GElf_Shdr sh;

	if (elf_getshdrstrndx(k->elf, &shstrndx)) {
		KLP_ERR_ELF(k->path, "cannot add %s: no section names", name);
		return 0;
	}
	name_copy = add_string(k, shstrndx, name, &name_offset);
	if (!name_copy)
		return 0;
	grown = realloc(k->secs, (k->nsecs + 1) * sizeof(*grown));
	if (!grown) {
		KLP_ERR(k->path, "out of memory adding %s", name);
		return 0;
	}
	k->secs = grown;
	free(k->by_name);	/* rebuilt with the new section on the next lookup */
	k->by_name = NULL;
	scn = elf_newscn(k->elf);
	data = scn ? elf_newdata(scn) : NULL;
	if (!data || !gelf_getshdr(scn, &sh)) {
		KLP_ERR_ELF(k->path, "cannot add section %s", name);
		return 0;
	}
	data->d_buf = buf;
	data->d_size = n;
	data->d_type = dtype;
	data->d_align = want->sh_addralign;
	data->d_version = EV_CURRENT;
	sh.sh_name = (Elf64_Word)name_offset;
	sh.sh_type = want->sh_type;
	sh.sh_flags = want->sh_flags;
	sh.sh_link = want->sh_link;
	sh.sh_info = want->sh_info;
	sh.sh_addralign = want->sh_addralign;
	sh.sh_entsize = want->sh_entsize;
	if (!gelf_update_shdr(scn, &sh)) {
		KLP_ERR_ELF(k->path, "cannot add section %s", name);
		return 0;
	}
	index = elf_ndxscn(scn);
	if (index != k->nsecs) {
		KLP_ERR(k->path, "libelf put new section %s at %zu, expected %zu", name, index,
			k->nsecs);
		return 0;
	}
	s = &k->secs[k->nsecs++];
	memset(s, 0, sizeof(*s));
	s->name = name_copy;
	s->sh = sh;
	s->index = index;
	s->data = buf;
	s->size = n;
	return index;
}

size_t kelf_add_rela_section(struct kelf *k, const char *name, size_t target_index,
			     uint64_t flags, const struct kelf_reloc *relocs, size_t n)
{
	struct kelf_section *symtab = kelf_symtab(k);
	GElf_Shdr sh = {
		.sh_type = SHT_RELA,
		.sh_flags = flags,
		.sh_info = (Elf64_Word)target_index,
		.sh_addralign = 8,
		.sh_entsize = sizeof(Elf64_Rela),
	};
	Elf64_Rela *buf;

	if (!symtab) {
		KLP_ERR(k->path, "cannot add %s: no symbol table", name);
		return 0;
	}
	sh.sh_link = (Elf64_Word)symtab->index;
	buf = rela_buffer(k, relocs, n);
	if (!buf)
		return 0;
	return add_section(k, name, &sh, buf, n * sizeof(*buf), ELF_T_RELA);
}

size_t kelf_add_bytes_section(struct kelf *k, const char *name, const void *bytes, size_t n)
{
	GElf_Shdr sh = { .sh_type = SHT_PROGBITS, .sh_addralign = 1 };
	void *buf = kelf_own(k, malloc(n ? n : 1));

	if (!buf) {
		KLP_ERR(k->path, "out of memory adding %s", name);
		return 0;
	}
	memcpy(buf, bytes, n);
	return add_section(k, name, &sh, buf, n, ELF_T_BYTE);
}
