// SPDX-License-Identifier: LGPL-2.1-or-later
/* cmd-vtop.c: `xencore vtop`: every level of a kernel virtual translation. */
#include <config.h>

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "kernel.h"

static const char vtop_usage[] =
	"Usage: xencore vtop [--vcpu N | --cr3 V | --kernel-root] [--vmlinux F |\n"
	"                    --system-map F] [--json] DUMP VADDR|SYMBOL[+OFF]\n"
	"Translate a guest virtual address through the guest's page tables,\n"
	"printing every level (table mfn, index, entry, flags), then the mfn,\n"
	"the pfn (through the p2m) and the offset.\n"
	"\n"
	"  --vcpu N         root: vcpu N's cr3 (default: the first vcpu)\n"
	"  --cr3 V          root: this cr3 value\n"
	"  --kernel-root    root: the init_top_pgt/swapper_pg_dir symbol\n"
	"  --vmlinux F      symbols, for SYMBOL and --kernel-root\n"
	"  --system-map F   symbols from a System.map\n"
	"  --force          do not warn when the vmlinux does not match the dump\n"
	"  --json           print one JSON object\n"
	"  -h, --help       show this help\n";

/* PTE flag names (Intel SDM vol. 3, 4.5), low bits first, then NX. */
static void flag_names(uint64_t e, const char **names, int *n, bool leaf_level)
{
	static const struct {
		uint64_t bit;
		const char *name;
	} bits[] = {
		{ 1u << 0, "present" }, { 1u << 1, "rw" }, { 1u << 2, "user" },
		{ 1u << 3, "pwt" }, { 1u << 4, "pcd" }, { 1u << 5, "accessed" },
		{ 1u << 6, "dirty" }, { 1u << 7, "pse" }, { 1u << 8, "global" },
		{ UINT64_C(1) << 63, "nx" },
	};
	*n = 0;
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		if (!(e & bits[i].bit))
			continue;
		/* Bit 7 is PAT, not PSE, in an L1 entry. */
		names[(*n)++] = (bits[i].bit == 0x80 && leaf_level) ? "pat" : bits[i].name;
	}
}

static void print_text(const struct xencore_vtop *v, uint64_t root_mfn, bool hvm)
{
	printf("%-8s0x%" PRIx64 "\n", "vaddr:", v->vaddr);
	printf("%-8smfn 0x%" PRIx64 "\n", "root:", root_mfn);
	for (int i = 0; i < v->nr_levels; i++) {
		const struct xencore_vtop_level *l = &v->levels[i];
		const char *names[16];
		int n;
		flag_names(l->entry, names, &n, l->level == 1);
		printf("L%d:     table mfn 0x%" PRIx64 " index %3u entry 0x%016" PRIx64 " ",
		       l->level, l->table_mfn, l->index, l->entry);
		for (int f = 0; f < n; f++)
			printf("%s%s", f ? " " : "", names[f]);
		putchar('\n');
	}
	if (v->large)	/* Xen refuses PSE entries in a PV guest's tables; HVM guests use them */
		printf("%-8s%" PRIu64 " KiB page%s\n", "large:", v->page_size >> 10,
		       hvm ? "" : " (PV guests may not use large pages)");
	printf("%-8s0x%" PRIx64 "\n", "mfn:", v->mfn);
	if (v->has_pfn)
		printf("%-8s0x%" PRIx64 "\n", "pfn:", v->pfn);
	else
		printf("%-8s%s\n", "pfn:", "none (the p2m maps no pfn to this mfn)");
	printf("%-8s0x%" PRIx64 "\n", "offset:", v->offset);
	printf("%-8s0x%" PRIx64 "\n", "maddr:", (v->mfn << 12) + v->offset);
}

static void print_json(const struct xencore_vtop *v, uint64_t root_mfn)
{
	struct json j;
	json_init(&j, stdout, true);
	json_object_begin(&j);
	json_key(&j, "vaddr");
	json_hex(&j, v->vaddr);
	json_key(&j, "root_mfn");
	json_hex(&j, root_mfn);
	json_key(&j, "levels");
	json_array_begin(&j);
	for (int i = 0; i < v->nr_levels; i++) {
		const struct xencore_vtop_level *l = &v->levels[i];
		const char *names[16];
		int n;
		flag_names(l->entry, names, &n, l->level == 1);
		json_object_begin(&j);
		json_key(&j, "level");
		json_uint(&j, (uint64_t)l->level);
		json_key(&j, "table_mfn");
		json_hex(&j, l->table_mfn);
		json_key(&j, "index");
		json_uint(&j, l->index);
		json_key(&j, "entry");
		json_hex(&j, l->entry);
		json_key(&j, "flags");
		json_array_begin(&j);
		for (int f = 0; f < n; f++)
			json_string(&j, names[f]);
		json_array_end(&j);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_key(&j, "page_size");
	json_uint(&j, v->page_size);
	json_key(&j, "large_page");
	json_bool(&j, v->large);
	json_key(&j, "mfn");
	json_hex(&j, v->mfn);
	json_key(&j, "pfn");
	if (v->has_pfn)
		json_hex(&j, v->pfn);
	else
		json_null(&j);
	json_key(&j, "offset");
	json_hex(&j, v->offset);
	json_key(&j, "maddr");
	json_hex(&j, (v->mfn << 12) + v->offset);
	json_object_end(&j);
	json_finish(&j);
}

int cmd_vtop(int argc, char **argv)
{
	static const struct option opts[] = {
		KERNEL_LONG_OPTIONS,
		ROOT_LONG_OPTIONS,
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kernel_opts o = { 0 };
	bool json = false;
	struct cli_opts co = { "vtop", vtop_usage, opts, NULL, &o, argc, argv };
	int c, status;
	while ((c = cli_getopt(&co, &status)) > 0) {
		switch (c) {
		case 'j':
			json = true;
			break;
		}
	}
	if (c < 0)
		return status;
	if (argc - optind != 2)
		return cli_usage_error("vtop", "expected DUMP and VADDR");
	const char *path = cli_dump_name(argv[optind]);

	struct kernel k;
	int rc = kernel_open(&k, argv[optind], &o);
	if (rc)
		return rc;
	uint64_t vaddr;
	const struct xencore_symbol *sym;
	if ((rc = kernel_resolve(&k, "vtop", argv[optind + 1], &vaddr, &sym)) ||
	    (rc = kernel_open_as(&k, &o, true))) {
		kernel_close(&k);
		return rc;
	}
	struct xencore_vtop v = { .size = sizeof(v) };
	struct xencore_error *err = xencore_as_vtop(k.as, vaddr, &v);
	if (err) {
		kernel_close(&k);
		return cli_fail(path, err);
	}
	if (json)
		print_json(&v, xencore_as_root_mfn(k.as));
	else
		print_text(&v, xencore_as_root_mfn(k.as), xencore_dump_info(k.dump)->hvm);
	kernel_close(&k);
	return cli_finish_output(EXIT_OK);
}
