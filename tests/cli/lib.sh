# Helpers for command-line tests. Source from a tests/cli/*.sh script.
#
#   ck NAME WANT_EXIT WANT_STDERR 'shell command'
#       runs the command in a scratch directory; passes when the exit
#       status equals WANT_EXIT and, unless WANT_STDERR is '*', stderr
#       equals WANT_STDERR exactly. stdout is left in $OUT.
#   ok NAME 'shell command'   : a command (or test) that must succeed
#   same NAME FILE1 FILE2      : the two files must be byte-identical
set -u
D=$(mktemp -d); trap 'rm -rf "$D"' EXIT
cd "$D" || exit 1
SCRIPT=$(basename "$0" .sh)
DATA=${TSD_DATA:-}
ROOT=${TSD_ROOT}

_res() { # P|F name [detail]; a detail of several lines is kept on one
	local detail
	detail=$(printf '%s' "${3:-}" | tr '\n' '|')
	printf '%s %s: %s%s\n' "$1" "$SCRIPT" "$2" "${detail:+ ($detail)}" >>"$TSD_TALLY"
}

ck() {
	local name=$1 want=$2 werr=$3 cmd=$4 rc
	OUT=$(bash -c "$cmd" 2>"$D/.err"); rc=$?
	ERR=$(cat "$D/.err")
	if [ "$rc" -ne "$want" ]; then
		_res F "$name" "exit $rc, want $want; stderr: $ERR"
	elif [ "$werr" != '*' ] && [ "$ERR" != "$werr" ]; then
		_res F "$name" "stderr '$ERR', want '$werr'"
	else
		_res P "$name"
	fi
}

ok() {
	local name=$1 cmd=$2
	OUT=$(bash -c "$cmd" 2>"$D/.err")
	if [ $? -eq 0 ]; then _res P "$name"; else _res F "$name" "$(head -c 1200 "$D/.err")"; fi
}

same() {
	if cmp -s "$2" "$3"; then _res P "$1"; else _res F "$1" "$2 and $3 differ: $(diff "$2" "$3" | head -5 | tr '\n' '|')"; fi
}

# idcheck WANT GOT: compare records identified by (series, time) and print
# "missing extra conflicting duplicates". GOT may hold #tsd lines and a
# header; rows with no value (gap markers) are not counted: they are not
# stored or sent as records. GOT may be - (stdin).
idcheck() {
	awk -F, 'NR == FNR { if ($NF != "value" && $3 != "") { w[$1 "," $2] = $3; n++ }; next }
		/^#/ || $NF == "value" { next }
		{ k = $1 "," $2; if (!(k in w)) extra++; else if (w[k] != $3) bad++;
		  else if (k in seen) dup++; else { seen[k] = 1; have++ } }
		END { printf "%d %d %d %d\n", n - have, extra + 0, bad + 0, dup + 0 }' "$1" "$2"
}
export -f idcheck

# roff escapes used in examples, back to what the shell sees
unroff() {
	sed -e 's/\\e/\x01/g' -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\(dq/"/g' \
	    -e 's/\\(ti/~/g' -e 's/\\(ha/^/g' -e 's/\\&//g' -e 's/\x01/\\/g'
}
