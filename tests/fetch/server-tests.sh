#!/bin/sh
# The checks are strings that check() evaluates: single quotes keep their
# variables (set just before, and so unused to shellcheck's eyes) for then.
# shellcheck disable=SC2016,SC2034
# dg-fetch against a real HTTP server on 127.0.0.1 (tests/fetch/server.py),
# with fault injection.  No request leaves 127.0.0.1: every URL is built
# from --base-url or --url pointing at the local server, and the proxy
# variables are cleared.  The server is started and stopped here, on a
# free port, and exits by itself after 60 s at the latest.
set -u
: "${srcdir:=.}"
FETCH=${DG_FETCH:-$PWD/cmd/dg-fetch}
DATA=$(cd "$srcdir/testdata/fetch" && pwd)
SERVER=$(cd "$srcdir/tests/fetch" && pwd)/server.py
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export no_proxy='*'
export XDG_CACHE_HOME=/nonexistent/dg-fetch-tests HOME=/nonexistent/dg-fetch-tests

command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
T=$(mktemp -d) || exit 99
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

mkdir "$T/root" "$T/work"
cp "$DATA"/*.csv "$DATA"/*.json "$T/root/"
# bad content served as a NYISO day-ahead file: a ragged row
sed '3s/,-0\.06\r$/\r/' "$DATA/20170719damlbmp_zone.csv" > "$T/root/20170720damlbmp_zone.csv"
python3 "$SERVER" --root "$T/root" --port-file "$T/port" --log "$T/log" \
    --lifetime 60 --slow 3 &
pid=$!
i=0
while [ ! -s "$T/port" ]; do
	i=$((i + 1))
	[ $i -gt 100 ] && { echo "FAIL: server did not start"; exit 99; }
	sleep 0.05
done
B="http://127.0.0.1:$(cat "$T/port")"
cd "$T/work" || exit 99

fails=0
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else fail "$1"; fi; }

# dg-fetch with short timeouts, without a cache (G) or with one (F)
O="--timeout 1 --connect-timeout 1 --retries 2 --retry-wait 0.1 --max-wait 2"
# shellcheck disable=SC2086 # O is a list of options
G() { "$FETCH" --no-cache $O "$@"; }
# shellcheck disable=SC2086
F() { "$FETCH" --cache "$T/cache" $O "$@"; }

# 1. a daily day-ahead file: same rows as --file, cached with its SHA-256
F nyiso-dam --date 2017-07-19 --base-url "$B/ok" -o dam.csv 2>err; st=$?
$FETCH nyiso-dam --file "$DATA/20170719damlbmp_zone.csv" > ref.csv
check "daily DAM fetched (status $st)" '[ $st -eq 0 ] && cmp -s dam.csv ref.csv && [ $(wc -l < dam.csv) -eq 361 ]'
sha=$(sha256sum "$DATA/20170719damlbmp_zone.csv" | cut -d' ' -f1)
check "cached raw file and SHA-256" 'cmp -s "$T/cache/nyiso-dam/20170719damlbmp_zone.csv" "$DATA/20170719damlbmp_zone.csv" && grep -q ",$sha," "$T/cache/nyiso-dam/20170719damlbmp_zone.csv.meta"'
check "user agent sent" 'grep -q "	dgagg-dg-fetch/" "$T/log"'

# 2. offline: from the cache, no request
before=$(wc -l < "$T/log")
F nyiso-dam --date 2017-07-19 --base-url "$B/e500" --offline > off.csv 2>err; st=$?
check "offline replay (status $st)" '[ $st -eq 0 ] && cmp -s off.csv ref.csv && [ $(wc -l < "$T/log") -eq $before ]'
cp "$T/cache/nyiso-dam/20170719damlbmp_zone.csv" keep.csv
sed -i '2s/25.59/25.60/' "$T/cache/nyiso-dam/20170719damlbmp_zone.csv"
F nyiso-dam --date 2017-07-19 --offline -o off2.csv 2>err; st=$?
check "offline: a changed cached file is refused (status $st)" '[ $st -eq 65 ] && grep -q "does not match its SHA-256" err && [ ! -e off2.csv ]'
cp keep.csv "$T/cache/nyiso-dam/20170719damlbmp_zone.csv"
F nyiso-dam --date 2017-07-01 --offline -o off3.csv 2>err; st=$?
check "offline: not cached (status $st)" '[ $st -eq 66 ] && grep -q "not in the cache" err && [ ! -e off3.csv ]'

# 3. retries that succeed
G nyiso-dam --date 2017-07-19 --base-url "$B/flaky500" > a.csv 2>err; st=$?
check "500 then 200 (status $st)" '[ $st -eq 0 ] && cmp -s a.csv ref.csv && grep -q "HTTP 500; retry 1 of 2 in 0.1 s" err'
t0=$(date +%s)
G nyiso-dam --date 2017-07-19 --base-url "$B/r429" > a.csv 2>err; st=$?
t1=$(date +%s)
check "429 with Retry-After: 1 honoured (status $st)" '[ $st -eq 0 ] && cmp -s a.csv ref.csv && grep -q "HTTP 429; retry 1 of 2 in 1.0 s" err && [ $((t1 - t0)) -ge 1 ]'
G nyiso-rt --date 2022-07-20 --base-url "$B/drop" > a.csv 2>err; st=$?
$FETCH nyiso-rt --file "$DATA/20220720realtime_zone.csv" > rtref.csv
check "connection dropped mid-body, then whole (status $st)" '[ $st -eq 0 ] && cmp -s a.csv rtref.csv && grep -q "retry 1 of 2" err'

# 4. sources that stay unavailable: exit 69, one line, no output file
F nyiso-dam --date 2017-07-19 --base-url "$B/trunc" -o out.csv 2>err; st=$?
check "truncated body (status $st)" '[ $st -eq 69 ] && grep -q "^dg-fetch: $B/trunc/damlbmp/20170719damlbmp_zone.csv: .*gave up after 3 attempts$" err && [ ! -e out.csv ]'
F nyiso-dam --date 2017-07-19 --base-url "$B/e500" -o out.csv 2>err; st=$?
check "500 every time (status $st)" '[ $st -eq 69 ] && [ "$(tail -n 1 err)" = "dg-fetch: $B/e500/damlbmp/20170719damlbmp_zone.csv: HTTP 500; gave up after 3 attempts" ] && [ ! -e out.csv ]'
F nyiso-dam --date 2017-07-19 --base-url "$B/slow" --retries 0 -o out.csv 2>err; st=$?
check "slower than the timeout (status $st)" '[ $st -eq 69 ] && grep -q "^dg-fetch: $B/slow/.*timed out.*gave up after 1 attempt$" err && [ $(wc -l < err) -eq 1 ] && [ ! -e out.csv ]'
F nyiso-dam --date 2017-07-19 --base-url "$B/e404" -o out.csv 2>err; st=$?
check "404 is not retried (status $st)" '[ $st -eq 69 ] && [ "$(cat err)" = "dg-fetch: $B/e404/damlbmp/20170719damlbmp_zone.csv: HTTP 404" ]'
closed=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
F nyiso-dam --date 2017-07-19 --base-url "http://127.0.0.1:$closed" --retries 1 -o out.csv 2>err; st=$?
check "connection refused (status $st)" '[ $st -eq 69 ] && grep -q "gave up after 2 attempts" err && [ ! -e out.csv ]'

# 5. malformed content: exit 65, nothing written, nothing cached
F nyiso-dam --date 2017-07-19 --base-url "$B/html" -o out.csv 2>err; st=$?
check "HTML page with status 200 (status $st)" '[ $st -eq 65 ] && [ "$(cat err)" = "dg-fetch: $B/html/damlbmp/20170719damlbmp_zone.csv: an HTML or XML page, not nyiso-dam data" ] && [ ! -e out.csv ]'
F nyiso-dam --date 2017-07-20 --base-url "$B/ok" -o out.csv 2>err; st=$?
check "ragged row (status $st)" '[ $st -eq 65 ] && grep -q "^dg-fetch: $B/ok/damlbmp/20170720damlbmp_zone.csv:3: " err && [ ! -e out.csv ] && [ ! -e "$T/cache/nyiso-dam/20170720damlbmp_zone.csv" ]'

# 6. a monthly archive, members chosen by day
F nyiso-dam --monthly --from 2017-07-01 --to 2017-07-02 --base-url "$B/ok" > m.csv 2>err; st=$?
{ $FETCH nyiso-dam --file "$DATA/20170701damlbmp_zone.csv"; $FETCH nyiso-dam --file "$DATA/20170702damlbmp_zone.csv" | tail -n +2; } > mref.csv
check "monthly zip, two days (status $st)" '[ $st -eq 0 ] && cmp -s m.csv mref.csv && [ -f "$T/cache/nyiso-dam/20170701damlbmp_zone_csv.zip.meta" ]'
F nyiso-dam --monthly --date 2017-07-02 --base-url "$B/ok" --zone N.Y.C. > m1.csv 2>err; st=$?
check "monthly zip, one day one zone (status $st)" '[ $st -eq 0 ] && [ $(wc -l < m1.csv) -eq 25 ] && ! grep -q 2017-07-01 m1.csv'

# 7. a range of daily files over the DST change, and weather by --url
F nyiso-dam --from 2017-11-05 --to 2017-11-05 --base-url "$B/ok" --zone LONGIL > d.csv 2>err; st=$?
check "fall-back day: 25 hours (status $st)" '[ $st -eq 0 ] && [ $(wc -l < d.csv) -eq 26 ]'
F nws-obs --date 2019-08-17 --zone KCNK --url "$B/ok/nws_observations_KCNK_20190817.json" > w.csv 2>err; st=$?
check "NWS observations by URL (status $st)" '[ $st -eq 0 ] && [ $(wc -l < w.csv) -eq 4 ] && ls "$T/cache/nws-obs/" | grep -q "^nws_observations_KCNK_20190817.json-2019-08-17-.*meta$"'

# 8. proxy from the environment (the local server acts as the proxy of a
# host that does not exist), extra headers, and TLS verification
no_proxy='' http_proxy="$B" G nyiso-dam --date 2017-07-19 --base-url "http://mis.nyiso.invalid/ok" --header 'X-Api-Key: k-2.385' > a.csv 2>err; st=$?
check "proxy from http_proxy, header sent (status $st)" '[ $st -eq 0 ] && cmp -s a.csv ref.csv && grep -q "^GET http://mis.nyiso.invalid/ok/damlbmp/20170719damlbmp_zone.csv	dgagg-dg-fetch/.*	k-2.385$" "$T/log"'
if command -v openssl >/dev/null 2>&1 &&
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" \
    -days 1 -subj /CN=127.0.0.1 >/dev/null 2>&1; then
	python3 "$SERVER" --root "$T/root" --port-file "$T/tlsport" --log "$T/tlslog" \
	    --lifetime 30 --tls-cert "$T/cert.pem" --tls-key "$T/key.pem" &
	tlspid=$!
	i=0
	while [ ! -s "$T/tlsport" ] && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.05; done
	G nyiso-dam --date 2017-07-19 --base-url "https://127.0.0.1:$(cat "$T/tlsport")/ok" --retries 0 -o out.csv 2>err; st=$?
	kill $tlspid 2>/dev/null
	check "self-signed certificate refused (status $st)" '[ $st -eq 69 ] && grep -q "certificate" err && [ ! -e out.csv ]'
else
	n=$((n + 1)); echo "ok $n # SKIP no openssl to make a certificate"
fi

# 9. a short body whose Content-Length matches what was sent (issue 12):
# cut inside its last number, so that it parses; the missing line end
# says it was cut.  Exit 65, nothing written, nothing cached.
F nyiso-dam --date 2017-07-19 --base-url "$B/short" -o out.csv 2>err; st=$?
check "short body, matching Content-Length (status $st)" '[ $st -eq 65 ] && grep -q "^dg-fetch: $B/short/damlbmp/20170719damlbmp_zone.csv:361: no line end at the end of the input: cut short?$" err && [ ! -e out.csv ]'
check "short body not cached" 'cmp -s "$T/cache/nyiso-dam/20170719damlbmp_zone.csv" "$DATA/20170719damlbmp_zone.csv" && [ -z "$(ls "$T/cache/nyiso-dam" | grep 20170719damlbmp_zone.csv.........)" ]'

# 10. --strict refuses a body cut at a row boundary; the refused body
# must not become the cache's current version (the good copy stays, and
# --offline replays it).
F nyiso-dam --date 2017-07-19 --base-url "$B/rowcut" --strict -o out.csv 2>err; st=$?
check "--strict: a body cut at a row boundary refused (status $st)" '[ $st -eq 65 ] && grep -q "^dg-fetch: --strict: 15 zone-days not covered in full$" err && [ ! -e out.csv ]'
check "the refused body is not the cache's current version" 'cmp -s "$T/cache/nyiso-dam/20170719damlbmp_zone.csv" "$DATA/20170719damlbmp_zone.csv" && [ -z "$(ls "$T/cache/nyiso-dam" | grep 20170719damlbmp_zone.csv.........)" ]'
F nyiso-dam --date 2017-07-19 --offline > off4.csv 2>err; st=$?
check "--offline replays the good copy (status $st)" '[ $st -eq 0 ] && cmp -s off4.csv ref.csv'

# 11. an API key given with --header is not sent to another host a
# redirect names (curl keeps back only Authorization and Cookie); it is
# sent on a redirect within the same server.
python3 "$SERVER" --root "$T/root" --port-file "$T/port2" --log "$T/log2" \
    --lifetime 30 &
pid2=$!
i=0
while [ ! -s "$T/port2" ] && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.05; done
P2=$(cat "$T/port2")
G nyiso-dam --date 2017-07-19 --base-url "$B/redir-$P2" --header 'X-Api-Key: k-2.385' > a.csv 2>err; st=$?
kill $pid2 2>/dev/null
check "redirect to another host followed (status $st)" '[ $st -eq 0 ] && cmp -s a.csv ref.csv && grep -q "^GET /redir-$P2/damlbmp/20170719damlbmp_zone.csv	dgagg-dg-fetch/.*	k-2.385$" "$T/log"'
check "the key is not sent to the other host" 'grep -q "^GET /ok/damlbmp/20170719damlbmp_zone.csv	dgagg-dg-fetch/[^	]*	$" "$T/log2" && ! grep -q "k-2.385" "$T/log2"'
G nyiso-dam --date 2017-07-19 --base-url "$B/redirself" --header 'X-Api-Key: k-2.385' > a.csv 2>err; st=$?
check "the key is sent on a redirect to the same server (status $st)" '[ $st -eq 0 ] && cmp -s a.csv ref.csv && grep -q "^GET /ok/damlbmp/20170719damlbmp_zone.csv	dgagg-dg-fetch/.*	k-2.385$" "$T/log"'

# 12. a large download is streamed to a temporary file, not held in
# memory: 40 MB of day-ahead rows (806,424), peak RSS under 50 MB (it was
# the body plus the sort memory: over 60 MB).  Only the day asked (one
# zone's) is written.  (Not under AddressSanitizer, whose shadow memory
# counts.)
if grep -q __asan_init "$FETCH" 2>/dev/null; then
	n=$((n + 1)); echo "ok $n # SKIP peak RSS under AddressSanitizer"
elif [ -x /usr/bin/time ]; then
	awk 'BEGIN {
		print "\"Time Stamp\",\"Name\",\"PTID\",\"LBMP ($/MWHr)\",\"Marginal Cost Losses ($/MWHr)\",\"Marginal Cost Congestion ($/MWHr)\""
		for (z = 0; z < 1200; z++)
			for (d = z == 0 ? 1 : 2; d <= 29; d++)
				for (h = 0; h < 24; h++)
					printf "\"06/%02d/2017 %02d:00\",\"Z%04d\",%d,%d.%02d,1.%02d,-0.%02d\n", d, h, z, 60000 + z, 20 + (z + h) % 40, z % 100, h, d
	}' > "$T/root/20170601damlbmp_zone.csv"
	# shellcheck disable=SC2086
	/usr/bin/time -f %M -o "$T/rss" "$FETCH" --no-cache $O nyiso-dam --date 2017-06-01 --base-url "$B/ok" --max-bytes 100000000 -o big.csv 2>err; st=$?
	kb=$(tail -n 1 "$T/rss")
	check "40 MB body, peak RSS $kb KB (status $st)" '[ $st -eq 0 ] && [ $(wc -l < big.csv) -eq 25 ] && [ "$kb" -lt 51200 ]'
	rm -f "$T/root/20170601damlbmp_zone.csv"
else
	n=$((n + 1)); echo "ok $n # SKIP no /usr/bin/time"
fi

# 13. NYISO's ICAP auction prices (the MCP Table of an ICAP Market Report
# saved as CSV) by --url, as with --file; no URL is made of a month (64);
# an HTML page instead is refused (65)
U="$B/ok/icap-mcp-table-2022-summer.csv"
F nyiso-icap --url "$U" --date 2022-07-01 -o icap.csv 2>err; st=$?
$FETCH nyiso-icap --file "$DATA/icap-mcp-table-2022-summer.csv" --date 2022-07-01 > icapref.csv
check "ICAP auction prices by --url (status $st)" '[ $st -eq 0 ] && cmp -s icap.csv icapref.csv && [ $(wc -l < icap.csv) -eq 13 ] && grep -q "^spot,2022-07,NYC,14.49," icap.csv'
G nyiso-icap --date 2022-07-01 -o icap2.csv 2>err; st=$?
check "ICAP auction prices without --url: usage (status $st)" '[ $st -eq 64 ] && [ ! -e icap2.csv ] && grep -q "give --url" err'
G nyiso-icap --url "$B/html/icap-mcp-table-2022-summer.csv" -o icap3.csv 2>err; st=$?
check "ICAP auction prices: an HTML page refused (status $st)" '[ $st -eq 65 ] && [ ! -e icap3.csv ]'

for f in "$T"/work/*; do
	case $f in
	*.csv | */err) ;;
	*) fail "stray file: $f" ;;
	esac
done
echo "1..$n"
[ $fails -eq 0 ]
