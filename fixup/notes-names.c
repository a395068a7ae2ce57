/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * notes-names.c - the names of records that leave them to the symbol
 * table (klp-notes.h, KLP_SYM_RECORD: the plugins keep a record's name
 * only when the symbol table could not name it without doubt).
 *
 * A record without a name is the one symbol of its kind (function or
 * object) and binding (local or not) at its address: in a linked file
 * the address, in a relocatable one the relocation's symbol, or the
 * section and offset it points to.  Symbols the link discarded have no
 * address and so no name: they are in no symbol table, the kernel cannot
 * resolve them, and the reader leaves them out.
 */
#include "notes-names.h"
#include "warn.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct klp_symaddr {
	const struct kelf_symbol **v;	/* functions and objects by (section, value) */
	size_t n;
	bool relocatable;
};

/* Relocatable files: by section, then value. */
static int by_place(const void *a, const void *b)
{
	const struct kelf_symbol *x = *(const struct kelf_symbol *const *)a;
	const struct kelf_symbol *y = *(const struct kelf_symbol *const *)b;

	if (x->sym.st_shndx != y->sym.st_shndx)
		return x->sym.st_shndx < y->sym.st_shndx ? -1 : 1;
	if (x->sym.st_value != y->sym.st_value)
		return x->sym.st_value < y->sym.st_value ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Linked files: values are addresses, unique over sections. */
static int by_address(const void *a, const void *b)
{
	const struct kelf_symbol *x = *(const struct kelf_symbol *const *)a;
	const struct kelf_symbol *y = *(const struct kelf_symbol *const *)b;

	if (x->sym.st_value != y->sym.st_value)
		return x->sym.st_value < y->sym.st_value ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static bool is_func_or_object(const struct kelf_symbol *s)
{
	return (s->type == STT_FUNC || s->type == STT_OBJECT) && s->sym.st_shndx != SHN_UNDEF &&
	       s->sym.st_shndx < SHN_LORESERVE;
}

static struct klp_symaddr *build(struct kelf *k)
{
	struct klp_symaddr *a;

	if (kelf_load_symbols(k))
		return NULL;	/* printed */
	a = calloc(1, sizeof(*a));
	if (!a)
		goto fail;
	a->relocatable = kelf_is_relocatable(k);
	a->v = calloc(k->nsyms ? k->nsyms : 1, sizeof(*a->v));
	if (!a->v)
		goto fail;
	for (size_t i = 0; i < k->nsyms; i++)
		if (is_func_or_object(&k->syms[i]))
			a->v[a->n++] = &k->syms[i];
	qsort(a->v, a->n, sizeof(*a->v), a->relocatable ? by_place : by_address);
	return a;
fail:
	if (a)
		free(a->v);
	free(a);
	KLP_ERR(k->path, "out of memory indexing the symbol table");
	return NULL;
}

void klp_symaddr_free(struct klp_symaddr *a)
{
	if (a)
		free(a->v);
	free(a);
}

static bool matches(const struct kelf_symbol *c, const struct klp_sym *s)
{
	bool local = s->flags & KLP_SYM_LOCAL;

	return c->type == (s->kind == KLP_KIND_FUNC ? STT_FUNC : STT_OBJECT) &&
	       (c->bind == STB_LOCAL) == local;
}

/* The one symbol at s's place that matches it, or NULL (*count says why). */
static const struct kelf_symbol *at_place(const struct klp_symaddr *a, const struct klp_sym *s,
					  size_t *count)
{
	const struct kelf_symbol *found = NULL, *sized = NULL;
	size_t lo = 0, hi = a->n, nsized = 0;

	/* first symbol at or after the place */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const GElf_Sym *m = &a->v[mid]->sym;
		bool before = a->relocatable ?
			(m->st_shndx < s->shndx ||
			 (m->st_shndx == s->shndx && m->st_value < s->addr)) :
			m->st_value < s->addr;

		if (before)
			lo = mid + 1;
		else
			hi = mid;
	}
	*count = 0;
	for (; lo < a->n && a->v[lo]->sym.st_value == s->addr; lo++) {
		const struct kelf_symbol *c = a->v[lo];

		if (a->relocatable && c->sym.st_shndx != s->shndx)
			break;
		if (!matches(c, s))
			continue;
		found = c;
		++*count;
		if (c->sym.st_size == s->size) {
			sized = c;
			nsized++;
		}
	}
	/* an object's initializer may outgrow its declared size (flexible
	 * arrays): the size only breaks a tie */
	if (*count > 1 && nsized == 1)
		return *count = 1, sized;
	return *count == 1 ? found : NULL;
}

int klp_notes_name(struct kelf *k, struct klp_symaddr **cache, struct klp_sym *s)
{
	const struct kelf_symbol *c;
	size_t count;

	if (s->name)
		return 0;
	if (s->reloc_sym) {
		s->name = s->reloc_sym;
		return 0;
	}
	if (!s->has_addr)
		return 0;	/* discarded: no name anywhere */
	if (!*cache) {
		*cache = build(k);
		if (!*cache)
			return -1;
	}
	c = at_place(*cache, s, &count);
	if (c) {
		s->name = c->name;
		return 0;
	}
	if (count) {
		KLP_ERR(k->path, "%s+0x%zx: unit %s (id 0x%016" PRIx64 "): the symbol table has "
			"more than one %s %s at 0x%" PRIx64 " for a record without a name; the "
			"notes are corrupt: rebuild the object", KLP_NOTES_SECTION, s->note_offset,
			s->unit->path, s->unit->id, s->flags & KLP_SYM_LOCAL ? "local" : "global",
			klp_kind_name(s->kind), s->addr);
		return -1;
	}
	KLP_ERR(k->path, "unit %s (id 0x%016" PRIx64 "): the notes put a %s %s at 0x%" PRIx64
		"%s but the symbol table has none there: the notes come from another build, "
		"or the symbol table was stripped; use the file that was built together with "
		"its notes", s->unit->path, s->unit->id,
		s->flags & KLP_SYM_LOCAL ? "local" : "global", klp_kind_name(s->kind), s->addr,
		kelf_is_relocatable(k) ? " of its section" : "");
	return -1;
}
