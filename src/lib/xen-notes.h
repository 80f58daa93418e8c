/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xen-notes.h: ELF notes: Xen's xc_core notes, xencore's own, and a buffer. */
#ifndef XENCORE_XEN_NOTES_H
#define XENCORE_XEN_NOTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xencore.h"

/* Xen tools/libs/guest/xg_core.h, public/elfnote.h. */
#define XEN_NOTE_NAME				"Xen"
#define XEN_ELFNOTE_DUMPCORE_NONE		0x2000000
#define XEN_ELFNOTE_DUMPCORE_HEADER		0x2000001
#define XEN_ELFNOTE_DUMPCORE_XEN_VERSION	0x2000002
#define XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION	0x2000003

#define XC_CORE_MAGIC		UINT64_C(0xF00FEBED)	/* xg_core.h: PV */
#define XC_CORE_MAGIC_HVM	UINT64_C(0xF00FEBEE)	/* xg_core.h: HVM */

/* xen_dumpcore_elfnote_header_desc: magic, nr_vcpus, nr_pages, page_size. */
#define XEN_HEADER_DESC_SIZE	32
#define XEN_HEADER_NR_PAGES	16	/* offset of nr_pages in it */

/*
 * xencore's notes in a kdump file's note area (name "XENCORE"), beside a
 * copy of the dump's "Xen" notes.  All little endian.
 *  GUEST:      u32 version (1), u32 guest_bits, u64 context_size,
 *              u64 nr_contexts, char format[16] (the dump it was made from)
 *  CONTEXTS:   nr_contexts vcpu_guest_context records of context_size bytes
 *  SHARED_INFO the shared_info page
 *  PAGES:      {u64 pfn, u64 mfn, u64 count} runs: the dump's own pfn->mfn
 *              table (.xen_p2m) for the pages in this file, in pfn order
 *  P2M:        u64 max_pfn, u32 source, u32 0, then {u64 pfn, u64 count,
 *              u64 mfn, u32 kind, u32 0} runs: the p2m rebuilt by xencore
 *  NATIVE:     a native export's rewrite: u32 version (1), u32 flags (1:
 *              page tables hold pfns), u64 tables, u64 cleared entries,
 *              u64 entries rewritten, u64 cleared in Xen's range, u64
 *              cleared naming no frame of the guest
 *  TABLES:     {u64 pfn, u32 count, u32 level | flags << 8} runs of the
 *              page-table pages rewritten, in pfn order (pgtable-canon.h)
 *  CLEARED:    {u64 table pfn, u32 index, u32 level, u64 entry}: each
 *              entry the rewrite made 0, as the guest had it, in order
 *  CPUS:       a native export's control registers, which NT_PRSTATUS has
 *              no room for: per vcpu {u64 cr0, cr2, cr3, cr4, user_cr3}, the
 *              cr3s as pseudo-physical addresses (pfn << 12; 0 where the
 *              root has no pfn), as a native kernel's would be
 * The GUEST note of version 1 is 40 bytes long in older files; since
 * native exports it is 48, the dump level (u32) and 0 (u32) added.
 * PAGES, P2M, TABLES and CLEARED may be split over several notes of the
 * same type.
 */
#define XENCORE_NOTE_NAME		"XENCORE"
/*
 * Types "XC" << 16 | n: crash takes notes of types 1 (NT_PRSTATUS), 3 and
 * 4 as CPU, process and task notes whatever their name (netdump.c,
 * diskdump.c), so xencore's avoid the small numbers its first files used
 * (1 to 5, still read: xencore_note_type()).  The dump's Xen notes are
 * copied under this name too, with their own types (0x2000000..): crash
 * warns about every note whose name starts with "Xen".
 */
#define XENCORE_NOTE_TYPE_BASE		UINT32_C(0x58430000)
#define XENCORE_NOTE_GUEST		(XENCORE_NOTE_TYPE_BASE + 1)
#define XENCORE_NOTE_CONTEXTS		(XENCORE_NOTE_TYPE_BASE + 2)
#define XENCORE_NOTE_SHARED_INFO	(XENCORE_NOTE_TYPE_BASE + 3)
#define XENCORE_NOTE_PAGES		(XENCORE_NOTE_TYPE_BASE + 4)
#define XENCORE_NOTE_P2M		(XENCORE_NOTE_TYPE_BASE + 5)
#define XENCORE_NOTE_NATIVE		(XENCORE_NOTE_TYPE_BASE + 6)
#define XENCORE_NOTE_TABLES		(XENCORE_NOTE_TYPE_BASE + 7)
#define XENCORE_NOTE_CLEARED		(XENCORE_NOTE_TYPE_BASE + 8)
#define XENCORE_NOTE_CPUS		(XENCORE_NOTE_TYPE_BASE + 9)
/* What the dump an output was made from lacked (damaged: cut short), a line each. */
#define XENCORE_NOTE_DAMAGE		(XENCORE_NOTE_TYPE_BASE + 10)
#define XENCORE_CPUS_SIZE		40
#define XENCORE_GUEST_DESC_SIZE_V1	40
#define XENCORE_GUEST_DESC_SIZE		48
#define XENCORE_PAGES_RUN_SIZE		24
#define XENCORE_P2M_HEAD_SIZE		16
#define XENCORE_P2M_RUN_SIZE		32
#define XENCORE_NATIVE_DESC_SIZE	48
#define XENCORE_NATIVE_PFN_TABLES	1
#define XENCORE_TABLES_RUN_SIZE		16
#define XENCORE_CLEARED_SIZE		24
/* Largest note xencore writes: runs are split into notes of this size. */
#define XENCORE_NOTE_MAX		(UINT32_C(1) << 30)

/* A growable byte buffer. */
struct xc_buf {
	unsigned char *p;
	size_t len, cap;
};

void xc_buf_free(struct xc_buf *b);
/* Appends len bytes (zeros if data is NULL); false when out of memory. */
bool xc_buf_add(struct xc_buf *b, const void *data, size_t len);
/* Appends one ELF note (Elf64_Nhdr = Elf32_Nhdr: 4-byte words, 4-aligned). */
bool xc_buf_add_note(struct xc_buf *b, const char *name, uint32_t type,
		     const void *desc, size_t descsz);

/* Walks the notes of a buffer. */
struct note_iter {
	const unsigned char *p;
	size_t len, off;
};

struct note {
	uint32_t type;
	const char *name;	/* namesz bytes, maybe without its NUL */
	size_t namesz;
	const unsigned char *desc;
	size_t descsz;
	size_t offset;		/* of the note header in the buffer */
	size_t size;		/* header, name and desc, with padding */
};

/*
 * The next note in *n: 1; the end: 0; a note that does not fit the buffer:
 * -1.
 */
int note_next(struct note_iter *it, struct note *n);

/* Whether the note is called name. */
bool note_is(const struct note *n, const char *name);

/*
 * A note of xencore's: its XENCORE_NOTE_* type (files of the first
 * versions numbered them 1 to 5), or 0 for any other note.
 */
uint32_t xencore_note_type(const struct note *n);

/* A copy of one of Xen's dumpcore notes (named "Xen", or "XENCORE" in an output). */
bool note_is_xen(const struct note *n);

#endif /* XENCORE_XEN_NOTES_H */
