/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cli.h: what the command files share: exit codes, messages, opening dumps. */
#ifndef XENCORE_CLI_H
#define XENCORE_CLI_H

#include <stdio.h>

#include "xencore.h"

/* man/xencore.1, EXIT STATUS. */
enum {
	EXIT_OK = 0,
	EXIT_PROBLEMS = 1,	/* ran, and found problems */
	EXIT_ERROR = 2,		/* could not do the job: bad input or usage */
};

/* "xencore: <file>: <message>" on stderr. */
void cli_message(const char *file, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prints err for file, releases it, returns EXIT_ERROR. */
int cli_fail(const char *file, struct xencore_error *err);
/* A usage error for command cmd: message, hint, EXIT_ERROR. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Opens path with warnings printed to stderr; on failure prints and returns NULL. */
struct xencore_dump *cli_open_dump(const char *path);

/* The name messages give a DUMP argument: "standard input" for "-". */
const char *cli_dump_name(const char *arg);

struct option;
struct kernel_opts;

/* A command's options: its own, plus the shared kernel ones when kernel != NULL. */
struct cli_opts {
	const char *cmd;
	const char *usage;		/* printed by -h/--help */
	const struct option *longopts;	/* must include "help" -> 'h' */
	const char *shortopts;		/* beyond "h", e.g. "n:" */
	struct kernel_opts *kernel;
	int argc;
	char **argv;
};

/*
 * The next option for the command to handle (> 0), 0 when the options end
 * (optind is then the first operand), or -1 when the command is to return
 * *status: after --help, a usage error or a bad shared option.
 */
int cli_getopt(struct cli_opts *o, int *status);

/* Flushes stdout; reports a write error as EXIT_ERROR. */
int cli_finish_output(int status);

int cmd_bt(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_dmesg(int argc, char **argv);
int cmd_filter(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_p2m(int argc, char **argv);
int cmd_read(int argc, char **argv);
int cmd_regs(int argc, char **argv);
int cmd_sym(int argc, char **argv);
int cmd_vtop(int argc, char **argv);

#endif /* XENCORE_CLI_H */
