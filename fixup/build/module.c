/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * module.c - `klp-fixup build`: the livepatch module: its registration, the kbuild link, convert, verify, and the atomic copy to OUT.
 */
#include "builder.h"
#include "../base/warn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../resolve/sympos.h"
#include "../../include/klp-build-records.h"

#include <unistd.h>

/* old_sympos of every replaced function, from its object's notes. */
int klp_build_positions(struct klp_builder *b, unsigned long **pos)
{
	size_t n = 0, k = 0;

	for (size_t i = 0; i < b->nunits; i++)
		n += b->units[i].ex.nfuncs;
	*pos = calloc(n + 1, sizeof(**pos));
	if (!*pos)
		return -1;
	for (size_t i = 0; i < b->nunits; i++)
		for (size_t j = 0; j < b->units[i].ex.nfuncs; j++)
			if (klp_resolve_want(&b->objs[b->units[i].object]->rs, b->units[i].tu_path,
					     b->units[i].ex.funcs[j].old_name))
				return -1;
	for (size_t o = 0; o < b->nobjs; o++)
		if (klp_target_load(&b->objs[o]->t))
			return -1;
	for (size_t i = 0; i < b->nunits; i++)
		for (size_t j = 0; j < b->units[i].ex.nfuncs; j++) {
			struct klp_resolution r;

			if (klp_resolve(&b->objs[b->units[i].object]->rs, b->units[i].tu_path,
					b->units[i].ex.funcs[j].old_name, &r))
				return -1;
			(*pos)[k++] = r.pos;
		}
	return 0;
}

static const char *const callback_names[] = {
	[KLP_BUILD_CB_PRE_PATCH] = "pre_patch", [KLP_BUILD_CB_POST_PATCH] = "post_patch",
	[KLP_BUILD_CB_PRE_UNPATCH] = "pre_unpatch", [KLP_BUILD_CB_POST_UNPATCH] = "post_unpatch",
};

static bool has_callback(const struct klp_builder *b, size_t o, unsigned kind)
{
	for (size_t i = 0; i < b->nunits; i++)
		for (size_t j = 0; j < b->units[i].ex.ncallbacks; j++)
			if (b->units[i].object == o && b->units[i].ex.callbacks[j].kind == kind)
				return true;
	return false;
}

static bool has_units(const struct klp_builder *b, size_t o)
{
	for (size_t i = 0; i < b->nunits; i++)
		if (b->units[i].object == o)
			return true;
	return false;
}

/* One callback per kind for object o: its units' in turn; a pre-patch
 * callback that fails stops the others and the object's patching. */
static void write_callbacks(const struct klp_builder *b, size_t o, FILE *f)
{
	for (unsigned kind = KLP_BUILD_CB_PRE_PATCH; kind <= KLP_BUILD_CB_POST_UNPATCH; kind++) {
		bool pre = kind == KLP_BUILD_CB_PRE_PATCH;

		if (!has_callback(b, o, kind))
			continue;
		fputc('\n', f);
		for (size_t i = 0; i < b->nunits; i++)
			for (size_t j = 0; b->units[i].object == o && j < b->units[i].ex.ncallbacks; j++)
				if (b->units[i].ex.callbacks[j].kind == kind)
					fprintf(f, "%s %s(struct klp_object *obj);\n",
						pre ? "int" : "void", b->units[i].ex.callbacks[j].name);
		fprintf(f, "\nstatic %s klp_%s_%zu(struct klp_object *obj)\n{\n",
			pre ? "int" : "void", callback_names[kind], o);
		if (pre)
			fprintf(f, "\tint ret;\n\n");
		for (size_t i = 0; i < b->nunits; i++)
			for (size_t j = 0; b->units[i].object == o && j < b->units[i].ex.ncallbacks; j++)
				if (b->units[i].ex.callbacks[j].kind == kind)
					fprintf(f, pre ? "\tret = %s(obj);\n\tif (ret)\n\t\treturn ret;\n" :
						"\t%s(obj);\n", b->units[i].ex.callbacks[j].name);
		fprintf(f, "%s}\n", pre ? "\treturn 0;\n" : "");
	}
}

/* Object o's klp_func array, klp_funcs_O; pos runs over every unit's. */
static void write_funcs(const struct klp_builder *b, size_t o, const unsigned long *pos, FILE *f)
{
	size_t k = 0;

	fprintf(f, "\nstatic struct klp_func klp_funcs_%zu[] = {\n", o);
	for (size_t i = 0; i < b->nunits; i++)
		for (size_t j = 0; j < b->units[i].ex.nfuncs; j++, k++)
			if (b->units[i].object == o)
				fprintf(f, "\t{ .old_name = \"%s\", .new_func = %s, .old_sympos = %lu },"
					" /* %s */\n", b->units[i].ex.funcs[j].old_name,
					b->units[i].ex.funcs[j].new_name, pos[k], b->units[i].tu_path);
	fprintf(f, "\t{ }\n};\n");
}

/* One klp_object per object with units: vmlinux (no name) or a module. */
static void write_objects(const struct klp_builder *b, const unsigned long *pos, FILE *f)
{
	for (size_t o = 0; o < b->nobjs; o++)
		if (has_units(b, o)) {
			write_funcs(b, o, pos, f);
			write_callbacks(b, o, f);
		}
	fprintf(f, "\nstatic struct klp_object klp_objs[] = {\n");
	for (size_t o = 0; o < b->nobjs; o++) {
		if (!has_units(b, o))
			continue;
		fprintf(f, "\t{\n");
		if (o)
			fprintf(f, "\t\t.name = \"%s\",\n", b->objs[o]->t.objname);
		fprintf(f, "\t\t.funcs = klp_funcs_%zu,\n\t\t.callbacks = {\n", o);
		for (unsigned kind = KLP_BUILD_CB_PRE_PATCH; kind <= KLP_BUILD_CB_POST_UNPATCH;
		     kind++)
			if (has_callback(b, o, kind))
				fprintf(f, "\t\t\t.%s = klp_%s_%zu,\n", callback_names[kind],
					callback_names[kind], o);
		fprintf(f, "\t\t},\n\t},\n");
	}
	fprintf(f, "\t{ }\n};\n\n");
}

/* The module's registration: one klp_func per replaced function. */
int klp_build_write_main(struct klp_builder *b, const unsigned long *pos)
{
	char *path = klp_build_join(b->work, "mod/klp-main.c");
	FILE *f = path ? fopen(path, "w") : NULL;

	if (!f) {
		KLP_ERR(path ? path : b->work, "cannot write: %s", strerror(errno));
		free(path);
		return -1;
	}
	fprintf(f, "// SPDX-License-Identifier: GPL-2.0-or-later\n"
		"/* Written by klp-fixup build: the registration of the livepatch. */\n"
		"#include <linux/module.h>\n#include <linux/livepatch.h>\n\n");
	for (size_t i = 0; i < b->nunits; i++)
		for (size_t j = 0; j < b->units[i].ex.nfuncs; j++)
			fprintf(f, "void %s(void);\n", b->units[i].ex.funcs[j].new_name);
	write_objects(b, pos, f);
	fprintf(f, "static struct klp_patch klp_patch = {\n\t.mod = THIS_MODULE,\n"
		"\t.objs = klp_objs,\n\t.replace = true,\n};\n\n"
		"static int __init klp_build_init(void)\n{\n"
		"\treturn klp_enable_patch(&klp_patch);\n}\n\n"
		"static void __exit klp_build_exit(void)\n{\n}\n\n"
		"module_init(klp_build_init);\nmodule_exit(klp_build_exit);\n"
		"MODULE_LICENSE(\"GPL\");\nMODULE_INFO(livepatch, \"Y\");\n"
		"MODULE_DESCRIPTION(\"livepatch built by klp-fixup build\");\n");
	if (fclose(f)) {
		KLP_ERR(path, "cannot write: %s", strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	path = klp_build_join(b->work, "mod/Kbuild");
	f = path ? fopen(path, "w") : NULL;
	if (!f)
		return -1;
	fprintf(f, "obj-m := %s.o\n%s-y := klp-main.o", b->name, b->name);
	for (size_t i = 0; i < b->nunits; i++)
		fprintf(f, " lp-%zu.o", i);
	fputc('\n', f);
	free(path);
	return fclose(f) ? -1 : 0;
}

/* make's ARCH and toolchain for the kernel's compiler. */
static void make_args(const struct klp_builder *b, char *arch, char *tool, size_t n)
{
	char *cc = klp_kbuild_compiler(b->units[0].cmd);
	const char *base = cc ? strrchr(cc, '/') : NULL;
	const char *clang;

	base = base ? base + 1 : cc ? cc : "gcc";
	snprintf(arch, n, "ARCH=%s", b->objs[0]->t.elf.ehdr.e_machine == EM_PPC64 ? "powerpc" :
		 b->objs[0]->t.elf.ehdr.e_machine == EM_S390 ? "s390" : "x86_64");
	clang = strstr(base, "clang");
	if (clang)
		snprintf(tool, n, "LLVM=%s", clang[5] == '-' ? clang + 5 : "1");
	else if (klp_build_has_suffix(base, "-gcc"))
		snprintf(tool, n, "CROSS_COMPILE=%.*s", (int)(strlen(base) - 3), base);
	else
		tool[0] = 0;
	free(cc);
}

/* argv of `klp-fixup CMD --target OBJ=FILE... IN [-o OUT]`: every object
 * (vmlinux, and the modules with units); free with free_argv(). */
static char **tool_argv(const struct klp_builder *b, const char *cmd, const char *in,
			const char *out)
{
	char **argv = calloc(2 * b->nobjs + 6, sizeof(*argv));
	size_t n = 0;

	if (!argv)
		return NULL;
	argv[n++] = (char *)b->self;
	argv[n++] = (char *)cmd;
	for (size_t o = 0; o < b->nobjs; o++) {
		argv[n++] = "--target";
		if (asprintf(&argv[n++], "%s=%s", b->objs[o]->t.objname, b->objs[o]->path) < 0) {
			argv[n - 1] = NULL;
			return argv;	/* NULL in the middle: the run fails */
		}
	}
	argv[n++] = (char *)in;
	if (out) {
		argv[n++] = "-o";
		argv[n++] = (char *)out;
	}
	return argv;
}

static void free_argv(const struct klp_builder *b, char **argv)
{
	for (size_t o = 0; argv && o < b->nobjs; o++)
		free(argv[3 + 2 * o]);
	free(argv);
}

/* kbuild links the module; convert and verify finish it. */
int klp_build_link_module(struct klp_builder *b)
{
	char arch[64], tool[256], *mod = klp_build_join(b->work, "mod"), *log = klp_build_join(b->work, "make.log");
	char *ko = NULL, *out = NULL, **convert = NULL, **verify = NULL;
	int ret = -1;

	make_args(b, arch, tool, sizeof(arch));
	if (mod && log && asprintf(&ko, "%s/%s.ko", mod, b->name) > 0 &&
	    asprintf(&out, "%s/%s.ko", b->work, b->name) > 0 &&
	    (convert = tool_argv(b, "convert", ko, out)) && (verify = tool_argv(b, "verify", out, NULL))) {
		char mdir[PATH_MAX + 8];
		char *make[] = { "make", "-C", b->kdir, mdir, arch, "KBUILD_MODPOST_WARN=1",
				 "modules", tool[0] ? tool : NULL, NULL };

		snprintf(mdir, sizeof(mdir), "M=%s", mod);
		klp_build_say(b, "link: %s", ko);
		ret = klp_build_run_tool(make, log, mod) || klp_build_run_tool(convert, log, ko) ||
		      klp_build_run_tool(verify, log, out) ? -1 : 0;
	}
	free_argv(b, convert);
	free_argv(b, verify);
	free(mod);
	free(log);
	free(ko);
	free(out);
	return ret;
}

/* Copy the finished module to b->out atomically. */
int klp_build_publish(const struct klp_builder *b)
{
	char *done = NULL;
	int ret;

	if (asprintf(&done, "%s/%s.ko", b->work, b->name) < 0)
		return -1;
	ret = kelf_copy_file(done, b->out);
	free(done);
	return ret;
}
