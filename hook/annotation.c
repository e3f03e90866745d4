// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "annotation.h"
#include "cleanup.h"

int annotation_check_path(const char *path, const char *what, hook_error_t *err)
{
	size_t len = strlen(path);
	const char *p;

	if (len == 0)
		return hook_make_error(err, 0, "%s: empty path", what);
	if (path[0] != '/')
		return hook_make_error(err, 0, "%s: path `%s` is not absolute", what, path);
	if (len >= PATH_MAX)
		return hook_make_error(err, 0, "%s: path is longer than %d bytes", what,
				       PATH_MAX - 1);
	if (path[len - 1] == '/')
		return hook_make_error(err, 0, "%s: path `%s` names a directory, not a file", what,
				       path);
	for (p = path; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return hook_make_error(err, 0, "%s: path contains a control character",
					       what);
	/* Refuse `.` and `..` so that a lexical check against --allow-dir
	 * means what it says. */
	for (p = path; *p;) {
		size_t n;

		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return hook_make_error(err, 0,
					       "%s: path `%s` contains a `.` or `..` component",
					       what, path);
		p += n;
	}
	return 0;
}

static int annotation_set(char **slot, const char *key, const char *value, hook_error_t *err)
{
	char *what;
	int ret;

	if (*slot)
		return hook_make_error(err, 0, "annotation %s: key `%s` given twice",
				       ANNOTATION_KEY, key);
	xasprintf(&what, "annotation %s: `%s`", ANNOTATION_KEY, key);
	ret = annotation_check_path(value, what, err);
	free(what);
	if (ret < 0)
		return ret;
	*slot = xstrdup(value);
	return 0;
}

int annotation_parse(const char *value, struct annotation *out, hook_error_t *err)
{
	struct annotation a = { NULL, NULL };
	cleanup_free char *copy = NULL;
	char *item, *rest;
	int ret = 0;

	if (*value == '\0')
		return hook_make_error(err, 0,
				       "annotation %s is empty; expected `of:/abs/path.json`",
				       ANNOTATION_KEY);

	copy = xstrdup(value);
	rest = copy;
	while ((item = strsep(&rest, ";")) != NULL) {
		char *colon = strchr(item, ':');
		const char *val;

		if (*item == '\0') {
			ret = hook_make_error(err, 0, "annotation %s: empty entry in `%s`",
					      ANNOTATION_KEY, value);
			goto fail;
		}
		if (!colon) {
			ret = hook_make_error(
				err, 0, "annotation %s: entry `%s` is not of the form KEY:VALUE",
				ANNOTATION_KEY, item);
			goto fail;
		}
		*colon = '\0';
		val = colon + 1;
		if (*val == '\0') {
			ret = hook_make_error(err, 0, "annotation %s: key `%s` has an empty value",
					      ANNOTATION_KEY, item);
			goto fail;
		}
		if (strcmp(item, "of") == 0)
			ret = annotation_set(&a.output, item, val, err);
		else if (strcmp(item, "if") == 0)
			ret = annotation_set(&a.input, item, val, err);
		else
			ret = hook_make_error(
				err, 0, "annotation %s: unknown key `%s` (known keys: of, if)",
				ANNOTATION_KEY, item);
		if (ret < 0)
			goto fail;
	}
	if (!a.output) {
		ret = hook_make_error(err, 0, "annotation %s: missing required key `of`",
				      ANNOTATION_KEY);
		goto fail;
	}
	*out = a;
	return 0;
fail:
	annotation_free(&a);
	return ret;
}

void annotation_free(struct annotation *a)
{
	free(a->output);
	free(a->input);
	a->output = a->input = NULL;
}
