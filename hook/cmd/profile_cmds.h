/* SPDX-License-Identifier: Apache-2.0 */
/* The profile commands: `merge`, `diff` and `check`. Each returns the exit
 * status, having printed any error as one line on stderr. */
#ifndef PROFILE_CMDS_H
#define PROFILE_CMDS_H

#include <stdbool.h>
#include <stddef.h>

/* 0 on success, 1 on error. */
int merge_run(const char *output, char *const *inputs, size_t n);

/* 1 if NEW allows something OLD does not, 0 if not, 2 on error. */
int diff_run(const char *old_path, const char *new_path, bool json);

/* 0 if PROFILE allows nothing BASE forbids, 1 if it does (each excess
 * printed on stdout), 2 on error. */
int check_run(const char *base_path, const char *profile_path);

#endif /* PROFILE_CMDS_H */
