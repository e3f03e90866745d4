/* SPDX-License-Identifier: Apache-2.0 */
/* Syscall numbers to names and back, per architecture, from libseccomp's
 * tables. Architectures are named as profiles name them (SCMP_ARCH_*). */
#ifndef SYSCALL_NAMES_H
#define SYSCALL_NAMES_H

#include <stdbool.h>
#include <stdint.h>

/* The profile name of a recorder architecture slot (RECORDER_ARCH_*) on the
 * machine we were built for, or NULL if the slot does not exist here. */
const char *syscall_slot_arch(int slot);

/* libseccomp's name for syscall `nr` on the given architecture slot, as a
 * new string; NULL if libseccomp has no name for it. */
char *syscall_slot_name(int slot, int nr);

/* libseccomp's token for a SCMP_ARCH_* name; 0 if unknown. */
uint32_t syscall_arch_token(const char *arch);

/* True if `name` is a syscall on any architecture libseccomp knows, or one
 * of the newer syscalls listed in syscall_names.c that it does not know yet. */
bool syscall_name_known(const char *name);

/* The number of `name` on the given architecture, or a negative value. */
int syscall_resolve(const char *arch, const char *name);

#endif /* SYSCALL_NAMES_H */
