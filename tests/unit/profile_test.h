/* SPDX-License-Identifier: Apache-2.0 */
/* Profile helpers shared by the unit tests: profiles written inline with '
 * for ", parsed or the test stops; serialised bytes, NULL (and a TAP
 * comment) on failure. */
#ifndef PROFILE_TEST_H
#define PROFILE_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile/profile.h"

/* `text` with every ' turned into ", in a new string. */
static inline char *quoted_json(const char *text)
{
	char *s = strdup(text);

	for (char *c = s; *c; c++)
		if (*c == '\'')
			*c = '"';
	return s;
}

static inline void parse_or_die(const char *text, struct profile *p)
{
	hook_error_t err = NULL;
	char *s = quoted_json(text);

	memset(p, 0, sizeof(*p));
	if (profile_parse(s, strlen(s), "p.json", p, &err) < 0) {
		printf("# cannot parse %s: %s\n", s, err->msg);
		hook_error_release(&err);
		exit(1);
	}
	free(s);
}

static inline char *serialize(const struct profile *p)
{
	hook_error_t err = NULL;
	char *out = NULL;
	size_t len;

	if (profile_serialize(p, &out, &len, &err) < 0) {
		printf("# serialize: %s\n", err->msg);
		hook_error_release(&err);
		return NULL;
	}
	return out;
}

#endif /* PROFILE_TEST_H */
