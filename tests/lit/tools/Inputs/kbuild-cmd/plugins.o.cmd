savedcmd_kernel/plugins.o := clang-19 -Wp,-MMD,kernel/.plugins.o.d -nostdinc -fplugin=./scripts/gcc-plugins/stackleak_plugin.so -fplugin-arg-stackleak_plugin-track-min-size=100 -fplugin=/frozen/klp-0123/klp-clang.so -fpass-plugin=/frozen/klp-0123/klp-clang.so -mllvm -klp-ppc-calls=static -mllvm -inline-threshold=100 -fplugin=klp -fplugin-arg-klp-ppc-calls=none -c -o kernel/plugins.o @SRCTREE@/kernel/plugins.c

source_kernel/plugins.o := @SRCTREE@/kernel/plugins.c
