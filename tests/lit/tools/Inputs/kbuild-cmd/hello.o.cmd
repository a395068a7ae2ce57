savedcmd_kernel/hello.o := gcc -Wp,-MMD,kernel/.hello.o.d -nostdinc -I@SRCTREE@/include -I./include -I@SRCTREE@-extra/include -include @SRCTREE@/include/hello.h -D__KERNEL__ -fmacro-prefix-map=@SRCTREE@/= -std=gnu11 -O2 -fplugin=@OBJDIR@/klp-0123456789abcdef/klp.so -fplugin-arg-klp-ppc-calls=static -DKBUILD_MODFILE='"kernel/hello"' -DKBUILD_BASENAME='"hello"' -DKBUILD_MODNAME='"hello"' -D__KBUILD_MODNAME=kmod_hello -DHASH='"$(pound)"' -DPRICE='"$$5"' -c -o kernel/hello.o @SRCTREE@/kernel/hello.c  ; ./tools/objtool/objtool --hacks=jump_label --orc --retpoline kernel/hello.o

source_kernel/hello.o := @SRCTREE@/kernel/hello.c

deps_kernel/hello.o := \
  @SRCTREE@/include/hello.h \

kernel/hello.o: $(deps_kernel/hello.o)

$(deps_kernel/hello.o):
