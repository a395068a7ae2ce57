// The second object of the livepatch module: it wants another file's
// `state` (after linking both objects together the two must
// still resolve to different positions) and the global `state`.
#include "klp.h"

extern int b_state[2] KLP_LOCAL_SYM("vmlinux", "drivers/b/state.c", "state");
extern int g_state[5] KLP_LOCAL_SYM("vmlinux", "drivers/main.c", "state");

int lp_b(int x) { return b_state[1] + g_state[x & 3]; }
