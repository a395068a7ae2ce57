/* A file of an out-of-tree module (seed 003: ib_mad's cm.c).  Its static
 * `counter` has a twin in other.c; the sizes differ, so the test's ground
 * truth (nm-sympos) can tell them apart. */
static long counter;

int cm_handle(int x)
{
	counter++;
	return (int)counter * 3 + x + 1;
}
