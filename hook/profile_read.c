// SPDX-License-Identifier: Apache-2.0
/* Reading a seccomp profile: every field of the schema, validated, with its
 * location in messages; presence and nulls kept so that writing it back
 * (profile.c) reproduces it. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "json.h"
#include "profile.h"
#include "syscall_names.h"

static const char *const known_actions[] = {
	"SCMP_ACT_KILL",  "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
	"SCMP_ACT_TRAP",  "SCMP_ACT_ERRNO",	   "SCMP_ACT_TRACE",
	"SCMP_ACT_ALLOW", "SCMP_ACT_LOG",	   "SCMP_ACT_NOTIFY",
};

static const char *const known_ops[] = {
	"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",	    "SCMP_CMP_EQ",
	"SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ",
};

/* seccomp's errno field is 16 bits, but anything past MAX_ERRNO (4095) is
 * not an errno the kernel would return. */
#define PROFILE_MAX_ERRNO 4095

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/* Location of the value being read, e.g. "p.json: syscalls[3].args[0]". */
struct where {
	const char *what;
	char path[128];
};

static int bad(hook_error_t *err, const struct where *w, const char *key, const char *fmt, ...)
	HOOK_PRINTF(4, 5);

/* `sub` names a member of `w`; a path too long for messages is cut short. */
static void where_at(struct where *sub, const struct where *w, const char *fmt, ...)
	HOOK_PRINTF(3, 4);

static void where_at(struct where *sub, const struct where *w, const char *fmt, ...)
{
	char member[64];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(member, sizeof(member), fmt, ap);
	va_end(ap);
	sub->what = w->what;
	n = strnlen(w->path, sizeof(sub->path) - 1);
	memmove(sub->path, w->path, n);
	sub->path[n] = '\0';
	strncat(sub->path, member, sizeof(sub->path) - n - 1);
}

static int bad(hook_error_t *err, const struct where *w, const char *key, const char *fmt, ...)
{
	cleanup_free char *detail = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&detail, fmt, ap);
	va_end(ap);
	if (n < 0)
		detail = NULL;
	return hook_make_error(err, 0, "%s: `%s%s%s` %s", w->what, w->path,
			       w->path[0] && key ? "." : "", key ? key : "",
			       detail ? detail : "is invalid");
}

static int read_string(const json_value *v, const struct where *w, const char *key, char **out,
		       hook_error_t *err)
{
	if (json_type_of(v) != JSON_STRING)
		return bad(err, w, key, "must be a string, not %s",
			   json_type_name(json_type_of(v)));
	*out = xstrdup(json_string(v));
	return 0;
}

static int read_uint(const json_value *v, const struct where *w, const char *key, uint64_t max,
		     uint64_t *out, hook_error_t *err)
{
	if (json_type_of(v) != JSON_NUMBER)
		return bad(err, w, key, "must be a number, not %s",
			   json_type_name(json_type_of(v)));
	if (json_get_uint64(v, out) < 0 || *out > max)
		return bad(err, w, key, "must be an integer from 0 to %llu, not %s",
			   (unsigned long long)max, json_number_text(v));
	return 0;
}

static int read_strv(const json_value *v, const struct where *w, const char *key,
		     struct profile_strv *out, hook_error_t *err)
{
	size_t n;

	if (json_type_of(v) != JSON_ARRAY)
		return bad(err, w, key, "must be an array of strings, not %s",
			   json_type_name(json_type_of(v)));
	n = json_array_len(v);
	for (size_t i = 0; i < n; i++) {
		json_value *item = json_array_at(v, i);

		if (json_type_of(item) != JSON_STRING)
			return bad(err, w, key, "must hold only strings; item %zu is %s", i,
				   json_type_name(json_type_of(item)));
		profile_strv_add(out, json_string(item));
	}
	return 0;
}

/* Sets the presence bit, and the null bit when the value is null; returns
 * true when there is a value to read. */
static bool mark(const json_value *v, unsigned bit, unsigned *present, unsigned *nulls)
{
	*present |= bit;
	if (json_type_of(v) == JSON_NULL) {
		*nulls |= bit;
		return false;
	}
	return true;
}

static int check_object(const json_value *v, const struct where *w, const char *key,
			hook_error_t *err)
{
	if (json_type_of(v) != JSON_OBJECT)
		return bad(err, w, key, "must be an object, not %s",
			   json_type_name(json_type_of(v)));
	return 0;
}

static int check_arch(const char *arch, const struct where *w, const char *key, hook_error_t *err)
{
	if (!syscall_arch_token(arch))
		return bad(err, w, key, "names unknown architecture `%s`", arch);
	return 0;
}

static int check_syscall_name(const char *name, const struct where *w, const char *key,
			      hook_error_t *err)
{
	size_t len = strlen(name);

	if (len == 0 || len > 64 || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != len)
		return bad(err, w, key, "holds `%s`, which is not a syscall name", name);
	if (!syscall_name_known(name))
		return bad(err, w, key, "names unknown syscall `%s`", name);
	return 0;
}

static int parse_filter(const json_value *v, const struct where *w, const char *key,
			struct profile_filter *f, hook_error_t *err)
{
	struct where sub;
	int ret;

	if ((ret = check_object(v, w, key, err)) < 0)
		return ret;
	where_at(&sub, w, ".%s", key);
	for (size_t i = 0; i < json_object_len(v); i++) {
		const char *k = json_object_key(v, i);
		json_value *val = json_object_value(v, i);

		if (strcmp(k, "caps") == 0) {
			if (mark(val, FF_CAPS, &f->present, &f->nulls))
				ret = read_strv(val, &sub, k, &f->caps, err);
		} else if (strcmp(k, "arches") == 0) {
			if (mark(val, FF_ARCHES, &f->present, &f->nulls))
				ret = read_strv(val, &sub, k, &f->arches, err);
		} else if (strcmp(k, "minKernel") == 0) {
			if (mark(val, FF_MIN_KERNEL, &f->present, &f->nulls))
				ret = read_string(val, &sub, k, &f->min_kernel, err);
		} else {
			ret = bad(err, &sub, k, "is not a field of the seccomp profile schema");
		}
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int parse_arg(const json_value *v, const struct where *w, struct profile_arg *a,
		     hook_error_t *err)
{
	bool has_index = false, has_value = false;
	int ret;

	if ((ret = check_object(v, w, NULL, err)) < 0)
		return ret;
	for (size_t i = 0; i < json_object_len(v); i++) {
		const char *k = json_object_key(v, i);
		json_value *val = json_object_value(v, i);

		if (strcmp(k, "index") == 0) {
			has_index = true;
			ret = read_uint(val, w, k, 5, &a->index, err);
		} else if (strcmp(k, "value") == 0) {
			has_value = true;
			ret = read_uint(val, w, k, UINT64_MAX, &a->value, err);
		} else if (strcmp(k, "valueTwo") == 0) {
			if (mark(val, AF_VALUE_TWO, &a->present, &a->nulls))
				ret = read_uint(val, w, k, UINT64_MAX, &a->value_two, err);
		} else if (strcmp(k, "op") == 0) {
			ret = read_string(val, w, k, &a->op, err);
			if (ret == 0 &&
			    !in_list(a->op, known_ops, sizeof(known_ops) / sizeof(*known_ops)))
				ret = bad(err, w, k, "is unknown comparison `%s`", a->op);
		} else {
			ret = bad(err, w, k, "is not a field of the seccomp profile schema");
		}
		if (ret < 0)
			return ret;
	}
	if (!has_index || !has_value || !a->op)
		return bad(err, w, NULL, "needs `index`, `value` and `op`");
	return 0;
}

static int parse_rule(const json_value *v, const struct where *w, struct profile_rule *r,
		      hook_error_t *err)
{
	int ret;

	if ((ret = check_object(v, w, NULL, err)) < 0)
		return ret;
	for (size_t i = 0; i < json_object_len(v); i++) {
		const char *k = json_object_key(v, i);
		json_value *val = json_object_value(v, i);

		ret = 0;
		if (strcmp(k, "names") == 0) {
			if (mark(val, RF_NAMES, &r->present, &r->nulls)) {
				ret = read_strv(val, w, k, &r->names, err);
				for (size_t j = 0; ret == 0 && j < r->names.n; j++)
					ret = check_syscall_name(r->names.v[j], w, k, err);
			}
		} else if (strcmp(k, "name") == 0) {
			if (mark(val, RF_NAME, &r->present, &r->nulls)) {
				ret = read_string(val, w, k, &r->name, err);
				if (ret == 0)
					ret = check_syscall_name(r->name, w, k, err);
			}
		} else if (strcmp(k, "action") == 0) {
			ret = read_string(val, w, k, &r->action, err);
			if (ret == 0 && !in_list(r->action, known_actions,
						 sizeof(known_actions) / sizeof(*known_actions)))
				ret = bad(err, w, k, "is unknown action `%s`", r->action);
		} else if (strcmp(k, "errnoRet") == 0) {
			if (mark(val, RF_ERRNO, &r->present, &r->nulls))
				ret = read_uint(val, w, k, PROFILE_MAX_ERRNO, &r->errno_ret, err);
		} else if (strcmp(k, "args") == 0) {
			if (!mark(val, RF_ARGS, &r->present, &r->nulls))
				continue;
			if (json_type_of(val) != JSON_ARRAY)
				return bad(err, w, k, "must be an array, not %s",
					   json_type_name(json_type_of(val)));
			r->n_args = json_array_len(val);
			r->args = xzalloc(r->n_args * sizeof(*r->args));
			for (size_t j = 0; ret == 0 && j < r->n_args; j++) {
				struct where sub;

				where_at(&sub, w, ".args[%zu]", j);
				ret = parse_arg(json_array_at(val, j), &sub, &r->args[j], err);
			}
		} else if (strcmp(k, "comment") == 0) {
			if (mark(val, RF_COMMENT, &r->present, &r->nulls))
				ret = read_string(val, w, k, &r->comment, err);
		} else if (strcmp(k, "includes") == 0) {
			if (mark(val, RF_INCLUDES, &r->present, &r->nulls))
				ret = parse_filter(val, w, k, &r->includes, err);
		} else if (strcmp(k, "excludes") == 0) {
			if (mark(val, RF_EXCLUDES, &r->present, &r->nulls))
				ret = parse_filter(val, w, k, &r->excludes, err);
		} else {
			ret = bad(err, w, k, "is not a field of the seccomp profile schema");
		}
		if (ret < 0)
			return ret;
	}
	if (!r->action)
		return bad(err, w, NULL, "has no `action`");
	if (r->names.n == 0 && !r->name)
		return bad(err, w, NULL, "names no syscall (`names` or `name`)");
	return 0;
}

static int parse_arch_map(const json_value *v, const struct where *w, struct profile_arch_map *m,
			  hook_error_t *err)
{
	int ret;

	if ((ret = check_object(v, w, NULL, err)) < 0)
		return ret;
	for (size_t i = 0; i < json_object_len(v); i++) {
		const char *k = json_object_key(v, i);
		json_value *val = json_object_value(v, i);

		ret = 0;
		if (strcmp(k, "architecture") == 0) {
			ret = read_string(val, w, k, &m->architecture, err);
			if (ret == 0)
				ret = check_arch(m->architecture, w, k, err);
		} else if (strcmp(k, "subArchitectures") == 0) {
			if (mark(val, MF_SUB_ARCHES, &m->present, &m->nulls)) {
				ret = read_strv(val, w, k, &m->sub_arches, err);
				for (size_t j = 0; ret == 0 && j < m->sub_arches.n; j++)
					ret = check_arch(m->sub_arches.v[j], w, k, err);
			}
		} else {
			ret = bad(err, w, k, "is not a field of the seccomp profile schema");
		}
		if (ret < 0)
			return ret;
	}
	if (!m->architecture)
		return bad(err, w, NULL, "has no `architecture`");
	return 0;
}

/* Parses the array under `key` into *items of `size`-byte elements. */
static int parse_array(const json_value *v, const struct where *w, const char *key, void **items,
		       size_t *n, size_t size,
		       int (*one)(const json_value *, const struct where *, void *, hook_error_t *),
		       hook_error_t *err)
{
	int ret;

	if (json_type_of(v) != JSON_ARRAY)
		return bad(err, w, key, "must be an array, not %s",
			   json_type_name(json_type_of(v)));
	*n = json_array_len(v);
	*items = xzalloc(*n * size);
	for (size_t i = 0; i < *n; i++) {
		struct where sub;

		where_at(&sub, w, "%s[%zu]", key, i);
		ret = one(json_array_at(v, i), &sub, (char *)*items + i * size, err);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int parse_rule_cb(const json_value *v, const struct where *w, void *item, hook_error_t *err)
{
	return parse_rule(v, w, item, err);
}

static int parse_arch_map_cb(const json_value *v, const struct where *w, void *item,
			     hook_error_t *err)
{
	return parse_arch_map(v, w, item, err);
}

static int parse_top(const json_value *root, const struct where *w, struct profile *p,
		     hook_error_t *err)
{
	int ret;

	for (size_t i = 0; i < json_object_len(root); i++) {
		const char *k = json_object_key(root, i);
		json_value *val = json_object_value(root, i);

		ret = 0;
		if (strcmp(k, "defaultAction") == 0) {
			ret = read_string(val, w, k, &p->default_action, err);
			if (ret == 0 && !in_list(p->default_action, known_actions,
						 sizeof(known_actions) / sizeof(*known_actions)))
				ret = bad(err, w, k, "is unknown action `%s`", p->default_action);
		} else if (strcmp(k, "defaultErrnoRet") == 0) {
			if (mark(val, PF_DEFAULT_ERRNO, &p->present, &p->nulls))
				ret = read_uint(val, w, k, PROFILE_MAX_ERRNO, &p->default_errno_ret,
						err);
		} else if (strcmp(k, "architectures") == 0) {
			if (mark(val, PF_ARCHITECTURES, &p->present, &p->nulls)) {
				ret = read_strv(val, w, k, &p->architectures, err);
				for (size_t j = 0; ret == 0 && j < p->architectures.n; j++)
					ret = check_arch(p->architectures.v[j], w, k, err);
			}
		} else if (strcmp(k, "archMap") == 0) {
			if (mark(val, PF_ARCH_MAP, &p->present, &p->nulls))
				ret = parse_array(val, w, k, (void **)&p->arch_map, &p->n_arch_map,
						  sizeof(*p->arch_map), parse_arch_map_cb, err);
		} else if (strcmp(k, "flags") == 0) {
			if (mark(val, PF_FLAGS, &p->present, &p->nulls)) {
				ret = read_strv(val, w, k, &p->flags, err);
				for (size_t j = 0; ret == 0 && j < p->flags.n; j++)
					if (strncmp(p->flags.v[j], "SECCOMP_FILTER_FLAG_", 20) != 0)
						ret = bad(err, w, k, "holds unknown flag `%s`",
							  p->flags.v[j]);
			}
		} else if (strcmp(k, "listenerPath") == 0) {
			if (mark(val, PF_LISTENER_PATH, &p->present, &p->nulls))
				ret = read_string(val, w, k, &p->listener_path, err);
		} else if (strcmp(k, "listenerMetadata") == 0) {
			if (mark(val, PF_LISTENER_METADATA, &p->present, &p->nulls))
				ret = read_string(val, w, k, &p->listener_metadata, err);
		} else if (strcmp(k, "syscalls") == 0) {
			if (mark(val, PF_SYSCALLS, &p->present, &p->nulls))
				ret = parse_array(val, w, k, (void **)&p->rules, &p->n_rules,
						  sizeof(*p->rules), parse_rule_cb, err);
		} else {
			ret = bad(err, w, k, "is not a field of the seccomp profile schema");
		}
		if (ret < 0)
			return ret;
	}
	if (!p->default_action)
		return hook_make_error(err, 0, "%s: missing required field `defaultAction`",
				       w->what);
	return 0;
}

int profile_parse(const char *text, size_t len, const char *what, struct profile *out,
		  hook_error_t *err)
{
	cleanup_json json_value *root = NULL;
	struct where w = { .what = what, .path = "" };
	struct profile p = { 0 };
	int ret;

	if (strlen(text) != len)
		return hook_make_error(err, 0, "%s: not a seccomp profile (contains a NUL byte)",
				       what);
	ret = json_parse(text, what, &root, err);
	if (ret < 0)
		return ret;
	if (json_type_of(root) != JSON_OBJECT)
		return hook_make_error(err, 0,
				       "%s: not a seccomp profile (expected an object, got %s)",
				       what, json_type_name(json_type_of(root)));
	ret = parse_top(root, &w, &p, err);
	if (ret < 0) {
		profile_free(&p);
		return ret;
	}
	*out = p;
	return 0;
}
