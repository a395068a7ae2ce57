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
#include "../include/klp-checksum.h"

#include <string.h>

/* .LC<n> -> hash of its data, over the whole unit. */
struct const_entry {
	char *label;
	uint64_t hash;
};
static struct const_entry *consts;
static size_t nconsts, consts_cap;

static const struct const_entry *find_const(const char *p, size_t n)
{
	for (size_t i = nconsts; i-- > 0;)
		if (strlen(consts[i].label) == n && !memcmp(consts[i].label, p, n))
			return &consts[i];
	return NULL;
}

static void add_const(const char *p, size_t n, uint64_t hash)
{
	if (find_const(p, n))
		return;
	if (nconsts == consts_cap) {
		consts_cap = consts_cap ? 2 * consts_cap : 64;
		consts = XRESIZEVEC(struct const_entry, consts, consts_cap);
	}
	consts[nconsts].label = xstrndup(p, n);
	consts[nconsts++].hash = hash;
}

static bool is_tok(char c)
{
	return ISALNUM(c) || c == '_' || c == '.' || c == '$' || c == '@';
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

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	return klp_fnv64(h, p, n);
}

/* Hash one token, replacing the names the compiler numbers. */
static uint64_t hash_token(struct klp_part_hash *ph, uint64_t h, const char *p, size_t n)
{
	if (n > 2 && p[0] == '.' && p[1] == 'L') {
		const struct const_entry *c = is_const_label(p, n) ? find_const(p, n) : NULL;
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

static bool starts(const char *p, size_t n, const char *word)
{
	size_t w = strlen(word);

	return n >= w && !memcmp(p, word, w) && (n == w || !is_tok(p[w]));
}

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
		if (starts(p, n, words[i]))
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
			while (j < n && is_tok(p[j]))
				j++;
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

void klp_part_hash_init(struct klp_part_hash *ph, const char *name)
{
	memset(ph, 0, sizeof(*ph));
	ph->hash = KLP_FNV64_OFFSET;
	ph->name = name;
}

void klp_part_hash_free(struct klp_part_hash *ph)
{
	for (unsigned i = 0; i < ph->nlabels; i++)
		free(ph->labels[i]);
	free(ph->labels);
	ph->labels = NULL;
	ph->nlabels = 0;
}

/* The function's own section, without the -ffunction-sections suffix. */
static uint64_t hash_section(struct klp_part_hash *ph, uint64_t h, const char *p, size_t n)
{
	size_t name = strlen(ph->name), end;

	h = hash_bytes(h, "S", 1);
	while (n && !ISSPACE(*p))	/* the directive */
		p++, n--;
	while (n && ISSPACE(*p))
		p++, n--;
	for (end = 0; end < n && p[end] != ',' && !ISSPACE(p[end]); end++)
		;
	if (end > 0 && p[0] == '"')	/* quoted names */
		p++, end -= end > 1 ? 2 : 1;
	if (end > name + 1 && p[end - name - 1] == '.' && !memcmp(p + end - name, ph->name, name))
		end -= name + 1;
	return hash_bytes(h, p, end);
}

void klp_part_hash_line(struct klp_part_hash *ph, const char *p, size_t n)
{
	trim(&p, &n);
	if (!n)
		return;
	if (starts(p, n, ".pushsection")) {
		ph->pushed++;
		return;
	}
	if (starts(p, n, ".popsection")) {
		if (ph->pushed)
			ph->pushed--;
		return;
	}
	if (ph->pushed)
		return;
	if (p[0] == '.' && ignored_directive(p, n))
		return;
	if (starts(p, n, ".section") || starts(p, n, ".text") || starts(p, n, ".data") ||
	    starts(p, n, ".previous")) {
		ph->hash = hash_section(ph, ph->hash, p, n);
		return;
	}
	if (p[n - 1] == ':' && is_debug_label(p, n - 1))
		return;
	ph->hash = hash_tokens(ph, ph->hash, p, n);
}

/*
 * Before the function's lines are hashed: the data of every .LC label in
 * this capture (a string literal is written before its first user), so
 * that its users hash its contents.
 */
void klp_collect_constants(const char *text, size_t len)
{
	const char *p = text, *end = text + len, *label = NULL;
	struct klp_part_hash data;
	size_t label_len = 0;

	klp_part_hash_init(&data, "");
	while (p < end) {
		const char *nl = (const char *)memchr(p, '\n', end - p);
		const char *line = p;
		size_t n = (size_t)((nl ? nl : end) - p);

		trim(&line, &n);
		p = nl ? nl + 1 : end;
		if (n && line[n - 1] == ':') {
			if (label)
				add_const(label, label_len, data.hash);
			label = is_const_label(line, n - 1) ? line : NULL;
			label_len = n - 1;
			klp_part_hash_free(&data);
			klp_part_hash_init(&data, "");
			continue;
		}
		if (!label || !n)
			continue;
		if (starts(line, n, ".section") || starts(line, n, ".text") ||
		    starts(line, n, ".previous") || starts(line, n, ".globl") ||
		    starts(line, n, ".type")) {
			add_const(label, label_len, data.hash);
			label = NULL;
			continue;
		}
		klp_part_hash_line(&data, line, n);
	}
	if (label)
		add_const(label, label_len, data.hash);
	klp_part_hash_free(&data);
}
