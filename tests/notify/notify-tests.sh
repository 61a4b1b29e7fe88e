#!/bin/sh
# The checks are strings that check() evaluates: single quotes keep their
# variables for then.
# shellcheck disable=SC2016,SC2034
# dg-notify against real servers on 127.0.0.1, started here and stopped at
# the end: Debian's python3-aiosmtpd as the SMTP server (plain, STARTTLS
# with a self-signed certificate the test trusts, SMTPS, a 4xx then
# success, a 5xx), tests/notify/httpd.py as webhook receiver and SMS
# gateway (python3 standard library).  Escalation on a clock set with
# --now, acknowledgements by link (dg-notify serve) and by hand, a dry
# run, a run killed in the middle and run again, bad contacts and
# templates.  Skipped (77) without python3-aiosmtpd or openssl.
# KEEP=1 keeps the directory.
set -u
: "${srcdir:=.}"
NOTIFY=${DG_NOTIFY:-$PWD/cmd/dg-notify}
EVENT=${DG_EVENT:-$PWD/cmd/dg-event}
TESTDATA=$(cd "$srcdir/testdata" && pwd)
HERE=$(cd "$srcdir/tests/notify" && pwd)
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export no_proxy='*'

# the python that has aiosmtpd (Debian's, when another python3 is first
# on PATH)
PY=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import aiosmtpd' 2>/dev/null; then PY=$p; break; fi
done
[ -n "$PY" ] || { echo "SKIP: python3-aiosmtpd is not installed (scripts/setup installs it)"; exit 77; }
command -v openssl >/dev/null 2>&1 || { echo "SKIP: no openssl"; exit 77; }

T=$(mktemp -d) || exit 99
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	if [ -n "${KEEP:-}" ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT INT TERM
cd "$T" || exit 99

# wait_port FILE: until the server has written its port
wait_port() {
	i=0
	while [ ! -s "$1" ]; do
		i=$((i + 1))
		[ $i -gt 200 ] && { echo "FAIL: a server did not start ($1)"; exit 99; }
		sleep 0.05
	done
	cat "$1"
}

fails=0
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else fail "$1"; fi; }

openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem \
    -days 2 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 \
    2>/dev/null || { echo "FAIL: openssl"; exit 99; }
openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem \
    -days 2 -subj /CN=other 2>/dev/null

# servers: plain SMTP with scripted failures, STARTTLS, SMTPS, HTTP
"$PY" "$HERE/smtpd.py" --log smtp.log --port-file smtp.port \
    --fail ben@li02.example=451x2 --fail cy@li03.example=550 &
pids="$pids $!"
"$PY" "$HERE/smtpd.py" --tls starttls --cert cert.pem --key key.pem \
    --log tls.log --port-file tls.port &
pids="$pids $!"
"$PY" "$HERE/smtpd.py" --tls smtps --cert cert.pem --key key.pem \
    --log smtps.log --port-file smtps.port &
pids="$pids $!"
printf '/hook/li04 503\n/hook/crash 200\n/hook/crash 200\n/hook/crash hang\n' >script
"$PY" "$HERE/httpd.py" --log http.log --port-file http.port --script script &
pids="$pids $!"
SP=$(wait_port smtp.port)
TP=$(wait_port tls.port)
XP=$(wait_port smtps.port)
HP=$(wait_port http.port)
H="http://127.0.0.1:$HP"

conf() {	# conf NAME SMTP_URL STARTTLS [CACERT]
	cat >"$1" <<EOF
# dg-notify's accounts (the test's servers)
smtp_url = $2
smtp_starttls = $3
mail_from = dispatch@aggregator.example
sms_url = $H/sms
sms_user = aggregator
sms_password = sms-pass-7
sms_from = +15165550000
webhook_token = hook-token-3
ack_url = http://127.0.0.1:1/ack
ack_secret = a-long-secret-of-the-test-0042
timeout = 5
EOF
	[ -n "${4:-}" ] && echo "cacert = $4" >>"$1"
	chmod 600 "$1"
}
conf plain.conf "smtp://127.0.0.1:$SP" no
cat >contacts.csv <<EOF
site,person,channel,to,hours,escalate_min
LI01,Ana Ruiz,email,ana@li01.example,,10
LI02,Ben Cole,email,ben@li02.example,,10
LI03,Cy Park,email,cy@li03.example,,10
LI03,Cy Park,sms,+15165550103,,
LI04,Dee Shah,webhook,$H/hook/li04,,10
LI05,Eli Moss,email,eli@li05.example,,10
LI05,Eli Moss,sms,+15165550105,22:00-06:00,
*,Operations centre,webhook,$H/hook/ops,,20
EOF
TM="$TESTDATA/notify/templates.txt"
SITES="$TESTDATA/sample/sites.csv"
L=ledger.csv
N() { "$NOTIFY" "$@" --ledger "$L" --contacts contacts.csv --templates "$TM" \
    --sites "$SITES" --retry-wait 0.1; }
T0=2022-07-20T11:00:00-04:00
"$EVENT" add --ledger $L --kind call --event EDRP-2022-07-20 --program EDRP \
    --zone LONGIL --date 2022-07-20 --start 13:00 --end 17:00 --site LI01 \
    --site LI02 --site LI03 --site LI04 --site LI05 --now $T0 2>/dev/null

# 1. The call to five sites through the plain server and the gateway
N send --config plain.conf --event EDRP-2022-07-20 --now 2022-07-20T11:02:00-04:00 2>err1
st=$?
"$NOTIFY" list --ledger $L >list1.csv
check "send: exit 0, every site reached (status $st)" \
    '[ $st -eq 0 ] && [ "$(grep -c ",dispatch,delivered," list1.csv)" -eq 5 ]'
check "the e-mail: subject with the site's kW (sites.csv curtailable_kw 800) and hours" \
    'grep -q "\"subject\": \"CALL: LI01 to curtail 800 kW on 2022-07-20, 13:00-17:00\"" smtp.log && grep -q "(4 hours)" smtp.log'
check "Message-ID is the notice's idempotency key" \
    'grep -q "\"id\": \"<EDRP-2022-07-20.dispatch.5.LI01.Ana_Ruiz.email@dgagg>\"" smtp.log'
check "4xx twice then success: two retries, then delivered" \
    '[ "$(grep -c ",retry,EDRP-2022-07-20,.*Ben Cole,email" $L)" -eq 2 ] && grep -q ",delivered,EDRP-2022-07-20,.*Ben Cole,email,ben@li02.example,250" $L'
check "5xx: a bounce, then the next channel (SMS)" \
    'grep -q ",bounce,.*Cy Park,email,cy@li03.example,.*550" $L && grep -q ",delivered,.*Cy Park,sms,+15165550103,HTTP 200" $L'
check "the SMS gateway: the number, the text (LI03's 500 kW) with the link, the credentials" \
    'grep "\"/sms\"" http.log | grep -q "\"to\": \"+15165550103\", \"from\": \"+15165550000\", \"body\": \"CALL EDRP-2022-07-20: LI03 curtail 500 kW 2022-07-20 13:00-17:00. Confirm: http://127.0.0.1:1/ack/EDRP-2022-07-20.dispatch.5.LI03/[0-9a-f]*\", \"ref\": \"EDRP-2022-07-20.dispatch.5.LI03.Cy_Park.sms\"}"'
check "the webhook: 503 then 200, with its token and key" \
    '[ "$(grep -c "\"/hook/li04\"" http.log)" -eq 2 ] && grep "/hook/li04\", \"status\": \"200\"" http.log | grep -q "\"auth\": \"Bearer hook-token-3\"" && grep -q ",delivered,.*Dee Shah,webhook" $L'
check "the ledger is whole" '"$EVENT" verify $L >/dev/null'

# 2. Escalation on a clock: at 11:10 nobody is due; at 11:13 every
#    site's first person (10 minutes) gives way to the operations centre;
#    at 11:35 (20 more minutes) nobody is left
N run --config plain.conf --now 2022-07-20T11:10:00-04:00 2>err2; st=$?
check "before the delay: nothing done (status $st)" \
    '[ $st -eq 0 ] && grep -q "0 sent, .* 0 escalated, 0 unacknowledged; 5 wait" err2'
"$NOTIFY" ack --ledger $L --notice EDRP-2022-07-20.dispatch.5.LI02 --by "Ben Cole" \
    --now 2022-07-20T11:11:00-04:00 2>err3
check "an acknowledgement by hand" \
    'grep -q ",ack,EDRP-2022-07-20,.*EDRP-2022-07-20.dispatch.5.LI02,Ben Cole,,,entered by hand" $L'
N run --config plain.conf --now 2022-07-20T11:13:00-04:00 2>err4; st=$?
check "after 10 minutes: four escalations to the operations centre (status $st)" \
    '[ $st -eq 0 ] && [ "$(grep -c ",escalate,.*Operations centre" $L)" -eq 4 ] && [ "$(grep -c "\"/hook/ops\"" http.log)" -eq 4 ]'

# 3. Acknowledgement by link: dg-notify serve on a free port; the link from
#    LI01's e-mail; a wrong token and another path are 404
sed "s|^ack_url = .*|ack_url = http://127.0.0.1:0/ack|" plain.conf >serve.conf
echo "serve_address = 127.0.0.1:0" >>serve.conf
chmod 600 serve.conf
"$NOTIFY" serve --ledger $L --config serve.conf 2>serve.err &
spid=$!
pids="$pids $spid"
i=0
until grep -q "serving acknowledgements on" serve.err; do
	i=$((i + 1)); [ $i -gt 100 ] && break; sleep 0.05
done
AP=$(sed -n 's/.*serving acknowledgements on 127.0.0.1:\([0-9]*\).*/\1/p' serve.err)
link=$("$PY" -c 'import json,re,sys
for l in open("smtp.log"):
    m = json.loads(l)
    if m["rcpt"] == ["ana@li01.example"]:
        print(re.search(r"/ack/\S+", m["body"]).group(0))' | head -1)
get() { "$PY" -c 'import sys, urllib.request, urllib.error
try:
    r = urllib.request.urlopen(sys.argv[1], timeout=5); print(r.status)
except urllib.error.HTTPError as e:
    print(e.code)' "$1"; }
c1=$(get "http://127.0.0.1:$AP$link")
c2=$(get "http://127.0.0.1:$AP${link%????}0000")
c3=$(get "http://127.0.0.1:$AP/")
check "the link acknowledges (200), a wrong token and another path are 404" \
    '[ "$c1" = 200 ] && [ "$c2" = 404 ] && [ "$c3" = 404 ] && grep -q ",ack,.*EDRP-2022-07-20.dispatch.5.LI01,,,,127.0.0.1" $L'
kill $spid 2>/dev/null
N run --config plain.conf --now 2022-07-20T11:35:00-04:00 2>err5; st=$?
check "after the last delay: unacknowledged notices recorded, acknowledged ones left (status $st)" \
    '[ $st -eq 0 ] && [ "$(grep -c ",unacked," $L)" -eq 3 ] && ! grep -q ",unacked,.*LI01" $L && ! grep -q ",unacked,.*LI02" $L'
N run --config plain.conf --now 2022-07-20T12:35:00-04:00 2>err6
check "a run with nothing to do sends nothing" \
    'grep -q "0 sent, 0 delivered, 0 retried, 0 bounced, 0 skipped, 0 escalated, 0 unacknowledged" err6'
check "the ledger is whole" '"$EVENT" verify $L >/dev/null'

# 4. STARTTLS with the test's certificate trusted; without it the peer is
#    not verified (a bounce); SMTPS
"$EVENT" add --ledger tls.csv --kind call --event E-TLS --program EDRP \
    --date 2022-07-20 --start 13:00 --end 17:00 --site LI01 --now $T0 2>/dev/null
cp tls.csv tls2.csv
cp tls.csv smtps.csv
conf tls.conf "smtp://127.0.0.1:$TP" yes cert.pem
conf tls2.conf "smtp://127.0.0.1:$TP" yes other.pem
conf smtps.conf "smtps://127.0.0.1:$XP" no cert.pem
L=tls.csv N send --config tls.conf --event E-TLS --now $T0 2>err7
check "STARTTLS with the certificate trusted: delivered" \
    'grep -q ",delivered,.*Ana Ruiz,email" tls.csv && grep -q "ana@li01.example" tls.log'
L=tls2.csv N send --config tls2.conf --event E-TLS --now $T0 2>err8
check "STARTTLS with a certificate not trusted: a bounce, then the next person" \
    'grep -q ",bounce,.*Ana Ruiz,email,.*" tls2.csv && grep -q ",escalate,.*Operations centre" tls2.csv'
L=smtps.csv N send --config smtps.conf --event E-TLS --now $T0 2>err9
check "SMTPS: delivered" \
    'grep -q ",delivered,.*Ana Ruiz,email" smtps.csv && grep -q "ana@li01.example" smtps.log'

# 5. Dry run: what would be sent, to whom; nothing sent or written
"$EVENT" add --ledger dry.csv --kind standby --event SCR-2022-07-21 --program SCR \
    --date 2022-07-21 --start 14:00 --end 18:00 --now $T0 2>/dev/null
cp dry.csv dry.before
lines=$(cat smtp.log http.log | wc -l)
L=dry.csv N send -n --config plain.conf --event SCR-2022-07-21 --now $T0 >dry.out 2>err10
# (the 8 sites of sites.csv enrolled in SCR; LI05 and LI08 are not)
check "dry run: the sites of SCR on standby and who would be told" \
    '[ "$(grep -c "SCR-2022-07-21.standby.1.LI" dry.out)" -eq 8 ] && grep -q "^SCR-2022-07-21.standby.1.LI01,LI01,Ana Ruiz,email,ana@li01.example,\"Standby: SCR SCR-2022-07-21 on 2022-07-21, 14:00-18:00\"$" dry.out'
check "dry run: nothing sent, the ledger unchanged" \
    'cmp -s dry.csv dry.before && [ "$(cat smtp.log http.log | wc -l)" -eq "$lines" ]'

# 6. A run killed while a server holds its third webhook, then run again:
#    nothing delivered before is sent again; the one in flight is sent
#    again with the same Idempotency-Key; each notice delivered once
printf 'site,person,channel,to\n' >crash.csv
for s in LI06 LI07 LI08 LI09 LI10; do
	printf '%s,Desk %s,webhook,%s/hook/crash\n' $s $s "$H" >>crash.csv
done
"$EVENT" add --ledger k.csv --kind call --event E-K --program EDRP --date 2022-07-20 \
    --start 13:00 --end 17:00 --site LI06 --site LI07 --site LI08 --site LI09 \
    --site LI10 --now $T0 2>/dev/null
"$NOTIFY" send --ledger k.csv --contacts crash.csv --templates "$TM" \
    --config plain.conf --event E-K --now $T0 2>/dev/null &
kpid=$!
i=0
until [ "$(grep -c "/hook/crash" http.log)" -ge 3 ]; do
	i=$((i + 1)); [ $i -gt 200 ] && break; sleep 0.05
done
kill -9 $kpid
wait $kpid 2>/dev/null
"$NOTIFY" send --ledger k.csv --contacts crash.csv --templates "$TM" \
    --config plain.conf --event E-K --now $T0 2>err11; st=$?
"$PY" -c 'import json, collections
c = collections.Counter(json.loads(l)["key"] for l in open("http.log")
                        if json.loads(l)["path"] == "/hook/crash")
print(" ".join(str(c[k]) for k in sorted(c)))' >keys.txt
check "after the crash: every notice delivered once in the ledger (status $st)" \
    '[ $st -eq 0 ] && [ "$(grep -c ",delivered,E-K," k.csv)" -eq 5 ] && "$EVENT" verify k.csv >/dev/null'
check "the two delivered before were not sent again, the one in flight was, with its key" \
    '[ "$(cat keys.txt)" = "1 1 2 1 1" ] && grep -q "attempt,E-K,.*sent again: an attempt without its outcome" k.csv'

# 7. Bad contacts, templates, configuration: one line, exit 65, nothing
#    sent or written
lines=$(cat smtp.log http.log | wc -l)
cp $L before.csv
sed 's/^LI02,Ben Cole,email,ben@li02.example/LI02,Ben Cole,fax,ben@li02.example/' contacts.csv >bad1.csv
"$NOTIFY" run --ledger $L --contacts bad1.csv --templates "$TM" --config plain.conf 2>err12; st=$?
check "a contact with an unknown channel: exit 65 naming file, line, column" \
    '[ $st -eq 65 ] && [ "$(wc -l <err12)" -eq 1 ] && grep -q "dg-notify: bad1.csv:3: column channel: email, webhook or sms: \"fax\"" err12'
sed 's/^LI03,Cy Park,sms,+15165550103/LI03,Cy Park,sms,5550103/' contacts.csv >bad2.csv
"$NOTIFY" run --ledger $L --contacts bad2.csv --templates "$TM" --config plain.conf 2>err13; st=$?
check "a phone number that is not E.164: exit 65" \
    '[ $st -eq 65 ] && grep -q "bad2.csv:5: column to: not a phone number" err13'
sed 's/{kw} kW on {date}/{kwh} kWh on {date}/' "$TM" >bad.txt
"$NOTIFY" run --ledger $L --contacts contacts.csv --templates bad.txt --config plain.conf 2>err14; st=$?
# (line 14 of testdata/notify/templates.txt is the dispatch's Subject;
# "Subject: CALL: {site} to curtail " is 33 characters)
check "a template with an unknown field: exit 65 naming line and column" \
    '[ $st -eq 65 ] && grep -q "dg-notify: bad.txt:14: column 34: unknown field \"{kwh}\"" err14'
grep -v '^\[allclear\]' "$TM" >bad3.txt
"$NOTIFY" run --ledger $L --contacts contacts.csv --templates bad3.txt --config plain.conf 2>err15; st=$?
check "templates without the all-clear: exit 65" \
    '[ $st -eq 65 ] && grep -q "bad3.txt" err15'
chmod 644 plain.conf
"$NOTIFY" run --ledger $L --contacts contacts.csv --templates "$TM" --config plain.conf 2>err16; st=$?
chmod 600 plain.conf
check "a configuration others may read is refused: exit 65" \
    '[ $st -eq 65 ] && grep -q "plain.conf: it holds credentials and other users may read or write it (mode 0644): chmod 600" err16'
check "nothing sent, nothing written" \
    'cmp -s $L before.csv && [ "$(cat smtp.log http.log | wc -l)" -eq "$lines" ]'

echo "$((n - fails)) passed, $fails failed"
[ $fails -eq 0 ]
