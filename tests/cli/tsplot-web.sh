#!/bin/bash
# tsplot --serve: the interactive page in headless Chromium (driven over
# the DevTools protocol by tests/cli/webpage.mjs): a zoom into 1% of 1e7
# points draws the re-aggregated samples of that slice, pan and reset
# work, live updates run while zoomed out and pause while inspecting.
. "$TSD_ROOT/tests/cli/lib.sh"

if ! command -v chromium >/dev/null || ! command -v node >/dev/null; then
	_res F web-tools "chromium and node are needed (make deps installs chromium)"
	exit 0
fi
NODE="node --experimental-websocket --no-warnings"
SHOTS=${TSD_SHOTS:-$D}
PORT=$((21000 + ($$ * 13) % 20000))
waitfor() { # FILE PATTERN: up to 120 s
	for _ in $(seq 1 1200); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
	return 1
}
# The servers run until the test stops them (SIGINT, by pid) once the page
# checks are over; their timeout (600 s) is only a bound for a test gone
# wrong. (A lifetime of 60 or 120 s, as before, could end a server while
# a slow, sanitized run was still loading the page: web-page-loads and
# web-live-ran failed that way under make check on a loaded machine.)

# --- 1e7 samples, one a second: a triangle wave with a texture the zoom
# shows (the same values as val() in webpage.mjs)
awk 'BEGIN { for (i = 0; i < 10000000; i++) { tri = (i % 200000 < 100000) ? i % 100000 : 100000 - i % 100000;
	printf "%d,%d\n", 1704067200 + i, tri + (i * 7919) % 5003 } }' >big.csv
timeout -s INT 600 tsplot --serve $PORT --history 10000000 -v big.csv 2>big.err &
spid=$!
waitfor big.err "serving on"
# the page is there at once; the samples arrive while it is being read
held() { curl -s "http://127.0.0.1:$PORT/data?w=2" | grep -o '"held":[0-9]*'; }
for _ in $(seq 1 1800); do [ "$(held)" = '"held":10000000' ] && break; sleep 0.1; done
ok web-holds-1e7 '[ "$(curl -s "http://127.0.0.1:'$PORT'/data?w=2" | grep -o "\"held\":[0-9]*")" = "\"held\":10000000" ]'
ok web-json-escapes 'curl -s "http://127.0.0.1:'$PORT'/data?w=2" | grep -q "^{\"t0\":1704067200000.000,\"t1\":1714067199000.000,"'
ok web-404 '[ "$(curl -s -o /dev/null -w "%{http_code}" "http://127.0.0.1:'$PORT'/nope")" = 404 ]'
$NODE "$TSD_ROOT/tests/cli/webpage.mjs" zoom "http://127.0.0.1:$PORT/" "$SHOTS" 1704067200 1 >zoom.out 2>&1
while read -r st name rest; do
	case $st in
	ok) _res P "web-$name" ;;
	FAIL) _res F "web-${name%:}" "$rest" ;;
	esac
done < <(grep -E '^(ok|FAIL) ' zoom.out)
ok web-zoom-ran 'grep -q "^zoom: " zoom.out && ! grep -q "^FAIL" zoom.out' 
[ -n "${TSD_SHOTS:-}" ] && grep "^zoom: " zoom.out >&2
ok web-screenshots 'file "'"$SHOTS"'"/page-before.png "'"$SHOTS"'"/page-zoomed.png | grep -c "PNG image data, 1000 x 640" | grep -qx 2 &&
	! cmp -s "'"$SHOTS"'"/page-before.png "'"$SHOTS"'"/page-zoomed.png'
kill -INT $spid; wait $spid; rc=$?
ok web-sigint-exit-0 "[ $rc = 0 ]"
ok web-counts 'grep -qx "tsplot: 10000000 samples, 1 series" big.err'

# --- live: tsgen at 60x real time; the page follows, pauses while
# inspecting, follows again after a reset
PORT2=$((PORT + 1))
timeout -s INT 600 tsplot --span 10m --refresh 300ms --serve $PORT2 2>live.err \
	< <(tsgen --series-count 3 --points 0 --step 1s --realtime=60) &
lpid=$!
waitfor live.err "serving on"
for _ in $(seq 1 600); do curl -s "http://127.0.0.1:$PORT2/data?w=2" | grep -q '"held":[1-9]' && break; sleep 0.1; done
$NODE "$TSD_ROOT/tests/cli/webpage.mjs" live "http://127.0.0.1:$PORT2/" "$SHOTS" >live.out 2>&1
while read -r st name rest; do
	case $st in
	ok) _res P "web-$name" ;;
	FAIL) _res F "web-${name%:}" "$rest" ;;
	esac
done < <(grep -E '^(ok|FAIL) ' live.out)
ok web-live-ran 'grep -q "^ok live-resumes" live.out || { echo "page script:"; tail -n 5 live.out; echo "tsplot:"; tail -n 5 live.err; false; } >&2'
kill -INT $lpid; wait $lpid; rc=$?
ok web-live-sigint-exit-0 "[ $rc = 0 ] || { echo 'live tsplot exit $rc; its stderr:'; tail -n 5 live.err; tail -n 5 live.out; false; } >&2"
wait
