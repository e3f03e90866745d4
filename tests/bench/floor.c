// SPDX-License-Identifier: Apache-2.0
/* floor KIND: attaches one benchmark floor program (bpf/floor.bpf.c) to
 * sys_enter: raw_tp, tp_btf, tracepoint (classic; needs tracefs), lookup
 * (raw_tp doing one hash lookup) or array (raw_tp reading one array slot). Prints `attached` and holds it until its
 * standard input closes. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "floor.skel.h"

int main(int argc, char **argv)
{
	struct floor_bpf *skel;
	struct bpf_program *want = NULL, *prog;
	struct bpf_link *link;
	char c;

	if (argc != 2) {
		fprintf(stderr, "usage: floor raw_tp|tp_btf|tracepoint|lookup|array|\n"
				"             pidtgid|tgid|storage|nostorage|nsproxy\n");
		return 2;
	}
	skel = floor_bpf__open();
	if (!skel) {
		fprintf(stderr, "floor: cannot open the BPF object\n");
		return 1;
	}
	if (strcmp(argv[1], "raw_tp") == 0)
		want = skel->progs.floor_raw_tp;
	else if (strcmp(argv[1], "tp_btf") == 0)
		want = skel->progs.floor_tp_btf;
	else if (strcmp(argv[1], "tracepoint") == 0)
		want = skel->progs.floor_tracepoint;
	else if (strcmp(argv[1], "lookup") == 0)
		want = skel->progs.floor_raw_tp_lookup;
	else if (strcmp(argv[1], "array") == 0)
		want = skel->progs.floor_raw_tp_array;
	else if (strcmp(argv[1], "pidtgid") == 0)
		want = skel->progs.cand_pidtgid;
	else if (strcmp(argv[1], "tgid") == 0)
		want = skel->progs.cand_tgid;
	else if (strcmp(argv[1], "storage") == 0)
		want = skel->progs.cand_storage;
	else if (strcmp(argv[1], "nostorage") == 0)
		want = skel->progs.cand_nostorage;
	else if (strcmp(argv[1], "nsproxy") == 0)
		want = skel->progs.cand_nsproxy;
	if (!want) {
		fprintf(stderr, "floor: unknown kind `%s`\n", argv[1]);
		floor_bpf__destroy(skel);
		return 2;
	}
	bpf_object__for_each_program (prog, skel->obj)
		bpf_program__set_autoload(prog, prog == want);
	if (floor_bpf__load(skel) < 0) {
		fprintf(stderr, "floor: cannot load `%s`\n", argv[1]);
		floor_bpf__destroy(skel);
		return 1;
	}
	link = bpf_program__attach(want);
	if (!link) {
		fprintf(stderr, "floor: cannot attach `%s`\n", argv[1]);
		floor_bpf__destroy(skel);
		return 1;
	}
	printf("attached\n");
	fflush(stdout);
	while (read(STDIN_FILENO, &c, 1) > 0)
		;
	bpf_link__destroy(link);
	floor_bpf__destroy(skel);
	return 0;
}
