#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# kvaddr.sh: libkdumpfile (addrxlat.ostype=linux) as an independent reader of
# kernel virtual addresses: for every symbol the generator filled, it must
# return the same bytes as `xencore read`, from vcpu0's cr3 and from the
# init_top_pgt root.  Skips without libkdumpfile.
. "${srcdir:-.}/tests/common.sh"

prog="$top_builddir/tests/kdump-kvread"
if [ ! -x "$prog" ]; then
	echo "SKIP: built without libkdumpfile"
	exit 77
fi
D="$FIXTURES/good-linear.xc"
V="$FIXTURES/good-linear.vmlinux"
"$MKXCCORE" --scenario good-linear --expect-symbols "$T/symbols" "$T/g.xc" >/dev/null ||
	{ echo "ERROR: generator failed"; exit 99; }
root=$("$XENCORE" sym --vmlinux "$V" "$D" init_top_pgt)
# Its guest-physical address (__START_KERNEL_map, phys_base 0); dash's
# arithmetic stops at 2^63, perl's does not.
root_kphys=$(perl -e 'no warnings; printf "0x%x", hex($ARGV[0]) - hex("ffffffff80000000")' "$root")
while read -r name addr size hex; do
	[ -n "${hex:-}" ] || continue
	ours=$("$XENCORE" read --vmlinux "$V" --format=json -n "$size" "$D" "$addr" |
		sed -n 's/.*"bytes": "\([0-9a-f]*\)".*/\1/p')
	for how in cr3 "KPHYS:$root_kphys"; do
		# libkdumpfile 0.5.1 leaks its addrxlat maps: not ours to report.
		if [ "$how" = cr3 ]; then
			theirs=$(ASAN_OPTIONS=detect_leaks=0 "$prog" "$D" "$addr" "$size")
		else
			theirs=$(ASAN_OPTIONS=detect_leaks=0 "$prog" "$D" "$addr" "$size" "$how")
		fi
		rc=$?
		if [ $rc -eq 77 ]; then
			echo "SKIP: libkdumpfile cannot be set up for this dump"
			exit 77
		fi
		if [ $rc -eq 0 ] && [ -n "$ours" ] && [ "$ours" = "$theirs" ]; then
			pass "$name ($size bytes, root $how): libkdumpfile agrees"
		else
			fail "$name (root $how): xencore $ours, libkdumpfile $theirs (exit $rc)"
		fi
	done
done <"$T/symbols"
finish
