#include "common.h"
static int state;
static int hits[4];
int state_get(void) { hits[state & 3]++; return state++; }
