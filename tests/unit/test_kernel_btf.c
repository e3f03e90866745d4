// SPDX-License-Identifier: Apache-2.0
/* The trimmed kernel BTF (hook/trace/kernel_btf.c) against this machine's own
 * /sys/kernel/btf/vmlinux, without root: every struct member the program
 * reads keeps the kernel's offset, and the copy is a small fraction of the
 * kernel's BTF. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "recorder.skel.h"
#include "tap.h"
#include "trace/kernel_btf.h"
#include "util/error.h"

#define VMLINUX "/sys/kernel/btf/vmlinux"

/* The bit offset of member `name` of composite `t`, or -1. */
static long member_offset(const struct btf *btf, const struct btf_type *t, const char *name)
{
	const struct btf_member *m = btf_members(t);

	for (int i = 0; i < btf_vlen(t); i++, m++)
		if (strcmp(btf__name_by_offset(btf, m->name_off), name) == 0)
			return (long)btf_member_bit_offset(t, (__u32)i);
	return -1;
}

/* Every named member of every named struct of `trimmed` has the offset the
 * kernel gives it; returns how many members were compared, -1 on a
 * mismatch. */
static int compare_members(const struct btf *trimmed, const struct btf *kern)
{
	int compared = 0;

	for (__u32 id = 1; id < btf__type_cnt(trimmed); id++) {
		const struct btf_type *t = btf__type_by_id(trimmed, id);
		const char *name = btf__name_by_offset(trimmed, t->name_off);
		const struct btf_type *k;
		const struct btf_member *m;
		int kid;

		if (!btf_is_struct(t) || !name || !*name)
			continue;
		kid = btf__find_by_name_kind(kern, name, BTF_KIND_STRUCT);
		if (kid < 0)
			return -1;
		k = btf__type_by_id(kern, (__u32)kid);
		if (k->size != t->size) {
			printf("# struct %s: size %u, kernel %u\n", name, t->size, k->size);
			return -1;
		}
		m = btf_members(t);
		for (int i = 0; i < btf_vlen(t); i++, m++) {
			const char *mname = btf__name_by_offset(trimmed, m->name_off);

			if (!mname || !*mname)
				continue;
			if (member_offset(kern, k, mname) != (long)btf_member_bit_offset(t, (__u32)i)) {
				printf("# %s.%s: offset differs from the kernel's\n", name, mname);
				return -1;
			}
			compared++;
		}
	}
	return compared;
}

int main(void)
{
	char tmpl[] = "/tmp/sr-kernel-btf.XXXXXX", path[256], again[256];
	struct recorder_bpf *skel;
	struct btf *kern, *trimmed;
	hook_error_t err = NULL;
	struct stat full, small;
	int dirfd, ret, compared;

	if (access(VMLINUX, R_OK) != 0) {
		printf("1..0 # SKIP no readable %s\n", VMLINUX);
		return 0;
	}
	if (!mkdtemp(tmpl) || (dirfd = open(tmpl, O_PATH | O_DIRECTORY)) < 0) {
		printf("Bail out! cannot make a temporary directory\n");
		return 1;
	}
	ok(!kernel_btf_cached(dirfd, tmpl, path, sizeof(path)), "no cached copy at first");

	/* Opening the skeleton loads nothing: no root needed. */
	skel = recorder_bpf__open();
	ok(skel != NULL, "the embedded BPF object opens");
	if (!skel)
		return 1;
	ret = kernel_btf_trim(dirfd, tmpl, bpf_object__btf(skel->obj), path, sizeof(path), &err);
	ok(ret == 0, "trims the kernel BTF");
	if (ret < 0) {
		char *msg = hook_error_string(err);

		printf("#   %s\n", msg);
		free(msg);
		hook_error_release(&err);
		return 1;
	}
	ok(strncmp(path, tmpl, strlen(tmpl)) == 0, "the copy is in the given directory: %s", path);
	ok(kernel_btf_cached(dirfd, tmpl, again, sizeof(again)) && strcmp(again, path) == 0,
	   "the copy is found again for this boot");

	ok(stat(VMLINUX, &full) == 0 && stat(path, &small) == 0 && small.st_mode == (S_IFREG | 0600) &&
		   small.st_size * 100 < full.st_size,
	   "a private file under 1%% of the kernel's BTF (%lld of %lld bytes)",
	   (long long)small.st_size, (long long)full.st_size);

	kern = btf__parse(VMLINUX, NULL);
	trimmed = btf__parse(path, NULL);
	ok(kern && trimmed, "both parse as BTF");
	if (kern && trimmed) {
		ok(btf__find_by_name_kind(trimmed, "task_struct", BTF_KIND_STRUCT) > 0,
		   "keeps task_struct, which the program reads");
		ok(btf__find_by_name_kind(trimmed, "sk_buff", BTF_KIND_STRUCT) < 0,
		   "drops what the program does not read (sk_buff)");
		compared = compare_members(trimmed, kern);
		ok(compared > 0, "every kept member has the kernel's offset (%d compared)", compared);
	}
	btf__free(kern);
	btf__free(trimmed);
	recorder_bpf__destroy(skel);

	unlink(path);
	close(dirfd);
	rmdir(tmpl);
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
