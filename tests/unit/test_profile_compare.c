// SPDX-License-Identifier: Apache-2.0
/* profile_excess(): what a profile allows that a base does not, judged for a
 * fixed host (x86_64, kernel 6.1) so results do not depend on the machine.
 * Covers subsets, a plain extra syscall, includes.caps/arches/minKernel,
 * argument conditions, default actions (ERRNO vs ALLOW, both ALLOW),
 * architectures against `architectures` and `archMap`, a profile against
 * itself, SCMP_ACT_LOG as allowing and SCMP_ACT_NOTIFY as possibly allowing.
 * Profiles are written with ' for " to stay readable. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile/profile.h"
#include "profile/profile_compare.h"
#include "profile_test.h"
#include "tap.h"

static const struct compare_host host = {
	.native_arch = "SCMP_ARCH_X86_64",
	.go_arch = "amd64",
	.kernel_major = 6,
	.kernel_minor = 1,
};

#define EMPTY		    "syscalls=[] conditional=[] arches=[] default=-"
#define ERRNO_WITH(rules)   "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[" rules "]}"
#define ALLOW_WITH(rules)   "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[" rules "]}"
#define RULE(names, action) "{'names':[" names "],'action':'SCMP_ACT_" action "'}"

static void put_strv(FILE *f, const char *key, const struct strv *sv)
{
	fprintf(f, "%s=[", key);
	for (size_t i = 0; i < sv->n; i++)
		fprintf(f, "%s%s", i ? "," : "", sv->v[i]);
	fprintf(f, "] ");
}

/* What `profile` allows beyond `base`, as one line; `*empty` says whether
 * profile_excess_empty() agreed that there is nothing. */
static char *excess(const char *profile, const char *base, int *empty)
{
	struct profile p, b;
	struct profile_excess e;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		exit(1);
	parse_or_die(profile, &p);
	parse_or_die(base, &b);
	profile_excess(&p, &b, &host, &e);
	put_strv(f, "syscalls", &e.syscalls);
	put_strv(f, "conditional", &e.conditional);
	put_strv(f, "arches", &e.arches);
	fprintf(f, "default=%s", e.default_action ? e.default_action : "-");
	fclose(f);
	if (empty)
		*empty = profile_excess_empty(&e);
	profile_excess_free(&e);
	ok(e.syscalls.n == 0 && e.conditional.n == 0 && e.arches.n == 0 && !e.default_action,
	   "profile_excess_free() leaves an empty excess");
	profile_free(&p);
	profile_free(&b);
	return buf;
}

static void excess_is(const char *profile, const char *base, const char *want, const char *why)
{
	int empty;
	char *got = excess(profile, base, &empty);

	is_str(got, want, "%s", why);
	ok(empty == (strcmp(want, EMPTY) == 0), "%s: profile_excess_empty() says %s", why,
	   empty ? "empty" : "not empty");
	free(got);
}

/* A profile with a bit of everything, compared with itself. */
#define RICH                                                                                  \
	"{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':38,"                             \
	"'archMap':[{'architecture':'SCMP_ARCH_X86_64','subArchitectures':['SCMP_ARCH_X86',"  \
	"'SCMP_ARCH_X32']}],"                                                                 \
	"'syscalls':["                                                                        \
	"{'names':['read','write','close'],'action':'SCMP_ACT_ALLOW'},"                       \
	"{'name':'futex','action':'SCMP_ACT_LOG'},"                                           \
	"{'names':['personality'],'action':'SCMP_ACT_ALLOW',"                                 \
	"'args':[{'index':0,'value':8,'op':'SCMP_CMP_EQ'}]},"                                 \
	"{'names':['mount','umount2'],'action':'SCMP_ACT_ALLOW',"                             \
	"'includes':{'caps':['CAP_SYS_ADMIN']}},"                                             \
	"{'names':['ptrace'],'action':'SCMP_ACT_ALLOW','includes':{'minKernel':'4.8'}},"      \
	"{'names':['arch_prctl'],'action':'SCMP_ACT_ALLOW','includes':{'arches':['amd64']}}," \
	"{'names':['mkdir'],'action':'SCMP_ACT_ERRNO','errnoRet':1}]}"

int main(void)
{
	/* subsets */
	excess_is(ERRNO_WITH(RULE("'read','write'", "ALLOW")),
		  ERRNO_WITH(RULE("'close','read','write'", "ALLOW")), EMPTY,
		  "a subset of the names has no excess");
	excess_is(ERRNO_WITH(RULE("'close','read','write'", "ALLOW")),
		  ERRNO_WITH(RULE("'read','write'", "ALLOW")),
		  "syscalls=[close] conditional=[] arches=[] default=-",
		  "the superset exceeds by the missing name");
	excess_is(ERRNO_WITH(RULE("'read'", "ALLOW") "," RULE("'kexec_load'", "ALLOW")),
		  ERRNO_WITH(RULE("'read'", "ALLOW")),
		  "syscalls=[kexec_load] conditional=[] arches=[] default=-",
		  "allowing kexec_load beyond the base");
	excess_is(ERRNO_WITH(RULE("'read'", "ALLOW") "," RULE("'kexec_load','reboot'", "ERRNO")),
		  ERRNO_WITH(RULE("'read'", "ALLOW")), EMPTY, "deny rules are never an excess");

	/* includes.caps: only a condition */
	excess_is(ERRNO_WITH(RULE("'bpf'", "ALLOW")),
		  ERRNO_WITH("{'names':['bpf'],'action':'SCMP_ACT_ALLOW',"
			     "'includes':{'caps':['CAP_SYS_ADMIN']}}"),
		  "syscalls=[bpf] conditional=[] arches=[] default=-",
		  "a base allowing only with includes.caps does not cover an unconditional allow");
	excess_is(ERRNO_WITH("{'names':['bpf'],'action':'SCMP_ACT_ALLOW',"
			     "'includes':{'caps':['CAP_SYS_ADMIN']}}"),
		  ERRNO_WITH("{'names':['bpf'],'action':'SCMP_ACT_ALLOW',"
			     "'includes':{'caps':['CAP_SYS_ADMIN']}}"),
		  EMPTY, "the same includes.caps rule is covered");
	excess_is(ERRNO_WITH("{'names':['bpf'],'action':'SCMP_ACT_ALLOW',"
			     "'includes':{'caps':['CAP_BPF']}}"),
		  ERRNO_WITH("{'names':['bpf'],'action':'SCMP_ACT_ALLOW',"
			     "'includes':{'caps':['CAP_SYS_ADMIN']}}"),
		  "syscalls=[] conditional=[bpf] arches=[] default=-",
		  "another capability is a conditional excess");
	excess_is(ERRNO_WITH("{'names':['bpf'],'action':'SCMP_ACT_ALLOW',"
			     "'includes':{'caps':['CAP_BPF']}}"),
		  ERRNO_WITH(RULE("'bpf'", "ALLOW")), EMPTY,
		  "an unconditional allow in the base covers a capability rule");

	/* argument conditions */
	excess_is(ERRNO_WITH("{'names':['personality'],'action':'SCMP_ACT_ALLOW',"
			     "'args':[{'index':0,'value':8,'op':'SCMP_CMP_EQ'}]}"),
		  ERRNO_WITH("{'names':['personality'],'action':'SCMP_ACT_ALLOW',"
			     "'args':[{'index':0,'value':8,'op':'SCMP_CMP_EQ'}]}"),
		  EMPTY, "a rule with the same args as the base's is covered");
	excess_is(ERRNO_WITH("{'names':['personality'],'action':'SCMP_ACT_ALLOW',"
			     "'args':[{'index':0,'value':131072,'op':'SCMP_CMP_EQ'}]}"),
		  ERRNO_WITH("{'names':['personality'],'action':'SCMP_ACT_ALLOW',"
			     "'args':[{'index':0,'value':8,'op':'SCMP_CMP_EQ'}]}"),
		  "syscalls=[] conditional=[personality] arches=[] default=-",
		  "a different argument value is a conditional excess");
	excess_is(ERRNO_WITH("{'names':['personality'],'action':'SCMP_ACT_ALLOW',"
			     "'args':[{'index':0,'value':8,'op':'SCMP_CMP_NE'}]}"),
		  ERRNO_WITH("{'names':['personality'],'action':'SCMP_ACT_ALLOW',"
			     "'args':[{'index':0,'value':8,'op':'SCMP_CMP_EQ'}]}"),
		  "syscalls=[] conditional=[personality] arches=[] default=-",
		  "a different comparison is a conditional excess");
	excess_is(ERRNO_WITH(RULE("'personality'",
				  "ALLOW") ","
					   "{'names':['personality'],'action':'SCMP_ACT_ALLOW',"
					   "'args':[{'index':0,'value':8,'op':'SCMP_CMP_EQ'}]}"),
		  ERRNO_WITH(RULE("'read'", "ALLOW")),
		  "syscalls=[personality] conditional=[] arches=[] default=-",
		  "allowed outright and under conditions: reported once, as outright");
	excess_is(ERRNO_WITH(RULE("'personality'", "ALLOW")),
		  ERRNO_WITH("{'names':['personality'],'action':'SCMP_ACT_ALLOW',"
			     "'args':[{'index':0,'value':8,'op':'SCMP_CMP_EQ'}]}"),
		  "syscalls=[personality] conditional=[] arches=[] default=-",
		  "a base allowing only some arguments does not cover an unconditional allow");

	/* includes.arches and includes.minKernel, on amd64 with 6.1 */
	excess_is(ERRNO_WITH(RULE("'arch_prctl'", "ALLOW")),
		  ERRNO_WITH("{'names':['arch_prctl'],'action':'SCMP_ACT_ALLOW',"
			     "'includes':{'arches':['amd64']}}"),
		  EMPTY, "a base rule for arches [amd64] applies on amd64");
	excess_is(ERRNO_WITH(RULE("'arch_prctl'", "ALLOW")),
		  ERRNO_WITH("{'names':['arch_prctl'],'action':'SCMP_ACT_ALLOW',"
			     "'includes':{'arches':['s390x']}}"),
		  "syscalls=[arch_prctl] conditional=[] arches=[] default=-",
		  "a base rule for arches [s390x] does not apply on amd64");
	excess_is(ERRNO_WITH("{'names':['s390_runtime_instr'],'action':'SCMP_ACT_ALLOW',"
			     "'includes':{'arches':['s390x']}}"),
		  ERRNO_WITH(RULE("'read'", "ALLOW")), EMPTY,
		  "a profile rule for another architecture allows nothing here");
	excess_is(ERRNO_WITH(RULE("'ptrace'", "ALLOW")),
		  ERRNO_WITH("{'names':['ptrace'],'action':'SCMP_ACT_ALLOW',"
			     "'includes':{'minKernel':'4.8'}}"),
		  EMPTY, "includes.minKernel 4.8 applies on kernel 6.1");
	excess_is(ERRNO_WITH(RULE("'ptrace'", "ALLOW")),
		  ERRNO_WITH("{'names':['ptrace'],'action':'SCMP_ACT_ALLOW',"
			     "'includes':{'minKernel':'6.1'}}"),
		  EMPTY, "includes.minKernel 6.1 applies on kernel 6.1");
	excess_is(ERRNO_WITH(RULE("'ptrace'", "ALLOW")),
		  ERRNO_WITH("{'names':['ptrace'],'action':'SCMP_ACT_ALLOW',"
			     "'includes':{'minKernel':'7.0'}}"),
		  "syscalls=[ptrace] conditional=[] arches=[] default=-",
		  "includes.minKernel 7.0 does not apply on kernel 6.1");
	excess_is(ERRNO_WITH(RULE("'ptrace'", "ALLOW")),
		  ERRNO_WITH("{'names':['ptrace'],'action':'SCMP_ACT_ALLOW',"
			     "'includes':{'minKernel':'6.2'}}"),
		  "syscalls=[ptrace] conditional=[] arches=[] default=-",
		  "includes.minKernel 6.2 does not apply on kernel 6.1 (minor compared)");
	excess_is(ERRNO_WITH("{'names':['ptrace'],'action':'SCMP_ACT_ALLOW',"
			     "'includes':{'minKernel':'7.0'}}"),
		  ERRNO_WITH(RULE("'read'", "ALLOW")), EMPTY,
		  "a profile rule for kernels from 7.0 allows nothing on 6.1");

	/* default actions */
	excess_is("{'defaultAction':'SCMP_ACT_ALLOW'}", ERRNO_WITH(RULE("'read'", "ALLOW")),
		  "syscalls=[] conditional=[] arches=[] default=SCMP_ACT_ALLOW",
		  "an ALLOW default against an ERRNO base");
	excess_is(ERRNO_WITH(RULE("'read','kexec_load'", "ALLOW")),
		  "{'defaultAction':'SCMP_ACT_ALLOW'}", EMPTY,
		  "an ALLOW default base with no rules covers any allow");
	excess_is(ERRNO_WITH(RULE("'read','kexec_load'", "ALLOW")),
		  ALLOW_WITH(RULE("'kexec_load'", "ERRNO")),
		  "syscalls=[kexec_load] conditional=[] arches=[] default=-",
		  "an ALLOW default base does not cover what one of its rules denies");
	excess_is(ERRNO_WITH(RULE("'read','kexec_load'", "ALLOW")),
		  ALLOW_WITH("{'names':['kexec_load'],'action':'SCMP_ACT_ERRNO',"
			     "'includes':{'arches':['s390x']}}"),
		  EMPTY, "a base deny rule for another architecture does not count here");
	excess_is(ALLOW_WITH(RULE("'reboot'", "ERRNO")),
		  ALLOW_WITH(RULE("'kexec_load','reboot'", "ERRNO")),
		  "syscalls=[kexec_load] conditional=[] arches=[] default=-",
		  "both ALLOW: what the base denies and the profile does not is an excess");
	excess_is(ALLOW_WITH(RULE("'kexec_load','reboot'", "ERRNO")),
		  ALLOW_WITH(RULE("'kexec_load'", "ERRNO") "," RULE("'reboot'", "KILL_PROCESS")),
		  EMPTY, "both ALLOW: what both deny unconditionally is not");
	excess_is(ALLOW_WITH("{'names':['reboot'],'action':'SCMP_ACT_ERRNO',"
			     "'includes':{'caps':['CAP_SYS_BOOT']}}"),
		  ALLOW_WITH(RULE("'reboot'", "ERRNO")),
		  "syscalls=[reboot] conditional=[] arches=[] default=-",
		  "both ALLOW: a deny only under a capability does not stop it surely");
	excess_is(ALLOW_WITH(RULE("'kexec_load'", "ALLOW")),
		  ALLOW_WITH(RULE("'kexec_load'", "ERRNO")),
		  "syscalls=[kexec_load] conditional=[] arches=[] default=-",
		  "both ALLOW: allowing what the base denies");

	/* architectures */
	excess_is("{'defaultAction':'SCMP_ACT_ERRNO',"
		  "'architectures':['SCMP_ARCH_X86_64','SCMP_ARCH_X86']}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','archMap':[{'architecture':'SCMP_ARCH_X86_64',"
		  "'subArchitectures':['SCMP_ARCH_X86','SCMP_ARCH_X32']}]}",
		  EMPTY, "architectures within the base's native archMap entry");
	excess_is("{'defaultAction':'SCMP_ACT_ERRNO',"
		  "'architectures':['SCMP_ARCH_X86_64','SCMP_ARCH_X86']}",
		  "{'defaultAction':'SCMP_ACT_ERRNO','architectures':['SCMP_ARCH_X86_64']}",
		  "syscalls=[] conditional=[] arches=[SCMP_ARCH_X86] default=-",
		  "an architecture the base lacks");
	excess_is("{'defaultAction':'SCMP_ACT_ERRNO','archMap':[{'architecture':'SCMP_ARCH_X86_64',"
		  "'subArchitectures':['SCMP_ARCH_X86','SCMP_ARCH_X32']}]}",
		  "{'defaultAction':'SCMP_ACT_ERRNO',"
		  "'architectures':['SCMP_ARCH_X86_64','SCMP_ARCH_X86']}",
		  "syscalls=[] conditional=[] arches=[SCMP_ARCH_X32] default=-",
		  "a sub-architecture of the native archMap entry the base lacks");
	excess_is(
		"{'defaultAction':'SCMP_ACT_ERRNO','archMap':[{'architecture':'SCMP_ARCH_AARCH64',"
		"'subArchitectures':['SCMP_ARCH_ARM']}]}",
		"{'defaultAction':'SCMP_ACT_ERRNO'}", EMPTY,
		"archMap entries of other architectures enable nothing here");

	/* a profile against itself */
	excess_is(RICH, RICH, EMPTY, "a profile equal to the base has no excess");
	excess_is(ALLOW_WITH(RULE("'kexec_load','reboot'", "ERRNO")),
		  ALLOW_WITH(RULE("'kexec_load','reboot'", "ERRNO")), EMPTY,
		  "an ALLOW-default profile equal to the base has no excess");
	excess_is(ERRNO_WITH(RULE("'read'", "ALLOW")), RICH, EMPTY,
		  "a small profile within the rich one");

	/* LOG allows; NOTIFY may allow */
	excess_is(ERRNO_WITH(RULE("'read'", "LOG")), ERRNO_WITH(RULE("'read'", "ALLOW")), EMPTY,
		  "a LOG rule covered by an ALLOW rule");
	excess_is(ERRNO_WITH(RULE("'read'", "ALLOW")), ERRNO_WITH(RULE("'read'", "LOG")), EMPTY,
		  "a LOG rule in the base allows");
	excess_is(ERRNO_WITH(RULE("'kexec_load'", "LOG")), ERRNO_WITH(RULE("'read'", "ALLOW")),
		  "syscalls=[kexec_load] conditional=[] arches=[] default=-",
		  "a LOG rule in the profile allows");
	excess_is("{'defaultAction':'SCMP_ACT_LOG'}", ERRNO_WITH(RULE("'read'", "ALLOW")),
		  "syscalls=[] conditional=[] arches=[] default=SCMP_ACT_LOG",
		  "a LOG default against an ERRNO base");
	excess_is(ERRNO_WITH(RULE("'mount'", "NOTIFY")), ERRNO_WITH(RULE("'read'", "ALLOW")),
		  "syscalls=[mount] conditional=[] arches=[] default=-",
		  "a NOTIFY rule may allow: an excess against a base that denies");
	excess_is(ERRNO_WITH(RULE("'mount'", "NOTIFY")), ERRNO_WITH(RULE("'mount'", "ALLOW")),
		  EMPTY, "a NOTIFY rule against a base that surely allows");
	excess_is(ERRNO_WITH(RULE("'mount'", "NOTIFY")),
		  ERRNO_WITH("{'names':['mount'],'action':'SCMP_ACT_ALLOW',"
			     "'includes':{'caps':['CAP_SYS_ADMIN']}}"),
		  "syscalls=[mount] conditional=[] arches=[] default=-",
		  "a NOTIFY rule against a base that allows only with a capability");
	excess_is(ERRNO_WITH(RULE("'mount'", "NOTIFY")), ERRNO_WITH(RULE("'mount'", "NOTIFY")),
		  EMPTY, "a NOTIFY rule against the same NOTIFY rule");

	/* both allow by default: conditional denies must match */
	excess_is(ALLOW_WITH("{'names':['personality'],'action':'SCMP_ACT_ERRNO',"
			     "'args':[{'index':0,'value':8,'op':'SCMP_CMP_EQ'}]}"),
		  ALLOW_WITH("{'names':['personality'],'action':'SCMP_ACT_ERRNO',"
			     "'args':[{'index':0,'value':8,'op':'SCMP_CMP_EQ'}]}"),
		  EMPTY, "the same conditional deny under allowing defaults");
	excess_is(ALLOW_WITH("{'names':['reboot'],'action':'SCMP_ACT_ERRNO',"
			     "'includes':{'caps':['CAP_SYS_BOOT']}}"),
		  ALLOW_WITH("{'names':['reboot'],'action':'SCMP_ACT_ERRNO',"
			     "'includes':{'caps':['CAP_SYS_BOOT']}}"),
		  EMPTY, "the same capability deny under allowing defaults");
	excess_is(ALLOW_WITH("{'names':['personality'],'action':'SCMP_ACT_ERRNO',"
			     "'args':[{'index':0,'value':9,'op':'SCMP_CMP_EQ'}]}"),
		  ALLOW_WITH("{'names':['personality'],'action':'SCMP_ACT_ERRNO',"
			     "'args':[{'index':0,'value':8,'op':'SCMP_CMP_EQ'}]}"),
		  "syscalls=[personality] conditional=[] arches=[] default=-",
		  "another conditional deny does not stop what the base stops");

	/* a plain deny in the base shadows its allow (the first plain rule wins) */
	excess_is(ERRNO_WITH(RULE("'read'", "ALLOW")),
		  ERRNO_WITH(RULE("'read'", "ERRNO") "," RULE("'read'", "ALLOW")),
		  "syscalls=[read] conditional=[] arches=[] default=-",
		  "a base that denies and allows read without conditions does not surely allow it");

	/* conditions compare as sets */
	excess_is(ERRNO_WITH("{'names':['bpf'],'action':'SCMP_ACT_ALLOW',"
			     "'includes':{'caps':['CAP_BPF','CAP_SYS_ADMIN']}}"),
		  ERRNO_WITH("{'names':['bpf'],'action':'SCMP_ACT_ALLOW',"
			     "'includes':{'caps':['CAP_SYS_ADMIN','CAP_BPF']}}"),
		  EMPTY, "capability lists in another order are the same condition");

	return tap_done();
}
