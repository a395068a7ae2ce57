/* Shared by the files of the parallel-make project. */
int core_step(int x);
int state_get(void);
int util_clamp(int x);
int table_lookup(int i);
