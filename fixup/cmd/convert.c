/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * convert.c - `klp-fixup convert`: turn the references a livepatch module
 * makes with include/klp.h into what the kernel's livepatch core resolves
 * at load time.  Each reference symbol __klp_ref:OBJ:PATH:SYMBOL becomes
 * .klp.sym.OBJ.SYMBOL,POS (st_shndx SHN_LIVEPATCH), with POS from
 * sympos.c; each relocation against one is moved, on its own, from
 * .rela.SEC to .klp.rela.OBJ.SEC.  Relocations are moved one by one, not
 * per symbol, so every relocation that shares a symbol moves (klp-convert
 * lost all but the first).
 *
 * All references are resolved before anything changes; any error is
 * reported (all of them), and then nothing is written.
 */
#include "convert.h"
#include "../notes/klp-names.h"
#include "../resolve/sympos.h"
#include "../base/warn.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TARGETS KLP_OPT_MANY	/* --target given at most this often */

struct conversion {
	size_t symndx;
	struct klp_ref ref;
	size_t target;			/* index into targets */
	char *klp_name;			/* .klp.sym.OBJ.SYMBOL,POS */
	const struct klp_unit *unit;	/* resolved in; NULL without a path */
	size_t nrelocs;
	bool even;			/* at an even address (s390's larl reaches it) */
};

struct converter {
	const char *in, *out;
	struct kelf mod;
	struct klp_target targets[MAX_TARGETS];
	struct klp_resolver resolvers[MAX_TARGETS];	/* one per target */
	size_t ntargets;
	struct conversion **by_sym;	/* per symtab index, or NULL */
	struct conversion *convs;
	size_t nconvs;
	size_t moved, klp_sections, relaxed;
	bool verbose;
};

/* Resolve one reference; returns 0 or -1 after printing why. */
static int resolve_ref(struct converter *c, const struct kelf_symbol *s,
		       struct conversion *conv)
{
	struct klp_resolution r;
	struct klp_target *t;
	const char *why;
	size_t len;

	conv->symndx = s->index;
	if (s->sym.st_shndx != SHN_UNDEF) {
		KLP_ERR(c->in, "symbol %s is defined in the module; a reference made with "
			"KLP_LOCAL_SYM() must be an undefined extern declaration", s->name);
		return -1;
	}
	if (klp_ref_parse(s->name, &conv->ref, &why)) {
		KLP_ERR(c->in, "reference %s: %s; declare it with KLP_LOCAL_SYM(OBJ, PATH, "
			"SYMBOL) from include/klp.h", s->name, why);
		return -1;
	}
	t = klp_target_find(c->targets, c->ntargets, conv->ref.objname);
	if (!t) {
		KLP_ERR(c->in, "reference %s: no target for object %s; add --target FILE for "
			"it (--target %s=FILE if the file name differs)", s->name,
			conv->ref.objname, conv->ref.objname);
		return -1;
	}
	conv->target = (size_t)(t - c->targets);
	if (klp_resolve(&c->resolvers[conv->target], conv->ref.path, conv->ref.symbol, &r)) {
		KLP_ERR(c->in, "reference %s (unit %s, symbol %s in %s) cannot be converted; "
			"see the message above", s->name, *conv->ref.path ? conv->ref.path :
			"(none)", conv->ref.symbol, t->path);
		return -1;
	}
	len = strlen(KLP_SYM_PREFIX) + strlen(t->objname) + strlen(conv->ref.symbol) + 32;
	conv->klp_name = malloc(len);
	if (!conv->klp_name) {
		KLP_ERR(c->in, "out of memory");
		return -1;
	}
	snprintf(conv->klp_name, len, KLP_SYM_PREFIX "%s.%s,%lu", t->objname,
		 conv->ref.symbol, r.pos);
	conv->unit = r.unit;
	if (r.sym) {
		const struct kelf_section *sec = kelf_section(&t->elf, r.sym->sym.st_shndx);

		conv->even = !(r.sym->sym.st_value & 1) &&
			     (!kelf_is_relocatable(&t->elf) || (sec && sec->sh.sh_addralign >= 2));
	}
	return 0;
}

/*
 * s390x: a module's symbol reached through a GOT slot would keep its old
 * address once that module is loaded again (kelf-relax.c): the load from
 * the slot becomes a larl of the symbol, where its address is even.
 */
static void relax(struct converter *c, size_t t, size_t target, struct kelf_reloc *r)
{
	struct conversion *conv = c->by_sym[r->symndx];

	if (c->mod.ehdr.e_machine == EM_S390 && strcmp(c->targets[t].objname, "vmlinux") &&
	    conv->even && kelf_s390_relax_gotent(&c->mod, target, r))
		c->relaxed++;
}

/*
 * Tell each target every name the references will look up, so that it
 * reads its symbol table once for all of them.  Malformed references are
 * skipped here: resolve_all() reports them in order.
 */
static int want_all(struct converter *c)
{
	int ret = 0;

	for (size_t i = 1; i < c->mod.nsyms && !ret; i++) {
		const struct kelf_symbol *s = &c->mod.syms[i];
		struct klp_target *t;
		struct klp_ref ref;
		const char *why;

		if (!klp_is_ref(s->name) || s->sym.st_shndx != SHN_UNDEF ||
		    klp_ref_parse(s->name, &ref, &why))
			continue;
		t = klp_target_find(c->targets, c->ntargets, ref.objname);
		if (t && klp_resolve_want(&c->resolvers[t - c->targets], ref.path, ref.symbol))
			ret = -1;
		klp_ref_free(&ref);
	}
	for (size_t i = 0; i < c->ntargets && !ret; i++)
		ret = klp_target_load(&c->targets[i]);
	return ret;
}

static int resolve_all(struct converter *c)
{
	int errors = 0;

	c->by_sym = calloc(c->mod.nsyms ? c->mod.nsyms : 1, sizeof(*c->by_sym));
	c->convs = calloc(c->mod.nsyms ? c->mod.nsyms : 1, sizeof(*c->convs));
	if (!c->by_sym || !c->convs) {
		KLP_ERR(c->in, "out of memory for %zu symbols", c->mod.nsyms);
		return -1;
	}
	for (size_t i = 1; i < c->mod.nsyms; i++) {
		const struct kelf_symbol *s = &c->mod.syms[i];
		struct conversion *conv;

		/*
		 * The kernel takes every .klp.sym name for a livepatch symbol:
		 * one that is not (SHN_LIVEPATCH) would make the module fail
		 * to load, or verify, after a conversion that looked fine.
		 */
		if (klp_is_sym_name(s->name) &&
		    s->sym.st_shndx != KLP_SHN_LIVEPATCH) {
			KLP_ERR(c->in, "symbol %s uses the prefix " KLP_SYM_PREFIX " the kernel "
				"reserves for livepatch symbols, but is not one (st_shndx 0x%x); "
				"rename it in the module's source", s->name,
				(unsigned)s->sym.st_shndx);
			errors++;
			continue;
		}
		if (!klp_is_ref(s->name))
			continue;
		conv = &c->convs[c->nconvs++];
		if (resolve_ref(c, s, conv))
			errors++;
		else
			c->by_sym[i] = conv;
	}
	return errors ? -1 : 0;
}

/*
 * The .klp.rela.OBJ.SECTION of target t: the relocations of relocs (n, in
 * section order) against t's references, copied through the scratch array
 * moved, which has room for n.  target and tname are the section they
 * apply to.
 */
static int add_klp_rela(struct converter *c, size_t t, size_t target, const char *tname,
			const struct kelf_reloc *relocs, size_t n, struct kelf_reloc *moved)
{
	size_t nmoved = 0, len = strlen(KLP_RELA_PREFIX) + strlen(c->targets[t].objname) +
		strlen(tname) + 2;
	char *name = malloc(len);
	int ret = -1;

	if (!name) {
		KLP_ERR(c->in, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		struct conversion *conv = c->by_sym[relocs[i].symndx];

		if (conv && conv->target == t) {
			moved[nmoved] = relocs[i];
			relax(c, t, target, &moved[nmoved++]);
			conv->nrelocs++;
		}
	}
	snprintf(name, len, KLP_RELA_PREFIX "%s.%s", c->targets[t].objname, tname);
	if (kelf_find_section(&c->mod, name))
		KLP_ERR(c->in, "section %s exists already: the module was converted before; "
			"convert the module as linked, not a converted one", name);
	else if (kelf_add_rela_section(&c->mod, name, target, KLP_SHF_RELA_LIVEPATCH |
					SHF_ALLOC | SHF_INFO_LINK, moved, nmoved))
		ret = 0;
	free(name);
	if (!ret) {
		c->moved += nmoved;
		c->klp_sections++;
	}
	return ret;
}

/* Split the relocations of one RELA section between it and the
 * .klp.rela sections of the objects they refer to. */
static int convert_section(struct converter *c, size_t rsec_index)
{
	const struct kelf_section *rsec = &c->mod.secs[rsec_index];
	size_t target = rsec->sh.sh_info, nkept = 0;
	size_t counts[MAX_TARGETS] = { 0 };
	const struct kelf_section *tsec = kelf_section(&c->mod, target);
	struct kelf_reloc *relocs, *kept = NULL, *moved = NULL;
	char *tname = NULL;
	long n;
	int ret = -1;

	n = kelf_read_relocs_in_order(&c->mod, rsec, &relocs);
	if (n < 0)
		return -1;
	for (long i = 0; i < n; i++)
		if (c->by_sym[relocs[i].symndx])
			counts[c->by_sym[relocs[i].symndx]->target]++;
	if ((size_t)n == 0 || !tsec) {
		free(relocs);
		return 0;
	}
	nkept = (size_t)n;
	for (size_t t = 0; t < c->ntargets; t++)
		nkept -= counts[t];
	if (nkept == (size_t)n) {
		free(relocs);
		return 0;
	}
	if (!(tsec->sh.sh_flags & SHF_ALLOC)) {
		/* The loader applies no relocation to a non-allocated section. */
		KLP_WARN(c->in, "%s: %zu relocations against klp references left in place: "
			 "the section is not allocated, the kernel never applies them",
			 rsec->name, (size_t)n - nkept);
		free(relocs);
		return 0;
	}
	tname = strdup(tsec->name);
	kept = calloc((size_t)n, sizeof(*kept));
	moved = calloc((size_t)n, sizeof(*moved));
	if (!tname || !kept || !moved) {
		KLP_ERR(c->in, "out of memory");
		goto out;
	}
	nkept = 0;
	for (long i = 0; i < n; i++)
		if (!c->by_sym[relocs[i].symndx])
			kept[nkept++] = relocs[i];
	if (kelf_set_relocs(&c->mod, rsec_index, kept, nkept))
		goto out;
	for (size_t t = 0; t < c->ntargets; t++)
		if (counts[t] && add_klp_rela(c, t, target, tname, relocs, (size_t)n, moved))
			goto out;
	ret = 0;
out:
	free(tname);
	free(kept);
	free(moved);
	free(relocs);
	return ret;
}

/*
 * Every relocation of the module, also those convert leaves alone (an
 * existing .klp.rela section, .rela.eh_frame), must name a symbol of it:
 * the kernel indexes its symbol table with them.  The copy must load.
 */
static int check_relocations(struct converter *c)
{
	for (size_t i = 1; i < c->mod.nsecs; i++) {
		const struct kelf_section *s = &c->mod.secs[i];
		struct kelf_reloc *r;
		long n;

		/* The kernel takes a .klp.rela name for a livepatch section
		 * only with the flag; without it the loader applies it. */
		if (!(s->sh.sh_flags & KLP_SHF_RELA_LIVEPATCH) && klp_is_rela_name(s->name)) {
			KLP_ERR(c->in, "section %s is named like a livepatch relocation section "
				"but lacks SHF_RELA_LIVEPATCH: the module is damaged; rebuild it",
				s->name);
			return -1;
		}
		if (s->sh.sh_type != SHT_REL && s->sh.sh_type != SHT_RELA)
			continue;
		/* convert leaves livepatch relocation sections alone: the
		 * flag must mean what the kernel will take it to mean. */
		if (s->sh.sh_flags & KLP_SHF_RELA_LIVEPATCH) {
			char objname[KLP_OBJNAME_MAX + 1];
			const char *secname;

			if (s->sh.sh_type != SHT_RELA ||
			    klp_rela_parse(s->name, objname, &secname)) {
				KLP_ERR(c->in, "section %s has SHF_RELA_LIVEPATCH but is not a "
					"RELA section named .klp.rela.OBJ.SECTION: the module is "
					"damaged; rebuild it", s->name);
				return -1;
			}
		}
		n = kelf_read_relocs_in_order(&c->mod, s, &r);
		if (n < 0)
			return -1;
		for (long j = 0; j < n; j++) {
			if (r[j].symndx >= c->mod.nsyms) {
				KLP_ERR(c->in, "%s: relocation %ld names symbol %zu of %zu: the "
					"module is damaged; rebuild it", s->name, j,
					(size_t)r[j].symndx, c->mod.nsyms);
				free(r);
				return -1;
			}
		}
		free(r);
	}
	return 0;
}

static int convert_relocations(struct converter *c)
{
	size_t nsecs = c->mod.nsecs;	/* sections added on the way are done */

	for (size_t i = 1; i < nsecs; i++) {
		const struct kelf_section *s = &c->mod.secs[i];
		bool refs = false;

		if (s->sh.sh_type == SHT_REL) {
			struct kelf_reloc *r;
			long n = kelf_read_relocs_in_order(&c->mod, s, &r);

			/* check_relocations() has bounded every symndx */
			for (long j = 0; j < n; j++)
				refs |= c->by_sym[r[j].symndx] != NULL;
			free(r);
			if (refs) {
				KLP_ERR(c->in, "%s: REL relocations against klp references; the "
					"kernel's livepatch relocation sections are RELA", s->name);
				return -1;
			}
			continue;
		}
		if (s->sh.sh_type != SHT_RELA || (s->sh.sh_flags & KLP_SHF_RELA_LIVEPATCH))
			continue;
		if (convert_section(c, i))
			return -1;
	}
	return 0;
}

/*
 * A module that has convert's record is converted already, or damaged.
 * Refused whether or not anything is left to convert: with nothing to
 * convert the record would be written through as it is, and verify reads
 * it (a damaged one made convert succeed and verify refuse its output).
 */
static int check_not_converted(struct converter *c)
{
	if (kelf_find_section(&c->mod, KLP_REFS_SECTION)) {
		KLP_ERR(c->in, "section %s exists already: convert the module as linked, not "
			"a converted one", KLP_REFS_SECTION);
		return -1;
	}
	return 0;
}

/*
 * Record, per .klp.sym, the unit and its id it was resolved in, so that
 * verify can tell a module converted against another build of the target
 * even where the positions still exist.  Not allocated: the kernel never
 * loads it.
 */
static int write_records(struct converter *c)
{
	size_t len = 0, off = 0;
	char *buf;
	size_t index;

	if (!c->nconvs)
		return 0;
	for (size_t i = 0; i < c->nconvs; i++)
		len += strlen(c->convs[i].klp_name) + strlen(c->convs[i].ref.objname) +
		       (c->convs[i].unit ? strlen(c->convs[i].unit->path) : 0) + 24;
	buf = malloc(len);
	if (!buf) {
		KLP_ERR(c->in, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < c->nconvs; i++) {
		const struct conversion *conv = &c->convs[i];
		char id[24] = "";

		if (conv->unit)
			snprintf(id, sizeof(id), "0x%016" PRIx64, conv->unit->id);
		off += (size_t)sprintf(buf + off, "%s", conv->klp_name) + 1;
		off += (size_t)sprintf(buf + off, "%s", conv->ref.objname) + 1;
		off += (size_t)sprintf(buf + off, "%s", conv->unit ? conv->unit->path : "") + 1;
		off += (size_t)sprintf(buf + off, "%s", id) + 1;
	}
	index = kelf_add_bytes_section(&c->mod, KLP_REFS_SECTION, buf, off);
	free(buf);
	return index ? 0 : -1;
}

static int rename_symbols(struct converter *c)
{
	for (size_t i = 0; i < c->nconvs; i++) {
		struct conversion *conv = &c->convs[i];

		if (c->verbose)
			printf("%s -> %s (%zu relocations)\n", c->mod.syms[conv->symndx].name,
			       conv->klp_name, conv->nrelocs);
		if (kelf_set_symbol(&c->mod, conv->symndx, conv->klp_name, KLP_SHN_LIVEPATCH))
			return -1;
	}
	return 0;
}

/*
 * The .klp.sym symbols to indices 1..n, as locals: strip --strip-debug
 * then leaves their indices, and so the .klp.rela sections, as they are
 * (kelf-symorder.c).  The kernel resolves them by SHN_LIVEPATCH, not by
 * binding.  Last before the commit: it renumbers every symbol.
 */
static int klp_symbols_first(struct converter *c)
{
	bool *first;
	int ret;

	if (!c->nconvs)
		return 0;
	first = calloc(c->mod.nsyms, sizeof(*first));
	if (!first) {
		KLP_ERR(c->in, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < c->nconvs; i++)
		first[c->convs[i].symndx] = true;
	ret = kelf_symbols_first(&c->mod, first);
	free(first);
	return ret;
}

static int convert_run(const struct klp_args *a)
{
	struct converter c = { 0 };
	const char *const *specs;
	size_t nspecs = klp_values(a, "--target", &specs);
	int ret = 1;

	c.in = a->operands[0];
	c.out = klp_value(a, "-o");
	c.verbose = klp_flag(a, "--verbose");
	if (klp_targets_open(c.targets, &c.ntargets, specs, nspecs, true) ||
	    klp_resolvers_init(c.resolvers, c.targets, c.ntargets))
		goto out;
	if (kelf_open_copy(&c.mod, c.in, c.out))
		goto out;
	if (!kelf_is_relocatable(&c.mod)) {
		KLP_ERR(c.in, "not a relocatable file: convert a livepatch module (.ko) or the "
			"object it is linked from");
		goto out;
	}
	for (size_t i = 0; i < c.ntargets; i++)
		if (kelf_check_same_machine(&c.mod, &c.targets[i].elf))
			goto out;
	if (check_not_converted(&c) || want_all(&c) || resolve_all(&c) ||
	    check_relocations(&c) || convert_relocations(&c) || rename_symbols(&c) ||
	    write_records(&c) || klp_symbols_first(&c) || kelf_commit(&c.mod))
		goto out;
	printf("%s: %zu references, %zu relocations moved to %zu .klp.rela sections\n",
	       c.out, c.nconvs, c.moved, c.klp_sections);
	if (c.relaxed)
		printf("%s: %zu loads of module symbols from GOT slots made direct (lgrl to larl)\n",
		       c.out, c.relaxed);
	ret = 0;
out:
	if (c.mod.path)
		kelf_close(&c.mod);	/* removes the copy unless committed */
	for (size_t i = 0; i < c.nconvs; i++) {
		klp_ref_free(&c.convs[i].ref);
		free(c.convs[i].klp_name);
	}
	free(c.convs);
	free(c.by_sym);
	klp_resolvers_free(c.resolvers, c.ntargets);
	for (size_t i = 0; i < c.ntargets; i++)
		klp_target_close(&c.targets[i]);
	return ret;
}

static const struct klp_option convert_options[] = {
	KLP_OPTION_TARGETS,
	{ "--output", "-o", "OUT", 1, true, KLP_COMPLETE_FILE,
	  "the converted module, written atomically and only when every reference resolves" },
	KLP_OPTION_VERBOSE("print each reference and what it resolved to"),
	KLP_OPTION_END
};

const struct klp_command klp_cmd_convert = {
	"convert", "MODULE", 1, 1,
	"turn the KLP_LOCAL_SYM() references (include/klp.h) of livepatch module MODULE "
	"into .klp.sym symbols and .klp.rela sections; OUT gets a .debug_klp_refs record "
	"of what each resolved to",
	convert_options, convert_run,
};
