#!/bin/sh
# Run every benchmark in bench/*.sh; each prints its figures beside a
# reference measured in the same run. $B is the build directory.
: "${B:?B must name the build directory}"
export B
status=0
for b in bench/*.sh; do
	bash "$b" || { echo "bench: $b failed" >&2; status=1; }
	echo
done
exit $status
