#include "common.h"
static int helper(int x) { return x < 0 ? 0 : x; }
int util_clamp(int x) { static int calls; calls++; return helper(x) > 100 ? 100 : helper(x); }
