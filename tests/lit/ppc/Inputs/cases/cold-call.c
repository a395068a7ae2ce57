/* a call from a hot path to a cold static function */
extern void sink(long);
static __attribute__((noinline, cold)) void target(long x) { sink(-x); }
long patched(long x)
{
	if (__builtin_expect(x < 0, 0))
		target(x);
	return x + 1;
}
