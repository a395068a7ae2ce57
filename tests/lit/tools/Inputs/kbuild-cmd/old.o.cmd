cmd_kernel/old.o := gcc -Wp,-MD,kernel/.old.o.d  -nostdinc -O2 -MD -MF kernel/old.d -MT kernel/old.o -c -o kernel/old.o @SRCTREE@/kernel/hello.c
