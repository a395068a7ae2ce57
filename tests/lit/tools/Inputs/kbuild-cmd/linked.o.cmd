savedcmd_kernel/linked.o := ld -m elf_x86_64 -z noexecstack -r -o kernel/linked.o kernel/a.o kernel/b.o
