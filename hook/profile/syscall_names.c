// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include <seccomp.h>

#include <linux/types.h>

#include "profile/syscall_names.h"
#include "recorder.h"

static const struct {
	const char *name;
	uint32_t token;
} arches[] = {
	{ "SCMP_ARCH_X86", SCMP_ARCH_X86 },
	{ "SCMP_ARCH_X86_64", SCMP_ARCH_X86_64 },
	{ "SCMP_ARCH_X32", SCMP_ARCH_X32 },
	{ "SCMP_ARCH_ARM", SCMP_ARCH_ARM },
	{ "SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64 },
	{ "SCMP_ARCH_MIPS", SCMP_ARCH_MIPS },
	{ "SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64 },
	{ "SCMP_ARCH_MIPS64N32", SCMP_ARCH_MIPS64N32 },
	{ "SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL },
	{ "SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64 },
	{ "SCMP_ARCH_MIPSEL64N32", SCMP_ARCH_MIPSEL64N32 },
	{ "SCMP_ARCH_PPC", SCMP_ARCH_PPC },
	{ "SCMP_ARCH_PPC64", SCMP_ARCH_PPC64 },
	{ "SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE },
	{ "SCMP_ARCH_S390", SCMP_ARCH_S390 },
	{ "SCMP_ARCH_S390X", SCMP_ARCH_S390X },
	{ "SCMP_ARCH_PARISC", SCMP_ARCH_PARISC },
	{ "SCMP_ARCH_PARISC64", SCMP_ARCH_PARISC64 },
	{ "SCMP_ARCH_RISCV64", SCMP_ARCH_RISCV64 },
};

/* Syscalls added to Linux after the libseccomp 2.5.4 tables were cut. They
 * appear in current default profiles (moby, containers/common), so a
 * profile naming them is not malformed. */
static const char *const newer_syscalls[] = {
	"cachestat",	     "fchmodat2",	  "file_getattr",
	"file_setattr",	     "futex_requeue",	  "futex_wait",
	"futex_wake",	     "getxattrat",	  "listmount",
	"listxattrat",	     "lsm_get_self_attr", "lsm_list_modules",
	"lsm_set_self_attr", "map_shadow_stack",  "mseal",
	"open_tree_attr",    "removexattrat",	  "setxattrat",
	"statmount",	     "uretprobe",
};

const char *syscall_slot_arch(int slot)
{
#if defined(__x86_64__)
	static const char *const slots[] = { "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32" };
#elif defined(__aarch64__)
	static const char *const slots[] = { "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", NULL };
#else
#error "seccomp-recorder supports x86_64 and aarch64"
#endif
	if (slot < 0 || slot >= RECORDER_NR_ARCHES)
		return NULL;
	return slots[slot];
}

uint32_t syscall_arch_token(const char *arch)
{
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (strcmp(arches[i].name, arch) == 0)
			return arches[i].token;
	return 0;
}

char *syscall_slot_name(int slot, int nr)
{
	const char *arch = syscall_slot_arch(slot);

	if (!arch || nr < 0)
		return NULL;
	/* libseccomp numbers x32 syscalls with the x32 marker bit set. */
	if (slot == RECORDER_ARCH_X32)
		nr |= RECORDER_X32_SYSCALL_BIT;
	return seccomp_syscall_resolve_num_arch(syscall_arch_token(arch), nr);
}

int syscall_resolve(const char *arch, const char *name)
{
	uint32_t token = syscall_arch_token(arch);

	if (!token)
		return -1;
	return seccomp_syscall_resolve_name_arch(token, name);
}

bool syscall_name_known(const char *name)
{
	for (size_t i = 0; i < sizeof(newer_syscalls) / sizeof(newer_syscalls[0]); i++)
		if (strcmp(newer_syscalls[i], name) == 0)
			return true;
	/* Negative numbers other than __NR_SCMP_ERROR are libseccomp's
	 * pseudo-syscalls: the name exists but not natively on that arch. */
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (seccomp_syscall_resolve_name_arch(arches[i].token, name) != __NR_SCMP_ERROR)
			return true;
	return false;
}
