/* SPDX-License-Identifier: Apache-2.0 */
/* A minimal TAP producer for the unit tests (crun's tests print TAP too). */
#ifndef TAP_H
#define TAP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n, tap_failed;

#define ok(cond, ...)                                                                   \
	do {                                                                            \
		int _okc = !!(cond);                                                    \
		printf("%s %d - ", _okc ? "ok" : "not ok", ++tap_n);                    \
		printf(__VA_ARGS__);                                                    \
		printf("\n");                                                           \
		if (!_okc) {                                                            \
			tap_failed++;                                                   \
			printf("#   failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                       \
	} while (0)

#define is_str(got, want, ...)                                                            \
	do {                                                                              \
		const char *_g = (got), *_w = (want);                                     \
		int _c = (_g == NULL && _w == NULL) || (_g && _w && strcmp(_g, _w) == 0); \
		ok(_c, __VA_ARGS__);                                                      \
		if (!_c)                                                                  \
			printf("#   got: %s\n#   want: %s\n", _g ? _g : "(null)",         \
			       _w ? _w : "(null)");                                       \
	} while (0)

/* A refusal is a negative return and one line naming `needle`; frees msg. */
static inline void refused_with(int ret, char *msg, const char *needle, const char *why)
{
	ok(ret < 0 && msg && strstr(msg, needle) && !strchr(msg, '\n'), "refuses %s", why);
	printf("#   message: %s\n", msg ? msg : "(none)");
	free(msg);
}

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	if (tap_failed)
		printf("# %d of %d failed\n", tap_failed, tap_n);
	return tap_failed ? 1 : 0;
}

#endif /* TAP_H */
