/* a call to an IPA-SRA clone (.isra) */
extern void sink(long);
struct big { long a, b, c, d, e, f; };
static __attribute__((noinline)) long target(struct big *p) { sink(p->d); return p->c * 3 + p->d; }
long patched(struct big *p) { return target(p) + 1; }
long other(struct big *p) { return target(p) + 2; }
