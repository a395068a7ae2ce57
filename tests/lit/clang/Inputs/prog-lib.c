/* Statics called directly, by tail call and through a same-file global. */
static long hits;

static __attribute__((noinline)) long scale(long x, long f)
{
	hits++;
	return x * f;
}

__attribute__((noinline)) long same_file_global(long x)
{
	return scale(x, 3) + 1;
}

long tail_static(long x)
{
	return scale(x + 1, 2);
}

long lib_hits(void)
{
	return hits;
}
