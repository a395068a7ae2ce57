/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * extract-changed.c - where extraction starts: the functions the patch
 * changes (or whose callers must carry a changed function that has no
 * patch site), new globals, and the records include/klp-build.h leaves
 * (callbacks, ignored functions); changed data is refused here.
 */
#include "extract-internal.h"
#include "../base/warn.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../notes/pairing.h"
#include "../../include/klp-build-records.h"

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
			return ex_covering_symbol(e, s->sym.st_shndx, (uint64_t)relocs[i].addend);
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
		KLP_ERR(e->in->path, "callback %s: unknown kind %" PRIu64, ex_sym_name(e, sym), kind);
		return -1;
	}
	if (ex_keep_symbol(e, sym))
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
	const struct kelf_wsymbol copy = e->w->syms[e->out_sym[sym]];
	size_t alias = kelf_writer_symbol(e->w, cb->name, STB_GLOBAL, STT_FUNC, copy.section,
					  copy.value, copy.size);

	if (!alias)
		return -1;
	/* the function's st_other too: on ppc64 it says where the local entry
	 * is, and a call through the alias that lands on the global entry
	 * computes r2 from a caller's r12 */
	e->w->syms[alias].other = copy.other;
	return 0;
}

static int ignore_function(struct extract *e, uint64_t kind, size_t sym)
{
	(void)kind;
	e->ignored[sym] = true;
	return 0;
}

int ex_read_records(struct extract *e)
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
		"change its callers instead", e->in->tu_path, ex_sym_name(e, t),
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

			if (!n || e->k->syms[t].type != STT_FUNC || ex_is_cold(n->name) ||
			    patchable(n) || callers[t] ||
			    (ex_change_of(e, n) != CHANGED && !forced[t]) || e->ignored[t])
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
					c = ex_covering_symbol(e, sec, relocs[i].offset);
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

/* Symbol i: copied as a new global, or patched when changed or forced. */
static int start_one(struct extract *e, size_t i, bool forced)
{
	{
		const struct klp_sym *n = e->note[i];
		const struct kelf_section *sec;
		struct klp_patched_func *f;

		if (n && e->k->syms[i].bind != STB_LOCAL && ex_change_of(e, n) == NEW) {
			/* a new global: other units of the livepatch may call it */
			if (ex_keep_symbol(e, i))
				return -1;
			e->w->syms[e->out_sym[i]].bind = STB_GLOBAL;
			return 0;
		}
		if (!n || e->k->syms[i].type != STT_FUNC || ex_is_cold(n->name) || e->ignored[i] ||
		    (ex_change_of(e, n) != CHANGED && !forced))
			return 0;
		sec = kelf_section(e->k, e->k->syms[i].sym.st_shndx);
		if (!sec || !strncmp(sec->name, ".init", 5) || !strncmp(sec->name, ".exit", 5)) {
			KLP_ERR(e->in->path, "unit %s: the patch changes %s, which is in %s: the "
				"kernel frees or never runs that code after boot, so a livepatch "
				"cannot replace it; leave it out of the patch",
				e->in->tu_path, n->name, sec ? sec->name : "no section");
			return -1;
		}
		if (ex_keep_symbol(e, i))
			return -1;
		/* no patch site: it comes along with its callers (force_callers()) */
		if (!patchable(n))
			return 0;
		f = realloc(e->out->funcs, (e->out->nfuncs + 1) * sizeof(*f));
		if (!f)
			return -1;
		e->out->funcs = f;
		f = &f[e->out->nfuncs++];
		f->old_name = strdup(ex_old_name_of(e, n));
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

		if (s->type != STT_OBJECT || !e->note[i] || !sec || !ex_section_writable(sec) ||
		    ex_change_of(e, e->note[i]) != CHANGED || klp_section_is_line_record(sec->name))
			continue;
		KLP_ERR(e->in->path, "unit %s: the patch changes the writable object %s (its "
			"initial value or size): a livepatch cannot change data the running kernel "
			"holds; keep it and add new state with shadow variables "
			"(klp_shadow_get_or_alloc()) or set it in a callback",
			e->in->tu_path, ex_sym_name(e, i));
		return -1;
	}
	return 0;
}

int ex_start_changed(struct extract *e)
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
