// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * patched.c - the changed function of the ppc64le scenario, compiled the
 * way a kpatch-style build compiles it: inside a unit that also defines
 * the function it calls, static, as fs/proc/cmdline.c does.  The compiler
 * therefore sees a call that binds locally and, left alone, emits `bl`
 * with no nop after it.  run-ppc.sh then points that call at the running
 * kernel's cmdline_proc_show() (the job kpatch's create-diff-object does),
 * so the module loader has to reach it through a stub: it needs the nop
 * to restore r2, and refuses the module without one.
 */
#include <linux/seq_file.h>

/*
 * Stands in for the original static function: only its binding matters,
 * every call to it is redirected.  noipa keeps the call a call to it.
 */
static __attribute__((noipa)) int cmdline_proc_show(struct seq_file *m, void *v)
{
	return 0;
}

/* Replaces version_proc_show(): /proc/version shows the command line. */
int klp_version_proc_show(struct seq_file *m, void *v)
{
	int ret;

	seq_puts(m, "klp-e2e patched version, cmdline: ");
	ret = cmdline_proc_show(m, v);	/* not a tail call: `bl`, then this */
	seq_puts(m, "klp-e2e end\n");
	return ret;
}
