/* a call to the split-off part of a function (.part) */
extern void sink(long);
static long target(long x)
{
	if (__builtin_expect(x == 0, 1))
		return 0;
	for (int i = 0; i < 100; i++) {
		sink(x * i); sink(x + i); sink(x - i); sink(x ^ i);
		sink(x * i + 1); sink(x + i + 1); sink(x - i + 1); sink(x ^ i + 1);
	}
	for (int i = 0; i < 50; i++) {
		sink(x * i); sink(x + i); sink(x - i); sink(x ^ i);
	}
	return x;
}
long patched(long x) { return target(x) + 1; }
long other(long x) { return target(x) + 2; }
long third(long x) { return target(x) + 3; }
