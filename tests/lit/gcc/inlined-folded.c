// A function inlined and then optimised away completely (a constant that
// kills the caller's branch, a body whose only effect is gone) leaves no
// scope in the caller, yet a change to it may change the caller: it is
// listed all the same, through functions inlined in between, in IPA-CP
// clones, and in functions that inlined a body that had inlined it.  The
// ground truth is GCC's own record of its inline decisions,
// -fdump-ipa-clones: `ipa-clones-closure --compare` checks, for every
// function the dump names, that `affected` lists exactly the functions
// the dump says carry its code.
// REQUIRES: gcc-x86
// RUN: rm -rf %t && mkdir %t
// RUN: %cc-x86 -O2 -pg -mfentry -fdump-ipa-clones=%t/a.clones -c %s -o %t/a.o
// RUN: %klp-fixup dump %t/a.o | FileCheck %s
// RUN: ipa-clones-closure --compare %t/a.clones %t/a.o inlined-folded.c \
// RUN:   | FileCheck %s --check-prefix=DUMP
// RUN: %cc-x86 -O2 -g -pg -mfentry -fdump-ipa-clones=%t/g.clones -c %s -o %t/g.o
// RUN: %klp-fixup dump %t/g.o | FileCheck %s
// RUN: ipa-clones-closure --compare %t/g.clones %t/g.o inlined-folded.c \
// RUN:   | FileCheck %s --check-prefix=DUMP
// The ground truth itself: these were inlined (not merely called).
// RUN: FileCheck %s --check-prefix=TRUTH < %t/a.clones

// CHECK-DAG: func global pointer {{.*}} inlined=errname checksum={{0x[0-9a-f]{16}$}}
// CHECK-DAG: func global store {{.*}} inlined=const_bit,instrument_write,write_one checksum={{0x[0-9a-f]{16}$}}
// CHECK-DAG: func global user_a {{.*}} inlined=describe,errname checksum={{0x[0-9a-f]{16}$}}
// CHECK-DAG: func global user_b {{.*}} inlined=describe,errname checksum={{0x[0-9a-f]{16}$}}
// CHECK-DAG: func local scale.constprop.0 {{.*}} origin=scale clone inlined={{.*}}instrument_write
// CHECK-DAG: func global plain {{.*}} site=fentry+0 checksum={{0x[0-9a-f]{16}$}}
// DUMP: {{.*}}.o: 6 functions: 6 same, 0 notes list fewer, 0 notes list more, 0 other
// TRUTH-DAG: Callgraph clone;errname;{{.*}};pointer;{{.*}};inlining to
// TRUTH-DAG: Callgraph clone;errname;{{.*}};describe;{{.*}};inlining to
// TRUTH-DAG: Callgraph clone;instrument_write;{{.*}};write_one;{{.*}};inlining to
// TRUTH-DAG: Callgraph clone;describe{{.*}};user_a;{{.*}};inlining to

extern void sink(long);
extern long ext(long);

/* Returns a constant: the caller's branch goes away with it. */
static inline const char *errname(int err)
{
	(void)err;
	return (void *)0;
}

/* Its only effect is gone once inlined (a sanitizer hook compiled out). */
static inline void instrument_write(const void *p, long n)
{
	(void)p;
	(void)n;
}

/* Folded to a constant wherever its argument is one. */
static inline int const_bit(long nr)
{
	return nr == 64;
}

static inline void write_one(long *p, long v)
{
	instrument_write(p, sizeof(*p));
	*p = v;
}

long pointer(int err, long x)
{
	const char *name = errname(err);

	if (name)
		sink((long)name);
	return ext(x);
}

void store(long *p)
{
	write_one(p, const_bit(3) ? 7 : 9);
}

/* Inlines errname early, and is inlined itself (at IPA time) into two
 * callers: they hold errname's code too. */
static long describe(int err, long x)
{
	if (errname(err))
		return -1;
	return ext(x) + ext(x + 1) + ext(x + 2) + ext(x * 3);
}

long user_a(long x) { return describe(1, x) + 1; }
long user_b(long x) { return describe(2, x) + 2; }

/* Always called with f == 7: IPA-CP makes scale.constprop.0, which holds
 * everything scale inlined. */
static __attribute__((noinline)) long scale(long x, long f)
{
	long r = 0;

	for (long i = 0; i < f; i++)
		r += const_bit(i) ? 0 : ext(x * i);
	write_one(&r, r + 1);
	return r;
}

long scale_a(long x) { return scale(x, 7); }
long scale_b(long x) { return scale(x + 1, 7); }
long plain(long x) { return x * 7; }
