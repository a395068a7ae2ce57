savedcmd_arch/x86/lib/memcpy_64.o := gcc -Wp,-MMD,arch/x86/lib/.memcpy_64.o.d -nostdinc -D__ASSEMBLY__ -fno-PIE -c -o arch/x86/lib/memcpy_64.o @SRCTREE@/arch/x86/lib/memcpy_64.S  ; ./tools/objtool/objtool --orc arch/x86/lib/memcpy_64.o

source_arch/x86/lib/memcpy_64.o := @SRCTREE@/arch/x86/lib/memcpy_64.S
