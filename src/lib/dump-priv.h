/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dump-priv.h: the dump object shared by the format readers and the rest. */
#ifndef XENCORE_DUMP_PRIV_H
#define XENCORE_DUMP_PRIV_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "frame.h"
#include "page-index.h"
#include "xencore.h"

struct xencore_dump;

/*
 * One input format (libkdumpfile's format_ops shape).  probe only looks and
 * says "mine" or "not mine"; open reads the file for real and fills the
 * dump: info, page index, pages_offset, shared_info and vcpu contexts.
 * Adding a format adds a table; it touches no other format.
 */
struct format_ops {
	const char *name;
	bool (*probe)(const unsigned char *head, size_t len);
	struct xencore_error *(*open)(struct xencore_dump *dump);
	void (*close)(struct xencore_dump *dump);
	/* Reads n pages starting at index page `page` (page_run.page) into buf. */
	struct xencore_error *(*read_pages)(struct xencore_dump *dump, uint64_t page,
					    size_t n, void *buf);
};

extern const struct format_ops xc_core_elf_ops;
extern const struct format_ops xc_core_legacy_ops;
extern const struct format_ops xc_kdump_ops;
extern const struct format_ops elf_core_ops;

struct xencore_dump {
	char *path;
	int fd;
	uint64_t file_size;
	/*
	 * The file the caller named, by inode (filter refuses to write over
	 * it), and the dump's time in seconds: a kdump file's header time (the
	 * first dump's, which filter writes and makedumpfile keeps when it
	 * refilters), else the input's mtime.  Outputs carry that time, so a
	 * dump filtered again makes the same file whatever it came through.
	 */
	dev_t input_dev;
	ino_t input_ino;
	uint64_t time;
	/* fd is a file rebuilt from makedumpfile's flattened format (flattened.c). */
	bool flattened;
	const struct format_ops *ops;
	void *format_data;		/* owned by ops */

	xencore_warning_fn *warn;
	void *warn_arg;
	pthread_mutex_t warn_lock;	/* warn is called by one thread at a time */

	struct xencore_dump_info info;
	char xen_version[64];

	/*
	 * Page data: for the xc_core formats page i of the index is at
	 * pages_offset + i * page_size; a kdump file's page i is pfn i.
	 */
	uint64_t pages_offset;
	struct page_index index;

	/* The shared_info page, if the dump has one (PV). */
	unsigned char *shared_info;
	size_t shared_info_size;

	/* vcpu_guest_context records, context_size bytes each. */
	unsigned char *contexts;
	size_t context_size;

	/* The dump's "Xen" ELF notes as they are in the file (NULL: none). */
	unsigned char *xen_notes;
	size_t xen_notes_size;

	/* The format a kdump file was made from ("" for the others). */
	char origin[16];

	/* A p2m saved with the dump (kdump files written by xencore filter). */
	struct xencore_p2m_run *saved_p2m;
	size_t saved_p2m_nr;
	uint64_t saved_p2m_max_pfn;

	/*
	 * A native export written by xencore filter: its page tables hold
	 * pfns (page-table walks translate them back), and what it recorded
	 * of the rewrite, kept as the file has it for an output made from it.
	 */
	bool pt_pfn;
	unsigned char *native_record;	/* NATIVE, TABLES and CLEARED notes */
	size_t native_record_size;
	/* The VMCOREINFO text the file carries (kdump and ELF outputs). */
	char *vmcoreinfo;
	size_t vmcoreinfo_size;

	/* What a damaged dump lacks, a line each (xc_damage()); info.damaged. */
	char **damage;
	size_t nr_damage;
};

/*
 * A page-table entry's frame as a machine frame: itself, or in a native
 * export (pt_pfn) the mfn of that pfn (the file's pages, else its saved
 * p2m).  NOT_PRESENT when the pfn has none.  Inline: the walkers call it
 * for every entry, and only a native export needs the lookup.
 */
struct xencore_error *xc_table_frame_pfn(struct xencore_dump *dump, uint64_t pfn,
					 uint64_t *mfn_ret);
static inline struct xencore_error *xc_table_frame(struct xencore_dump *dump, uint64_t frame,
						   uint64_t *mfn_ret)
{
	if (!dump->pt_pfn) {
		*mfn_ret = frame;
		return NULL;
	}
	return xc_table_frame_pfn(dump, frame, mfn_ret);
}

/* Sends a printf-formatted warning to the caller's callback, if any. */
void xc_warn(struct xencore_dump *dump, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Records what a damaged dump lacks (one line: "cut short at ...", "vcpu
 * contexts 2-3 are cut off"); the dump stays open and what is there is
 * read.  Opening ends with one warning naming every such line.
 */
void xc_damage(struct xencore_dump *dump, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Reads len bytes at offset, all or an error naming what. */
struct xencore_error *xc_pread(struct xencore_dump *dump, void *buf, size_t len,
			       uint64_t offset, const char *what);

/*
 * A kdump input's first bitmap (the pages the guest had, a bit per pfn
 * from offset *off, *nbits of them; checked to lie in the file at open):
 * false for the other formats.
 */
bool xc_kdump_ram_bitmap(const struct xencore_dump *dump, uint64_t *off, uint64_t *nbits);

/* Reads n whole pages from index page `page` on (through the format). */
struct xencore_error *xc_read_pages(struct xencore_dump *dump, uint64_t page,
				    size_t n, void *buf);

/* read_pages of the xc_core formats: pages_offset + page * page_size. */
struct xencore_error *xc_read_file_pages(struct xencore_dump *dump, uint64_t page,
					 size_t n, void *buf);

/*
 * Reads one "Xen" note of an xc_core dump (Xen's xg_core.h) into dump->info:
 * the header note (magic, vcpus, pages, page size), the Xen version and the
 * format version.  *have_header is set by the header note.  guest_bits must
 * be known before (the version note's layout depends on it).
 */
struct xencore_error *xc_parse_xen_note(struct xencore_dump *dump, uint32_t type,
					const unsigned char *desc, size_t descsz,
					bool *have_header);

/* Checks what the notes said, once all are read. */
struct xencore_error *xc_check_xen_notes(struct xencore_dump *dump, bool have_header);

/* page_table_read_fn over the dump's file (arg: the dump). */
struct xencore_error *xc_read_table(void *arg, void *buf, size_t len,
				    uint64_t offset);

/* Fills the arch_shared_info fields of dump->info from dump->shared_info. */
struct xencore_error *xc_parse_shared_info(struct xencore_dump *dump);

#endif /* XENCORE_DUMP_PRIV_H */
