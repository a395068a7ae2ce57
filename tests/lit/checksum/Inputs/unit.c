/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * unit.c - one translation unit for the checksum tests: each CHANGE_x
 * edits one function (or object) and nothing else.  The edits are made
 * to disturb what unit-wide numbering would betray: CHANGE_first adds
 * lines, a string literal and a function-local static before every other
 * function, so later labels, .LC constants and name.N statics are all
 * renumbered and every __LINE__ below moves.
 */
struct bug_entry { const void *addr; int line; };

/* WARN()-like: the line goes into another section, the code stays. */
#define WARN_HERE()							\
	asm volatile("1: nop\n"						\
		     ".pushsection .discard.bug_like,\"a\"\n"		\
		     ".quad 1b\n.long %c0\n"				\
		     ".popsection\n" : : "i" (__LINE__))

extern int printk(const char *fmt, ...);
extern void consume(void *p);

int first(int x)
{
#ifdef CHANGE_first
	static int calls;

	calls++;
	printk("first: a new message %d\n", x);
	if (x > 100)
		return calls;
#endif
	return x + 1;
}

static int counter(void)
{
	static int count;	/* count.N: numbered unit-wide by GCC */

	return ++count;
}

int second(int x)
{
	WARN_HERE();
#ifdef CHANGE_literal
	printk("second, changed: %d\n", x);
#else
	printk("second: %d\n", x);
#endif
	return x * 2 + counter();
}

int third(int x)
{
	switch (x) {
	case 0: return printk("zero\n");
	case 1: return printk("one\n");
	case 2: return printk("two\n");
	case 3: return printk("three\n");
	case 4: return printk("four\n");
	case 5: return printk("five\n");
	default:
#ifdef CHANGE_third
		return printk("other: %d\n", x + 1);
#else
		return printk("other: %d\n", x);
#endif
	}
}

static const char *const names[] = { "red", "green", "blue" };

const char *name_of(int i)
{
	WARN_HERE();
	return names[i % 3];
}

#ifdef CHANGE_table
int table[4] = { 1, 2, 3, 5 };
#else
int table[4] = { 1, 2, 3, 4 };
#endif
static int scratch[16];

int use_table(int i)
{
	consume(scratch);
	return table[i & 3];
}

#ifdef CHANGE_new
static int added(int x)
{
	return x - 1;
}

int use_added(int x)
{
	return added(x) + first(x);
}
#endif
