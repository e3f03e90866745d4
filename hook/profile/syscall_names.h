/* SPDX-License-Identifier: Apache-2.0 */
/* Syscall numbers to names and back, per architecture, from libseccomp's
 * tables. Architectures are named as profiles name them (SCMP_ARCH_*). */
#ifndef SYSCALL_NAMES_H
#define SYSCALL_NAMES_H

#include <stdbool.h>
#include <stdint.h>

/* The architecture this hook was built for (SCMP_ARCH_X86_64 or
 * SCMP_ARCH_AARCH64). */
const char *syscall_native_arch(void);

/* The profile name of a recorder architecture slot (RECORDER_ARCH_*) on a
 * machine whose native architecture is `native`, or NULL if the slot does
 * not exist there: x86_64 has i386 and x32, aarch64 has arm (AArch32). */
const char *syscall_arch_slot(const char *native, int slot);

/* libseccomp's name for the syscall at index `index` of slot `slot`'s
 * seen-set (the BPF side's numbering: the kernel's number, without x32's
 * bit, with AArch32's ARM-private syscalls at RECORDER_ARM_PRIVATE_INDEX),
 * as a new string; NULL if libseccomp has no name for it. */
char *syscall_arch_slot_name(const char *native, int slot, int index);

/* The inverse: `name`'s index in slot `slot`'s seen-set, or -1. */
int syscall_arch_slot_index(const char *native, int slot, const char *name);

/* The same three on the machine we were built for. */
const char *syscall_slot_arch(int slot);
char *syscall_slot_name(int slot, int index);
int syscall_slot_index(int slot, const char *name);

/* libseccomp's token for a SCMP_ARCH_* name; 0 if unknown. */
uint32_t syscall_arch_token(const char *arch);

/* True if `name` is a syscall on any architecture libseccomp knows, or one
 * of the newer syscalls listed in syscall_names.c that it does not know yet. */
bool syscall_name_known(const char *name);

/* The number of `name` on the given architecture, or a negative value. */
int syscall_resolve(const char *arch, const char *name);

#endif /* SYSCALL_NAMES_H */
