// SPDX-License-Identifier: Apache-2.0
/* A growable vector of owned strings. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "util/error.h"
#include "util/strv.h"

void strv_add(struct strv *sv, const char *s)
{
	/* Doubling keeps a 4 MiB profile's 260000 names linear: growing by
	 * one copied the vector at every name under ASan's realloc. */
	if (sv->n == sv->cap) {
		sv->cap = sv->cap ? 2 * sv->cap : 4;
		sv->v = xrealloc(sv->v, sv->cap * sizeof(*sv->v));
	}
	sv->v[sv->n++] = xstrdup(s);
}

bool strv_contains(const struct strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return true;
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void strv_sort_unique(struct strv *sv)
{
	size_t out = 0;

	if (sv->n == 0)
		return;
	qsort(sv->v, sv->n, sizeof(*sv->v), cmp_str);
	for (size_t i = 0; i < sv->n; i++) {
		if (out > 0 && strcmp(sv->v[out - 1], sv->v[i]) == 0) {
			free(sv->v[i]);
			continue;
		}
		sv->v[out++] = sv->v[i];
	}
	sv->n = out;
}

void strv_remove_at(struct strv *sv, size_t i)
{
	free(sv->v[i]);
	memmove(&sv->v[i], &sv->v[i + 1], (sv->n - i - 1) * sizeof(*sv->v));
	sv->n--;
}

void strv_free(struct strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

void strv_copy(struct strv *dst, const struct strv *src)
{
	memset(dst, 0, sizeof(*dst));
	for (size_t i = 0; i < src->n; i++)
		strv_add(dst, src->v[i]);
}

void strv_union(struct strv *dst, const struct strv *src)
{
	for (size_t i = 0; i < src->n; i++)
		strv_add(dst, src->v[i]);
	strv_sort_unique(dst);
}
