/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pairing.c - one compile's symbols against another's, by name and
 * checksum (pairing.h).
 */
#include "pairing.h"
#include "../base/warn.h"
#include "../../include/klp-checksum.h"

#include <stdlib.h>
#include <string.h>

#define PPC_MODES (KLP_UNIT_PPC_CALLS_LOCAL | KLP_UNIT_PPC_CALLS_STATIC)

static const char *ppc_mode(unsigned flags)
{
	return flags & KLP_UNIT_PPC_CALLS_LOCAL ? "local" :
	       flags & KLP_UNIT_PPC_CALLS_STATIC ? "static" : "none";
}

/* Can the checksums of the two units be compared at all? */
int klp_units_comparable(const char *old_file, const struct klp_unit *o, const char *new_file,
		      const struct klp_unit *n)
{
	if (strcmp(o->producer, n->producer)) {
		KLP_ERR(new_file, "unit %s was compiled by %s, but %s's unit %s by %s: checksums "
			"of different compilers do not compare; compile it with %s", n->path,
			n->producer, old_file, o->path, o->producer, o->producer);
		return -1;
	}
	if ((o->flags & PPC_MODES) != (n->flags & PPC_MODES)) {
		KLP_ERR(new_file, "unit %s was compiled with ppc-calls=%s, but %s's unit %s with "
			"ppc-calls=%s: the mode changes the code; compile it with "
			"-fplugin-arg-klp-ppc-calls=%s to compare", n->path, ppc_mode(n->flags),
			old_file, o->path, ppc_mode(o->flags), ppc_mode(o->flags));
		return -1;
	}
	return 0;
}

/* Same code or data?  An all-zero object has no checksum: its size says it. */
bool klp_same_contents(const struct klp_sym *s, const struct klp_sym *t)
{
	if ((s->flags & KLP_SYM_ZERO) || (t->flags & KLP_SYM_ZERO))
		return (s->flags & KLP_SYM_ZERO) && (t->flags & KLP_SYM_ZERO) &&
		       s->size == t->size;
	return s->checksum == t->checksum;
}

/* Same name, or the same but for a number the compiler gave unit-wide? */
static bool same_base(const char *a, const char *b)
{
	size_t na = klp_unnumbered_len(a, strlen(a)), nb = klp_unnumbered_len(b, strlen(b));

	return na == nb && !memcmp(a, b, na);
}

/* The length of a name without only the number after a dot: a
 * __UNIQUE_ID keeps the counter klp_unnumbered_len() drops. */
static size_t dotless_len(const char *a)
{
	const char *dot = strrchr(a, '.');

	if (strncmp(a, "__UNIQUE_ID_", 12))
		return klp_unnumbered_len(a, strlen(a));
	if (dot && dot[1] && strspn(dot + 1, "0123456789") == strlen(dot + 1))
		return (size_t)(dot - a);
	return strlen(a);
}

/* Same but for a number after a dot (__UNIQUE_ID_ddebug510.44 and .47)? */
static bool same_dotless(const char *a, const char *b)
{
	size_t na = dotless_len(a), nb = dotless_len(b);

	return na == nb && !memcmp(a, b, na);
}

enum pairing { EXACT_SAME, BASE_SAME, EXACT, DOTLESS_UNIQUE, BASE_UNIQUE };

/* Does old symbol s pair with new symbol t under rule r? */
static bool pairs(const struct klp_sym *s, const struct klp_sym *t, enum pairing r)
{
	if (s->kind != t->kind)
		return false;
	switch (r) {
	case EXACT_SAME:	return !strcmp(s->name, t->name) && klp_same_contents(s, t);
	case BASE_SAME:		return same_base(s->name, t->name) && klp_same_contents(s, t);
	case EXACT:		return !strcmp(s->name, t->name);
	case DOTLESS_UNIQUE:	return same_dotless(s->name, t->name);
	default:		return same_base(s->name, t->name);
	}
}

/* How many unpaired symbols of u pair with s under r; the first in *at. */
static size_t candidates(const struct klp_unit *u, const bool *paired, const struct klp_sym *s,
			 enum pairing r, bool s_is_old, size_t *at)
{
	size_t n = 0;

	for (size_t i = 0; i < u->nsyms; i++) {
		if (paired[i] || !(s_is_old ? pairs(s, &u->syms[i], r) : pairs(&u->syms[i], s, r)))
			continue;
		if (!n++)
			*at = i;
	}
	return n;
}

/*
 * Pair old and new symbols: by name with the same contents, then by name
 * but for a compiler-made number with the same contents (one more static
 * elsewhere renamed it: counter.3 is counter.4 now; alike ones in order),
 * then by name (changed), then by the name without a number after a dot
 * when it is unique on both sides (__UNIQUE_ID_ddebug510.44 is
 * __UNIQUE_ID_ddebug510.47, its line moved), then by the base name when
 * it is unique on both sides.
 */
int klp_pair_symbols(const struct klp_unit *o, const struct klp_unit *n, size_t *old_to_new,
			bool *new_paired)
{
	bool *old_paired = calloc(o->nsyms ? o->nsyms : 1, sizeof(*old_paired));

	if (!old_paired)
		return -1;
	for (enum pairing r = EXACT_SAME; r <= BASE_UNIQUE; r++) {
		for (size_t i = 0; i < o->nsyms; i++) {
			size_t at = 0, back = 0;

			size_t found;

			if (old_paired[i])
				continue;
			/* alike symbols (five all-zero __key.N) pair in order */
			found = candidates(n, new_paired, &o->syms[i], r, true, &at);
			if (!found || (r >= EXACT && found != 1))
				continue;
			if (r >= DOTLESS_UNIQUE &&
			    candidates(o, old_paired, &n->syms[at], r, false, &back) != 1)
				continue;
			old_paired[i] = new_paired[at] = true;
			old_to_new[i] = at;
		}
	}
	for (size_t i = 0; i < o->nsyms; i++)
		if (!old_paired[i])
			old_to_new[i] = SIZE_MAX;
	free(old_paired);
	return 0;
}

/*
 * Is t, which old has no symbol for, one of old's records the link
 * discarded (.exitcall.exit, .modinfo in vmlinux)?  Those have no name
 * left, but their kind and contents say it.
 */
bool klp_was_discarded(const struct klp_unit *o, const struct klp_sym *t, bool *used)
{
	for (size_t i = 0; i < o->ndiscarded; i++) {
		if (used[i] || o->discarded[i].kind != t->kind || !klp_same_contents(&o->discarded[i], t))
			continue;
		used[i] = true;
		return true;
	}
	return false;
}

