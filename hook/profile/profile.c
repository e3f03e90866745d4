// SPDX-License-Identifier: Apache-2.0
/* The profile model: freeing, copying, and what rules mean. Reading is in
 * profile_read.c, writing in profile_write.c. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "profile/profile.h"

/* ---- freeing ---- */

static void filter_free(struct profile_filter *f)
{
	strv_free(&f->caps);
	strv_free(&f->arches);
	free(f->min_kernel);
}

void profile_rule_free(struct profile_rule *r)
{
	strv_free(&r->names);
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
	strv_free(&p->architectures);
	for (size_t i = 0; i < p->n_arch_map; i++) {
		free(p->arch_map[i].architecture);
		strv_free(&p->arch_map[i].sub_arches);
	}
	free(p->arch_map);
	strv_free(&p->flags);
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
	return (r->name && strcmp(r->name, name) == 0) || strv_contains(&r->names, name);
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

bool profile_names_syscall(const struct profile *p, const char *name)
{
	for (size_t i = 0; i < p->n_rules; i++)
		if (profile_rule_names(&p->rules[i], name))
			return true;
	return false;
}
