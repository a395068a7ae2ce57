/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lookup.c - `klp-fixup lookup`: for tools that build a livepatch from
 * objects (kpatch-build's create-diff-object), the answer to "which
 * symbol of the running kernel is this local symbol of my object".
 *
 *	klp-fixup lookup --target [OBJ=]FILE OBJECT SYMBOL...
 *
 * OBJECT is an object compiled with the plugin from the same source as
 * the target's unit (kpatch-build's original object): its notes say which
 * translation unit records SYMBOL.  The unit's path then names that unit
 * in the target, where sympos resolves SYMBOL as the kernel will.  No
 * FILE symbols and no comparison of per-file symbol lists are involved.
 *
 * One line per SYMBOL on standard output:
 *	SYMBOL OBJ POS ADDR SIZE	found (ADDR, SIZE: the target's symbol)
 *	SYMBOL - REASON			not a local symbol OBJECT's notes record
 * The second is an answer, not an error: the caller looks elsewhere
 * (globals, exports).  A symbol recorded by OBJECT that the target does
 * not resolve (unit missing or ambiguous, name absent, notes stale) is an
 * error: the message names both files, the unit and the symbol; exit 1.
 */
#include "lookup.h"
#include "../notes/notes.h"
#include "../resolve/sympos.h"
#include "../notes/target.h"
#include "../base/warn.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* The unit of notes that records name, NULL (with *why) when none or two do. */
static const struct klp_unit *recording_unit(const struct klp_notes *notes, const char *name,
					     const char **why)
{
	const struct klp_unit *found = NULL;

	for (size_t u = 0; u < notes->nunits; u++) {
		const struct klp_unit *unit = &notes->units[u];

		for (size_t i = 0; i < unit->nsyms; i++) {
			if (strcmp(unit->syms[i].name, name))
				continue;
			if (!(unit->syms[i].flags & KLP_SYM_LOCAL)) {
				*why = "global in the object's notes";
				return NULL;
			}
			if (found && found != unit) {
				*why = "recorded by two units of the object";
				return NULL;
			}
			found = unit;
		}
	}
	if (!found)
		*why = "no local symbol of that name in the object's notes";
	return found;
}

/* The object's notes and the target, of one machine.  0, or 1 after
 * printing why (nothing left open). */
static int open_both(const char *object, const char *target, struct kelf *obj,
		     struct klp_notes *notes, struct klp_target *t)
{
	int ret;

	if (kelf_open(obj, object))
		return 1;
	ret = klp_notes_read(obj, notes);
	if (ret) {
		if (ret == 1)
			KLP_ERR(object, "no %s section: compile the original objects with the "
				"klp plugin too (docs/kpatch-build.md)", KLP_NOTES_SECTION);
		kelf_close(obj);
		return 1;
	}
	if (klp_target_open(t, target, true))
		goto fail;
	if (!kelf_check_same_machine(obj, &t->elf))
		return 0;
	klp_target_close(t);
fail:
	klp_notes_free(notes);
	kelf_close(obj);
	return 1;
}

/* One line per name; 0, or 1 after an error (the other names answered). */
static int answer(struct klp_resolver *rs, const char *object, const char *target,
		  const char *const *names, size_t nnames, const struct klp_notes *notes)
{
	const struct klp_unit **units = calloc(nnames, sizeof(*units));
	const char **why = calloc(nnames, sizeof(*why));
	int status = 0;

	if (!units || !why) {
		KLP_ERR(object, "out of memory for %zu symbols", nnames);
		status = 1;
		goto out;
	}
	/* Ask for every name first: the target's symbols are read in one pass. */
	for (size_t i = 0; i < nnames; i++) {
		units[i] = recording_unit(notes, names[i], &why[i]);
		if (units[i] && klp_resolve_want(rs, units[i]->path, names[i]))
			status = 1;
	}
	if (status || klp_target_load(rs->t)) {
		status = 1;
		goto out;
	}
	for (size_t i = 0; i < nnames; i++) {
		struct klp_resolution r;

		if (!units[i]) {
			printf("%s - %s\n", names[i], why[i]);
			continue;
		}
		if (klp_resolve(rs, units[i]->path, names[i], &r)) {
			KLP_ERR(object, "%s of unit %s (as %s records it) has no exact match in "
				"%s; is the target the build the running kernel came from?",
				names[i], units[i]->path, object, target);
			status = 1;
			continue;
		}
		printf("%s %s %lu 0x%" PRIx64 " %" PRIu64 "\n", names[i], rs->t->objname, r.pos,
		       (uint64_t)r.sym->sym.st_value, (uint64_t)r.sym->sym.st_size);
	}
out:
	free(units);
	free(why);
	return status;
}

static int lookup_run(const struct klp_args *a)
{
	const char *target = klp_value(a, "--target"), *object = a->operands[0];
	struct klp_resolver rs;
	struct klp_notes notes;
	struct klp_target t;
	struct kelf obj;
	int status;

	if (open_both(object, target, &obj, &notes, &t))
		return 1;
	status = klp_resolver_init(&rs, &t) ? 1 :
		 answer(&rs, object, target, (const char *const *)a->operands + 1,
			a->noperands - 1, &notes);
	klp_resolver_free(&rs);
	klp_target_close(&t);
	klp_notes_free(&notes);
	kelf_close(&obj);
	return status;
}

static const struct klp_option lookup_options[] = {
	KLP_OPTION_TARGET(true, "vmlinux or the module the symbols are resolved in"),
	KLP_OPTION_END
};

const struct klp_command klp_cmd_lookup = {
	"lookup", "OBJECT SYMBOL...", 2, KLP_OPERANDS_MANY,
	"for tools that diff objects (kpatch-build): per local SYMBOL of OBJECT, an object "
	"compiled with the plugin, \"SYMBOL OBJ POS ADDR SIZE\" of the symbol the kernel will "
	"resolve in the target, or \"SYMBOL - REASON\" when OBJECT's notes record no such local",
	lookup_options, lookup_run,
};
