/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * note-builder.c - lay out one unit's .debug_klp note (klp-notes.h) for
 * either plugin.  Constant bytes are gathered here and handed to the
 * emitter in runs; only values the assembler must compute (label
 * differences, relocated addresses, the descriptor size) go through the
 * emitter one by one.
 */
#include "../include/klp-note-builder.h"

#include <stdlib.h>
#include <string.h>

/* The unit's strings, each stored once. */
struct strtab {
	const char **strs;	/* in order of first use */
	uint32_t *offs;
	size_t n, cap;
	uint32_t size;
	size_t *slots;		/* open addressing: index + 1 into strs, 0 empty */
	size_t nslots;
};

static uint64_t hash_str(const char *s)
{
	return klp_fnv64(KLP_FNV64_OFFSET, s, strlen(s));
}

static int strtab_grow(struct strtab *t)
{
	size_t nslots = t->nslots ? 2 * t->nslots : 256;
	size_t *slots = (size_t *)calloc(nslots, sizeof(*slots));

	if (!slots)
		return -1;
	for (size_t i = 0; i < t->n; i++) {
		size_t at = hash_str(t->strs[i]) & (nslots - 1);

		while (slots[at])
			at = (at + 1) & (nslots - 1);
		slots[at] = i + 1;
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = nslots;
	return 0;
}

/* The index of s in the table, adding it the first time; -1 without memory. */
static int64_t strtab_ref(struct strtab *t, const char *s)
{
	size_t at;

	if (2 * (t->n + 1) > t->nslots && strtab_grow(t))
		return -1;
	at = hash_str(s) & (t->nslots - 1);
	for (; t->slots[at]; at = (at + 1) & (t->nslots - 1))
		if (!strcmp(t->strs[t->slots[at] - 1], s))
			return (int64_t)(t->slots[at] - 1);
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 256;
		const char **strs = (const char **)realloc(t->strs, cap * sizeof(*strs));
		uint32_t *offs;

		if (!strs)
			return -1;
		t->strs = strs;
		offs = (uint32_t *)realloc(t->offs, cap * sizeof(*offs));
		if (!offs)
			return -1;
		t->offs = offs;
		t->cap = cap;
	}
	t->strs[t->n] = s;
	t->offs[t->n] = t->size;
	t->slots[at] = ++t->n;
	t->size += (uint32_t)strlen(s) + 1;
	return (int64_t)(t->n - 1);
}

static void strtab_free(struct strtab *t)
{
	free(t->strs);
	free(t->offs);
	free(t->slots);
}

/* Constant bytes waiting for the emitter. */
struct out {
	const struct klp_emitter *e;
	bool big_endian;
	unsigned char buf[4096];
	size_t len;
};

static void flush(struct out *o)
{
	if (o->len)
		o->e->bytes(o->e->ctx, o->buf, o->len);
	o->len = 0;
}

static void put_byte(struct out *o, unsigned char c)
{
	if (o->len == sizeof(o->buf))
		flush(o);
	o->buf[o->len++] = c;
}

static void put_fixed(struct out *o, uint64_t v, unsigned size)
{
	for (unsigned i = 0; i < size; i++) {
		unsigned shift = 8 * (o->big_endian ? size - 1 - i : i);

		put_byte(o, (unsigned char)(v >> shift));
	}
}

static void put_uleb(struct out *o, uint64_t v)
{
	do {
		unsigned char c = v & 0x7f;

		v >>= 7;
		put_byte(o, c | (v ? 0x80 : 0));
	} while (v);
}

static void put_bytes(struct out *o, const void *p, size_t n)
{
	const unsigned char *b = (const unsigned char *)p;

	for (size_t i = 0; i < n; i++)
		put_byte(o, b[i]);
}

/* A ULEB128 value: constant here, an expression through the emitter. */
static void put_value(struct out *o, struct klp_value v)
{
	if (v.a) {
		flush(o);
		o->e->uleb(o->e->ctx, v);
	} else {
		put_uleb(o, v.constant);
	}
}

static struct klp_value konst(uint64_t c)
{
	struct klp_value v = { c, NULL, NULL };

	return v;
}

/*
 * Which records need their names: not those the symbol table will name
 * without doubt at their address (klp-notes.h, KLP_SYM_RECORD).  An
 * allocated array of nsyms flags, or NULL without memory.
 */
static bool *names_needed(const struct klp_symbol_info *syms, size_t nsyms)
{
	bool *named = (bool *)calloc(nsyms ? nsyms : 1, sizeof(*named));

	if (!named)
		return NULL;
	for (size_t i = 0; i < nsyms; i++) {
		const struct klp_symbol_info *s = &syms[i];

		if (!s->where || (s->flags & (KLP_SYM_NOADDR | KLP_SYM_ALIAS | KLP_SYM_WEAK)))
			named[i] = true;
		if (s->kind == KLP_KIND_OBJECT && !s->size.a && !s->size.constant)
			named[i] = true;
		/* the link may fold it with other units' equal constants,
		 * whatever their names: one address, several symbols */
		if (s->mergeable)
			named[i] = true;
		if (!(s->flags & KLP_SYM_ALIAS) || !s->origin)
			continue;
		/* an alias's target shares its address (aliases are few) */
		for (size_t j = 0; j < nsyms; j++)
			if (!strcmp(syms[j].name, s->origin))
				named[j] = true;
	}
	return named;
}

/* The flags a record carries: the producer's, and which fields follow. */
static unsigned record_flags(const struct klp_symbol_info *s, bool named)
{
	unsigned flags = s->flags & ~KLP_SYM_PRESENCE_FLAGS;

	if (named)
		flags |= KLP_SYM_NAMED;
	if (s->has_prefix)
		flags |= KLP_SYM_PREFIX;
	if (s->origin)
		flags |= KLP_SYM_ORIGIN;
	if (s->ninlined)
		flags |= KLP_SYM_INLINED;
	return flags;
}

/* Every record field of one symbol, as values (strings already indexed). */
struct record_values {
#define KLP_RECORD_VALUE(field, enc, present) struct klp_value field;
	KLP_SYM_RECORD(KLP_RECORD_VALUE)
#undef KLP_RECORD_VALUE
};

static int put_record(struct out *o, struct strtab *t, const struct klp_symbol_info *s,
		      bool named)
{
	struct record_values r;
	unsigned flags = record_flags(s, named);
	int64_t name = named ? strtab_ref(t, s->name) : 0, origin = 0;

	if (s->origin)
		origin = strtab_ref(t, s->origin);
	if (name < 0 || origin < 0)
		return -1;
	memset(&r, 0, sizeof(r));
	r.info = konst(KLP_INFO(flags, (flags & KLP_SYM_SITE) ? s->site_kind : 0, s->kind));
	r.name = konst((uint64_t)name);
	r.size = s->size;
	r.site = s->site;
	/* from the padding's start: site label - symbol + (symbol - pad label) */
	if (s->has_prefix && s->prefix.a && s->site.a && s->site.b == s->prefix.a) {
		r.site.b = s->prefix.b;
		r.site.constant += s->prefix.constant;
	} else if (s->has_prefix) {
		r.site.constant += s->prefix.constant;
	}
	r.prefix = s->prefix;
	r.origin = konst((uint64_t)origin);
#define KLP_RECORD_PUT(field, enc, present)					\
	if (present)								\
		put_value(o, r.field);
	KLP_SYM_RECORD(KLP_RECORD_PUT)
#undef KLP_RECORD_PUT
	return 0;
}

static int by_index(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The inlined list of one record: count, then sorted indices as deltas. */
static int put_inlined(struct out *o, struct strtab *t, const struct klp_symbol_info *s)
{
	int64_t *idx = (int64_t *)malloc(s->ninlined * sizeof(*idx)), prev = 0;

	if (!idx)
		return -1;
	for (size_t i = 0; i < s->ninlined; i++) {
		idx[i] = strtab_ref(t, s->inlined[i]);
		if (idx[i] < 0) {
			free(idx);
			return -1;
		}
	}
	qsort(idx, s->ninlined, sizeof(*idx), by_index);
	put_uleb(o, s->ninlined);
	for (size_t i = 0; i < s->ninlined; i++) {
		put_uleb(o, (uint64_t)(idx[i] - prev));
		prev = idx[i];
	}
	free(idx);
	return 0;
}

static uint64_t id_str(uint64_t h, const char *s)
{
	return klp_fnv64(h, s, strlen(s) + 1);
}

uint64_t klp_unit_id(const struct klp_unit_info *unit, const struct klp_symbol_info *syms,
		     size_t nsyms)
{
	uint64_t h = id_str(KLP_FNV64_OFFSET, unit->path);

	h = id_str(h, unit->producer);
	for (size_t i = 0; i < nsyms; i++) {
		unsigned char sum[8];
		unsigned char kind = (unsigned char)syms[i].kind;

		for (int b = 0; b < 8; b++)	/* little-endian, whatever the host */
			sum[b] = (unsigned char)(KLP_HAS_CHECKSUM(syms[i].kind, syms[i].flags) ?
						 syms[i].checksum >> (8 * b) : 0);
		h = klp_fnv64(h, &kind, 1);
		h = id_str(h, syms[i].name);
		h = klp_fnv64(h, sum, sizeof(sum));
	}
	return h;
}

/*
 * The strings go before the records in the note, but the records decide
 * which strings there are: reference them all first, in record order.
 */
static int collect_strings(struct strtab *t, const struct klp_unit_info *unit,
			   const char *plugin, const struct klp_symbol_info *syms,
			   size_t nsyms, const bool *named, struct klp_note_unit *u)
{
	int64_t path = strtab_ref(t, unit->path), prod = strtab_ref(t, unit->producer);
	int64_t plug = strtab_ref(t, plugin);

	if (path < 0 || prod < 0 || plug < 0)
		return -1;
	u->path = (uint32_t)path;
	u->producer = (uint32_t)prod;
	u->plugin = (uint32_t)plug;
	for (size_t i = 0; i < nsyms; i++) {
		if ((named[i] && strtab_ref(t, syms[i].name) < 0) ||
		    (syms[i].origin && strtab_ref(t, syms[i].origin) < 0))
			return -1;
		for (size_t j = 0; j < syms[i].ninlined; j++)
			if (strtab_ref(t, syms[i].inlined[j]) < 0)
				return -1;
	}
	return 0;
}

/* The fixed part's values. */
static void unit_fixed(struct klp_note_unit *u, const struct klp_unit_info *unit,
		       const struct klp_symbol_info *syms, size_t nsyms, const struct strtab *t)
{
	u->version = KLP_NOTES_VERSION;
	u->flags = unit->flags;
	u->id = klp_unit_id(unit, syms, nsyms);
	u->nsyms = (uint32_t)nsyms;
	u->machine = (uint16_t)unit->machine;
	for (size_t i = 0; i < nsyms; i++)
		if (KLP_HAS_CHECKSUM(syms[i].kind, syms[i].flags))
			u->checksum_size += KLP_CHECKSUM_SIZE(syms[i].kind);
	u->nstrings = (uint32_t)t->n;
	u->strtab_size = t->size;
}

/* The columns after the fixed part: addresses, checksums, strings. */
static void put_columns(struct out *o, const struct klp_symbol_info *syms, size_t nsyms,
			const struct strtab *t)
{
	for (size_t i = 0; i < nsyms; i++) {
		if (syms[i].where && !(syms[i].flags & KLP_SYM_NOADDR)) {
			flush(o);
			o->e->addr(o->e->ctx, syms[i].where);
		} else {
			put_fixed(o, 0, KLP_NOTE_ADDR_SIZE);
		}
	}
	for (size_t i = 0; i < nsyms; i++) {
		if (!KLP_HAS_CHECKSUM(syms[i].kind, syms[i].flags))
			continue;
		if (syms[i].kind == KLP_KIND_FUNC)
			put_fixed(o, syms[i].checksum, KLP_NOTE_FUNC_CHECKSUM_SIZE);
		else
			put_fixed(o, KLP_FOLD32(syms[i].checksum), KLP_NOTE_OBJECT_CHECKSUM_SIZE);
	}
	for (size_t i = 0; i < t->n; i++)
		put_bytes(o, t->strs[i], strlen(t->strs[i]) + 1);
}

int klp_build_unit_note(const struct klp_emitter *e, const struct klp_unit_info *unit,
			const char *plugin, const struct klp_symbol_info *syms, size_t nsyms)
{
	struct strtab t;
	struct klp_note_unit u;
	struct out o;
	struct klp_value descsz;
	bool *named;
	int ret = -1;

	memset(&t, 0, sizeof(t));
	memset(&u, 0, sizeof(u));
	named = names_needed(syms, nsyms);
	if (!named || collect_strings(&t, unit, plugin, syms, nsyms, named, &u))
		goto out;
	unit_fixed(&u, unit, syms, nsyms, &t);
	o.e = e;
	o.big_endian = unit->big_endian;
	o.len = 0;
	descsz.constant = 0;
	descsz.b = e->new_label(e->ctx);	/* descriptor start */
	descsz.a = e->new_label(e->ctx);	/* and end */
	e->align(e->ctx, KLP_NOTES_ALIGN);
	put_fixed(&o, KLP_NOTES_OWNER_SIZE, 4);
	flush(&o);
	e->fixed(e->ctx, descsz, 4);
	put_fixed(&o, KLP_NT_UNIT, 4);
	put_bytes(&o, KLP_NOTES_OWNER, KLP_NOTES_OWNER_SIZE);
	flush(&o);
	e->place(e->ctx, descsz.b);
#define KLP_FIELD_PUT(type, field, comment) put_fixed(&o, u.field, sizeof(type));
	KLP_UNIT_FIELDS(KLP_FIELD_PUT)
#undef KLP_FIELD_PUT
	put_columns(&o, syms, nsyms, &t);
	for (size_t i = 0; i < nsyms; i++)
		if (put_record(&o, &t, &syms[i], named[i]))
			goto out;
	for (size_t i = 0; i < nsyms; i++)
		if (syms[i].ninlined && put_inlined(&o, &t, &syms[i]))
			goto out;
	flush(&o);
	e->align(e->ctx, KLP_NOTES_ALIGN);
	e->place(e->ctx, descsz.a);
	ret = 0;
out:
	free(named);
	strtab_free(&t);
	return ret;
}
