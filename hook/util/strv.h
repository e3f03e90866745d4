/* SPDX-License-Identifier: Apache-2.0 */
/* A growable vector of owned strings; allocation failure aborts. */
#ifndef STRV_H
#define STRV_H

#include <stdbool.h>
#include <stddef.h>

struct strv {
	char **v;
	size_t n;
	size_t cap; /* slots allocated in v; grows by doubling */
};

void strv_add(struct strv *sv, const char *s);
bool strv_contains(const struct strv *sv, const char *s);
/* Sorted by strcmp, duplicates freed. */
void strv_sort_unique(struct strv *sv);
void strv_remove_at(struct strv *sv, size_t i);
void strv_free(struct strv *sv);
/* A deep copy into `dst`, which is overwritten. */
void strv_copy(struct strv *dst, const struct strv *src);
/* Adds `src` to `dst` and sorts the union. */
void strv_union(struct strv *dst, const struct strv *src);

#endif /* STRV_H */
