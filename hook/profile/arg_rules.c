// SPDX-License-Identifier: Apache-2.0
#include <string.h>
#include <linux/types.h>

#include "profile/arg_rules.h"
#include "recorder.h"

static const struct {
	const char *name;
	const char *op;
} kinds[RECORDER_NR_ARG_KINDS] = {
	[RECORDER_ARG_SOCKET] = { "socket", "SCMP_CMP_EQ" },
	[RECORDER_ARG_SOCKETPAIR] = { "socketpair", "SCMP_CMP_EQ" },
	[RECORDER_ARG_PERSONALITY] = { "personality", "SCMP_CMP_EQ" },
	[RECORDER_ARG_CLONE] = { "clone", "SCMP_CMP_MASKED_EQ" },
};

const char *arg_rule_name(unsigned kind)
{
	return kind < RECORDER_NR_ARG_KINDS ? kinds[kind].name : NULL;
}

const char *arg_rule_op(unsigned kind)
{
	return kind < RECORDER_NR_ARG_KINDS ? kinds[kind].op : NULL;
}

int arg_rule_kind(const char *name)
{
	for (unsigned k = 0; k < RECORDER_NR_ARG_KINDS; k++)
		if (strcmp(name, kinds[k].name) == 0)
			return (int)k;
	return -1;
}
