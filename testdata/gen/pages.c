// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * pages.c: what each page of the guest holds (gen_page()): its structural
 * pages, the processes' tables, start_info, the pagetypes pages, the
 * kernel's variables, or the data-page pattern (--content mixed: a
 * benchmark's mix of zero, compressible and random pages); and the pages
 * of a dump streamed out in the order of its index.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "model.h"
#include "pagetypes.h"
#include "util.h"

/* xen.h struct start_info, 64-bit offsets. */
#define SI_MAGIC		0	/* char[32] */
#define SI_NR_PAGES		32
#define SI_SHARED_INFO		40	/* machine address */
#define SI_FLAGS		48	/* u32 */
#define SI_STORE_MFN		56
#define SI_STORE_EVTCHN		64	/* u32 */
#define SI_CONSOLE_MFN		72	/* console.domU.mfn */
#define SI_CONSOLE_EVTCHN	80	/* console.domU.evtchn, u32 */
#define SI_PT_BASE		88
#define SI_NR_PT_FRAMES		96
#define SI_MFN_LIST		104
#define SI_CMD_LINE		128	/* int8_t[1024] (MAX_GUEST_CMDLINE) */
#define SI_FIRST_P2M_PFN	1152
#define SI_NR_P2M_FRAMES	1160
#define SIF_VIRT_P2M_4TOOLS	(1u << 4)	/* xen.h: tools understand the linear p2m */

/* xen.h struct start_info, 32-bit offsets (console.domU is {xen_pfn_t mfn; u32 evtchn}). */
#define SI32_NR_PAGES		32
#define SI32_SHARED_INFO	36
#define SI32_FLAGS		40
#define SI32_STORE_MFN		44
#define SI32_STORE_EVTCHN	48
#define SI32_CONSOLE_MFN	52
#define SI32_CONSOLE_EVTCHN	56
#define SI32_PT_BASE		60
#define SI32_NR_PT_FRAMES	64
#define SI32_MFN_LIST		68
#define SI32_CMD_LINE		80

/* A 32-bit guest's shared_info frame, below 4 GiB so the 4-byte field holds it; invented. */
#define SHARED_INFO_MFN32	0x7e7f0ULL

/* Linux xen-head.S XEN_ELFNOTE_INIT_P2M: Xen maps the initial p2m here. */
#define INIT_P2M_VADDR		0x8000000000ULL

/* The same in a 32-bit guest's layout (unsigned long and xen_pfn_t are 4 bytes). */
static void gen_start_info32(const struct model *m, uint8_t *pg)
{
	put_str(pg, SI_MAGIC, 32, "xen-3.0-x86_32p");
	put_le32(pg, SI32_NR_PAGES, (uint32_t)populated_pages(m));
	put_le32(pg, SI32_SHARED_INFO, (uint32_t)(SHARED_INFO_MFN32 << PAGE_SHIFT));
	put_le32(pg, SI32_FLAGS, m->pub_fll == INVALID_ENTRY ? SIF_VIRT_P2M_4TOOLS : 0);
	put_le32(pg, SI32_STORE_MFN, (uint32_t)mfn_of(m, KERNEL_TEXT_PFN + m->kp_xen + 1));
	put_le32(pg, SI32_STORE_EVTCHN, 1);
	put_le32(pg, SI32_CONSOLE_MFN, (uint32_t)mfn_of(m, KERNEL_TEXT_PFN + m->kp_xen + 2));
	put_le32(pg, SI32_CONSOLE_EVTCHN, 2);
	put_le32(pg, SI32_PT_BASE, (uint32_t)(KERNEL_TEXT_VA32 + PG(m->kp_xen + 3)));
	put_le32(pg, SI32_NR_PT_FRAMES, 1);
	/* Xen's initial list right after the image (no INIT_P2M note on 32-bit); gone. */
	put_le32(pg, SI32_MFN_LIST, (uint32_t)(KERNEL_TEXT_VA32 + PG(kimage_pages(m))));
	put_str(pg, SI32_CMD_LINE, 1024, "root=/dev/xvda1 ro console=hvc0");
}

/* Xen's start_info page (xen.h struct start_info) as the guest keeps it. */
static void gen_start_info(const struct model *m, uint8_t *pg)
{
	memset(pg, 0, PAGE_SIZE);
	if (m->pae) {
		gen_start_info32(m, pg);
		return;
	}
	put_str(pg, SI_MAGIC, 32, "xen-3.0-x86_64");
	put_le64(pg, SI_NR_PAGES, populated_pages(m));
	put_le64(pg, SI_SHARED_INFO, SHARED_INFO_MFN << PAGE_SHIFT);
	/* Set by the toolstack when it can read the linear list (no tree then). */
	put_le32(pg, SI_FLAGS, m->pub_fll == INVALID_ENTRY ? SIF_VIRT_P2M_4TOOLS : 0);
	put_le64(pg, SI_STORE_MFN, mfn_of(m, KERNEL_TEXT_PFN + m->kp_xen + 1));
	put_le32(pg, SI_STORE_EVTCHN, 1);
	put_le64(pg, SI_CONSOLE_MFN, mfn_of(m, KERNEL_TEXT_PFN + m->kp_xen + 2));
	put_le32(pg, SI_CONSOLE_EVTCHN, 2);
	/* Only the L1 of Xen's boot tables is left; Linux freed its L4/L3/L2. */
	put_le64(pg, SI_PT_BASE, KERNEL_TEXT_VA + PG(m->kp_xen + 3));
	put_le64(pg, SI_NR_PT_FRAMES, 1);
	put_le64(pg, SI_MFN_LIST, INIT_P2M_VADDR);
	put_str(pg, SI_CMD_LINE, 1024, "root=/dev/xvda1 ro console=hvc0");
	/* The initial p2m's frames are not modelled (Linux frees them). */
	put_le64(pg, SI_FIRST_P2M_PFN, 0);
	put_le64(pg, SI_NR_P2M_FRAMES, 0);
}

/*
 * A data page: a text header, eight u64 hashes of the pfn at 0x100 and the
 * pfn at 0xff8; zeros elsewhere, so the fixtures compress well.
 */
void gen_data_page(uint64_t pfn, uint64_t mfn, uint8_t *pg)
{
	memset(pg, 0, PAGE_SIZE);
	snprintf((char *)pg, 128, "xencore fixture pfn 0x%" PRIx64 " mfn 0x%" PRIx64 "\n", pfn, mfn);
	for (unsigned q = 0; q < 8; q++)
		put_le64(pg, 0x100 + 8 * q, mix64(pfn ^ ((uint64_t)q << 56)));
	put_le64(pg, PAGE_SIZE - 8, pfn);
}

/*
 * --content mixed: data pages for a benchmark of filtering and compression
 * (bench/filter).  Each page's class and bytes come from a hash of its pfn
 * alone (a fixed key, not --seed), so they do not depend on the order pages
 * are generated in, nor on the MFNs.  About 35% of the pages are zero, 23%
 * log-like text and 22% arrays of small objects (zlib level 1 shrinks those
 * two to about 40% and 25%), and 20% PRNG bytes that do not compress.
 */
#define MIXED_KEY	0x6d69786564ULL	/* "mixed" */

static const char *const mixed_words[] = {
	"alpha", "block", "cache", "delta", "entry", "flush", "group", "inode", "journal",
	"kernel", "lock", "map", "node", "open", "page", "queue", "read", "slab", "task",
	"timer", "unmap", "vcpu", "write", "xvda1", "zone", "buffer", "device", "event",
	"packet", "socket", "thread", "worker",
};

/* Line templates: T a timestamp, W a word, D a decimal, X a hex address. */
static const char *const mixed_lines[] = {
	"T W: request X for W X completed in D us\n",
	"T W W: D pages, D free, D reclaimable\n",
	"T W: state changed from W to W (D)\n",
	"T W D: W X len D flags X\n",
	"T W: W W W W W done\n",
	"T W: D/D W, D W\n",
	"T W: W at X, W at X\n",
	"T W W: retry D of D after D ms\n",
};

#define N_MIXED_WORDS	(sizeof(mixed_words) / sizeof(mixed_words[0]))

#define N_MIXED_LINES	(sizeof(mixed_lines) / sizeof(mixed_lines[0]))

/* v in decimal, zero-padded to width digits; returns the end. */
static char *mixed_dec(char *p, uint64_t v, int width)
{
	char t[20];
	int n = 0;

	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width)
		t[n++] = '0';
	while (n)
		*p++ = t[--n];
	return p;
}

/* A page of log-like text lines. */
static void mixed_text_page(uint64_t *rng, uint8_t *pg)
{
	uint64_t t = prng_next(rng) % 100000;	/* microseconds since boot */
	char line[256], *p;
	size_t off = 0;

	while (off < PAGE_SIZE) {
		const char *tp = mixed_lines[prng_next(rng) % N_MIXED_LINES];
		size_t n;

		for (p = line; *tp; tp++) {
			uint64_t r;

			switch (*tp) {
			case 'T':
				t += prng_next(rng) % 4096;
				*p++ = '[';
				p = mixed_dec(p, t / 1000000, 5);
				*p++ = '.';
				p = mixed_dec(p, t % 1000000, 6);
				*p++ = ']';
				break;
			case 'W':
				r = prng_next(rng) % N_MIXED_WORDS;
				n = strlen(mixed_words[r]);
				memcpy(p, mixed_words[r], n);
				p += n;
				break;
			case 'D':
				p = mixed_dec(p, prng_next(rng) % 4096, 1);
				break;
			case 'X':
				r = 0x8000 + (prng_next(rng) & 0xffff0);
				for (int k = 7; k >= 0; k--)
					*p++ = "0123456789abcdef"[(r >> (4 * k)) & 15];
				break;
			default:
				*p++ = *tp;
			}
		}
		n = (size_t)(p - line);
		if (n > PAGE_SIZE - off)
			n = PAGE_SIZE - off;
		memcpy(pg + off, line, n);
		off += n;
	}
}

/*
 * A page of 64-, 128- or 256-byte objects: a circular list through the page
 * (direct-map pointers), an index and a small counter, a kernel-text
 * pointer, small fields, and in the larger objects a name and a poison.
 */
static void mixed_object_page(uint64_t *rng, uint64_t pfn, uint8_t *pg)
{
	uint64_t base = PAGE_OFFSET_BASE + (pfn << PAGE_SHIFT);
	uint32_t size = 64u << (prng_next(rng) % 3);

	memset(pg, 0, PAGE_SIZE);
	for (uint32_t o = 0; o < PAGE_SIZE; o += size) {
		uint64_t r = prng_next(rng);

		put_le64(pg, o, base + (o + size) % PAGE_SIZE);
		put_le64(pg, o + 8, base + (o + PAGE_SIZE - size) % PAGE_SIZE);
		put_le64(pg, o + 16, (uint64_t)(o / size) << 32 | (r & 0xff));
		put_le64(pg, o + 24, KERNEL_TEXT_VA + ((r >> 8) & 0xfff0));
		put_le64(pg, o + 32, (r >> 24) & 3);
		put_le64(pg, o + 40, (r >> 40) & 0xffffff);
		if (size > 64) {
			const char *w = mixed_words[(r >> 32) % N_MIXED_WORDS];

			memcpy(pg + o + 64, w, strlen(w));
			put_le64(pg, o + 96, 0xdead000000000100ULL);	/* LIST_POISON1 */
			put_le64(pg, o + 104, (r >> 16) & 0xfffff);
		}
	}
}

static void gen_mixed_page(uint64_t pfn, uint8_t *pg)
{
	uint64_t h = mix64(pfn ^ MIXED_KEY), rng = mix64(h) | 1;
	uint32_t c = (uint32_t)(h >> 32) % 100;

	if (c < 35) {
		memset(pg, 0, PAGE_SIZE);
	} else if (c < 58) {
		mixed_text_page(&rng, pg);
	} else if (c < 80) {
		mixed_object_page(&rng, pfn, pg);
	} else {
		for (uint32_t o = 0; o < PAGE_SIZE; o += 8)
			put_le64(pg, o, prng_next(&rng));
	}
}

void gen_page(const struct model *m, uint64_t pfn, uint64_t mfn, uint8_t *pg)
{
	uint32_t k = sp_of_pfn(m, pfn);
	uint64_t i = pfn - KERNEL_TEXT_PFN;
	unsigned p, kind;

	if (pfn == INVALID_ENTRY)	/* xg_core.c pads a shrunk domain with zero pages */
		memset(pg, 0, PAGE_SIZE);
	else if (m->bad == BAD_ROOT_TWICE && pfn == m->twice_pfn)
		gen_struct_page(m, 0, pg);	/* the same machine frame: the root's bytes */
	else if (k != SP_NONE)
		gen_struct_page(m, k, pg);
	else if (proc_pt_of_pfn(m, pfn, &p, &kind))
		gen_proc_page(m, p, kind, pg);
	else if (m->kimage && !m->hvm && pfn >= KERNEL_TEXT_PFN && i == m->kp_xen)
		gen_start_info(m, pg);
	else if (m->pt && gen_pt_page(m, pfn, pg))
		;	/* struct pages, mem_section, VMCOREINFO, zero data pages */
	else if (m->pt && pk_stack_page(m, pfn, mfn, pg))
		;	/* the vcpus' kernel stacks */
	else if (!(m->kimage && pfn >= KERNEL_TEXT_PFN && i < kimage_pages(m) &&
		   kernel_objects_page(m, m->ka, (uint32_t)i, false, pg))) {
		if (m->mixed && !(pfn >= KERNEL_TEXT_PFN && i < kimage_pages(m)))
			gen_mixed_page(pfn, pg);
		else
			gen_data_page(pfn, mfn, pg);
	}
}

/* The pages of tab ({pfn, mfn} x nr_pages, as .xen_p2m) in its order, at off. */
int write_pages_of(const struct model *m, const uint8_t *tab, int fd, uint64_t off,
		   const char *path)
{
	uint8_t *buf = malloc((size_t)WRITE_BATCH * PAGE_SIZE);
	uint64_t i = 0;

	if (!buf)
		return fail("out of memory for the page buffer");
	while (i < m->nr_pages) {
		uint64_t n = m->nr_pages - i < WRITE_BATCH ? m->nr_pages - i : WRITE_BATCH;

		for (uint64_t k = 0; k < n; k++) {
			const uint8_t *ent = tab + 16 * (i + k);
			uint64_t pfn = 0, mfn = 0;

			for (int b = 7; b >= 0; b--) {
				pfn = pfn << 8 | ent[b];
				mfn = mfn << 8 | ent[8 + b];
			}
			gen_page(m, pfn, mfn, buf + k * PAGE_SIZE);
		}
		if (pwrite_all(fd, buf, n * PAGE_SIZE, off + i * PAGE_SIZE, path)) {
			free(buf);
			return -1;
		}
		i += n;
	}
	free(buf);
	return 0;
}
