/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * verify.c - `klp-fixup verify`: check a livepatch module offline the way
 * the kernel checks it when the livepatch is enabled, so a wrong position
 * or a missing nop is found before a machine refuses the module:
 *
 * - kernel/livepatch/core.c klp_resolve_symbols(): every relocation in a
 *   .klp.rela section is against a SHN_LIVEPATCH symbol whose name reads
 *   as .klp.sym.OBJ.NAME,POS, a module-specific section does not use
 *   vmlinux symbols, and klp_find_object_symbol() finds exactly one
 *   symbol (the POSth, or the only one for POS 0) in the target;
 * - section flags and names (module-elf-format.rst), and no ordinary
 *   relocation against a livepatch symbol (the module loader would apply
 *   it with value 0);
 * - arch/powerpc/kernel/module_64.c: a R_PPC64_REL24 `bl` to an undefined
 *   or livepatch symbol must be followed by a nop the loader can turn into
 *   the TOC restore.
 * - arch/s390/kernel/module.c apply_rela(): the relocation types it
 *   applies; and a GOT slot or PLT entry it fills once per symbol
 *   (got_initialized, plt_initialized), which 6.12 never clears for s390
 *   (no clear_relocate_add()): against a module's symbol, the slot keeps
 *   the old address once that module is unloaded and loaded again
 *   (convert makes the usual form direct: kelf-relax.c).
 *
 * - when convert left its record (.debug_klp_refs), that each symbol was
 *   resolved in a unit the target still has, with the same id, and at the
 *   same position: a module converted against another build fails here
 *   even where its positions happen to exist.
 *
 * Every problem is reported; the exit status is 1 if there was any.
 */
#include "verify.h"
#include "../notes/klp-names.h"
#include "../resolve/sympos.h"
#include "../base/warn.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TARGETS KLP_OPT_MANY	/* --target given at most this often */

#define PPC_INST_NOP		0x60000000u
#define PPC_INST_LD_TOC		0xe8410018u	/* ld r2,24(r1): restored already */

struct verifier {
	const char *path;
	struct kelf mod;
	struct klp_target targets[MAX_TARGETS];
	struct klp_resolver resolvers[MAX_TARGETS];	/* one per target */
	size_t ntargets;
	size_t problems, klp_syms, klp_relocs;
	bool verbose;
};

#define PROBLEM(v, fmt, ...) \
	do { KLP_ERR((v)->path, fmt, ##__VA_ARGS__); (v)->problems++; } while (0)

/* One .klp.sym symbol: its name and that the kernel finds exactly one. */
static void check_klp_sym(struct verifier *v, const struct kelf_symbol *s)
{
	char objname[KLP_OBJNAME_MAX + 1], name[KLP_SYMNAME_MAX + 1];
	const struct kelf_symbol **walk;
	struct klp_target *t;
	unsigned long pos;
	const char *why;
	long n;

	v->klp_syms++;
	if (s->sym.st_shndx != KLP_SHN_LIVEPATCH)
		PROBLEM(v, "symbol %s: st_shndx is 0x%x, not SHN_LIVEPATCH (0xff20); the "
			"kernel resolves only SHN_LIVEPATCH symbols: convert the module with "
			"klp-fixup convert", s->name, s->sym.st_shndx);
	if (klp_sym_parse(s->name, objname, name, &pos, &why)) {
		PROBLEM(v, "symbol %s: the kernel cannot read this name (%s); it must be "
			".klp.sym.OBJ.NAME,POS", s->name, why);
		return;
	}
	t = klp_target_find(v->targets, v->ntargets, objname);
	if (!t) {
		PROBLEM(v, "symbol %s: no target for object %s; add --target FILE for it",
			s->name, objname);
		return;
	}
	n = klp_target_walk(t, name, &walk);
	if (n < 0) {
		v->problems++;
		return;
	}
	free(walk);
	if (!n)
		PROBLEM(v, "symbol %s: %s has no symbol %s the kernel's lookup sees; the "
			"livepatch would fail to load: check the name and the target", s->name,
			t->path, name);
	else if (!pos && n > 1)
		PROBLEM(v, "symbol %s: %s has %ld symbols named %s, so position 0 (unique) "
			"fails; give the source path in KLP_LOCAL_SYM() and convert again",
			s->name, t->path, n, name);
	else if (pos > (unsigned long)n)
		PROBLEM(v, "symbol %s: %s has only %ld symbols named %s; position %lu does not "
			"exist: the module was converted against another build of the target",
			s->name, t->path, n, name, pos);
	else if (v->verbose)
		printf("%s: %s in %s, %ld of this name\n", s->name, name, t->path, n);
}

static void check_symbols(struct verifier *v)
{
	for (size_t i = 1; i < v->mod.nsyms; i++) {
		const struct kelf_symbol *s = &v->mod.syms[i];

		if (klp_is_sym_name(s->name))
			check_klp_sym(v, s);
		else if (s->sym.st_shndx == KLP_SHN_LIVEPATCH)
			PROBLEM(v, "symbol %s is SHN_LIVEPATCH but not named .klp.sym.OBJ.NAME,POS; "
				"the kernel would reject it", s->name);
		else if (klp_is_ref(s->name))
			PROBLEM(v, "symbol %s is a reference that was not converted; run "
				"klp-fixup convert on the module", s->name);
	}
}

/* bl (opcode 18 with LK) rather than b: only calls return to the nop. */
static bool is_relative_link_branch(uint32_t insn)
{
	return (insn & 0xfc000003u) == 0x48000001u;
}

static void check_ppc_call(struct verifier *v, const struct kelf_section *rsec,
			   const struct kelf_section *tsec, const struct kelf_reloc *r)
{
	const struct kelf_symbol *s = &v->mod.syms[r->symndx];
	uint32_t insn, next;

	if (s->sym.st_shndx != SHN_UNDEF && s->sym.st_shndx != KLP_SHN_LIVEPATCH)
		return;
	/* ftrace's own calls are not given a TOC restore */
	if (!strcmp(s->name, "_mcount") || !strcmp(s->name, "ftrace_caller") ||
	    !strcmp(s->name, "ftrace_regs_caller"))
		return;
	if (!tsec->data || r->offset > tsec->size || tsec->size - r->offset < 4) {
		if (tsec->sh.sh_type != SHT_NOBITS)
			PROBLEM(v, "%s+0x%llx: R_PPC64_REL24 to %s (in %s) is outside the section",
				tsec->name, (unsigned long long)r->offset, s->name, rsec->name);
		return;
	}
	/* Like restore_r2(): a `b` (sibling call) needs nothing after it. */
	insn = kelf_u32(&v->mod, tsec->data + r->offset);
	if (!is_relative_link_branch(insn))
		return;
	if (tsec->size - r->offset < 8) {
		PROBLEM(v, "%s+0x%llx: call to %s is the section's last instruction; the module "
			"loader needs a nop after it", tsec->name, (unsigned long long)r->offset,
			s->name);
		return;
	}
	next = kelf_u32(&v->mod, tsec->data + r->offset + 4);
	if (next == PPC_INST_NOP || next == PPC_INST_LD_TOC)
		return;
	PROBLEM(v, "%s+0x%llx: call to %s is followed by %08x, not a nop; the module "
		"loader stops with \"Expected nop after call\": build with the klp plugin's "
		"ppc-calls option (or call through a function pointer)", tsec->name,
		(unsigned long long)r->offset, s->name, next);
}

/* The relocation types arch/s390/kernel/module.c apply_rela() applies. */
static bool s390_applied(uint32_t type)
{
	switch (type) {
	case R_390_COPY: case R_390_GLOB_DAT: case R_390_JMP_SLOT: case R_390_RELATIVE:
		return false;
	case R_390_20: case R_390_GOT20: case R_390_GOTPLT20:
		return true;
	default:
		return type <= R_390_PLTOFF64;
	}
}

/* An s390 relocation that goes through a GOT slot or a PLT entry the
 * loader fills once per symbol.  R_390_PLT32DBL reaches every module
 * from every module (the module area is 2 GiB), so the loader writes the
 * address itself, each time. */
static bool s390_filled_once(uint32_t type)
{
	switch (type) {
	case R_390_GOT12: case R_390_GOT16: case R_390_GOT20: case R_390_GOT32:
	case R_390_GOT64: case R_390_GOTENT: case R_390_GOTPLT12: case R_390_GOTPLT16:
	case R_390_GOTPLT20: case R_390_GOTPLT32: case R_390_GOTPLT64: case R_390_GOTPLTENT:
	case R_390_PLT16DBL: case R_390_PLT32: case R_390_PLT64: case R_390_PLTOFF16:
	case R_390_PLTOFF32: case R_390_PLTOFF64:
		return true;
	default:
		return false;
	}
}

static void check_s390_reloc(struct verifier *v, const struct kelf_section *rsec, long i,
			     const struct kelf_reloc *r, const char *objname)
{
	const char *sym = v->mod.syms[r->symndx].name;

	if (!s390_applied(r->type)) {
		PROBLEM(v, "%s: relocation %ld (type %u, against %s) is not one the s390 module "
			"loader applies; it stops with \"unknown relocation\": rebuild the "
			"livepatch as a module (no -shared, no TLS)", rsec->name, i, r->type, sym);
		return;
	}
	if (strcmp(objname, "vmlinux") && s390_filled_once(r->type))
		PROBLEM(v, "%s: relocation %ld (type %u) reaches %s through a GOT slot or PLT "
			"entry the s390 loader fills only once: after module %s is unloaded and "
			"loaded again it keeps the old address; reach it without the GOT (convert "
			"turns the GOTENT `lgrl` of an even address into `larl`, no other form)",
			rsec->name, i, r->type, sym, objname);
}

/* A .klp.rela section: name, flags, links and each relocation's symbol. */
static void check_klp_rela(struct verifier *v, const struct kelf_section *rsec,
			   const struct kelf_section *tsec, const struct kelf_reloc *r, long n)
{
	char objname[KLP_OBJNAME_MAX + 1], symobj[KLP_OBJNAME_MAX + 1];
	char name[KLP_SYMNAME_MAX + 1];
	uint64_t want = KLP_SHF_RELA_LIVEPATCH | SHF_ALLOC;
	unsigned long pos;
	const char *secname, *why;

	if (klp_rela_parse(rsec->name, objname, &secname)) {
		PROBLEM(v, "section %s has SHF_RELA_LIVEPATCH but is not named "
			".klp.rela.OBJ.SECTION", rsec->name);
		return;
	}
	/* SHF_ALLOC keeps the section in module memory after loading: the
	 * kernel applies it again whenever a patched module loads later. */
	if ((rsec->sh.sh_flags & want) != want)
		PROBLEM(v, "section %s: flags 0x%llx lack SHF_RELA_LIVEPATCH|SHF_ALLOC (0x%llx); "
			"without SHF_ALLOC the loader frees it before the livepatch needs it",
			rsec->name, (unsigned long long)rsec->sh.sh_flags, (unsigned long long)want);
	if (!(rsec->sh.sh_flags & SHF_INFO_LINK))
		KLP_WARN(v->path, "section %s lacks SHF_INFO_LINK (objcopy and strip drop it); "
			 "the kernel does not need it", rsec->name);
	if (rsec->sh.sh_type != SHT_RELA)
		PROBLEM(v, "section %s is not SHT_RELA", rsec->name);
	if (strcmp(secname, tsec->name))
		PROBLEM(v, "section %s applies to section %s; its name must end in that name",
			rsec->name, tsec->name);
	if (!(tsec->sh.sh_flags & SHF_ALLOC))
		PROBLEM(v, "section %s applies to %s, which is not allocated", rsec->name,
			tsec->name);
	if (!klp_target_find(v->targets, v->ntargets, objname))
		PROBLEM(v, "section %s: no target for object %s; add --target FILE for it",
			rsec->name, objname);
	for (long i = 0; i < n; i++) {
		const struct kelf_symbol *s = &v->mod.syms[r[i].symndx];

		v->klp_relocs++;
		if (v->mod.ehdr.e_machine == EM_S390)
			check_s390_reloc(v, rsec, i, &r[i], objname);
		if (s->sym.st_shndx != KLP_SHN_LIVEPATCH) {
			PROBLEM(v, "%s: relocation %ld is against %s, which is not a livepatch "
				"symbol; the kernel stops with \"not marked as a livepatch symbol\"",
				rsec->name, i, s->name);
			continue;
		}
		if (klp_sym_parse(s->name, symobj, name, &pos, &why))
			continue;	/* reported with the symbol */
		if (strcmp(symobj, objname))
			PROBLEM(v, "%s: relocation %ld is against %s of object %s; a relocation "
				"section of %s may use only that object's symbols (the kernel %s)",
				rsec->name, i, s->name, symobj, objname, strcmp(symobj, "vmlinux") ?
				"applies vmlinux sections before module OBJ is loaded" :
				"rejects vmlinux symbols in module-specific sections");
	}
}

static void check_sections(struct verifier *v)
{
	for (size_t i = 1; i < v->mod.nsecs; i++) {
		const struct kelf_section *rsec = &v->mod.secs[i], *tsec;
		bool klp = rsec->sh.sh_flags & KLP_SHF_RELA_LIVEPATCH;
		struct kelf_reloc *r;
		long n;

		if (!klp && klp_is_rela_name(rsec->name))
			PROBLEM(v, "section %s lacks SHF_RELA_LIVEPATCH: the module loader would "
				"apply it with unresolved symbols", rsec->name);
		if (rsec->sh.sh_type != SHT_RELA)
			continue;
		tsec = kelf_section(&v->mod, rsec->sh.sh_info);
		if (!tsec) {
			PROBLEM(v, "section %s applies to section %u, which does not exist",
				rsec->name, (unsigned)rsec->sh.sh_info);
			continue;
		}
		n = kelf_read_relocs_in_order(&v->mod, rsec, &r);
		if (n < 0) {
			v->problems++;
			continue;
		}
		if (klp)
			check_klp_rela(v, rsec, tsec, r, n);
		for (long j = 0; j < n; j++) {
			const struct kelf_symbol *s = &v->mod.syms[r[j].symndx];

			if (!klp && s->sym.st_shndx == KLP_SHN_LIVEPATCH &&
			    (tsec->sh.sh_flags & SHF_ALLOC))
				PROBLEM(v, "%s: relocation %ld against livepatch symbol %s is in an "
					"ordinary section; it belongs in .klp.rela.OBJ.%s", rsec->name,
					j, s->name, tsec->name);
			if (v->mod.ehdr.e_machine == EM_PPC64 && r[j].type == R_PPC64_REL24 &&
			    (tsec->sh.sh_flags & SHF_ALLOC))
				check_ppc_call(v, rsec, tsec, &r[j]);
		}
		free(r);
	}
}

static bool has_symbol(const struct kelf *k, const char *name)
{
	for (size_t i = 1; i < k->nsyms; i++)
		if (!strcmp(k->syms[i].name, name))
			return true;
	return false;
}

/* One record of convert: KLP_REFS_FIELDS strings. */
static void check_record(struct verifier *v, const char *const f[KLP_REFS_FIELDS])
{
	char objname[KLP_OBJNAME_MAX + 1], name[KLP_SYMNAME_MAX + 1], id[24];
	const struct klp_unit *u = NULL;
	struct klp_resolution r;
	struct klp_target *t;
	unsigned long pos;
	const char *why;

	if (klp_sym_parse(f[0], objname, name, &pos, &why) || strcmp(objname, f[1])) {
		PROBLEM(v, "%s: record for %s does not name a .klp.sym of object %s; the "
			"section is corrupt: convert again", KLP_REFS_SECTION, f[0], f[1]);
		return;
	}
	if (!has_symbol(&v->mod, f[0]))
		PROBLEM(v, "%s: symbol %s that convert wrote is missing; the module was changed "
			"after conversion", KLP_REFS_SECTION, f[0]);
	t = klp_target_find(v->targets, v->ntargets, objname);
	if (!t || !*f[2])
		return;		/* no target is reported with the symbol; no path: no unit */
	if (!t->has_notes) {
		if (v->verbose)
			printf("%s: %s has no notes; unit %s not checked\n", f[0], t->path, f[2]);
		return;
	}
	for (size_t i = 0; i < t->notes.nunits && !u; i++) {
		snprintf(id, sizeof(id), "0x%016" PRIx64, t->notes.units[i].id);
		if (!strcmp(t->notes.units[i].path, f[2]) && !strcmp(id, f[3]))
			u = &t->notes.units[i];
	}
	if (!u) {
		PROBLEM(v, "symbol %s: converted against unit %s with id %s, which %s does not "
			"have (changed or another build); convert the module again against this "
			"target", f[0], f[2], f[3], t->path);
		return;
	}
	if (klp_resolve(&v->resolvers[t - v->targets], f[2], name, &r)) {
		v->problems++;
		return;
	}
	if (r.pos != pos)
		PROBLEM(v, "symbol %s: unit %s of %s defines %s at position %lu, not %lu; convert "
			"the module again against this target", f[0], f[2], t->path, name, r.pos,
			pos);
}

/* fn on each record of convert; with report, a truncated one is a problem. */
static void for_each_record(struct verifier *v, bool report,
			    void (*fn)(struct verifier *v, const char *const f[KLP_REFS_FIELDS]))
{
	const struct kelf_section *sec = kelf_find_section(&v->mod, KLP_REFS_SECTION);
	const char *f[KLP_REFS_FIELDS];
	size_t off = 0;

	if (!sec || !sec->data)
		return;
	while (off < sec->size) {
		for (int i = 0; i < KLP_REFS_FIELDS; i++) {
			const char *p = (const char *)sec->data + off;
			const char *nul = off < sec->size ? memchr(p, '\0', sec->size - off) : NULL;

			if (!nul) {
				if (report)
					PROBLEM(v, "%s+0x%zx: truncated record; the section is "
						"corrupt: convert again", KLP_REFS_SECTION, off);
				return;
			}
			f[i] = p;
			off += (size_t)(nul - p) + 1;
		}
		fn(v, f);
	}
}

/*
 * The names the checks will look up, asked for first so that each target
 * reads its symbol table once.  Best effort: what a malformed name or
 * record leaves out is loaded, or reported, when it is checked.
 */
static void want_record(struct verifier *v, const char *const f[KLP_REFS_FIELDS])
{
	char objname[KLP_OBJNAME_MAX + 1], name[KLP_SYMNAME_MAX + 1];
	struct klp_target *t;
	unsigned long pos;
	const char *why;

	if (klp_sym_parse(f[0], objname, name, &pos, &why) || !*f[2] ||
	    !(t = klp_target_find(v->targets, v->ntargets, objname)) || !t->has_notes)
		return;
	(void)klp_resolve_want(&v->resolvers[t - v->targets], f[2], name);
}

static void want_names(struct verifier *v)
{
	char objname[KLP_OBJNAME_MAX + 1], name[KLP_SYMNAME_MAX + 1];
	unsigned long pos;
	const char *why;

	for (size_t i = 1; i < v->mod.nsyms; i++) {
		struct klp_target *t;

		if (klp_is_sym_name(v->mod.syms[i].name) &&
		    !klp_sym_parse(v->mod.syms[i].name, objname, name, &pos, &why) &&
		    (t = klp_target_find(v->targets, v->ntargets, objname)))
			(void)klp_target_need(t, name);
	}
	for_each_record(v, false, want_record);
	for (size_t i = 0; i < v->ntargets; i++)
		(void)klp_target_load(&v->targets[i]);
}

static int verify_run(const struct klp_args *a)
{
	struct verifier v = { 0 };
	const char *const *specs;
	size_t nspecs = klp_values(a, "--target", &specs);
	int ret = 1;

	v.path = a->operands[0];
	v.verbose = klp_flag(a, "--verbose");
	/* Positions need only the symbol table: notes are optional. */
	if (klp_targets_open(v.targets, &v.ntargets, specs, nspecs, false) ||
	    klp_resolvers_init(v.resolvers, v.targets, v.ntargets))
		goto out;
	if (kelf_open(&v.mod, v.path))
		goto out;
	if (!kelf_is_relocatable(&v.mod)) {
		KLP_ERR(v.path, "not a relocatable file: verify checks a livepatch module (.ko)");
		goto out;
	}
	for (size_t i = 0; i < v.ntargets; i++)
		if (kelf_check_same_machine(&v.mod, &v.targets[i].elf))
			goto out;
	want_names(&v);
	check_symbols(&v);
	check_sections(&v);
	for_each_record(&v, true, check_record);
	printf("%s: %zu livepatch symbols, %zu livepatch relocations, %zu problems\n", v.path,
	       v.klp_syms, v.klp_relocs, v.problems);
	ret = v.problems ? 1 : 0;
out:
	if (v.mod.path)
		kelf_close(&v.mod);
	klp_resolvers_free(v.resolvers, v.ntargets);
	for (size_t i = 0; i < v.ntargets; i++)
		klp_target_close(&v.targets[i]);
	return ret;
}

static const struct klp_option verify_options[] = {
	KLP_OPTION_TARGETS,
	KLP_OPTION_VERBOSE("print each .klp.sym symbol with its target and how many share its name, and each record not checked"),
	KLP_OPTION_END
};

const struct klp_command klp_cmd_verify = {
	"verify", "MODULE", 1, 1,
	"check a livepatch module as the kernel will: every .klp.sym resolves to exactly one "
	"symbol, section names and flags, on ppc64 a nop after every call to an undefined or "
	"livepatch symbol, and (with convert's .debug_klp_refs record) that the target units "
	"still have the ids and positions convert used; reports all problems",
	verify_options, verify_run,
};
