#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# golden.sh: info, p2m (every source), check, read and regs for every checked-in fixture, against the
# golden files in testdata/golden (NAME.CASE.out: stdout; NAME.CASE.err:
# stderr then "exit: N").  XENCORE_UPDATE_GOLDEN=1 rewrites them instead.
. "${srcdir:-.}/tests/common.sh"

for f in $GOOD_FIXTURES; do
	golden "$f.info" info "$f.xc"
	golden "$f.info-json" info --json "$f.xc"
	golden "$f.runs" p2m --format=runs "$f.xc"
	golden "$f.linear-runs" p2m --source=linear --format=runs "$f.xc"
	golden "$f.dump-runs" p2m --source=dump --format=runs "$f.xc"
	golden "$f.tree-runs" p2m --source=tree --format=runs "$f.xc"
	golden "$f.json" p2m --format=json "$f.xc"
	golden "$f.check" check "$f.xc"
	golden "$f.check-json" check --json --all "$f.xc"
	golden "$f.read-phys" read --phys -n 32 $(fixture_p2m_args "$f") "$f.xc" 0x0
	case $f in *pae*) text=0xc1000000 ;; *) text=0xffffffff81000000 ;; esac
	golden "$f.read-vcpu1" read --vcpu 1 -n 32 $(fixture_p2m_args "$f") "$f.xc" $text
	golden "$f.regs" regs "$f.xc"
done
# rip and rsp named by each kind of symbols
golden good-linear.regs-vmlinux regs --json --vmlinux good-linear.vmlinux good-linear.xc
golden good-pae.regs-system-map regs --system-map good-pae.System.map good-pae.xc
finish
