// SPDX-License-Identifier: Apache-2.0
/* Writing a seccomp profile in a fixed member order, freeing it, and merging a
 * recording into it. Reading is in profile_read.c. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "json.h"
#include "profile.h"

void profile_strv_add(struct profile_strv *sv, const char *s)
{
	sv->v = xrealloc(sv->v, (sv->n + 1) * sizeof(*sv->v));
	sv->v[sv->n++] = xstrdup(s);
}

bool profile_strv_contains(const struct profile_strv *sv, const char *s)
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

void profile_strv_sort_unique(struct profile_strv *sv)
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

void profile_strv_remove_at(struct profile_strv *sv, size_t i)
{
	free(sv->v[i]);
	memmove(&sv->v[i], &sv->v[i + 1], (sv->n - i - 1) * sizeof(*sv->v));
	sv->n--;
}

void profile_strv_free(struct profile_strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}
/* ---- writing ---- */

static void write_strv(struct json_writer *jw, const char *key, const struct profile_strv *sv)
{
	json_w_kv_strings(jw, key, sv->v, sv->n);
}

static void write_null(struct json_writer *jw, const char *key)
{
	json_w_string(jw, key);
	json_w_null(jw);
}

/* Writes a member present in the input: as null if it was null, else with
 * the callback. The helpers below keep the bit tests in one place. */
#define WRITE_FIELD(jw, obj, bit, key, stmt)         \
	do {                                         \
		if ((obj)->present & (bit)) {        \
			if ((obj)->nulls & (bit))    \
				write_null(jw, key); \
			else {                       \
				stmt;                \
			}                            \
		}                                    \
	} while (0)

static void write_filter(struct json_writer *jw, const struct profile_filter *f)
{
	json_w_object_open(jw);
	WRITE_FIELD(jw, f, FF_CAPS, "caps", write_strv(jw, "caps", &f->caps));
	WRITE_FIELD(jw, f, FF_ARCHES, "arches", write_strv(jw, "arches", &f->arches));
	WRITE_FIELD(jw, f, FF_MIN_KERNEL, "minKernel",
		    json_w_kv_string(jw, "minKernel", f->min_kernel));
	json_w_object_close(jw);
}

static void write_args(struct json_writer *jw, const struct profile_rule *r)
{
	json_w_string(jw, "args");
	json_w_array_open(jw);
	for (size_t i = 0; i < r->n_args; i++) {
		const struct profile_arg *a = &r->args[i];

		json_w_object_open(jw);
		json_w_kv_uint64(jw, "index", a->index);
		json_w_kv_uint64(jw, "value", a->value);
		WRITE_FIELD(jw, a, AF_VALUE_TWO, "valueTwo",
			    json_w_kv_uint64(jw, "valueTwo", a->value_two));
		json_w_kv_string(jw, "op", a->op);
		json_w_object_close(jw);
	}
	json_w_array_close(jw);
}

static void write_rule(struct json_writer *jw, const struct profile_rule *r)
{
	json_w_object_open(jw);
	WRITE_FIELD(jw, r, RF_NAMES, "names", write_strv(jw, "names", &r->names));
	WRITE_FIELD(jw, r, RF_NAME, "name", json_w_kv_string(jw, "name", r->name));
	json_w_kv_string(jw, "action", r->action);
	WRITE_FIELD(jw, r, RF_ERRNO, "errnoRet", json_w_kv_uint64(jw, "errnoRet", r->errno_ret));
	WRITE_FIELD(jw, r, RF_ERRNO_NAME, "errno", json_w_kv_string(jw, "errno", r->errno_name));
	WRITE_FIELD(jw, r, RF_ARGS, "args", write_args(jw, r));
	WRITE_FIELD(jw, r, RF_COMMENT, "comment", json_w_kv_string(jw, "comment", r->comment));
	WRITE_FIELD(jw, r, RF_INCLUDES, "includes",
		    (json_w_string(jw, "includes"), write_filter(jw, &r->includes)));
	WRITE_FIELD(jw, r, RF_EXCLUDES, "excludes",
		    (json_w_string(jw, "excludes"), write_filter(jw, &r->excludes)));
	json_w_object_close(jw);
}

static void write_arch_map(struct json_writer *jw, const struct profile *p)
{
	json_w_string(jw, "archMap");
	json_w_array_open(jw);
	for (size_t i = 0; i < p->n_arch_map; i++) {
		const struct profile_arch_map *m = &p->arch_map[i];

		json_w_object_open(jw);
		json_w_kv_string(jw, "architecture", m->architecture);
		WRITE_FIELD(jw, m, MF_SUB_ARCHES, "subArchitectures",
			    write_strv(jw, "subArchitectures", &m->sub_arches));
		json_w_object_close(jw);
	}
	json_w_array_close(jw);
}

int profile_serialize(const struct profile *p, char **out, size_t *len, hook_error_t *err)
{
	cleanup_json_writer struct json_writer *jw = json_writer_new();

	if (!jw)
		return hook_make_error(err, 0, "cannot allocate the JSON generator");
	json_w_object_open(jw);
	json_w_kv_string(jw, "defaultAction", p->default_action);
	WRITE_FIELD(jw, p, PF_DEFAULT_ERRNO, "defaultErrnoRet",
		    json_w_kv_uint64(jw, "defaultErrnoRet", p->default_errno_ret));
	WRITE_FIELD(jw, p, PF_DEFAULT_ERRNO_NAME, "defaultErrno",
		    json_w_kv_string(jw, "defaultErrno", p->default_errno_name));
	WRITE_FIELD(jw, p, PF_ARCHITECTURES, "architectures",
		    write_strv(jw, "architectures", &p->architectures));
	WRITE_FIELD(jw, p, PF_ARCH_MAP, "archMap", write_arch_map(jw, p));
	WRITE_FIELD(jw, p, PF_FLAGS, "flags", write_strv(jw, "flags", &p->flags));
	WRITE_FIELD(jw, p, PF_LISTENER_PATH, "listenerPath",
		    json_w_kv_string(jw, "listenerPath", p->listener_path));
	WRITE_FIELD(jw, p, PF_LISTENER_METADATA, "listenerMetadata",
		    json_w_kv_string(jw, "listenerMetadata", p->listener_metadata));
	WRITE_FIELD(jw, p, PF_SYSCALLS, "syscalls", ({
			    json_w_string(jw, "syscalls");
			    json_w_array_open(jw);
			    for (size_t i = 0; i < p->n_rules; i++)
				    write_rule(jw, &p->rules[i]);
			    json_w_array_close(jw);
		    }));
	json_w_object_close(jw);
	return json_writer_finish(jw, out, len, err);
}

char *profile_rule_key(const struct profile_rule *r, unsigned fields, bool with_action)
{
	cleanup_json_writer struct json_writer *jw = json_writer_new();
	struct profile_rule copy = *r;
	hook_error_t err = NULL;
	char *out = NULL;
	size_t len;

	copy.present &= fields;
	if (!with_action)
		copy.action = (char *)"";
	if (!jw)
		abort(); /* allocation failure, as in xmalloc() */
	write_rule(jw, &copy);
	/* Every string came from a parsed profile, so generation cannot fail
	 * but by running out of memory. */
	if (json_writer_finish(jw, &out, &len, &err) < 0)
		abort();
	return out;
}

/* ---- freeing ---- */

static void filter_free(struct profile_filter *f)
{
	profile_strv_free(&f->caps);
	profile_strv_free(&f->arches);
	free(f->min_kernel);
}

void profile_rule_free(struct profile_rule *r)
{
	profile_strv_free(&r->names);
	free(r->name);
	free(r->action);
	free(r->errno_name);
	for (size_t i = 0; i < r->n_args; i++)
		free(r->args[i].op);
	free(r->args);
	free(r->comment);
	filter_free(&r->includes);
	filter_free(&r->excludes);
}

void profile_free(struct profile *p)
{
	free(p->default_action);
	free(p->default_errno_name);
	profile_strv_free(&p->architectures);
	for (size_t i = 0; i < p->n_arch_map; i++) {
		free(p->arch_map[i].architecture);
		profile_strv_free(&p->arch_map[i].sub_arches);
	}
	free(p->arch_map);
	profile_strv_free(&p->flags);
	free(p->listener_path);
	free(p->listener_metadata);
	for (size_t i = 0; i < p->n_rules; i++)
		profile_rule_free(&p->rules[i]);
	free(p->rules);
	memset(p, 0, sizeof(*p));
}

/* ---- what rules mean ---- */

bool profile_action_allows(const char *action)
{
	return strcmp(action, "SCMP_ACT_ALLOW") == 0 || strcmp(action, "SCMP_ACT_LOG") == 0;
}

bool profile_action_denies(const char *action)
{
	return strcmp(action, "SCMP_ACT_ERRNO") == 0 || strcmp(action, "SCMP_ACT_TRAP") == 0 ||
	       strncmp(action, "SCMP_ACT_KILL", strlen("SCMP_ACT_KILL")) == 0;
}

const char *profile_filter_min_kernel(const struct profile_filter *f)
{
	return PROFILE_HAS(f, FF_MIN_KERNEL) && f->min_kernel && *f->min_kernel ? f->min_kernel
										: NULL;
}

bool profile_filter_set(const struct profile_filter *f)
{
	return f->caps.n > 0 || f->arches.n > 0 || profile_filter_min_kernel(f);
}

bool profile_rule_unconditional(const struct profile_rule *r)
{
	return r->n_args == 0 && !profile_filter_set(&r->includes) &&
	       !profile_filter_set(&r->excludes);
}

bool profile_rule_names(const struct profile_rule *r, const char *name)
{
	return (r->name && strcmp(r->name, name) == 0) || profile_strv_contains(&r->names, name);
}

static void strv_copy(struct profile_strv *dst, const struct profile_strv *src)
{
	memset(dst, 0, sizeof(*dst));
	for (size_t i = 0; i < src->n; i++)
		profile_strv_add(dst, src->v[i]);
}

static char *xstrdup_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void filter_copy(struct profile_filter *dst, const struct profile_filter *src)
{
	*dst = *src;
	strv_copy(&dst->caps, &src->caps);
	strv_copy(&dst->arches, &src->arches);
	dst->min_kernel = xstrdup_null(src->min_kernel);
}

void profile_rule_copy(struct profile_rule *dst, const struct profile_rule *src)
{
	*dst = *src;
	strv_copy(&dst->names, &src->names);
	dst->name = xstrdup_null(src->name);
	dst->action = xstrdup_null(src->action);
	dst->errno_name = xstrdup_null(src->errno_name);
	dst->comment = xstrdup_null(src->comment);
	dst->args = src->n_args ? xmalloc(src->n_args * sizeof(*dst->args)) : NULL;
	for (size_t i = 0; i < src->n_args; i++) {
		dst->args[i] = src->args[i];
		dst->args[i].op = xstrdup_null(src->args[i].op);
	}
	filter_copy(&dst->includes, &src->includes);
	filter_copy(&dst->excludes, &src->excludes);
}

/* ---- merging what was recorded ---- */

bool profile_names_syscall(const struct profile *p, const char *name)
{
	for (size_t i = 0; i < p->n_rules; i++)
		if (profile_rule_names(&p->rules[i], name))
			return true;
	return false;
}

/* Our own rule: an unconditional allow that carries our marker comment. */
static bool is_recorded_rule(const struct profile_rule *r)
{
	return r->comment && strcmp(r->comment, PROFILE_RECORDED_COMMENT) == 0 &&
	       strcmp(r->action, "SCMP_ACT_ALLOW") == 0 && !r->name && r->n_args == 0 &&
	       !(r->present & (RF_ERRNO | RF_INCLUDES | RF_EXCLUDES));
}

static struct profile_rule *recorded_rule(struct profile *p)
{
	struct profile_rule *r;

	for (size_t i = 0; i < p->n_rules; i++)
		if (is_recorded_rule(&p->rules[i]))
			return &p->rules[i];
	p->rules = xrealloc(p->rules, (p->n_rules + 1) * sizeof(*p->rules));
	r = &p->rules[p->n_rules++];
	memset(r, 0, sizeof(*r));
	r->present = RF_NAMES | RF_COMMENT;
	r->action = xstrdup("SCMP_ACT_ALLOW");
	r->comment = xstrdup(PROFILE_RECORDED_COMMENT);
	return r;
}

void profile_recording_add_arg(struct profile_recording *rec, const char *name, const char *op,
			       uint64_t value, uint64_t value_two)
{
	struct profile_arg_value *a;

	rec->args = xrealloc(rec->args, (rec->n_args + 1) * sizeof(*rec->args));
	a = &rec->args[rec->n_args++];
	a->name = xstrdup(name);
	a->op = op;
	a->value = value;
	a->value_two = value_two;
}

void profile_recording_free(struct profile_recording *rec)
{
	for (size_t i = 0; i < rec->n_args; i++)
		free(rec->args[i].name);
	free(rec->args);
	profile_strv_free(&rec->arches);
	profile_strv_free(&rec->names);
	profile_strv_free(&rec->arg_names);
	memset(rec, 0, sizeof(*rec));
}

/* An allow on argument 0 alone, as ours are (any comment). */
static bool is_arg0_allow(const struct profile_rule *r)
{
	return profile_action_allows(r->action) && r->n_args == 1 && r->args[0].index == 0 &&
	       !profile_filter_set(&r->includes) && !profile_filter_set(&r->excludes);
}

static bool arg_matches(const struct profile_arg *a, const struct profile_arg_value *v)
{
	uint64_t two = PROFILE_HAS(a, AF_VALUE_TWO) ? a->value_two : 0;

	return a->op && strcmp(a->op, v->op) == 0 && a->value == v->value && two == v->value_two;
}

/* 1: an allow of `p` already lets the value through; 0: a rule should be
 * added; -1: the input names the syscall otherwise (a deny, other
 * conditions), and keeps the last word, as it does for recorded names. */
static int arg_value_covered(const struct profile *p, const struct profile_arg_value *v)
{
	int covered = 0;

	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];

		if (!profile_rule_names(r, v->name))
			continue;
		if (profile_action_allows(r->action) && profile_rule_unconditional(r))
			covered = 1;
		else if (!is_arg0_allow(r))
			return -1;
		else if (arg_matches(&r->args[0], v))
			covered = 1;
	}
	return covered;
}

/* `merge` may have joined ours for several names into one rule. */
static bool is_recorded_arg_rule(const struct profile_rule *r)
{
	return r->comment && strcmp(r->comment, PROFILE_RECORDED_ARG_COMMENT) == 0 &&
	       is_arg0_allow(r) && r->names.n >= 1 && !r->name;
}

static int arg_rule_cmp(const void *a, const void *b)
{
	const struct profile_rule *x = a, *y = b;
	int c = strcmp(x->names.v[0], y->names.v[0]);

	if (c)
		return c;
	if (x->args[0].value != y->args[0].value)
		return x->args[0].value < y->args[0].value ? -1 : 1;
	if (x->args[0].value_two != y->args[0].value_two)
		return x->args[0].value_two < y->args[0].value_two ? -1 : 1;
	return 0;
}

/* Some rule names `name`, and each one that does is one of our argument
 * rules. */
static bool only_arg_rules(const struct profile *p, const char *name)
{
	bool any = false;

	for (size_t i = 0; i < p->n_rules; i++) {
		if (!profile_rule_names(&p->rules[i], name))
			continue;
		if (!is_recorded_arg_rule(&p->rules[i]))
			return false;
		any = true;
	}
	return any;
}

static void drop_arg_rules(struct profile *p, const char *name)
{
	size_t kept = 0;

	for (size_t i = 0; i < p->n_rules; i++) {
		struct profile_rule *r = &p->rules[i];

		if (is_recorded_arg_rule(r) && profile_rule_names(r, name)) {
			for (size_t j = r->names.n; j-- > 0;)
				if (strcmp(r->names.v[j], name) == 0)
					profile_strv_remove_at(&r->names, j);
			if (r->names.n == 0) {
				profile_rule_free(r);
				continue;
			}
		}
		p->rules[kept++] = *r;
	}
	p->n_rules = kept;
}

static void add_arg_rule(struct profile *p, const struct profile_arg_value *v)
{
	struct profile_rule *r;

	p->rules = xrealloc(p->rules, (p->n_rules + 1) * sizeof(*p->rules));
	r = &p->rules[p->n_rules++];
	memset(r, 0, sizeof(*r));
	r->present = RF_NAMES | RF_ARGS | RF_COMMENT;
	profile_strv_add(&r->names, v->name);
	r->action = xstrdup("SCMP_ACT_ALLOW");
	r->comment = xstrdup(PROFILE_RECORDED_ARG_COMMENT);
	r->args = xzalloc(sizeof(*r->args));
	r->n_args = 1;
	r->args[0].present = AF_INDEX | AF_VALUE | AF_VALUE_TWO;
	r->args[0].value = v->value;
	r->args[0].value_two = v->value_two;
	r->args[0].op = xstrdup(v->op);
}

/* Our argument rules, old and new, go last and sorted: the bytes depend on
 * the set of values only, not on the order recordings arrive in. */
static void sort_arg_rules(struct profile *p)
{
	struct profile_rule *ours;
	size_t kept = 0, n = 0;

	if (p->n_rules == 0)
		return;
	ours = xmalloc(p->n_rules * sizeof(*ours));
	for (size_t i = 0; i < p->n_rules; i++) {
		if (is_recorded_arg_rule(&p->rules[i]))
			ours[n++] = p->rules[i];
		else
			p->rules[kept++] = p->rules[i];
	}
	qsort(ours, n, sizeof(*ours), arg_rule_cmp);
	memcpy(&p->rules[kept], ours, n * sizeof(*ours));
	free(ours);
}

void profile_add_recording(struct profile *p, const struct profile_recording *rec)
{
	struct profile_strv added = { 0 };
	struct profile_rule *r;

	bool was_errno = p->default_action && strcmp(p->default_action, "SCMP_ACT_ERRNO") == 0;

	free(p->default_action);
	p->default_action = xstrdup("SCMP_ACT_ERRNO");
	/* An input's own errno stays, also its absence when it already
	 * denied with ERRNO (EPERM then, as engines read it); else ENOSYS. */
	if (!was_errno && !PROFILE_HAS(p, PF_DEFAULT_ERRNO)) {
		p->present |= PF_DEFAULT_ERRNO;
		p->nulls &= ~PF_DEFAULT_ERRNO;
		p->default_errno_ret = PROFILE_DEFAULT_ERRNO;
	}

	/* containers/common refuses a profile with both `architectures` and
	 * `archMap`; an input archMap already says which ABIs to allow. */
	if (!PROFILE_HAS(p, PF_ARCH_MAP)) {
		p->present |= PF_ARCHITECTURES;
		p->nulls &= ~PF_ARCHITECTURES;
		size_t before = p->architectures.n;

		for (size_t i = 0; i < rec->arches.n; i++)
			if (!profile_strv_contains(&p->architectures, rec->arches.v[i]))
				profile_strv_add(&p->architectures, rec->arches.v[i]);
		/* Sorted once it changes, so that runs adding architectures in
		 * either order end with the same bytes. */
		if (p->architectures.n != before)
			profile_strv_sort_unique(&p->architectures);
	}

	/* A name recorded without its values (no args: this time) is allowed
	 * outright, also over our argument rules of earlier runs, which it
	 * then replaces: they cannot say what this run passed. */
	for (size_t i = 0; i < rec->names.n; i++) {
		const char *name = rec->names.v[i];

		if (profile_strv_contains(&rec->arg_names, name))
			continue;
		if (only_arg_rules(p, name))
			drop_arg_rules(p, name);
		if (!profile_names_syscall(p, name))
			profile_strv_add(&added, name);
	}
	for (size_t i = 0; i < rec->n_args; i++)
		if (arg_value_covered(p, &rec->args[i]) == 0)
			add_arg_rule(p, &rec->args[i]);
	sort_arg_rules(p);

	p->present |= PF_SYSCALLS;
	p->nulls &= ~PF_SYSCALLS;
	if (added.n > 0) {
		r = recorded_rule(p);
		for (size_t i = 0; i < added.n; i++)
			profile_strv_add(&r->names, added.v[i]);
		profile_strv_sort_unique(&r->names);
	}
	/* A marked rule from an earlier run is kept sorted as well, so the
	 * output depends only on the set of names. */
	for (size_t i = 0; i < p->n_rules; i++)
		if (is_recorded_rule(&p->rules[i]))
			profile_strv_sort_unique(&p->rules[i].names);
	profile_strv_free(&added);
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void profile_bound_arg_rules(struct profile *p, size_t max, struct profile_strv *widened)
{
	struct profile_strv names = { 0 };
	struct profile_rule *r;

	for (size_t i = 0; i < p->n_rules; i++)
		if (is_recorded_arg_rule(&p->rules[i]))
			for (size_t j = 0; j < p->rules[i].names.n; j++)
				profile_strv_add(&names, p->rules[i].names.v[j]);
	if (names.n > 0)
		qsort(names.v, names.n, sizeof(*names.v), cmp_cstr);
	for (size_t i = 0, run; i < names.n; i += run) {
		for (run = 1; i + run < names.n && strcmp(names.v[i], names.v[i + run]) == 0; run++)
			;
		if (run > max)
			profile_strv_add(widened, names.v[i]);
	}
	for (size_t i = 0; i < widened->n; i++) {
		drop_arg_rules(p, widened->v[i]);
		r = recorded_rule(p);
		profile_strv_add(&r->names, widened->v[i]);
		profile_strv_sort_unique(&r->names);
	}
	profile_strv_free(&names);
}
