/* a tail call to a function of another file */
extern long target(long x);
long patched(long x) { return target(x + 1); }
