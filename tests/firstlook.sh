#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# firstlook.sh: dmesg, regs, bt --scan and info's kernel_panic on the
# generator's pagetypes guests, 64-bit and PAE, with each kernel log layout
# (the lockless printk_ringbuffer and log_buf's printk_log records), held
# against independent readers:
#   - makedumpfile --dump-dmesg on the generator's own native vmcore and on
#     xencore's native kdump and ELF exports prints what xencore dmesg
#     prints, byte for byte (x86_64 guests: Debian's makedumpfile reads no
#     others);
#   - the generator's records (--expect-dmesg) are what dmesg --json says,
#     field for field, and its stack words (--expect-stack) what bt --scan
#     prints;
#   - libkdumpfile reads the registers xencore's export put in NT_PRSTATUS,
#     and they are what regs prints from the vcpu contexts.
# Then damaged logs: a 2^40-byte ring, descriptor ids far apart, a record's
# text outside the ring, log_buf_len 2^31, log_buf records that loop, and
# VMCOREINFO without an entry the layout needs.
. "${srcdir:-.}/tests/common.sh"

PY=/usr/bin/python3
MAKEDUMPFILE=$(command -v makedumpfile || echo /usr/sbin/makedumpfile)
O="$T/firstlook"
mkdir -p "$O"

have_kdumpfile=0
"$PY" -c 'import kdumpfile' 2>/dev/null && have_kdumpfile=1
[ $have_kdumpfile = 1 ] || echo "python3-libkdumpfile missing: its register checks are skipped"
have_mdf=0
[ -x "$MAKEDUMPFILE" ] && have_mdf=1
[ $have_mdf = 1 ] || echo "makedumpfile missing: its dmesg checks are skipped"

# expect WHAT STATUS CMD...: CMD exits STATUS; stderr in $O/err.
expect() {
	what=$1 want=$2
	shift 2
	"$@" >"$O/out" 2>"$O/err"
	got=$?
	if [ "$got" = "$want" ]; then
		pass "$what: exit $got"
	else
		fail "$what: exit $got, want $want"
		head -3 "$O/err"
	fi
}

# Compares dmesg --json with the generator's JSON lines, field for field.
cat >"$O/records.py" <<'EOF'
import json, sys
got = json.load(open(sys.argv[1]))["records"]
want = [json.loads(line) for line in open(sys.argv[2])]
if len(got) != len(want):
    sys.exit("%d records, the generator wrote %d" % (len(got), len(want)))
for i, (g, w) in enumerate(zip(got, want)):
    for key, value in w.items():
        if g.get(key) != value:
            sys.exit("record %d: %s is %r, want %r" % (i, key, g.get(key), value))
    if g["truncated"]:
        sys.exit("record %d: truncated" % i)
print("%d records" % len(got))
EOF

# The generator's stack lines, in bt --scan's form.
stack_lines() {
	awk '$3 != "rsp" { printf "%s %s %s %s %s\n", $2, $3, $4, $5, ($6 == "fp" ? "fp" : "-") }' "$1"
}
bt_lines() {
	awk '/^vcpu / { v = $2; sub(":", "", v) }
	     /^  \[/ { s = $1; gsub(/[][]/, "", s)
		       printf "%s 0x%s 0x%s %s %s\n", v, s, $2, $3, ($4 == "fp" ? "fp" : "-") }' "$1"
}

# Registers libkdumpfile reads from an export's NT_PRSTATUS notes, as regs --json names them.
cat >"$O/regs.py" <<'EOF'
import json, sys, kdumpfile
attr = kdumpfile.kdumpfile(sys.argv[1]).attr
vcpus = json.load(open(sys.argv[2]))["vcpus"]
if attr["cpu.number"] != len(vcpus):
    sys.exit("%d cpus, regs has %d vcpus" % (attr["cpu.number"], len(vcpus)))
names = ["rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10",
         "r11", "r12", "r13", "r14", "r15", "rip", "rflags", "cs", "ss"]
for v in vcpus:
    reg = attr["cpu"][str(v["vcpu"])]["reg"]
    for n in names:
        if reg[n] != int(v[n], 16):
            sys.exit("vcpu %d %s: libkdumpfile 0x%x, regs %s" % (v["vcpu"], n, reg[n], v[n]))
print("%d vcpus, %d registers each" % (len(vcpus), len(names)))
EOF

# variant NAME BITS GENERATOR-ARGS...
variant() {
	name=$1 bits=$2
	shift 2
	d="$O/$name"
	if ! "$MKXCCORE" "$@" --vmlinux "$d.vmlinux" --system-map "$d.map" \
		--expect-dmesg "$d.records" --expect-stack "$d.stack" \
		--native-vmcore "$d.vmcore" "$d.xc" >"$O/gen.out" 2>&1; then
		fail "$name: generate"
		cat "$O/gen.out"
		return
	fi
	# dmesg: the generator's records, with and without symbols
	if "$XENCORE" dmesg --json --system-map "$d.map" "$d.xc" >"$d.json" 2>"$O/err" &&
		[ ! -s "$O/err" ] && msg=$("$PY" "$O/records.py" "$d.json" "$d.records" 2>&1); then
		pass "$name: dmesg --json is the generator's $msg"
	else
		fail "$name: dmesg --json: $msg $(head -2 "$O/err")"
	fi
	"$XENCORE" dmesg "$d.xc" >"$d.dmesg" 2>"$O/err"
	[ $? = 0 ] && [ ! -s "$O/err" ] && pass "$name: dmesg without symbols (VMCOREINFO by scan)" ||
		fail "$name: dmesg without symbols: $(head -2 "$O/err")"
	# the same log from xencore's native exports
	for fmt in kdump elf; do
		"$XENCORE" filter -d 31 --output-format=$fmt --system-map "$d.map" -o "$d.$fmt" \
			"$d.xc" >/dev/null 2>"$O/err" || { fail "$name: filter $fmt: $(head -1 "$O/err")"; continue; }
		"$XENCORE" dmesg "$d.$fmt" >"$d.$fmt.dmesg" 2>&1
		same "$name: dmesg of the native $fmt export" "$d.dmesg" "$d.$fmt.dmesg"
	done
	# makedumpfile prints the same, from its own reading of each vmcore
	if [ $bits = 64 ] && [ $have_mdf = 1 ]; then
		for f in vmcore kdump elf; do
			rm -f "$d.$f.mdf"
			if "$MAKEDUMPFILE" --dump-dmesg "$d.$f" "$d.$f.mdf" >"$O/mdf.out" 2>&1; then
				same "$name: makedumpfile --dump-dmesg of the $f is xencore dmesg" \
					"$d.$f.mdf" "$d.dmesg"
			else
				fail "$name: makedumpfile --dump-dmesg $f"
				tail -3 "$O/mdf.out"
			fi
		done
	fi
	# info: the release and the panic line the records hold
	panic=$("$PY" -c 'import json, sys
for line in open(sys.argv[1]):
    t = json.loads(line)["text"]
    for l in t.split("\n"):
        if l.startswith("Kernel panic - not syncing"):
            p = l
print(p)' "$d.records")
	"$XENCORE" info "$d.xc" >"$d.info" 2>&1
	if grep -qxF "kernel_panic:           $panic" "$d.info" &&
		grep -q "^kernel_log_records: *$(wc -l <"$d.records")$" "$d.info" &&
		grep -q "^kernel_release: *6\.1\.0-xencore" "$d.info"; then
		pass "$name: info: kernel_release, kernel_log_records, kernel_panic '$panic'"
	else
		fail "$name: info"
		grep "^kernel_" "$d.info"
	fi
	# bt --scan: every text word on each vcpu's stack, the chain marked
	"$XENCORE" bt --scan --system-map "$d.map" "$d.xc" >"$d.bt" 2>&1
	stack_lines "$d.stack" >"$d.stack.want"
	bt_lines "$d.bt" >"$d.stack.got"
	if [ -s "$d.stack.want" ] && grep -q " fp$" "$d.stack.want"; then
		same "$name: bt --scan is the generator's stack words" "$d.stack.want" "$d.stack.got"
	else
		fail "$name: the generator wrote no stack words"
	fi
	"$XENCORE" bt --scan --vcpu 1 --vmlinux "$d.vmlinux" "$d.xc" >"$d.bt1" 2>&1
	grep "^1 " "$d.stack.want" >"$d.stack1.want"
	bt_lines "$d.bt1" >"$d.stack1.got"
	same "$name: bt --scan --vcpu 1 (vmlinux symbols)" "$d.stack1.want" "$d.stack1.got"
	grep -q "frame pointers: intact" "$d.bt" && pass "$name: bt: the chains are intact" ||
		fail "$name: bt: chains"
	# regs: rip, rsp and rbp as the generator set them
	"$XENCORE" regs --json --system-map "$d.map" "$d.xc" >"$d.regs" 2>&1
	ip=rip sp=rsp bp=rbp
	[ $bits = 32 ] && ip=eip sp=esp bp=ebp
	if "$PY" - "$d.regs" "$d.stack" $ip $sp $bp <<'EOF'
import json, sys
vcpus = json.load(open(sys.argv[1]))["vcpus"]
ip, sp, bp = sys.argv[3:6]
heads = [l.split() for l in open(sys.argv[2]) if l.split()[2] == "rsp"]
assert len(heads) == len(vcpus), (len(heads), len(vcpus))
for h, v in zip(heads, vcpus):
    assert int(v[sp], 16) == int(h[3], 16), (v[sp], h[3])
    assert int(v[bp], 16) == int(h[5], 16), (v[bp], h[5])
    assert int(v[ip], 16) == int(h[9], 16), (v[ip], h[9])
    assert v[ip + "_symbol"] == h[10], (v[ip + "_symbol"], h[10])
EOF
	then
		pass "$name: regs: $ip, $sp, $bp and the named $ip are the generator's"
	else
		fail "$name: regs"
	fi
	if [ $bits = 64 ] && [ $have_kdumpfile = 1 ]; then
		if msg=$("$PY" "$O/regs.py" "$d.kdump" "$d.regs" 2>&1); then
			pass "$name: libkdumpfile reads regs' registers in the export's NT_PRSTATUS ($msg)"
		else
			fail "$name: libkdumpfile registers: $msg"
		fi
	fi
}

variant lockless 64 --scenario pagetypes --printk lockless
variant log_buf 64 --scenario pagetypes --printk log_buf
variant pae-log_buf 32 --scenario pagetypes-pae --printk log_buf
variant pae-lockless 32 --scenario pagetypes-pae --printk lockless

# ---- damaged logs ----
# bad KIND STATUS GENERATOR-ARGS...: dmesg exits STATUS; when it reads, the
# records are the ones the generator says a careful reader still gets.
bad() {
	kind=$1 want=$2
	shift 2
	"$MKXCCORE" --scenario pagetypes "$@" --bad "$kind" --system-map "$O/bad.map" \
		--expect-dmesg "$O/bad.records" "$O/bad.xc" >"$O/gen.out" 2>&1 ||
		{ fail "bad $kind: generate"; cat "$O/gen.out"; return; }
	if [ "$want" = 0 ]; then
		if "$XENCORE" dmesg --json --system-map "$O/bad.map" "$O/bad.xc" >"$O/bad.json" 2>/dev/null &&
			msg=$("$PY" "$O/records.py" "$O/bad.json" "$O/bad.records" 2>&1); then
			pass "$kind: dmesg --json reads the generator's $msg"
		else
			fail "$kind: dmesg --json: $msg"
		fi
	fi
	expect "dmesg, $kind" "$want" "$XENCORE" dmesg "$O/bad.xc"
}
one_line() {
	if [ "$(wc -l <"$O/err")" = 1 ] && grep -q "^xencore: .*: no kernel log: .*$1" "$O/err"; then
		pass "$2: one line naming $1"
	else
		fail "$2: stderr"
		cat "$O/err"
	fi
}
bad printk-size-huge 2 --printk lockless
one_line "2^40" printk-size-huge
bad printk-ids-far 0 --printk lockless
grep -q "warning: kernel log: the descriptor ring's tail_id" "$O/err" && [ -s "$O/out" ] &&
	pass "printk-ids-far: a warning, $(wc -l <"$O/out") lines read" || fail "printk-ids-far: $(cat "$O/err")"
bad printk-lpos-outside 0 --printk lockless
n=$(grep -c '^\[' "$O/out")
grep -q "warning: kernel log: 1 damaged record left out" "$O/err" && [ "$n" -gt 100 ] &&
	pass "printk-lpos-outside: one record left out with a warning, $n read" ||
	fail "printk-lpos-outside: $n lines; $(cat "$O/err")"
bad log-buf-len-huge 2 --printk log_buf
one_line "log_buf_len is 2147483648" log-buf-len-huge
bad log-buf-loop 0 --printk log_buf
grep -q "warning: kernel log: log_buf's records stop at index" "$O/err" && [ -s "$O/out" ] &&
	pass "log-buf-loop: stopped with a warning, $(grep -c '^\[' "$O/out") records read" ||
	fail "log-buf-loop: $(cat "$O/err")"

# VMCOREINFO without an entry the layout needs: the error names it
"$XENCORE" read --format=raw -n 4096 --system-map "$O/lockless.map" "$O/lockless.xc" \
	0xffff888003f21000 2>/dev/null | tr -d '\0' | grep -v '^OFFSET(printk_info.ts_nsec)=' \
	>"$O/vmcoreinfo"
expect "dmesg, VMCOREINFO without OFFSET(printk_info.ts_nsec)" 2 \
	"$XENCORE" dmesg --vmcoreinfo "$O/vmcoreinfo" "$O/lockless.xc"
one_line "OFFSET(printk_info.ts_nsec)" "VMCOREINFO lacking an entry"
# a dump whose VMCOREINFO has no log at all
expect "dmesg without any VMCOREINFO" 2 "$XENCORE" dmesg "$FIXTURES/good-linear.xc"
# VMCOREINFO from the kernel's memory through a root that cannot be opened:
# that root's error, once, exit 2 (not "no kernel log")
expect "dmesg --cr3 0" 2 "$XENCORE" dmesg --cr3 0 --system-map "$O/lockless.map" "$O/lockless.xc"
[ "$(cat "$O/err")" = "xencore: $O/lockless.xc: cr3 0 names no page-table root" ] &&
	pass "dmesg --cr3 0: the root's one line" || fail "dmesg --cr3 0: $(cat "$O/err")"
# usage
expect "bt without --scan" 2 "$XENCORE" bt --system-map "$O/lockless.map" "$O/lockless.xc"
expect "bt without symbols" 2 "$XENCORE" bt --scan "$O/lockless.xc"
expect "bt --vcpu 7" 2 "$XENCORE" bt --scan --vcpu 7 --system-map "$O/lockless.map" "$O/lockless.xc"
grep -q "vcpu 7 is not in the dump (it has 2 vcpu contexts)" "$O/err" && pass "bt --vcpu 7: says so" ||
	fail "bt --vcpu 7: $(cat "$O/err")"
expect "bt --thread-size 5000" 2 "$XENCORE" bt --scan --thread-size 5000 --system-map "$O/lockless.map" "$O/lockless.xc"
grep -q "bad --thread-size '5000' (a power of two, 4096 to 1048576)" "$O/err" &&
	pass "bt --thread-size 5000: says what it takes" || fail "bt --thread-size: $(cat "$O/err")"
finish
