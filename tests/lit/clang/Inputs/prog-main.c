#include <stdio.h>

long same_file_global(long x), tail_static(long x), lib_hits(void);

static __attribute__((noinline)) int check(long got, long want, const char *what)
{
	if (got == want)
		return 0;
	printf("FAIL %s: %ld, expected %ld\n", what, got, want);
	return 1;
}

int main(void)
{
	int bad = 0;

	bad += check(same_file_global(5), 16, "same_file_global");
	bad += check(tail_static(5), 12, "tail_static");
	bad += check(lib_hits(), 2, "hits");
	puts(bad ? "FAIL" : "ok");
	return bad;
}
