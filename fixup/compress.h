/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * compress.h - klp-fixup compress: a file's .debug_klp stored
 * zstd-compressed at a chosen level (compress.c).
 */
#ifndef KLP_COMPRESS_H
#define KLP_COMPRESS_H

/* zstd's highest level before --ultra: decompression costs the same at
 * every level, and level 19 needs no more than an 8 MiB window. */
#define KLP_COMPRESS_LEVEL	19

int klp_compress_main(int argc, char **argv);

#endif /* KLP_COMPRESS_H */
