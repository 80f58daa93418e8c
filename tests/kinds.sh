#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# kinds.sh: the other guest kinds and formats, against golden files: a 32-bit
# PAE guest (folded cr3, 3-level tables, 4-byte p2m entries, ELF32 vmlinux),
# an HVM guest (.xen_pfn, identity p2m) and legacy xc_core dumps (no pfns:
# the p2m comes from the kernel's xen_p2m_addr), with their truths.
. "${srcdir:-.}/tests/common.sh"

P=good-pae.xc
PV="--vmlinux good-pae.vmlinux"
PM="--system-map good-pae.System.map"
golden kinds-pae-banner read $PV --format=string $P linux_banner
golden kinds-pae-jiffies read $PM --format=u32 $P jiffies
golden kinds-pae-root read $PV --kernel-root --format=string $P linux_banner
golden kinds-pae-vtop vtop $PV $P linux_banner
golden kinds-pae-vtop-json vtop --json $PV $P 0xc1034ffc
golden kinds-pae-kernel-p2m p2m --source=kernel --format=runs $PV $P
golden kinds-pae-check check $PV $P
golden kinds-pae-info info $PV $P
golden kinds-pae-sym sym $PM $P 0xc1034201
golden kinds-hvm-phys read --phys -n 48 good-hvm.xc 0x1000
golden kinds-hvm-check check good-hvm.xc
L=good-legacy.xc
LV="--vmlinux good-linear.vmlinux"
golden kinds-legacy-info info $LV $L
golden kinds-legacy-banner read $LV --format=string $L linux_banner
golden kinds-legacy-phys read $LV --phys -n 32 $L 0x1000000
golden kinds-legacy-vtop vtop $LV $L xencore_straddle+0x20
golden kinds-legacy-p2m p2m --format=runs $LV $L
golden kinds-legacy-check check $LV $L
golden kinds-legacy-pae-banner read --vmlinux good-pae.vmlinux --format=string good-legacy-pae.xc linux_banner
golden kinds-legacy-pfn read --format=hex -n 16 --phys good-legacy.xc 0x1000000

# The truths: the p2m each kind yields equals the generator's.
for f in good-pae good-hvm good-legacy good-legacy-pae; do
	"$MKXCCORE" $(fixture_args $f) --expect "$T/$f.expect" "$T/$f.xc" >/dev/null ||
		{ echo "ERROR: generator failed"; exit 99; }
	if "$XENCORE" p2m --format=runs $(fixture_p2m_args $f) "$FIXTURES/$f.xc" 2>/dev/null |
	   cmp -s - "$T/$f.expect"; then
		pass "$f: p2m equals the generator's"
	else
		fail "$f: p2m differs from the generator's"
	fi
done
finish
