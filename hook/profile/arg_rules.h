/* SPDX-License-Identifier: Apache-2.0 */
/* The syscalls whose first argument can be recorded (annotation key args:)
 * and how a recorded value becomes a rule: one table for the annotation
 * parser and the tracer. Kinds are RECORDER_ARG_* (include/recorder.h). */
#ifndef ARG_RULES_H
#define ARG_RULES_H

/* The syscall of `kind`, or NULL. */
const char *arg_rule_name(unsigned kind);
/* Its comparison: SCMP_CMP_EQ, or SCMP_CMP_MASKED_EQ for clone's
 * namespace flags (mask RECORDER_CLONE_NS_FLAGS). */
const char *arg_rule_op(unsigned kind);
/* The kind of syscall `name`, or -1 if args: does not know it. */
int arg_rule_kind(const char *name);
/* "socket, socketpair, personality, clone", for messages. */
#define ARG_RULES_KNOWN "socket, socketpair, personality, clone"

#endif /* ARG_RULES_H */
