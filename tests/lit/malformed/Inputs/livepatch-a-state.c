// A livepatch object using state_show of drivers/a/state.c in vmlinux
// and in module state_mod: for targets that have that unit twice.
#include "klp.h"

extern int v_state_show(int) KLP_LOCAL_SYM("vmlinux", "drivers/a/state.c", "state_show");
extern int m_state_show(int) KLP_LOCAL_SYM("state_mod", "drivers/a/state.c", "state_show");

int lp_show(int x) { return v_state_show(x) + m_state_show(x); }
