/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-notes.c - libFuzzer target for the reader: the input is an ELF
 * file (object, module or linked file) opened as a target, as every
 * command opens theirs.  Reaches the ELF layer (sections, symbols,
 * relocations), notes.c (every note field), target.c (units decoded on
 * demand, symbols by name) and, for each recorded symbol, sympos.c's
 * lookup and stale-notes check, plus dump.c.  Every input is resolved
 * both ways the commands ask: one reference at a time, each loading its
 * own names (sympos, affected), and all names announced first and loaded
 * in one pass (convert, lookup, the builder), so both paths through the
 * reader are held to the same input.
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

/* One at a time: each klp_resolve() reads the names it needs. */
static void resolve_each(const char *path)
{
	struct klp_target t;
	struct klp_resolver rs;
	struct klp_resolution r;
	unsigned lookups = 0;

	if (klp_target_open(&t, path, false))
		return;
	if (klp_resolver_init(&rs, &t))
		goto out;
	for (size_t i = 0; i < t.notes.nunits && lookups < MAX_LOOKUPS; i++) {
		const struct klp_unit *u = klp_target_unit(&t, i);

		for (size_t j = 0; u && j < u->nsyms && lookups < MAX_LOOKUPS; j++, lookups++) {
			klp_resolve(&rs, u->path, u->syms[j].name, &r);
			if (j == 0)
				klp_resolve(&rs, "", u->syms[j].name, &r);
		}
	}
out:
	klp_resolver_free(&rs);
	klp_target_close(&t);
}

/* Announced first: every (path, name) pair asked for, one load, then
 * resolved, as convert does. */
static void resolve_announced(const char *path)
{
	struct klp_target t;
	struct klp_resolver rs;
	struct klp_resolution r;
	const char *tus[MAX_LOOKUPS], *names[MAX_LOOKUPS];
	size_t n = 0;

	if (klp_target_open(&t, path, false))
		return;
	if (klp_resolver_init(&rs, &t))
		goto out;
	for (size_t i = 0; i < t.notes.nunits && n < MAX_LOOKUPS; i++) {
		const struct klp_unit *u = klp_target_unit(&t, i);

		if (!u)
			break;
		for (size_t j = 0; j < u->nsyms && n < MAX_LOOKUPS; j++, n++) {
			tus[n] = u->path;	/* decoded units live until close */
			names[n] = u->syms[j].name;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (klp_resolve_want(&rs, tus[i], names[i]))
			goto out;
	if (klp_target_load(&t))
		goto out;
	for (size_t i = 0; i < n; i++)
		klp_resolve(&rs, tus[i], names[i], &r);
out:
	klp_resolver_free(&rs);
	klp_target_close(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The name decides the module name of a relocatable target. */
	const char *path = fuzz_write_input("fuzz-target.ko", data, size);

	resolve_each(path);
	resolve_announced(path);
	klp_dump(path, size & 1);
	return 0;
}
