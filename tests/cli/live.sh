#!/bin/bash
# Live input: a few short lines trickling in (kcat, a sensor script) are
# read and written as they come, before the end of input, whatever the
# tool must detect first (binary or CSV, the delimiter).
. "$(dirname "$0")/lib.sh"

# wait_out FILE PATTERN: up to 20 s (a slow sanitized build on a loaded
# machine) for PATTERN to appear in FILE; the writer is still open then
wait_out() {
	for _ in $(seq 200); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# trickle NAME 'CMD' 'LINES' PATTERN: CMD reads a fifo that is held open
# after LINES are written; PATTERN must reach CMD's output before the end
trickle() {
	local name=$1 cmd=$2 lines=$3 pat=$4 pid rc
	rm -f in.fifo out.txt
	mkfifo in.fifo
	bash -c "$cmd" <in.fifo >out.txt 2>err.txt &
	pid=$!
	exec 7>in.fifo
	printf '%b' "$lines" >&7
	wait_out out.txt "$pat"; rc=$?
	exec 7>&-
	wait "$pid"
	if [ $rc -eq 0 ]; then _res P "$name"; else _res F "$name" "no '$pat' before the end of input: $(head -c 300 out.txt) $(head -c 300 err.txt)"; fi
}

# one line of 3 fields after the header, comma, semicolon and tab
trickle csv-comma 'tsconv' 'series,timestamp,value\na,2024-01-01 00:00:00,1\n' '^a,2024-01-01 00:00:00,1$'
trickle csv-semicolon 'tsconv' 'series;timestamp;value\na;2024-01-01 00:00:00;2\n' '^a,2024-01-01 00:00:00,2$'
trickle csv-tab 'tsconv' 'series\ttimestamp\tvalue\na\t2024-01-01 00:00:00\t3\n' '^a,2024-01-01 00:00:00,3$'
# a comment line first, then a two-column line shorter than 8 bytes
trickle csv-short 'tsconv' '# sensor 7\nt,v\n1,5\n' '^1,5$'
# a window that closes on the third sample reaches the end of a pipeline
trickle csv-pipeline 'paa -w 2 -g 2 -Z -o csv' 't,v\n1,1\n2,3\n3,5\n' '^1\.50*,2$'
# binary frames as they come
ok bin-frames 'printf "t,v\n1,4\n" | tsconv -o bin >one.bin'
trickle bin 'tsconv -o csv' "$(od -An -v -tx1 one.bin | tr -s ' \n' ' ' | sed 's/ $//; s/ /\\x/g')" '^1,4$'
# a file is still read whole: the delimiter is decided by the first line
# that is not a comment, even when it comes after 4096 bytes of comments
ok long-comments '{ for i in $(seq 300); do echo "# comment line $i of a long preamble"; done; printf "t;v\n1;2\n"; } | tsconv | grep -qx "1,2"'
