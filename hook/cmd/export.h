/* SPDX-License-Identifier: Apache-2.0 */
/* `export --spo NAME PROFILE`: a profile as a Security Profiles Operator
 * SeccompProfile object on stdout. */
#ifndef EXPORT_H
#define EXPORT_H

/* The command, argp included: 0 on success, 2 on any error (said in one
 * line on stderr, with nothing on stdout). */
int export_main(int argc, char **argv);

#endif /* EXPORT_H */
