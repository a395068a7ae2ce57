/* a function calling itself */
long patched(long x) { return x < 2 ? x : patched(x - 1) + patched(x - 2); }
