// SPDX-License-Identifier: LGPL-2.1-or-later
/* cmd-filter.c: `xencore filter`: a smaller dump, makedumpfile style. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"
#include "kernel.h"

/* --compress's names, by enum xencore_compression. */
static const char *const compression_names[] = {
	[XENCORE_COMPRESS_ZLIB] = "zlib",
	[XENCORE_COMPRESS_NONE] = "none",
	[XENCORE_COMPRESS_LZO] = "lzo",
	[XENCORE_COMPRESS_SNAPPY] = "snappy",
	[XENCORE_COMPRESS_ZSTD] = "zstd",
};
#define NR_COMPRESSION (sizeof(compression_names) / sizeof(compression_names[0]))

static const char filter_usage[] =
	"Usage: xencore filter [-d LEVEL] [--output-format=kdump|elf|xc_core]\n"
	"                      [--raw-pagetables] [--compress=ALG] [--compress-level N]\n"
	"                      [--threads N]\n"
	"                      [--progress | --no-progress] [--json] [--verify]\n"
	"                      [--vmlinux F | --system-map F] [--vmcoreinfo F]\n"
	"                      -o OUT DUMP\n"
	"Write a smaller copy of DUMP to OUT, like makedumpfile.\n"
	"\n"
	"  -d LEVEL             pages to leave out, makedumpfile's bits, added up:\n"
	"                       1 zero pages, 2 page cache without private data,\n"
	"                       4 all page cache, 8 user pages (anonymous, hugetlb),\n"
	"                       16 free pages (default 0: every page).  2 to 16 read\n"
	"                       the guest kernel's VMCOREINFO and struct pages: they\n"
	"                       need --vmlinux or --system-map (or --vmcoreinfo);\n"
	"                       with those, poisoned and offline pages are left out\n"
	"                       at every level, as makedumpfile does\n"
	"  --output-format=FMT  kdump    kdump-compressed, as makedumpfile -c writes it\n"
	"                                (default)\n"
	"                       elf      an ELF core like /proc/vmcore (p_paddr the\n"
	"                                pfn's address, p_vaddr the direct map's)\n"
	"                       xc_core  ELF xc_core as `xl dump-core` writes it, the\n"
	"                                left-out pages removed, the guest's bytes as\n"
	"                                dumped\n"
	"                       kdump and elf are native Linux vmcores that drgn,\n"
	"                       crash and makedumpfile read: the guest's page\n"
	"                       tables rewritten to pseudo-physical frames (from\n"
	"                       every vcpu's cr3, p2m_cr3, the kernel's root and,\n"
	"                       with symbols, each pgd on pgd_list; entries naming\n"
	"                       no frame of the guest cleared and recorded), the\n"
	"                       kernel's VMCOREINFO (from --vmcoreinfo, the kernel's\n"
	"                       memory with symbols, or a scan of the pages),\n"
	"                       NT_PRSTATUS for every vcpu, the kernel's utsname;\n"
	"                       xencore reads them back with its Xen notes\n"
	"  --raw-pagetables     kdump only: the guest's page tables as dumped\n"
	"                       (machine frames), no VMCOREINFO or NT_PRSTATUS\n"
	"  --compress=ALG       kdump output only: each page compressed on its own,\n"
	"                       as makedumpfile does: zlib (default, -c), lzo (-l),\n"
	"                       snappy (-p), zstd (-z) or none\n"
	"  --compress-level N   zlib 1-9, zstd 1-19 (default 1, makedumpfile's);\n"
	"                       lzo and snappy have no levels\n"
	"  --threads N          compression threads (default: the online CPUs)\n"
	"  --progress           show progress on stderr (default when it is a terminal)\n"
	"  --no-progress        never show progress\n"
	"  --json               print a summary as JSON\n"
	"  --verify             re-read OUT and compare every page with DUMP\n"
	"  -o OUT               the output file: a new name or a regular file,\n"
	"                       replaced through a temporary file beside it,\n"
	"                       unnamed (O_TMPFILE) where the filesystem can (a\n"
	"                       symbolic link: the file it leads to); never the\n"
	"                       input, a device, FIFO or directory\n"
	"  -o -                 kdump output only: write makedumpfile's flattened\n"
	"                       format to standard output (not a terminal), which\n"
	"                       `makedumpfile -R OUT` turns into the kdump file\n"
	"                       (and xencore reads: DUMP may be such a stream, or\n"
	"                       - for one on standard input); the summary goes to\n"
	"                       stderr; not with --verify\n"
	"  --vmlinux F, --system-map F\n"
	"                       the guest kernel's symbols: needed for a legacy\n"
	"                       xc_core dump, whose pages have no pfns otherwise,\n"
	"                       and for levels 2 to 16 (vmcoreinfo_data, vmemmap_base)\n"
	"  --vmcoreinfo F       the kernel's VMCOREINFO text from a file (as\n"
	"                       makedumpfile -g writes it) instead of its memory\n"
	"  --vcpu N, --cr3 V, --kernel-root\n"
	"                       page-table root for the kernel's memory (default:\n"
	"                       vcpu 0's cr3)\n"
	"  -h, --help           show this help\n"
	"\n"
	"A kdump or ELF output carries the dump's Xen notes, vcpu contexts,\n"
	"shared_info, its pfn -> mfn table and the p2m xencore rebuilt (`p2m\n"
	"--source=saved`); a native export filtered to xc_core (or with\n"
	"--raw-pagetables) gets its page tables back as the guest had them.\n"
	"A kdump file filtered again to kdump keeps its first bitmap and records\n"
	"the level asked for ORed with its own, as makedumpfile does.\n"	"A damaged dump (cut short) gives an output of the pages it holds, which\n"
	"records what was lacking; the exit status is then 1.  Exit status 2: no\n"
	"output (the summary is written before OUT is put in place).\n";

enum {
	OPT_FORMAT = 0x200,
	OPT_COMPRESS,
	OPT_COMPRESS_LEVEL,
	OPT_THREADS,
	OPT_PROGRESS,
	OPT_NO_PROGRESS,
	OPT_JSON,
	OPT_VERIFY,
	OPT_RAW_PAGETABLES,
};

static volatile int cancelled;

static void on_signal(int sig)
{
	(void)sig;
	cancelled = 1;
}

/* SIGINT and friends stop the run cleanly (main() ignores SIGXFSZ). */
static void install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct progress {
	double last;
	bool shown;
};

/*
 * Starts a progress line "\rWHAT: [ 42.3 %]" (makedumpfile's) if one is
 * due: at most four times a second, and always the last.
 */
static bool progress_line(struct progress *p, const char *what, uint64_t done, uint64_t total)
{
	double t = now();
	if (done < total && t - p->last < 0.25)
		return false;
	p->last = t;
	p->shown = true;
	fprintf(stderr, "\r%s: [%5.1f %%]", what,
		total ? 100.0 * (double)done / (double)total : 100.0);
	return true;
}

static void progress_end(uint64_t done, uint64_t total)
{
	if (done >= total)
		fputc('\n', stderr);
	fflush(stderr);
}

static void show_progress(void *arg, uint64_t done, uint64_t total)
{
	if (progress_line(arg, "Copying data", done, total))
		progress_end(done, total);
}

/*
 * The p2m to save in a kdump or ELF file, to name a legacy dump's pages
 * and to rewrite a native export's page tables (needed then).
 */
static int filter_p2m(struct kernel *k, const struct kernel_opts *o, bool needed, bool native,
		      struct xencore_p2m **ret)
{
	const char *why;
	enum xencore_p2m_source source = kernel_auto_source(k, &why);
	struct xencore_error *err;
	*ret = NULL;
	if (source == XENCORE_P2M_AUTO) {
		if (!needed)
			return 0;
		cli_message(k->path, "this dump records machine frames only: naming its pages needs the guest's p2m; give the kernel's symbols (--vmlinux or --system-map)");
		return EXIT_ERROR;
	}
	if (source == XENCORE_P2M_KERNEL) {
		int rc = kernel_open_as(k, o, false);
		if (rc)
			return rc;
	}
	err = xencore_session_create_p2m(k->session, source, ret);
	if (!err)
		return 0;
	if (native) {
		/* One line: the cause, and the way out. */
		cli_message(k->path, "%s (a native export rewrites the page tables through the guest's p2m; --raw-pagetables writes them as dumped)",
			    err->message);
		xencore_error_destroy(err);
		return EXIT_ERROR;
	}
	if (needed)
		return cli_fail(k->path, err);
	cli_message(k->path, "warning: the p2m cannot be rebuilt (%s); the output carries none",
		    err->message);
	xencore_error_destroy(err);
	return 0;
}

/* The page-type pass: its counts per class as it goes. */
static void show_exclude(void *arg, uint64_t done, uint64_t total,
			 const uint64_t counts[XENCORE_PAGE_CLASSES])
{
	if (!progress_line(arg, "Excluding pages", done, total))
		return;
	for (int c = XENCORE_PAGE_KEEP + 1; c < XENCORE_PAGE_CLASSES; c++)
		fprintf(stderr, " %s %" PRIu64, xencore_page_class_name(c), counts[c]);
	progress_end(done, total);
}

static void print_summary(FILE *f, const char *out, const struct xencore_filter_options *fo,
			  const struct xencore_filter_stats *st, double seconds, bool as_json)
{
	double ratio = st->bytes_in ? (double)st->bytes_out / (double)st->bytes_in : 0;
	const struct xencore_native_info *nat = fo->native && fo->format != XENCORE_OUTPUT_XC_CORE
							? xencore_native_info(fo->native) : NULL;
	static const char *const formats[] = { "kdump", "xc_core", "elf" };
	if (!as_json) {
		fprintf(f, "%s: %" PRIu64 " pages: %" PRIu64 " kept, %" PRIu64 " zero, %" PRIu64
		       " excluded", out, st->pages_read, st->pages_kept, st->pages_zero,
		       st->pages_excluded);
		if (fo->memmap) {
			const char *sep = " (";
			for (int c = XENCORE_PAGE_KEEP + 1; c < XENCORE_PAGE_CLASSES; c++) {
				fprintf(f, "%s%s %" PRIu64, sep, xencore_page_class_name(c),
				       st->pages_class[c]);
				sep = ", ";
			}
			fprintf(f, ")");
		}
		fprintf(f, "; %" PRIu64 " -> %" PRIu64 " bytes (%.1f %%) in %.2f s",
		       st->bytes_in, st->bytes_out, 100.0 * ratio, seconds);
		if (nat)
			fprintf(f, "; native: %" PRIu64 " page tables rewritten, %" PRIu64 " entries cleared%s",
			       st->pages_rewritten,
			       nat->entries_cleared_xen + nat->entries_cleared_unmapped,
			       nat->has_vmcoreinfo ? "" : ", no VMCOREINFO");
		else if (st->pages_rewritten)
			fprintf(f, "; %" PRIu64 " page tables restored", st->pages_rewritten);
		fprintf(f, "\n");
		return;
	}
	struct json j;
	json_init(&j, f, true);
	json_object_begin(&j);
	json_key(&j, "output");
	json_string(&j, out);
	json_key(&j, "output_format");
	json_string(&j, formats[fo->format]);
	json_key(&j, "compression");
	json_string(&j, fo->format == XENCORE_OUTPUT_KDUMP
				? compression_names[fo->compression] : "none");
	if (fo->format == XENCORE_OUTPUT_KDUMP && (fo->compression == XENCORE_COMPRESS_ZLIB ||
						   fo->compression == XENCORE_COMPRESS_ZSTD)) {
		json_key(&j, "compression_level");
		json_uint(&j, fo->compression_level ? fo->compression_level : 1);
	}
	json_key(&j, "dump_level");
	json_uint(&j, fo->dump_level);
	json_key(&j, "dump_level_recorded");
	json_uint(&j, st->dump_level);
	json_key(&j, "threads");
	json_uint(&j, fo->threads);
	json_key(&j, "pages_read");
	json_uint(&j, st->pages_read);
	json_key(&j, "pages_kept");
	json_uint(&j, st->pages_kept);
	json_key(&j, "pages_zero");
	json_uint(&j, st->pages_zero);
	json_key(&j, "pages_excluded");
	json_uint(&j, st->pages_excluded);
	/* Per class: null when the page types were not read. */
	static const char *const class_keys[XENCORE_PAGE_CLASSES] = {
		NULL, "pages_cache", "pages_cache_private", "pages_user", "pages_free",
		"pages_hwpoison", "pages_offline",
	};
	for (int c = XENCORE_PAGE_KEEP + 1; c < XENCORE_PAGE_CLASSES; c++) {
		json_key(&j, class_keys[c]);
		if (fo->memmap)
			json_uint(&j, st->pages_class[c]);
		else
			json_null(&j);
	}
	json_key(&j, "pages_no_memmap");
	if (fo->memmap)
		json_uint(&j, st->pages_no_memmap);
	else
		json_null(&j);
	/* With compression: kept pages stored as they are (and of them, not tried). */
	bool compressed = fo->format == XENCORE_OUTPUT_KDUMP && fo->compression != XENCORE_COMPRESS_NONE;
	json_key(&j, "pages_stored_raw");
	if (compressed)
		json_uint(&j, st->pages_stored_raw);
	else
		json_null(&j);
	json_key(&j, "pages_untried");
	if (compressed)
		json_uint(&j, st->pages_untried);
	else
		json_null(&j);
	json_key(&j, "bytes_in");
	json_uint(&j, st->bytes_in);
	json_key(&j, "bytes_out");
	json_uint(&j, st->bytes_out);
	json_key(&j, "ratio");
	json_fixed(&j, ratio, 4);
	json_key(&j, "seconds");
	json_fixed(&j, seconds, 3);
	json_key(&j, "verified");
	if (fo->verify)
		json_uint(&j, st->pages_verified);
	else
		json_null(&j);
	/* The native export: null fields for raw page tables. */
	json_key(&j, "native");
	json_bool(&j, nat != NULL);
	json_key(&j, "pages_rewritten");
	json_uint(&j, st->pages_rewritten);
	static const char *const nkeys[] = {
		"page_tables", "page_table_roots", "pgd_list", "entries_rewritten",
		"entries_cleared_xen", "entries_cleared_unmapped",
	};
	uint64_t nvals[] = {
		nat ? nat->nr_tables : 0, nat ? nat->nr_roots : 0, nat ? nat->nr_pgd_list : 0,
		nat ? nat->entries_rewritten : 0, nat ? nat->entries_cleared_xen : 0,
		nat ? nat->entries_cleared_unmapped : 0,
	};
	for (size_t i = 0; i < sizeof(nkeys) / sizeof(nkeys[0]); i++) {
		json_key(&j, nkeys[i]);
		if (nat && nat->rewrites_page_tables)
			json_uint(&j, nvals[i]);
		else
			json_null(&j);
	}
	json_key(&j, "vmcoreinfo");
	json_bool(&j, nat && nat->has_vmcoreinfo);
	json_key(&j, "utsname_release");
	if (nat && nat->release[0])
		json_string(&j, nat->release);
	else
		json_null(&j);
	json_object_end(&j);
	json_finish(&j);
}

/* What the summary needs, and how writing it went. */
struct summary {
	const char *out, *path;
	const struct xencore_filter_options *fo;
	struct xencore_dump *dump;
	double t0;
	bool as_json;
	FILE *f;		/* stdout; stderr when stdout is the stream */
	int errnum;		/* writing it failed: its errno */
};

/*
 * The output is complete and not yet in place: its summary is written and
 * flushed now, and if standard output fails the output is discarded, so
 * that exit status 2 always means no output.
 */
static bool summary_ready(void *arg, const struct xencore_filter_stats *st)
{
	struct summary *s = arg;
	if (st->dump_level != s->fo->dump_level)
		cli_message(s->path, "dump level %u is recorded as %u: the input was filtered at level %u",
			    s->fo->dump_level, st->dump_level, xencore_dump_info(s->dump)->dump_level);
	print_summary(s->f, s->out, s->fo, st, now() - s->t0, s->as_json);
	errno = 0;
	if (fflush(s->f) != 0 || ferror(s->f)) {
		s->errnum = errno ? errno : EIO;
		return false;
	}
	return true;
}

/*
 * What a native export needs: the kernel's address space (without one, no
 * kernel root, pgd_list or utsname: a warning, not an error), its
 * VMCOREINFO (the one the page types were read with, or found now), the
 * page tables.  Says what the output will lack.
 */
static int open_native(struct kernel *k, const struct kernel_opts *o, struct xencore_p2m *p2m,
		       const struct kernel_memmap *km, const struct xencore_error *vi_why,
		       struct xencore_native **ret)
{
	struct xencore_error *err = kernel_try_as(k, o, p2m);
	if (err) {
		cli_message(k->path, "warning: the kernel's memory cannot be read (%s): its root, pgd_list and utsname are not used",
			    err->message);
		xencore_error_destroy(err);
	}
	err = xencore_native_create(k->dump, p2m, k->as, k->syms, km->vi, ret);
	if (err)
		return cli_fail(k->path, err);
	const struct xencore_native_info *in = xencore_native_info(*ret);
	if (!in->has_vmcoreinfo)
		cli_message(k->path, "warning: the output has no VMCOREINFO, which drgn, crash and makedumpfile need: %s",
			    vi_why ? vi_why->message : in->vmcoreinfo_why);
	/* Without VMCOREINFO pgd_list is not read: the warning above says why. */
	if (k->syms && in->pgd_list_why[0] && in->rewrites_page_tables && in->has_vmcoreinfo)
		cli_message(k->path, "warning: user page tables of processes not running are left as dumped (%s)",
			    in->pgd_list_why);
	return EXIT_OK;
}

/*
 * What xencore_filter() refuses as the output, said before the dump is
 * opened, so that the refusal is the only line (no warning about the dump
 * first).  The library checks again when it writes.
 */
static int check_output(const char *out, const char *dump)
{
	if (!strcmp(out, "-"))
		return EXIT_OK;	/* the stream: cmd_filter() checks it */
	if (!*out) {
		cli_message("filter", "-o: the output file name is empty");
		return EXIT_ERROR;
	}
	struct xencore_error *err = xencore_filter_check_output(out, dump);
	return err ? cli_fail(out, err) : EXIT_OK;
}

int cmd_filter(int argc, char **argv)
{
	static const struct option opts[] = {
		KERNEL_LONG_OPTIONS,
		ROOT_LONG_OPTIONS,
		VMCOREINFO_LONG_OPTION,
		{ "output-format", required_argument, NULL, OPT_FORMAT },
		{ "compress", required_argument, NULL, OPT_COMPRESS },
		{ "compress-level", required_argument, NULL, OPT_COMPRESS_LEVEL },
		{ "threads", required_argument, NULL, OPT_THREADS },
		{ "progress", no_argument, NULL, OPT_PROGRESS },
		{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "verify", no_argument, NULL, OPT_VERIFY },
		{ "raw-pagetables", no_argument, NULL, OPT_RAW_PAGETABLES },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct xencore_filter_options fo = { .size = sizeof(fo) };
	const char *out = NULL, *level_arg = NULL;
	int progress = -1;	/* -1: when stderr is a terminal */
	bool as_json = false, raw = false;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	fo.threads = cpus > 0 ? (unsigned int)cpus : 1;
	fo.format = XENCORE_OUTPUT_KDUMP;
	fo.compression = XENCORE_COMPRESS_ZLIB;
	struct kernel_opts o = { 0 };
	struct cli_opts co = { "filter", filter_usage, opts, "d:o:", &o, argc, argv };
	int c, status;
	uint64_t v;
	size_t alg;
	while ((c = cli_getopt(&co, &status)) > 0) {
		switch (c) {
		case 'd':
			if (!parse_u64(optarg, &v) || v > XENCORE_DL_MAX)
				return cli_usage_error("filter", "dump level '%s' is not 0 to 31", optarg);
			fo.dump_level = (unsigned int)v;
			break;
		case 'o':
			out = optarg;
			break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "kdump"))
				fo.format = XENCORE_OUTPUT_KDUMP;
			else if (!strcmp(optarg, "xc_core"))
				fo.format = XENCORE_OUTPUT_XC_CORE;
			else if (!strcmp(optarg, "elf"))
				fo.format = XENCORE_OUTPUT_ELF;
			else
				return cli_usage_error("filter", "unknown output format '%s' (kdump, elf or xc_core)", optarg);
			break;
		case OPT_COMPRESS:
			alg = 0;
			while (alg < NR_COMPRESSION && strcmp(optarg, compression_names[alg]))
				alg++;
			if (alg == NR_COMPRESSION)
				return cli_usage_error("filter", "unknown compression '%s' (zlib, lzo, snappy, zstd or none)", optarg);
			fo.compression = (enum xencore_compression)alg;
			break;
		case OPT_COMPRESS_LEVEL:
			level_arg = optarg;
			break;
		case OPT_THREADS:
			if (!parse_u64(optarg, &v) || v < 1 || v > 256)
				return cli_usage_error("filter", "thread count '%s' is not 1 to 256", optarg);
			fo.threads = (unsigned int)v;
			break;
		case OPT_PROGRESS:
			progress = 1;
			break;
		case OPT_NO_PROGRESS:
			progress = 0;
			break;
		case OPT_JSON:
			as_json = true;
			break;
		case OPT_VERIFY:
			fo.verify = true;
			break;
		case OPT_RAW_PAGETABLES:
			raw = true;
			break;
		}
	}
	if (c < 0)
		return status;
	if (argc - optind != 1)
		return cli_usage_error("filter", "expected one DUMP argument");
	if (!out)
		return cli_usage_error("filter", "no output file: give -o OUT");
	const char *path = cli_dump_name(argv[optind]);
	int rc = check_output(out, argv[optind]);
	if (rc)
		return rc;
	/* -o -: makedumpfile's flattened format on standard output (-o ./- is a file named '-'). */
	bool streaming = !strcmp(out, "-");
	if (streaming && fo.format != XENCORE_OUTPUT_KDUMP) {
		cli_message("filter", "-o -: only kdump output can be streamed (makedumpfile's flattened format), not --output-format=%s",
			    fo.format == XENCORE_OUTPUT_ELF ? "elf" : "xc_core");
		return EXIT_ERROR;
	}
	if (streaming && fo.verify) {
		cli_message("filter", "-o -: --verify needs an output file to read back");
		return EXIT_ERROR;
	}
	if (streaming && isatty(STDOUT_FILENO)) {
		cli_message("filter", "-o -: standard output is a terminal; pipe it (to makedumpfile -R OUT)");
		return EXIT_ERROR;
	}
	bool types = fo.dump_level & ~(unsigned int)XENCORE_DL_ZERO;
	if (types && !o.vmlinux && !o.system_map && !o.vmcoreinfo) {
		cli_message(path, "dump level %u: bits 2, 4, 8 and 16 read the guest kernel's page types: give --vmlinux or --system-map (or --vmcoreinfo)",
			    fo.dump_level);
		return EXIT_ERROR;
	}
	if (raw && fo.format == XENCORE_OUTPUT_ELF)
		return cli_usage_error("filter", "--raw-pagetables: an ELF core is always a native export (use kdump)");
	if (fo.format != XENCORE_OUTPUT_KDUMP && fo.compression != XENCORE_COMPRESS_ZLIB &&
	    fo.compression != XENCORE_COMPRESS_NONE)
		return cli_usage_error("filter", "--compress=%s: kdump output only",
				       compression_names[fo.compression]);
	if (level_arg) {
		unsigned int max = fo.compression == XENCORE_COMPRESS_ZLIB ? XENCORE_ZLIB_LEVEL_MAX
				   : fo.compression == XENCORE_COMPRESS_ZSTD ? XENCORE_ZSTD_LEVEL_MAX : 0;
		if (fo.format != XENCORE_OUTPUT_KDUMP)
			return cli_usage_error("filter", "--compress-level: kdump output only");
		if (fo.compression == XENCORE_COMPRESS_NONE)
			return cli_usage_error("filter", "--compress-level: nothing is compressed (--compress=none)");
		if (!max)
			return cli_usage_error("filter", "--compress-level: %s compression has no levels",
					       compression_names[fo.compression]);
		if (!parse_u64(level_arg, &v) || v < 1 || v > max)
			return cli_usage_error("filter", "%s compression level '%s' is not 1 to %u",
					       compression_names[fo.compression], level_arg, max);
		fo.compression_level = (unsigned int)v;
	}
	if (fo.format != XENCORE_OUTPUT_KDUMP)
		fo.compression = XENCORE_COMPRESS_NONE;	/* xc_core and ELF pages are never compressed */
	bool native = !raw && fo.format != XENCORE_OUTPUT_XC_CORE;

	struct kernel k;
	rc = kernel_open(&k, argv[optind], &o);
	if (rc)
		return rc;
	const struct xencore_dump_info *info = xencore_dump_info(k.dump);
	bool legacy = !strcmp(info->format, "xc_core_legacy");
	struct xencore_p2m *p2m = NULL;
	if ((legacy || fo.format != XENCORE_OUTPUT_XC_CORE) &&
	    (rc = filter_p2m(&k, &o, legacy, native && !info->hvm, &p2m))) {
		kernel_close(&k);
		return rc;
	}
	fo.p2m = p2m;
	/*
	 * VMCOREINFO, found once: the page types need it for bits 2-16; at
	 * levels 0 and 1 they are read when the kernel has one (poisoned and
	 * offline pages go), else every page stays; a native export carries it.
	 */
	struct kernel_memmap km = { 0 };
	struct xencore_error *vi_why = NULL, *why = NULL;
	struct xencore_native *nat = NULL;
	if ((types || o.vmcoreinfo || native ||
	     (k.syms && xencore_symbol_lookup(k.syms, "vmcoreinfo_data"))) &&
	    (rc = kernel_find_vmcoreinfo(&k, &o, &km, &vi_why)))
		goto fail;
	if (km.vi && (rc = kernel_memmap_create(&k, &o, fo.dump_level, &km, &why)))
		goto fail;
	if (types && !km.mm) {
		rc = cli_fail(path, why ? why : vi_why);
		why = vi_why = NULL;
		goto fail;
	}
	/* One cause, one line: a native export's warning says what is missing. */
	if (why || (vi_why && !native)) {
		cli_message(path, "warning: the guest's page types are not read (%s); poisoned and offline pages are kept",
			    why ? why->message : vi_why->message);
	}
	fo.memmap = km.mm;
	if (native && (rc = open_native(&k, &o, p2m, &km, vi_why, &nat)))
		goto fail;
	fo.native = nat;
	xencore_error_destroy(why);
	xencore_error_destroy(vi_why);
	why = vi_why = NULL;
	struct progress prog = { 0, false };
	if (progress == 1 || (progress < 0 && isatty(STDERR_FILENO))) {
		fo.progress = show_progress;
		fo.exclude_progress = show_exclude;
		fo.progress_arg = &prog;
	}
	install_signals();
	fo.cancel = &cancelled;
	/* The output's name in messages; stdout is the data, the summary goes to stderr. */
	const char *name = streaming ? "standard output" : out;
	if (streaming) {
		signal(SIGPIPE, SIG_IGN);	/* a reader gone: write() fails with EPIPE */
		fo.stream_fd = STDOUT_FILENO;
	}

	struct summary sum = { out, path, &fo, k.dump, now(), as_json, streaming ? stderr : stdout, 0 };
	fo.ready = summary_ready;
	fo.ready_arg = &sum;
	struct xencore_filter_stats st = { .size = sizeof(st) };
	struct xencore_error *err = xencore_filter(k.dump, streaming ? NULL : out, &fo, &st);
	if (prog.shown && err)
		fputc('\n', stderr);
	/* A damaged dump's output holds what there was: written, and a problem (exit 1). */
	bool damaged = xencore_dump_info(k.dump)->damaged;
	xencore_native_destroy(nat);
	kernel_close_memmap(&km);
	xencore_p2m_destroy(p2m);
	kernel_close(&k);
	if (err && sum.errnum) {
		/* One line: the summary's failure is the cause, the discarded output its effect. */
		xencore_error_destroy(err);
		if (streaming)
			cli_message("standard error", "cannot write the summary, so the stream is left without its end: %s",
				    strerror(sum.errnum));
		else
			cli_message("standard output", "cannot write the summary, so %s is not written: %s", out,
				    strerror(sum.errnum));
		return EXIT_ERROR;
	}
	if (err) {
		/* Errors about the output (and an interrupted run's) name it; the rest are the dump's. */
		return cli_fail(err->code == XENCORE_ERROR_OUTPUT ||
						err->code == XENCORE_ERROR_INVALID_ARGUMENT || cancelled
					? name : path,
				err);
	}
	return cli_finish_output(damaged ? EXIT_PROBLEMS : EXIT_OK);
fail:
	xencore_error_destroy(why);
	xencore_error_destroy(vi_why);
	xencore_native_destroy(nat);
	kernel_close_memmap(&km);
	xencore_p2m_destroy(p2m);
	kernel_close(&k);
	return rc;
}
