// A livepatch object written in C: it uses statics of two files of the
// target (vmlinux here) and one of module `state_mod`, through include/klp.h.
// `state` is referenced from three functions: three relocations share one
// symbol.
#include "klp.h"

extern int a_state[1] KLP_LOCAL_SYM("vmlinux", "drivers/a/state.c", "state");
extern int a_state_show(int) KLP_LOCAL_SYM("vmlinux", "a/state.c", "state_show");
extern int m_state_show(int) KLP_LOCAL_SYM("state_mod", "drivers/c/state.c", "state_show");

__attribute__((noinline)) int lp_read(void) { return a_state[0]; }
__attribute__((noinline)) void lp_write(int v) { a_state[0] = v; }
__attribute__((noinline)) int lp_show(int x) { return a_state_show(x) + a_state[0]; }
int lp_mod(int x) { return m_state_show(x) + m_state_show(x + 1); }
