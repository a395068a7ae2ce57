/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * files.h - what klp-fixup accepts as a file: every input and every output
 * is a regular file.  A FIFO blocks a reader forever, /dev/zero never
 * ends, and renaming a finished module over a device node replaces the
 * node (as root, -o /dev/null would break the machine's /dev/null).
 */
#ifndef KLP_FILES_H
#define KLP_FILES_H

#include <stdio.h>
#include <sys/types.h>

/* "a FIFO", "a character device", ... for the message. */
const char *klp_file_kind(mode_t mode);

/* Open path read-only without blocking on a FIFO, and refuse anything
 * but a regular file.  The descriptor, or -1 after printing why. */
int klp_open_regular(const char *path);

/* The same for a text file of the kernel build directory (.config, .cmd
 * files, Module.symvers), opened for reading with stdio, quietly: NULL
 * when it cannot be opened (errno says why) or is not a regular file
 * (then *kind, when given, holds its mode; else 0). */
FILE *klp_fopen_regular(const char *path, mode_t *kind);

/* 0 when out does not exist or is a regular file (it is replaced), -1
 * after printing why not.  A symbolic link is refused as well: the
 * rename would replace the link, not the file it names. */
int klp_check_output(const char *out);

#endif /* KLP_FILES_H */
