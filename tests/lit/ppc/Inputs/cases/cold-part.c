/* a .cold part that calls a static function and returns into its parent */
extern void sink(long);
extern void warn_once(const char *);
static __attribute__((noinline)) long target(long x) { sink(x); return x * 3; }
long patched(long x)
{
	if (__builtin_expect(x < 0, 0)) {
		warn_once("negative");
		return target(-x);
	}
	return x + 1;
}
