#!/bin/sh
# notify.sh: one call to N sites (default 10,000) notified by dg-notify
# through the local servers of the tests: the first person of half the
# sites by e-mail (tests/notify/smtpd.py, Debian's aiosmtpd, plain SMTP on
# 127.0.0.1), of the other half by JSON webhook (tests/notify/httpd.py).
# Prints the time from the start of "dg-notify send" to the last notice
# handed to a server (the run ends when the last server has answered and
# the ledger is synced), the notices per second, the peak resident memory
# of dg-notify (GNU time), the servers' counts and the ledger's records;
# then the same with 1/10 of the sites, to show that memory grows with the
# notices (the state of each, about 1 KB) and not otherwise.
#
# usage: bench/notify.sh [SITES]     (from the top of the tree, after make)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-10000}
PATH="$top/cmd:$top/_build/cmd:$PATH"
PY=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import aiosmtpd' 2>/dev/null; then PY=$p; break; fi
done
[ -n "$PY" ] || { echo "notify.sh: python3-aiosmtpd is needed" >&2; exit 69; }
T=$(mktemp -d "${TMPDIR:-/tmp}/dg-notify-bench.XXXXXX")
pids=
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT INT TERM
cd "$T"

"$PY" "$top/tests/notify/smtpd.py" --log smtp.log --port-file smtp.port \
    --count-only --lifetime 3600 &
pids="$pids $!"
"$PY" "$top/tests/notify/httpd.py" --log http.log --port-file http.port \
    --count-only --lifetime 3600 &
pids="$pids $!"
while [ ! -s smtp.port ] || [ ! -s http.port ]; do sleep 0.1; done
SP=$(cat smtp.port)
HP=$(cat http.port)
cat >notify.conf <<EOF
smtp_url = smtp://127.0.0.1:$SP
smtp_starttls = no
mail_from = dispatch@aggregator.example
ack_url = https://ops.example/ack
ack_secret = a-secret-of-the-benchmark
EOF
chmod 600 notify.conf

# one run: SITES LABEL
run() {
	k=$1
	"$PY" - "$k" "$HP" <<'EOF'
import sys
k, port = int(sys.argv[1]), sys.argv[2]
with open("sites.csv", "w") as f:
    f.write("site,name,zone,programs,curtailable_kw\n")
    for i in range(k):
        f.write("S%05d,Site %d,LONGIL,EDRP,%d.5\n" % (i, i, 100 + i % 900))
with open("contacts.csv", "w") as f:
    f.write("site,person,channel,to,escalate_min\n")
    for i in range(k):
        if i % 2:
            f.write("S%05d,Desk %d,webhook,http://127.0.0.1:%s/hook/s%d,10\n"
                    % (i, i, port, i))
        else:
            f.write("S%05d,Desk %d,email,desk@s%05d.example,10\n" % (i, i, i))
        f.write("*,Operations centre,email,ops@aggregator.example,\n"
                if i == k - 1 else "")
EOF
	rm -f ledger.csv ledger.csv.lock
	: >smtp.log
	: >http.log
	dg-event add --ledger ledger.csv --kind call --event EDRP-BENCH \
	    --program EDRP --zone LONGIL --date 2022-07-20 --start 13:00 \
	    --end 17:00 --now 2022-07-20T11:00:00-04:00 2>/dev/null
	/usr/bin/time -f '%e %M' -o time.txt dg-notify send --ledger ledger.csv \
	    --config notify.conf --contacts contacts.csv \
	    --templates "$top/testdata/notify/templates.txt" --sites sites.csv \
	    --event EDRP-BENCH --now 2022-07-20T11:01:00-04:00 2>err.txt
	read -r secs kb <time.txt
	mails=$(wc -l <smtp.log)
	hooks=$(wc -l <http.log)
	recs=$(($(wc -l <ledger.csv) - 1))
	rate=$(awk -v n="$k" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
	printf '%6d sites: %6.1f s to the last notice handed over (%s notices/s), %5.1f MB peak; %d e-mails, %d webhooks; %d ledger records\n' \
	    "$k" "$secs" "$rate" "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')" \
	    "$mails" "$hooks" "$recs"
	sed 's/^/        /' err.txt
}

run "$n"
run $((n / 10))
