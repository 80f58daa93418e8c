// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fuzz-open.c: a whole dump file as input: open it (ELF or legacy xc_core,
 * or a kdump file from xencore filter, or such a file in makedumpfile's
 * flattened format, rebuilt into a temporary file in $TMPDIR first),
 * describe it, index it, build every p2m source, cross-check them, and read
 * through vcpu 0's page tables, as info, p2m, check and read do; then find
 * its VMCOREINFO (a native file's note, else a scan), read every vcpu's
 * registers and walk every page table a native export would rewrite.
 */
#define _GNU_SOURCE 1
#include "fuzz-common.h"
#include "xencore.h"

static void drop(struct xencore_error *err)
{
	xencore_error_destroy(err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(data, size);
	struct xencore_dump *dump;
	if (!path)
		return 0;
	struct xencore_error *open_err = xencore_dump_open(path, NULL, NULL, &dump);
	if (open_err) {
		drop(open_err);	/* making and freeing the error is the test */
		return 0;
	}
	const struct xencore_dump_info *info = xencore_dump_info(dump);
	drop(xencore_dump_index_all(dump));
	drop(xencore_linear_p2m_check(dump));
	const char *why;
	(void)xencore_p2m_auto_source(dump, &why);

	/*
	 * A mutated max_pfn sends the tree and list walks to their caps (2^24
	 * runs, half a GiB, seconds under ASan; bad-input.sh tests those): past
	 * 2^16 pfns (8 times the tiny seeds) the executions go to the parsers
	 * instead; fuzz-p2m fuzzes the walks themselves.
	 */
	if (info->has_shared_info && info->max_pfn > FUZZ_MAX_PFN) {
		xencore_dump_destroy(dump);
		return 0;
	}
	struct xencore_p2m *p2m[4];
	size_t n = 0;
	const enum xencore_p2m_source src[] = {
		XENCORE_P2M_LINEAR, XENCORE_P2M_TREE, XENCORE_P2M_DUMP, XENCORE_P2M_SAVED,
	};
	for (size_t i = 0; i < 4; i++) {
		struct xencore_error *err = xencore_p2m_create(dump, src[i], &p2m[n]);
		if (err)
			drop(err);
		else
			n++;
	}
	struct xencore_check *chk;
	struct xencore_error *err = xencore_check_create(dump, p2m, n, &chk);
	if (err)
		drop(err);
	else
		xencore_check_destroy(chk);

	struct xencore_root root = { .size = sizeof(root), .kind = XENCORE_ROOT_VCPU };
	struct xencore_as *as = NULL;
	err = info->nr_contexts ? xencore_as_create(dump, n ? p2m[0] : NULL, NULL, &root, &as)
				: NULL;
	if (err) {
		drop(err);
		as = NULL;
	} else if (info->nr_contexts) {
		unsigned char buf[256];
		size_t done;
		uint64_t va = info->guest_bits == 64 ? 0xffffffff81030000u : 0xc1030000u;
		drop(xencore_as_read(as, XENCORE_KVADDR, va, buf, sizeof(buf), &done));
		drop(xencore_as_read(as, XENCORE_PHYS, 0x1000000, buf, sizeof(buf), &done));
		struct xencore_vtop v = { .size = sizeof(v) };
		drop(xencore_as_vtop(as, va, &v));
	}
	for (uint64_t i = 0; i < info->nr_contexts && i < 4; i++) {
		struct xencore_vcpu_regs r = { .size = sizeof(r) };
		drop(xencore_dump_vcpu_regs(dump, i, &r));
	}
	struct xencore_vmcoreinfo *vi = NULL;
	err = xencore_vmcoreinfo_from_dump(dump, &vi);
	if (err) {
		drop(err);
		vi = NULL;
		drop(xencore_vmcoreinfo_scan(dump, &vi));
	}
	struct xencore_native *nat;
	if (n && (err = xencore_native_create(dump, p2m[0], as, NULL, vi, &nat)))
		drop(err);
	else if (n)
		xencore_native_destroy(nat);
	xencore_vmcoreinfo_destroy(vi);
	xencore_as_destroy(as);
	for (size_t i = 0; i < n; i++)
		xencore_p2m_destroy(p2m[i]);
	xencore_dump_destroy(dump);
	return 0;
}
