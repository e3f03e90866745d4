// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/* Capability checks on kernels without the capability:cap_capable
 * tracepoint (before 6.14): a kprobe on cap_capable(), which sees the check
 * but not its result, so user space keeps only the granted capabilities
 * among those checked (hook/trace/follow.c). Loaded apart, only where it is
 * needed, with its maps pointed at the shared instance's (hook/trace/instance.c).
 * A kprobe needs neither a BTF-typed attach point (the whole kernel BTF,
 * 50 ms) nor BPF trampolines, which some kernels lack. */
#include "vmlinux_min.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "recorder.h"
#include "recorder_common.bpf.h"

/* int cap_capable(const struct cred *cred, struct user_namespace *targ_ns,
 *                 int cap, unsigned int opts) */
SEC("kprobe/cap_capable")
int BPF_KPROBE(sr_cap_kprobe, const struct cred *cred, void *targ_ns, int cap)
{
	cap_checked((__u64)cred, cap, 0);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
