// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mkvmcore.c: the makedumpfile side of bench/filter.
 *
 *   mkvmcore DUMP VMCORE
 *       Reads every page of the xc_core DUMP through libxencore and writes
 *       VMCORE, an ELF64 ET_CORE vmcore of an x86_64 Linux machine (what
 *       /proc/vmcore gives a kdump kernel) holding the same page bytes at
 *       physical address pfn * 4096, so that makedumpfile can filter and
 *       compress the same pages xencore filter does.
 *   mkvmcore --compare KDUMP DUMP [STEP]
 *       Reads every STEP-th pfn (default 61, and the last pfn) of DUMP with
 *       libxencore and the same physical page of the kdump-compressed file
 *       KDUMP with libkdumpfile, and compares them.  A page KDUMP does not
 *       hold must be a zero page of DUMP (dump level 1 drops zero pages).
 *       Prints "compared N pages (Z zero pages not in KDUMP)".
 *
 * Exit: 0 done / pages equal; 1 an error or a difference (on stderr);
 * 2 usage.
 *
 * The vmcore: a PT_NOTE with one VMCOREINFO note, one PT_LOAD per run of
 * pfns present in DUMP (p_paddr = pfn * 4096, p_vaddr in the direct map at
 * 0xffff888000000000 + p_paddr), and one more PT_LOAD, the "kernel image":
 * five pages at p_vaddr 0xffffffff81000000 placed above the guest's last pfn
 * (rounded up to 2 MiB).  makedumpfile 1.7.2 needs them even at dump level 1
 * once the vmcore has a VMCOREINFO note: check_release() reads init_uts_ns
 * (OSRELEASE must match its utsname.release), every kernel-virtual read goes
 * through the kernel's 4-level page table at SYMBOL(init_top_pgt), physical
 * address init_top_pgt - __START_KERNEL_map + phys_base, and get_mem_map()
 * wants a memory model (makedumpfile arch/x86_64.c vtop4_x86_64(),
 * makedumpfile.c check_release(), get_mem_type(), get_mm_flatmem()).  The
 * image pages are a native (not Xen: entries hold physical addresses) L4,
 * L3, L2 and L1 mapping the image, and init_uts_ns (Linux 6.1 struct
 * uts_namespace: struct new_utsname name at offset 0, six 65-byte fields)
 * followed by the variable mem_map.  The memory model given is FLATMEM's
 * (SYMBOL(mem_map) and struct page's size and three offsets), the smallest
 * makedumpfile accepts; at dump level 1 it reads no struct page.  The
 * VMCOREINFO entries are named as Linux writes them (kernel/crash_core.c,
 * arch/x86/kernel/machine_kexec_64.c); bench/README lists which ones
 * makedumpfile turned out to need.
 *
 * The headers are written with libelf (ELF_F_LAYOUT: every offset chosen
 * here), before the notes and pages, which go out with pwrite in batches, so
 * memory use does not grow with the dump.
 *
 * Build (bench/filter does it):
 *   gcc -std=c11 -O2 -I include -o mkvmcore bench/mkvmcore.c \
 *       build/.libs/libxencore.a $(pkg-config --cflags --libs libelf zlib lzo2 snappy libzstd libkdumpfile)
 */
#define _GNU_SOURCE 1	/* pwrite, open under -std=c11 */

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <libkdumpfile/kdumpfile.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xencore.h"

#define PROG "mkvmcore"

#define PAGE_SIZE	4096u
#define PAGE_SHIFT	12
#define BATCH		256u			/* pages per pwrite */
#define DIRECT_MAP	UINT64_C(0xffff888000000000)	/* page_offset_base, no KASLR */
#define START_KERNEL_MAP UINT64_C(0xffffffff80000000)	/* __START_KERNEL_map */
#define IMAGE_VA	UINT64_C(0xffffffff81000000)	/* _stext: + 16 MiB */
#define FRAME_MASK	UINT64_C(0x000ffffffffff000)

/* The kernel image pages, in order from IMAGE_VA. */
enum { IMG_L4, IMG_L3, IMG_L2, IMG_L1, IMG_UTS, IMG_PAGES };
#define TABLE_FLAGS	UINT64_C(0x063)	/* _KERNPG_TABLE: present, rw, accessed, dirty */
#define PAGE_FLAGS	UINT64_C(0x163)	/* __PAGE_KERNEL minus NX: the above and global */

#define MEM_MAP_OFF	0x200		/* mem_map, after init_uts_ns in its page */
#define VMEMMAP_BASE	UINT64_C(0xffffea0000000000)	/* vmemmap_base, no KASLR */

#define RELEASE		"6.1.0-bench"
#define UTS_LEN		65		/* __NEW_UTS_LEN + 1 */

enum { EXIT_FAIL = 1, EXIT_USAGE = 2 };

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int fail(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* Reports and releases a libxencore error. */
static int fail_xc(const char *what, struct xencore_error *err)
{
	fail("%s: %s", what, err->message ? err->message : "error");
	xencore_error_destroy(err);
	return -1;
}

static void put_le32(uint8_t *b, size_t off, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		b[off + i] = (uint8_t)(v >> (8 * i));
}

static void put_le64(uint8_t *b, size_t off, uint64_t v)
{
	for (unsigned i = 0; i < 8; i++)
		b[off + i] = (uint8_t)(v >> (8 * i));
}

static int pwrite_all(int fd, const void *buf, size_t len, uint64_t off, const char *path)
{
	const uint8_t *p = buf;

	while (len > 0) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return fail("%s: write: %s", path, n < 0 ? strerror(errno) : "short write");
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

static int open_dump(const char *path, struct xencore_dump **ret)
{
	struct xencore_error *err = xencore_dump_open(path, NULL, NULL, ret);

	if (err)
		return fail_xc(path, err);
	err = xencore_dump_index_all(*ret);
	if (err) {
		xencore_dump_destroy(*ret);
		return fail_xc(path, err);
	}
	if (xencore_dump_info(*ret)->page_size != PAGE_SIZE) {
		xencore_dump_destroy(*ret);
		return fail("%s: page size is not 4096", path);
	}
	return 0;
}

/* pfn is in the dump (buf receives it), absent (0), or an error (-1). */
static int read_pfn(struct xencore_dump *dump, uint64_t pfn, uint8_t *buf, const char *path)
{
	struct xencore_error *err = xencore_read_pfn(dump, pfn, buf);

	if (!err)
		return 1;
	if (err->code == XENCORE_ERROR_NOT_PRESENT) {
		xencore_error_destroy(err);
		return 0;
	}
	return fail_xc(path, err);
}

/* ---- the vmcore ---- */

struct run {
	uint64_t pfn, count;
};

/*
 * The runs of pfns the dump holds, in pfn order: one pass of reads over pfns
 * 0 .. limit-1 (limit: max_pfn, or the last pfn the dump can hold).  Memory
 * grows with the runs.
 */
static int find_runs(struct xencore_dump *dump, uint64_t limit, const char *path,
		     struct run **runs_ret, size_t *nruns_ret)
{
	struct run *runs = NULL;
	size_t n = 0, cap = 0;
	uint8_t *buf = malloc(PAGE_SIZE);

	if (!buf)
		return fail("out of memory");
	for (uint64_t pfn = 0; pfn < limit; pfn++) {
		int r = read_pfn(dump, pfn, buf, path);

		if (r < 0)
			goto err;
		if (!r)
			continue;
		if (n && runs[n - 1].pfn + runs[n - 1].count == pfn) {
			runs[n - 1].count++;
			continue;
		}
		if (n == cap) {
			struct run *t = realloc(runs, (cap = cap ? 2 * cap : 64) * sizeof(*runs));

			if (!t) {
				fail("out of memory for %zu runs", n);
				goto err;
			}
			runs = t;
		}
		runs[n++] = (struct run){ pfn, 1 };
	}
	free(buf);
	*runs_ret = runs;
	*nruns_ret = n;
	return 0;
err:
	free(buf);
	free(runs);
	return -1;
}

/* The VMCOREINFO text. */
static size_t vmcoreinfo(char *b, size_t size, uint64_t phys_base)
{
	int n = snprintf(b, size,
			 "OSRELEASE=" RELEASE "\n"
			 "PAGESIZE=%u\n"
			 "SYMBOL(init_uts_ns)=%" PRIx64 "\n"
			 "OFFSET(uts_namespace.name)=0\n"
			 "SYMBOL(_stext)=%" PRIx64 "\n"
			 "NUMBER(phys_base)=%" PRIu64 "\n"
			 "SYMBOL(init_top_pgt)=%" PRIx64 "\n"
			 "NUMBER(pgtable_l5_enabled)=0\n"
			 "SYMBOL(mem_map)=%" PRIx64 "\n"
			 "SIZE(page)=64\n"
			 "OFFSET(page.flags)=0\n"
			 "OFFSET(page._refcount)=52\n"
			 "OFFSET(page.mapping)=24\n"
			 "KERNELOFFSET=0\n",
			 PAGE_SIZE, IMAGE_VA + IMG_UTS * PAGE_SIZE, IMAGE_VA, phys_base,
			 IMAGE_VA + IMG_L4 * PAGE_SIZE, IMAGE_VA + IMG_UTS * PAGE_SIZE + MEM_MAP_OFF);

	return n < 0 || (size_t)n >= size ? 0 : (size_t)n;
}

/* One ELF note: name "VMCOREINFO", type 0, desc = text. */
static size_t build_note(uint8_t *b, const char *text, size_t len)
{
	static const char name[] = "VMCOREINFO";	/* namesz 11, padded to 12 */
	size_t off = 12;

	put_le32(b, 0, sizeof(name));
	put_le32(b, 4, (uint32_t)len);
	put_le32(b, 8, 0);
	memcpy(b + off, name, sizeof(name));
	off += (sizeof(name) + 3) & ~3u;
	memcpy(b + off, text, len);
	off += len;
	while (off % 4)
		b[off++] = 0;
	return off;
}

/*
 * The kernel image: page i at physical (image_pfn + i) << 12, virtual
 * IMAGE_VA + i * 4096.  L4[511] -> L3[510] -> L2[8] -> L1[0..IMG_PAGES-1].
 */
static void build_image(uint8_t *img, uint64_t image_pfn)
{
	uint64_t pa[IMG_PAGES];
	char *uts;
	static const char *const fields[6] = {
		"Linux", "bench-guest", RELEASE,
		"#1 SMP PREEMPT_DYNAMIC Debian 6.1.0-bench (synthetic)", "x86_64", "(none)",
	};

	memset(img, 0, IMG_PAGES * PAGE_SIZE);
	for (unsigned i = 0; i < IMG_PAGES; i++)
		pa[i] = (image_pfn + i) << PAGE_SHIFT;
	put_le64(img + IMG_L4 * PAGE_SIZE, 8 * ((IMAGE_VA >> 39) & 511), pa[IMG_L3] | TABLE_FLAGS);
	put_le64(img + IMG_L3 * PAGE_SIZE, 8 * ((IMAGE_VA >> 30) & 511), pa[IMG_L2] | TABLE_FLAGS);
	put_le64(img + IMG_L2 * PAGE_SIZE, 8 * ((IMAGE_VA >> 21) & 511), pa[IMG_L1] | TABLE_FLAGS);
	for (unsigned i = 0; i < IMG_PAGES; i++)
		put_le64(img + IMG_L1 * PAGE_SIZE, 8 * (((IMAGE_VA >> 12) & 511) + i),
			 (pa[i] & FRAME_MASK) | PAGE_FLAGS);
	uts = (char *)img + IMG_UTS * PAGE_SIZE;
	for (unsigned f = 0; f < 6; f++)
		strncpy(uts + f * UTS_LEN, fields[f], UTS_LEN - 1);
	put_le64(img + IMG_UTS * PAGE_SIZE, MEM_MAP_OFF, VMEMMAP_BASE);
}

static int write_headers(int fd, const struct run *runs, size_t nruns, uint64_t note_off,
			 size_t note_size, uint64_t data_off, uint64_t image_pfn)
{
	Elf *e = elf_begin(fd, ELF_C_WRITE, NULL);
	GElf_Ehdr eh;
	GElf_Phdr ph;
	uint64_t off = data_off;
	int ret = -1;

	if (!e)
		return fail("libelf: elf_begin: %s", elf_errmsg(-1));
	elf_flagelf(e, ELF_C_SET, ELF_F_LAYOUT);
	if (!gelf_newehdr(e, ELFCLASS64) || !gelf_getehdr(e, &eh)) {
		fail("libelf: ehdr: %s", elf_errmsg(-1));
		goto out;
	}
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_OSABI] = ELFOSABI_SYSV;
	eh.e_type = ET_CORE;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(Elf64_Ehdr);
	eh.e_shoff = 0;
	eh.e_ehsize = sizeof(Elf64_Ehdr);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	if (!gelf_update_ehdr(e, &eh) || !gelf_newphdr(e, nruns + 2)) {
		fail("libelf: phdr: %s", elf_errmsg(-1));
		goto out;
	}
	ph = (GElf_Phdr){ .p_type = PT_NOTE, .p_offset = note_off, .p_filesz = note_size,
			  .p_align = 0 };
	if (!gelf_update_phdr(e, 0, &ph))
		goto phdr;
	for (size_t i = 0; i <= nruns; i++) {
		/* The runs, then the kernel image (it is not in the direct map). */
		uint64_t pfn = i < nruns ? runs[i].pfn : image_pfn;
		uint64_t count = i < nruns ? runs[i].count : IMG_PAGES;

		ph = (GElf_Phdr){
			.p_type = PT_LOAD, .p_flags = PF_R | PF_W | PF_X, .p_offset = off,
			.p_vaddr = i < nruns ? DIRECT_MAP + (pfn << PAGE_SHIFT) : IMAGE_VA,
			.p_paddr = pfn << PAGE_SHIFT, .p_filesz = count << PAGE_SHIFT,
			.p_memsz = count << PAGE_SHIFT, .p_align = 0,
		};
		if (!gelf_update_phdr(e, (int)(i + 1), &ph))
			goto phdr;
		off += count << PAGE_SHIFT;
	}
	if (elf_update(e, ELF_C_WRITE) < 0) {
		fail("libelf: elf_update: %s", elf_errmsg(-1));
		goto out;
	}
	ret = 0;
	goto out;
phdr:
	fail("libelf: gelf_update_phdr: %s", elf_errmsg(-1));
out:
	elf_end(e);
	return ret;
}

static int make_vmcore(const char *dump_path, const char *out)
{
	struct xencore_dump *dump;
	const struct xencore_dump_info *info;
	struct run *runs = NULL;
	size_t nruns = 0, note_size, text_len;
	uint64_t limit, image_pfn, phys_base, note_off, data_off, off, npages = 0;
	uint8_t *buf = NULL, note[1024];
	char text[768];
	int fd = -1, ret = -1;

	if (open_dump(dump_path, &dump))
		return -1;
	info = xencore_dump_info(dump);
	/* Every pfn a dump can hold is below max_pfn (nr_pages without shared_info). */
	limit = info->has_shared_info ? info->max_pfn : info->nr_pages;
	if (find_runs(dump, limit, dump_path, &runs, &nruns))
		goto out;
	if (!nruns) {
		fail("%s: no pages", dump_path);
		goto out;
	}
	/* Above the guest's last pfn, 2 MiB aligned. */
	image_pfn = (runs[nruns - 1].pfn + runs[nruns - 1].count + 511) & ~(uint64_t)511;
	phys_base = (image_pfn << PAGE_SHIFT) - (IMAGE_VA - START_KERNEL_MAP);
	text_len = vmcoreinfo(text, sizeof(text), phys_base);
	if (!text_len) {
		fail("internal: VMCOREINFO too long");
		goto out;
	}
	note_size = build_note(note, text, text_len);
	note_off = sizeof(Elf64_Ehdr) + (nruns + 2) * sizeof(Elf64_Phdr);
	data_off = (note_off + note_size + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);

	fd = open(out, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		fail("%s: %s", out, strerror(errno));
		goto out;
	}
	/* Headers first: elf_update() sizes the file to what it knows of. */
	if (write_headers(fd, runs, nruns, note_off, note_size, data_off, image_pfn) ||
	    pwrite_all(fd, note, note_size, note_off, out))
		goto out;
	buf = malloc((size_t)BATCH * PAGE_SIZE);
	if (!buf) {
		fail("out of memory");
		goto out;
	}
	off = data_off;
	for (size_t i = 0; i < nruns; i++) {
		for (uint64_t done = 0; done < runs[i].count;) {
			uint64_t n = runs[i].count - done < BATCH ? runs[i].count - done : BATCH;

			for (uint64_t k = 0; k < n; k++) {
				int r = read_pfn(dump, runs[i].pfn + done + k, buf + k * PAGE_SIZE,
						 dump_path);

				if (r <= 0) {
					if (r == 0)
						fail("%s: pfn 0x%" PRIx64 " vanished", dump_path,
						     runs[i].pfn + done + k);
					goto out;
				}
			}
			if (pwrite_all(fd, buf, n * PAGE_SIZE, off, out))
				goto out;
			off += n * PAGE_SIZE;
			done += n;
			npages += n;
		}
	}
	build_image(buf, image_pfn);
	if (pwrite_all(fd, buf, IMG_PAGES * PAGE_SIZE, off, out))
		goto out;
	printf("%s: %" PRIu64 " pages in %zu runs, kernel image at pfn 0x%" PRIx64
	       ", phys_base 0x%" PRIx64 "\n", out, npages, nruns, image_pfn, phys_base);
	ret = 0;
out:
	if (fd >= 0 && close(fd) != 0 && ret == 0)
		ret = fail("%s: close: %s", out, strerror(errno));
	if (ret && fd >= 0)
		unlink(out);
	free(buf);
	free(runs);
	xencore_dump_destroy(dump);
	return ret;
}

/* ---- --compare ---- */

static bool is_zero(const uint8_t *p)
{
	for (size_t i = 0; i < PAGE_SIZE; i++)
		if (p[i])
			return false;
	return true;
}

/* Every step-th pfn, then the last one. */
static uint64_t next_pfn(uint64_t pfn, uint64_t step, uint64_t limit)
{
	if (pfn + step < limit || pfn == limit - 1)
		return pfn + step;
	return limit - 1;
}

static int compare(const char *kdump_path, const char *dump_path, uint64_t step)
{
	struct xencore_dump *dump;
	kdump_ctx_t *ctx = NULL;
	uint8_t *want = malloc(PAGE_SIZE), *got = malloc(PAGE_SIZE);
	uint64_t limit, compared = 0, zero_absent = 0;
	int fd = -1, ret = -1;

	if (!want || !got) {
		free(want);
		free(got);
		return fail("out of memory");
	}
	if (open_dump(dump_path, &dump)) {
		free(want);
		free(got);
		return -1;
	}
	limit = xencore_dump_info(dump)->has_shared_info ? xencore_dump_info(dump)->max_pfn
							 : xencore_dump_info(dump)->nr_pages;
	fd = open(kdump_path, O_RDONLY);
	if (fd < 0) {
		fail("%s: %s", kdump_path, strerror(errno));
		goto out;
	}
	ctx = kdump_new();
	if (!ctx || kdump_open_fd(ctx, fd) != KDUMP_OK) {
		fail("%s: libkdumpfile: %s", kdump_path, ctx ? kdump_get_err(ctx) : "kdump_new");
		goto out;
	}
	for (uint64_t pfn = 0; pfn < limit; pfn = next_pfn(pfn, step, limit)) {
		size_t len = PAGE_SIZE;
		kdump_status st;
		int r = read_pfn(dump, pfn, want, dump_path);

		if (r < 0)
			goto out;
		if (r == 0)
			continue;
		st = kdump_read(ctx, KDUMP_MACHPHYSADDR, pfn << PAGE_SHIFT, got, &len);
		if (st == KDUMP_ERR_NODATA && is_zero(want)) {
			zero_absent++;
		} else if (st != KDUMP_OK || len != PAGE_SIZE) {
			fail("%s: pfn 0x%" PRIx64 ": %s", kdump_path, pfn, kdump_get_err(ctx));
			goto out;
		} else if (memcmp(want, got, PAGE_SIZE) != 0) {
			fail("%s: pfn 0x%" PRIx64 " differs from %s", kdump_path, pfn, dump_path);
			goto out;
		}
		compared++;
	}
	printf("compared %" PRIu64 " pages (%" PRIu64 " zero pages not in %s)\n", compared,
	       zero_absent, kdump_path);
	ret = 0;
out:
	if (ctx)
		kdump_free(ctx);
	if (fd >= 0)
		close(fd);
	free(want);
	free(got);
	xencore_dump_destroy(dump);
	return ret;
}

static bool parse_u64(const char *s, uint64_t *ret)
{
	char *end;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	*ret = strtoull(s, &end, 0);
	return errno == 0 && *end == '\0';
}

int main(int argc, char **argv)
{
	uint64_t step = 61;

	if (argc >= 4 && argc <= 5 && !strcmp(argv[1], "--compare") &&
	    (argc == 4 || (parse_u64(argv[4], &step) && step > 0)))
		return compare(argv[2], argv[3], step) ? EXIT_FAIL : 0;
	if (argc != 3 || argv[1][0] == '-') {
		fputs("Usage: " PROG " DUMP VMCORE\n"
		      "       " PROG " --compare KDUMP DUMP [STEP]\n", stderr);
		return EXIT_USAGE;
	}
	if (elf_version(EV_CURRENT) == EV_NONE) {
		fail("libelf: elf_version: %s", elf_errmsg(-1));
		return EXIT_FAIL;
	}
	return make_vmcore(argv[1], argv[2]) ? EXIT_FAIL : 0;
}
