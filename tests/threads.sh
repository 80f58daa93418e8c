#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# threads.sh: tests/test-threads (6 threads reading one open dump at once:
# pages by pfn and mfn while the page index is built lazily, then the p2m's
# mfn -> pfn, kernel-virtual and pseudo-physical reads, page-table walks)
# on the 64-bit, PAE and cut-short ELF xc_core fixtures, the generator's
# pagetypes guest (more records than the index's first chunk) and two kdump
# files filter makes of it: every answer must be the single-threaded one.
# CI runs it again built with ThreadSanitizer.
. "${srcdir:-.}/tests/common.sh"

THREADS="$top_builddir/tests/test-threads"
O="$T/threads"
mkdir -p "$O"

"$MKXCCORE" --scenario pagetypes --vmlinux "$O/vmlinux" "$O/pt.xc" >"$O/gen" 2>&1 ||
	fail "generator: $(cat "$O/gen")"
"$XENCORE" filter --no-progress --vmlinux "$O/vmlinux" -o "$O/pt.native" "$O/pt.xc" >/dev/null 2>&1 ||
	fail "filter (native export)"
"$XENCORE" filter --no-progress --raw-pagetables -o "$O/pt.raw" "$O/pt.xc" >/dev/null 2>&1 ||
	fail "filter (raw page tables)"

for d in "$FIXTURES/good-linear.xc" "$FIXTURES/good-pae.xc" "$FIXTURES/good-missing.xc" \
	"$O/pt.xc" "$O/pt.native" "$O/pt.raw"; do
	[ -f "$d" ] || { fail "$d: missing"; continue; }
	if "$THREADS" "$d" >"$O/out" 2>&1; then
		pass "$(sed "s|^$O/||; s|^$FIXTURES/||" "$O/out")"
	else
		fail "$(cat "$O/out")"
	fi
done
finish
