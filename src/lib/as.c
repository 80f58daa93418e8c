// SPDX-License-Identifier: LGPL-2.1-or-later
/* as.c: address spaces for reads: kernel virtual, pseudo-physical, machine. */
#include <config.h>

#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "dump-priv.h"
#include "error.h"
#include "pgtable-x86.h"
#include "x86.h"

/* Data pages kept for the next reads: most reads land near the last one. */
#define DATA_SLOTS	256

struct xencore_as {
	struct xencore_dump *dump;
	struct xencore_p2m *p2m;
	uint64_t root_mfn;
	int levels;			/* 4, or 3 for 32-bit PAE guests */
	/*
	 * The caches below are shared by every thread reading through this
	 * address space: each page step of a read holds the lock.
	 */
	pthread_mutex_t lock;
	struct pt_cache cache;
	uint64_t data_mfn[DATA_SLOTS];
	bool data_valid[DATA_SLOTS];
	unsigned char *data;		/* DATA_SLOTS pages */
};

/* pfn -> mfn through the p2m, or an error that says why not. */
static struct xencore_error *pfn_to_mfn(struct xencore_p2m *p2m, uint64_t pfn,
					uint64_t *mfn_ret)
{
	if (!p2m)
		return xc_error(XENCORE_ERROR_NOT_AVAILABLE,
				"no p2m to translate pfn 0x%" PRIx64, pfn);
	const struct xencore_p2m_run *run = xencore_p2m_find(p2m, pfn);
	if (!run)
		return xc_error(XENCORE_ERROR_NOT_PRESENT,
				"pfn 0x%" PRIx64 " is beyond max_pfn 0x%" PRIx64,
				pfn, xencore_p2m_max_pfn(p2m));
	if (run->kind != XENCORE_RUN_MAPPED)
		return xc_error(XENCORE_ERROR_NOT_PRESENT,
				"pfn 0x%" PRIx64 " has no machine frame (p2m entry %s)", pfn,
				run->kind == XENCORE_RUN_INVALID ? "invalid" : "unknown");
	*mfn_ret = run->mfn + (pfn - run->pfn);
	return NULL;
}

/* init_top_pgt (4.14+) or swapper_pg_dir: a page of the kernel image. */
static struct xencore_error *root_from_symbol(struct xencore_as *as,
					      const struct xencore_symbols *syms)
{
	if (!syms)
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
				"the page-table root symbol needs --vmlinux or --system-map");
	const struct xencore_symbol *sym = xencore_symbol_lookup(syms, "init_top_pgt");
	if (!sym)
		sym = xencore_symbol_lookup(syms, "swapper_pg_dir");
	if (!sym)
		return xc_error(XENCORE_ERROR_NOT_AVAILABLE,
				"no init_top_pgt or swapper_pg_dir symbol");
	/*
	 * PV kernels run with phys_base 0: phys = vaddr - __START_KERNEL_map on
	 * x86-64, vaddr - PAGE_OFFSET (lowmem) on i386.
	 */
	uint64_t base = as->levels == 4 ? X86_64_START_KERNEL_MAP : X86_32_PAGE_OFFSET;
	uint64_t extent = as->levels == 4 ? X86_64_KERNEL_IMAGE_MAX : X86_32_LOWMEM_MAX;
	if (sym->address < base || sym->address - base >= extent)
		return xc_error(XENCORE_ERROR_FORMAT,
				"%s 0x%" PRIx64 " is not in the kernel image mapping",
				sym->name, sym->address);
	uint64_t pfn = (sym->address - base) >> X86_PAGE_SHIFT;
	struct xencore_error *err = pfn_to_mfn(as->p2m, pfn, &as->root_mfn);
	return err ? xc_error_prefix(err, "%s", sym->name) : NULL;
}

struct xencore_error *xencore_as_create(struct xencore_dump *dump,
					struct xencore_p2m *p2m,
					const struct xencore_symbols *syms,
					const struct xencore_root *caller_root,
					struct xencore_as **ret)
{
	*ret = NULL;
	struct xencore_root root_in;
	XC_ABI_IN(&root_in, caller_root, XC_SIZE_0_1_ROOT);
	const struct xencore_root *root = &root_in;
	struct xencore_as *as = calloc(1, sizeof(*as));
	if (!as)
		return &xencore_enomem;
	pthread_mutex_init(&as->lock, NULL);
	as->dump = dump;
	as->p2m = p2m;
	as->levels = dump->info.guest_bits == 64 ? 4 : 3;
	struct xencore_error *err = pt_cache_init(&as->cache);
	if (err)
		goto fail;
	as->data = malloc(DATA_SLOTS * X86_PAGE_SIZE);
	if (!as->data) {
		err = &xencore_enomem;
		goto fail;
	}

	struct xencore_vcpu vcpu = { .size = sizeof(vcpu) };
	switch (root->kind) {
	case XENCORE_ROOT_VCPU:
		if ((err = xencore_dump_vcpu(dump, root->value, &vcpu)))
			goto fail;
		if (!vcpu.cr3) {
			err = xc_error(XENCORE_ERROR_FORMAT,
				       "vcpu %" PRIu64 " has cr3 0: no page-table root (try --cr3)",
				       root->value);
			goto fail;
		}
		as->root_mfn = vcpu.cr3_mfn;
		break;
	case XENCORE_ROOT_CR3:
		if (!root->value) {
			err = xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
				       "cr3 0 names no page-table root");
			goto fail;
		}
		as->root_mfn = x86_cr3_to_mfn(root->value, dump->info.guest_bits);
		break;
	case XENCORE_ROOT_SYMBOL:
		if ((err = root_from_symbol(as, syms)))
			goto fail;
		break;
	default:
		err = xc_error(XENCORE_ERROR_INVALID_ARGUMENT, "unknown root kind");
		goto fail;
	}
	/* A damaged page table is its own error, not "root not dumped". */
	struct page_run run;
	if ((err = page_index_find_mfn(&dump->index, as->root_mfn, &run)))
		goto fail;
	if (!run.count) {
		err = xc_error(XENCORE_ERROR_NOT_PRESENT,
			       "page-table root mfn 0x%" PRIx64 " is not in the dump",
			       as->root_mfn);
		goto fail;
	}
	*ret = as;
	return NULL;
fail:
	xencore_as_destroy(as);
	return err;
}

void xencore_as_destroy(struct xencore_as *as)
{
	if (!as)
		return;
	pt_cache_deinit(&as->cache);
	pthread_mutex_destroy(&as->lock);
	free(as->data);
	free(as);
}

void xencore_as_set_p2m(struct xencore_as *as, struct xencore_p2m *p2m)
{
	as->p2m = p2m;
}

uint64_t xencore_as_root_mfn(const struct xencore_as *as)
{
	return as->root_mfn;
}

struct xencore_error *xencore_as_vtop(struct xencore_as *as, uint64_t vaddr,
				      struct xencore_vtop *ret)
{
	struct xencore_vtop v;
	pthread_mutex_lock(&as->lock);
	struct xencore_error *err = pt_walk(as->dump, &as->cache, as->root_mfn,
					    as->levels, vaddr, &v);
	pthread_mutex_unlock(&as->lock);
	v.size = sizeof(v);
	xc_error_at(err, XENCORE_WHERE_KVADDR, vaddr);
	if (!err && as->p2m)
		v.has_pfn = xencore_p2m_mfn_to_pfn(as->p2m, v.mfn, &v.pfn);
	XC_ABI_OUT(ret, &v, XC_SIZE_0_1_VTOP);
	return err;
}

/* The machine frame of the page holding addr in space. */
static struct xencore_error *frame_of(struct xencore_as *as,
				      enum xencore_addr_space space,
				      uint64_t addr, uint64_t *mfn_ret)
{
	switch (space) {
	case XENCORE_KVADDR:
		return pt_translate(as->dump, &as->cache, as->root_mfn, as->levels,
				    addr, mfn_ret);
	case XENCORE_PHYS:
		return pfn_to_mfn(as->p2m, addr >> X86_PAGE_SHIFT, mfn_ret);
	case XENCORE_MACHINE:
		*mfn_ret = addr >> X86_PAGE_SHIFT;
		return NULL;
	}
	return xc_error(XENCORE_ERROR_INVALID_ARGUMENT, "unknown address space");
}

/*
 * The dumped page with machine frame mfn, through the cache: one pread per
 * page instead of one per read (random 8-byte reads are 30x faster).
 */
static struct xencore_error *data_page(struct xencore_as *as, uint64_t mfn,
				       const unsigned char **ret)
{
	size_t slot = (size_t)(mfn % DATA_SLOTS);
	unsigned char *page = as->data + slot * X86_PAGE_SIZE;
	if (!as->data_valid[slot] || as->data_mfn[slot] != mfn) {
		as->data_valid[slot] = false;
		struct xencore_error *err = xencore_read_mfn(as->dump, mfn, page);
		if (err)
			return err;
		as->data_mfn[slot] = mfn;
		as->data_valid[slot] = true;
	}
	*ret = page;
	return NULL;
}

struct xencore_error *xencore_as_read(struct xencore_as *as,
				      enum xencore_addr_space space,
				      uint64_t addr, void *buf, size_t len,
				      size_t *done_ret)
{
	unsigned char *out = buf;
	size_t done = 0;
	struct xencore_error *err = NULL;
	while (done < len) {
		uint64_t a = addr + done;
		if (a < addr) {
			err = xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
				       "the read wraps around the address space");
			break;
		}
		size_t off = (size_t)(a & (X86_PAGE_SIZE - 1));
		size_t n = X86_PAGE_SIZE - off;
		if (n > len - done)
			n = len - done;
		uint64_t mfn;
		const unsigned char *page;
		pthread_mutex_lock(&as->lock);
		err = frame_of(as, space, a, &mfn);
		if (!err)
			err = data_page(as, mfn, &page);
		if (!err)
			memcpy(out + done, page + off, n);
		pthread_mutex_unlock(&as->lock);
		if (err) {
			static const enum xencore_error_where where[] = {
				[XENCORE_KVADDR] = XENCORE_WHERE_KVADDR,
				[XENCORE_PHYS] = XENCORE_WHERE_PHYS,
				[XENCORE_MACHINE] = XENCORE_WHERE_MACHINE,
			};
			err = xc_error_prefix(err, "cannot read 0x%" PRIx64, a);
			err = xc_error_at(err, space <= XENCORE_MACHINE ? where[space]
									: XENCORE_WHERE_NONE, a);
			break;
		}
		done += n;
	}
	*done_ret = done;
	return err;
}

struct xencore_error *xencore_as_read_string(struct xencore_as *as,
					     enum xencore_addr_space space,
					     uint64_t addr, void *buf, size_t max,
					     size_t *len_ret)
{
	*len_ret = 0;
	unsigned char *out = buf;
	size_t got = 0;
	while (got < max) {
		size_t chunk = X86_PAGE_SIZE - (size_t)((addr + got) & (X86_PAGE_SIZE - 1));
		if (chunk > max - got)
			chunk = max - got;
		size_t done;
		struct xencore_error *err =
			xencore_as_read(as, space, addr + got, out + got, chunk, &done);
		unsigned char *nul = memchr(out + got, '\0', done);
		if (nul) {
			xencore_error_destroy(err);
			*len_ret = (size_t)(nul - out);
			return NULL;
		}
		got += done;
		if (err)
			return err;
	}
	*len_ret = got;
	return NULL;
}
