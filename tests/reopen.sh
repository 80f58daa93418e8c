#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# reopen.sh: whatever `xencore filter` writes, xencore reads back, with the
# p2m it was written with.  Every checked-in fixture and every hostile
# variant filter accepts (each --bad kind the generator lists, on
# good-linear, and some on other scenarios) is filtered to kdump, ELF and
# xc_core; each output must open (`info`) and give the input's p2m: the one
# it saved (kdump, ELF: --source=saved) or, from its own pages, the source
# the input's p2m came from (xc_core).  A filter that refuses an input
# (exit 2) is counted, not failed; any other failure fails.
. "${srcdir:-.}/tests/common.sh"

[ -x "$MKXCCORE" ] || { echo "ERROR: $MKXCCORE not built"; exit 99; }

fixtures=0 inputs=0 outputs=0 refused=0 not_applicable=0

# info FILE: `xencore info FILE`'s exit status, its first error in $T/info
# (FILE's name taken out, to compare a copy's with the dump's).
info() {
	"$XENCORE" info "$1" >/dev/null 2>"$T/info.err"
	rc=$?
	grep -v ': warning: ' "$T/info.err" | head -1 | sed "s|$1|FILE|g" >"$T/info"
	return $rc
}

# reopen NAME DUMP [P2M ARGS...]: DUMP through filter to every format, each
# output reopened and its p2m compared with DUMP's.
reopen() {
	name=$1 in=$2
	shift 2
	inputs=$((inputs + 1))
	info "$in"
	in_rc=$?
	cp "$T/info" "$T/info.in"
	# The p2m filter saves: the auto source's (cmd-filter.c filter_p2m()).
	auto=$("$XENCORE" p2m --format=json "$@" "$in" 2>/dev/null |
		sed -n 's/^{"source":"\([a-z]*\)".*/\1/p')
	[ -z "$auto" ] || "$XENCORE" p2m --format=runs "$@" "$in" >"$T/p2m.in" 2>/dev/null
	for fmt in kdump elf xc_core; do
		out="$T/out.$fmt"
		rm -f "$out"
		"$XENCORE" filter --output-format=$fmt --no-progress "$@" -o "$out" "$in" \
			>/dev/null 2>"$T/err"
		rc=$?
		case $rc in
		2)
			refused=$((refused + 1))
			[ ! -e "$out" ] || fail "$name $fmt: filter refused the dump but left its output"
			continue ;;
		0 | 1)	# 1: written from a damaged dump
			[ -e "$out" ] || { fail "$name $fmt: filter exits $rc, no output"; continue; } ;;
		*)
			fail "$name $fmt: filter exits $rc: $(head -2 "$T/err")"
			continue ;;
		esac
		outputs=$((outputs + 1))
		# Every output opens; but an xc_core copy is the dump's own
		# metadata, and is as readable as the dump is.
		info "$out"
		rc=$?
		if [ $fmt = xc_core ] && [ $in_rc != 0 ]; then
			if [ $rc = $in_rc ] && cmp -s "$T/info" "$T/info.in"; then
				pass "$name $fmt: fails to open as the dump does: $(cat "$T/info")"
			else
				fail "$name $fmt: info exits $rc ($(cat "$T/info")), on the dump $in_rc ($(cat "$T/info.in"))"
			fi
		elif [ $rc != 0 ]; then
			fail "$name $fmt: the output does not open: $(cat "$T/info")"
			continue
		fi
		if [ $fmt = xc_core ]; then
			src=--source=$auto
		else
			src=--source=saved
		fi
		if [ -z "$auto" ]; then
			# No p2m to save: none saved (an xc_core copy has none either).
			if [ $fmt != xc_core ] &&
			   "$XENCORE" p2m --format=runs $src "$out" >/dev/null 2>&1; then
				fail "$name $fmt: the dump has no p2m, yet the output saved one"
			else
				pass "$name $fmt: no p2m to carry"
			fi
			continue
		fi
		if ! "$XENCORE" p2m --format=runs $src "$@" "$out" >"$T/p2m.out" 2>"$T/err"; then
			fail "$name $fmt: p2m $src of the output: $(grep -v ': warning: ' "$T/err" | head -2)"
		elif cmp -s "$T/p2m.in" "$T/p2m.out"; then
			pass "$name $fmt: same p2m ($src, $(wc -l <"$T/p2m.out") runs)"
		else
			fail "$name $fmt: p2m $src differs from the dump's ($auto)"
			diff "$T/p2m.in" "$T/p2m.out" | head -6
		fi
	done
}

# variant NAME MKXCCORE-ARGS...: a generated dump, reopened; a variant the
# generator refuses for this scenario (exit 2) is counted and skipped.
variant() {
	name=$1
	shift
	"$MKXCCORE" "$@" --vmlinux "$T/v.vmlinux" "$T/v.xc" >/dev/null 2>"$T/gen"
	case $? in
	0) ;;
	2) not_applicable=$((not_applicable + 1)); return ;;
	*) fail "$name: the generator failed: $(cat "$T/gen")"; return ;;
	esac
	case " $* " in
	*" --legacy"*) reopen "$name" "$T/v.xc" --vmlinux "$T/v.vmlinux" ;;
	*) reopen "$name" "$T/v.xc" ;;
	esac
}

for f in $GOOD_FIXTURES; do
	fixtures=$((fixtures + 1))
	reopen "$f" "$FIXTURES/$f.xc" $(fixture_p2m_args "$f")
done

# The --bad kinds the generator lists (its usage, between --bad and --expect).
kinds=$("$MKXCCORE" --help 2>&1 | sed -n '/--bad KIND/,/--expect FILE/p' |
	sed '$d; s/.*://; s/[,;]/ /g' | tr -s ' \n' '\n' | grep -E '^[a-z0-9-]+$')
[ -n "$kinds" ] || { echo "ERROR: no --bad kinds in the generator's usage"; exit 99; }
for k in $kinds; do
	case $k in
	# 21 MB of contexts (bad-input.sh has it); a million-run p2m (tiny's below)
	prstatus-too-many | all-one-mfn) continue ;;
	esac
	variant "good-linear --bad $k" --scenario good-linear --bad $k
done

# Frames and pfns past 2^40 through the other sources: the tree, a kernel's
# list read through a vmlinux (legacy), special entries around them.
variant "good-nolinear --bad max-pfn-huge" --scenario good-nolinear --bad max-pfn-huge
variant "good-odd --bad max-pfn-huge" --scenario good-odd --bad max-pfn-huge
for k in p2m-mfn-huge p2m-foreign-huge; do
	variant "good-odd --bad $k" --scenario good-odd --bad $k
	variant "good-nolinear --bad $k" --scenario good-nolinear --bad $k
	variant "good-missing --bad $k" --scenario good-missing --bad $k
	variant "good-linear --special-entries --bad $k" --scenario good-linear --special-entries --bad $k
	variant "good-linear --legacy --bad $k" --scenario good-linear --legacy --bad $k
	variant "tiny --bad $k" --scenario tiny --bad $k
done
# Some hostile guests on the other scenarios.
variant "tiny --bad all-one-mfn" --scenario tiny --bad all-one-mfn
for k in root-twice p2m-maps-own-tables p2m-duplicate-mfn max-pfn-huge; do
	variant "tiny --bad $k" --scenario tiny --bad $k
	variant "good-pae --bad $k" --scenario good-pae --bad $k
done
variant "good-pae --legacy --bad p2m-duplicate-mfn" --scenario good-pae --legacy --bad p2m-duplicate-mfn
variant "good-hvm --bad pt-missing" --scenario good-hvm --bad pt-missing

echo "$fixtures fixtures and $((inputs - fixtures)) variants ($not_applicable more the generator refuses): $outputs outputs reopened, $refused refused by filter (exit 2)"
finish
