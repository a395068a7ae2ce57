# A ppc64le livepatch function whose calls to target symbols lack the nop
# the module loader needs after `bl` (two of them), and a sibling call (`b`),
# which needs none.
	.abiversion 2
	.section ".text"
	.globl lp_calls
	.type lp_calls, @function
lp_calls:
	mflr 0
	std 0,16(1)
	stdu 1,-32(1)
	bl "__klp_ref:vmlinux:drivers/a/state.c:state_show"
	addi 3,3,1
	bl "__klp_ref:vmlinux:drivers/b/state.c:state_show"
	addi 1,1,32
	ld 0,16(1)
	mtlr 0
	b "__klp_ref:vmlinux:drivers/c/state.c:state_show"
	.size lp_calls, .-lp_calls
