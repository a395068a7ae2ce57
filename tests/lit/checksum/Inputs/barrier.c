/* A compiler barrier emits no instruction: where the code around it is
 * the same, a function that gains one has not changed. */
struct dev { int refs; };

int read_refs(const struct dev *d)
{
#ifdef BARRIER
	__asm__ __volatile__("" : : : "memory");
#endif
	return d->refs;
}

int other(int x)
{
	return x * 3;
}
