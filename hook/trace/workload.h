/* SPDX-License-Identifier: Apache-2.0 */
/* Where the workload begins. See docs/workload-boundary.md. */
#ifndef WORKLOAD_H
#define WORKLOAD_H

#include <stdbool.h>

#include "profile/profile_recording.h"

/* Adds, for the native architecture, the syscalls runc and crun make after
 * installing the container's seccomp filter and before the workload's
 * first exec completes: the recorder starts counting at that exec, yet the
 * filter applies from the moment it is installed. The built-in set, and
 * every set `calibrate` stored for this host's runtimes. */
void workload_add_runtime_syscalls(struct profile_recording *rec);

/* True if every recording allows `name` without calibration: the built-in
 * runtime set or the implicit one. */
bool workload_runtime_builtin(const char *name);

/* Adds what the kernel and the C library call without the program asking
 * (restart_syscall, rt_sigreturn, exit, the vDSO clock fallbacks): for every
 * recording, containers and `record` alike. */
void workload_add_implicit_syscalls(struct profile_recording *rec);

#endif /* WORKLOAD_H */
