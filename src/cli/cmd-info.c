// SPDX-License-Identifier: LGPL-2.1-or-later
/* cmd-info.c: `xencore info`: what the dump is and what it holds. */
#include <config.h>

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "kernel.h"

static const char info_usage[] =
	"Usage: xencore info [--json] [--vmlinux F | --system-map F] [--force] DUMP\n"
	"Describe DUMP: format, guest width, Xen version, vcpus, pages, and the\n"
	"guest's arch_shared_info: max_pfn, frame_list_list, p2m_cr3 and its root\n"
	"mfn, p2m_vaddr, p2m_generation, which p2m sources exist, vcpu0's cr3.\n"
	"Fails (exit 2) when the published linear p2m list is unusable: its\n"
	"range is not canonical, wraps or overlaps Xen's, or its root table is\n"
	"not in the dump (`p2m --source=dump` still reads such a dump), unless\n"
	"the dump is damaged (cut short, or counts that disagree with its\n"
	"sections): then damaged: yes, a damage line per thing it lacks, and\n"
	"linear_p2m_error.  An HVM guest's max_pfn is its highest dumped pfn + 1.\n"
	"\n"
	"  --json       print one JSON object: addresses and frame numbers as\n"
	"               \"0x...\" strings, counts as numbers\n"
	"  --vmlinux F  also read the guest kernel's linux_banner (kernel_banner,\n"
	"               kernel_release) through vcpu0's page tables, and warn if\n"
	"               the vmlinux does not match the dump\n"
	"  --system-map F  the same with symbols from a System.map\n"
	"  --force      do not warn when the vmlinux does not match the dump\n"
	"  --vmcoreinfo F  the kernel's VMCOREINFO from a file (makedumpfile -g)\n"
	"With symbols (or --vmcoreinfo), also the kernel's VMCOREINFO (vmcoreinfo:\n"
	"where it was read, or none and vmcoreinfo_error), its OSRELEASE, the\n"
	"memmap it describes (memmap_model, memmap_base, page_struct_size),\n"
	"page_types: the classes `filter -d` can tell apart with it, and when it\n"
	"describes the kernel log, kernel_log (its layout), kernel_log_records\n"
	"and kernel_panic, the log's \"Kernel panic - not syncing\" line if it\n"
	"has one (or kernel_log_error).  Without symbols, the same when the file\n"
	"carries a VMCOREINFO (a native export: \"dump note\") or a dumped page\n"
	"holds one (\"scan pfn 0xPFN\"; the scan reads every page until it finds\n"
	"it); kernel_release is then VMCOREINFO's OSRELEASE.  xencore's kdump\n"
	"and ELF files also say whether they are native exports (native), and a\n"
	"dump read from makedumpfile's flattened format says flattened: yes.\n"
	"  -h, --help   show this help\n";

/* One line of output: both forms print the same fields in the same order. */
struct field {
	const char *name;
	enum { F_STRING, F_UINT, F_HEX, F_BOOL, F_LIST, F_LINES } type;
	const char *str;		/* F_STRING (NULL: unknown), F_LIST */
	uint64_t num;			/* F_UINT, F_HEX, F_BOOL */
	const char *const *list;	/* F_LIST, F_LINES: list[0 .. num-1] */
};

#define MAX_FIELDS 48

struct fields {
	struct field f[MAX_FIELDS];
	int nr;
};

static void add(struct fields *fs, const char *name, int type, const char *str,
		uint64_t num)
{
	if (fs->nr < MAX_FIELDS)
		fs->f[fs->nr++] = (struct field){ .name = name, .type = type,
						  .str = str, .num = num };
}

/* What a damaged dump lacks, and what of the guest's p2m it cost. */
struct damage_view {
	const char *const *lines;
	size_t nr;
	const char *linear_error;	/* the list cannot be read (damaged dumps only) */
	char missing[256];		/* the first pfn ranges of pages cut off */
};

/* "0xb-0xf 0x1f8-0x207 ... (12 ranges, 288 pages)"; "" when none. */
static void missing_pfns(struct xencore_dump *dump, char *buf, size_t size)
{
	struct xencore_missing m[8] = { { .size = sizeof(m[0]) } };
	size_t n = xencore_dump_missing(dump, m, 8), have = n < 8 ? n : 8, len = 0, shown = 0;
	buf[0] = '\0';
	size_t i;
	for (i = 0; i < have && shown < 4 && len < size; i++, shown++) {
		if (m[i].pfn == UINT64_MAX) {	/* a legacy dump: mfns only */
			len += (size_t)snprintf(buf + len, size - len, "%smfn 0x%" PRIx64,
						shown ? " " : "", m[i].mfn);
			continue;
		}
		/* runs of other mfns that continue in pfn read as one range */
		uint64_t first = m[i].pfn, end = m[i].pfn + m[i].count;
		while (i + 1 < have && m[i + 1].pfn == end)
			end += m[++i].count;
		len += (size_t)snprintf(buf + len, size - len, "%s0x%" PRIx64 "-0x%" PRIx64,
					shown ? " " : "", first, end - 1);
	}
	if (i < n && len < size)	/* more than shown */
		snprintf(buf + len, size - len, " ... (%zu runs in all)", n);
}

static void collect(struct fields *fs, const struct xencore_dump_info *i,
		    const struct damage_view *dv,
		    const struct xencore_vcpu *vcpu0, const char *const *sources,
		    int nr_sources, const char *auto_source, const char *auto_why,
		    const char *banner, const char *release)
{
	add(fs, "format", F_STRING, i->format, 0);
	/* Rebuilt from makedumpfile's flattened format (filter -o -, makedumpfile -F). */
	if (i->flattened)
		add(fs, "flattened", F_BOOL, NULL, true);
	add(fs, "guest_type", F_STRING, i->hvm ? "HVM" : "PV", 0);
	/* HVM guests' frames are guest-physical: Xen translates for them. */
	add(fs, "auto_translated", F_BOOL, NULL, i->hvm);
	add(fs, "guest_bits", F_UINT, NULL, i->guest_bits);
	/* Xen's tools say guest_width for the guest word in bytes. */
	add(fs, "guest_width", F_UINT, NULL, i->guest_bits / 8);
	add(fs, "xen_version", F_STRING, i->xen_version, 0);
	add(fs, "nr_vcpus", F_UINT, NULL, i->nr_vcpus);
	add(fs, "vcpus", F_UINT, NULL, i->nr_vcpus);
	add(fs, "nr_vcpu_contexts", F_UINT, NULL, i->nr_contexts);
	add(fs, "nr_pages", F_UINT, NULL, i->nr_pages);
	add(fs, "page_size", F_UINT, NULL, i->page_size);
	/* Cut short, or counts that disagree: what is there is read. */
	add(fs, "damaged", F_BOOL, NULL, i->damaged);
	if (dv->nr) {
		add(fs, "damage", F_LINES, NULL, dv->nr);
		fs->f[fs->nr - 1].list = dv->lines;
	}
	if (dv->missing[0])
		add(fs, "missing_pfns", F_STRING, dv->missing, 0);
	/* Files xencore filter wrote (kdump) record the -d level. */
	if (i->has_dump_level) {
		add(fs, "dump_level", F_UINT, NULL, i->dump_level);
		/* xencore's own outputs: a native export, or page tables as dumped. */
		add(fs, "native", F_BOOL, NULL, i->native);
	}
	add(fs, "has_shared_info", F_BOOL, NULL, i->has_shared_info);
	/* An auto-translated guest's: its highest pfn in .xen_pfn + 1. */
	if (i->hvm && !i->has_shared_info && i->max_pfn)
		add(fs, "max_pfn", F_HEX, NULL, i->max_pfn);
	if (i->has_shared_info) {
		add(fs, "max_pfn", F_HEX, NULL, i->max_pfn);
		add(fs, "frame_list_list", F_HEX, NULL, i->frame_list_list);
		add(fs, "p2m_cr3", F_HEX, NULL, i->p2m_cr3);
		add(fs, "p2m_root_mfn", F_HEX, NULL, i->p2m_root_mfn);
		add(fs, "p2m_vaddr", F_HEX, NULL, i->p2m_vaddr);
		add(fs, "p2m_generation", F_UINT, NULL, i->p2m_generation);
		add(fs, "p2m_update_in_progress", F_BOOL, NULL,
		    i->p2m_update_in_progress);
		if (dv->linear_error)
			add(fs, "linear_p2m_error", F_STRING, dv->linear_error, 0);
	}
	add(fs, "p2m_sources", F_LIST, NULL, (uint64_t)nr_sources);
	fs->f[fs->nr - 1].list = sources;
	add(fs, "p2m_auto_source", F_STRING, auto_source ? auto_source : "none", 0);
	add(fs, "p2m_auto_reason", F_STRING, auto_why, 0);
	if (vcpu0) {
		add(fs, "vcpu0_cr3", F_HEX, NULL, vcpu0->cr3);
		add(fs, "vcpu0_cr3_mfn", F_HEX, NULL, vcpu0->cr3_mfn);
	}
	if (banner) {
		add(fs, "kernel_banner", F_STRING, banner, 0);
		add(fs, "kernel_release", F_STRING, release, 0);
	}
}

/* What the kernel's page metadata gives (symbols or --vmcoreinfo only). */
struct page_meta {
	struct kernel_memmap km;
	struct xencore_error *why;
	const char *types[XENCORE_PAGE_CLASSES];
	int nr_types;
};

static int read_page_meta(struct kernel *k, const struct kernel_opts *o, struct page_meta *pm)
{
	/* Level 0 needs only the memory model and the struct page size. */
	int rc = kernel_open_memmap(k, o, 0, &pm->km, &pm->why);
	if (rc || pm->why)
		return rc;
	static const struct {
		unsigned int level;
		enum xencore_page_class c;
	} bits[] = {
		{ XENCORE_DL_CACHE, XENCORE_PAGE_CACHE },
		{ XENCORE_DL_CACHE_PRI, XENCORE_PAGE_CACHE_PRIVATE },
		{ XENCORE_DL_USER, XENCORE_PAGE_USER },
		{ XENCORE_DL_FREE, XENCORE_PAGE_FREE },
	};
	unsigned int word = xencore_dump_info(k->dump)->guest_bits / 8;
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		struct xencore_memmap *mm = NULL;
		struct xencore_error *err = xencore_memmap_create(k->as, pm->km.vi, k->syms, word,
								  bits[i].level, &mm);
		if (!err) {
			pm->types[pm->nr_types++] = xencore_page_class_name(bits[i].c);
			xencore_memmap_destroy(mm);
		}
		xencore_error_destroy(err);
	}
	if (xencore_vmcoreinfo_get(pm->km.vi, "NUMBER(PG_hwpoison)"))
		pm->types[pm->nr_types++] = xencore_page_class_name(XENCORE_PAGE_HWPOISON);
	if (xencore_vmcoreinfo_get(pm->km.vi, "NUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE)"))
		pm->types[pm->nr_types++] = xencore_page_class_name(XENCORE_PAGE_OFFLINE);
	return EXIT_OK;
}

static void collect_page_meta(struct fields *fs, const struct page_meta *pm, bool have_release)
{
	const struct kernel_memmap *km = &pm->km;
	add(fs, "vmcoreinfo", F_STRING, km->vi ? km->source : "none", 0);
	if (km->vi)
		add(fs, "vmcoreinfo_osrelease", F_STRING,
		    xencore_vmcoreinfo_get(km->vi, "OSRELEASE"), 0);
	/* Without the banner (no symbols) the release is VMCOREINFO's. */
	if (km->vi && !have_release && xencore_vmcoreinfo_get(km->vi, "OSRELEASE"))
		add(fs, "kernel_release", F_STRING, xencore_vmcoreinfo_get(km->vi, "OSRELEASE"), 0);
	if (pm->why)
		add(fs, "vmcoreinfo_error", F_STRING, pm->why->message, 0);
	if (!km->mm)
		return;
	const struct xencore_memmap_info *mi = xencore_memmap_info(km->mm);
	add(fs, "memmap_model", F_STRING, mi->model_name, 0);
	add(fs, "memmap_base", F_HEX, NULL, mi->base);
	add(fs, "page_struct_size", F_UINT, NULL, mi->page_struct_size);
	if (mi->has_sections)
		add(fs, "section_size_bits", F_UINT, NULL, mi->section_size_bits);
	add(fs, "page_types", F_LIST, NULL, (uint64_t)pm->nr_types);
	fs->f[fs->nr - 1].list = pm->types;
}

/* The kernel log, when VMCOREINFO describes one: its size and panic line. */
struct log_meta {
	struct xencore_log *log;
	struct xencore_error *why;
	char panic[512];	/* the line that holds "Kernel panic - not syncing" */
};

static int read_log_meta(struct kernel *k, const struct kernel_opts *o,
			 const struct page_meta *pm, struct log_meta *lm)
{
	const struct xencore_vmcoreinfo *vi = pm->km.vi;
	if (!vi || (!xencore_vmcoreinfo_get(vi, "SYMBOL(prb)") &&
		    !xencore_vmcoreinfo_get(vi, "SYMBOL(log_buf)")))
		return EXIT_OK;
	int rc = kernel_read_log(k, o, &pm->km, true, &lm->log, &lm->why);
	if (rc || !lm->log)
		return rc;
	const char *line;
	size_t len;
	if (!xencore_log_panic(lm->log, &line, &len))
		return EXIT_OK;
	/* unprintable bytes as dmesg shows them */
	size_t n = 0;
	for (const char *p = line; p < line + len; p++) {
		unsigned char c = (unsigned char)*p;
		if (n + 5 >= sizeof(lm->panic))
			break;
		if (c >= 0x20 && c < 0x7f)
			lm->panic[n++] = (char)c;
		else
			n += (size_t)snprintf(lm->panic + n, sizeof(lm->panic) - n, "\\x%02x", c);
	}
	lm->panic[n] = '\0';
	return EXIT_OK;
}

static void collect_log(struct fields *fs, const struct log_meta *lm)
{
	if (lm->why) {
		add(fs, "kernel_log_error", F_STRING, lm->why->message, 0);
		return;
	}
	if (!lm->log)
		return;
	const struct xencore_log_info *li = xencore_log_info(lm->log);
	add(fs, "kernel_log", F_STRING, li->layout_name, 0);
	add(fs, "kernel_log_records", F_UINT, NULL, li->records);
	if (li->skipped)
		add(fs, "kernel_log_skipped", F_UINT, NULL, li->skipped);
	if (lm->panic[0])
		add(fs, "kernel_panic", F_STRING, lm->panic, 0);
}

/* "Linux version 6.1.0-xencore (...) ..." -> "6.1.0-xencore"; banner loses its newline. */
static const char *banner_release(char *banner, char *release, size_t size)
{
	banner[strcspn(banner, "\n")] = '\0';
	static const char prefix[] = "Linux version ";
	if (strncmp(banner, prefix, sizeof(prefix) - 1))
		return NULL;
	const char *r = banner + sizeof(prefix) - 1;
	size_t len = strcspn(r, " ");
	if (!len || len >= size)
		return NULL;
	memcpy(release, r, len);
	release[len] = '\0';
	return release;
}

/* `name:` padded to one column, then the value; hex for frames and addresses. */
static void print_text(const struct fields *fs)
{
	for (int k = 0; k < fs->nr; k++) {
		const struct field *f = &fs->f[k];
		printf("%s:%*s", f->name, (int)(23 - strlen(f->name)), "");
		switch (f->type) {
		case F_STRING:
			printf("%s\n", f->str ? f->str : "unknown");
			break;
		case F_UINT:
			printf("%" PRIu64 "\n", f->num);
			break;
		case F_HEX:
			printf("0x%" PRIx64 "\n", f->num);
			break;
		case F_BOOL:
			printf("%s\n", f->num ? "yes" : "no");
			break;
		case F_LIST:
			for (uint64_t n = 0; n < f->num; n++)
				printf("%s%s", n ? " " : "", f->list[n]);
			printf("%s\n", f->num ? "" : "none");
			break;
		case F_LINES:	/* one `name:` line each */
			for (uint64_t n = 0; n < f->num; n++)
				printf("%s%s%*s%s\n", n ? f->name : "", n ? ":" : "",
				       n ? (int)(23 - strlen(f->name)) : 0, "", f->list[n]);
			break;
		}
	}
}

static void print_json(const struct fields *fs, const char *path)
{
	struct json j;
	json_init(&j, stdout, true);
	json_object_begin(&j);
	json_key(&j, "file");
	json_string(&j, path);
	for (int k = 0; k < fs->nr; k++) {
		const struct field *f = &fs->f[k];
		json_key(&j, f->name);
		switch (f->type) {
		case F_STRING:
			if (f->str)
				json_string(&j, f->str);
			else
				json_null(&j);
			break;
		case F_UINT:
			json_uint(&j, f->num);
			break;
		case F_HEX:
			json_hex(&j, f->num);
			break;
		case F_BOOL:
			json_bool(&j, f->num);
			break;
		case F_LIST:
		case F_LINES:
			json_array_begin(&j);
			for (uint64_t n = 0; n < f->num; n++)
				json_string(&j, f->list[n]);
			json_array_end(&j);
			break;
		}
	}
	json_object_end(&j);
	json_finish(&j);
}

int cmd_info(int argc, char **argv)
{
	static const struct option opts[] = {
		KERNEL_LONG_OPTIONS,
		VMCOREINFO_LONG_OPTION,
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kernel_opts o = { 0 };
	bool json = false;
	struct cli_opts co = { "info", info_usage, opts, NULL, &o, argc, argv };
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
	if (argc - optind != 1)
		return cli_usage_error("info", "expected one DUMP argument");
	const char *path = cli_dump_name(argv[optind]);

	struct kernel k;
	int rc = kernel_open(&k, argv[optind], &o);
	if (rc)
		return rc;
	struct xencore_dump *dump = k.dump;
	/*
	 * info checks the whole page table, then reports p2m_cr3's root and the
	 * list's range: all must be sound.
	 */
	struct xencore_error *bad = xencore_dump_index_all(dump), *linear_bad = NULL;
	const struct xencore_dump_info *info = xencore_dump_info(dump);
	if (!bad)
		bad = xencore_linear_p2m_check(dump);
	/* A damaged dump may have lost the list's tables: said, not fatal. */
	if (bad && info->damaged && bad->code != XENCORE_ERROR_NOMEM) {
		linear_bad = bad;
		bad = NULL;
	}
	if (bad) {
		kernel_close(&k);
		return cli_fail(path, bad);
	}
	struct damage_view dv = { .linear_error = linear_bad ? linear_bad->message : NULL };
	dv.lines = xencore_dump_damage(dump, &dv.nr);
	missing_pfns(dump, dv.missing, sizeof(dv.missing));
	/*
	 * The sources the dump itself offers (the kernel's list needs symbols:
	 * not listed), from the library's table: the dump's structures and
	 * tables in the table's order, then the p2m xencore filter saved (this
	 * line has always listed it last).
	 */
	const char *sources[16];
	int nr_sources = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t s = 0; s < xencore_p2m_source_count() && nr_sources < 16; s++) {
			enum xencore_p2m_source src = xencore_p2m_source_at(s);
			if ((src == XENCORE_P2M_SAVED) == (pass == 1) &&
			    xencore_p2m_source_offered(dump, src, false))
				sources[nr_sources++] = xencore_p2m_source_name(src);
		}
	const char *auto_why;
	enum xencore_p2m_source auto_source = kernel_auto_source(&k, &auto_why);
	struct xencore_vcpu vcpu0 = { .size = sizeof(vcpu0) };
	if (info->nr_contexts) {
		struct xencore_error *err = xencore_dump_vcpu(dump, 0, &vcpu0);
		if (err) {
			xencore_error_destroy(linear_bad);
			kernel_close(&k);
			return cli_fail(path, err);
		}
	}
	const char *banner = NULL, *release = NULL;
	char release_buf[128], banner_buf[512];
	if (k.syms) {
		if ((rc = kernel_open_as(&k, &o, false))) {
			xencore_error_destroy(linear_bad);
			kernel_close(&k);
			return rc;
		}
		snprintf(banner_buf, sizeof(banner_buf), "%s", xencore_session_banner(k.session));
		if (banner_buf[0]) {
			banner = banner_buf;
			release = banner_release(banner_buf, release_buf, sizeof(release_buf));
		}
	}
	/*
	 * The kernel's VMCOREINFO: with symbols or --vmcoreinfo, where it
	 * was read or why not; without, when the file carries one or a page
	 * holds one (a scan: every page is read until one is found).
	 */
	struct page_meta pm = { .nr_types = 0 };
	if ((rc = read_page_meta(&k, &o, &pm))) {
		xencore_error_destroy(linear_bad);
		kernel_close_memmap(&pm.km);
		kernel_close(&k);
		return rc;
	}
	struct log_meta lm = { .log = NULL };
	if ((rc = read_log_meta(&k, &o, &pm, &lm))) {
		xencore_error_destroy(linear_bad);
		kernel_close_memmap(&pm.km);
		kernel_close(&k);
		return rc;
	}
	bool meta = k.syms || o.vmcoreinfo || pm.km.vi;
	const char *auto_name = auto_source == XENCORE_P2M_AUTO
					? NULL : xencore_p2m_source_name(auto_source);
	struct fields fs = { .nr = 0 };
	collect(&fs, info, &dv, info->nr_contexts ? &vcpu0 : NULL, sources, nr_sources,
		auto_name, auto_why, banner, release);
	if (meta) {
		collect_page_meta(&fs, &pm, release != NULL);
		collect_log(&fs, &lm);
	}
	if (json)
		print_json(&fs, path);
	else
		print_text(&fs);
	xencore_error_destroy(pm.why);
	xencore_error_destroy(lm.why);
	xencore_error_destroy(linear_bad);
	xencore_log_destroy(lm.log);
	kernel_close_memmap(&pm.km);
	kernel_close(&k);
	return cli_finish_output(EXIT_OK);
}
