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
#include "extract-internal.h"
#include "x86-insn.h"
#include "../base/warn.h"
#include "../notes/pairing.h"
#include "../../include/klp.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *ex_sym_name(const struct extract *e, size_t i)
{
	return e->k->syms[i].name ? e->k->syms[i].name : "";
}

enum change ex_change_of(const struct extract *e, const struct klp_sym *n)
{
	size_t o = e->in->new_to_old[(size_t)(n - e->in->new_unit->syms)];

	if (o == SIZE_MAX)
		return NEW;
	return klp_same_contents(&e->in->old_unit->syms[o], n) ? SAME : CHANGED;
}

const char *ex_old_name_of(const struct extract *e, const struct klp_sym *n)
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

			if (!n->name || strcmp(n->name, ex_sym_name(e, i)))
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
long ex_add_piece_linked(struct extract *e, size_t sec, uint64_t start, uint64_t end,
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
		    !*ex_sym_name(e, i))
			continue;
		e->out_sym[i] = kelf_writer_symbol(e->w, ex_sym_name(e, i), STB_LOCAL, s->type, out,
						   at + s->sym.st_value - start, s->sym.st_size);
		if (!e->out_sym[i])
			return -1;
		/* ppc64 ELFv2: the local entry point's offset, which the module
		 * loader adds to calls between the module's functions */
		e->w->syms[e->out_sym[i]].other = s->sym.st_other;
		if (s->type == STT_FUNC)
			e->out->nfunctions_copied++;
		else if (s->type == STT_OBJECT)
			e->out->nobjects_copied++;
	}
	return (long)e->npieces++;
}

long ex_add_piece(struct extract *e, size_t sec, uint64_t start, uint64_t end)
{
	return ex_add_piece_linked(e, sec, start, end, 0);
}

/* The piece that ends at input section sec's off, or -1: a table entry
 * names the end of a range (of code, of alternative code) too. */
static long piece_ending_at(const struct extract *e, size_t sec, uint64_t off)
{
	for (size_t i = 0; i < e->npieces; i++)
		if (e->pieces[i].in_sec == sec && e->pieces[i].end == off)
			return (long)i;
	return -1;
}

/* The piece holding input section sec at off (exact), or -1. */
long ex_piece_at(const struct extract *e, size_t sec, uint64_t off)
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

/*
 * How far an instruction's PC-relative reference (symbol + addend) lies
 * before what it names: x86 counts from the end of the instruction, whose
 * last 4 bytes are the field (addend -4); s390 from its start, 2 bytes
 * before the field (addend +2).  0 for any other relocation.
 */
static int64_t pc_relative_bias(unsigned machine, uint32_t type)
{
	if (machine == EM_X86_64 && (type == R_X86_64_PC32 || type == R_X86_64_PLT32 ||
				     type == R_X86_64_PC64 || type == R_X86_64_GOTPCREL))
		return 4;
	if (machine == EM_S390 && (type == R_390_PC16DBL || type == R_390_PC32DBL ||
				   type == R_390_PLT16DBL || type == R_390_PLT32DBL ||
				   type == R_390_GOTENT || type == R_390_GOTPLTENT))
		return -2;
	return 0;
}

/*
 * x86_64: how far past relocation r's field its instruction ends, the
 * bias of a PC-relative addend: 4, or more when an immediate follows the
 * displacement (`cmpb $0, x(%rip)`: 5).  Decoded from the start of the
 * function r is in.  -1 after saying why.
 */
static int64_t x86_field_bias(const struct extract *e, const struct kelf_section *from,
			      const struct kelf_reloc *r)
{
	uint64_t start = 0, end = 0;

	for (size_t i = 1; i < e->k->nsyms; i++) {
		const struct kelf_symbol *s = &e->k->syms[i];

		if (s->sym.st_shndx == from->index && s->type == STT_FUNC &&
		    s->sym.st_value <= r->offset && s->sym.st_value > start)
			start = s->sym.st_value;
	}
	if (from->data)
		end = klp_x86_insn_end(from->data, from->size, start, r->offset);
	if (!end) {
		KLP_ERR(e->in->path, "unit %s: the instruction of %s that holds the relocation at 0x%"
			PRIx64 " cannot be decoded from 0x%" PRIx64 ": klp-fixup build cannot tell "
			"what it refers to", e->in->tu_path, from->name, r->offset, start);
		return -1;
	}
	return (int64_t)(end - r->offset);
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

/* __klp_ref:OBJ:PATH:NAME for a symbol the running kernel has, in
 * object obj. */
static size_t reference_in(struct extract *e, const char *obj, const char *path,
			   const char *name, unsigned char type)
{
	char *ref;
	size_t s;

	if (asprintf(&ref, KLP_REF_PREFIX "%s:%s:%s", obj, path, name) < 0)
		return 0;
	s = undefined(e, ref, type);
	free(ref);
	return s;
}

/* ... in the unit's own object. */
static size_t reference(struct extract *e, const char *path, const char *name,
			unsigned char type)
{
	return reference_in(e, e->in->objname, path, name, type);
}

bool ex_is_cold(const char *name)
{
	const char *c = strstr(name, ".cold");

	return c && (!c[5] || c[5] == '.');
}

static bool is_identityless_constant(const char *name)
{
	return !strncmp(name, "__func__", 8) || !strncmp(name, "__FUNCTION__", 12) ||
	       !strncmp(name, "__PRETTY_FUNCTION__", 19) || !strncmp(name, "CSWTCH", 6);
}

bool ex_section_writable(const struct kelf_section *s)
{
	return s->sh.sh_flags & SHF_WRITE;
}

int ex_keep_symbol(struct extract *e, size_t i)
{
	const struct kelf_symbol *s = &e->k->syms[i];
	const struct kelf_section *sec = kelf_section(e->k, s->sym.st_shndx);

	if (!sec)
		return -1;
	/* a function with -ffunction-sections: its whole section, padding
	 * (__pfx_) included */
	if (s->type == STT_FUNC && !strncmp(sec->name, ".text.", 6))
		return ex_add_piece(e, s->sym.st_shndx, 0, sec->sh.sh_size) < 0 ? -1 : 0;
	return ex_add_piece(e, s->sym.st_shndx, s->sym.st_value,
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
	const char *name = ex_sym_name(e, i);
	enum change c = n ? ex_change_of(e, n) : UNNOTED;
	bool global = s->bind != STB_LOCAL;

	if (e->out_sym[i]) {
		*ws = e->out_sym[i];
		return 0;
	}
	/* a weak definition another unit may have overridden: the kernel has
	 * the one the link chose, by name */
	if (s->sym.st_shndx == SHN_UNDEF || (s->bind == STB_WEAK && c != NEW && c != CHANGED)) {
		if (!strncmp(name, KLP_REF_PREFIX, strlen(KLP_REF_PREFIX)) ||
		    klp_link_provides(e->k->ehdr.e_machine, name) ||
		    e->in->exported(e->in->ctx, name) ||
		    e->in->patch_defines(e->in->patch_ctx, name))
			*ws = undefined(e, name, s->type);
		else
			*ws = reference_in(e, e->in->home_of(e->in->ctx, name), "", name, s->type);
		return *ws ? 0 : -1;
	}
	if (s->type == STT_FUNC) {
		if (c == NEW || c == CHANGED || ex_is_cold(name)) {
			if (ex_keep_symbol(e, i))
				return -1;
			*ws = e->out_sym[i];
			return *ws ? 0 : -1;
		}
	} else if (s->type == STT_OBJECT) {
		const struct kelf_section *sec = kelf_section(e->k, s->sym.st_shndx);
		bool writable = sec && ex_section_writable(sec);

		if (c == CHANGED && sec && klp_section_is_line_record(sec->name))
			c = SAME;	/* the running kernel's record serves */
		/* (a changed writable object was refused by check_changed_data()) */
		if (c == NEW || c == CHANGED || (c == UNNOTED && !global && !writable) ||
		    (c == SAME && !writable && is_identityless_constant(name))) {
			if (ex_keep_symbol(e, i))
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
		*ws = reference(e, n || !global ? e->in->tu_path : "", n ? ex_old_name_of(e, n) : name,
				s->type);
	return *ws ? 0 : -1;
}

/* The sized symbol of section sec that covers off (the only one, if one). */
long ex_covering_symbol(const struct extract *e, size_t sec, uint64_t off)
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
 * table, a pool entry, or it covers a symbol), in *ws with the addend in
 * *wa.  entry_bias: for a field of a special table's entry, what its
 * addend carries besides the offset (ppc64's offsets from the entry's
 * start); -1 for a relocation that is no table entry's.
 */
static int decide_section(struct extract *e, const struct kelf_section *from,
			  const struct kelf_reloc *r, size_t sec, int64_t entry_bias,
			  size_t *ws, int64_t *wa)
{
	const struct kelf_section *target = kelf_section(e->k, sec);
	uint64_t at = (uint64_t)(r->addend - (entry_bias > 0 ? entry_bias : 0)), off = at;
	long p, sym;

	if (!target)
		return -1;
	if (from->sh.sh_flags & SHF_EXECINSTR) {
		int64_t bias = pc_relative_bias(e->k->ehdr.e_machine, r->type);

		/* (an x86_64 field of an instruction: where it ends) */
		if (e->k->ehdr.e_machine == EM_X86_64 && bias && r->type != R_X86_64_PC64 &&
		    (bias = x86_field_bias(e, from, r)) < 0)
			return -1;
		off += (uint64_t)bias;
	}
	p = ex_piece_at(e, sec, at);
	if (p < 0)
		p = ex_piece_at(e, sec, off);
	if (p < 0 && entry_bias >= 0)
		p = piece_ending_at(e, sec, at);
	/* an address in ppc64's .toc: that entry */
	if (p < 0 && klp_section_is_pool(e->k->ehdr.e_machine, target->name))
		p = ex_add_piece(e, sec, at, at + (e->k->ehdr.e_ident[EI_CLASS] == ELFCLASS64 ? 8 : 4));
	/* string literals; anonymous constants of a read-only section that
	 * holds nothing with a name (GCC's .LC labels in .rodata): no identity
	 * to keep, so a copy */
	if (p < 0 && ((target->sh.sh_flags & SHF_MERGE) ||
		      (!(target->sh.sh_flags & (SHF_WRITE | SHF_EXECINSTR)) &&
		       (target->sh.sh_flags & SHF_ALLOC) && !has_sized_symbols(e, sec))))
		p = ex_add_piece(e, sec, 0, target->sh.sh_size);
	if (p < 0 && (sym = ex_covering_symbol(e, sec, entry_bias >= 0 ? at : off)) >= 0) {
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

/* For a piece of a special table: the entry size, and whether a field's
 * relocation carries the field's offset in its addend. */
static uint32_t table_entsize(const struct extract *e, const struct kelf_section *in,
			      bool *from_entry)
{
	const struct klp_special *sp = klp_special_find(klp_special_table(e->k->ehdr.e_machine),
							in->name);

	*from_entry = sp && sp->from_entry;
	return !sp ? 0 : sp->entsize ? sp->entsize : e->in->bug_entsize;
}

static bool is_toc_relative(unsigned machine, uint32_t type)
{
	return machine == EM_PPC64 &&
	       (type == R_PPC64_TOC16 || type == R_PPC64_TOC16_LO || type == R_PPC64_TOC16_HI ||
		type == R_PPC64_TOC16_HA || type == R_PPC64_TOC16_DS ||
		type == R_PPC64_TOC16_LO_DS);
}

/*
 * A livepatch module reaches only its own TOC through r2: an address of
 * the running kernel must be loaded from a .toc entry (-mcmodel=large).
 */
static int check_toc_relative(const struct extract *e, const struct kelf_reloc *r, size_t ws)
{
	if (!is_toc_relative(e->k->ehdr.e_machine, r->type) || e->w->syms[ws].section)
		return 0;
	KLP_ERR(e->in->path, "unit %s: code at 0x%" PRIx64 " addresses %s relative to the TOC "
		"(r2), which in a livepatch module is the module's own TOC: load the address "
		"from the TOC instead (-mcmodel=large does for C; inline assembly must too)",
		e->in->tu_path, r->offset, e->w->syms[ws].name);
	return -1;
}

/*
 * The kernel reads a livepatch's tables (a jump label's key, a static
 * call's key) when it loads the livepatch, and resolves a module's
 * symbols only once that module is there: an entry may name the running
 * vmlinux's symbols, never a module's.
 */
static int check_table_target(const struct extract *e, const struct kelf_section *table,
			      size_t ws)
{
	static const char vmlinux_ref[] = KLP_REF_PREFIX "vmlinux:";
	const struct kelf_wsymbol *t = &e->w->syms[ws];

	if (t->section || strncmp(t->name, KLP_REF_PREFIX, strlen(KLP_REF_PREFIX)) ||
	    !strncmp(t->name, vmlinux_ref, strlen(vmlinux_ref)))
		return 0;
	KLP_ERR(e->in->path, "unit %s: an entry of %s names %s, a symbol of the module the patch "
		"changes: the kernel reads the livepatch's %s when it loads the livepatch, before "
		"it can resolve a module's symbols; use a plain condition or call in the patched "
		"code instead of a static key or static call of the module",
		e->in->tu_path, table->name, t->name + strlen(KLP_REF_PREFIX), table->name);
	return -1;
}

/* Copy the relocations of piece p, deciding each target. */
static int copy_relocs(struct extract *e, size_t p)
{
	struct piece pc = e->pieces[p];
	const struct kelf_section *in = &e->k->secs[pc.in_sec];
	const struct kelf_section *rsec = kelf_relocs_for(e->k, in);
	struct kelf_reloc *relocs = NULL;
	long n = rsec ? kelf_read_relocs(e->k, rsec, &relocs) : 0;
	bool from_entry;
	uint32_t entsize = table_entsize(e, in, &from_entry);
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
		if (!r->symndx) {
			/* no symbol: ppc64's R_PPC64_ENTRY, a hint about the
			 * large model's prologue the module loader may act on */
			ws = 0;
		} else if (s->type == STT_SECTION ||
		    (s->bind == STB_LOCAL && s->type == STT_NOTYPE && s->sym.st_shndx != SHN_UNDEF)) {
			struct kelf_reloc rr = *r;

			rr.addend += s->type == STT_SECTION ? 0 : (int64_t)s->sym.st_value;
			if (decide_section(e, in, &rr, s->sym.st_shndx,
					   !entsize ? -1 : from_entry ? (int64_t)(r->offset % entsize) : 0,
					   &ws, &wa))
				goto out;
		} else if (decide_symbol(e, r->symndx, &ws)) {
			goto out;
		}
		if (check_toc_relative(e, r, ws) || (entsize && check_table_target(e, in, ws)))
			goto out;
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
		taken = ex_take_entries(e);
		if (taken < 0)
			return -1;
		if (!taken)
			return 0;
	}
}

int klp_extract(const struct klp_extract_in *in, struct kelf_writer *w,
		struct klp_extract_out *out)
{
	struct extract e = { in, in->obj, w, out, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0, NULL };
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (!klp_special_table(e.k->ehdr.e_machine)) {
		KLP_ERR(in->path, "klp-fixup build knows the special sections of x86_64, ppc64 "
			"and s390x only, not of %s yet", kelf_machine_name(e.k->ehdr.e_machine));
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
	if (ex_open_specials(&e) || ex_read_records(&e) || ex_start_changed(&e) || settle(&e) ||
	    ex_check_unknown_tables(&e))
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
