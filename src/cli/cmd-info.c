// SPDX-License-Identifier: LGPL-2.1-or-later
/* cmd-info.c: `xencore info`: what the dump is and what it holds. */
#include <config.h>

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json.h"

static const char info_usage[] =
	"Usage: xencore info [--json] DUMP\n"
	"Describe DUMP: format, guest width, Xen version, vcpus, pages, and the\n"
	"guest's arch_shared_info: max_pfn, frame_list_list, p2m_cr3 and its root\n"
	"mfn, p2m_vaddr, p2m_generation, which p2m sources exist, vcpu0's cr3.\n"
	"\n"
	"  --json       print one JSON object: addresses and frame numbers as\n"
	"               \"0x...\" strings, counts as numbers\n"
	"  -h, --help   show this help\n";

/* Fields shared by both output forms, in output order. */
struct info_view {
	const struct xencore_dump_info *info;
	bool has_vcpu0;
	struct xencore_vcpu vcpu0;
	const char *sources[2];
	int nr_sources;
};

static void print_text(const struct info_view *v)
{
	const struct xencore_dump_info *i = v->info;
	printf("%-24s%s\n", "format:", i->format);
	printf("%-24s%s\n", "guest_type:", i->hvm ? "HVM" : "PV");
	printf("%-24s%u\n", "guest_bits:", i->guest_bits);
	printf("%-24s%s\n", "xen_version:", i->xen_version ? i->xen_version : "unknown");
	printf("%-24s%" PRIu64 "\n", "nr_vcpus:", i->nr_vcpus);
	printf("%-24s%" PRIu64 "\n", "nr_vcpu_contexts:", i->nr_contexts);
	printf("%-24s%" PRIu64 "\n", "nr_pages:", i->nr_pages);
	printf("%-24s%" PRIu64 "\n", "page_size:", i->page_size);
	if (i->has_shared_info) {
		printf("%-24s0x%" PRIx64 "\n", "max_pfn:", i->max_pfn);
		printf("%-24s0x%" PRIx64 "\n", "frame_list_list:", i->frame_list_list);
		printf("%-24s0x%" PRIx64 "\n", "p2m_cr3:", i->p2m_cr3);
		printf("%-24s0x%" PRIx64 "\n", "p2m_root_mfn:", i->p2m_root_mfn);
		printf("%-24s0x%" PRIx64 "\n", "p2m_vaddr:", i->p2m_vaddr);
		printf("%-24s%" PRIu64 "\n", "p2m_generation:", i->p2m_generation);
		printf("%-24s%s\n", "p2m_update_in_progress:",
		       i->p2m_update_in_progress ? "yes" : "no");
	} else {
		printf("%-24s%s\n", "shared_info:", "absent");
	}
	printf("%-24s", "p2m_sources:");
	for (int k = 0; k < v->nr_sources; k++)
		printf("%s%s", k ? " " : "", v->sources[k]);
	printf("%s\n", v->nr_sources ? "" : "none");
	if (v->has_vcpu0) {
		printf("%-24s0x%" PRIx64 "\n", "vcpu0_cr3:", v->vcpu0.cr3);
		printf("%-24s0x%" PRIx64 "\n", "vcpu0_cr3_mfn:", v->vcpu0.cr3_mfn);
	}
}

static void print_json(const struct info_view *v, const char *path)
{
	const struct xencore_dump_info *i = v->info;
	struct json j;
	json_init(&j, stdout, true);
	json_object_begin(&j);
	json_key(&j, "file");
	json_string(&j, path);
	json_key(&j, "format");
	json_string(&j, i->format);
	json_key(&j, "guest_type");
	json_string(&j, i->hvm ? "HVM" : "PV");
	json_key(&j, "guest_bits");
	json_uint(&j, i->guest_bits);
	json_key(&j, "xen_version");
	if (i->xen_version)
		json_string(&j, i->xen_version);
	else
		json_null(&j);
	json_key(&j, "nr_vcpus");
	json_uint(&j, i->nr_vcpus);
	json_key(&j, "nr_vcpu_contexts");
	json_uint(&j, i->nr_contexts);
	json_key(&j, "nr_pages");
	json_uint(&j, i->nr_pages);
	json_key(&j, "page_size");
	json_uint(&j, i->page_size);
	json_key(&j, "has_shared_info");
	json_bool(&j, i->has_shared_info);
	if (i->has_shared_info) {
		json_key(&j, "max_pfn");
		json_hex(&j, i->max_pfn);
		json_key(&j, "frame_list_list");
		json_hex(&j, i->frame_list_list);
		json_key(&j, "p2m_cr3");
		json_hex(&j, i->p2m_cr3);
		json_key(&j, "p2m_root_mfn");
		json_hex(&j, i->p2m_root_mfn);
		json_key(&j, "p2m_vaddr");
		json_hex(&j, i->p2m_vaddr);
		json_key(&j, "p2m_generation");
		json_uint(&j, i->p2m_generation);
		json_key(&j, "p2m_update_in_progress");
		json_bool(&j, i->p2m_update_in_progress);
	}
	json_key(&j, "p2m_sources");
	json_array_begin(&j);
	for (int k = 0; k < v->nr_sources; k++)
		json_string(&j, v->sources[k]);
	json_array_end(&j);
	if (v->has_vcpu0) {
		json_key(&j, "vcpu0_cr3");
		json_hex(&j, v->vcpu0.cr3);
		json_key(&j, "vcpu0_cr3_mfn");
		json_hex(&j, v->vcpu0.cr3_mfn);
	}
	json_object_end(&j);
	json_finish(&j);
}

int cmd_info(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			fputs(info_usage, stdout);
			return cli_finish_output(EXIT_OK);
		default:
			return cli_usage_error("info", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("info", "expected one DUMP argument");
	const char *path = argv[optind];

	struct xencore_dump *dump = cli_open_dump(path);
	if (!dump)
		return EXIT_ERROR;
	struct info_view v = { .info = xencore_dump_info(dump) };
	if (v.info->has_linear_p2m)
		v.sources[v.nr_sources++] = "linear";
	if (v.info->has_dump_p2m)
		v.sources[v.nr_sources++] = "dump";
	if (v.info->nr_contexts) {
		struct xencore_error *err = xencore_dump_vcpu(dump, 0, &v.vcpu0);
		if (err) {
			xencore_dump_destroy(dump);
			return cli_fail(path, err);
		}
		v.has_vcpu0 = true;
	}
	if (json)
		print_json(&v, path);
	else
		print_text(&v);
	xencore_dump_destroy(dump);
	return cli_finish_output(EXIT_OK);
}
