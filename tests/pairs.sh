#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# pairs.sh: `p2m --format=pairs` is the runs output expanded, one line per
# pfn 0 .. max_pfn-1, for both sources of every fixture.
. "${srcdir:-.}/tests/common.sh"

# perl-base is part of every Debian system; awk there (mawk) lacks hex input.
expand() {
	perl -ne '
		my ($pfn, $what, $n) = split;
		$pfn = hex $pfn;
		for my $i (0 .. $n - 1) {
			if ($what =~ /^0x/) { printf "0x%x 0x%x\n", $pfn + $i, hex($what) + $i }
			else { printf "0x%x %s\n", $pfn + $i, $what }
		}' "$1"
}

for f in $GOOD_FIXTURES; do
	srcs="auto dump"
	case $f in good-legacy*) srcs=auto ;; esac	# no .xen_p2m
	for src in $srcs; do
		"$XENCORE" p2m --source=$src --format=runs $(fixture_p2m_args "$f") "$FIXTURES/$f.xc" >"$T/runs" 2>/dev/null
		"$XENCORE" p2m --source=$src --format=pairs $(fixture_p2m_args "$f") "$FIXTURES/$f.xc" >"$T/pairs" 2>/dev/null
		expand "$T/runs" >"$T/expanded"
		max=$("$XENCORE" p2m --format=json $(fixture_p2m_args "$f") "$FIXTURES/$f.xc" 2>/dev/null |
			sed -n 's/.*"max_pfn":"\(0x[0-9a-f]*\)".*/\1/p')
		lines=$(wc -l <"$T/pairs")
		if cmp -s "$T/pairs" "$T/expanded" && [ "$lines" -eq "$(printf '%d' "$max")" ] && [ "$lines" -gt 0 ]; then
			pass "$f $src: $lines pairs"
		else
			fail "$f $src: pairs differ from runs or count $lines != max_pfn $max"
		fi
	done
done
finish
