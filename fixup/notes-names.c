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

/*
 * How well symbol c fits record s, or -1 for not at all: its kind must
 * be the record's; the same binding (inline-asm aliases of one function
 * are weak, the function global) and the same size make it likelier.  A
 * final link may make a hidden global local (the vDSO's data), so a
 * binding that differs still fits when nothing fits better.
 */
static int fit(const struct kelf_symbol *c, const struct klp_sym *s)
{
	unsigned char bind = s->flags & KLP_SYM_LOCAL ? STB_LOCAL :
			     s->flags & KLP_SYM_WEAK ? STB_WEAK : STB_GLOBAL;

	if (c->type != (s->kind == KLP_KIND_FUNC ? STT_FUNC : STT_OBJECT))
		return -1;
	return (c->bind == bind ? 2 : 0) + (c->sym.st_size == s->size ? 1 : 0);
}

/* The one best-fitting symbol at s's place, or NULL (*count: how many tie). */
static const struct kelf_symbol *at_place(const struct klp_symaddr *a, const struct klp_sym *s,
					  size_t *count)
{
	const struct kelf_symbol *best = NULL;
	size_t lo = 0, hi = a->n;
	int best_fit = -1;

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
		int f;

		if (a->relocatable && c->sym.st_shndx != s->shndx)
			break;
		f = fit(c, s);
		if (f < 0 || f < best_fit)
			continue;
		if (f > best_fit) {
			best_fit = f;
			best = c;
			*count = 0;
		}
		++*count;
	}
	return *count == 1 ? best : NULL;
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
		/* Another name the plugin could not see (an inline-asm alias
		 * of the same binding and size): no name is certain, so the
		 * record names nothing rather than maybe the wrong symbol. */
		KLP_WARN(k->path, "unit %s (id 0x%016" PRIx64 "): %zu %s %ss at 0x%" PRIx64
			 " fit a record without a name equally; the record is left out: "
			 "a symbol there cannot be resolved through these notes",
			 s->unit->path, s->unit->id, count,
			 s->flags & KLP_SYM_LOCAL ? "local" : "global", klp_kind_name(s->kind),
			 s->addr);
		return 0;
	}
	KLP_ERR(k->path, "unit %s (id 0x%016" PRIx64 "): the notes put a %s %s at 0x%" PRIx64
		"%s but the symbol table has none there: the notes come from another build, "
		"or the symbol table was stripped; use the file that was built together with "
		"its notes", s->unit->path, s->unit->id,
		s->flags & KLP_SYM_LOCAL ? "local" : "global", klp_kind_name(s->kind), s->addr,
		kelf_is_relocatable(k) ? " of its section" : "");
	return -1;
}
