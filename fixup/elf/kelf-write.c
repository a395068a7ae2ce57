/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kelf-write.c - a new relocatable object from tables (kelf-write.h),
 * written through libelf into kelf-output.c's atomic temp file.
 */
#include "kelf-write.h"
#include "kelf-internal.h"
#include "../base/warn.h"

#include <stdlib.h>
#include <string.h>

int kelf_writer_init(struct kelf_writer *w, const struct kelf *like)
{
	memset(w, 0, sizeof(*w));
	w->machine = like->ehdr.e_machine;
	w->elf_class = like->ehdr.e_ident[EI_CLASS];
	w->data_encoding = like->ehdr.e_ident[EI_DATA];
	/* the null symbol */
	return kelf_writer_symbol(w, "", STB_LOCAL, STT_NOTYPE, 0, 0, 0) == 0 && w->nsyms == 1 ?
	       0 : -1;
}

void kelf_writer_free(struct kelf_writer *w)
{
	for (size_t i = 0; i < w->nsecs; i++) {
		free(w->secs[i].name);
		free(w->secs[i].data);
		free(w->secs[i].relocs);
	}
	for (size_t i = 0; i < w->nsyms; i++)
		free(w->syms[i].name);
	free(w->secs);
	free(w->syms);
	memset(w, 0, sizeof(*w));
}

size_t kelf_writer_section(struct kelf_writer *w, const char *name, uint32_t type,
			   uint64_t flags, uint64_t align, uint64_t entsize,
			   const void *data, uint64_t size)
{
	struct kelf_wsection *grown = realloc(w->secs, (w->nsecs + 1) * sizeof(*grown));
	struct kelf_wsection *s;

	if (!grown)
		return 0;
	w->secs = grown;
	s = &w->secs[w->nsecs];
	memset(s, 0, sizeof(*s));
	s->name = strdup(name);
	if (type != SHT_NOBITS && size) {
		s->data = calloc(1, size);
		if (s->data && data)
			memcpy(s->data, data, size);
	}
	if (!s->name || (type != SHT_NOBITS && size && !s->data)) {
		free(s->name);
		free(s->data);
		return 0;
	}
	s->type = type;
	s->flags = flags;
	s->align = align ? align : 1;
	s->entsize = entsize;
	s->size = size;
	return ++w->nsecs;
}

size_t kelf_writer_symbol(struct kelf_writer *w, const char *name, unsigned char bind,
			  unsigned char type, size_t section, uint64_t value, uint64_t size)
{
	struct kelf_wsymbol *grown = realloc(w->syms, (w->nsyms + 1) * sizeof(*grown));
	struct kelf_wsymbol *s;

	if (!grown)
		return 0;
	w->syms = grown;
	s = &w->syms[w->nsyms];
	memset(s, 0, sizeof(*s));
	s->name = strdup(name);
	if (!s->name)
		return 0;
	s->bind = bind;
	s->type = type;
	s->section = section;
	s->value = value;
	s->size = size;
	/* the null symbol is index 0: report it as success through nsyms */
	return w->nsyms++;
}

int kelf_writer_reloc(struct kelf_writer *w, size_t section, uint64_t offset, uint32_t type,
		      size_t symbol, int64_t addend)
{
	struct kelf_wsection *s = &w->secs[section - 1];

	if (s->nrelocs == s->relocs_cap) {
		size_t cap = s->relocs_cap ? 2 * s->relocs_cap : 16;
		struct kelf_reloc *grown = realloc(s->relocs, cap * sizeof(*grown));

		if (!grown)
			return -1;
		s->relocs = grown;
		s->relocs_cap = cap;
	}
	s->relocs[s->nrelocs++] = (struct kelf_reloc){ offset, addend, type, (uint32_t)symbol };
	return 0;
}

/* A string table being built: names appended, offsets returned. */
struct strtab {
	char *bytes;
	size_t len, cap;
};

static size_t strtab_add(struct strtab *t, const char *s)
{
	size_t n = strlen(s) + 1, at = t->len;

	if (t->len + n > t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 4096;
		char *grown;

		while (cap < t->len + n)
			cap *= 2;
		grown = realloc(t->bytes, cap);
		if (!grown)
			return SIZE_MAX;
		t->bytes = grown;
		t->cap = cap;
	}
	memcpy(t->bytes + at, s, n);
	t->len += n;
	return at;
}

static Elf_Scn *new_section(struct kelf *k, struct strtab *shstr, const char *name,
			    GElf_Shdr *sh, void *bytes, size_t size, Elf_Type type)
{
	Elf_Scn *scn = elf_newscn(k->elf);
	Elf_Data *d = scn ? elf_newdata(scn) : NULL;
	size_t at = strtab_add(shstr, name);

	if (!d || at == SIZE_MAX)
		return NULL;
	d->d_buf = bytes;
	d->d_size = size;
	d->d_type = type;
	d->d_align = sh->sh_addralign ? sh->sh_addralign : 1;
	sh->sh_name = (GElf_Word)at;
	sh->sh_size = size;
	return gelf_update_shdr(scn, sh) ? scn : NULL;
}

/* The symbols in ELF's order: locals first.  map[i] is symbol i's index. */
static size_t order_symbols(const struct kelf_writer *w, size_t *map)
{
	size_t next = 0, first_global;

	for (size_t i = 0; i < w->nsyms; i++)
		if (w->syms[i].bind == STB_LOCAL)
			map[i] = next++;
	first_global = next;
	for (size_t i = 0; i < w->nsyms; i++)
		if (w->syms[i].bind != STB_LOCAL)
			map[i] = next++;
	return first_global;
}

struct layout {
	struct strtab shstr, str;
	size_t *map;			/* symbol order */
	size_t *scn_index;		/* writer section -> ELF section index */
	void **owned;			/* buffers libelf points into */
	size_t nowned;
};

static void *own(struct layout *l, void *p)
{
	if (p)
		l->owned[l->nowned++] = p;
	return p;
}

static int add_symtab(struct kelf *k, const struct kelf_writer *w, struct layout *l,
		      size_t *symtab_index)
{
	size_t first_global = order_symbols(w, l->map);
	GElf_Sym *syms = own(l, calloc(w->nsyms, sizeof(*syms)));
	size_t entsize = gelf_fsize(k->elf, ELF_T_SYM, 1, EV_CURRENT);
	GElf_Shdr sh = { .sh_type = SHT_SYMTAB, .sh_addralign = 8, .sh_entsize = entsize };
	Elf_Scn *scn;

	if (!syms)
		return -1;
	for (size_t i = 0; i < w->nsyms; i++) {
		const struct kelf_wsymbol *s = &w->syms[i];
		GElf_Sym *o = &syms[l->map[i]];
		size_t at = i ? strtab_add(&l->str, s->name) : 0;

		if (at == SIZE_MAX)
			return -1;
		o->st_name = (GElf_Word)at;
		o->st_info = GELF_ST_INFO(s->bind, s->type);
		o->st_other = s->other;
		o->st_shndx = s->section ? (GElf_Section)l->scn_index[s->section - 1] : SHN_UNDEF;
		o->st_value = s->value;
		o->st_size = s->size;
	}
	sh.sh_info = (GElf_Word)first_global;
	if (w->elf_class == ELFCLASS32)
		sh.sh_addralign = 4;
	scn = new_section(k, &l->shstr, ".symtab", &sh, NULL, 0, ELF_T_SYM);
	if (!scn)
		return -1;
	*symtab_index = elf_ndxscn(scn);
	/* the entries go in through gelf_update_sym, in the file's class */
	{
		Elf_Data *d = elf_getdata(scn, NULL);

		d->d_size = entsize * w->nsyms;
		d->d_buf = own(l, calloc(w->nsyms, entsize));
		if (!d->d_buf)
			return -1;
		for (size_t i = 0; i < w->nsyms; i++)
			if (!gelf_update_sym(d, (int)i, &syms[i]))
				return -1;
		sh.sh_size = d->d_size;
		return gelf_update_shdr(scn, &sh) ? 0 : -1;
	}
}

static int add_relocs(struct kelf *k, const struct kelf_writer *w, struct layout *l,
		      size_t symtab_index)
{
	size_t entsize = gelf_fsize(k->elf, ELF_T_RELA, 1, EV_CURRENT);

	for (size_t i = 0; i < w->nsecs; i++) {
		const struct kelf_wsection *s = &w->secs[i];
		GElf_Shdr sh = { .sh_type = SHT_RELA, .sh_flags = SHF_INFO_LINK,
				 .sh_addralign = w->elf_class == ELFCLASS32 ? 4 : 8,
				 .sh_entsize = entsize, .sh_link = (GElf_Word)symtab_index,
				 .sh_info = (GElf_Word)l->scn_index[i] };
		char *name;
		Elf_Scn *scn;
		Elf_Data *d;

		if (!s->nrelocs)
			continue;
		if (asprintf(&name, ".rela%s", s->name) < 0)
			return -1;
		scn = new_section(k, &l->shstr, own(l, name), &sh, NULL, 0, ELF_T_RELA);
		if (!scn)
			return -1;
		d = elf_getdata(scn, NULL);
		d->d_size = entsize * s->nrelocs;
		d->d_buf = own(l, calloc(s->nrelocs, entsize));
		if (!d->d_buf)
			return -1;
		for (size_t j = 0; j < s->nrelocs; j++) {
			const struct kelf_reloc *r = &s->relocs[j];
			GElf_Rela rela = {
				.r_offset = r->offset, .r_addend = r->addend,
				.r_info = w->elf_class == ELFCLASS32 ?
					  ELF32_R_INFO(l->map[r->symndx], r->type) :
					  GELF_R_INFO(l->map[r->symndx], r->type),
			};

			if (!gelf_update_rela(d, (int)j, &rela))
				return -1;
		}
		sh.sh_size = d->d_size;
		if (!gelf_update_shdr(scn, &sh))
			return -1;
	}
	return 0;
}

static int lay_out(struct kelf *k, const struct kelf_writer *w, struct layout *l)
{
	GElf_Ehdr eh;
	size_t symtab_index = 0;
	Elf_Scn *scn;
	GElf_Shdr sh;

	if (!gelf_newehdr(k->elf, w->elf_class) || !gelf_getehdr(k->elf, &eh))
		return -1;
	eh.e_ident[EI_DATA] = w->data_encoding;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh.e_type = ET_REL;
	eh.e_machine = w->machine;
	eh.e_version = EV_CURRENT;
	if (!gelf_update_ehdr(k->elf, &eh) || strtab_add(&l->shstr, "") == SIZE_MAX ||
	    strtab_add(&l->str, "") == SIZE_MAX)
		return -1;
	for (size_t i = 0; i < w->nsecs; i++) {
		const struct kelf_wsection *s = &w->secs[i];

		memset(&sh, 0, sizeof(sh));
		sh.sh_type = s->type;
		sh.sh_flags = s->flags;
		sh.sh_addralign = s->align;
		sh.sh_entsize = s->entsize;
		if (s->link)
			sh.sh_link = (GElf_Word)l->scn_index[s->link - 1];
		scn = new_section(k, &l->shstr, s->name, &sh, s->data,
				  s->type == SHT_NOBITS ? 0 : s->size, ELF_T_BYTE);
		if (!scn)
			return -1;
		if (s->type == SHT_NOBITS) {
			elf_getdata(scn, NULL)->d_size = s->size;
			sh.sh_size = s->size;
			if (!gelf_update_shdr(scn, &sh))
				return -1;
		}
		l->scn_index[i] = elf_ndxscn(scn);
	}
	if (add_symtab(k, w, l, &symtab_index) || add_relocs(k, w, l, symtab_index))
		return -1;
	memset(&sh, 0, sizeof(sh));
	sh.sh_type = SHT_STRTAB;
	scn = new_section(k, &l->shstr, ".strtab", &sh, l->str.bytes, l->str.len, ELF_T_BYTE);
	if (!scn)
		return -1;
	{
		Elf_Scn *sym = elf_getscn(k->elf, symtab_index);
		GElf_Shdr ssh;

		if (!sym || !gelf_getshdr(sym, &ssh))
			return -1;
		ssh.sh_link = (GElf_Word)elf_ndxscn(scn);
		if (!gelf_update_shdr(sym, &ssh))
			return -1;
	}
	memset(&sh, 0, sizeof(sh));
	sh.sh_type = SHT_STRTAB;
	/* the name of .shstrtab itself must be in it before it is laid out */
	{
		size_t at = strtab_add(&l->shstr, ".shstrtab");
		Elf_Scn *s = elf_newscn(k->elf);
		Elf_Data *d = s ? elf_newdata(s) : NULL;

		if (!d || at == SIZE_MAX)
			return -1;
		d->d_buf = l->shstr.bytes;
		d->d_size = l->shstr.len;
		d->d_type = ELF_T_BYTE;
		sh.sh_name = (GElf_Word)at;
		sh.sh_size = l->shstr.len;
		sh.sh_addralign = 1;
		if (!gelf_update_shdr(s, &sh) || !gelf_getehdr(k->elf, &eh))
			return -1;
		eh.e_shstrndx = (GElf_Half)elf_ndxscn(s);	/* few sections: no SHN_XINDEX */
		if (!gelf_update_ehdr(k->elf, &eh))
			return -1;
	}
	return 0;
}

int kelf_writer_write(struct kelf_writer *w, const char *like_path, const char *out)
{
	struct kelf k;
	struct layout l;
	int ret = -1;

	memset(&l, 0, sizeof(l));
	if (kelf_open_output(&k, like_path, out))
		return -1;
	l.map = calloc(w->nsyms + 1, sizeof(*l.map));
	l.scn_index = calloc(w->nsecs + 1, sizeof(*l.scn_index));
	l.owned = calloc(2 * w->nsecs + 4, sizeof(*l.owned));
	k.elf = elf_begin(k.fd, ELF_C_WRITE, NULL);
	if (!l.map || !l.scn_index || !l.owned || !k.elf) {
		KLP_ERR(out, "cannot start a new object: %s", k.elf ? "out of memory" :
			elf_errmsg(-1));
		goto out;
	}
	if (lay_out(&k, w, &l) || elf_update(k.elf, ELF_C_WRITE) < 0) {
		KLP_ERR_ELF(out, "cannot write the object");
		goto out;
	}
	ret = kelf_publish(&k);
out:
	kelf_close(&k);
	for (size_t i = 0; i < l.nowned; i++)
		free(l.owned[i]);
	free(l.owned);
	free(l.map);
	free(l.scn_index);
	free(l.shstr.bytes);
	free(l.str.bytes);
	return ret;
}
