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
#include "profile/profile.h"
#include "profile/syscall_names.h"
#include "util/json.h"

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

typedef int (*item_check_fn)(const char *item, const struct where *w, const char *key,
			     hook_error_t *err);

/* An array of strings, each passing `check` when one is given. */
static int read_strv(const json_value *v, const struct where *w, const char *key,
		     struct strv *out, item_check_fn check, hook_error_t *err)
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
		if (check) {
			int ret = check(json_string(item), w, key, err);

			if (ret < 0)
				return ret;
		}
		strv_add(out, json_string(item));
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

static int check_flag(const char *flag, const struct where *w, const char *key, hook_error_t *err)
{
	if (strncmp(flag, "SECCOMP_FILTER_FLAG_", 20) != 0)
		return bad(err, w, key, "holds unknown flag `%s`", flag);
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

/* Returned by a member callback for a key the schema does not have. */
#define UNKNOWN_MEMBER 1

typedef int (*member_fn)(const char *key, const json_value *val, const struct where *w, void *obj,
			 hook_error_t *err);

/* Checks that `v` (at `w`) is an object and hands each member to `member`. */
static int for_each_member(const json_value *v, const struct where *w, member_fn member, void *obj,
			   hook_error_t *err)
{
	int ret = check_object(v, w, NULL, err);

	for (size_t i = 0; ret == 0 && i < json_object_len(v); i++) {
		const char *k = json_object_key(v, i);

		ret = member(k, json_object_value(v, i), w, obj, err);
		if (ret == UNKNOWN_MEMBER)
			ret = bad(err, w, k, "is not a field of the seccomp profile schema");
	}
	return ret;
}

static int read_action(const json_value *val, const struct where *w, const char *k, char **out,
		       hook_error_t *err)
{
	int ret = read_string(val, w, k, out, err);

	if (ret == 0 &&
	    !in_list(*out, known_actions, sizeof(known_actions) / sizeof(*known_actions)))
		ret = bad(err, w, k, "is unknown action `%s`", *out);
	return ret;
}

static int filter_member(const char *k, const json_value *val, const struct where *w, void *obj,
			 hook_error_t *err)
{
	struct profile_filter *f = obj;

	if (strcmp(k, "caps") == 0)
		return mark(val, FF_CAPS, &f->present, &f->nulls)
			       ? read_strv(val, w, k, &f->caps, NULL, err)
			       : 0;
	if (strcmp(k, "arches") == 0)
		return mark(val, FF_ARCHES, &f->present, &f->nulls)
			       ? read_strv(val, w, k, &f->arches, NULL, err)
			       : 0;
	if (strcmp(k, "minKernel") == 0)
		return mark(val, FF_MIN_KERNEL, &f->present, &f->nulls)
			       ? read_string(val, w, k, &f->min_kernel, err)
			       : 0;
	return UNKNOWN_MEMBER;
}

static int parse_filter(const json_value *v, const struct where *w, const char *key,
			struct profile_filter *f, hook_error_t *err)
{
	struct where sub;

	where_at(&sub, w, ".%s", key);
	return for_each_member(v, &sub, filter_member, f, err);
}

static int arg_member(const char *k, const json_value *val, const struct where *w, void *obj,
		      hook_error_t *err)
{
	struct profile_arg *a = obj;
	int ret;

	if (strcmp(k, "index") == 0) {
		a->present |= AF_INDEX;
		return read_uint(val, w, k, 5, &a->index, err);
	}
	if (strcmp(k, "value") == 0) {
		a->present |= AF_VALUE;
		return read_uint(val, w, k, UINT64_MAX, &a->value, err);
	}
	if (strcmp(k, "valueTwo") == 0)
		return mark(val, AF_VALUE_TWO, &a->present, &a->nulls)
			       ? read_uint(val, w, k, UINT64_MAX, &a->value_two, err)
			       : 0;
	if (strcmp(k, "op") == 0) {
		ret = read_string(val, w, k, &a->op, err);
		if (ret == 0 && !in_list(a->op, known_ops, sizeof(known_ops) / sizeof(*known_ops)))
			ret = bad(err, w, k, "is unknown comparison `%s`", a->op);
		return ret;
	}
	return UNKNOWN_MEMBER;
}

static int parse_arg(const json_value *v, const struct where *w, void *item, hook_error_t *err)
{
	struct profile_arg *a = item;
	int ret = for_each_member(v, w, arg_member, a, err);

	if (ret == 0 && (!(a->present & AF_INDEX) || !(a->present & AF_VALUE) || !a->op))
		ret = bad(err, w, NULL, "needs `index`, `value` and `op`");
	return ret;
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

		where_at(&sub, w, "%s%s[%zu]", w->path[0] ? "." : "", key, i);
		ret = one(json_array_at(v, i), &sub, (char *)*items + i * size, err);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int rule_member(const char *k, const json_value *val, const struct where *w, void *obj,
		       hook_error_t *err)
{
	struct profile_rule *r = obj;
	int ret;

	if (strcmp(k, "names") == 0)
		return mark(val, RF_NAMES, &r->present, &r->nulls)
			       ? read_strv(val, w, k, &r->names, check_syscall_name, err)
			       : 0;
	if (strcmp(k, "name") == 0) {
		if (!mark(val, RF_NAME, &r->present, &r->nulls))
			return 0;
		ret = read_string(val, w, k, &r->name, err);
		return ret == 0 ? check_syscall_name(r->name, w, k, err) : ret;
	}
	if (strcmp(k, "action") == 0)
		return read_action(val, w, k, &r->action, err);
	if (strcmp(k, "errnoRet") == 0)
		return mark(val, RF_ERRNO, &r->present, &r->nulls)
			       ? read_uint(val, w, k, PROFILE_MAX_ERRNO, &r->errno_ret, err)
			       : 0;
	if (strcmp(k, "errno") == 0)
		return mark(val, RF_ERRNO_NAME, &r->present, &r->nulls)
			       ? read_string(val, w, k, &r->errno_name, err)
			       : 0;
	if (strcmp(k, "args") == 0)
		return mark(val, RF_ARGS, &r->present, &r->nulls)
			       ? parse_array(val, w, k, (void **)&r->args, &r->n_args,
					     sizeof(*r->args), parse_arg, err)
			       : 0;
	if (strcmp(k, "comment") == 0)
		return mark(val, RF_COMMENT, &r->present, &r->nulls)
			       ? read_string(val, w, k, &r->comment, err)
			       : 0;
	if (strcmp(k, "includes") == 0)
		return mark(val, RF_INCLUDES, &r->present, &r->nulls)
			       ? parse_filter(val, w, k, &r->includes, err)
			       : 0;
	if (strcmp(k, "excludes") == 0)
		return mark(val, RF_EXCLUDES, &r->present, &r->nulls)
			       ? parse_filter(val, w, k, &r->excludes, err)
			       : 0;
	return UNKNOWN_MEMBER;
}

static int parse_rule(const json_value *v, const struct where *w, void *item, hook_error_t *err)
{
	struct profile_rule *r = item;
	int ret = for_each_member(v, w, rule_member, r, err);

	if (ret == 0 && !r->action)
		ret = bad(err, w, NULL, "has no `action`");
	if (ret == 0 && r->names.n == 0 && !r->name)
		ret = bad(err, w, NULL, "names no syscall (`names` or `name`)");
	return ret;
}

static int arch_map_member(const char *k, const json_value *val, const struct where *w, void *obj,
			   hook_error_t *err)
{
	struct profile_arch_map *m = obj;
	int ret;

	if (strcmp(k, "architecture") == 0) {
		ret = read_string(val, w, k, &m->architecture, err);
		return ret == 0 ? check_arch(m->architecture, w, k, err) : ret;
	}
	if (strcmp(k, "subArchitectures") == 0)
		return mark(val, MF_SUB_ARCHES, &m->present, &m->nulls)
			       ? read_strv(val, w, k, &m->sub_arches, check_arch, err)
			       : 0;
	return UNKNOWN_MEMBER;
}

static int parse_arch_map(const json_value *v, const struct where *w, void *item, hook_error_t *err)
{
	struct profile_arch_map *m = item;
	int ret = for_each_member(v, w, arch_map_member, m, err);

	if (ret == 0 && !m->architecture)
		ret = bad(err, w, NULL, "has no `architecture`");
	return ret;
}

static int top_member(const char *k, const json_value *val, const struct where *w, void *obj,
		      hook_error_t *err)
{
	struct profile *p = obj;

	if (strcmp(k, "defaultAction") == 0)
		return read_action(val, w, k, &p->default_action, err);
	if (strcmp(k, "defaultErrnoRet") == 0)
		return mark(val, PF_DEFAULT_ERRNO, &p->present, &p->nulls)
			       ? read_uint(val, w, k, PROFILE_MAX_ERRNO, &p->default_errno_ret, err)
			       : 0;
	if (strcmp(k, "defaultErrno") == 0)
		return mark(val, PF_DEFAULT_ERRNO_NAME, &p->present, &p->nulls)
			       ? read_string(val, w, k, &p->default_errno_name, err)
			       : 0;
	if (strcmp(k, "architectures") == 0)
		return mark(val, PF_ARCHITECTURES, &p->present, &p->nulls)
			       ? read_strv(val, w, k, &p->architectures, check_arch, err)
			       : 0;
	if (strcmp(k, "archMap") == 0)
		return mark(val, PF_ARCH_MAP, &p->present, &p->nulls)
			       ? parse_array(val, w, k, (void **)&p->arch_map, &p->n_arch_map,
					     sizeof(*p->arch_map), parse_arch_map, err)
			       : 0;
	if (strcmp(k, "flags") == 0)
		return mark(val, PF_FLAGS, &p->present, &p->nulls)
			       ? read_strv(val, w, k, &p->flags, check_flag, err)
			       : 0;
	if (strcmp(k, "listenerPath") == 0)
		return mark(val, PF_LISTENER_PATH, &p->present, &p->nulls)
			       ? read_string(val, w, k, &p->listener_path, err)
			       : 0;
	if (strcmp(k, "listenerMetadata") == 0)
		return mark(val, PF_LISTENER_METADATA, &p->present, &p->nulls)
			       ? read_string(val, w, k, &p->listener_metadata, err)
			       : 0;
	if (strcmp(k, "syscalls") == 0)
		return mark(val, PF_SYSCALLS, &p->present, &p->nulls)
			       ? parse_array(val, w, k, (void **)&p->rules, &p->n_rules,
					     sizeof(*p->rules), parse_rule, err)
			       : 0;
	return UNKNOWN_MEMBER;
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
	ret = for_each_member(root, &w, top_member, &p, err);
	if (ret == 0 && !p.default_action)
		ret = hook_make_error(err, 0, "%s: missing required field `defaultAction`", what);
	if (ret < 0) {
		profile_free(&p);
		return ret;
	}
	*out = p;
	return 0;
}
