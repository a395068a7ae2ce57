/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gen-plugin-man.c - write klp-plugins(7), the page of the compiler
 * plugins' options, from include/klp-options.def: the list the plugins
 * build their own help from.
 *
 * usage: gen-plugin-man VERSION FILE...
 *   FILE: an installed plugin path, listed under FILES.
 */
#include <stdio.h>
#include <string.h>

struct option_doc {
	const char *name, *value, *summary, *text;
};

static const struct option_doc options[] = {
#define KLP_OPTION(id, name, value, summary, text) { name, value, summary, text },
#include "../include/klp-options.def"
#undef KLP_OPTION
};

/* roff text: '-' as \-, a backslash doubled, no line starting with '.'. */
static void roff(const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", stdout);
	for (; *s; s++) {
		if (*s == '-')
			fputs("\\-", stdout);
		else if (*s == '\\')
			fputs("\\e", stdout);
		else
			putchar(*s);
	}
}

/* One spelling of an option as a tagged paragraph's tag: PREFIXname=value. */
static void spelling(const char *prefix, const struct option_doc *o)
{
	printf(".BR \"%s", prefix);
	roff(o->name);
	printf("=\" \"\\fI");
	roff(o->value);
	printf("\\fR\"\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: gen-plugin-man VERSION [FILE...]\n");
		return 2;
	}
	printf(".TH KLP-PLUGINS 7 \"\" \"klp-toolchain %s\" \"klp-toolchain\"\n", argv[1]);
	puts(".SH NAME\nklp-plugins \\- compiler plugins that record livepatch notes "
	     "(klp.so for GCC, klp\\-clang.so for clang)");
	puts(".SH SYNOPSIS\n.B gcc \\-fplugin=klp\n[\\fB\\-fplugin\\-arg\\-klp\\-\\fIname\\fB=\\fIvalue\\fR]...\n"
	     ".br\n.B clang \\-fplugin=\\fIPATH\\fB/klp\\-clang.so \\-fpass\\-plugin=\\fIPATH\\fB/klp\\-clang.so\n"
	     "[\\fB\\-mllvm \\-klp\\-\\fIname\\fB=\\fIvalue\\fR]...");
	puts(".SH DESCRIPTION\nThe plugins add to every object a non\\-allocated section,\n"
	     ".BR .debug_klp ,\nthat lists per translation unit its local symbols "
	     "(relocated by the link to their final addresses), its functions' patch "
	     "sites, padding, clones and inlined callees.\n"
	     ".BR klp\\-fixup (1)\nreads them from vmlinux or a module to give every "
	     "livepatch reference its exact position.\nThe code and data the compiler "
	     "emits are unchanged, except on ppc64 (see \\fBppc\\-calls\\fR).\n.PP\n"
	     "GCC finds \\fB\\-fplugin=klp\\fR in its plugin directory "
	     "(\\fBgcc \\-print\\-file\\-name=plugin\\fR); a plugin is built for one "
	     "compiler version and target, and refuses any other.\nclang needs the "
	     "path twice: \\fB\\-fplugin\\fR makes the options known, "
	     "\\fB\\-fpass\\-plugin\\fR runs the pass.\nIn a kernel build, pass them "
	     "in \\fBKCFLAGS\\fR; keep the section in vmlinux with the one linker\\-script "
	     "line of the kernel integration guide.");
	puts(".SH OPTIONS\nGCC spells an option \\fB\\-fplugin\\-arg\\-klp\\-\\fIname\\fB=\\fIvalue\\fR, "
	     "clang \\fB\\-mllvm \\-klp\\-\\fIname\\fB=\\fIvalue\\fR.");
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
		puts(".TP");
		spelling("\\-fplugin\\-arg\\-klp\\-", &options[i]);
		puts(".PD 0\n.TP\n.PD");
		spelling("\\-mllvm \\-klp\\-", &options[i]);
		roff(options[i].summary);
		puts(".");
		roff(options[i].text);
		putchar('\n');
	}
	if (argc > 2) {
		puts(".SH FILES");
		for (int i = 2; i < argc; i++) {
			puts(".TP");
			roff(argv[i]);
			putchar('\n');
			puts(strstr(argv[i], "klp-clang") ? "the LLVM pass plugin for this LLVM version"
				: "the GCC plugin for this compiler");
		}
	}
	puts(".SH SEE ALSO\n.BR klp\\-fixup (1),\n.BR gcc (1),\n.BR clang (1)");
	return 0;
}
