/* The module's other file: a same-named static, linked first. */
static int counter;

int other_handle(int x)
{
	counter += 2;
	return counter - x;
}
