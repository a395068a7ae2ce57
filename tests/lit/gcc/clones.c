// IPA clones are recorded under their clone names with the function they
// came from: .constprop (constant arguments), .isra (scalar replacement),
// .part (split-off part) and .cold (unlikely code moved out).
// REQUIRES: gcc-x86
// RUN: %cc-x86 -O2 -c %s -o %t.o
// RUN: %klp-fixup dump %t.o | FileCheck %s
// RUN: %klp-check addrs %t.o | FileCheck %s --check-prefix=OK
// RUN: %cc-x86 -O2 -g -c %s -o %t-g.o
// RUN: %klp-fixup dump %t-g.o | FileCheck %s

// CHECK-DAG: func local scale.constprop.0 size={{[1-9][0-9]*}} {{.*}}origin=scale clone
// CHECK-DAG: func local sum_field.isra.0 size={{[1-9][0-9]*}} {{.*}}origin=sum_field clone
// CHECK-DAG: func local check.part.0 size={{[1-9][0-9]*}} {{.*}}origin=check clone
// CHECK-DAG: func global with_cold size={{[1-9][0-9]*}}
// CHECK-DAG: func local with_cold.cold size={{[1-9][0-9]*}} {{.*}}origin=with_cold cold
// OK: addrs: {{[0-9]+}} symbols checked, 0 mismatches, 0 without address

extern void sink(long);
extern void __attribute__((noreturn, cold)) die(const char *);

static __attribute__((noinline)) long scale(long x, long factor)
{
	long r = 0;

	for (long i = 0; i < factor; i++)
		r += x * i;
	return r;
}

long scale_a(long x) { return scale(x, 7); }
long scale_b(long x) { return scale(x + 1, 7); }

struct big { long a, b, c, d, e, f; };

static __attribute__((noinline)) long sum_field(struct big *p)
{
	return p->c * 3 + p->d;
}

long use_big(struct big *p) { return sum_field(p) + 1; }
long use_big2(struct big *p) { return sum_field(p) + 2; }

/* A likely early return and a big tail: ipa-split inlines the test into
 * the callers and leaves the tail out of line as check.part.0. */
static long check(long x)
{
	if (__builtin_expect(x == 0, 1))
		return 0;
	for (int i = 0; i < 100; i++) {
		sink(x * i); sink(x + i); sink(x - i); sink(x ^ i);
		sink(x * i + 1); sink(x + i + 1); sink(x - i + 1); sink(x ^ i + 1);
		sink(x * i + 2); sink(x + i + 2); sink(x - i + 2); sink(x ^ i + 2);
	}
	for (int i = 0; i < 100; i++) {
		sink(x * i); sink(x + i); sink(x - i); sink(x ^ i);
	}
	return x;
}

long check_a(long x) { return check(x) + 1; }
long check_b(long x) { return check(x) + 2; }
long check_c(long x) { return check(x) + 3; }

long with_cold(long x)
{
	if (__builtin_expect(x < 0, 0))
		die("negative");
	return x * 2;
}
