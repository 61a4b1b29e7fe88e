#!/bin/sh
# usage-synopsis.sh: every program's usage text (--help) reads exactly like
# the SYNOPSIS of its man page, blanks aside (the house style: a usage()
# that is the man page's SYNOPSIS), and lists the common options the same
# way: "[common options]" in its own lines, and the one "common options:"
# list (DG_CLI_USAGE of cmd/cli.h) at its end.  Needs mandoc (skipped
# without it).
set -u
src=$(cd "${srcdir:-.}" && pwd)
build=$(pwd)
if ! command -v mandoc >/dev/null 2>&1; then
	echo "SKIP: mandoc not found (Debian package mandoc)"
	exit 77
fi
bs=$(printf '\b')
status=0
n=0
ref=
for c in "$src"/cmd/dg-*.c; do
	# a program's file has its main(); cmd/dg-settle-pay.c is a part
	grep -q '^main(' "$c" || continue
	p=$(basename "$c" .c)
	usage=$("$build/cmd/$p" --help | sed '1s/^usage: //' | tr -d ' \t\n')
	syn=$(mandoc -T ascii "$src/man/$p.1" | sed "s/.$bs//g" |
	    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' | tr -d ' \t\n')
	n=$((n + 1))
	if [ -z "$usage" ] || [ "$usage" != "$syn" ]; then
		echo "FAIL: $p: usage and man SYNOPSIS differ:"
		echo "  usage:    $usage"
		echo "  synopsis: $syn"
		status=1
	fi
	help=$("$build/cmd/$p" --help)
	common=$(printf '%s\n' "$help" | sed -n '/^common options:/,$p')
	[ -n "$ref" ] || ref=$common
	case $help in
	*"[common options]"*) ;;
	*) common= ;;
	esac
	if [ -z "$common" ] || [ "$common" != "$ref" ]; then
		echo "FAIL: $p: the usage does not end with the common options"
		echo "  (\"[common options]\" and DG_CLI_USAGE of cmd/cli.h):"
		printf '%s\n' "$help"
		status=1
	fi
done
[ $status -eq 0 ] &&
    echo "PASS: $n programs: usage equals the man SYNOPSIS, common options alike"
exit $status
