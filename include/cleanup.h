/* SPDX-License-Identifier: Apache-2.0 */
/* Scope-bound release of resources, after crun's utils.h. Every helper
 * tolerates the "empty" value (NULL or -1) so a variable can be handed off
 * by resetting it. */
#ifndef CLEANUP_H
#define CLEANUP_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void cleanup_freep(void *p)
{
	void **pp = (void **)p;

	free(*pp);
}

static inline void cleanup_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;

		close(*fd);
		errno = saved;
	}
}

static inline void cleanup_filep(FILE **f)
{
	if (*f)
		fclose(*f);
}

#define cleanup_free  __attribute__((cleanup(cleanup_freep)))
#define cleanup_close __attribute__((cleanup(cleanup_closep)))
#define cleanup_file  __attribute__((cleanup(cleanup_filep)))

#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define LIKELY(x)   __builtin_expect(!!(x), 1)

/* Hand ownership of a pointer to the caller, leaving NULL behind. */
#define steal_pointer(pp)                       \
	({                                      \
		__typeof__(*(pp)) _ptr = *(pp); \
		*(pp) = NULL;                   \
		_ptr;                           \
	})

static inline int steal_fd(int *fd)
{
	int ret = *fd;

	*fd = -1;
	return ret;
}

#endif /* CLEANUP_H */
