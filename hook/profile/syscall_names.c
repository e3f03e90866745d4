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

/* The architecture of each recorder slot (RECORDER_ARCH_*), by the
 * architecture the hook runs on: what the BPF side's syscall_slot() tells
 * apart there. */
static const struct {
	const char *native;
	const char *slots[RECORDER_NR_ARCHES];
} slot_arches[] = {
	{ "SCMP_ARCH_X86_64", { "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32" } },
	{ "SCMP_ARCH_AARCH64", { "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", NULL } },
};

const char *syscall_native_arch(void)
{
#if defined(__x86_64__)
	return "SCMP_ARCH_X86_64";
#elif defined(__aarch64__)
	return "SCMP_ARCH_AARCH64";
#else
#error "seccomp-recorder supports x86_64 and aarch64"
#endif
}

const char *syscall_arch_slot(const char *native, int slot)
{
	if (!native || slot < 0 || slot >= RECORDER_NR_ARCHES)
		return NULL;
	for (size_t i = 0; i < sizeof(slot_arches) / sizeof(slot_arches[0]); i++)
		if (strcmp(slot_arches[i].native, native) == 0)
			return slot_arches[i].slots[slot];
	return NULL;
}

const char *syscall_slot_arch(int slot)
{
	return syscall_arch_slot(syscall_native_arch(), slot);
}

uint32_t syscall_arch_token(const char *arch)
{
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (strcmp(arches[i].name, arch) == 0)
			return arches[i].token;
	return 0;
}

/* A seen-set index of `arch` to the number libseccomp (and the kernel's
 * seccomp) gives that syscall, and back (-1: no index). x32 numbers carry
 * the x32 bit, which the index drops; AArch32's ARM-private syscalls
 * (0x0f0000 and up) sit at the end of the ARM slot's indices. */
static int index_to_nr(const char *arch, int index)
{
	if (strcmp(arch, "SCMP_ARCH_X32") == 0)
		return index | RECORDER_X32_SYSCALL_BIT;
	if (strcmp(arch, "SCMP_ARCH_ARM") == 0 && index >= RECORDER_ARM_PRIVATE_INDEX)
		return index - RECORDER_ARM_PRIVATE_INDEX + RECORDER_ARM_PRIVATE_BASE;
	return index;
}

static int nr_to_index(const char *arch, int nr)
{
	if (strcmp(arch, "SCMP_ARCH_X32") == 0)
		nr &= ~RECORDER_X32_SYSCALL_BIT;
	else if (strcmp(arch, "SCMP_ARCH_ARM") == 0 && nr >= RECORDER_ARM_PRIVATE_BASE &&
		 nr < RECORDER_ARM_PRIVATE_BASE + RECORDER_ARM_PRIVATE_N)
		return nr - RECORDER_ARM_PRIVATE_BASE + RECORDER_ARM_PRIVATE_INDEX;
	else if (strcmp(arch, "SCMP_ARCH_ARM") == 0 && nr >= RECORDER_ARM_PRIVATE_INDEX)
		return -1; /* would collide with the private ones */
	return nr >= 0 && nr < RECORDER_MAX_SYSCALLS ? nr : -1;
}

char *syscall_arch_slot_name(const char *native, int slot, int index)
{
	const char *arch = syscall_arch_slot(native, slot);

	if (!arch || index < 0 || index >= RECORDER_MAX_SYSCALLS)
		return NULL;
	return seccomp_syscall_resolve_num_arch(syscall_arch_token(arch), index_to_nr(arch, index));
}

int syscall_arch_slot_index(const char *native, int slot, const char *name)
{
	const char *arch = syscall_arch_slot(native, slot);
	int nr = arch ? syscall_resolve(arch, name) : -1;

	return nr < 0 ? -1 : nr_to_index(arch, nr);
}

char *syscall_slot_name(int slot, int index)
{
	return syscall_arch_slot_name(syscall_native_arch(), slot, index);
}

int syscall_slot_index(int slot, const char *name)
{
	return syscall_arch_slot_index(syscall_native_arch(), slot, name);
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
