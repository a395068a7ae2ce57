/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * klp-checksum.h - what both plugins' checksums share
 * (docs/note-format.md, "Checksums").
 */
#ifndef KLP_CHECKSUM_H
#define KLP_CHECKSUM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The length of name[0..n) without a number the compiler appended
 * unit-wide (GCC: counter.3, __func__.0, CSWTCH.12; clang: .str.4,
 * f.count.1), so that a reference hashes the same when an unrelated
 * function adds a local before it.  Clone names (.constprop.N, .isra.N,
 * .part.N, .cold.N, .lto_priv.N) are numbered per function and stay whole.
 * The kernel's __UNIQUE_ID(prefix) names end in __COUNTER__, which any
 * earlier use in the unit moves: __UNIQUE_ID_ddebug603.26 counts as
 * __UNIQUE_ID_ddebug.
 */
size_t klp_unnumbered_len(const char *name, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* KLP_CHECKSUM_H */
