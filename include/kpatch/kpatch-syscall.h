/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kpatch-syscall.h - KPATCH_SYSCALL_DEFINEn for patches written for
 * kpatch-build: a system call's wrappers exactly as SYSCALL_DEFINEn makes
 * them (include/linux/syscalls.h), without SYSCALL_METADATA, whose
 * ftrace event data a livepatch cannot add to the running kernel.
 */
#ifndef KLP_KPATCH_SYSCALL_H
#define KLP_KPATCH_SYSCALL_H

#include <linux/syscalls.h>

#define KPATCH_SYSCALL_DEFINE0(name)	SYSCALL_DEFINE0(name)
#define KPATCH_SYSCALL_DEFINE1(name, ...) __SYSCALL_DEFINEx(1, _##name, __VA_ARGS__)
#define KPATCH_SYSCALL_DEFINE2(name, ...) __SYSCALL_DEFINEx(2, _##name, __VA_ARGS__)
#define KPATCH_SYSCALL_DEFINE3(name, ...) __SYSCALL_DEFINEx(3, _##name, __VA_ARGS__)
#define KPATCH_SYSCALL_DEFINE4(name, ...) __SYSCALL_DEFINEx(4, _##name, __VA_ARGS__)
#define KPATCH_SYSCALL_DEFINE5(name, ...) __SYSCALL_DEFINEx(5, _##name, __VA_ARGS__)
#define KPATCH_SYSCALL_DEFINE6(name, ...) __SYSCALL_DEFINEx(6, _##name, __VA_ARGS__)

#endif /* KLP_KPATCH_SYSCALL_H */
