# Signals: SIGTERM, SIGINT and SIGHUP stop a filter between two records,
# with the whole records it holds written out and exit status 128 + the
# signal. Fast binary pipelines are stopped mid-stream, several times each,
# and their output must read back whole (no truncated frame; coefficient
# streams end on a whole window).
. "$(dirname "$0")/lib.sh"

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
CASES='tsgen%tsgen --series-count 4 --points 2000000 --step 1s -o bin%tsconv -o csv out.bin
tsconv%tsgen -n 4 -p 2000000 -r 1s -o bin | tsconv -o bin%tsconv -o csv out.bin
tsconv-csv%tsgen --series-count 4 --points 2000000 --step 1s | tsconv%tsconv out.bin
paa%tsgen --series-count 4 --points 2000000 --step 1s -o bin | paa -w 16 -g 4 -o bin%tsconv -o csv out.bin
lttb%tsgen --series-count 4 --points 2000000 --step 1s -o bin | lttb -w 64 -n 8 -o bin%tsconv -o csv out.bin
dwt%tsgen --series-count 4 --points 2000000 --step 1s -o bin | dwt -W haar -w 16 -J 2 -o bin%merge -o csv out.bin
thresh%tsgen -n 4 -p 2000000 -r 1s -o bin | dwt -W haar -w 16 -J 2 -o bin | thresh -r 2 -o bin%merge -o csv out.bin
merge%tsgen -n 4 -p 2000000 -r 1s -o bin | dwt -W haar -w 16 -J 2 -o bin | merge --full -o bin%tsconv -o csv out.bin'

k=0
while IFS='%' read -r name pipe check; do
	for sig in TERM INT HUP TERM INT HUP; do
		k=$((k + 1))
		want=$((128 + $(kill -l $sig)))
		rm -f out.bin
		# background jobs of a script start with SIGINT ignored (no job
		# control): env gives the pipeline the default dispositions back.
		# The producer is bounded (2e6 points), so a run that ignores its
		# signal still ends; and 256 MB of output at most (ulimit -f), so
		# nothing fills the disk (a run once wrote 80 GB)
		env --default-signal=INT,TERM,HUP bash -c "ulimit -f 262144; exec > out.bin; $pipe" </dev/null 2>err.txt &
		job=$!
		if ! grown out.bin 300000; then
			pkill -KILL -P $job 2>/dev/null; kill -KILL $job 2>/dev/null; wait $job
			_res F "$name SIG$sig" "no output within 20 s: $(head -c 300 err.txt)"
			continue
		fi
		# the signal goes to the last command of the pipeline only: the
		# child of the job's shell with the highest start time
		last=$(ps -o pid= --sort=start_time --ppid $job | tail -1)
		[ -z "$last" ] && last=$job
		kill -$sig $last
		i=0
		while kill -0 $last 2>/dev/null && [ $i -lt 400 ]; do sleep 0.05; i=$((i + 1)); done
		if kill -0 $last 2>/dev/null; then
			pkill -KILL -P $job 2>/dev/null; kill -KILL $job 2>/dev/null
		fi
		wait $job
		rc=$?
		ok "$name SIG$sig (run $k): exit $rc, want $want" "[ $rc = $want ]"
		ck "$name SIG$sig (run $k): the output reads back whole" 0 '' "$check > /dev/null </dev/null"
	done
done <<END
$CASES
END
