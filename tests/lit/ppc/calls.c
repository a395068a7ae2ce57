// ppc64le: with klp.so every direct call to a locally-binding function is
// `bl` + nop and no sibling call reaches one, at every optimisation level
// and with the kernel's code-model and ftrace options.  Each build is
// checked by ppc-nop-check; the control build without the plugin shows
// the violations exist.
// REQUIRES: gcc-ppc64le
// RUN: %cc-ppc -O0 -c %s -o %t.o && ppc-nop-check %t.o
// RUN: %plain-ppc -O0 -c %s -o %t.o && not ppc-nop-check %t.o
// RUN: %cc-ppc -O1 -c %s -o %t.o && ppc-nop-check %t.o
// RUN: %plain-ppc -O1 -c %s -o %t.o && not ppc-nop-check %t.o
// RUN: %cc-ppc -O2 -c %s -o %t.o && ppc-nop-check %t.o
// RUN: %plain-ppc -O2 -c %s -o %t.o && not ppc-nop-check %t.o | FileCheck %s --check-prefix=CONTROL
// RUN: %cc-ppc -O3 -c %s -o %t.o && ppc-nop-check %t.o
// RUN: %plain-ppc -O3 -c %s -o %t.o && not ppc-nop-check %t.o
// RUN: %cc-ppc -Os -c %s -o %t.o && ppc-nop-check %t.o
// RUN: %plain-ppc -Os -c %s -o %t.o && not ppc-nop-check %t.o
// RUN: %cc-ppc -O2 -pg -mprofile-kernel -c %s -o %t.o && ppc-nop-check %t.o
// RUN: %plain-ppc -O2 -pg -mprofile-kernel -c %s -o %t.o && not ppc-nop-check %t.o
// RUN: %cc-ppc -O2 -fpatchable-function-entry=2 -c %s -o %t.o && ppc-nop-check %t.o
// RUN: %plain-ppc -O2 -fpatchable-function-entry=2 -c %s -o %t.o && not ppc-nop-check %t.o
// RUN: %cc-ppc -O2 -mcmodel=medium -c %s -o %t.o && ppc-nop-check %t.o
// RUN: %plain-ppc -O2 -mcmodel=medium -c %s -o %t.o && not ppc-nop-check %t.o
// RUN: %cc-ppc -O2 -mcmodel=large -c %s -o %t.o && ppc-nop-check %t.o
// RUN: %plain-ppc -O2 -mcmodel=large -c %s -o %t.o && not ppc-nop-check %t.o
// RUN: %cc-ppc -O2 -flive-patching=inline-clone -c %s -o %t.o && ppc-nop-check %t.o
// RUN: %plain-ppc -O2 -flive-patching=inline-clone -c %s -o %t.o && not ppc-nop-check %t.o
// RUN: %cc-ppc -O2 -ffunction-sections -pg -mprofile-kernel -mcmodel=large -c %s -o %t.o && ppc-nop-check %t.o | FileCheck %s --check-prefix=CLEAN
// RUN: %cc-ppc -O2 -fplugin-arg-klp-ppc-calls=static -c %s -o %t.o && not ppc-nop-check %t.o | FileCheck %s --check-prefix=STATIC
// RUN: %cc-ppc -O2 -c %s -o %t.o && %klp-fixup dump %t.o | FileCheck %s --check-prefix=NOTES
// power10 pc-relative code needs no TOC restore: the plugin leaves it alone.
// RUN: %plain-ppc -O2 -mcpu=power10 -mpcrel -c %s -o %t-pcrel0.o
// RUN: %cc-ppc -O2 -mcpu=power10 -mpcrel -c %s -o %t-pcrel1.o
// RUN: %klp-check same-code %t-pcrel0.o %t-pcrel1.o | FileCheck %s --check-prefix=PCREL

// Without the plugin: plain `bl` to statics, same-file globals and clones,
// and sibling calls.
// CONTROL-DAG: bl without nop: {{.*}} -> helper
// CONTROL-DAG: bl without nop: {{.*}} -> same_file_global
// CONTROL-DAG: bl without nop: {{.*}} -> scale.constprop.0
// CONTROL-DAG: bl without nop: {{.*}} -> report_broken
// CONTROL-DAG: sibling call: tail_static -> helper
// CLEAN: ppc-nop-check: 1 files, {{[1-9][0-9]*}} calls, 0 violations; from C code: 0
// In "static" mode only calls to same-file globals are left as they were.
// STATIC-NOT: -> helper
// STATIC: -> same_file_global
// STATIC-NOT: -> helper
// NOTES: unit {{.*}} ppc-calls-local
// PCREL: same-code: {{[1-9][0-9]*}} items compared, 0 differ

extern void sink(long);
extern long (*hook)(long);

static __attribute__((noinline)) long helper(long x)
{
	sink(x);
	return x * 3 + 1;
}

__attribute__((noinline)) long same_file_global(long x)
{
	sink(x);
	return x - 7;
}

long calls(long x) { return helper(x) + same_file_global(x); }

/* a tail call to a static: must stay a call */
long tail_static(long x) { return helper(x + 1); }

/* recursion that stays recursion */
long fib(long x) { return x < 2 ? x : fib(x - 1) + fib(x - 2); }

/* an IPA clone (.constprop) */
static __attribute__((noinline)) long scale(long x, long f)
{
	long r = 0;

	for (long i = 0; i < f; i++)
		r += x * i;
	sink(r);
	return r;
}

long scale_a(long x) { return scale(x, 7) + 1; }
long scale_b(long x) { return scale(x + 1, 7) + 2; }

/* a cold function reached from a hot path */
static __attribute__((noinline, cold)) void report_broken(long x)
{
	sink(-x);
}

long checked(long x)
{
	if (__builtin_expect(x < 0, 0))
		report_broken(x);
	return x + 1;
}

/* indirect calls are unaffected */
long indirect(long x) { return hook(x) + 1; }
