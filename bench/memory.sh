#!/bin/bash
# memory.sh: the largest resident set of each windowing tool on an
# unbounded-style stream, at 1e6, 1e7 and 1e8 points, with -w 16 and
# -w 256, beside tsconv's on the same stream in the same run. The points
# come from tsgen's binary output through a pipe (nothing on disk). A tool
# runs in constant memory when its figure grows by at most 10% or 512 KB,
# whichever is more, from 1e6 to 1e8 (the goal); the line says "flat" or
# "GROWS". The 512 KB: at 2 to 3 MB, allocator and page-cache effects move
# a resident set by a few hundred KB from run to run (nth went from 2.34 MB
# at 1e6 to 2.64 at 1e8 and 2.65 at 3e8, which 10% alone called growth),
# while a leak of even 8 bytes a point is 800 MB at 1e8.
#
# Usage: bench/memory.sh [sizes [tools]]
#   sizes: default "1000000 10000000 100000000" (MEM_SIZES)
#   tools: default every windowing tool (MEM_TOOLS)
# Tools from $B/bin (make bench sets B), else build/rel/bin. GNU time
# (/usr/bin/time, package time) measures.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${B:-$root/build/rel}/bin
sizes=${1:-${MEM_SIZES:-1000000 10000000 100000000}}
tools=${2:-${MEM_TOOLS:-paa sax dwt lttb minmax m4 minmaxlttb sdt deadband nth}}
[ -x /usr/bin/time ] || { echo "memory.sh: /usr/bin/time is needed (apt-get install time)"; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# KB of the largest resident set of the command reading the stream (not tsgen)
rss() { # points, command
	"$bin/tsgen" --points "$1" --step 1s -o bin | /usr/bin/time -f %M -o "$tmp/t" $2 -o bin >/dev/null
	tail -1 "$tmp/t"
}
args() { # tool, window
	case $1 in
	paa|sax) echo "-w $2 -g 4" ;;
	dwt) echo "-W haar -J 2 -w $2" ;;
	nth) echo "-k 4 -w $2" ;;
	*) echo "-n 8 -w $2" ;;
	esac
}

echo "memory: max RSS in KB; tsgen --step 1s -o bin | TOOL -o bin; goal: flat within 10% or 512 KB from the first size to the last"
printf '%-24s' "tool"
for n in $sizes; do printf ' %12s' "$n"; done
printf '  %s\n' "first to last"
line() { # label, command
	local first= last= k
	printf '%-24s' "$1"
	for n in $sizes; do
		k=$(rss "$n" "$2")
		printf ' %12s' "$k"
		[ -z "$first" ] && first=$k
		last=$k
	done
	awk -v a="$first" -v b="$last" 'BEGIN { g = (b - a) / a * 100;
		printf "  %+.1f%% %s\n", g, (g <= 10 || b - a <= 512 ? "flat" : "GROWS") }'
}
line "tsconv (reference)" "$bin/tsconv"
for w in 16 256; do
	for t in $tools; do
		line "$t -w $w" "$bin/$t $(args "$t" "$w")"
	done
done
