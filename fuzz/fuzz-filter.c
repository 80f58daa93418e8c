// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fuzz-filter.c: a whole dump file as input (any format xencore reads,
 * kdump and ELF files from xencore filter included): filter it to a kdump
 * file with the page tables as dumped, to a native kdump file and ELF core
 * (page tables rewritten, from every root the dump names) and to an
 * xc_core file, all verified, and open what was written.  The first byte
 * picks the dump level and the thread count, so both are fuzzed too.
 */
#define _GNU_SOURCE 1
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz-common.h"
#include "xencore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/xencore-fuzz-filter.XXXXXX";

static void run(struct xencore_dump *dump, enum xencore_output_format format,
		unsigned int level, unsigned int threads, bool native)
{
	char out[64];
	snprintf(out, sizeof(out), "%s/out", dir);
	struct xencore_p2m *p2m = NULL;
	struct xencore_error *err = xencore_p2m_create(dump, XENCORE_P2M_AUTO, &p2m);
	if (err) {
		xencore_error_destroy(err);
		p2m = NULL;
	}
	/* A native export: the kernel's memory through vcpu 0, a carried VMCOREINFO. */
	struct xencore_native *nat = NULL;
	struct xencore_as *as = NULL;
	struct xencore_vmcoreinfo *vi = NULL;
	if (native) {
		struct xencore_root root = { .size = sizeof(root), .kind = XENCORE_ROOT_VCPU };
		xencore_error_destroy(xencore_as_create(dump, p2m, NULL, &root, &as));
		xencore_error_destroy(xencore_vmcoreinfo_from_dump(dump, &vi));
		err = xencore_native_create(dump, p2m, as, NULL, vi, &nat);
		if (err) {
			xencore_error_destroy(err);
			goto out;
		}
	}
	struct xencore_filter_options o = {
		.size = sizeof(o),
		.dump_level = level,
		.format = format,
		.compression = XENCORE_COMPRESS_ZLIB,
		.threads = threads,
		.p2m = p2m,
		.verify = true,
		.native = nat,
	};
	struct xencore_filter_stats st = { .size = sizeof(st) };
	err = xencore_filter(dump, out, &o, &st);
	if (err) {
		xencore_error_destroy(err);
	} else {
		struct xencore_dump *again;
		err = xencore_dump_open(out, NULL, NULL, &again);
		if (err)
			abort();	/* verify opened it: it must open again */
		xencore_dump_destroy(again);
		unlink(out);
	}
out:
	xencore_native_destroy(nat);
	xencore_vmcoreinfo_destroy(vi);
	xencore_as_destroy(as);
	xencore_p2m_destroy(p2m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		if (!mkdtemp(dir))
			return 0;
		ready = 1;
	}
	const char *path = fuzz_file(data, size);
	struct xencore_dump *dump;
	if (!path || !size)
		return 0;
	struct xencore_error *err = xencore_dump_open(path, NULL, NULL, &dump);
	if (err) {
		xencore_error_destroy(err);
		return 0;
	}
	/* As fuzz-open: a huge max_pfn only exercises the p2m caps. */
	const struct xencore_dump_info *info = xencore_dump_info(dump);
	if (info->has_shared_info && info->max_pfn > FUZZ_MAX_PFN) {
		xencore_dump_destroy(dump);
		return 0;
	}
	unsigned int level = data[0] & 1, threads = 1 + (data[0] >> 1 & 1);
	run(dump, XENCORE_OUTPUT_KDUMP, level, threads, false);
	run(dump, XENCORE_OUTPUT_KDUMP, level, threads, true);
	run(dump, XENCORE_OUTPUT_ELF, level, threads, true);
	run(dump, XENCORE_OUTPUT_XC_CORE, level, threads, false);
	xencore_dump_destroy(dump);
	return 0;
}
