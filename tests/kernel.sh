#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# kernel.sh: read, vtop, sym and info --vmlinux on good-linear with its
# vmlinux and System.map, in every output format, against golden files
# (testdata/golden/kernel-*); and the values the generator placed in guest
# memory, from its --expect-symbols file.
. "${srcdir:-.}/tests/common.sh"

D=good-linear.xc
V="--vmlinux good-linear.vmlinux"
M="--system-map good-linear.System.map"

# Every read format, by symbol, with either symbol file.
golden kernel-read-banner-hex read $V $D linux_banner
golden kernel-read-banner-string read $V --format=string $D linux_banner
golden kernel-read-banner-map read $M --format=string $D linux_banner
golden kernel-read-jiffies-u64 read $V --format=u64 $D jiffies
golden kernel-read-jiffies-u32 read $M --format=u32 -n 8 $D jiffies
golden kernel-read-straddle-hex read $V $D xencore_straddle
golden kernel-read-straddle-u16 read $V --format=u16 -n 8 $D xencore_straddle+0x1c
golden kernel-read-straddle-u8 read $V --format=u8 -n 4 $D xencore_straddle+30
golden kernel-read-straddle-raw read $V --format=raw $D xencore_straddle
golden kernel-read-straddle-json read $V --format=json $D xencore_straddle
golden kernel-read-p2m-addr read $V --format=u64 $D xen_p2m_addr
golden kernel-read-p2m-size read $V --format=u64 $D xen_p2m_size
# Roots: another vcpu, an explicit cr3, the kernel's own init_top_pgt.
golden kernel-read-vcpu1 read $V --vcpu 1 --format=string $D linux_banner
golden kernel-read-kernel-root read $V --kernel-root --format=string $D linux_banner
# Addresses without symbols, and the other address spaces.
golden kernel-read-text read $D ffffffff81000000
golden kernel-read-phys read --phys -n 32 $D 0x1000000
golden kernel-read-phys-json read --phys --format=json -n 16 $D 0x1031000
golden kernel-read-machine read --machine -n 48 $D 0x2000c6c000
golden kernel-read-cr3 read --cr3 0x2000c9d000 --format=string $D ffffffff81030040
# vtop and sym.
golden kernel-vtop-banner vtop $V $D linux_banner
golden kernel-vtop-json vtop --json $D 0xffffffff81034ff8
golden kernel-vtop-kernel-root vtop $V --kernel-root $D init_top_pgt
golden kernel-vtop-cr3 vtop --cr3 0x2000c9d000 $D 0xffffffff81035000
golden kernel-vtop-vcpu1 vtop --vcpu 1 $D 0xffffffff81000000
golden kernel-sym-name sym $V $D jiffies
golden kernel-sym-addr sym $V $D 0xffffffff81034fe5
golden kernel-sym-map sym $M $D linux_banner
golden kernel-sym-json sym $V --json $D xencore_straddle+0x21
golden kernel-info info $V $D
golden kernel-p2m p2m --source=kernel --format=runs $V $D
golden kernel-p2m-map p2m --source=kernel --format=json $M $D
golden kernel-check check $V $D
golden kernel-check-json check --json $M $D
golden kernel-info-json info --json $M $D
# A vmlinux whose banner is not the dump's: a warning, silenced by --force.
"$MKXCCORE" --scenario good-linear --bad-banner --vmlinux "$T/other.vmlinux" \
	--expect-symbols "$T/symbols" "$T/g.xc" >/dev/null 2>&1 ||
	{ echo "ERROR: generator failed"; exit 99; }
golden kernel-mismatch read --vmlinux "$T/other.vmlinux" --format=u64 $D jiffies
golden kernel-mismatch-force read --vmlinux "$T/other.vmlinux" --force --format=u64 $D jiffies

# The truth from the generator: the bytes it placed at every symbol.
while read -r name addr size hex; do
	[ -n "${hex:-}" ] || continue
	got=$(cd "$FIXTURES" && "$XENCORE" read $V --format=json -n "$size" $D "$addr" |
		sed -n 's/.*"bytes": "\([0-9a-f]*\)".*/\1/p')
	if [ "$got" = "$hex" ]; then
		pass "$name: $size bytes at $addr as the generator placed them"
	else
		fail "$name at $addr: xencore reads $got, the generator placed $hex"
	fi
done <"$T/symbols"
finish
