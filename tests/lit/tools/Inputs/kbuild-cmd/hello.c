/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A kernel-style unit for kbuild-cmd: no system header (-nostdinc). */
#ifdef FAIL
#error failing on purpose
#endif

static int hello_count;

int hello_answer(void)
{
	return HELLO_ANSWER + hello_count++;
}

#ifdef EXTRA
int extra = EXTRA;
#endif
