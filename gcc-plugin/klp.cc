/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * klp.so - GCC plugin that records, in every object, the facts a
 * livepatch build needs about that object's symbols: each local function
 * and object with its address (relocated by the final link), each
 * function's patch site, padding, clone origin and inlined callees.
 * The notes go to the non-allocated section .debug_klp, in the format
 * of include/klp-notes.h (docs/note-format.md).
 *
 * It adds metadata only: the code and data GCC emits are unchanged.
 *
 * Options (-fplugin-arg-klp-NAME=VALUE): tu-path, ppc-calls, described in
 * include/klp-options.def (also klp-plugins(7)).
 *
 * Build: cmake (see README.md).  Use: gcc -fplugin=/path/to/klp.so ...
 * The plugin is specific to the GCC version and target it was built for
 * (x86_64, or ppc64le or s390x with the cross compiler's plugin headers).
 */
#include "klp-plugin.h"
#include "plugin-version.h"

#include <string.h>

int plugin_is_GPL_compatible;

static struct plugin_info klp_plugin_info = {
	.version = KLP_PLUGIN_VERSION,
	.help = "records local symbols and patch sites in .debug_klp\n"
#define KLP_OPTION(id, name, value, summary, text) \
		"  -fplugin-arg-klp-" name "=" value "  " summary "\n"
#include "../include/klp-options.def"
#undef KLP_OPTION
		,
};

/* The unit's labels are numbered once, whoever asks: asm-scan.cc's in the
 * functions, emit.cc's in the notes. */
int klp_next_label(struct klp_state *st)
{
	return st->labels++;
}

/* --target=... of a configure line, for the error message. */
static const char *configured_target(const char *config, char *buf, size_t size)
{
	const char *t = strstr(config, "--target=");
	size_t n;

	if (!t)
		return "the host";
	t += strlen("--target=");
	n = strcspn(t, " ");
	snprintf(buf, size, "%.*s", (int)(n < size ? n : size - 1), t);
	return buf;
}

/* Version and target must match the compiler the plugin was built for. */
static bool check_compiler(const struct plugin_gcc_version *running)
{
	char built_t[128], run_t[128];

	if (strcmp(running->basever, gcc_version.basever)) {
		error("klp: %s was built for GCC %s but this is GCC %s; rebuild it "
		      "against the plugin headers of this compiler (%qs)", KLP_PLUGIN_NAME,
		      gcc_version.basever, running->basever,
		      "gcc -print-file-name=plugin");
		return false;
	}
	if (strcmp(configured_target(running->configuration_arguments, run_t, sizeof(run_t)),
		   configured_target(gcc_version.configuration_arguments, built_t,
				     sizeof(built_t)))) {
		error("klp: %s was built for a compiler targeting %s, but this compiler "
		      "targets %s; plugins are per target compiler: use the klp.so built "
		      "for this one", KLP_PLUGIN_NAME, built_t[0] ? built_t : "the host",
		      run_t[0] ? run_t : "the host");
		return false;
	}
	if (!plugin_default_version_check((struct plugin_gcc_version *)running, &gcc_version)) {
		error("klp: %s was built for a differently configured GCC %s; rebuild it "
		      "against this compiler", KLP_PLUGIN_NAME, gcc_version.basever);
		return false;
	}
	return true;
}

static bool parse_args(const struct plugin_name_args *info, struct klp_options *opts)
{
	for (int i = 0; i < info->argc; i++) {
		const struct plugin_argument *a = &info->argv[i];

		if (!strcmp(a->key, "tu-path")) {
			if (!a->value || !*a->value) {
				error("klp: %<-fplugin-arg-klp-tu-path%> needs a value: "
				      "%<-fplugin-arg-klp-tu-path=PATH%>");
				return false;
			}
			opts->tu_path = a->value;
			continue;
		}
		if (!strcmp(a->key, "ppc-calls")) {
#ifdef KLP_TARGET_PPC64
			bool known = false;

			for (int m = 0; m < KLP_PPC_CALLS_MODES && a->value; m++) {
				if (!strcmp(a->value, klp_ppc_calls_names[m])) {
					opts->ppc_calls = (enum klp_ppc_calls_mode)m;
					known = true;
				}
			}
			if (!known) {
				error("klp: %<-fplugin-arg-klp-ppc-calls%> takes %<local%>, "
				      "%<static%> or %<none%>, not %qs",
				      a->value ? a->value : "");
				return false;
			}
			continue;
#else
			error("klp: %<-fplugin-arg-klp-ppc-calls%> applies to ppc64 only; "
			      "this klp.so is for %qs", KLP_TARGET_NAME);
			return false;
#endif
		}
		error("klp: unknown option %<-fplugin-arg-klp-%s%>; known options: "
		      "%<tu-path=PATH%>, %<ppc-calls=local|static|none%>", a->key);
		return false;
	}
	return true;
}

/* Pass pair around "final": capture its assembly, then record the function. */
KLP_RTL_PASS(capture_pass, "klp_capture", klp_begin_function(st, fun->decl));
KLP_RTL_PASS(record_pass, "klp_record", klp_end_function(st));

#ifdef KLP_TARGET_PPC64
KLP_RTL_PASS(ppc_calls_pass, "klp_ppc_calls", klp_ppc_force_nops(&st->opts));

static void register_ppc_calls(struct klp_state *st, const char *name)
{
	static struct register_pass_info info;

	if (st->opts.ppc_calls == KLP_PPC_CALLS_NONE)
		return;
	klp_ppc_calls_init(&st->opts);
	info.pass = new ppc_calls_pass(g, st);
	info.reference_pass_name = "expand";
	info.ref_pass_instance_number = 1;
	info.pos_op = PASS_POS_INSERT_AFTER;
	register_callback(name, PLUGIN_PASS_MANAGER_SETUP, NULL, &info);
}
#endif

bool klp_left_out(void)
{
	/* Known once the options are processed, before any pass runs. */
	return !TARGET_64BIT;
}

static void finish_unit(void *, void *state)
{
	if (!seen_error())
		klp_emit_notes((struct klp_state *)state);
}

int plugin_init(struct plugin_name_args *info, struct plugin_gcc_version *version)
{
	struct register_pass_info capture, record;
	/* one unit per cc1: the state lives as long as the compiler */
	struct klp_state *st = XCNEW(struct klp_state);

	st->pending = -1;
	if (!check_compiler(version) || !parse_args(info, &st->opts))
		return 1;
	snprintf(st->producer, sizeof(st->producer), "gcc %s", version->basever);
	if (flag_lto || in_lto_p) {
		error("klp: %<-flto%> is not supported: the notes must describe the "
		      "code the final link gets; build without %<-flto%>");
		return 1;
	}

	st->constants = klp_constants_new();
	capture.pass = new capture_pass(g, st);
	capture.reference_pass_name = "final";
	capture.ref_pass_instance_number = 1;
	capture.pos_op = PASS_POS_INSERT_BEFORE;
	record.pass = new record_pass(g, st);
	record.reference_pass_name = "final";
	record.ref_pass_instance_number = 1;
	record.pos_op = PASS_POS_INSERT_AFTER;

	register_callback(info->base_name, PLUGIN_INFO, NULL, &klp_plugin_info);
	register_callback(info->base_name, PLUGIN_PASS_MANAGER_SETUP, NULL, &capture);
	register_callback(info->base_name, PLUGIN_PASS_MANAGER_SETUP, NULL, &record);
	register_callback(info->base_name, PLUGIN_FINISH_UNIT, finish_unit, st);
	klp_inline_tree_init(st, info->base_name);
#ifdef KLP_TARGET_PPC64
	register_ppc_calls(st, info->base_name);
#endif
	return 0;
}
