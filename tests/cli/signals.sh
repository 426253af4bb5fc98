# Signals: SIGTERM, SIGINT and SIGHUP stop a filter between two records,
# with the whole records it holds written out and exit status 128 + the
# signal. Fast binary pipelines are stopped mid-stream, several times each,
# and their output must read back whole (no truncated frame; coefficient
# streams end on a whole window).
. "$(dirname "$0")/lib.sh"
set -m # background jobs of a script otherwise ignore SIGINT

# wait until FILE holds at least N bytes (at most 20 s)
grown() {
	local i=0
	while [ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -lt "$2" ]; do
		i=$((i + 1))
		[ $i -gt 400 ] && return 1
		sleep 0.05
	done
}

# NAME%PIPELINE whose last command is signalled%CHECK reading out.bin
CASES='tsgen%tsgen -n 4 -p 0 -r 1s -o bin%tsconv -o csv out.bin
tsconv%tsgen -n 4 -p 0 -r 1s -o bin | tsconv -o bin%tsconv -o csv out.bin
tsconv-csv%tsgen -n 4 -p 0 -r 1s | tsconv%tsconv out.bin
paa%tsgen -n 4 -p 0 -r 1s -o bin | paa -w 16 -g 4 -o bin%tsconv -o csv out.bin
lttb%tsgen -n 4 -p 0 -r 1s -o bin | lttb -w 64 -n 8 -o bin%tsconv -o csv out.bin
dwt%tsgen -n 4 -p 0 -r 1s -o bin | dwt -W haar -w 16 -J 2 -o bin%merge -o csv out.bin
thresh%tsgen -n 4 -p 0 -r 1s -o bin | dwt -W haar -w 16 -J 2 -o bin | thresh -r 2 -o bin%merge -o csv out.bin
merge%tsgen -n 4 -p 0 -r 1s -o bin | dwt -W haar -w 16 -J 2 -o bin | merge --full -o bin%tsconv -o csv out.bin'

k=0
while IFS='%' read -r name pipe check; do
	for sig in TERM INT HUP TERM INT HUP; do
		k=$((k + 1))
		want=$((128 + $(kill -l $sig)))
		rm -f out.bin
		bash -c "exec > out.bin; $pipe" </dev/null 2>err.txt &
		# the signal goes to the last command of the pipeline only
		job=$!
		if ! grown out.bin 300000; then
			kill -KILL -$job 2>/dev/null
			_res F "$name SIG$sig" "no output within 20 s: $(head -c 300 err.txt)"
			continue
		fi
		last=$(pgrep -P $job | tail -1)
		[ -z "$last" ] && last=$job
		kill -$sig $last
		wait $job
		rc=$?
		kill -KILL -$job 2>/dev/null
		ok "$name SIG$sig (run $k): exit $rc, want $want" "[ $rc = $want ]"
		ck "$name SIG$sig (run $k): the output reads back whole" 0 '' "$check > /dev/null </dev/null"
	done
done <<END
$CASES
END
