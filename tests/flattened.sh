#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# flattened.sh: makedumpfile's flattened format as input.  A stream from
# `filter -o -`, as a file or on a pipe (DUMP "-"), reads as the kdump file
# `-o OUT` writes (info, the saved p2m, memory), and filtered again makes
# the same file byte for byte; makedumpfile's own -F stream of a xencore
# kdump file reads as the file -R rebuilds from it.  Hostile streams (cut
# short anywhere, another type or version, bad records, bytes written
# twice, data after the end marker, a stream of a stream, a pipe of
# something else...) are one line and exit 2.  The file a stream is
# rebuilt into is never left in $TMPDIR.
. "${srcdir:-.}/tests/common.sh"

MAKEDUMPFILE=$(command -v makedumpfile || echo /usr/sbin/makedumpfile)
O="$T/flat"
mkdir -p "$O"
TMPDIR="$T/tmp"
export TMPDIR
mkdir "$TMPDIR"

# no_temp WHAT: nothing left in $TMPDIR.
no_temp() {
	if [ -n "$(ls -A "$TMPDIR")" ]; then
		fail "$1: left in TMPDIR: $(ls -A "$TMPDIR" | head -3)"
		rm -rf "${TMPDIR:?}"/* "${TMPDIR:?}"/.[!.]*
	fi
}

# same_out WHAT WANT CMD...: CMD's stdout equals file WANT, exit 0.
same_out() {
	what=$1 want=$2
	shift 2
	"$@" >"$O/have" 2>"$O/err"
	rc=$?
	if [ $rc = 0 ] && cmp -s "$want" "$O/have"; then
		pass "$what"
	else
		fail "$what: exit $rc: $(head -2 "$O/err")"
		diff "$want" "$O/have" | head -6
	fi
	no_temp "$what"
}

# piped FILE ARGS...: cat FILE | xencore ARGS... (DUMP is "-").
piped() {
	_f=$1
	shift
	cat "$_f" | "$XENCORE" "$@"
}

"$MKXCCORE" --scenario pagetypes --whole-memmap --vmlinux "$O/vmlinux" "$O/pt.xc" >"$O/gen" 2>&1 ||
	fail "generator: $(cat "$O/gen")"

for src in good-linear pagetypes; do
	case $src in
	good-linear) in="$FIXTURES/good-linear.xc" vm="--vmlinux $FIXTURES/good-linear.vmlinux"
		again="-d 1" ;;
	pagetypes) in="$O/pt.xc" vm="--vmlinux $O/vmlinux" again="-d 31" ;;
	esac
	F="$O/$src.kdump" S="$O/$src.flat"
	"$XENCORE" filter --no-progress $vm -o "$F" "$in" >/dev/null 2>&1 || fail "$src: filter -o OUT"
	"$XENCORE" filter --no-progress $vm -o - "$in" >"$S" 2>/dev/null || fail "$src: filter -o -"

	# What the commands say of the file, they say of the stream.
	"$XENCORE" info "$F" >"$O/info.want" 2>&1
	"$XENCORE" info "$S" >"$O/info.have" 2>"$O/err"
	rc=$?
	if [ $rc = 0 ] && [ "$(sed -n 2p "$O/info.have")" = "flattened:              yes" ] &&
	   sed 2d "$O/info.have" | cmp -s "$O/info.want" -; then
		pass "$src: info of the stream: the file's, and 'flattened: yes'"
	else
		fail "$src: info of the stream: exit $rc: $(cat "$O/err")"
		sed 2d "$O/info.have" | diff "$O/info.want" - | head -6
	fi
	cat "$S" | "$XENCORE" info - >"$O/info.pipe" 2>"$O/err"
	same "$src: info - of the stream on a pipe" "$O/info.have" "$O/info.pipe"
	"$XENCORE" p2m --source=saved --format=runs "$F" >"$O/p2m.want" 2>&1
	same_out "$src: p2m --source=saved of the stream" "$O/p2m.want" \
		"$XENCORE" p2m --source=saved --format=runs "$S"
	"$XENCORE" read $vm --format=hex "$F" linux_banner >"$O/read.want" 2>&1
	same_out "$src: read linux_banner from the stream" "$O/read.want" \
		"$XENCORE" read $vm --format=hex "$S" linux_banner
	"$XENCORE" read --phys --format=raw -n 65536 "$F" 0 >"$O/phys.want" 2>&1
	cat "$S" | "$XENCORE" read --phys --format=raw -n 65536 - 0 >"$O/phys.have" 2>"$O/err"
	same "$src: read --phys from the stream on a pipe" "$O/phys.want" "$O/phys.have"
	no_temp "$src: reads"

	# Filtered again: the file, the stream, the stream on a pipe, and a
	# pipe from filter -o - all make the same file.
	"$XENCORE" filter --no-progress $again $vm -o "$O/again.want" "$F" >/dev/null 2>&1 ||
		fail "$src: filter $again of the file"
	rm -f "$O/again.file" "$O/again.pipe" "$O/again.chain"
	"$XENCORE" filter --no-progress $again $vm -o "$O/again.file" "$S" >/dev/null 2>"$O/err"
	same "$src: filter $again of the stream = of the file" "$O/again.want" "$O/again.file"
	cat "$S" | "$XENCORE" filter --no-progress $again $vm -o "$O/again.pipe" - >/dev/null 2>"$O/err"
	same "$src: filter $again - of the stream on a pipe = of the file" "$O/again.want" "$O/again.pipe"
	"$XENCORE" filter --no-progress $vm -o - "$in" 2>/dev/null |
		"$XENCORE" filter --no-progress $again $vm -o "$O/again.chain" - >/dev/null 2>"$O/err"
	same "$src: filter -o - | filter $again -o OUT - = filter of the file" "$O/again.want" "$O/again.chain"
	grep -q "^xencore: standard input: warning: " "$O/err" || [ ! -s "$O/err" ] ||
		fail "$src: messages about standard input name it so: $(head -1 "$O/err")"
	no_temp "$src: filter again"

	# Streamed again: makedumpfile -R of it is the file.
	if [ -x "$MAKEDUMPFILE" ]; then
		rm -f "$O/rebuilt"
		"$XENCORE" filter --no-progress $vm -o - "$S" 2>/dev/null |
			"$MAKEDUMPFILE" -R "$O/rebuilt" >"$O/mdf" 2>&1 || fail "$src: makedumpfile -R: $(cat "$O/mdf")"
		same "$src: filter -o - of the stream | makedumpfile -R = the file" "$F" "$O/rebuilt"
	fi
done

# makedumpfile's own stream (-F) of a xencore kdump file: the kdump
# header first, descriptors and pages interleaved, in no offset order.
if [ -x "$MAKEDUMPFILE" ]; then
	"$XENCORE" filter --no-progress --compress=none --vmlinux "$O/vmlinux" -o "$O/pt.none" "$O/pt.xc" \
		>/dev/null 2>&1
	rm -f "$O/mdf.kdump"
	"$MAKEDUMPFILE" -F -c -d 31 "$O/pt.none" >"$O/mdf.flat" 2>"$O/mdf" &&
		"$MAKEDUMPFILE" -R "$O/mdf.kdump" <"$O/mdf.flat" >"$O/mdf" 2>&1 ||
		fail "makedumpfile -F, -R: $(tail -2 "$O/mdf")"
	"$XENCORE" p2m --source=saved --format=runs "$O/mdf.kdump" >"$O/p2m.want" 2>/dev/null
	same_out "makedumpfile -F's stream reads as the file -R makes" "$O/p2m.want" \
		"$XENCORE" p2m --source=saved --format=runs "$O/mdf.flat"
	"$XENCORE" read --vmlinux "$O/vmlinux" "$O/mdf.kdump" linux_banner >"$O/read.want" 2>/dev/null
	same_out "makedumpfile -F's stream on a pipe: the same memory" "$O/read.want" \
		piped "$O/mdf.flat" read --vmlinux "$O/vmlinux" - linux_banner
else
	echo "makedumpfile not found: -R and -F not tried"
fi

# ---- hostile streams, made from good-linear's ------------------------------
S="$O/good-linear.flat"
size=$(wc -c <"$S")
"$XENCORE" info "$S" >"$O/gl.info" 2>&1

# be64 VALUE: 8 bytes, big-endian (two's complement), on stdout.
be64() {
	_v=$1 _sh=56 _s=
	while [ $_sh -ge 0 ]; do
		_b=$(((_v >> _sh) & 255))
		_s="$_s\\$((_b / 64))$((_b / 8 % 8))$((_b % 8))"
		_sh=$((_sh - 8))
	done
	printf "$_s"
}
# poke FILE POS VALUE: VALUE as big-endian int64 at byte POS of FILE.
poke() {
	be64 "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
# Each record of $S: POS OFFSET SIZE (decimal); the end marker: POS end.
: >"$O/records"
pos=4096
while [ $((pos + 16)) -le "$size" ]; do
	hex=$(od -An -tx1 -v -j $pos -N 16 "$S" | tr -d ' \n')
	if [ "$hex" = ffffffffffffffffffffffffffffffff ]; then
		echo "$pos end" >>"$O/records"
		break
	fi
	off=$((0x$(echo "$hex" | cut -c1-16))) len=$((0x$(echo "$hex" | cut -c17-32)))
	echo "$pos $off $len" >>"$O/records"
	pos=$((pos + 16 + len))
done
# rec N FIELD: field 1 (pos), 2 (offset) or 3 (size) of record N (from 1).
rec() {
	sed -n "$1p" "$O/records" | cut -d' ' -f"$2"
}
nrec=$(($(wc -l <"$O/records") - 1))
if [ "$(tail -1 "$O/records")" = "$((size - 16)) end" ] && [ $nrec -ge 4 ] &&
   [ "$(rec $nrec 2)" = 0 ] && [ "$(rec $nrec 3)" = 4096 ]; then
	pass "good-linear's stream: $nrec records, the kdump header (0, 4096) last, then the end marker"
else
	fail "good-linear's stream is not as this test expects: $(cat "$O/records")"
fi

# refused WHAT MESSAGE CMD...: exit 2, MESSAGE the one line on stderr,
# nothing on stdout, nothing left in TMPDIR.
refused() {
	what=$1 msg=$2
	shift 2
	"$@" >"$O/out" 2>"$O/err"
	rc=$?
	if [ $rc = 2 ] && [ "$(cat "$O/err")" = "$msg" ] && [ ! -s "$O/out" ]; then
		pass "$what: $msg"
	else
		fail "$what: exit $rc, stdout $(wc -c <"$O/out") bytes, stderr: $(cat "$O/err")"
		echo "   wanted: $msg"
	fi
	no_temp "$what"
}
# bad WHAT FILE MESSAGE: info FILE is refused with "xencore: FILE: MESSAGE".
bad() {
	refused "$1" "xencore: $2: $3" "$XENCORE" info "$2"
}
H="$O/h.flat"
p3=$(rec 3 1)
p2=$(rec 2 1) o2=$(rec 2 2) s2=$(rec 2 3)
o1=$(rec 1 2)

head -c 100 "$S" >"$H"
bad "cut inside the header block" "$H" \
	"flattened stream: cut short: it ends inside its 4096-byte header, at byte 100"
head -c $((p3 + 7)) "$S" >"$H"
bad "cut inside a record's header" "$H" \
	"flattened stream: cut short: it ends inside the header of record 3 (byte $p3)"
# cut_data N KEEP: the stream cut KEEP bytes into record N's data, as a
# file and on a pipe.
cut_data() {
	_p=$(rec "$1" 1)
	head -c $((_p + 16 + $2)) "$S" >"$H"
	_m="flattened stream: cut short: record $1 (byte $_p; $(rec "$1" 3) bytes for offset $(printf 0x%x "$(rec "$1" 2)")) has only $2 of its bytes"
	bad "cut inside record $1's data" "$H" "$_m"
	refused "cut inside record $1's data, on a pipe" "xencore: standard input: $_m" piped "$H" info -
}
cut_data 3 10
cut_data 2 60000
head -c $((size - 16)) "$S" >"$H"
bad "no end marker" "$H" \
	"flattened stream: cut short: it ends at byte $((size - 16)), after $nrec records, without the end marker"

cp "$S" "$H" && poke "$H" 16 2
bad "type 2" "$H" "flattened stream: type 2, version 1: not makedumpfile's type 1, version 1"
cp "$S" "$H" && poke "$H" 24 3
bad "version 3" "$H" "flattened stream: type 1, version 3: not makedumpfile's type 1, version 1"

cp "$S" "$H" && poke "$H" "$p2" -5
bad "negative offset" "$H" \
	"flattened stream: record 2 (byte $p2) has offset -5 and size $s2: neither data (offset 0 or more, size 1 or more) nor the end marker (-1, -1)"
cp "$S" "$H" && poke "$H" $((p2 + 8)) 0
bad "size 0" "$H" \
	"flattened stream: record 2 (byte $p2) has offset $o2 and size 0: neither data (offset 0 or more, size 1 or more) nor the end marker (-1, -1)"
cp "$S" "$H" && poke "$H" "$p2" -1
bad "half an end marker" "$H" \
	"flattened stream: record 2 (byte $p2) has offset -1 and size $s2: neither data (offset 0 or more, size 1 or more) nor the end marker (-1, -1)"
cp "$S" "$H" && poke "$H" "$p2" $((0x7fffffffffffff00))
bad "offset + size past 2^63" "$H" \
	"flattened stream: record 2 (byte $p2): offset 0x7fffffffffffff00 and size $(printf 0x%x "$s2") end past 2^63"

# Record 2 moved 100 bytes into record 1's range.
cp "$S" "$H" && poke "$H" "$p2" $((o1 + 100))
bad "overlapping records" "$H" \
	"flattened stream: record 2 (byte $p2; $s2 bytes for offset $(printf 0x%x $((o1 + 100)))) writes $(printf 0x%x $((o1 + 100)))-$(printf 0x%x $((o1 + $(rec 1 3) - 1))) again, which an earlier record wrote"

# A rewrite of a whole earlier record (makedumpfile rewrites a header so):
# the later bytes win.  The sub-header again, with dump_level 1.
sub=$(grep -n ' 4096 104$' "$O/records" | cut -d: -f1)
if [ -n "$sub" ]; then
	psub=$(rec "$sub" 1)
	{ head -c $((size - 16)) "$S"; dd if="$S" bs=1 skip="$psub" count=120 2>/dev/null
	  tail -c 16 "$S"; } >"$H"
	"$XENCORE" info "$O/good-linear.kdump" >"$O/info.want" 2>&1
	same_out "the sub-header rewritten whole, the same bytes: accepted, the same dump" "$O/info.want" \
		sh -c '"$1" info "$2" | sed 2d' sh "$XENCORE" "$H"
	printf '\001' | dd of="$H" bs=1 seek=$((size - 16 + 16 + 8)) conv=notrunc 2>/dev/null
	sed 's/^dump_level: *0$/dump_level:             1/' "$O/info.want" >"$O/info.want1"
	same_out "the sub-header rewritten whole with dump_level 1: the later bytes win" "$O/info.want1" \
		sh -c '"$1" info "$2" | sed 2d' sh "$XENCORE" "$H"
else
	fail "no sub-header record (4096, 104) in good-linear's stream"
fi

# Out of order: anything after the end marker (two streams, one after the other).
cat "$S" "$S" >"$H"
bad "two streams one after the other" "$H" \
	"flattened stream: more data after its end marker (byte $size): two streams one after the other?"
refused "two streams one after the other, on a pipe" \
	"xencore: standard input: flattened stream: more data after its end marker (byte $size): two streams one after the other?" \
	piped "$H" info -

# No record at offset 0: the kdump header moved past the file.
cp "$S" "$H" && poke "$H" "$(rec $nrec 1)" 1048576
bad "nothing at offset 0" "$H" "flattened stream: no record writes offset 0, where the file's header goes"
# Mostly holes: record 1 moved to 1 TiB.
cp "$S" "$H" && poke "$H" "$(rec 1 1)" $((1 << 40))
bad "a file mostly holes" "$H" \
	"flattened stream: its records write $((size - 4096 - 16 * nrec - 16)) bytes of a $(((1 << 40) + $(rec 1 3)))-byte file: the rest would be holes"
# More than 4096 separate ranges: 4097 one-byte records, a byte apart.
{
	head -c 4096 "$S"
	i=0
	while [ $i -le 4096 ]; do
		be64 $((2 * i))
		be64 1
		printf x
		i=$((i + 1))
	done
	tail -c 16 "$S"
} >"$H"
bad "4097 separate ranges" "$H" \
	"flattened stream: record 4097 (byte $((4096 + 4096 * 17))) makes more than 4096 separate ranges of the file written: not a stream makedumpfile or xencore writes"

# A stream of a stream: one record, at 0, holding the whole of $S.
{ head -c 4096 "$S"; be64 0; be64 "$size"; cat "$S"; tail -c 16 "$S"; } >"$H"
bad "a stream of a stream" "$H" "flattened stream: it holds another flattened stream, not a kdump file"
# A stream of an xc_core dump.
xc=$(wc -c <"$FIXTURES/good-linear.xc")
{ head -c 4096 "$S"; be64 0; be64 "$xc"; cat "$FIXTURES/good-linear.xc"; tail -c 16 "$S"; } >"$H"
bad "a stream of an ELF xc_core dump" "$H" \
	"flattened stream: it holds an ELF file, not a kdump file (xencore reads only kdump files from a flattened stream)"

# A pipe must hold a stream; a regular file on stdin is read in place.
refused "a pipe of a kdump file" \
	"xencore: standard input: a pipe: only makedumpfile's flattened format (xencore filter -o -, makedumpfile -F) can be read from a pipe; save other dumps to a file" \
	piped "$O/good-linear.kdump" info -
refused "an empty pipe" "xencore: standard input: a pipe with nothing in it" \
	sh -c ': | "$1" info -' sh "$XENCORE"
mkfifo "$O/fifo"
cat "$FIXTURES/good-linear.xc" >"$O/fifo" &
refused "a FIFO of an xc_core dump" \
	"xencore: $O/fifo: a pipe: only makedumpfile's flattened format (xencore filter -o -, makedumpfile -F) can be read from a pipe; save other dumps to a file" \
	"$XENCORE" info "$O/fifo"
wait
cat "$S" >"$O/fifo" &
same_out "a FIFO of a stream" "$O/gl.info" "$XENCORE" info "$O/fifo"
wait
"$XENCORE" info "$FIXTURES/good-linear.xc" >"$O/info.want" 2>&1
same_out "a regular file on standard input, read in place" "$O/info.want" \
	sh -c '"$1" info - <"$2"' sh "$XENCORE" "$FIXTURES/good-linear.xc"
refused "a character device on standard input" "xencore: standard input: not a regular file" \
	sh -c '"$1" info - </dev/null' sh "$XENCORE"
if command -v script >/dev/null 2>&1 && script -qec "true" /dev/null >/dev/null 2>&1; then
	script -qec "'$XENCORE' info - 2>'$O/err'" /dev/null >"$O/out" 2>&1
	rc=$?
	if [ $rc = 2 ] && [ "$(cat "$O/err")" = "xencore: standard input: is a terminal: give a dump file, or pipe a flattened stream in (xencore filter -o -)" ]; then
		pass "a terminal on standard input: $(cat "$O/err")"
	else
		fail "a terminal on standard input: exit $rc, $(cat "$O/err")"
	fi
else
	echo "script(1) not usable: the terminal case not tried"
fi

# Killed while it reads: the rebuilt file never had a name.
{ head -c 100000 "$S"; sleep 2; } | "$XENCORE" info - >/dev/null 2>&1 &
pid=$!
sleep 1
left=$(ls -A "$TMPDIR")
kill -KILL $pid 2>/dev/null
wait
if [ -z "$left" ] && [ -z "$(ls -A "$TMPDIR")" ]; then
	pass "killed while reading a stream: nothing in TMPDIR, during or after"
else
	fail "killed while reading a stream: TMPDIR held $left"
fi

# Never written over: the stream as filter's output, named or on stdin.
cp "$S" "$H"
refused "filter -o STREAM STREAM" "xencore: $H: the output is the input dump: refusing to write over it" \
	"$XENCORE" filter --no-progress -o "$H" "$H"
refused "filter -o STREAM - <STREAM" "xencore: $H: the output is the input dump: refusing to write over it" \
	sh -c '"$1" filter --no-progress -o "$2" - <"$2"' sh "$XENCORE" "$H"
cmp -s "$S" "$H" && pass "the stream is unchanged" || fail "the stream was written over"

# The temporary file: where $TMPDIR says, O_TMPFILE or not.
refused "TMPDIR missing" \
	"xencore: $S: cannot make a temporary file in $T/none to rebuild the flattened stream: No such file or directory" \
	env TMPDIR="$T/none" "$XENCORE" info "$S"
SHIM="$(cd "$top_builddir" && pwd)/tests/no-tmpfile.so"
if [ -f "$SHIM" ] && LD_PRELOAD="$SHIM" "$XENCORE" --version >/dev/null 2>&1; then
	same_out "no O_TMPFILE: a named temporary file, unlinked at once" "$O/gl.info" \
		env LD_PRELOAD="$SHIM" "$XENCORE" info "$S"
else
	echo "skip: tests/no-tmpfile.so is not built or cannot be preloaded (a sanitizer build?)"
fi
finish
