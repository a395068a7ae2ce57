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
#include "../base/warn.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* A function or object of the symbol table, as the index keeps it. */
struct place {
	uint64_t value, size;
	uint32_t name;		/* .strtab offset */
	uint16_t shndx;
	unsigned char bind, type;
};

struct klp_symaddr {
	struct place *v;	/* by (section, value) or, linked, by value */
	size_t n;
	bool relocatable;
	struct kelf_section *strtab;	/* loaded when a name is first needed */
};

/* Byte b of a place's sort key: its value's bytes, then (relocatable
 * files, where values are offsets in their sections) its section's. */
static unsigned key_byte(const struct place *p, unsigned b)
{
	return b < 8 ? (unsigned)(p->value >> (8 * b)) & 0xff : (unsigned)(p->shndx >> (8 * (b - 8))) & 0xff;
}

/*
 * By (section, value), or by value in a linked file, where values are
 * addresses unique over sections: an LSD radix sort, stable, one pass per
 * key byte that differs.  A vmlinux has 50,000 functions and objects;
 * qsort() with a comparison call per step was most of what convert cost.
 */
static int sort_places(struct klp_symaddr *a)
{
	struct place *tmp = malloc(a->n * sizeof(*tmp)), *from = a->v, *to = tmp, *swap;
	unsigned nbytes = a->relocatable ? 10 : 8;

	if (!tmp)
		return -1;
	for (unsigned b = 0; b < nbytes; b++) {
		size_t count[256] = { 0 }, at = 0;

		for (size_t i = 0; i < a->n; i++)
			count[key_byte(&from[i], b)]++;
		if (count[key_byte(&from[0], b)] == a->n)
			continue;	/* the same byte everywhere: already in order */
		for (unsigned c = 0; c < 256; c++) {
			size_t here = count[c];

			count[c] = at;
			at += here;
		}
		for (size_t i = 0; i < a->n; i++)
			to[count[key_byte(&from[i], b)]++] = from[i];
		swap = from;
		from = to;
		to = swap;
	}
	if (from != a->v)
		memcpy(a->v, from, a->n * sizeof(*from));
	free(tmp);
	return 0;
}

static bool keeps(unsigned char type, uint16_t shndx)
{
	return (type == STT_FUNC || type == STT_OBJECT) && shndx != SHN_UNDEF &&
	       shndx < SHN_LORESERVE;
}

/*
 * The functions and objects of .symtab, read in bounded chunks: a
 * vmlinux's table is not held whole, and only the names of the records
 * that need one are read later (sympos and convert stay well under what
 * `nm` costs).
 */
static int read_places(struct kelf *k, struct klp_symaddr *a, struct kelf_section *symtab)
{
	struct kelf_stream st;
	uint64_t count = symtab->size / sizeof(Elf64_Sym);
	int ret = -1;

	if (symtab->sh.sh_entsize != sizeof(Elf64_Sym)) {
		KLP_ERR(k->path, ".symtab: bad entry size %llu",
			(unsigned long long)symtab->sh.sh_entsize);
		return -1;
	}
	if (kelf_stream_open(&st, k, symtab))
		return -1;
	a->v = calloc(count ? count : 1, sizeof(*a->v));
	if (!a->v) {
		KLP_ERR(k->path, "out of memory indexing %llu symbols", (unsigned long long)count);
		goto out;
	}
	for (uint64_t i = 1; i < count; i++) {
		const unsigned char *e = kelf_stream_at(&st, i * sizeof(Elf64_Sym),
							sizeof(Elf64_Sym));
		struct place *p = &a->v[a->n];

		if (!e)
			goto out;
		p->type = ELF64_ST_TYPE(e[4]);
		p->shndx = kelf_u16(k, e + 6);
		if (!keeps(p->type, p->shndx))
			continue;
		p->bind = ELF64_ST_BIND(e[4]);
		p->name = kelf_u32(k, e);
		p->value = kelf_u64(k, e + 8);
		p->size = kelf_u64(k, e + 16);
		a->n++;
	}
	ret = 0;
out:
	kelf_stream_close(&st);
	return ret;
}

static struct klp_symaddr *build(struct kelf *k)
{
	struct kelf_section *symtab = kelf_symtab(k);
	struct klp_symaddr *a = calloc(1, sizeof(*a));

	if (!a) {
		KLP_ERR(k->path, "out of memory indexing the symbol table");
		return NULL;
	}
	a->relocatable = kelf_is_relocatable(k);
	if (symtab) {
		a->strtab = kelf_section(k, symtab->sh.sh_link);
		if (!a->strtab || read_places(k, a, symtab)) {
			klp_symaddr_free(a);
			return NULL;
		}
	}
	if (a->n > 1 && sort_places(a)) {
		KLP_ERR(k->path, "out of memory sorting %zu symbols", a->n);
		klp_symaddr_free(a);
		return NULL;
	}
	return a;
}

void klp_symaddr_free(struct klp_symaddr *a)
{
	if (!a)
		return;
	free(a->v);
	free(a);
}

/*
 * The name of a place.  .strtab is read whole the first time (one read;
 * the names a unit needs are scattered over it).
 */
static const char *place_name(struct kelf *k, struct klp_symaddr *a, const struct place *p)
{
	if (!a->strtab->data && kelf_load_section(k, a->strtab))
		return NULL;
	if (!a->strtab->data || p->name >= a->strtab->size ||
	    !memchr((const char *)a->strtab->data + p->name, '\0', a->strtab->size - p->name)) {
		KLP_ERR(k->path, ".strtab: the symbol name at %u is not inside its %zu bytes",
			p->name, a->strtab->size);
		return NULL;
	}
	return (const char *)a->strtab->data + p->name;
}

/*
 * How well symbol c fits record s, or -1 for not at all: its kind must
 * be the record's; the same binding (inline-asm aliases of one function
 * are weak, the function global) and the same size make it likelier.  A
 * final link may make a hidden global local (the vDSO's data), so a
 * binding that differs still fits when nothing fits better.
 */
static int fit(const struct place *c, const struct klp_sym *s)
{
	unsigned char bind = s->flags & KLP_SYM_LOCAL ? STB_LOCAL :
			     s->flags & KLP_SYM_WEAK ? STB_WEAK : STB_GLOBAL;

	if (c->type != (s->kind == KLP_KIND_FUNC ? STT_FUNC : STT_OBJECT))
		return -1;
	return (c->bind == bind ? 2 : 0) + (c->size == s->size ? 1 : 0);
}

/* The index of the first place at or after s's place. */
static size_t first_at(const struct klp_symaddr *a, const struct klp_sym *s)
{
	size_t lo = 0, hi = a->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct place *m = &a->v[mid];
		bool before = a->relocatable ?
			(m->shndx < s->shndx || (m->shndx == s->shndx && m->value < s->addr)) :
			m->value < s->addr;

		if (before)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The one best-fitting symbol at s's place, or NULL (*count: how many tie). */
static const struct place *at_place(const struct klp_symaddr *a, const struct klp_sym *s,
				    size_t *count)
{
	const struct place *best = NULL;
	size_t lo = first_at(a, s);
	int best_fit = -1;

	*count = 0;
	for (; lo < a->n && a->v[lo].value == s->addr; lo++) {
		const struct place *c = &a->v[lo];
		int f;

		if (a->relocatable && c->shndx != s->shndx)
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

/*
 * Several symbols fit equally: one name all the same (two units' copies
 * of one static constant that the link merged into one place) is still
 * that name.  Sets *name, or leaves it NULL when they differ.
 */
static bool same_names(struct kelf *k, struct klp_symaddr *a, const struct klp_sym *s,
		       const char **name)
{
	size_t lo = first_at(a, s);
	int top = -1;

	for (size_t i = lo; i < a->n && a->v[i].value == s->addr; i++)
		if ((!a->relocatable || a->v[i].shndx == s->shndx) && fit(&a->v[i], s) > top)
			top = fit(&a->v[i], s);
	*name = NULL;
	for (size_t i = lo; i < a->n && a->v[i].value == s->addr; i++) {
		const char *n;

		if ((a->relocatable && a->v[i].shndx != s->shndx) || fit(&a->v[i], s) != top)
			continue;
		n = place_name(k, a, &a->v[i]);
		if (!n)
			return true;	/* printed; *name stays NULL */
		if (*name && strcmp(*name, n)) {
			*name = NULL;
			return false;
		}
		*name = n;
	}
	return *name != NULL;
}

int klp_notes_name(struct kelf *k, struct klp_symaddr **cache, struct klp_sym *s)
{
	const struct place *c;
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
		s->name = place_name(k, *cache, c);
		return s->name ? 0 : -1;
	}
	if (count && same_names(k, *cache, s, &s->name))
		return s->name ? 0 : -1;
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
