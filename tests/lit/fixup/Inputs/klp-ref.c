/* References through include/klp.h, for fixup/klp-h.test. */
#include "klp.h"

extern int helper(void) KLP_LOCAL_SYM("vmlinux", "fs/proc/a b.c", "helper");
extern int level KLP_LOCAL_SYM("klp_mod", "dir/level.c", "level");

int use(void)
{
	return helper() + level;
}
