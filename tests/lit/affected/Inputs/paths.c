// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Static functions that GCC inlines into some callers and clones for
 * others.  Compiled once as is and once with -DCHANGE_<name>, which
 * changes the body of <name> only; the functions whose code then differs
 * are what a livepatch for that change has to replace.
 */
#define PICK(name, old, new) (CHANGE_##name ? (new) : (old))
#ifndef CHANGE_mix
#define CHANGE_mix 0
#endif
#ifndef CHANGE_scale
#define CHANGE_scale 0
#endif
#ifndef CHANGE_helper
#define CHANGE_helper 0
#endif
#ifndef CHANGE_raw
#define CHANGE_raw 0
#endif
#ifndef CHANGE_check
#define CHANGE_check 0
#endif
#ifndef CHANGE_check_tail
#define CHANGE_check_tail 0
#endif
#ifndef CHANGE_guard
#define CHANGE_guard 0
#endif

extern void sink(long);
extern long ext(long);
extern void __attribute__((noreturn, cold)) die(const char *);
extern void __attribute__((cold)) report(long);

/* Small: inlined everywhere, so never emitted on its own. */
static inline long mix(long x)
{
	return (x ^ (x >> 7)) * PICK(mix, 3, 5);
}

/* Always called with factor 7: IPA-CP makes scale.constprop.0. */
static __attribute__((noinline)) long scale(long x, long factor)
{
	long r = 0;

	for (long i = 0; i < factor; i++)
		r += mix(x * i) + ext(i) * PICK(scale, 11, 13);
	return r;
}

long scale_a(long x) { return scale(x, 7); }
long scale_b(long x) { return scale(x + 1, 7); }

/* Only one field used: IPA-SRA passes it by value, sum_field.isra.0. */
struct big { long a, b, c, d, e, f; };

static __attribute__((noinline)) long sum_field(struct big *p)
{
	return mix(p->c) + p->d;
}

long use_big(struct big *p) { return sum_field(p) + 1; }
long use_big2(struct big *p) { return sum_field(p) + 2; }

/* Inlined into a function that is itself inlined into top(). */
static inline long helper(long x)
{
	return mix(x) + ext(x) * PICK(helper, 2, 4);
}

long top(long x) { return helper(x) * 2; }
long top2(long x) { return helper(x + 1) - 1; }

/* Cannot be patched itself: its caller has to be. */
__attribute__((noinline, no_instrument_function)) long raw(long x)
{
	return mix(x) + PICK(raw, 1, 9);
}

long calls_raw(long x) { return raw(x) + ext(x); }

/* A likely early return and a big tail: ipa-split inlines the test into
 * the callers and leaves the tail out of line as check.part.0. */
static long check(long x)
{
	if (__builtin_expect(x == PICK(check, 0, 1), 1))
		return 0;
	for (int i = 0; i < 100; i++) {
		sink(x * i); sink(x + i); sink(x - i); sink(x ^ i);
		sink(x * i + 1); sink(x + i + 1); sink(x - i + 1); sink(x ^ i + 1);
		sink(x * i + 2); sink(x + i + 2); sink(x - i + 2); sink(x ^ i + 2);
	}
	for (int i = 0; i < 100; i++) {
		sink(mix(x) * i); sink(x + i); sink(x - i); sink(x ^ i);
	}
	return x * PICK(check, 1, 3) + PICK(check_tail, 0, x >> 3);
}

long check_a(long x) { return check(x) + 1; }
long check_b(long x) { return check(x) + 2; }
long check_c(long x) { return check(x) + 3; }

/* Inlined, with an unlikely path that goes to the callers' .cold parts. */
static inline long guard(long x)
{
	if (__builtin_expect(x < 0, 0)) {
		report(x * PICK(guard, 5, 7));
		die("negative");
	}
	return x * PICK(guard, 2, 6);
}

long guarded(long x) { return guard(x) + ext(x); }
long unrelated(long x) { return ext(x) + 42; }
