/* a call to an IPA clone made for a constant argument (.constprop) */
extern void sink(long);
static __attribute__((noinline)) long target(long x, long f)
{
	long r = 0;

	for (long i = 0; i < f; i++)
		r += x * i;
	sink(r);
	return r;
}
long patched(long x) { return target(x, 7) + 1; }
long other(long x) { return target(x + 1, 7) + 2; }
