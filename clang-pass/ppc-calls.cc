/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ppc-calls.cc - ppc64 ELFv2: direct calls to locally-binding functions
 * keep the nop after `bl`, and no tail call reaches such a function.
 *
 * A livepatch module that calls a function its original object called
 * locally reaches it through a stub, and the module loader needs the
 * instruction after that `bl` to be a nop it can turn into the TOC
 * restore; a tail call (`b`) cannot be fixed at all.  The PowerPC back
 * end (callsShareTOCBase) emits a plain `bl`, and allows a tail call,
 * when the callee is dso_local or has local linkage.  No IR attribute
 * keeps local linkage and forces the nop, so:
 *   - a global callee (default visibility) loses dso_local: calls to it
 *     are then made as to any other global function, `bl` + nop;
 *   - an internal or hidden callee keeps its linkage, and each direct call
 *     is redirected to a GlobalAlias of it with external linkage, default
 *     visibility and no dso_local, named
 *     "<callee>" KLP_ALIAS_INFIX "<16 hex digits>", the digits being an
 *     FNV-1a hash of the unit's recorded path and the callee's name, so
 *     the name is unique per unit and cannot be a C identifier.  The
 *     notes record each alias (KLP_SYM_ALIAS, origin = the callee).
 * Power10 pc-relative code needs no TOC restore and is left alone.
 *
 * Modes (-mllvm -klp-ppc-calls=): "local" (default) covers every callee
 * that binds locally: static and hidden functions, and global functions
 * that are dso_local (the same unit's, or every declaration in a non-PIC
 * build); "static" covers internal (static) functions only; "none"
 * changes no code.
 */
#include "klp-pass.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/GlobalAlias.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <map>

using namespace llvm;

uint64_t klp_unit_salt(const Module &M)
{
	std::string path = klp_tu_path(M);

	return klp_fnv64(KLP_FNV64_OFFSET, path.c_str(), path.size() + 1);
}

/* pc-relative calls (-mcpu=power10) do not use the TOC */
static bool pcrel(const Function &F)
{
	return F.getFnAttribute("target-features").getValueAsString()
		.contains("+pcrelative-memops");
}

static bool needs_alias(const Function &Callee)
{
	return Callee.hasLocalLinkage() || !Callee.hasDefaultVisibility();
}

static bool covered(const Function &Callee)
{
	switch (klp_ppc_mode()) {
	case KLP_PPC_CALLS_STATIC:
		return Callee.hasLocalLinkage();
	case KLP_PPC_CALLS_LOCAL:
		return Callee.hasLocalLinkage() || Callee.isDSOLocal() ||
		       !Callee.hasDefaultVisibility();
	default:
		return false;
	}
}

static GlobalAlias *alias_for(Module &M, Function &Callee,
			      std::map<Function *, GlobalAlias *> &made)
{
	auto it = made.find(&Callee);
	if (it != made.end())
		return it->second;

	std::string name = Callee.getName().str();
	uint64_t h = klp_unit_salt(M);
	h = klp_fnv64(h, name.c_str(), name.size() + 1);

	std::string alias;
	raw_string_ostream os(alias);
	os << name << KLP_ALIAS_INFIX << format_hex_no_prefix(h, 16);
	os.flush();

	GlobalAlias *A = GlobalAlias::create(Callee.getValueType(),
		Callee.getType()->getPointerAddressSpace(), GlobalValue::ExternalLinkage,
		alias, &Callee, &M);
	A->setVisibility(GlobalValue::DefaultVisibility);
	A->setDSOLocal(false);
	made[&Callee] = A;
	return A;
}

void klp_ppc_force_nops(Module &M)
{
	std::map<Function *, GlobalAlias *> made;

	if (klp_ppc_mode() == KLP_PPC_CALLS_NONE)
		return;
	for (Function &F : M) {
		if (F.isDeclaration() || pcrel(F))
			continue;
		for (Instruction &I : instructions(F)) {
			auto *CB = dyn_cast<CallBase>(&I);
			if (!CB || CB->isInlineAsm())
				continue;
			Value *V = CB->getCalledOperand()->stripPointerCasts();
			if (auto *GA = dyn_cast<GlobalAlias>(V)) {
				if (GA->getName().contains(KLP_ALIAS_INFIX))
					continue;	/* already ours */
				V = GA->getAliasee()->stripPointerCasts();
			}
			auto *Callee = dyn_cast<Function>(V);
			if (!Callee || Callee->isIntrinsic() || !covered(*Callee))
				continue;
			if (auto *CI = dyn_cast<CallInst>(CB))
				if (CI->isMustTailCall())
					continue;	/* cannot be anything else */
			if (needs_alias(*Callee)) {
				if (Callee->isDeclaration()) {
					/* hidden, defined in another unit: the link
					 * keeps the most constraining visibility, so
					 * a default-visibility reference is harmless */
					Callee->setVisibility(GlobalValue::DefaultVisibility);
					Callee->setDSOLocal(false);
				} else {
					CB->setCalledOperand(alias_for(M, *Callee, made));
				}
			} else {
				Callee->setDSOLocal(false);
			}
		}
	}
}
