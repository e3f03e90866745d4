/* SPDX-License-Identifier: Apache-2.0 */
/* `diff` and `check`: what one profile allows that another does not.
 *
 * Profiles are judged for the machine we run on, as an engine would apply
 * them here: `includes`/`excludes` on architectures and kernel version are
 * evaluated against this machine; capabilities are unknown, so a rule that
 * depends on them is a condition. The judgement is conservative: a profile
 * is never called a subset of one that allows less.
 * - A syscall PROFILE may let run (any rule naming it whose action is not
 *   ERRNO/KILL/TRAP and which can apply here) counts as allowed by BASE only
 *   if BASE surely allows it: an ALLOW/LOG rule with no argument conditions
 *   that applies here whatever the capabilities and that no deny rule without
 *   argument conditions might shadow (engines let the first such rule win),
 *   or an allowing default action that no BASE rule might override. A rule of PROFILE also passes
 *   if BASE has a rule for the syscall with exactly the same conditions
 *   (argument comparisons, includes, excludes) that allows it or has the
 *   same action.
 * - An allowing default action in PROFILE against a denying one in BASE is
 *   an excess of its own; when both allow by default, every syscall a BASE
 *   rule stops must be stopped by PROFILE too, outright or under the same
 *   conditions.
 * - Architectures: the ABIs the profile enables here (the native one, plus
 *   `architectures`, plus the native archMap entry's sub-architectures). */
#ifndef PROFILE_COMPARE_H
#define PROFILE_COMPARE_H

#include <stdbool.h>

#include "profile/profile.h"

struct compare_host {
	const char *native_arch; /* SCMP_ARCH_* */
	const char *go_arch;	 /* as includes/excludes name it: amd64, arm64 ... */
	unsigned kernel_major, kernel_minor;
};

/* Fills in this machine's facts. */
void compare_host_detect(struct compare_host *h);

struct profile_excess {
	struct strv syscalls;	 /* allowed unconditionally */
	struct strv conditional; /* allowed under conditions BASE lacks */
	struct strv arches;
	const char *default_action; /* PROFILE's, if it allows what BASE denies */
};

enum profile_verdict {
	PROFILE_DENIES,	   /* not allowed here */
	PROFILE_ALLOWS_IF, /* allowed under conditions (arguments, capabilities) */
	PROFILE_ALLOWS,	   /* allowed outright */
};

/* What `p` does here with syscall `name` made through architecture `arch`. */
enum profile_verdict profile_judge(const struct profile *p, const char *arch, const char *name,
				   const struct compare_host *h);

/* What `p` allows that `base` does not. */
void profile_excess(const struct profile *p, const struct profile *base,
		    const struct compare_host *h, struct profile_excess *out);
bool profile_excess_empty(const struct profile_excess *e);
void profile_excess_free(struct profile_excess *e);

#endif /* PROFILE_COMPARE_H */
