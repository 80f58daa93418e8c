/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kdump-format.h: the kdump-compressed ("diskdump") layout as xencore writes
 * it: makedumpfile's diskdump_mod.h and IMPLEMENTATION, and libkdumpfile's
 * src/kdumpfile/diskdump.c (struct disk_dump_header_64, kdump_sub_header_64).
 * Both layouts: the 64-bit one makedumpfile writes on x86_64, the 32-bit one
 * of i386.
 */
#ifndef XENCORE_KDUMP_FORMAT_H
#define XENCORE_KDUMP_FORMAT_H

#include "le.h"

#define KDUMP_SIGNATURE		"KDUMP   "	/* 8 bytes, no NUL */
#define KDUMP_SIGNATURE_LEN	8
#define KDUMP_HEADER_VERSION	6		/* max_mapnr_64 and friends */
#define KDUMP_BLOCK_SIZE	4096		/* = the page size */

/* struct disk_dump_header (block 0). */
#define DH_SIGNATURE		0
#define DH_HEADER_VERSION	8	/* int32 */
#define DH_UTSNAME		12	/* struct new_utsname: 6 x 65 chars */
#define UTS_FIELD_LEN		65
#define UTS_SYSNAME		0
#define UTS_NODENAME		1
#define UTS_RELEASE		2
#define UTS_VERSION		3
#define UTS_MACHINE		4
#define UTS_DOMAINNAME		5

/*
 * The fields after utsname, and the sub-header, are native C types of the
 * machine that wrote the file (makedumpfile's diskdump_mod.h: struct
 * timeval, unsigned long, off_t of 64 bits): an x86_64 makedumpfile or
 * crash reads the 64-bit layout only, an i386 one the 32-bit layout only
 * (libkdumpfile's diskdump.c: disk_dump_header_32/_64,
 * kdump_sub_header_32/_64).  xencore writes i686 guests' files in the
 * 32-bit layout, as the guest's own makedumpfile would.
 */
struct kd_field {
	unsigned short off, width;
};

struct kdump_layout {
	unsigned int bits;
	struct kd_field tv_sec, tv_usec, status, block_size, sub_hdr_size, bitmap_blocks,
		max_mapnr, total_ram_blocks, nr_cpus;
	unsigned int dh_size;
	struct kd_field phys_base, dump_level, split, start_pfn, end_pfn, offset_vmcoreinfo,
		size_vmcoreinfo, offset_note, size_note, offset_eraseinfo, size_eraseinfo,
		start_pfn_64, end_pfn_64, max_mapnr_64;
	unsigned int sh_size;
};

/* 64-bit: 6 bytes of padding after utsname, then struct timeval (8 + 8). */
static const struct kdump_layout kdump_layout64 = {
	.bits = 64,
	.tv_sec = { 408, 8 }, .tv_usec = { 416, 8 }, .status = { 424, 4 },
	.block_size = { 428, 4 }, .sub_hdr_size = { 432, 4 }, .bitmap_blocks = { 436, 4 },
	.max_mapnr = { 440, 4 }, .total_ram_blocks = { 444, 4 }, .nr_cpus = { 460, 4 },
	.dh_size = 464,
	.phys_base = { 0, 8 }, .dump_level = { 8, 4 }, .split = { 12, 4 },
	.start_pfn = { 16, 8 }, .end_pfn = { 24, 8 }, .offset_vmcoreinfo = { 32, 8 },
	.size_vmcoreinfo = { 40, 8 }, .offset_note = { 48, 8 }, .size_note = { 56, 8 },
	.offset_eraseinfo = { 64, 8 }, .size_eraseinfo = { 72, 8 },
	.start_pfn_64 = { 80, 8 }, .end_pfn_64 = { 88, 8 }, .max_mapnr_64 = { 96, 8 },
	.sh_size = 104,
};

/* 32-bit (i386 ABI: 8-byte fields 4-aligned): 2 bytes of padding, timeval 4 + 4. */
static const struct kdump_layout kdump_layout32 = {
	.bits = 32,
	.tv_sec = { 404, 4 }, .tv_usec = { 408, 4 }, .status = { 412, 4 },
	.block_size = { 416, 4 }, .sub_hdr_size = { 420, 4 }, .bitmap_blocks = { 424, 4 },
	.max_mapnr = { 428, 4 }, .total_ram_blocks = { 432, 4 }, .nr_cpus = { 448, 4 },
	.dh_size = 452,
	.phys_base = { 0, 4 }, .dump_level = { 4, 4 }, .split = { 8, 4 },
	.start_pfn = { 12, 4 }, .end_pfn = { 16, 4 }, .offset_vmcoreinfo = { 20, 8 },
	.size_vmcoreinfo = { 28, 4 }, .offset_note = { 32, 8 }, .size_note = { 40, 4 },
	.offset_eraseinfo = { 44, 8 }, .size_eraseinfo = { 52, 4 },
	.start_pfn_64 = { 56, 8 }, .end_pfn_64 = { 64, 8 }, .max_mapnr_64 = { 72, 8 },
	.sh_size = 80,
};

/* Bytes of the header block read: the larger layout's. */
#define DH_SIZE			464
#define SH_SIZE_MAX		104

static inline uint64_t kd_get(const unsigned char *p, struct kd_field f)
{
	return f.width == 8 ? le64(p + f.off) : le32(p + f.off);
}

static inline void kd_put(unsigned char *p, struct kd_field f, uint64_t v)
{
	if (f.width == 8)
		put_le64(p + f.off, v);
	else
		put_le32(p + f.off, (uint32_t)v);
}

/* struct page_desc: u64 offset, u32 size, u32 flags, u64 page_flags. */
#define PD_OFFSET		0
#define PD_SIZE			8
#define PD_FLAGS		12
#define PD_PAGE_FLAGS		16
#define PD_LEN			24

#define DUMP_DH_COMPRESSED_ZLIB	0x1
#define DUMP_DH_COMPRESSED_LZO	0x2
#define DUMP_DH_COMPRESSED_SNAPPY 0x4
#define DUMP_DH_COMPRESSED_INCOMPLETE 0x8
#define DUMP_DH_COMPRESSED_ZSTD	0x20

#endif /* XENCORE_KDUMP_FORMAT_H */
