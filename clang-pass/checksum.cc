/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * checksum.cc - a function's checksum from the machine code the
 * AsmPrinter receives (docs/note-format.md, "Checksums").
 *
 * FNV-1a 64 over every instruction that becomes bytes: opcode, and each
 * operand by what it is, not by a unit-wide number:
 *   - a block by its number inside the function, a jump table by the
 *     blocks it lists, a constant-pool entry by the constant;
 *   - a global by its name (compiler-made numbers left out), except a
 *     private constant (a string literal, .str.N), which is its contents;
 *   - inline assembly by its text and the operands that text uses,
 *     leaving out what it pushes into other sections (.pushsection:
 *     __bug_table, __jump_table ...), whose entries carry __LINE__.
 * Debug and unwind-only instructions (DBG_VALUE, CFI) are left out.
 */
#include "klp-pass.h"
#include "../include/klp-checksum.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/CodeGen/MachineConstantPool.h"
#include "llvm/CodeGen/MachineFunction.h"
#include "llvm/CodeGen/MachineInstr.h"
#include "llvm/CodeGen/MachineJumpTableInfo.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/MC/MCSymbol.h"
#include "llvm/Support/raw_ostream.h"

#include <set>
#include <string>

using namespace llvm;

namespace {

struct hasher {
	uint64_t h = KLP_FNV64_OFFSET;

	void bytes(const void *p, size_t n) { h = klp_fnv64(h, p, n); }
	void u64(uint64_t v)
	{
		unsigned char b[8];

		for (int i = 0; i < 8; i++)
			b[i] = (unsigned char)(v >> (8 * i));
		bytes(b, sizeof(b));
	}
	void str(StringRef s) { u64(s.size()); bytes(s.data(), s.size()); }
	void name(StringRef s) { str(s.substr(0, klp_unnumbered_len(s.data(), s.size()))); }
};

} /* namespace */

/*
 * The private constants being hashed, outermost first: one that refers
 * back to itself, directly or through others (a table of structs that
 * point at each other), is hashed the second time by its place on this
 * path, so a cycle ends and the hash still tells its shape.
 */
typedef SmallVector<const GlobalVariable *, 8> open_constants;

static void hash_global(hasher &H, const GlobalValue *GV, open_constants &open);

/* A constant by its values; globals by name, literals by contents. */
static void hash_constant(hasher &H, const Constant *C, open_constants &open, int depth = 0)
{
	H.u64(C->getValueID());
	if (depth > 64)
		return;
	if (const auto *CDS = dyn_cast<ConstantDataSequential>(C)) {
		H.str(CDS->getRawDataValues());
	} else if (const auto *CI = dyn_cast<ConstantInt>(C)) {
		H.str(toString(CI->getValue(), 16, false));
	} else if (const auto *CF = dyn_cast<ConstantFP>(C)) {
		H.str(toString(CF->getValueAPF().bitcastToAPInt(), 16, false));
	} else if (const auto *GV = dyn_cast<GlobalValue>(C)) {
		hash_global(H, GV, open);
	} else if (const auto *CE = dyn_cast<ConstantExpr>(C)) {
		H.u64(CE->getOpcode());
		for (const Use &U : CE->operands())
			hash_constant(H, cast<Constant>(U.get()), open, depth + 1);
	} else if (isa<ConstantAggregate>(C)) {
		for (const Use &U : C->operands())
			hash_constant(H, cast<Constant>(U.get()), open, depth + 1);
	} else if (C->isNullValue()) {
		H.u64(0);
	}
}

static void hash_constant(hasher &H, const Constant *C)
{
	open_constants open;

	hash_constant(H, C, open);
}

static void hash_global(hasher &H, const GlobalValue *GV, open_constants &open)
{
	const auto *G = dyn_cast<GlobalVariable>(GV);

	if (G && G->hasPrivateLinkage() && G->isConstant() && G->hasInitializer()) {
		for (size_t i = 0; i < open.size(); i++) {
			if (open[i] == G) {
				H.u64('r');	/* back to the i-th constant of the path */
				H.u64(i);
				return;
			}
		}
		H.u64('c');
		open.push_back(G);
		hash_constant(H, G->getInitializer(), open);
		open.pop_back();
		return;
	}
	H.u64('g');
	H.name(GV->getName());
}

static void hash_global(hasher &H, const GlobalValue *GV)
{
	open_constants open;

	hash_global(H, GV, open);
}

uint64_t klp_data_checksum(const GlobalVariable &G, const DataLayout &DL)
{
	hasher H;

	H.u64(DL.getTypeAllocSize(G.getValueType()));
	H.u64(G.isConstant());
	if (G.hasInitializer())
		hash_constant(H, G.getInitializer());
	return H.h;
}

/*
 * The statements of an inline asm string outside .pushsection blocks,
 * and the numbers of the operands they use ($N, ${N:mod}).
 */
static std::string kept_asm(StringRef text, std::set<unsigned> &used)
{
	std::string kept;
	unsigned depth = 0;

	while (!text.empty()) {
		size_t cut = text.find_first_of("\n;");
		StringRef stmt = text.substr(0, cut).trim();

		text = cut == StringRef::npos ? StringRef() : text.substr(cut + 1);
		if (stmt.substr(0, 12) == ".pushsection") {
			depth++;
			continue;
		}
		if (stmt.substr(0, 11) == ".popsection") {
			depth -= depth > 0;
			continue;
		}
		if (depth || stmt.empty())
			continue;
		kept += stmt.str();
		kept += '\n';
		for (size_t i = 0; i + 1 < stmt.size(); i++) {
			unsigned n = 0;
			size_t j = i + 1;

			if (stmt[i] != '$')
				continue;
			if (stmt[j] == '$') {
				i = j;
				continue;
			}
			if (stmt[j] == '{')
				j++;
			if (j >= stmt.size() || !isdigit((unsigned char)stmt[j]))
				continue;
			while (j < stmt.size() && isdigit((unsigned char)stmt[j]))
				n = 10 * n + (stmt[j++] - '0');
			used.insert(n);
		}
	}
	return kept;
}

static unsigned asm_operand_regs(int64_t flag)
{
#if LLVM_VERSION_MAJOR >= 18
	return InlineAsm::Flag((unsigned)flag).getNumOperandRegisters();
#else
	return InlineAsm::getNumOperandRegisters((unsigned)flag);
#endif
}

static void hash_operand(hasher &H, const MachineFunction &MF, const MachineOperand &MO);

/* An inline asm: its kept statements and the operands they use. */
static void hash_inline_asm(hasher &H, const MachineFunction &MF, const MachineInstr &MI,
			    const std::string &kept, const std::set<unsigned> &used)
{
	unsigned group = 0, i = InlineAsm::MIOp_FirstOperand;

	H.str(kept);
	while (i < MI.getNumOperands() && MI.getOperand(i).isImm()) {
		unsigned nregs = asm_operand_regs(MI.getOperand(i).getImm());

		if (used.count(group)) {
			H.u64(group);
			for (unsigned j = i + 1; j <= i + nregs && j < MI.getNumOperands(); j++)
				hash_operand(H, MF, MI.getOperand(j));
		}
		i += 1 + nregs;
		group++;
	}
}

static void hash_operand(hasher &H, const MachineFunction &MF, const MachineOperand &MO)
{
	H.u64(MO.getType());
	H.u64(MO.getTargetFlags());
	switch (MO.getType()) {
	case MachineOperand::MO_Register:
		H.u64(MO.getReg());
		H.u64(MO.isDef());
		break;
	case MachineOperand::MO_Immediate:
		H.u64((uint64_t)MO.getImm());
		break;
	case MachineOperand::MO_CImmediate:
		H.str(toString(MO.getCImm()->getValue(), 16, false));
		break;
	case MachineOperand::MO_FPImmediate:
		hash_constant(H, MO.getFPImm());
		break;
	case MachineOperand::MO_MachineBasicBlock:
		H.u64(MO.getMBB()->getNumber());
		break;
	case MachineOperand::MO_FrameIndex:
		H.u64((uint64_t)MO.getIndex());
		break;
	case MachineOperand::MO_ConstantPoolIndex: {
		const MachineConstantPoolEntry &E =
			MF.getConstantPool()->getConstants()[MO.getIndex()];

		if (!E.isMachineConstantPoolEntry())
			hash_constant(H, E.Val.ConstVal);
		H.u64((uint64_t)MO.getOffset());
		break;
	}
	case MachineOperand::MO_JumpTableIndex:
		for (const MachineBasicBlock *MBB :
		     MF.getJumpTableInfo()->getJumpTables()[MO.getIndex()].MBBs)
			H.u64(MBB->getNumber());
		break;
	case MachineOperand::MO_GlobalAddress:
		hash_global(H, MO.getGlobal());
		H.u64((uint64_t)MO.getOffset());
		break;
	case MachineOperand::MO_ExternalSymbol:
		H.str(MO.getSymbolName());
		H.u64((uint64_t)MO.getOffset());
		break;
	case MachineOperand::MO_BlockAddress:
		H.name(MO.getBlockAddress()->getFunction()->getName());
		H.u64((uint64_t)MO.getOffset());
		break;
	case MachineOperand::MO_MCSymbol:
		/* temporaries are numbered unit-wide */
		if (!MO.getMCSymbol()->isTemporary())
			H.name(MO.getMCSymbol()->getName());
		break;
	default:
		break;	/* masks, metadata, intrinsic ids: no bytes of their own */
	}
}

uint64_t klp_function_checksum(const MachineFunction &MF)
{
	hasher H;

	for (const MachineBasicBlock &MBB : MF) {
		H.u64('B');
		H.u64(MBB.getNumber());
		H.u64(MBB.getAlignment().value());
		for (const MachineInstr &MI : MBB) {
			if (MI.isMetaInstruction())
				continue;
			if (MI.isInlineAsm()) {
				std::set<unsigned> used;
				std::string kept = kept_asm(
					MI.getOperand(InlineAsm::MIOp_AsmString).getSymbolName(), used);

				/* no statement in the function's own section: no
				 * bytes (barrier(), or only .pushsection records),
				 * as klp.so, which sees its comment lines only */
				if (kept.empty())
					continue;
				H.u64(MI.getOpcode());
				hash_inline_asm(H, MF, MI, kept, used);
				continue;
			}
			H.u64(MI.getOpcode());
			H.u64(MI.getNumExplicitOperands());
			for (unsigned i = 0; i < MI.getNumExplicitOperands(); i++)
				hash_operand(H, MF, MI.getOperand(i));
		}
	}
	return H.h;
}
