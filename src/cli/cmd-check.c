// SPDX-License-Identifier: LGPL-2.1-or-later
/* cmd-check.c: `xencore check`: every p2m source against the others. */
#include <config.h>

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "kernel.h"

static const char check_usage[] =
	"Usage: xencore check [--json] [--all] [--vmlinux F | --system-map F] DUMP\n"
	"Compare every p2m source the dump has (the linear list, the 3-level\n"
	"tree, the dump's .xen_p2m, with symbols the kernel's own list at\n"
	"xen_p2m_addr, and the p2m `xencore filter` saved in a kdump file) pfn by\n"
	"pfn and report: pfns where they\n"
	"disagree, dumped pages the guest's p2m calls invalid and pages it maps\n"
	"that were not dumped, an mfn mapped by two pfns, pfns a source cannot\n"
	"tell (its pages not dumped, or an entry naming a frame past 2^40), an\n"
	"odd p2m_generation, pages the dump lists but no longer holds (missing:\n"
	"a dump cut short), dumped pages past every source's max_pfn (dropped),\n"
	"and sources that cannot be read at all.  A summary first, then details.\n"
	"\n"
	"  --all        list every finding (default: the first 20 lines)\n"
	"  --vmlinux F  also compare the kernel's list (xen_p2m_addr, xen_p2m_size)\n"
	"  --system-map F  the same with symbols from a System.map\n"
	"  --force      do not warn when the vmlinux does not match the dump\n"
	"  --json       print one JSON object\n"
	"  -h, --help   show this help\n"
	"\n"
	"Exit status: 0 consistent, 1 findings, 2 error.\n";

#define DEFAULT_LINES 20

struct source {
	enum xencore_p2m_source kind;
	struct xencore_p2m *p2m;
	struct xencore_error *err;	/* the source exists but cannot be read */
};

/* "0x2000100", "invalid", "foreign 0x77", ... for pfn in one source. */
static void value_at(const struct xencore_p2m *p2m, uint64_t pfn, char *buf,
		     size_t size)
{
	const struct xencore_p2m_run *r = xencore_p2m_find(p2m, pfn);
	if (!r)
		snprintf(buf, size, "beyond");
	else if (r->kind == XENCORE_RUN_MAPPED)
		snprintf(buf, size, "0x%" PRIx64, r->mfn + (pfn - r->pfn));
	else if (r->kind == XENCORE_RUN_FOREIGN)
		snprintf(buf, size, "foreign 0x%" PRIx64, r->mfn + (pfn - r->pfn));
	else
		snprintf(buf, size, "%s", xencore_run_kind_name(r->kind));
}

static const char *unit_of(enum xencore_finding_kind k)
{
	return k == XENCORE_FINDING_MFN_TWICE ? "frames" : "pfns";
}

static void print_text(const struct xencore_dump_info *info, struct source *src,
		       int n, struct xencore_p2m **p2ms, int np,
		       const struct xencore_check *chk, bool all, int problems)
{
	printf("%-20s", "sources:");
	for (int s = 0; s < n; s++)
		printf("%s%s%s", s ? " " : "", xencore_p2m_source_name(src[s].kind),
		       src[s].err ? " (unusable)" : "");
	printf("%s\n", n ? "" : "none");
	if (info->has_shared_info)
		printf("%-20s0x%" PRIx64 "\n", "max_pfn:", info->max_pfn);
	printf("%-20s%s\n", "result:", problems ? "findings" : "consistent");
	for (int s = 0; s < n; s++)
		if (src[s].err)
			printf("  %-20s%s: %s\n", "unusable:",
			       xencore_p2m_source_name(src[s].kind), src[s].err->message);
	for (int k = 0; k < XENCORE_FINDING_KINDS; k++) {
		uint64_t t = xencore_check_total(chk, (enum xencore_finding_kind)k);
		if (k == XENCORE_FINDING_GENERATION)
			printf("  %-20s%s\n", "generation:",
			       t ? "odd: a p2m mapping update was in progress when the dump was taken"
				 : "even");
		else
			printf("  %s:%*s%" PRIu64 " %s\n",
			       xencore_finding_kind_name((enum xencore_finding_kind)k),
			       (int)(19 - strlen(xencore_finding_kind_name((enum xencore_finding_kind)k))), "",
			       t, unit_of((enum xencore_finding_kind)k));
	}

	size_t nr;
	const struct xencore_finding *f = xencore_check_findings(chk, &nr);
	uint64_t lines = 0, left = 0;
	for (size_t i = 0; i < nr; i++) {
		const struct xencore_finding *x = &f[i];
		if (x->kind == XENCORE_FINDING_GENERATION)
			continue;
		if (!lines && !left)
			printf("details:\n");
		if (x->kind == XENCORE_FINDING_DISAGREE) {
			/* One line per pfn, with every source's value. */
			for (uint64_t p = 0; p < x->count; p++) {
				if (!all && lines >= DEFAULT_LINES) {
					left += x->count - p;
					break;
				}
				printf("disagree 0x%" PRIx64 ":", x->pfn + p);
				for (int s = 0; s < np; s++) {
					char v[64];
					value_at(p2ms[s], x->pfn + p, v, sizeof(v));
					printf(" %s %s", xencore_p2m_source_name(xencore_p2m_get_source(p2ms[s])), v);
				}
				putchar('\n');
				lines++;
			}
			continue;
		}
		if (!all && lines >= DEFAULT_LINES) {
			left++;
			continue;
		}
		lines++;
		if (x->kind == XENCORE_FINDING_MFN_TWICE)
			printf("mfn-twice 0x%" PRIx64 ": pfns 0x%" PRIx64 " and 0x%" PRIx64 " (%" PRIu64 " frames)\n",
			       x->mfn, x->pfn, x->pfn2, x->count);
		else if (x->kind == XENCORE_FINDING_MISSING && x->pfn == UINT64_MAX)
			printf("missing mfn 0x%" PRIx64 "-0x%" PRIx64 " (%" PRIu64 " pages, pfns unknown)\n",
			       x->mfn, x->mfn + x->count - 1, x->count);
		else if (x->kind == XENCORE_FINDING_UNKNOWN)
			printf("unknown 0x%" PRIx64 "-0x%" PRIx64 ": %s (%" PRIu64 " pfns)\n",
			       x->pfn, x->pfn + x->count - 1,
			       xencore_p2m_source_name(x->source), x->count);
		else
			printf("%s 0x%" PRIx64 "-0x%" PRIx64 " (%" PRIu64 " pfns)\n",
			       xencore_finding_kind_name(x->kind), x->pfn,
			       x->pfn + x->count - 1, x->count);
	}
	if (left)
		printf("... %" PRIu64 " more (--all lists every one)\n", left);
	if (xencore_check_not_kept(chk))
		printf("... and %" PRIu64 " findings past the first 1048576, counted above but not kept\n",
		       xencore_check_not_kept(chk));
}

static void print_json(const char *path, const struct xencore_dump_info *info,
		       struct source *src, int n, struct xencore_p2m **p2ms, int np,
		       const struct xencore_check *chk, bool all, int problems)
{
	struct json j;
	json_init(&j, stdout, true);
	json_object_begin(&j);
	json_key(&j, "file");
	json_string(&j, path);
	json_key(&j, "sources");
	json_array_begin(&j);
	for (int s = 0; s < n; s++)
		json_string(&j, xencore_p2m_source_name(src[s].kind));
	json_array_end(&j);
	if (info->has_shared_info) {
		json_key(&j, "max_pfn");
		json_hex(&j, info->max_pfn);
		json_key(&j, "p2m_generation");
		json_uint(&j, info->p2m_generation);
	}
	json_key(&j, "consistent");
	json_bool(&j, !problems);
	json_key(&j, "unusable");
	json_array_begin(&j);
	for (int s = 0; s < n; s++) {
		if (!src[s].err)
			continue;
		json_object_begin(&j);
		json_key(&j, "source");
		json_string(&j, xencore_p2m_source_name(src[s].kind));
		json_key(&j, "error");
		json_string(&j, src[s].err->message);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_key(&j, "totals");
	json_object_begin(&j);
	for (int k = 0; k < XENCORE_FINDING_KINDS; k++) {
		json_key(&j, xencore_finding_kind_name((enum xencore_finding_kind)k));
		json_uint(&j, xencore_check_total(chk, (enum xencore_finding_kind)k));
	}
	json_object_end(&j);
	json_key(&j, "findings");
	json_array_begin(&j);
	size_t nr;
	const struct xencore_finding *f = xencore_check_findings(chk, &nr);
	uint64_t listed = 0;
	bool truncated = false;
	for (size_t i = 0; i < nr; i++) {
		const struct xencore_finding *x = &f[i];
		uint64_t reps = x->kind == XENCORE_FINDING_DISAGREE ? x->count : 1;
		for (uint64_t p = 0; p < reps; p++) {
			if (!all && listed >= DEFAULT_LINES) {
				truncated = true;
				break;
			}
			listed++;
			json_object_begin(&j);
			json_key(&j, "kind");
			json_string(&j, xencore_finding_kind_name(x->kind));
			switch (x->kind) {
			case XENCORE_FINDING_DISAGREE:
				json_key(&j, "pfn");
				json_hex(&j, x->pfn + p);
				json_key(&j, "values");
				json_object_begin(&j);
				for (int s = 0; s < np; s++) {
					char v[64];
					value_at(p2ms[s], x->pfn + p, v, sizeof(v));
					json_key(&j, xencore_p2m_source_name(xencore_p2m_get_source(p2ms[s])));
					json_string(&j, v);
				}
				json_object_end(&j);
				break;
			case XENCORE_FINDING_MFN_TWICE:
				json_key(&j, "mfn");
				json_hex(&j, x->mfn);
				json_key(&j, "pfn");
				json_hex(&j, x->pfn);
				json_key(&j, "pfn2");
				json_hex(&j, x->pfn2);
				json_key(&j, "count");
				json_uint(&j, x->count);
				break;
			case XENCORE_FINDING_GENERATION:
				json_key(&j, "p2m_generation");
				json_uint(&j, info->p2m_generation);
				break;
			default:
				if (x->kind == XENCORE_FINDING_UNKNOWN) {
					json_key(&j, "source");
					json_string(&j, xencore_p2m_source_name(x->source));
				}
				if (x->kind == XENCORE_FINDING_MISSING) {
					json_key(&j, "mfn");
					json_hex(&j, x->mfn);
				}
				json_key(&j, "pfn");
				if (x->pfn == UINT64_MAX)	/* a legacy dump's missing pages */
					json_null(&j);
				else
					json_hex(&j, x->pfn);
				json_key(&j, "count");
				json_uint(&j, x->count);
				break;
			}
			json_object_end(&j);
		}
	}
	json_array_end(&j);
	json_key(&j, "truncated");
	json_bool(&j, truncated || xencore_check_not_kept(chk));
	if (xencore_check_not_kept(chk)) {
		json_key(&j, "not_kept");
		json_uint(&j, xencore_check_not_kept(chk));
	}
	json_object_end(&j);
	json_finish(&j);
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		KERNEL_LONG_OPTIONS,
		{ "json", no_argument, NULL, 'j' },
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false, all = false;
	struct kernel_opts o = { 0 };
	struct cli_opts co = { "check", check_usage, opts, NULL, &o, argc, argv };
	int c, status;
	while ((c = cli_getopt(&co, &status)) > 0) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'a':
			all = true;
			break;
		}
	}
	if (c < 0)
		return status;
	if (argc - optind != 1)
		return cli_usage_error("check", "expected one DUMP argument");
	const char *path = cli_dump_name(argv[optind]);

	struct kernel k;
	int rc = kernel_open(&k, argv[optind], &o);
	if (rc)
		return rc;
	struct xencore_dump *dump = k.dump;
	const struct xencore_dump_info *info = xencore_dump_info(dump);
	struct xencore_error *err = xencore_dump_index_all(dump);
	if (err) {
		kernel_close(&k);
		return cli_fail(path, err);
	}
	if (k.syms && (rc = kernel_open_as(&k, &o, false))) {
		kernel_close(&k);
		return rc;
	}
	/* Every source the dump offers, the guest's own first (the library's order). */
	size_t nsrc = xencore_p2m_source_count();
	struct source *src = calloc(nsrc, sizeof(*src));
	struct xencore_p2m **p2ms = calloc(nsrc, sizeof(*p2ms));
	int n = 0, np = 0, problems = 0;
	if (!src || !p2ms) {
		free(src);
		free(p2ms);
		kernel_close(&k);
		cli_message(path, "out of memory");
		return EXIT_ERROR;
	}
	for (size_t i = 0; i < nsrc; i++) {
		enum xencore_p2m_source kind = xencore_p2m_source_at(i);
		if (xencore_p2m_source_offered(dump, kind, k.syms != NULL))
			src[n++] = (struct source){ .kind = kind };
	}
	for (int s = 0; s < n; s++) {
		src[s].err = xencore_session_create_p2m(k.session, src[s].kind, &src[s].p2m);
		if (src[s].err && src[s].err->code == XENCORE_ERROR_NOMEM) {
			err = src[s].err;
			src[s].err = NULL;
			break;
		}
		if (src[s].err)
			problems++;
		else
			p2ms[np++] = src[s].p2m;
	}
	struct xencore_check *chk = NULL;
	if (!err)
		err = xencore_check_create(dump, p2ms, (size_t)np, &chk);
	status = EXIT_ERROR;
	if (err) {
		cli_fail(path, err);
	} else {
		size_t nr;
		xencore_check_findings(chk, &nr);
		problems += (int)(nr > 0) + (n == 0);
		if (json)
			print_json(path, info, src, n, p2ms, np, chk, all, problems);
		else
			print_text(info, src, n, p2ms, np, chk, all, problems);
		status = cli_finish_output(problems ? EXIT_PROBLEMS : EXIT_OK);
	}
	xencore_check_destroy(chk);
	for (int s = 0; s < n; s++) {
		xencore_p2m_destroy(src[s].p2m);
		xencore_error_destroy(src[s].err);
	}
	free(src);
	free(p2ms);
	kernel_close(&k);
	return status;
}
