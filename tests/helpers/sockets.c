// SPDX-License-Identifier: Apache-2.0
/* sockets WHAT...: for each WHAT (unix, inet, inet6, packet, pair-unix,
 * persona), makes that call once and prints "WHAT ok" or "WHAT ERRNO-NAME".
 * Exits 1 if any failed. `domains:N@START` calls socket() with each domain
 * from START to START+N-1 (none exists past 45: they fail) and prints
 * "domains ok". Static, to run in the busybox rootfs: the workload
 * of the argument-rule tests (args:). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef AF_PACKET
#define AF_PACKET 17
#endif

static int try(const char *what)
{
	int fds[2], fd = -1, n, start;

	if (sscanf(what, "domains:%d@%d", &n, &start) == 2) {
		for (int d = start; d < start + n; d++)
			socket(d, SOCK_DGRAM, 0);
		printf("domains ok\n");
		return 0;
	}

	if (strcmp(what, "unix") == 0)
		fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	else if (strcmp(what, "inet") == 0)
		fd = socket(AF_INET, SOCK_DGRAM, 0);
	else if (strcmp(what, "inet6") == 0)
		fd = socket(AF_INET6, SOCK_DGRAM, 0);
	else if (strcmp(what, "packet") == 0)
		fd = socket(AF_PACKET, SOCK_DGRAM, 0);
	else if (strcmp(what, "pair-unix") == 0)
		fd = socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0 ? fds[0] : -1;
	else if (strcmp(what, "persona") == 0)
		fd = personality(0xffffffff) == -1 ? -1 : 0;
	else {
		fprintf(stderr, "sockets: unknown call `%s`\n", what);
		return -1;
	}
	if (fd < 0) {
		printf("%s %s\n", what, strerrorname_np(errno));
		return -1;
	}
	printf("%s ok\n", what);
	return 0;
}

int main(int argc, char **argv)
{
	int failed = 0;

	for (int i = 1; i < argc; i++)
		failed |= try(argv[i]) < 0;
	return failed;
}
