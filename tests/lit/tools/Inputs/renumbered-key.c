/* Three functions, each with a static of one name; THIRD adds one after
 * the others, and GCC renumbers theirs (key.0 becomes key.1): the same
 * objects under new names.  Empty, as lockdep's __key is without LOCKDEP. */
struct key {};
void use(void *);
void first(void) { static struct key key; use(&key); }
void second(void) { static struct key key; use(&key); use(&key); }
#ifdef THIRD
void third(void) { static struct key key; use(&key); }
#endif
