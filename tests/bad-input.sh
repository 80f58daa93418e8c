#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# bad-input.sh: every damaged or hostile input gets exit status 2, nothing on
# stdout, and exactly one line on stderr: "xencore: FILE: <what is wrong>".
. "${srcdir:-.}/tests/common.sh"

[ -x "$MKXCCORE" ] || { echo "ERROR: $MKXCCORE not built"; exit 99; }

# expect NAME FILE 'MESSAGE (a grep -E pattern after "xencore: FILE: ")' CMD...
expect() {
	name=$1 file=$2 pattern=$3
	shift 3
	"$XENCORE" "$@" "$file" >"$T/out" 2>"$T/err"
	rc=$?
	lines=$(wc -l <"$T/err")
	if [ "$rc" -eq 2 ] && [ ! -s "$T/out" ] && [ "$lines" -eq 1 ] &&
	   grep -Eq "^xencore: $file: $pattern\$" "$T/err"; then
		pass "$name: $(cat "$T/err")"
	else
		fail "$name: exit $rc, $lines stderr lines, stdout $(wc -c <"$T/out") bytes:"
		cat "$T/err"
	fi
}

gen() {	# KIND [SCENARIO]
	"$MKXCCORE" --scenario "${2:-good-linear}" --bad "$1" "$T/bad-$1.xc" >/dev/null ||
		{ echo "ERROR: generator failed for $1"; exit 99; }
}

expect "missing file" "$T/absent.xc" 'cannot open: No such file or directory' info
: >"$T/empty.xc"
expect "empty file" "$T/empty.xc" 'file is empty' info
printf 'this is not a dump\n' >"$T/text.xc"
expect "not ELF" "$T/text.xc" 'not a Xen guest dump \(neither ELF xc_core nor a known format\)' info
gen not-xc-core
expect "ELF, not xc_core" "$T/bad-not-xc-core.xc" \
	'ELF file but not a Xen xc_core dump \(no \.note\.Xen section\)' info
gen truncate-pages
expect ".xen_pages truncated" "$T/bad-truncate-pages.xc" \
	'section \.xen_pages \(offset 0x[0-9a-f]+, [0-9]+ bytes\) extends past the end of the file \([0-9]+ bytes\): truncated dump\?' info
gen p2m-size
expect ".xen_p2m size" "$T/bad-p2m-size.xc" \
	'section \.xen_p2m is [0-9]+ bytes, but [0-9]+ pages need [0-9]+' info
gen cr3-missing
expect "p2m_cr3 not dumped" "$T/bad-cr3-missing.xc" \
	'p2m_cr3 0x[0-9a-f]+ names root table mfn 0x[0-9a-f]+, which is not in the dump' p2m --format=runs
expect "p2m_cr3 not dumped (linear)" "$T/bad-cr3-missing.xc" \
	'p2m_cr3 0x[0-9a-f]+ names root table mfn 0x[0-9a-f]+, which is not in the dump' p2m --source=linear
expect "p2m_cr3 not dumped (info)" "$T/bad-cr3-missing.xc" \
	'p2m_cr3 0x[0-9a-f]+ names root table mfn 0x[0-9a-f]+, which is not in the dump' info
# The dump's own table still reads such a dump.
if "$XENCORE" p2m --source=dump --format=runs "$T/bad-cr3-missing.xc" >"$T/out" 2>"$T/err" &&
   [ ! -s "$T/err" ] && [ "$(wc -l <"$T/out")" -gt 2 ]; then
	pass "p2m_cr3 not dumped: --source=dump still works"
else
	fail "p2m_cr3 not dumped: --source=dump"
fi
gen noncanonical
expect "non-canonical p2m_vaddr" "$T/bad-noncanonical.xc" \
	'p2m_vaddr 0x900000000000 is not a canonical address' p2m
expect "non-canonical p2m_vaddr (info)" "$T/bad-noncanonical.xc" \
	'p2m_vaddr 0x900000000000 is not a canonical address' info
gen hypervisor
expect "p2m list in Xen's range" "$T/bad-hypervisor.xc" \
	'p2m list 0xffff800000000000-0x[0-9a-f]+ overlaps the hypervisor range 0xffff800000000000-0xffff87ffffffffff' p2m
expect "p2m list in Xen's range (info)" "$T/bad-hypervisor.xc" \
	'p2m list 0xffff800000000000-0x[0-9a-f]+ overlaps the hypervisor range 0xffff800000000000-0xffff87ffffffffff' info
gen wrap
expect "p2m list wraps" "$T/bad-wrap.xc" \
	'p2m list at 0x[0-9a-f]+ with max_pfn 0x[0-9a-f]+ wraps around the address space' p2m
expect "p2m list wraps (info)" "$T/bad-wrap.xc" \
	'p2m list at 0x[0-9a-f]+ with max_pfn 0x[0-9a-f]+ wraps around the address space' info
gen l4-loop
expect "page-table loop" "$T/bad-l4-loop.xc" \
	'page-table loop in the p2m mapping: mfn 0x[0-9a-f]+ is used as L4 and L2 table' p2m
gen bad-magic
expect "bad header magic" "$T/bad-bad-magic.xc" \
	'bad xc_core magic 0x12345678 in DUMPCORE_HEADER note \(want 0xf00febed or 0xf00febee\)' info
gen pages-offset
expect ".xen_pages offset past EOF" "$T/bad-pages-offset.xc" \
	'section \.xen_pages \(offset 0x[0-9a-f]+, [0-9]+ bytes\) extends past the end of the file \([0-9]+ bytes\): truncated dump\?' info
expect "no linear list" "$FIXTURES/good-nolinear.xc" \
	'no linear p2m list: the guest did not publish one \(p2m_cr3 is 0\)' p2m --source=linear
# A directory is not a dump either.
expect "directory" "$T" 'is a directory' info
finish
