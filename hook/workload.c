// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <stdlib.h>

#include <linux/types.h>

#include "recorder.h"
#include "syscall_names.h"
#include "workload.h"

/* PLACEHOLDER list, replaced below once measured. */
static const char *const runtime_syscalls[] = {
	"execve",
};

void workload_add_runtime_syscalls(struct profile_recording *rec)
{
	const char *arch = syscall_slot_arch(RECORDER_ARCH_NATIVE);

	for (size_t i = 0; i < sizeof(runtime_syscalls) / sizeof(runtime_syscalls[0]); i++)
		if (syscall_resolve(arch, runtime_syscalls[i]) >= 0)
			profile_strv_add(&rec->names, runtime_syscalls[i]);
}
