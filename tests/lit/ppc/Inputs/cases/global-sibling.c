/* a tail call to a global function of the same file */
extern void sink(long);
__attribute__((noinline)) long target(long x) { sink(x); return x * 3; }
long patched(long x) { return target(x + 1); }
