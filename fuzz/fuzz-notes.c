/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-notes.c - libFuzzer target for the reader: the input is an ELF
 * file (object, module or linked file) opened as a target, as sympos and
 * convert open theirs.  Reaches the ELF layer (sections, symbols, relocations),
 * notes.c (every note field), target.c (name index) and, for each
 * recorded symbol, sympos.c's lookup and stale-notes check, plus dump.c.
 * Every input is read both ways a target is opened: whole
 * (klp_target_open) and lean (klp_target_open_lean: notes indexed, units
 * decoded on demand, only the wanted symbols read, as convert and sympos
 * do), so the two readers are held to the same input.
 */
#include "fuzz-input.h"
#include "../fixup/cmd/dump.h"
#include "../fixup/resolve/sympos.h"
#include "../fixup/notes/target.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Enough lookups per input to reach every branch of the resolver without
 * making an input with thousands of symbols slow. */
#define MAX_LOOKUPS 64

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	return 0;
}

/* Whole: every unit's symbols are in memory. */
static void resolve_whole(const char *path)
{
	struct klp_target t;
	struct klp_resolution r;
	unsigned lookups = 0;

	if (klp_target_open(&t, path, false))
		return;
	for (size_t i = 0; i < t.notes.nunits && lookups < MAX_LOOKUPS; i++) {
		const struct klp_unit *u = &t.notes.units[i];

		for (size_t j = 0; j < u->nsyms && lookups < MAX_LOOKUPS; j++, lookups++) {
			klp_resolve(&t, u->path, u->syms[j].name, &r);
			if (j == 0)
				klp_resolve(&t, "", u->syms[j].name, &r);
		}
	}
	klp_target_close(&t);
}

/* Lean: collect (path, name) pairs unit by unit (a decoded unit lives
 * until the next one is decoded, so the strings are copied), announce
 * them, load once, then resolve, as convert does. */
static void resolve_lean(const char *path)
{
	struct klp_target t;
	struct klp_resolution r;
	char *tus[MAX_LOOKUPS], *names[MAX_LOOKUPS];
	size_t n = 0;

	if (klp_target_open_lean(&t, path, false))
		return;
	for (size_t i = 0; i < t.notes.nunits && n < MAX_LOOKUPS; i++) {
		const struct klp_unit *u = klp_target_unit(&t, i);

		if (!u)
			break;
		for (size_t j = 0; j < u->nsyms && n < MAX_LOOKUPS; j++, n++) {
			tus[n] = strdup(u->path);
			names[n] = strdup(u->syms[j].name);
		}
	}
	for (size_t i = 0; i < n; i++)
		if (klp_resolve_want(&t, tus[i], names[i]))
			goto out;
	if (klp_target_load(&t))
		goto out;
	for (size_t i = 0; i < n; i++)
		klp_resolve(&t, tus[i], names[i], &r);
out:
	for (size_t i = 0; i < n; i++) {
		free(tus[i]);
		free(names[i]);
	}
	klp_target_close(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The name decides the module name of a relocatable target. */
	const char *path = fuzz_write_input("fuzz-target.ko", data, size);

	resolve_whole(path);
	resolve_lean(path);
	klp_dump(path, size & 1);
	return 0;
}
