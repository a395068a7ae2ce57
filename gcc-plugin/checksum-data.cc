/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * checksum-data.cc - a local object's checksum: its size, whether it is
 * read-only, and its initializer as the values it holds (integers, reals,
 * string bytes, and addresses as symbol name plus offset), so that the
 * same data gives the same checksum wherever the compiler numbered its
 * labels.  Objects are written outside "final", where the plugin sees no
 * assembly, so the initializer tree is the record of their contents.
 */
#include "klp-plugin.h"
#include "../include/klp-checksum.h"
#include "real.h"
#include "rtl.h"
#include "varasm.h"
#include "fold-const.h"

#include <string.h>

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	return klp_fnv64(h, p, n);
}

static uint64_t hash_u64(uint64_t h, uint64_t v)
{
	unsigned char b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	return hash_bytes(h, b, sizeof(b));
}

static uint64_t hash_cstr(uint64_t h, const char *s)
{
	return hash_bytes(h, s, strlen(s) + 1);
}

static uint64_t hash_init(uint64_t h, tree t, int depth);

/* A declaration by name, compiler-made numbers left out as in checksum.cc. */
static uint64_t hash_decl(uint64_t h, tree decl)
{
	const char *name = klp_origin_name(decl);
	size_t n;

	if (!name)
		return hash_bytes(h, "?", 1);
	n = klp_unnumbered_len(name, strlen(name));
	/* a literal's storage is its contents */
	if (TREE_CODE(decl) == VAR_DECL && DECL_ARTIFICIAL(decl) && DECL_INITIAL(decl)
	    && TREE_CODE(DECL_INITIAL(decl)) == STRING_CST)
		return hash_init(hash_bytes(h, "s", 1), DECL_INITIAL(decl), 1);
	return hash_bytes(hash_bytes(h, "d", 1), name, n);
}

static uint64_t hash_constructor(uint64_t h, tree t, int depth)
{
	unsigned HOST_WIDE_INT i;
	tree field, value;

	h = hash_bytes(h, "{", 1);
	FOR_EACH_CONSTRUCTOR_ELT(CONSTRUCTOR_ELTS(t), i, field, value) {
		if (field && TREE_CODE(field) == FIELD_DECL)
			h = hash_init(hash_bytes(h, "f", 1), bit_position(field), depth + 1);
		else if (field)
			h = hash_init(hash_bytes(h, "i", 1), field, depth + 1);
		h = hash_init(h, value, depth + 1);
	}
	return hash_bytes(h, "}", 1);
}

static uint64_t hash_init(uint64_t h, tree t, int depth)
{
	if (!t || depth > 64)
		return hash_bytes(h, "-", 1);
	h = hash_u64(h, TREE_CODE(t));
	switch (TREE_CODE(t)) {
	case INTEGER_CST:
		for (unsigned i = 0; i < (unsigned)TREE_INT_CST_NUNITS(t); i++)
			h = hash_u64(h, (uint64_t)TREE_INT_CST_ELT(t, i));
		return h;
	case REAL_CST: {
		long buf[4] = { 0 };

		real_to_target(buf, TREE_REAL_CST_PTR(t), TYPE_MODE(TREE_TYPE(t)));
		for (int i = 0; i < 4; i++)
			h = hash_u64(h, (uint64_t)buf[i]);
		return h;
	}
	case STRING_CST:
		return hash_bytes(h, TREE_STRING_POINTER(t), TREE_STRING_LENGTH(t));
	case CONSTRUCTOR:
		return hash_constructor(h, t, depth);
	case VAR_DECL:
	case FUNCTION_DECL:
	case CONST_DECL:
	case LABEL_DECL:
		return hash_decl(h, t);
	case FIELD_DECL:
		return hash_init(h, bit_position(t), depth + 1);
	case VECTOR_CST:
		for (unsigned i = 0; i < (unsigned)vector_cst_encoded_nelts(t); i++)
			h = hash_init(h, VECTOR_CST_ENCODED_ELT(t, i), depth + 1);
		return h;
	case COMPLEX_CST:
		h = hash_init(h, TREE_REALPART(t), depth + 1);
		return hash_init(h, TREE_IMAGPART(t), depth + 1);
	default:
		break;
	}
	if (EXPR_P(t) || TREE_CODE_CLASS(TREE_CODE(t)) == tcc_reference) {
		/* address arithmetic, conversions, &x.field, &a[i] */
		for (int i = 0; i < TREE_OPERAND_LENGTH(t); i++)
			h = hash_init(h, TREE_OPERAND(t, i), depth + 1);
		if (CONVERT_EXPR_P(t) || TREE_CODE(t) == VIEW_CONVERT_EXPR)
			h = hash_u64(h, TYPE_PRECISION(TREE_TYPE(t)));
	}
	return h;
}

/* A constant's value (a string literal's bytes), for constant labels. */
uint64_t klp_value_hash(tree value)
{
	return hash_init(KLP_FNV64_OFFSET, value, 0);
}

/*
 * An RTL constant (a constant-pool entry: a floating-point value, a ppc64
 * TOC entry's address) by its codes and operands; symbols by name, as
 * everywhere in checksums.
 */
uint64_t klp_rtx_hash(uint64_t h, const_rtx x, int depth)
{
	const char *fmt;

	if (!x || depth > 32)
		return hash_bytes(h, "-", 1);
	h = hash_u64(h, GET_CODE(x));
	h = hash_u64(h, GET_MODE(x));
	if (GET_CODE(x) == SYMBOL_REF) {
		const char *name = targetm.strip_name_encoding(XSTR(x, 0));

		if (SYMBOL_REF_DECL(x) && TREE_CONSTANT_POOL_ADDRESS_P(x) &&
		    DECL_INITIAL(SYMBOL_REF_DECL(x)))
			return hash_init(h, DECL_INITIAL(SYMBOL_REF_DECL(x)), depth);
		if (CONSTANT_POOL_ADDRESS_P(x))
			return klp_rtx_hash(h, get_pool_constant(x), depth + 1);
		return hash_bytes(h, name, klp_unnumbered_len(name, strlen(name)));
	}
	fmt = GET_RTX_FORMAT(GET_CODE(x));
	for (int i = 0; i < GET_RTX_LENGTH(GET_CODE(x)); i++) {
		switch (fmt[i]) {
		case 'e':
			h = klp_rtx_hash(h, XEXP(x, i), depth + 1);
			break;
		case 'i':
			h = hash_u64(h, (uint64_t)XINT(x, i));
			break;
		case 'w':
			h = hash_u64(h, (uint64_t)XWINT(x, i));
			break;
		case 'E':
			for (int j = 0; j < XVECLEN(x, i); j++)
				h = klp_rtx_hash(h, XVECEXP(x, i, j), depth + 1);
			break;
		default:
			break;	/* no value of its own (labels, notes, modes) */
		}
	}
	return h;
}

uint64_t klp_data_checksum(tree decl)
{
	tree size = DECL_SIZE_UNIT(decl), init = DECL_INITIAL(decl);
	uint64_t h = KLP_FNV64_OFFSET;

	h = hash_u64(h, size && tree_fits_uhwi_p(size) ? tree_to_uhwi(size) : 0);
	h = hash_u64(h, TREE_READONLY(decl));
	if (init && init != error_mark_node)
		h = hash_init(h, init, 0);
	else
		h = hash_cstr(h, "zero");
	return h;
}
