/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * extract.c - the livepatch object of one unit (extract.h).
 *
 * The unit was compiled with -ffunction-sections -fdata-sections, so every
 * function is a section of its own.  What the object carries is a set of
 * pieces: a byte range of an input section, appended to the output
 * section of the same name.  It starts with the changed functions; each
 * piece's relocations then decide what else comes:
 *   - a function or object the running kernel has unchanged becomes a
 *     reference: __klp_ref:OBJ:PATH:NAME, which `klp-fixup convert` turns
 *     into a .klp.sym symbol with the exact position, or the plain name of
 *     an exported global;
 *   - a new function or object, a changed constant, a string literal, a
 *     .cold part comes along as a piece;
 *   - an undefined global stays itself when exported, else becomes a
 *     reference to the name that is unique in the object.
 * Then the entries of the special sections (special.c) whose code field
 * points into a copied function come along, and their relocations are
 * decided the same way, until nothing new is added.
 */
#include "extract.h"
#include "special.h"
#include "../base/warn.h"
#include "../notes/pairing.h"
#include "../../include/klp.h"
#include "../../include/klp-build-records.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum change { UNNOTED, SAME, CHANGED, NEW };

struct piece {
	size_t in_sec;
	uint64_t start, end;
	size_t out_sec;			/* writer section index + 1 */
	uint64_t out_off;
	bool done;			/* relocations copied */
};

struct special_state {
	const struct klp_special *sp;
	size_t sec, parallel_sec, repl_sec;	/* input indices, 0 none */
	struct kelf_reloc *relocs;
	long nrelocs;
	bool *taken;
	size_t nentries;
};

struct extract {
	const struct klp_extract_in *in;
	struct kelf *k;
	struct kelf_writer *w;
	struct klp_extract_out *out;
	/* per input symbol */
	const struct klp_sym **note;
	size_t *out_sym;		/* writer symbol, 0 none yet */
	/* per input section */
	bool *is_text_kept;
	size_t *out_sec_sym;		/* writer section symbol of the output section */
	struct piece *pieces;
	size_t npieces;
	struct special_state *specials;
	size_t nspecials;
	bool *ignored;			/* per input symbol: KLP_BUILD_IGNORE_FUNCTION */
};

static const char *sym_name(const struct extract *e, size_t i)
{
	return e->k->syms[i].name ? e->k->syms[i].name : "";
}

static enum change change_of(const struct extract *e, const struct klp_sym *n)
{
	size_t o = e->in->new_to_old[(size_t)(n - e->in->new_unit->syms)];

	if (o == SIZE_MAX)
		return NEW;
	return klp_same_contents(&e->in->old_unit->syms[o], n) ? SAME : CHANGED;
}

static const char *old_name_of(const struct extract *e, const struct klp_sym *n)
{
	size_t o = e->in->new_to_old[(size_t)(n - e->in->new_unit->syms)];

	return o == SIZE_MAX ? n->name : e->in->old_unit->syms[o].name;
}

/* Each symbol of the object with the note that describes it. */
static void match_notes(struct extract *e)
{
	const struct klp_unit *u = e->in->new_unit;

	for (size_t i = 1; i < e->k->nsyms; i++) {
		const struct kelf_symbol *s = &e->k->syms[i];

		if (s->type != STT_FUNC && s->type != STT_OBJECT)
			continue;
		for (size_t j = 0; j < u->nsyms; j++) {
			const struct klp_sym *n = &u->syms[j];

			if (!n->name || strcmp(n->name, sym_name(e, i)))
				continue;
			if (n->has_addr && (n->shndx != s->sym.st_shndx || n->addr != s->sym.st_value))
				continue;
			e->note[i] = n;
			break;
		}
	}
}

/* The output section of this name, made on first use, and its symbol. */
static size_t out_section(struct extract *e, const struct kelf_section *in, size_t link,
			  size_t *sec_sym)
{
	for (size_t i = 0; i < e->w->nsecs; i++)
		if (!strcmp(e->w->secs[i].name, in->name) && e->w->secs[i].link == link) {
			*sec_sym = e->out_sec_sym[i];
			return i + 1;
		}
	size_t out = kelf_writer_section(e->w, in->name, in->sh.sh_type,
					 in->sh.sh_flags & ~(uint64_t)SHF_GROUP,
					 in->sh.sh_addralign, in->sh.sh_entsize, NULL, 0);
	if (!out)
		return 0;
	e->w->secs[out - 1].link = link;
	*sec_sym = kelf_writer_symbol(e->w, "", STB_LOCAL, STT_SECTION, out, 0, 0);
	if (!*sec_sym)
		return 0;
	e->out_sec_sym[out - 1] = *sec_sym;
	return out;
}

/*
 * Append bytes [start, end) of input section sec to its output section;
 * for a SHF_LINK_ORDER section (__patchable_function_entries), the one
 * that goes with output section link.
 */
static long add_piece_linked(struct extract *e, size_t sec, uint64_t start, uint64_t end,
			     size_t link)
{
	const struct kelf_section *in = &e->k->secs[sec];
	struct kelf_wsection *ws;
	struct piece *grown;
	size_t out, sec_sym, align = in->sh.sh_addralign ? in->sh.sh_addralign : 1;
	uint64_t at;

	for (size_t i = 0; i < e->npieces; i++)
		if (e->pieces[i].in_sec == sec && e->pieces[i].start == start &&
		    e->pieces[i].end == end)
			return (long)i;
	out = out_section(e, in, link, &sec_sym);
	grown = out ? realloc(e->pieces, (e->npieces + 1) * sizeof(*grown)) : NULL;
	if (!grown)
		return -1;
	e->pieces = grown;
	ws = &e->w->secs[out - 1];
	at = (ws->size + align - 1) / align * align;
	if (ws->align < align)
		ws->align = align;
	if (in->sh.sh_type != SHT_NOBITS) {
		unsigned char *bytes = realloc(ws->data, at + (end - start) + 1);

		if (!bytes)
			return -1;
		memset(bytes + ws->size, 0, at - ws->size);
		if (in->data && end > start)
			memcpy(bytes + at, in->data + start, end - start);
		else
			memset(bytes + at, 0, end - start);
		ws->data = bytes;
	}
	ws->size = at + (end - start);
	e->pieces[e->npieces] = (struct piece){ sec, start, end, out, at, false };
	/* the input's symbols in the range come along, as locals */
	for (size_t i = 1; i < e->k->nsyms; i++) {
		const struct kelf_symbol *s = &e->k->syms[i];

		if (s->sym.st_shndx != sec || s->type == STT_SECTION || s->type == STT_FILE ||
		    e->out_sym[i] || s->sym.st_value < start || s->sym.st_value >= end ||
		    !*sym_name(e, i))
			continue;
		e->out_sym[i] = kelf_writer_symbol(e->w, sym_name(e, i), STB_LOCAL, s->type, out,
						   at + s->sym.st_value - start, s->sym.st_size);
		if (!e->out_sym[i])
			return -1;
		if (s->type == STT_FUNC)
			e->out->nfunctions_copied++;
		else if (s->type == STT_OBJECT)
			e->out->nobjects_copied++;
	}
	return (long)e->npieces++;
}

static long add_piece(struct extract *e, size_t sec, uint64_t start, uint64_t end)
{
	return add_piece_linked(e, sec, start, end, 0);
}

/* The piece holding input section sec at off (exact), or -1. */
static long piece_at(const struct extract *e, size_t sec, uint64_t off)
{
	for (size_t i = 0; i < e->npieces; i++) {
		const struct piece *p = &e->pieces[i];

		/* the end of a whole section counts too: ORC's last entry of a
		 * function and an empty replacement name it */
		if (p->in_sec == sec && p->start <= off &&
		    (off < p->end || (off == p->end && (p->start == p->end ||
							off == e->k->secs[sec].sh.sh_size))))
			return (long)i;
	}
	return -1;
}

static bool is_pc_relative(unsigned machine, uint32_t type)
{
	return machine == EM_X86_64 && (type == R_X86_64_PC32 || type == R_X86_64_PLT32 ||
					type == R_X86_64_PC64 || type == R_X86_64_GOTPCREL);
}

/* A writer symbol for an undefined name (one per name). */
static size_t undefined(struct extract *e, const char *name, unsigned char type)
{
	for (size_t i = 1; i < e->w->nsyms; i++)
		if (!e->w->syms[i].section && e->w->syms[i].bind == STB_GLOBAL &&
		    !strcmp(e->w->syms[i].name, name))
			return i;
	e->out->nrefs++;
	return kelf_writer_symbol(e->w, name, STB_GLOBAL, type, 0, 0, 0);
}

/* __klp_ref:OBJ:PATH:NAME for a symbol the running kernel has. */
static size_t reference(struct extract *e, const char *path, const char *name,
			unsigned char type)
{
	char *ref;
	size_t s;

	if (asprintf(&ref, KLP_REF_PREFIX "%s:%s:%s", e->in->objname, path, name) < 0)
		return 0;
	s = undefined(e, ref, type);
	free(ref);
	return s;
}

static bool is_cold(const char *name)
{
	const char *c = strstr(name, ".cold");

	return c && (!c[5] || c[5] == '.');
}

static bool is_identityless_constant(const char *name)
{
	return !strncmp(name, "__func__", 8) || !strncmp(name, "__FUNCTION__", 12) ||
	       !strncmp(name, "__PRETTY_FUNCTION__", 19) || !strncmp(name, "CSWTCH", 6);
}

static bool section_writable(const struct kelf_section *s)
{
	return s->sh.sh_flags & SHF_WRITE;
}

static int keep_symbol(struct extract *e, size_t i)
{
	const struct kelf_symbol *s = &e->k->syms[i];
	const struct kelf_section *sec = kelf_section(e->k, s->sym.st_shndx);

	if (!sec)
		return -1;
	/* a function with -ffunction-sections: its whole section, padding
	 * (__pfx_) included */
	if (s->type == STT_FUNC && !strncmp(sec->name, ".text.", 6))
		return add_piece(e, s->sym.st_shndx, 0, sec->sh.sh_size) < 0 ? -1 : 0;
	return add_piece(e, s->sym.st_shndx, s->sym.st_value,
			 s->sym.st_value + (s->sym.st_size ? s->sym.st_size : 1)) < 0 ? -1 : 0;
}

/*
 * What a relocation against named symbol i becomes: the writer symbol in
 * *ws.  Pieces it needs are added.  0, or -1 after printing why.
 */
static int decide_symbol(struct extract *e, size_t i, size_t *ws)
{
	const struct kelf_symbol *s = &e->k->syms[i];
	const struct klp_sym *n = e->note[i];
	const char *name = sym_name(e, i);
	enum change c = n ? change_of(e, n) : UNNOTED;
	bool global = s->bind != STB_LOCAL;

	if (e->out_sym[i]) {
		*ws = e->out_sym[i];
		return 0;
	}
	/* a weak definition another unit may have overridden: the kernel has
	 * the one the link chose, by name */
	if (s->sym.st_shndx == SHN_UNDEF || (s->bind == STB_WEAK && c != NEW && c != CHANGED)) {
		if (!strncmp(name, KLP_REF_PREFIX, strlen(KLP_REF_PREFIX)) ||
		    e->in->exported(e->in->ctx, name) ||
		    e->in->patch_defines(e->in->patch_ctx, name))
			*ws = undefined(e, name, s->type);
		else
			*ws = reference(e, "", name, s->type);
		return *ws ? 0 : -1;
	}
	if (s->type == STT_FUNC) {
		if (c == NEW || c == CHANGED || is_cold(name)) {
			if (keep_symbol(e, i))
				return -1;
			*ws = e->out_sym[i];
			return *ws ? 0 : -1;
		}
	} else if (s->type == STT_OBJECT) {
		const struct kelf_section *sec = kelf_section(e->k, s->sym.st_shndx);
		bool writable = sec && section_writable(sec);

		/* (a changed writable object was refused by check_changed_data()) */
		if (c == NEW || c == CHANGED || (c == UNNOTED && !global && !writable) ||
		    (c == SAME && !writable && is_identityless_constant(name))) {
			if (keep_symbol(e, i))
				return -1;
			*ws = e->out_sym[i];
			return *ws ? 0 : -1;
		}
		if (c == UNNOTED && !global) {
			KLP_ERR(e->in->path, "unit %s: the patched code uses the writable static %s, "
				"which the notes do not list: recompile the unit with the klp plugin",
				e->in->tu_path, name);
			return -1;
		}
	} else {
		KLP_ERR(e->in->path, "unit %s: a relocation names %s, a symbol of type %u that "
			"klp-fixup build cannot place", e->in->tu_path, name, s->type);
		return -1;
	}
	/* the running kernel's own: by position, or by name when exported */
	if (global && e->in->exported(e->in->ctx, name))
		*ws = undefined(e, name, s->type);
	else
		*ws = reference(e, n || !global ? e->in->tu_path : "", n ? old_name_of(e, n) : name,
				s->type);
	return *ws ? 0 : -1;
}

/* The sized symbol of section sec that covers off (the only one, if one). */
static long covering_symbol(const struct extract *e, size_t sec, uint64_t off)
{
	long only = -1, found = -1;
	size_t nsized = 0;

	for (size_t i = 1; i < e->k->nsyms; i++) {
		const struct kelf_symbol *s = &e->k->syms[i];

		if (s->sym.st_shndx != sec || (s->type != STT_FUNC && s->type != STT_OBJECT))
			continue;
		nsized++;
		only = (long)i;
		if (s->sym.st_value <= off && off < s->sym.st_value + s->sym.st_size)
			found = (long)i;
	}
	return found >= 0 ? found : nsized == 1 ? only : -1;
}

static bool has_sized_symbols(const struct extract *e, size_t sec)
{
	for (size_t i = 1; i < e->k->nsyms; i++)
		if (e->k->syms[i].sym.st_shndx == sec &&
		    (e->k->syms[i].type == STT_FUNC || e->k->syms[i].type == STT_OBJECT))
			return true;
	return false;
}

/*
 * Relocation r of a piece of section from (executable or not) against
 * section sec at addend: the piece there (added when it is a string
 * table or it covers a symbol), in *ws with the addend in *wa.
 */
static int decide_section(struct extract *e, const struct kelf_section *from,
			  const struct kelf_reloc *r, size_t sec, size_t *ws, int64_t *wa)
{
	const struct kelf_section *target = kelf_section(e->k, sec);
	uint64_t off = (uint64_t)r->addend;
	long p, sym;

	if (!target)
		return -1;
	if ((from->sh.sh_flags & SHF_EXECINSTR) && is_pc_relative(e->k->ehdr.e_machine, r->type))
		off += 4;	/* the field is 4 bytes before the end of the instruction */
	p = piece_at(e, sec, (uint64_t)r->addend);
	if (p < 0)
		p = piece_at(e, sec, off);
	/* string literals; anonymous constants of a read-only section that
	 * holds nothing with a name (GCC's .LC labels in .rodata): no identity
	 * to keep, so a copy */
	if (p < 0 && ((target->sh.sh_flags & SHF_MERGE) ||
		      (!(target->sh.sh_flags & (SHF_WRITE | SHF_EXECINSTR)) &&
		       (target->sh.sh_flags & SHF_ALLOC) && !has_sized_symbols(e, sec))))
		p = add_piece(e, sec, 0, target->sh.sh_size);
	if (p < 0 && (sym = covering_symbol(e, sec, off)) >= 0) {
		const struct kelf_symbol *s = &e->k->syms[sym];

		if (decide_symbol(e, (size_t)sym, ws))
			return -1;
		*wa = r->addend - (int64_t)s->sym.st_value;
		return 0;
	}
	if (p < 0) {
		KLP_ERR(e->in->path, "unit %s: a relocation of %s at 0x%" PRIx64 " refers to %s+0x%"
			PRIx64 ", where no symbol is: klp-fixup build cannot tell what it is",
			e->in->tu_path, from->name, r->offset, target->name, (uint64_t)r->addend);
		return -1;
	}
	*ws = e->out_sec_sym[e->pieces[p].out_sec - 1];
	*wa = r->addend - (int64_t)e->pieces[p].start + (int64_t)e->pieces[p].out_off;
	return 0;
}

/* Copy the relocations of piece p, deciding each target. */
static int copy_relocs(struct extract *e, size_t p)
{
	struct piece pc = e->pieces[p];
	const struct kelf_section *in = &e->k->secs[pc.in_sec];
	const struct kelf_section *rsec = kelf_relocs_for(e->k, in);
	struct kelf_reloc *relocs = NULL;
	long n = rsec ? kelf_read_relocs(e->k, rsec, &relocs) : 0;
	int ret = -1;

	e->pieces[p].done = true;
	if (n < 0)
		return -1;
	for (long i = 0; i < n; i++) {
		const struct kelf_reloc *r = &relocs[i];
		const struct kelf_symbol *s;
		size_t ws = 0;
		int64_t wa = r->addend;

		if (r->offset < pc.start || r->offset >= pc.end)
			continue;
		if (r->symndx >= e->k->nsyms) {
			KLP_ERR(e->in->path, "%s: relocation symbol %u past the symbol table",
				rsec->name, r->symndx);
			goto out;
		}
		s = &e->k->syms[r->symndx];
		if (s->type == STT_SECTION ||
		    (s->bind == STB_LOCAL && s->type == STT_NOTYPE && s->sym.st_shndx != SHN_UNDEF)) {
			struct kelf_reloc rr = *r;

			rr.addend += s->type == STT_SECTION ? 0 : (int64_t)s->sym.st_value;
			if (decide_section(e, in, &rr, s->sym.st_shndx, &ws, &wa))
				goto out;
		} else if (decide_symbol(e, r->symndx, &ws)) {
			goto out;
		}
		if (kelf_writer_reloc(e->w, pc.out_sec, pc.out_off + r->offset - pc.start, r->type,
				      ws, wa))
			goto oom;
	}
	ret = 0;
	goto out;
oom:
	KLP_ERR(e->in->path, "out of memory");
out:
	free(relocs);
	return ret;
}

/* Is input section sec, at off, code this object carries? */
static bool in_kept_text(const struct extract *e, size_t sec)
{
	return e->is_text_kept[sec];
}

static int open_specials(struct extract *e)
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
		for (size_t j = 1; j < e->k->nsecs; j++) {
			if (sp->parallel && !strcmp(e->k->secs[j].name, sp->parallel))
				st->parallel_sec = j;
			if (sp->replacement && !strcmp(e->k->secs[j].name, sp->replacement))
				st->repl_sec = j;
		}
	}
	return 0;
}

/* Take entry j of special table st: its bytes and relocations, and its
 * companions' (ORC entry, replacement code). */
static int take_entry(struct extract *e, struct special_state *st, size_t j, uint32_t entsize,
		      size_t code_sec)
{
	size_t link = 0;
	const struct kelf_section *s = &e->k->secs[st->sec];

	st->taken[j] = true;
	e->out->nentries++;
	if (st->repl_sec) {
		/* the replacement's reloc names .altinstr_replacement + offset */
		for (long i = 0; i < st->nrelocs; i++) {
			const struct kelf_reloc *r = &st->relocs[i];
			uint64_t len;

			if (r->offset != j * entsize + 4 || r->symndx >= e->k->nsyms ||
			    !s->data || st->sp->replacement_len_at >= entsize)
				continue;
			len = s->data[j * entsize + st->sp->replacement_len_at];
			if (add_piece(e, st->repl_sec, (uint64_t)r->addend,
				      (uint64_t)r->addend + len) < 0)
				return -1;
		}
	}
	if (s->sh.sh_flags & SHF_LINK_ORDER) {
		long p = piece_at(e, code_sec, 0);

		link = p < 0 ? 0 : e->pieces[p].out_sec;
	}
	if (add_piece_linked(e, st->sec, j * entsize, (j + 1) * entsize, link) < 0)
		return -1;
	if (st->parallel_sec && add_piece(e, st->parallel_sec, j * st->sp->parallel_entsize,
					  (j + 1) * st->sp->parallel_entsize) < 0)
		return -1;
	return 0;
}

/* Take every entry whose code field points into a copied function.
 * Returns how many were taken, or -1. */
static long take_entries(struct extract *e)
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
			if (s->sym.st_shndx >= e->k->nsecs || !in_kept_text(e, s->sym.st_shndx))
				continue;
			if (take_entry(e, st, j, entsize, s->sym.st_shndx))
				return -1;
			taken++;
		}
	}
	return taken;
}

/* Copy relocations until every piece is done; 0 or -1. */
static int settle(struct extract *e)
{
	for (;;) {
		bool any = false;
		long taken;

		for (size_t p = 0; p < e->npieces; p++) {
			if (e->pieces[p].done)
				continue;
			any = true;
			if (e->k->secs[e->pieces[p].in_sec].sh.sh_flags & SHF_EXECINSTR &&
			    !klp_special_is_companion(klp_special_table(e->k->ehdr.e_machine),
						      e->k->secs[e->pieces[p].in_sec].name))
				e->is_text_kept[e->pieces[p].in_sec] = true;
			if (copy_relocs(e, p))
				return -1;
		}
		if (any)
			continue;
		taken = take_entries(e);
		if (taken < 0)
			return -1;
		if (!taken)
			return 0;
	}
}

/*
 * A section that is neither known nor data, whose relocations name a
 * copied function: entries about code the builder would leave behind.
 */
static int check_unknown_tables(struct extract *e)
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

			if (t && t->sym.st_shndx < e->k->nsecs && in_kept_text(e, t->sym.st_shndx)) {
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

/* The function symbol record j of section sec names (its relocation at
 * KLP_BUILD_RECORD_WHAT), or -1. */
static long record_function(struct extract *e, const struct kelf_reloc *relocs, long n,
			    uint64_t at)
{
	for (long i = 0; i < n; i++) {
		const struct kelf_symbol *s;

		if (relocs[i].offset != at + KLP_BUILD_RECORD_WHAT || relocs[i].symndx >= e->k->nsyms)
			continue;
		s = &e->k->syms[relocs[i].symndx];
		if (s->type == STT_FUNC)
			return relocs[i].symndx;
		if (s->type == STT_SECTION)
			return covering_symbol(e, s->sym.st_shndx, (uint64_t)relocs[i].addend);
	}
	return -1;
}

/*
 * The records of one klp-build.h section: each calls fn with the
 * record's kind and its function's symbol.  0, or -1.
 */
static int for_records(struct extract *e, const char *name,
		       int (*fn)(struct extract *e, uint64_t kind, size_t sym))
{
	struct kelf_section *sec = kelf_find_section(e->k, name);
	const struct kelf_section *rsec = sec ? kelf_relocs_for(e->k, sec) : NULL;
	struct kelf_reloc *relocs = NULL;
	long n = rsec ? kelf_read_relocs(e->k, rsec, &relocs) : 0;
	int ret = n < 0 ? -1 : 0;

	for (uint64_t at = 0; sec && !ret && at + KLP_BUILD_RECORD_SIZE <= sec->sh.sh_size;
	     at += KLP_BUILD_RECORD_SIZE) {
		long sym = record_function(e, relocs, n, at);

		if (sym < 0 || !sec->data) {
			KLP_ERR(e->in->path, "section %s: record at 0x%" PRIx64 " names no function "
				"of the unit", name, at);
			ret = -1;
		} else {
			ret = fn(e, kelf_u64(e->k, sec->data + at), (size_t)sym);
		}
	}
	free(relocs);
	return ret;
}

static int add_callback(struct extract *e, uint64_t kind, size_t sym)
{
	struct klp_callback *cb;

	if (kind < KLP_BUILD_CB_PRE_PATCH || kind > KLP_BUILD_CB_POST_UNPATCH) {
		KLP_ERR(e->in->path, "callback %s: unknown kind %" PRIu64, sym_name(e, sym), kind);
		return -1;
	}
	if (keep_symbol(e, sym))
		return -1;
	cb = realloc(e->out->callbacks, (e->out->ncallbacks + 1) * sizeof(*cb));
	if (!cb)
		return -1;
	e->out->callbacks = cb;
	cb = &cb[e->out->ncallbacks++];
	cb->kind = (unsigned)kind;
	if (asprintf(&cb->name, "__klp_cb_%u_%zu", e->in->index, e->out->ncallbacks - 1) < 0) {
		cb->name = NULL;
		return -1;
	}
	const struct kelf_wsymbol *copy = &e->w->syms[e->out_sym[sym]];

	return kelf_writer_symbol(e->w, cb->name, STB_GLOBAL, STT_FUNC, copy->section,
				  copy->value, copy->size) ? 0 : -1;
}

static int ignore_function(struct extract *e, uint64_t kind, size_t sym)
{
	(void)kind;
	e->ignored[sym] = true;
	return 0;
}

static int read_records(struct extract *e)
{
	if (kelf_find_section(e->k, ".klp.build.force_unsafe")) {
		KLP_ERR(e->in->path, "unit %s: KPATCH_FORCE_UNSAFE: the kernel's livepatch "
			"consistency model has no unsafe mode to force; drop it, and patch the "
			"callers of a function that is always on some stack", e->in->tu_path);
		return -1;
	}
	return for_records(e, KLP_BUILD_IGNORE_SECTION, ignore_function) ||
	       for_records(e, KLP_BUILD_CALLBACKS_SECTION, add_callback) ? -1 : 0;
}

/* Does relocation r (of a section's relocations) refer to symbol t? */
static bool refers_to(const struct extract *e, const struct kelf_reloc *r, size_t t)
{
	const struct kelf_symbol *s = r->symndx < e->k->nsyms ? &e->k->syms[r->symndx] : NULL;
	const struct kelf_symbol *ts = &e->k->syms[t];
	uint64_t off;

	if (!s)
		return false;
	if (r->symndx == t)
		return true;
	if (s->type != STT_SECTION || s->sym.st_shndx != ts->sym.st_shndx)
		return false;
	off = (uint64_t)r->addend + 4;	/* a call's displacement ends the instruction */
	return ts->sym.st_value <= off && off < ts->sym.st_value + ts->sym.st_size;
}

/*
 * A changed function that cannot be redirected (an out-of-line copy of an
 * inline function, notrace like every kernel inline) is copied with the
 * functions that call it, which are patched instead: their own code is
 * the same, but they must call the new copy.  Marks them in forced[].
 */
/* A changed function without a patch site that its callers cannot carry:
 * none in the unit calls it, or other units may. */
static int unreachable_change(struct extract *e, size_t *callers, size_t t)
{
	KLP_ERR(e->in->path, "unit %s: the patch changes %s, which has no ftrace patch site "
		"(notrace, or an inline function's copy)%s: a livepatch cannot redirect it; "
		"change its callers instead", e->in->tu_path, sym_name(e, t),
		e->k->syms[t].bind != STB_LOCAL ? " and is global, so other units may call it" :
		" and no function of the unit calls it");
	free(callers);
	return -1;
}

static bool patchable(const struct klp_sym *n)
{
	return (n->flags & KLP_SYM_SITE) && !(n->flags & KLP_SYM_NOTRACE);
}

static int force_callers(struct extract *e, bool *forced)
{
	bool more = true;
	size_t *callers = calloc(e->k->nsyms + 1, sizeof(*callers));

	if (!callers)
		return -1;

	while (more) {
		more = false;
		for (size_t t = 1; t < e->k->nsyms; t++) {
			const struct klp_sym *n = e->note[t];

			if (!n || e->k->syms[t].type != STT_FUNC || is_cold(n->name) ||
			    patchable(n) || callers[t] ||
			    (change_of(e, n) != CHANGED && !forced[t]) || e->ignored[t])
				continue;
			for (size_t sec = 1; sec < e->k->nsecs; sec++) {
				const struct kelf_section *rs;
				struct kelf_reloc *relocs = NULL;
				long nr;

				if (!(e->k->secs[sec].sh.sh_flags & SHF_EXECINSTR))
					continue;
				rs = kelf_relocs_for(e->k, &e->k->secs[sec]);
				nr = rs ? kelf_read_relocs(e->k, rs, &relocs) : 0;
				if (nr < 0) {
					free(callers);
					return -1;
				}
				for (long i = 0; i < nr; i++) {
					long c;

					if (!refers_to(e, &relocs[i], t))
						continue;
					c = covering_symbol(e, sec, relocs[i].offset);
					if (c <= 0 || (size_t)c == t || e->k->syms[c].type != STT_FUNC)
						continue;
					callers[t]++;
					if (!forced[c]) {
						forced[c] = true;
						more = true;
					}
				}
				free(relocs);
			}
			if (!callers[t] || e->k->syms[t].bind != STB_LOCAL)
				return unreachable_change(e, callers, t);
		}
	}
	free(callers);
	return 0;
}

/* The changed functions: copied, and each given a global name for its
 * struct klp_func. */
/* Symbol i: copied as a new global, or patched when changed or forced. */
static int start_one(struct extract *e, size_t i, bool forced)
{
	{
		const struct klp_sym *n = e->note[i];
		const struct kelf_section *sec;
		struct klp_patched_func *f;

		if (n && e->k->syms[i].bind != STB_LOCAL && change_of(e, n) == NEW) {
			/* a new global: other units of the livepatch may call it */
			if (keep_symbol(e, i))
				return -1;
			e->w->syms[e->out_sym[i]].bind = STB_GLOBAL;
			return 0;
		}
		if (!n || e->k->syms[i].type != STT_FUNC || is_cold(n->name) || e->ignored[i] ||
		    (change_of(e, n) != CHANGED && !forced))
			return 0;
		sec = kelf_section(e->k, e->k->syms[i].sym.st_shndx);
		if (!sec || !strncmp(sec->name, ".init", 5) || !strncmp(sec->name, ".exit", 5)) {
			KLP_ERR(e->in->path, "unit %s: the patch changes %s, which is in %s: the "
				"kernel frees or never runs that code after boot, so a livepatch "
				"cannot replace it; leave it out of the patch",
				e->in->tu_path, n->name, sec ? sec->name : "no section");
			return -1;
		}
		if (keep_symbol(e, i))
			return -1;
		/* no patch site: it comes along with its callers (force_callers()) */
		if (!patchable(n))
			return 0;
		f = realloc(e->out->funcs, (e->out->nfuncs + 1) * sizeof(*f));
		if (!f)
			return -1;
		e->out->funcs = f;
		f = &f[e->out->nfuncs++];
		f->old_name = strdup(old_name_of(e, n));
		if (!f->old_name || asprintf(&f->new_name, "__klp_new_%u_%zu", e->in->index,
					      e->out->nfuncs - 1) < 0)
			return -1;
		{
			const struct kelf_wsymbol *copy = &e->w->syms[e->out_sym[i]];

			if (!kelf_writer_symbol(e->w, f->new_name, STB_GLOBAL, STT_FUNC,
						copy->section, copy->value, copy->size))
				return -1;
		}
	}
	return 0;
}

/* Data the running kernel holds cannot change under it: a changed
 * writable object is refused whether the patched code uses it or not. */
static int check_changed_data(struct extract *e)
{
	for (size_t i = 1; i < e->k->nsyms; i++) {
		const struct kelf_symbol *s = &e->k->syms[i];
		const struct kelf_section *sec = kelf_section(e->k, s->sym.st_shndx);

		if (s->type != STT_OBJECT || !e->note[i] || !sec || !section_writable(sec) ||
		    change_of(e, e->note[i]) != CHANGED)
			continue;
		KLP_ERR(e->in->path, "unit %s: the patch changes the writable object %s (its "
			"initial value or size): a livepatch cannot change data the running kernel "
			"holds; keep it and add new state with shadow variables "
			"(klp_shadow_get_or_alloc()) or set it in a callback",
			e->in->tu_path, sym_name(e, i));
		return -1;
	}
	return 0;
}

static int start_changed(struct extract *e)
{
	bool *forced = calloc(e->k->nsyms + 1, sizeof(*forced));
	int ret = forced ? check_changed_data(e) : -1;

	if (!ret)
		ret = force_callers(e, forced);

	for (size_t i = 1; !ret && i < e->k->nsyms; i++)
		ret = start_one(e, i, forced[i]);
	free(forced);
	return ret;
}

int klp_extract(const struct klp_extract_in *in, struct kelf_writer *w,
		struct klp_extract_out *out)
{
	struct extract e = { in, in->obj, w, out, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0, NULL };
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (!klp_special_table(e.k->ehdr.e_machine)) {
		KLP_ERR(in->path, "klp-fixup build knows the special sections of x86_64 only, not "
			"of %s yet", kelf_machine_name(e.k->ehdr.e_machine));
		return -1;
	}
	e.note = calloc(e.k->nsyms + 1, sizeof(*e.note));
	e.out_sym = calloc(e.k->nsyms + 1, sizeof(*e.out_sym));
	e.is_text_kept = calloc(e.k->nsecs + 1, sizeof(*e.is_text_kept));
	/* one output section per input section at most */
	e.out_sec_sym = calloc(e.k->nsecs + 1, sizeof(*e.out_sec_sym));
	e.ignored = calloc(e.k->nsyms + 1, sizeof(*e.ignored));
	if (!e.note || !e.out_sym || !e.is_text_kept || !e.out_sec_sym || !e.ignored) {
		KLP_ERR(in->path, "out of memory");
		goto out;
	}
	match_notes(&e);
	if (open_specials(&e) || read_records(&e) || start_changed(&e) || settle(&e) ||
	    check_unknown_tables(&e))
		goto out;
	ret = 0;
out:
	for (size_t t = 0; e.specials && t < e.nspecials; t++) {
		free(e.specials[t].relocs);
		free(e.specials[t].taken);
	}
	free(e.specials);
	free(e.pieces);
	free(e.note);
	free(e.out_sym);
	free(e.is_text_kept);
	free(e.out_sec_sym);
	free(e.ignored);
	return ret;
}

void klp_extract_out_free(struct klp_extract_out *out)
{
	for (size_t i = 0; i < out->nfuncs; i++) {
		free(out->funcs[i].old_name);
		free(out->funcs[i].new_name);
	}
	free(out->funcs);
	for (size_t i = 0; i < out->ncallbacks; i++)
		free(out->callbacks[i].name);
	free(out->callbacks);
	memset(out, 0, sizeof(*out));
}
