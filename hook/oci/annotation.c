// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "oci/annotation.h"
#include "profile/arg_rules.h"
#include "util/safe_file.h"

static int annotation_set(char **slot, const char *key, const char *value, hook_error_t *err)
{
	char *what;
	int ret;

	xasprintf(&what, "annotation %s: `%s`", ANNOTATION_KEY, key);
	ret = safe_path_check(value, what, err);
	free(what);
	if (ret < 0)
		return ret;
	*slot = xstrdup(value);
	return 0;
}

int annotation_errno_value(const char *name)
{
	/* strerrorname_np() names every errno this C library knows. */
	for (int e = 1; e < 4096; e++) {
		const char *n = strerrorname_np(e);

		if (n && strcmp(n, name) == 0)
			return e;
	}
	return -1;
}

static int parse_flush(struct annotation *a, const char *val, hook_error_t *err)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(val, &end, 10);
	if (!isdigit((unsigned char)*val) || *end || errno || v < ANNOTATION_FLUSH_MIN ||
	    v > ANNOTATION_FLUSH_MAX)
		return hook_make_error(err, 0,
				       "annotation %s: `flush` must be a number of seconds from "
				       "%d to %d, not `%s`",
				       ANNOTATION_KEY, ANNOTATION_FLUSH_MIN, ANNOTATION_FLUSH_MAX,
				       val);
	a->flush_s = (unsigned)v;
	return 0;
}

int annotation_parse_mode(const char *val, const char *what, const char **action,
			  hook_error_t *err)
{
	static const struct {
		const char *mode, *action;
	} modes[] = {
		{ "errno", NULL },
		{ "log", "SCMP_ACT_LOG" },
		{ "kill", "SCMP_ACT_KILL_PROCESS" },
	};

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(val, modes[i].mode) == 0) {
			*action = modes[i].action;
			return 0;
		}
	return hook_make_error(err, 0, "%s must be `errno`, `log` or `kill`, not `%s`", what, val);
}

static int parse_mode(struct annotation *a, const char *val, hook_error_t *err)
{
	return annotation_parse_mode(val, "annotation " ANNOTATION_KEY ": `mode`",
				     &a->default_action, err);
}

static int parse_errno(struct annotation *a, const char *val, hook_error_t *err)
{
	int e = annotation_errno_value(val);

	if (e < 0)
		return hook_make_error(err, 0,
				       "annotation %s: `errno` must name an errno such as EPERM or "
				       "ENOSYS, not `%s`",
				       ANNOTATION_KEY, val);
	a->errno_ret = e;
	a->errno_name = xstrdup(val);
	return 0;
}

int annotation_parse_args(const char *list, const char *what, unsigned *out, hook_error_t *err)
{
	cleanup_free char *copy = xstrdup(list);
	char *name, *rest = copy;

	*out = 0;
	while ((name = strsep(&rest, ",")) != NULL) {
		int kind = arg_rule_kind(name);

		if (kind < 0)
			return hook_make_error(err, 0,
					       "%s: no argument rule for `%.64s` (known: %s)", what,
					       name, ARG_RULES_KNOWN);
		if (*out & (1U << kind))
			return hook_make_error(err, 0, "%s: `%s` is listed twice", what, name);
		*out |= 1U << kind;
	}
	return 0;
}

static int parse_args(struct annotation *a, const char *val, hook_error_t *err)
{
	cleanup_free char *what = NULL;

	xasprintf(&what, "annotation %s: `args`", ANNOTATION_KEY);
	return annotation_parse_args(val, what, &a->args, err);
}

static int parse_caps(struct annotation *a, const char *val, hook_error_t *err)
{
	return annotation_set(&a->caps, "caps", val, err);
}

/* The keys, their order in messages, and what parses their values. */
static const struct {
	const char *key;
	int (*parse)(struct annotation *a, const char *val, hook_error_t *err);
} annotation_keys[] = {
	{ "of", NULL },		{ "if", NULL },		  { "flush", parse_flush },
	{ "mode", parse_mode }, { "errno", parse_errno }, { "caps", parse_caps },
	{ "args", parse_args },
};
#define ANNOTATION_KNOWN "of, if, flush, mode, errno, caps, args"

static int parse_item(struct annotation *a, const char *key, const char *val, hook_error_t *err)
{
	for (size_t i = 0; i < sizeof(annotation_keys) / sizeof(annotation_keys[0]); i++) {
		if (strcmp(key, annotation_keys[i].key) != 0)
			continue;
		if (a->seen & (1U << i))
			return hook_make_error(err, 0, "annotation %s: key `%s` given twice",
					       ANNOTATION_KEY, key);
		a->seen |= 1U << i;
		if (annotation_keys[i].parse)
			return annotation_keys[i].parse(a, val, err);
		return annotation_set(i == 0 ? &a->output : &a->input, key, val, err);
	}
	return hook_make_error(err, 0, "annotation %s: unknown key `%s` (known keys: %s)",
			       ANNOTATION_KEY, key, ANNOTATION_KNOWN);
}

/* What no single key can judge: the keys together. */
static int check_together(const struct annotation *a, hook_error_t *err)
{
	bool log = a->default_action && strcmp(a->default_action, "SCMP_ACT_LOG") == 0;

	if (!a->output)
		return hook_make_error(err, 0, "annotation %s: missing required key `of`",
				       ANNOTATION_KEY);
	if (a->caps &&
	    (strcmp(a->caps, a->output) == 0 || (a->input && strcmp(a->caps, a->input) == 0)))
		return hook_make_error(err, 0,
				       "annotation %s: `caps` must name a file of its own, not the "
				       "profile `%s`",
				       ANNOTATION_KEY, a->caps);
	if (a->default_action && a->errno_name)
		return hook_make_error(err, 0,
				       "annotation %s: `errno` has no effect with `mode:%s` (the "
				       "default action then %s)",
				       ANNOTATION_KEY, log ? "log" : "kill",
				       log ? "allows and logs" : "kills the process");
	return 0;
}

int annotation_parse(const char *value, struct annotation *out, hook_error_t *err)
{
	struct annotation a = { .errno_ret = -1 };
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
		ret = parse_item(&a, item, val, err);
		if (ret < 0)
			goto fail;
	}
	ret = check_together(&a, err);
	if (ret < 0)
		goto fail;
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
	free(a->errno_name);
	free(a->caps);
	a->output = a->input = a->errno_name = a->caps = NULL;
}
