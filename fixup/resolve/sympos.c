/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sympos.c - exact symbol positions.  The notes name the symbol a source
 * file defines and where the link put it; the target's symbol table then
 * says which of the same-named symbols that is, and symtab-order.c counts
 * its position the way the kernel walks them.  Nothing is guessed from
 * FILE symbols or name lists.
 */
#include "sympos.h"
#include "../base/warn.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

int klp_path_match_n(const char *path, size_t n, const char *tu, size_t m)
{
	if (n == m)
		return memcmp(path, tu, n) ? 0 : 2;
	return n > m && path[n - m - 1] == '/' && !memcmp(path + n - m, tu, m);
}

int klp_path_match(const char *path, const char *tu)
{
	return klp_path_match_n(path, strlen(path), tu, strlen(tu));
}

/*
 * Do all units that match tu (as klp_path_match() gives want) have one path
 * and one id?  Then they are one unit whose notes the file holds more
 * than once, and no longer path can tell them apart.
 */
static bool same_unit_twice(const struct klp_notes *n, const char *tu, int want)
{
	const struct klp_unit *first = NULL;

	for (size_t i = 0; i < n->nunits; i++) {
		const struct klp_unit *u = &n->units[i];

		if (klp_path_match(u->path, tu) != want)
			continue;
		if (!first)
			first = u;
		else if (u->id != first->id || strcmp(u->path, first->path))
			return false;
	}
	return first != NULL;
}

/*
 * The index of the unit whose recorded path is tu, or -1 (with report,
 * after printing why: no unit or several).
 */
static long find_unit(struct klp_resolver *rs, const char *tu, const char *name, bool report)
{
	const struct klp_target *t = rs->t;
	const struct klp_notes *n = &t->notes;
	size_t exact = 0, suffix = 0, exact_unit = 0, suffix_unit = 0, tu_len = strlen(tu);
	int want;

	/* References to one file come together: remember the last answer. */
	if (rs->last_tu && !strcmp(rs->last_tu, tu))
		return (long)rs->last_unit;
	for (size_t i = 0; i < n->nunits; i++) {
		int m = klp_path_match_n(n->units[i].path, n->units[i].path_len, tu, tu_len);

		if (m == 2 && !exact++)
			exact_unit = i;
		if (m == 1 && !suffix++)
			suffix_unit = i;
	}
	if (exact == 1 || (!exact && suffix == 1)) {
		free(rs->last_tu);
		rs->last_tu = strdup(tu);
		rs->last_unit = exact ? exact_unit : suffix_unit;
		return (long)(exact ? exact_unit : suffix_unit);
	}
	if (!report)
		return -1;
	if (!exact && !suffix) {
		KLP_ERR(t->path, "unit %s: no translation unit has this path (symbol %s); "
			"`klp-fixup dump %s` lists the recorded paths: give one of them or a "
			"suffix of it starting after a '/'", tu, name, t->path);
		return -1;
	}
	want = exact ? 2 : 1;
	if (same_unit_twice(n, tu, want)) {
		const struct klp_unit *u = &n->units[exact ? exact_unit : suffix_unit];

		KLP_ERR(t->path, "unit %s (id 0x%016" PRIx64 "): the file holds %zu sets of notes "
			"for this one unit (symbol %s): its object was linked twice, or included "
			"twice in the link; link each object once and rebuild %s", u->path, u->id,
			exact ? exact : suffix, name, t->path);
		return -1;
	}
	KLP_ERR(t->path, "unit %s: the path matches %zu translation units (symbol %s); "
		"give more of the path to choose one:", tu, exact ? exact : suffix, name);
	for (size_t i = 0; i < n->nunits; i++)
		if (klp_path_match(n->units[i].path, tu) == want)
			klp_report_more("  %s (id 0x%016" PRIx64 ")", n->units[i].path,
				n->units[i].id);
	return -1;
}

/* Where the notes say s is, and whether sym is there. */
static bool at_recorded_place(const struct klp_target *t, const struct klp_sym *s,
			      const struct kelf_symbol *sym)
{
	if (sym->sym.st_shndx == SHN_UNDEF || sym->sym.st_shndx >= SHN_LORESERVE)
		return false;
	if (t->is_module && sym->sym.st_shndx != s->shndx)
		return false;
	return sym->sym.st_value == s->addr;
}

static void print_place(const struct klp_target *t, char *buf, size_t len,
			const struct klp_sym *s)
{
	const struct kelf_section *sec;

	if (!t->is_module) {
		snprintf(buf, len, "0x%" PRIx64, s->addr);
		return;
	}
	sec = kelf_section((struct kelf *)&t->elf, s->shndx);
	snprintf(buf, len, "%s+0x%" PRIx64, sec ? sec->name : "?", s->addr);
}

/*
 * Notes from another build of the target must not be trusted: every
 * symbol of the unit that the link kept has to be in the symbol table,
 * under its name, where the notes put it.
 */
static int check_unit_matches(struct klp_resolver *rs, size_t index,
			      const struct klp_unit *u)
{
	const struct klp_target *t = rs->t;
	unsigned char *checked = &rs->unit_checked[index];

	if (*checked)
		return 0;
	for (size_t i = 0; i < u->nsyms; i++) {
		const struct klp_sym *s = &u->syms[i];
		const struct kelf_symbol *sym;
		char where[128];

		/* A weak definition another unit overrode keeps its code but
		 * loses its symbol: nothing to compare.  A record the reader
		 * named by its place (no KLP_SYM_NAMED) has, by that naming,
		 * the symbol of its name there (notes-names.c). */
		if (!s->has_addr || (s->flags & KLP_SYM_WEAK) || !(s->flags & KLP_SYM_NAMED))
			continue;
		for (sym = klp_target_first(t, s->name); sym; sym = klp_target_next(t, sym))
			if (at_recorded_place(t, s, sym))
				break;
		if (sym)
			continue;
		print_place(t, where, sizeof(where), s);
		KLP_ERR(t->path, "unit %s (id 0x%016" PRIx64 "): the notes put symbol %s at %s "
			"but the symbol table has no %s there: the notes come from another build; "
			"use the %s that was built together with its notes", u->path, u->id,
			s->name, where, s->name, t->is_module ? "module" : "vmlinux");
		return -1;
	}
	*checked = 1;
	return 0;
}

/* Error path: the units that record name. */
static void name_elsewhere(struct klp_target *t, const char *name)
{
	bool any = false;

	for (size_t i = 0; i < t->notes.nunits; i++) {
		const struct klp_unit *u = klp_target_peek_unit(t, i);

		if (!u)
			return;
		for (size_t j = 0; j < u->nsyms; j++)
			if (!strcmp(u->syms[j].name, name)) {
				if (!any)
					klp_report_more("  units that have it:");
				klp_report_more("    %s", u->path);
				any = true;
				break;
			}
	}
}

/* Position of sym in the kernel's walk of its name. */
static int position(const struct klp_resolver *rs, const char *tu, const char *name,
		    const struct kelf_symbol *sym, struct klp_resolution *r)
{
	struct klp_target *t = rs->t;
	const struct kelf_symbol **walk;
	long n = klp_target_walk(t, name, &walk);

	if (n < 0)
		return -1;
	r->count = (size_t)n;
	r->pos = 0;
	for (long i = 0; i < n; i++)
		if (walk[i] == sym)
			r->pos = (unsigned long)i + 1;
	free(walk);
	r->unseen = !r->pos;
	if (r->unseen && rs->unseen_ok)
		return 0;
	if (!r->pos) {
		KLP_ERR(t->path, "unit %s: symbol %s is in the symbol table but not among the "
			"symbols the kernel's lookup sees (%s); a livepatch cannot reach it: patch "
			"its callers instead", tu, name, t->is_module ?
			"init section or not allocated" : "filtered by scripts/mksysmap or kallsyms");
		return -1;
	}
	if (n == 1)
		r->pos = 0;	/* unique: the kernel wants 0 */
	return 0;
}

/* The one defined global or weak object named name, or NULL. */
static const struct kelf_symbol *unique_global_object(const struct klp_target *t,
						       const char *name)
{
	const struct kelf_symbol *found = NULL, *s;

	for (s = klp_target_first(t, name); s; s = klp_target_next(t, s)) {
		if (s->bind == STB_LOCAL || s->sym.st_shndx == SHN_UNDEF)
			continue;
		if (found || (s->type != STT_OBJECT && s->type != STT_TLS))
			return NULL;
		found = s;
	}
	return found;
}

int klp_resolver_init(struct klp_resolver *rs, struct klp_target *t)
{
	memset(rs, 0, sizeof(*rs));
	rs->t = t;
	rs->unit_checked = calloc(t->notes.nunits ? t->notes.nunits : 1, 1);
	if (!rs->unit_checked) {
		KLP_ERR(t->path, "out of memory");
		return -1;
	}
	return 0;
}

void klp_resolver_free(struct klp_resolver *rs)
{
	free(rs->unit_checked);
	free(rs->last_tu);
	memset(rs, 0, sizeof(*rs));
}

int klp_resolvers_init(struct klp_resolver *rs, struct klp_target *targets, size_t n)
{
	memset(rs, 0, n * sizeof(*rs));
	for (size_t i = 0; i < n; i++)
		if (klp_resolver_init(&rs[i], &targets[i]))
			return -1;
	return 0;
}

void klp_resolvers_free(struct klp_resolver *rs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		klp_resolver_free(&rs[i]);
}

int klp_resolve_want(struct klp_resolver *rs, const char *tu, const char *name)
{
	struct klp_target *t = rs->t;
	const struct klp_unit *u;
	long i;

	if (klp_target_need(t, name))
		return -1;
	if (!*tu || !t->has_notes)
		return 0;
	i = find_unit(rs, tu, name, false);
	if (i < 0 || rs->unit_checked[i])
		return 0;	/* klp_resolve() reports a unit not found */
	/* check_unit_matches() looks up every symbol of the unit */
	u = klp_target_peek_unit(t, (size_t)i);
	if (!u)
		return -1;
	for (size_t j = 0; j < u->nsyms; j++)
		if (u->syms[j].has_addr && !(u->syms[j].flags & KLP_SYM_WEAK) &&
		    (u->syms[j].flags & KLP_SYM_NAMED) && klp_target_need(t, u->syms[j].name))
			return -1;
	return 0;
}

int klp_resolve(struct klp_resolver *rs, const char *tu, const char *name,
		struct klp_resolution *r)
{
	struct klp_target *t = rs->t;
	const struct klp_sym *note = NULL;
	const struct kelf_symbol *sym = NULL;
	const struct klp_unit *u;
	long index;

	memset(r, 0, sizeof(*r));
	if (klp_resolve_want(rs, tu, name) || klp_target_load(t))
		return -1;
	if (!*tu) {
		/* No path: only a name the kernel sees exactly once will do. */
		const struct kelf_symbol **walk;
		long n = klp_target_walk(t, name, &walk);

		if (n < 0)
			return -1;
		if (n == 1) {
			r->sym = walk[0];
			r->count = 1;
		}
		free(walk);
		if (n == 1)
			return 0;
		KLP_ERR(t->path, "symbol %s: %ld symbols of this name are visible to the kernel's "
			"lookup, and no source path was given; give the path of the unit that "
			"defines the one you mean", name, n);
		return -1;
	}
	if (!t->has_notes) {
		KLP_ERR(t->path, "unit %s, symbol %s: the file has no %s section; rebuild it with "
			"the klp plugin", tu, name, KLP_NOTES_SECTION);
		return -1;
	}
	index = find_unit(rs, tu, name, true);
	if (index < 0)
		return -1;
	u = klp_target_peek_unit(t, (size_t)index);
	if (!u)
		return -1;
	r->unit = &t->notes.units[index];
	for (size_t i = 0; i < u->nsyms && !note; i++)
		if (!strcmp(u->syms[i].name, name))
			note = &u->syms[i];
	if (!note) {
		/* The notes record functions and local objects; a global
		 * object is found by its name, which a link makes unique. */
		sym = unique_global_object(t, name);
		if (sym) {
			r->sym = sym;
			return position(rs, u->path, name, sym, r);
		}
		KLP_ERR(t->path, "unit %s: no symbol %s in this unit; `klp-fixup dump %s` lists "
			"its symbols (clones are named like %s.constprop.0)", u->path, name,
			t->path, name);
		name_elsewhere(t, name);
		return -1;
	}
	if (!note->has_addr) {
		KLP_ERR(t->path, "unit %s: symbol %s was discarded by the link and is not in "
			"this file; nothing can refer to it", u->path, name);
		return -1;
	}
	if (check_unit_matches(rs, (size_t)index, u))
		return -1;
	/* The first symbol of the name at the recorded place, in walk order:
	 * same-named symbols at one address resolve to the same place. */
	for (const struct kelf_symbol *s = klp_target_first(t, name); s && !sym;
	     s = klp_target_next(t, s))
		if (at_recorded_place(t, note, s))
			sym = s;
	if (!sym) {	/* only a weak note can get here */
		KLP_ERR(t->path, "unit %s: the weak definition of %s was overridden by another "
			"unit's; the kernel knows only that one: refer to it by its unit", u->path,
			name);
		return -1;
	}
	r->sym = sym;
	return position(rs, u->path, name, sym, r);
}
