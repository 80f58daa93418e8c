// SPDX-License-Identifier: LGPL-2.1-or-later
/* cmd-p2m.c: `xencore p2m`: print the guest's pfn -> mfn map. */
#include <config.h>

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "kernel.h"

static const char p2m_usage[] =
	"Usage: xencore p2m [--source=SRC] [--format=FMT] [--vmlinux F |\n"
	"                   --system-map F] DUMP\n"
	"Print the guest's pfn -> mfn map for pfns 0 .. max_pfn-1.\n"
	"\n"
	"  --source=SRC  where the map comes from:\n"
	"                  auto    the best the dump has: the linear list, else the\n"
	"                          3-level tree, else the dump's table (default;\n"
	"                          `xencore info` says which and why)\n"
	"                  linear  the guest's linear p2m list, walked through the\n"
	"                          dumped page tables from p2m_cr3\n"
	"                  tree    the guest's 3-level frame list (frame_list_list)\n"
	"                  dump    the table the toolstack wrote (.xen_p2m)\n"
	"                  kernel  the list at the kernel's xen_p2m_addr, read through\n"
	"                          vcpu0's page tables (needs --vmlinux or\n"
	"                          --system-map; --vcpu, --cr3, --kernel-root as read)\n"
	"                  saved   the p2m `xencore filter` saved in a kdump file\n"
	"  --format=FMT  pairs  one line per pfn: `0xPFN 0xMFN`, `0xPFN invalid`,\n"
	"                       `0xPFN unknown`, `0xPFN identity` or\n"
	"                       `0xPFN foreign 0xMFN` (default)\n"
	"                runs   one line per run: `0xPFN 0xMFN COUNT`,\n"
	"                       `0xPFN invalid COUNT`, `0xPFN unknown COUNT`,\n"
	"                       `0xPFN identity COUNT` or `0xPFN foreign 0xMFN COUNT`\n"
	"                json   one JSON object with the runs\n"
	"  -h, --help    show this help\n"
	"\n"
	"`unknown` marks pfns whose p2m page or page table is not in the dump,\n"
	"or whose entry names a machine frame past 2^40 (x86-64 Xen's limit);\n"
	"a warning on stderr names them.\n";

/* "0x" and lower-case hex digits of v; returns the length written. */
static size_t put_hex(char *p, uint64_t v)
{
	char tmp[16];
	size_t n = 0;
	do {
		tmp[n++] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	p[0] = '0';
	p[1] = 'x';
	for (size_t i = 0; i < n; i++)
		p[2 + i] = tmp[n - 1 - i];
	return n + 2;
}

/*
 * One line per pfn: a terabyte guest prints 2^28 lines, so format by hand
 * into a large buffer rather than through printf.
 */
static void print_pairs(const struct xencore_p2m_run *runs, size_t nr)
{
	static char buf[1 << 16];
	size_t used = 0;
	for (size_t r = 0; r < nr; r++) {
		const struct xencore_p2m_run *run = &runs[r];
		const char *word = xencore_run_kind_name(run->kind);
		size_t wlen = strlen(word);
		bool has_mfn = run->kind == XENCORE_RUN_MAPPED ||
			       run->kind == XENCORE_RUN_FOREIGN;
		for (uint64_t i = 0; i < run->count; i++) {
			if (used > sizeof(buf) - 64) {
				fwrite(buf, 1, used, stdout);
				used = 0;
			}
			used += put_hex(buf + used, run->pfn + i);
			buf[used++] = ' ';
			if (run->kind != XENCORE_RUN_MAPPED) {
				memcpy(buf + used, word, wlen);
				used += wlen;
				if (has_mfn)
					buf[used++] = ' ';
			}
			if (has_mfn)
				used += put_hex(buf + used, run->mfn + i);
			buf[used++] = '\n';
		}
	}
	fwrite(buf, 1, used, stdout);
}

static void print_runs(const struct xencore_p2m_run *runs, size_t nr)
{
	for (size_t r = 0; r < nr; r++) {
		const struct xencore_p2m_run *run = &runs[r];
		if (run->kind == XENCORE_RUN_MAPPED)
			printf("0x%" PRIx64 " 0x%" PRIx64 " %" PRIu64 "\n",
			       run->pfn, run->mfn, run->count);
		else if (run->kind == XENCORE_RUN_FOREIGN)
			printf("0x%" PRIx64 " foreign 0x%" PRIx64 " %" PRIu64 "\n",
			       run->pfn, run->mfn, run->count);
		else
			printf("0x%" PRIx64 " %s %" PRIu64 "\n", run->pfn,
			       xencore_run_kind_name(run->kind), run->count);
	}
}

static void print_json(const struct xencore_p2m *p2m,
		       const struct xencore_p2m_run *runs, size_t nr)
{
	struct json j;
	json_init(&j, stdout, false);
	json_object_begin(&j);
	json_key(&j, "source");
	json_string(&j, xencore_p2m_source_name(xencore_p2m_get_source(p2m)));
	json_key(&j, "max_pfn");
	json_hex(&j, xencore_p2m_max_pfn(p2m));
	json_key(&j, "nr_runs");
	json_uint(&j, nr);
	json_key(&j, "runs");
	json_array_begin(&j);
	for (size_t r = 0; r < nr; r++) {
		json_object_begin(&j);
		json_key(&j, "pfn");
		json_hex(&j, runs[r].pfn);
		json_key(&j, "count");
		json_uint(&j, runs[r].count);
		json_key(&j, "kind");
		json_string(&j, xencore_run_kind_name(runs[r].kind));
		if (runs[r].kind == XENCORE_RUN_MAPPED ||
		    runs[r].kind == XENCORE_RUN_FOREIGN) {
			json_key(&j, "mfn");
			json_hex(&j, runs[r].mfn);
		}
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_finish(&j);
}

int cmd_p2m(int argc, char **argv)
{
	static const struct option opts[] = {
		KERNEL_LONG_OPTIONS,
		ROOT_LONG_OPTIONS,
		{ "source", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum xencore_p2m_source source = XENCORE_P2M_AUTO;
	enum { PAIRS, RUNS, JSON } format = PAIRS;
	struct kernel_opts o = { 0 };
	struct cli_opts co = { "p2m", p2m_usage, opts, NULL, &o, argc, argv };
	int c, status;
	while ((c = cli_getopt(&co, &status)) > 0) {
		switch (c) {
		case 's':
			if (!xencore_p2m_source_from_name(optarg, &source))
				return cli_usage_error("p2m", "unknown source '%s' (auto, linear, tree, dump, kernel or saved)", optarg);
			break;
		case 'f':
			if (!strcmp(optarg, "pairs"))
				format = PAIRS;
			else if (!strcmp(optarg, "runs"))
				format = RUNS;
			else if (!strcmp(optarg, "json"))
				format = JSON;
			else
				return cli_usage_error("p2m", "unknown format '%s' (pairs, runs or json)", optarg);
			break;
		}
	}
	if (c < 0)
		return status;
	if (argc - optind != 1)
		return cli_usage_error("p2m", "expected one DUMP argument");
	const char *path = cli_dump_name(argv[optind]);

	if (source == XENCORE_P2M_KERNEL && !o.vmlinux && !o.system_map)
		return cli_usage_error("p2m", "--source=kernel needs --vmlinux or --system-map");
	struct kernel k;
	int rc = kernel_open(&k, argv[optind], &o);
	if (rc)
		return rc;
	struct xencore_p2m *p2m;
	const char *why;
	if (source == XENCORE_P2M_AUTO && kernel_auto_source(&k, &why) == XENCORE_P2M_KERNEL)
		source = XENCORE_P2M_KERNEL;
	/* The kernel's list is read through the page tables: a root that fails is its error. */
	if (source == XENCORE_P2M_KERNEL && (rc = kernel_open_as(&k, &o, false))) {
		kernel_close(&k);
		return rc;
	}
	struct xencore_error *err = xencore_session_create_p2m(k.session, source, &p2m);
	if (err) {
		kernel_close(&k);
		return cli_fail(path, err);
	}
	size_t nr;
	const struct xencore_p2m_run *runs = xencore_p2m_runs(p2m, &nr);
	if (format == PAIRS)
		print_pairs(runs, nr);
	else if (format == RUNS)
		print_runs(runs, nr);
	else
		print_json(p2m, runs, nr);
	xencore_p2m_destroy(p2m);
	kernel_close(&k);
	return cli_finish_output(EXIT_OK);
}
