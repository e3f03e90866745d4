// SPDX-License-Identifier: Apache-2.0
/* Architecture slots and syscall names per architecture. The tables of
 * both supported machines are checked wherever the test runs: libseccomp
 * resolves every architecture's numbers on any host. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>

#include "profile/syscall_names.h"
#include "recorder.h"
#include "tap.h"

#define X86_64	"SCMP_ARCH_X86_64"
#define AARCH64 "SCMP_ARCH_AARCH64"

/* Index `index` of slot `slot` on `native` is `want`, and back. */
static void name_is(const char *native, int slot, int index, const char *want)
{
	char *got = syscall_arch_slot_name(native, slot, index);

	is_str(got, want, "%s: %s index %d is %s", native, syscall_arch_slot(native, slot), index,
	       want ? want : "unnamed");
	if (want)
		ok(syscall_arch_slot_index(native, slot, want) == index, "%s: %s %s is index %d",
		   native, syscall_arch_slot(native, slot), want, index);
	free(got);
}

static void x86_64_slots(void)
{
	is_str(syscall_arch_slot(X86_64, RECORDER_ARCH_NATIVE), "SCMP_ARCH_X86_64",
	       "x86_64 native slot");
	is_str(syscall_arch_slot(X86_64, RECORDER_ARCH_COMPAT), "SCMP_ARCH_X86",
	       "x86_64 compat slot");
	is_str(syscall_arch_slot(X86_64, RECORDER_ARCH_X32), "SCMP_ARCH_X32", "x86_64 x32 slot");
	name_is(X86_64, RECORDER_ARCH_NATIVE, 3, "close");
	name_is(X86_64, RECORDER_ARCH_COMPAT, 3, "read");
	name_is(X86_64, RECORDER_ARCH_NATIVE, 0, "read");
	name_is(X86_64, RECORDER_ARCH_COMPAT, 1, "exit");
	name_is(X86_64, RECORDER_ARCH_NATIVE, 59, "execve");
	name_is(X86_64, RECORDER_ARCH_COMPAT, 11, "execve");
	name_is(X86_64, RECORDER_ARCH_X32, 3, "close");
	name_is(X86_64, RECORDER_ARCH_X32, 520, "execve");
	name_is(X86_64, RECORDER_ARCH_NATIVE, 1000, NULL);
	ok(syscall_resolve("SCMP_ARCH_X86_64", "getppid") == 110, "getppid is 110 on x86_64");
	ok(syscall_resolve("SCMP_ARCH_X86", "getppid") == 64, "getppid is 64 on i386");
	ok(syscall_arch_slot_index(X86_64, RECORDER_ARCH_NATIVE, "set_tls") == -1,
	   "x86_64 has no set_tls");
}

/* aarch64 has the generic syscall table (asm-generic/unistd.h); AArch32
 * tasks (CONFIG_COMPAT) have arm's EABI numbers, and ARM-private ones from
 * 0x0f0000 that the BPF side moves to the slot's last indices. */
static void aarch64_slots(void)
{
	is_str(syscall_arch_slot(AARCH64, RECORDER_ARCH_NATIVE), "SCMP_ARCH_AARCH64",
	       "aarch64 native slot");
	is_str(syscall_arch_slot(AARCH64, RECORDER_ARCH_COMPAT), "SCMP_ARCH_ARM",
	       "aarch64 compat slot");
	is_str(syscall_arch_slot(AARCH64, RECORDER_ARCH_X32), NULL, "aarch64 has no x32 slot");
	name_is(AARCH64, RECORDER_ARCH_NATIVE, 56, "openat");
	name_is(AARCH64, RECORDER_ARCH_NATIVE, 57, "close");
	name_is(AARCH64, RECORDER_ARCH_NATIVE, 63, "read");
	name_is(AARCH64, RECORDER_ARCH_NATIVE, 93, "exit");
	name_is(AARCH64, RECORDER_ARCH_NATIVE, 94, "exit_group");
	name_is(AARCH64, RECORDER_ARCH_NATIVE, 221, "execve");
	name_is(AARCH64, RECORDER_ARCH_NATIVE, 435, "clone3");
	name_is(AARCH64, RECORDER_ARCH_NATIVE, 1000, NULL);
	ok(syscall_arch_slot_index(AARCH64, RECORDER_ARCH_NATIVE, "open") == -1,
	   "aarch64 has no open");
	ok(syscall_arch_slot_index(AARCH64, RECORDER_ARCH_NATIVE, "set_tls") == -1,
	   "aarch64 has no set_tls");
	name_is(AARCH64, RECORDER_ARCH_COMPAT, 1, "exit");
	name_is(AARCH64, RECORDER_ARCH_COMPAT, 3, "read");
	name_is(AARCH64, RECORDER_ARCH_COMPAT, 5, "open");
	name_is(AARCH64, RECORDER_ARCH_COMPAT, 6, "close");
	name_is(AARCH64, RECORDER_ARCH_COMPAT, 11, "execve");
	name_is(AARCH64, RECORDER_ARCH_COMPAT, 248, "exit_group");
	name_is(AARCH64, RECORDER_ARCH_COMPAT, 322, "openat");
	name_is(AARCH64, RECORDER_ARCH_COMPAT, RECORDER_ARM_PRIVATE_INDEX + 1, "breakpoint");
	name_is(AARCH64, RECORDER_ARCH_COMPAT, RECORDER_ARM_PRIVATE_INDEX + 2, "cacheflush");
	name_is(AARCH64, RECORDER_ARCH_COMPAT, RECORDER_ARM_PRIVATE_INDEX + 5, "set_tls");
	name_is(AARCH64, RECORDER_ARCH_COMPAT, RECORDER_ARM_PRIVATE_INDEX + 6, "get_tls");
	name_is(AARCH64, RECORDER_ARCH_COMPAT, RECORDER_ARM_PRIVATE_INDEX, NULL);
	ok(syscall_resolve("SCMP_ARCH_ARM", "set_tls") == RECORDER_ARM_PRIVATE_BASE + 5,
	   "set_tls is __ARM_NR_BASE + 5 in libseccomp's table");
	name_is(AARCH64, RECORDER_ARCH_X32, 3, NULL);
	/* Every arm syscall libseccomp knows has an index, and they differ. */
	int collisions = 0, named = 0;
	for (int nr = 0; nr < RECORDER_ARM_PRIVATE_INDEX; nr++) {
		char *name = syscall_arch_slot_name(AARCH64, RECORDER_ARCH_COMPAT, nr);

		if (name) {
			named++;
			if (syscall_arch_slot_index(AARCH64, RECORDER_ARCH_COMPAT, name) != nr)
				collisions++;
		}
		free(name);
	}
	ok(named > 350 && collisions == 0,
	   "%d arm syscalls below the private indices, all round-trip", named);
}

/* What the build's own machine uses. */
static void native_slots(void)
{
	const char *native = syscall_native_arch();

#if defined(__x86_64__)
	is_str(native, X86_64, "built for x86_64");
#elif defined(__aarch64__)
	is_str(native, AARCH64, "built for aarch64");
#endif
	for (int slot = 0; slot < RECORDER_NR_ARCHES; slot++)
		is_str(syscall_slot_arch(slot), syscall_arch_slot(native, slot), "slot %d is %s's",
		       slot, native);
	ok(syscall_slot_index(RECORDER_ARCH_NATIVE, "execve") == syscall_resolve(native, "execve"),
	   "the native index of execve is its native number");
	ok(syscall_arch_slot(NULL, 0) == NULL &&
		   syscall_arch_slot("SCMP_ARCH_PPC64LE", 0) == NULL &&
		   syscall_arch_slot(native, -1) == NULL &&
		   syscall_arch_slot(native, RECORDER_NR_ARCHES) == NULL,
	   "no slots for other machines or out of range");
}

int main(void)
{
	x86_64_slots();
	aarch64_slots();
	native_slots();
	ok(syscall_slot_name(RECORDER_ARCH_NATIVE, -1) == NULL, "negative numbers have no name");
	ok(syscall_arch_token("SCMP_ARCH_AARCH64") != 0, "knows SCMP_ARCH_AARCH64");
	ok(syscall_arch_token("SCMP_ARCH_Z80") == 0, "does not know SCMP_ARCH_Z80");
	ok(syscall_name_known("openat"), "openat is a syscall");
	ok(syscall_name_known("arm_fadvise64_64"), "a syscall of another architecture is known");
	ok(syscall_name_known("cachestat"), "newer syscalls from our list are known");
	ok(!syscall_name_known("opne"), "a typo is not a syscall");
	ok(!syscall_name_known(""), "the empty name is not a syscall");
	return tap_done();
}
