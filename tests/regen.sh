#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# regen.sh: the generator still makes the checked-in fixtures byte for byte,
# and xencore's p2m equals the p2m the generator built (its --expect file):
# the linear walk for guests that publish a list, the dump's table otherwise.
. "${srcdir:-.}/tests/common.sh"

[ -x "$MKXCCORE" ] || { echo "ERROR: $MKXCCORE not built"; exit 99; }
for f in $GOOD_FIXTURES; do
	if ! "$MKXCCORE" $(fixture_args "$f") --expect "$T/$f.expect" "$T/$f.xc"; then
		fail "$f: generator failed"
		continue
	fi
	if cmp "$T/$f.xc" "$FIXTURES/$f.xc"; then
		pass "$f: regenerated fixture is identical"
	else
		fail "$f: regenerated fixture differs from testdata/$f.xc"
	fi
	if "$XENCORE" p2m --format=runs $(fixture_p2m_args "$f") "$T/$f.xc" >"$T/$f.runs" 2>"$T/$f.err" &&
	   cmp -s "$T/$f.runs" "$T/$f.expect"; then
		pass "$f: p2m equals the generator's ($(wc -l <"$T/$f.runs") runs)"
	else
		fail "$f: p2m differs from the generator's"
		diff "$T/$f.expect" "$T/$f.runs" | head -10
	fi
done

# The guest kernels' vmlinux and System.map that go with the fixtures.
for g in good-linear good-pae; do
	"$MKXCCORE" --scenario $g --vmlinux "$T/vmlinux" --system-map "$T/map" "$T/g.xc" ||
		fail "$g vmlinux: generator failed"
	for f in vmlinux:$g.vmlinux map:$g.System.map; do
		if cmp "$T/${f%%:*}" "$FIXTURES/${f#*:}"; then
			pass "${f#*:}: regenerated file is identical"
		else
			fail "${f#*:} differs from the generator's"
		fi
	done
done
finish
