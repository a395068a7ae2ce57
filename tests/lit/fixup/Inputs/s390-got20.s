# A module's static reached through a GOT slot in a form convert does not
# rewrite (-fpic's 20-bit GOT offset): verify must report it.
	.text
	.globl lp_got
lp_got:
	lg	%r1,"__klp_ref:state_mod:drivers/c/state.c:state"@GOT(%r12)
	br	%r14
