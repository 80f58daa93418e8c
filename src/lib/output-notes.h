/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* output-notes.h: the note area of xencore's kdump and ELF outputs. */
#ifndef XENCORE_OUTPUT_NOTES_H
#define XENCORE_OUTPUT_NOTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xencore.h"

struct filter_out;
struct xencore_dump;

/*
 * A built note area: p holds every note but the p2m's, which follow it in
 * the file and are written from the p2m itself (output_notes_write()): at
 * 2^24 runs they are 512 MiB, which the area need not hold twice.
 */
struct output_notes {
	unsigned char *p;
	size_t len;
	/* Where the VMCOREINFO text is in it (a kdump sub-header names it), or 0. */
	size_t vmcoreinfo_off, vmcoreinfo_len;
	struct xencore_p2m *p2m;	/* its P2M notes follow p, or NULL */
	uint64_t p2m_len;		/* their bytes */
	uint64_t total;			/* len + p2m_len: the whole area */
};

/*
 * The note area of an output of o: NT_PRSTATUS per vcpu and VMCOREINFO
 * for a native export, the dump's Xen notes (the header note counting
 * nr_pages), xencore's, the p2m's last.  The caller frees ret->p.
 */
struct xencore_error *output_notes_build(struct filter_out *o, uint64_t nr_pages,
					 struct output_notes *ret);
/* Writes the whole area at file offset off: p, then the P2M notes a chunk at a time. */
struct xencore_error *output_notes_write(struct filter_out *o, const struct output_notes *n,
					 uint64_t off);

/*
 * Receives each run of the pages note: pfns pfn .. pfn+count-1 are in the
 * file with machine frames mfn.., the ordinal-th page of the file's pages
 * on (in note order).
 */
typedef struct xencore_error *output_notes_pages_fn(struct xencore_dump *dump, uint64_t pfn,
						    uint64_t mfn, uint64_t count,
						    uint64_t ordinal);

struct output_notes_read {
	bool has_level;		/* the guest note records the dump level */
	unsigned int level;
};

/*
 * Reads a note area (*area, size bytes, malloc'ed) back into dump: its Xen
 * notes, xencore's guest, contexts, shared_info, pages (each run to
 * pages(), pfns below max_pfn), saved p2m, a native export's record and
 * VMCOREINFO.  Everything is checked; UNRECOGNIZED when there is no XENCORE
 * guest note.  With keep_p2m the saved p2m is decoded in place: the area
 * becomes dump->saved_p2m and *area NULL; else the caller frees *area (and
 * without keep_p2m the p2m is only checked).
 */
struct xencore_error *output_notes_read(struct xencore_dump *dump, unsigned char **area,
					size_t size, uint64_t max_pfn,
					output_notes_pages_fn *pages, bool keep_p2m,
					struct output_notes_read *rd);
/*
 * The saved p2m only, from an area output_notes_read() checked with
 * keep_p2m false (a kdump file's: libkdumpfile reads the whole area into
 * memory when it opens the file, so xencore holds nothing of it then, and
 * reads it again after): decoded in place, *area becomes dump->saved_p2m.
 */
struct xencore_error *output_notes_read_p2m(struct xencore_dump *dump, unsigned char **area,
					    size_t size);

#endif /* XENCORE_OUTPUT_NOTES_H */
