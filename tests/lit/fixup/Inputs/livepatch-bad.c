// References that cannot be resolved, each for its own reason: convert
// must report all of them and write nothing.
#include "klp.h"

extern int amb_state[1] KLP_LOCAL_SYM("vmlinux", "state.c", "state");	/* 3 units */
extern int no_such(int) KLP_LOCAL_SYM("vmlinux", "drivers/a/state.c", "no_such");
extern int other(int) KLP_LOCAL_SYM("other_mod", "x.c", "other");	/* no target */
extern int dup(int) KLP_LOCAL_SYM("vmlinux", "", "state_show");	/* not unique */

int lp_bad(int x) { return amb_state[0] + no_such(x) + other(x) + dup(x); }
