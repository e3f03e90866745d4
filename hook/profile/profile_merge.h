/* SPDX-License-Identifier: Apache-2.0 */
/* `merge`: one profile that allows whatever any of its inputs allows. */
#ifndef PROFILE_MERGE_H
#define PROFILE_MERGE_H

#include <stddef.h>

#include "profile/profile.h"
#include "util/error.h"

/* The union of the `n` inputs (n >= 1) into `out`, normalised so that the
 * same inputs in any order give the same bytes:
 * - defaultAction: the most permissive of the inputs' (ALLOW > LOG > NOTIFY >
 *   TRACE > ERRNO > TRAP > KILL*); scalar fields (defaultErrnoRet,
 *   defaultErrno) come from the input that has it (ties: lowest errno, then
 *   the smallest text); listenerPath/listenerMetadata must agree;
 * - architectures, flags: sorted union; archMap: merged per architecture;
 *   if inputs mix `architectures` and `archMap` (which engines refuse
 *   together), the architectures the map does not enable on `native_arch`
 *   become sub-architectures of its entry;
 * - rules with the same action, errnoRet, args, includes, excludes and
 *   comment become one rule with the sorted union of their names; rules are
 *   sorted; a syscall that some input allows is dropped from the rules that
 *   would deny it there (see prune_groups() for the exact rule). */
int profile_merge(const struct profile *inputs, size_t n, const char *native_arch,
		  struct profile *out, hook_error_t *err);

#endif /* PROFILE_MERGE_H */
