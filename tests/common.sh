# SPDX-License-Identifier: LGPL-2.1-or-later
# common.sh: sourced by the shell tests: paths, a scratch directory, verdicts.
# Exit codes follow automake: 0 pass, 1 fail, 77 skip, 99 broken harness.
set -u
LC_ALL=C
export LC_ALL
: "${srcdir:=.}"
: "${top_builddir:=.}"
XENCORE=$(cd "$top_builddir" && pwd)/xencore
MKXCCORE=${MKXCCORE:-$(cd "$top_builddir" && pwd)/testdata/mkxccore}
FIXTURES=$(cd "$srcdir/testdata" && pwd)
GOLDEN="$FIXTURES/golden"
GOOD_FIXTURES="good-linear good-odd good-nolinear good-missing good-xenorder good-shuffled
	good-pae good-hvm good-hvm-shinfo good-legacy good-legacy-pae"
# libkdumpfile 0.5.1 reads these; it crashes on 32-bit PV dumps and cannot
# read legacy xc_core.
KDUMP_FIXTURES="good-linear good-odd good-nolinear good-missing good-xenorder good-shuffled
	good-hvm good-hvm-shinfo"

# The generator's arguments for each checked-in fixture (testdata/README).
fixture_args() {
	case $1 in
	good-xenorder) echo "--scenario good-linear --xen-order" ;;
	good-shuffled) echo "--scenario good-odd --shuffle" ;;
	good-hvm-shinfo) echo "--scenario good-hvm --shared-info --pad 3" ;;
	good-legacy) echo "--scenario good-linear --legacy=8" ;;
	good-legacy-pae) echo "--scenario good-pae --legacy" ;;
	*) echo "--scenario $1" ;;
	esac
}

# What xencore needs to find a fixture's p2m: legacy dumps have none of
# their own, so the kernel's list it is, through the vmlinux.
fixture_p2m_args() {
	case $1 in
	good-legacy) echo "--vmlinux $FIXTURES/good-linear.vmlinux" ;;
	good-legacy-pae) echo "--vmlinux $FIXTURES/good-pae.vmlinux" ;;
	esac
}

[ -x "$XENCORE" ] || { echo "ERROR: $XENCORE not built"; exit 99; }
T=$(mktemp -d "${TMPDIR:-/tmp}/xencore-test.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
# XENCORE_VALGRIND=1: every xencore run goes through valgrind memcheck; an
# error or a definite leak exits 97, which no test expects.
if [ "${XENCORE_VALGRIND:-}" = 1 ]; then
	printf '#!/bin/sh\nexec valgrind -q --error-exitcode=97 --leak-check=full --errors-for-leak-kinds=definite "%s" "$@"\n' \
		"$XENCORE" >"$T/xencore-valgrind"
	chmod +x "$T/xencore-valgrind"
	XENCORE="$T/xencore-valgrind"
fi
failures=0
checks=0

pass() { checks=$((checks + 1)); echo "ok: $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL: $*"; }

# filter_refused DIR WHAT WANT ARGS...: `xencore filter ARGS` exits 2 with
# WANT in its message and leaves no DIR/bad.out (the tests' -o for it).
filter_refused() {
	dir=$1 what=$2 want=$3
	shift 3
	"$XENCORE" filter "$@" >/dev/null 2>"$dir/err"
	rc=$?
	if [ $rc = 2 ] && grep -q -- "$want" "$dir/err" && [ ! -e "$dir/bad.out" ]; then
		pass "$what: $(head -1 "$dir/err")"
	else
		fail "$what: exit $rc, $(cat "$dir/err")"
	fi
}

# json_value KEY FILE: the value of "KEY": in a pretty-printed JSON object.
json_value() {
	sed -n "s/.*\"$1\": \"*\([^\",]*\)\"*,*$/\1/p" "$2"
}

# same WHAT A B: pass when files A and B are equal.
same() {
	if cmp -s "$2" "$3"; then
		pass "$1"
	else
		fail "$1"
		diff "$2" "$3" | head -8
	fi
}

# golden NAME ARGS...: runs xencore ARGS in testdata/ and compares stdout with
# golden/NAME.out and stderr (then "exit: N") with golden/NAME.err.
# XENCORE_UPDATE_GOLDEN=1 rewrites the golden files instead.
golden() {
	name=$1
	shift
	(cd "$FIXTURES" && "$XENCORE" "$@") >"$T/out" 2>"$T/err"
	echo "exit: $?" >>"$T/err"
	if [ "${XENCORE_UPDATE_GOLDEN:-}" = 1 ]; then
		cp "$T/out" "$GOLDEN/$name.out"
		cp "$T/err" "$GOLDEN/$name.err"
	fi
	if cmp -s "$T/out" "$GOLDEN/$name.out" && cmp -s "$T/err" "$GOLDEN/$name.err"; then
		pass "$name"
	else
		fail "$name ($*)"
		diff -u "$GOLDEN/$name.out" "$T/out" | head -20
		diff -u "$GOLDEN/$name.err" "$T/err" | head -20
	fi
}

# header_functions: the functions include/xencore.h declares, one a line,
# sorted (a declaration starts in column 0 with its return type and names
# the function before its "("; function types are typedefs).
header_functions() {
	grep -v '^typedef' "$srcdir/include/xencore.h" |
		sed -n 's/^[a-z][^(]*[ *]\(xencore_[a-z0-9_]*\)(.*/\1/p' | sort -u
}

# Ends the test: 1 if any check failed, 99 if none ran.
finish() {
	echo "$checks checks, $failures failed"
	[ "$checks" -gt 0 ] || exit 99
	[ "$failures" -eq 0 ] || exit 1
	exit 0
}
