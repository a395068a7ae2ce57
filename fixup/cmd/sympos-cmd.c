/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sympos-cmd.c - `klp-fixup sympos`: the position resolve/sympos.c gives
 * one symbol, or each symbol of a list (--batch), printed.
 */
#include "sympos-cmd.h"
#include "../base/files.h"
#include "../base/warn.h"
#include "../resolve/sympos.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

static void print_verbose(const struct klp_target *t, const char *name,
			  const struct klp_resolution *r)
{
	printf("%s %s,%lu: %s symbol %zu at 0x%" PRIx64 ", %zu of this name, unit %s\n",
	       t->objname, name, r->pos, r->sym->bind == STB_LOCAL ? "local" :
	       r->sym->bind == STB_WEAK ? "weak" : "global", r->sym->index,
	       (uint64_t)r->sym->sym.st_value, r->count, r->unit ? r->unit->path : "(any)");
}

/* The TU and SYMBOL pairs of a --batch list, split in place. */
struct batch {
	char *text;
	char **tu, **name;
	size_t n;
};

/*
 * Read FILE ("-": standard input): one "TU<tab>SYMBOL" per line, TU empty
 * for a unique name.  Every line is checked before any is resolved, so a
 * malformed list prints no positions.
 */
static int batch_read(struct batch *b, const char *path)
{
	int fd = strcmp(path, "-") ? klp_open_regular(path) : 0;
	FILE *f = fd < 0 ? NULL : fd ? fdopen(fd, "r") : stdin;
	size_t cap = 0, line = 0;
	ssize_t got;
	char *l = NULL;

	if (!f) {
		if (fd > 0) {
			KLP_ERR(path, "cannot read: %s", strerror(errno));
			close(fd);
		}
		return -1;
	}
	while ((got = getline(&l, &cap, f)) >= 0) {
		char *tab = memchr(l, '\t', (size_t)got), **tu, **name;

		line++;
		if (got && l[got - 1] == '\n')
			l[--got] = '\0';
		if (!tab || !tab[1] || strchr(tab + 1, '\t')) {
			KLP_ERR(path, "line %zu is not \"TU<tab>SYMBOL\": write one tab between "
				"the unit (empty for a unique name) and the name", line);
			goto fail;
		}
		*tab = '\0';
		tu = realloc(b->tu, (b->n + 1) * sizeof(*tu));
		if (tu)
			b->tu = tu;
		name = realloc(b->name, (b->n + 1) * sizeof(*name));
		if (name)
			b->name = name;
		if (!tu || !name || !(b->tu[b->n] = strdup(l)) ||
		    !(b->name[b->n] = strdup(tab + 1))) {
			KLP_ERR(path, "out of memory at line %zu", line);
			goto fail;
		}
		b->n++;
	}
	if (ferror(f)) {
		KLP_ERR(path, "read error: %s", strerror(errno));
		goto fail;
	}
	free(l);
	if (f != stdin)
		fclose(f);
	return 0;
fail:
	free(l);
	if (f != stdin)
		fclose(f);
	return -1;
}

static void batch_free(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->tu[i]);
		free(b->name[i]);
	}
	free(b->tu);
	free(b->name);
}

/*
 * --batch: every name is announced first, so the target's symbol table is
 * read once for all of them; then each line prints "TU<tab>SYMBOL<tab>POS".
 * A name that does not resolve is reported and the rest go on: the exit
 * status says whether any failed.
 */
static int sympos_batch(struct klp_resolver *rs, const struct klp_target *t,
			const struct batch *b, bool verbose)
{
	struct klp_resolution r;
	int failed = 0;

	for (size_t i = 0; i < b->n; i++)
		if (klp_resolve_want(rs, b->tu[i], b->name[i]))
			return 1;
	for (size_t i = 0; i < b->n; i++) {
		if (klp_resolve(rs, b->tu[i], b->name[i], &r)) {
			failed = 1;
			continue;
		}
		printf("%s\t%s\t%lu\n", b->tu[i], b->name[i], r.pos);
		if (verbose)
			print_verbose(t, b->name[i], &r);
	}
	return failed;
}

static int sympos_run(const struct klp_args *a)
{
	const char *target = klp_value(a, "--target"), *list = klp_value(a, "--batch");
	const char *const *args = (const char *const *)a->operands;
	bool verbose = klp_flag(a, "--verbose");
	struct klp_resolution r;
	struct klp_resolver rs;
	struct klp_target t;
	struct batch b = { 0 };
	int ret;

	if (!list != (a->noperands == 2))
		return klp_usage_error(a, "takes TU SYMBOL, or --batch FILE and no operands");
	if (list && batch_read(&b, list)) {
		batch_free(&b);
		return 1;
	}
	/* the notes are needed only where a unit is named */
	bool units = !list && *args[0] != '\0';
	for (size_t i = 0; i < b.n; i++)
		units = units || *b.tu[i] != '\0';
	if (klp_target_open(&t, target, units)) {
		batch_free(&b);
		return 1;
	}
	ret = klp_resolver_init(&rs, &t);
	if (!ret && list)
		ret = sympos_batch(&rs, &t, &b, verbose);
	else if (!ret && !(ret = klp_resolve(&rs, args[0], args[1], &r))) {
		printf("%lu\n", r.pos);
		if (verbose)
			print_verbose(&t, args[1], &r);
	}
	klp_resolver_free(&rs);
	klp_target_close(&t);
	batch_free(&b);
	return ret ? 1 : 0;
}

static const struct klp_option sympos_options[] = {
	KLP_OPTION_TARGET(true, "vmlinux or the module whose symbol is meant"),
	{ "--batch", NULL, "FILE", 1, false, KLP_COMPLETE_FILE,
	  "resolve every \"TU<tab>SYMBOL\" line of FILE (- for standard input) and print "
	  "\"TU<tab>SYMBOL<tab>POS\" for each; the symbol table is read once for all" },
	KLP_OPTION_VERBOSE("also print the symbol's binding, index, address, how many "
			   "share its name, and its unit"),
	KLP_OPTION_END
};

const struct klp_command klp_cmd_sympos = {
	"sympos", "[TU SYMBOL]", 0, 2,
	"print the position (sympos) the kernel's livepatch lookup gives SYMBOL of source "
	"file TU in the target: vmlinux in kallsyms order, a module in its symtab order; "
	"0 when the name is unique.  TU is the recorded path or a suffix of it starting "
	"after a '/'; \"\" asks for a unique name",
	sympos_options, sympos_run,
};
