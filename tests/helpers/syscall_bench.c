// SPDX-License-Identifier: Apache-2.0
/* syscall_bench NR COUNT [ROUNDS]: makes syscall NR (no arguments) COUNT
 * times per round and prints the fastest round's nanoseconds per call (the
 * least disturbed by the rest of the machine). Built static: it also runs
 * inside the busybox rootfs. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long nr, count, rounds = 3;
	double best = 0;

	if (argc < 3 || (nr = atol(argv[1])) < 0 || (count = atol(argv[2])) <= 0 ||
	    (argc > 3 && (rounds = atol(argv[3])) <= 0)) {
		fprintf(stderr, "usage: syscall_bench NR COUNT [ROUNDS]\n");
		return 2;
	}
	for (long r = 0; r < rounds; r++) {
		struct timespec a, b;
		double ns;

		clock_gettime(CLOCK_MONOTONIC, &a);
		for (long i = 0; i < count; i++)
			syscall(nr, 0, 0, 0);
		clock_gettime(CLOCK_MONOTONIC, &b);
		ns = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / (double)count;
		if (r == 0 || ns < best)
			best = ns;
	}
	printf("%.1f\n", best);
	return 0;
}
