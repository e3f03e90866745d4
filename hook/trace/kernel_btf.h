/* SPDX-License-Identifier: Apache-2.0 */
/* A trimmed copy of the running kernel's BTF: only the structs and members
 * the BPF program reads (as declared in bpf/vmlinux_min.h), with the
 * kernel's own sizes and offsets. libbpf parses the full kernel BTF (5 MiB,
 * 100k+ types) in tens of milliseconds; given this copy as btf_custom_path,
 * it resolves the same CO-RE relocations from a few hundred bytes. */
#ifndef KERNEL_BTF_H
#define KERNEL_BTF_H

#include <stdbool.h>
#include <stddef.h>

#include <bpf/btf.h>

#include "util/error.h"

/* Sets `path` to the trimmed BTF for this boot in directory `dir` (a
 * root-only directory under /run, open as `dirfd`); true if it exists. */
bool kernel_btf_cached(int dirfd, const char *dir, char *path, size_t size);

/* Creates it from /sys/kernel/btf/vmlinux; `local` is the program's own
 * BTF, whose structs and members say what to keep. */
int kernel_btf_trim(int dirfd, const char *dir, const struct btf *local, char *path, size_t size,
		    hook_error_t *err);

#endif /* KERNEL_BTF_H */
