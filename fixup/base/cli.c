/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli.c - parses a command line against a command's table (cli.h), and
 * makes the usage lines, the help texts and the bash completion from the
 * same tables.
 */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define PROG		"klp-fixup"
#define WIDTH		79
/* where option help starts in `COMMAND --help` */
#define HELP_COLUMN	24

static const struct klp_option help_option = {
	"--help", "-h", NULL, 1, false, KLP_COMPLETE_NONE, "print this text"
};

static size_t noptions(const struct klp_command *cmd)
{
	size_t n = 0;

	while (cmd->options[n].name)
		n++;
	return n;
}

static long option_index(const struct klp_command *cmd, const char *name, size_t len)
{
	for (size_t i = 0; cmd->options[i].name; i++) {
		const struct klp_option *o = &cmd->options[i];

		if ((strlen(o->name) == len && !strncmp(o->name, name, len)) ||
		    (o->alias && strlen(o->alias) == len && !strncmp(o->alias, name, len)))
			return (long)i;
	}
	return -1;
}

bool klp_flag(const struct klp_args *a, const char *name)
{
	long i = option_index(a->cmd, name, strlen(name));

	return i >= 0 && a->count[i] > 0;
}

const char *klp_value(const struct klp_args *a, const char *name)
{
	long i = option_index(a->cmd, name, strlen(name));

	return i >= 0 && a->count[i] ? a->values[i][a->count[i] - 1] : NULL;
}

size_t klp_values(const struct klp_args *a, const char *name, const char *const **values)
{
	long i = option_index(a->cmd, name, strlen(name));

	if (i < 0)
		return 0;
	*values = a->values[i];
	return a->count[i];
}

/*
 * A word printed at column col, on a new line at column indent when it
 * would pass WIDTH; a word is never split.  Returns the column after it.
 */
static size_t put_word(FILE *f, size_t col, size_t indent, const char *word, size_t len)
{
	if (col > indent && col + 1 + len > WIDTH) {
		fprintf(f, "\n%*s", (int)indent, "");
		col = indent;
	} else if (col > indent) {
		fputc(' ', f);
		col++;
	} else {
		fprintf(f, "%*s", (int)(indent - col), "");
		col = indent;
	}
	fwrite(word, 1, len, f);
	return col + len;
}

static size_t put_text(FILE *f, size_t col, size_t indent, const char *text)
{
	while (*text) {
		size_t len;

		while (*text == ' ')
			text++;
		len = strcspn(text, " ");
		if (len)
			col = put_word(f, col, indent, text, len);
		text += len;
	}
	return col;
}

/*
 * The options and operands of a usage line, from column col, wrapped to
 * indent: "--target [OBJ=]FILE [--target [OBJ=]FILE...] -o OUT [--verbose]
 * MODULE", or with compact a repeatable option once ("--target X...").
 * A short name is shown for an option with a value (-o OUT reads better
 * than --output OUT), the long one for a flag.
 */
static size_t put_usage_items(FILE *f, size_t col, size_t indent,
			      const struct klp_command *cmd, bool compact)
{
	char item[160];

	for (size_t i = 0; cmd->options[i].name; i++) {
		const struct klp_option *o = &cmd->options[i];
		const char *name = o->alias && o->value ? o->alias : o->name;
		bool more = o->max > 1;

		for (int twice = 0; twice < (more && !compact ? 2 : 1); twice++) {
			bool optional = !o->required || twice;
			int n = snprintf(item, sizeof(item), "%s%s%s%s%s%s",
					 optional ? "[" : "", name, o->value ? " " : "",
					 o->value ? o->value : "",
					 more && (compact || twice) ? "..." : "",
					 optional ? "]" : "");

			if (n > 0)
				col = put_word(f, col, indent, item,
					       (size_t)n < sizeof(item) ? (size_t)n : sizeof(item) - 1);
		}
	}
	return put_text(f, col, indent, cmd->operands);
}

static void print_usage(FILE *f, const struct klp_command *cmd)
{
	size_t indent = strlen("usage: " PROG " ") + strlen(cmd->name) + 1;

	put_usage_items(f, (size_t)fprintf(f, "usage: " PROG " %s", cmd->name), indent, cmd,
			false);
	fputc('\n', f);
}

int klp_usage_error(const struct klp_args *a, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": error: %s: ", a->cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	print_usage(stderr, a->cmd);
	return 2;
}

static void print_option_help(FILE *f, const struct klp_option *o, int indent)
{
	size_t col = (size_t)fprintf(f, "%*s%s%s%s%s%s", indent, "", o->alias ? o->alias : "",
				     o->alias ? ", " : "", o->name, o->value ? " " : "",
				     o->value ? o->value : "");

	if (col + 2 > HELP_COLUMN) {
		fputc('\n', f);
		col = 0;
	}
	put_text(f, col, HELP_COLUMN, o->help);
	fputc('\n', f);
}

static void print_command_help(FILE *f, const struct klp_command *cmd)
{
	print_usage(f, cmd);
	fputc('\n', f);
	put_text(f, 0, 2, cmd->summary);
	fputs("\n\nOptions:\n", f);
	for (size_t i = 0; cmd->options[i].name; i++)
		print_option_help(f, &cmd->options[i], 2);
	print_option_help(f, &help_option, 2);
}

/* The synopsis of `klp-fixup --help`: "dump [--json] FILE". */
static void print_synopsis(FILE *f, const struct klp_command *cmd)
{
	put_usage_items(f, (size_t)fprintf(f, "  %s", cmd->name), 4, cmd, true);
	fputc('\n', f);
}

/* `klp-fixup --help`; all: each command's options too (--help-all, which
 * the man page is made from) */
static void print_help(FILE *f, const struct klp_command *const *cmds, size_t n,
		       const char *intro, const char *outro, bool all)
{
	fprintf(f, "usage: " PROG " COMMAND [OPTIONS] OPERANDS...\n"
		"       " PROG " COMMAND --help\n\n%s\nCommands:\n", intro);
	for (size_t i = 0; i < n; i++) {
		print_synopsis(f, cmds[i]);
		put_text(f, 0, HELP_COLUMN, cmds[i]->summary);
		fputc('\n', f);
		for (size_t j = 0; all && cmds[i]->options[j].name; j++)
			print_option_help(f, &cmds[i]->options[j], 6);
	}
	fputs("  --version             print the version and the note format it reads\n"
	      "  --help                print this text (COMMAND --help: one command's options)\n"
	      "  --help-all            print this text with every command's options\n"
	      "  --completion bash     print the bash completion of these commands\n\n", f);
	fputs(outro, f);
}

/* every option of cmd (COMPLETE_ANY), or those whose value completes as
 * which, in both spellings, each followed by a space */
#define COMPLETE_ANY	(-1)

static void put_option_names(FILE *f, const struct klp_command *cmd, int which)
{
	for (const struct klp_option *o = cmd->options; o->name; o++) {
		if (which != COMPLETE_ANY && (!o->value || (int)o->complete != which))
			continue;
		fprintf(f, "%s %s%s", o->name, o->alias ? o->alias : "", o->alias ? " " : "");
	}
}

/*
 * A bash completion function: the command first, then per command its
 * options, and for an option's value what its table says (files or
 * nothing); operands are file names.
 */
static void print_completion(FILE *f, const struct klp_command *const *cmds, size_t n)
{
	fputs("# bash completion for " PROG ", generated by `" PROG " --completion bash`\n"
	      "_klp_fixup()\n{\n"
	      "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	      "\tlocal opts= files= values=\n"
	      "\tif [ \"$COMP_CWORD\" -eq 1 ]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W '", f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s ", cmds[i]->name);
	fputs("--help --help-all --version --completion' -- \"$cur\"))\n"
	      "\t\treturn\n\tfi\n"
	      "\tcase ${COMP_WORDS[1]} in\n", f);
	for (size_t i = 0; i < n; i++) {
		const struct klp_command *cmd = cmds[i];

		fprintf(f, "\t%s)\n\t\topts='", cmd->name);
		put_option_names(f, cmd, COMPLETE_ANY);
		fputs("--help'\n\t\tfiles='", f);
		put_option_names(f, cmd, KLP_COMPLETE_FILE);
		fputs("'\n\t\tvalues='", f);
		put_option_names(f, cmd, KLP_COMPLETE_NONE);
		fputs("' ;;\n", f);
	}
	fputs("\t--completion)\n\t\tCOMPREPLY=($(compgen -W bash -- \"$cur\"))\n\t\treturn ;;\n"
	      "\t*) return ;;\n\tesac\n"
	      "\tcase \" $values \" in *\" $prev \"*) COMPREPLY=(); return ;; esac\n"
	      "\tcase \" $files \" in *\" $prev \"*) COMPREPLY=($(compgen -f -- \"$cur\")); "
	      "return ;; esac\n"
	      "\tcase $cur in\n"
	      "\t-*) COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\")) ;;\n"
	      "\t*) COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
	      "\tesac\n}\n"
	      "complete -o filenames -F _klp_fixup " PROG "\n", f);
}

static int parse(struct klp_args *a, int argc, char **argv)
{
	const struct klp_command *cmd = a->cmd;
	bool options_done = false;

	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i], *value, *eq;
		const struct klp_option *o;
		long k;

		if (options_done || arg[0] != '-' || !arg[1]) {
			a->operands[a->noperands++] = argv[i];
			continue;
		}
		if (!strcmp(arg, "--")) {
			options_done = true;
			continue;
		}
		if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			print_command_help(stdout, cmd);
			return 0;
		}
		eq = arg[1] == '-' ? strchr(arg, '=') : NULL;
		k = option_index(cmd, arg, eq ? (size_t)(eq - arg) : strlen(arg));
		if (k < 0)
			return klp_usage_error(a, "unknown option %s", arg);
		o = &cmd->options[k];
		if (!o->value) {
			if (eq)
				return klp_usage_error(a, "%s takes no value", o->name);
			a->count[k] = 1;	/* a flag given twice is still one flag */
			continue;
		}
		if (eq)
			value = eq + 1;
		else if (i + 1 < argc)
			value = argv[++i];
		else
			return klp_usage_error(a, "%s needs a value (%s)", arg, o->value);
		if ((int)a->count[k] == o->max) {
			if (o->max == 1)
				return klp_usage_error(a, "%s given twice (%s and %s); give it once",
						       arg, a->values[k][0], value);
			return klp_usage_error(a, "%s given more than %d times", arg, o->max);
		}
		a->values[k][a->count[k]++] = value;
	}
	for (size_t k = 0; cmd->options[k].name; k++)
		if (cmd->options[k].required && !a->count[k])
			return klp_usage_error(a, "%s %s is needed", cmd->options[k].alias &&
					       cmd->options[k].value ? cmd->options[k].alias :
					       cmd->options[k].name, cmd->options[k].value);
	if (a->noperands < cmd->min_operands || a->noperands > cmd->max_operands)
		return klp_usage_error(a, "operands %s expected, %zu given", cmd->operands,
				       a->noperands);
	return -1;
}

int klp_cli_run(const struct klp_command *cmd, int argc, char **argv)
{
	struct klp_args args;
	int ret;

	memset(&args, 0, sizeof(args));
	args.cmd = cmd;
	if (noptions(cmd) > KLP_CLI_MAX_OPTIONS) {
		fprintf(stderr, PROG ": error: %s declares more than %d options\n", cmd->name,
			KLP_CLI_MAX_OPTIONS);
		return 2;
	}
	/* every operand fits: there are at most argc */
	args.operands = calloc((size_t)argc + 1, sizeof(char *));
	if (!args.operands) {
		fprintf(stderr, PROG ": error: out of memory\n");
		return 1;
	}
	ret = parse(&args, argc, argv);
	if (ret < 0)
		ret = cmd->run(&args);
	free(args.operands);
	return ret;
}

int klp_cli_main(const struct klp_command *const *cmds, size_t ncmds, const char *intro,
		 const char *outro, const char *version_text, int argc, char **argv)
{
	if (argc < 2) {
		print_help(stderr, cmds, ncmds, intro, outro, false);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "--help-all")) {
		print_help(stdout, cmds, ncmds, intro, outro, argv[1][6] == '-');
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		fputs(version_text, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--completion")) {
		if (argc != 3 || strcmp(argv[2], "bash")) {
			fprintf(stderr, PROG ": error: --completion takes 'bash'\n");
			return 2;
		}
		print_completion(stdout, cmds, ncmds);
		return 0;
	}
	for (size_t i = 0; i < ncmds; i++)
		if (!strcmp(argv[1], cmds[i]->name))
			return klp_cli_run(cmds[i], argc - 2, argv + 2);
	fprintf(stderr, PROG ": error: unknown command '%s' (" PROG " --help)\n", argv[1]);
	return 2;
}
