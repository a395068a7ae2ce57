/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * diff.c - `klp-fixup diff`: which functions and local objects of a unit
 * changed, appeared or went away, by the checksums in the notes
 * (docs/note-format.md, "Checksums").
 *
 *   klp-fixup diff [--json] OLD NEW
 *   klp-fixup diff [--json] --target FILE [TU] NEW
 *
 * OLD and NEW are objects (or anything with notes); with --target the old
 * side is unit TU of vmlinux or a module.  Units are paired by path; a
 * file of one unit pairs with the other side's one unit whatever its path
 * (a copy of the tree compiled elsewhere records another prefix).  A
 * symbol is the same symbol when kind and name are equal; a function or
 * object changed when its checksum differs.
 */
#include "diff.h"
#include "../base/json.h"
#include "../resolve/sympos.h"
#include "../notes/target.h"
#include "../notes/pairing.h"
#include "../base/warn.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum change { CHANGED, NEW, REMOVED, NCHANGES };
static const char *const change_names[NCHANGES] = { "changed", "new", "removed" };

/* One unit pair's answer: names per kind and change, sorted. */
struct unit_diff {
	const char *path;
	const char **names[2][NCHANGES];	/* [kind - 1][change] */
	size_t n[2][NCHANGES];
};

struct diff_out {
	struct unit_diff *units;
	size_t nunits;
};

static int add_name(struct unit_diff *d, unsigned kind, enum change c, const char *name)
{
	const char **grown = realloc(d->names[kind - 1][c],
				     (d->n[kind - 1][c] + 1) * sizeof(*grown));

	if (!grown)
		return -1;
	grown[d->n[kind - 1][c]++] = name;
	d->names[kind - 1][c] = grown;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every symbol of old against new: changed, removed; then new ones. */
static int diff_units(const char *old_file, const struct klp_unit *o, const char *new_file,
		      const struct klp_unit *n, struct unit_diff *d)
{
	size_t *old_to_new = calloc(o->nsyms ? o->nsyms : 1, sizeof(*old_to_new));
	bool *new_paired = calloc(n->nsyms ? n->nsyms : 1, sizeof(*new_paired));
	bool *used = calloc(o->ndiscarded ? o->ndiscarded : 1, sizeof(*used));
	int ret = -1;

	memset(d, 0, sizeof(*d));
	d->path = o->path;
	if (!old_to_new || !new_paired || !used || klp_pair_symbols(o, n, old_to_new, new_paired)) {
		KLP_ERR(new_file, "out of memory");
		goto out;
	}
	if (klp_units_comparable(old_file, o, new_file, n))
		goto out;
	for (size_t i = 0; i < o->nsyms; i++) {
		const struct klp_sym *s = &o->syms[i];

		if (old_to_new[i] == SIZE_MAX) {
			if (add_name(d, s->kind, REMOVED, s->name))
				goto oom;
		} else if (!klp_same_contents(s, &n->syms[old_to_new[i]])) {
			if (add_name(d, s->kind, CHANGED, n->syms[old_to_new[i]].name))
				goto oom;
		}
	}
	for (size_t i = 0; i < n->nsyms; i++)
		if (!new_paired[i] && !klp_was_discarded(o, &n->syms[i], used) &&
		    add_name(d, n->syms[i].kind, NEW, n->syms[i].name))
			goto oom;
	for (int k = 0; k < 2; k++)
		for (int c = 0; c < NCHANGES; c++)
			if (d->n[k][c])
				qsort(d->names[k][c], d->n[k][c], sizeof(char *), by_name);
	ret = 0;
	goto out;
oom:
	KLP_ERR(new_file, "out of memory");
out:
	free(old_to_new);
	free(new_paired);
	free(used);
	return ret;
}

static void free_out(struct diff_out *out)
{
	for (size_t i = 0; i < out->nunits; i++)
		for (int k = 0; k < 2; k++)
			for (int c = 0; c < NCHANGES; c++)
				free(out->units[i].names[k][c]);
	free(out->units);
}

static struct unit_diff *next_unit(struct diff_out *out, const char *file)
{
	struct unit_diff *grown = realloc(out->units, (out->nunits + 1) * sizeof(*grown));

	if (!grown) {
		KLP_ERR(file, "out of memory");
		return NULL;
	}
	out->units = grown;
	return &out->units[out->nunits++];
}

static void print_json(FILE *f, const struct diff_out *out)
{
	static const char *const kinds[2] = { "functions", "objects" };

	fputs("{\"units\":[", f);
	for (size_t i = 0; i < out->nunits; i++) {
		const struct unit_diff *d = &out->units[i];

		fputs(i ? ",\n{\"path\":" : "\n{\"path\":", f);
		klp_json_string(f, d->path);
		for (int k = 0; k < 2; k++) {
			fprintf(f, ",\"%s\":{", kinds[k]);
			for (int c = 0; c < NCHANGES; c++) {
				fprintf(f, "%s\"%s\":[", c ? "," : "", change_names[c]);
				for (size_t j = 0; j < d->n[k][c]; j++) {
					if (j)
						fputc(',', f);
					klp_json_string(f, d->names[k][c][j]);
				}
				fputc(']', f);
			}
			fputc('}', f);
		}
		fputc('}', f);
	}
	fputs("]}\n", f);
}

static void print_text(FILE *f, const struct diff_out *out)
{
	static const char *const kinds[2] = { "function", "object" };

	for (size_t i = 0; i < out->nunits; i++) {
		const struct unit_diff *d = &out->units[i];
		size_t total = 0;

		for (int k = 0; k < 2; k++)
			for (int c = 0; c < NCHANGES; c++)
				total += d->n[k][c];
		fprintf(f, "unit %s: %s\n", d->path, total ? "differs" : "same");
		for (int c = 0; c < NCHANGES; c++)
			for (int k = 0; k < 2; k++)
				for (size_t j = 0; j < d->n[k][c]; j++)
					fprintf(f, "  %s %s %s\n", change_names[c], kinds[k],
						d->names[k][c][j]);
	}
}

/* The unit of `notes` to pair with u: same path, or the only one. */
static const struct klp_unit *pair_unit(const struct klp_notes *notes,
					const struct klp_unit *u, bool only)
{
	const struct klp_unit *found = NULL;

	if (only && notes->nunits == 1)
		return &notes->units[0];
	for (size_t i = 0; i < notes->nunits; i++) {
		if (strcmp(notes->units[i].path, u->path))
			continue;
		if (found)
			return NULL;	/* twice: ambiguous */
		found = &notes->units[i];
	}
	return found;
}

static void print_out(const struct diff_out *out, bool json)
{
	if (json)
		print_json(stdout, out);
	else
		print_text(stdout, out);
}

/* OLD NEW: every unit of NEW against its unit in OLD. */
static int diff_files(const char *old_path, const char *new_path, bool json)
{
	struct diff_out out = { NULL, 0 };
	struct kelf ko, kn;
	struct klp_notes no, nn;
	int ret = -1;

	if (klp_notes_open(&ko, old_path, &no))
		return -1;
	if (klp_notes_open(&kn, new_path, &nn))
		goto close_old;
	if (kelf_check_same_machine(&kn, &ko))
		goto done;
	for (size_t i = 0; i < nn.nunits; i++) {
		const struct klp_unit *n = &nn.units[i];
		const struct klp_unit *o = pair_unit(&no, n, nn.nunits == 1);
		struct unit_diff *d;

		if (!o) {
			KLP_ERR(new_path, "unit %s: %s has no unit of this path, or more than one; "
				"compare objects of the same source file", n->path, old_path);
			goto done;
		}
		d = next_unit(&out, new_path);
		if (!d || diff_units(old_path, o, new_path, n, d))
			goto done;
	}
	/* the names point into the notes: printed before they are freed */
	print_out(&out, json);
	ret = 0;
done:
	free_out(&out);
	klp_notes_free(&nn);
	kelf_close(&kn);
close_old:
	klp_notes_free(&no);
	kelf_close(&ko);
	return ret;
}

/* The target's unit for tu (or, without tu, for NEW's unit path). */
static long target_unit(struct klp_target *t, const char *tu, const char *new_path)
{
	size_t exact = 0, suffix = 0, at = 0;

	for (size_t i = 0; i < t->notes.nunits; i++) {
		const char *path = t->notes.units[i].path;
		int m = tu ? klp_path_match(path, tu) :
			klp_path_match(path, new_path) ? klp_path_match(path, new_path) :
			klp_path_match(new_path, path);

		if (m == 2 && !exact++)
			at = i;
		if (m == 1 && !exact && !suffix++)
			at = i;
	}
	if (exact == 1 || (!exact && suffix == 1))
		return (long)at;
	KLP_ERR(t->path, "unit %s: %s translation unit has this path; `klp-fixup dump %s` "
		"lists the recorded paths: give one of them, or a suffix of it starting after "
		"a '/', as TU", tu ? tu : new_path, exact + suffix ? "more than one" : "no",
		t->path);
	return -1;
}

/* --target FILE [TU] NEW: NEW's unit against the target's. */
static int diff_target(const char *spec, const char *tu, const char *new_path, bool json)
{
	struct diff_out out = { NULL, 0 };
	struct klp_target t;
	struct klp_notes nn;
	struct kelf kn;
	const struct klp_unit *o;
	struct unit_diff *d;
	long i;
	int ret = -1;

	if (klp_notes_open(&kn, new_path, &nn))
		return -1;
	if (nn.nunits != 1) {
		KLP_ERR(new_path, "%zu units: with --target, give an object of one source file",
			nn.nunits);
		goto close_new;
	}
	if (klp_target_open(&t, spec, true))
		goto close_new;
	if (kelf_check_same_machine(&kn, &t.elf)) {
		klp_target_close(&t);
		goto close_new;
	}
	i = target_unit(&t, tu, nn.units[0].path);
	o = i < 0 ? NULL : klp_target_unit(&t, (size_t)i);
	d = o ? next_unit(&out, new_path) : NULL;
	if (d && !diff_units(t.path, o, new_path, &nn.units[0], d)) {
		print_out(&out, json);
		ret = 0;
	}
	free_out(&out);
	klp_target_close(&t);
close_new:
	klp_notes_free(&nn);
	kelf_close(&kn);
	return ret;
}

static int diff_run(const struct klp_args *a)
{
	const char *target = klp_value(a, "--target");
	char *const *files = a->operands;
	size_t nfiles = a->noperands;
	bool json = klp_flag(a, "--json");

	if (!target && nfiles == 2)
		return diff_files(files[0], files[1], json) ? 1 : 0;
	if (target)
		return diff_target(target, nfiles == 2 ? files[0] : NULL, files[nfiles - 1],
				   json) ? 1 : 0;
	return klp_usage_error(a, "takes OLD NEW, or --target FILE [TU] NEW");
}

static const struct klp_option diff_options[] = {
	KLP_OPTION_TARGET(false, "compare NEW with its unit (or unit TU) of this vmlinux "
			  "or module instead of with an object OLD"),
	KLP_OPTION_JSON,
	KLP_OPTION_END
};

const struct klp_command klp_cmd_diff = {
	"diff", "[OLD|TU] NEW", 1, 2,
	"compare checksums: the functions and local objects of NEW's unit that changed, are "
	"new or were removed against OLD (an object of the same source file) or, with "
	"--target, against unit TU of vmlinux or a module (default: the unit of NEW's "
	"recorded path)",
	diff_options, diff_run,
};
