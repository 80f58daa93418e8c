// SPDX-License-Identifier: LGPL-2.1-or-later
/* options.c: the option loop every command shares (getopt_long, GNU style). */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "kernel.h"

int cli_getopt(struct cli_opts *o, int *status)
{
	/* A leading ':' makes getopt say ':' for a missing value, '?' else. */
	char shortopts[32];
	snprintf(shortopts, sizeof(shortopts), ":h%s", o->shortopts ? o->shortopts : "");
	opterr = 0;
	for (;;) {
		int c = getopt_long(o->argc, o->argv, shortopts, o->longopts, NULL);
		if (c == -1)
			return 0;
		if (o->kernel) {
			int k = kernel_option(o->cmd, c, optarg, o->kernel);
			if (k < 0) {
				*status = EXIT_ERROR;
				return -1;
			}
			if (k)
				continue;
		}
		switch (c) {
		case 'h':
			fputs(o->usage, stdout);
			*status = cli_finish_output(EXIT_OK);
			return -1;
		case ':':
			*status = cli_usage_error(o->cmd, "option '%s' needs a value",
						  o->argv[optind - 1]);
			return -1;
		case '?':
			*status = cli_usage_error(o->cmd, "unknown option '%s'",
						  o->argv[optind - 1]);
			return -1;
		default:
			return c;
		}
	}
}
