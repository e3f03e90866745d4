// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "cmd/status.h"
#include "trace/rundir.h"

#define STATUS_SUFFIX	".status"
#define STATUS_LINE_MAX 8192

/* The status line of `id`, if its tracer still holds its lock. */
static int print_one(int dirfd, const char *file)
{
	char id[256], buf[STATUS_LINE_MAX + 1];
	cleanup_close int fd = -1;
	size_t len = strlen(file) - strlen(STATUS_SUFFIX);
	ssize_t n;

	if (len == 0 || len >= sizeof(id))
		return 0;
	memcpy(id, file, len);
	id[len] = '\0';
	/* A tracer killed outright leaves its status behind: not active. */
	if (!rundir_tracer_active(dirfd, id))
		return 0;
	fd = openat(dirfd, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1; /* it ended meanwhile */
	n = read(fd, buf, STATUS_LINE_MAX);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	printf("%s\n", buf);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int status_run(bool header)
{
	cleanup_close int dirfd = -1;
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	DIR *dir;
	int ret = 0;

	if (header)
		printf("CONTAINER\tTRACER-PID\tSYSCALLS\tTRACING-SINCE\tLAST-CHECKPOINT\tOUTPUT\n");
	dirfd = open(RUNDIR_PATH, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dirfd < 0) {
		if (errno == ENOENT)
			return 0; /* nothing was ever traced since boot */
		fprintf(stderr, "seccomp-recorder: error: cannot open `%s`: %s\n", RUNDIR_PATH,
			strerror(errno));
		return 1;
	}
	dir = fdopendir(dup(dirfd));
	if (!dir) {
		fprintf(stderr, "seccomp-recorder: error: cannot list `%s`: %s\n", RUNDIR_PATH,
			strerror(errno));
		return 1;
	}
	while ((de = readdir(dir)) != NULL) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len <= strlen(STATUS_SUFFIX) ||
		    strcmp(de->d_name + len - strlen(STATUS_SUFFIX), STATUS_SUFFIX) != 0)
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(dir);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		if (ret == 0 && print_one(dirfd, names[i]) < 0) {
			fprintf(stderr, "seccomp-recorder: error: cannot read `%s/%s`: %s\n",
				RUNDIR_PATH, names[i], strerror(errno));
			ret = 1;
		}
		free(names[i]);
	}
	free(names);
	if (fflush(stdout) != 0)
		ret = 1;
	return ret;
}
