// SPDX-License-Identifier: LGPL-2.1-or-later
/* main.c: the xencore command: dispatch to commands, messages, exit codes. */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
	"Usage: xencore COMMAND [OPTION]... DUMP\n"
	"Analyse crash dumps of Xen PV guests (ELF xc_core, from `xl dump-core`).\n"
	"\n"
	"Commands:\n"
	"  info [--json] DUMP          describe the dump, the guest and its p2m sources\n"
	"  p2m [--source=SRC] [--format=FMT] DUMP\n"
	"                              print the pfn -> mfn map; SRC is auto (default),\n"
	"                              linear, tree, dump, kernel or saved; FMT is pairs\n"
	"                              (default), runs or json\n"
	"  read [OPTION]... DUMP ADDR|SYMBOL[+OFF]\n"
	"                              read guest memory: kernel virtual (default),\n"
	"                              --phys or --machine; --format=hex|string|u8|u16|\n"
	"                              u32|u64|raw|json; -n LEN; --vmlinux F or\n"
	"                              --system-map F for symbols\n"
	"  vtop [OPTION]... DUMP VADDR  every page-table level of a translation\n"
	"  sym (--vmlinux F | --system-map F) DUMP NAME|ADDR\n"
	"                              a symbol's address or an address's symbol\n"
	"  check [--json] [--all] DUMP  compare every p2m source; exit 1 on findings\n"
	"  filter [OPTION]... -o OUT DUMP\n"
	"                              write a smaller dump (makedumpfile -d): kdump-\n"
	"                              compressed (default) or xc_core; -d LEVEL,\n"
	"                              --compress=zlib|lzo|snappy|zstd|none,\n"
	"                              --threads N, --verify; -o - streams the kdump\n"
	"                              file (makedumpfile's flattened format)\n"
	"  dmesg [--json] DUMP         the guest kernel's log (makedumpfile --dump-dmesg)\n"
	"  regs [--json] DUMP          every vcpu's registers\n"
	"  bt --scan (--vmlinux F | --system-map F) [--vcpu N] DUMP\n"
	"                              kernel text addresses on each vcpu's stack\n"
	"\n"
	"Options:\n"
	"  -h, --help                  show this help (or a command's: xencore CMD --help)\n"
	"  -V, --version               show the version\n"
	"\n"
	"DUMP may be - (standard input).  A kdump file in makedumpfile's flattened\n"
	"format (filter -o -, makedumpfile -F), a file or a pipe, is rebuilt first\n"
	"as makedumpfile -R would, into an unnamed file in $TMPDIR (or /var/tmp).\n"
	"\n"
	"Exit status: 0 success, 1 ran and found problems, 2 error.\n"
	"Diagnostics go to stderr as `xencore: FILE: message`.\n";

/*
 * Warnings are held until the command ends: printed then if it succeeded
 * (or found problems), dropped if it failed, so that a failure is the one
 * line that says why (a warning with the same cause, or an unrelated one,
 * would make two).  At most MAX_HELD are kept, then they are counted.
 */
#define MAX_HELD 1000
static char *held[MAX_HELD];
static size_t nr_held, nr_dropped;

static void release_warnings(bool print)
{
	fflush(stdout);
	for (size_t i = 0; i < nr_held; i++) {
		if (print)
			fputs(held[i], stderr);
		free(held[i]);
	}
	if (print && nr_dropped)
		fprintf(stderr, "xencore: warning: %zu more warnings\n", nr_dropped);
	nr_held = nr_dropped = 0;
}

void cli_message(const char *file, const char *fmt, ...)
{
	char *line = NULL, *text = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n >= 0 && asprintf(&line, "xencore: %s%s%s\n", file ? file : "", file ? ": " : "",
			       text) < 0)
		line = NULL;
	free(text);
	if (!line) {
		fputs("xencore: out of memory formatting a message\n", stderr);
		return;
	}
	if (!strncmp(fmt, "warning: ", 9)) {
		if (nr_held < MAX_HELD)
			held[nr_held++] = line;
		else {
			nr_dropped++;
			free(line);
		}
		return;
	}
	fflush(stdout);
	fputs(line, stderr);
	free(line);
}

int cli_fail(const char *file, struct xencore_error *err)
{
	cli_message(file, "%s", err->message);
	xencore_error_destroy(err);
	return EXIT_ERROR;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fputs("xencore: ", stderr);
	if (cmd)
		fprintf(stderr, "%s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'xencore %s%s--help' for more information.\n",
		cmd ? cmd : "", cmd ? " " : "");
	return EXIT_ERROR;
}

static void print_warning(void *arg, const char *message)
{
	cli_message(arg, "warning: %s", message);
}

const char *cli_dump_name(const char *arg)
{
	return strcmp(arg, "-") ? arg : "standard input";
}

struct xencore_dump *cli_open_dump(const char *path)
{
	struct xencore_dump *dump;
	const char *name = cli_dump_name(path);
	struct xencore_error *err =
		xencore_dump_open(path, print_warning, (void *)name, &dump);
	if (err) {
		cli_fail(name, err);
		return NULL;
	}
	return dump;
}

int cli_finish_output(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_message(NULL, "cannot write output: %s", strerror(errno));
		return EXIT_ERROR;
	}
	return status;
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "bt", cmd_bt },
	{ "check", cmd_check },
	{ "dmesg", cmd_dmesg },
	{ "filter", cmd_filter },
	{ "info", cmd_info },
	{ "p2m", cmd_p2m },
	{ "read", cmd_read },
	{ "regs", cmd_regs },
	{ "sym", cmd_sym },
	{ "vtop", cmd_vtop },
};

int main(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(NULL, "no command given");
	/*
	 * A file size limit makes write() fail with EFBIG, an error with one
	 * line, rather than kill: filter's output, and the file a flattened
	 * input is rebuilt into, are written by every command.
	 */
	signal(SIGXFSZ, SIG_IGN);
	const char *arg = argv[1];
	if (!strcmp(arg, "-h") || !strcmp(arg, "--help") || !strcmp(arg, "help")) {
		fputs(usage_text, stdout);
		return cli_finish_output(EXIT_OK);
	}
	if (!strcmp(arg, "-V") || !strcmp(arg, "--version")) {
		printf("xencore %s\n", xencore_version());
		return cli_finish_output(EXIT_OK);
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(arg, commands[i].name))
			continue;
		int status = commands[i].run(argc - 1, argv + 1);
		release_warnings(status != EXIT_ERROR);
		return status;
	}
	if (arg[0] == '-')
		return cli_usage_error(NULL, "unknown option '%s'", arg);
	return cli_usage_error(NULL, "unknown command '%s'", arg);
}
