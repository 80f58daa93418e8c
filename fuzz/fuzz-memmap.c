// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fuzz-memmap.c: a VMCOREINFO text as input, on a fixed dump
 * ($XENCORE_FUZZ_MEMMAP, a guest with a memmap such as the generator's
 * `pagetypes` scenario, and its symbols $XENCORE_FUZZ_MEMMAP_SYMBOLS, a
 * System.map; without them testdata/good-linear.xc and no symbols).  The
 * text is parsed, a memmap built from it for dump level 31 (else 0), and
 * every pfn of the guest classified: the struct page layout, the memory
 * model and the addresses are the fuzzer's, the memory read is the dump's.
 */
#define _GNU_SOURCE 1
#include <stdlib.h>

#include "fuzz-common.h"
#include "xencore.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct xencore_dump *dump;
static struct xencore_symbols *syms;
static struct xencore_as *as;
static uint64_t max_pfn;
static unsigned int word;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *path = getenv("XENCORE_FUZZ_MEMMAP");
	const char *map = getenv("XENCORE_FUZZ_MEMMAP_SYMBOLS");
	if (!path)
		path = "testdata/good-linear.xc";
	struct xencore_p2m *p2m = NULL;
	struct xencore_root root = { .size = sizeof(root), .kind = XENCORE_ROOT_VCPU };
	if (xencore_dump_open(path, NULL, NULL, &dump) ||
	    (map && xencore_symbols_from_system_map(map, &syms)) ||
	    xencore_p2m_create(dump, XENCORE_P2M_AUTO, &p2m) ||
	    xencore_as_create(dump, p2m, syms, &root, &as)) {
		fprintf(stderr, "fuzz-memmap: cannot open the template %s\n", path);
		abort();
	}
	/* The address space keeps the p2m: it lives as long as the process. */
	const struct xencore_dump_info *info = xencore_dump_info(dump);
	max_pfn = info->max_pfn < (1u << 16) ? info->max_pfn : (1u << 16);
	word = info->guest_bits / 8;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xencore_vmcoreinfo *vi;
	struct xencore_error *err = xencore_vmcoreinfo_parse((const char *)data, size, &vi);
	if (err) {
		xencore_error_destroy(err);
		return 0;
	}
	for (size_t i = 0; i < xencore_vmcoreinfo_count(vi); i++) {
		const char *k, *v;
		xencore_vmcoreinfo_entry(vi, i, &k, &v);
		(void)xencore_vmcoreinfo_get(vi, k);
	}
	struct xencore_memmap *mm;
	err = xencore_memmap_create(as, vi, syms, word, XENCORE_DL_MAX, &mm);
	if (err) {
		xencore_error_destroy(err);
		err = xencore_memmap_create(as, vi, syms, word, 0, &mm);
	}
	if (err) {
		xencore_error_destroy(err);
	} else {
		for (uint64_t pfn = 0; pfn < max_pfn; pfn++) {
			enum xencore_page_class c;
			if ((err = xencore_memmap_classify(mm, pfn, &c)))
				abort();	/* only out of memory may fail */
			if ((unsigned)c >= XENCORE_PAGE_CLASSES)
				abort();
		}
		/* Out of order: no range may carry over. */
		enum xencore_page_class c;
		xencore_error_destroy(xencore_memmap_classify(mm, 1, &c));
		xencore_memmap_destroy(mm);
	}
	xencore_vmcoreinfo_destroy(vi);
	return 0;
}
