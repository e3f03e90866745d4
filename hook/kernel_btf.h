/* SPDX-License-Identifier: Apache-2.0 */
/* A trimmed copy of the running kernel's BTF: only the structs and members
 * the BPF program reads (as declared in bpf/vmlinux_min.h), with the
 * kernel's own sizes and offsets. libbpf parses the full kernel BTF (5 MiB,
 * 100k+ types) in tens of milliseconds; given this copy as btf_custom_path,
 * it resolves the same CO-RE relocations from a few hundred bytes. */
#ifndef KERNEL_BTF_H
#define KERNEL_BTF_H

#include <stddef.h>

#include <bpf/btf.h>

#include "error.h"

/* Writes into `path` the absolute path of the trimmed BTF for this boot
 * in directory `dir` (a root-only directory under /run), creating it from
 * /sys/kernel/btf/vmlinux if missing. `local` is the program's own BTF. */
int kernel_btf_trimmed(int dirfd, const char *dir, const struct btf *local, char *path,
		       size_t size, hook_error_t *err);

#endif /* KERNEL_BTF_H */
