/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ppc-calls.cc - ppc64 ELFv2: calls to locally-binding functions keep the
 * nop after `bl`, and no sibling call reaches such a function.
 *
 * A livepatch module that calls a function its original object called
 * locally must reach it through a stub, and the module loader needs the
 * instruction after that `bl` to be a nop it can turn into the TOC
 * restore (`ld r2,24(r1)`); a sibling `b` cannot be fixed at all.  The
 * rs6000 back end emits a plain `bl` when the callee's SYMBOL_REF is local
 * (`current_file_function_operand`), and may turn such calls into sibling
 * calls.  So, for every function, right after RTL expansion:
 *   - each direct call to a covered callee gets its own SYMBOL_REF without
 *     SYMBOL_FLAG_LOCAL, and is re-recognised: it matches the non-local
 *     call pattern, which prints `bl sym` + `nop`;
 * and targetm.function_ok_for_sibcall refuses covered callees, so expand
 * never makes the sibling call in the first place.  Both decide at the time
 * they run (ABI, pc-relative code), not at plugin load: power10 pc-relative
 * code needs no TOC restore and is left alone.
 *
 * Modes (-fplugin-arg-klp-ppc-calls=): "local" (default) covers every
 * callee that binds locally: static functions, and global functions of the
 * same unit, which bind locally in the kernel's non-PIC build; kpatch copies
 * changed functions into the patch module, where calls to either kind
 * reach the original kernel; in this mode no direct call at all becomes a
 * sibling call (see ok_for_sibcall).  "static" covers only static
 * functions.  "none" changes no code.
 */
#include "klp-plugin.h"

#ifdef KLP_TARGET_PPC64

#include "memmodel.h"
#include "emit-rtl.h"

/* Weak, and no Pmode (rs6000_pmode): GCC loads plugins RTLD_NOW, and a
 * klp.so for ppc64 loaded by another target's cc1 must get as far as
 * plugin_init to say so, instead of failing on an unresolved symbol. */
extern bool rs6000_pcrel_p(void) __attribute__((weak));


/* The target hook we wrap takes no context: what it needs, kept here. */
static bool (*original_ok_for_sibcall)(tree, tree);
static enum klp_ppc_calls_mode sibcall_mode;

static bool toc_calls(void)
{
	return (DEFAULT_ABI == ABI_ELFv2 || DEFAULT_ABI == ABI_AIX) && rs6000_pcrel_p
	       && !rs6000_pcrel_p();
}

/* Does the mode cover a call from the current function to decl? */
static bool covered(enum klp_ppc_calls_mode mode, tree decl, bool binds_local)
{
	if (!decl || TREE_CODE(decl) != FUNCTION_DECL || !toc_calls())
		return false;
	switch (mode) {
	case KLP_PPC_CALLS_STATIC:
		return !TREE_PUBLIC(decl);
	case KLP_PPC_CALLS_LOCAL:
		return binds_local || !TREE_PUBLIC(decl) || decl == current_function_decl;
	default:
		return false;
	}
}

/*
 * In "local" mode no direct call becomes a sibling call, whatever the
 * callee: code that kpatch copies into a patch module reaches every
 * kernel function through a stub, and after a sibling call that stub
 * would store the module's r2 into the caller's frame (kpatch refuses
 * such code: "unsupported sibling call").  "static" mode refuses only
 * sibling calls to static functions.
 */
static bool ok_for_sibcall(tree decl, tree exp)
{
	if (decl && toc_calls()) {
		if (sibcall_mode == KLP_PPC_CALLS_LOCAL)
			return false;
		if (covered(sibcall_mode, decl, targetm.binds_local_p(decl)))
			return false;
	}
	return original_ok_for_sibcall(decl, exp);
}

/* The RTL pass after "expand". */
void klp_ppc_force_nops(const struct klp_options *opts)
{
	for (rtx_insn *insn = get_insns(); insn; insn = NEXT_INSN(insn)) {
		rtx call, mem, sym, copy;
		tree decl;

		if (!CALL_P(insn) || SIBLING_CALL_P(insn))
			continue;
		call = get_call_rtx_from(insn);
		if (!call || !MEM_P(XEXP(call, 0)))
			continue;
		mem = XEXP(call, 0);
		sym = XEXP(mem, 0);
		if (GET_CODE(sym) != SYMBOL_REF)
			continue;
		decl = SYMBOL_REF_DECL(sym);
		/* recursion is local to rs6000 by pointer identity with
		 * DECL_RTL, which a fresh SYMBOL_REF never has */
		if (!covered(opts->ppc_calls, decl, SYMBOL_REF_LOCAL_P(sym)))
			continue;
		if (!SYMBOL_REF_LOCAL_P(sym) && decl != current_function_decl)
			continue;	/* already gets its nop */
		copy = gen_rtx_SYMBOL_REF(GET_MODE(sym), XSTR(sym, 0));
		SYMBOL_REF_FLAGS(copy) = SYMBOL_REF_FLAGS(sym) & ~SYMBOL_FLAG_LOCAL;
		SET_SYMBOL_REF_DECL(copy, decl);
		/* a new MEM: replace_equiv_address() would find the two
		 * SYMBOL_REFs rtx_equal_p (same name) and keep the old one */
		mem = shallow_copy_rtx(mem);
		XEXP(mem, 0) = copy;
		XEXP(call, 0) = mem;
		INSN_CODE(insn) = -1;
	}
}

void klp_ppc_calls_init(const struct klp_options *opts)
{
	if (opts->ppc_calls == KLP_PPC_CALLS_NONE)
		return;
	sibcall_mode = opts->ppc_calls;
	original_ok_for_sibcall = targetm.function_ok_for_sibcall;
	targetm.function_ok_for_sibcall = ok_for_sibcall;
}

#endif /* KLP_TARGET_PPC64 */
