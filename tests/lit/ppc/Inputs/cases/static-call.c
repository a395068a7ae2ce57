/* a call to a static function */
extern void sink(long);
static __attribute__((noinline)) long target(long x) { sink(x); return x * 3; }
long patched(long x) { return target(x) + 1; }
