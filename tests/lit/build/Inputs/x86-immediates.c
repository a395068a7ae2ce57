/* Instructions whose RIP-relative displacement is followed by an
 * immediate, against statics that share one section (as the kernel's
 * WARN_ONCE flags share .data..once): GNU as writes each relocation
 * against the section, and only the instruction's length says which
 * variable it is. */
#define once __attribute__((section(".data..once")))
static char flag_a once, flag_b once;
static short half once;
static int word once;
static long quad once;
static unsigned char table[64];

int touch(int x)
{
	if (!flag_a) {			/* cmpb $0, x(%rip) */
		flag_a = 1;		/* movb $1, x(%rip) */
		x++;
	}
	flag_b = 7;
	half = 0x1234;			/* movw $imm16: 66 prefix */
	word += 100000;			/* addl $imm32 */
	quad |= 0x40;			/* orq $imm8 */
	if (word & 0x10000)		/* testl $imm32 */
		x += table[x & 63];
	if (quad & 8)			/* testb $imm8 */
		x -= 3;
	word <<= 3;			/* shll $imm8 */
	return x * 37 + half;
}

long wide(long v)
{
	quad = 0x123456789abcdefL;	/* movabs, then a store */
	return v ^ quad;
}
