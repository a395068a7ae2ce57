// Module rules: a module's kallsyms keep only core symbols, so a static in
// .init.text (freed after init) does not count, and neither does .modinfo.
// UNIT 1 has `helper` in .init.text, UNIT 2 an ordinary `helper`.
#if UNIT == 1
static __attribute__((noinline, section(".init.text"))) int helper(int x)
{
	return x * 3 + 1;
}

static const char modinfo_license[] __attribute__((section(".modinfo"), used)) =
	"license=GPL";

int init_entry(int x) { return helper(x); }
#else
static __attribute__((noinline)) int helper(int x)
{
	return x * 5 + x / 3 + 7;
}

int core_entry(int x) { return helper(x); }
#endif
