// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sample.c - a kernel-style translation unit for the demo and the tests:
 * statics that share names with other files, function-local statics, an
 * IPA clone, an inlined helper, a cold path, a notrace function and init
 * code, written the way kernel C code writes them (without kernel headers,
 * so it compiles for any target).
 */
#define __init		__attribute__((section(".init.text")))
#define __initdata	__attribute__((section(".init.data")))
#define notrace		__attribute__((no_instrument_function))
#define noinline	__attribute__((noinline))
#define __cold		__attribute__((cold))
#define unlikely(x)	__builtin_expect(!!(x), 0)

struct seq_file { char *buf; unsigned long size, count; };

extern int seq_printf(struct seq_file *m, const char *fmt, ...);
extern void panic(const char *msg) __attribute__((noreturn));

/* A name that many kernel files use for their own statics. */
static int c_start;
static const char *const state_names[] = { "off", "on", "broken" };
static int boot_param __initdata = 3;

static inline int clamp_state(int s)
{
	return s < 0 ? 0 : s > 2 ? 2 : s;
}

/* Called with a constant from every caller: GCC makes .constprop clones. */
static noinline int show_state(struct seq_file *m, int state, int verbose)
{
	static unsigned long shown;

	shown++;
	if (verbose)
		return seq_printf(m, "%s (%lu)\n", state_names[clamp_state(state)], shown);
	return seq_printf(m, "%s\n", state_names[clamp_state(state)]);
}

static noinline __cold void report_broken(int state)
{
	static char msg[32] = "broken state";

	msg[0] = (char)('0' + state);
	panic(msg);
}

int state_show(struct seq_file *m, void *v)
{
	int state = *(int *)v + c_start;

	if (unlikely(state > 2))
		report_broken(state);
	return show_state(m, state, 1);
}

int state_show_short(struct seq_file *m, void *v)
{
	return show_state(m, *(int *)v, 1);
}

notrace int state_raw(void *v)
{
	return clamp_state(*(int *)v);
}

int __init state_init(void)
{
	static int initialised;

	c_start = boot_param;
	initialised = 1;
	return initialised;
}
