/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kdump-format.h: the kdump-compressed ("diskdump") layout as xencore writes
 * it: makedumpfile's diskdump_mod.h and IMPLEMENTATION, and libkdumpfile's
 * src/kdumpfile/diskdump.c (struct disk_dump_header_64, kdump_sub_header_64).
 * Offsets are for the 64-bit layout, the one makedumpfile writes on x86_64.
 */
#ifndef XENCORE_KDUMP_FORMAT_H
#define XENCORE_KDUMP_FORMAT_H

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
#define DH_TIMESTAMP		408	/* struct timeval: tv_sec, tv_usec (8 + 8) */
#define DH_STATUS		424	/* DUMP_DH_COMPRESSED_* of the pages */
#define DH_BLOCK_SIZE		428
#define DH_SUB_HDR_SIZE		432	/* in blocks */
#define DH_BITMAP_BLOCKS	436	/* both bitmaps */
#define DH_MAX_MAPNR		440	/* 32-bit, obsolete: max_mapnr_64 */
#define DH_TOTAL_RAM_BLOCKS	444
#define DH_DEVICE_BLOCKS	448
#define DH_WRITTEN_BLOCKS	452
#define DH_CURRENT_CPU		456
#define DH_NR_CPUS		460
#define DH_SIZE			464

/* struct kdump_sub_header (block 1). */
#define SH_PHYS_BASE		0
#define SH_DUMP_LEVEL		8	/* int32 */
#define SH_SPLIT		12	/* int32 */
#define SH_START_PFN		16
#define SH_END_PFN		24
#define SH_OFFSET_VMCOREINFO	32
#define SH_SIZE_VMCOREINFO	40
#define SH_OFFSET_NOTE		48
#define SH_SIZE_NOTE		56
#define SH_OFFSET_ERASEINFO	64
#define SH_SIZE_ERASEINFO	72
#define SH_START_PFN_64		80
#define SH_END_PFN_64		88
#define SH_MAX_MAPNR_64		96
#define SH_SIZE			104

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
