/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * affected.c - `klp-fixup affected`: which functions carry the code of
 * the functions a source change touches.
 *
 * A function's code lives on in every function it was inlined into, in
 * every IPA clone made of it (.constprop, .isra, .part) and in the .cold
 * parts split off all of these.  The notes record, per emitted function,
 * its clone or cold origin and the functions inlined into it (the
 * compiler's scope tree, so already transitive), all within one
 * translation unit: inlining never crosses units without LTO.  The answer
 * is the closure of the changed names under "is a clone/cold part/alias
 * of" and "has inlined", computed per unit; it is what diffing two builds
 * would show for the same change, without the second build.
 *
 * What the notes do not record, and this file therefore does not
 * follow: call edges.  (Inlined bodies the compiler folded away afterwards
 * are recorded: the plugins list inline decisions, not only the scopes
 * left in the final code.)  IPA passes that make a caller depend on a callee
 * it did not inline (-fipa-ra register use, ipa-pure-const, propagated
 * return values) change callers a diff would show; docs/affected.md
 * explains.  Callers of a function that cannot be patched are found
 * from the relocations of a relocatable target only.
 */
#include "affected.h"
#include "../base/json.h"
#include "../resolve/sympos.h"
#include "../base/warn.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- a set of names ------------------------------------------------- */

/* Open addressing over borrowed strings (notes and argv outlive it). */
struct name_set {
	const char **slot;
	size_t mask, n;
};

static uint64_t name_hash(const char *s)
{
	return klp_fnv64(KLP_FNV64_OFFSET, s, strlen(s));
}

static bool set_has(const struct name_set *set, const char *name)
{
	if (!set->slot)
		return false;
	for (size_t i = name_hash(name) & set->mask; set->slot[i]; i = (i + 1) & set->mask)
		if (!strcmp(set->slot[i], name))
			return true;
	return false;
}

static int set_add(struct name_set *set, const char *name)
{
	size_t i;

	if (set_has(set, name))
		return 0;
	if (!set->slot || 2 * (set->n + 1) > set->mask + 1) {
		size_t cap = set->slot ? 2 * (set->mask + 1) : 64;
		const char **slot = calloc(cap, sizeof(*slot));

		if (!slot)
			return -1;
		for (size_t j = 0; set->slot && j <= set->mask; j++) {
			if (!set->slot[j])
				continue;
			for (i = name_hash(set->slot[j]) & (cap - 1); slot[i]; i = (i + 1) & (cap - 1))
				;
			slot[i] = set->slot[j];
		}
		free(set->slot);
		set->slot = slot;
		set->mask = cap - 1;
	}
	for (i = name_hash(name) & set->mask; set->slot[i]; i = (i + 1) & set->mask)
		;
	set->slot[i] = name;
	set->n++;
	return 0;
}

/* ---- what was found --------------------------------------------------- */

/* A function that has to be patched instead of one that cannot be. */
struct caller {
	const char *name;
	const struct klp_sym *note;	/* NULL: the caller has no notes */
	struct klp_resolution res;
	bool resolved;
};

struct entry {
	const struct klp_sym *sym;
	bool changed;			/* named on the command line */
	const char *not_patchable;	/* why not, or NULL */
	struct klp_resolution res;
	bool resolved;
	/* not patchable, not cold: callers of its out-of-line copy, found
	 * from relocations; callers_known false in a linked target */
	struct caller *callers;
	size_t ncallers;
	bool callers_known;
};

struct unit_answer {
	const struct klp_unit *unit;
	struct entry *e;
	size_t n;
};

struct affected {
	struct klp_target t;
	struct klp_resolver rs;		/* of t */
	char **names;			/* the changed functions */
	size_t nnames;
	struct unit_answer *units;
	size_t nunits;
};

/* Is name emitted, a clone/cold origin, or inlined somewhere in u? */
static bool unit_mentions(const struct klp_unit *u, const char *name)
{
	for (size_t i = 0; i < u->nsyms; i++) {
		const struct klp_sym *s = &u->syms[i];

		if (s->kind != KLP_KIND_FUNC)
			continue;
		if (!strcmp(s->name, name) || (s->origin && !strcmp(s->origin, name)))
			return true;
		for (unsigned j = 0; j < s->ninlined; j++)
			if (!strcmp(s->inlined[j], name))
				return true;
	}
	return false;
}

/* Does s carry code of a name in the set? */
static bool reached(const struct name_set *set, const struct klp_sym *s)
{
	if (set_has(set, s->name) || (s->origin && set_has(set, s->origin)))
		return true;
	for (unsigned j = 0; j < s->ninlined; j++)
		if (set_has(set, s->inlined[j]))
			return true;
	return false;
}

/* ---- callers, for functions that cannot be patched themselves ------- */

static const struct klp_sym *note_at(struct klp_target *t, const struct kelf_symbol *ks)
{
	for (size_t i = 0; i < t->notes.nunits; i++) {
		const struct klp_unit *u = klp_target_unit(t, i);

		for (size_t j = 0; u && j < u->nsyms; j++) {
			const struct klp_sym *s = &u->syms[j];

			if (s->kind == KLP_KIND_FUNC && s->has_addr && s->shndx == ks->sym.st_shndx &&
			    s->addr == ks->sym.st_value && !strcmp(s->name, ks->name))
				return s;
		}
	}
	return NULL;
}

/* The function symbol of section shndx that covers off, or NULL. */
static const struct kelf_symbol *function_at(const struct klp_target *t, size_t shndx,
					     uint64_t off)
{
	for (size_t i = 0; i < t->elf.nsyms; i++) {
		const struct kelf_symbol *s = &t->elf.syms[i];

		if (s->type == STT_FUNC && s->sym.st_shndx == shndx && s->sym.st_value <= off &&
		    off < s->sym.st_value + (s->sym.st_size ? s->sym.st_size : 1))
			return s;
	}
	return NULL;
}

/* Does relocation r name ks (directly, or as section + offset)? */
static bool reloc_names(const struct klp_target *t, const struct kelf_reloc *r,
			const struct kelf_symbol *ks)
{
	const struct kelf_symbol *rs;

	if (r->symndx == ks->index)
		return true;
	if (r->symndx >= t->elf.nsyms)
		return false;
	rs = &t->elf.syms[r->symndx];
	/* x86 calls carry addend -4 from the end of the instruction */
	return rs->type == STT_SECTION && rs->sym.st_shndx == ks->sym.st_shndx &&
	       (r->addend == (int64_t)ks->sym.st_value ||
		r->addend + 4 == (int64_t)ks->sym.st_value);
}

static int add_caller(struct entry *e, const char *name, const struct klp_sym *note)
{
	struct caller *c;

	for (size_t i = 0; i < e->ncallers; i++)
		if (!strcmp(e->callers[i].name, name))
			return 0;
	c = realloc(e->callers, (e->ncallers + 1) * sizeof(*c));
	if (!c)
		return -1;
	e->callers = c;
	memset(&c[e->ncallers], 0, sizeof(*c));
	c[e->ncallers].note = note;
	c[e->ncallers++].name = name;
	return 0;
}

/*
 * Functions whose code refers to ks, climbing past callers that cannot
 * be patched either (notrace, no site, .cold parts: those go to their
 * function).  depth stops runaway recursion through notrace cycles.
 */
static int collect_callers(struct affected *a, struct entry *e, const struct kelf_symbol *ks,
			   int depth)
{
	struct klp_target *t = &a->t;

	if (depth > 8)
		return 0;
	for (size_t i = 0; i < t->elf.nsecs; i++) {
		struct kelf_section *sec = &t->elf.secs[i], *rsec;
		struct kelf_reloc *r;
		long n;

		if (!(sec->sh.sh_flags & SHF_EXECINSTR) || !(rsec = kelf_relocs_for(&t->elf, sec)))
			continue;
		n = kelf_read_relocs(&t->elf, rsec, &r);
		if (n < 0)
			return -1;
		for (long k = 0; k < n; k++) {
			const struct kelf_symbol *fs;
			const struct klp_sym *note;

			if (!reloc_names(t, &r[k], ks))
				continue;
			fs = function_at(t, sec->index, r[k].offset);
			if (!fs || fs->index == ks->index)
				continue;
			note = note_at(t, fs);
			if (note && (note->flags & KLP_SYM_COLD) && note->origin) {
				/* a module's names are all loaded */
				for (fs = klp_target_first(t, note->origin); fs;
				     fs = klp_target_next(t, fs))
					if (fs->sym.st_shndx != SHN_UNDEF && fs->type == STT_FUNC)
						break;
				if (!fs) {
					free(r);
					return -1;
				}
				note = note_at(t, fs);
			}
			if (note && (!(note->flags & KLP_SYM_SITE) ||
				     (note->flags & KLP_SYM_NOTRACE))) {
				if (collect_callers(a, e, fs, depth + 1)) {
					free(r);
					return -1;
				}
				continue;
			}
			if (add_caller(e, fs->name, note)) {
				free(r);
				return -1;
			}
		}
		free(r);
	}
	return 0;
}

/* ---- the closure, per unit ------------------------------------------ */

/*
 * Marks in[] every function of u the changed names reach.  Each round adds
 * what the last one reached; the scope tree already lists nested inlining,
 * the rounds add clones of functions that had the change inlined, and
 * their cold parts.
 */
static int close_over(const struct affected *a, const struct klp_unit *u, unsigned char *in)
{
	struct name_set set = { 0 };
	bool grew;
	int ret = -1;

	for (size_t i = 0; i < a->nnames; i++)
		if (set_add(&set, a->names[i]))
			goto out;
	do {
		grew = false;
		for (size_t i = 0; i < u->nsyms; i++) {
			const struct klp_sym *s = &u->syms[i];

			if (in[i] || s->kind != KLP_KIND_FUNC || !reached(&set, s))
				continue;
			in[i] = 1;
			grew = true;
			if (set_add(&set, s->name))
				goto out;
		}
	} while (grew);
	ret = 0;
out:
	free(set.slot);
	return ret;
}

#define ENTRY_NOMEM	(-2)

/*
 * One reached function s of unit u: whether the change is its own, why it
 * cannot be patched, its position, and for an unpatchable function of a
 * module, the callers to patch instead.  -1 after a position that did not
 * resolve (reported; the others are still answered), ENTRY_NOMEM when out
 * of memory.
 */
static int describe_entry(struct affected *a, const struct klp_unit *u, const struct klp_sym *s,
			  struct entry *e)
{
	int ret = 0;

	e->sym = s;
	for (size_t j = 0; j < a->nnames; j++)
		if (!strcmp(a->names[j], s->name))
			e->changed = true;
	if (!s->has_addr)
		e->not_patchable = "discarded by the link";
	else if (s->flags & KLP_SYM_COLD)
		e->not_patchable = "cold part";
	else if (s->flags & KLP_SYM_NOTRACE)
		e->not_patchable = "notrace";
	else if (!(s->flags & KLP_SYM_SITE))
		e->not_patchable = "no patch site";
	if (s->has_addr) {
		if (klp_resolve(&a->rs, u->path, s->name, &e->res))
			ret = -1;
		else if (!e->res.unseen)
			e->resolved = true;
		else if (!e->not_patchable)
			/* a module's init code: run once at load, gone after */
			e->not_patchable = a->t.is_module ? "init code: not in the module's kallsyms" :
				"not in kallsyms";
	}
	if (!e->not_patchable || !e->resolved || (s->flags & KLP_SYM_COLD) || !a->t.is_module)
		return ret;
	e->callers_known = true;
	if (collect_callers(a, e, e->res.sym, 0))
		return ENTRY_NOMEM;
	for (size_t j = 0; j < e->ncallers; j++) {
		struct caller *c = &e->callers[j];

		/* a caller without notes (assembly) has no unit to name: its
		 * position stays unknown */
		if (!c->note)
			continue;
		if (klp_resolve(&a->rs, c->note->unit->path, c->name, &c->res))
			ret = -1;
		else
			c->resolved = !c->res.unseen;
	}
	return ret;
}

static int answer_unit(struct affected *a, const struct klp_unit *u)
{
	struct unit_answer *ua = &a->units[a->nunits++];
	unsigned char *in = calloc(u->nsyms ? u->nsyms : 1, 1);
	int ret = 0;

	memset(ua, 0, sizeof(*ua));
	ua->unit = u;
	if (!in || close_over(a, u, in))
		goto nomem;
	for (size_t i = 0; i < u->nsyms; i++)
		ua->n += in[i];
	ua->e = calloc(ua->n ? ua->n : 1, sizeof(*ua->e));
	if (!ua->e)
		goto nomem;
	/* The names the entries resolve, asked for first: the target's
	 * symbols are read in one pass. */
	for (size_t i = 0; i < u->nsyms; i++)
		if (in[i] && u->syms[i].has_addr &&
		    klp_resolve_want(&a->rs, u->path, u->syms[i].name))
			goto fail;
	if (klp_target_load(&a->t))
		goto fail;
	ua->n = 0;
	for (size_t i = 0; i < u->nsyms; i++) {
		int r;

		if (!in[i])
			continue;
		r = describe_entry(a, u, &u->syms[i], &ua->e[ua->n++]);
		if (r == ENTRY_NOMEM)
			goto nomem;
		if (r)
			ret = -1;
	}
	free(in);
	return ret;
nomem:
	KLP_ERR(a->t.path, "unit %s: out of memory", u->path);
fail:
	free(in);
	return -1;
}

/* ---- output ------------------------------------------------------------ */

/* The names in s->inlined that carry the change, joined by sep. */
static void print_inlined(const struct affected *a, const struct unit_answer *ua,
			  const struct klp_sym *s, bool json)
{
	const char *sep = "";

	for (unsigned j = 0; j < s->ninlined; j++) {
		bool hit = false;

		for (size_t i = 0; i < a->nnames && !hit; i++)
			hit = !strcmp(a->names[i], s->inlined[j]);
		for (size_t i = 0; i < ua->n && !hit; i++)
			hit = !strcmp(ua->e[i].sym->name, s->inlined[j]);
		if (!hit)
			continue;
		fputs(sep, stdout);
		if (json)
			klp_json_string(stdout, s->inlined[j]);
		else
			fputs(s->inlined[j], stdout);
		sep = json ? "," : ", ";
	}
}

static bool inlines_any(const struct affected *a, const struct unit_answer *ua,
			const struct klp_sym *s)
{
	for (unsigned j = 0; j < s->ninlined; j++) {
		for (size_t i = 0; i < a->nnames; i++)
			if (!strcmp(a->names[i], s->inlined[j]))
				return true;
		for (size_t i = 0; i < ua->n; i++)
			if (!strcmp(ua->e[i].sym->name, s->inlined[j]))
				return true;
	}
	return false;
}

static const char *origin_relation(const struct klp_sym *s)
{
	if (s->flags & KLP_SYM_COLD)
		return "cold part of";
	if (s->flags & KLP_SYM_ALIAS)
		return "alias of";
	return "clone of";
}

static void print_text(const struct affected *a)
{
	for (size_t u = 0; u < a->nunits; u++) {
		const struct unit_answer *ua = &a->units[u];

		printf("%s: unit %s: %zu function%s affected by", a->t.path, ua->unit->path,
		       ua->n, ua->n == 1 ? "" : "s");
		for (size_t i = 0; i < a->nnames; i++)
			printf("%s %s", i ? "," : "", a->names[i]);
		putchar('\n');
		for (size_t i = 0; i < ua->n; i++) {
			const struct entry *e = &ua->e[i];
			const struct klp_sym *s = e->sym;
			const char *sep = "";

			printf("  %s %s,", s->name, a->t.objname);
			if (e->resolved)
				printf("%lu", e->res.pos);
			else
				putchar('-');
			if (e->not_patchable)
				printf(" not-patchable (%s):", e->not_patchable);
			else
				fputs(" patchable:", stdout);
			if (e->changed) {
				fputs(" changed", stdout);
				sep = ";";
			}
			if (s->origin) {
				printf("%s %s %s", sep, origin_relation(s), s->origin);
				sep = ";";
			}
			if (inlines_any(a, ua, s)) {
				printf("%s inlines ", sep);
				print_inlined(a, ua, s, false);
				sep = ";";
			}
			if (s->flags & KLP_SYM_COLD) {
				printf("%s replaced together with %s", sep, s->origin);
			} else if (s->flags & KLP_SYM_ALIAS) {
				printf("%s same address as %s: patching one patches both", sep,
				       s->origin);
			} else if (e->not_patchable && e->callers_known) {
				printf("%s patch instead:", sep);
				if (!e->ncallers)
					fputs(" (no callers in this file)", stdout);
				for (size_t j = 0; j < e->ncallers; j++) {
					printf(" %s %s,", e->callers[j].name, a->t.objname);
					if (e->callers[j].resolved)
						printf("%lu", e->callers[j].res.pos);
					else
						putchar('-');
					if (e->callers[j].res.unseen)
						fputs(" (init code: runs only at load)", stdout);
				}
			} else if (e->not_patchable && s->has_addr) {
				printf("%s patch instead: its callers (a linked file keeps no "
				       "relocations to find them; run on the unit's object file)", sep);
			}
			putchar('\n');
		}
	}
}

static void print_json(const struct affected *a)
{
	fputs("{\"target\":", stdout);
	klp_json_string(stdout, a->t.path);
	fputs(",\"object\":", stdout);
	klp_json_string(stdout, a->t.objname);
	fputs(",\"changed\":[", stdout);
	for (size_t i = 0; i < a->nnames; i++) {
		if (i)
			putchar(',');
		klp_json_string(stdout, a->names[i]);
	}
	fputs("],\"units\":[", stdout);
	for (size_t u = 0; u < a->nunits; u++) {
		const struct unit_answer *ua = &a->units[u];

		fputs(u ? ",\n{\"path\":" : "\n{\"path\":", stdout);
		klp_json_string(stdout, ua->unit->path);
		printf(",\"id\":\"0x%016" PRIx64 "\",\"functions\":[", ua->unit->id);
		for (size_t i = 0; i < ua->n; i++) {
			const struct entry *e = &ua->e[i];
			const struct klp_sym *s = e->sym;

			fputs(i ? ",\n {\"name\":" : "\n {\"name\":", stdout);
			klp_json_string(stdout, s->name);
			fputs(",\"object\":", stdout);
			klp_json_string(stdout, a->t.objname);
			if (e->resolved)
				printf(",\"sympos\":%lu", e->res.pos);
			else
				fputs(",\"sympos\":null", stdout);
			printf(",\"patchable\":%s,\"reason\":", e->not_patchable ? "false" : "true");
			if (e->not_patchable)
				klp_json_string(stdout, e->not_patchable);
			else
				fputs("null", stdout);
			printf(",\"changed\":%s,\"relation\":", e->changed ? "true" : "false");
			if (s->origin) {
				klp_json_string(stdout, s->flags & KLP_SYM_COLD ? "cold" :
					    s->flags & KLP_SYM_ALIAS ? "alias" : "clone");
				fputs(",\"origin\":", stdout);
				klp_json_string(stdout, s->origin);
			} else {
				fputs("null,\"origin\":null", stdout);
			}
			fputs(",\"inlines\":[", stdout);
			print_inlined(a, ua, s, true);
			fputs("],\"patch_instead\":", stdout);
			if (!e->not_patchable || (s->flags & (KLP_SYM_COLD | KLP_SYM_ALIAS))) {
				fputs("null", stdout);
			} else if (!e->callers_known) {
				fputs("\"callers\"", stdout);
			} else {
				putchar('[');
				for (size_t j = 0; j < e->ncallers; j++) {
					fputs(j ? ",{\"name\":" : "{\"name\":", stdout);
					klp_json_string(stdout, e->callers[j].name);
					if (e->callers[j].resolved)
						printf(",\"sympos\":%lu}", e->callers[j].res.pos);
					else
						fputs(",\"sympos\":null}", stdout);
				}
				putchar(']');
			}
			putchar('}');
		}
		fputs("]}", stdout);
	}
	fputs("]}\n", stdout);
}

/* ---- command line ------------------------------------------------------ */


/*
 * How units match TU: 2 when some path equals it (only those count), 1 when
 * it is a suffix of exactly one; 0 after an error (no unit, or several).
 */
static int match_tu(const struct affected *a, const char *tu)
{
	const struct klp_notes *n = &a->t.notes;
	size_t exact = 0, suffix = 0;
	int want;

	for (size_t i = 0; i < n->nunits; i++) {
		int m = klp_path_match(n->units[i].path, tu);

		exact += m == 2;
		suffix += m == 1;
	}
	want = exact ? 2 : 1;
	if (!*tu)
		return want;
	if (exact + suffix == 0) {
		KLP_ERR(a->t.path, "unit %s: no translation unit has this path (function %s); "
			"`klp-fixup dump %s` lists the recorded paths: give one of them or a "
			"suffix of it starting after a '/'", tu, a->names[0], a->t.path);
		return 0;
	}
	if (exact > 1 || (!exact && suffix > 1)) {
		KLP_ERR(a->t.path, "unit %s: the path matches %zu translation units (function "
			"%s); give more of the path to choose one:", tu, exact ? exact : suffix,
			a->names[0]);
		for (size_t i = 0; i < n->nunits; i++)
			if (klp_path_match(n->units[i].path, tu) == want)
				klp_report_more("  %s", n->units[i].path);
		return 0;
	}
	return want;
}

/*
 * Whether unit u has code of a changed function and notes that can answer
 * for it: 1 yes, 0 no (with TU "" a unit without them is skipped), -1
 * after an error.
 */
static int answerable(const struct affected *a, const struct klp_unit *u, const char *tu)
{
	bool any = false;
	int ret = 1;

	for (size_t j = 0; j < a->nnames; j++) {
		if (unit_mentions(u, a->names[j])) {
			any = true;
		} else if (*tu) {
			KLP_ERR(a->t.path, "unit %s: the notes record no code of function %s here: "
				"it is not emitted, cloned, or in any function's list of inlined "
				"bodies; check the name with `klp-fixup dump %s`; if the name is "
				"right, the compiler dropped its body unused, so no change to it "
				"reaches this unit's code", u->path, a->names[j], a->t.path);
			ret = -1;
		}
	}
	if (!any)
		return ret < 0 ? -1 : 0;
	/* klp-clang.so 0.1.0 recorded no inlining at all; later versions flag
	 * the units where a body without debug scope may be missing. */
	if (!strcmp(u->plugin, "klp-clang.so 0.1.0") || (u->flags & KLP_UNIT_INLINED_PARTIAL)) {
		KLP_ERR(a->t.path, "unit %s: built by %s (%s), whose notes for it may miss "
			"inlined functions: the functions %s was inlined into cannot all be "
			"found; rebuild the unit with a current plugin (and with clang, without "
			"nodebug functions), or diff two builds", u->path, u->producer, u->plugin,
			a->names[0]);
		return -1;
	}
	return ret;
}

static int run(struct affected *a, const char *tu, bool json)
{
	const struct klp_notes *n = &a->t.notes;
	int want = match_tu(a, tu), ret = 0;

	if (!want)
		return 1;
	a->units = calloc(n->nunits ? n->nunits : 1, sizeof(*a->units));
	if (!a->units) {
		KLP_ERR(a->t.path, "out of memory");
		return 1;
	}
	/* TU "": every unit that has one of the functions (a changed static
	 * inline of a header is in many). */
	for (size_t i = 0; i < n->nunits; i++) {
		const struct klp_unit *u;
		int ok;

		if (*tu && klp_path_match(n->units[i].path, tu) != want)
			continue;
		u = klp_target_unit(&a->t, i);
		ok = u ? answerable(a, u, tu) : -1;
		if (ok < 0)
			ret = 1;
		if (ok > 0 && answer_unit(a, u))
			ret = 1;
	}
	if (!*tu && !a->nunits && !ret) {
		KLP_ERR(a->t.path, "function %s: no translation unit emits, clones or records "
			"inlining it; check the name with `klp-fixup dump %s`", a->names[0],
			a->t.path);
		ret = 1;
	}
	if (ret)
		return 1;
	if (json)
		print_json(a);
	else
		print_text(a);
	return 0;
}

static int affected_run(const struct klp_args *args)
{
	const char *target = klp_value(args, "--target"), *tu = args->operands[0];
	bool json = klp_flag(args, "--json");
	struct affected a;
	int ret;

	memset(&a, 0, sizeof(a));
	a.names = calloc(args->noperands, sizeof(*a.names));
	if (!a.names)
		return 1;
	for (size_t i = 1; i < args->noperands; i++)
		a.names[a.nnames++] = args->operands[i];
	if (klp_target_open(&a.t, target, true)) {
		free(a.names);
		return 1;
	}
	ret = klp_resolver_init(&a.rs, &a.t);
	/* a reached function the kernel cannot see is an answer, not an error */
	a.rs.unseen_ok = true;
	ret = ret ? 1 : run(&a, tu, json);
	for (size_t u = 0; u < a.nunits; u++) {
		for (size_t i = 0; i < a.units[u].n; i++)
			free(a.units[u].e[i].callers);
		free(a.units[u].e);
	}
	free(a.units);
	free(a.names);
	klp_resolver_free(&a.rs);
	klp_target_close(&a.t);
	return ret;
}

static const struct klp_option affected_options[] = {
	KLP_OPTION_TARGET(true, "vmlinux or the module the functions are in"),
	KLP_OPTION_JSON,
	KLP_OPTION_END
};

const struct klp_command klp_cmd_affected = {
	"affected", "TU FUNCTION...", 2, KLP_OPERANDS_MANY,
	"list the functions to patch when FUNCTIONs of source file TU change: those they "
	"were inlined into, their clones and .cold parts, transitively, with sympos and "
	"whether each has a patch site (for those that have none, the callers to patch "
	"instead); TU \"\" looks in every unit, for static inlines of headers",
	affected_options, affected_run,
};
