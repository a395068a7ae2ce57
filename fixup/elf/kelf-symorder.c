/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kelf-symorder.c - move chosen symbols to the front of .symtab, right
 * after the null symbol, and renumber everything that names a symbol by
 * index: relocation sections, section groups and SHT_SYMTAB_SHNDX.
 *
 * Why: strip (binutils) rewrites the symbol table and renumbers the
 * relocations it understands, but BFD takes only one relocation section
 * per section; a .klp.rela.OBJ.SEC beside .rela.SEC is copied as opaque
 * bytes (binutils bug 24456), so once strip --strip-debug removes a FILE
 * or a debug section symbol, its indices point at the wrong symbols or
 * past the table.  BFD writes local symbols first, in the order it read
 * them, and removes none of those strip-debug keeps; symbols at 1..n as
 * locals therefore keep their indices through strip, and the opaque
 * sections stay true.
 */
#include "kelf.h"
#include "../base/warn.h"

#include <stdlib.h>
#include <string.h>

/* Rewrite the symbol field of every entry of a REL or RELA section. */
static int renumber_relocs(struct kelf *k, size_t index, const size_t *new_of)
{
	struct kelf_section *rs = &k->secs[index];
	Elf_Scn *scn = elf_getscn(k->elf, index);
	Elf_Data *data = scn ? elf_getdata(scn, NULL) : NULL;
	size_t n;

	if (rs->sh.sh_flags & SHF_COMPRESSED) {
		KLP_ERR(k->path, "section %s is compressed: decompress the module with objcopy "
			"--decompress-debug-sections first", rs->name);
		return -1;
	}
	if (!data) {
		if (!rs->sh.sh_size)
			return 0;
		KLP_ERR_ELF(k->path, "section %s: cannot read its relocations", rs->name);
		return -1;
	}
	/* From the data, not the header: convert has replaced some of them
	 * (kelf_set_relocs()), and only 64-bit files are opened. */
	n = data->d_size / (rs->sh.sh_type == SHT_RELA ? sizeof(Elf64_Rela) : sizeof(Elf64_Rel));
	for (size_t i = 0; i < n; i++) {
		GElf_Rela rela;
		GElf_Rel rel;
		size_t sym;

		if (rs->sh.sh_type == SHT_RELA ? !gelf_getrela(data, (int)i, &rela)
					       : !gelf_getrel(data, (int)i, &rel)) {
			KLP_ERR_ELF(k->path, "section %s: cannot read relocation %zu", rs->name, i);
			return -1;
		}
		sym = GELF_R_SYM(rs->sh.sh_type == SHT_RELA ? rela.r_info : rel.r_info);
		if (sym >= k->nsyms) {
			KLP_ERR(k->path, "section %s: relocation %zu refers to symbol %zu of %zu",
				rs->name, i, sym, k->nsyms);
			return -1;
		}
		if (rs->sh.sh_type == SHT_RELA) {
			rela.r_info = GELF_R_INFO(new_of[sym], GELF_R_TYPE(rela.r_info));
			gelf_update_rela(data, (int)i, &rela);
		} else {
			rel.r_info = GELF_R_INFO(new_of[sym], GELF_R_TYPE(rel.r_info));
			gelf_update_rel(data, (int)i, &rel);
		}
	}
	if (n)
		elf_flagdata(data, ELF_C_SET, ELF_F_DIRTY);
	return 0;
}

/* Section header field sh_info set to value, in libelf and in k. */
static int set_info(struct kelf *k, size_t index, uint64_t value)
{
	Elf_Scn *scn = elf_getscn(k->elf, index);
	GElf_Shdr sh;

	if (!scn || !gelf_getshdr(scn, &sh)) {
		KLP_ERR_ELF(k->path, "section %zu: cannot read its header", index);
		return -1;
	}
	sh.sh_info = (Elf64_Word)value;
	if (!gelf_update_shdr(scn, &sh)) {
		KLP_ERR_ELF(k->path, "section %zu: cannot update its header", index);
		return -1;
	}
	elf_flagshdr(scn, ELF_C_SET, ELF_F_DIRTY);
	k->secs[index].sh.sh_info = sh.sh_info;
	return 0;
}

/* Permute the entries of the extended section index table the same way. */
static int renumber_shndx(struct kelf *k, size_t index, const size_t *old_at)
{
	Elf_Scn *scn = elf_getscn(k->elf, index);
	Elf_Data *data = scn ? elf_getdata(scn, NULL) : NULL;
	Elf32_Word *words, *copy;

	if (!data || data->d_size < k->nsyms * sizeof(Elf32_Word)) {
		KLP_ERR(k->path, "section %s is shorter than the symbol table", k->secs[index].name);
		return -1;
	}
	words = data->d_buf;
	copy = malloc(k->nsyms * sizeof(*copy));
	if (!copy) {
		KLP_ERR(k->path, "out of memory");
		return -1;
	}
	memcpy(copy, words, k->nsyms * sizeof(*copy));
	for (size_t i = 0; i < k->nsyms; i++)
		words[i] = copy[old_at[i]];
	free(copy);
	elf_flagdata(data, ELF_C_SET, ELF_F_DIRTY);
	return 0;
}

int kelf_symbols_first(struct kelf *k, const bool *first)
{
	struct kelf_section *symtab = kelf_symtab(k);
	size_t n = k->nsyms, at = 1, nlocal;
	size_t *old_at = malloc((n ? n : 1) * sizeof(*old_at));	/* new index -> old */
	size_t *new_of = malloc((n ? n : 1) * sizeof(*new_of));	/* old index -> new */
	struct kelf_symbol *syms = malloc((n ? n : 1) * sizeof(*syms));
	Elf_Scn *scn = symtab ? elf_getscn(k->elf, symtab->index) : NULL;
	Elf_Data *data = scn ? elf_getdata(scn, NULL) : NULL;
	int ret = -1;

	if (!old_at || !new_of || !syms) {
		KLP_ERR(k->path, "out of memory for %zu symbols", n);
		goto out;
	}
	if (!data || !n) {
		KLP_ERR(k->path, "no symbol table to reorder");
		goto out;
	}
	old_at[0] = 0;
	for (size_t i = 1; i < n; i++)		/* the chosen ones, as locals */
		if (first[i])
			old_at[at++] = i;
	for (size_t i = 1; i < n; i++)		/* then the other locals */
		if (!first[i] && k->syms[i].bind == STB_LOCAL)
			old_at[at++] = i;
	nlocal = at;
	for (size_t i = 1; i < n; i++)		/* then the rest, as they were */
		if (!first[i] && k->syms[i].bind != STB_LOCAL)
			old_at[at++] = i;
	for (size_t i = 0; i < n; i++) {
		new_of[old_at[i]] = i;
		syms[i] = k->syms[old_at[i]];
		syms[i].index = i;
		if (i && i < nlocal && syms[i].bind != STB_LOCAL) {
			syms[i].bind = STB_LOCAL;
			syms[i].sym.st_info = GELF_ST_INFO(STB_LOCAL, syms[i].type);
		}
		if (!gelf_update_sym(data, (int)i, &syms[i].sym)) {
			KLP_ERR_ELF(k->path, ".symtab: cannot write symbol %zu", i);
			goto out;
		}
	}
	elf_flagdata(data, ELF_C_SET, ELF_F_DIRTY);
	memcpy(k->syms, syms, n * sizeof(*syms));
	if (set_info(k, symtab->index, nlocal))
		goto out;
	for (size_t i = 1; i < k->nsecs; i++) {
		const GElf_Shdr *sh = &k->secs[i].sh;

		if (sh->sh_link != symtab->index)
			continue;
		if ((sh->sh_type == SHT_RELA || sh->sh_type == SHT_REL) &&
		    renumber_relocs(k, i, new_of))
			goto out;
		if (sh->sh_type == SHT_GROUP && sh->sh_info >= n) {
			KLP_ERR(k->path, "group section %s names symbol %llu of %zu: the file is "
				"corrupt; rebuild it", k->secs[i].name,
				(unsigned long long)sh->sh_info, n);
			goto out;
		}
		if (sh->sh_type == SHT_GROUP && set_info(k, i, new_of[sh->sh_info]))
			goto out;
		if (sh->sh_type == SHT_SYMTAB_SHNDX && renumber_shndx(k, i, old_at))
			goto out;
	}
	ret = 0;
out:
	free(old_at);
	free(new_of);
	free(syms);
	return ret;
}
