/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * checksum.cc - per-function checksums from the assembly GCC wrote
 * (docs/note-format.md, "Checksums").
 *
 * The checksum is FNV-1a 64 over the function's assembly lines, reduced
 * to what the object's bytes and relocations are made of, with every name
 * that the compiler numbers unit-wide replaced by what it stands for:
 *   - a local label (.L3, .LPFE2) by its place in the function: the
 *     index of its first appearance;
 *   - a constant label (.LC0: a string literal or a pool constant) by the
 *     hash of the data it labels;
 *   - a compiler-numbered local (counter.3, __func__.0, CSWTCH.12) by its
 *     name without the number.
 * Left out: what only debug info or unwinding uses (.loc, .cfi_*, the
 * .LVL/.LBB/.LFB labels), comments, symbol-table directives, and whatever
 * the function pushes into other sections (.pushsection: __bug_table,
 * __jump_table, .altinstructions ...), whose entries carry __LINE__ and
 * belong to the special sections, not to the function's code.
 * So an edit changes its own function's checksum and no other's, and the
 * same source, flags and compiler always give the same checksum.
 */
#include "klp-plugin.h"
#include "memmodel.h"
#include "emit-rtl.h"
#include "rtl-iter.h"
#include "../include/klp-checksum.h"

#include <string.h>

/* .LC<n> -> hash of its data, over the whole unit. */
struct const_entry {
	char *label;
	uint64_t hash;
};

/*
 * Section anchors (ppc64: .LANCHOR0+16 for a static variable): the
 * anchors of the unit with their object blocks, so that anchor+offset
 * hashes as the object it lands in, not as a place in a block that any
 * new static moves.
 */
struct anchor_entry {
	char *label;
	struct object_block *block;
	HOST_WIDE_INT offset;
};

/* What the unit's labels stand for, collected function by function. */
struct klp_constants {
	struct const_entry *consts;
	size_t nconsts, consts_cap;
	struct anchor_entry *anchors;
	size_t nanchors;
};

struct klp_constants *klp_constants_new(void)
{
	return XCNEW(struct klp_constants);
}

static const struct const_entry *find_const(const struct klp_constants *c, const char *p,
					    size_t n)
{
	for (size_t i = c->nconsts; i-- > 0;)
		if (strlen(c->consts[i].label) == n && !memcmp(c->consts[i].label, p, n))
			return &c->consts[i];
	return NULL;
}

static void add_const(struct klp_constants *c, const char *p, size_t n, uint64_t hash)
{
	if (find_const(c, p, n))
		return;
	if (c->nconsts == c->consts_cap) {
		c->consts_cap = c->consts_cap ? 2 * c->consts_cap : 64;
		c->consts = XRESIZEVEC(struct const_entry, c->consts, c->consts_cap);
	}
	c->consts[c->nconsts].label = xstrndup(p, n);
	c->consts[c->nconsts++].hash = hash;
}

/* Name characters.  '$' (an x86 immediate: $.LC59) and '@' (a ppc64 or
 * x86 modifier: .LC0@toc@ha, foo@PLT) stand apart, so that the label
 * before them is seen for what it is. */
static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	return klp_fnv64(h, p, n);
}

static const struct anchor_entry *find_anchor(const struct klp_constants *c, const char *p,
					      size_t n)
{
	for (size_t i = 0; i < c->nanchors; i++)
		if (strlen(c->anchors[i].label) == n && !memcmp(c->anchors[i].label, p, n))
			return &c->anchors[i];
	return NULL;
}

static void add_anchor(struct klp_constants *c, const_rtx x)
{
	const char *name = targetm.strip_name_encoding(XSTR(x, 0));

	if (find_anchor(c, name, strlen(name)))
		return;
	c->anchors = XRESIZEVEC(struct anchor_entry, c->anchors, c->nanchors + 1);
	c->anchors[c->nanchors].label = xstrdup(name);
	c->anchors[c->nanchors].block = SYMBOL_REF_BLOCK(x);
	c->anchors[c->nanchors++].offset = SYMBOL_REF_BLOCK_OFFSET(x);
}

/*
 * The object of a block at an offset, and how far into it; NULL if none.
 * An empty object (lockdep's __key.N) shares its offset with the next
 * one: the one with bytes there is what the code reaches.
 */
static const_rtx block_object(const struct object_block *b, HOST_WIDE_INT off,
			      HOST_WIDE_INT *into)
{
	const_rtx empty = NULL;
	unsigned i;
	rtx o;

	FOR_EACH_VEC_SAFE_ELT(b->objects, i, o) {
		tree decl = SYMBOL_REF_DECL(o), size = decl ? DECL_SIZE_UNIT(decl) : NULL_TREE;
		HOST_WIDE_INT start = SYMBOL_REF_BLOCK_OFFSET(o), len;

		len = size && tree_fits_shwi_p(size) ? tree_to_shwi(size) : 0;
		if (start <= off && off < start + len) {
			*into = off - start;
			return o;
		}
		if (!len && off == start && !empty)
			empty = o;
	}
	*into = 0;
	return empty;
}

/* Hash anchor+N at p (the anchor's label is n bytes); returns the bytes used. */
static size_t hash_anchored(const struct anchor_entry *a, const char *p, size_t n,
			    size_t avail, uint64_t *h)
{
	HOST_WIDE_INT d = 0, into;
	size_t used = n;
	const_rtx object;

	if (used < avail && (p[used] == '+' || p[used] == '-') && used + 1 < avail &&
	    ISDIGIT(p[used + 1])) {
		bool neg = p[used] == '-';

		for (used++; used < avail && ISDIGIT(p[used]); used++)
			d = 10 * d + (p[used] - '0');
		if (neg)
			d = -d;
	}
	object = block_object(a->block, a->offset + d, &into);
	if (!object)
		return 0;
	/* a variable by name, a constant (a string in the block) by contents */
	*h = klp_rtx_hash(hash_bytes(*h, "A", 1), object, 0);
	*h = hash_bytes(*h, &into, sizeof(into));
	return used;
}

static bool is_tok(char c)
{
	return ISALNUM(c) || c == '_' || c == '.';
}

static bool all_digits(const char *p, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!ISDIGIT(p[i]))
			return false;
	return true;
}

static bool is_const_label(const char *p, size_t n)
{
	return n > 3 && !memcmp(p, ".LC", 3) && all_digits(p + 3, n - 3);
}

/* Labels only debug info and unwind tables refer to. */
static bool is_debug_label(const char *p, size_t n)
{
	static const char *const prefixes[] = {
		".LVL", ".LBB", ".LBE", ".LBI", ".LFB", ".LFE", ".LCFI", ".LVU",
		".LLST", ".LLRL", ".LHOT", ".LCOLD", ".Letext", ".Ltext", ".Ldebug",
	};

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t len = strlen(prefixes[i]);

		if (n > len && !memcmp(p, prefixes[i], len))
			return true;
	}
	return false;
}

/* Hash one token, replacing the names the compiler numbers. */
static uint64_t hash_token(struct klp_part_hash *ph, uint64_t h, const char *p, size_t n)
{
	if (n > 2 && p[0] == '.' && p[1] == 'L') {
		const struct const_entry *c = is_const_label(p, n) ? find_const(ph->consts, p, n)
								   : NULL;
		unsigned idx;

		if (c)
			return hash_bytes(hash_bytes(h, "C", 1), &c->hash, sizeof(c->hash));
		for (idx = 0; idx < ph->nlabels; idx++)
			if (strlen(ph->labels[idx]) == n && !memcmp(ph->labels[idx], p, n))
				break;
		if (idx == ph->nlabels) {
			ph->labels = XRESIZEVEC(char *, ph->labels, ph->nlabels + 1);
			ph->labels[ph->nlabels++] = xstrndup(p, n);
		}
		return hash_bytes(hash_bytes(h, "L", 1), &idx, sizeof(idx));
	}
	return hash_bytes(h, p, klp_unnumbered_len(p, n));
}

/* The line without its comment and outer blanks. */
static void trim(const char **pp, size_t *np)
{
	const char *p = *pp;
	size_t n = *np;
	bool quoted = false;

	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"' && (i == 0 || p[i - 1] != '\\'))
			quoted = !quoted;
		else if (p[i] == '#' && !quoted)
			n = i;
	}
	while (n && ISSPACE(*p))
		p++, n--;
	while (n && ISSPACE(p[n - 1]))
		n--;
	*pp = p;
	*np = n;
}

static bool starts_n(const char *p, size_t n, const char *word, size_t w)
{
	return n >= w && !memcmp(p, word, w) && (n == w || !is_tok(p[w]));
}

/* Does the line start with the directive word (a literal)?  Its length
 * is known at compile time: this runs for every line of every function. */
#define starts(p, n, word)	starts_n(p, n, word, sizeof(word) - 1)

/* Directives that describe symbols or debug info, not bytes. */
static bool ignored_directive(const char *p, size_t n)
{
	static const char *const words[] = {
		".loc", ".file", ".size", ".type", ".globl", ".global", ".weak", ".local",
		".hidden", ".protected", ".ident", ".localentry", ".abiversion",
		".loc_mark_labels", ".cfi_startproc", ".cfi_endproc",
	};

	if (n > 5 && !memcmp(p, ".cfi_", 5))
		return true;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (n > 1 && p[1] == words[i][1] && starts_n(p, n, words[i], strlen(words[i])))
			return true;
	return false;
}

/* Hash the tokens of a line: separators as they are, blanks as one. */
static uint64_t hash_tokens(struct klp_part_hash *ph, uint64_t h, const char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t j = i;

		if (is_tok(p[i])) {
			const struct anchor_entry *a;
			size_t used = 0;

			while (j < n && is_tok(p[j]))
				j++;
			a = find_anchor(ph->consts, p + i, j - i);
			if (a)
				used = hash_anchored(a, p + i, j - i, n - i, &h);
			if (used)
				j = i + used;
			else
				h = hash_token(ph, h, p + i, j - i);
		} else if (ISSPACE(p[i])) {
			while (j < n && ISSPACE(p[j]))
				j++;
			h = hash_bytes(h, " ", 1);
		} else {
			h = hash_bytes(h, p + i, 1);
			j = i + 1;
		}
		i = j;
	}
	return hash_bytes(h, "\n", 1);
}

void klp_part_hash_init(struct klp_part_hash *ph, const char *name,
			const struct klp_sections *secs, const struct klp_constants *consts)
{
	memset(ph, 0, sizeof(*ph));
	ph->hash = KLP_FNV64_OFFSET;
	ph->consts = consts;
	ph->name = name;
	ph->secs = secs;
}

/* The part's label: the section it is in is the part's own. */
void klp_part_hash_start(struct klp_part_hash *ph)
{
	free(ph->section);
	ph->section = xstrdup(ph->secs ? ph->secs->cur : "");
}

void klp_part_hash_free(struct klp_part_hash *ph)
{
	for (unsigned i = 0; i < ph->nlabels; i++)
		free(ph->labels[i]);
	free(ph->labels);
	free(ph->section);
	ph->labels = NULL;
	ph->section = NULL;
	ph->nlabels = 0;
}

/* ---- which section a line goes to ---------------------------------- */

void klp_sections_init(struct klp_sections *s)
{
	memset(s, 0, sizeof(*s));
	s->cur = xstrdup("");
	s->prev = xstrdup("");
}

void klp_sections_free(struct klp_sections *s)
{
	for (unsigned i = 0; i < s->depth; i++)
		free(s->stack[i]);
	free(s->stack);
	free(s->cur);
	free(s->prev);
	memset(s, 0, sizeof(*s));
}

/* The section a directive names: .section NAME,..., .pushsection NAME */
static char *section_name(const char *p, size_t n)
{
	size_t end;

	while (n && !ISSPACE(*p))	/* the directive */
		p++, n--;
	while (n && ISSPACE(*p))
		p++, n--;
	if (n && *p == '"') {
		const char *q = (const char *)memchr(p + 1, '"', n - 1);

		return xstrndup(p + 1, q ? (size_t)(q - p - 1) : n - 1);
	}
	for (end = 0; end < n && p[end] != ',' && !ISSPACE(p[end]); end++)
		;
	return xstrndup(p, end);
}

static void switch_to(struct klp_sections *s, char *name)
{
	free(s->prev);
	s->prev = s->cur;
	s->cur = name;
}

/*
 * Follow the section directives: returns true when the line is one
 * (.section, .text, .data, .bss, .previous, .pushsection, .popsection).
 */
bool klp_sections_line(struct klp_sections *s, const char *p, size_t n)
{
	size_t blank = 0;

	/* Most lines are instructions: only a directive switches sections,
	 * and trim() scans the whole line for a comment. */
	while (blank < n && ISSPACE(p[blank]))
		blank++;
	if (blank == n || p[blank] != '.')
		return false;
	trim(&p, &n);
	if (starts(p, n, ".pushsection")) {
		s->stack = XRESIZEVEC(char *, s->stack, s->depth + 1);
		s->stack[s->depth++] = xstrdup(s->cur);
		switch_to(s, section_name(p, n));
	} else if (starts(p, n, ".popsection")) {
		if (s->depth)
			switch_to(s, s->stack[--s->depth]);
	} else if (starts(p, n, ".previous")) {
		char *cur = s->cur;

		s->cur = s->prev;
		s->prev = cur;
	} else if (starts(p, n, ".section")) {
		switch_to(s, section_name(p, n));
	} else if (starts(p, n, ".text") || starts(p, n, ".data") || starts(p, n, ".bss")) {
		switch_to(s, xstrndup(p, n));
	} else {
		return false;
	}
	return true;
}

/* The section without a -ffunction-sections suffix naming the function. */
static size_t section_base(const char *sec, const char *fn)
{
	size_t n = strlen(sec), f = strlen(fn);

	if (f && n > f + 1 && sec[n - f - 1] == '.' && !strcmp(sec + n - f, fn))
		return n - f - 1;
	return n;
}

void klp_part_hash_line(struct klp_part_hash *ph, const char *p, size_t n)
{
	trim(&p, &n);
	/* section directives say where the lines go, the caller follows them */
	if (!n || (p[0] == '.' && (ignored_directive(p, n) || starts(p, n, ".section") ||
				   starts(p, n, ".pushsection") || starts(p, n, ".popsection") ||
				   starts(p, n, ".previous") || starts(p, n, ".text") ||
				   starts(p, n, ".data") || starts(p, n, ".bss"))))
		return;
	if (ph->secs && strcmp(ph->secs->cur, ph->section)) {
		const char *cur = ph->secs->cur;

		/* the function's own read-only data (jump tables) counts; what
		 * it puts in other sections (__bug_table, __ex_table, ...) has
		 * the special sections' own checks */
		if (strncmp(cur, ".rodata", 7))
			return;
		ph->hash = hash_bytes(ph->hash, "R", 1);
		ph->hash = hash_bytes(ph->hash, cur, section_base(cur, ph->name));
	}
	if (p[n - 1] == ':' && is_debug_label(p, n - 1))
		return;
	ph->hash = hash_tokens(ph, ph->hash, p, n);
}

/*
 * Before "final" writes the function: every constant label its code
 * refers to (.LC0: a string literal, a pool constant, a ppc64 TOC entry),
 * with the hash of what it holds, so that the lines hash contents.  GCC
 * writes most of them when it expands the function, long before the
 * assembly of "final" that the plugin sees.
 */
void klp_collect_constants(struct klp_constants *c)
{
	subrtx_iterator::array_type array;

	for (rtx_insn *insn = get_insns(); insn; insn = NEXT_INSN(insn)) {
		if (!INSN_P(insn))
			continue;
		FOR_EACH_SUBRTX(iter, array, PATTERN(insn), ALL) {
			const_rtx x = *iter;
			const char *name;

			if (GET_CODE(x) == SYMBOL_REF && SYMBOL_REF_HAS_BLOCK_INFO_P(x) &&
			    SYMBOL_REF_ANCHOR_P(x))
				add_anchor(c, x);
			if (GET_CODE(x) != SYMBOL_REF ||
			    !(CONSTANT_POOL_ADDRESS_P(x) || TREE_CONSTANT_POOL_ADDRESS_P(x)))
				continue;
			name = targetm.strip_name_encoding(XSTR(x, 0));
			add_const(c, name, strlen(name), klp_rtx_hash(KLP_FNV64_OFFSET, x, 0));
		}
	}
}
