// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "cleanup.h"
#include "profile/profile_compare.h"
#include <linux/types.h>

#include "profile/syscall_names.h"
#include "recorder.h"

void compare_host_detect(struct compare_host *h)
{
	static const struct {
		const char *scmp, *go;
	} go_names[] = {
		{ "SCMP_ARCH_X86_64", "amd64" },    { "SCMP_ARCH_X86", "386" },
		{ "SCMP_ARCH_AARCH64", "arm64" },   { "SCMP_ARCH_ARM", "arm" },
		{ "SCMP_ARCH_PPC64LE", "ppc64le" }, { "SCMP_ARCH_S390X", "s390x" },
		{ "SCMP_ARCH_RISCV64", "riscv64" }, { "SCMP_ARCH_MIPSEL64", "mips64le" },
	};
	struct utsname u;

	memset(h, 0, sizeof(*h));
	h->native_arch = syscall_slot_arch(RECORDER_ARCH_NATIVE);
	h->go_arch = "";
	for (size_t i = 0; i < sizeof(go_names) / sizeof(go_names[0]); i++)
		if (strcmp(h->native_arch, go_names[i].scmp) == 0)
			h->go_arch = go_names[i].go;
	if (uname(&u) == 0)
		sscanf(u.release, "%u.%u", &h->kernel_major, &h->kernel_minor);
}

enum applies { APPLIES_NO, APPLIES_MAYBE, APPLIES_YES };

/* The running kernel against a minKernel value. */
enum kernel_is { KERNEL_OLDER, KERNEL_SAME, KERNEL_NEWER, KERNEL_UNKNOWN /* not a version */ };

static enum kernel_is kernel_cmp(const struct compare_host *h, const char *v)
{
	unsigned maj, min;

	if (sscanf(v, "%u.%u", &maj, &min) != 2)
		return KERNEL_UNKNOWN;
	if (h->kernel_major != maj)
		return h->kernel_major < maj ? KERNEL_OLDER : KERNEL_NEWER;
	if (h->kernel_minor != min)
		return h->kernel_minor < min ? KERNEL_OLDER : KERNEL_NEWER;
	return KERNEL_SAME;
}

static enum applies includes_apply(const struct profile_filter *f, const struct compare_host *h)
{
	if (f->arches.n > 0 && !strv_contains(&f->arches, h->go_arch))
		return APPLIES_NO;
	if (profile_filter_min_kernel(f)) {
		enum kernel_is c = kernel_cmp(h, f->min_kernel);

		if (c == KERNEL_OLDER)
			return APPLIES_NO;
		if (c == KERNEL_UNKNOWN)
			return APPLIES_MAYBE;
	}
	return f->caps.n > 0 ? APPLIES_MAYBE : APPLIES_YES;
}

static enum applies excludes_apply(const struct profile_filter *f, const struct compare_host *h)
{
	if (f->arches.n > 0 && strv_contains(&f->arches, h->go_arch))
		return APPLIES_NO;
	if (profile_filter_min_kernel(f)) {
		enum kernel_is c = kernel_cmp(h, f->min_kernel);

		if (c == KERNEL_SAME || c == KERNEL_NEWER)
			return APPLIES_NO;
		if (c == KERNEL_UNKNOWN)
			return APPLIES_MAYBE;
	}
	return f->caps.n > 0 ? APPLIES_MAYBE : APPLIES_YES;
}

static enum applies rule_applies(const struct profile_rule *r, const struct compare_host *h)
{
	enum applies a = includes_apply(&r->includes, h);
	enum applies b = excludes_apply(&r->excludes, h);

	return a < b ? a : b;
}

/* Lists in sorted order: ["A","B"] and ["B","A"] are the same condition. */
static void set_key(FILE *f, const char *tag, const struct strv *sv)
{
	struct strv copy = { 0 };

	for (size_t i = 0; i < sv->n; i++)
		strv_add(&copy, sv->v[i]);
	strv_sort_unique(&copy);
	for (size_t i = 0; i < copy.n; i++)
		fprintf(f, " %s:%s", tag, copy.v[i]);
	strv_free(&copy);
}

static void filter_key(FILE *f, const char *tag, const struct profile_filter *flt)
{
	fprintf(f, "|%s", tag);
	set_key(f, "c", &flt->caps);
	set_key(f, "a", &flt->arches);
	if (profile_filter_min_kernel(flt))
		fprintf(f, " k:%s", flt->min_kernel);
}

/* The rule's conditions, normalised: absent, null and empty are alike. */
static char *condition_key(const struct profile_rule *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	for (size_t i = 0; i < r->n_args; i++) {
		const struct profile_arg *a = &r->args[i];

		fprintf(f, "%" PRIu64 ":%" PRIu64 ":%" PRIu64 ":%s;", a->index, a->value,
			(a->present & AF_VALUE_TWO) ? a->value_two : 0, a->op);
	}
	filter_key(f, "in", &r->includes);
	filter_key(f, "ex", &r->excludes);
	if (fclose(f) != 0)
		abort();
	return buf;
}

/* The engine adds rules in order; of two rules without argument conditions
 * for one syscall the first wins, and either overrides every rule with
 * argument conditions. True if a deny that surely applies here does that to
 * rule `idx` of `x` for `name`. */
static bool shadowed(const struct profile *x, size_t idx, const char *name,
		     const struct compare_host *h)
{
	bool plain = x->rules[idx].n_args == 0;

	for (size_t i = 0; i < x->n_rules; i++) {
		const struct profile_rule *r = &x->rules[i];

		if (plain && i >= idx)
			break;
		if (i != idx && profile_rule_names(r, name) && profile_action_denies(r->action) &&
		    r->n_args == 0 && rule_applies(r, h) == APPLIES_YES)
			return true;
	}
	return false;
}

/* BASE lets `name` run here whatever the arguments and capabilities. */
static bool surely_allows(const struct profile *b, const char *name, const struct compare_host *h)
{
	bool overridable = false;

	for (size_t i = 0; i < b->n_rules; i++) {
		const struct profile_rule *r = &b->rules[i];
		enum applies a;

		if (!profile_rule_names(r, name))
			continue;
		a = rule_applies(r, h);
		if (profile_action_allows(r->action)) {
			/* The first rule without argument conditions decides. */
			if (r->n_args == 0 && a == APPLIES_YES)
				return true;
		} else if (a != APPLIES_NO) {
			if (r->n_args == 0)
				return false; /* a deny that may come first */
			overridable = true;
		}
	}
	return profile_action_allows(b->default_action) && !overridable;
}

/* `x` has a rule for `name` under exactly the conditions of `r` that stops
 * it (want_deny), or that allows it or does the same as `r` (!want_deny). */
static bool same_rule(const struct profile *x, const char *name, const struct profile_rule *r,
		      bool want_deny, const struct compare_host *h)
{
	cleanup_free char *want = condition_key(r);

	for (size_t i = 0; i < x->n_rules; i++) {
		const struct profile_rule *xr = &x->rules[i];
		cleanup_free char *key = NULL;
		bool fits = want_deny ? profile_action_denies(xr->action)
				      : profile_action_allows(xr->action) ||
						strcmp(xr->action, r->action) == 0;

		if (!fits || !profile_rule_names(xr, name) ||
		    (!want_deny && shadowed(x, i, name, h)))
			continue;
		key = condition_key(xr);
		if (strcmp(key, want) == 0)
			return true;
	}
	return false;
}

/* PROFILE stops `name` here whatever the arguments and capabilities. */
static bool surely_denies(const struct profile *p, const char *name, const struct compare_host *h)
{
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];

		if (profile_rule_names(r, name) && profile_action_denies(r->action) &&
		    r->n_args == 0 && rule_applies(r, h) == APPLIES_YES)
			return true;
	}
	return false;
}

static void rule_excess(const struct profile *p, size_t idx, const struct profile *base,
			const struct compare_host *h, struct profile_excess *out)
{
	const struct profile_rule *r = &p->rules[idx];
	enum applies a = rule_applies(r, h);
	bool conditional = r->n_args > 0 || a == APPLIES_MAYBE;

	if (profile_action_denies(r->action) || a == APPLIES_NO)
		return;
	/* `names`, then `name`. */
	for (size_t i = 0; i <= r->names.n; i++) {
		const char *name = i < r->names.n ? r->names.v[i] : r->name;

		if (!name || shadowed(p, idx, name, h) || surely_allows(base, name, h) ||
		    same_rule(base, name, r, false, h))
			continue;
		strv_add(conditional ? &out->conditional : &out->syscalls, name);
	}
}

static void effective_arches(const struct profile *p, const struct compare_host *h,
			     struct strv *out)
{
	strv_add(out, h->native_arch);
	for (size_t i = 0; i < p->architectures.n; i++)
		strv_add(out, p->architectures.v[i]);
	for (size_t i = 0; i < p->n_arch_map; i++) {
		const struct profile_arch_map *m = &p->arch_map[i];

		if (strcmp(m->architecture, h->native_arch) != 0)
			continue;
		for (size_t j = 0; j < m->sub_arches.n; j++)
			strv_add(out, m->sub_arches.v[j]);
	}
	strv_sort_unique(out);
}

void profile_excess(const struct profile *p, const struct profile *base,
		    const struct compare_host *h, struct profile_excess *out)
{
	struct strv pa = { 0 }, ba = { 0 };

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < p->n_rules; i++)
		rule_excess(p, i, base, h, out);

	if (!profile_action_denies(p->default_action)) {
		if (!profile_action_allows(base->default_action)) {
			out->default_action = p->default_action;
		} else {
			/* Both let unnamed syscalls run: what BASE stops, PROFILE
			 * must stop too. */
			for (size_t i = 0; i < base->n_rules; i++) {
				const struct profile_rule *r = &base->rules[i];

				if (profile_action_allows(r->action) ||
				    rule_applies(r, h) == APPLIES_NO)
					continue;
				/* `names`, then `name`. */
				for (size_t j = 0; j <= r->names.n; j++) {
					const char *name = j < r->names.n ? r->names.v[j] : r->name;

					if (name && !surely_denies(p, name, h) &&
					    !same_rule(p, name, r, true, h))
						strv_add(&out->syscalls, name);
				}
			}
		}
	}
	strv_sort_unique(&out->syscalls);
	strv_sort_unique(&out->conditional);
	/* Allowed outright beats allowed under conditions. */
	for (size_t i = 0; i < out->conditional.n;) {
		if (strv_contains(&out->syscalls, out->conditional.v[i]))
			strv_remove_at(&out->conditional, i);
		else
			i++;
	}

	effective_arches(p, h, &pa);
	effective_arches(base, h, &ba);
	for (size_t i = 0; i < pa.n; i++)
		if (!strv_contains(&ba, pa.v[i]))
			strv_add(&out->arches, pa.v[i]);
	strv_free(&pa);
	strv_free(&ba);
}

enum profile_verdict profile_judge(const struct profile *p, const char *arch, const char *name,
				   const struct compare_host *h)
{
	struct strv arches = { 0 };
	bool arch_ok;

	effective_arches(p, h, &arches);
	arch_ok = strv_contains(&arches, arch);
	strv_free(&arches);
	if (!arch_ok)
		return PROFILE_DENIES;
	if (surely_allows(p, name, h))
		return PROFILE_ALLOWS;
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];

		if (profile_rule_names(r, name) && !profile_action_denies(r->action) &&
		    rule_applies(r, h) != APPLIES_NO && !shadowed(p, i, name, h))
			return PROFILE_ALLOWS_IF;
	}
	if (!profile_action_denies(p->default_action) && !surely_denies(p, name, h))
		return PROFILE_ALLOWS_IF;
	return PROFILE_DENIES;
}

bool profile_excess_empty(const struct profile_excess *e)
{
	return e->syscalls.n == 0 && e->conditional.n == 0 && e->arches.n == 0 &&
	       !e->default_action;
}

void profile_excess_free(struct profile_excess *e)
{
	strv_free(&e->syscalls);
	strv_free(&e->conditional);
	strv_free(&e->arches);
	e->default_action = NULL;
}
