// SPDX-License-Identifier: Apache-2.0
/* profile_merge(): the union of recorded profiles. Covers the sorted union of
 * names in one recorded rule, byte-identical output whatever the input order,
 * `name` and `names` rules joining, a syscall allowed by one input leaving
 * the deny rules of the others, the most permissive default action, sorted
 * architectures, `architectures` folded into `archMap`, listenerPath
 * disagreement and conditional rules kept as they are; profile_excess()
 * confirms that no input allows more than the union of three. Profiles are
 * written with ' for " to stay readable. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile/profile.h"
#include "profile/profile_compare.h"
#include "profile/profile_merge.h"
#include "profile_test.h"
#include "tap.h"

#define NATIVE "SCMP_ARCH_X86_64"
#define REC    "'comment':'recorded by seccomp-recorder'"

static const struct compare_host host = {
	.native_arch = NATIVE,
	.go_arch = "amd64",
	.kernel_major = 6,
	.kernel_minor = 1,
};

/* The bytes profile_serialize() writes for `text`: what a merge must give. */
static char *canon(const char *text)
{
	struct profile p;
	char *out;

	parse_or_die(text, &p);
	out = serialize(&p);
	profile_free(&p);
	return out;
}

/* Merges the profiles `texts[order[i]]`; the serialized union, or NULL and
 * the error message in `*msg` (the caller frees it). */
static char *merge_order(const char *const *texts, const size_t *order, size_t n, char **msg)
{
	struct profile *in = calloc(n, sizeof(*in));
	struct profile out = { 0 };
	hook_error_t err = NULL;
	char *text = NULL;

	*msg = NULL;
	for (size_t i = 0; i < n; i++)
		parse_or_die(texts[order ? order[i] : i], &in[i]);
	if (profile_merge(in, n, NATIVE, &out, &err) < 0) {
		*msg = strdup(err->msg);
		hook_error_release(&err);
	} else {
		text = serialize(&out);
		profile_free(&out);
	}
	for (size_t i = 0; i < n; i++)
		profile_free(&in[i]);
	free(in);
	return text;
}

static char *merge2(const char *a, const char *b)
{
	const char *texts[] = { a, b };
	char *msg, *out = merge_order(texts, NULL, 2, &msg);

	if (msg) {
		printf("# merge failed: %s\n", msg);
		free(msg);
	}
	return out;
}

/* Merges `a` and `b` in both orders and checks both against `want`. */
static void merges_to(const char *a, const char *b, const char *want, const char *why)
{
	char *w = canon(want), *ab = merge2(a, b), *ba = merge2(b, a);

	is_str(ab, w, "%s", why);
	is_str(ba, w, "%s (inputs swapped)", why);
	free(w);
	free(ab);
	free(ba);
}

/* The default action of the union of two profiles that only have one. */
static void default_wins(const char *a, const char *b, const char *want)
{
	char pa[128], pb[128], pw[128];

	snprintf(pa, sizeof(pa), "{'defaultAction':'%s'}", a);
	snprintf(pb, sizeof(pb), "{'defaultAction':'%s'}", b);
	snprintf(pw, sizeof(pw), "{'defaultAction':'%s','syscalls':[]}", want);
	merges_to(pa, pb, pw, want);
}

static void permutations(void)
{
	static const char *const texts[] = {
		"{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':38,"
		"'architectures':['SCMP_ARCH_X86_64'],'flags':['SECCOMP_FILTER_FLAG_LOG'],"
		"'syscalls':[{'names':['write','read'],'action':'SCMP_ACT_ALLOW'," REC "},"
		"{'names':['mkdir'],'action':'SCMP_ACT_ERRNO','errnoRet':1}]}",

		"{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':1,"
		"'architectures':['SCMP_ARCH_X86','SCMP_ARCH_X86_64'],"
		"'syscalls':[{'names':['read','close'],'action':'SCMP_ACT_ALLOW'," REC "},"
		"{'name':'futex','action':'SCMP_ACT_ALLOW'," REC "},"
		"{'names':['personality'],'action':'SCMP_ACT_ALLOW',"
		"'args':[{'index':0,'value':8,'op':'SCMP_CMP_EQ'}]}]}",

		"{'defaultAction':'SCMP_ACT_ERRNO',"
		"'syscalls':[{'names':['brk'],'action':'SCMP_ACT_ALLOW','comment':'other'},"
		"{'names':['rmdir'],'action':'SCMP_ACT_ERRNO','errnoRet':1},"
		"{'names':['mkdir'],'action':'SCMP_ACT_ALLOW'," REC "}]}",
	};
	static const size_t orders[6][3] = {
		{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
	};
	/* lowest defaultErrnoRet; mkdir leaves the deny rule as the third
	 * input allows it; rules sorted (ALLOW before ERRNO, then by the
	 * rest of the rule) */
	char *want = canon("{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':1,"
			   "'architectures':['SCMP_ARCH_X86','SCMP_ARCH_X86_64'],"
			   "'flags':['SECCOMP_FILTER_FLAG_LOG'],'syscalls':["
			   "{'names':['personality'],'action':'SCMP_ACT_ALLOW',"
			   "'args':[{'index':0,'value':8,'op':'SCMP_CMP_EQ'}]},"
			   "{'names':['brk'],'action':'SCMP_ACT_ALLOW','comment':'other'},"
			   "{'names':['close','futex','mkdir','read','write'],"
			   "'action':'SCMP_ACT_ALLOW'," REC "},"
			   "{'names':['rmdir'],'action':'SCMP_ACT_ERRNO','errnoRet':1}]}");
	char *first = NULL, *msg;

	for (size_t i = 0; i < 6; i++) {
		char *out = merge_order(texts, orders[i], 3, &msg);

		if (msg) {
			printf("# merge failed: %s\n", msg);
			free(msg);
		}
		if (i == 0) {
			is_str(out, want, "three inputs merge to the expected union");
			first = out;
			continue;
		}
		is_str(out, first, "order %zu%zu%zu gives the same bytes as 012", orders[i][0],
		       orders[i][1], orders[i][2]);
		free(out);
	}
	/* what profile_excess() makes of it: no input allows more here */
	if (first) {
		struct profile merged, in;

		parse_or_die(first, &merged);
		for (size_t i = 0; i < 3; i++) {
			struct profile_excess e;

			parse_or_die(texts[i], &in);
			profile_excess(&in, &merged, &host, &e);
			ok(profile_excess_empty(&e), "input %zu allows nothing beyond the union",
			   i);
			profile_excess_free(&e);
			profile_free(&in);
		}
		profile_free(&merged);
	}
	free(first);
	free(want);
}

int main(void)
{
	char *out, *msg;

	/* two recordings: one rule, names sorted and unique */
	merges_to("{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':38,"
		  "'architectures':['SCMP_ARCH_X86_64'],"
		  "'syscalls':[{'names':['write','read','close'],'action':'SCMP_ACT_ALLOW'," REC
		  "}]}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':38,"
		  "'architectures':['SCMP_ARCH_X86_64'],"
		  "'syscalls':[{'names':['openat','read','exit_group'],"
		  "'action':'SCMP_ACT_ALLOW'," REC "}]}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':38,"
		  "'architectures':['SCMP_ARCH_X86_64'],"
		  "'syscalls':[{'names':['close','exit_group','openat','read','write'],"
		  "'action':'SCMP_ACT_ALLOW'," REC "}]}",
		  "two recorded profiles give one rule with the sorted union of names");

	/* a single input is normalised too */
	{
		const char *one[] = {
			"{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
			"{'names':['write','read','write'],'action':'SCMP_ACT_ALLOW'}]}"
		};
		char *w = canon("{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
				"{'names':['read','write'],'action':'SCMP_ACT_ALLOW'}]}");

		out = merge_order(one, NULL, 1, &msg);
		is_str(out, w, "one input: names sorted and unique");
		free(msg);
		free(out);
		free(w);
	}

	permutations();

	/* `name` and `names` with identical conditions become one `names` rule */
	merges_to("{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
		  "{'name':'read','action':'SCMP_ACT_ALLOW'}]}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
		  "{'names':['write','close'],'action':'SCMP_ACT_ALLOW'}]}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
		  "{'names':['close','read','write'],'action':'SCMP_ACT_ALLOW'}]}",
		  "`name` and `names` rules become one `names` rule");
	merges_to("{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
		  "{'name':'bpf','action':'SCMP_ACT_ALLOW','includes':{'caps':['CAP_BPF']}}]}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
		  "{'names':['perf_event_open'],'action':'SCMP_ACT_ALLOW',"
		  "'includes':{'caps':['CAP_BPF']}}]}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
		  "{'names':['bpf','perf_event_open'],'action':'SCMP_ACT_ALLOW',"
		  "'includes':{'caps':['CAP_BPF']}}]}",
		  "`name` and `names` rules with the same includes become one rule");
	merges_to("{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
		  "{'name':'bpf','action':'SCMP_ACT_ALLOW','includes':{'caps':['CAP_BPF']}}]}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
		  "{'names':['perf_event_open'],'action':'SCMP_ACT_ALLOW',"
		  "'includes':{'caps':['CAP_PERFMON']}}]}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
		  "{'names':['bpf'],'action':'SCMP_ACT_ALLOW','includes':{'caps':['CAP_BPF']}},"
		  "{'names':['perf_event_open'],'action':'SCMP_ACT_ALLOW',"
		  "'includes':{'caps':['CAP_PERFMON']}}]}",
		  "rules with different includes stay apart");

	/* allowed by one, denied by the other: only allowed */
	merges_to("{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
		  "{'names':['read','mkdir'],'action':'SCMP_ACT_ALLOW'}]}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
		  "{'names':['read'],'action':'SCMP_ACT_ALLOW'},"
		  "{'names':['mkdir','rmdir'],'action':'SCMP_ACT_ERRNO','errnoRet':1}]}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
		  "{'names':['mkdir','read'],'action':'SCMP_ACT_ALLOW'},"
		  "{'names':['rmdir'],'action':'SCMP_ACT_ERRNO','errnoRet':1}]}",
		  "a syscall allowed by one input leaves the other's deny rule");
	merges_to("{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
		  "{'names':['read','mkdir'],'action':'SCMP_ACT_ALLOW'}]}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
		  "{'names':['mkdir'],'action':'SCMP_ACT_ERRNO','errnoRet':1}]}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
		  "{'names':['mkdir','read'],'action':'SCMP_ACT_ALLOW'}]}",
		  "a deny rule left without names disappears");
	merges_to("{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
		  "{'names':['read'],'action':'SCMP_ACT_ALLOW'},"
		  "{'names':['mkdir'],'action':'SCMP_ACT_ERRNO','errnoRet':1}]}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
		  "{'names':['write'],'action':'SCMP_ACT_ALLOW'},"
		  "{'names':['mkdir'],'action':'SCMP_ACT_ERRNO','errnoRet':1}]}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
		  "{'names':['read','write'],'action':'SCMP_ACT_ALLOW'},"
		  "{'names':['mkdir'],'action':'SCMP_ACT_ERRNO','errnoRet':1}]}",
		  "a syscall denied by both inputs stays denied");

	/* the most permissive default action */
	default_wins("SCMP_ACT_ERRNO", "SCMP_ACT_ALLOW", "SCMP_ACT_ALLOW");
	default_wins("SCMP_ACT_LOG", "SCMP_ACT_ALLOW", "SCMP_ACT_ALLOW");
	default_wins("SCMP_ACT_ERRNO", "SCMP_ACT_LOG", "SCMP_ACT_LOG");
	default_wins("SCMP_ACT_KILL_PROCESS", "SCMP_ACT_ERRNO", "SCMP_ACT_ERRNO");
	default_wins("SCMP_ACT_KILL_PROCESS", "SCMP_ACT_TRAP", "SCMP_ACT_TRAP");
	default_wins("SCMP_ACT_TRACE", "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE");
	/* ALLOW wins: the ERRNO input's deny of what the ALLOW input does not
	 * mention goes; what both deny stays */
	merges_to("{'defaultAction':'SCMP_ACT_ALLOW','syscalls':["
		  "{'names':['kexec_load'],'action':'SCMP_ACT_ERRNO','errnoRet':1}]}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
		  "{'names':['read'],'action':'SCMP_ACT_ALLOW'},"
		  "{'names':['kexec_load','reboot'],'action':'SCMP_ACT_ERRNO','errnoRet':1}]}",
		  "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':["
		  "{'names':['read'],'action':'SCMP_ACT_ALLOW'},"
		  "{'names':['kexec_load'],'action':'SCMP_ACT_ERRNO','errnoRet':1}]}",
		  "ALLOW default wins; a deny it does not share is dropped");

	/* architectures */
	merges_to("{'defaultAction':'SCMP_ACT_ERRNO','architectures':['SCMP_ARCH_X86_64']}",
		  "{'defaultAction':'SCMP_ACT_ERRNO',"
		  "'architectures':['SCMP_ARCH_X86_64','SCMP_ARCH_X86','SCMP_ARCH_X32']}",
		  "{'defaultAction':'SCMP_ACT_ERRNO',"
		  "'architectures':['SCMP_ARCH_X32','SCMP_ARCH_X86','SCMP_ARCH_X86_64'],"
		  "'syscalls':[]}",
		  "architectures: sorted union");
	merges_to("{'defaultAction':'SCMP_ACT_ERRNO',"
		  "'architectures':['SCMP_ARCH_X86_64','SCMP_ARCH_X86']}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','archMap':[{'architecture':'SCMP_ARCH_X86_64',"
		  "'subArchitectures':['SCMP_ARCH_X32']}]}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','archMap':[{'architecture':'SCMP_ARCH_X86_64',"
		  "'subArchitectures':['SCMP_ARCH_X32','SCMP_ARCH_X86']}],'syscalls':[]}",
		  "architectures folded into the native archMap entry");
	merges_to(
		"{'defaultAction':'SCMP_ACT_ERRNO',"
		"'architectures':['SCMP_ARCH_X86_64','SCMP_ARCH_X86']}",
		"{'defaultAction':'SCMP_ACT_ERRNO','archMap':[{'architecture':'SCMP_ARCH_AARCH64',"
		"'subArchitectures':['SCMP_ARCH_ARM']}]}",
		"{'defaultAction':'SCMP_ACT_ERRNO','archMap':["
		"{'architecture':'SCMP_ARCH_AARCH64','subArchitectures':['SCMP_ARCH_ARM']},"
		"{'architecture':'SCMP_ARCH_X86_64','subArchitectures':['SCMP_ARCH_X86']}],"
		"'syscalls':[]}",
		"architectures folded into a new native archMap entry, entries sorted");
	merges_to("{'defaultAction':'SCMP_ACT_ERRNO',"
		  "'architectures':['SCMP_ARCH_X86_64','SCMP_ARCH_X86']}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','archMap':[{'architecture':'SCMP_ARCH_X86_64',"
		  "'subArchitectures':['SCMP_ARCH_X86','SCMP_ARCH_X32']}]}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','archMap':[{'architecture':'SCMP_ARCH_X86_64',"
		  "'subArchitectures':['SCMP_ARCH_X32','SCMP_ARCH_X86']}],'syscalls':[]}",
		  "architectures the archMap covers already add nothing");
	merges_to("{'defaultAction':'SCMP_ACT_ERRNO','archMap':[{'architecture':'SCMP_ARCH_X86_64',"
		  "'subArchitectures':['SCMP_ARCH_X86']}]}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','archMap':[{'architecture':'SCMP_ARCH_X86_64',"
		  "'subArchitectures':['SCMP_ARCH_X32']},{'architecture':'SCMP_ARCH_AARCH64',"
		  "'subArchitectures':['SCMP_ARCH_ARM']}]}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','archMap':["
		  "{'architecture':'SCMP_ARCH_AARCH64','subArchitectures':['SCMP_ARCH_ARM']},"
		  "{'architecture':'SCMP_ARCH_X86_64','subArchitectures':['SCMP_ARCH_X32',"
		  "'SCMP_ARCH_X86']}],'syscalls':[]}",
		  "archMap merged per architecture, entries sorted");
	{
		const char *texts[] = {
			"{'defaultAction':'SCMP_ACT_ERRNO',"
			"'architectures':['SCMP_ARCH_X86_64','SCMP_ARCH_X86']}",
			"{'defaultAction':'SCMP_ACT_ERRNO','archMap':[{'architecture':"
			"'SCMP_ARCH_X86_64','subArchitectures':['SCMP_ARCH_X32']}]}",
		};

		out = merge_order(texts, NULL, 2, &msg);
		ok(out && strstr(out, "\"archMap\"") && !strstr(out, "\"architectures\""),
		   "with an archMap input there is no `architectures` key");
		free(msg);
		free(out);
	}

	/* listenerPath must agree */
	{
		const char *texts[] = {
			"{'defaultAction':'SCMP_ACT_ERRNO','listenerPath':'/run/a.sock'}",
			"{'defaultAction':'SCMP_ACT_ERRNO','listenerPath':'/run/b.sock'}",
		};

		out = merge_order(texts, NULL, 2, &msg);
		ok(out == NULL, "no output when listenerPath differs");
		refused_with(out ? 0 : -1, msg, "listenerPath",
			     "inputs with different listenerPath");
		free(out);
	}
	merges_to("{'defaultAction':'SCMP_ACT_ERRNO','listenerPath':'/run/a.sock'}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','listenerPath':'/run/a.sock'}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','listenerPath':'/run/a.sock','syscalls':[]}",
		  "the same listenerPath is kept");

	/* conditional rules are kept as they are */
	merges_to("{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
		  "{'names':['personality'],'action':'SCMP_ACT_ALLOW',"
		  "'args':[{'index':0,'value':4294967295,'op':'SCMP_CMP_EQ'}],"
		  "'comment':'personality'},"
		  "{'names':['read'],'action':'SCMP_ACT_ALLOW'}]}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
		  "{'names':['umount2','mount'],'action':'SCMP_ACT_ALLOW',"
		  "'includes':{'caps':['CAP_SYS_ADMIN']}},"
		  "{'names':['clone'],'action':'SCMP_ACT_ALLOW',"
		  "'args':[{'index':0,'value':2114060288,'valueTwo':0,'op':'SCMP_CMP_MASKED_EQ'}],"
		  "'excludes':{'caps':['CAP_SYS_ADMIN'],'arches':['s390x']}},"
		  "{'names':['write'],'action':'SCMP_ACT_ALLOW'}]}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
		  "{'names':['read','write'],'action':'SCMP_ACT_ALLOW'},"
		  "{'names':['clone'],'action':'SCMP_ACT_ALLOW',"
		  "'args':[{'index':0,'value':2114060288,'valueTwo':0,'op':'SCMP_CMP_MASKED_EQ'}],"
		  "'excludes':{'caps':['CAP_SYS_ADMIN'],'arches':['s390x']}},"
		  "{'names':['personality'],'action':'SCMP_ACT_ALLOW',"
		  "'args':[{'index':0,'value':4294967295,'op':'SCMP_CMP_EQ'}],"
		  "'comment':'personality'},"
		  "{'names':['mount','umount2'],'action':'SCMP_ACT_ALLOW',"
		  "'includes':{'caps':['CAP_SYS_ADMIN']}}]}",
		  "conditional rules (args, includes, excludes) are kept");

	/* a plain deny gives way to an input that allows under conditions */
	merges_to("{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
		  "{'names':['mkdir'],'action':'SCMP_ACT_ALLOW',"
		  "'args':[{'index':1,'value':448,'op':'SCMP_CMP_EQ'}]}]}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
		  "{'names':['mkdir','rmdir'],'action':'SCMP_ACT_ERRNO','errnoRet':1}]}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
		  "{'names':['mkdir'],'action':'SCMP_ACT_ALLOW',"
		  "'args':[{'index':1,'value':448,'op':'SCMP_CMP_EQ'}]},"
		  "{'names':['rmdir'],'action':'SCMP_ACT_ERRNO','errnoRet':1}]}",
		  "a conditional allow is not shadowed by another input's plain deny");
	/* an input allowing by default, but for one architecture */
	merges_to("{'defaultAction':'SCMP_ACT_ALLOW','syscalls':["
		  "{'names':['read'],'action':'SCMP_ACT_ERRNO','includes':{'arches':['s390x']}}]}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
		  "{'names':['read'],'action':'SCMP_ACT_ERRNO','errnoRet':1},"
		  "{'names':['write'],'action':'SCMP_ACT_ALLOW'}]}",
		  "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':["
		  "{'names':['write'],'action':'SCMP_ACT_ALLOW'},"
		  "{'names':['read'],'action':'SCMP_ACT_ERRNO','includes':{'arches':['s390x']}}]}",
		  "a plain deny gives way to an input that allows except on one architecture");
	/* an input's own plain deny makes its conditional allow dead */
	merges_to("{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
		  "{'names':['kexec_load'],'action':'SCMP_ACT_ERRNO','errnoRet':1},"
		  "{'names':['kexec_load'],'action':'SCMP_ACT_ALLOW',"
		  "'includes':{'caps':['CAP_SYS_BOOT']}}]}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[]}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
		  "{'names':['kexec_load'],'action':'SCMP_ACT_ALLOW',"
		  "'includes':{'caps':['CAP_SYS_BOOT']}},"
		  "{'names':['kexec_load'],'action':'SCMP_ACT_ERRNO','errnoRet':1}]}",
		  "a plain deny stays when its own input's allow was shadowed by it");

	/* architectures folded into the native archMap entry */
	merges_to("{'defaultAction':'SCMP_ACT_ERRNO',"
		  "'architectures':['SCMP_ARCH_X86_64','SCMP_ARCH_X86']}",
		  "{'defaultAction':'SCMP_ACT_ERRNO',"
		  "'archMap':[{'architecture':'SCMP_ARCH_X86','subArchitectures':[]}]}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','archMap':["
		  "{'architecture':'SCMP_ARCH_X86','subArchitectures':[]},"
		  "{'architecture':'SCMP_ARCH_X86_64','subArchitectures':['SCMP_ARCH_X86']}],"
		  "'syscalls':[]}",
		  "an architecture that only another archMap entry names stays enabled here");

	return tap_done();
}
