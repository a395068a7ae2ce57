// A module's static reached through the GOT, as -fPIC on s390x does for a
// symbol of default visibility (KLP_ASM_NAME: the name without the hidden
// attribute KLP_LOCAL_SYM adds on s390x).
#include "klp.h"

extern int m_state[1] KLP_ASM_NAME("state_mod", "drivers/c/state.c", "state");

int lp_got(void) { return m_state[0]; }
