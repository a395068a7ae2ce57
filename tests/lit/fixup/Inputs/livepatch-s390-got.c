// A module's static reached through the GOT, as -fPIC on s390x loads any
// symbol of default visibility: `lgrl %rN,sym@GOTENT`.
#include "klp.h"

extern int m_state[1] KLP_LOCAL_SYM("state_mod", "drivers/c/state.c", "state");

int lp_got(void) { return m_state[0]; }
