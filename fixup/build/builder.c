/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * builder.c - `klp-fixup build`: one build from start to end, and what its steps share.
 */
#include "builder.h"
#include "../base/files.h"
#include "../base/warn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

void klp_build_say(const struct klp_builder *b, const char *fmt, ...)
{
	va_list ap;

	if (!b->verbose)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "klp-fixup build: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

char *klp_build_join(const char *a, const char *b)
{
	char *s;

	return asprintf(&s, "%s/%s", a, b) < 0 ? NULL : s;
}

bool klp_build_has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* The livepatch's module name: --name, or livepatch_ and the first patch's
 * file name, as a C identifier (the kernel's module names). */
void klp_build_module_name(struct klp_builder *b, const char *given)
{
	const char *base = strrchr(b->patches[0], '/');
	size_t n = 0;
	char raw[KLP_OBJNAME_MAX + 1];

	base = base ? base + 1 : b->patches[0];
	if (given)
		snprintf(raw, sizeof(raw), "%s", given);
	else
		snprintf(raw, sizeof(raw), "livepatch_%.*s", (int)strcspn(base, "."), base);
	for (const char *p = raw; *p && n < KLP_OBJNAME_MAX; p++)
		b->name[n++] = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			       (*p >= '0' && *p <= '9') ? *p : '_';
	b->name[n] = 0;
}

int klp_build_run_tool(char *const argv[], const char *log, const char *what)
{
	pid_t pid = klp_spawn(argv, log);

	if (pid < 0 || klp_wait(pid)) {
		KLP_ERR(what, "%s failed: see %s", argv[0], log);
		return -1;
	}
	return 0;
}

static void print_summary(const struct klp_builder *b, const unsigned long *pos)
{
	struct timespec t1;
	size_t k = 0, refs = 0, entries = 0, copied = 0;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("units: %zu, compiles: %zu\n", b->nunits, b->compiles);
	for (size_t i = 0; i < b->nunits; i++) {
		const struct klp_extract_out *x = &b->units[i].ex;

		printf("unit %s: unpatched compile equals %s\n", b->units[i].tu_path,
		       b->objs[b->units[i].object]->t.objname);
		for (size_t j = 0; j < b->units[i].changed.n; j++)
			printf("  changed function %s\n", b->units[i].changed.names[j]);
		for (size_t j = 0; j < b->units[i].added.n; j++)
			printf("  new function %s\n", b->units[i].added.names[j]);
		for (size_t j = 0; j < x->nfuncs; j++, k++)
			printf("  patched %s sympos %lu\n", x->funcs[j].old_name, pos[k]);
		refs += x->nrefs;
		entries += x->nentries;
		copied += x->nfunctions_copied;
	}
	printf("module %s: %zu functions replaced, %zu functions copied, %zu references, "
	       "%zu special entries\n", b->name, k, copied, refs, entries);
	printf("wrote %s (%.1f s)\n", b->out, (double)(t1.tv_sec - b->t0.tv_sec) +
	       (double)(t1.tv_nsec - b->t0.tv_nsec) / 1e9);
}

static uint32_t bug_entry_size(const struct klp_builder *b)
{
	char *config = klp_build_join(b->kdir, ".config"), *line = NULL;
	FILE *f = config ? klp_fopen_regular(config, NULL) : NULL;
	size_t cap = 0;
	uint32_t size = 8;	/* bug_addr_disp, flags, padding */

	while (f && getline(&line, &cap, f) > 0)
		if (!strcmp(line, "CONFIG_DEBUG_BUGVERBOSE=y\n"))
			size = 12;	/* file_disp and line as well */
	if (f)
		fclose(f);
	free(line);
	free(config);
	return size;
}

/*
 * kpatch-macros.h and kpatch-syscall.h: installed beside the binary
 * (PREFIX/include/klp-toolchain/kpatch), or in the source tree it was
 * built from.
 */
static int find_include(struct klp_builder *b)
{
	char *dir = strdup(b->self), *slash = dir ? strrchr(dir, '/') : NULL;
	char *installed = NULL;
	const char *pick;

	if (slash)
		*slash = 0;
	if (!dir || asprintf(&installed, "%s/../include/klp-toolchain/kpatch", dir) < 0) {
		free(dir);
		return -1;
	}
	pick = !access(installed, F_OK) ? installed : KLP_SOURCE_INCLUDE "/kpatch";
	if (access(pick, F_OK)) {
		KLP_ERR(pick, "kpatch-macros.h is missing (looked also in %s): reinstall "
			"klp-fixup", installed);
		free(dir);
		free(installed);
		return -1;
	}
	if (asprintf(&b->kpatch_include, "-I%s", pick) < 0)
		b->kpatch_include = NULL;
	free(dir);
	free(installed);
	return b->kpatch_include ? 0 : -1;
}

static int prepare(struct klp_builder *b)
{
	char *symvers;
	ssize_t n;

	clock_gettime(CLOCK_MONOTONIC, &b->t0);
	/* before minutes of work: an output that can never be written */
	if (klp_check_output(b->out))
		return -1;
	b->kdir = realpath(b->kdir_arg, NULL);
	if (!b->kdir) {
		KLP_ERR(b->kdir_arg, "not a directory: %s", strerror(errno));
		return -1;
	}
	b->vmlinux = klp_build_join(b->kdir, "vmlinux");
	symvers = klp_build_join(b->kdir, "Module.symvers");
	if (!b->vmlinux || !symvers)
		return -1;
	{
		char *link = klp_build_join(b->kdir, "source");

		b->built_from = link ? realpath(link, NULL) : NULL;
		if (!b->built_from)
			b->built_from = strdup(b->kdir);
		free(link);
	}
	b->srctree = b->srctree_arg ? realpath(b->srctree_arg, NULL) :
		     b->built_from ? strdup(b->built_from) : NULL;
	if (!b->srctree) {
		KLP_ERR(b->srctree_arg ? b->srctree_arg : b->kdir, "no source tree: %s",
			strerror(errno));
		return -1;
	}
	n = readlink("/proc/self/exe", b->self, sizeof(b->self) - 1);
	if (n < 0 || !b->srctree || klp_symvers_read(&b->symvers, symvers)) {
		free(symvers);
		return -1;
	}
	b->self[n] = 0;
	free(symvers);
	if (find_include(b))
		return -1;
	b->bug_entsize = bug_entry_size(b);
	if (klp_build_open_vmlinux(b))
		return -1;
	/*
	 * ppc64: a livepatch module has a TOC of its own, so the patched code
	 * loads every address from its TOC (kpatch-build does the same), and
	 * every call keeps the nop after bl that the module loader needs to
	 * restore r2 after a call into the running kernel.  The unpatched
	 * compile for the check stays as the kernel was built.
	 */
	if (b->objs[0]->t.elf.ehdr.e_machine == EM_PPC64)
		b->patch_flags = "-mcmodel=large -fplugin-arg-klp-ppc-calls=local";
	/*
	 * s390x: GCC addresses a unit's statics from one section anchor
	 * (larl .LANCHOR0, then an offset), which names no symbol the
	 * extraction could follow; each static is addressed by its own name
	 * without anchors.
	 */
	if (b->objs[0]->t.elf.ehdr.e_machine == EM_S390)
		b->patch_flags = "-fno-section-anchors";
	return 0;
}

static int make_work(struct klp_builder *b)
{
	char *mod;

	if (b->work_arg) {
		if (mkdir(b->work_arg, 0755) && errno != EEXIST) {
			KLP_ERR(b->work_arg, "cannot make it: %s", strerror(errno));
			return -1;
		}
		b->work = realpath(b->work_arg, NULL);
	} else {
		char tmpl[] = "/tmp/klp-build.XXXXXX";

		b->work = mkdtemp(tmpl) ? strdup(tmpl) : NULL;
	}
	if (!b->work) {
		KLP_ERR("/tmp", "cannot make a work directory: %s", strerror(errno));
		return -1;
	}
	b->newtree = klp_build_join(b->work, "src");
	mod = klp_build_join(b->work, "mod");
	if (!b->newtree || !mod || (mkdir(mod, 0755) && errno != EEXIST)) {
		free(mod);
		return -1;
	}
	free(mod);
	/* a work directory given again: the tree is patched anew */
	if (!access(b->newtree, F_OK)) {
		char *rm[] = { "rm", "-rf", b->newtree, NULL };

		if (klp_build_run_tool(rm, "/dev/null", b->newtree))
			return -1;
	}
	return 0;
}

void klp_build_finish(struct klp_builder *b, int ret)
{
	if (b->work && !b->work_arg) {
		if (ret) {
			fprintf(stderr, "klp-fixup build: work files kept in %s\n", b->work);
		} else {
			char *rm[] = { "rm", "-rf", b->work, NULL };

			klp_build_run_tool(rm, "/dev/null", b->work);
		}
	}
	for (size_t i = 0; i < b->nunits; i++) {
		free(b->units[i].obj);
		free(b->units[i].src);
		free(b->units[i].cmd);
		free(b->units[i].tu_path);
		klp_name_list_free(&b->units[i].new_globals);
		klp_name_list_free(&b->units[i].changed);
		klp_name_list_free(&b->units[i].added);
		klp_extract_out_free(&b->units[i].ex);
	}
	free(b->units);
	klp_build_close_objects(b);
	klp_symvers_free(&b->symvers);
	free(b->kdir);
	free(b->kpatch_include);
	free(b->srctree);
	free(b->built_from);
	free(b->work);
	free(b->newtree);
	free(b->vmlinux);
}

int klp_build_steps(struct klp_builder *b)
{
	unsigned long *pos = NULL;
	size_t nfuncs = 0;
	int ret = -1;

	if (prepare(b) || klp_build_find_units(b) || make_work(b) || klp_build_patched_tree(b))
		return -1;
	for (size_t i = 0; i < b->nunits; i++)
		if (klp_build_compile_unit(b, i) || klp_build_check_unit(b, i))
			return -1;
	for (size_t i = 0; i < b->nunits; i++)
		if (klp_build_extract_unit(b, i))
			return -1;
	for (size_t i = 0; i < b->nunits; i++)
		nfuncs += b->units[i].ex.nfuncs + b->units[i].ex.ncallbacks;
	if (!nfuncs) {
		KLP_ERR(b->patches[0], "the patch changes no function's code (a comment, or only "
			"line numbers that WARN and BUG record): there is nothing to livepatch");
		return -1;
	}
	if (!klp_build_positions(b, &pos) && !klp_build_write_main(b, pos) && !klp_build_link_module(b) && !klp_build_publish(b)) {
		print_summary(b, pos);
		ret = 0;
	}
	free(pos);
	return ret;
}

int klp_name_list_add(struct klp_name_list *l, const char *name)
{
	char **grown = realloc(l->names, (l->n + 1) * sizeof(*grown));

	if (!grown)
		return -1;
	l->names = grown;
	l->names[l->n] = strdup(name);
	return l->names[l->n] ? (l->n++, 0) : -1;
}

void klp_name_list_free(struct klp_name_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->names[i]);
	free(l->names);
	l->names = NULL;
	l->n = 0;
}
