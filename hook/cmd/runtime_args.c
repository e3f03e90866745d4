// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <string.h>

#include "cmd/runtime_args.h"

/* runc's and crun's global options that take a value (runc 1.1-1.4, crun
 * 1.8-1.27); the others are flags. Both accept -opt as --opt. */
static const char *const global_valued[] = {
	"root", "log", "log-format", "log-level", "criu", "rootless", "cgroup-manager",
};
/* create's and run's options that take a value. */
static const char *const create_valued[] = {
	"bundle", "b", "console-socket", "pid-file", "preserve-fds", "config", "f",
};

/* The option's name without dashes and value, in `name` (truncated). */
static const char *option_name(const char *arg, char *name, size_t size, const char **inline_value)
{
	const char *p = arg + (arg[1] == '-' ? 2 : 1);
	size_t n = strcspn(p, "=");

	*inline_value = p[n] == '=' ? p + n + 1 : NULL;
	if (n >= size)
		n = size - 1;
	memcpy(name, p, n);
	name[n] = '\0';
	return name;
}

static bool in_list(const char *name, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return true;
	return false;
}

#define IN(name, list) in_list(name, list, sizeof(list) / sizeof(list[0]))

/* An option at argv[*i]: its value (inline or the next argument, which is
 * then consumed) if it takes one, else NULL. */
static const char *option_value(int argc, char *const argv[], int *i,
				const char *inline_value, bool valued)
{
	if (!valued)
		return NULL;
	if (inline_value)
		return inline_value;
	if (*i + 1 < argc)
		return argv[++*i];
	return NULL;
}

static void parse_global(const char *name, const char *value, struct runtime_args *out)
{
	if (!value)
		return;
	if (strcmp(name, "log") == 0)
		out->log = value;
	else if (strcmp(name, "log-format") == 0)
		out->log_json = strcmp(value, "json") == 0;
}

static void parse_create(const char *name, const char *value, struct runtime_args *out)
{
	if (!value)
		return;
	if (strcmp(name, "bundle") == 0 || strcmp(name, "b") == 0)
		out->bundle = value;
	else if (strcmp(name, "config") == 0 || strcmp(name, "f") == 0)
		out->config = value;
}

void runtime_args_parse(int argc, char *const argv[], struct runtime_args *out)
{
	bool creates = false, options_done = false;
	char name[32];
	int i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < argc; i++) {
		const char *arg = argv[i], *inline_value, *value;

		if (!options_done && strcmp(arg, "--") == 0 && out->command) {
			options_done = true;
			continue;
		}
		if (options_done || arg[0] != '-' || arg[1] == '\0') {
			if (!out->command) {
				out->command = arg;
				creates = runtime_args_creates(out);
			} else if (creates && !out->id) {
				out->id = arg;
			}
			continue;
		}
		option_name(arg, name, sizeof(name), &inline_value);
		if (!out->command) {
			value = option_value(argc, argv, &i, inline_value,
					     IN(name, global_valued));
			parse_global(name, value, out);
		} else if (creates) {
			value = option_value(argc, argv, &i, inline_value,
					     IN(name, create_valued));
			parse_create(name, value, out);
		}
	}
}

bool runtime_args_creates(const struct runtime_args *a)
{
	return a->command && (strcmp(a->command, "create") == 0 || strcmp(a->command, "run") == 0);
}
