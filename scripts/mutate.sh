#!/bin/bash
# mutate.sh: plant small bugs in lib/ and cmd/ one at a time and check that
# the tests catch each one (mutation testing, the cheap way).
#
#   scripts/mutate.sh [LIST] [NAME...]
#
# LIST (default tests/mutants/list) holds one mutant a line, fields split by
# ' | ':   NAME | FILE | TEXT | REPLACEMENT | TESTS
# TEXT must occur exactly once in FILE; it is replaced by REPLACEMENT (the
# planted bug). TESTS are the checks that should fail: unit:test_NAME (a
# cmocka binary) or cli:NAME.sh (a command-line script). A mutant is
# caught when one of its checks fails, survives when all pass, stale when
# TEXT is not found once (the code moved: update the list) and broken
# when it does not build (fix the mutant). Lines starting with # and
# blank lines are skipped. With NAMEs only those mutants run.
#
# The source is restored after each mutant and on exit, whatever happens.
# Exit status: 0 every mutant caught, 1 a survivor, stale or broken one,
# 2 usage error.
set -u
cd "$(dirname "$0")/.."
LIST=tests/mutants/list
if [ $# -gt 0 ] && [ -f "$1" ]; then LIST=$1; shift; fi
[ -f "$LIST" ] || { echo "mutate: $LIST: no such file" >&2; exit 2; }
V=mut
B=build/$V
want=" $* "
log=$(mktemp -d /tmp/tsd-mutate.XXXXXX)
saved=""
restore() { [ -n "$saved" ] && cp "$log/orig" "$saved" && touch "$saved"; saved=""; }
trap 'restore; rm -rf "$log"' EXIT
trap 'exit 130' INT TERM

echo "mutate: building the unmutated tree ($B)"
if ! make --no-print-directory V=$V WERROR=1 all >"$log/build" 2>&1 ||
   ! make --no-print-directory V=$V WERROR=1 $(ls tests/test_*.c | sed "s|tests/\(.*\)\.c|$B/tests/\1|") >>"$log/build" 2>&1; then
	tail -20 "$log/build" >&2
	echo "mutate: the tree does not build" >&2
	exit 1
fi

run_check() { # unit:NAME | cli:NAME.sh -> 0 when it passes
	case $1 in
	unit:*) timeout 300 "$B/tests/${1#unit:}" >"$log/out" 2>&1 ;;
	cli:*) TSD_BIN=$PWD/$B/bin timeout 600 bash scripts/run-cli.sh "tests/cli/${1#cli:}" >"$log/out" 2>&1 ;;
	*) echo "mutate: unknown check '$1'" >&2; return 0 ;;
	esac
}

total=0 caught=0
survivors="" stale="" broken=""
while IFS= read -r line; do
	case $line in ''|'#'*) continue ;; esac
	name=${line%% | *}; rest=${line#* | }
	file=${rest%% | *}; rest=${rest#* | }
	text=${rest%% | *}; rest=${rest#* | }
	repl=${rest%% | *}; checks=${rest#* | }
	[ "$want" = "  " ] || case $want in *" $name "*) ;; *) continue ;; esac
	total=$((total + 1))
	n=$(grep -cF -- "$text" "$file" 2>/dev/null || true)
	if [ "$n" != 1 ]; then
		echo "STALE    $name ($file: text found $n times)"
		stale="$stale $name"
		continue
	fi
	cp "$file" "$log/orig"; saved=$file
	TEXT=$text REPL=$repl perl -0pi -e 's/\Q$ENV{TEXT}\E/$ENV{REPL}/' "$file"
	if cmp -s "$file" "$log/orig"; then
		restore; echo "BROKEN   $name (replacement changes nothing)"; broken="$broken $name"; continue
	fi
	if ! make --no-print-directory V=$V all $(for c in $checks; do case $c in unit:*) echo "$B/tests/${c#unit:}";; esac; done) >"$log/build" 2>&1; then
		restore; echo "BROKEN   $name (does not build)"; broken="$broken $name"; continue
	fi
	hit=""
	for c in $checks; do
		run_check "$c" || { hit=$c; break; }
	done
	restore
	if [ -n "$hit" ]; then
		caught=$((caught + 1)); echo "caught   $name by $hit"
	else
		echo "SURVIVED $name (checks: $checks)"; survivors="$survivors $name"
	fi
done <"$LIST"
# leave the mutation tree built from the restored source
make --no-print-directory V=$V all >/dev/null 2>&1
echo "mutate: $caught of $total caught${survivors:+; survived:$survivors}${stale:+; stale:$stale}${broken:+; broken:$broken}"
[ "$caught" -eq "$total" ]
