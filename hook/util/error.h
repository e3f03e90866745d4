/* SPDX-License-Identifier: Apache-2.0 */
/* One error object per failure, after crun's libcrun/error.h: a function that
 * can fail takes `hook_error_t *err` last, returns a negative value and fills
 * *err; only main() prints. */
#ifndef ERROR_H
#define ERROR_H

#include <stdarg.h>

struct hook_error_s {
	int status; /* errno value, 0 if none applies */
	char *msg;
};
typedef struct hook_error_s *hook_error_t;

#define HOOK_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))

/* Returns -status - 1, so a failure is negative even when status is 0. */
int hook_make_error(hook_error_t *err, int status, const char *fmt, ...) HOOK_PRINTF(3, 4);

/* Prefixes context: "outer: inner"; keeps the status; returns -status - 1. */
int hook_error_wrap(hook_error_t *err, const char *fmt, ...) HOOK_PRINTF(2, 3);

/* Full message including the errno text, in a new string the caller frees. */
char *hook_error_string(const hook_error_t err);

void hook_error_release(hook_error_t *err);

/* Abort-on-OOM allocators: their results are never NULL. */
/* Says so on stderr and aborts: what the x-allocators do on failure. */
__attribute__((noreturn)) void oom(void);
void *xmalloc(size_t size);
void *xzalloc(size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
int xasprintf(char **out, const char *fmt, ...) HOOK_PRINTF(2, 3);

#endif /* ERROR_H */
