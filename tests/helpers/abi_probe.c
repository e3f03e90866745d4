// SPDX-License-Identifier: Apache-2.0
/* abi_probe: makes one syscall through each x86 ABI (native, i386 via
 * int $0x80, x32 via the marker bit) and prints what each returned, so a
 * test can check that all three are recorded under their architectures and
 * allowed again under the profile. Built static: the test rootfs has no libc. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
static long i386_syscall0(long nr)
{
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr) : "memory");
	return ret;
}

/* Some machines (PVM guests among them) fault on int $0x80 instead of
 * running it: report that rather than crash. */
static sigjmp_buf no_i386;
#define I386_UNAVAILABLE (-100000L)

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(no_i386, 1);
}

static long i386_try(long nr)
{
	struct sigaction sa = { .sa_handler = on_segv }, old;
	long ret = I386_UNAVAILABLE;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, &old);
	if (sigsetjmp(no_i386, 1) == 0)
		ret = i386_syscall0(nr);
	sigaction(SIGSEGV, &old, NULL);
	return ret;
}

static const char *i386_result(long ret, bool ok)
{
	return ret == I386_UNAVAILABLE ? "unavailable" : ok ? "ok" : "failed";
}

static long raw_syscall0(long nr)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr) : "rcx", "r11", "memory");
	return ret;
}
#endif

int main(void)
{
#if defined(__x86_64__)
	/* getpid: 39 on x86_64, 20 on i386, 39 with the x32 bit on x32. x32
	 * may be compiled out of the kernel (then -ENOSYS), but the syscall
	 * still enters and is recorded. Then sync, through i386 only (36). */
	long native = raw_syscall0(39);
	long i386 = i386_try(20);
	long x32 = raw_syscall0(0x40000000L | 39);
	long i386_sync = i386_try(36);

	printf("native %s i386 %s x32 %s i386-sync %s\n", native > 0 ? "ok" : "failed",
	       i386_result(i386, i386 > 0),
	       x32 > 0	    ? "ok"
	       : x32 == -38 ? "enosys"
			    : "failed",
	       i386_result(i386_sync, i386_sync == 0));
	if (i386 == I386_UNAVAILABLE)
		return native > 0 ? 0 : 1;
	return native > 0 && i386 > 0 && i386_sync == 0 ? 0 : 1;
#else
	puts("not x86_64");
	return 0;
#endif
}
