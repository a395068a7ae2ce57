// The target of the fixup tests: one source, compiled as several units.
// UNIT 1..3 stand for drivers/{a,b,c}/state.c, each with its own static
// `state` and `state_show`; UNIT 4 is drivers/main.c with a global `state`.
// Same-named symbols differ in size, so the tests' ground truth
// (tests/tools/nm-sympos) can tell them apart without the notes.
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)

#if UNIT <= 3
static int state[UNIT];
static int hits[UNIT + 3];

static __attribute__((noinline)) int state_show(int x)
{
	state[0] += x;
#if UNIT >= 2
	state[1] = state[1] * 7 + x;
#endif
#if UNIT >= 3
	state[2] = state[2] * 13 + state[1] * x;
#endif
	return state[UNIT - 1];
}

#ifdef EXTRA	/* another build of the unit: one more function and static */
static int extra_calls;
int CAT(extra_entry, UNIT)(void) { return ++extra_calls; }
#endif

#if UNIT == 1	/* a weak default that drivers/main.c overrides */
__attribute__((weak, noinline)) int state_tunable(void) { return 1; }
#endif

int CAT(unit_entry, UNIT)(int x)
{
	hits[0]++;
	return state_show(x) + hits[0];
}

/*
 * The arrays escape, so clang keeps them whole: otherwise its globalopt
 * splits a static array it can see all uses of into scalars named
 * state.0, state.1, ... (docs/clang-pass.md).
 */
void *CAT(unit_data, UNIT)(int which)
{
	return which ? (void *)hits : (void *)state;
}
#else
int state[5] = { 1, 2, 3, 4, 5 };	/* a global of the statics' name */
int unit_entry1(int), unit_entry2(int), unit_entry3(int);

int state_tunable(void) { return 2; }

int main(int argc, char **argv)
{
	(void)argv;
	return unit_entry1(argc) + unit_entry2(argc) + unit_entry3(argc) + state[argc & 3];
}
#endif
