/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-builder.c - libFuzzer target for the text `klp-fixup build` reads
 * besides ELF: the user's unified diff (patchfile.c), and from the kernel
 * build directory kbuild's .cmd files (the saved compile command, its
 * rewrite for our own compile, the dependency lists) and Module.symvers
 * (kbuild.c).  The first byte of the input chooses which; the rest is the
 * file.  The seeds (fuzz/make-corpus.sh) are real ones of each kind.
 */
#include "fuzz-input.h"
#include "../fixup/build/kbuild.h"
#include "../fixup/build/patchfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A build directory of one object, kdir/sub/y.o, whose .cmd file is the
 * input: nftw() in klp_kbuild_objects_using() walks a real tree. */
static char kdir[4096], subdir[4096 + 8], cmd_path[4096 + 32];

static void remove_kdir(void)
{
	unlink(cmd_path);
	rmdir(subdir);
	rmdir(kdir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	snprintf(kdir, sizeof(kdir), "%s/kdir", fuzz_workdir());
	snprintf(subdir, sizeof(subdir), "%s/sub", kdir);
	snprintf(cmd_path, sizeof(cmd_path), "%s/.y.o.cmd", subdir);
	if (mkdir(kdir, 0755) || mkdir(subdir, 0755)) {
		perror("klp-fuzz: mkdir");
		abort();
	}
	/* registered after fuzz_workdir()'s, so it runs first */
	atexit(remove_kdir);
	return 0;
}

static void patch_file(const uint8_t *data, size_t size)
{
	struct klp_patch_file *files;
	long n = klp_patch_files(fuzz_write_input("fix.patch", data, size), &files);

	if (n > 0)
		klp_patch_files_free(files, n);
}

static void cmd_file(const uint8_t *data, size_t size)
{
	FILE *f = fopen(cmd_path, "w");
	char *cmd, **objs;
	long n;

	if (!f)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	cmd = klp_kbuild_saved_cmd(kdir, "sub/y.o", size & 1);
	if (cmd) {
		/* as compile.c asks: our output, the tree moved, an extra option */
		free(klp_kbuild_compile_cmd(cmd, "sub/y.o", "/out/y.o", "/src", "/tree",
					    size & 2 ? "-mcmodel=large" : NULL));
		free(klp_kbuild_compiler(cmd));
		free(cmd);
	}
	n = klp_kbuild_objects_using(kdir, "/src/include/linux/k.h", &objs);
	for (long i = 0; i < n; i++)
		free(objs[i]);
	if (n >= 0)
		free(objs);
}

static void symvers_file(const uint8_t *data, size_t size)
{
	struct klp_symvers sv;

	if (klp_symvers_read(&sv, fuzz_write_input("Module.symvers", data, size)))
		return;
	klp_symvers_has(&sv, "printk");
	klp_symvers_module(&sv, "usb_get_dev");
	/* every name it read, as the builder asks of each reference */
	for (size_t i = 0; i < sv.n; i++)
		klp_symvers_module(&sv, sv.names[i]);
	klp_symvers_free(&sv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	switch (data[0] % 3) {
	case 0:
		patch_file(data + 1, size - 1);
		break;
	case 1:
		cmd_file(data + 1, size - 1);
		break;
	default:
		symvers_file(data + 1, size - 1);
		break;
	}
	fuzz_clean_workdir();
	return 0;
}
