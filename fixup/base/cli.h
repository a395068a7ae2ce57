/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli.h - klp-fixup's command line, declared once per command.
 *
 * Each command is a table (struct klp_command): its options with their
 * values and help, its operands, and the function that runs it.  The
 * parser, the usage line of every error, `klp-fixup --help` (and so the
 * man page, which help2man makes from it), `klp-fixup COMMAND --help` and
 * the bash completion all come from those tables, so none of them can
 * disagree with what a command accepts.
 */
#ifndef KLP_CLI_H
#define KLP_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* How often a repeatable option may be given (--target: one per object). */
#define KLP_OPT_MANY		64
/* Options per command, the shared ones included. */
#define KLP_CLI_MAX_OPTIONS	8
/* Operands without a limit (SYMBOL...). */
#define KLP_OPERANDS_MANY	((size_t)-1)

/* What the bash completion offers for an option's value. */
enum klp_complete {
	KLP_COMPLETE_NONE,	/* nothing: a number, a name */
	KLP_COMPLETE_FILE,	/* file names */
};

struct klp_option {
	const char *name;	/* long form: "--target" */
	const char *alias;	/* short form: "-v", or NULL */
	const char *value;	/* the value's name in the usage ("[OBJ=]FILE"); NULL: a flag */
	int max;		/* times it may be given: 1 or KLP_OPT_MANY */
	bool required;
	enum klp_complete complete;
	const char *help;
};

/* The options several commands share, spelled and explained once. */
#define KLP_OPTION_TARGET(req, help) \
	{ "--target", NULL, "[OBJ=]FILE", 1, req, KLP_COMPLETE_FILE, help }
#define KLP_OPTION_TARGETS \
	{ "--target", NULL, "[OBJ=]FILE", KLP_OPT_MANY, true, KLP_COMPLETE_FILE, \
	  "vmlinux or a module the livepatch patches, once per object; OBJ defaults " \
	  "to \"vmlinux\" for a linked file and to the module's file name" }
#define KLP_OPTION_VERBOSE(help) \
	{ "--verbose", "-v", NULL, 1, false, KLP_COMPLETE_NONE, help }
#define KLP_OPTION_JSON \
	{ "--json", NULL, NULL, 1, false, KLP_COMPLETE_NONE, "print JSON instead of text" }
#define KLP_OPTION_END	{ NULL, NULL, NULL, 0, false, KLP_COMPLETE_NONE, NULL }

struct klp_args;

struct klp_command {
	const char *name;
	const char *operands;		/* as the usage shows them: "TU SYMBOL" */
	size_t min_operands, max_operands;
	const char *summary;		/* what it does: lines of at most 70 columns */
	const struct klp_option *options;	/* ends with KLP_OPTION_END */
	int (*run)(const struct klp_args *a);
};

/* What the parser found; commands read it through the accessors below. */
struct klp_args {
	const struct klp_command *cmd;
	size_t count[KLP_CLI_MAX_OPTIONS];
	const char *values[KLP_CLI_MAX_OPTIONS][KLP_OPT_MANY];
	char **operands;
	size_t noperands;
};

/* Was flag or option name ("--json") given? */
bool klp_flag(const struct klp_args *a, const char *name);
/* The value of a once-only option, or NULL when not given. */
const char *klp_value(const struct klp_args *a, const char *name);
/* The values of a repeatable option, in the order given. */
size_t klp_values(const struct klp_args *a, const char *name, const char *const **values);

/* A usage error found by the command itself: "klp-fixup: error: CMD: ..."
 * and the usage line on stderr; returns 2, the exit status for usage. */
int klp_usage_error(const struct klp_args *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* One command's arguments (after its name): parse, then run it.  Returns
 * the exit status: 0, 1 for an error, 2 for a usage error. */
int klp_cli_run(const struct klp_command *cmd, int argc, char **argv);

/*
 * The whole command line: picks the command, parses its options and runs
 * it; also --help, --version (with version_text) and --completion bash.
 */
int klp_cli_main(const struct klp_command *const *cmds, size_t ncmds, const char *intro,
		 const char *outro, const char *version_text, int argc, char **argv);

#endif /* KLP_CLI_H */
