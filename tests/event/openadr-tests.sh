#!/bin/sh
# The checks are strings that check() evaluates: single quotes keep their
# variables for then.
# shellcheck disable=SC2016
# dg-event as an OpenADR 3 VEN against a VTN on 127.0.0.1
# (tests/event/vtn.py, python3 standard library): programs in pages, events
# with intervals, a changed event, a cancelled one, one deleted before its
# end, tokens that expire or are refused, a report posted back.  The VTN is
# started here on a free port and stopped at the end (it also exits by
# itself after 120 s).  KEEP=1 keeps its directory.
set -u
: "${srcdir:=.}"
EVENT=${DG_EVENT:-$PWD/cmd/dg-event}
TESTDATA=$(cd "$srcdir/testdata" && pwd)
VTN=$(cd "$srcdir/tests/event" && pwd)/vtn.py
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export no_proxy='*'

command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
T=$(mktemp -d) || exit 99
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	if [ -n "${KEEP:-}" ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT INT TERM

# start_vtn NAME [OPTIONS]: a VTN on its own state directory; sets B
start_vtn() {
	name=$1
	shift
	mkdir -p "$T/$name"
	printf '[]' >"$T/$name/events.json"
	python3 "$VTN" --state "$T/$name" --port-file "$T/$name.port" \
	    --log "$T/$name.log" "$@" &
	pids="$pids $!"
	i=0
	while [ ! -s "$T/$name.port" ]; do
		i=$((i + 1))
		[ $i -gt 100 ] && { echo "FAIL: the VTN did not start"; exit 99; }
		sleep 0.05
	done
	B="http://127.0.0.1:$(cat "$T/$name.port")/openadr3/3.0.1"
}

fails=0
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else fail "$1"; fi; }

# 55 programs the VTN has for others, then ours (the list takes two pages
# of 50), and one more we do not follow
programs() {
	printf '['
	for i in $(seq 1 55); do
		printf '{"id":"p%d","programName":"OTHER-%d"},' "$i" "$i"
	done
	printf '{"id":"p-edrp","programName":"NYISO-EDRP"},'
	printf '{"id":"p-tou","programName":"TOU"}]'
}

# An event of NYISO-EDRP: ID MODIFIED START NINTERVALS SITES
# (intervals of PT1H from START, UTC; SITES a JSON list or "")
event() {
	tg='{"type":"SERVICE_AREA","values":["LONGIL"]}'
	[ -n "$5" ] && tg="{\"type\":\"RESOURCE_NAME\",\"values\":$5},$tg"
	printf '{"id":"%s","programID":"p-edrp","eventName":"heat %s",' "$1" "$1"
	printf '"objectType":"EVENT","createdDateTime":"2022-07-20T15:00:00Z",'
	printf '"modificationDateTime":"%s","targets":[%s],' "$2" "$tg"
	printf '"intervalPeriod":{"start":"%s","duration":"PT1H"},' "$3"
	printf '"intervals":['
	i=0
	while [ $i -lt "$4" ]; do
		[ $i -gt 0 ] && printf ','
		printf '{"id":%d,"payloads":[{"type":"SIMPLE","values":[%d]}]}' \
		    $i $((i % 3 + 1))
		i=$((i + 1))
	done
	printf ']}'
}

# e2: intervals with their own periods, the second following the first
# (User Guide 7.4): 18:00Z for 30 minutes, then 90 minutes: 14:00-16:00
# EDT.  e5: never ends (P9999Y): left out.  e9: a program not followed.
E2='{"id":"e2","programID":"p-edrp","createdDateTime":"2022-07-20T15:10:00.000Z","intervals":[{"id":0,"intervalPeriod":{"start":"2022-07-20T18:00:00.000Z","duration":"PT30M"},"payloads":[{"type":"PRICE","values":[0.85]}]},{"id":1,"intervalPeriod":{"start":"0000-00-00","duration":"PT1H30M"},"payloads":[{"type":"PRICE","values":[1.25]}]}]}'
E5='{"id":"e5","programID":"p-edrp","intervalPeriod":{"start":"2022-07-20T16:00:00Z","duration":"P9999Y"},"intervals":[{"id":0,"intervalPeriod":{"start":"2022-07-20T16:00:00Z","duration":"PT1H"},"payloads":[{"type":"SIMPLE","values":[0]}]}]}'
E9='{"id":"e9","programID":"p-tou","intervalPeriod":{"start":"2022-07-20T16:00:00Z","duration":"PT1H"},"intervals":[{"id":0,"payloads":[{"type":"PRICE","values":[0.2]}]}]}'
E4_ZERO='{"id":"e4","programID":"p-edrp","modificationDateTime":"2022-07-20T16:05:00Z","intervalPeriod":{"start":"0000-00-00","duration":"PT0S"},"intervals":[{"id":0,"payloads":[{"type":"SIMPLE","values":[0]}]}]}'

start_vtn vtn --token-life 3600 --uses 2
S="$T/vtn"
programs >"$S/programs.json"
cd "$T" || exit 99
cat >ven.conf <<EOF
# the VEN of the sample portfolio
vtn_url = $B
client_id = ven-li
client_secret = s3cret
ven_name = dgagg-li
programs = NYISO-EDRP=EDRP
timeout = 5
EOF
chmod 600 ven.conf
L=ledger.csv
poll() { "$EVENT" openadr --ledger $L --config ven.conf "$@"; }

# 1. The first poll: e1 (13:00-17:00 EDT, LI01 and LI02), e2, e4 called
{
	printf '['
	event e1 2022-07-20T15:00:00Z 2022-07-20T17:00:00Z 4 '["LI01","LI02"]'
	printf ',%s,%s,%s,' "$E2" "$E5" "$E9"
	event e4 2022-07-20T15:00:00Z 2022-07-20T19:00:00Z 1 ''
	printf ']'
} >"$S/events.json"
poll --now 2022-07-20T11:30:00-04:00 2>err1; st=$?
"$EVENT" export --ledger $L -o ev1.csv 2>/dev/null
cat >exp1.csv <<'EOF'
event,program,date,start,end,site,zone,notice
OADR-e1,EDRP,2022-07-20,13:00,17:00,LI01,LONGIL,2022-07-20T11:00:00-04:00
OADR-e1,EDRP,2022-07-20,13:00,17:00,LI02,LONGIL,2022-07-20T11:00:00-04:00
OADR-e2,EDRP,2022-07-20,14:00,16:00,,,2022-07-20T11:10:00-04:00
OADR-e4,EDRP,2022-07-20,15:00,16:00,,LONGIL,2022-07-20T11:00:00-04:00
EOF
check "first poll: calls with their intervals, sites and zone (status $st)" \
    '[ $st -eq 0 ] && cmp -s ev1.csv exp1.csv'
check "an event that never ends is left out and said" \
    'grep -q "1 event without an end left out" err1'
check "programs read in two pages of 50" \
    '[ "$(grep -c "GET /openadr3/3.0.1/programs 200" vtn.log)" -eq 2 ]'

# 2. e1 changed (an hour longer, LI03 added), e2 deleted before its end,
#    e4's window set to nothing (the specification's cancellation); the
#    third request of a token is refused (--uses 2): a new one is asked for
{
	printf '['
	event e1 2022-07-20T16:00:00Z 2022-07-20T17:00:00Z 5 '["LI01","LI02","LI03"]'
	printf ',%s,%s,%s]' "$E5" "$E9" "$E4_ZERO"
} >"$S/events.json"
poll --now 2022-07-20T12:30:00-04:00 2>err2; st=$?
"$EVENT" export --ledger $L -o ev2.csv 2>/dev/null
cat >exp2.csv <<'EOF'
event,program,date,start,end,site,zone,notice
OADR-e1,EDRP,2022-07-20,13:00,18:00,LI01,LONGIL,2022-07-20T11:00:00-04:00
OADR-e1,EDRP,2022-07-20,13:00,18:00,LI02,LONGIL,2022-07-20T11:00:00-04:00
OADR-e1,EDRP,2022-07-20,13:00,18:00,LI03,LONGIL,2022-07-20T11:00:00-04:00
EOF
check "second poll: the change, the deleted and the zeroed event called off (status $st)" \
    '[ $st -eq 0 ] && cmp -s ev2.csv exp2.csv'
"$EVENT" list --ledger $L >list2.csv
check "e2 and e4 cancelled in the ledger" \
    'grep -q "^OADR-e2,EDRP,,cancelled," list2.csv && grep -q "^OADR-e4,EDRP,LONGIL,cancelled," list2.csv'
check "e2 deleted: said in the record" 'grep -q "deleted on the VTN before its end" $L'
check "a refused token (401) is replaced and the poll goes on" \
    'grep -q "GET /openadr3/3.0.1/events 401" vtn.log && grep -q "2 tokens obtained" err2'

# 3. Nothing new: nothing added
poll --now 2022-07-20T12:40:00-04:00 2>err3; st=$?
check "a poll with nothing new adds nothing (status $st)" \
    '[ $st -eq 0 ] && grep -q ": 0 records added, 0 in the ledger already" err3'
check "the ledger is whole" '"$EVENT" verify $L >/dev/null'

# 4. Tokens that expire: expires_in 32 s, renewed 30 s before: each of
#    three polls 2.2 s apart needs a new one
start_vtn short --token-life 32
programs >"$T/short/programs.json"
sed "s|^vtn_url = .*|vtn_url = $B|" ven.conf >ven2.conf
chmod 600 ven2.conf
"$EVENT" openadr --ledger short.csv --config ven2.conf --count 3 \
    --interval 2.2 2>err4; st=$?
check "a token near its expiry is renewed before use (status $st)" \
    '[ $st -eq 0 ] && grep -q "3 tokens obtained" err4 && ! grep -q " 401$" short.log'

# 5. A report of e1: dg-cbl's rows of the sample's call (testdata/settle/
#    cbl-2022.csv, LI01 13:00: adjusted CBL 683.900 kW, actual 73.900 kW:
#    DELTA_USAGE -610.000, the reduction_kw of that row with its sign)
sed 's/,EDRP-2022-07-20,/,OADR-e1,/' "$TESTDATA/settle/cbl-2022.csv" >cbl.csv
"$EVENT" report --ledger $L --config ven.conf --event OADR-e1 cbl.csv 2>err5
st=$?
check "report posted (status $st)" '[ $st -eq 0 ] && [ -s "$S/reports/1.json" ]'
python3 - "$S/reports/1.json" >rep.txt <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
res = {x["resourceName"]: x for x in r["resources"]}
iv = res["LI01"]["intervals"][0]
p = {x["type"]: x["values"][0] for x in iv["payloads"]}
print(r["programID"], r["eventID"], r["clientName"], len(res),
      iv["intervalPeriod"]["start"], iv["intervalPeriod"]["duration"],
      p["BASELINE"], p["USAGE"], p["DELTA_USAGE"])
EOF
check "the report: ids, client, the 9 sites of the call, payloads" \
    'grep -qx "p-edrp e1 dgagg-li 9 2022-07-20T17:00:00Z PT1H 683.9 73.9 -610.0" rep.txt'
check "the numbers as dg-cbl wrote them" \
    'grep -q "\"type\":\"BASELINE\",\"values\":\[ *683.900 *\]" "$S/reports/1.json"'
check "a missing reading is reported as DATA_QUALITY MISSING" \
    'grep -q "\"type\":\"DATA_QUALITY\",\"values\":\[ *\"MISSING\" *\]" "$S/reports/1.json"'
check "the report is a ledger record" 'grep -q ",report,OADR-e1,.*,openadr,report-1," $L'

# 6. Errors
sed 's/^client_secret = .*/client_secret = wrong/' ven.conf >bad.conf
chmod 600 bad.conf
poll --config bad.conf 2>err6; st=$?
check "wrong secret: exit 69 with the VTN's reason" \
    '[ $st -eq 69 ] && grep -q "HTTP 400: invalid_client: unknown client or secret" err6'
chmod 644 ven.conf
poll 2>err7; st=$?
check "a config others may read is refused (exit 65)" \
    '[ $st -eq 65 ] && grep -q "other users may read or write it (mode 0644): chmod 600" err7'
chmod 600 ven.conf
printf 'bad' >"$S/events.json"
poll 2>err8; st=$?
check "a response that is not JSON: exit 65 naming the URL" \
    '[ $st -eq 65 ] && grep -q "events?programID=p-edrp&skip=0&limit=50: the response is not a JSON array" err8'
sed "s|^vtn_url = .*|vtn_url = http://127.0.0.1:1/openadr3|" ven.conf >down.conf
chmod 600 down.conf
poll --config down.conf 2>err9; st=$?
check "a VTN that cannot be reached: exit 69" \
    '[ $st -eq 69 ] && grep -q "127.0.0.1:1/openadr3/auth/token: Failed to connect" err9'

echo "$((n - fails)) passed, $fails failed"
[ $fails -eq 0 ]
