/* an indirect call: nothing to change */
extern long (*hook)(long);
long patched(long x) { return hook(x) + 1; }
