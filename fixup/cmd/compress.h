/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * compress.h - klp-fixup compress: a file's .debug_klp stored
 * zstd-compressed at a chosen level (compress.c).
 */
#ifndef KLP_COMPRESS_H
#define KLP_COMPRESS_H

#include "../base/cli.h"

/* zstd's highest level before --ultra: decompression costs the same at
 * every level, and level 19 needs no more than an 8 MiB window. */
#define KLP_COMPRESS_LEVEL	19

extern const struct klp_command klp_cmd_compress;

#endif /* KLP_COMPRESS_H */
