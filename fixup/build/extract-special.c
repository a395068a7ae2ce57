/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * extract-special.c - the entries of the kernel's special sections that go
 * with the copied code (special.c lists them), and the refusal of a table
 * of entries about code that is not in the list.
 */
#include "extract-internal.h"
#include "../base/warn.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Is input section sec, at off, code this object carries? */
bool ex_in_kept_text(const struct extract *e, size_t sec)
{
	return e->is_text_kept[sec];
}

int ex_open_specials(struct extract *e)
{
	const struct klp_special *table = klp_special_table(e->k->ehdr.e_machine);

	e->specials = calloc(e->k->nsecs + 1, sizeof(*e->specials));
	if (!e->specials)
		return -1;
	for (size_t i = 1; i < e->k->nsecs; i++) {
		const struct kelf_section *s = &e->k->secs[i];
		const struct klp_special *sp = klp_special_find(table, s->name);
		struct special_state *st;
		const struct kelf_section *rsec;
		uint32_t entsize;

		if (!sp)
			continue;
		entsize = sp->entsize ? sp->entsize : e->in->bug_entsize;
		if (!entsize || s->sh.sh_size % entsize) {
			KLP_ERR(e->in->path, "section %s: %" PRIu64 " bytes are no whole number of "
				"%u-byte entries: this kernel's entry differs from Linux 6.12's",
				s->name, (uint64_t)s->sh.sh_size, entsize);
			return -1;
		}
		st = &e->specials[e->nspecials++];
		st->sp = sp;
		st->sec = i;
		st->nentries = s->sh.sh_size / entsize;
		st->taken = calloc(st->nentries + 1, sizeof(*st->taken));
		rsec = kelf_relocs_for(e->k, s);
		st->nrelocs = rsec ? kelf_read_relocs(e->k, rsec, &st->relocs) : 0;
		if (!st->taken || st->nrelocs < 0)
			return -1;
		for (size_t j = 1; j < e->k->nsecs; j++)
			if (sp->parallel && !strcmp(e->k->secs[j].name, sp->parallel))
				st->parallel_sec = j;
	}
	return 0;
}

/*
 * Where the field at offset at of entry j points: the section and the
 * offset there, from the field's relocation.  False when it has none.
 */
static bool field_target(const struct extract *e, const struct special_state *st, size_t j,
			 uint32_t entsize, uint32_t at, size_t *sec, uint64_t *off)
{
	for (long i = 0; i < st->nrelocs; i++) {
		const struct kelf_reloc *r = &st->relocs[i];
		const struct kelf_symbol *s;

		if (r->offset != j * entsize + at || r->symndx >= e->k->nsyms)
			continue;
		s = &e->k->syms[r->symndx];
		*sec = s->sym.st_shndx;
		*off = (uint64_t)r->addend + (s->type == STT_SECTION ? 0 : s->sym.st_value) -
		       (st->sp->from_entry ? at : 0);
		return *sec && *sec < e->k->nsecs;
	}
	return false;
}

/* The alternative code entry j names (.altinstr_replacement's bytes, a
 * __ftr_alt_ range), as a piece. */
static int take_replacement(struct extract *e, const struct special_state *st, size_t j,
			    uint32_t entsize)
{
	const struct kelf_section *s = &e->k->secs[st->sec];
	const struct klp_special *sp = st->sp;
	size_t sec, end_sec;
	uint64_t start, end;

	if (!field_target(e, st, j, entsize, sp->repl_at, &sec, &start))
		return 0;	/* no alternative (an empty else case) */
	if (sp->repl_end_at) {
		if (!field_target(e, st, j, entsize, sp->repl_end_at, &end_sec, &end) ||
		    end_sec != sec || end < start)
			end = UINT64_MAX;
	} else {
		end = s->data && sp->repl_len_at < entsize ?
		      start + s->data[j * entsize + sp->repl_len_at] : UINT64_MAX;
	}
	if (end == UINT64_MAX || end > e->k->secs[sec].sh.sh_size ||
	    strncmp(e->k->secs[sec].name, sp->replacement, strlen(sp->replacement))) {
		KLP_ERR(e->in->path, "unit %s: entry %zu of %s names alternative code in %s that "
			"klp-fixup build cannot place (Linux 6.12 puts it in %s*)",
			e->in->tu_path, j, s->name, e->k->secs[sec].name, sp->replacement);
		return -1;
	}
	return ex_add_piece(e, sec, start, end) < 0 ? -1 : 0;
}

/* Take entry j of special table st: its bytes and relocations, and its
 * companions' (ORC entry, alternative code). */
static int take_entry(struct extract *e, struct special_state *st, size_t j, uint32_t entsize,
		      size_t code_sec)
{
	size_t link = 0;
	const struct kelf_section *s = &e->k->secs[st->sec];

	st->taken[j] = true;
	e->out->nentries++;
	if (st->sp->replacement && take_replacement(e, st, j, entsize))
		return -1;
	if (s->sh.sh_flags & SHF_LINK_ORDER) {
		long p = ex_piece_at(e, code_sec, 0);

		link = p < 0 ? 0 : e->pieces[p].out_sec;
	}
	if (ex_add_piece_linked(e, st->sec, j * entsize, (j + 1) * entsize, link) < 0)
		return -1;
	if (st->parallel_sec && ex_add_piece(e, st->parallel_sec, j * st->sp->parallel_entsize,
					  (j + 1) * st->sp->parallel_entsize) < 0)
		return -1;
	return 0;
}

/* Take every entry whose code field points into a copied function.
 * Returns how many were taken, or -1. */
long ex_take_entries(struct extract *e)
{
	long taken = 0;

	for (size_t t = 0; t < e->nspecials; t++) {
		struct special_state *st = &e->specials[t];
		uint32_t entsize = st->sp->entsize ? st->sp->entsize : e->in->bug_entsize;

		for (long i = 0; i < st->nrelocs; i++) {
			const struct kelf_reloc *r = &st->relocs[i];
			size_t j = r->offset / entsize;
			const struct kelf_symbol *s;

			if (r->offset % entsize != st->sp->anchor || j >= st->nentries ||
			    st->taken[j] || r->symndx >= e->k->nsyms)
				continue;
			s = &e->k->syms[r->symndx];
			if (s->sym.st_shndx >= e->k->nsecs || !ex_in_kept_text(e, s->sym.st_shndx))
				continue;
			if (take_entry(e, st, j, entsize, s->sym.st_shndx))
				return -1;
			taken++;
		}
	}
	return taken;
}

/*
 * A section that is neither known nor data, whose relocations name a
 * copied function: entries about code the builder would leave behind.
 */
int ex_check_unknown_tables(struct extract *e)
{
	const struct klp_special *table = klp_special_table(e->k->ehdr.e_machine);

	for (size_t i = 1; i < e->k->nsecs; i++) {
		const struct kelf_section *s = &e->k->secs[i];
		const struct kelf_section *rsec;
		struct kelf_reloc *relocs = NULL;
		bool has_symbols = false;
		long n;

		if (!(s->sh.sh_flags & SHF_ALLOC) || (s->sh.sh_flags & SHF_EXECINSTR) ||
		    klp_special_find(table, s->name) || klp_special_is_companion(table, s->name) ||
		    klp_section_is_pool(e->k->ehdr.e_machine, s->name) ||
		    klp_section_is_dropped(s->name))
			continue;
		for (size_t j = 1; j < e->k->nsyms && !has_symbols; j++)
			has_symbols = e->k->syms[j].sym.st_shndx == i &&
				      (e->k->syms[j].type == STT_OBJECT ||
				       e->k->syms[j].type == STT_FUNC);
		rsec = kelf_relocs_for(e->k, s);
		if (has_symbols || !rsec)
			continue;
		n = kelf_read_relocs(e->k, rsec, &relocs);
		for (long j = 0; j < n; j++) {
			const struct kelf_symbol *t = relocs[j].symndx < e->k->nsyms ?
						      &e->k->syms[relocs[j].symndx] : NULL;

			if (t && t->sym.st_shndx < e->k->nsecs && ex_in_kept_text(e, t->sym.st_shndx)) {
				KLP_ERR(e->in->path, "unit %s: section %s has entries about the "
					"patched code (%s) that klp-fixup build does not know how to "
					"carry: file a report with this section's name",
					e->in->tu_path, s->name, e->k->secs[t->sym.st_shndx].name);
				free(relocs);
				return -1;
			}
		}
		free(relocs);
	}
	return 0;
}
