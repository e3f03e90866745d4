// SPDX-License-Identifier: Apache-2.0
/* The syscalls a profile needs beyond what the workload made
 * (hook/trace/workload.c), and how they become rules of their own. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile/profile.h"
#include "profile/profile_recording.h"
#include "profile/syscall_names.h"
#include "tap.h"
#include "trace/workload.h"

static const struct profile_rule *rule_with(const struct profile *p, const char *comment)
{
	for (size_t i = 0; i < p->n_rules; i++)
		if (p->rules[i].comment && strcmp(p->rules[i].comment, comment) == 0)
			return &p->rules[i];
	return NULL;
}

static int rules_naming(const struct profile *p, const char *name)
{
	int n = 0;

	for (size_t i = 0; i < p->n_rules; i++)
		n += profile_rule_names(&p->rules[i], name);
	return n;
}

int main(void)
{
	struct profile_recording rec = { 0 };
	const struct profile_rule *runtime, *implicit, *recorded;
	struct profile p = { 0 };

	workload_add_runtime_syscalls(&rec);
	workload_add_implicit_syscalls(&rec);

	/* runc 1.2, 1.3 and 1.4 reopen the exec fifo through procfs: statx
	 * for the mount id (denied: "reopen exec fifo" on 5.8+ kernels), then
	 * openat2 or its readlinkat fallback; they and crun 1.14+ close fds
	 * with close_range (denied under KILL_PROCESS: crun dies silently);
	 * Go 1.21+ restores RLIMIT_NOFILE with prlimit64 before exec.
	 * ../shared/runtimes/POST-FILTER-FACTS.md has the measurements. */
	ok(strv_contains(&rec.runtime_names, "statx"), "runc 1.2+: statx (the start fails without)");
	ok(strv_contains(&rec.runtime_names, "openat2") &&
		   strv_contains(&rec.runtime_names, "readlinkat"),
	   "runc 1.2+: openat2 and its readlinkat fallback");
	ok(strv_contains(&rec.runtime_names, "close_range"), "runc 1.2+, crun 1.14+: close_range");
	ok(strv_contains(&rec.runtime_names, "prlimit64"), "runc built with Go 1.21+: prlimit64");
	ok(strv_contains(&rec.runtime_names, "fstatfs") && strv_contains(&rec.runtime_names, "getcwd") &&
		   strv_contains(&rec.runtime_names, "setresuid"),
	   "runc 1.1 and crun 1.8 as before");
	ok(!strv_contains(&rec.runtime_names, "mount") && !strv_contains(&rec.runtime_names, "pivot_root"),
	   "nothing of the runtime's setup before the filter");
	for (const char *const *n = (const char *const[]){ "restart_syscall", "rt_sigreturn", "exit",
							     "exit_group", "clock_gettime",
							     "clock_getres", "gettimeofday", "time",
							     "getcpu", NULL };
	     *n; n++)
		/* Only the names the native architecture has (aarch64 has
		 * no time(2)). */
		ok(strv_contains(&rec.implicit_names, *n) ==
			   (syscall_resolve(syscall_native_arch(), *n) >= 0),
		   "implicit: %s", *n);

	/* The workload's own names go to its rule; the rest to rules of their
	 * own, named by their comments, without repeating a name. */
	strv_add(&rec.arches, "SCMP_ARCH_X86_64");
	strv_add(&rec.names, "close");
	strv_add(&rec.names, "exit_group");
	strv_add(&rec.names, "write");
	profile_add_recording(&p, &rec);
	recorded = rule_with(&p, PROFILE_RECORDED_COMMENT);
	runtime = rule_with(&p, PROFILE_RUNTIME_COMMENT);
	implicit = rule_with(&p, PROFILE_IMPLICIT_COMMENT);
	ok(recorded && recorded->names.n == 3, "the workload's rule has what it made, no more");
	ok(runtime && strcmp(runtime->action, "SCMP_ACT_ALLOW") == 0 &&
		   profile_rule_names(runtime, "statx"),
	   "the runtime's syscalls are allowed in a rule of their own");
	ok(implicit && profile_rule_names(implicit, "restart_syscall"),
	   "the implicit ones in another, whose comment says why");
	ok(rules_naming(&p, "close") == 1 && rules_naming(&p, "exit_group") == 1 &&
		   rules_naming(&p, "statx") == 1,
	   "no syscall is named twice");
	ok(p.rules[0].comment && strcmp(p.rules[0].comment, PROFILE_RECORDED_COMMENT) == 0,
	   "the workload's rule comes first");

	/* A second run into the same profile changes nothing. */
	{
		size_t n_rules = p.n_rules, n_runtime = runtime->names.n;

		profile_add_recording(&p, &rec);
		runtime = rule_with(&p, PROFILE_RUNTIME_COMMENT);
		ok(p.n_rules == n_rules && runtime->names.n == n_runtime,
		   "accumulating adds no rule and no name");
	}
	profile_free(&p);

	/* A later run that makes one of the added names itself moves it to the
	 * workload's rule, so that rule says what the workload did whatever
	 * the order of the runs. */
	memset(&p, 0, sizeof(p));
	profile_add_recording(&p, &rec);
	{
		struct profile_recording later = { 0 };

		strv_add(&later.arches, "SCMP_ARCH_X86_64");
		strv_add(&later.names, "getcpu");
		workload_add_implicit_syscalls(&later);
		profile_add_recording(&p, &later);
		recorded = rule_with(&p, PROFILE_RECORDED_COMMENT);
		implicit = rule_with(&p, PROFILE_IMPLICIT_COMMENT);
		ok(recorded && profile_rule_names(recorded, "getcpu") && implicit &&
			   !profile_rule_names(implicit, "getcpu") && rules_naming(&p, "getcpu") == 1,
		   "a name an earlier run added moves to the workload's rule once it makes it");
		profile_recording_free(&later);
	}
	profile_free(&p);
	profile_recording_free(&rec);
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
