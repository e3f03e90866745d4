// SPDX-License-Identifier: Apache-2.0
/* How what a recording saw becomes rules of a profile: the recorded rule
 * (PROFILE_RECORDED_COMMENT) and one rule per recorded argument value,
 * bounded per syscall. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "profile/profile_recording.h"

/* One of our own rules: an unconditional allow that carries `comment`. */
static bool is_marked_rule(const struct profile_rule *r, const char *comment)
{
	return r->comment && strcmp(r->comment, comment) == 0 &&
	       strcmp(r->action, "SCMP_ACT_ALLOW") == 0 && !r->name && r->n_args == 0 &&
	       !(r->present & (RF_ERRNO | RF_INCLUDES | RF_EXCLUDES));
}

static bool is_recorded_rule(const struct profile_rule *r)
{
	return is_marked_rule(r, PROFILE_RECORDED_COMMENT);
}

/* The rules we add for what the workload did not make itself. */
static bool is_added_rule(const struct profile_rule *r)
{
	return is_marked_rule(r, PROFILE_IMPLICIT_COMMENT) ||
	       is_marked_rule(r, PROFILE_RUNTIME_COMMENT);
}

/* A name the workload made goes to its own rule even where an earlier run
 * put it in an added rule: the workload's rule says what it did, in
 * whatever order the runs came. */
static void take_from_added_rules(struct profile *p, const char *name)
{
	for (size_t i = 0; i < p->n_rules; i++) {
		struct profile_rule *r = &p->rules[i];

		if (!profile_rule_names(r, name))
			continue;
		if (!is_added_rule(r))
			return; /* the input decides, as for any name */
	}
	for (size_t i = 0; i < p->n_rules; i++) {
		struct profile_rule *r = &p->rules[i];

		if (!is_added_rule(r))
			continue;
		for (size_t j = r->names.n; j-- > 0;)
			if (strcmp(r->names.v[j], name) == 0)
				strv_remove_at(&r->names, j);
	}
}

/* An added rule left without names goes. */
static void drop_empty_added_rules(struct profile *p)
{
	size_t out = 0;

	for (size_t i = 0; i < p->n_rules; i++) {
		if (is_added_rule(&p->rules[i]) && p->rules[i].names.n == 0) {
			profile_rule_free(&p->rules[i]);
			continue;
		}
		p->rules[out++] = p->rules[i];
	}
	p->n_rules = out;
}

static struct profile_rule *marked_rule(struct profile *p, const char *comment)
{
	struct profile_rule *r;

	for (size_t i = 0; i < p->n_rules; i++)
		if (is_marked_rule(&p->rules[i], comment))
			return &p->rules[i];
	p->rules = xrealloc(p->rules, (p->n_rules + 1) * sizeof(*p->rules));
	r = &p->rules[p->n_rules++];
	memset(r, 0, sizeof(*r));
	r->present = RF_NAMES | RF_COMMENT;
	r->action = xstrdup("SCMP_ACT_ALLOW");
	r->comment = xstrdup(comment);
	return r;
}

static struct profile_rule *recorded_rule(struct profile *p)
{
	return marked_rule(p, PROFILE_RECORDED_COMMENT);
}

/* Allows in the rule marked `comment` those of `names` that no rule of `p`
 * names yet (a rule the workload's own names went to first, or an input's
 * rule, decides for them), keeping that rule sorted. */
static void add_marked(struct profile *p, const struct strv *names, const char *comment)
{
	struct profile_rule *r = NULL;

	for (size_t i = 0; i < names->n; i++) {
		if (profile_names_syscall(p, names->v[i]))
			continue;
		if (!r)
			r = marked_rule(p, comment);
		strv_add(&r->names, names->v[i]);
	}
	if (r)
		strv_sort_unique(&r->names);
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
	strv_free(&rec->arches);
	strv_free(&rec->names);
	strv_free(&rec->arg_names);
	strv_free(&rec->implicit_names);
	strv_free(&rec->runtime_names);
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
					strv_remove_at(&r->names, j);
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
	strv_add(&r->names, v->name);
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

/* SCMP_ACT_ERRNO: an input's own errno stays, also its absence when it
 * already denied with ERRNO (EPERM then, as engines read it); else ENOSYS. */
static void set_default_action(struct profile *p)
{
	bool was_errno = p->default_action && strcmp(p->default_action, "SCMP_ACT_ERRNO") == 0;

	free(p->default_action);
	p->default_action = xstrdup("SCMP_ACT_ERRNO");
	if (!was_errno && !PROFILE_HAS(p, PF_DEFAULT_ERRNO)) {
		p->present |= PF_DEFAULT_ERRNO;
		p->nulls &= ~(unsigned)PF_DEFAULT_ERRNO;
		p->default_errno_ret = PROFILE_DEFAULT_ERRNO;
	}
}

/* containers/common refuses a profile with both `architectures` and
 * `archMap`; an input archMap already says which ABIs to allow. */
static void add_arches(struct profile *p, const struct profile_recording *rec)
{
	size_t before = p->architectures.n;

	if (PROFILE_HAS(p, PF_ARCH_MAP))
		return;
	p->present |= PF_ARCHITECTURES;
	p->nulls &= ~(unsigned)PF_ARCHITECTURES;
	for (size_t i = 0; i < rec->arches.n; i++)
		if (!strv_contains(&p->architectures, rec->arches.v[i]))
			strv_add(&p->architectures, rec->arches.v[i]);
	/* Sorted once it changes, so that runs adding architectures in either
	 * order end with the same bytes. */
	if (p->architectures.n != before)
		strv_sort_unique(&p->architectures);
}

void profile_add_recording(struct profile *p, const struct profile_recording *rec)
{
	struct strv added = { 0 };
	struct profile_rule *r;

	set_default_action(p);
	add_arches(p, rec);
	if (rec->runtime_first)
		add_marked(p, &rec->runtime_names, PROFILE_RUNTIME_COMMENT);
	/* A name recorded without its values (no args: this time) is allowed
	 * outright, also over our argument rules of earlier runs, which it
	 * then replaces: they cannot say what this run passed. */
	for (size_t i = 0; i < rec->names.n; i++) {
		const char *name = rec->names.v[i];

		if (strv_contains(&rec->arg_names, name))
			continue;
		if (only_arg_rules(p, name))
			drop_arg_rules(p, name);
		if (!rec->runtime_first)
			take_from_added_rules(p, name);
		if (!profile_names_syscall(p, name))
			strv_add(&added, name);
	}
	for (size_t i = 0; i < rec->n_args; i++)
		if (arg_value_covered(p, &rec->args[i]) == 0)
			add_arg_rule(p, &rec->args[i]);
	sort_arg_rules(p);

	p->present |= PF_SYSCALLS;
	p->nulls &= ~(unsigned)PF_SYSCALLS;
	if (added.n > 0) {
		r = recorded_rule(p);
		for (size_t i = 0; i < added.n; i++)
			strv_add(&r->names, added.v[i]);
		strv_sort_unique(&r->names);
	}
	/* A marked rule from an earlier run is kept sorted as well, so the
	 * output depends only on the set of names. */
	for (size_t i = 0; i < p->n_rules; i++)
		if (is_recorded_rule(&p->rules[i]))
			strv_sort_unique(&p->rules[i].names);
	strv_free(&added);
	/* After the workload's own: what it made itself is listed as such. */
	add_marked(p, &rec->implicit_names, PROFILE_IMPLICIT_COMMENT);
	if (!rec->runtime_first)
		add_marked(p, &rec->runtime_names, PROFILE_RUNTIME_COMMENT);
	drop_empty_added_rules(p);
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void profile_bound_arg_rules(struct profile *p, size_t max, struct strv *widened)
{
	struct strv names = { 0 };
	struct profile_rule *r;

	for (size_t i = 0; i < p->n_rules; i++)
		if (is_recorded_arg_rule(&p->rules[i]))
			for (size_t j = 0; j < p->rules[i].names.n; j++)
				strv_add(&names, p->rules[i].names.v[j]);
	if (names.n > 0)
		qsort(names.v, names.n, sizeof(*names.v), cmp_cstr);
	for (size_t i = 0, run; i < names.n; i += run) {
		for (run = 1; i + run < names.n && strcmp(names.v[i], names.v[i + run]) == 0; run++)
			;
		if (run > max)
			strv_add(widened, names.v[i]);
	}
	for (size_t i = 0; i < widened->n; i++) {
		drop_arg_rules(p, widened->v[i]);
		r = recorded_rule(p);
		strv_add(&r->names, widened->v[i]);
		strv_sort_unique(&r->names);
	}
	strv_free(&names);
}
