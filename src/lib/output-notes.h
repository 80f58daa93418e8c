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

/* A built note area. */
struct output_notes {
	unsigned char *p;
	size_t len;
	/* Where the VMCOREINFO text is in it (a kdump sub-header names it), or 0. */
	size_t vmcoreinfo_off, vmcoreinfo_len;
};

/*
 * The note area of an output of o: NT_PRSTATUS per vcpu and VMCOREINFO
 * for a native export, the dump's Xen notes (the header note counting
 * nr_pages), xencore's.  The caller frees ret->p.
 */
struct xencore_error *output_notes_build(struct filter_out *o, uint64_t nr_pages,
					 struct output_notes *ret);

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
 * Reads a note area back into dump: its Xen notes, xencore's guest,
 * contexts, shared_info, pages (each run to pages(), pfns below max_pfn),
 * saved p2m, a native export's record and VMCOREINFO.  Everything is
 * checked; UNRECOGNIZED when there is no XENCORE guest note.
 */
struct xencore_error *output_notes_read(struct xencore_dump *dump, const unsigned char *notes,
					size_t size, uint64_t max_pfn,
					output_notes_pages_fn *pages,
					struct output_notes_read *rd);

#endif /* XENCORE_OUTPUT_NOTES_H */
