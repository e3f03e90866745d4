/* SPDX-License-Identifier: Apache-2.0 */
/* An OCI runtime wrapping runc or crun, for engines that read no hooks.d
 * (Docker, containerd): on create/run of a container that asks to be traced
 * it adds our prestart and poststop hooks to the bundle's config.json; then,
 * for every subcommand, it execs the real runtime with the arguments as
 * they came. */
#ifndef RUNTIME_H
#define RUNTIME_H

/* Link names that mean `runtime --runtime NAME` (for engines that take a
 * binary path only): seccomp-recorder-runc, seccomp-recorder-crun. */
#define RUNTIME_LINK_PREFIX "seccomp-recorder-"

/* `seccomp-recorder runtime [OPTION]... [--] RUNTIME-ARGS...`: argv[0] is
 * the command's name. Returns only on failure, with the exit status. */
int runtime_main(int argc, char **argv);

/* The same, called as link RUNTIME_LINK_PREFIX `runtime`: every argument is
 * the runtime's. */
int runtime_link_main(const char *runtime, int argc, char **argv);

#endif /* RUNTIME_H */
