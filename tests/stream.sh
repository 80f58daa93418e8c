#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# stream.sh: `filter -o -` writes makedumpfile's flattened format to standard
# output; `makedumpfile -R` rebuilds from it the very file `-o OUT` writes
# (byte for byte: same p2m, same pages).  The summary goes to stderr.
# Refused: ELF or xc_core output, --verify, a terminal.  A reader that goes
# away (broken pipe): exit 2, one line.
. "${srcdir:-.}/tests/common.sh"

KDUMPCHK="$top_builddir/tests/test-kdumpfile"
MAKEDUMPFILE=$(command -v makedumpfile || echo /usr/sbin/makedumpfile)
O="$T/stream"
mkdir -p "$O"

"$MKXCCORE" --scenario pagetypes --vmlinux "$O/vmlinux" "$O/pt.xc" >"$O/gen" 2>&1 ||
	fail "generator: $(cat "$O/gen")"

for src in good-linear pagetypes; do
	case $src in
	good-linear) in="$FIXTURES/good-linear.xc" vm="" ;;
	pagetypes) in="$O/pt.xc" vm="--vmlinux $O/vmlinux" ;;
	esac
	for args in "" "-d 1" "--compress=none" "-d 31"; do
		[ "$args" = "-d 31" ] && [ -z "$vm" ] && continue
		what="$src${args:+ $args}"
		"$XENCORE" filter --no-progress $args $vm -o "$O/file" "$in" >/dev/null 2>&1 ||
			{ fail "$what: filter -o OUT"; continue; }
		"$XENCORE" filter --no-progress --json $args $vm -o - "$in" >"$O/flat" 2>"$O/err"
		rc=$?
		sed -n '/^{/,/^}/p' "$O/err" >"$O/json"
		if [ $rc = 0 ] && [ "$(head -c 12 "$O/flat")" = makedumpfile ] &&
		   [ "$(json_value output "$O/json")" = - ] &&
		   [ "$(json_value bytes_out "$O/json")" = "$(wc -c <"$O/file")" ]; then
			pass "$what: -o - exits 0, the stream on stdout, the JSON summary on stderr"
		else
			fail "$what: -o - exit $rc: $(cat "$O/err")"
		fi
		[ -x "$MAKEDUMPFILE" ] || continue
		rm -f "$O/rebuilt"
		if "$MAKEDUMPFILE" -R "$O/rebuilt" <"$O/flat" >"$O/mdf" 2>&1; then
			pass "$what: makedumpfile -R takes the stream"
		else
			fail "$what: makedumpfile -R: $(cat "$O/mdf")"
			continue
		fi
		same "$what: the rebuilt file is byte for byte -o OUT's" "$O/file" "$O/rebuilt"
		"$XENCORE" p2m --source=saved --format=runs "$O/file" >"$O/p2m.want" 2>&1
		"$XENCORE" p2m --source=saved --format=runs "$O/rebuilt" >"$O/p2m.have" 2>&1
		same "$what: same saved p2m" "$O/p2m.want" "$O/p2m.have"
		# The page-type pass drops non-zero pages, which --filtered counts
		# as wrong: there the byte-for-byte match above says it all.
		[ $src = good-linear ] || continue
		listed=$(($(json_value pages_kept "$O/json") + $(json_value pages_zero "$O/json")))
		if "$KDUMPCHK" --filtered "$in" "$O/rebuilt" "$listed" >"$O/kd" 2>&1; then
			pass "$what: libkdumpfile: $(cat "$O/kd")"
		else
			fail "$what: libkdumpfile: $(cat "$O/kd")"
		fi
	done
done
[ -x "$MAKEDUMPFILE" ] || echo "makedumpfile not found: -R not tried"

in="$FIXTURES/good-linear.xc"

# refused CASE MESSAGE ARGS...: exit 2, the one line, nothing on stdout.
refused() {
	what=$1 msg=$2
	shift 2
	"$XENCORE" filter --no-progress "$@" "$in" >"$O/out" 2>"$O/err"
	rc=$?
	if [ $rc = 2 ] && [ "$(cat "$O/err")" = "$msg" ] && [ ! -s "$O/out" ]; then
		pass "$what: refused: $msg"
	else
		fail "$what: exit $rc, $(cat "$O/err")"
	fi
}
refused "elf" "xencore: filter: -o -: only kdump output can be streamed (makedumpfile's flattened format), not --output-format=elf" \
	--output-format=elf -o -
refused "xc_core" "xencore: filter: -o -: only kdump output can be streamed (makedumpfile's flattened format), not --output-format=xc_core" \
	--output-format=xc_core -o -
refused "verify" "xencore: filter: -o -: --verify needs an output file to read back" --verify -o -

# A terminal on stdout (script(1) gives one).
if command -v script >/dev/null 2>&1 &&
   script -qec "true" /dev/null >/dev/null 2>&1; then
	script -qec "'$XENCORE' filter --no-progress -o - '$in' 2>'$O/err'" /dev/null >"$O/out" 2>&1
	rc=$?
	if [ $rc = 2 ] &&
	   [ "$(cat "$O/err")" = "xencore: filter: -o -: standard output is a terminal; pipe it (to makedumpfile -R OUT)" ]; then
		pass "terminal: refused: $(cat "$O/err")"
	else
		fail "terminal: exit $rc, $(cat "$O/err")"
	fi
else
	echo "script(1) not usable: the terminal case not tried"
fi

# A reader that goes away: EPIPE, exit 2, one line (stderr has only it:
# the dump's warning is silenced by a VMCOREINFO-less --raw-pagetables).
{
	"$XENCORE" filter --no-progress --raw-pagetables --compress=none -o - "$in" 2>"$O/err"
	echo $? >"$O/rc"
} | head -c 100 >"$O/head"
rc=$(cat "$O/rc")
if [ "$rc" = 2 ] && [ "$(wc -l <"$O/err")" = 1 ] &&
   [ "$(cat "$O/err")" = "xencore: standard output: cannot write: Broken pipe" ] &&
   [ "$(wc -c <"$O/head")" = 100 ]; then
	pass "broken pipe: exit 2, $(cat "$O/err")"
else
	fail "broken pipe: exit $rc, $(cat "$O/err")"
fi
finish
