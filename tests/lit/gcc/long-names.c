// Names of any length.  With fixed 96-byte buffers the plugin failed on a
// static function whose name had 85 characters or more ("can't resolve
// .text - f..."), and when one long name was a prefix of another it
// recorded the wrong size and site.  Each function here has its own size,
// its own fentry site and its address; klp-check compares them with the
// symbol table and __mcount_loc.
// REQUIRES: gcc-x86, gcc-ppc64le
// RUN: %cc-x86 -O2 -pg -mfentry -mrecord-mcount -c %s -o %t.o
// RUN: %klp-fixup dump %t.o | FileCheck %s
// RUN: %klp-check addrs %t.o | FileCheck %s --check-prefix=ADDRS
// RUN: %klp-check sites %t.o | FileCheck %s --check-prefix=SITES
// RUN: %cc-ppc -O2 -pg -mprofile-kernel -c %s -o %t-ppc.o
// RUN: %klp-fixup dump %t-ppc.o | FileCheck %s
// RUN: %klp-check addrs %t-ppc.o | FileCheck %s --check-prefix=ADDRS

#define N90 f123456789_123456789_123456789_123456789_123456789_123456789_123456789_123456789_12345678
#define CAT(a, b) CAT_(a, b)
#define CAT_(a, b) a##b

// CHECK-DAG: func local [[N:f123456789_123456789_123456789_123456789_123456789_123456789_123456789_123456789_12345678]] size=[[S1:[0-9]+]] addr={{.*}} site=
// CHECK-DAG: func local [[N]]_and_more size=[[S2:[0-9]+]] addr={{.*}} site=
// CHECK-DAG: object local [[N]]_data size=400
// ADDRS: 0 mismatches
// SITES: 0 mismatches
static __attribute__((noinline)) int N90(int x) { return x * 3 + 1; }
static __attribute__((noinline)) int CAT(N90, _and_more)(int x)
{
	int s = 0;
	for (int i = 0; i < x; i++)
		s += i * i ^ (s >> 3);
	return s;
}
static int CAT(N90, _data)[100];
int use(int x)
{
	CAT(N90, _data)[x & 63] = x;
	return N90(x) + CAT(N90, _and_more)(x) + CAT(N90, _data)[x & 7];
}
