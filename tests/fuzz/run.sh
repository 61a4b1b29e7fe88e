#!/bin/sh
# run.sh: runs each fuzz harness for FUZZ_SECONDS (30) on a corpus seeded
# from testdata/ (seed.sh).  Crashes, leaks and sanitizer reports are
# written as BUILDDIR/out/crash-* (leak-*, timeout-*...) and fail the run;
# reproduce one with BUILDDIR/fuzz_NAME FILE.
#
# usage: run.sh SRCDIR BUILDDIR NAME...
set -u
src=$1
b=$2
shift 2
secs=${FUZZ_SECONDS:-30}
jobs=${FUZZ_JOBS:-1}
PATH=$(pwd)/cmd:$PATH
export PATH
rm -rf "$b/seed"
sh "$src/tests/fuzz/seed.sh" "$src" "$b/seed"
mkdir -p "$b/out"
# FUZZ_KEEP_GOING=1: fork mode, going on after a crash (each one still
# written to out/), to find several bugs in one long run.
if [ -n "${FUZZ_KEEP_GOING:-}" ]; then
	mode="-fork=$jobs -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1"
else
	mode="-jobs=$jobs -workers=$jobs"
fi
status=0
for h in "$@"; do
	mkdir -p "$b/corpus/$h"
	dict=
	case $h in
	csv|csvdiff|csvform|sites|series|pulse|cbl|settle|forecast|fetch|bid)
		dict=-dict=$src/tests/fuzz/dict.csv ;;
	esac
	echo "== fuzz_$h: $secs s"
	if ! "$b/fuzz_$h" -max_total_time="$secs" -max_len=8192 -timeout=10 \
	    -rss_limit_mb=1024 $mode $dict \
	    -print_final_stats=1 -artifact_prefix="$b/out/$h-" \
	    "$b/corpus/$h" "$b/seed/$h" >"$b/out/$h.log" 2>&1; then
		status=1
		echo "fuzz_$h: FAILED (see $b/out/$h.log):"
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$b/out/$h.log" | head -5
	else
		grep -E '^stat::number_of_executed_units|^stat::peak_rss' "$b/out/$h.log" |
		    tr '\n' ' '
		echo
	fi
done
exit $status
