/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * symset.c - find the symbols of chosen names without holding a symbol
 * table, so that a vmlinux's .symtab and .strtab are read but never kept:
 *
 * 1. .strtab is read in chunks and every place where a wanted name ends
 *    at a NUL is noted (a symbol's st_name may point into the middle of
 *    a longer string: linkers share string tails), as offset -> name;
 * 2. .symtab is read in chunks and the symbols whose st_name is one of
 *    those offsets are kept, in table order.
 *
 * Names are hashed from their last byte to their first, so the scan of
 * step 1 can extend one hash backwards from each NUL and test every
 * suffix of a wanted length in one go.
 */
#include "symset.h"
#include "../base/warn.h"
#include "../../include/klp-notes.h"

#include <stdlib.h>
#include <string.h>

#define BLOCK_SYMS	256

struct sym_node {
	struct kelf_symbol sym;		/* first: klp_symset_next() converts back */
	struct sym_node *next;		/* same name, table order */
};

struct klp_symset_block {
	struct klp_symset_block *next;
	size_t used;
	struct sym_node nodes[BLOCK_SYMS];
};

struct klp_symset_name {
	uint64_t hash;
	struct sym_node *first, *last;
	size_t len;
	bool loaded;
	char name[];
};

static inline uint64_t hash_step(uint64_t h, unsigned char c)
{
	return (h ^ c) * KLP_FNV64_PRIME;
}

static uint64_t name_hash(const char *name, size_t len)
{
	uint64_t h = KLP_FNV64_OFFSET;

	while (len--)
		h = hash_step(h, (unsigned char)name[len]);
	return h;
}

void klp_symset_init(struct klp_symset *ss, const char *path)
{
	memset(ss, 0, sizeof(*ss));
	ss->path = path;
}

void klp_symset_free(struct klp_symset *ss)
{
	while (ss->blocks) {
		struct klp_symset_block *next = ss->blocks->next;

		free(ss->blocks);
		ss->blocks = next;
	}
	for (size_t i = 0; ss->slots && i <= ss->mask; i++)
		free(ss->slots[i]);
	free(ss->slots);
	klp_symset_init(ss, ss->path);
}

/* The slot of name in ss->slots, or -1. */
static long find_slot(const struct klp_symset *ss, uint64_t hash, const char *name, size_t len)
{
	if (!ss->slots)
		return -1;
	for (size_t i = hash & ss->mask;; i = (i + 1) & ss->mask) {
		struct klp_symset_name *e = ss->slots[i];

		if (!e)
			return -1;
		if (e->hash == hash && e->len == len && !memcmp(e->name, name, len))
			return (long)i;
	}
}

static struct klp_symset_name *find(const struct klp_symset *ss, uint64_t hash,
				    const char *name, size_t len)
{
	long i = find_slot(ss, hash, name, len);

	return i < 0 ? NULL : ss->slots[i];
}

static struct klp_symset_name *lookup(const struct klp_symset *ss, const char *name)
{
	size_t len = strlen(name);

	return find(ss, name_hash(name, len), name, len);
}

/* Keep the table at most half full: probes stay short. */
static int grow(struct klp_symset *ss)
{
	size_t cap = ss->slots ? 2 * (ss->mask + 1) : 64;
	struct klp_symset_name **slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -1;
	for (size_t i = 0; ss->slots && i <= ss->mask; i++) {
		struct klp_symset_name *e = ss->slots[i];
		size_t j;

		if (!e)
			continue;
		for (j = e->hash & (cap - 1); slots[j]; j = (j + 1) & (cap - 1))
			;
		slots[j] = e;
	}
	free(ss->slots);
	ss->slots = slots;
	ss->mask = cap - 1;
	return 0;
}

static struct klp_symset_name *add(struct klp_symset *ss, const char *name)
{
	size_t len = strlen(name), i;
	struct klp_symset_name *e;

	if ((ss->nnames + 1) * 2 > (ss->slots ? ss->mask + 1 : 0) && grow(ss))
		goto oom;
	e = calloc(1, sizeof(*e) + len + 1);
	if (!e)
		goto oom;
	memcpy(e->name, name, len + 1);
	e->len = len;
	e->hash = name_hash(name, len);
	for (i = e->hash & ss->mask; ss->slots[i]; i = (i + 1) & ss->mask)
		;
	ss->slots[i] = e;
	ss->nnames++;
	ss->npending++;
	if (len > ss->maxlen)
		ss->maxlen = len;
	return e;
oom:
	KLP_ERR(ss->path, "out of memory for symbol name %s", name);
	return NULL;
}

int klp_symset_need(struct klp_symset *ss, const char *name)
{
	if (ss->all || !*name || lookup(ss, name))
		return 0;
	return add(ss, name) ? 0 : -1;
}

static int add_symbol(struct klp_symset *ss, struct klp_symset_name *e, const GElf_Sym *sym,
		      size_t index)
{
	struct sym_node *n;

	if (!ss->blocks || ss->blocks->used == BLOCK_SYMS) {
		struct klp_symset_block *b = malloc(sizeof(*b));

		if (!b) {
			KLP_ERR(ss->path, "out of memory for the symbols named %s", e->name);
			return -1;
		}
		b->next = ss->blocks;
		b->used = 0;
		ss->blocks = b;
	}
	n = &ss->blocks->nodes[ss->blocks->used++];
	n->sym.name = e->name;
	n->sym.sym = *sym;
	n->sym.index = index;
	n->sym.bind = GELF_ST_BIND(sym->st_info);
	n->sym.type = GELF_ST_TYPE(sym->st_info);
	n->next = NULL;
	if (e->last)
		e->last->next = n;
	else
		e->first = n;
	e->last = n;
	return 0;
}

static void mark_loaded(struct klp_symset *ss)
{
	for (size_t i = 0; ss->slots && i <= ss->mask; i++)
		if (ss->slots[i])
			ss->slots[i]->loaded = true;
	ss->npending = 0;
	ss->maxlen = 0;
}

/*
 * .strtab offset -> pending name, open addressing: 8 bytes a slot, as
 * it may hold an entry per symbol.  off1 is the offset + 1 (0: empty;
 * st_name is 32 bits, so larger offsets name no symbol), slot the
 * name's place in ss->slots, which does not move during a load.
 */
struct offset_entry {
	uint32_t off1, slot;
};

struct offset_map {
	struct offset_entry *e;
	size_t mask, count;
};

/* Offsets are small and dense: mix all their bits into the low ones. */
static size_t map_slot(uint32_t key, size_t mask)
{
	uint64_t h = key * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h ^ h >> 32) & mask;
}

static int map_put(struct offset_map *m, uint64_t off, size_t slot)
{
	size_t i;

	if (off >= UINT32_MAX)
		return 0;
	if ((m->count + 1) * 2 > (m->e ? m->mask + 1 : 0)) {
		size_t cap = m->e ? 2 * (m->mask + 1) : 256;
		struct offset_entry *e = calloc(cap, sizeof(*e));

		if (!e)
			return -1;
		for (size_t j = 0; m->e && j <= m->mask; j++) {
			if (!m->e[j].off1)
				continue;
			for (i = map_slot(m->e[j].off1, cap - 1); e[i].off1; i = (i + 1) & (cap - 1))
				;
			e[i] = m->e[j];
		}
		free(m->e);
		m->e = e;
		m->mask = cap - 1;
	}
	for (i = map_slot((uint32_t)off + 1, m->mask); m->e[i].off1; i = (i + 1) & m->mask)
		;
	m->e[i].off1 = (uint32_t)off + 1;
	m->e[i].slot = (uint32_t)slot;
	m->count++;
	return 0;
}

static struct klp_symset_name *map_get(const struct klp_symset *ss, const struct offset_map *m,
				       uint32_t off)
{
	if (!m->count || off == UINT32_MAX)
		return NULL;
	for (size_t i = map_slot(off + 1, m->mask); m->e[i].off1; i = (i + 1) & m->mask)
		if (m->e[i].off1 == off + 1)
			return ss->slots[m->e[i].slot];
	return NULL;
}

/*
 * A bit per value of a hash's top 16 bits, set for the pending names:
 * step 1 tests every suffix of every string of .strtab, and with a few
 * hundred names pending almost every length is wanted, so most tests
 * would probe the table for nothing.  The filter answers most of them.
 */
#define FILTER_WORDS	((1u << 16) / 64)

static void filter_add(uint64_t *filter, uint64_t hash)
{
	filter[(hash >> 48) / 64] |= 1ull << (hash >> 48) % 64;
}

static bool filter_has(const uint64_t *filter, uint64_t hash)
{
	return filter[(hash >> 48) / 64] >> (hash >> 48) % 64 & 1;
}

/* Step 1: where in strtab each pending name starts a NUL-terminated tail. */
static int scan_strtab(struct klp_symset *ss, struct kelf *k, const struct kelf_section *strtab,
		       struct offset_map *map)
{
	size_t maxlen = ss->maxlen;
	uint64_t filter[FILTER_WORDS] = { 0 };	/* 8 KiB */
	unsigned char *lens = calloc(maxlen + 1, 1);
	struct kelf_stream st;
	int ret = -1;

	if (!lens) {
		KLP_ERR(k->path, "out of memory");
		return -1;
	}
	for (size_t i = 0; i <= ss->mask; i++)
		if (ss->slots[i] && !ss->slots[i]->loaded) {
			lens[ss->slots[i]->len] = 1;
			filter_add(filter, ss->slots[i]->hash);
		}
	if (kelf_stream_open(&st, k, strtab)) {
		free(lens);
		return -1;
	}
	for (uint64_t start = 0; start < strtab->size; start += KELF_STREAM_CHUNK) {
		/* Re-read maxlen bytes before the chunk: a name may start there. */
		size_t back = start < maxlen ? (size_t)start : maxlen;
		size_t len = strtab->size - start < KELF_STREAM_CHUNK ?
			     (size_t)(strtab->size - start) : KELF_STREAM_CHUNK;
		const unsigned char *p = kelf_stream_at(&st, start - back, back + len);
		const unsigned char *nul, *end;

		if (!p)
			goto out;
		end = p + back + len;
		for (nul = p + back; (nul = memchr(nul, '\0', (size_t)(end - nul))); nul++) {
			uint64_t h = KLP_FNV64_OFFSET;

			size_t room = (size_t)(nul - p);

			for (size_t j = 1; j <= maxlen && j <= room && nul[-(ptrdiff_t)j]; j++) {
				long slot;

				h = hash_step(h, nul[-(ptrdiff_t)j]);
				if (!lens[j] || !filter_has(filter, h))
					continue;
				slot = find_slot(ss, h, (const char *)nul - j, j);
				if (slot >= 0 && !ss->slots[slot]->loaded &&
				    map_put(map, start - back + (uint64_t)(nul - j - p), (size_t)slot)) {
					KLP_ERR(k->path, "out of memory");
					goto out;
				}
			}
		}
	}
	ret = 0;
out:
	kelf_stream_close(&st);
	free(lens);
	return ret;
}

/* Step 2: the symbols whose names step 1 found, in table order. */
static int scan_symtab(struct klp_symset *ss, struct kelf *k, const struct kelf_section *symtab,
		       const struct kelf_section *strtab, const struct offset_map *map)
{
	size_t n = symtab->size / sizeof(Elf64_Sym);
	struct kelf_stream st;
	int ret = -1;

	if (kelf_stream_open(&st, k, symtab))
		return -1;
	for (size_t i = 1; i < n; i++) {
		const unsigned char *p = kelf_stream_at(&st, i * sizeof(Elf64_Sym),
							sizeof(Elf64_Sym));
		struct klp_symset_name *e;
		GElf_Sym sym;

		if (!p)
			goto out;
		kelf_decode_sym(k, p, &sym);
		if (sym.st_name >= strtab->size) {
			/* worded as libelf's elf_strptr() failure in kelf.c */
			KLP_ERR(k->path, ".symtab: symbol %zu has a bad name: offset out of range", i);
			goto out;
		}
		e = map_get(ss, map, sym.st_name);
		if (e && add_symbol(ss, e, &sym, i))
			goto out;
	}
	ret = 0;
out:
	kelf_stream_close(&st);
	return ret;
}

int klp_symset_load_file(struct klp_symset *ss, struct kelf *k)
{
	struct kelf_section *symtab, *strtab;
	struct offset_map map = { 0 };
	struct kelf_stream st;
	const unsigned char *last;
	int ret;

	if (!ss->npending)
		return 0;
	symtab = kelf_symtab(k);
	if (!symtab) {
		mark_loaded(ss);	/* a stripped file: no symbol has any name */
		return 0;
	}
	if (symtab->sh.sh_entsize != sizeof(Elf64_Sym)) {
		KLP_ERR(k->path, ".symtab: bad entry size %llu",
			(unsigned long long)symtab->sh.sh_entsize);
		return -1;
	}
	strtab = kelf_section(k, symtab->sh.sh_link);
	if (!strtab || strtab->sh.sh_type != SHT_STRTAB || !strtab->size) {
		KLP_ERR(k->path, ".symtab: its string table (section %u) is missing or not a "
			"string table; the file is corrupt", (unsigned)symtab->sh.sh_link);
		return -1;
	}
	/* Every name then ends inside the table. */
	if (kelf_stream_open(&st, k, strtab))
		return -1;
	last = kelf_stream_at(&st, strtab->size - 1, 1);
	ret = !last ? -1 : *last ? 1 : 0;
	kelf_stream_close(&st);
	if (ret > 0)
		KLP_ERR(k->path, "%s: the string table does not end in a NUL; the file is "
			"corrupt", strtab->name);
	if (ret)
		return -1;
	ret = scan_strtab(ss, k, strtab, &map);
	if (!ret)
		ret = scan_symtab(ss, k, symtab, strtab, &map);
	free(map.e);
	if (!ret)
		mark_loaded(ss);
	return ret;
}

int klp_symset_load_memory(struct klp_symset *ss, const struct kelf *k, bool all)
{
	if (!ss->npending && !all)
		return 0;
	for (size_t i = 1; i < k->nsyms; i++) {
		const struct kelf_symbol *s = &k->syms[i];
		struct klp_symset_name *e;

		if (!s->name[0])
			continue;
		e = lookup(ss, s->name);
		if (!e && all)
			e = add(ss, s->name);
		else if (!e)
			continue;
		if (!e)
			return -1;
		if (!e->loaded && add_symbol(ss, e, &s->sym, s->index))
			return -1;
	}
	mark_loaded(ss);
	ss->all |= all;
	return 0;
}

bool klp_symset_loaded(const struct klp_symset *ss, const char *name)
{
	const struct klp_symset_name *e;

	if (ss->all)
		return true;
	e = lookup(ss, name);
	return e && e->loaded;
}

const struct kelf_symbol *klp_symset_first(const struct klp_symset *ss, const char *name)
{
	const struct klp_symset_name *e = lookup(ss, name);

	return e && e->first ? &e->first->sym : NULL;
}

const struct kelf_symbol *klp_symset_next(const struct kelf_symbol *s)
{
	const struct sym_node *n = ((const struct sym_node *)(const void *)s)->next;

	return n ? &n->sym : NULL;
}
