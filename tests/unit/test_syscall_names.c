// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>

#include "profile/syscall_names.h"
#include "recorder.h"
#include "tap.h"

static void name_is(int slot, int nr, const char *want)
{
	char *got = syscall_slot_name(slot, nr);

	is_str(got, want, "%s nr %d is %s", syscall_slot_arch(slot), nr, want ? want : "unnamed");
	free(got);
}

int main(void)
{
#if defined(__x86_64__)
	is_str(syscall_slot_arch(RECORDER_ARCH_NATIVE), "SCMP_ARCH_X86_64", "native slot");
	is_str(syscall_slot_arch(RECORDER_ARCH_COMPAT), "SCMP_ARCH_X86", "compat slot");
	is_str(syscall_slot_arch(RECORDER_ARCH_X32), "SCMP_ARCH_X32", "x32 slot");
	name_is(RECORDER_ARCH_NATIVE, 3, "close");
	name_is(RECORDER_ARCH_COMPAT, 3, "read");
	name_is(RECORDER_ARCH_NATIVE, 0, "read");
	name_is(RECORDER_ARCH_COMPAT, 1, "exit");
	name_is(RECORDER_ARCH_NATIVE, 59, "execve");
	name_is(RECORDER_ARCH_COMPAT, 11, "execve");
	name_is(RECORDER_ARCH_X32, 3, "close");
	name_is(RECORDER_ARCH_X32, 520, "execve");
	name_is(RECORDER_ARCH_NATIVE, 1000, NULL);
	ok(syscall_resolve("SCMP_ARCH_X86_64", "getppid") == 110, "getppid is 110 on x86_64");
	ok(syscall_resolve("SCMP_ARCH_X86", "getppid") == 64, "getppid is 64 on i386");
#endif
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
