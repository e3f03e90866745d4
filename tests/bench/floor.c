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

/* The harness's names for the programs of bpf/floor.bpf.c. */
static const struct {
	const char *kind, *prog;
} kinds[] = {
	{ "raw_tp", "floor_raw_tp" },	    { "tp_btf", "floor_tp_btf" },
	{ "tracepoint", "floor_tracepoint" }, { "lookup", "floor_raw_tp_lookup" },
	{ "array", "floor_raw_tp_array" },  { "pidtgid", "cand_pidtgid" },
	{ "tgid", "cand_tgid" },	    { "storage", "cand_storage" },
	{ "nostorage", "cand_nostorage" },  { "nsproxy", "cand_nsproxy" },
};

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
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(argv[1], kinds[i].kind) == 0)
			want = bpf_object__find_program_by_name(skel->obj, kinds[i].prog);
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
